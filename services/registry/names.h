// The registry's own resource names, beside the shared ones of common/base/names.h:
// enterprises/{credit_code} and provinceLists/{version}, and the subject of a province category
// resolution (a chain, a node or an enterprise). Each keeps the error text clients already see.
#ifndef CHAINHUB_SERVICES_REGISTRY_NAMES_H_
#define CHAINHUB_SERVICES_REGISTRY_NAMES_H_

#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/names.h"

namespace chainhub::registry {

// enterprises/{credit_code}, the code a valid 统一社会信用代码.
struct EnterpriseName {
  static constexpr absl::string_view kPattern = "enterprises/{credit_code}";
  std::string credit_code;

  // INVALID_ARGUMENT on `field`: "must be enterprises/{credit_code}, got …" for another form, the
  // credit code's own rule for a bad code.
  static absl::StatusOr<EnterpriseName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {credit_code}); }
};

// provinceLists/{version}, the version 1-20 of A-Z a-z 0-9 and '-'.
struct ProvinceListName {
  static constexpr absl::string_view kPattern = "provinceLists/{version}";
  std::string version;

  static absl::StatusOr<ProvinceListName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {version}); }
};

// What ResolveProvinceCategories resolves: a chain, one of its nodes, or an enterprise.
using CategorySubject = std::variant<ChainName, NodeName, EnterpriseName>;

// The subject's kind is read from its collection: enterprises/…, chains/…/nodes/…, chains/…;
// anything else is INVALID_ARGUMENT on `field` listing the three forms.
absl::StatusOr<CategorySubject> ParseCategorySubject(absl::string_view field,
                                                     absl::string_view subject);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_NAMES_H_
