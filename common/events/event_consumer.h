// The consuming side of the event stream: one consumer group per consuming service on
// `chainhub:events`, with exactly-once effect. Each event is applied in a store transaction
// together with an inbox row keyed by (group, event id); a redelivered event finds its inbox row
// and has no second effect. Consecutive entries of one read are applied together, up to 128 in
// one transaction (one commit instead of one per event); when that transaction fails, nothing of
// it stays and they are applied one by one. The entry is XACKed after the commit. Entries left
// pending by a dead consumer (idle longer than claim_idle) are taken over with XAUTOCLAIM. Redis
// being down only pauses consumption; it resumes where the group left off.
//
// A consumer declares the event types it handles (EventHandlers, type → handler). An event of any
// other type is never silently dropped: it is counted
// (chainhub_events_unhandled_total{group,type}), logged once per type, recorded in the inbox as
// 'unhandled' and acknowledged. Inbox rows older than inbox_retention are pruned, in step with the
// stream's own retention.
#ifndef CHAINHUB_COMMON_EVENT_CONSUMER_H_
#define CHAINHUB_COMMON_EVENT_CONSUMER_H_

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "common/store/store.h"

namespace chainhub {

struct EventConsumerOptions {
  std::string stream = std::string(kEventStream);
  // Consumer group, one per consuming service, e.g. "intake". Required.
  std::string group;
  // This process within the group; defaults to "<hostname>-<pid>".
  std::string consumer;
  // Where a new group starts: "0" reads the stream's whole history, "$" only new entries.
  std::string start_id = "0";
  int batch_size = 128;
  // XREADGROUP BLOCK; capped at 3/4 of the Redis client's command timeout so a quiet stream does
  // not read as Redis being down. Zero: no BLOCK, and the thread pauses retry_delay when idle.
  absl::Duration block = absl::Milliseconds(500);
  // Pending entries idle this long belong to a dead consumer and are claimed.
  absl::Duration claim_idle = absl::Seconds(30);
  // Pause after an error (Redis down, a transient store error).
  absl::Duration retry_delay = absl::Milliseconds(500);
  // Inbox rows of the group older than this are pruned (--event_retention). A redelivery can only
  // come from the stream, whose acknowledged entries are trimmed after the same retention.
  absl::Duration inbox_retention = absl::Hours(24 * 7);
  // Called after each event applied (not a duplicate) is committed, on the consumer's thread: a
  // handler's writes that others must be told of (an outbox to publish, a queue to send) are
  // visible from then on.
  std::function<void()> on_committed;
  // Stamps inbox rows and sets the pruning cutoff (not owned). Polling, claiming and lag
  // measurement pace the process and run on the real clock.
  const Clock* clock = &Clock::Real();
};

// Applies one event inside the store transaction that also writes its inbox row. Returning an
// error rolls both back: INVALID_ARGUMENT or DATA_LOSS (an event this consumer can never apply,
// e.g. a payload that does not unpack) is logged, counted, recorded in the inbox as skipped and
// acknowledged; any other error leaves the entry pending for a later retry.
using EventHandler = std::function<absl::Status(SqlTx&, const CloudEvent&)>;

// The event types a consumer handles, by CloudEvents type (use EventType(kind) for the keys).
using EventHandlers = std::map<std::string, EventHandler, std::less<>>;

class EventConsumer {
 public:
  // `store` must have the common migrations applied (they create the inbox table).
  EventConsumer(Store* store, RedisClient* redis, EventConsumerOptions options,
                EventHandlers handlers);
  ~EventConsumer();

  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;

  // Runs PollOnce in a thread until Stop (pausing retry_delay after an error), and PruneInbox every
  // few minutes. Stop returns within about one `block`. Do not call PollOnce yourself while the
  // thread runs.
  void Start();
  void Stop();

  // One round: creates the group if needed (re-creates it if Redis lost it), then handles the
  // first non-empty of: this consumer's own pending entries, stale entries claimed from other
  // consumers, new entries (blocking up to options.block). Applies and acknowledges them in
  // stream order. Returns how many entries it handled (applied, duplicate or skipped), or the
  // error that stopped it (Redis unreachable, a handler's transient error); what was not handled
  // stays pending and is retried by the next round.
  absl::StatusOr<int> PollOnce();

  // Deletes the group's inbox rows older than inbox_retention; returns how many.
  absl::StatusOr<int64_t> PruneInbox();

  // Events applied (not counting duplicates) since start.
  int64_t applied() const { return applied_.load(); }
  // Entries in the stream not yet delivered to the group, as last measured (XINFO GROUPS lag,
  // Redis ≥ 7; -1 when unknown).
  int64_t lag() const { return lag_.load(); }

 private:
  // One stream entry as read: its fields, or `deleted` when the group still had it pending but the
  // stream no longer holds it (trimmed or deleted).
  struct Entry {
    std::string entry_id;
    std::string id;     // the `id` field (the event id as published)
    std::string event;  // the `event` field (serialized io.cloudevents.v1.CloudEvent)
    bool deleted = false;
  };

  void Run();
  // One PollOnce attempt; PollOnce runs a second one when the first found the group gone.
  absl::StatusOr<int> Round();
  absl::Status EnsureGroup();
  // Entries of an XREADGROUP / XAUTOCLAIM entry list ([[id, [field, value, ...] or nil], ...]).
  static std::vector<Entry> ParseEntries(const RedisReply& list);
  // Runs a command on the group; a NOGROUP reply marks the group for re-creation and is returned
  // as UNAVAILABLE, any other error reply as INTERNAL.
  absl::StatusOr<RedisReply> GroupCommand(const std::vector<std::string>& argv);
  // Handles `entries` in order and acknowledges the handled ones; stops at the first entry that
  // must be retried (returning why). Returns how many were handled.
  absl::StatusOr<int> HandleAll(const std::vector<Entry>& entries);
  // Applies one entry in a store transaction with its inbox row. OK when the entry is done with
  // (applied, duplicate or skipped) and may be acknowledged; an error leaves it pending.
  absl::Status Handle(const Entry& entry);
  // Records a poison entry as skipped (inbox row, log line, counter).
  absl::Status Skip(const std::string& event_id, const std::string& type, const absl::Status& why);
  // Records an event of a type no handler is declared for (inbox row, counter, a log line the
  // first time the type is seen).
  absl::Status Unhandled(const CloudEvent& event);
  void Count(absl::string_view outcome, int64_t n = 1);
  // Refreshes lag_ from XINFO GROUPS, at most once a second.
  void MeasureLag();

  Store* store_;
  RedisClient* redis_;
  EventConsumerOptions options_;
  EventHandlers handlers_;
  // XREADGROUP BLOCK, kept below the client's command timeout.
  absl::Duration block_;
  // State of the polling side; touched only by whoever calls PollOnce (one caller at a time).
  bool group_ready_ = false;
  // The group vanished (Redis lost it): it is re-created from "0", the inbox absorbs re-reads.
  bool group_lost_ = false;
  // This consumer may have pending entries (at start, after a failure): read them before new ones.
  bool own_pending_ = true;
  // Where the next XAUTOCLAIM scan of the group's pending list starts, and when.
  std::string claim_cursor_ = "0-0";
  absl::Time next_claim_ = absl::InfinitePast();
  absl::Time next_lag_ = absl::InfinitePast();
  // Unhandled types already logged (polling side only).
  std::set<std::string> unhandled_logged_;
  std::atomic<int64_t> applied_{0};
  std::atomic<int64_t> lag_{-1};
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Whether `group` has an inbox row for `event_id`, i.e. applied or skipped it (for tests and
// diagnostics).
absl::StatusOr<bool> InboxContains(SqlTx& tx, const std::string& group,
                                   const std::string& event_id);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_EVENT_CONSUMER_H_
