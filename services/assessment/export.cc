#include "services/assessment/export.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/base/status_util.h"
#include "common/base/utf8.h"
#include "common/files/table_files.h"
#include "services/assessment/names.h"
#include "xlsxwriter.h"

namespace chainhub::assessment {
namespace {

// ---------------------------------------------------------------------------------------------
// What every format shares: the subjects in rank order, the item columns, the labels.

std::vector<const v1::SubjectResult*> InRankOrder(const v1::Run& run) {
  std::vector<const v1::SubjectResult*> subjects;
  subjects.reserve(run.results_size());
  for (const v1::SubjectResult& result : run.results()) subjects.push_back(&result);
  std::stable_sort(
      subjects.begin(), subjects.end(),
      [](const v1::SubjectResult* a, const v1::SubjectResult* b) { return a->rank() < b->rank(); });
  return subjects;
}

struct ItemColumn {
  std::string key;
  std::string display_name;
};

// The first subject's items in its order, then items only later subjects have.
std::vector<ItemColumn> ItemColumns(const v1::Run& run) {
  std::vector<ItemColumn> columns;
  for (const v1::SubjectResult& result : run.results()) {
    for (const v1::ItemResult& item : result.items()) {
      bool known = std::any_of(columns.begin(), columns.end(),
                               [&](const ItemColumn& c) { return c.key == item.key(); });
      if (!known) {
        columns.push_back(
            {item.key(), item.display_name().empty() ? item.key() : item.display_name()});
      }
    }
  }
  return columns;
}

const v1::ItemResult* FindItem(const v1::SubjectResult& result, absl::string_view key) {
  for (const v1::ItemResult& item : result.items()) {
    if (item.key() == key) return &item;
  }
  return nullptr;
}

const std::string& SubjectLabel(const v1::SubjectResult& result) {
  return result.display_name().empty() ? result.subject() : result.display_name();
}

// How each grade is written and drawn; GRADE_UNSPECIFIED (never in a finished run) is grey.
struct GradeStyle {
  v1::Grade grade;
  absl::string_view label;   // 优秀
  absl::string_view key;     // the SVG's data-grade
  absl::string_view colour;  // the SVG's bar
};

constexpr GradeStyle kGradeStyles[] = {
    {v1::GRADE_EXCELLENT, "优秀", "excellent", "#2e7d32"},
    {v1::GRADE_GOOD, "良好", "good", "#1565c0"},
    {v1::GRADE_PASS, "合格", "pass", "#f9a825"},
    {v1::GRADE_FAIL, "不合格", "fail", "#c62828"},
};

const GradeStyle& StyleOf(v1::Grade grade) {
  static constexpr GradeStyle kUnspecified = {v1::GRADE_UNSPECIFIED, "", "none", "#9e9e9e"};
  for (const GradeStyle& style : kGradeStyles) {
    if (style.grade == grade) return style;
  }
  return kUnspecified;
}

absl::string_view GradeLabel(v1::Grade grade) { return StyleOf(grade).label; }

absl::string_view KindLabel(v1::RunKind kind) {
  return kind == v1::RUN_KIND_FINAL ? "正式结果" : "临时排名";
}

// The word the file name carries: only a final run is "final".
absl::string_view KindWord(v1::RunKind kind) {
  return kind == v1::RUN_KIND_FINAL ? "final" : "provisional";
}

// 2026 → 2026年度, 2026-Q3 → 2026年第3季度, 2026-05 → 2026年5月; anything else as it is.
std::string PeriodLabel(absl::string_view period) {
  std::vector<absl::string_view> parts = absl::StrSplit(period, '-');
  int year = 0;
  if (parts.empty() || parts[0].size() != 4 || !absl::SimpleAtoi(parts[0], &year)) {
    return std::string(period);
  }
  if (parts.size() == 1) return absl::StrCat(year, "年度");
  int n = 0;
  if (parts.size() == 2 && absl::ConsumePrefix(&parts[1], "Q") && parts[1].size() == 1 &&
      absl::SimpleAtoi(parts[1], &n) && n >= 1 && n <= 4) {
    return absl::StrCat(year, "年第", n, "季度");
  }
  if (parts.size() == 2 && parts[1].size() == 2 && absl::SimpleAtoi(parts[1], &n) && n >= 1 &&
      n <= 12) {
    return absl::StrCat(year, "年", n, "月");
  }
  return std::string(period);
}

// The scoring methods as the scheme tables name them; an unknown method as it is.
std::string MethodLabel(absl::string_view method) {
  static constexpr std::pair<absl::string_view, absl::string_view> kLabels[] = {
      {"ratio_to_target", "目标完成比例"},
      {"efficacy", "功效系数法"},
      {"per_unit", "按个计分"},
      {"threshold", "达标计分"},
      {"quota", "分档配额扣分"},
      {"deduction", "扣分"},
      {"bonus", "加分"},
      {"rating", "评议打分"},
  };
  for (const auto& [key, label] : kLabels) {
    if (method == key) return std::string(label);
  }
  return std::string(method);
}

std::string RankChangeText(const v1::SubjectResult& result) {
  return result.previous_rank() == 0 ? "" : absl::StrCat(result.rank_change());
}

std::string SchemeId(const v1::Run& run) {
  absl::StatusOr<SchemeName> scheme = SchemeName::Parse("run.scheme", run.scheme());
  return scheme.ok() ? scheme->id : "run";
}

std::string Filename(const v1::Run& run, absl::string_view extension) {
  return absl::StrCat(SchemeId(run), "-", run.period(), "-", KindWord(run.kind()), ".", extension);
}

// The ranking's columns (the CSV and the 排名 sheet).
std::vector<std::string> RankingHeader(const std::vector<ItemColumn>& items) {
  std::vector<std::string> header = {"排名", "对象", "名称", "总分", "等级", "名次变化"};
  for (const ItemColumn& item : items) header.push_back(item.display_name);
  return header;
}

// ---------------------------------------------------------------------------------------------
// XLSX (the CSV and sheet helpers are common/files/table_files.h)

struct XlsxFormats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* score;    // 0.00
  lxw_format* integer;  // 0
  lxw_format* wrap;
};

XlsxFormats AddFormats(lxw_workbook* workbook) {
  XlsxFormats f;
  f.title = workbook_add_format(workbook);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.header = workbook_add_format(workbook);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xE8EEF7);
  format_set_border(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  f.score = workbook_add_format(workbook);
  format_set_num_format(f.score, "0.00");
  f.integer = workbook_add_format(workbook);
  format_set_num_format(f.integer, "0");
  f.wrap = workbook_add_format(workbook);
  format_set_text_wrap(f.wrap);
  return f;
}

void WriteHeader(SheetWriter& sheet, int row, const std::vector<std::string>& header,
                 const XlsxFormats& f) {
  for (size_t col = 0; col < header.size(); ++col) {
    sheet.Text(row, static_cast<int>(col), header[col], f.header);
  }
}

// 排名: title, the run's identity, the header (frozen) and one row per subject.
void WriteRankingSheet(SheetWriter& sheet, const v1::Run& run,
                       absl::string_view scheme_display_name, const XlsxFormats& f) {
  std::vector<ItemColumn> items = ItemColumns(run);
  std::vector<std::string> header = RankingHeader(items);
  sheet.Text(0, 0,
             absl::StrCat(scheme_display_name, " · ", PeriodLabel(run.period()), " · ",
                          KindLabel(run.kind())),
             f.title, /*measured=*/false);
  sheet.Text(1, 0,
             absl::StrCat("方案 ", run.scheme(), " 第", run.scheme_version(), "版；考核期 ",
                          run.period(), "；数据截至 ", run.as_of_date(), "；类型 ",
                          KindLabel(run.kind()), "；输入摘要 sha256:", run.inputs_digest(),
                          run.name().empty() ? "" : absl::StrCat("；", run.name())),
             nullptr, /*measured=*/false);
  constexpr int kHeaderRow = 3;
  WriteHeader(sheet, kHeaderRow, header, f);
  int row = kHeaderRow + 1;
  for (const v1::SubjectResult* result : InRankOrder(run)) {
    sheet.Number(row, 0, result->rank(), f.integer);
    sheet.Text(row, 1, result->subject());
    sheet.Text(row, 2, SubjectLabel(*result));
    sheet.Number(row, 3, result->total(), f.score);
    sheet.Text(row, 4, GradeLabel(result->grade()));
    if (result->previous_rank() != 0) {
      sheet.Number(row, 5, result->rank_change(), f.integer);
    } else {
      sheet.Blank(row, 5);
    }
    for (size_t i = 0; i < items.size(); ++i) {
      const v1::ItemResult* item = FindItem(*result, items[i].key);
      if (item != nullptr) sheet.Number(row, 6 + static_cast<int>(i), item->points(), f.score);
    }
    ++row;
  }
  worksheet_freeze_panes(sheet.sheet(), kHeaderRow + 1, 0);
  sheet.Finish(/*max_width=*/24);
}

// 得分明细: one row per subject × item with the figures the points came from.
void WriteDetailSheet(SheetWriter& sheet, const v1::Run& run, const XlsxFormats& f) {
  WriteHeader(sheet, 0,
              {"排名", "对象", "名称", "考核项", "考核项名称", "指标", "实际值", "目标值",
               "计分方法", "参数", "得分", "满分"},
              f);
  int row = 1;
  for (const v1::SubjectResult* result : InRankOrder(run)) {
    for (const v1::ItemResult& item : result->items()) {
      sheet.Number(row, 0, result->rank(), f.integer);
      sheet.Text(row, 1, result->subject());
      sheet.Text(row, 2, SubjectLabel(*result));
      sheet.Text(row, 3, item.key());
      sheet.Text(row, 4, item.display_name());
      sheet.Text(row, 5, item.indicator());
      sheet.Number(row, 6, item.actual(), f.score);
      if (item.has_target()) {
        sheet.Number(row, 7, item.target(), f.score);
      } else {
        sheet.Blank(row, 7);
      }
      sheet.Text(row, 8, MethodLabel(item.method()));
      sheet.Text(row, 9, item.parameters());
      sheet.Number(row, 10, item.points(), f.score);
      sheet.Number(row, 11, item.max_points(), f.score);
      ++row;
    }
  }
  worksheet_freeze_panes(sheet.sheet(), 1, 0);
  worksheet_autofilter(sheet.sheet(), 0, 0, std::max(row - 1, 1), 11);
  sheet.Finish();
}

// 计算说明: the formulas and problems per subject × item, then the run's own problems.
void WriteExplanationSheet(SheetWriter& sheet, const v1::Run& run, const XlsxFormats& f) {
  WriteHeader(sheet, 0, {"对象", "名称", "考核项名称", "计算过程", "问题"}, f);
  int row = 1;
  for (const v1::SubjectResult* result : InRankOrder(run)) {
    for (const v1::ItemResult& item : result->items()) {
      sheet.Text(row, 0, result->subject());
      sheet.Text(row, 1, SubjectLabel(*result));
      sheet.Text(row, 2, item.display_name().empty() ? item.key() : item.display_name());
      sheet.Text(row, 3, item.formula(), f.wrap);
      sheet.Text(row, 4, item.problem(), f.wrap);
      ++row;
    }
  }
  ++row;
  sheet.Text(row++, 0, "运行提示", f.header);
  if (run.problems().empty()) sheet.Text(row++, 0, "无");
  for (const std::string& problem : run.problems()) {
    sheet.Text(row++, 0, problem, nullptr, /*measured=*/false);
  }
  worksheet_freeze_panes(sheet.sheet(), 1, 0);
  sheet.Finish();
}

// ---------------------------------------------------------------------------------------------
// SVG

constexpr int kSvgWidth = 960;
constexpr int kBarsTop = 84;
constexpr int kRowHeight = 30;
constexpr int kBarHeight = 20;
constexpr int kBarLeft = 260;
constexpr int kBarMaxWidth = 520;  // leaves room for the longest bar's label
constexpr int kAxisHeight = 44;

// XML 1.0's Char production, for the code points UTF-8 can carry (surrogates it cannot).
bool IsXmlChar(char32_t c) {
  return (c >= 0x20 && c != 0xFFFE && c != 0xFFFF) || c == '\t' || c == '\n' || c == '\r';
}

// Text for XML content and attribute values: the five markup characters escaped, characters XML
// 1.0 forbids (C0 controls but tab and line breaks, U+FFFE, U+FFFF) dropped, bytes that are not
// UTF-8 replaced by U+FFFD.
std::string XmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    size_t length = Utf8SequenceLength(text, pos);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++pos;
      continue;
    }
    char32_t c = Utf8CodePoint(text, pos, length);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (IsXmlChar(c)) out.append(text.data() + pos, length);
        break;
    }
    pos += length;
  }
  return out;
}

std::string Px(double value) { return absl::StrFormat("%.1f", value); }

// The axis runs from 0 to the best total rounded up to a multiple of 10 (at least 10).
double AxisMax(const std::vector<const v1::SubjectResult*>& subjects) {
  double best = 0;
  for (const v1::SubjectResult* result : subjects) {
    if (std::isfinite(result->total())) best = std::max(best, result->total());
  }
  return std::max(10.0, std::ceil(best / 10) * 10);
}

std::string RankChangeMark(const v1::SubjectResult& result) {
  if (result.previous_rank() == 0) return "";
  if (result.rank_change() > 0) return absl::StrCat("  ↑", result.rank_change());
  if (result.rank_change() < 0) return absl::StrCat("  ↓", -result.rank_change());
  return "  –";
}

void AppendLegend(std::string* svg) {
  double x = kSvgWidth - 320;
  absl::StrAppend(svg, "  <g class=\"legend\">\n");
  for (const GradeStyle& style : kGradeStyles) {
    absl::StrAppend(svg, "    <rect class=\"legend-key\" x=\"", Px(x), "\" y=\"50\" width=\"14\" ",
                    "height=\"14\" fill=\"", style.colour, "\"/>\n", "    <text x=\"", Px(x + 20),
                    "\" y=\"62\" font-size=\"13\">", style.label, "</text>\n");
    x += 76;
  }
  absl::StrAppend(svg, "  </g>\n");
}

void AppendAxis(double axis_max, int bars_bottom, std::string* svg) {
  absl::StrAppend(svg, "  <g class=\"axis\" font-size=\"11\" fill=\"#757575\">\n");
  for (int tick = 0; tick <= 4; ++tick) {
    double x = kBarLeft + kBarMaxWidth * tick / 4.0;
    absl::StrAppend(svg, "    <line x1=\"", Px(x), "\" y1=\"", kBarsTop - 6, "\" x2=\"", Px(x),
                    "\" y2=\"", bars_bottom, "\" stroke=\"#e0e0e0\"/>\n", "    <text x=\"", Px(x),
                    "\" y=\"", bars_bottom + 16, "\" text-anchor=\"middle\">",
                    absl::StrFormat("%g", axis_max * tick / 4.0), "</text>\n");
  }
  absl::StrAppend(svg, "  </g>\n");
}

void AppendBar(const v1::SubjectResult& result, int index, double axis_max, std::string* svg) {
  double y = kBarsTop + index * kRowHeight;
  double total = std::isfinite(result.total()) ? result.total() : 0;
  double width = std::clamp(total / axis_max, 0.0, 1.0) * kBarMaxWidth;
  double text_y = y + kBarHeight - 5;
  std::string name = XmlEscape(SubjectLabel(result));
  absl::StrAppend(
      svg, "  <g class=\"subject\" data-rank=\"", result.rank(), "\">\n", "    <title>",
      result.rank(), ". ", name, " ", FormatFixed2(total), " ", GradeLabel(result.grade()), "</title>\n",
      "    <text x=\"24\" y=\"", Px(text_y), "\" font-size=\"14\" font-weight=\"bold\">",
      result.rank(), "</text>\n", "    <text x=\"", kBarLeft - 10, "\" y=\"", Px(text_y),
      "\" font-size=\"14\" text-anchor=\"end\">", name, "</text>\n",
      "    <rect class=\"bar\" data-subject=\"", XmlEscape(result.subject()), "\" data-grade=\"",
      StyleOf(result.grade()).key, "\" x=\"", kBarLeft, "\" y=\"", Px(y), "\" width=\"", Px(width),
      "\" height=\"", kBarHeight, "\" fill=\"", StyleOf(result.grade()).colour, "\"/>\n",
      "    <text x=\"", Px(kBarLeft + width + 8), "\" y=\"", Px(text_y), "\" font-size=\"13\">",
      FormatFixed2(total), " ", GradeLabel(result.grade()), RankChangeMark(result), "</text>\n",
      "  </g>\n");
}

}  // namespace

std::string RunToCsv(const v1::Run& run) {
  std::vector<ItemColumn> items = ItemColumns(run);
  std::string out(kUtf8Bom);
  std::vector<std::string> header;
  for (const std::string& title : RankingHeader(items)) header.push_back(CsvText(title));
  AppendCsvRow(header, &out);
  for (const v1::SubjectResult* result : InRankOrder(run)) {
    std::vector<std::string> row = {absl::StrCat(result->rank()),
                                    CsvText(result->subject()),
                                    CsvText(SubjectLabel(*result)),
                                    FormatFixed2(result->total()),
                                    std::string(GradeLabel(result->grade())),
                                    RankChangeText(*result)};
    for (const ItemColumn& column : items) {
      const v1::ItemResult* item = FindItem(*result, column.key);
      row.push_back(item == nullptr ? "" : FormatFixed2(item->points()));
    }
    AppendCsvRow(row, &out);
  }
  return out;
}

absl::StatusOr<std::string> RunToXlsx(const v1::Run& run, absl::string_view scheme_display_name) {
  absl::StatusOr<TempFile> file = TempFile::Create(".xlsx");
  if (!file.ok()) return file.status();
  lxw_workbook* workbook = workbook_new(file->path().c_str());
  if (workbook == nullptr) {
    return absl::InternalError(
        absl::StrCat("libxlsxwriter cannot start a workbook at ", file->path()));
  }
  std::string title(scheme_display_name);
  std::string subject = absl::StrCat(PeriodLabel(run.period()), KindLabel(run.kind()));
  lxw_doc_properties properties = {};
  properties.title = title.data();
  properties.subject = subject.data();
  // The run's time, not the wall clock's: the same run gives the same document properties.
  properties.created = static_cast<time_t>(run.create_time().seconds());
  lxw_error error = workbook_set_properties(workbook, &properties);

  XlsxFormats formats = AddFormats(workbook);
  lxw_worksheet* ranking = workbook_add_worksheet(workbook, "排名");
  lxw_worksheet* detail = workbook_add_worksheet(workbook, "得分明细");
  lxw_worksheet* explanation = workbook_add_worksheet(workbook, "计算说明");
  if (ranking != nullptr && detail != nullptr && explanation != nullptr) {
    SheetWriter ranking_sheet(ranking, &error);
    WriteRankingSheet(ranking_sheet, run, scheme_display_name, formats);
    SheetWriter detail_sheet(detail, &error);
    WriteDetailSheet(detail_sheet, run, formats);
    SheetWriter explanation_sheet(explanation, &error);
    WriteExplanationSheet(explanation_sheet, run, formats);
  } else if (error == LXW_NO_ERROR) {
    error = LXW_ERROR_SHEETNAME_ALREADY_USED;  // the only way adding a fixed sheet fails
  }
  // Closing writes the file and frees the workbook, also after an error.
  lxw_error closed = workbook_close(workbook);
  if (error == LXW_NO_ERROR) error = closed;
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("writing the workbook of ", run.name(), " failed: ", lxw_strerror(error)));
  }
  return file->Read();
}

std::string RunToSvg(const v1::Run& run, absl::string_view scheme_display_name) {
  std::vector<const v1::SubjectResult*> subjects = InRankOrder(run);
  double axis_max = AxisMax(subjects);
  int bars_bottom = kBarsTop + static_cast<int>(subjects.size()) * kRowHeight;
  int height = bars_bottom + kAxisHeight;
  std::string svg = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", kSvgWidth, "\" height=\"", height,
      "\" viewBox=\"0 0 ", kSvgWidth, " ", height,
      "\" font-family=\"'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif\" fill=\"#212121\">\n",
      "  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
      "  <text class=\"title\" x=\"24\" y=\"34\" font-size=\"20\" font-weight=\"bold\">",
      XmlEscape(scheme_display_name), "</text>\n",
      "  <text class=\"subtitle\" x=\"24\" y=\"62\" font-size=\"14\" fill=\"#616161\">",
      XmlEscape(PeriodLabel(run.period())), " · ", KindLabel(run.kind()), " · 数据截至 ",
      XmlEscape(run.as_of_date()), "</text>\n");
  AppendLegend(&svg);
  AppendAxis(axis_max, bars_bottom, &svg);
  for (size_t i = 0; i < subjects.size(); ++i) {
    AppendBar(*subjects[i], static_cast<int>(i), axis_max, &svg);
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

absl::StatusOr<ExportFile> ExportRun(const v1::Run& run, absl::string_view scheme_display_name,
                                     v1::ExportFormat format) {
  switch (format) {
    case v1::EXPORT_FORMAT_CSV:
      return ExportFile{RunToCsv(run), std::string(kCsvContentType), Filename(run, "csv")};
    case v1::EXPORT_FORMAT_XLSX: {
      absl::StatusOr<std::string> xlsx = RunToXlsx(run, scheme_display_name);
      if (!xlsx.ok()) return xlsx.status();
      return ExportFile{*std::move(xlsx), std::string(kXlsxContentType), Filename(run, "xlsx")};
    }
    case v1::EXPORT_FORMAT_SVG:
      return ExportFile{RunToSvg(run, scheme_display_name), std::string(kSvgContentType),
                        Filename(run, "svg")};
    default:
      return InvalidField("format",
                          "must be EXPORT_FORMAT_CSV, EXPORT_FORMAT_XLSX or "
                          "EXPORT_FORMAT_SVG");
  }
}

}  // namespace chainhub::assessment
