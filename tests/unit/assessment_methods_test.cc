#include <cmath>

#include <gtest/gtest.h>

#include "services/assessment/methods.h"

namespace chainhub::assessment {
namespace {

using v1::Direction;
constexpr Direction kHigher = v1::DIRECTION_HIGHER_IS_BETTER;
constexpr Direction kLower = v1::DIRECTION_LOWER_IS_BETTER;

ItemInput Actual(double actual) {
  ItemInput in;
  in.actual = actual;
  return in;
}

ItemInput WithTarget(double actual, double target) {
  ItemInput in = Actual(actual);
  in.target = target;
  return in;
}

v1::SchemeItem Item(double points) {
  v1::SchemeItem item;
  item.set_key("item");
  item.set_indicator("indicators/signed_projects");
  item.set_points(points);
  return item;
}

v1::SchemeItem Ratio(double points, double cap) {
  v1::SchemeItem item = Item(points);
  item.mutable_ratio_to_target()->set_cap(cap);
  return item;
}

v1::ItemResult One(const v1::SchemeItem& item, Direction direction, const ItemInput& in) {
  auto results = ScoreItem(item, direction, "新签约亿元以上项目数", {in});
  EXPECT_EQ(results.size(), 1u);
  return results.empty() ? v1::ItemResult() : results[0];
}

TEST(AssessmentMethodsTest, RatioToTargetIsCappedAndExplainsItself) {
  const v1::SchemeItem item = Ratio(30, 1.2);
  v1::ItemResult r = One(item, kHigher, WithTarget(12, 10));
  EXPECT_DOUBLE_EQ(r.points(), 36);  // min(1.2, 1.2) × 30
  EXPECT_EQ(r.formula(), "min(12 ÷ 10, 1.2) × 30 = 36.00");
  EXPECT_EQ(r.key(), "item");
  EXPECT_EQ(r.display_name(), "新签约亿元以上项目数");
  EXPECT_EQ(r.indicator(), "indicators/signed_projects");
  EXPECT_EQ(r.method(), "ratio_to_target");
  EXPECT_EQ(r.parameters(), "cap=1.2");
  EXPECT_DOUBLE_EQ(r.actual(), 12);
  EXPECT_DOUBLE_EQ(r.target(), 10);
  EXPECT_TRUE(r.has_target());
  EXPECT_DOUBLE_EQ(r.max_points(), 30);
  EXPECT_EQ(r.problem(), "");

  EXPECT_DOUBLE_EQ(One(item, kHigher, WithTarget(8, 10)).points(), 24);   // 0.8 × 30
  EXPECT_DOUBLE_EQ(One(item, kHigher, WithTarget(15, 10)).points(), 36);  // 1.5 capped at 1.2
  EXPECT_DOUBLE_EQ(One(Ratio(30, 1), kHigher, WithTarget(15, 10)).points(), 30);  // cap 1
  EXPECT_DOUBLE_EQ(One(item, kHigher, WithTarget(-3, 10)).points(), 0);           // floored at 0
}

TEST(AssessmentMethodsTest, RatioToTargetInvertsForLowerIsBetter) {
  const v1::SchemeItem item = Ratio(30, 1.2);
  v1::ItemResult r = One(item, kLower, WithTarget(12, 10));
  EXPECT_DOUBLE_EQ(r.points(), 25);  // 10 ÷ 12 × 30
  EXPECT_EQ(r.formula(), "min(10 ÷ 12, 1.2) × 30 = 25.00");
  EXPECT_DOUBLE_EQ(One(item, kLower, WithTarget(5, 10)).points(), 36);  // 2 capped at 1.2
  v1::ItemResult zero = One(item, kLower, WithTarget(0, 10));
  EXPECT_DOUBLE_EQ(zero.points(), 36);  // nothing at all: the cap
  EXPECT_EQ(zero.formula(), "actual 0 ≤ 0, lower is better: cap 1.2 × 30 = 36.00");
}

TEST(AssessmentMethodsTest, RatioToTargetWithoutAPositiveTargetScoresZeroWithAProblem) {
  const v1::SchemeItem item = Ratio(30, 1.2);
  v1::ItemResult none = One(item, kHigher, Actual(12));
  EXPECT_DOUBLE_EQ(none.points(), 0);
  EXPECT_EQ(none.problem(), "no target");
  EXPECT_FALSE(none.has_target());
  EXPECT_EQ(none.formula(), "no target in force → 0.00");
  v1::ItemResult zero = One(item, kHigher, WithTarget(12, 0));
  EXPECT_DOUBLE_EQ(zero.points(), 0);
  EXPECT_EQ(zero.problem(), "no target");
  EXPECT_TRUE(zero.has_target());
  EXPECT_EQ(zero.formula(), "target 0 is not > 0 → 0.00");
  EXPECT_EQ(One(item, kLower, WithTarget(12, -5)).problem(), "no target");
}

TEST(AssessmentMethodsTest, EfficacyCoefficientRanksSubjectsAgainstEachOther) {
  v1::SchemeItem item = Item(10);
  item.mutable_efficacy();
  // min 3, max 20: 60, 60 + 40 × 9 ÷ 17 = 81.176…, 100.
  auto r = ScoreItem(item, kHigher, "", {Actual(3), Actual(12), Actual(20)});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_DOUBLE_EQ(r[0].points(), 6);
  EXPECT_NEAR(r[1].points(), 8.117647, 1e-6);
  EXPECT_DOUBLE_EQ(r[2].points(), 10);
  EXPECT_EQ(r[1].formula(), "(60 + 40 × (12 − 3) ÷ (20 − 3)) ÷ 100 × 10 = 8.12");
  EXPECT_EQ(r[0].method(), "efficacy");
  EXPECT_EQ(r[0].parameters(), "all_equal_score=100");
  EXPECT_FALSE(r[0].has_target());

  // Lower is better: mirrored, 60 + 40 × 8 ÷ 17 = 78.8235…
  auto lower = ScoreItem(item, kLower, "", {Actual(3), Actual(12), Actual(20)});
  EXPECT_DOUBLE_EQ(lower[0].points(), 10);
  EXPECT_NEAR(lower[1].points(), 7.882353, 1e-6);
  EXPECT_DOUBLE_EQ(lower[2].points(), 6);
  EXPECT_EQ(lower[1].formula(), "(60 + 40 × (20 − 12) ÷ (20 − 3)) ÷ 100 × 10 = 7.88");
}

TEST(AssessmentMethodsTest, EfficacyGivesAllEqualScoreWhenEverySubjectIsEqual) {
  v1::SchemeItem item = Item(10);
  item.mutable_efficacy();
  auto r = ScoreItem(item, kHigher, "", {Actual(5), Actual(5)});
  EXPECT_DOUBLE_EQ(r[0].points(), 10);  // default 100: full points
  EXPECT_EQ(r[0].formula(), "all equal (5): 100 ÷ 100 × 10 = 10.00");
  item.mutable_efficacy()->set_all_equal_score(60);
  r = ScoreItem(item, kHigher, "", {Actual(5), Actual(5 + 1e-12)});  // equal to 1e-9
  EXPECT_DOUBLE_EQ(r[0].points(), 6);
  EXPECT_DOUBLE_EQ(r[1].points(), 6);
  EXPECT_EQ(r[0].parameters(), "all_equal_score=60");
  EXPECT_DOUBLE_EQ(ScoreItem(item, kHigher, "", {Actual(7)})[0].points(), 6);  // one subject
  EXPECT_TRUE(ScoreItem(item, kHigher, "", {}).empty());
}

TEST(AssessmentMethodsTest, PerUnitIsCappedAtThePoints) {
  v1::SchemeItem item = Item(10);
  item.mutable_per_unit()->set_points_per_unit(2);
  v1::ItemResult r = One(item, kHigher, Actual(3));
  EXPECT_DOUBLE_EQ(r.points(), 6);
  EXPECT_EQ(r.formula(), "min(3 × 2, 10) = 6.00");
  EXPECT_EQ(r.parameters(), "points_per_unit=2");
  EXPECT_DOUBLE_EQ(One(item, kHigher, Actual(7)).points(), 10);
  EXPECT_DOUBLE_EQ(One(item, kHigher, Actual(-1)).points(), 0);
}

TEST(AssessmentMethodsTest, ThresholdIsAllOrNothingInTheIndicatorsDirection) {
  v1::SchemeItem item = Item(5);
  item.mutable_threshold()->set_threshold(5);
  v1::ItemResult met = One(item, kHigher, Actual(5));
  EXPECT_DOUBLE_EQ(met.points(), 5);
  EXPECT_EQ(met.formula(), "5 ≥ 5 → 5.00");
  v1::ItemResult missed = One(item, kHigher, Actual(4.9));
  EXPECT_DOUBLE_EQ(missed.points(), 0);
  EXPECT_EQ(missed.formula(), "4.9 < 5 → 0.00");
  EXPECT_DOUBLE_EQ(One(item, kLower, Actual(5)).points(), 5);
  v1::ItemResult over = One(item, kLower, Actual(6));
  EXPECT_DOUBLE_EQ(over.points(), 0);
  EXPECT_EQ(over.formula(), "6 > 5 → 0.00");
  EXPECT_EQ(over.parameters(), "threshold=5");
}

v1::SchemeItem Quota() {
  // The city's 2024 table: 3–10亿 ≥ 7, 10–20亿 ≥ 4, ≥ 20亿 ≥ 1, −0.1 per missing project.
  v1::SchemeItem item = Item(5);
  auto* quota = item.mutable_quota();
  auto band = [&](int64_t min, int64_t max, int count) {
    auto* b = quota->add_bands();
    b->set_min_yuan(min);
    b->set_max_yuan(max);
    b->set_count(count);
  };
  band(300'000'000, 1'000'000'000, 7);
  band(1'000'000'000, 2'000'000'000, 4);
  band(2'000'000'000, 0, 1);
  quota->set_deduction_per_missing(0.1);
  return item;
}

ItemInput Bands(std::vector<double> counts) {
  ItemInput in;
  in.band_counts = std::move(counts);
  return in;
}

TEST(AssessmentMethodsTest, QuotaDeductsPerMissingProjectPerBand) {
  const v1::SchemeItem item = Quota();
  v1::ItemResult r = One(item, kHigher, Bands({5, 4, 0}));  // short 2 + 0 + 1 = 3
  EXPECT_NEAR(r.points(), -0.3, 1e-12);
  EXPECT_EQ(r.formula(), "−min((max(0, 7 − 5) + max(0, 4 − 4) + max(0, 1 − 0)) × 0.1, 5) = −0.30");
  EXPECT_EQ(r.method(), "quota");
  EXPECT_EQ(r.parameters(),
            "bands=[300000000,1000000000):7 [1000000000,2000000000):4 [2000000000,∞):1; "
            "deduction_per_missing=0.1");
  // Surplus in one band does not make up for another; meeting every quota deducts nothing.
  EXPECT_NEAR(One(item, kHigher, Bands({20, 3, 1})).points(), -0.1, 1e-12);
  v1::ItemResult met = One(item, kHigher, Bands({9, 5, 2}));
  EXPECT_EQ(met.points(), 0);
  EXPECT_FALSE(std::signbit(met.points()));
  EXPECT_EQ(met.formula(), "−min((max(0, 7 − 9) + max(0, 4 − 5) + max(0, 1 − 2)) × 0.1, 5) = 0.00");
  // Bands with no count given count 0 projects: short 0 + 4 + 1.
  EXPECT_NEAR(One(item, kHigher, Bands({7})).points(), -0.5, 1e-12);
  // At most the item's points.
  v1::SchemeItem steep = item;
  steep.mutable_quota()->set_deduction_per_missing(1);
  EXPECT_DOUBLE_EQ(One(steep, kHigher, Bands({0, 0, 0})).points(), -5);  // 12 short, at most 5
}

TEST(AssessmentMethodsTest, DeductionsAndBonusesAreCappedAtThePoints) {
  v1::SchemeItem deduction = Item(5);
  deduction.mutable_deduction()->set_per_unit(0.5);
  v1::ItemResult r = One(deduction, kLower, Actual(4));
  EXPECT_DOUBLE_EQ(r.points(), -2);
  EXPECT_EQ(r.formula(), "−min(4 × 0.5, 5) = −2.00");
  EXPECT_EQ(r.parameters(), "per_unit=0.5");
  EXPECT_DOUBLE_EQ(One(deduction, kLower, Actual(20)).points(), -5);
  EXPECT_EQ(One(deduction, kLower, Actual(0)).formula(), "−min(0 × 0.5, 5) = 0.00");
  EXPECT_FALSE(std::signbit(One(deduction, kLower, Actual(0)).points()));

  v1::SchemeItem bonus = Item(12);
  bonus.mutable_bonus()->set_per_unit(4);
  r = One(bonus, kHigher, Actual(2));
  EXPECT_DOUBLE_EQ(r.points(), 8);
  EXPECT_EQ(r.formula(), "min(2 × 4, 12) = 8.00");
  EXPECT_DOUBLE_EQ(One(bonus, kHigher, Actual(5)).points(), 12);
  EXPECT_DOUBLE_EQ(One(bonus, kHigher, Actual(-1)).points(), 0);
}

TEST(AssessmentMethodsTest, RatingIsClampedAndMissingRatingsAreAProblem) {
  v1::SchemeItem item;
  item.set_key("park_rating");
  item.set_points(15);
  item.mutable_rating()->add_criteria("项目服务");
  auto rated = [&](std::optional<double> rating) {
    ItemInput in;
    in.rating = rating;
    return ScoreItem(item, kHigher, "", {in})[0];
  };
  v1::ItemResult r = rated(12);
  EXPECT_DOUBLE_EQ(r.points(), 12);
  EXPECT_EQ(r.formula(), "rating 12 = 12.00");
  EXPECT_EQ(r.display_name(), "park_rating");  // no display name, no indicator: the key
  EXPECT_EQ(r.indicator(), "");
  EXPECT_EQ(r.parameters(), "criteria=1");
  v1::ItemResult high = rated(18);
  EXPECT_DOUBLE_EQ(high.points(), 15);
  EXPECT_EQ(high.formula(), "rating 18 within [0, 15] = 15.00");
  EXPECT_DOUBLE_EQ(rated(-2).points(), 0);
  v1::ItemResult missing = rated(std::nullopt);
  EXPECT_DOUBLE_EQ(missing.points(), 0);
  EXPECT_EQ(missing.problem(), "no rating");
}

TEST(AssessmentMethodsTest, DisplayNamePrefersTheItemsOwn) {
  v1::SchemeItem item = Ratio(30, 1.2);
  item.set_display_name("新签约亿元以上项目");
  EXPECT_EQ(One(item, kHigher, WithTarget(1, 1)).display_name(), "新签约亿元以上项目");
}

TEST(AssessmentMethodsTest, ScoredItemsAreAllButQuotaDeductionAndBonus) {
  v1::SchemeItem item = Item(1);
  EXPECT_FALSE(IsScoredItem(item));  // no method
  EXPECT_EQ(MethodName(item), "");
  item.mutable_ratio_to_target();
  EXPECT_TRUE(IsScoredItem(item));
  item.mutable_efficacy();
  EXPECT_TRUE(IsScoredItem(item));
  item.mutable_per_unit();
  EXPECT_TRUE(IsScoredItem(item));
  EXPECT_EQ(MethodName(item), "per_unit");
  EXPECT_EQ(MethodParameters(item), "points_per_unit=unset");
  item.mutable_threshold();
  EXPECT_TRUE(IsScoredItem(item));
  item.mutable_rating();
  EXPECT_TRUE(IsScoredItem(item));
  item.mutable_quota();
  EXPECT_FALSE(IsScoredItem(item));
  item.mutable_deduction();
  EXPECT_FALSE(IsScoredItem(item));
  item.mutable_bonus();
  EXPECT_FALSE(IsScoredItem(item));
  EXPECT_EQ(MethodName(item), "bonus");
}

TEST(AssessmentMethodsTest, NumbersPrintCompactlyWithoutExponents) {
  EXPECT_EQ(FormatNumber(12), "12");
  EXPECT_EQ(FormatNumber(0.5), "0.5");
  EXPECT_EQ(FormatNumber(1.23456), "1.2346");
  EXPECT_EQ(FormatNumber(1.0 / 3), "0.3333");
  EXPECT_EQ(FormatNumber(120000000), "120000000");
  EXPECT_EQ(FormatNumber(1.2e9), "1200000000");
  EXPECT_EQ(FormatNumber(0.00001234), "0.00001234");
  EXPECT_EQ(FormatNumber(1e-8), "0.00000001");
  EXPECT_EQ(FormatNumber(-0.5), "−0.5");
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatPoints(30), "30.00");
  EXPECT_EQ(FormatPoints(8.117647), "8.12");
  EXPECT_EQ(FormatPoints(-0.3), "−0.30");
  EXPECT_EQ(FormatPoints(-0.0001), "0.00");
}

}  // namespace
}  // namespace chainhub::assessment
