// chainhub-notify's figures (docs/notify.md): a notice to 1,000 inboxes (SendNotice's latency:
// its deliveries are committed when it returns), an event committed on the stream until its
// webhook reaches a local receiver (at a steady rate), how many signed webhooks a second the
// dispatcher delivers to that receiver, and a notice reaching 500 open WatchInbox streams.
#ifndef CHAINHUB_TOOLS_BENCH_NOTIFY_BENCH_H_
#define CHAINHUB_TOOLS_BENCH_NOTIFY_BENCH_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "tools/bench/latency.h"

namespace chainhub::bench {

struct NotifyFigures {
  // SendNotice of one notice to `fanout_recipients` recipients (each its own inbox delivery).
  int fanout_recipients = 0;
  LatencyFigures fanout;
  // project.light_changed events XADDed at `event_rate` a second, each matched by a
  // subscription whose recipient has a webhook endpoint: from the XADD until the receiver has the
  // webhook.
  double event_rate = 0;
  LatencyFigures event_to_webhook;
  // A burst of notices to recipients with webhook endpoints: webhooks received per second, from
  // the first send until the last arrives.
  int webhooks = 0;
  double webhooks_per_second = 0;
  // `watchers` departments each with a WatchInbox stream open: from SendNotice (to all of them)
  // until each stream has the delivery. 0 when not measured.
  int watchers = 0;
  LatencyFigures watch;
};

// Runs the three measurements against a chainhub-notify at `notify` (admin `authorization`),
// publishing events on the Redis at `redis_address`. `events` is how many events the latency
// pass publishes (the burst sends as many webhooks).
// `watchers` (at most 1,000; 0 skips it) departments, whose tokens `department_token` mints from
// their subject, watch their inboxes for the last measurement.
absl::StatusOr<NotifyFigures> MeasureNotify(
    const std::string& target, const std::string& authorization, const std::string& redis_address,
    int events, int watchers,
    const std::function<absl::StatusOr<std::string>(const std::string&)>& department_token);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_NOTIFY_BENCH_H_
