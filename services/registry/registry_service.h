// chainhub.registry.v1.ChainRegistry: the gRPC surface of the chain registry. Each handler
// validates, authorizes on the resource, and runs one store transaction that writes the domain
// rows, the outbox event and the audit row together; reads go through the cache. Handlers only
// orchestrate: the rules live in the domain files (names.h, validation.h, node_tree.h,
// membership.h, deletion.h, enterprise_batch.h, province.h, chain_map.h, gap_analysis.h), the SQL
// in registry_store.h. The handlers of each resource are in <resource>_handlers.cc.
#ifndef CHAINHUB_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
#define CHAINHUB_SERVICES_REGISTRY_REGISTRY_SERVICE_H_

#include <functional>
#include <set>
#include <string>

#include <google/protobuf/repeated_ptr_field.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/clock.h"
#include "common/base/names.h"
#include "common/cache/cache.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/registry/registry_store.h"

namespace chainhub::registry {

class RegistryService final : public v1::ChainRegistry::CallbackService {
 public:
  // `relay` and `cache` may be null (tests of pure store behaviour). `clock` dates every write
  // and decides which province list is in force; it must outlive the service.
  RegistryService(Store* store, Cache* cache, OutboxRelay* relay,
                  const Clock& clock = Clock::Real());

  using Ctx = grpc::CallbackServerContext;

  grpc::ServerUnaryReactor* GetChain(Ctx*, const v1::GetChainRequest*, v1::Chain*) override;
  grpc::ServerUnaryReactor* ListChains(Ctx*, const v1::ListChainsRequest*,
                                       v1::ListChainsResponse*) override;
  grpc::ServerUnaryReactor* CreateChain(Ctx*, const v1::CreateChainRequest*, v1::Chain*) override;
  grpc::ServerUnaryReactor* UpdateChain(Ctx*, const v1::UpdateChainRequest*, v1::Chain*) override;
  grpc::ServerUnaryReactor* DeleteChain(Ctx*, const v1::DeleteChainRequest*,
                                        google::protobuf::Empty*) override;

  grpc::ServerUnaryReactor* GetDepartment(Ctx*, const v1::GetDepartmentRequest*,
                                          v1::Department*) override;
  grpc::ServerUnaryReactor* ListDepartments(Ctx*, const v1::ListDepartmentsRequest*,
                                            v1::ListDepartmentsResponse*) override;
  grpc::ServerUnaryReactor* CreateDepartment(Ctx*, const v1::CreateDepartmentRequest*,
                                             v1::Department*) override;
  grpc::ServerUnaryReactor* UpdateDepartment(Ctx*, const v1::UpdateDepartmentRequest*,
                                             v1::Department*) override;
  grpc::ServerUnaryReactor* DeleteDepartment(Ctx*, const v1::DeleteDepartmentRequest*,
                                             google::protobuf::Empty*) override;

  grpc::ServerUnaryReactor* GetNode(Ctx*, const v1::GetNodeRequest*, v1::Node*) override;
  grpc::ServerUnaryReactor* ListNodes(Ctx*, const v1::ListNodesRequest*,
                                      v1::ListNodesResponse*) override;
  grpc::ServerUnaryReactor* CreateNode(Ctx*, const v1::CreateNodeRequest*, v1::Node*) override;
  grpc::ServerUnaryReactor* UpdateNode(Ctx*, const v1::UpdateNodeRequest*, v1::Node*) override;
  grpc::ServerUnaryReactor* DeleteNode(Ctx*, const v1::DeleteNodeRequest*,
                                       google::protobuf::Empty*) override;
  grpc::ServerUnaryReactor* GetChainMap(Ctx*, const v1::GetChainMapRequest*,
                                        v1::ChainMap*) override;

  grpc::ServerUnaryReactor* GetEnterprise(Ctx*, const v1::GetEnterpriseRequest*,
                                          v1::Enterprise*) override;
  grpc::ServerUnaryReactor* ListEnterprises(Ctx*, const v1::ListEnterprisesRequest*,
                                            v1::ListEnterprisesResponse*) override;
  grpc::ServerUnaryReactor* CreateEnterprise(Ctx*, const v1::CreateEnterpriseRequest*,
                                             v1::Enterprise*) override;
  grpc::ServerUnaryReactor* UpdateEnterprise(Ctx*, const v1::UpdateEnterpriseRequest*,
                                             v1::Enterprise*) override;
  grpc::ServerUnaryReactor* DeleteEnterprise(Ctx*, const v1::DeleteEnterpriseRequest*,
                                             google::protobuf::Empty*) override;
  grpc::ServerUnaryReactor* BatchUpsertEnterprises(Ctx*, const v1::BatchUpsertEnterprisesRequest*,
                                                   v1::BatchUpsertEnterprisesResponse*) override;

  grpc::ServerUnaryReactor* ListProvinceLists(Ctx*, const v1::ListProvinceListsRequest*,
                                              v1::ListProvinceListsResponse*) override;
  grpc::ServerUnaryReactor* PutProvinceList(Ctx*, const v1::PutProvinceListRequest*,
                                            v1::ProvinceList*) override;
  grpc::ServerUnaryReactor* ListProvinceChains(Ctx*, const v1::ListProvinceChainsRequest*,
                                               v1::ListProvinceChainsResponse*) override;
  grpc::ServerUnaryReactor* ListChainProvinceMappings(
      Ctx*, const v1::ListChainProvinceMappingsRequest*,
      v1::ListChainProvinceMappingsResponse*) override;
  grpc::ServerUnaryReactor* SetChainProvinceMapping(Ctx*, const v1::SetChainProvinceMappingRequest*,
                                                    v1::ChainProvinceMapping*) override;
  grpc::ServerUnaryReactor* ResolveProvinceCategories(
      Ctx*, const v1::ResolveProvinceCategoriesRequest*,
      v1::ResolveProvinceCategoriesResponse*) override;

  grpc::ServerUnaryReactor* AnalyzeGaps(Ctx*, const v1::AnalyzeGapsRequest*,
                                        v1::GapReport*) override;

  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;

 private:
  // Runs `fn` in one write transaction; after the commit, wakes the outbox relay and
  // invalidates the cache namespaces `fn` added to `invalidate`.
  absl::Status Mutate(const std::function<absl::Status(SqlTx&, RegistryTx&,
                                                       std::set<std::string>& invalidate)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(RegistryTx&)>& fn);
  // That every id of a province category override is a chain of some province list.
  absl::Status CheckProvinceIds(RegistryTx& db,
                                const google::protobuf::RepeatedPtrField<std::string>& ids,
                                const std::string& field);

  // chain_handlers.cc
  // What GetChain and GetChainMap serve (and cache): the chain as decorated, its map.
  absl::StatusOr<v1::Chain> LoadChain(const ChainName& name);
  absl::StatusOr<v1::ChainMap> LoadChainMap(const ChainName& name);
  // The stored chain with its province_categories for today.
  absl::StatusOr<v1::Chain> DecoratedChain(RegistryTx& db, const std::string& id);
  // Fills the chain's output-only province_categories for today.
  absl::Status DecorateChain(RegistryTx& db, v1::Chain* chain);
  // That the departments a chain names exist.
  absl::Status CheckChainReferences(RegistryTx& db, const v1::Chain& c);

  // enterprise_handlers.cc
  // Inserts `enterprise`, or replaces `existing` (as stored, read in this transaction) with it,
  // as `call`'s principal may, with its event and audit row.
  absl::StatusOr<v1::Enterprise> WriteEnterprise(SqlTx& tx, RegistryTx& db,
                                                 const AuthorizedCall& call,
                                                 v1::Enterprise enterprise,
                                                 const std::optional<v1::Enterprise>& existing,
                                                 absl::string_view audit_detail,
                                                 std::set<std::string>& invalidate);
  // Cross-resource checks of an enterprise: its nodes and province categories exist. A batch
  // passes `missing_nodes`, the nodes of all its rows looked up once, found missing.
  absl::Status CheckEnterpriseReferences(RegistryTx& db, const v1::Enterprise& e,
                                         const std::string& prefix,
                                         const std::set<std::string>* missing_nodes = nullptr);

  Store* store_;
  Cache* cache_;
  OutboxRelay* relay_;
  const Clock& clock_;
};

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_REGISTRY_SERVICE_H_
