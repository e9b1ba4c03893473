#include <vector>

#include <gtest/gtest.h>

#include "services/support/plan_progress.h"

namespace chainhub::support {
namespace {

absl::CivilDay Day(int year, int month, int day) { return absl::CivilDay(year, month, day); }

// 22 July 2026 is day 203 of 365: 序时 203/365 = 55.6%.
const absl::CivilDay kJuly22 = Day(2026, 7, 22);
constexpr double kJuly22Elapsed = 203.0 / 365;

TargetFacts Target(const char* metric, int year, double target, std::optional<double> actual,
                   bool lower_is_better = false) {
  return {metric, year, target, actual, lower_is_better};
}

TaskFacts Task(const char* number, absl::CivilDay start, absl::CivilDay deadline, int percent,
               bool done = false) {
  return {number, start, deadline, percent, done};
}

TargetProgress One(const TargetFacts& t, absl::CivilDay as_of, double margin = 0.10) {
  return TargetsProgress({t}, as_of, margin)[0];
}

TaskProgress One(const TaskFacts& t, absl::CivilDay as_of, double margin = 0.10) {
  return TasksProgress({t}, as_of, margin)[0];
}

TEST(SupportPlanProgress, ElapsedShareCountsWholeDaysWithBothEnds) {
  EXPECT_EQ(ElapsedShareOfYear(2026, Day(2025, 12, 31)), 0);
  EXPECT_DOUBLE_EQ(ElapsedShareOfYear(2026, Day(2026, 1, 1)), 1.0 / 365);
  EXPECT_DOUBLE_EQ(ElapsedShareOfYear(2026, kJuly22), kJuly22Elapsed);
  EXPECT_EQ(ElapsedShareOfYear(2026, Day(2026, 12, 31)), 1);
  EXPECT_EQ(ElapsedShareOfYear(2026, Day(2027, 3, 1)), 1);
  // 2028 is a leap year: 29 February is day 60 of 366.
  EXPECT_DOUBLE_EQ(ElapsedShareOfYear(2028, Day(2028, 2, 29)), 60.0 / 366);
  // A ten-day span 7-13..7-22: on 7-17, 5 of 10 days are gone.
  EXPECT_DOUBLE_EQ(ElapsedShare(Day(2026, 7, 13), Day(2026, 7, 22), Day(2026, 7, 17)), 0.5);
  // A one-day span is all gone at the end of that day.
  EXPECT_EQ(ElapsedShare(kJuly22, kJuly22, kJuly22), 1);
  EXPECT_EQ(ElapsedShare(kJuly22, kJuly22, kJuly22 - 1), 0);
  // A span ending before it starts is all gone from its last day on.
  EXPECT_EQ(ElapsedShare(Day(2026, 8, 1), Day(2026, 7, 1), kJuly22), 1);
  EXPECT_EQ(ElapsedShare(Day(2026, 8, 1), Day(2026, 7, 1), Day(2026, 6, 30)), 0);
}

TEST(SupportPlanProgress, ATargetFifteenPointsBehindIsAtRisk) {
  // Output target 1000亿, 404亿 reported by 22 July: completion 40.4%, 序时 55.6%, gap −15.2
  // points, beyond the 10-point margin.
  const TargetProgress p = One(Target("output", 2026, 1000, 404), kJuly22);
  EXPECT_EQ(p.metric, "output");
  EXPECT_EQ(p.year, 2026);
  EXPECT_EQ(p.target, 1000);
  EXPECT_EQ(p.actual, 404);
  EXPECT_DOUBLE_EQ(p.completion, 0.404);
  EXPECT_DOUBLE_EQ(p.elapsed, kJuly22Elapsed);
  EXPECT_DOUBLE_EQ(p.gap, 0.404 - kJuly22Elapsed);
  EXPECT_TRUE(p.at_risk);
  EXPECT_EQ(p.reason, "completion 40.4% is 15.2 points behind 序时 55.6%");
}

TEST(SupportPlanProgress, ATargetWithinTheMarginOrAheadIsNotAtRisk) {
  // 500 of 1000: 50.0% against 55.6%, 5.6 points behind.
  const TargetProgress within = One(Target("output", 2026, 1000, 500), kJuly22);
  EXPECT_FALSE(within.at_risk);
  EXPECT_EQ(within.reason, "completion 50.0% is 5.6 points behind 序时 55.6%");
  // The same with a 5-point margin is at risk.
  EXPECT_TRUE(One(Target("output", 2026, 1000, 500), kJuly22, 0.05).at_risk);
  // 700 of 1000: 70.0%, 14.4 points ahead.
  const TargetProgress ahead = One(Target("output", 2026, 1000, 700), kJuly22);
  EXPECT_FALSE(ahead.at_risk);
  EXPECT_EQ(ahead.reason, "completion 70.0% is 14.4 points ahead of 序时 55.6%");
}

TEST(SupportPlanProgress, ExactlyTheMarginBehindIsNotAtRisk) {
  // 19 October is day 292 of 365: 序时 exactly 80%. 70 of 100 is exactly 10 points behind,
  // though 0.7 − 0.8 is −0.10000000000000009 in binary.
  const TargetProgress p = One(Target("链主", 2026, 100, 70), Day(2026, 10, 19));
  EXPECT_FALSE(p.at_risk) << p.gap;
  EXPECT_EQ(p.reason, "completion 70.0% is 10.0 points behind 序时 80.0%");
  EXPECT_TRUE(One(Target("链主", 2026, 100, 69), Day(2026, 10, 19)).at_risk);
}

TEST(SupportPlanProgress, LowerIsBetterDividesTheTargetByTheActual) {
  // Energy per 万元: target 0.5, actual 0.4: completion 0.5 / 0.4 = 125%.
  const TargetProgress better = One(Target("energy", 2026, 0.5, 0.4, true), kJuly22);
  EXPECT_DOUBLE_EQ(better.completion, 1.25);
  EXPECT_FALSE(better.at_risk);
  EXPECT_EQ(better.reason, "completion 125.0% is 69.4 points ahead of 序时 55.6%");
  // Actual 1.0: 50%.
  EXPECT_DOUBLE_EQ(One(Target("energy", 2026, 0.5, 1.0, true), kJuly22).completion, 0.5);
}

TEST(SupportPlanProgress, CompletionIsCappedAndSurvivesZeroDivisors) {
  // 100 against a target of 1: 10000%, shown as the cap 999%.
  EXPECT_EQ(One(Target("x", 2026, 1, 100), kJuly22).completion, kMaxCompletion);
  // Lower is better and the actual is 0: the target is met.
  EXPECT_EQ(One(Target("x", 2026, 0.5, 0, true), kJuly22).completion, 1);
  // A target of 0: met by any actual ≥ 0, missed by a negative one.
  EXPECT_EQ(One(Target("x", 2026, 0, 5), kJuly22).completion, 1);
  EXPECT_EQ(One(Target("x", 2026, 0, -1), kJuly22).completion, 0);
  // A negative actual against a positive target is 0, not negative.
  EXPECT_EQ(One(Target("growth", 2026, 8, -2), kJuly22).completion, 0);
}

TEST(SupportPlanProgress, AMissingActualIsAtRiskOnlyAfterAQuarterOfTheYear) {
  // 1 April is day 91 (24.9%): still in grace. 2 April is day 92 (25.2%): at risk.
  const TargetProgress early = One(Target("output", 2026, 1000, std::nullopt), Day(2026, 4, 1));
  EXPECT_EQ(early.completion, 0);
  EXPECT_FALSE(early.at_risk);
  EXPECT_EQ(early.reason, "no actual reported yet at 序时 24.9%");
  const TargetProgress late = One(Target("output", 2026, 1000, std::nullopt), Day(2026, 4, 2));
  EXPECT_TRUE(late.at_risk);
  EXPECT_EQ(late.reason, "no actual reported at 序时 25.2%");
}

TEST(SupportPlanProgress, AYearNotStartedIsNeverAtRisk) {
  const TargetProgress p = One(Target("output", 2027, 1200, std::nullopt), kJuly22);
  EXPECT_EQ(p.elapsed, 0);
  EXPECT_FALSE(p.at_risk);
  EXPECT_EQ(p.reason, "year 2027 has not started");
  EXPECT_FALSE(One(Target("output", 2027, 1200, 0), kJuly22).at_risk);
}

TEST(SupportPlanProgress, AFinishedYearIsAtRiskUnlessItsTargetWasMet) {
  const TargetProgress missed = One(Target("output", 2025, 100, 90), kJuly22);
  EXPECT_EQ(missed.elapsed, 1);
  EXPECT_DOUBLE_EQ(missed.gap, 0.9 - 1);  // within the margin, but the year is over
  EXPECT_TRUE(missed.at_risk);
  EXPECT_EQ(missed.reason, "year 2025 ended at completion 90.0%, short of the target");
  const TargetProgress met = One(Target("output", 2025, 100, 100), kJuly22);
  EXPECT_FALSE(met.at_risk);
  EXPECT_EQ(met.reason, "year 2025 ended at completion 100.0%, target met");
  const TargetProgress silent = One(Target("output", 2025, 100, std::nullopt), kJuly22);
  EXPECT_TRUE(silent.at_risk);
  EXPECT_EQ(silent.reason, "year 2025 ended with no actual reported");
}

TEST(SupportPlanProgress, TasksAreJudgedAgainstTheElapsedShareOfTheirSpan) {
  const std::vector<TaskProgress> out = TasksProgress(
      {
          // The whole year, 50% done on day 203: 5.6 points behind 55.6%, within the margin.
          Task("1.1", Day(2026, 1, 1), Day(2026, 12, 31), 50),
          // The same at 40%: 15.6 points behind.
          Task("1.2", Day(2026, 1, 1), Day(2026, 12, 31), 40),
          // Due 7-10 at 90% and not done: overdue.
          Task("2.1", Day(2026, 7, 1), Day(2026, 7, 10), 90),
          // Due 7-10 and done: fine whatever its percent says.
          Task("2.2", Day(2026, 7, 1), Day(2026, 7, 10), 30, true),
          // Starting in September: nothing expected yet.
          Task("3.1", Day(2026, 9, 1), Day(2026, 12, 31), 0),
          // Due today at 80%: not overdue, but 20 points behind the expected 100%.
          Task("3.2", Day(2026, 7, 13), kJuly22, 80),
      },
      kJuly22);
  ASSERT_EQ(out.size(), 6u);

  EXPECT_EQ(out[0].number, "1.1");
  EXPECT_DOUBLE_EQ(out[0].expected, kJuly22Elapsed);
  EXPECT_DOUBLE_EQ(out[0].done_share, 0.5);
  EXPECT_FALSE(out[0].overdue);
  EXPECT_FALSE(out[0].at_risk);
  EXPECT_EQ(out[0].reason, "50% done is 5.6 points behind the expected 55.6%");

  EXPECT_TRUE(out[1].at_risk);
  EXPECT_FALSE(out[1].overdue);
  EXPECT_EQ(out[1].reason, "40% done is 15.6 points behind the expected 55.6%");

  EXPECT_EQ(out[2].expected, 1);
  EXPECT_TRUE(out[2].overdue);
  EXPECT_TRUE(out[2].at_risk);
  EXPECT_EQ(out[2].reason, "past its deadline 2026-07-10 at 90% done");

  EXPECT_EQ(out[3].done_share, 1);
  EXPECT_FALSE(out[3].overdue);
  EXPECT_FALSE(out[3].at_risk);
  EXPECT_EQ(out[3].reason, "done");

  EXPECT_EQ(out[4].expected, 0);
  EXPECT_FALSE(out[4].at_risk);
  EXPECT_EQ(out[4].reason, "starts 2026-09-01");

  EXPECT_EQ(out[5].expected, 1);
  EXPECT_FALSE(out[5].overdue);
  EXPECT_TRUE(out[5].at_risk);
  EXPECT_EQ(out[5].reason, "80% done is 20.0 points behind the expected 100.0%");
}

TEST(SupportPlanProgress, ATaskAheadOfItsSpanIsNotAtRisk) {
  // 7-13..7-31 (19 days), on 7-22 10 days are gone: 52.6% expected; 60% done.
  const TaskProgress p = One(Task("4.1", Day(2026, 7, 13), Day(2026, 7, 31), 60), kJuly22);
  EXPECT_DOUBLE_EQ(p.expected, 10.0 / 19);
  EXPECT_FALSE(p.at_risk);
  EXPECT_EQ(p.reason, "60% done against the expected 52.6%");
}

TEST(SupportPlanProgress, PercentDoneOutsideZeroToHundredIsClamped) {
  EXPECT_EQ(One(Task("5.1", Day(2026, 1, 1), Day(2026, 12, 31), 150), kJuly22).done_share, 1);
  const TaskProgress negative = One(Task("5.2", Day(2026, 1, 1), Day(2026, 12, 31), -5), kJuly22);
  EXPECT_EQ(negative.done_share, 0);
  EXPECT_EQ(negative.reason, "0% done is 55.6 points behind the expected 55.6%");
}

TEST(SupportPlanProgress, PlanCompletionAveragesThisYearsTargetsAndAllTasks) {
  // Targets of 2026: 40.4% and 125% (counted as 100%); those of 2025 and 2027 are left out.
  // Tasks: 50% and done. (0.404 + 1 + 0.5 + 1) / 4 = 0.726.
  const std::vector<TargetProgress> targets = TargetsProgress(
      {
          Target("output", 2026, 1000, 404),
          Target("energy", 2026, 0.5, 0.4, true),
          Target("output", 2025, 100, 90),
          Target("output", 2027, 1200, std::nullopt),
      },
      kJuly22);
  const std::vector<TaskProgress> tasks = TasksProgress(
      {
          Task("1.1", Day(2026, 1, 1), Day(2026, 12, 31), 50),
          Task("2.2", Day(2026, 7, 1), Day(2026, 7, 10), 30, true),
      },
      kJuly22);
  EXPECT_DOUBLE_EQ(PlanCompletion(targets, tasks, kJuly22), 0.726);
  // Targets alone: (0.404 + 1) / 2; tasks alone: (0.5 + 1) / 2.
  EXPECT_DOUBLE_EQ(PlanCompletion(targets, {}, kJuly22), 0.702);
  EXPECT_DOUBLE_EQ(PlanCompletion({}, tasks, kJuly22), 0.75);
  // Nothing to average: 0. Judged in 2028 no target is of the year: the tasks alone.
  EXPECT_EQ(PlanCompletion({}, {}, kJuly22), 0);
  EXPECT_DOUBLE_EQ(PlanCompletion(targets, tasks, Day(2028, 1, 1)), 0.75);
}

TEST(SupportPlanProgress, NothingInGivesNothingOut) {
  EXPECT_TRUE(TargetsProgress({}, kJuly22).empty());
  EXPECT_TRUE(TasksProgress({}, kJuly22).empty());
}

}  // namespace
}  // namespace chainhub::support
