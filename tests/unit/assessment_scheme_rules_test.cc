#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/scheme_rules.h"

namespace chainhub::assessment {
namespace {

v1::Indicator ProjectCount(const std::string& key) {
  v1::Indicator i;
  i.set_name("indicators/" + key);
  i.set_display_name("新签约亿元以上项目数");
  i.set_unit("个");
  i.mutable_measure()->set_entity(v1::MEASURE_ENTITY_PROJECTS);
  i.mutable_measure()->set_aggregate(v1::AGGREGATE_COUNT);
  i.mutable_measure()->mutable_projects()->set_reached_in_period(
      chainhub::intake::v1::STAGE_SIGNED);
  i.mutable_measure()->mutable_projects()->set_min_total_investment_yuan(100'000'000);
  return i;
}

v1::Indicator Reported(const std::string& key) {
  v1::Indicator i;
  i.set_name("indicators/" + key);
  i.set_display_name("实际到位资金");
  i.set_unit("亿元");
  i.mutable_reported()->set_owner_department("departments/fgw");
  return i;
}

v1::Indicator OverdueIssues() {
  v1::Indicator i;
  i.set_name("indicators/overdue_issues");
  i.set_display_name("逾期问题数");
  i.set_direction(v1::DIRECTION_LOWER_IS_BETTER);
  i.mutable_measure()->set_entity(v1::MEASURE_ENTITY_WORK_ITEMS);
  i.mutable_measure()->set_aggregate(v1::AGGREGATE_COUNT);
  i.mutable_measure()->mutable_work_items()->set_kind(chainhub::intake::v1::WORK_ITEM_KIND_ISSUE);
  i.mutable_measure()->mutable_work_items()->set_condition(v1::WORK_ITEM_CONDITION_OVERDUE);
  return i;
}

class AssessmentSchemeRulesTest : public testing::Test {
 protected:
  AssessmentSchemeRulesTest() {
    for (const v1::Indicator& i :
         {ProjectCount("signed_projects"), Reported("funds_arrived"), OverdueIssues()}) {
      indicators_[i.name()] = i;
    }
  }

  // A valid scheme: 60 + 40 scored points, a quota, a deduction, a bonus.
  static v1::Scheme Valid() {
    v1::Scheme s;
    s.set_name("schemes/chain-2026");
    s.set_display_name("2026年度产业链链长制工作考核方案");
    s.set_subject_kind(v1::SUBJECT_KIND_CHAINS);
    s.add_subjects("chains/pv");
    s.add_subjects("chains/semiconductor");
    s.set_total_points(100);
    s.set_quarter_weight(0.7);
    auto* signed_projects = s.add_items();  // [0]
    signed_projects->set_key("signed");
    signed_projects->set_indicator("indicators/signed_projects");
    signed_projects->set_points(40);
    signed_projects->mutable_ratio_to_target()->set_cap(1.2);
    auto* funds = s.add_items();  // [1]
    funds->set_key("funds");
    funds->set_indicator("indicators/funds_arrived");
    funds->set_points(30);
    funds->mutable_efficacy();
    auto* rating = s.add_items();  // [2]
    rating->set_key("rating");
    rating->set_points(30);
    rating->mutable_rating()->add_criteria("项目服务");
    auto* quota = s.add_items();  // [3]
    quota->set_key("quota");
    quota->set_indicator("indicators/signed_projects");
    quota->set_points(5);
    auto* band = quota->mutable_quota()->add_bands();
    band->set_min_yuan(300'000'000);
    band->set_max_yuan(1'000'000'000);
    band->set_count(7);
    quota->mutable_quota()->set_deduction_per_missing(0.1);
    auto* overdue = s.add_items();  // [4]
    overdue->set_key("overdue");
    overdue->set_indicator("indicators/overdue_issues");
    overdue->set_points(5);
    overdue->mutable_deduction()->set_per_unit(0.5);
    auto* bonus = s.add_items();  // [5]
    bonus->set_key("big_projects");
    bonus->set_indicator("indicators/signed_projects");
    bonus->set_points(12);
    bonus->mutable_bonus()->set_per_unit(4);
    auto* t = s.mutable_grading()->mutable_thresholds();
    t->set_excellent(90);
    t->set_good(80);
    t->set_pass(60);
    return s;
  }

  std::vector<FieldViolation> Check(const v1::Scheme& s) const {
    std::vector<FieldViolation> v;
    CheckScheme(
        s,
        [this](const std::string& name) -> const v1::Indicator* {
          auto it = indicators_.find(name);
          return it == indicators_.end() ? nullptr : &it->second;
        },
        &v);
    return v;
  }

  static std::string Show(const std::vector<FieldViolation>& v) {
    std::string out;
    for (const auto& f : v) absl::StrAppend(&out, f.field, ": ", f.rule, "\n");
    return out;
  }

  // The scheme breaks exactly one rule: `field` with a rule containing `rule`.
  void ExpectOnly(const v1::Scheme& s, const std::string& field, const std::string& rule) const {
    const std::vector<FieldViolation> v = Check(s);
    ASSERT_EQ(v.size(), 1u) << Show(v);
    EXPECT_EQ(v[0].field, field) << Show(v);
    EXPECT_NE(v[0].rule.find(rule), std::string::npos) << Show(v);
  }

  std::map<std::string, v1::Indicator> indicators_;
};

TEST_F(AssessmentSchemeRulesTest, AcceptsAValidScheme) { EXPECT_EQ(Show(Check(Valid())), ""); }

TEST_F(AssessmentSchemeRulesTest, RatioToTargetNeedsAPositiveCap) {
  v1::Scheme s = Valid();
  s.mutable_items(0)->mutable_ratio_to_target()->clear_cap();
  ExpectOnly(s, "scheme.items[0].ratio_to_target.cap", "must be set and > 0");
  s.mutable_items(0)->mutable_ratio_to_target()->set_cap(0);
  ExpectOnly(s, "scheme.items[0].ratio_to_target.cap", "must be set and > 0, got 0");
}

TEST_F(AssessmentSchemeRulesTest, ScoredPointsMustAddUpToTheTotal) {
  v1::Scheme s = Valid();
  s.mutable_items(0)->set_points(35);
  ExpectOnly(s, "scheme.items", "points of the scored items add up to 95, not total_points 100");
  // Deductions, quotas and bonuses are not part of the total.
  s = Valid();
  s.mutable_items(5)->set_points(50);
  EXPECT_EQ(Show(Check(s)), "");
}

TEST_F(AssessmentSchemeRulesTest, ItemsNameKnownIndicatorsExceptRatings) {
  v1::Scheme s = Valid();
  s.mutable_items(1)->set_indicator("indicators/foo");
  ExpectOnly(s, "scheme.items[1].indicator", "unknown indicator indicators/foo");
  s = Valid();
  s.mutable_items(1)->set_indicator("funds_arrived");
  ExpectOnly(s, "scheme.items[1].indicator", "must be a indicator name indicators/{key}");
  s = Valid();
  s.mutable_items(1)->clear_indicator();
  ExpectOnly(s, "scheme.items[1].indicator", "must not be empty");
  s = Valid();
  s.mutable_items(2)->set_indicator("indicators/funds_arrived");
  ExpectOnly(s, "scheme.items[2].indicator", "must be empty for a rating item");
}

TEST_F(AssessmentSchemeRulesTest, ItemKeysAreValidAndUnique) {
  v1::Scheme s = Valid();
  s.mutable_items(1)->set_key("signed");
  ExpectOnly(s, "scheme.items[1].key", "duplicates an earlier item's key 'signed'");
  s.mutable_items(1)->set_key("Funds");
  ExpectOnly(s, "scheme.items[1].key", "must be 1-40 of a-z, 0-9 and '_'");
}

TEST_F(AssessmentSchemeRulesTest, EveryItemHasOneMethodAndPositivePoints) {
  v1::Scheme s = Valid();
  s.mutable_items(4)->clear_deduction();
  ExpectOnly(s, "scheme.items[4].method", "must set exactly one method");
  s = Valid();
  s.mutable_items(4)->set_points(0);
  ExpectOnly(s, "scheme.items[4].points", "must be > 0");
}

TEST_F(AssessmentSchemeRulesTest, MethodsNeedTheirParameters) {
  v1::Scheme s = Valid();
  s.mutable_items(4)->mutable_deduction()->clear_per_unit();
  ExpectOnly(s, "scheme.items[4].deduction.per_unit", "must be set and > 0");
  s = Valid();
  s.mutable_items(5)->mutable_bonus()->set_per_unit(-4);
  ExpectOnly(s, "scheme.items[5].bonus.per_unit", "must be set and > 0, got −4");
  s = Valid();
  s.mutable_items(1)->mutable_efficacy()->set_all_equal_score(120);
  ExpectOnly(s, "scheme.items[1].efficacy.all_equal_score", "must be in [0, 100], got 120");
  s = Valid();
  s.mutable_items(1)->mutable_per_unit();
  ExpectOnly(s, "scheme.items[1].per_unit.points_per_unit", "must be set and > 0");
  s = Valid();
  s.mutable_items(1)->mutable_threshold();
  ExpectOnly(s, "scheme.items[1].threshold.threshold", "must be set to a number");
  s.mutable_items(1)->mutable_threshold()->set_threshold(0);  // 0 is a threshold like any
  EXPECT_EQ(Show(Check(s)), "");
}

TEST_F(AssessmentSchemeRulesTest, QuotasNeedBandsAndAProjectCount) {
  v1::Scheme s = Valid();
  s.mutable_items(3)->set_indicator("indicators/funds_arrived");
  ExpectOnly(s, "scheme.items[3].indicator", "must be a project COUNT indicator for a quota");
  s = Valid();
  s.mutable_items(3)->mutable_quota()->clear_bands();
  ExpectOnly(s, "scheme.items[3].quota.bands", "must hold 1 to 20 bands, got 0");
  s = Valid();
  s.mutable_items(3)->mutable_quota()->mutable_bands(0)->set_max_yuan(300'000'000);
  ExpectOnly(s, "scheme.items[3].quota.bands[0].max_yuan", "must be more than min_yuan");
  s.mutable_items(3)->mutable_quota()->mutable_bands(0)->set_max_yuan(0);  // no upper bound
  EXPECT_EQ(Show(Check(s)), "");
  s.mutable_items(3)->mutable_quota()->mutable_bands(0)->set_count(0);
  ExpectOnly(s, "scheme.items[3].quota.bands[0].count", "must be at least 1, got 0");
  s = Valid();
  s.mutable_items(3)->mutable_quota()->clear_deduction_per_missing();
  ExpectOnly(s, "scheme.items[3].quota.deduction_per_missing", "must be set and > 0");
}

TEST_F(AssessmentSchemeRulesTest, GradingIsRequiredAndConsistent) {
  v1::Scheme s = Valid();
  s.clear_grading();
  ExpectOnly(s, "scheme.grading", "must set thresholds or rank_shares");
  s = Valid();
  s.mutable_grading()->mutable_thresholds()->set_good(90);
  ExpectOnly(s, "scheme.grading.thresholds", "must have excellent > good > pass, got 90, 90, 60");
  s = Valid();
  auto* shares = s.mutable_grading()->mutable_rank_shares();
  shares->set_excellent(0.5);
  shares->set_good(0.4);
  shares->set_fail(0.2);
  ExpectOnly(s, "scheme.grading.rank_shares", "shares must add up to at most 1, got 1.1");
  shares->set_good(-0.1);
  ExpectOnly(s, "scheme.grading.rank_shares.good", "must be in [0, 1], got −0.1");
  shares->set_good(0.3);
  EXPECT_EQ(Show(Check(s)), "");  // 0.5 + 0.3 + 0.2 is 1 (within 1e-9)
}

TEST_F(AssessmentSchemeRulesTest, SchemeFieldsHaveTheirRules) {
  v1::Scheme s = Valid();
  s.set_quarter_weight(1.5);
  ExpectOnly(s, "scheme.quarter_weight", "must be in [0, 1]");
  s = Valid();
  s.set_total_points(0);
  ExpectOnly(s, "scheme.total_points", "must be > 0, got 0");
  s = Valid();
  s.set_name("schemes/Chain");
  ExpectOnly(s, "scheme.name", "must be a scheme name schemes/{id}");
  s = Valid();
  s.set_name("schemes/chain-2026/versions/2");
  ExpectOnly(s, "scheme.name", "must be a scheme name schemes/{id}");
  s = Valid();
  s.clear_display_name();
  ExpectOnly(s, "scheme.display_name", "must not be empty");
  s = Valid();
  s.clear_items();
  const std::vector<FieldViolation> v = Check(s);
  ASSERT_EQ(v.size(), 1u) << Show(v);
  EXPECT_EQ(v[0].field, "scheme.items");
  EXPECT_EQ(v[0].rule, "must hold 1 to 100 items, got 0");
}

TEST_F(AssessmentSchemeRulesTest, SubjectsMatchTheSchemesKind) {
  v1::Scheme s = Valid();
  s.add_subjects("counties/来安县");
  ExpectOnly(s, "scheme.subjects[2]", "must be a chain chains/{chain} (subject_kind CHAINS)");
  s = Valid();
  s.add_subjects("chains/pv");
  ExpectOnly(s, "scheme.subjects[2]", "duplicates an earlier subject 'chains/pv'");
  s = Valid();
  s.add_subjects("pv");
  ExpectOnly(s, "scheme.subjects[2]", "must be a subject chains/{chain} or counties/{county}");
}

TEST_F(AssessmentSchemeRulesTest, WorkItemIndicatorsCannotAssessCounties) {
  v1::Scheme s = Valid();
  s.set_subject_kind(v1::SUBJECT_KIND_COUNTIES);
  s.clear_subjects();
  s.add_subjects("counties/来安县");
  ExpectOnly(s, "scheme.items[4].indicator", "counts work items, which belong to chains");
}

TEST_F(AssessmentSchemeRulesTest, ReportsEveryViolationInOneRound) {
  v1::Scheme s = Valid();
  s.clear_display_name();
  s.mutable_items(0)->mutable_ratio_to_target()->clear_cap();
  s.mutable_items(1)->set_indicator("indicators/foo");
  s.clear_grading();
  EXPECT_EQ(Check(s).size(), 4u) << Show(Check(s));
}

std::vector<FieldViolation> CheckOne(const v1::Indicator& i) {
  std::vector<FieldViolation> v;
  CheckIndicator(i, "indicator", &v);
  return v;
}

void ExpectIndicatorOnly(const v1::Indicator& i, const std::string& field,
                         const std::string& rule) {
  const std::vector<FieldViolation> v = CheckOne(i);
  std::string shown;
  for (const auto& f : v) absl::StrAppend(&shown, f.field, ": ", f.rule, "\n");
  ASSERT_EQ(v.size(), 1u) << shown;
  EXPECT_EQ(v[0].field, field) << shown;
  EXPECT_NE(v[0].rule.find(rule), std::string::npos) << shown;
}

TEST(AssessmentIndicatorRulesTest, AcceptsMeasuredAndReportedIndicators) {
  EXPECT_TRUE(CheckOne(ProjectCount("signed_projects")).empty());
  EXPECT_TRUE(CheckOne(Reported("funds_arrived")).empty());
  EXPECT_TRUE(CheckOne(OverdueIssues()).empty());
  v1::Indicator output = ProjectCount("chain_owner_output");
  output.mutable_measure()->set_entity(v1::MEASURE_ENTITY_ENTERPRISES);
  output.mutable_measure()->set_aggregate(v1::AGGREGATE_SUM);
  output.mutable_measure()->set_field(v1::MEASURE_FIELD_ANNUAL_OUTPUT);
  output.mutable_measure()->set_scale(1e-8);
  output.mutable_measure()->mutable_enterprises()->add_labels(
      chainhub::registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER);
  output.mutable_measure()->clear_projects();
  EXPECT_TRUE(CheckOne(output).empty());
}

TEST(AssessmentIndicatorRulesTest, NamesAndTextsHaveTheirRules) {
  v1::Indicator i = ProjectCount("signed_projects");
  i.set_name("indicators/1st");
  ExpectIndicatorOnly(i, "indicator.name", "must be a indicator name indicators/{key}");
  i = ProjectCount("signed_projects");
  i.clear_display_name();
  ExpectIndicatorOnly(i, "indicator.display_name", "must not be empty");
  i = ProjectCount("signed_projects");
  i.set_unit("个\n");
  ExpectIndicatorOnly(i, "indicator.unit", "control characters");
  i = ProjectCount("signed_projects");
  i.set_direction(static_cast<v1::Direction>(7));
  ExpectIndicatorOnly(i, "indicator.direction", "must be one of HIGHER_IS_BETTER");
  i = ProjectCount("signed_projects");
  i.clear_measure();
  ExpectIndicatorOnly(i, "indicator.source", "must set exactly one of measure or reported");
  i = Reported("funds_arrived");
  i.mutable_reported()->set_owner_department("fgw");
  ExpectIndicatorOnly(i, "indicator.reported.owner_department",
                      "must be a department name departments/{dept}");
}

TEST(AssessmentIndicatorRulesTest, MeasuresAreConsistent) {
  v1::Indicator i = ProjectCount("signed_projects");
  i.mutable_measure()->set_aggregate(v1::AGGREGATE_SUM);
  ExpectIndicatorOnly(i, "indicator.measure.field", "must be TOTAL_INVESTMENT");
  i.mutable_measure()->set_field(v1::MEASURE_FIELD_ANNUAL_OUTPUT);
  ExpectIndicatorOnly(i, "indicator.measure.field", "to SUM MEASURE_ENTITY_PROJECTS");
  i.mutable_measure()->set_field(v1::MEASURE_FIELD_COMPLETED_IN_PERIOD);
  EXPECT_TRUE(CheckOne(i).empty());
  i = ProjectCount("signed_projects");
  i.mutable_measure()->set_field(v1::MEASURE_FIELD_TOTAL_INVESTMENT);
  ExpectIndicatorOnly(i, "indicator.measure.field", "must be empty for COUNT");
  i = ProjectCount("signed_projects");
  i.mutable_measure()->mutable_enterprises();
  ExpectIndicatorOnly(i, "indicator.measure.enterprises",
                      "only the filter of the measure's entity");
  i = ProjectCount("signed_projects");
  i.mutable_measure()->clear_entity();
  const auto v = CheckOne(i);
  ASSERT_EQ(v.size(), 2u);  // no entity, and the projects filter then belongs to none
  EXPECT_EQ(v[0].field, "indicator.measure.entity");
  i = OverdueIssues();
  i.mutable_measure()->set_aggregate(v1::AGGREGATE_SUM);
  ExpectIndicatorOnly(i, "indicator.measure.aggregate", "must be COUNT for WORK_ITEMS");
  i = ProjectCount("signed_projects");
  i.mutable_measure()->set_scale(-1);
  ExpectIndicatorOnly(i, "indicator.measure.scale", "must be ≥ 0");
}

TEST(AssessmentIndicatorRulesTest, FiltersHoldKnownValues) {
  v1::Indicator i = ProjectCount("signed_projects");
  auto* f = i.mutable_measure()->mutable_projects();
  f->set_reached_in_period(chainhub::intake::v1::STAGE_NEGOTIATING);
  ExpectIndicatorOnly(i, "indicator.measure.projects.reached_in_period",
                      "must be one of SIGNED, REGISTERED, STARTED, IN_PRODUCTION, FULL_OUTPUT, got "
                      "STAGE_NEGOTIATING");
  f->set_reached_in_period(chainhub::intake::v1::STAGE_FULL_OUTPUT);
  f->set_max_total_investment_yuan(100'000'000);
  ExpectIndicatorOnly(i, "indicator.measure.projects.max_total_investment_yuan",
                      "must be more than min_total_investment_yuan (100000000)");
  f->set_max_total_investment_yuan(0);
  f->add_investor_origins(chainhub::intake::v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  f->add_investor_origins(chainhub::intake::v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  ExpectIndicatorOnly(i, "indicator.measure.projects.investor_origins[1]",
                      "duplicates an earlier entry");
  i = OverdueIssues();
  i.mutable_measure()->mutable_work_items()->set_condition(static_cast<v1::WorkItemCondition>(9));
  ExpectIndicatorOnly(i, "indicator.measure.work_items.condition", "must be one of OVERDUE");
}

TEST(AssessmentIndicatorRulesTest, DirectionDefaultsToHigherIsBetter) {
  v1::Indicator i;
  EXPECT_EQ(DirectionOf(i), v1::DIRECTION_HIGHER_IS_BETTER);
  i.set_direction(v1::DIRECTION_LOWER_IS_BETTER);
  EXPECT_EQ(DirectionOf(i), v1::DIRECTION_LOWER_IS_BETTER);
}

TEST(AssessmentSchemeContentKeyTest, IgnoresOutputOnlyFieldsOnly) {
  v1::Scheme a;
  a.set_name("schemes/chain-2026");
  a.set_total_points(100);
  v1::Scheme b = a;
  b.set_version(3);
  b.set_etag("abc");
  b.mutable_create_time()->set_seconds(1);
  b.mutable_version_time()->set_seconds(2);
  EXPECT_EQ(SchemeContentKey(a), SchemeContentKey(b));
  b.set_total_points(90);
  EXPECT_NE(SchemeContentKey(a), SchemeContentKey(b));
}

}  // namespace
}  // namespace chainhub::assessment
