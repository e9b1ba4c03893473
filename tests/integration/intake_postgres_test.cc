// ProjectIntake end to end with its store on PostgreSQL (a throwaway server, tests/support/
// postgres_server.h): the registry's copy fed by events, create with request_id replay, filters
// (size_band, light, chain) and paging, stage moves, progress with a replaced month, an import
// and its retry, a summary, lights, work items and the audit trail.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"
#include "tests/support/postgres_server.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakePostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    auto postgres = PostgresServer::Start();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = std::move(*postgres);
    auto url = postgres_->CreateDatabase("intake");
    ASSERT_TRUE(url.ok()) << url.status();
    ASSERT_NO_FATAL_FAILURE(fx_.SetUp(*url));
    ASSERT_EQ(fx_.store()->dialect(), "postgresql");
    ASSERT_NO_FATAL_FAILURE(fx_.Seed());
  }
  void TearDown() override {
    fx_.TearDown();
    postgres_.reset();
  }

  std::unique_ptr<PostgresServer> postgres_;
  IntakeFixture fx_;
};

TEST_F(IntakePostgres, ServesProjectIntakeEndToEnd) {
  IntakeCaller admin = fx_.IntakeAdmin();
  IntakeCaller viewer = fx_.Intake(IntakeFixture::viewer_token());

  iv1::Project big = MakeProject("PG光伏组件项目", "pv", 12'000'000'000);
  big.set_node("chains/pv/nodes/modules");
  big.mutable_stage_dates()->set_negotiating("2026-01-05");
  big.set_planned_start_date("2026-01-10");  // late: red
  iv1::Project first = CreateProject(admin, big, "pg-create-1");
  EXPECT_EQ(CreateProject(admin, big, "pg-create-1").name(), first.name());
  EXPECT_EQ(first.province_chains_source(), "chain_default");
  EXPECT_EQ(first.light(), iv1::LIGHT_RED);
  for (int i = 0; i < 7; ++i) {
    CreateProject(admin,
                  MakeProject(absl::StrCat("PG电池项目", i), "nev-battery", 600'000'000 + i));
  }
  EXPECT_EQ(ListAllProjects(viewer, "size_band = \"1E10_PLUS\"").size(), 1u);
  EXPECT_EQ(
      ListAllProjects(viewer, "size_band = \"5E8_TO_1E9\" AND chain = \"nev-battery\"").size(), 7u);
  EXPECT_EQ(ListAllProjects(viewer, "light = \"RED\"").size(), 1u);
  std::vector<iv1::Project> paged = ListAllProjects(viewer, "", "total_investment_yuan desc", 3);
  ASSERT_EQ(paged.size(), 8u);
  EXPECT_EQ(paged[0].name(), first.name());
  std::set<std::string> distinct;
  for (const auto& p : paged) distinct.insert(p.name());
  EXPECT_EQ(distinct.size(), 8u);

  iv1::Project moved;
  grpc::Status signed_status = Transition(admin, first.name(), iv1::STAGE_SIGNED, "2026-02-01");
  ASSERT_TRUE(signed_status.ok()) << signed_status.error_message();
  ASSERT_TRUE(Transition(admin, first.name(), iv1::STAGE_REGISTERED, "2026-03-01").ok());
  EXPECT_TRUE(HasCode(Transition(admin, first.name(), iv1::STAGE_IN_PRODUCTION, "2026-04-01"),
                      StatusCode::FAILED_PRECONDITION));
  ASSERT_TRUE(Transition(admin, first.name(), iv1::STAGE_STARTED, "2026-04-01", "", &moved).ok());
  EXPECT_EQ(moved.stage(), iv1::STAGE_STARTED);

  ASSERT_TRUE(Report(admin, first.name(), "2026-05", 1'000'000'000, 500'000'000).ok());
  iv1::ProgressReport again;
  ASSERT_TRUE(
      Report(admin, first.name(), "2026-05", 1'100'000'000, 500'000'000, false, &again).ok());
  EXPECT_EQ(again.revision(), 2);
  EXPECT_TRUE(HasCode(Report(admin, first.name(), "2026-06", 900'000'000, 500'000'000),
                      StatusCode::FAILED_PRECONDITION));

  std::vector<iv1::Project> rows = {MakeProject("PG导入项目", "pv")};
  rows[0].set_external_id("pg-imp-1");
  for (int round = 0; round < 2; ++round) {
    iv1::ImportProjectsResponse resp;
    auto ctx = ContextWithToken(admin.token());
    auto writer = fx_.intake().ImportProjects(ctx.get(), &resp);
    iv1::ImportProjectsRequest msg;
    msg.mutable_header()->set_source("pg.csv");
    ASSERT_TRUE(writer->Write(msg));
    msg.Clear();
    *msg.mutable_row()->mutable_project() = rows[0];
    ASSERT_TRUE(writer->Write(msg));
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.results_size(), 1);
    EXPECT_EQ(resp.results(0).outcome(), round == 0 ? "CREATED" : "UNCHANGED");
  }

  iv1::SummarizeProjectsRequest summary_req;
  summary_req.set_chain("chains/nev-battery");
  summary_req.set_period("2026-Q2");
  iv1::ProjectSummary summary;
  ASSERT_TRUE(viewer(&IntakeStub::SummarizeProjects, summary_req, &summary).ok());
  EXPECT_EQ(summary.projects().count(), 7);

  iv1::EvaluateLightsRequest evaluate;
  evaluate.set_chain("chains/pv");
  evaluate.set_date("2026-06-15");
  iv1::EvaluateLightsResponse lights;
  ASSERT_TRUE(admin(&IntakeStub::EvaluateLights, evaluate, &lights).ok());
  EXPECT_EQ(lights.evaluated_count(), 2);

  iv1::CreateWorkItemRequest item;
  item.mutable_work_item()->set_kind(iv1::WORK_ITEM_KIND_ISSUE);
  item.mutable_work_item()->set_title("PG问题");
  item.mutable_work_item()->set_subject(first.name());
  item.mutable_work_item()->set_owner_department(IntakeFixture::kDeptFgw);
  item.mutable_work_item()->set_deadline("2026-06-01");
  iv1::WorkItem w;
  ASSERT_TRUE(admin(&IntakeStub::CreateWorkItem, item, &w).ok());
  iv1::ListWorkItemsRequest overdue;
  overdue.set_overdue_on("2026-06-15");
  iv1::ListWorkItemsResponse listed;
  ASSERT_TRUE(viewer(&IntakeStub::ListWorkItems, overdue, &listed).ok());
  ASSERT_EQ(listed.work_items_size(), 1);
  EXPECT_TRUE(listed.work_items(0).overdue());

  iv1::DeleteProjectRequest del;
  del.set_name(first.name());
  ASSERT_TRUE(admin.Status(&IntakeStub::DeleteProject, del).ok());
  EXPECT_FALSE(IntakeAuditRows(admin, absl::StrCat("resource = \"", first.name(), "\"")).empty());
}

}  // namespace
}  // namespace chainhub::testing
