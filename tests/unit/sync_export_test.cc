// The province snapshot as files: a workbook with a sheet per record type, Chinese column names,
// the provincial category (name and code) on every row and amounts in 亿元 as numbers; the same
// records give the same bytes; a CSV per type that a spreadsheet opens right.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "services/sync/export.h"
#include "tests/support/workbook_reader.h"

namespace chainhub::sync {
namespace {

using ::testing::HasSubstr;
using province::v1::Record;

std::vector<Record> Records() {
  Record pv;
  pv.set_list_version("2026");
  pv.set_type(province::v1::RECORD_TYPE_PROJECT);
  pv.set_id("projects/p1");
  pv.set_version(7);
  pv.set_business_date("2026-03-01");
  pv.add_categories("new-energy-low-carbon");
  pv.mutable_project()->set_project_id("p1");
  pv.mutable_project()->set_name("年产10GW光伏组件项目");
  pv.mutable_project()->set_total_investment_yuan(1'200'000'000);
  pv.mutable_project()->set_stage("签约");
  pv.mutable_project()->set_above_100m(true);
  Record food = pv;
  food.set_id("projects/p2");
  food.clear_categories();
  food.mutable_project()->set_project_id("p2");
  food.mutable_project()->set_name("=HYPERLINK(\"x\")");
  Record firm;
  firm.set_list_version("2026");
  firm.set_type(province::v1::RECORD_TYPE_ENTERPRISE);
  firm.set_id("enterprises/91341100MA2N000001");
  firm.add_categories("icv-nev");
  firm.add_categories("new-energy-low-carbon");
  firm.mutable_enterprise()->set_name("某某电池有限公司");
  firm.mutable_enterprise()->set_annual_output_yuan(5'000'000'000);
  return {food, firm, pv};
}

TEST(SyncExport, AWorkbookHasASheetPerTypeWithTheCategoryOnEveryRow) {
  auto file = ExportSnapshot(Records(), province::ProvinceLists::Shipped(), "2026", "2026-12-05",
                             v1::EXPORT_FORMAT_XLSX, province::v1::RECORD_TYPE_UNSPECIFIED);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->filename, "province-2026-2026-12-05.xlsx");
  testing::Workbook book = testing::ReadXlsx(file->content);
  EXPECT_EQ(book.sheets, "产业链,企业,项目,月度进展,考核结果");
  EXPECT_EQ(book.created, "2026-12-04T16:00:00Z");
  const auto& projects = book.cells[3];
  EXPECT_EQ(projects.at("A1"), "s 省产业链类别");
  EXPECT_EQ(projects.at("B1"), "s 类别编码");
  // Rows in id order: p1 then p2.
  EXPECT_EQ(projects.at("A2"), "s 新能源及绿色低碳");
  EXPECT_EQ(projects.at("B2"), "s new-energy-low-carbon");
  EXPECT_EQ(projects.at("A3"), "s （无对应类别）");
  EXPECT_EQ(projects.at("G2"), "s 年产10GW光伏组件项目");
  EXPECT_EQ(projects.at("M2"), "n 12");  // 总投资（亿元）
  EXPECT_EQ(projects.count("A4"), 0u);
  EXPECT_EQ(book.panes[3], "1 frozen");
  const auto& firms = book.cells[2];
  EXPECT_EQ(firms.at("A2"), "s 智能网联新能源汽车、新能源及绿色低碳");
  // Empty types still have their header.
  EXPECT_EQ(book.cells[5].at("F1"), "s 考核批次");
  // The same records, in another order, give the same bytes.
  std::vector<Record> shuffled = Records();
  std::swap(shuffled[0], shuffled[2]);
  EXPECT_EQ(ExportSnapshot(shuffled, province::ProvinceLists::Shipped(), "2026", "2026-12-05",
                           v1::EXPORT_FORMAT_XLSX, province::v1::RECORD_TYPE_UNSPECIFIED)
                ->content,
            file->content);
}

TEST(SyncExport, ACsvHoldsOneTypeWithAByteOrderMarkAndDefusedFormulas) {
  auto file = ExportSnapshot(Records(), province::ProvinceLists::Shipped(), "2026", "2026-12-05",
                             v1::EXPORT_FORMAT_CSV, province::v1::RECORD_TYPE_PROJECT);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->filename, "province-2026-2026-12-05-project.csv");
  ASSERT_TRUE(absl::StartsWith(file->content, "\xEF\xBB\xBF"));
  std::vector<std::string> lines = absl::StrSplit(file->content.substr(3), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(absl::StartsWith(lines[0], "省产业链类别,类别编码,自定类别,清单版本,业务日期,项目编号"));
  EXPECT_THAT(lines[1], HasSubstr("新能源及绿色低碳,new-energy-low-carbon,否,2026,2026-03-01,p1"));
  EXPECT_THAT(lines[1], HasSubstr(",12.0000,"));
  EXPECT_THAT(lines[2], HasSubstr("\"'=HYPERLINK(\"\"x\"\")\""));

  auto untyped = ExportSnapshot(Records(), province::ProvinceLists::Shipped(), "2026",
                                "2026-12-05", v1::EXPORT_FORMAT_CSV,
                                province::v1::RECORD_TYPE_UNSPECIFIED);
  EXPECT_EQ(untyped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(untyped.status().message(), HasSubstr("type"));
}

}  // namespace
}  // namespace chainhub::sync
