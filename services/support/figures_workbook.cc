#include "services/support/figures_workbook.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/files/table_files.h"
#include "services/support/names.h"

namespace chainhub::support {

namespace {

// How a column's cells are written: text, or a number in one of the formats.
enum class Kind {
  kText,
  kCount,    // 0
  kYuan,     // #,##0
  kShare,    // 0.0% (a share of 1 shown as a percentage)
  kDecimal,  // 0.00 (averages)
  kValue,    // General (a plan's target and actual values, whatever their unit)
};

struct Column {
  absl::string_view header;
  Kind kind;
};

// A cell: text, a number, or nothing (an actual not yet reported).
struct Cell {
  std::string text;
  std::optional<double> number;
};
using Row = std::vector<Cell>;

Cell T(std::string text) { return {std::move(text), std::nullopt}; }
Cell N(double number) { return {"", number}; }
Cell YesNo(bool yes) { return T(yes ? "是" : "否"); }
Cell Empty() { return {}; }

constexpr absl::string_view kTotal = "合计";

struct Formats {
  lxw_format* header;
  lxw_format* count;
  lxw_format* yuan;
  lxw_format* share;
  lxw_format* decimal;
};

Formats AddFormats(lxw_workbook* workbook) {
  Formats f;
  f.header = workbook_add_format(workbook);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xE8EEF7);
  format_set_border(f.header, LXW_BORDER_THIN);
  f.count = workbook_add_format(workbook);
  format_set_num_format(f.count, "0");
  f.yuan = workbook_add_format(workbook);
  format_set_num_format(f.yuan, "#,##0");
  f.share = workbook_add_format(workbook);
  format_set_num_format(f.share, "0.0%");
  f.decimal = workbook_add_format(workbook);
  format_set_num_format(f.decimal, "0.00");
  return f;
}

lxw_format* FormatOf(Kind kind, const Formats& f) {
  switch (kind) {
    case Kind::kCount:
      return f.count;
    case Kind::kYuan:
      return f.yuan;
    case Kind::kShare:
      return f.share;
    case Kind::kDecimal:
      return f.decimal;
    case Kind::kText:
    case Kind::kValue:
      return nullptr;
  }
  return nullptr;
}

// One sheet: the header row (bold, frozen, with an autofilter), then the rows.
void WriteTable(lxw_workbook* workbook, absl::string_view name, const std::vector<Column>& columns,
                const std::vector<Row>& rows, const Formats& f, lxw_error* error) {
  lxw_worksheet* worksheet = workbook_add_worksheet(workbook, std::string(name).c_str());
  if (worksheet == nullptr) {
    // The only way adding a sheet of a fixed, distinct name fails.
    if (*error == LXW_NO_ERROR) *error = LXW_ERROR_SHEETNAME_ALREADY_USED;
    return;
  }
  SheetWriter sheet(worksheet, error);
  for (size_t col = 0; col < columns.size(); ++col) {
    sheet.Text(0, static_cast<int>(col), columns[col].header, f.header);
  }
  int at = 1;
  for (const Row& row : rows) {
    for (size_t col = 0; col < row.size() && col < columns.size(); ++col) {
      const Cell& cell = row[col];
      if (cell.number) {
        sheet.Number(at, static_cast<int>(col), *cell.number, FormatOf(columns[col].kind, f));
      } else if (!cell.text.empty()) {
        sheet.Text(at, static_cast<int>(col), cell.text);
      }
    }
    ++at;
  }
  worksheet_freeze_panes(worksheet, 1, 0);
  worksheet_autofilter(worksheet, 0, 0, static_cast<lxw_row_t>(at - 1),
                       static_cast<lxw_col_t>(columns.size() - 1));
  sheet.Finish();
}

// --- The sheets
// -----------------------------------------------------------------------------------

std::vector<Row> OverviewRows(const SupportFigures& s) {
  return {
      {T("统计期间"), T(s.period)},
      {T("产业链"), T(s.chain.empty() ? "全部" : s.chain)},
      {T("诉求与规划数据截至"), T(s.as_of)},
      {T("政策兑现年度"), T(absl::StrCat(s.payout_year))},
      {T("政策兑现数据截至"), T(s.payouts_as_of)},
      {T("本地配套率"), T(s.local_rate_note)},
  };
}

std::vector<Column> RequestColumns(absl::string_view group_header) {
  return {{group_header, Kind::kText},
          {"受理数", Kind::kCount},
          {"办结数", Kind::kCount},
          {"按期办结数", Kind::kCount},
          {"回访数", Kind::kCount},
          {"满意数", Kind::kCount},
          {"逾期数", Kind::kCount},
          {"办结率", Kind::kShare},
          {"按期办结率", Kind::kShare},
          {"满意率", Kind::kShare},
          {"平均响应时长（小时）", Kind::kDecimal},
          {"平均办结用时（工作日）", Kind::kDecimal}};
}

Row RequestRow(std::string group, const RequestFigures& f) {
  return {T(std::move(group)),
          N(static_cast<double>(f.received)),
          N(static_cast<double>(f.closed)),
          N(static_cast<double>(f.closed_on_time)),
          N(static_cast<double>(f.revisited)),
          N(static_cast<double>(f.satisfied)),
          N(static_cast<double>(f.overdue)),
          N(f.close_rate),
          N(f.on_time_rate),
          N(f.satisfaction_rate),
          N(f.avg_response_hours),
          N(f.avg_close_working_days)};
}

// One row per group ((none) shown as `none_label`), then the total of every request.
std::vector<Row> RequestRows(const std::vector<RequestFigures>& groups, const RequestFigures& total,
                             absl::string_view none_label) {
  std::vector<Row> rows;
  for (const RequestFigures& g : groups) {
    rows.push_back(RequestRow(g.group == kNoGroup ? std::string(none_label) : g.group, g));
  }
  rows.push_back(RequestRow(std::string(kTotal), total));
  return rows;
}

std::vector<Column> PayoutColumns() {
  return {{"事项", Kind::kText},
          {"事项名称", Kind::kText},
          {"兑现部门", Kind::kText},
          {"预算（元）", Kind::kYuan},
          {"已批准（元）", Kind::kYuan},
          {"已兑付（元）", Kind::kYuan},
          {"申请笔数", Kind::kCount},
          {"已兑付笔数", Kind::kCount},
          {"待兑付笔数", Kind::kCount},
          {"兑付进度", Kind::kShare},
          {"序时进度", Kind::kShare},
          {"与序时差", Kind::kShare},
          {"平均兑付天数", Kind::kDecimal},
          {"符合未兑付企业数", Kind::kCount},
          {"符合未兑付金额（元）", Kind::kYuan}};
}

Row PayoutRow(std::string item, std::string title, std::string department, const PayoutFigures& f) {
  return {T(std::move(item)),
          T(std::move(title)),
          T(std::move(department)),
          N(static_cast<double>(f.budget_yuan)),
          N(static_cast<double>(f.approved_yuan)),
          N(static_cast<double>(f.paid_yuan)),
          N(static_cast<double>(f.claims)),
          N(static_cast<double>(f.paid_claims)),
          N(static_cast<double>(f.pending_claims)),
          N(f.paid_share_of_budget),
          N(f.elapsed_share_of_year),
          N(f.gap_to_elapsed),
          N(f.avg_days_to_pay),
          N(static_cast<double>(f.qualified_unpaid)),
          N(static_cast<double>(f.qualified_unpaid_yuan))};
}

std::vector<Row> PayoutRows(const SupportFigures& s) {
  std::vector<Row> rows;
  for (const SupportFigures::ItemPayouts& p : s.payouts) {
    rows.push_back(PayoutRow(p.item, p.title, p.department, p.figures));
  }
  rows.push_back(PayoutRow(std::string(kTotal), "", "", s.payouts_total));
  return rows;
}

std::vector<Column> LocalRateColumns() {
  return {{"企业", Kind::kText},           {"企业名称", Kind::kText},
          {"采购总额（元）", Kind::kYuan}, {"本地采购额（元）", Kind::kYuan},
          {"本地配套率", Kind::kShare},    {"供应商数", Kind::kCount},
          {"本地供应商数", Kind::kCount}};
}

Row LocalRateRow(std::string reporter, const v1::LocalRate& r) {
  return {T(std::move(reporter)),
          T(r.display_name()),
          N(static_cast<double>(r.total_yuan())),
          N(static_cast<double>(r.local_yuan())),
          N(r.rate()),
          N(static_cast<double>(r.suppliers())),
          N(static_cast<double>(r.local_suppliers()))};
}

std::vector<Row> LocalRateRows(const v1::LocalRateResponse& rate) {
  std::vector<Row> rows;
  for (const v1::LocalRate& firm : rate.firms())
    rows.push_back(LocalRateRow(firm.reporter(), firm));
  rows.push_back(LocalRateRow(std::string(kTotal), rate.overall()));
  return rows;
}

std::string PlanKindLabel(v1::PlanKind kind) {
  switch (kind) {
    case v1::FIVE_YEAR:
      return "五年规划";
    case v1::THREE_YEAR_ACTION:
      return "三年行动方案";
    case v1::ANNUAL_KEY_POINTS:
      return "年度工作要点";
    default:
      return "";
  }
}

std::string PlanChain(const std::string& plan_name) {
  absl::StatusOr<ChainPlanName> name = ChainPlanName::Parse("plan", plan_name);
  return name.ok() ? ChainName{name->chain}.String() : "";
}

std::vector<Column> PlanColumns() {
  return {{"规划", Kind::kText},    {"产业链", Kind::kText},   {"类型", Kind::kText},
          {"名称", Kind::kText},    {"起止年份", Kind::kText}, {"版本", Kind::kCount},
          {"完成率", Kind::kShare}, {"预警数", Kind::kCount}};
}

std::vector<Row> PlanRows(const SupportFigures& s) {
  std::vector<Row> rows;
  for (const SupportFigures::Plan& p : s.plans) {
    rows.push_back({T(p.plan.name()), T(PlanChain(p.plan.name())), T(PlanKindLabel(p.plan.kind())),
                    T(p.plan.title()), T(absl::StrCat(p.plan.start_year(), "-", p.plan.end_year())),
                    N(p.plan.version()), N(p.progress.completion()), N(p.progress.at_risk())});
  }
  return rows;
}

std::vector<Column> PlanTargetColumns() {
  return {{"规划", Kind::kText},    {"指标", Kind::kText},      {"年度", Kind::kCount},
          {"目标值", Kind::kValue}, {"实际值", Kind::kValue},   {"实际值期间", Kind::kText},
          {"完成率", Kind::kShare}, {"序时进度", Kind::kShare}, {"与序时差", Kind::kShare},
          {"预警", Kind::kText},    {"说明", Kind::kText}};
}

std::vector<Row> PlanTargetRows(const SupportFigures& s) {
  std::vector<Row> rows;
  for (const SupportFigures::Plan& p : s.plans) {
    for (const v1::TargetProgress& t : p.progress.targets()) {
      rows.push_back({T(p.plan.name()), T(t.indicator()), N(t.year()), N(t.target()),
                      t.has_actual() ? N(t.actual()) : Empty(), T(t.actual_period()),
                      N(t.completion()), N(t.elapsed()), N(t.gap()), YesNo(t.at_risk()),
                      T(t.reason())});
    }
  }
  return rows;
}

std::vector<Column> PlanTaskColumns() {
  return {{"规划", Kind::kText},        {"编号", Kind::kText},      {"任务", Kind::kText},
          {"截止日期", Kind::kText},    {"完成进度", Kind::kShare}, {"已完成", Kind::kText},
          {"应完成进度", Kind::kShare}, {"逾期", Kind::kText},      {"预警", Kind::kText},
          {"说明", Kind::kText},        {"工作事项", Kind::kText}};
}

std::vector<Row> PlanTaskRows(const SupportFigures& s) {
  std::vector<Row> rows;
  for (const SupportFigures::Plan& p : s.plans) {
    for (const v1::TaskProgress& t : p.progress.tasks()) {
      rows.push_back({T(p.plan.name()), T(t.number()), T(t.title()), T(t.deadline()),
                      N(t.percent_done() / 100.0), YesNo(t.done()), N(t.expected()),
                      YesNo(t.overdue()), YesNo(t.at_risk()), T(t.reason()), T(t.work_item())});
    }
  }
  return rows;
}

}  // namespace

std::string FiguresFilename(absl::string_view period, absl::string_view chain_id) {
  return absl::StrCat("support-figures-", period, chain_id.empty() ? "" : "-", chain_id, ".xlsx");
}

absl::StatusOr<std::string> FiguresWorkbook(const SupportFigures& figures) {
  CHAINHUB_ASSIGN_OR_RETURN(TempFile file, TempFile::Create(".xlsx"));
  lxw_workbook* workbook = workbook_new(file.path().c_str());
  if (workbook == nullptr) {
    return absl::InternalError(
        absl::StrCat("libxlsxwriter cannot start a workbook at ", file.path()));
  }
  std::string title = absl::StrCat("产业链服务数据（", figures.period,
                                   figures.chain.empty() ? "" : "，", figures.chain, "）");
  lxw_doc_properties properties = {};
  properties.title = title.data();
  properties.created = absl::ToTimeT(figures.created);
  lxw_error error = workbook_set_properties(workbook, &properties);
  const Formats f = AddFormats(workbook);
  WriteTable(workbook, kOverviewSheet, {{"项目", Kind::kText}, {"内容", Kind::kText}},
             OverviewRows(figures), f, &error);
  WriteTable(workbook, kRequestsByDepartmentSheet, RequestColumns("承办部门"),
             RequestRows(figures.requests_by_department, figures.requests_total, "（未交办）"), f,
             &error);
  WriteTable(workbook, kRequestsByChainSheet, RequestColumns("产业链"),
             RequestRows(figures.requests_by_chain, figures.requests_total, "（无产业链）"), f,
             &error);
  WriteTable(workbook, kPayoutsSheet, PayoutColumns(), PayoutRows(figures), f, &error);
  if (figures.local_rate) {
    WriteTable(workbook, kLocalRateSheet, LocalRateColumns(), LocalRateRows(*figures.local_rate), f,
               &error);
  }
  WriteTable(workbook, kPlansSheet, PlanColumns(), PlanRows(figures), f, &error);
  WriteTable(workbook, kPlanTargetsSheet, PlanTargetColumns(), PlanTargetRows(figures), f, &error);
  WriteTable(workbook, kPlanTasksSheet, PlanTaskColumns(), PlanTaskRows(figures), f, &error);
  // Closing writes the file and frees the workbook, also after an error.
  lxw_error closed = workbook_close(workbook);
  if (error == LXW_NO_ERROR) error = closed;
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("writing the support figures workbook failed: ", lxw_strerror(error)));
  }
  return file.Read();
}

}  // namespace chainhub::support
