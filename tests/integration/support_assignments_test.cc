// 包保 and 一企一策 over real gRPC: assignments made by the chain office, visits logged by the
// assigned departments, who sees what, overdue visits, firm plans and their reviews.
#include <gtest/gtest.h>

#include "google/protobuf/util/time_util.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace reg = registry::v1;

class SupportAssignments : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    glass_ = f_.MakeEnterprise(1, "滁州某光伏玻璃有限公司", {"chains/pv/nodes/glass"},
                               {reg::ENTERPRISE_LABEL_CHAIN_OWNER}, 3'000'000'000, "2015-03-01");
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(glass_));
    other_ = f_.MakeEnterprise(2, "滁州某汽车零部件有限公司", {"chains/nev/nodes/parts"});
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(other_));
  }
  void TearDown() override { f_.TearDown(); }

  v1::CreateAssignmentRequest Assign(const reg::Enterprise& e, const std::string& officer_dept) {
    v1::CreateAssignmentRequest req;
    v1::Assignment* a = req.mutable_assignment();
    a->set_enterprise(e.name());
    a->mutable_leader()->set_department("departments/kjj");
    a->mutable_leader()->set_person("王强");
    v1::Official* o = a->add_officers();
    o->set_department(officer_dept);
    o->set_person("李娜");
    o->set_title("服务专员");
    a->set_start_date("2026-05-10");
    a->set_cadence(v1::MONTHLY);
    return req;
  }

  v1::Assignment Create(const SupportCaller& as, const v1::CreateAssignmentRequest& req) {
    v1::Assignment a;
    grpc::Status s = as(&SupportStub::CreateAssignment, req, &a);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return a;
  }

  v1::LogVisitRequest Visit(const v1::Assignment& a, const std::string& date) {
    v1::LogVisitRequest req;
    req.set_parent(a.name());
    v1::Visit* v = req.mutable_visit();
    v->set_visit_date(date);
    v1::Official* who = v->add_visitors();
    who->set_department("departments/jxj");
    who->set_person("李娜");
    v->set_summary("走访了解二期扩产进度，企业反映用地指标和电力增容两项诉求。");
    return req;
  }

  SupportFixture f_;
  reg::Enterprise glass_;
  reg::Enterprise other_;
};

TEST_F(SupportAssignments, TheChainOfficeAssignsAnEnterpriseOnItsChain) {
  const v1::Assignment a = Create(f_.ChainOffice("pv"), Assign(glass_, "departments/jxj"));
  EXPECT_EQ(a.enterprise(), glass_.name());
  EXPECT_EQ(a.enterprise_display_name(), "滁州某光伏玻璃有限公司");
  EXPECT_EQ(std::vector<std::string>(a.chains().begin(), a.chains().end()),
            std::vector<std::string>{"chains/pv"});
  EXPECT_TRUE(a.active());
  EXPECT_EQ(a.next_visit_due(), "2026-05-31");
  // Today is 2026-06-15: the May visit was never made.
  EXPECT_TRUE(a.visit_overdue());
}

TEST_F(SupportAssignments, AnotherChainsOfficeMayNotAssignIt) {
  v1::Assignment a;
  grpc::Status s =
      f_.ChainOffice("nev")(&SupportStub::CreateAssignment, Assign(glass_, "departments/jxj"), &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  s = f_.Department("jxj")(&SupportStub::CreateAssignment, Assign(glass_, "departments/jxj"), &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupportAssignments, AnEnterpriseTheRegistryDoesNotHaveIsNotFound) {
  v1::CreateAssignmentRequest req = Assign(glass_, "departments/jxj");
  req.mutable_assignment()->set_enterprise("enterprises/" + TestCreditCode("341100", 99));
  v1::Assignment a;
  grpc::Status s = f_.Admin()(&SupportStub::CreateAssignment, req, &a);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("assignment.enterprise"), std::string::npos);
}

TEST_F(SupportAssignments, ARetryWithTheSameRequestIdReturnsTheFirstAssignment) {
  v1::CreateAssignmentRequest req = Assign(glass_, "departments/jxj");
  req.set_request_id("assign-glass-1");
  const v1::Assignment first = Create(f_.Admin(), req);
  const v1::Assignment again = Create(f_.Admin(), req);
  EXPECT_EQ(first.name(), again.name());
  v1::ListAssignmentsResponse all;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &all).ok());
  EXPECT_EQ(all.assignments_size(), 1);
}

TEST_F(SupportAssignments, OnlyTheAssignedDepartmentsSeeTheAssignment) {
  const v1::Assignment a = Create(f_.Admin(), Assign(glass_, "departments/jxj"));
  v1::GetAssignmentRequest get;
  get.set_name(a.name());
  v1::Assignment got;
  EXPECT_TRUE(f_.Department("jxj")(&SupportStub::GetAssignment, get, &got).ok());
  EXPECT_TRUE(f_.Department("kjj")(&SupportStub::GetAssignment, get, &got).ok());
  EXPECT_EQ(f_.Department("swj")(&SupportStub::GetAssignment, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(f_.ChainOffice("nev")(&SupportStub::GetAssignment, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(f_.Viewer()(&SupportStub::GetAssignment, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::ListAssignmentsResponse seen;
  ASSERT_TRUE(
      f_.Department("swj")(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &seen)
          .ok());
  EXPECT_EQ(seen.assignments_size(), 0);
  ASSERT_TRUE(
      f_.Department("jxj")(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &seen)
          .ok());
  EXPECT_EQ(seen.assignments_size(), 1);
}

TEST_F(SupportAssignments, AVisitMovesTheDueDateAndOverdueVisitsCanBeListed) {
  const v1::Assignment glass = Create(f_.Admin(), Assign(glass_, "departments/jxj"));
  const v1::Assignment parts = Create(f_.Admin(), Assign(other_, "departments/jxj"));
  v1::Visit visit;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::LogVisit, Visit(glass, "2026-06-12"), &visit).ok());
  EXPECT_EQ(visit.principal(), "departments/jxj");

  v1::ListAssignmentsRequest overdue;
  overdue.set_filter("visit_overdue = true");
  v1::ListAssignmentsResponse resp;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, overdue, &resp).ok());
  ASSERT_EQ(resp.assignments_size(), 1);
  EXPECT_EQ(resp.assignments(0).name(), parts.name());

  v1::GetAssignmentRequest get;
  get.set_name(glass.name());
  v1::Assignment after;
  ASSERT_TRUE(f_.Admin()(&SupportStub::GetAssignment, get, &after).ok());
  EXPECT_EQ(after.last_visit_date(), "2026-06-12");
  EXPECT_EQ(after.next_visit_due(), "2026-07-31");
  EXPECT_FALSE(after.visit_overdue());

  // An older visit logged late does not move the due date back.
  ASSERT_TRUE(f_.Admin()(&SupportStub::LogVisit, Visit(glass, "2026-05-20"), &visit).ok());
  ASSERT_TRUE(f_.Admin()(&SupportStub::GetAssignment, get, &after).ok());
  EXPECT_EQ(after.last_visit_date(), "2026-06-12");

  v1::ListVisitsRequest list;
  list.set_parent(glass.name());
  v1::ListVisitsResponse visits;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListVisits, list, &visits).ok());
  ASSERT_EQ(visits.visits_size(), 2);
  EXPECT_EQ(visits.visits(0).visit_date(), "2026-06-12");  // newest first
}

TEST_F(SupportAssignments, AnEndedAssignmentIsNeitherActiveNorOverdue) {
  const v1::Assignment a = Create(f_.Admin(), Assign(glass_, "departments/jxj"));
  v1::UpdateAssignmentRequest update;
  update.mutable_assignment()->set_name(a.name());
  update.mutable_assignment()->set_end_date("2026-06-01");
  update.mutable_assignment()->set_etag(a.etag());
  update.mutable_update_mask()->add_paths("end_date");
  v1::Assignment ended;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::UpdateAssignment, update, &ended).ok());
  EXPECT_FALSE(ended.active());
  EXPECT_FALSE(ended.visit_overdue());
  // The officer's department no longer sees the enterprise through it.
  v1::GetAssignmentRequest get;
  get.set_name(a.name());
  v1::Assignment got;
  EXPECT_EQ(f_.Department("jxj")(&SupportStub::GetAssignment, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A stale etag is refused.
  EXPECT_EQ(f_.Admin()(&SupportStub::UpdateAssignment, update, &got).error_code(),
            grpc::StatusCode::ABORTED);
}

TEST_F(SupportAssignments, AVisitInTheFutureIsRefusedNamingItsDate) {
  const v1::Assignment a = Create(f_.Admin(), Assign(glass_, "departments/jxj"));
  v1::Visit visit;
  grpc::Status s = f_.Admin()(&SupportStub::LogVisit, Visit(a, "2026-06-16"), &visit);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("visit.visit_date"), std::string::npos) << s.error_message();
}

TEST_F(SupportAssignments, AFirmPlanIsWrittenAndReviewedByWhoeverServesTheEnterprise) {
  Create(f_.Admin(), Assign(glass_, "departments/jxj"));
  v1::CreateFirmPlanRequest req;
  v1::FirmPlan* plan = req.mutable_firm_plan();
  plan->set_enterprise(glass_.name());
  plan->set_title("光伏玻璃龙头企业一企一策");
  v1::FirmGoal* goal = plan->add_goals();
  goal->set_year(2026);
  goal->set_output_yuan(3'500'000'000);
  goal->set_listing(v1::TUTORING);
  v1::SupportMeasure* m = plan->add_measures();
  m->set_title("协调二期项目用地指标");
  m->set_department("departments/zrzyj");
  m->set_status(v1::PLANNED);
  v1::FirmPlan made;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::CreateFirmPlan, req, &made).ok());
  EXPECT_EQ(made.enterprise_display_name(), "滁州某光伏玻璃有限公司");

  v1::FirmPlan denied;
  EXPECT_EQ(f_.Department("swj")(&SupportStub::CreateFirmPlan, req, &denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::AddFirmPlanReviewRequest review;
  review.set_name(made.name());
  review.set_etag(made.etag());
  review.mutable_review()->set_review_date("2026-06-15");
  review.mutable_review()->set_summary("上半年产值完成45%，用地指标已报省厅。");
  review.mutable_review()->set_rating(3);
  v1::FirmPlan reviewed;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::AddFirmPlanReview, review, &reviewed).ok());
  ASSERT_EQ(reviewed.reviews_size(), 1);
  EXPECT_EQ(reviewed.reviews(0).rating(), 3);
  // The same etag again is stale now.
  EXPECT_EQ(f_.Admin()(&SupportStub::AddFirmPlanReview, review, &reviewed).error_code(),
            grpc::StatusCode::ABORTED);

  v1::ListFirmPlansRequest list;
  list.set_filter("chain = \"pv\"");
  v1::ListFirmPlansResponse plans;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::ListFirmPlans, list, &plans).ok());
  EXPECT_EQ(plans.firm_plans_size(), 1);
  v1::ListFirmPlansResponse unseen;
  ASSERT_TRUE(f_.Department("swj")(&SupportStub::ListFirmPlans, list, &unseen).ok());
  EXPECT_EQ(unseen.firm_plans_size(), 0);
}

TEST_F(SupportAssignments, EveryWriteIsAudited) {
  const v1::Assignment a = Create(f_.Admin(), Assign(glass_, "departments/jxj"));
  v1::Visit visit;
  ASSERT_TRUE(f_.Admin()(&SupportStub::LogVisit, Visit(a, "2026-06-01"), &visit).ok());
  const auto rows = AuditRowsOf(f_.Admin(), "resource : \"" + a.name() + "\"");
  ASSERT_EQ(rows.size(), 2u);
}

}  // namespace
}  // namespace chainhub::testing
