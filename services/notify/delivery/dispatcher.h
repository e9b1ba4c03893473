// Endpoints and dispatches: where a recipient's deliveries go outside the inbox, and the durable,
// at-least-once sending of each one (docs/notify.md, Channels and delivery).
//
// The service hands over every delivery it makes with Enqueue, inside the transaction that makes
// it, so a delivery and its dispatches commit together or not at all. Dispatcher's own threads
// then lease due dispatches, send them through their channel (channels.h), record every attempt,
// retry with exponential backoff and jitter for up to a day, keep each endpoint under its rate,
// pause an endpoint after repeated failure, and move a dispatch that cannot succeed to the
// dead-letter list (state DEAD, event notify.dispatch_dead). A dispatch keeps its id on every
// attempt (webhook-id), so receivers can deduplicate. Leases make it safe for several replicas on
// one PostgreSQL to run dispatchers at once.
//
// The endpoint and dispatch RPCs of chainhub.notify.v1.Notifier are answered here too: the
// service's handlers authorize nothing themselves for them and call these methods (each checks
// the caller is admin).
#ifndef CHAINHUB_SERVICES_NOTIFY_DELIVERY_DISPATCHER_H_
#define CHAINHUB_SERVICES_NOTIFY_DELIVERY_DISPATCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "common/base/clock.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"

namespace chainhub::notify {

struct DispatcherOptions {
  // URL prefixes a WEBHOOK, DINGTALK or WECOM endpoint may point at (--endpoint_allow, comma
  // separated), e.g. "https://oapi.dingtalk.com/robot/send", "https://qyapi.weixin.qq.com/",
  // "http://127.0.0.1:" (tests). An endpoint whose URL matches none is INVALID_ARGUMENT.
  std::vector<std::string> allow;
  // Every HTTP or SMTP call: connect and total timeout.
  absl::Duration attempt_timeout = absl::Seconds(10);
  // A dispatch still failing this long after it was made is DEAD.
  absl::Duration give_up_after = absl::Hours(24);
  // First retry delay; doubles per attempt (with full jitter) up to max_backoff.
  absl::Duration initial_backoff = absl::Seconds(1);
  absl::Duration max_backoff = absl::Hours(1);
  // Concurrent sends.
  int workers = 4;
  // Who holds a lease (host:pid), so a replica's leases are told apart.
  std::string holder;
  // How long a leased dispatch is left to its holder before another replica may take it.
  absl::Duration lease = absl::Seconds(60);
  // A PAUSED endpoint is probed with one due dispatch this long after it paused, then after
  // each failed probe twice as long, up to max_probe_interval; a probe that succeeds resumes it.
  absl::Duration probe_interval = absl::Seconds(30);
  absl::Duration max_probe_interval = absl::Minutes(10);
};

// One delivery (or a digest of several) to send to the endpoints of its recipient.
struct OutgoingMessage {
  // The deliveries it carries: notices/{n}/deliveries/{d}; one, or a digest's many.
  std::vector<std::string> deliveries;
  // As in Notice.recipients: which endpoints receive it.
  std::string recipient;
  v1::NoticeKind kind = v1::NOTICE_KIND_UNSPECIFIED;
  // One line; the message's title (DingTalk/WeCom title, e-mail subject).
  std::string title;
  // Markdown: the rendered text (DingTalk/WeCom markdown, e-mail body).
  std::string markdown;
  // The webhook's JSON body, as sent (the service builds it from the notice and deliveries).
  std::string webhook_json;
  // Not sent before this time (quiet hours); InfinitePast: at once.
  absl::Time not_before = absl::InfinitePast();
};

class Dispatcher {
 public:
  // `relay` (may be null) is woken after a dispatch goes DEAD so its event is published.
  Dispatcher(Store* store, OutboxRelay* relay, DispatcherOptions options, const Clock& clock);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // The migrations of the component "notify_delivery" (endpoints, dispatches, attempts).
  static const std::vector<Migration>& Migrations();

  // Inside the caller's write transaction: one QUEUED dispatch per ACTIVE or PAUSED endpoint of
  // message.recipient whose kinds admit message.kind. Returns the dispatch names (none when the
  // recipient has no endpoint). Call Wake() after the transaction commits.
  absl::StatusOr<std::vector<std::string>> Enqueue(SqlTx& tx, const OutgoingMessage& message,
                                                   absl::Time now);
  // Whether `recipient` has an ACTIVE or PAUSED endpoint (so a caller builds a message only for
  // recipients that will be sent one).
  static absl::StatusOr<bool> HasEndpoints(SqlTx& tx, const std::string& recipient);
  // Starts the worker threads; Stop() waits for the sends in flight (each bounded by the attempt
  // timeout) and leaves everything not sent QUEUED for the next start.
  void Start();
  void Stop();
  // Something new is due.
  void Wake();

  // chainhub.notify.v1.Notifier endpoint and dispatch methods (admin only).
  absl::StatusOr<v1::Endpoint> CreateEndpoint(const AuthorizedCall& call,
                                              const v1::CreateEndpointRequest& request);
  absl::StatusOr<v1::Endpoint> GetEndpoint(const AuthorizedCall& call,
                                           const v1::GetEndpointRequest& request);
  absl::StatusOr<v1::ListEndpointsResponse> ListEndpoints(const AuthorizedCall& call,
                                                          const v1::ListEndpointsRequest& request);
  absl::StatusOr<v1::Endpoint> UpdateEndpoint(const AuthorizedCall& call,
                                              const v1::UpdateEndpointRequest& request);
  absl::Status DeleteEndpoint(const AuthorizedCall& call, const v1::DeleteEndpointRequest& request);
  absl::StatusOr<v1::Endpoint> RotateEndpointSecret(const AuthorizedCall& call,
                                                    const v1::RotateEndpointSecretRequest& request);
  absl::StatusOr<v1::Endpoint> ResumeEndpoint(const AuthorizedCall& call,
                                              const v1::ResumeEndpointRequest& request);
  absl::StatusOr<v1::Dispatch> GetDispatch(const AuthorizedCall& call,
                                           const v1::GetDispatchRequest& request);
  absl::StatusOr<v1::ListDispatchesResponse> ListDispatches(
      const AuthorizedCall& call, const v1::ListDispatchesRequest& request);
  absl::StatusOr<v1::Dispatch> Redeliver(const AuthorizedCall& call,
                                         const v1::RedeliverRequest& request);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_DELIVERY_DISPATCHER_H_
