// When a delete may go ahead. A chain with nodes or memberships, and a node with children or
// memberships, go only with `force` (which takes what hangs on them along); a department goes only
// once no chain names it. FAILED_PRECONDITION naming the resource, what holds it and the way out
// otherwise. Pure: the handlers count, these rules decide.
#ifndef CHAINHUB_SERVICES_REGISTRY_DELETION_H_
#define CHAINHUB_SERVICES_REGISTRY_DELETION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace chainhub::registry {

absl::Status CheckChainDeletable(absl::string_view chain_name, int64_t nodes, int64_t memberships,
                                 bool force);

// `children` counts every node below the node, not only its direct children.
absl::Status CheckNodeDeletable(absl::string_view node_name, int64_t children, int64_t memberships,
                                bool force);

// `chain_ids`: the chains whose lead department or member units name the department.
absl::Status CheckDepartmentDeletable(absl::string_view department_name,
                                      const std::vector<std::string>& chain_ids);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_DELETION_H_
