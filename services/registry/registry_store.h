// The registry's data: SQL over the tables of migrations/0001_registry.sql. RegistryTx wraps one
// store transaction, so a handler composes reads, writes, the outbox row and the audit row in one
// commit. Resources are stored as protobuf beside the columns filters and orderings use; reads
// fill each resource's output-only fields (etag, times, memberships). The filter fields and
// orderings of the List methods are declared here too, beside the SQL they compile into.
#ifndef CHAINHUB_SERVICES_REGISTRY_REGISTRY_STORE_H_
#define CHAINHUB_SERVICES_REGISTRY_REGISTRY_STORE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/store/filter.h"
#include "common/store/list_query.h"
#include "common/store/store.h"
#include "services/registry/chain_map.h"
#include "services/registry/node_tree.h"

namespace chainhub::registry {

// --- What each List method filters on and orders by ------------------------------------------
// A filter field maps to a column of the listed table or an EXISTS over the tables beside it; an
// ordering to columns ending in a unique one (keyset pagination).

// ListChains: status, display_name, lead_department, target_output_yuan, host_counties; ordered
// by name (default), display_name or target_output_yuan.
const std::map<std::string, FilterField>& ChainFilterFields();
absl::StatusOr<OrderSpec> ChainOrder(absl::string_view order_by);

// ListNodes: segment, parent (a node name, or "" for roots), display_name; in map order.
const std::map<std::string, FilterField>& NodeFilterFields();
OrderSpec NodeOrder();

// ListDepartments: display_name, short_name; by id.
const std::map<std::string, FilterField>& DepartmentFilterFields();
OrderSpec DepartmentOrder();

// ListEnterprises: chain, node, label (memberships and labels), county, park, display_name,
// credit_code, annual_output_yuan, synthetic; ordered by credit_code (default), display_name or
// annual_output_yuan.
const std::map<std::string, FilterField>& EnterpriseFilterFields();
absl::StatusOr<OrderSpec> EnterpriseOrder(absl::string_view order_by);

// --- One transaction ---------------------------------------------------------------------------

class RegistryTx {
 public:
  explicit RegistryTx(SqlTx& tx) : tx_(tx) {}

  // Departments.
  absl::StatusOr<v1::Department> GetDepartment(const std::string& id);
  absl::StatusOr<bool> DepartmentExists(const std::string& id);
  absl::Status InsertDepartment(const std::string& id, v1::Department d, absl::Time now);
  absl::Status UpdateDepartment(const std::string& id, v1::Department d, absl::Time now);
  absl::Status DeleteDepartment(const std::string& id);
  absl::StatusOr<std::vector<Keyed<v1::Department>>> ListDepartments(const PageQuery& q);
  absl::StatusOr<std::vector<std::string>> ChainsReferencingDepartment(const std::string& id);

  // Chains. Stored without province_categories (computed on read by the service).
  absl::StatusOr<v1::Chain> GetChain(const std::string& id);
  absl::StatusOr<bool> ChainExists(const std::string& id);
  absl::Status InsertChain(const std::string& id, v1::Chain c, absl::Time now);
  absl::Status UpdateChain(const std::string& id, v1::Chain c, absl::Time now);
  // Deletes the chain, its nodes, the memberships on them and its province mappings; returns the
  // credit codes of enterprises whose memberships changed.
  absl::StatusOr<std::vector<std::string>> DeleteChain(const std::string& id);
  absl::StatusOr<std::vector<Keyed<v1::Chain>>> ListChains(const PageQuery& q);
  absl::StatusOr<int64_t> CountChains(const CompiledFilter& filter);
  absl::StatusOr<int64_t> CountNodes(const std::string& chain_id);
  absl::StatusOr<int64_t> CountMemberships(const std::string& chain_id);

  // Nodes.
  absl::StatusOr<v1::Node> GetNode(const std::string& chain_id, const std::string& node_id);
  absl::Status InsertNode(const std::string& chain_id, const std::string& node_id, v1::Node n,
                          absl::Time now);
  absl::Status UpdateNode(const std::string& chain_id, const std::string& node_id, v1::Node n,
                          absl::Time now);
  // The parent of every node of a chain, for CheckParent.
  absl::StatusOr<NodeParents> ParentsOfNodes(const std::string& chain_id);
  // All nodes of a chain (any order); every chain when chain_id is empty.
  absl::StatusOr<std::vector<v1::Node>> AllNodes(const std::string& chain_id);
  absl::StatusOr<std::vector<Keyed<v1::Node>>> ListNodes(const std::string& chain_id,
                                                         const PageQuery& q);
  // Deletes the nodes and the memberships on them; returns the affected credit codes.
  absl::StatusOr<std::vector<std::string>> DeleteNodes(const std::string& chain_id,
                                                       const std::vector<std::string>& node_ids);
  absl::StatusOr<int64_t> CountNodeMemberships(const std::string& chain_id,
                                               const std::string& node_id);

  // Enterprises.
  absl::StatusOr<v1::Enterprise> GetEnterprise(const std::string& credit_code);
  absl::StatusOr<std::optional<v1::Enterprise>> FindEnterprise(const std::string& credit_code);
  // The enterprises of `credit_codes` that exist, by credit code, in two queries.
  absl::StatusOr<std::map<std::string, v1::Enterprise>> FindEnterprises(
      const std::set<std::string>& credit_codes);
  // Inserts `e`, or replaces `existing` with it (labels and memberships too, their rows rewritten
  // only when they changed); returns it as stored, with its version, memberships in stored order.
  absl::StatusOr<v1::Enterprise> PutEnterprise(v1::Enterprise e, const v1::Enterprise* existing,
                                               absl::Time now);
  absl::Status DeleteEnterprise(const std::string& credit_code);
  absl::StatusOr<std::vector<Keyed<v1::Enterprise>>> ListEnterprises(const PageQuery& q);
  // Enterprises with a membership on `chain_id` (every chain when empty), as the map sees them.
  absl::StatusOr<std::vector<MapFirm>> MapFirms(const std::string& chain_id);
  // Which of `node_names` (chains/x/nodes/y) do not exist.
  absl::StatusOr<std::vector<std::string>> MissingNodes(const std::vector<std::string>& node_names);

  // Province taxonomy.
  absl::StatusOr<std::vector<v1::ProvinceList>> ProvinceLists();
  absl::Status PutProvinceList(const std::string& version, v1::ProvinceList l, absl::Time now);
  absl::StatusOr<std::vector<v1::ChainProvinceMapping>> Mappings(const std::string& chain_id,
                                                                 const std::string& version);
  absl::Status PutMapping(const std::string& chain_id, const v1::ChainProvinceMapping& m);

 private:
  SqlTx& tx_;
};

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_REGISTRY_STORE_H_
