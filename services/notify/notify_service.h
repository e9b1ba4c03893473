// chainhub.notify.v1.Notifier: the gRPC surface of notifications. Each handler validates,
// authorizes, and runs one store transaction; a write appends its audit row and its event in the
// same transaction. Handlers live one file per resource: notice_handlers.cc (notices and who has
// signed) and inbox_handlers.cc (the caller's inbox, read, acknowledge), watch_handlers.cc (the
// inbox as a stream, through the InboxWatchHub of watch_hub.h); the rules they apply are in
// recipients.h, notices.h and watch.h, the SQL in notify_store.h.
//
// Not served yet (UNIMPLEMENTED, the gRPC default): subscriptions, endpoints and dispatches
// (docs/notify.md, Status).
#ifndef CHAINHUB_SERVICES_NOTIFY_NOTIFY_SERVICE_H_
#define CHAINHUB_SERVICES_NOTIFY_NOTIFY_SERVICE_H_

#include <functional>
#include <memory>

#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/notify/notify_store.h"
#include "services/notify/watch_hub.h"

namespace chainhub::notify {

class NotifyService final : public v1::Notifier::CallbackService {
 public:
  // `relay` may be null; `clock` tells the time of every write and deadline.
  NotifyService(Store* store, OutboxRelay* relay, const Clock& clock);

  using Ctx = grpc::CallbackServerContext;

  grpc::ServerUnaryReactor* SendNotice(Ctx*, const v1::SendNoticeRequest*, v1::Notice*) override;
  grpc::ServerUnaryReactor* GetNotice(Ctx*, const v1::GetNoticeRequest*, v1::Notice*) override;
  grpc::ServerUnaryReactor* ListNotices(Ctx*, const v1::ListNoticesRequest*,
                                        v1::ListNoticesResponse*) override;
  grpc::ServerUnaryReactor* ListDeliveries(Ctx*, const v1::ListDeliveriesRequest*,
                                           v1::ListDeliveriesResponse*) override;
  grpc::ServerUnaryReactor* ListInbox(Ctx*, const v1::ListInboxRequest*,
                                      v1::ListInboxResponse*) override;
  grpc::ServerUnaryReactor* MarkRead(Ctx*, const v1::MarkReadRequest*, v1::Delivery*) override;
  grpc::ServerUnaryReactor* AcknowledgeDelivery(Ctx*, const v1::AcknowledgeDeliveryRequest*,
                                                v1::Delivery*) override;
  grpc::ServerWriteReactor<v1::WatchInboxResponse>* WatchInbox(
      Ctx*, const v1::WatchInboxRequest*) override;
  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;

  // Ends every WatchInbox stream (UNAVAILABLE: reconnect) and refuses new ones. The host calls it
  // when draining starts (ServiceHost::OnDrain), so open streams do not hold up the shutdown.
  void DrainWatches();

 private:
  // Runs `fn` in one write transaction; wakes the relay after the commit.
  absl::Status Mutate(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn);

  Store* store_;
  OutboxRelay* relay_;
  const Clock& clock_;
  std::unique_ptr<InboxWatchHub> watch_hub_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_NOTIFY_SERVICE_H_
