// The assessment service end to end over gRPC: indicators, schemes and their versions, targets,
// reported values, a final run scored from the facts intake's events carried in, explanations,
// replays that reproduce the digest, schedules that run once, provisional runs kept current,
// authorization and validation.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "common/events/cloud_event.h"
#include "services/assessment/periods.h"
#include "services/assessment/scheduler.h"
#include "tests/support/assessment_fixture.h"
#include "tests/support/events_util.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;

class AssessmentServiceTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (fixture_ != nullptr) fixture_->TearDown();
    delete fixture_;
    fixture_ = nullptr;
  }

  void SetUp() override {
    if (fixture_ == nullptr) {
      fixture_ = new AssessmentFixture();
      ASSERT_NO_FATAL_FAILURE(fixture_->SetUp());
      ASSERT_NO_FATAL_FAILURE(SeedAssessment());
    }
  }

  static AssessmentFixture& fx() { return *fixture_; }

  // Today in China and the quarter it is in: the period the tests assess.
  static absl::CivilDay Today() { return assessment::ChinaDay(absl::Now()); }
  static std::string Quarter() {
    return assessment::PeriodOf(av1::CADENCE_QUARTERLY, Today()).String();
  }
  static std::string Year() { return assessment::PeriodOf(av1::CADENCE_ANNUAL, Today()).String(); }

  static av1::Indicator CountIndicator(const std::string& key, const std::string& display_name,
                                       int64_t min_yuan) {
    av1::Indicator i;
    i.set_name("indicators/" + key);
    i.set_display_name(display_name);
    i.set_unit("个");
    i.set_direction(av1::DIRECTION_HIGHER_IS_BETTER);
    auto* m = i.mutable_measure();
    m->set_entity(av1::MEASURE_ENTITY_PROJECTS);
    m->set_aggregate(av1::AGGREGATE_COUNT);
    m->mutable_projects()->set_reached_in_period(iv1::STAGE_SIGNED);
    m->mutable_projects()->set_min_total_investment_yuan(min_yuan);
    return i;
  }

  static grpc::Status CreateIndicator(const av1::Indicator& indicator) {
    av1::CreateIndicatorRequest req;
    *req.mutable_indicator() = indicator;
    return fx().Assessor().Status(&AssessmentStub::CreateIndicator, req);
  }

  // The scheme the tests run: 60 points for signed ≥1亿 projects (10 each), 40 for output
  // against its target (cap 1.2), a bonus of 4 per signed ≥10亿 project (at most 8).
  static av1::Scheme TestScheme() {
    av1::Scheme s;
    s.set_name("schemes/test");
    s.set_display_name("测试考核方案");
    s.set_total_points(100);
    auto* signed_item = s.add_items();
    signed_item->set_key("signed");
    signed_item->set_indicator("indicators/signed_1e8");
    signed_item->set_points(60);
    signed_item->mutable_per_unit()->set_points_per_unit(10);
    auto* output = s.add_items();
    output->set_key("output");
    output->set_indicator("indicators/output");
    output->set_points(40);
    output->mutable_ratio_to_target()->set_cap(1.2);
    auto* bonus = s.add_items();
    bonus->set_key("big");
    bonus->set_indicator("indicators/signed_1e9");
    bonus->set_points(8);
    bonus->mutable_bonus()->set_per_unit(4);
    auto* grading = s.mutable_grading()->mutable_thresholds();
    grading->set_excellent(90);
    grading->set_good(80);
    grading->set_pass(60);
    return s;
  }

  static grpc::Status PutScheme(const av1::Scheme& scheme, av1::Scheme* out = nullptr) {
    av1::PutSchemeRequest req;
    *req.mutable_scheme() = scheme;
    av1::Scheme resp;
    grpc::Status s = fx().Assessor()(&AssessmentStub::PutScheme, req, &resp);
    if (out != nullptr) *out = resp;
    return s;
  }

  static grpc::Status SetTarget(const std::string& subject, const std::string& period,
                                double value) {
    av1::SetTargetRequest req;
    req.mutable_target()->set_subject(subject);
    req.mutable_target()->set_indicator("indicators/output");
    req.mutable_target()->set_period(period);
    req.mutable_target()->set_value(value);
    return fx().Assessor().Status(&AssessmentStub::SetTarget, req);
  }

  static grpc::Status ReportOutput(const std::string& token, const std::string& subject,
                                   double value) {
    av1::ReportValueRequest req;
    req.mutable_value()->set_subject(subject);
    req.mutable_value()->set_indicator("indicators/output");
    req.mutable_value()->set_period(Quarter());
    req.mutable_value()->set_value(value);
    req.mutable_value()->set_evidence("统计局季度快报");
    return fx().As(token).Status(&AssessmentStub::ReportValue, req);
  }

  // A project on `chain` of `total_yuan`, signed today.
  static void SignedProject(const std::string& chain, int64_t total_yuan,
                            const std::string& display_name) {
    auto admin = fx().intake().IntakeAdmin();
    iv1::Project p = CreateProject(admin, MakeProject(display_name, chain, total_yuan));
    ASSERT_FALSE(p.name().empty());
    grpc::Status s = Transition(admin, p.name(), iv1::STAGE_SIGNED,
                                assessment::FormatDate(Today()), "签约");
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static void SeedAssessment() {
    ASSERT_TRUE(CreateIndicator(CountIndicator("signed_1e8", "新签约亿元以上项目数", 100'000'000))
                    .ok());
    ASSERT_TRUE(
        CreateIndicator(CountIndicator("signed_1e9", "新签约10亿元以上项目数", 1'000'000'000))
            .ok());
    av1::Indicator output;
    output.set_name("indicators/output");
    output.set_display_name("产值");
    output.set_unit("亿元");
    output.mutable_reported()->set_owner_department(IntakeFixture::kDeptJxj);
    ASSERT_TRUE(CreateIndicator(output).ok());
    grpc::Status put = PutScheme(TestScheme());
    ASSERT_TRUE(put.ok()) << put.error_message();
    // pv's annual target gives its quarter 1/4; nev-battery's quarter is set.
    ASSERT_TRUE(SetTarget("chains/pv", Year(), 400).ok());
    ASSERT_TRUE(SetTarget("chains/nev-battery", Quarter(), 100).ok());
    const std::string jxj = IntakeFixture::department_token(IntakeFixture::kDeptJxj);
    ASSERT_TRUE(ReportOutput(jxj, "chains/pv", 120).ok());
    ASSERT_TRUE(ReportOutput(jxj, "chains/nev-battery", 50).ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_NO_FATAL_FAILURE(SignedProject("pv", 1'500'000'000, absl::StrCat("光伏组件项目", i)));
    }
    ASSERT_NO_FATAL_FAILURE(SignedProject("nev-battery", 200'000'000, "电池材料项目"));
    ASSERT_NO_FATAL_FAILURE(SignedProject("nev-battery", 50'000'000, "小型配套项目"));
    ASSERT_TRUE(fx().WaitForFacts());
  }

  static av1::Run CreateRun(av1::RunKind kind, const std::string& scheme = "schemes/test") {
    av1::CreateRunRequest req;
    req.set_scheme(scheme);
    req.set_period(Quarter());
    req.set_kind(kind);
    av1::Run run;
    grpc::Status s = fx().Assessor()(&AssessmentStub::CreateRun, req, &run);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return run;
  }

  static const av1::SubjectResult* ResultOf(const av1::Run& run, const std::string& subject) {
    for (const auto& r : run.results()) {
      if (r.subject() == subject) return &r;
    }
    return nullptr;
  }

  static av1::ReplayRunResponse Replay(const av1::Run& run) {
    av1::ReplayRunRequest req;
    req.set_name(run.name());
    av1::ReplayRunResponse resp;
    grpc::Status s = fx().Assessor()(&AssessmentStub::ReplayRun, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

 private:
  static inline AssessmentFixture* fixture_ = nullptr;
};

TEST_F(AssessmentServiceTest, FinalRunScoresRanksAndGradesFromTheFacts) {
  av1::Run run = CreateRun(av1::RUN_KIND_FINAL);
  ASSERT_EQ(run.results_size(), 2) << run.DebugString();
  EXPECT_TRUE(run.published());
  EXPECT_EQ(run.scheme_version(), 1);
  EXPECT_EQ(run.inputs_digest().size(), 64u);
  // pv: 3 signed × 10 = 30; output 120 ÷ (400 ÷ 4) = 1.2 → 40 × 1.2 = 48; bonus 3 × 4 capped at
  // 8. nev-battery: 1 signed ≥1亿 (the 0.5亿 one does not count) → 10; 50 ÷ 100 × 40 = 20; 0.
  const av1::SubjectResult* pv = ResultOf(run, "chains/pv");
  const av1::SubjectResult* nev = ResultOf(run, "chains/nev-battery");
  ASSERT_NE(pv, nullptr);
  ASSERT_NE(nev, nullptr);
  EXPECT_NEAR(pv->total(), 86, 1e-9);
  EXPECT_NEAR(nev->total(), 30, 1e-9);
  EXPECT_EQ(pv->rank(), 1);
  EXPECT_EQ(nev->rank(), 2);
  EXPECT_EQ(pv->grade(), av1::GRADE_GOOD);
  EXPECT_EQ(nev->grade(), av1::GRADE_FAIL);
  ASSERT_EQ(pv->items_size(), 3);
  EXPECT_EQ(pv->items(0).key(), "signed");
  EXPECT_NEAR(pv->items(0).actual(), 3, 1e-9);
  EXPECT_NEAR(pv->items(1).target(), 100, 1e-9);
  EXPECT_TRUE(pv->items(1).has_target());
  EXPECT_FALSE(pv->items(1).formula().empty());

  // Explanations: the three projects behind pv's signed count, a page at a time.
  av1::ExplainScoreRequest explain;
  explain.set_run(run.name());
  explain.set_subject("chains/pv");
  explain.set_item("signed");
  explain.set_page_size(2);
  av1::ExplainScoreResponse page;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ExplainScore, explain, &page).ok());
  EXPECT_EQ(page.total_size(), 3);
  ASSERT_EQ(page.facts_size(), 2);
  EXPECT_TRUE(absl::StartsWith(page.facts(0).resource(), "projects/"));
  ASSERT_FALSE(page.next_page_token().empty());
  explain.set_page_token(page.next_page_token());
  av1::ExplainScoreResponse rest;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ExplainScore, explain, &rest).ok());
  EXPECT_EQ(rest.facts_size(), 1);
  EXPECT_TRUE(rest.next_page_token().empty());

  // The run is announced.
  auto entries = fx().intake().redis_client().Command(
      {"XRANGE", std::string(kEventStream), "-", "+"});
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(Mentions(*entries, "assessment.run_completed"));
}

TEST_F(AssessmentServiceTest, ReplayReproducesARunWhateverHappenedSince) {
  av1::Run first = CreateRun(av1::RUN_KIND_FINAL);
  av1::ReplayRunResponse same = Replay(first);
  EXPECT_TRUE(same.matches()) << same.DebugString();
  EXPECT_EQ(same.replayed_digest(), first.inputs_digest());

  // Later facts, a later target and a new scheme version do not change the recorded run.
  ASSERT_NO_FATAL_FAILURE(SignedProject("nev-battery", 300'000'000, "电池回收项目"));
  ASSERT_TRUE(fx().WaitForFacts());
  ASSERT_TRUE(SetTarget("chains/nev-battery", Quarter(), 200).ok());
  av1::Scheme edited = TestScheme();
  edited.mutable_items(0)->mutable_per_unit()->set_points_per_unit(20);
  av1::Scheme v2;
  ASSERT_TRUE(PutScheme(edited, &v2).ok());
  EXPECT_EQ(v2.version(), first.scheme_version() + 1);

  av1::ReplayRunResponse later = Replay(first);
  EXPECT_TRUE(later.matches()) << later.DebugString();
  av1::GetRunRequest get;
  get.set_name(first.name());
  av1::Run stored;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::GetRun, get, &stored).ok());
  EXPECT_EQ(stored.SerializeAsString(), first.SerializeAsString());

  // A new run sees the new facts under the new version: nev-battery 2 signed × 20 = 40,
  // 50 ÷ 200 × 40 = 10.
  av1::Run second = CreateRun(av1::RUN_KIND_FINAL);
  EXPECT_EQ(second.scheme_version(), v2.version());
  EXPECT_NE(second.inputs_digest(), first.inputs_digest());
  const av1::SubjectResult* nev = ResultOf(second, "chains/nev-battery");
  ASSERT_NE(nev, nullptr);
  EXPECT_NEAR(nev->items(0).actual(), 2, 1e-9);
  EXPECT_NEAR(nev->total(), 50, 1e-9);
  // Restore the scheme's first content for the other tests (a third version).
  ASSERT_TRUE(PutScheme(TestScheme()).ok());
  ASSERT_TRUE(SetTarget("chains/nev-battery", Quarter(), 100).ok());
}

TEST_F(AssessmentServiceTest, PuttingAnUnchangedSchemeKeepsItsVersion) {
  av1::Scheme first;
  ASSERT_TRUE(PutScheme(TestScheme(), &first).ok());
  av1::Scheme again;
  ASSERT_TRUE(PutScheme(TestScheme(), &again).ok());
  EXPECT_EQ(again.version(), first.version());
  av1::ListSchemeVersionsRequest req;
  req.set_parent("schemes/test");
  av1::ListSchemeVersionsResponse versions;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ListSchemeVersions, req, &versions).ok());
  ASSERT_GE(versions.schemes_size(), 1);
  EXPECT_EQ(versions.schemes(0).version(), first.version());  // newest first
}

TEST_F(AssessmentServiceTest, ASchemeThatDoesNotValidateIsRefusedNamingTheItem) {
  av1::Scheme bad = TestScheme();
  bad.set_name("schemes/bad");
  bad.mutable_items(1)->set_indicator("indicators/nothing_like_it");
  av1::PutSchemeRequest req;
  *req.mutable_scheme() = bad;
  grpc::Status s = fx().Assessor().Status(&AssessmentStub::PutScheme, req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("items[1]"), std::string::npos) << s.error_message();

  av1::Scheme short_points = TestScheme();
  short_points.set_name("schemes/short");
  short_points.mutable_items(0)->set_points(50);  // 50 + 40 ≠ 100
  *req.mutable_scheme() = short_points;
  s = fx().Assessor().Status(&AssessmentStub::PutScheme, req);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("total_points"), std::string::npos) << s.error_message();
}

TEST_F(AssessmentServiceTest, OnlyTheOwnerDepartmentReportsAValueAndHistoryIsKept) {
  const std::string fgw = IntakeFixture::department_token(IntakeFixture::kDeptFgw);
  EXPECT_EQ(ReportOutput(fgw, "chains/pv", 999).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string jxj = IntakeFixture::department_token(IntakeFixture::kDeptJxj);
  ASSERT_TRUE(ReportOutput(jxj, "chains/pv", 130).ok());
  ASSERT_TRUE(ReportOutput(jxj, "chains/pv", 120).ok());  // corrected back
  av1::ListReportedValuesRequest req;
  req.set_subject("chains/pv");
  req.set_indicator("indicators/output");
  req.set_period(Quarter());
  req.set_include_history(true);
  av1::ListReportedValuesResponse resp;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ListReportedValues, req, &resp).ok());
  ASSERT_GE(resp.values_size(), 3);
  req.set_include_history(false);
  av1::ListReportedValuesResponse latest;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ListReportedValues, req, &latest).ok());
  ASSERT_EQ(latest.values_size(), 1);
  EXPECT_NEAR(latest.values(0).value(), 120, 1e-9);
  EXPECT_EQ(latest.values(0).revision(), resp.values_size());
}

TEST_F(AssessmentServiceTest, ReadersSeeWhatTheirRoleAllows) {
  av1::CreateRunRequest create;
  create.set_scheme("schemes/test");
  create.set_period(Quarter());
  create.set_kind(av1::RUN_KIND_PROVISIONAL);
  EXPECT_EQ(fx().As(IntakeFixture::viewer_token()).Status(&AssessmentStub::CreateRun, create)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  av1::Run provisional = CreateRun(av1::RUN_KIND_PROVISIONAL);
  EXPECT_FALSE(provisional.published());
  av1::GetRunRequest get;
  get.set_name(provisional.name());
  EXPECT_EQ(
      fx().As(IntakeFixture::viewer_token()).Status(&AssessmentStub::GetRun, get).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  av1::Run final_run = CreateRun(av1::RUN_KIND_FINAL);
  get.set_name(final_run.name());
  EXPECT_TRUE(fx().As(IntakeFixture::viewer_token()).Status(&AssessmentStub::GetRun, get).ok());

  // A chain office explains its own chain only.
  const std::string pv_office = IntakeFixture::office_token({"pv"});
  av1::ExplainScoreRequest explain;
  explain.set_run(final_run.name());
  explain.set_item("signed");
  explain.set_subject("chains/pv");
  EXPECT_TRUE(fx().As(pv_office).Status(&AssessmentStub::ExplainScore, explain).ok());
  explain.set_subject("chains/nev-battery");
  EXPECT_EQ(fx().As(pv_office).Status(&AssessmentStub::ExplainScore, explain).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A viewer lists published runs only.
  av1::ListRunsRequest list;
  list.set_scheme("schemes/test");
  av1::ListRunsResponse runs;
  ASSERT_TRUE(fx().As(IntakeFixture::viewer_token())(&AssessmentStub::ListRuns, list, &runs).ok());
  for (const auto& r : runs.runs()) EXPECT_TRUE(r.published()) << r.name();
}

TEST_F(AssessmentServiceTest, AScheduleMakesEachFinalRunOnceAcrossReplicas) {
  // A scheme without targets (a final run needs every ratio item's target), quarterly, due at
  // once after the quarter ends: the previous quarter is due now.
  av1::Scheme counts;
  counts.set_name("schemes/counts");
  counts.set_display_name("项目数考核");
  counts.set_total_points(60);
  auto* item = counts.add_items();
  item->set_key("signed");
  item->set_indicator("indicators/signed_1e8");
  item->set_points(60);
  item->mutable_per_unit()->set_points_per_unit(10);
  auto* grading = counts.mutable_grading()->mutable_thresholds();
  grading->set_excellent(50);
  grading->set_good(40);
  grading->set_pass(20);
  ASSERT_TRUE(PutScheme(counts).ok());
  av1::PutScheduleRequest put;
  put.mutable_schedule()->set_name("schedules/counts-quarterly");
  put.mutable_schedule()->set_scheme("schemes/counts");
  put.mutable_schedule()->set_cadence(av1::CADENCE_QUARTERLY);
  put.mutable_schedule()->set_days_after_period_end(0);
  put.mutable_schedule()->set_time_of_day("00:00");
  ASSERT_TRUE(fx().Assessor().Status(&AssessmentStub::PutSchedule, put).ok());

  auto made = fx().scheduler().RunDue();
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(*made, 1);
  made = fx().scheduler().RunDue();
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(*made, 0);
  // Another replica: the lease is held, and the period is done anyway.
  assessment::SchedulerOptions other;
  other.holder = "another-replica";
  assessment::Scheduler second(fx().store(), nullptr, other, Clock::Real());
  made = second.RunDue();
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(*made, 0);

  av1::ListRunsRequest list;
  list.set_scheme("schemes/counts");
  list.set_trigger(av1::RUN_TRIGGER_SCHEDULED);
  av1::ListRunsResponse runs;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ListRuns, list, &runs).ok());
  ASSERT_EQ(runs.runs_size(), 1);
  EXPECT_EQ(runs.runs(0).kind(), av1::RUN_KIND_FINAL);
  const std::string previous_quarter =
      assessment::PeriodOf(av1::CADENCE_QUARTERLY, Today()).Previous().String();
  EXPECT_EQ(runs.runs(0).period(), previous_quarter);
  av1::ListSchedulesResponse schedules;
  ASSERT_TRUE(fx().Assessor()(&AssessmentStub::ListSchedules, av1::ListSchedulesRequest(),
                              &schedules)
                  .ok());
  ASSERT_GE(schedules.schedules_size(), 1);
  EXPECT_EQ(schedules.schedules(0).last_period(), previous_quarter);
}

TEST_F(AssessmentServiceTest, AProvisionalRunFollowsTheFactsAndIsStoredOnlyWhenItMoves) {
  av1::PutScheduleRequest put;
  put.mutable_schedule()->set_name("schedules/test-provisional");
  put.mutable_schedule()->set_scheme("schemes/test");
  put.mutable_schedule()->set_cadence(av1::CADENCE_QUARTERLY);
  put.mutable_schedule()->set_days_after_period_end(90);
  put.mutable_schedule()->set_keep_provisional(true);
  ASSERT_TRUE(fx().Assessor().Status(&AssessmentStub::PutSchedule, put).ok());
  auto stored = fx().scheduler().RefreshProvisional();
  ASSERT_TRUE(stored.ok()) << stored.status();
  stored = fx().scheduler().RefreshProvisional();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, 0) << "nothing changed, nothing stored";

  // Started, the scheduler recomputes shortly after the facts change.
  auto count_event_runs = [] {
    av1::ListRunsRequest list;
    list.set_scheme("schemes/test");
    list.set_trigger(av1::RUN_TRIGGER_EVENT);
    list.set_page_size(1000);
    av1::ListRunsResponse runs;
    EXPECT_TRUE(fx().Assessor()(&AssessmentStub::ListRuns, list, &runs).ok());
    return runs.runs_size();
  };
  const int before = count_event_runs();
  fx().scheduler().Start();
  // Let the scheduler make its first look and go to sleep until the next one (30 s away): the
  // change must wake it, not the look after it.
  absl::SleepFor(absl::Milliseconds(500));
  ASSERT_NO_FATAL_FAILURE(SignedProject("nev-battery", 400'000'000, "电池隔膜项目"));
  ASSERT_TRUE(fx().WaitForFacts());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (count_event_runs() == before && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  fx().scheduler().Stop();
  EXPECT_EQ(count_event_runs(), before + 1);
}

}  // namespace
}  // namespace chainhub::testing
