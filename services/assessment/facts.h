// The facts side of chainhub-assessment: the event handlers of consumer group `assessment` that
// keep the versioned facts (fact_versions.h) current with exactly-once effect, and FactsKeeper,
// which backfills the facts from intake and the registry (backfill.h) when the store has never
// been backfilled (or on demand) and then consumes from a stream position taken BEFORE the
// backfill began: what the backfill saw is not counted twice (identical versions collapse) and
// what it missed is consumed.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_FACTS_H_
#define CHAINHUB_SERVICES_ASSESSMENT_FACTS_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/base/clock.h"
#include "common/cache/redis_client.h"
#include "common/events/event_consumer.h"
#include "common/store/store.h"
#include "services/assessment/backfill.h"

namespace chainhub::assessment {

namespace v1 = ::chainhub::assessment::v1;

// The consumer group the facts are fed by.
inline constexpr char kFactsGroup[] = "assessment";

// The consumer's handlers for group "assessment": project.*, issue.*, task.*, enterprise.*, chain.*
// are applied, each as a version stamped with the event's `time` (an event without one is
// INVALID_ARGUMENT: skipped); the other known types (node.*, department.*, province_list.put,
// chain.province_mapping_set, assessment.*) are declared and ignored. `on_change` (may be empty)
// is called inside the transaction whenever a fact changed; the transaction may still roll back
// (and run again), so a caller that tells others does it after the commit (FactsKeeper notes the
// change and calls its own on_change from the consumer's on_committed).
EventHandlers FactHandlers(std::function<void()> on_change);

// The backfill and the consumer, for one process.
class FactsKeeper {
 public:
  // `options.group` defaults to kFactsGroup. None of the pointers is owned.
  FactsKeeper(Store* store, RedisClient* redis, FactSources* sources, EventConsumerOptions options,
              std::function<void()> on_change, const Clock& clock);
  ~FactsKeeper();

  // Backfills when the store has never been backfilled (then starts the group at the position
  // taken before), and starts consuming. Blocks until then: Redis or a source being unreachable
  // is waited out (retrying every options.retry_delay) until it succeeds or Stop is called
  // (CANCELLED); any other error is returned.
  absl::Status Start();
  void Stop();

  // Drops every fact, backfills again and continues from a position taken before it (consumption
  // paused meanwhile; the group's inbox is cleared so the events after that position are applied
  // again, into the history). Admin's RebuildFacts. Errors are returned, not waited out; the
  // consumer resumes either way.
  absl::StatusOr<v1::FactsStatus> Rebuild();
  absl::StatusOr<v1::FactsStatus> Status();

 private:
  // Position → drop → backfill → group at position → facts_state.
  absl::Status BackfillOnce(bool clear_inbox);
  // `fn` until it returns anything but UNAVAILABLE / DEADLINE_EXCEEDED, or Stop.
  absl::Status Retrying(const std::function<absl::Status()>& fn);
  // Whether a backfill has completed (facts_state holds its time).
  absl::StatusOr<bool> Backfilled();
  void StartConsumer();
  void StopConsumer();

  Store* store_;
  RedisClient* redis_;
  FactSources* sources_;
  EventConsumerOptions options_;
  std::function<void()> on_change_;
  // Set by the handlers when a fact changed; cleared by the consumer's on_committed, which then
  // calls on_change_.
  std::shared_ptr<std::atomic<bool>> changed_ = std::make_shared<std::atomic<bool>>(false);
  const Clock& clock_;
  absl::Mutex mu_;  // one Start / Rebuild at a time; guards consumer_
  std::unique_ptr<EventConsumer> consumer_;
  // Events applied by consumers stopped since this process started.
  std::atomic<int64_t> applied_before_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_FACTS_H_
