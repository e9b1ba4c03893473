// Support's resource names (common/base/names.h has the shared ones; enterprises/{credit_code}
// is the registry's EnterpriseName). Ids the service generates are UUIDv7 (lower-case hex and
// '-'); ids a caller chooses (policy items) are 1-40 of [a-z0-9-].
#ifndef CHAINHUB_SERVICES_SUPPORT_NAMES_H_
#define CHAINHUB_SERVICES_SUPPORT_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/names.h"

namespace chainhub::support {

// 1-64 characters of [a-z0-9-]: generated ids (UUIDv7) and ids callers choose.
bool IsSupportId(absl::string_view id);

#define CHAINHUB_SUPPORT_NAME_1(Type, pattern, field)                                        \
  struct Type {                                                                              \
    static constexpr absl::string_view kPattern = pattern;                                   \
    std::string field;                                                                       \
    static absl::StatusOr<Type> Parse(absl::string_view name_field, absl::string_view name); \
    std::string String() const { return FormatName(kPattern, {field}); }                     \
  }

#define CHAINHUB_SUPPORT_NAME_2(Type, pattern, a, b)                                         \
  struct Type {                                                                              \
    static constexpr absl::string_view kPattern = pattern;                                   \
    std::string a;                                                                           \
    std::string b;                                                                           \
    static absl::StatusOr<Type> Parse(absl::string_view name_field, absl::string_view name); \
    std::string String() const { return FormatName(kPattern, {a, b}); }                      \
  }

CHAINHUB_SUPPORT_NAME_1(AssignmentName, "assignments/{assignment}", id);
CHAINHUB_SUPPORT_NAME_2(VisitName, "assignments/{assignment}/visits/{visit}", assignment, id);
CHAINHUB_SUPPORT_NAME_1(FirmPlanName, "firm-plans/{plan}", id);
CHAINHUB_SUPPORT_NAME_1(RequestName, "requests/{request}", id);
CHAINHUB_SUPPORT_NAME_1(PolicyName, "policies/{policy}", id);
CHAINHUB_SUPPORT_NAME_2(PolicyItemName, "policies/{policy}/items/{item}", policy, item);
CHAINHUB_SUPPORT_NAME_2(ChainEntryName, "chains/{chain}/entries/{entry}", chain, id);
CHAINHUB_SUPPORT_NAME_2(ChainPlanName, "chains/{chain}/plans/{plan}", chain, id);

#undef CHAINHUB_SUPPORT_NAME_1
#undef CHAINHUB_SUPPORT_NAME_2

// policies/{policy}/items/{item}/claims/{credit_code}
struct ClaimName {
  static constexpr absl::string_view kPattern =
      "policies/{policy}/items/{item}/claims/{credit_code}";
  std::string policy;
  std::string item;
  std::string credit_code;
  static absl::StatusOr<ClaimName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {policy, item, credit_code}); }
  PolicyItemName Item() const { return {policy, item}; }
};

// chains/{chain}/spend/{credit_code}/{period}
struct SpendName {
  static constexpr absl::string_view kPattern = "chains/{chain}/spend/{reporter}/{period}";
  std::string chain;
  std::string reporter;  // credit code
  std::string period;
  static absl::StatusOr<SpendName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {chain, reporter, period}); }
};

// The working team of a chain, where requests common to the chain go: chains/{chain}/team.
struct ChainTeamName {
  static constexpr absl::string_view kPattern = "chains/{chain}/team";
  std::string chain;
  static absl::StatusOr<ChainTeamName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {chain}); }
};

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_NAMES_H_
