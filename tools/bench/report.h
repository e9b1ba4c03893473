// How chainhub-bench shows a run: one row per workload (calls/s, p50, p99, p99.9, errors) beside
// the bare echo baseline of the same run as ratios, the intake library's load rate, the machine and
// the settings, and every error seen; as a text table or as JSON.
#ifndef CHAINHUB_TOOLS_BENCH_REPORT_H_
#define CHAINHUB_TOOLS_BENCH_REPORT_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/bench/latency.h"
#include "tools/bench/load_engine.h"
#include "tools/bench/notify_bench.h"
#include "tools/bench/support_bench.h"
#include "tools/bench/sync_bench.h"
#include "tools/bench/replica_lag.h"

namespace chainhub::bench {

// A workload with more than this share of failed calls is flagged.
inline constexpr double kFlagErrorRate = 0.01;

struct WorkloadOutcome {
  std::string name;
  // Not OK when the workload could not run (probe call failed, server gone).
  absl::Status status;
  std::optional<LoadResult> result;
  // Calls kept in flight (--inflight, or less where the workload caps it).
  int inflight = 0;

  bool flagged() const {
    return !status.ok() || (result.has_value() && result->error_rate() > kFlagErrorRate);
  }
};

struct RunInfo {
  int nproc = 0;
  absl::Duration duration;
  absl::Duration warmup;
  int inflight = 0;
  int channels = 0;
  int client_threads = 0;
  int enterprises = 0;
  // Projects in the intake's library (0 when no intake workload ran).
  int projects = 0;
  std::string registry;  // "127.0.0.1:PORT (started by the bench, redis …)" or the target
  std::string intake;
  std::string echo;
  // Loading the intake's library with ImportProjects (load_rows 0 when this run did not load it).
  int load_rows = 0;
  int load_calls = 0;
  double load_seconds = 0;
  double load_rows_per_second() const { return load_seconds > 0 ? load_rows / load_seconds : 0; }
  // The servers' --rpc_threads ("default" when the bench did not set it).
  std::string server_rpc_threads = "default";
  // 1-minute load average before and after the run: other work on the machine skews everything.
  double load_before = 0, load_after = 0;
  // The near cache's cross-replica lag, when measured.
  std::optional<ReplicaLag> replica_lag;
  // Assessment, when an assessment workload ran: where it served, its facts backfilled from the
  // library (projects, and seconds from its start until they covered the library), the
  // hand-written GROUP BY baseline of the final run, and the time from a project event to the
  // provisional run that reflects it (with the debounce it was started with).
  std::string assessment;
  int64_t assessment_facts = 0;
  double assessment_facts_seconds = 0;
  std::optional<LatencyFigures> groupby_baseline;
  std::optional<LatencyFigures> provisional_lag;
  absl::Duration provisional_debounce;
  // chainhub-notify's figures, when measured (--notify_events).
  std::optional<NotifyFigures> notify;
  // chainhub-sync's figures, when measured (--sync_events).
  std::optional<SyncFigures> sync;
  // chainhub-support's figures, when measured (--support_enterprises).
  std::optional<SupportFigures> support;
  // Extra lines: how the servers ended, crash notes.
  std::vector<std::string> notes;
  // Measurements asked for that failed (each also a note): the run exits non-zero.
  int failed_measurements = 0;
};

void PrintTable(const RunInfo& info, const std::vector<WorkloadOutcome>& outcomes,
                std::ostream& out);
nlohmann::json ToJson(const RunInfo& info, const std::vector<WorkloadOutcome>& outcomes);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_REPORT_H_
