// How chainctl prints support's resources: times in China time whatever the machine's zone, a
// milestone without a deadline as "-", rates as percentages with one decimal, amounts in 万 and
// 亿, a request's deadlines and history, and the totals under a match.
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/support_render.h"

namespace chainhub::chainctl {
namespace {

using ::testing::HasSubstr;

google::protobuf::Timestamp At(int64_t unix_seconds) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(unix_seconds);
  return ts;
}

// 2026-06-15 02:00 UTC is 10:00 in China.
constexpr int64_t kMonday10 = 1781488800;

TEST(ChainctlSupportRender, TimesAreShownInChinaTime) {
  EXPECT_EQ(FormatChinaTime(At(kMonday10)), "2026-06-15 10:00");
  EXPECT_EQ(FormatChinaTime(google::protobuf::Timestamp()), "");
  // Midnight is the end of the day before.
  EXPECT_EQ(FormatChinaTime(At(kMonday10 + 14 * 3600)), "2026-06-15 24:00");
  // A milestone the rule does not set is due in the far future.
  EXPECT_EQ(FormatChinaTime(At(253402300799)), "-");
}

TEST(ChainctlSupportRender, ARequestShowsItsDeadlinesAndHistory) {
  spv1::Request r;
  r.set_name("requests/r1");
  r.set_enterprise("enterprises/X");
  r.set_enterprise_display_name("滁州某公司");
  r.set_title("电力增容");
  r.set_channel(spv1::HOTLINE);
  r.set_tier(spv1::CITY);
  r.set_state(spv1::HANDLING);
  r.set_assignee("departments/fgw");
  *r.mutable_accept_time() = At(kMonday10);
  *r.mutable_contact_deadline() = At(kMonday10 + 2 * 3600);
  *r.mutable_contact_time() = At(kMonday10 + 3600);
  *r.mutable_close_deadline() = At(kMonday10 + 7 * 86400 + 14 * 3600);
  r.set_overdue(true);
  r.set_escalation_level(1);
  spv1::RequestEvent* e = r.add_history();
  e->set_state(spv1::ACCEPTED);
  e->set_principal("departments/fgw");
  *e->mutable_time() = At(kMonday10);
  spv1::RequestEvent* late = r.add_history();
  late->set_state(spv1::HANDLING);
  late->set_escalation_level(1);
  late->set_missed(spv1::INTERIM_REPLY);
  *late->mutable_time() = At(kMonday10 + 4 * 86400);
  std::ostringstream out;
  PrintRequest(r, out);
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("滁州某公司 (enterprises/X)"));
  EXPECT_THAT(text, HasSubstr("热线"));
  EXPECT_THAT(text, HasSubstr("办理"));
  EXPECT_THAT(text, HasSubstr("联系企业时限    2026-06-15 12:00，2026-06-15 11:00 完成"));
  EXPECT_THAT(text, HasSubstr("阶段性答复时限  -"));
  EXPECT_THAT(text, HasSubstr("办结时限        2026-06-22 24:00"));
  EXPECT_THAT(text, HasSubstr("是（已督办 1 次）"));
  EXPECT_THAT(text, HasSubstr("第 1 次督办：阶段性答复超时"));
}

TEST(ChainctlSupportRender, FiguresAreRatesWithOneDecimal) {
  spv1::SummarizeRequestsResponse f;
  f.set_period("2026-Q2");
  f.set_as_of("2026-06-30");
  spv1::RequestFigures* row = f.add_rows();
  row->set_group("departments/fgw");
  row->set_received(3);
  row->set_closed(2);
  row->set_close_rate(2.0 / 3);
  row->set_on_time_rate(0.5);
  row->set_avg_response_hours(1.25);
  std::ostringstream out;
  PrintRequestFigures(f, out);
  EXPECT_THAT(out.str(), HasSubstr("企业诉求 2026-Q2（截至 2026-06-30）"));
  EXPECT_THAT(out.str(), HasSubstr("66.7%"));
  EXPECT_THAT(out.str(), HasSubstr("50.0%"));
  EXPECT_THAT(out.str(), HasSubstr("1.2"));
}

TEST(ChainctlSupportRender, AMatchListsTheQualifyingFirmsAndTheTotals) {
  spv1::MatchPolicyItemResponse m;
  spv1::Match* yes = m.add_matches();
  yes->set_enterprise("enterprises/A");
  yes->set_enterprise_display_name("甲公司");
  yes->set_qualifies(true);
  yes->set_amount_yuan(700000);
  spv1::RuleReason* reason = yes->add_reasons();
  reason->set_condition("annual_output_yuan >= 50000000");
  reason->set_holds(true);
  reason->add_values("62000000");
  yes->add_bonuses("专精特新 +200000");
  m.set_qualified(1);
  m.set_total_amount_yuan(700000);
  m.set_examined(12);
  std::ostringstream out;
  PrintItemMatches(m, out);
  EXPECT_THAT(out.str(), HasSubstr("甲公司"));
  EXPECT_THAT(out.str(), HasSubstr("70万"));
  EXPECT_THAT(out.str(), HasSubstr("annual_output_yuan >= 50000000（62000000）"));
  EXPECT_THAT(out.str(), HasSubstr("加码 专精特新 +200000"));
  EXPECT_THAT(out.str(), HasSubstr("符合条件 1 家（审查 12 家），合计 70万"));
}

TEST(ChainctlSupportRender, TheLocalRateShowsTheChainAndEachFirm) {
  spv1::LocalRateResponse r;
  r.set_chain("chains/pv");
  r.set_period("2026-Q2");
  r.set_scope(spv1::IN_CITY);
  r.mutable_overall()->set_total_yuan(10'000'000);
  r.mutable_overall()->set_local_yuan(6'000'000);
  r.mutable_overall()->set_rate(0.6);
  r.mutable_overall()->set_suppliers(2);
  r.mutable_overall()->set_local_suppliers(1);
  spv1::LocalRate* firm = r.add_firms();
  firm->set_reporter("enterprises/A");
  firm->set_display_name("甲公司");
  firm->set_rate(0.6);
  std::ostringstream out;
  PrintLocalRate(r, out);
  EXPECT_THAT(out.str(), HasSubstr("chains/pv 2026-Q2 本地配套率（市内）：60.0%（本地 600万 / 采购 "
                                   "1000万，本地供应商 1 / 2）"));
  EXPECT_THAT(out.str(), HasSubstr("甲公司 (A)"));
}

TEST(ChainctlSupportRender, PlanProgressMarksWhatIsAtRisk) {
  spv1::PlanProgress p;
  p.set_plan("chains/pv/plans/p1");
  p.set_version(2);
  p.set_as_of("2026-06-30");
  p.set_completion(0.5);
  p.set_at_risk(1);
  spv1::TargetProgress* t = p.add_targets();
  t->set_indicator("indicators/output");
  t->set_year(2026);
  t->set_target(1200);
  t->set_actual(600);
  t->set_completion(0.5);
  t->set_elapsed(0.5);
  spv1::TaskProgress* task = p.add_tasks();
  task->set_number("1");
  task->set_title("引进龙头");
  task->set_percent_done(10);
  task->set_expected(0.6);
  task->set_at_risk(true);
  task->set_reason("behind");
  std::ostringstream out;
  PrintPlanProgress(p, out);
  EXPECT_THAT(out.str(),
              HasSubstr("chains/pv/plans/p1 v2 截至 2026-06-30：总体完成 50.0%，预警 1 项"));
  EXPECT_THAT(out.str(), HasSubstr("1200"));
  EXPECT_THAT(out.str(), HasSubstr("⚠ behind"));
}

}  // namespace
}  // namespace chainhub::chainctl
