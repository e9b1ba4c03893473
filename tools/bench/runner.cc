#include "tools/bench/runner.h"

#include <algorithm>
#include <cstdlib>
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
  const bool seeded = w.target == Target::kIntake ? servers.intake_loaded : servers.registry_seeded;
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
  if (w.target == Target::kEcho) return std::nullopt;
  const bool intake = w.target == Target::kIntake;
  std::optional<std::string> ended = intake ? stack.IntakeExited() : stack.RegistryExited();
  if (!ended) return std::nullopt;
  return absl::StrCat(intake ? "chainhub-intake" : "chainhub-registry", " ended during ", w.name,
                      " (", *ended,
                      "); its log: ", intake ? stack.intake_log() : stack.registry_log());
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
  std::string registry_gone, intake_gone;
  for (const Workload& w : workloads) {
    const bool on_echo = w.target == Target::kEcho;
    const bool on_intake = w.target == Target::kIntake;
    LoadOptions options = load;
    options.authorization = on_echo ? "" : servers.authorization;
    if (w.max_inflight > 0) options.inflight = std::min(options.inflight, w.max_inflight);
    std::string& gone = on_intake ? intake_gone : registry_gone;
    if (!on_echo && !gone.empty()) {
      WorkloadOutcome outcome;
      outcome.name = w.name;
      outcome.inflight = options.inflight;
      outcome.status = absl::UnavailableError(gone);
      outcomes.push_back(std::move(outcome));
      continue;
    }
    WorkloadOutcome outcome = RunOne(
        w, on_echo ? servers.echo : (on_intake ? servers.intake : servers.registry), options, log);
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
