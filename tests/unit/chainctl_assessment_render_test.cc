#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/assessment_render.h"

namespace chainhub::chainctl {
namespace {

namespace av1 = ::chainhub::assessment::v1;

using ::testing::HasSubstr;
using ::testing::Not;

av1::ItemResult* AddItem(av1::SubjectResult& r, const std::string& key, const std::string& name,
                         const std::string& method, double points, double max_points) {
  av1::ItemResult* item = r.add_items();
  item->set_key(key);
  item->set_display_name(name);
  item->set_method(method);
  item->set_points(points);
  item->set_max_points(max_points);
  return item;
}

// Two chains: pv first (87.5, up one place), nev-battery second (60, no previous rank, and no
// red-light item of its own).
av1::Run SampleRun() {
  av1::Run run;
  run.set_name("runs/r1");
  run.set_scheme("schemes/chain-2026");
  run.set_scheme_version(2);
  run.set_period("2026-Q3");
  run.set_kind(av1::RUN_KIND_FINAL);
  run.set_as_of_date("2026-10-05");
  run.set_inputs_digest("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  av1::SubjectResult& pv = *run.add_results();
  pv.set_subject("chains/pv");
  pv.set_display_name("光伏");
  pv.set_total(87.5);
  pv.set_rank(1);
  pv.set_previous_rank(2);
  pv.set_rank_change(1);
  pv.set_grade(av1::GRADE_GOOD);
  AddItem(pv, "output", "产值完成率", "ratio_to_target", 17.5, 20);
  AddItem(pv, "red", "红灯项目", "deduction", -1, 5);
  av1::SubjectResult& nev = *run.add_results();
  nev.set_subject("chains/nev-battery");
  nev.set_display_name("新能源电池");
  nev.set_total(60);
  nev.set_rank(2);
  nev.set_grade(av1::GRADE_PASS);
  AddItem(nev, "output", "产值完成率", "ratio_to_target", 20, 20);
  run.add_problems("chains/semiconductor: not an active subject as of the run; left out");
  return run;
}

TEST(AssessmentRender, ScoresHaveTwoDecimalsAndFiguresNoTrailingZeros) {
  EXPECT_EQ(FormatScore(17.79482), "17.79");
  EXPECT_EQ(FormatScore(-1.5), "-1.50");
  EXPECT_EQ(FormatScore(-0.0), "0.00");
  EXPECT_EQ(FormatScore(-0.001), "0.00");
  EXPECT_EQ(FormatFigure(1700), "1700");
  EXPECT_EQ(FormatFigure(378.14), "378.14");
  EXPECT_EQ(FormatFigure(0.25), "0.25");
  EXPECT_EQ(FormatFigure(-0.0), "0");
}

TEST(AssessmentRender, RankChangeShowsTheDirectionOrNoPreviousRank) {
  av1::SubjectResult r;
  EXPECT_EQ(RankChangeText(r), "-");
  r.set_previous_rank(3);
  r.set_rank(1);
  r.set_rank_change(2);
  EXPECT_EQ(RankChangeText(r), "↑2");
  r.set_rank_change(-1);
  EXPECT_EQ(RankChangeText(r), "↓1");
  r.set_rank_change(0);
  EXPECT_EQ(RankChangeText(r), "0");
}

TEST(AssessmentRender, RankingIsATableOfRankNameTotalGradeChangeAndEachItem) {
  std::ostringstream out;
  PrintRanking(SampleRun(), "2026年度考核方案", out);
  EXPECT_EQ(out.str(),
            "2026年度考核方案 (schemes/chain-2026 v2) · 2026-Q3 · final\n"
            "runs/r1  as of 2026-10-05  digest 0123456789abcdef\n"
            "\n"
            "名次  名称        总分   等级  名次变化  output  red\n"
            "1     光伏        87.50  良好  ↑1        17.50   -1.00\n"
            "2     新能源电池  60.00  合格  -         20.00\n"
            "\n"
            "items:\n"
            "  output  产值完成率 (ratio_to_target, 20)\n"
            "  red  红灯项目 (deduction, 5)\n"
            "\n"
            "problems:\n"
            "  - chains/semiconductor: not an active subject as of the run; left out\n");
}

TEST(AssessmentRender, RankingIsTitledByTheSchemeNameWhenItsTitleIsUnknown) {
  std::ostringstream out;
  PrintRanking(SampleRun(), "", out);
  EXPECT_THAT(out.str(), HasSubstr("schemes/chain-2026 (schemes/chain-2026 v2) · 2026-Q3"));
}

TEST(AssessmentRender, ExplanationShowsTheFormulaThenEveryFact) {
  av1::ExplainScoreResponse resp;
  av1::ItemResult& item = *resp.mutable_item();
  item.set_key("signed");
  item.set_display_name("新签约亿元以上项目");
  item.set_indicator("indicators/new_projects_signed");
  item.set_actual(2);
  item.set_target(5);
  item.set_has_target(true);
  item.set_method("ratio_to_target");
  item.set_parameters("cap=1.2");
  item.set_points(6);
  item.set_max_points(15);
  item.set_formula("min(2 ÷ 5, 1.2) × 15 = 6.00");
  resp.set_total_size(2);
  auto* fact = resp.add_facts();
  fact->set_resource("projects/p1");
  fact->set_display_name("光伏组件项目");
  fact->set_value(1);
  fact->set_detail("signed 2026-08-12, total investment 15.0亿");
  std::ostringstream out;
  PrintExplanation(resp, "chains/pv", out);
  EXPECT_EQ(out.str(),
            "subject    chains/pv\n"
            "item       signed 新签约亿元以上项目\n"
            "indicator  indicators/new_projects_signed\n"
            "actual     2\n"
            "target     5\n"
            "method     ratio_to_target (cap=1.2)\n"
            "points     6.00 / 15\n"
            "formula    min(2 ÷ 5, 1.2) × 15 = 6.00\n"
            "\n"
            "facts (2):\n"
            "resource     名称          value  detail\n"
            "projects/p1  光伏组件项目  1      signed 2026-08-12, total investment 15.0亿\n");
}

TEST(AssessmentRender, ReplaySaysItMatchesOrListsTheDifferences) {
  av1::ReplayRunResponse same;
  same.set_matches(true);
  same.set_recorded_digest("d1");
  same.set_replayed_digest("d1");
  std::ostringstream ok;
  PrintReplay(same, ok);
  EXPECT_THAT(ok.str(), HasSubstr("replay matches: digest d1"));
  EXPECT_THAT(ok.str(), Not(HasSubstr("NOT")));

  av1::ReplayRunResponse differ;
  differ.set_recorded_digest("d1");
  differ.set_replayed_digest("d2");
  auto* d = differ.add_differences();
  d->set_subject("chains/pv");
  d->set_item("output");
  d->set_what("points");
  d->set_recorded("17.50");
  d->set_replayed("18.00");
  std::ostringstream bad;
  PrintReplay(differ, bad);
  EXPECT_EQ(bad.str(),
            "replay does NOT match\n"
            "  recorded digest d1\n"
            "  replayed digest d2\n"
            "\n"
            "subject    item    what    recorded  replayed\n"
            "chains/pv  output  points  17.50     18.00\n");
}

TEST(AssessmentRender, IndicatorsShowTheirDirectionAndWhereTheirValuesComeFrom) {
  av1::ListIndicatorsResponse page;
  av1::Indicator& count = *page.add_indicators();
  count.set_name("indicators/red_light_projects");
  count.set_display_name("红灯项目数");
  count.set_unit("个");
  count.set_direction(av1::DIRECTION_LOWER_IS_BETTER);
  count.mutable_measure()->set_entity(av1::MEASURE_ENTITY_PROJECTS);
  count.mutable_measure()->set_aggregate(av1::AGGREGATE_COUNT);
  av1::Indicator& sum = *page.add_indicators();
  sum.set_name("indicators/signed_investment");
  sum.set_display_name("新签约项目总投资");
  sum.set_unit("亿元");
  sum.mutable_measure()->set_entity(av1::MEASURE_ENTITY_PROJECTS);
  sum.mutable_measure()->set_aggregate(av1::AGGREGATE_SUM);
  sum.mutable_measure()->set_field(av1::MEASURE_FIELD_TOTAL_INVESTMENT);
  sum.mutable_measure()->set_scale(1e-8);
  av1::Indicator& reported = *page.add_indicators();
  reported.set_name("indicators/output");
  reported.set_display_name("产值");
  reported.mutable_reported()->set_owner_department("departments/jxj");
  std::ostringstream out;
  PrintIndicatorsTable(page, out);
  EXPECT_THAT(out.str(), HasSubstr("红灯项目数        个    ↓     count projects\n"));
  EXPECT_THAT(out.str(), HasSubstr("亿元  ↑     sum projects total_investment ×1e-08\n"));
  EXPECT_THAT(out.str(), HasSubstr("产值              -     ↑     reported by departments/jxj\n"));
}

}  // namespace
}  // namespace chainhub::chainctl
