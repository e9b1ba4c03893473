// libFuzzer target for the credit-code validator: must not crash, errors are INVALID_ARGUMENT
// naming the field, and OK implies the 18th character is the computed check character.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "common/base/credit_code.h"

namespace {
// True when `s` is well-formed UTF-8 (error messages travel in proto string fields).
bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string code(reinterpret_cast<const char*>(data), size);
  absl::Status status = chainhub::ValidateCreditCode(code);
  if (status.ok()) {
    std::optional<char> check =
        code.size() == 18 ? chainhub::CreditCodeCheckChar(code.substr(0, 17)) : std::nullopt;
    if (!check.has_value() || *check != code[17]) {
      std::fprintf(stderr, "accepted a code whose check character is wrong: %s\n", code.c_str());
      std::abort();
    }
    for (size_t i = 2; i < 8; ++i) {
      if (code[i] < '0' || code[i] > '9') {
        std::fprintf(stderr, "accepted a code with a non-digit division: %s\n", code.c_str());
        std::abort();
      }
    }
  } else if (status.code() != absl::StatusCode::kInvalidArgument ||
             !absl::StartsWith(status.message(), "credit_code: ") ||
             !IsUtf8(std::string(status.message()))) {
    std::fprintf(stderr, "unexpected error %s for %s\n", status.ToString().c_str(), code.c_str());
    std::abort();
  }
  // The check character of any 17 characters is in the charset when it exists.
  if (size >= 17) {
    std::optional<char> check = chainhub::CreditCodeCheckChar(code.substr(0, 17));
    if (check.has_value() &&
        std::string("0123456789ABCDEFGHJKLMNPQRTUWXY").find(*check) == std::string::npos) {
      std::abort();
    }
  }
  return 0;
}
