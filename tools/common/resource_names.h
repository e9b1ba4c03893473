// The names of resources the services own (projects/{id}, enterprises/{credit_code}), which the
// tools cannot take from the services, and the short forms operators type names in ("pv" for
// chains/pv). Each pattern is written once, here or in common/base/names.h, and every name the
// tools build goes through FormatName.
#ifndef CHAINHUB_TOOLS_COMMON_RESOURCE_NAMES_H_
#define CHAINHUB_TOOLS_COMMON_RESOURCE_NAMES_H_

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/base/names.h"

namespace chainhub::tools {

// projects/{id}
struct ProjectName {
  static constexpr absl::string_view kPattern = "projects/{id}";
  std::string id;
  std::string String() const { return FormatName(kPattern, {id}); }
};

// enterprises/{credit_code}
struct EnterpriseName {
  static constexpr absl::string_view kPattern = "enterprises/{credit_code}";
  std::string credit_code;
  std::string String() const { return FormatName(kPattern, {credit_code}); }
};

// The collection `pattern` names, with its slash: "projects/" of "projects/{id}".
inline absl::string_view CollectionOf(absl::string_view pattern) {
  return pattern.substr(0, pattern.find('/') + 1);
}

// Whether `name` is in the collection of `pattern` ("projects/…"). What follows is not checked:
// the service answers for a bad id.
inline bool InCollection(absl::string_view name, absl::string_view pattern) {
  return absl::StartsWith(name, CollectionOf(pattern));
}

// The id in `arg`, which is the id or a name of the one-id `pattern` ("chains/pv" → "pv").
inline absl::string_view IdOf(absl::string_view pattern, absl::string_view arg) {
  absl::ConsumePrefix(&arg, CollectionOf(pattern));
  return arg;
}

// `arg` (the id or the name) as a name of the one-id `pattern`: "pv" and "chains/pv" → "chains/pv".
// Not checked either.
inline std::string NameOf(absl::string_view pattern, absl::string_view arg) {
  return FormatName(pattern, {IdOf(pattern, arg)});
}

}  // namespace chainhub::tools

#endif  // CHAINHUB_TOOLS_COMMON_RESOURCE_NAMES_H_
