#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/intake/lights.h"

namespace chainhub::intake {
namespace {

constexpr int64_t kPlan = 1'000'000'000;  // 10亿 annual plan: 1 point = 10,000,000 yuan

LightInput NotStarted(v1::Stage stage, std::string planned_start) {
  LightInput in;
  in.stage = stage;
  in.planned_start_date = std::move(planned_start);
  return in;
}

// A started project with an annual plan of kPlan, 500,000,000 completed before this year, and
// `this_year` completed by June.
LightInput Started(int64_t this_year, v1::Stage stage = v1::STAGE_STARTED) {
  LightInput in;
  in.stage = stage;
  in.annual_planned_investment_yuan = kPlan;
  in.reports = {{"2026-06", 500'000'000 + this_year, 0}, {"2025-12", 500'000'000, 0}};
  return in;
}

// July: six months over, so 50% of the plan is expected.
LightOutcome InJuly(const LightInput& in) {
  return EvaluateLight(in, DefaultLightRules(), "2026-07-15");
}

TEST(IntakeLights, DefaultRulesAreTenAndThirtyPointsAndOneAndThreeMonths) {
  v1::LightRules rules = DefaultLightRules();
  EXPECT_EQ(rules.yellow_behind_points(), 10);
  EXPECT_EQ(rules.red_behind_points(), 30);
  EXPECT_EQ(rules.missed_start_yellow_months(), 1);
  EXPECT_EQ(rules.missed_start_red_months(), 3);
  EXPECT_TRUE(ValidateLightRules(rules).ok());
}

TEST(IntakeLights, ValidateRulesNamesEachBadThreshold) {
  v1::LightRules rules = DefaultLightRules();
  rules.set_yellow_behind_points(-1);
  absl::Status s = ValidateLightRules(rules);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "rules.yellow_behind_points: ")) << s;

  rules = DefaultLightRules();
  rules.set_red_behind_points(9);  // below yellow
  EXPECT_TRUE(absl::StartsWith(ValidateLightRules(rules).message(), "rules.red_behind_points: "));
  rules.set_red_behind_points(101);
  EXPECT_FALSE(ValidateLightRules(rules).ok());

  rules = DefaultLightRules();
  rules.set_missed_start_yellow_months(0);
  EXPECT_TRUE(
      absl::StartsWith(ValidateLightRules(rules).message(), "rules.missed_start_yellow_months: "));
  rules = DefaultLightRules();
  rules.set_missed_start_red_months(121);
  EXPECT_TRUE(
      absl::StartsWith(ValidateLightRules(rules).message(), "rules.missed_start_red_months: "));

  // Equal thresholds and the extremes are allowed.
  rules.set_yellow_behind_points(0);
  rules.set_red_behind_points(0);
  rules.set_missed_start_yellow_months(120);
  rules.set_missed_start_red_months(120);
  EXPECT_TRUE(ValidateLightRules(rules).ok());
}

TEST(IntakeLights, CountWholeMonthsFromTheDayOfTheMonth) {
  EXPECT_EQ(WholeMonthsBetween("2026-01-10", "2026-01-10"), 0);
  EXPECT_EQ(WholeMonthsBetween("2026-01-10", "2026-02-09"), 0);
  EXPECT_EQ(WholeMonthsBetween("2026-01-10", "2026-02-10"), 1);
  EXPECT_EQ(WholeMonthsBetween("2026-01-10", "2026-04-09"), 2);
  EXPECT_EQ(WholeMonthsBetween("2026-01-10", "2026-04-10"), 3);
  EXPECT_EQ(WholeMonthsBetween("2025-12-15", "2026-01-15"), 1);
  EXPECT_EQ(WholeMonthsBetween("2025-01-10", "2026-01-10"), 12);
}

TEST(IntakeLights, CountAMonthFromAMonthEndAtTheShorterMonthsLastDay) {
  EXPECT_EQ(WholeMonthsBetween("2026-01-31", "2026-02-27"), 0);
  EXPECT_EQ(WholeMonthsBetween("2026-01-31", "2026-02-28"), 1);
  EXPECT_EQ(WholeMonthsBetween("2026-01-30", "2026-02-28"), 1);
  EXPECT_EQ(WholeMonthsBetween("2024-01-31", "2024-02-28"), 0);
  EXPECT_EQ(WholeMonthsBetween("2024-01-31", "2024-02-29"), 1);
  EXPECT_EQ(WholeMonthsBetween("2026-03-31", "2026-04-30"), 1);
  EXPECT_EQ(WholeMonthsBetween("2026-01-31", "2026-03-30"), 1);
  EXPECT_EQ(WholeMonthsBetween("2026-01-31", "2026-03-31"), 2);
}

TEST(IntakeLights, CountNegativeMonthsWhenTheEndIsBeforeTheStart) {
  EXPECT_EQ(WholeMonthsBetween("2026-02-10", "2026-02-09"), -1);
  EXPECT_EQ(WholeMonthsBetween("2026-02-10", "2026-01-10"), -1);
  EXPECT_EQ(WholeMonthsBetween("2026-02-10", "2026-01-09"), -2);
}

TEST(IntakeLights, MissedStartTurnsYellowAfterOneWholeMonthAndRedAfterThree) {
  const LightInput in = NotStarted(v1::STAGE_SIGNED, "2026-01-10");
  const v1::LightRules rules = DefaultLightRules();
  EXPECT_EQ(EvaluateLight(in, rules, "2026-01-11").light, v1::LIGHT_GREEN);
  EXPECT_EQ(EvaluateLight(in, rules, "2026-02-09").light, v1::LIGHT_GREEN);

  LightOutcome yellow = EvaluateLight(in, rules, "2026-02-10");
  EXPECT_EQ(yellow.light, v1::LIGHT_YELLOW);
  EXPECT_EQ(yellow.reason, "not started 1 month after the planned start 2026-01-10");
  EXPECT_EQ(EvaluateLight(in, rules, "2026-04-09").light, v1::LIGHT_YELLOW);

  LightOutcome red = EvaluateLight(in, rules, "2026-04-10");
  EXPECT_EQ(red.light, v1::LIGHT_RED);
  EXPECT_EQ(red.reason, "not started 3 months after the planned start 2026-01-10");
  EXPECT_EQ(EvaluateLight(in, rules, "2026-05-12").reason,
            "not started 4 months after the planned start 2026-01-10");
}

TEST(IntakeLights, MissedStartFromAMonthEndCountsAtFebruaryTheTwentyEighth) {
  const LightInput in = NotStarted(v1::STAGE_REGISTERED, "2026-01-31");
  EXPECT_EQ(EvaluateLight(in, DefaultLightRules(), "2026-02-27").light, v1::LIGHT_GREEN);
  EXPECT_EQ(EvaluateLight(in, DefaultLightRules(), "2026-02-28").light, v1::LIGHT_YELLOW);
  EXPECT_EQ(EvaluateLight(in, DefaultLightRules(), "2026-04-30").light, v1::LIGHT_RED);
}

TEST(IntakeLights, MissedStartAppliesOnEveryStageBeforeStartedAndWhenStalledBeforeIt) {
  for (v1::Stage stage : {v1::STAGE_NEGOTIATING, v1::STAGE_SIGNED, v1::STAGE_REGISTERED}) {
    EXPECT_EQ(
        EvaluateLight(NotStarted(stage, "2026-01-10"), DefaultLightRules(), "2026-05-01").light,
        v1::LIGHT_RED);
  }
  LightInput stalled = NotStarted(v1::STAGE_STALLED, "2026-01-10");
  stalled.stalled_from = v1::STAGE_SIGNED;
  EXPECT_EQ(EvaluateLight(stalled, DefaultLightRules(), "2026-05-01").light, v1::LIGHT_RED);
}

TEST(IntakeLights, NoPlannedStartOrAFuturePlannedStartIsGreen) {
  LightOutcome none =
      EvaluateLight(NotStarted(v1::STAGE_SIGNED, ""), DefaultLightRules(), "2026-05-01");
  EXPECT_EQ(none.light, v1::LIGHT_GREEN);
  EXPECT_EQ(none.reason, "on schedule");
  EXPECT_EQ(
      EvaluateLight(NotStarted(v1::STAGE_SIGNED, "2026-09-01"), DefaultLightRules(), "2026-05-01")
          .light,
      v1::LIGHT_GREEN);
}

TEST(IntakeLights, MissedStartFollowsTheConfiguredMonths) {
  v1::LightRules rules = DefaultLightRules();
  rules.set_missed_start_yellow_months(2);
  rules.set_missed_start_red_months(4);
  const LightInput in = NotStarted(v1::STAGE_SIGNED, "2026-01-10");
  EXPECT_EQ(EvaluateLight(in, rules, "2026-03-09").light, v1::LIGHT_GREEN);
  EXPECT_EQ(EvaluateLight(in, rules, "2026-03-10").light, v1::LIGHT_YELLOW);
  EXPECT_EQ(EvaluateLight(in, rules, "2026-05-09").light, v1::LIGHT_YELLOW);
  EXPECT_EQ(EvaluateLight(in, rules, "2026-05-10").light, v1::LIGHT_RED);
}

TEST(IntakeLights, ProgressExactlyTenPointsBehindIsYellow) {
  // Expected 50%, completed 40% of 10亿.
  LightOutcome out = InJuly(Started(400'000'000));
  EXPECT_EQ(out.light, v1::LIGHT_YELLOW);
  EXPECT_EQ(out.reason,
            "behind time-proportional progress by 10.0 points (expected 50.0%, completed 40.0% "
            "of the annual plan)");
}

TEST(IntakeLights, ProgressJustUnderTenPointsBehindIsGreen) {
  LightOutcome out = InJuly(Started(400'000'001));
  EXPECT_EQ(out.light, v1::LIGHT_GREEN);
  EXPECT_EQ(out.reason, "on schedule");
}

TEST(IntakeLights, ProgressExactlyThirtyPointsBehindIsStillYellow) {
  EXPECT_EQ(InJuly(Started(200'000'000)).light, v1::LIGHT_YELLOW);
}

TEST(IntakeLights, ProgressThirtyPointOnePointsBehindIsRed) {
  LightOutcome out = InJuly(Started(199'000'000));
  EXPECT_EQ(out.light, v1::LIGHT_RED);
  EXPECT_EQ(out.reason,
            "behind time-proportional progress by 30.1 points (expected 50.0%, completed 19.9% "
            "of the annual plan)");
}

TEST(IntakeLights, ProgressReasonMatchesTheDocumentedExample) {
  // June: 5/12 = 41.7% expected; 8,000,000 of 120,000,000 = 6.7% completed.
  LightInput in;
  in.stage = v1::STAGE_IN_PRODUCTION;
  in.annual_planned_investment_yuan = 120'000'000;
  in.reports = {{"2026-05", 8'000'000, 0}};
  LightOutcome out = EvaluateLight(in, DefaultLightRules(), "2026-06-30");
  EXPECT_EQ(out.light, v1::LIGHT_RED);
  EXPECT_EQ(out.reason,
            "behind time-proportional progress by 35.0 points (expected 41.7%, completed 6.7% "
            "of the annual plan)");
}

TEST(IntakeLights, ProgressCountsOnlyThisYearsCompletionUpToTheDatesMonth) {
  LightInput in;
  in.stage = v1::STAGE_STARTED;
  in.annual_planned_investment_yuan = kPlan;
  // Any order; 2026-08 lies after the date and is ignored; 2025-11 is the base (no 2025-12).
  in.reports = {{"2026-08", 2'000'000'000, 0},
                {"2025-11", 300'000'000, 0},
                {"2026-03", 700'000'000, 0},
                {"2025-06", 100'000'000, 0}};
  // July: completed this year 400,000,000 (40%) → exactly 10 behind.
  EXPECT_EQ(InJuly(in).light, v1::LIGHT_YELLOW);
  // A report for the date's own month counts.
  in.reports.push_back({"2026-07", 800'000'000, 0});
  EXPECT_EQ(InJuly(in).light, v1::LIGHT_GREEN);
}

TEST(IntakeLights, ProgressWithoutAnyReportThisYearCountsNothingCompleted) {
  LightInput in;
  in.stage = v1::STAGE_STARTED;
  in.annual_planned_investment_yuan = kPlan;
  LightOutcome out = InJuly(in);
  EXPECT_EQ(out.light, v1::LIGHT_RED);
  EXPECT_TRUE(absl::StrContains(out.reason, "by 50.0 points")) << out.reason;
}

TEST(IntakeLights, JanuaryExpectsNothingYet) {
  LightInput in;
  in.stage = v1::STAGE_STARTED;
  in.annual_planned_investment_yuan = kPlan;
  EXPECT_EQ(EvaluateLight(in, DefaultLightRules(), "2026-01-31").light, v1::LIGHT_GREEN);
}

TEST(IntakeLights, ProgressAppliesWhenStalledAfterStarting) {
  LightInput in = Started(0, v1::STAGE_STALLED);
  in.stalled_from = v1::STAGE_STARTED;
  EXPECT_EQ(InJuly(in).light, v1::LIGHT_RED);
}

TEST(IntakeLights, StartedProjectWithoutAnnualPlanIsGreen) {
  LightInput in = Started(0);
  in.annual_planned_investment_yuan = 0;
  EXPECT_EQ(InJuly(in).light, v1::LIGHT_GREEN);
}

TEST(IntakeLights, StartedProjectIsJudgedOnProgressNotOnItsMissedStart) {
  // The worse of the two rules: once started, the missed start no longer counts.
  LightInput in = Started(500'000'000, v1::STAGE_FULL_OUTPUT);
  in.planned_start_date = "2025-01-01";
  EXPECT_EQ(InJuly(in).light, v1::LIGHT_GREEN);
  in = Started(0, v1::STAGE_STARTED);
  in.planned_start_date = "2026-07-01";
  EXPECT_EQ(InJuly(in).light, v1::LIGHT_RED);
}

TEST(IntakeLights, ProgressFollowsTheConfiguredPoints) {
  v1::LightRules rules = DefaultLightRules();
  rules.set_yellow_behind_points(5);
  rules.set_red_behind_points(5);
  EXPECT_EQ(EvaluateLight(Started(450'000'000), rules, "2026-07-01").light, v1::LIGHT_YELLOW);
  EXPECT_EQ(EvaluateLight(Started(449'000'000), rules, "2026-07-01").light, v1::LIGHT_RED);
}

TEST(IntakeLights, CancelledProjectHasNoLight) {
  LightInput in = NotStarted(v1::STAGE_CANCELLED, "2025-01-01");
  EXPECT_EQ(EvaluateLight(in, DefaultLightRules(), "2026-07-01").light, v1::LIGHT_UNSPECIFIED);
  LightInput started = Started(0, v1::STAGE_CANCELLED);
  EXPECT_EQ(InJuly(started).light, v1::LIGHT_UNSPECIFIED);
}

TEST(IntakeLights, SameInputsAndDateGiveTheSameLight) {
  const LightInput in = Started(250'000'000);
  const LightOutcome a = InJuly(in);
  const LightOutcome b = InJuly(in);
  EXPECT_EQ(a.light, b.light);
  EXPECT_EQ(a.reason, b.reason);
}

TEST(IntakeLights, LatestReportUpToPicksTheLatestMonthNotAfterTheGivenOne) {
  const std::vector<MonthFigure> reports = {
      {"2026-03", 3, 0}, {"2026-01", 1, 0}, {"2026-05", 5, 0}};
  EXPECT_EQ(LatestReportUpTo(reports, "2025-12"), nullptr);
  EXPECT_EQ(LatestReportUpTo(reports, "2026-01")->cumulative_completed_yuan, 1);
  EXPECT_EQ(LatestReportUpTo(reports, "2026-04")->cumulative_completed_yuan, 3);
  EXPECT_EQ(LatestReportUpTo(reports, "2026-12")->cumulative_completed_yuan, 5);
  EXPECT_EQ(LatestReportUpTo({}, "2026-12"), nullptr);
}

TEST(IntakeLights, TheInputsOfAProjectTakeItsPlanAndWhereItStandsAsGiven) {
  v1::Project p;
  p.set_planned_start_date("2026-01-10");
  p.set_annual_planned_investment_yuan(kPlan);
  p.mutable_stage_dates()->set_signed_("2026-09-01");  // today's dates, not those as of the date
  v1::StageDates as_of;
  as_of.set_negotiating("2025-11-01");
  const LightInput in =
      LightInputOf(p, v1::STAGE_STALLED, v1::STAGE_SIGNED, as_of, {{"2026-05", 7, 3}});
  EXPECT_EQ(in.stage, v1::STAGE_STALLED);
  EXPECT_EQ(in.stalled_from, v1::STAGE_SIGNED);
  EXPECT_EQ(in.planned_start_date, "2026-01-10");
  EXPECT_EQ(in.annual_planned_investment_yuan, kPlan);
  EXPECT_EQ(in.stage_dates.negotiating(), "2025-11-01");
  EXPECT_EQ(in.stage_dates.signed_(), "");
  ASSERT_EQ(in.reports.size(), 1u);
  EXPECT_EQ(in.reports[0].cumulative_completed_yuan, 7);
}

TEST(IntakeLights, TheInputsFromColumnsMatchThoseFromAProject) {
  v1::Project p;
  p.set_planned_start_date("2026-01-10");
  p.set_annual_planned_investment_yuan(kPlan);
  const LightInput from_project =
      LightInputOf(p, v1::STAGE_SIGNED, v1::STAGE_UNSPECIFIED, p.stage_dates(), {});
  const LightInput from_columns =
      LightInputOf(v1::STAGE_SIGNED, v1::STAGE_UNSPECIFIED, {}, "2026-01-10", kPlan, {});
  EXPECT_EQ(InJuly(from_project).light, InJuly(from_columns).light);
  EXPECT_EQ(InJuly(from_project).reason, InJuly(from_columns).reason);
}

TEST(IntakeLights, StampingTellsWhetherLightReasonOrDateChanged) {
  v1::Project p;
  const LightOutcome green{v1::LIGHT_GREEN, "on schedule"};
  EXPECT_TRUE(StampLight(green, "2026-07-15", &p));
  EXPECT_EQ(p.light(), v1::LIGHT_GREEN);
  EXPECT_EQ(p.light_reason(), "on schedule");
  EXPECT_EQ(p.light_date(), "2026-07-15");
  EXPECT_FALSE(StampLight(green, "2026-07-15", &p));
  EXPECT_TRUE(StampLight(green, "2026-07-16", &p));  // a new day is stamped too
  EXPECT_TRUE(StampLight({v1::LIGHT_GREEN, "other"}, "2026-07-16", &p));
}

TEST(IntakeLights, TallyCountsEveryProjectAndListsChangesOrEverythingInADryRun) {
  v1::Project p;
  p.set_name("projects/p1");
  p.set_light(v1::LIGHT_GREEN);
  v1::EvaluateLightsResponse resp;
  EXPECT_FALSE(TallyLight(p, {v1::LIGHT_GREEN, "on schedule"}, false, &resp));
  EXPECT_TRUE(TallyLight(p, {v1::LIGHT_RED, "behind"}, false, &resp));
  EXPECT_FALSE(TallyLight(p, {v1::LIGHT_GREEN, "on schedule"}, true, &resp));
  EXPECT_EQ(resp.evaluated_count(), 3);
  EXPECT_EQ(resp.green_count(), 2);
  EXPECT_EQ(resp.red_count(), 1);
  EXPECT_EQ(resp.yellow_count(), 0);
  EXPECT_EQ(resp.changed_count(), 1);
  ASSERT_EQ(resp.results_size(), 2);
  EXPECT_EQ(resp.results(0).project(), "projects/p1");
  EXPECT_EQ(resp.results(0).light(), v1::LIGHT_RED);
  EXPECT_EQ(resp.results(0).previous_light(), v1::LIGHT_GREEN);
  EXPECT_EQ(resp.results(0).reason(), "behind");
  EXPECT_EQ(resp.results(1).light(), v1::LIGHT_GREEN);
}

}  // namespace
}  // namespace chainhub::intake
