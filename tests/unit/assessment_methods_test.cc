// The scoring methods, ranking, grading and folding, and periods, against hand-computed cases.
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

#include "services/assessment/grading.h"
#include "services/assessment/methods.h"
#include "services/assessment/periods.h"

namespace chainhub::assessment {
namespace {

std::vector<ItemInput> Actuals(std::initializer_list<double> values) {
  std::vector<ItemInput> out;
  for (double v : values) {
    ItemInput in;
    in.actual = v;
    out.push_back(in);
  }
  return out;
}

v1::SchemeItem Item(double points) {
  v1::SchemeItem item;
  item.set_key("k");
  item.set_indicator("indicators/x");
  item.set_points(points);
  return item;
}

TEST(AssessmentMethodsTest, RatioToTargetIsCappedAndNeedsATarget) {
  v1::SchemeItem item = Item(40);
  item.mutable_ratio_to_target()->set_cap(1.2);
  std::vector<ItemInput> in = Actuals({120, 150, 50, 10});
  in[0].target = 100;
  in[1].target = 100;
  in[2].target = 100;
  auto r = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "产值", in);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_DOUBLE_EQ(r[0].points(), 48);  // 1.2 × 40
  EXPECT_DOUBLE_EQ(r[1].points(), 48);  // 1.5 capped at 1.2
  EXPECT_DOUBLE_EQ(r[2].points(), 20);  // 0.5 × 40
  EXPECT_EQ(r[0].formula(), "min(120 ÷ 100, 1.2) × 40 = 48.00");
  EXPECT_EQ(r[0].parameters(), "cap=1.2");
  EXPECT_EQ(r[0].display_name(), "产值");
  EXPECT_EQ(r[3].points(), 0);
  EXPECT_EQ(r[3].problem(), "no target");
  EXPECT_FALSE(r[3].has_target());
}

TEST(AssessmentMethodsTest, RatioToTargetOfALowerIsBetterIndicatorInverts) {
  v1::SchemeItem item = Item(10);
  item.mutable_ratio_to_target()->set_cap(1);
  std::vector<ItemInput> in = Actuals({4, 1, 0});
  for (auto& i : in) i.target = 2;
  auto r = ScoreItem(item, v1::DIRECTION_LOWER_IS_BETTER, "", in);
  EXPECT_DOUBLE_EQ(r[0].points(), 5);   // 2 ÷ 4 × 10
  EXPECT_DOUBLE_EQ(r[1].points(), 10);  // 2 ÷ 1 = 2, capped at 1
  EXPECT_DOUBLE_EQ(r[2].points(), 10);  // nothing at all: the cap
}

TEST(AssessmentMethodsTest, EfficacyCoefficientSpreadsSixtyToAHundred) {
  v1::SchemeItem item = Item(20);
  item.mutable_efficacy();
  auto r = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({3, 15, 12}));
  EXPECT_DOUBLE_EQ(r[0].points(), 12);  // 60 × 20 ÷ 100
  EXPECT_DOUBLE_EQ(r[1].points(), 20);
  EXPECT_DOUBLE_EQ(r[2].points(), 18);  // (60 + 40 × 9 ÷ 12) × 0.2
  EXPECT_EQ(r[2].formula(), "(60 + 40 × (12 − 3) ÷ (15 − 3)) × 20 ÷ 100 = 18.00");
  auto lower = ScoreItem(item, v1::DIRECTION_LOWER_IS_BETTER, "", Actuals({3, 15, 12}));
  EXPECT_DOUBLE_EQ(lower[0].points(), 20);
  EXPECT_DOUBLE_EQ(lower[1].points(), 12);
  EXPECT_DOUBLE_EQ(lower[2].points(), 14);  // (60 + 40 × 3 ÷ 12) × 0.2
}

TEST(AssessmentMethodsTest, EfficacyWithEveryValueEqualGivesTheAllEqualScore) {
  v1::SchemeItem item = Item(10);
  item.mutable_efficacy();
  auto full = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({7, 7}));
  EXPECT_DOUBLE_EQ(full[0].points(), 10);
  EXPECT_DOUBLE_EQ(full[1].points(), 10);
  item.mutable_efficacy()->set_all_equal_score(60);
  auto floor = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({0, 0, 0}));
  EXPECT_DOUBLE_EQ(floor[2].points(), 6);
  EXPECT_EQ(floor[0].formula(), "(all equal → 60) × 10 ÷ 100 = 6.00");
  auto alone = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({5}));
  EXPECT_DOUBLE_EQ(alone[0].points(), 6);
}

TEST(AssessmentMethodsTest, PerUnitIsCappedAtThePoints) {
  v1::SchemeItem item = Item(10);
  item.mutable_per_unit()->set_points_per_unit(2);
  auto r = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({3, 7, 0}));
  EXPECT_DOUBLE_EQ(r[0].points(), 6);
  EXPECT_DOUBLE_EQ(r[1].points(), 10);
  EXPECT_DOUBLE_EQ(r[2].points(), 0);
  EXPECT_EQ(r[1].formula(), "min(7 × 2, 10) = 10.00");
}

TEST(AssessmentMethodsTest, ThresholdIsAllOrNothingInTheIndicatorsDirection) {
  v1::SchemeItem item = Item(5);
  item.mutable_threshold()->set_threshold(2);
  auto up = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({2, 1.9}));
  EXPECT_DOUBLE_EQ(up[0].points(), 5);
  EXPECT_DOUBLE_EQ(up[1].points(), 0);
  EXPECT_EQ(up[1].formula(), "1.9 < 2 → 0.00");
  auto down = ScoreItem(item, v1::DIRECTION_LOWER_IS_BETTER, "", Actuals({2, 3}));
  EXPECT_DOUBLE_EQ(down[0].points(), 5);
  EXPECT_DOUBLE_EQ(down[1].points(), 0);
}

TEST(AssessmentMethodsTest, QuotaDeductsPerMissingProjectUpToItsPoints) {
  // 3-10亿 ≥ 7, 10-20亿 ≥ 4, ≥ 20亿 ≥ 1, −0.1 each, at most 3.
  v1::SchemeItem item = Item(3);
  auto* q = item.mutable_quota();
  q->set_deduction_per_missing(0.1);
  auto band = [&](int64_t lo, int64_t hi, int count) {
    auto* b = q->add_bands();
    b->set_min_yuan(lo);
    b->set_max_yuan(hi);
    b->set_count(count);
  };
  band(300'000'000, 1'000'000'000, 7);
  band(1'000'000'000, 2'000'000'000, 4);
  band(2'000'000'000, 0, 1);
  std::vector<ItemInput> in(3);
  in[0].band_counts = {5, 4, 0};    // 2 + 0 + 1 short
  in[1].band_counts = {9, 6, 2};    // none short
  in[2].band_counts = {0, 0, 0};    // 12 short, capped? 1.2 < 3: no
  auto r = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", in);
  EXPECT_NEAR(r[0].points(), -0.3, 1e-12);
  EXPECT_DOUBLE_EQ(r[1].points(), 0);
  EXPECT_NEAR(r[2].points(), -1.2, 1e-12);
  EXPECT_NE(r[0].formula().find("3–10亿 2"), std::string::npos) << r[0].formula();
  item.set_points(1);
  EXPECT_DOUBLE_EQ(ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", in)[2].points(), -1);
  EXPECT_FALSE(IsScoredItem(item));
}

TEST(AssessmentMethodsTest, DeductionsAndBonusesAreCappedAndSigned) {
  v1::SchemeItem deduction = Item(5);
  deduction.mutable_deduction()->set_per_unit(0.5);
  auto d = ScoreItem(deduction, v1::DIRECTION_LOWER_IS_BETTER, "", Actuals({4, 20}));
  EXPECT_DOUBLE_EQ(d[0].points(), -2);
  EXPECT_DOUBLE_EQ(d[1].points(), -5);
  EXPECT_EQ(d[0].formula(), "−min(4 × 0.5, 5) = -2.00");
  v1::SchemeItem bonus = Item(12);
  bonus.mutable_bonus()->set_per_unit(4);
  auto b = ScoreItem(bonus, v1::DIRECTION_HIGHER_IS_BETTER, "", Actuals({2, 5}));
  EXPECT_DOUBLE_EQ(b[0].points(), 8);
  EXPECT_DOUBLE_EQ(b[1].points(), 12);
  EXPECT_FALSE(IsScoredItem(deduction));
  EXPECT_FALSE(IsScoredItem(bonus));
}

TEST(AssessmentMethodsTest, RatingsAreClampedAndAMissingOneScoresZero) {
  v1::SchemeItem item = Item(15);
  item.set_indicator("");
  item.mutable_rating()->add_criteria("落实情况");
  std::vector<ItemInput> in(3);
  in[0].rating = 12.5;
  in[1].rating = 20;
  auto r = ScoreItem(item, v1::DIRECTION_HIGHER_IS_BETTER, "", in);
  EXPECT_DOUBLE_EQ(r[0].points(), 12.5);
  EXPECT_DOUBLE_EQ(r[1].points(), 15);
  EXPECT_DOUBLE_EQ(r[2].points(), 0);
  EXPECT_EQ(r[2].problem(), "no rating");
  EXPECT_TRUE(IsScoredItem(item));
  EXPECT_EQ(MethodName(item), "rating");
}

TEST(AssessmentMethodsTest, NumbersPrintCompactly) {
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(0.5), "0.5");
  EXPECT_EQ(FormatNumber(1200000000), "1200000000");
  EXPECT_EQ(FormatNumber(1.0 / 3), "0.3333");
  EXPECT_EQ(FormatNumber(-0.00001), "0");
}

v1::SubjectResult Subject(const std::string& name, double total) {
  v1::SubjectResult r;
  r.set_subject(name);
  r.set_total(total);
  return r;
}

TEST(AssessmentGradingTest, EqualTotalsShareARankAndTheNextRankSkips) {
  std::vector<v1::SubjectResult> r = {Subject("chains/c", 70), Subject("chains/a", 90),
                                      Subject("chains/b", 70.0000000001), Subject("chains/d", 50)};
  v1::Grading g;
  g.mutable_thresholds()->set_excellent(90);
  g.mutable_thresholds()->set_good(80);
  g.mutable_thresholds()->set_pass(60);
  RankAndGrade(g, &r);
  EXPECT_EQ(r[0].subject(), "chains/a");
  EXPECT_EQ(r[1].subject(), "chains/b");  // tied with c, named first
  EXPECT_EQ(r[2].subject(), "chains/c");
  EXPECT_EQ(r[0].rank(), 1);
  EXPECT_EQ(r[1].rank(), 2);
  EXPECT_EQ(r[2].rank(), 2);
  EXPECT_EQ(r[3].rank(), 4);
  EXPECT_EQ(r[0].grade(), v1::GRADE_EXCELLENT);
  EXPECT_EQ(r[1].grade(), v1::GRADE_PASS);
  EXPECT_EQ(r[3].grade(), v1::GRADE_FAIL);
}

TEST(AssessmentGradingTest, RankSharesGradeByPlaceAndTiesShareTheBetterGrade) {
  // 8 subjects: top 25% (2) 优秀, next 25% (2) 良好, bottom 12.5% (1) 不合格.
  std::vector<v1::SubjectResult> r;
  for (int i = 0; i < 8; ++i) r.push_back(Subject(absl::StrCat("chains/s", i), 100 - i * 10));
  r[2].set_total(90);  // ties with s1 for rank 2
  v1::Grading g;
  g.mutable_rank_shares()->set_excellent(0.25);
  g.mutable_rank_shares()->set_good(0.25);
  g.mutable_rank_shares()->set_fail(0.125);
  RankAndGrade(g, &r);
  EXPECT_EQ(r[0].grade(), v1::GRADE_EXCELLENT);
  EXPECT_EQ(r[1].grade(), v1::GRADE_EXCELLENT);
  EXPECT_EQ(r[2].rank(), 2);
  EXPECT_EQ(r[2].grade(), v1::GRADE_EXCELLENT);
  EXPECT_EQ(r[3].grade(), v1::GRADE_GOOD);
  EXPECT_EQ(r[6].grade(), v1::GRADE_PASS);
  EXPECT_EQ(r[7].grade(), v1::GRADE_FAIL);
}

TEST(AssessmentGradingTest, QuartersFoldIntoTheYearAtTheirWeight) {
  // 0.7 × mean(80, 90, 70, 100) + 0.3 × 60 = 0.7 × 85 + 18 = 77.5
  EXPECT_DOUBLE_EQ(FoldQuarters(0.7, 60, {80, 90, 70, 100}), 77.5);
  EXPECT_DOUBLE_EQ(FoldQuarters(0, 60, {80}), 60);
  EXPECT_DOUBLE_EQ(FoldQuarters(0.7, 60, {}), 60);
}

TEST(AssessmentGradingTest, RankChangesAreAgainstThePreviousRun) {
  std::vector<v1::SubjectResult> before = {Subject("chains/a", 0), Subject("chains/b", 0)};
  before[0].set_rank(2);
  before[1].set_rank(1);
  std::vector<v1::SubjectResult> now = {Subject("chains/a", 0), Subject("chains/b", 0),
                                        Subject("chains/new", 0)};
  now[0].set_rank(1);
  now[1].set_rank(2);
  now[2].set_rank(3);
  CompareRanks(before, &now);
  EXPECT_EQ(now[0].previous_rank(), 2);
  EXPECT_EQ(now[0].rank_change(), 1);
  EXPECT_EQ(now[1].rank_change(), -1);
  EXPECT_EQ(now[2].previous_rank(), 0);
  EXPECT_EQ(now[2].rank_change(), 0);
}

TEST(AssessmentPeriodsTest, ParsesTheThreeKindsAndRefusesTheRest) {
  auto q = Period::Parse("period", "2026-Q3");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->String(), "2026-Q3");
  EXPECT_EQ(FormatDate(q->FirstDay()), "2026-07-01");
  EXPECT_EQ(FormatDate(q->LastDay()), "2026-09-30");
  auto m = Period::Parse("period", "2024-02");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(FormatDate(m->LastDay()), "2024-02-29");
  EXPECT_EQ(m->String(), "2024-02");
  auto y = Period::Parse("period", "2026");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ(FormatDate(y->LastDay()), "2026-12-31");
  ASSERT_EQ(y->QuartersOfYear().size(), 4u);
  for (const char* bad : {"", "26", "2026-Q5", "2026-13", "2026-00", "1999", "2026-q3",
                          "2026-7", "2026-Q3x"}) {
    auto p = Period::Parse("period", bad);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_NE(Period::Parse("run.period", "x").status().message().find("run.period"),
            std::string::npos);
}

TEST(AssessmentPeriodsTest, PreviousCrossesYearsAndSharesArePerKind) {
  EXPECT_EQ(Period::Parse("p", "2026-Q1")->Previous().String(), "2025-Q4");
  EXPECT_EQ(Period::Parse("p", "2026-01")->Previous().String(), "2025-12");
  EXPECT_EQ(Period::Parse("p", "2026")->Previous().String(), "2025");
  EXPECT_DOUBLE_EQ(Period::Parse("p", "2026-Q2")->ShareOfYear(), 0.25);
  EXPECT_DOUBLE_EQ(Period::Parse("p", "2026-05")->ShareOfYear(), 1.0 / 12);
  EXPECT_EQ(Period::Parse("p", "2026-05")->Year().String(), "2026");
  EXPECT_TRUE(*Period::Parse("p", "2026") < *Period::Parse("p", "2026-Q1"));
  EXPECT_TRUE(*Period::Parse("p", "2026-Q1") < *Period::Parse("p", "2026-Q2"));
}

TEST(AssessmentPeriodsTest, ChinaDaysEndAtMidnightUtcPlusEight) {
  const absl::CivilDay day(2026, 9, 30);
  const absl::Time end = EndOfChinaDay(day);
  EXPECT_EQ(ChinaDay(end), day);
  EXPECT_EQ(ChinaDay(end + absl::Microseconds(1)), absl::CivilDay(2026, 10, 1));
  // 2026-09-30 16:00 UTC is midnight in China.
  EXPECT_EQ(end + absl::Microseconds(1), absl::FromCivil(absl::CivilSecond(2026, 9, 30, 16, 0, 0),
                                                         absl::UTCTimeZone()));
  EXPECT_FALSE(ParseDate("as_of_date", "2026-02-30").ok());
  EXPECT_EQ(FormatDate(*ParseDate("d", "2026-02-28")), "2026-02-28");
}

}  // namespace
}  // namespace chainhub::assessment
