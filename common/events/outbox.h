// The transactional outbox. A service writes each event row in the same store transaction as the
// change it describes (AppendEvent); the relay publishes unpublished rows, in order, to the Redis
// stream `chainhub:events` and marks them published. Publication is deduplicated by event id in
// Redis itself (a Lua script sets `chainhub:published:<id>` and XADDs atomically), so a relay that
// dies between XADD and marking the row publishes each event exactly once. No event is lost across
// Redis outages or a crash: rows stay until published. Each entry carries the fields `id`, `type`
// and `event` (a CloudEvent in the CloudEvents protobuf format, docs/events.md).
//
// Redis acknowledges an XADD before it reaches the disk (appendfsync everysec): a crash of its host
// can lose the last second. Each row records the run of Redis it was published to (INFO server
// run_id); when the relay finds Redis answering as a different run (every restart), rows published
// to another run within `republish_window` of the newest of them are published again, in order.
// Their dedupe keys vanished with whatever was lost, so each lost event is published once, and a
// Redis that lost nothing drops them all.
//
// The relay also keeps the stream bounded (TrimStream): entries older than the retention that every
// consumer group has been delivered and has acknowledged are trimmed. It runs in every publishing
// process; the trim is one Lua script, atomic in Redis, so replicas trimming at once are safe.
#ifndef CHAINHUB_COMMON_OUTBOX_H_
#define CHAINHUB_COMMON_OUTBOX_H_

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/store/store.h"

namespace chainhub {

inline constexpr absl::string_view kEventStream = "chainhub:events";

// Fills id (UUIDv7), spec_version and time (from `clock`) when unset, then inserts the row.
// INVALID_ARGUMENT without a type. Call inside Store::Write.
absl::Status AppendEvent(SqlTx& tx, CloudEvent event, const Clock& clock = Clock::Real());

// What one TrimStream pass did.
struct StreamTrim {
  int64_t trimmed = 0;  // entries removed
  int64_t length = 0;   // entries left
  // Everything below this entry id is gone (the XTRIM MINID used), "0-0" when nothing qualified.
  std::string min_id;
};

struct OutboxRelayOptions {
  std::string stream = std::string(kEventStream);
  int batch_size = 256;
  // How often the relay looks for rows when nobody calls Notify (and the retry period while
  // Redis is down).
  absl::Duration poll_interval = absl::Milliseconds(250);
  // Published rows are deleted after this long, and stream entries every consumer group has been
  // delivered and has acknowledged are trimmed once this old (--event_retention).
  absl::Duration retention = absl::Hours(24 * 7);
  // How long Redis remembers a published id (must exceed any outage the outbox can ride out).
  absl::Duration dedupe_ttl = absl::Hours(24 * 7);
  // After Redis restarts, rows published to its previous run this long before the newest of them
  // are published again (a second of appendfsync everysec, with room for a slow disk).
  absl::Duration republish_window = absl::Seconds(10);
  // How often an idle relay asks Redis for its run id (so a restart is noticed with no new rows).
  absl::Duration run_check_interval = absl::Seconds(1);
  // Stamps published rows and sets the retention cutoff (not owned).
  const Clock* clock = &Clock::Real();
};

class OutboxRelay {
 public:
  OutboxRelay(Store* store, RedisClient* redis, OutboxRelayOptions options = {});
  ~OutboxRelay();

  void Start();
  // Publishes what it can, then stops the thread.
  void Stop();
  // Wakes the relay after a commit that appended events.
  void Notify();
  // Publishes one batch now (also used by tests); returns how many rows were published.
  absl::StatusOr<int> PublishBatch();
  // Trims the stream's entries older than the retention (by the Redis clock that made their ids),
  // never past any group's oldest pending entry nor past its last-delivered id: what a group has
  // not read or not acknowledged stays. With no group at all, only the retention applies.
  absl::StatusOr<StreamTrim> TrimStream();
  // Unpublished rows, as last counted.
  int64_t backlog() const { return backlog_.load(); }

 private:
  void Run();
  // When `run` is not the Redis run the relay last published to: marks the rows published to
  // another run within the window as unpublished again. Returns how many.
  absl::StatusOr<int64_t> RepublishAfterRestart(const std::string& run);
  // Deletes old published rows and trims the stream (every few minutes, from Run).
  void CleanUp();

  Store* store_;
  RedisClient* redis_;
  OutboxRelayOptions options_;
  std::atomic<int64_t> backlog_{0};
  // One PublishBatch at a time (the relay thread, or a test calling it).
  absl::Mutex publish_mu_;
  // The Redis run this relay has checked its rows against; empty until the first check.
  std::string known_run_ ABSL_GUARDED_BY(publish_mu_);
  absl::Time next_run_check_ ABSL_GUARDED_BY(publish_mu_) = absl::InfinitePast();
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_OUTBOX_H_
