#include "tools/bench/intake_state.h"

#include <array>

#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::bench {
namespace {

namespace iv1 = intake::v1;

// The line stages transition_stage moves a NEGOTIATING project through, one per pass.
constexpr std::array<iv1::Stage, 4> kTransitionStages = {
    iv1::STAGE_SIGNED, iv1::STAGE_REGISTERED, iv1::STAGE_STARTED, iv1::STAGE_IN_PRODUCTION};

}  // namespace

void IntakeBenchState::SetNegotiatingProjects(std::vector<std::string> names) {
  absl::MutexLock lock(&mu_);
  negotiating_ = std::move(names);
  next_ = 0;
}

size_t IntakeBenchState::negotiating_projects() {
  absl::MutexLock lock(&mu_);
  return negotiating_.size();
}

std::pair<std::string, iv1::Stage> IntakeBenchState::NextTransition() {
  const uint64_t n = next_.fetch_add(1);
  absl::MutexLock lock(&mu_);
  if (negotiating_.empty()) return {"", iv1::STAGE_SIGNED};
  // Pass p over the pool moves every project to the p-th stage after NEGOTIATING; a project's
  // moves are a whole pass apart, so two never race. After IN_PRODUCTION the passes alternate
  // between STALLED and resuming IN_PRODUCTION (FULL_OUTPUT would be final), so a small pool
  // never runs out of legal moves.
  const uint64_t pass = n / negotiating_.size();
  iv1::Stage stage = iv1::STAGE_IN_PRODUCTION;
  if (pass < kTransitionStages.size()) {
    stage = kTransitionStages[pass];
  } else if ((pass - kTransitionStages.size()) % 2 == 0) {
    stage = iv1::STAGE_STALLED;
  }
  return {negotiating_[n % negotiating_.size()], stage};
}

void IntakeBenchState::ConnectRedis(const std::string& address) {
  auto options = ParseRedisAddress(address);
  if (!options.ok()) return;
  redis_ = std::make_unique<RedisClient>(*options);
  cache_ = std::make_unique<Cache>(redis_.get(), "intake");
}

bool IntakeBenchState::InvalidatePvSummary() {
  if (redis_ == nullptr) return false;
  cache_->Invalidate(kPvSummaryNs);
  return redis_->up();
}

}  // namespace chainhub::bench
