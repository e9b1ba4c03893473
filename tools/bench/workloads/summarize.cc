// summarize_warm, summarize_cold: pv's project summary from the Redis cache, and computed from the
// store on every call.
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "tools/bench/data_set.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {
namespace {

namespace iv1 = intake::v1;

iv1::SummarizeProjectsRequest PvSummaryRequest(const IntakeBenchState& state) {
  iv1::SummarizeProjectsRequest request;
  request.set_chain(BenchChain());
  request.set_period(state.period());
  return request;
}

std::string CheckSummary(const iv1::ProjectSummary& summary) {
  if (summary.projects().count() == 0) return "a summary of no projects (not loaded?)";
  return "";
}

Workload SummarizeWarm(const WorkloadContext& context) {
  Workload w;
  w.spec.method = absl::StrCat(kIntakeService, "SummarizeProjects");
  w.spec.make_request = [request = PvSummaryRequest(*context.intake)](uint64_t) {
    return ToByteBuffer(request);
  };
  w.spec.check_response = Checking<iv1::ProjectSummary>(CheckSummary);
  w.spec.check_every = 64;
  w.note =
      "summarize_warm: SummarizeProjects(chains/pv, this year) answered from the cache "
      "(filled by the probe call; nothing writes projects meanwhile)";
  return w;
}

Workload SummarizeCold(const WorkloadContext& context) {
  Workload w;
  w.spec.method = absl::StrCat(kIntakeService, "SummarizeProjects");
  w.spec.make_request = [state = context.intake,
                         request = PvSummaryRequest(*context.intake)](uint64_t) {
    state->InvalidatePvSummary();
    // The version bump is synchronous; the intake's near tier drops its copy when the
    // invalidation message reaches it (about 1 ms, the bench's replica lag): wait that out so the
    // call cannot be answered from memory. Not part of the call's latency.
    absl::SleepFor(absl::Milliseconds(5));
    return ToByteBuffer(request);
  };
  w.spec.check_response = Checking<iv1::ProjectSummary>(CheckSummary);
  w.spec.check_every = 1;
  // With one call in flight no other call can fill the new cache version before this one reads
  // it: every call computes the summary from the store.
  w.max_inflight = 1;
  w.precondition = [state = context.intake]() -> absl::Status {
    if (state->has_redis()) return absl::OkStatus();
    return absl::FailedPreconditionError(
        "needs the intake's Redis to invalidate the summary cache (--redis=HOST:PORT)");
  };
  w.note =
      "summarize_cold: the same call with the cache invalidated before each one (the pv summary "
      "namespace, as a project write on pv does) and 1 call in flight, so every call "
      "computes the summary of all of pv's projects from SQLite";
  return w;
}

}  // namespace

std::vector<WorkloadRow> SummarizeWorkloads() {
  return {{.name = "summarize_warm", .target = Target::kIntake, .make = SummarizeWarm},
          {.name = "summarize_cold", .target = Target::kIntake, .make = SummarizeCold}};
}

}  // namespace chainhub::bench
