#include "services/registry/deletion.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::registry {

absl::Status CheckChainDeletable(absl::string_view chain_name, int64_t nodes, int64_t memberships,
                                 bool force) {
  if (force || (nodes == 0 && memberships == 0)) return absl::OkStatus();
  return FailedPrecondition(chain_name,
                            absl::StrCat("has ", nodes, " node(s) and ", memberships,
                                         " enterprise membership(s); delete them first or set "
                                         "force to delete them with the chain"));
}

absl::Status CheckNodeDeletable(absl::string_view node_name, int64_t children, int64_t memberships,
                                bool force) {
  if (force || (children == 0 && memberships == 0)) return absl::OkStatus();
  return FailedPrecondition(
      node_name, absl::StrCat("has ", children, " child node(s) and ", memberships,
                              " enterprise(s); move or delete them first, or set force to delete "
                              "the subtree and the memberships on it"));
}

absl::Status CheckDepartmentDeletable(absl::string_view department_name,
                                      const std::vector<std::string>& chain_ids) {
  if (chain_ids.empty()) return absl::OkStatus();
  std::vector<std::string> chains;
  for (const auto& id : chain_ids) chains.push_back(ChainName{id}.String());
  return FailedPrecondition(
      department_name, absl::StrCat("is lead department or member unit of ",
                                    absl::StrJoin(chains, ", "), "; remove it from them first"));
}

}  // namespace chainhub::registry
