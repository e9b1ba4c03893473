// 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters over the 31-character
// set 0-9 A-H J-N P-R T U W-Y; position 1 the registration authority, 2 the entity type, 3-8 the
// administrative division (digits), 9-17 the organisation code, 18 a check character:
// c18 = 31 - (Σ value(ci)·wi mod 31), with 31 written as 0, wi = 3^(i-1) mod 31.
#ifndef CHAINHUB_COMMON_CREDIT_CODE_H_
#define CHAINHUB_COMMON_CREDIT_CODE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chainhub {

// OK when `code` is a well-formed credit code with the right check character; otherwise
// INVALID_ARGUMENT naming `field` and the rule broken (length, character, division, check).
// Lower-case letters are not accepted: codes are canonical upper case.
absl::Status ValidateCreditCode(absl::string_view code, absl::string_view field = "credit_code");

// The check character for the first 17 characters, or nullopt when one is outside the charset.
std::optional<char> CreditCodeCheckChar(absl::string_view first17);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CREDIT_CODE_H_
