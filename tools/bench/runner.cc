#include "tools/bench/runner.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace chainhub::bench {
namespace {

// Says where a workload that found nothing to read or move has been pointed at data the bench
// did not seed.
absl::Status WithSeedHint(const Workload& w, const Servers& servers, absl::Status status) {
  if (status.ok() || w.target == Target::kEcho) return status;
  const bool seeded =
      w.target == Target::kRegistry ? servers.registry_seeded : servers.intake_loaded;
  if (seeded || !(absl::IsNotFound(status) || absl::IsFailedPrecondition(status))) return status;
  return absl::Status(status.code(),
                      absl::StrCat(status.message(), " (not seeded? run once with --seed=yes)"));
}

WorkloadOutcome RunOne(const Workload& w, const std::vector<std::shared_ptr<grpc::Channel>>& on,
                       const LoadOptions& options, std::ostream& log) {
  WorkloadOutcome outcome;
  outcome.name = w.name;
  outcome.inflight = options.inflight;
  log << "running " << w.name << " ..." << std::flush;
  if (w.precondition) outcome.status = w.precondition();
  // One call first: warms the caches (GetChainMap) and fails early on a broken setup.
  if (outcome.status.ok()) {
    outcome.status = ProbeCall(on[0], w.spec, options, /*seq=*/1ull << 62);
  }
  if (outcome.status.ok()) {
    auto result = RunLoad(on, w.spec, options);
    if (result.ok()) {
      outcome.result = *std::move(result);
      log << absl::StrFormat(" %.0f calls/s, p50 %.3f ms, p99 %.3f ms",
                             outcome.result->calls_per_second(), outcome.result->p50_ms,
                             outcome.result->p99_ms);
    } else {
      outcome.status = result.status();
    }
  }
  return outcome;
}

// "chainhub-intake ended during list_projects (signal 9); its log: …" when the server `w` ran on
// is no longer running; nullopt while it runs (and for the echo server, which is not watched).
std::optional<std::string> ServerGone(const Workload& w, BenchStack& stack) {
  std::optional<std::string> ended;
  std::string service, log;
  switch (w.target) {
    case Target::kEcho:
      return std::nullopt;
    case Target::kRegistry:
      ended = stack.RegistryExited();
      service = "chainhub-registry";
      log = stack.registry_log();
      break;
    case Target::kIntake:
      ended = stack.IntakeExited();
      service = "chainhub-intake";
      log = stack.intake_log();
      break;
    case Target::kAssessment:
      ended = stack.AssessmentExited();
      service = "chainhub-assessment";
      log = stack.assessment_log();
      break;
  }
  if (!ended) return std::nullopt;
  return absl::StrCat(service, " ended during ", w.name, " (", *ended, "); its log: ", log);
}

// The channels of the server `w` runs on.
const std::vector<std::shared_ptr<grpc::Channel>>& ChannelsOf(const Workload& w,
                                                              const Servers& servers) {
  switch (w.target) {
    case Target::kEcho:
      return servers.echo;
    case Target::kIntake:
      return servers.intake;
    case Target::kAssessment:
      return servers.assessment;
    case Target::kRegistry:
      break;
  }
  return servers.registry;
}

}  // namespace

double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : 0;
}

std::vector<WorkloadOutcome> RunWorkloads(const std::vector<Workload>& workloads,
                                          const Servers& servers, const LoadOptions& load,
                                          RunInfo& info, std::ostream& log) {
  std::vector<WorkloadOutcome> outcomes;
  // Why each server's workloads cannot run any more ("" while it runs).
  std::map<Target, std::string> gone_by_target;
  for (const Workload& w : workloads) {
    const bool on_echo = w.target == Target::kEcho;
    LoadOptions options = load;
    options.authorization = on_echo ? "" : servers.authorization;
    if (w.max_inflight > 0) options.inflight = std::min(options.inflight, w.max_inflight);
    std::string& gone = gone_by_target[w.target];
    if (!gone.empty()) {
      WorkloadOutcome outcome;
      outcome.name = w.name;
      outcome.inflight = options.inflight;
      outcome.status = absl::UnavailableError(gone);
      outcomes.push_back(std::move(outcome));
      continue;
    }
    WorkloadOutcome outcome = RunOne(w, ChannelsOf(w, servers), options, log);
    outcome.status = WithSeedHint(w, servers, outcome.status);
    if (!outcome.status.ok()) log << " failed: " << outcome.status.message();
    log << std::endl;
    if (outcome.status.ok() && !w.note.empty()) info.notes.push_back(w.note);
    if (std::optional<std::string> ended = ServerGone(w, *servers.stack)) {
      gone = *ended;
      info.notes.push_back(gone);
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

void FinishRun(const std::vector<WorkloadOutcome>& outcomes, Servers& servers, RunInfo& info) {
  info.load_after = LoadAverage();
  for (const auto& o : outcomes) {
    if (o.result.has_value() && o.result->errors.contains(grpc::StatusCode::RESOURCE_EXHAUSTED)) {
      info.notes.push_back(
          "RESOURCE_EXHAUSTED: a server's queue of calls waiting for a worker was full "
          "(--rpc_queue_limit, default 1000); --inflight above it is more than the servers "
          "take");
      break;
    }
  }
  // Release the connections before the servers go, then stop them as an orchestrator would.
  servers.registry.clear();
  servers.intake.clear();
  servers.assessment.clear();
  servers.echo.clear();
  const std::string stop_report = servers.stack->Stop();
  for (absl::string_view line : absl::StrSplit(stop_report, '\n', absl::SkipEmpty())) {
    info.notes.push_back(absl::StrCat("on SIGTERM ", line));
  }
  if (servers.stack->keeps_dir()) {
    info.notes.push_back(absl::StrCat("kept ", servers.stack->dir()));
  }
}

}  // namespace chainhub::bench
