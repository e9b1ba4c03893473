// What the handler files share: construction and the transactions.
#include "services/notify/notify_service.h"

#include "common/service/audit.h"

namespace chainhub::notify {

NotifyService::NotifyService(Store* store, OutboxRelay* relay, const Clock& clock)
    : store_(store),
      relay_(relay),
      clock_(clock),
      watch_hub_(std::make_unique<InboxWatchHub>(store)) {}

absl::Status NotifyService::Mutate(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn) {
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) {
    NotifyTx db(tx);
    return fn(tx, db);
  }));
  if (relay_ != nullptr) relay_->Notify();
  watch_hub_->Wake();
  return absl::OkStatus();
}

absl::Status NotifyService::ReadTx(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn) {
  return store_->Read([&](SqlTx& tx) {
    NotifyTx db(tx);
    return fn(tx, db);
  });
}

grpc::ServerUnaryReactor* NotifyService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::notify
