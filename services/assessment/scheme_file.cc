#include "services/assessment/scheme_file.h"

#include "common/base/message_file.h"
#include "common/base/status_util.h"

namespace chainhub::assessment {
namespace {

// Fields a client never writes: ignored on reading, left out on writing.
const OutputOnlyFields& OutputOnly() {
  static const auto* const kOutputOnly = new OutputOnlyFields{
      "chainhub.assessment.v1.Scheme.version",       "chainhub.assessment.v1.Scheme.etag",
      "chainhub.assessment.v1.Scheme.create_time",   "chainhub.assessment.v1.Scheme.version_time",
      "chainhub.assessment.v1.Indicator.etag",       "chainhub.assessment.v1.Indicator.create_time",
      "chainhub.assessment.v1.Indicator.update_time"};
  return *kOutputOnly;
}

}  // namespace

absl::StatusOr<v1::Scheme> ParseSchemeFile(absl::string_view text) {
  v1::Scheme scheme;
  CHAINHUB_RETURN_IF_ERROR(ParseMessageFile(text, OutputOnly(), &scheme));
  return scheme;
}

absl::StatusOr<std::vector<v1::Indicator>> ParseIndicatorsFile(absl::string_view text) {
  // The file is the `indicators` field of a message holding just that; reading it as such gives
  // the same checks (a map, no other keys, a list of maps).
  v1::ListIndicatorsResponse file;
  CHAINHUB_RETURN_IF_ERROR(
      ParseListFile(text, "indicators", "an indicators file", OutputOnly(), &file));
  return std::vector<v1::Indicator>(file.indicators().begin(), file.indicators().end());
}

std::string SchemeToYaml(const v1::Scheme& scheme) { return MessageToYaml(scheme, OutputOnly()); }

std::string IndicatorsToYaml(const std::vector<v1::Indicator>& indicators) {
  if (indicators.empty()) return "indicators: []\n";
  v1::ListIndicatorsResponse file;
  for (const auto& indicator : indicators) *file.add_indicators() = indicator;
  return MessageToYaml(file, OutputOnly());
}

}  // namespace chainhub::assessment
