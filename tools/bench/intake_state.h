// What the intake workloads share with the loading step: the NEGOTIATING projects that
// transition_stage moves along its stages, the Redis that summarize_cold invalidates the cache in,
// and the period the summaries are asked for.
#ifndef CHAINHUB_TOOLS_BENCH_INTAKE_STATE_H_
#define CHAINHUB_TOOLS_BENCH_INTAKE_STATE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "common/cache/cache.h"
#include "common/cache/redis_client.h"

namespace chainhub::bench {

// The intake's cache namespace of the pv summaries: invalidated through the same Cache as a
// project write on pv does (version bump and the near tiers' message).
inline constexpr char kPvSummaryNs[] = "summary:pv";

// Thread-safe.
class IntakeBenchState {
 public:
  // The pool transition_stage walks through: each pass over it moves every project one stage on
  // (SIGNED, then REGISTERED, STARTED, IN_PRODUCTION, then STALLED and back, again and again).
  void SetNegotiatingProjects(std::vector<std::string> names);
  size_t negotiating_projects();
  // The project and target stage of the next transition_stage call ("" when the pool is empty).
  std::pair<std::string, intake::v1::Stage> NextTransition();

  // The intake's Redis; summarize_cold needs it.
  void ConnectRedis(const std::string& address);
  bool has_redis() const { return redis_ != nullptr; }
  // INCR of the pv summary namespace version (what a project write on pv does): the next
  // SummarizeProjects on pv cannot find a cached answer. False when Redis did not answer.
  bool InvalidatePvSummary();

  // The current year (China time), a period that has begun: "2026".
  const std::string& period() const { return period_; }

 private:
  absl::Mutex mu_;
  std::vector<std::string> negotiating_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> next_{0};
  std::unique_ptr<RedisClient> redis_;  // set before the workloads run
  std::unique_ptr<Cache> cache_;         // the intake's cache, over redis_
  std::string period_ = absl::FormatTime("%Y", absl::Now(), absl::FixedTimeZone(8 * 3600));
};

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_INTAKE_STATE_H_
