// assessment_final_run: a final run of the sample scheme over the eight chains and the whole
// library, computed from the assessment's facts and stored, one at a time.
#include "chainhub/assessment/v1/assessment.pb.h"
#include "tools/bench/assessment_bench.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {
namespace {

namespace av1 = assessment::v1;

Workload FinalRun(const WorkloadContext& context) {
  Workload w;
  w.spec.method = "/chainhub.assessment.v1.Assessment/CreateRun";
  w.spec.make_request = [run_id = context.run_id, spec = BenchRunSpec()](uint64_t seq) {
    av1::CreateRunRequest request;
    request.set_scheme(spec.scheme);
    request.set_period(spec.period);
    request.set_as_of_date(spec.as_of_date);
    request.set_kind(av1::RUN_KIND_FINAL);
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    return ToByteBuffer(request);
  };
  w.spec.check_response = Checking<av1::Run>([](const av1::Run& run) -> std::string {
    if (run.results_size() != 8) return absl::StrCat("a run of ", run.results_size(), " chains");
    if (run.results(0).rank() != 1) return "a run whose first result is not ranked 1";
    return "";
  });
  w.spec.check_every = 1;
  // One at a time: the figure is what one run costs, as a schedule or an assessor makes it.
  w.max_inflight = 1;
  w.note =
      "assessment_final_run: CreateRun(FINAL) of the sample scheme (data/assessment/) for 2025-Q3 "
      "as of today over the 8 chains: every computed item from the facts of the whole library, "
      "the reported values, targets and ratings, scored, ranked and stored with its audit row "
      "and events; 1 call in flight";
  return w;
}

}  // namespace

std::vector<WorkloadRow> AssessmentWorkloads() {
  return {{.name = "assessment_final_run", .target = Target::kAssessment, .make = FinalRun}};
}

}  // namespace chainhub::bench
