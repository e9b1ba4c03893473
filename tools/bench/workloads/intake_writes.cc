// create_project, transition_stage: the intake's durable single write and its read-check-write.
#include "chainhub/intake/v1/intake.pb.h"
#include "tools/bench/data_set.h"
#include "tools/bench/workloads/groups.h"
#include "tools/common/resource_names.h"

namespace chainhub::bench {
namespace {

namespace iv1 = intake::v1;

Workload CreateProject(const WorkloadContext& context) {
  Workload w;
  w.spec.method = absl::StrCat(kIntakeService, "CreateProject");
  w.spec.make_request = [run_id = context.run_id, chain = BenchChain()](uint64_t seq) {
    iv1::CreateProjectRequest request;
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    iv1::Project* p = request.mutable_project();
    *p = SyntheticProject(static_cast<int>(seq % 1'000'000));
    p->clear_external_id();
    // On pv whatever the index says, as one new project of a chain office.
    if (p->chain() != chain) {
      p->set_chain(chain);
      p->set_node(PvNode(PvMapNodes()[seq % PvMapNodes().size()].id));
    }
    p->set_display_name(absl::StrCat("基准新建项目", run_id, "-", seq));
    return ToByteBuffer(request);
  };
  w.spec.check_response = Checking<iv1::Project>([](const auto& project) -> std::string {
    if (project.name().empty()) return "a created project without a name";
    return "";
  });
  w.spec.check_every = 16;
  return w;
}

Workload TransitionStage(const WorkloadContext& context) {
  Workload w;
  w.spec.method = absl::StrCat(kIntakeService, "TransitionStage");
  w.spec.make_request = [state = context.intake, run_id = context.run_id,
                         none = tools::ProjectName{"none-loaded"}.String()](uint64_t seq) {
    auto [name, stage] = state->NextTransition();
    iv1::TransitionStageRequest request;
    request.set_name(name.empty() ? none : name);
    request.set_to_stage(stage);
    if (stage == iv1::STAGE_STALLED) request.set_reason("基准测试：资金暂未到位");
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    return ToByteBuffer(request);
  };
  w.spec.check_response = Checking<iv1::Project>([](const auto& project) -> std::string {
    if (project.stage() <= iv1::STAGE_NEGOTIATING || project.stage() > iv1::STAGE_STALLED) {
      return absl::StrCat("moved to stage ", project.stage());
    }
    return "";
  });
  w.spec.check_every = 16;
  w.precondition = [state = context.intake]() -> absl::Status {
    if (state->negotiating_projects() > 0) return absl::OkStatus();
    return absl::FailedPreconditionError("no NEGOTIATING project to move");
  };
  return w;
}

}  // namespace

std::vector<WorkloadRow> IntakeWriteWorkloads() {
  return {{.name = "create_project", .target = Target::kIntake, .make = CreateProject},
          {.name = "transition_stage",
           .target = Target::kIntake,
           .needs_negotiating_projects = true,
           .make = TransitionStage}};
}

}  // namespace chainhub::bench
