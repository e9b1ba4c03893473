#include "tools/bench/workloads.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {

const std::vector<WorkloadRow>& WorkloadTable() {
  static const std::vector<WorkloadRow>* table = [] {
    auto* rows = new std::vector<WorkloadRow>;
    for (auto group : {EchoWorkloads, RegistryReadWorkloads, RegistryWriteWorkloads,
                       IntakeReadWorkloads, SummarizeWorkloads, IntakeWriteWorkloads,
                       AssessmentWorkloads}) {
      for (const WorkloadRow& row : group()) rows->push_back(row);
    }
    return rows;
  }();
  return *table;
}

std::vector<std::string> KnownWorkloads() {
  std::vector<std::string> names;
  for (const WorkloadRow& row : WorkloadTable()) names.emplace_back(row.name);
  return names;
}

absl::StatusOr<Workload> MakeWorkload(absl::string_view name, const WorkloadContext& context) {
  for (const WorkloadRow& row : WorkloadTable()) {
    if (row.name != name) continue;
    if (row.target == Target::kIntake && context.intake == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("workload ", name, ": no intake state"));
    }
    Workload w = row.make(context);
    w.name = std::string(row.name);
    w.target = row.target;
    w.needs_negotiating_projects = row.needs_negotiating_projects;
    return w;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("--workloads: unknown workload '", name,
                   "'; known: ", absl::StrJoin(KnownWorkloads(), ", ")));
}

}  // namespace chainhub::bench
