// ProjectIntake's monthly progress reports, traffic lights and summaries over gRPC: cumulative
// rules, replacing a month (revision, audit of what was replaced), EvaluateLights on a missed
// start and on time-proportional progress with project.light_changed events, light rules (admin
// only, checked), and SummarizeProjects against what was created. Today is 2026-06-15.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakeProgress : public SharedIntakeTest<IntakeProgress> {
 protected:
  // A project on `chain` started on 2026-02-01 (negotiating from 2026-01-05).
  static iv1::Project Started(const std::string& display_name, const std::string& chain,
                              int64_t total, int64_t annual_plan) {
    iv1::Project p = MakeProject(display_name, chain, total);
    p.set_annual_planned_investment_yuan(annual_plan);
    p.set_stage(iv1::STAGE_STARTED);
    p.mutable_stage_dates()->set_negotiating("2026-01-05");
    p.mutable_stage_dates()->set_signed_("2026-01-10");
    p.mutable_stage_dates()->set_registered("2026-01-15");
    p.mutable_stage_dates()->set_started("2026-02-01");
    return CreateProject(admin(), p);
  }

  static iv1::EvaluateLightsResponse Evaluate(const std::string& chain, const std::string& date,
                                              bool dry_run = false) {
    iv1::EvaluateLightsRequest req;
    req.set_chain(chain);
    req.set_date(date);
    req.set_dry_run(dry_run);
    iv1::EvaluateLightsResponse resp;
    grpc::Status s = admin()(&IntakeStub::EvaluateLights, req, &resp);
    EXPECT_TRUE(s.ok()) << "EvaluateLights " << chain << " " << date << ": " << s.error_message();
    return resp;
  }
};

TEST_F(IntakeProgress, ReportsCumulativeFiguresThatNeverDecreaseNorPassTheTotal) {
  iv1::Project p = Started("月报项目", "pv", 1'000'000'000, 400'000'000);
  iv1::ProgressReport r;
  ASSERT_TRUE(Report(admin(), p.name(), "2026-03", 100'000'000, 50'000'000, false, &r).ok());
  EXPECT_EQ(r.name(), p.name() + "/progressReports/2026-03");
  EXPECT_EQ(r.revision(), 1);
  EXPECT_EQ(r.principal(), "systems/test-admin");
  iv1::Project got = GetProject(viewer(), p.name());
  EXPECT_EQ(got.completed_investment_yuan(), 100'000'000);
  EXPECT_EQ(got.funds_arrived_yuan(), 50'000'000);
  EXPECT_EQ(got.last_report_month(), "2026-03");

  grpc::Status s = Report(admin(), p.name(), "2026-04", 80'000'000, 60'000'000);
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "report.cumulative_completed_yuan"))
      << s.error_message();
  // A late report for an earlier month must fit below the later one.
  s = Report(admin(), p.name(), "2026-02", 150'000'000, 10'000'000);
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  s = Report(admin(), p.name(), "2026-02", 50'000'000, 60'000'000);
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "report.cumulative_funds_arrived_yuan"))
      << s.error_message();
  ASSERT_TRUE(Report(admin(), p.name(), "2026-02", 50'000'000, 20'000'000).ok());
  EXPECT_EQ(GetProject(viewer(), p.name()).last_report_month(), "2026-03");  // still the latest

  s = Report(admin(), p.name(), "2026-04", 1'200'000'000, 60'000'000);
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "allow_over_total")) << s.error_message();
  ASSERT_TRUE(Report(admin(), p.name(), "2026-04", 1'200'000'000, 60'000'000, true).ok());
  EXPECT_EQ(GetProject(viewer(), p.name()).completed_investment_yuan(), 1'200'000'000);

  EXPECT_TRUE(HasCode(Report(admin(), p.name(), "2026-07", 1'300'000'000, 70'000'000, true),
                      StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(IsInvalidField(Report(admin(), p.name(), "2026-13", 1, 1), "report.month"));
  EXPECT_TRUE(IsInvalidField(Report(admin(), p.name(), "2026-05", -1, 1),
                             "report.cumulative_completed_yuan"));

  iv1::ListProgressReportsRequest list;
  list.set_parent(p.name());
  list.set_page_size(2);
  std::vector<std::string> months;
  for (int page = 0; page < 5; ++page) {
    iv1::ListProgressReportsResponse resp;
    ASSERT_TRUE(viewer()(&IntakeStub::ListProgressReports, list, &resp).ok());
    for (const auto& report : resp.progress_reports()) months.push_back(report.month());
    if (resp.next_page_token().empty()) break;
    list.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(months, (std::vector<std::string>{"2026-02", "2026-03", "2026-04"}));
}

TEST_F(IntakeProgress, ReReportingAMonthReplacesItAndTheAuditKeepsWhatItReplaced) {
  iv1::Project p = Started("重报项目", "pv", 1'000'000'000, 400'000'000);
  ASSERT_TRUE(Report(admin(), p.name(), "2026-04", 100'000'000, 50'000'000).ok());
  iv1::ProgressReport r;
  ASSERT_TRUE(Report(As(IntakeFixture::department_token(IntakeFixture::kDeptFgw)), p.name(),
                     "2026-04", 120'000'000, 55'000'000, false, &r)
                  .ok());
  EXPECT_EQ(r.revision(), 2);
  EXPECT_EQ(r.cumulative_completed_yuan(), 120'000'000);
  EXPECT_EQ(r.principal(), IntakeFixture::kDeptFgw);

  iv1::ListProgressReportsRequest list;
  list.set_parent(p.name());
  iv1::ListProgressReportsResponse reports;
  ASSERT_TRUE(viewer()(&IntakeStub::ListProgressReports, list, &reports).ok());
  ASSERT_EQ(reports.progress_reports_size(), 1);
  EXPECT_EQ(reports.progress_reports(0).revision(), 2);
  EXPECT_EQ(GetProject(viewer(), p.name()).completed_investment_yuan(), 120'000'000);

  std::vector<common::v1::AuditEvent> rows =
      IntakeAuditRows(admin(), absl::StrCat("resource = \"", r.name(), "\""));
  ASSERT_EQ(rows.size(), 2u);
  // Newest first: the replacement names what it replaced.
  EXPECT_EQ(rows[0].principal(), IntakeFixture::kDeptFgw);
  EXPECT_TRUE(absl::StrContains(rows[0].detail(), "replaced revision 1")) << rows[0].detail();
  EXPECT_TRUE(absl::StrContains(rows[0].detail(), "completed=100000000")) << rows[0].detail();
  EXPECT_TRUE(absl::StrContains(rows[0].detail(), "systems/test-admin")) << rows[0].detail();
}

TEST_F(IntakeProgress, EvaluateLightsTurnsAMissedStartYellowThenRedAndPublishesTheChanges) {
  fx().CreateRegistryChain("new-chemical", "新型化工");
  iv1::Project late = MakeProject("迟迟未开工项目", "new-chemical");
  late.mutable_stage_dates()->set_negotiating("2026-01-05");
  late.set_planned_start_date("2026-03-10");
  late = CreateProject(admin(), late);
  // Three whole months late today: red from the start.
  EXPECT_EQ(late.light(), iv1::LIGHT_RED);

  // A dry run lists every project and stores nothing.
  iv1::EvaluateLightsResponse dry = Evaluate("chains/new-chemical", "2026-04-15", true);
  EXPECT_EQ(dry.evaluated_count(), 1);
  ASSERT_EQ(dry.results_size(), 1);
  EXPECT_EQ(dry.results(0).light(), iv1::LIGHT_YELLOW);
  EXPECT_EQ(GetProject(viewer(), late.name()).light(), iv1::LIGHT_RED);

  iv1::EvaluateLightsResponse april = Evaluate("chains/new-chemical", "2026-04-15");
  EXPECT_EQ(april.date(), "2026-04-15");
  EXPECT_EQ(april.changed_count(), 1);
  EXPECT_EQ(april.yellow_count(), 1);
  ASSERT_EQ(april.results_size(), 1);
  EXPECT_EQ(april.results(0).project(), late.name());
  EXPECT_EQ(april.results(0).previous_light(), iv1::LIGHT_RED);
  EXPECT_EQ(april.results(0).light(), iv1::LIGHT_YELLOW);
  EXPECT_TRUE(absl::StrContains(april.results(0).reason(), "2026-03-10"))
      << april.results(0).reason();
  iv1::Project stored = GetProject(viewer(), late.name());
  EXPECT_EQ(stored.light(), iv1::LIGHT_YELLOW);
  EXPECT_EQ(stored.light_date(), "2026-04-15");

  iv1::EvaluateLightsResponse june = Evaluate("chains/new-chemical", "2026-06-10");
  EXPECT_EQ(june.red_count(), 1);
  EXPECT_EQ(june.changed_count(), 1);
  EXPECT_EQ(GetProject(viewer(), late.name()).light(), iv1::LIGHT_RED);
  // The same date again changes nothing.
  iv1::EvaluateLightsResponse again = Evaluate("chains/new-chemical", "2026-06-10");
  EXPECT_EQ(again.changed_count(), 0);
  EXPECT_EQ(again.results_size(), 0);
  // An unchanged light is still stamped with the date it was evaluated for.
  EXPECT_EQ(Evaluate("chains/new-chemical", "2026-06-12").changed_count(), 0);
  EXPECT_EQ(GetProject(viewer(), late.name()).light_date(), "2026-06-12");

  std::vector<StreamEvent> events = WaitForStream(fx().redis_client(), [&](const auto& all) {
    int n = 0;
    for (const auto& e : all) n += e.type == "project.light_changed" && e.subject == late.name();
    return n >= 2;
  });
  std::vector<iv1::Light> lights;
  for (const auto& e : events) {
    if (e.type == "project.light_changed" && e.subject == late.name()) {
      EXPECT_EQ(e.chain, "chains/new-chemical");
      lights.push_back(e.Payload<intake::v1::Project>().light());
    }
  }
  EXPECT_EQ(lights, (std::vector<iv1::Light>{iv1::LIGHT_YELLOW, iv1::LIGHT_RED}));
}

TEST_F(IntakeProgress, AProgressReportRecomputesTheLightAgainstTimeProportionalProgress) {
  // 2026-06-15: five months of twelve are over, 41.7% of the plan expected; nothing reported.
  iv1::Project p = Started("序时进度项目", "pv", 3'000'000'000, 1'200'000'000);
  EXPECT_EQ(p.light(), iv1::LIGHT_RED);
  ASSERT_TRUE(Report(admin(), p.name(), "2026-05", 300'000'000, 100'000'000).ok());  // 25%: yellow
  EXPECT_EQ(GetProject(viewer(), p.name()).light(), iv1::LIGHT_YELLOW);
  ASSERT_TRUE(Report(admin(), p.name(), "2026-06", 450'000'000, 200'000'000).ok());  // 37.5%
  iv1::Project got = GetProject(viewer(), p.name());
  EXPECT_EQ(got.light(), iv1::LIGHT_GREEN) << got.light_reason();
  std::vector<StreamEvent> events = WaitForStream(fx().redis_client(), [&](const auto& all) {
    return StreamHasSubject(all, "project.light_changed", p.name()) &&
           StreamHasSubject(all, "project.progress_reported", p.name());
  });
  EXPECT_TRUE(StreamHasSubject(events, "project.light_changed", p.name()));
  EXPECT_TRUE(StreamHasSubject(events, "project.progress_reported", p.name()));
}

TEST_F(IntakeProgress, SummarizeCountsByStageAndSizeBandWhatWasCreated) {
  fx().CreateRegistryChain("health-food", "健康食品");
  const std::string chain = "health-food";
  iv1::Project s1 = CreateProject(admin(), MakeProject("食品一", chain, 50'000'000));
  iv1::Project s2 = MakeProject("食品二", chain, 600'000'000);
  s2.mutable_stage_dates()->set_negotiating("2026-02-01");
  s2 = CreateProject(admin(), s2);
  iv1::Project s3 = MakeProject("食品三", chain, 1'500'000'000);
  s3.set_stage(iv1::STAGE_SIGNED);
  s3.mutable_stage_dates()->set_negotiating("2026-01-10");
  s3.mutable_stage_dates()->set_signed_("2026-03-01");
  s3 = CreateProject(admin(), s3);
  iv1::Project s4 = MakeProject("食品四", chain, 3'000'000'000);
  s4.set_stage(iv1::STAGE_STARTED);
  s4.mutable_stage_dates()->set_negotiating("2025-12-01");
  s4.mutable_stage_dates()->set_signed_("2026-01-15");
  s4.mutable_stage_dates()->set_registered("2026-02-01");
  s4.mutable_stage_dates()->set_started("2026-04-01");
  s4 = CreateProject(admin(), s4);
  iv1::Project s5 = MakeProject("食品五", chain, 6'000'000'000);
  s5.mutable_stage_dates()->set_negotiating("2026-01-05");
  s5 = CreateProject(admin(), s5);
  ASSERT_TRUE(Transition(admin(), s5.name(), iv1::STAGE_CANCELLED, "2026-03-01", "撤资").ok());

  auto summarize = [&](const std::string& period) {
    iv1::SummarizeProjectsRequest req;
    req.set_chain("chains/" + chain);
    req.set_period(period);
    iv1::ProjectSummary out;
    grpc::Status s = viewer()(&IntakeStub::SummarizeProjects, req, &out);
    EXPECT_TRUE(s.ok()) << period << ": " << s.error_message();
    return out;
  };
  auto by_stage = [](const iv1::ProjectSummary& s) {
    std::map<iv1::Stage, std::pair<int, int64_t>> out;
    for (const auto& t : s.by_stage())
      out[t.stage()] = {t.tally().count(), t.tally().investment_yuan()};
    return out;
  };
  auto by_band = [](const iv1::ProjectSummary& s) {
    std::map<iv1::SizeBand, std::pair<int, int64_t>> out;
    for (const auto& t : s.by_size_band())
      out[t.band()] = {t.tally().count(), t.tally().investment_yuan()};
    return out;
  };

  iv1::ProjectSummary year = summarize("2026");
  EXPECT_EQ(year.chain(), "chains/health-food");
  EXPECT_EQ(year.start_date(), "2026-01-01");
  EXPECT_EQ(year.end_date(), "2026-12-31");
  EXPECT_EQ(year.projects().count(), 5);
  EXPECT_EQ(year.projects().investment_yuan(), 11'150'000'000);
  using Tally = std::pair<int, int64_t>;
  EXPECT_EQ(by_stage(year), (std::map<iv1::Stage, Tally>{
                                {iv1::STAGE_NEGOTIATING, {2, 650'000'000}},
                                {iv1::STAGE_SIGNED, {1, 1'500'000'000}},
                                {iv1::STAGE_REGISTERED, {0, 0}},
                                {iv1::STAGE_STARTED, {1, 3'000'000'000}},
                                {iv1::STAGE_IN_PRODUCTION, {0, 0}},
                                {iv1::STAGE_FULL_OUTPUT, {0, 0}},
                                {iv1::STAGE_STALLED, {0, 0}},
                                {iv1::STAGE_CANCELLED, {1, 6'000'000'000}},
                            }));
  EXPECT_EQ(by_band(year), (std::map<iv1::SizeBand, Tally>{
                               {iv1::SIZE_BAND_1E8_PLUS, {3, 5'100'000'000}},
                               {iv1::SIZE_BAND_5E8_TO_1E9, {1, 600'000'000}},
                               {iv1::SIZE_BAND_1E9_TO_2E9, {1, 1'500'000'000}},
                               {iv1::SIZE_BAND_2E9_TO_5E9, {1, 3'000'000'000}},
                               {iv1::SIZE_BAND_5E9_PLUS, {0, 0}},
                               {iv1::SIZE_BAND_1E10_PLUS, {0, 0}},
                           }));
  EXPECT_EQ(year.signed_1e8_plus().count(), 2);
  EXPECT_EQ(year.signed_1e8_plus().investment_yuan(), 4'500'000'000);
  EXPECT_EQ(year.started_1e8_plus().count(), 1);
  EXPECT_DOUBLE_EQ(year.start_rate(), 0.5);

  // As of the first quarter's end: 食品一 did not exist yet, 食品四 had only registered.
  iv1::ProjectSummary q1 = summarize("2026-Q1");
  EXPECT_EQ(q1.end_date(), "2026-03-31");
  EXPECT_EQ(q1.projects().count(), 4);
  std::map<iv1::Stage, Tally> q1_stages = by_stage(q1);
  EXPECT_EQ(q1_stages[iv1::STAGE_NEGOTIATING], (Tally{1, 600'000'000}));
  EXPECT_EQ(q1_stages[iv1::STAGE_REGISTERED], (Tally{1, 3'000'000'000}));
  EXPECT_EQ(q1_stages[iv1::STAGE_CANCELLED], (Tally{1, 6'000'000'000}));
  EXPECT_EQ(q1.started_1e8_plus().count(), 0);

  // Investment against the plan in the second quarter: 食品四 (annual plan 7.5亿) reported 1亿
  // cumulative by March and 2.5亿 by May.
  ASSERT_TRUE(Report(admin(), s4.name(), "2026-03", 100'000'000, 50'000'000).ok());
  ASSERT_TRUE(Report(admin(), s4.name(), "2026-05", 250'000'000, 120'000'000).ok());
  iv1::ProjectSummary q2 = summarize("2026-Q2");
  EXPECT_EQ(q2.planned_for_period_yuan(), 187'500'000);
  EXPECT_EQ(q2.completed_in_period_yuan(), 150'000'000);
  EXPECT_DOUBLE_EQ(q2.investment_completion_rate(), 0.8);
  EXPECT_EQ(q2.funds_arrived_yuan(), 120'000'000);
  EXPECT_DOUBLE_EQ(q2.funds_arrival_rate(), 120'000'000.0 / 4'500'000'000.0);
  EXPECT_EQ(q2.started_1e8_plus().count(), 1);

  iv1::SummarizeProjectsRequest bad;
  bad.set_period("2026-Q5");
  EXPECT_TRUE(IsInvalidField(viewer().Status(&IntakeStub::SummarizeProjects, bad), "period"));
  (void)s1;
}

// Last in the suite: it changes the rules and puts the defaults back.
TEST_F(IntakeProgress, LightRulesAreAdminWrittenAndChecked) {
  // Two whole months past its planned start today: yellow under the default rules.
  fx().CreateRegistryChain("rules-test", "规则测试链");
  iv1::Project late = MakeProject("规则测试项目", "rules-test");
  late.mutable_stage_dates()->set_negotiating("2026-01-05");
  late.set_planned_start_date("2026-04-10");
  CreateProject(admin(), late);
  auto lights = [&] {
    iv1::SummarizeProjectsRequest req;
    req.set_chain("chains/rules-test");
    req.set_period("2026");
    iv1::ProjectSummary out;
    EXPECT_TRUE(viewer()(&IntakeStub::SummarizeProjects, req, &out).ok());
    return std::make_pair(out.yellow_count(), out.red_count());
  };
  EXPECT_EQ(lights(), std::make_pair(1, 0));

  iv1::LightRules rules;
  ASSERT_TRUE(viewer()(&IntakeStub::GetLightRules, iv1::GetLightRulesRequest(), &rules).ok());
  EXPECT_EQ(rules.yellow_behind_points(), 10);
  EXPECT_EQ(rules.red_behind_points(), 30);
  EXPECT_EQ(rules.missed_start_yellow_months(), 1);
  EXPECT_EQ(rules.missed_start_red_months(), 3);

  iv1::UpdateLightRulesRequest req;
  *req.mutable_rules() = rules;
  req.mutable_rules()->set_yellow_behind_points(15);
  req.mutable_rules()->set_red_behind_points(40);
  EXPECT_TRUE(
      HasCode(As(IntakeFixture::office_token({"pv"})).Status(&IntakeStub::UpdateLightRules, req),
              StatusCode::PERMISSION_DENIED));
  iv1::LightRules updated;
  ASSERT_TRUE(admin()(&IntakeStub::UpdateLightRules, req, &updated).ok());
  EXPECT_EQ(updated.red_behind_points(), 40);
  ASSERT_TRUE(viewer()(&IntakeStub::GetLightRules, iv1::GetLightRulesRequest(), &rules).ok());
  EXPECT_EQ(rules.yellow_behind_points(), 15);
  EXPECT_EQ(rules.red_behind_points(), 40);

  // Summaries follow the rules at once (none is served stale from the cache).
  req.mutable_rules()->set_missed_start_red_months(2);
  ASSERT_TRUE(admin()(&IntakeStub::UpdateLightRules, req, &updated).ok());
  EXPECT_EQ(lights(), std::make_pair(0, 1));
  req.mutable_rules()->set_missed_start_red_months(3);

  req.mutable_rules()->set_yellow_behind_points(-1);
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::UpdateLightRules, req),
                             "rules.yellow_behind_points"));
  req.mutable_rules()->set_yellow_behind_points(50);  // above red
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::UpdateLightRules, req),
                             "rules.red_behind_points"));
  req.mutable_rules()->set_yellow_behind_points(10);
  req.mutable_rules()->set_missed_start_yellow_months(0);
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::UpdateLightRules, req),
                             "rules.missed_start_yellow_months"));

  req.mutable_rules()->set_red_behind_points(30);
  req.mutable_rules()->set_missed_start_yellow_months(1);
  ASSERT_TRUE(admin()(&IntakeStub::UpdateLightRules, req, &updated).ok());
  EXPECT_EQ(updated.red_behind_points(), 30);
  EXPECT_FALSE(IntakeAuditRows(admin(), "resource = \"lightRules\"").empty());
}

}  // namespace
}  // namespace chainhub::testing
