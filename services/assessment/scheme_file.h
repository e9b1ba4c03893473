// Schemes and indicators as files an operator edits and keeps under version control (YAML, or
// JSON, told apart by the first character). Field names are the proto's (snake_case; the JSON
// mapping's lowerCamelCase is accepted too), enums by name in full or without their type's
// prefix (DIRECTION_LOWER_IS_BETTER or LOWER_IS_BETTER), a method or filter with no parameters as
// an empty map (`efficacy: {}`). Output-only fields (version, etag, times) are ignored on reading
// and left out on writing, so a scheme fetched from the service can be edited and put back.
// Parsing checks the form only; the rules are scheme_rules.h's.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_SCHEME_FILE_H_
#define CHAINHUB_SERVICES_ASSESSMENT_SCHEME_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/base/message_file.h"

namespace chainhub::assessment {

// Files larger than this are refused, and so are files holding more values than kMaxFileValues
// (common/base/message_file.h reads them).
inline constexpr size_t kMaxFileBytes = kMaxMessageFileBytes;
inline constexpr int kMaxFileValues = kMaxMessageFileValues;

// A scheme: a map of Scheme's fields. Errors are INVALID_ARGUMENT "line L, column C: <path>:
// <what>", e.g. "line 12, column 7: items[2].ratio_to_target: unknown key 'capp' (known: cap)";
// syntax errors give the parser's position and message.
absl::StatusOr<v1::Scheme> ParseSchemeFile(absl::string_view text);

// A file holding `indicators:`, a list of indicators (each a map of Indicator's fields).
absl::StatusOr<std::vector<v1::Indicator>> ParseIndicatorsFile(absl::string_view text);

// YAML of a scheme for `chainctl schemes show` and a line diff of two versions: fields in the
// proto's order, unset fields left out, enums by full name, numbers in plain digits that read
// back to the same double. ParseSchemeFile(SchemeToYaml(s)) equals s without its output-only
// fields.
std::string SchemeToYaml(const v1::Scheme& scheme);
// The same for indicators, as the `indicators:` file ParseIndicatorsFile reads.
std::string IndicatorsToYaml(const std::vector<v1::Indicator>& indicators);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_SCHEME_FILE_H_
