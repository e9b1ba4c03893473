// ProjectIntake's authorization over gRPC: no token, a viewer writing, a chain office outside its
// chains, a department reporting progress of its own and another's project, a department working
// its own dispatch item but not escalating it.
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakeAuth : public SharedIntakeTest<IntakeAuth> {};

TEST_F(IntakeAuth, ACallWithoutATokenIsUnauthenticated) {
  IntakeCaller anonymous = As("");
  iv1::ListProjectsRequest list;
  EXPECT_TRUE(
      HasCode(anonymous.Status(&IntakeStub::ListProjects, list), StatusCode::UNAUTHENTICATED));
  iv1::CreateProjectRequest create;
  *create.mutable_project() = MakeProject("匿名项目");
  EXPECT_TRUE(
      HasCode(anonymous.Status(&IntakeStub::CreateProject, create), StatusCode::UNAUTHENTICATED));
  EXPECT_TRUE(HasCode(As("not-a-jwt").Status(&IntakeStub::ListProjects, list),
                      StatusCode::UNAUTHENTICATED));
}

TEST_F(IntakeAuth, AViewerReadsButDoesNotWrite) {
  iv1::Project p = CreateProject(admin(), MakeProject("只读项目"));
  EXPECT_EQ(GetProject(viewer(), p.name()).name(), p.name());
  iv1::CreateProjectRequest create;
  *create.mutable_project() = MakeProject("查看者项目");
  EXPECT_TRUE(
      HasCode(viewer().Status(&IntakeStub::CreateProject, create), StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(HasCode(Transition(viewer(), p.name(), iv1::STAGE_SIGNED, ""),
                      StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(HasCode(Report(viewer(), p.name(), "2026-05", 1, 1), StatusCode::PERMISSION_DENIED));
  iv1::UpdateProjectRequest update;
  *update.mutable_project() = p;
  update.mutable_update_mask()->add_paths("park");
  EXPECT_TRUE(
      HasCode(viewer().Status(&IntakeStub::UpdateProject, update), StatusCode::PERMISSION_DENIED));
  iv1::EvaluateLightsRequest evaluate;
  EXPECT_TRUE(HasCode(viewer().Status(&IntakeStub::EvaluateLights, evaluate),
                      StatusCode::PERMISSION_DENIED));
}

TEST_F(IntakeAuth, AChainOfficeWritesOnlyItsOwnChains) {
  IntakeCaller pv_office = As(IntakeFixture::office_token({"pv"}));
  iv1::CreateProjectRequest create;
  *create.mutable_project() = MakeProject("越权电池项目", "nev-battery");
  EXPECT_TRUE(
      HasCode(pv_office.Status(&IntakeStub::CreateProject, create), StatusCode::PERMISSION_DENIED));
  iv1::Project own = CreateProject(pv_office, MakeProject("本链光伏项目", "pv"));
  EXPECT_EQ(own.chain(), "chains/pv");
  iv1::Project other = CreateProject(admin(), MakeProject("他链电池项目", "nev-battery"));
  EXPECT_TRUE(HasCode(Transition(pv_office, other.name(), iv1::STAGE_SIGNED, ""),
                      StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(Transition(pv_office, own.name(), iv1::STAGE_SIGNED, "").ok());
  iv1::UpdateProjectRequest update;
  *update.mutable_project() = other;
  update.mutable_project()->set_park("越权园区");
  update.mutable_update_mask()->add_paths("park");
  EXPECT_TRUE(
      HasCode(pv_office.Status(&IntakeStub::UpdateProject, update), StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(
      HasCode(Report(pv_office, other.name(), "2026-05", 1, 1), StatusCode::PERMISSION_DENIED));
}

TEST_F(IntakeAuth, ADepartmentReportsProgressOnlyOfProjectsItIsResponsibleFor) {
  IntakeCaller fgw = As(IntakeFixture::department_token(IntakeFixture::kDeptFgw));
  iv1::Project mine = CreateProject(admin(), MakeProject("发改委负责项目"));
  iv1::Project theirs = MakeProject("经信局负责项目");
  theirs.set_responsible_department(IntakeFixture::kDeptJxj);
  theirs = CreateProject(admin(), theirs);
  EXPECT_TRUE(Report(fgw, mine.name(), "2026-05", 10'000'000, 5'000'000).ok());
  EXPECT_TRUE(HasCode(Report(fgw, theirs.name(), "2026-05", 10'000'000, 5'000'000),
                      StatusCode::PERMISSION_DENIED));
  // Reporting is all a department does to a project.
  EXPECT_TRUE(
      HasCode(Transition(fgw, mine.name(), iv1::STAGE_SIGNED, ""), StatusCode::PERMISSION_DENIED));
  iv1::CreateProjectRequest create;
  *create.mutable_project() = MakeProject("部门新建项目");
  EXPECT_TRUE(
      HasCode(fgw.Status(&IntakeStub::CreateProject, create), StatusCode::PERMISSION_DENIED));
}

TEST_F(IntakeAuth, ADepartmentResolvesItsOwnItemButMayNotEscalateIt) {
  IntakeCaller fgw = As(IntakeFixture::department_token(IntakeFixture::kDeptFgw));
  auto create = [&](const std::string& title, const std::string& owner) {
    iv1::CreateWorkItemRequest req;
    auto* w = req.mutable_work_item();
    w->set_kind(iv1::WORK_ITEM_KIND_ISSUE);
    w->set_title(title);
    w->set_subject("chains/pv");
    w->set_owner_department(owner);
    w->set_deadline("2026-07-01");
    iv1::WorkItem out;
    EXPECT_TRUE(admin()(&IntakeStub::CreateWorkItem, req, &out).ok());
    return out;
  };
  auto move = [&](const IntakeCaller& as, const std::string& name, iv1::WorkItemStatus to) {
    iv1::TransitionWorkItemRequest req;
    req.set_name(name);
    req.set_to_status(to);
    req.set_note("处理意见");
    return as.Status(&IntakeStub::TransitionWorkItem, req);
  };
  iv1::WorkItem own = create("发改委牵头问题", IntakeFixture::kDeptFgw);
  iv1::WorkItem other = create("经信局牵头问题", IntakeFixture::kDeptJxj);
  EXPECT_TRUE(HasCode(move(fgw, own.name(), iv1::WORK_ITEM_STATUS_ESCALATED),
                      StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(HasCode(move(fgw, other.name(), iv1::WORK_ITEM_STATUS_RESOLVED),
                      StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(move(fgw, own.name(), iv1::WORK_ITEM_STATUS_COORDINATING).ok());
  EXPECT_TRUE(move(fgw, own.name(), iv1::WORK_ITEM_STATUS_RESOLVED).ok());
  // The owner updates its item's fields too; others may not.
  iv1::UpdateWorkItemRequest update;
  *update.mutable_work_item() = other;
  update.mutable_work_item()->set_deadline("2026-08-01");
  update.mutable_update_mask()->add_paths("deadline");
  EXPECT_TRUE(
      HasCode(fgw.Status(&IntakeStub::UpdateWorkItem, update), StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(As(IntakeFixture::department_token(IntakeFixture::kDeptJxj))
                  .Status(&IntakeStub::UpdateWorkItem, update)
                  .ok());
}

}  // namespace
}  // namespace chainhub::testing
