// The figures workbook (services/support/figures_workbook.h) without a server: its file name, the
// sheets with and without the local rate, the rows for requests of no department or chain, an
// actual not yet reported left empty, figures as numbers under a bold frozen header, and the same
// figures giving the same bytes. The figures themselves are checked end to end in
// tests/integration/support_export_test.cc.
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "services/support/figures_workbook.h"
#include "tests/support/workbook_reader.h"

namespace chainhub::support {
namespace {

RequestFigures Requests(const std::string& group, int64_t received, int64_t closed) {
  RequestFigures f;
  f.group = group;
  f.received = received;
  f.closed = closed;
  f.close_rate = received == 0 ? 0 : static_cast<double>(closed) / received;
  return f;
}

SupportFigures Figures() {
  SupportFigures s;
  s.period = "2026-Q2";
  s.as_of = "2026-06-30";
  s.payout_year = 2026;
  s.payouts_as_of = "2026-07-01";
  s.created = absl::FromCivil(absl::CivilSecond(2026, 7, 1, 10, 0, 0), ChinaTimeZone());
  s.local_rate_note = "未导出：导出时指定产业链（chain）才含本地配套率";
  s.requests_total = Requests("", 3, 1);
  s.requests_by_department = {Requests("departments/swj", 2, 1),
                              Requests(std::string(kNoGroup), 1, 0)};
  s.requests_by_chain = {Requests("chains/pv", 2, 1), Requests(std::string(kNoGroup), 1, 0)};
  PayoutFigures paid;
  paid.budget_yuan = 1'000'000;
  paid.paid_yuan = 250'000;
  paid.paid_share_of_budget = 0.25;
  s.payouts = {{"policies/p/items/a", "奖励", "departments/czj", paid}};
  s.payouts_total = paid;
  SupportFigures::Plan plan;
  plan.plan.set_name("chains/pv/plans/p1");
  plan.plan.set_kind(v1::THREE_YEAR_ACTION);
  plan.plan.set_title("光伏产业链三年行动方案");
  plan.plan.set_start_year(2026);
  plan.plan.set_end_year(2028);
  plan.plan.set_version(2);
  v1::TargetProgress* target = plan.progress.add_targets();
  target->set_indicator("indicators/output");
  target->set_year(2026);
  target->set_target(400);
  v1::TaskProgress* task = plan.progress.add_tasks();
  task->set_number("2.1");
  task->set_percent_done(35);
  task->set_done(false);
  task->set_work_item("tasks/t1");
  s.plans.push_back(plan);
  return s;
}

TEST(SupportFiguresWorkbook, TheFileIsNamedByPeriodAndChain) {
  EXPECT_EQ(FiguresFilename("2026-Q2", ""), "support-figures-2026-Q2.xlsx");
  EXPECT_EQ(FiguresFilename("2026-05", "pv"), "support-figures-2026-05-pv.xlsx");
}

TEST(SupportFiguresWorkbook, RowsOfNoGroupAnActualNotReportedAndNumbersUnderAFrozenHeader) {
  absl::StatusOr<std::string> xlsx = FiguresWorkbook(Figures());
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  testing::Workbook book = testing::ReadXlsx(*xlsx);
  EXPECT_EQ(book.sheets, "概览,诉求按部门,诉求按产业链,政策兑现,规划进度,规划目标,规划任务");
  EXPECT_EQ(book.created, "2026-07-01T02:00:00Z");
  EXPECT_EQ(book.cells[1]["A7"], "s 本地配套率");
  EXPECT_EQ(book.cells[1]["B7"], "s 未导出：导出时指定产业链（chain）才含本地配套率");
  // Requests of no department and of no chain, then the total.
  EXPECT_EQ(book.cells[2]["A3"], "s （未交办）");
  EXPECT_EQ(book.cells[2]["A4"], "s 合计");
  EXPECT_EQ(book.cells[2]["B4"], "n 3");
  EXPECT_EQ(book.cells[2]["H2"], "n 0.5");
  EXPECT_EQ(book.cells[3]["A3"], "s （无产业链）");
  EXPECT_EQ(book.panes[2], "1 frozen");
  EXPECT_NE(std::find(book.bold.begin(), book.bold.end(), "2 A1"), book.bold.end());
  EXPECT_EQ(std::find(book.bold.begin(), book.bold.end(), "2 A2"), book.bold.end());
  // Payouts: the item and the total.
  EXPECT_EQ(book.cells[4]["A2"], "s policies/p/items/a");
  EXPECT_EQ(book.cells[4]["D2"], "n 1000000");
  EXPECT_EQ(book.cells[4]["J3"], "n 0.25");
  // Plans: kind and span as text; no actual: the cell is empty; percent done as a share.
  EXPECT_EQ(book.cells[5]["C2"], "s 三年行动方案");
  EXPECT_EQ(book.cells[5]["E2"], "s 2026-2028");
  EXPECT_EQ(book.cells[5]["F2"], "n 2");
  EXPECT_EQ(book.cells[6]["D2"], "n 400");
  EXPECT_EQ(book.cells[6].count("E2"), 0u);
  EXPECT_EQ(book.cells[6]["J2"], "s 否");
  EXPECT_EQ(book.cells[7]["B2"], "s 2.1");
  EXPECT_EQ(book.cells[7]["E2"], "n 0.35");
  EXPECT_EQ(book.cells[7]["K2"], "s tasks/t1");
}

TEST(SupportFiguresWorkbook, TheLocalRateSheetComesAfterThePayoutsWithItsTotalLast) {
  SupportFigures s = Figures();
  v1::LocalRateResponse rate;
  v1::LocalRate* firm = rate.add_firms();
  firm->set_reporter("enterprises/91341100MA2N00000X");
  firm->set_display_name("滁州某光伏");
  firm->set_total_yuan(1000);
  firm->set_local_yuan(400);
  firm->set_rate(0.4);
  rate.mutable_overall()->set_total_yuan(1000);
  rate.mutable_overall()->set_rate(0.4);
  s.local_rate = rate;
  absl::StatusOr<std::string> xlsx = FiguresWorkbook(s);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  testing::Workbook book = testing::ReadXlsx(*xlsx);
  EXPECT_EQ(book.sheets,
            "概览,诉求按部门,诉求按产业链,政策兑现,本地配套率,规划进度,规划目标,规划任务");
  EXPECT_EQ(book.cells[5]["B2"], "s 滁州某光伏");
  EXPECT_EQ(book.cells[5]["E2"], "n 0.4");
  EXPECT_EQ(book.cells[5]["A3"], "s 合计");
  EXPECT_EQ(book.cells[5]["C3"], "n 1000");
}

TEST(SupportFiguresWorkbook, TheSameFiguresGiveTheSameBytes) {
  absl::StatusOr<std::string> first = FiguresWorkbook(Figures());
  absl::StatusOr<std::string> second = FiguresWorkbook(Figures());
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

}  // namespace
}  // namespace chainhub::support
