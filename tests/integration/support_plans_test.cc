// Chain plans (规划引领) over real gRPC: versions (every update is one, old ones stay readable),
// the span and target and task rules, who may write; publishing to REAL assessment and intake
// servers (targets and tasks made there once, a second publish making nothing twice, the caller's
// own rights there, a failure part way that a re-publish continues); and progress against 序时
// with its at-risk warnings published once.
#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/events/cloud_event.h"
#include "tests/support/assessment_fixture.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace av1 = assessment::v1;
namespace iv1 = intake::v1;

absl::Time ChinaTime(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), absl::FixedTimeZone(8 * 3600));
}

v1::CreateChainPlanRequest CreateRequest(const v1::ChainPlan& plan,
                                         const std::string& request_id = "",
                                         const std::string& chain = "pv") {
  v1::CreateChainPlanRequest req;
  req.set_parent("chains/" + chain);
  *req.mutable_plan() = plan;
  req.set_request_id(request_id);
  return req;
}

v1::ChainPlan CreatePlan(const SupportCaller& as, const v1::ChainPlan& plan,
                         const std::string& request_id = "", const std::string& chain = "pv") {
  v1::ChainPlan out;
  grpc::Status s = as(&SupportStub::CreateChainPlan, CreateRequest(plan, request_id, chain), &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

int CountEvents(SupportFixture& f, const std::string& type) {
  int n = 0;
  for (const CloudEvent& e : f.OutboxEvents()) n += e.type() == type ? 1 : 0;
  return n;
}

// --- Versions, rules, rights (no peers needed) ---------------------------------------------------

class SupportPlans : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  SupportFixture f_;
};

TEST_F(SupportPlans, EveryUpdateIsANewVersionAndOldVersionsStayReadable) {
  const v1::ChainPlan created = CreatePlan(f_.ChainOffice("pv"), PvActionPlan(), "plan-1");
  EXPECT_TRUE(absl::StartsWith(created.name(), "chains/pv/plans/"));
  EXPECT_EQ(created.version(), 1);
  EXPECT_EQ(created.published_version(), 0);
  EXPECT_EQ(created.targets_size(), 4);
  // A retry is the same plan.
  EXPECT_EQ(CreatePlan(f_.ChainOffice("pv"), PvActionPlan(), "plan-1").name(), created.name());

  v1::UpdateChainPlanRequest update;
  *update.mutable_plan() = created;
  update.mutable_plan()->set_title("滁州市光伏产业链三年行动方案（修订）");
  update.mutable_plan()->mutable_tasks(0)->set_deadline("2026-10-31");
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("tasks");
  v1::ChainPlan second;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::UpdateChainPlan, update, &second).ok());
  EXPECT_EQ(second.version(), 2);
  EXPECT_EQ(second.tasks(0).deadline(), "2026-10-31");
  EXPECT_NE(second.etag(), created.etag());
  // The first version's etag is stale now.
  v1::ChainPlan out;
  EXPECT_EQ(f_.ChainOffice("pv")(&SupportStub::UpdateChainPlan, update, &out).error_code(),
            grpc::StatusCode::ABORTED);

  v1::GetChainPlanRequest get;
  get.set_name(created.name());
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetChainPlan, get, &out).ok());
  EXPECT_EQ(out.version(), 2);
  EXPECT_EQ(out.title(), "滁州市光伏产业链三年行动方案（修订）");
  get.set_version(1);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetChainPlan, get, &out).ok());
  EXPECT_EQ(out.version(), 1);
  EXPECT_EQ(out.title(), created.title());
  EXPECT_EQ(out.tasks(0).deadline(), "2026-12-31");
  get.set_version(3);
  EXPECT_EQ(f_.Viewer()(&SupportStub::GetChainPlan, get, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::ListChainPlanVersionsRequest versions;
  versions.set_name(created.name());
  v1::ListChainPlansResponse listed;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlanVersions, versions, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 2);
  EXPECT_EQ(listed.plans(0).version(), 2);
  EXPECT_EQ(listed.plans(1).version(), 1);
  versions.set_page_size(1);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlanVersions, versions, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  versions.set_page_token(listed.next_page_token());
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlanVersions, versions, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).version(), 1);

  // plan.changed on the create and on the update (not on the retry).
  EXPECT_EQ(CountEvents(f_, "plan.changed"), 2);

  // The kind and the start are fixed.
  update.mutable_plan()->set_etag(second.etag());
  update.mutable_update_mask()->clear_paths();
  update.mutable_update_mask()->add_paths("kind");
  EXPECT_TRUE(NamesField(f_.Admin()(&SupportStub::UpdateChainPlan, update, &out), "update_mask"));
}

TEST_F(SupportPlans, OnlyAdminsAndTheChainsOfficeWritePlansAndEveryRoleReadsThem) {
  v1::ChainPlan out;
  for (SupportCaller as : {f_.Viewer(), f_.Department("fgw"), f_.ChainOffice("nev-battery")}) {
    EXPECT_EQ(as(&SupportStub::CreateChainPlan, CreateRequest(PvActionPlan()), &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  const v1::ChainPlan pv = CreatePlan(f_.Admin(), PvActionPlan());
  v1::ChainPlan annual;
  annual.set_kind(v1::ANNUAL_KEY_POINTS);
  annual.set_title("新能源电池产业链2026年工作要点");
  annual.set_start_year(2026);  // end_year follows from the kind
  const v1::ChainPlan battery =
      CreatePlan(f_.ChainOffice("nev-battery"), annual, "", "nev-battery");
  EXPECT_EQ(battery.end_year(), 2026);

  v1::ListChainPlansRequest list;
  list.set_parent("chains/-");
  v1::ListChainPlansResponse listed;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlans, list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 2);
  list.set_filter("kind = THREE_YEAR_ACTION");
  ASSERT_TRUE(f_.Department("fgw")(&SupportStub::ListChainPlans, list, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).name(), pv.name());
  list.set_filter("end_year = 2026");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlans, list, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).name(), battery.name());
  list.set_parent("chains/pv");
  list.set_filter("");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlans, list, &listed).ok());
  EXPECT_EQ(listed.plans_size(), 1);
}

TEST_F(SupportPlans, BadPlansAreRefusedNamingTheField) {
  struct Case {
    std::string field;
    std::function<void(v1::ChainPlan*)> spoil;
  };
  const std::vector<Case> cases = {
      {"plan.kind", [](v1::ChainPlan* p) { p->set_kind(v1::PLAN_KIND_UNSPECIFIED); }},
      {"plan.title", [](v1::ChainPlan* p) { p->clear_title(); }},
      {"plan.end_year", [](v1::ChainPlan* p) { p->set_end_year(2030); }},
      {"plan.end_year", [](v1::ChainPlan* p) { p->set_kind(v1::FIVE_YEAR); }},
      {"plan.start_year", [](v1::ChainPlan* p) { p->set_start_year(1999); }},
      {"plan.targets[0].year", [](v1::ChainPlan* p) { p->mutable_targets(0)->set_year(2029); }},
      {"plan.targets[0].indicator",
       [](v1::ChainPlan* p) { p->mutable_targets(0)->set_indicator("output"); }},
      {"plan.targets[1]", [](v1::ChainPlan* p) { p->mutable_targets(1)->set_year(2026); }},
      {"plan.targets[0].value", [](v1::ChainPlan* p) { p->mutable_targets(0)->set_value(-1); }},
      {"plan.tasks[1].number", [](v1::ChainPlan* p) { p->mutable_tasks(1)->set_number("1"); }},
      {"plan.tasks[0].number", [](v1::ChainPlan* p) { p->mutable_tasks(0)->set_number("一"); }},
      {"plan.tasks[0].deadline",
       [](v1::ChainPlan* p) { p->mutable_tasks(0)->set_deadline("2029-01-01"); }},
      {"plan.tasks[0].deadline",
       [](v1::ChainPlan* p) { p->mutable_tasks(0)->set_deadline("2026-02-30"); }},
      {"plan.tasks[0].lead_department",
       [](v1::ChainPlan* p) { p->mutable_tasks(0)->set_lead_department("fgw"); }},
      {"plan.tasks[0].partner_departments[0]",
       [](v1::ChainPlan* p) { p->mutable_tasks(0)->set_partner_departments(0, "市招商局"); }},
      {"plan.tasks[1].projects[0]",
       [](v1::ChainPlan* p) { p->mutable_tasks(1)->set_projects(0, "projects/X Y"); }},
      {"plan.tasks[0].enterprises[0]",
       [](v1::ChainPlan* p) { p->mutable_tasks(0)->add_enterprises("enterprises/123"); }},
      {"plan.tasks[0].title",
       [](v1::ChainPlan* p) { p->mutable_tasks(0)->set_title(std::string(199, 'x')); }},
  };
  for (const Case& c : cases) {
    v1::ChainPlan p = PvActionPlan();
    c.spoil(&p);
    v1::ChainPlan out;
    grpc::Status s = f_.Admin()(&SupportStub::CreateChainPlan, CreateRequest(p), &out);
    EXPECT_TRUE(NamesField(s, c.field)) << c.field << ": " << s.error_message();
  }
}

TEST_F(SupportPlans, WithoutThePeersPublishingIsAFailedPreconditionNamingTheFlag) {
  const v1::ChainPlan plan = CreatePlan(f_.Admin(), PvActionPlan());
  v1::PublishChainPlanRequest req;
  req.set_name(plan.name());
  v1::ChainPlan out;
  grpc::Status s = f_.Admin()(&SupportStub::PublishChainPlan, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "--assessment_target")) << s.error_message();
  v1::ChainPlan tasks_only = PvActionPlan();
  tasks_only.clear_targets();
  req.set_name(CreatePlan(f_.Admin(), tasks_only).name());
  s = f_.Admin()(&SupportStub::PublishChainPlan, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "--intake_target")) << s.error_message();
  // A stale etag is refused before anything is sent.
  req.set_etag("stale");
  EXPECT_EQ(f_.Admin()(&SupportStub::PublishChainPlan, req, &out).error_code(),
            grpc::StatusCode::ABORTED);
}

// --- Progress
// -------------------------------------------------------------------------------------

TEST_F(SupportPlans, ProgressIsJudgedAgainstElapsedTimeAndEachRiskIsWarnedOncePerPeriod) {
  // Made in December, so the tasks run from 1 January.
  f_.clock().Set(ChinaTime(2025, 12, 20));
  const v1::ChainPlan annual = PvKeyPoints2026();
  const v1::ChainPlan plan = CreatePlan(f_.ChainOffice("pv"), annual);

  // 15 June: 166 of 365 days gone.
  f_.clock().Set(ChinaTime(2026, 6, 15));
  v1::ReportPlanProgressRequest report;
  report.set_name(plan.name());
  report.set_period("2026-05");
  (*report.mutable_actuals())["indicators/output"] = 120;
  (*report.mutable_actuals())["indicators/local_supporting_rate"] = 0.3;
  auto* r1 = report.add_tasks();
  r1->set_number("1");
  r1->set_percent_done(40);
  auto* r2 = report.add_tasks();
  r2->set_number("2");
  r2->set_percent_done(50);
  v1::PlanProgress progress;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, report, &progress).ok());
  const double elapsed = 166.0 / 365.0;
  EXPECT_EQ(progress.as_of(), "2026-06-15");
  ASSERT_EQ(progress.targets_size(), 2);
  const v1::TargetProgress& out = progress.targets(0);
  EXPECT_EQ(out.indicator(), "indicators/output");
  ASSERT_TRUE(out.has_actual());
  EXPECT_DOUBLE_EQ(out.actual(), 120);
  EXPECT_EQ(out.actual_period(), "2026-05");
  EXPECT_DOUBLE_EQ(out.completion(), 0.3);
  EXPECT_DOUBLE_EQ(out.elapsed(), elapsed);
  EXPECT_DOUBLE_EQ(out.gap(), 0.3 - elapsed);  // 15.5 points behind: at risk
  EXPECT_TRUE(out.at_risk());
  EXPECT_DOUBLE_EQ(progress.targets(1).completion(), 0.6);
  EXPECT_FALSE(progress.targets(1).at_risk());
  ASSERT_EQ(progress.tasks_size(), 2);
  EXPECT_DOUBLE_EQ(progress.tasks(0).expected(), elapsed);  // 40% against 45.5%: within margin
  EXPECT_FALSE(progress.tasks(0).at_risk());
  EXPECT_DOUBLE_EQ(progress.tasks(1).expected(), 166.0 / 181.0);  // 50% against 91.7%
  EXPECT_TRUE(progress.tasks(1).at_risk());
  EXPECT_DOUBLE_EQ(progress.completion(), (0.3 + 0.6 + 0.4 + 0.5) / 4);
  EXPECT_EQ(progress.at_risk(), 2);
  EXPECT_EQ(CountEvents(f_, "plan.target_at_risk"), 2);

  // Another report the same month: still at risk, not warned again.
  v1::ReportPlanProgressRequest later;
  later.set_name(plan.name());
  later.set_period("2026-06");
  auto* r3 = later.add_tasks();
  r3->set_number("1");
  r3->set_percent_done(45);
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, later, &progress).ok());
  EXPECT_EQ(progress.tasks(0).percent_done(), 45);
  EXPECT_EQ(progress.at_risk(), 2);
  EXPECT_EQ(CountEvents(f_, "plan.target_at_risk"), 2);

  // GetPlanProgress only reads; as of 30 April the May report has not begun.
  v1::GetPlanProgressRequest get;
  get.set_name(plan.name());
  get.set_as_of("2026-04-30");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetPlanProgress, get, &progress).ok());
  EXPECT_FALSE(progress.targets(0).has_actual());
  EXPECT_TRUE(progress.targets(0).at_risk());  // 32.9% of the year gone, nothing reported
  EXPECT_EQ(progress.tasks(0).percent_done(), 0);
  EXPECT_EQ(progress.at_risk(), 4);
  EXPECT_DOUBLE_EQ(progress.completion(), 0);
  get.clear_as_of();
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetPlanProgress, get, &progress).ok());
  EXPECT_EQ(progress.as_of(), "2026-06-15");
  EXPECT_EQ(progress.at_risk(), 2);
  EXPECT_EQ(CountEvents(f_, "plan.target_at_risk"), 2);

  // In July the same risks are warned about again, once: output still behind, task 2 overdue.
  f_.clock().Set(ChinaTime(2026, 7, 2));
  v1::ReportPlanProgressRequest july;
  july.set_name(plan.name());
  july.set_period("2026-06");
  (*july.mutable_actuals())["indicators/output"] = 150;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, july, &progress).ok());
  EXPECT_EQ(progress.targets(0).actual_period(), "2026-06");
  EXPECT_TRUE(progress.tasks(1).overdue());
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, july, &progress).ok());
  std::vector<v1::PlanAtRisk> warnings;
  for (const CloudEvent& e : f_.OutboxEvents()) {
    if (e.type() != "plan.target_at_risk") continue;
    EXPECT_EQ(StringAttribute(e, kSubjectAttribute), plan.name());
    EXPECT_EQ(StringAttribute(e, kChainAttribute), "chains/pv");
    auto payload = UnpackPayload<v1::PlanAtRisk>(e);
    ASSERT_TRUE(payload.ok()) << payload.status();
    warnings.push_back(*payload);
  }
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_EQ(warnings[0].plan_title(), "光伏产业链2026年工作要点");
  EXPECT_EQ(warnings[0].as_of(), "2026-06-15");
  EXPECT_EQ(warnings[0].target().indicator(), "indicators/output");
  EXPECT_EQ(warnings[1].task().number(), "2");
  EXPECT_EQ(warnings[2].as_of(), "2026-07-02");
  EXPECT_TRUE(warnings[3].task().overdue());
}

TEST_F(SupportPlans, BadProgressReportsAreRefusedNamingTheField) {
  const v1::ChainPlan plan = CreatePlan(f_.Admin(), PvActionPlan());
  auto refused = [&](const v1::ReportPlanProgressRequest& req, const std::string& field) {
    v1::PlanProgress out;
    grpc::Status s = f_.Admin()(&SupportStub::ReportPlanProgress, req, &out);
    EXPECT_TRUE(NamesField(s, field)) << field << ": " << s.error_message();
  };
  v1::ReportPlanProgressRequest req;
  req.set_name(plan.name());
  req.set_period("2026-05");
  refused(req, "actuals");
  (*req.mutable_actuals())["indicators/output"] = 1;
  req.set_period("2025-12");
  refused(req, "period");
  req.set_period("2026-5");
  refused(req, "period");
  req.set_period("2026-05");
  auto* task = req.add_tasks();
  task->set_number("9");
  refused(req, "tasks[0].number");
  task->set_number("1");
  task->set_percent_done(101);
  refused(req, "tasks[0].percent_done");
  task->set_percent_done(10);
  (*req.mutable_actuals())["indicators/tax"] = 1;
  refused(req, "actuals['indicators/tax']");
  v1::PlanProgress out;
  req.mutable_actuals()->erase("indicators/tax");
  EXPECT_EQ(f_.Viewer()(&SupportStub::ReportPlanProgress, req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, req, &out).ok());
}

// --- Publishing to real assessment and intake -------------------------------------------------

class SupportPlanPublishing : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (support_ != nullptr) support_->TearDown();
    delete support_;
    support_ = nullptr;
    if (peers_ != nullptr) peers_->TearDown();
    delete peers_;
    peers_ = nullptr;
  }

  void SetUp() override {
    if (peers_ == nullptr) {
      peers_ = new AssessmentFixture();
      ASSERT_NO_FATAL_FAILURE(peers_->SetUp());
      support_ = new SupportFixture();
      support_->peers.assessment = av1::Assessment::NewStub(
          grpc::CreateChannel(peers_->assessment_target(), grpc::InsecureChannelCredentials()));
      support_->peers.intake = iv1::ProjectIntake::NewStub(grpc::CreateChannel(
          peers_->intake().intake_target(), grpc::InsecureChannelCredentials()));
      ASSERT_NO_FATAL_FAILURE(support_->SetUp());
    }
    ASSERT_NE(support_, nullptr);
  }

  static AssessmentFixture& peers() { return *peers_; }
  static SupportFixture& f() { return *support_; }

  // A reported indicator in assessment, made by an assessor.
  static void Indicator(const std::string& key) {
    av1::CreateIndicatorRequest req;
    req.mutable_indicator()->set_name("indicators/" + key);
    req.mutable_indicator()->set_display_name(key);
    req.mutable_indicator()->mutable_reported()->set_owner_department(IntakeFixture::kDeptJxj);
    grpc::Status s = peers().Assessor().Status(&AssessmentStub::CreateIndicator, req);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // What assessment has for `indicator` on pv, by period.
  static std::map<std::string, double> Targets(const std::string& indicator) {
    av1::ListTargetsRequest req;
    req.set_subject("chains/pv");
    req.set_indicator(indicator);
    av1::ListTargetsResponse resp;
    EXPECT_TRUE(peers().Admin()(&AssessmentStub::ListTargets, req, &resp).ok());
    std::map<std::string, double> out;
    for (const auto& t : resp.targets()) out[t.period()] = t.value();
    return out;
  }

  // How many times a target was set on `indicator` (assessment's audit trail).
  static int TargetsSet(const std::string& indicator) {
    return static_cast<int>(
               AuditRowsOf(peers().Admin(), "resource = \"" + indicator + "\"").size()) -
           1;  // the indicator's own creation
  }

  // Intake's tasks owned by `department`.
  static std::vector<iv1::WorkItem> Tasks(const std::string& department) {
    iv1::ListWorkItemsRequest req;
    req.set_filter("kind = \"TASK\" AND owner_department = \"" + department + "\"");
    req.set_page_size(100);
    iv1::ListWorkItemsResponse resp;
    grpc::Status s = peers().intake().IntakeAdmin()(&IntakeStub::ListWorkItems, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.work_items().begin(), resp.work_items().end()};
  }

  static grpc::Status Publish(const SupportCaller& as, const std::string& name,
                              v1::ChainPlan* out) {
    v1::PublishChainPlanRequest req;
    req.set_name(name);
    return as(&SupportStub::PublishChainPlan, req, out);
  }

 private:
  static inline AssessmentFixture* peers_ = nullptr;
  static inline SupportFixture* support_ = nullptr;
};

TEST_F(SupportPlanPublishing, PublishingSetsTheTargetsAndMakesTheTasksOnceAndOnlyWhatChangedAgain) {
  ASSERT_NO_FATAL_FAILURE(Indicator("p1_output"));
  ASSERT_NO_FATAL_FAILURE(Indicator("p1_rate"));
  const std::string lead = "departments/p1-fgw";
  const v1::ChainPlan plan =
      CreatePlan(f().Admin(), PvActionPlan("indicators/p1_output", "indicators/p1_rate", lead));

  v1::ChainPlan published;
  grpc::Status s = Publish(f().Admin(), plan.name(), &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(published.published_version(), 1);
  EXPECT_EQ(Targets("indicators/p1_output"),
            (std::map<std::string, double>{{"2026", 400}, {"2027", 520}, {"2028", 650}}));
  EXPECT_EQ(Targets("indicators/p1_rate"), (std::map<std::string, double>{{"2026", 0.5}}));
  std::vector<iv1::WorkItem> tasks = Tasks(lead);
  ASSERT_EQ(tasks.size(), 2u);
  std::map<std::string, iv1::WorkItem> by_title;
  for (const auto& t : tasks) by_title[t.title()] = t;
  ASSERT_TRUE(by_title.contains("1 引进培育链主企业"));
  const iv1::WorkItem& first = by_title["1 引进培育链主企业"];
  EXPECT_EQ(first.subject(), "chains/pv");
  EXPECT_EQ(first.deadline(), "2026-12-31");
  EXPECT_TRUE(absl::StrContains(first.description(), plan.name())) << first.description();
  EXPECT_TRUE(absl::StrContains(first.description(), "王强")) << first.description();
  // The plan names the tasks it became.
  ASSERT_EQ(published.tasks_size(), 2);
  EXPECT_EQ(published.tasks(0).work_item(), first.name());
  EXPECT_TRUE(absl::StartsWith(published.tasks(1).work_item(), "tasks/"));

  // A second publish sends nothing.
  ASSERT_TRUE(Publish(f().Admin(), plan.name(), &published).ok());
  EXPECT_EQ(Tasks(lead).size(), 2u);
  EXPECT_EQ(TargetsSet("indicators/p1_output"), 3);
  EXPECT_EQ(TargetsSet("indicators/p1_rate"), 1);

  // After an update, only the changed target and task are sent: the task is updated in place.
  v1::UpdateChainPlanRequest update;
  *update.mutable_plan() = published;
  update.mutable_plan()->mutable_targets(1)->set_value(540);
  update.mutable_plan()->mutable_tasks(0)->set_deadline("2026-11-30");
  v1::ChainPlan second;
  ASSERT_TRUE(f().Admin()(&SupportStub::UpdateChainPlan, update, &second).ok());
  EXPECT_EQ(second.published_version(), 1);
  ASSERT_TRUE(Publish(f().Admin(), plan.name(), &published).ok());
  EXPECT_EQ(published.published_version(), 2);
  EXPECT_EQ(Targets("indicators/p1_output")["2027"], 540);
  EXPECT_EQ(TargetsSet("indicators/p1_output"), 4);
  tasks = Tasks(lead);
  ASSERT_EQ(tasks.size(), 2u);
  for (const auto& t : tasks) {
    if (t.name() == first.name()) {
      EXPECT_EQ(t.deadline(), "2026-11-30");
    }
  }
  // plan.changed: create, publish, publish, update, publish.
  int changed = 0;
  for (const CloudEvent& e : f().OutboxEvents()) {
    changed += e.type() == "plan.changed" && StringAttribute(e, kSubjectAttribute) == plan.name();
  }
  EXPECT_EQ(changed, 5);
}

TEST_F(SupportPlanPublishing, AChainOfficeWithoutTheRightToSetTargetsGetsAssessmentsRefusal) {
  ASSERT_NO_FATAL_FAILURE(Indicator("p2_output"));
  ASSERT_NO_FATAL_FAILURE(Indicator("p2_rate"));
  const v1::ChainPlan plan =
      CreatePlan(f().ChainOffice("pv"),
                 PvActionPlan("indicators/p2_output", "indicators/p2_rate", "departments/p2"));
  v1::ChainPlan out;
  grpc::Status s = Publish(f().ChainOffice("pv"), plan.name(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "indicators/p2_output 2026"))
      << s.error_message();
  EXPECT_TRUE(Targets("indicators/p2_output").empty());
  EXPECT_TRUE(Tasks("departments/p2").empty());
  v1::GetChainPlanRequest get;
  get.set_name(plan.name());
  ASSERT_TRUE(f().Viewer()(&SupportStub::GetChainPlan, get, &out).ok());
  EXPECT_EQ(out.published_version(), 0);
  // Another chain's office is refused by support itself.
  EXPECT_EQ(Publish(f().ChainOffice("nev-battery"), plan.name(), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // With the assessor's right too, the same office publishes.
  const SupportCaller office_assessor =
      f().As(MintTestToken("departments/fgw", {"chain_office", "assessor"}, {"pv"}));
  s = Publish(office_assessor, plan.name(), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Targets("indicators/p2_output").size(), 3u);
  EXPECT_EQ(Tasks("departments/p2").size(), 2u);
}

TEST_F(SupportPlanPublishing, AFailurePartWayKeepsWhatWasPublishedAndARepublishContinues) {
  ASSERT_NO_FATAL_FAILURE(Indicator("p3_output"));
  // indicators/p3_rate does not exist in assessment yet.
  const std::string lead = "departments/p3";
  const v1::ChainPlan plan =
      CreatePlan(f().Admin(), PvActionPlan("indicators/p3_output", "indicators/p3_rate", lead));
  v1::ChainPlan out;
  grpc::Status s = Publish(f().Admin(), plan.name(), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "indicators/p3_rate 2026")) << s.error_message();
  EXPECT_EQ(Targets("indicators/p3_output").size(), 3u);
  EXPECT_TRUE(Tasks(lead).empty());

  ASSERT_NO_FATAL_FAILURE(Indicator("p3_rate"));
  s = Publish(f().Admin(), plan.name(), &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.published_version(), 1);
  // The targets set before the failure were not set again.
  EXPECT_EQ(TargetsSet("indicators/p3_output"), 3);
  EXPECT_EQ(Targets("indicators/p3_rate").size(), 1u);
  EXPECT_EQ(Tasks(lead).size(), 2u);
}

}  // namespace
}  // namespace chainhub::testing
