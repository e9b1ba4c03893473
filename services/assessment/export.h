// A run as the files its readers pass around: CSV for spreadsheets and scripts, an XLSX workbook
// with the ranking, every item's figures and the formulas behind them, and an SVG ranking chart for
// slides and web pages. Pure functions of the run (and the scheme's display name, which titles
// them): the same run always exports the same bytes (the workbook's creation time is the run's,
// and libxlsxwriter dates every zip entry 1980-01-01).
//
// Subjects appear in rank order (the run's order among equal ranks). Item columns follow the first
// subject's items, then any item another subject has that it lacks; a subject without an item
// leaves that cell empty.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_EXPORT_H_
#define CHAINHUB_SERVICES_ASSESSMENT_EXPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::assessment {

inline constexpr absl::string_view kCsvContentType = "text/csv; charset=utf-8";
inline constexpr absl::string_view kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
inline constexpr absl::string_view kSvgContentType = "image/svg+xml";

// What ExportRunResponse carries.
struct ExportFile {
  std::string content;
  std::string content_type;
  // <scheme id>-<period>-<final|provisional>.<csv|xlsx|svg>, e.g. chain-2026-2026-Q3-final.xlsx.
  std::string filename;
};

// The run in `format`; `scheme_display_name` titles the workbook and the chart. INVALID_ARGUMENT
// naming "format" for EXPORT_FORMAT_UNSPECIFIED or a value this build does not know; INTERNAL
// when the workbook cannot be written.
absl::StatusOr<ExportFile> ExportRun(const v1::Run& run, absl::string_view scheme_display_name,
                                     v1::ExportFormat format);

// RFC 4180 (CRLF line ends, fields quoted when they hold a comma, quote or line break), UTF-8 with
// a byte-order mark so that Excel shows the Chinese. A header row, then one row per subject:
// 排名, 对象 (chains/… or counties/…), 名称, 总分, 等级 (优秀/良好/合格/不合格), 名次变化 (previous
// rank − rank, positive moved up; empty without a previous rank), then each item's points. Scores
// have two decimals. A text cell that a spreadsheet would take for a formula (starting with = + -
// @, a tab or a CR) is prefixed with an apostrophe, the OWASP rule against CSV injection.
std::string RunToCsv(const v1::Run& run);

// An .xlsx workbook of three sheets:
//  - 排名: a title row (scheme, period, kind), a row naming the scheme version, as-of date and
//    inputs digest, then the CSV's columns with a frozen header row;
//  - 得分明细: one row per subject × item: actual, target (empty without one), method,
//    parameters, points, max points;
//  - 计算说明: one row per subject × item: the formula with its numbers and any problem, then the
//    run's problems.
// Figures are numbers, not text. INTERNAL when libxlsxwriter fails (e.g. no temporary file).
absl::StatusOr<std::string> RunToXlsx(const v1::Run& run, absl::string_view scheme_display_name);

// A standalone SVG document, 960 wide and as tall as the subjects need: a title (scheme, period,
// kind), a legend of the four grades, and one horizontal bar per subject in rank order, coloured
// by grade (优秀 #2e7d32, 良好 #1565c0, 合格 #f9a825, 不合格 #c62828), labelled with rank, name,
// total and rank change. Each bar is a <rect class="bar" data-subject="…" data-grade="…">.
std::string RunToSvg(const v1::Run& run, absl::string_view scheme_display_name);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_EXPORT_H_
