#include <string>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_replace.h"
#include "services/assessment/methods.h"
#include "services/assessment/scheme_file.h"

namespace chainhub::assessment {
namespace {

using google::protobuf::util::MessageDifferencer;

// The task-force quarterly attraction table of an Anhui county (domain.md), as an operator would
// write it: 100 points, two ratings of three criteria, bonuses, quarters folded in at 70%.
constexpr absl::string_view kCountyAttraction = R"yaml(# 县域双招双引专班考核
name: schemes/county-attraction-2026
display_name: 2026年度县区招商引资专班考核方案
description: |
  按季度考核、排名，季度结果按70%折算计入年度结果。
  加分项不计入总分100分。
subject_kind: COUNTIES
subjects:
  - counties/来安县
  - counties/全椒县
  - counties/定远县
total_points: 100
items:
  - key: out_of_province_projects
    display_name: 省外亿元以上新签约项目（省平台认定）
    indicator: indicators/out_of_province_projects
    points: 30
    ratio_to_target: {cap: 1}          # count ÷ 序时 target × 30
  - key: funds_arrived
    indicator: indicators/funds_arrived
    points: 20
    ratio_to_target:
      cap: 1
  - key: chain_fit
    display_name: 产业契合度
    indicator: indicators/chain_fit_rate
    points: 20
    per_unit: {points_per_unit: 0.2}   # share in % × 0.2
  - key: park_rating
    display_name: 承载园区评价
    points: 15
    rating:
      criteria: [项目服务, 要素保障, 推进效率]
  - key: team_rating
    display_name: 招商小分队评价
    points: 15
    rating:
      criteria:
        - 信息质量
        - 洽谈深度
        - 协作配合
  - key: bonus_1e9
    display_name: 10亿元以上项目
    indicator: indicators/projects_1e9
    points: 12
    bonus: {per_unit: 4}
  - key: bonus_5e9
    display_name: 50亿元以上项目
    indicator: indicators/projects_5e9
    points: 16
    bonus: {per_unit: 8}
  - key: bonus_fortune500
    display_name: 世界500强投资项目
    indicator: indicators/fortune500_projects
    points: 20
    bonus: {per_unit: 10}
grading:
  rank_shares: {excellent: 0.3, good: 0.4, fail: 0}
quarter_weight: 0.7
sample: true
)yaml";

v1::Scheme Sample() {
  auto scheme = ParseSchemeFile(kCountyAttraction);
  EXPECT_TRUE(scheme.ok()) << scheme.status();
  return scheme.ok() ? *scheme : v1::Scheme();
}

// The status message of parsing `text`, which must fail with INVALID_ARGUMENT.
std::string ErrorOf(absl::string_view text) {
  auto scheme = ParseSchemeFile(text);
  EXPECT_FALSE(scheme.ok()) << text;
  if (scheme.ok()) return "";
  EXPECT_EQ(scheme.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(scheme.status().message());
}

TEST(AssessmentSchemeFileTest, ReadsTheCountyAttractionTable) {
  const v1::Scheme s = Sample();
  EXPECT_EQ(s.name(), "schemes/county-attraction-2026");
  EXPECT_EQ(s.display_name(), "2026年度县区招商引资专班考核方案");
  EXPECT_TRUE(absl::StartsWith(s.description(), "按季度考核"));
  EXPECT_TRUE(absl::EndsWith(s.description(), "加分项不计入总分100分。\n"));
  EXPECT_EQ(s.subject_kind(), v1::SUBJECT_KIND_COUNTIES);
  ASSERT_EQ(s.subjects_size(), 3);
  EXPECT_EQ(s.subjects(0), "counties/来安县");
  EXPECT_DOUBLE_EQ(s.total_points(), 100);
  ASSERT_EQ(s.items_size(), 8);
  EXPECT_EQ(s.items(0).key(), "out_of_province_projects");
  EXPECT_TRUE(s.items(0).ratio_to_target().has_cap());
  EXPECT_DOUBLE_EQ(s.items(0).ratio_to_target().cap(), 1);
  EXPECT_DOUBLE_EQ(s.items(2).per_unit().points_per_unit(), 0.2);
  EXPECT_EQ(s.items(3).method_case(), v1::SchemeItem::kRating);
  EXPECT_EQ(s.items(3).rating().criteria_size(), 3);
  EXPECT_EQ(s.items(4).rating().criteria(2), "协作配合");
  EXPECT_EQ(s.items(7).bonus().per_unit(), 10);
  EXPECT_DOUBLE_EQ(s.grading().rank_shares().excellent(), 0.3);
  EXPECT_DOUBLE_EQ(s.quarter_weight(), 0.7);
  EXPECT_TRUE(s.sample());
  double scored = 0;
  for (const auto& item : s.items()) scored += IsScoredItem(item) ? item.points() : 0;
  EXPECT_DOUBLE_EQ(scored, 100);
}

TEST(AssessmentSchemeFileTest, ReadsTheSameSchemeFromJson) {
  constexpr absl::string_view kJson = R"json({
    "name": "schemes/county-attraction-2026",
    "displayName": "2026年度县区招商引资专班考核方案",
    "subject_kind": "SUBJECT_KIND_COUNTIES",
    "total_points": 100,
    "items": [
      {"key": "funds_arrived", "indicator": "indicators/funds_arrived", "points": 20,
       "ratio_to_target": {"cap": 1}},
      {"key": "efficacy", "indicator": "indicators/funds_arrived", "points": 80,
       "efficacy": {}},
      {"key": "bonus_fortune500", "indicator": "indicators/fortune500_projects",
       "points": 20, "bonus": {"per_unit": 10}}
    ],
    "grading": {"thresholds": {"excellent": 90, "good": 80, "pass": 60}},
    "quarter_weight": 0.7
  })json";
  auto s = ParseSchemeFile(kJson);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->display_name(), "2026年度县区招商引资专班考核方案");
  EXPECT_EQ(s->subject_kind(), v1::SUBJECT_KIND_COUNTIES);
  EXPECT_EQ(s->items(1).method_case(), v1::SchemeItem::kEfficacy);
  EXPECT_FALSE(s->items(1).efficacy().has_all_equal_score());
  EXPECT_DOUBLE_EQ(s->grading().thresholds().good(), 80);
}

TEST(AssessmentSchemeFileTest, ErrorsGiveLineColumnPathAndKey) {
  const std::string unknown = ErrorOf(absl::StrReplaceAll(
      kCountyAttraction, {{"ratio_to_target:\n      cap: 1", "ratio_to_target:\n      capp: 1"}}));
  EXPECT_EQ(unknown,
            "line 23, column 7: items[1].ratio_to_target: unknown key 'capp' (known: cap)");
  EXPECT_EQ(ErrorOf("name: schemes/x\ntotal_points: lots\n"),
            "line 2, column 15: total_points: must be a number, got 'lots'");
  EXPECT_EQ(ErrorOf("subject_kind: PROVINCES\n"),
            "line 1, column 15: subject_kind: must be one of SUBJECT_KIND_UNSPECIFIED, "
            "SUBJECT_KIND_CHAINS, SUBJECT_KIND_COUNTIES, got 'PROVINCES'");
  EXPECT_EQ(ErrorOf("items:\n  - key: a\n    points: 1\n    efficacy: {}\n    bonus: {}\n"),
            "line 5, column 5: items[0]: sets both efficacy and bonus; method is exactly one of "
            "them");
  EXPECT_EQ(ErrorOf("name: a\nname: b\n"), "line 2, column 1: duplicate key 'name'");
  EXPECT_EQ(ErrorOf("items: {key: a}\n"), "line 1, column 8: items: must be a list");
  EXPECT_EQ(ErrorOf("items:\n  - points: [1]\n"),
            "line 2, column 13: items[0].points: must be a single value");
  EXPECT_EQ(ErrorOf("total_points:\n"), "line 1, column 1: total_points: needs a value");
  EXPECT_EQ(ErrorOf("sample: yes\n"), "line 1, column 9: sample: must be true or false, got 'yes'");
  EXPECT_EQ(ErrorOf("- a\n- b\n"), "line 1, column 1: must be a map of fields");
  EXPECT_EQ(ErrorOf(""), "line 1, column 1: the file is empty");
  EXPECT_EQ(ErrorOf("name: a\n---\nname: b\n"),
            "line 2, column 1: the file holds more than one document (---)");
}

TEST(AssessmentSchemeFileTest, SyntaxErrorsGiveTheParsersPosition) {
  const std::string yaml = ErrorOf("name: schemes/x\nitems: [a, b\n");
  EXPECT_TRUE(absl::StartsWith(yaml, "line 3, column 1: not valid YAML: ")) << yaml;
  const std::string json = ErrorOf("{\"name\": \"schemes/x\",\n \"items\": [1, }");
  EXPECT_TRUE(absl::StartsWith(json, "line 2, column ")) << json;
  EXPECT_TRUE(absl::StrContains(json, "not valid JSON")) << json;
}

TEST(AssessmentSchemeFileTest, MalformedStreamsEndInAnErrorNotALoop) {
  // yaml-cpp 0.7's LoadAll loops forever on some of these; the file reader must not.
  for (const char* text : {"\n,\n", "{:", "[:", "{foo:", "name: x\n,\n"}) {
    const std::string error = ErrorOf(text);
    EXPECT_TRUE(absl::StartsWith(error, "line ")) << text << ": " << error;
  }
}

TEST(AssessmentSchemeFileTest, AcceptsShortEnumNamesCamelCaseAndOutputOnlyFields) {
  auto s = ParseSchemeFile(
      "subjectKind: CHAINS\nversion: 7\netag: abc\ncreate_time: 2026-01-01T00:00:00Z\n"
      "items:\n  - key: a\n    points: 1e1\n    efficacy:\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->subject_kind(), v1::SUBJECT_KIND_CHAINS);
  EXPECT_EQ(s->version(), 0);  // output only: ignored
  EXPECT_EQ(s->etag(), "");
  EXPECT_DOUBLE_EQ(s->items(0).points(), 10);
  EXPECT_EQ(s->items(0).method_case(), v1::SchemeItem::kEfficacy);  // an empty method is set
}

TEST(AssessmentSchemeFileTest, ReadsWholeYuanAmountsAndRefusesFractions) {
  auto s = ParseSchemeFile(
      "items:\n  - key: q\n    quota:\n      bands:\n        - {min_yuan: 3e8, max_yuan: "
      "1000000000, count: 7}\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->items(0).quota().bands(0).min_yuan(), 300'000'000);
  EXPECT_EQ(ErrorOf("items:\n  - quota:\n      bands:\n        - count: 1.5\n"),
            "line 4, column 18: items[0].quota.bands[0].count: must be a whole number (32-bit), "
            "got '1.5'");
}

TEST(AssessmentSchemeFileTest, RefusesTextThatIsNotUtf8AndNonFiniteNumbers) {
  EXPECT_EQ(ErrorOf("display_name: \xff\n"),
            "line 1, column 15: display_name: must be valid UTF-8 (byte 0xFF at byte 0)");
  EXPECT_EQ(ErrorOf("description: \"a\\x01\"\n"),
            "line 1, column 14: description: must not contain control characters other than "
            "newline and tab (U+0001 at byte 1)");
  EXPECT_EQ(ErrorOf("total_points: .inf\n"),
            "line 1, column 15: total_points: must be a number, got '.inf'");
}

TEST(AssessmentSchemeFileTest, AliasesCannotMultiplyTheWork) {
  // Each level repeats the one before ten times: 10^5 items of 10 criteria if expanded.
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 5; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *a" : "*a") + std::to_string(i - 1);
    text += "]\n";
  }
  // Not keys of a scheme: refused at the first, whatever the aliases hold.
  EXPECT_TRUE(absl::StrContains(ErrorOf(text), "unknown key 'a0'"));
  std::string items = "items:\n";
  std::string criteria = "[x";
  for (int k = 1; k < 1000; ++k) criteria += ", x";
  criteria += "]";
  items += "  - &i {key: a, rating: {criteria: " + criteria + "}}\n";
  for (int k = 0; k < 200; ++k) items += "  - *i\n";
  EXPECT_TRUE(absl::StrContains(ErrorOf(items), "the file holds more than 100000 values"));
}

TEST(AssessmentSchemeFileTest, YamlRoundTripsTheScheme) {
  v1::Scheme s = Sample();
  const std::string yaml = SchemeToYaml(s);
  auto back = ParseSchemeFile(yaml);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
  EXPECT_TRUE(MessageDifferencer::Equals(*back, s)) << yaml;
  EXPECT_EQ(SchemeToYaml(*back), yaml);  // stable
  EXPECT_TRUE(absl::StrContains(yaml, "subject_kind: SUBJECT_KIND_COUNTIES\n")) << yaml;
  EXPECT_TRUE(absl::StrContains(yaml, "ratio_to_target:\n      cap: 1\n")) << yaml;
  EXPECT_TRUE(absl::StrContains(yaml, "quarter_weight: 0.7\n")) << yaml;
}

TEST(AssessmentSchemeFileTest, YamlLeavesOutputOnlyFieldsOutAndKeepsAwkwardValues) {
  v1::Scheme s;
  s.set_name("schemes/x");
  s.set_display_name("null");  // text that YAML would read as something else
  s.set_description("第一行\n  第二行: 带冒号\n");
  s.set_total_points(0.1 + 0.2);  // not 0.3: the digits must read back exactly
  s.set_version(4);
  s.set_etag("e");
  s.mutable_create_time()->set_seconds(5);
  auto* item = s.add_items();
  item->set_key("q");
  item->set_points(1e-8);
  item->mutable_quota()->add_bands()->set_min_yuan(12'000'000'000);
  item->mutable_quota()->set_deduction_per_missing(-0.0);
  s.add_items()->mutable_efficacy();
  s.mutable_grading()->mutable_thresholds()->set_excellent(1e25);
  const std::string yaml = SchemeToYaml(s);
  EXPECT_FALSE(absl::StrContains(yaml, "version")) << yaml;
  EXPECT_FALSE(absl::StrContains(yaml, "etag")) << yaml;
  EXPECT_FALSE(absl::StrContains(yaml, "create_time")) << yaml;
  EXPECT_TRUE(absl::StrContains(yaml, "min_yuan: 12000000000")) << yaml;
  EXPECT_TRUE(absl::StrContains(yaml, "points: 0.00000001")) << yaml;
  EXPECT_TRUE(absl::StrContains(yaml, "total_points: 0.30000000000000004")) << yaml;
  EXPECT_TRUE(absl::StrContains(yaml, "excellent: 1e+25")) << yaml;  // beyond any amount
  auto back = ParseSchemeFile(yaml);
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
  s.clear_version();
  s.clear_etag();
  s.clear_create_time();
  EXPECT_TRUE(MessageDifferencer::Equals(*back, s)) << yaml << "\n" << back->DebugString();
}

TEST(AssessmentSchemeFileTest, ReadsAndWritesIndicatorsFiles) {
  constexpr absl::string_view kIndicators = R"yaml(indicators:
  - name: indicators/out_of_province_projects
    display_name: 省外亿元以上新签约项目数
    unit: 个
    measure:
      entity: PROJECTS
      aggregate: COUNT
      projects:
        reached_in_period: STAGE_SIGNED
        min_total_investment_yuan: 100000000
        investor_origins: [OUT_OF_PROVINCE, FOREIGN]
  - name: indicators/funds_arrived
    display_name: 实际到位资金
    unit: 亿元
    direction: HIGHER_IS_BETTER
    reported: {owner_department: departments/tzcj}
)yaml";
  auto indicators = ParseIndicatorsFile(kIndicators);
  ASSERT_TRUE(indicators.ok()) << indicators.status();
  ASSERT_EQ(indicators->size(), 2u);
  const v1::Indicator& projects = (*indicators)[0];
  EXPECT_EQ(projects.measure().entity(), v1::MEASURE_ENTITY_PROJECTS);
  EXPECT_EQ(projects.measure().projects().reached_in_period(), chainhub::intake::v1::STAGE_SIGNED);
  ASSERT_EQ(projects.measure().projects().investor_origins_size(), 2);
  EXPECT_EQ(projects.measure().projects().investor_origins(1),
            chainhub::intake::v1::INVESTOR_ORIGIN_FOREIGN);
  EXPECT_EQ((*indicators)[1].reported().owner_department(), "departments/tzcj");

  auto back = ParseIndicatorsFile(IndicatorsToYaml(*indicators));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals((*back)[0], projects));
  EXPECT_TRUE(MessageDifferencer::Equals((*back)[1], (*indicators)[1]));
  auto none = ParseIndicatorsFile(IndicatorsToYaml({}));
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());

  auto other = ParseIndicatorsFile("indicators: []\nschemes: []\n");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(),
            "line 2, column 1: an indicators file holds only the key 'indicators', got 'schemes'");
  auto bad = ParseIndicatorsFile("indicators:\n  - name: indicators/a\n    unit: [个]\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "line 3, column 11: indicators[0].unit: must be a single value");
}

}  // namespace
}  // namespace chainhub::assessment
