// libFuzzer target for scheme and indicator files: ParseSchemeFile and ParseIndicatorsFile on
// any bytes. Neither may crash; an error is INVALID_ARGUMENT "line L, column C: …" in UTF-8; a
// scheme that parses writes back to YAML that parses to the same scheme (and the same YAML), and
// the write rules run on it without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/match.h"
#include "common/base/utf8.h"
#include "services/assessment/methods.h"
#include "services/assessment/scheme_file.h"
#include "services/assessment/scheme_rules.h"

namespace {

namespace assessment = chainhub::assessment;
using google::protobuf::util::MessageDifferencer;

[[noreturn]] void Fail(const std::string& what, const std::string& input) {
  std::fprintf(stderr, "invariant broken: %s\ninput: %s\n", what.c_str(), input.c_str());
  std::abort();
}

bool IsUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = chainhub::Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void CheckError(const absl::Status& status, const std::string& input) {
  const std::string message(status.message());
  if (status.code() != absl::StatusCode::kInvalidArgument ||
      !(absl::StartsWith(message, "line ") || absl::StartsWith(message, "the file is ")) ||
      !IsUtf8(message) || message.size() > 4096) {
    Fail("error is not INVALID_ARGUMENT 'line L, column C: …' in UTF-8: " + status.ToString(),
         input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);

  auto scheme = assessment::ParseSchemeFile(input);
  if (!scheme.ok()) {
    CheckError(scheme.status(), input);
  } else {
    const std::string yaml = assessment::SchemeToYaml(*scheme);
    auto back = assessment::ParseSchemeFile(yaml);
    if (!back.ok()) Fail("written YAML does not parse: " + back.status().ToString(), yaml);
    if (!MessageDifferencer::Equals(*back, *scheme)) Fail("round trip changed the scheme", yaml);
    if (assessment::SchemeToYaml(*back) != yaml) Fail("written YAML is not stable", yaml);
    if (assessment::SchemeContentKey(*back) != assessment::SchemeContentKey(*scheme)) {
      Fail("content key differs after a round trip", yaml);
    }
    std::vector<chainhub::FieldViolation> violations;
    chainhub::assessment::CheckScheme(
        *scheme,
        [](const std::string&) -> const chainhub::assessment::v1::Indicator* { return nullptr; },
        &violations);
    for (const auto& item : scheme->items()) {
      assessment::ItemInput in;
      in.actual = static_cast<double>(size);
      in.target = 10;
      in.rating = 3;
      in.band_counts = {1, 2};
      (void)assessment::ScoreItem(item, chainhub::assessment::v1::DIRECTION_LOWER_IS_BETTER, "",
                                  {in, assessment::ItemInput()});
    }
  }

  auto indicators = assessment::ParseIndicatorsFile(input);
  if (!indicators.ok()) {
    CheckError(indicators.status(), input);
  } else {
    for (const auto& indicator : *indicators) {
      std::vector<chainhub::FieldViolation> violations;
      assessment::CheckIndicator(indicator, "indicator", &violations);
    }
    auto back = assessment::ParseIndicatorsFile(assessment::IndicatorsToYaml(*indicators));
    if (!back.ok() || back->size() != indicators->size()) {
      Fail("written indicators do not parse back", input);
    }
    for (size_t i = 0; i < back->size(); ++i) {
      if (!MessageDifferencer::Equals((*back)[i], (*indicators)[i])) {
        Fail("round trip changed an indicator", input);
      }
    }
  }
  return 0;
}
