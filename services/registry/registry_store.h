// The registry's data: SQL over the tables of migrations/0001_registry.sql. RegistryTx wraps one
// store transaction, so a handler composes reads, writes, the outbox row and the audit row in one
// commit. Resources are stored as protobuf beside the columns filters and orderings use; reads
// fill each resource's output-only fields (etag, times, memberships).
#ifndef CHAINHUB_SERVICES_REGISTRY_REGISTRY_STORE_H_
#define CHAINHUB_SERVICES_REGISTRY_REGISTRY_STORE_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/store/filter.h"
#include "common/store/list_query.h"
#include "common/store/store.h"
#include "services/registry/chain_map.h"

namespace chainhub::registry {

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
  // Inserts or replaces (labels and memberships too). `existed` selects revision handling.
  absl::Status PutEnterprise(v1::Enterprise e, bool existed, absl::Time now);
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
