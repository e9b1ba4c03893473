// The provincial taxonomy (省十大产业链) as versioned data: which list is in force on a date, and
// the provincial categories of a chain, node or enterprise — its own override when it carries one
// that the list in force knows, else the default mapping of its chains. Pure.
#ifndef CHAINHUB_SERVICES_REGISTRY_PROVINCE_H_
#define CHAINHUB_SERVICES_REGISTRY_PROVINCE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/base/fields.h"

namespace chainhub::registry {

// The list with effective_from <= date < effective_to (effective_to empty = open), or nullptr.
const v1::ProvinceList* ListInForce(const std::vector<v1::ProvinceList>& lists,
                                    absl::string_view date);

// FAILED_PRECONDITION when `candidate`'s date range overlaps a list of another version.
absl::Status CheckNoOverlap(const std::vector<v1::ProvinceList>& existing,
                            const v1::ProvinceList& candidate);

// The categories for `override_ids` (kept when the list knows them) or, failing that, for the
// union of `mappings` of the list's version. Source is "override" or "chain_default".
v1::ResolveProvinceCategoriesResponse ResolveCategories(
    const v1::ProvinceList& list, const std::vector<std::string>& override_ids,
    const std::vector<v1::ChainProvinceMapping>& mappings);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_PROVINCE_H_
