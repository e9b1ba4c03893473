// chainhub.notify.v1.Notifier: the gRPC surface of notifications. Each handler validates,
// authorizes, and runs one store transaction; a write appends its audit row and its event in the
// same transaction. Handlers live one file per resource: notice_handlers.cc (notices and who has
// signed) and inbox_handlers.cc (the caller's inbox, read, acknowledge), watch_handlers.cc (the
// inbox as a stream, through the InboxWatchHub of watch_hub.h); the rules they apply are in
// recipients.h, notices.h and watch.h, the SQL in notify_store.h.
//
// Endpoints and dispatches are the Dispatcher's (delivery/dispatcher.h): endpoint_handlers.cc
// hands those calls to it, and every delivery made here is handed to its queue in the same
// transaction.
//
// Subscriptions (subscription_handlers.cc) are the rules ApplyEvent (rules.cc) runs on every event
// the `notify` consumer group reads: each matching rule makes one notice in the event's own
// transaction, so an event never makes two.
//
// WatchInbox (watch_handlers.cc) streams the caller's new deliveries from the InboxWatchHub,
// which every commit here wakes.
#ifndef CHAINHUB_SERVICES_NOTIFY_NOTIFY_SERVICE_H_
#define CHAINHUB_SERVICES_NOTIFY_NOTIFY_SERVICE_H_

#include <functional>
#include <memory>

#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/event_consumer.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/notify/delivery/dispatcher.h"
#include "services/notify/notify_store.h"
#include "services/notify/recipients.h"
#include "services/notify/watch_hub.h"

namespace chainhub::notify {

class NotifyService final : public v1::Notifier::CallbackService {
 public:
  // `relay` may be null; `clock` tells the time of every write and deadline. `dispatcher` (may be
  // null: the inbox only) sends deliveries on to their recipients' endpoints. `watch` tunes
  // WatchInbox's hub.
  NotifyService(Store* store, OutboxRelay* relay, const Clock& clock,
                Dispatcher* dispatcher = nullptr, InboxWatchHub::Options watch = {});

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

  grpc::ServerUnaryReactor* CreateSubscription(Ctx*, const v1::CreateSubscriptionRequest*,
                                               v1::Subscription*) override;
  grpc::ServerUnaryReactor* GetSubscription(Ctx*, const v1::GetSubscriptionRequest*,
                                            v1::Subscription*) override;
  grpc::ServerUnaryReactor* ListSubscriptions(Ctx*, const v1::ListSubscriptionsRequest*,
                                              v1::ListSubscriptionsResponse*) override;
  grpc::ServerUnaryReactor* UpdateSubscription(Ctx*, const v1::UpdateSubscriptionRequest*,
                                               v1::Subscription*) override;
  grpc::ServerUnaryReactor* DeleteSubscription(Ctx*, const v1::DeleteSubscriptionRequest*,
                                               google::protobuf::Empty*) override;

  grpc::ServerUnaryReactor* CreateEndpoint(Ctx*, const v1::CreateEndpointRequest*,
                                           v1::Endpoint*) override;
  grpc::ServerUnaryReactor* GetEndpoint(Ctx*, const v1::GetEndpointRequest*,
                                        v1::Endpoint*) override;
  grpc::ServerUnaryReactor* ListEndpoints(Ctx*, const v1::ListEndpointsRequest*,
                                          v1::ListEndpointsResponse*) override;
  grpc::ServerUnaryReactor* UpdateEndpoint(Ctx*, const v1::UpdateEndpointRequest*,
                                           v1::Endpoint*) override;
  grpc::ServerUnaryReactor* DeleteEndpoint(Ctx*, const v1::DeleteEndpointRequest*,
                                           google::protobuf::Empty*) override;
  grpc::ServerUnaryReactor* RotateEndpointSecret(Ctx*, const v1::RotateEndpointSecretRequest*,
                                                 v1::Endpoint*) override;
  grpc::ServerUnaryReactor* ResumeEndpoint(Ctx*, const v1::ResumeEndpointRequest*,
                                           v1::Endpoint*) override;
  grpc::ServerUnaryReactor* GetDispatch(Ctx*, const v1::GetDispatchRequest*,
                                        v1::Dispatch*) override;
  grpc::ServerUnaryReactor* ListDispatches(Ctx*, const v1::ListDispatchesRequest*,
                                           v1::ListDispatchesResponse*) override;
  grpc::ServerUnaryReactor* Redeliver(Ctx*, const v1::RedeliverRequest*, v1::Dispatch*) override;

  // Runs the enabled subscriptions of `event`'s type on it, inside the consumer's transaction:
  // each whose filter matches makes a notice (sender the subscription, source_event the event id)
  // to the recipients it names, with its template's title and body. An event whose payload does
  // not decode is INVALID_ARGUMENT (the consumer skips it).
  absl::Status ApplyEvent(SqlTx& tx, const CloudEvent& event);
  // A handler calling ApplyEvent for every event type chainhub publishes, for the `notify`
  // consumer group.
  EventHandlers RuleHandlers();
  // After a write commits (Mutate's, or a consumer's): publish its events, send its dispatches,
  // show its deliveries to the watchers.
  void Committed();

  // What one sweep changed (sweeper.h).
  struct SweepResult {
    int overdue = 0;
    int escalated = 0;
  };
  // Marks at most `batch` deliveries past their receipt deadline OVERDUE and escalates the
  // supervision letters among them (sweeper.cc), in one transaction.
  absl::StatusOr<SweepResult> SweepOnce(int batch = 500);
  // Turns at most `batch` digest windows that have ended into their notices (digests.h), in one
  // transaction; returns how many notices it made.
  absl::StatusOr<int> FlushDigests(int batch = 100);

  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;

  // Ends every WatchInbox stream (UNAVAILABLE: reconnect) and refuses new ones. The host calls it
  // when draining starts (ServiceHost::OnDrain), so open streams do not hold up the shutdown.
  void DrainWatches();

 private:
  // Runs `fn` in one write transaction; wakes the relay after the commit.
  absl::Status Mutate(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(SqlTx&, NotifyTx&)>& fn);
  // Inside a write: stores `notice` (name, sender and the rest already set) as notices/{id}, one
  // DELIVERED delivery per recipient in inbox order, and a dispatch per endpoint of each
  // recipient. Returns the notice as stored, with its counts.
  // Dispatches wait until `not_before` (quiet hours).
  absl::StatusOr<v1::Notice> MakeNotice(SqlTx& tx, NotifyTx& db, const std::string& id,
                                        const v1::Notice& notice,
                                        const std::vector<Recipient>& recipients, absl::Time now,
                                        absl::Time not_before = absl::InfinitePast());
  // The dispatcher, or FAILED_PRECONDITION when this server runs without one.
  absl::StatusOr<Dispatcher*> RequireDispatcher() const;

  Store* store_;
  OutboxRelay* relay_;
  const Clock& clock_;
  Dispatcher* dispatcher_;
  std::unique_ptr<InboxWatchHub> watch_hub_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_NOTIFY_SERVICE_H_
