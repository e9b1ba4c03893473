// The workload table of chainhub-bench: every workload's row (workloads/*.cc), in the default
// order, and a workload built from its name.
#ifndef CHAINHUB_TOOLS_BENCH_WORKLOADS_H_
#define CHAINHUB_TOOLS_BENCH_WORKLOADS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/bench/workload.h"

namespace chainhub::bench {

// Every row, in the default --workloads order.
const std::vector<WorkloadRow>& WorkloadTable();

// The workload names in their default order.
std::vector<std::string> KnownWorkloads();

// The workload called `name`. INVALID_ARGUMENT for an unknown name, or for an intake workload
// without `context.intake`.
absl::StatusOr<Workload> MakeWorkload(absl::string_view name, const WorkloadContext& context);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_WORKLOADS_H_
