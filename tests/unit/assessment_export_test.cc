#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/base/status_util.h"
#include "services/assessment/export.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/support/workbook_reader.h"
#include "common/files/csv.h"

namespace chainhub::assessment {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::chainhub::testing::ReadXlsx;
using ::chainhub::testing::RunPython;
using ::chainhub::testing::Workbook;
using ::chainhub::testing::WriteFile;

constexpr absl::string_view kSchemeTitle = "2026年度产业链链长制工作考核方案（样例）";

v1::ItemResult Item(const std::string& key, const std::string& display_name,
                    const std::string& method, double actual, double points, double max_points,
                    const std::string& formula) {
  v1::ItemResult item;
  item.set_key(key);
  item.set_display_name(display_name);
  item.set_indicator("indicators/" + key);
  item.set_method(method);
  item.set_actual(actual);
  item.set_points(points);
  item.set_max_points(max_points);
  item.set_formula(formula);
  return item;
}

v1::ItemResult Output(double actual, double target, double points, const std::string& formula) {
  v1::ItemResult item =
      Item("output", "产值完成率", "ratio_to_target", actual, points, 30, formula);
  item.set_target(target);
  item.set_has_target(true);
  item.set_parameters("cap=1.2");
  return item;
}

v1::ItemResult Tax(double actual, double points, const std::string& formula) {
  v1::ItemResult item = Item("tax", "税收（功效系数）", "efficacy", actual, points, 20, formula);
  item.set_parameters("all_equal_score=100");
  return item;
}

v1::ItemResult Overdue(double actual, double points, const std::string& formula) {
  v1::ItemResult item = Item("overdue", "逾期问题扣分", "deduction", actual, points, 5, formula);
  item.set_parameters("per_unit=0.5");
  return item;
}

v1::SubjectResult Subject(const std::string& subject, const std::string& display_name, double total,
                          int rank, int previous_rank, v1::Grade grade) {
  v1::SubjectResult result;
  result.set_subject(subject);
  result.set_display_name(display_name);
  result.set_total(total);
  result.set_period_total(total);
  result.set_rank(rank);
  result.set_previous_rank(previous_rank);
  result.set_rank_change(previous_rank == 0 ? 0 : previous_rank - rank);
  result.set_grade(grade);
  return result;
}

// Three chains scored on output (ratio to target, 30, cap 1.2), tax (efficacy coefficient over
// 5.0 / 2.0 / 4.1, 20) and overdue issues (−0.5 each, at most 5):
//   光伏        min(12 ÷ 10, 1.2) × 30 = 36.00; 60 + 40 × 2.1 ÷ 3 = 88 → 17.60; 3 × −0.5 = −1.50
//               total 52.10, rank 1 (was 2: +1), 优秀
//   新能源电池  min(3.5 ÷ 10, 1.2) × 30 = 10.50; 60 → 12.00; 5 × −0.5 = −2.50
//               total 20.00, rank 2 (no previous rank), 合格
//   集成电路    no target → 0.00 (a problem); 100 → 20.00; 0 → 0.00
//               total 20.00, rank 2 (tied; was 1: −1), 合格
// The results are deliberately out of rank order: the exports sort them, the tie kept in run order.
v1::Run SampleRun() {
  v1::Run run;
  run.set_name("runs/r-2026q3");
  run.set_scheme("schemes/chain-2026");
  run.set_scheme_version(2);
  run.set_period("2026-Q3");
  run.set_as_of_date("2026-10-05");
  run.set_kind(v1::RUN_KIND_FINAL);
  run.set_inputs_digest("9f86d081884c7d65");
  run.mutable_create_time()->set_seconds(1791158400);

  v1::SubjectResult nev = Subject("chains/nev-battery", "新能源电池", 20, 2, 0, v1::GRADE_PASS);
  *nev.add_items() = Output(3.5, 10, 10.5, "min(3.5 ÷ 10, 1.2) × 30 = 10.50");
  *nev.add_items() = Tax(2.0, 12, "60 + 40 × (2 − 2) ÷ (5 − 2) = 60 → 20 × 60 ÷ 100 = 12.00");
  *nev.add_items() = Overdue(5, -2.5, "−min(5 × 0.5, 5) = −2.50");

  v1::SubjectResult pv = Subject("chains/pv", "光伏", 52.1, 1, 2, v1::GRADE_EXCELLENT);
  *pv.add_items() = Output(12, 10, 36, "min(12 ÷ 10, 1.2) × 30 = 36.00");
  *pv.add_items() = Tax(4.1, 17.6, "60 + 40 × (4.1 − 2) ÷ (5 − 2) = 88 → 20 × 88 ÷ 100 = 17.60");
  *pv.add_items() = Overdue(3, -1.5, "−min(3 × 0.5, 5) = −1.50");

  v1::SubjectResult ic =
      Subject("chains/semiconductor", "集成电路, \"芯\"", 20, 2, 1, v1::GRADE_PASS);
  v1::ItemResult no_target = Output(4, 0, 0, "no target: 0.00");
  no_target.set_has_target(false);
  no_target.set_problem("没有产值目标");
  *ic.add_items() = no_target;
  *ic.add_items() = Tax(5.0, 20, "60 + 40 × (5 − 2) ÷ (5 − 2) = 100 → 20 × 100 ÷ 100 = 20.00");
  *ic.add_items() = Overdue(0, 0, "−min(0 × 0.5, 5) = 0.00");

  *run.add_results() = nev;
  *run.add_results() = pv;
  *run.add_results() = ic;
  run.add_problems("chains/semiconductor: 产值完成率 没有目标");
  return run;
}

// ---------------------------------------------------------------------------------------------
// CSV

std::vector<CsvRecord> ParseBack(const std::string& csv) {
  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv(StripUtf8Bom(csv));
  EXPECT_TRUE(records.ok()) << records.status();
  if (!records.ok()) return {};
  for (const CsvRecord& record : *records) EXPECT_EQ(record.error, "");
  return *records;
}

TEST(AssessmentExportCsv, StartsWithAByteOrderMarkAndEndsEveryRecordWithCrlf) {
  std::string csv = RunToCsv(SampleRun());
  ASSERT_TRUE(absl::StartsWith(csv, "\xEF\xBB\xBF"));
  EXPECT_TRUE(absl::EndsWith(csv, "\r\n"));
  // Four records (header and three subjects), no bare LF.
  std::vector<absl::string_view> lines = absl::StrSplit(csv, "\r\n");
  EXPECT_EQ(lines.size(), 5u);  // the last is empty
  for (absl::string_view line : lines) EXPECT_FALSE(absl::StrContains(line, "\n")) << line;
}

TEST(AssessmentExportCsv, ListsSubjectsInRankOrderWithEveryItemsPoints) {
  std::vector<CsvRecord> records = ParseBack(RunToCsv(SampleRun()));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[0].fields, ElementsAre("排名", "对象", "名称", "总分", "等级", "名次变化",
                                             "产值完成率", "税收（功效系数）", "逾期问题扣分"));
  EXPECT_THAT(records[1].fields, ElementsAre("1", "chains/pv", "光伏", "52.10", "优秀", "1",
                                             "36.00", "17.60", "-1.50"));
  // Tied on 20.00: both rank 2, in the run's order; no previous rank leaves 名次变化 empty.
  EXPECT_THAT(records[2].fields, ElementsAre("2", "chains/nev-battery", "新能源电池", "20.00",
                                             "合格", "", "10.50", "12.00", "-2.50"));
  EXPECT_THAT(records[3].fields, ElementsAre("2", "chains/semiconductor", "集成电路, \"芯\"",
                                             "20.00", "合格", "-1", "0.00", "20.00", "0.00"));
}

TEST(AssessmentExportCsv, QuotesANameWithACommaAndDoublesItsQuotes) {
  std::string csv = RunToCsv(SampleRun());
  EXPECT_THAT(csv, HasSubstr(",\"集成电路, \"\"芯\"\"\",20.00,"));
  // Fields without a comma, quote or line break stay bare.
  EXPECT_THAT(csv, HasSubstr("\r\n1,chains/pv,光伏,52.10,优秀,1,36.00,17.60,-1.50\r\n"));
}

TEST(AssessmentExportCsv, DefusesANameASpreadsheetWouldRunAsAFormula) {
  v1::Run run = SampleRun();
  run.mutable_results(1)->set_display_name("=HYPERLINK(\"http://x\",\"光伏\")");
  run.mutable_results(0)->set_display_name("-新能源电池");
  std::vector<CsvRecord> records = ParseBack(RunToCsv(run));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields[2], "'=HYPERLINK(\"http://x\",\"光伏\")");
  EXPECT_EQ(records[2].fields[2], "'-新能源电池");
  // Numbers keep their sign: only text is defused.
  EXPECT_EQ(records[2].fields[8], "-2.50");
}

TEST(AssessmentExportCsv, LeavesTheCellOfAnItemASubjectLacksEmpty) {
  v1::Run run = SampleRun();
  v1::ItemResult bonus = Item("bonus_10yi", "10亿元以上项目加分", "bonus", 1, 4, 12, "+4");
  *run.mutable_results(2)->add_items() = bonus;  // only 集成电路 has it
  std::vector<CsvRecord> records = ParseBack(RunToCsv(run));
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].fields.back(), "10亿元以上项目加分");
  EXPECT_EQ(records[1].fields.back(), "");
  EXPECT_EQ(records[3].fields.back(), "4.00");
}

TEST(AssessmentExportCsv, ARunWithoutResultsIsTheHeaderAlone) {
  v1::Run run = SampleRun();
  run.clear_results();
  std::vector<CsvRecord> records = ParseBack(RunToCsv(run));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("排名", "对象", "名称", "总分", "等级", "名次变化"));
}

// ---------------------------------------------------------------------------------------------
// SVG

// Prints the root's size, the title, then per bar: subject, grade, fill, width, and per subject
// group its texts joined by |.
constexpr absl::string_view kReadSvg = R"(
import sys, xml.etree.ElementTree as ET
ns = {'s': 'http://www.w3.org/2000/svg'}
root = ET.parse(sys.argv[1]).getroot()
print('size', root.get('width'), root.get('height'))
print('font', root.get('font-family'))
print('title', root.find("s:text[@class='title']", ns).text)
print('subtitle', root.find("s:text[@class='subtitle']", ns).text)
for rect in root.iter('{http://www.w3.org/2000/svg}rect'):
    if rect.get('class') == 'bar':
        print('bar', rect.get('data-subject'), rect.get('data-grade'), rect.get('fill'), rect.get('width'))
    if rect.get('class') == 'legend-key':
        print('legend', rect.get('fill'))
for g in root.iter('{http://www.w3.org/2000/svg}g'):
    if g.get('class') == 'subject':
        print('label', '|'.join(t.text for t in g.iter('{http://www.w3.org/2000/svg}text')))
print('END')
)";

std::vector<std::string> SvgLines(const std::string& svg) {
  testing::TempDir dir;
  std::string out = RunPython(kReadSvg, WriteFile(dir, "run.svg", svg));
  return absl::StrSplit(out, '\n', absl::SkipEmpty());
}

std::vector<std::string> StartingWith(const std::vector<std::string>& lines,
                                      absl::string_view prefix) {
  std::vector<std::string> kept;
  for (const std::string& line : lines) {
    if (absl::StartsWith(line, prefix)) kept.push_back(line);
  }
  return kept;
}

TEST(AssessmentExportSvg, IsWellFormedWithOneBarPerSubjectColouredByGrade) {
  std::vector<std::string> lines = SvgLines(RunToSvg(SampleRun(), kSchemeTitle));
  // 84 above the bars, 3 × 30 for them, 44 for the axis.
  EXPECT_THAT(lines, ::testing::Contains("size 960 218"));
  EXPECT_THAT(lines, ::testing::Contains("font 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif"));
  EXPECT_THAT(lines, ::testing::Contains(absl::StrCat("title ", kSchemeTitle)));
  EXPECT_THAT(lines,
              ::testing::Contains("subtitle 2026年第3季度 · 正式结果 · 数据截至 2026-10-05"));
  // The axis runs to 60 (52.10 rounded up to ten) over 520 px: 52.1 → 451.5, 20 → 173.3.
  std::vector<std::string> bars = StartingWith(lines, "bar ");
  EXPECT_THAT(bars, ElementsAre("bar chains/pv excellent #2e7d32 451.5",
                                "bar chains/nev-battery pass #f9a825 173.3",
                                "bar chains/semiconductor pass #f9a825 173.3"));
}

TEST(AssessmentExportSvg, LabelsEachBarWithRankNameTotalAndRankChange) {
  std::vector<std::string> lines = SvgLines(RunToSvg(SampleRun(), kSchemeTitle));
  std::vector<std::string> labels = StartingWith(lines, "label ");
  EXPECT_THAT(labels, ElementsAre("label 1|光伏|52.10 优秀  ↑1", "label 2|新能源电池|20.00 合格",
                                  "label 2|集成电路, \"芯\"|20.00 合格  ↓1"));
}

TEST(AssessmentExportSvg, HasALegendOfTheFourGradeColours) {
  std::vector<std::string> lines = SvgLines(RunToSvg(SampleRun(), kSchemeTitle));
  std::vector<std::string> legend = StartingWith(lines, "legend ");
  EXPECT_THAT(legend,
              ElementsAre("legend #2e7d32", "legend #1565c0", "legend #f9a825", "legend #c62828"));
}

TEST(AssessmentExportSvg, ColoursGoodAndFailBarsAndEscapesMarkupInNames) {
  v1::Run run = SampleRun();
  run.mutable_results(0)->set_grade(v1::GRADE_GOOD);
  run.mutable_results(2)->set_grade(v1::GRADE_FAIL);
  run.mutable_results(2)->set_display_name("<芯> & 'co'");
  std::string svg = RunToSvg(run, "方案 <A&B>");
  EXPECT_THAT(svg, HasSubstr("&lt;芯&gt; &amp; &apos;co&apos;"));
  std::vector<std::string> lines = SvgLines(svg);
  EXPECT_THAT(lines, ::testing::Contains("title 方案 <A&B>"));
  EXPECT_THAT(lines, ::testing::Contains("bar chains/nev-battery good #1565c0 173.3"));
  EXPECT_THAT(lines, ::testing::Contains("bar chains/semiconductor fail #c62828 173.3"));
  EXPECT_THAT(lines, ::testing::Contains("label 2|<芯> & 'co'|20.00 不合格  ↓1"));
}

TEST(AssessmentExportSvg, GrowsWithTheSubjectsAndDrawsANegativeTotalAsNoBar) {
  v1::Run run = SampleRun();
  v1::SubjectResult last = Subject("chains/medical", "医药器械", -3, 4, 0, v1::GRADE_FAIL);
  *run.add_results() = last;
  std::vector<std::string> lines = SvgLines(RunToSvg(run, kSchemeTitle));
  EXPECT_THAT(lines, ::testing::Contains("size 960 248"));
  EXPECT_THAT(lines, ::testing::Contains("bar chains/medical fail #c62828 0.0"));
}

// ---------------------------------------------------------------------------------------------
// XLSX

// The cells of `row` from column `from` to `to` (single letters); "" for a cell with no value.
std::vector<std::string> Cells(const std::map<std::string, std::string>& sheet, int row, char from,
                               char to) {
  std::vector<std::string> values;
  for (char col = from; col <= to; ++col) {
    auto cell = sheet.find(absl::StrCat(std::string(1, col), row));
    values.push_back(cell == sheet.end() ? "" : cell->second);
  }
  return values;
}

std::string MustXlsx(const v1::Run& run) {
  absl::StatusOr<std::string> xlsx = RunToXlsx(run, kSchemeTitle);
  EXPECT_TRUE(xlsx.ok()) << xlsx.status();
  return xlsx.ok() ? *xlsx : "";
}

TEST(AssessmentExportXlsx, HasTheRankingDetailAndExplanationSheets) {
  absl::StatusOr<std::string> xlsx = RunToXlsx(SampleRun(), kSchemeTitle);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  ASSERT_TRUE(absl::StartsWith(*xlsx, "PK"));
  Workbook book = ReadXlsx(*xlsx);
  EXPECT_EQ(book.sheets, "排名,得分明细,计算说明");
  EXPECT_EQ(book.panes[1], "4 frozen");
  EXPECT_EQ(book.panes[2], "1 frozen");
  EXPECT_EQ(book.panes[3], "1 frozen");
  // The title and the header rows are bold, the figures are not.
  EXPECT_THAT(book.bold, ::testing::IsSupersetOf({"1 A1", "1 A4", "1 I4", "2 A1", "2 L1", "3 E1"}));
  EXPECT_THAT(book.bold, ::testing::Not(::testing::Contains("1 A5")));
  EXPECT_THAT(book.bold, ::testing::Not(::testing::Contains("2 A2")));
}

TEST(AssessmentExportXlsx, IsTheSameBytesForTheSameRunCreatedAtTheRunsTime) {
  std::string xlsx = MustXlsx(SampleRun());
  EXPECT_EQ(MustXlsx(SampleRun()), xlsx);
  // 1791158400 is 2026-10-05T00:00:00Z: the run's creation, not the wall clock's.
  EXPECT_EQ(ReadXlsx(xlsx).created, "2026-10-05T00:00:00Z");
}

TEST(AssessmentExportXlsx, RankingSheetHasTitleRunIdentityAndNumbersAsNumbers) {
  Workbook book = ReadXlsx(MustXlsx(SampleRun()));
  std::map<std::string, std::string>& ranking = book.cells[1];
  EXPECT_EQ(ranking["A1"], absl::StrCat("s ", kSchemeTitle, " · 2026年第3季度 · 正式结果"));
  EXPECT_THAT(ranking["A2"], HasSubstr("schemes/chain-2026 第2版"));
  EXPECT_THAT(ranking["A2"], HasSubstr("数据截至 2026-10-05"));
  EXPECT_THAT(ranking["A2"], HasSubstr("sha256:9f86d081884c7d65"));
  EXPECT_EQ(ranking["A4"], "s 排名");
  EXPECT_EQ(ranking["I4"], "s 逾期问题扣分");
  // Rank, subject, name, total, grade, rank change, items' points; 新能源电池 has no previous
  // rank, so no value in F6.
  EXPECT_THAT(Cells(ranking, 5, 'A', 'I'),
              ElementsAre("n 1", "s chains/pv", "s 光伏", "n 52.1", "s 优秀", "n 1", "n 36",
                          "n 17.6", "n -1.5"));
  EXPECT_THAT(Cells(ranking, 6, 'A', 'I'),
              ElementsAre("n 2", "s chains/nev-battery", "s 新能源电池", "n 20", "s 合格", "",
                          "n 10.5", "n 12", "n -2.5"));
  EXPECT_THAT(Cells(ranking, 7, 'A', 'I'),
              ElementsAre("n 2", "s chains/semiconductor", "s 集成电路, \"芯\"", "n 20", "s 合格",
                          "n -1", "n 0", "n 20", "n 0"));
}

TEST(AssessmentExportXlsx, DetailSheetHasOneRowPerSubjectAndItem) {
  Workbook book = ReadXlsx(MustXlsx(SampleRun()));
  std::map<std::string, std::string>& detail = book.cells[2];
  EXPECT_EQ(detail["G1"], "s 实际值");
  EXPECT_EQ(detail["L1"], "s 满分");
  // Row 2: 光伏 × output; row 4: 光伏 × overdue, a deduction.
  EXPECT_THAT(
      Cells(detail, 2, 'A', 'L'),
      ElementsAre("n 1", "s chains/pv", "s 光伏", "s output", "s 产值完成率", "s indicators/output",
                  "n 12", "n 10", "s 目标完成比例", "s cap=1.2", "n 36", "n 30"));
  EXPECT_THAT(Cells(detail, 4, 'G', 'L'),
              ElementsAre("n 3", "", "s 扣分", "s per_unit=0.5", "n -1.5", "n 5"));
  // Row 8: 集成电路 × output without a target: no target value.
  EXPECT_THAT(Cells(detail, 8, 'B', 'H'),
              ElementsAre("s chains/semiconductor", "s 集成电路, \"芯\"", "s output",
                          "s 产值完成率", "s indicators/output", "n 4", ""));
  // Nine rows of items after the header, none after.
  EXPECT_EQ(detail["D10"], "s overdue");
  EXPECT_EQ(detail.count("D11"), 0u);
}

TEST(AssessmentExportXlsx, ExplanationSheetHasFormulasProblemsAndTheRunsProblems) {
  Workbook book = ReadXlsx(MustXlsx(SampleRun()));
  std::map<std::string, std::string>& explanation = book.cells[3];
  EXPECT_EQ(explanation["D1"], "s 计算过程");
  EXPECT_EQ(explanation["D2"], "s min(12 ÷ 10, 1.2) × 30 = 36.00");
  EXPECT_EQ(explanation.count("E2"), 0u);  // no problem: an empty string
  EXPECT_EQ(explanation["E8"], "s 没有产值目标");
  // A blank row, then the run's problems.
  EXPECT_EQ(explanation["A12"], "s 运行提示");
  EXPECT_EQ(explanation["A13"], "s chains/semiconductor: 产值完成率 没有目标");
}

// ---------------------------------------------------------------------------------------------
// ExportRun

TEST(AssessmentExportRun, NamesTheFileBySchemePeriodAndKind) {
  v1::Run run = SampleRun();
  absl::StatusOr<ExportFile> csv = ExportRun(run, kSchemeTitle, v1::EXPORT_FORMAT_CSV);
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_EQ(csv->filename, "chain-2026-2026-Q3-final.csv");
  EXPECT_EQ(csv->content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(csv->content, RunToCsv(run));

  run.set_kind(v1::RUN_KIND_PROVISIONAL);
  absl::StatusOr<ExportFile> svg = ExportRun(run, kSchemeTitle, v1::EXPORT_FORMAT_SVG);
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(svg->filename, "chain-2026-2026-Q3-provisional.svg");
  EXPECT_EQ(svg->content_type, "image/svg+xml");
  EXPECT_THAT(svg->content, HasSubstr("临时排名"));

  absl::StatusOr<ExportFile> xlsx = ExportRun(run, kSchemeTitle, v1::EXPORT_FORMAT_XLSX);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  EXPECT_EQ(xlsx->filename, "chain-2026-2026-Q3-provisional.xlsx");
  EXPECT_EQ(xlsx->content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_TRUE(absl::StartsWith(xlsx->content, "PK"));
}

TEST(AssessmentExportRun, RefusesAnUnspecifiedOrUnknownFormatNamingTheField) {
  for (int format : {0, 9}) {
    absl::StatusOr<ExportFile> file =
        ExportRun(SampleRun(), kSchemeTitle, static_cast<v1::ExportFormat>(format));
    ASSERT_EQ(file.status().code(), absl::StatusCode::kInvalidArgument) << format;
    std::vector<FieldViolation> violations = FieldViolationsOf(file.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "format");
  }
}

}  // namespace
}  // namespace chainhub::assessment
