// libFuzzer target for scheme files: ParseSchemeFile (YAML or JSON) then CheckScheme. Neither may
// crash; a scheme that parses must write back to YAML that parses to the same scheme.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "services/assessment/scheme_file.h"
#include "services/assessment/scheme_rules.h"

namespace {

[[noreturn]] void Fail(const std::string& what, const std::string& input) {
  std::fprintf(stderr, "invariant broken: %s\ninput: %s\n", what.c_str(), input.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  auto scheme = chainhub::assessment::ParseSchemeFile(input);
  if (!scheme.ok()) {
    if (scheme.status().code() != absl::StatusCode::kInvalidArgument) {
      Fail("a bad file must be INVALID_ARGUMENT", input);
    }
    return 0;
  }
  chainhub::assessment::v1::Indicator count;
  count.set_name("indicators/x");
  count.mutable_measure()->set_entity(chainhub::assessment::v1::MEASURE_ENTITY_PROJECTS);
  count.mutable_measure()->set_aggregate(chainhub::assessment::v1::AGGREGATE_COUNT);
  std::vector<chainhub::FieldViolation> violations;
  chainhub::assessment::CheckScheme(
      *scheme,
      [&](const std::string& name) { return name == count.name() ? &count : nullptr; },
      &violations);
  const std::string yaml = chainhub::assessment::SchemeToYaml(*scheme);
  auto back = chainhub::assessment::ParseSchemeFile(yaml);
  if (!back.ok()) Fail("its YAML does not parse: " + std::string(back.status().message()), input);
  if (back->SerializeAsString() != scheme->SerializeAsString()) {
    Fail("its YAML parses to another scheme:\n" + yaml, input);
  }
  return 0;
}
