// The plumbing every handler file of RegistryService shares: construction, the write and read
// transactions, the province override check nodes and enterprises both make, and the audit log.
#include "services/registry/registry_service.h"

#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "services/registry/internal/handler_support.h"
#include "services/registry/province.h"

namespace chainhub::registry {

RegistryService::RegistryService(Store* store, Cache* cache, OutboxRelay* relay, const Clock& clock)
    : store_(store), cache_(cache), relay_(relay), clock_(clock) {}

absl::Status RegistryService::Mutate(
    const std::function<absl::Status(SqlTx&, RegistryTx&, std::set<std::string>&)>& fn) {
  return WriteThenPublish<RegistryTx>(*store_, relay_, cache_, fn, {registry::internal::kEnterpriseListNs});
}

absl::Status RegistryService::ReadTx(const std::function<absl::Status(RegistryTx&)>& fn) {
  return ReadSnapshot<RegistryTx>(*store_, fn);
}

absl::Status RegistryService::CheckProvinceIds(
    RegistryTx& db, const google::protobuf::RepeatedPtrField<std::string>& ids,
    const std::string& field) {
  if (ids.empty()) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
  return CheckOverrideIds(lists, ids, field);
}

grpc::ServerUnaryReactor* RegistryService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::registry
