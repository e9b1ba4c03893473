// Scheme and indicator validation, and schemes and indicators as YAML/JSON files: the sample data
// under data/assessment/ parses and validates; errors name the line and the field.
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/assessment/methods.h"
#include "services/assessment/scheme_file.h"
#include "services/assessment/scheme_rules.h"

namespace chainhub::assessment {
namespace {

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Rules(const std::vector<FieldViolation>& violations) {
  std::string out;
  for (const auto& v : violations) absl::StrAppend(&out, v.field, ": ", v.rule, "\n");
  return out;
}

bool Names(const std::vector<FieldViolation>& violations, const std::string& field,
           const std::string& rule_part) {
  for (const auto& v : violations) {
    if (v.field == field && v.rule.find(rule_part) != std::string::npos) return true;
  }
  return false;
}

class AssessmentSchemeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto indicators = ParseIndicatorsFile(ReadData("data/assessment/indicators.yaml"));
    ASSERT_TRUE(indicators.ok()) << indicators.status();
    for (auto& i : *indicators) indicators_[i.name()] = i;
    auto scheme = ParseSchemeFile(ReadData("data/assessment/scheme-2026.yaml"));
    ASSERT_TRUE(scheme.ok()) << scheme.status();
    scheme_ = *scheme;
  }

  std::vector<FieldViolation> Check(const v1::Scheme& scheme) {
    std::vector<FieldViolation> v;
    CheckScheme(
        scheme,
        [&](const std::string& name) -> const v1::Indicator* {
          auto it = indicators_.find(name);
          return it == indicators_.end() ? nullptr : &it->second;
        },
        &v);
    return v;
  }

  std::map<std::string, v1::Indicator> indicators_;
  v1::Scheme scheme_;
};

TEST_F(AssessmentSchemeTest, TheSampleDataParsesAndValidates) {
  EXPECT_GE(indicators_.size(), 10u);
  for (const auto& [name, indicator] : indicators_) {
    std::vector<FieldViolation> v;
    CheckIndicator(indicator, "indicator", &v);
    EXPECT_TRUE(v.empty()) << name << "\n" << Rules(v);
  }
  EXPECT_EQ(scheme_.name(), "schemes/chain-2026");
  EXPECT_TRUE(scheme_.sample());
  EXPECT_DOUBLE_EQ(scheme_.quarter_weight(), 0.7);
  EXPECT_EQ(scheme_.subjects_size(), 8);
  const auto v = Check(scheme_);
  EXPECT_TRUE(v.empty()) << Rules(v);
}

TEST_F(AssessmentSchemeTest, SchemeToYamlRoundTrips) {
  const std::string yaml = SchemeToYaml(scheme_);
  auto back = ParseSchemeFile(yaml);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
  EXPECT_EQ(back->SerializeAsString(), scheme_.SerializeAsString()) << yaml;
  EXPECT_EQ(SchemeContentKey(*back), SchemeContentKey(scheme_));
  // A version number does not change the content.
  v1::Scheme versioned = scheme_;
  versioned.set_version(7);
  EXPECT_EQ(SchemeContentKey(versioned), SchemeContentKey(scheme_));
  versioned.mutable_items(0)->set_points(21);
  EXPECT_NE(SchemeContentKey(versioned), SchemeContentKey(scheme_));
}

TEST_F(AssessmentSchemeTest, JsonIsReadToo) {
  auto scheme = ParseSchemeFile(
      R"({"name": "schemes/json", "display_name": "J", "total_points": 10,
          "grading": {"thresholds": {"excellent": 9, "good": 8, "pass": 6}},
          "items": [{"key": "a", "indicator": "indicators/output", "points": 10,
                     "ratio_to_target": {"cap": 1}}]})");
  ASSERT_TRUE(scheme.ok()) << scheme.status();
  EXPECT_EQ(scheme->items(0).ratio_to_target().cap(), 1);
  EXPECT_TRUE(Check(*scheme).empty()) << Rules(Check(*scheme));
}

TEST_F(AssessmentSchemeTest, FileErrorsNameTheLineAndTheField) {
  auto unknown = ParseSchemeFile("name: schemes/x\nitems:\n  - key: a\n    pointz: 3\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("items[0].pointz"), std::string::npos)
      << unknown.status();
  EXPECT_NE(unknown.status().message().find("line 4"), std::string::npos) << unknown.status();
  auto enum_value = ParseSchemeFile("name: schemes/x\nsubject_kind: PROVINCES\n");
  ASSERT_FALSE(enum_value.ok());
  EXPECT_NE(enum_value.status().message().find("SUBJECT_KIND_CHAINS"), std::string::npos);
  auto number = ParseSchemeFile("total_points: lots\n");
  EXPECT_NE(number.status().message().find("must be a number"), std::string::npos);
  auto two_methods = ParseSchemeFile(
      "items:\n  - key: a\n    per_unit: {points_per_unit: 1}\n    bonus: {per_unit: 1}\n");
  EXPECT_NE(two_methods.status().message().find("set only one"), std::string::npos)
      << two_methods.status();
  auto output_only = ParseSchemeFile("version: 3\n");
  EXPECT_NE(output_only.status().message().find("set by the service"), std::string::npos);
  auto syntax = ParseSchemeFile("items: [\n");
  EXPECT_EQ(syntax.status().code(), absl::StatusCode::kInvalidArgument);
  // The short form of an enum value.
  auto short_enum = ParseIndicatorsFile(
      "indicators:\n  - name: indicators/x\n    display_name: X\n    direction: "
      "LOWER_IS_BETTER\n");
  ASSERT_TRUE(short_enum.ok()) << short_enum.status();
  EXPECT_EQ((*short_enum)[0].direction(), v1::DIRECTION_LOWER_IS_BETTER);
}

TEST_F(AssessmentSchemeTest, EachSchemeRuleNamesItsField) {
  v1::Scheme s = scheme_;
  s.mutable_items(0)->mutable_ratio_to_target()->clear_cap();
  s.mutable_items(1)->set_indicator("indicators/nope");
  s.mutable_items(2)->set_key(s.items(3).key());
  s.add_subjects("counties/来安县");
  s.mutable_grading()->mutable_thresholds()->set_good(95);
  s.set_quarter_weight(1.5);
  const auto v = Check(s);
  EXPECT_TRUE(Names(v, "scheme.items[0].ratio_to_target.cap", "must be set")) << Rules(v);
  EXPECT_TRUE(Names(v, "scheme.items[1].indicator", "unknown indicator indicators/nope"))
      << Rules(v);
  EXPECT_TRUE(Names(v, "scheme.items[3].key", "duplicates")) << Rules(v);
  EXPECT_TRUE(Names(v, "scheme.subjects[8]", "must be a chain")) << Rules(v);
  EXPECT_TRUE(Names(v, "scheme.grading.thresholds", "excellent > good > pass")) << Rules(v);
  EXPECT_TRUE(Names(v, "scheme.quarter_weight", "between 0 and 1")) << Rules(v);

  v1::Scheme points = scheme_;
  points.mutable_items(0)->set_points(points.items(0).points() - 5);
  EXPECT_TRUE(Names(Check(points), "scheme.items", "add up to 95, not total_points 100"))
      << Rules(Check(points));

  v1::Scheme no_method = scheme_;
  no_method.mutable_items(0)->clear_ratio_to_target();
  EXPECT_TRUE(Names(Check(no_method), "scheme.items[0]", "must set one method"));

  v1::Scheme empty;
  const auto e = Check(empty);
  EXPECT_TRUE(Names(e, "scheme.name", "schemes/{id}")) << Rules(e);
  EXPECT_TRUE(Names(e, "scheme.display_name", "must not be empty")) << Rules(e);
  EXPECT_TRUE(Names(e, "scheme.total_points", "> 0")) << Rules(e);
  EXPECT_TRUE(Names(e, "scheme.items", "at least one")) << Rules(e);
  EXPECT_TRUE(Names(e, "scheme.grading", "must be set")) << Rules(e);
}

TEST_F(AssessmentSchemeTest, AQuotaCountsProjects) {
  v1::Scheme s = scheme_;
  for (auto& item : *s.mutable_items()) {
    if (item.has_quota()) item.set_indicator("indicators/output");  // a reported indicator
  }
  EXPECT_NE(Rules(Check(s)).find("a quota counts projects: the indicator must be a project COUNT"),
            std::string::npos)
      << Rules(Check(s));
}

TEST(AssessmentIndicatorTest, EachIndicatorRuleNamesItsField) {
  v1::Indicator i;
  i.set_name("indicators/X");
  std::vector<FieldViolation> v;
  CheckIndicator(i, "indicator", &v);
  EXPECT_TRUE(Names(v, "indicator.name", "indicators/{key}")) << Rules(v);
  EXPECT_TRUE(Names(v, "indicator.display_name", "must not be empty")) << Rules(v);
  EXPECT_TRUE(Names(v, "indicator", "must set a source")) << Rules(v);

  v1::Indicator sum;
  sum.set_name("indicators/sum");
  sum.set_display_name("和\x01");
  auto* m = sum.mutable_measure();
  m->set_entity(v1::MEASURE_ENTITY_WORK_ITEMS);
  m->set_aggregate(v1::AGGREGATE_SUM);
  m->set_field(v1::MEASURE_FIELD_ANNUAL_OUTPUT);
  m->mutable_projects()->set_min_total_investment_yuan(5);
  v.clear();
  CheckIndicator(sum, "indicator", &v);
  EXPECT_TRUE(Names(v, "indicator.display_name", "control")) << Rules(v);
  EXPECT_TRUE(Names(v, "indicator.measure.field", "only be counted")) << Rules(v);
  EXPECT_TRUE(Names(v, "indicator.measure.projects", "must be empty")) << Rules(v);
  EXPECT_TRUE(Names(v, "indicator.measure.work_items.condition", "must be set")) << Rules(v);

  v1::Indicator reported;
  reported.set_name("indicators/tax");
  reported.set_display_name("税收");
  reported.mutable_reported()->set_owner_department("fgw");
  v.clear();
  CheckIndicator(reported, "indicator", &v);
  EXPECT_TRUE(Names(v, "indicator.reported.owner_department", "departments/{dept}"))
      << Rules(v);
}

}  // namespace
}  // namespace chainhub::assessment
