// How chainhub-bench shows a run: one row per workload (calls/s, p50, p99, p99.9, errors) beside
// the bare echo baseline of the same run as ratios, the machine and the settings, and every error
// seen; as a text table or as JSON.
#ifndef CHAINHUB_TOOLS_BENCH_REPORT_H_
#define CHAINHUB_TOOLS_BENCH_REPORT_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tools/bench/load_engine.h"

namespace chainhub::bench {

// A workload with more than this share of failed calls is flagged.
inline constexpr double kFlagErrorRate = 0.01;

struct WorkloadOutcome {
  std::string name;
  // Not OK when the workload could not run (probe call failed, server gone).
  absl::Status status;
  std::optional<LoadResult> result;

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
  std::string registry;  // "127.0.0.1:PORT (started by the bench, redis …)" or the target
  std::string echo;
  // The servers' --rpc_threads ("default" when the bench did not set it).
  std::string server_rpc_threads = "default";
  // 1-minute load average before and after the run: other work on the machine skews everything.
  double load_before = 0, load_after = 0;
  // Extra lines: how the servers ended, crash notes.
  std::vector<std::string> notes;
};

void PrintTable(const RunInfo& info, const std::vector<WorkloadOutcome>& outcomes,
                std::ostream& out);
nlohmann::json ToJson(const RunInfo& info, const std::vector<WorkloadOutcome>& outcomes);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_REPORT_H_
