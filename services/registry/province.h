// The provincial taxonomy (省十大产业链) as versioned data: which list is in force on a date (or
// named by a request), which city-chain mappings and overrides a list admits, and the provincial
// categories of a chain, node or enterprise — its own override when it carries one that the list
// in force knows, else the default mapping of its chains. Pure.
#ifndef CHAINHUB_SERVICES_REGISTRY_PROVINCE_H_
#define CHAINHUB_SERVICES_REGISTRY_PROVINCE_H_

#include <string>
#include <vector>

#include <google/protobuf/repeated_ptr_field.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.pb.h"

namespace chainhub::registry {

// "2026" of provinceLists/2026.
std::string VersionOf(const v1::ProvinceList& list);

// The list with effective_from <= date < effective_to (effective_to empty = open), or nullptr.
const v1::ProvinceList* ListInForce(const std::vector<v1::ProvinceList>& lists,
                                    absl::string_view date);

// The date a request asks about: `date` when given (INVALID_ARGUMENT on "date" unless it is a real
// YYYY-MM-DD), else today in China at `now`.
absl::StatusOr<std::string> RequestedDate(absl::string_view date, absl::Time now);

// The list a request means: the one of `version` when given (NOT_FOUND when there is none), which
// wins over a date; else the one in force on `date` (FAILED_PRECONDITION on "date" when none is).
absl::StatusOr<const v1::ProvinceList*> ChooseList(const std::vector<v1::ProvinceList>& lists,
                                                   absl::string_view version,
                                                   absl::string_view date);

// FAILED_PRECONDITION when `candidate`'s date range overlaps a list of another version.
absl::Status CheckNoOverlap(const std::vector<v1::ProvinceList>& existing,
                            const v1::ProvinceList& candidate);

// A city chain's mapping `m` names an existing list version and distinct chains of that list;
// otherwise INVALID_ARGUMENT on <prefix>.version or <prefix>.province_chains[i].
absl::Status CheckMapping(const std::vector<v1::ProvinceList>& lists,
                          const v1::ChainProvinceMapping& m, const std::string& prefix);

// Every id of an override (`field`, e.g. "node.province_category_override") is a chain of some
// list, in force or not; otherwise INVALID_ARGUMENT on the first that is not.
absl::Status CheckOverrideIds(const std::vector<v1::ProvinceList>& lists,
                              const google::protobuf::RepeatedPtrField<std::string>& ids,
                              const std::string& field);

// The categories for `override_ids` (kept when the list knows them) or, failing that, for the
// union of `mappings` of the list's version. Source is "override" or "chain_default".
v1::ResolveProvinceCategoriesResponse ResolveCategories(
    const v1::ProvinceList& list, const std::vector<std::string>& override_ids,
    const std::vector<v1::ChainProvinceMapping>& mappings);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_PROVINCE_H_
