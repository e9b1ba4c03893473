// A chainhub-bench workload: one unary method driven by the load engine (a CallSpec), the server
// it calls, and what has to be in place for it (seeded data, NEGOTIATING projects to move, the
// intake's Redis). Each group of workloads (workloads/*.cc) adds its rows to the workload table.
#ifndef CHAINHUB_TOOLS_BENCH_WORKLOAD_H_
#define CHAINHUB_TOOLS_BENCH_WORKLOAD_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/support/byte_buffer.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tools/bench/intake_state.h"
#include "tools/bench/load_engine.h"

namespace chainhub::bench {

// Which server a workload runs against: what the bench must start, or be pointed at, and seed.
// Assessment workloads need the intake's library (its facts are backfilled from it) and run after
// every other workload.
enum class Target { kEcho, kRegistry, kIntake, kAssessment };

struct Workload {
  std::string name;
  Target target = Target::kRegistry;
  // Needs NEGOTIATING projects to move: loaded by the bench, or found on an intake it did not
  // load.
  bool needs_negotiating_projects = false;
  CallSpec spec;
  // When > 0, at most this many calls in flight whatever --inflight says (see summarize_cold).
  int max_inflight = 0;
  // Said under the report's table when not empty: how to read this workload's figures.
  std::string note;
  // When set, checked before the workload runs; an error stops it with that message.
  std::function<absl::Status()> precondition;
};

// What a workload is built from besides its row.
struct WorkloadContext {
  // The seeded enterprise set size (batch_upsert rotates over it).
  int enterprises = 0;
  // Keeps request ids unique across runs.
  std::string run_id;
  // Shared by the intake workloads; required for them.
  std::shared_ptr<IntakeBenchState> intake;
};

// One row of the workload table. `make` fills in the call and what goes with it; the name, the
// target and the need for projects to move come from the row.
struct WorkloadRow {
  absl::string_view name = {};
  Target target = Target::kRegistry;
  bool needs_negotiating_projects = false;
  Workload (*make)(const WorkloadContext& context) = nullptr;
};

// Lists (list_enterprises, list_projects) ask for pages of this many.
inline constexpr int kListPageSize = 50;
inline constexpr char kIntakeService[] = "/chainhub.intake.v1.ProjectIntake/";

// A CallSpec::check_response that parses the answer as a `Response` and asks `what_is_wrong` of
// it ("" when it is good).
template <typename Response, typename Check>
std::function<std::string(const grpc::ByteBuffer&)> Checking(Check what_is_wrong) {
  return [what_is_wrong](const grpc::ByteBuffer& buffer) -> std::string {
    Response response;
    if (!FromByteBuffer(buffer, &response)) {
      return absl::StrCat("response is not a ", Response::descriptor()->full_name());
    }
    return what_is_wrong(response);
  };
}

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_WORKLOAD_H_
