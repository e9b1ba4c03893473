// The groups of chainhub-bench workloads, one file each, in the order of the default --workloads:
// the echo baseline, registry reads, registry writes, intake reads, the summaries, intake writes,
// assessment.
#ifndef CHAINHUB_TOOLS_BENCH_WORKLOADS_GROUPS_H_
#define CHAINHUB_TOOLS_BENCH_WORKLOADS_GROUPS_H_

#include <vector>

#include "tools/bench/workload.h"

namespace chainhub::bench {

std::vector<WorkloadRow> EchoWorkloads();           // echo
std::vector<WorkloadRow> RegistryReadWorkloads();   // get_chain, get_chain_map, list_enterprises
std::vector<WorkloadRow> RegistryWriteWorkloads();  // batch_upsert
std::vector<WorkloadRow> IntakeReadWorkloads();     // list_projects
std::vector<WorkloadRow> SummarizeWorkloads();      // summarize_warm, summarize_cold
std::vector<WorkloadRow> IntakeWriteWorkloads();    // create_project, transition_stage
std::vector<WorkloadRow> AssessmentWorkloads();     // assessment_final_run

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_WORKLOADS_GROUPS_H_
