// Schemes and indicators as files an operator edits: YAML (or JSON, which YAML reads too) with the
// proto's snake_case field names and enum value names (an enum value may drop its type's prefix:
// LOWER_IS_BETTER for DIRECTION_LOWER_IS_BETTER). Every error names the line, the column and the
// field path. Output-only fields (version, etag, times) are refused in a file.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_SCHEME_FILE_H_
#define CHAINHUB_SERVICES_ASSESSMENT_SCHEME_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::assessment {

namespace v1 = ::chainhub::assessment::v1;

// One Scheme.
absl::StatusOr<v1::Scheme> ParseSchemeFile(absl::string_view text);

// A file holding `indicators:`, a list of Indicator.
absl::StatusOr<std::vector<v1::Indicator>> ParseIndicatorsFile(absl::string_view text);

// A scheme as YAML, fields in the proto's order, output-only and unset fields left out: what
// `chainctl schemes show` prints and `chainctl schemes diff` compares line by line.
// ParseSchemeFile(SchemeToYaml(s)) gives s back (less its output-only fields).
std::string SchemeToYaml(const v1::Scheme& scheme);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_SCHEME_FILE_H_
