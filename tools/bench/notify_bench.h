// chainhub-notify's figures (docs/notify.md): a notice to 500 inboxes (SendNotice's latency), an
// event committed on the stream until its webhook reaches a local receiver (at a steady rate),
// and how many signed webhooks a second the dispatcher delivers to that receiver.
#ifndef CHAINHUB_TOOLS_BENCH_NOTIFY_BENCH_H_
#define CHAINHUB_TOOLS_BENCH_NOTIFY_BENCH_H_

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
};

// Runs the three measurements against a chainhub-notify at `notify` (admin `authorization`),
// publishing events on the Redis at `redis_address`. `events` is how many events the latency
// pass publishes (the burst sends as many webhooks).
absl::StatusOr<NotifyFigures> MeasureNotify(const std::shared_ptr<grpc::Channel>& notify,
                                            const std::string& authorization,
                                            const std::string& redis_address, int events);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_NOTIFY_BENCH_H_
