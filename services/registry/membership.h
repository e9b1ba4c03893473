// An enterprise's memberships (the nodes it sits on, on any chain): the chains they touch, that
// each names a node that exists, and who may change them — a chain office only on its own chains.
// Pure: the handlers load the enterprise and the missing nodes, these rules decide.
#ifndef CHAINHUB_SERVICES_REGISTRY_MEMBERSHIP_H_
#define CHAINHUB_SERVICES_REGISTRY_MEMBERSHIP_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/rpc/auth.h"

namespace chainhub::registry {

// Ids of the chains `e`'s memberships sit on (a membership that is no node name is skipped).
std::set<std::string> ChainsOf(const v1::Enterprise& e);

// The memberships in one of `before` (null for a new enterprise) and `after` but not the other.
std::set<std::string> ChangedMemberships(const v1::Enterprise* before, const v1::Enterprise& after);

// OK unless `missing` (the memberships whose node does not exist) is non-empty; then
// INVALID_ARGUMENT on <prefix>.memberships[i] of the first of them.
absl::Status CheckMembershipsExist(const v1::Enterprise& e, const std::vector<std::string>& missing,
                                   const std::string& prefix);

// Who may write `after` (replacing `before`, null when it is new): admins and departments anything;
// a chain office only the memberships of an existing enterprise, or a new enterprise that sits on
// its chains, and in both cases only memberships on chains it holds. PERMISSION_DENIED otherwise.
absl::Status AuthorizeEnterpriseWrite(const Principal& p, const v1::Enterprise* before,
                                      const v1::Enterprise& after);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_MEMBERSHIP_H_
