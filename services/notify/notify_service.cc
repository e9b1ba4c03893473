// What the handler files share: construction and the transactions.
#include "services/notify/notify_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/outgoing.h"

namespace chainhub::notify {

NotifyService::NotifyService(Store* store, OutboxRelay* relay, const Clock& clock,
                             Dispatcher* dispatcher, InboxWatchHub::Options watch)
    : store_(store),
      relay_(relay),
      clock_(clock),
      dispatcher_(dispatcher),
      watch_hub_(std::make_unique<InboxWatchHub>(store, std::move(watch))) {}

absl::Status NotifyService::Mutate(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn) {
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) {
    NotifyTx db(tx);
    return fn(tx, db);
  }));
  Committed();
  return absl::OkStatus();
}

void NotifyService::Committed() {
  if (relay_ != nullptr) relay_->Notify();
  if (dispatcher_ != nullptr) dispatcher_->Wake();
  watch_hub_->Wake();
}

absl::Status NotifyService::ReadTx(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn) {
  return store_->Read([&](SqlTx& tx) {
    NotifyTx db(tx);
    return fn(tx, db);
  });
}

absl::StatusOr<v1::Notice> NotifyService::MakeNotice(SqlTx& tx, NotifyTx& db, const std::string& id,
                                                     const v1::Notice& notice,
                                                     const std::vector<Recipient>& recipients,
                                                     absl::Time now, absl::Time not_before) {
  CHAINHUB_RETURN_IF_ERROR(db.InsertNotice(id, notice, now));
  CHAINHUB_ASSIGN_OR_RETURN(int64_t seq, db.ReserveSeqs(static_cast<int>(recipients.size())));
  for (const Recipient& recipient : recipients) {
    const std::string delivery_id = DeliveryIdOf(recipient);
    CHAINHUB_RETURN_IF_ERROR(
        db.InsertDelivery(id, delivery_id, recipient.String(), seq, notice, now));
    if (dispatcher_ != nullptr) {
      CHAINHUB_ASSIGN_OR_RETURN(bool has_endpoints,
                                Dispatcher::HasEndpoints(tx, recipient.String()));
      if (has_endpoints) {
        v1::Delivery delivery;
        delivery.set_name(DeliveryName{id, delivery_id}.String());
        delivery.set_recipient(recipient.String());
        delivery.set_state(v1::DELIVERED);
        CopyNoticeInto(notice, &delivery);
        SetTimestamp(delivery.mutable_deliver_time(), Micros(now));
        delivery.set_cursor(seq);
        delivery.set_etag(MakeEtag(Micros(now), 1));
        OutgoingMessage message = MessageFor(delivery, now);
        message.not_before = not_before;
        CHAINHUB_RETURN_IF_ERROR(dispatcher_->Enqueue(tx, message, now).status());
      }
    }
    ++seq;
  }
  return db.GetNotice(id);
}

absl::StatusOr<Dispatcher*> NotifyService::RequireDispatcher() const {
  if (dispatcher_ == nullptr) {
    return absl::FailedPreconditionError("this notify server sends to no endpoints");
  }
  return dispatcher_;
}

grpc::ServerUnaryReactor* NotifyService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::notify
