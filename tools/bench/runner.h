// Running the selected workloads one after another against the servers of a run: a probe call
// first (it warms caches and stops a workload with the server's own message when the setup is
// wrong), then the measured load; a server that ends meanwhile is noted, and the workloads on it
// after that are not run.
#ifndef CHAINHUB_TOOLS_BENCH_RUNNER_H_
#define CHAINHUB_TOOLS_BENCH_RUNNER_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "tools/bench/bench_stack.h"
#include "tools/bench/load_engine.h"
#include "tools/bench/report.h"
#include "tools/bench/workload.h"

namespace chainhub::bench {

// Where a run's calls go.
struct Servers {
  // The servers the bench started (none, when it was pointed at running ones).
  std::unique_ptr<BenchStack> stack;
  // "Bearer <admin token>" for the services.
  std::string authorization;
  std::vector<std::shared_ptr<grpc::Channel>> registry;
  std::vector<std::shared_ptr<grpc::Channel>> intake;
  std::vector<std::shared_ptr<grpc::Channel>> assessment;
  std::vector<std::shared_ptr<grpc::Channel>> echo;
  // Whether this run seeded the registry and loaded the intake's library (a workload that finds
  // nothing there is then not told to seed).
  bool registry_seeded = false;
  bool intake_loaded = false;
};

// Runs `workloads` in order with `load`, progress on `log`; the notes of the workloads that ran
// and of servers that ended go to `info`.
std::vector<WorkloadOutcome> RunWorkloads(const std::vector<Workload>& workloads,
                                          const Servers& servers, const LoadOptions& load,
                                          RunInfo& info, std::ostream& log);

// After the run: the 1-minute load, a note on RESOURCE_EXHAUSTED, the channels released, the
// servers stopped (SIGTERM) and how each ended, and a kept temp dir.
void FinishRun(const std::vector<WorkloadOutcome>& outcomes, Servers& servers, RunInfo& info);

// The 1-minute load average of the machine (0 when unknown).
double LoadAverage();

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_RUNNER_H_
