#include "tools/chainctl/project_csv.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/base/status_util.h"

namespace chainhub::chainctl {
namespace {

namespace v1 = intake::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A valid 统一社会信用代码 from data/enterprises.csv (a synthetic firm).
constexpr char kCode[] = "91341125071300609B";

// Every known column, in the data/projects.csv order.
std::vector<std::string> FullHeader() { return KnownProjectColumns(); }

ProjectLayout FullLayout() {
  absl::StatusOr<ProjectLayout> layout = ParseProjectHeader(FullHeader());
  EXPECT_TRUE(layout.ok()) << layout.status();
  return *layout;
}

// One row of the full layout, cells given by column name; the rest empty.
std::vector<std::string> Row(const std::vector<std::pair<std::string, std::string>>& cells) {
  const ProjectLayout layout = FullLayout();
  std::vector<std::string> row(layout.width);
  for (const auto& [column, value] : cells) row[*layout.Find(column)] = value;
  return row;
}

std::vector<std::pair<std::string, std::string>> GoodCells() {
  return {{"external_id", "CZ-PV-0001"},
          {"display_name", "年产10GW高效光伏组件项目"},
          {"chain", "pv"},
          {"node", "pv-module"},
          {"province_chains", "new-energy-low-carbon"},
          {"county", "来安县"},
          {"park", "来安汊河经济开发区"},
          {"investor_name", "某某新能源集团有限公司"},
          {"investor_origin", "OUT_OF_PROVINCE"},
          {"fortune500", "true"},
          {"investor_credit_code", kCode},
          {"source", "INVESTMENT"},
          {"total_investment_yuan", "5000000000"},
          {"fixed_asset_investment_yuan", "4000000000"},
          {"annual_planned_investment_yuan", "1200000000"},
          {"responsible_leader", "副市长（联系领导）"},
          {"responsible_department", "fgw"},
          {"provincial_key", "1"},
          {"planned_start_date", "2025-03-01"},
          {"stage", "STARTED"},
          {"negotiating_date", "2024-05-10"},
          {"signed_date", "2024-08-01"},
          {"registered_date", "2024-09-15"},
          {"started_date", "2025-03-18"},
          {"in_production_date", ""},
          {"full_output_date", ""},
          {"synthetic", "true"}};
}

// The row with one cell changed.
std::vector<std::string> GoodRowWith(const std::string& column, const std::string& value) {
  auto cells = GoodCells();
  for (auto& [c, v] : cells) {
    if (c == column) v = value;
  }
  return Row(cells);
}

std::vector<std::string> Violations(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : FieldViolationsOf(status)) out.push_back(v.field + ": " + v.rule);
  return out;
}

// --- header ---------------------------------------------------------------------------------

TEST(ProjectCsvHeader, MapsEveryKnownColumnInAnyOrderIgnoringCaseAndSpaces) {
  absl::StatusOr<ProjectLayout> layout = ParseProjectHeader(
      {" Chain ", "EXTERNAL_ID", "display_name", "county", "investor_name", "investor_origin",
       "source", "total_investment_yuan", "responsible_department", "stage"});
  ASSERT_TRUE(layout.ok()) << layout.status();
  EXPECT_EQ(layout->Find("chain"), 0u);
  EXPECT_EQ(layout->Find("external_id"), 1u);
  EXPECT_EQ(layout->Find("stage"), 9u);
  EXPECT_FALSE(layout->Find("node").has_value());
  EXPECT_EQ(layout->width, 10u);
}

TEST(ProjectCsvHeader, AcceptsTheFullDataFileHeader) {
  EXPECT_EQ(FullLayout().columns.size(), KnownProjectColumns().size());
}

TEST(ProjectCsvHeader, RefusesUnknownColumnsNamingEachOfThem) {
  std::vector<std::string> header = FullHeader();
  header.push_back("revenue");
  header.push_back("项目名称");
  absl::StatusOr<ProjectLayout> layout = ParseProjectHeader(header);
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(layout.status().message()),
              HasSubstr("unknown columns \"revenue\", \"项目名称\""));
  EXPECT_THAT(std::string(layout.status().message()),
              HasSubstr("known: external_id, display_name"));
}

TEST(ProjectCsvHeader, RefusesARepeatedColumn) {
  std::vector<std::string> header = FullHeader();
  header.push_back("County");
  absl::StatusOr<ProjectLayout> layout = ParseProjectHeader(header);
  ASSERT_FALSE(layout.ok());
  EXPECT_THAT(Violations(layout.status()), ElementsAre("header: column \"county\" appears twice"));
}

TEST(ProjectCsvHeader, NamesEveryMissingRequiredColumn) {
  absl::StatusOr<ProjectLayout> layout =
      ParseProjectHeader({"external_id", "display_name", "chain", "county", "node"});
  ASSERT_FALSE(layout.ok());
  EXPECT_THAT(Violations(layout.status()),
              ElementsAre("header: column \"investor_name\" is required",
                          "header: column \"investor_origin\" is required",
                          "header: column \"source\" is required",
                          "header: column \"total_investment_yuan\" is required",
                          "header: column \"responsible_department\" is required"));
}

// --- a good row -----------------------------------------------------------------------------

TEST(ProjectCsvRow, ConvertsEveryColumnOfAGoodRow) {
  absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), Row(GoodCells()), 12);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->row_number(), 12);
  const v1::Project& p = row->project();
  EXPECT_EQ(p.external_id(), "CZ-PV-0001");
  EXPECT_EQ(p.display_name(), "年产10GW高效光伏组件项目");
  EXPECT_EQ(p.chain(), "chains/pv");
  EXPECT_EQ(p.node(), "chains/pv/nodes/pv-module");
  EXPECT_THAT(p.province_chains(), ElementsAre("new-energy-low-carbon"));
  EXPECT_EQ(p.county(), "来安县");
  EXPECT_EQ(p.park(), "来安汊河经济开发区");
  EXPECT_EQ(p.investor().name(), "某某新能源集团有限公司");
  EXPECT_EQ(p.investor().origin(), v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  EXPECT_TRUE(p.investor().fortune500());
  EXPECT_EQ(p.investor().credit_code(), kCode);
  EXPECT_EQ(p.source(), v1::PROJECT_SOURCE_INVESTMENT);
  EXPECT_EQ(p.total_investment_yuan(), 5000000000);
  EXPECT_EQ(p.fixed_asset_investment_yuan(), 4000000000);
  EXPECT_EQ(p.annual_planned_investment_yuan(), 1200000000);
  EXPECT_EQ(p.responsible_leader(), "副市长（联系领导）");
  EXPECT_EQ(p.responsible_department(), "departments/fgw");
  EXPECT_TRUE(p.provincial_key());
  EXPECT_EQ(p.planned_start_date(), "2025-03-01");
  EXPECT_EQ(p.stage(), v1::STAGE_STARTED);
  EXPECT_EQ(p.stage_dates().negotiating(), "2024-05-10");
  EXPECT_EQ(p.stage_dates().signed_(), "2024-08-01");
  EXPECT_EQ(p.stage_dates().registered(), "2024-09-15");
  EXPECT_EQ(p.stage_dates().started(), "2025-03-18");
  EXPECT_EQ(p.stage_dates().in_production(), "");
  EXPECT_EQ(p.stage_dates().full_output(), "");
  EXPECT_TRUE(p.synthetic());
  // Output-only fields stay unset: the service assigns them.
  EXPECT_EQ(p.name(), "");
  EXPECT_EQ(p.light(), v1::LIGHT_UNSPECIFIED);
}

TEST(ProjectCsvRow, AcceptsFullResourceNamesForChainNodeAndDepartment) {
  auto cells = GoodCells();
  for (auto& [c, v] : cells) {
    if (c == "chain") v = "chains/pv";
    if (c == "node") v = "chains/pv/nodes/silicon-wafer";
    if (c == "responsible_department") v = "departments/zsj";
  }
  absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), Row(cells), 2);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->project().chain(), "chains/pv");
  EXPECT_EQ(row->project().node(), "chains/pv/nodes/silicon-wafer");
  EXPECT_EQ(row->project().responsible_department(), "departments/zsj");
}

TEST(ProjectCsvRow, LeavesAbsentOptionalColumnsAtTheirDefaults) {
  absl::StatusOr<ProjectLayout> layout = ParseProjectHeader(RequiredProjectColumns());
  ASSERT_TRUE(layout.ok()) << layout.status();
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(*layout,
                      {"CZ-1", "某某项目", "medical", "全椒县", "某某医疗科技有限公司", "省内",
                       "招才引智", "3000万", "kjj"},
                      2);
  ASSERT_TRUE(row.ok()) << row.status();
  const v1::Project& p = row->project();
  EXPECT_EQ(p.node(), "");
  EXPECT_TRUE(p.province_chains().empty());
  EXPECT_EQ(p.stage(), v1::STAGE_UNSPECIFIED);
  EXPECT_FALSE(p.investor().fortune500());
  EXPECT_FALSE(p.provincial_key());
  EXPECT_FALSE(p.synthetic());
  EXPECT_EQ(p.fixed_asset_investment_yuan(), 0);
  EXPECT_EQ(p.total_investment_yuan(), 30000000);
  EXPECT_EQ(p.investor().origin(), v1::INVESTOR_ORIGIN_IN_PROVINCE);
  EXPECT_EQ(p.source(), v1::PROJECT_SOURCE_TALENT);
}

TEST(ProjectCsvRow, TrimsCellsAndListItemsAndDropsRepeatedProvinceChains) {
  auto row = GoodRowWith("province_chains", " icv-nev ; new-energy-low-carbon;;icv-nev; ");
  row[*FullLayout().Find("external_id")] = "  CZ-PV-0001 ";
  absl::StatusOr<v1::ImportRow> parsed = ParseProjectRow(FullLayout(), row, 3);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->project().external_id(), "CZ-PV-0001");
  EXPECT_THAT(parsed->project().province_chains(), ElementsAre("icv-nev", "new-energy-low-carbon"));
}

// --- amounts --------------------------------------------------------------------------------

TEST(ProjectCsvAmount, ReadsPlainYuanAndTheUnitsYiAndWanExactly) {
  struct Case {
    const char* text;
    int64_t yuan;
  } cases[] = {
      {"1250000000", 1250000000},
      {"12.5亿", 1250000000},
      {"12.5 亿", 1250000000},
      {"100亿", 10000000000},
      {"0.00000001亿", 1},
      {"1.23456789亿", 123456789},
      {"800万", 8000000},
      {"0.5万", 5000},
      {"3.1415万", 31415},
      {"2.50万", 25000},
      {"0", 0},
      {"007", 7},
      {"1.000", 1},
      {"92233720368.54775807亿", 9223372036854775807},
  };
  for (const Case& c : cases) {
    absl::StatusOr<int64_t> yuan = ParseYuanAmount("total_investment_yuan", c.text);
    ASSERT_TRUE(yuan.ok()) << c.text << ": " << yuan.status();
    EXPECT_EQ(*yuan, c.yuan) << c.text;
  }
}

TEST(ProjectCsvAmount, RefusesFractionsOfAYuan) {
  for (const char* text :
       {"0.000000001亿", "1.23456789012亿", "0.00001万", "1.5", "12.345678901亿"}) {
    absl::StatusOr<int64_t> yuan = ParseYuanAmount("total_investment_yuan", text);
    ASSERT_FALSE(yuan.ok()) << text;
    EXPECT_THAT(std::string(yuan.status().message()), HasSubstr("a fraction of a yuan")) << text;
  }
}

TEST(ProjectCsvAmount, RefusesWhatIsNotANumberNamingTheColumn) {
  for (const char* text : {"1.2.3", "-5", "+5", "1e9", "1,000", "亿", "万", ".5亿", "5.亿",
                           "12亿万", "12元", "twelve", "１２"}) {
    absl::StatusOr<int64_t> yuan = ParseYuanAmount("fixed_asset_investment_yuan", text);
    ASSERT_FALSE(yuan.ok()) << text;
    EXPECT_EQ(yuan.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(Violations(yuan.status()),
                ElementsAre(StartsWith("fixed_asset_investment_yuan: must be a whole number of "
                                       "yuan, got '")))
        << text;
  }
}

TEST(ProjectCsvAmount, RefusesMoreThanInt64Holds) {
  for (const char* text : {"9223372036854775808", "92233720368.54775808亿", "100000000000000亿",
                           "99999999999999999999999999"}) {
    absl::StatusOr<int64_t> yuan = ParseYuanAmount("total_investment_yuan", text);
    ASSERT_FALSE(yuan.ok()) << text;
    EXPECT_THAT(std::string(yuan.status().message()), HasSubstr("must be at most")) << text;
  }
}

TEST(ProjectCsvRow, ReportsABadAmountWithTheRowTheColumnAndTheRule) {
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(FullLayout(), GoodRowWith("total_investment_yuan", "1.2.3"), 12);
  ASSERT_FALSE(row.ok());
  EXPECT_EQ(row.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(row.status().message()),
              StartsWith("row 12: total_investment_yuan: must be a whole number of yuan, got "
                         "'1.2.3'"));
  EXPECT_THAT(Violations(row.status()),
              ElementsAre(StartsWith("total_investment_yuan: must be a whole number")));
}

TEST(ProjectCsvRow, ReadsAmountUnitsInEveryAmountColumn) {
  auto cells = GoodCells();
  for (auto& [c, v] : cells) {
    if (c == "total_investment_yuan") v = "120亿";
    if (c == "fixed_asset_investment_yuan") v = "95.5亿";
    if (c == "annual_planned_investment_yuan") v = "30000万";
  }
  absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), Row(cells), 2);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->project().total_investment_yuan(), 12000000000);
  EXPECT_EQ(row->project().fixed_asset_investment_yuan(), 9550000000);
  EXPECT_EQ(row->project().annual_planned_investment_yuan(), 300000000);
}

// --- enums and flags ------------------------------------------------------------------------

TEST(ProjectCsvRow, ReadsInvestorOriginsInEnglishAndChinese) {
  const std::pair<const char*, v1::InvestorOrigin> cases[] = {
      {"IN_PROVINCE", v1::INVESTOR_ORIGIN_IN_PROVINCE},
      {"省内", v1::INVESTOR_ORIGIN_IN_PROVINCE},
      {"out_of_province", v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE},
      {"省外", v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE},
      {"INVESTOR_ORIGIN_FOREIGN", v1::INVESTOR_ORIGIN_FOREIGN},
      {"境外", v1::INVESTOR_ORIGIN_FOREIGN},
  };
  for (const auto& [text, origin] : cases) {
    absl::StatusOr<v1::ImportRow> row =
        ParseProjectRow(FullLayout(), GoodRowWith("investor_origin", text), 2);
    ASSERT_TRUE(row.ok()) << text << ": " << row.status();
    EXPECT_EQ(row->project().investor().origin(), origin) << text;
  }
}

TEST(ProjectCsvRow, ReadsSourcesInEnglishAndChinese) {
  const std::pair<const char*, v1::ProjectSource> cases[] = {
      {"INVESTMENT", v1::PROJECT_SOURCE_INVESTMENT},
      {"招商引资", v1::PROJECT_SOURCE_INVESTMENT},
      {"talent", v1::PROJECT_SOURCE_TALENT},
      {"PROJECT_SOURCE_TALENT", v1::PROJECT_SOURCE_TALENT},
      {"招才引智", v1::PROJECT_SOURCE_TALENT},
  };
  for (const auto& [text, source] : cases) {
    absl::StatusOr<v1::ImportRow> row =
        ParseProjectRow(FullLayout(), GoodRowWith("source", text), 2);
    ASSERT_TRUE(row.ok()) << text << ": " << row.status();
    EXPECT_EQ(row->project().source(), source) << text;
  }
}

TEST(ProjectCsvRow, ReadsEveryLineStageInEnglishAndChinese) {
  const std::pair<const char*, v1::Stage> cases[] = {
      {"NEGOTIATING", v1::STAGE_NEGOTIATING},
      {"在谈", v1::STAGE_NEGOTIATING},
      {"signed", v1::STAGE_SIGNED},
      {"签约", v1::STAGE_SIGNED},
      {"REGISTERED", v1::STAGE_REGISTERED},
      {"注册", v1::STAGE_REGISTERED},
      {"STAGE_STARTED", v1::STAGE_STARTED},
      {"开工", v1::STAGE_STARTED},
      {"IN_PRODUCTION", v1::STAGE_IN_PRODUCTION},
      {"投产", v1::STAGE_IN_PRODUCTION},
      {"FULL_OUTPUT", v1::STAGE_FULL_OUTPUT},
      {"达产", v1::STAGE_FULL_OUTPUT},
  };
  for (const auto& [text, stage] : cases) {
    absl::StatusOr<v1::ImportRow> row =
        ParseProjectRow(FullLayout(), GoodRowWith("stage", text), 2);
    ASSERT_TRUE(row.ok()) << text << ": " << row.status();
    EXPECT_EQ(row->project().stage(), stage) << text;
  }
}

TEST(ProjectCsvRow, RefusesStallingOrCancellingAsAnImportStage) {
  for (const char* text : {"STALLED", "CANCELLED", "停滞", "终止", "UNSPECIFIED", "STAGE_"}) {
    absl::StatusOr<v1::ImportRow> row =
        ParseProjectRow(FullLayout(), GoodRowWith("stage", text), 7);
    ASSERT_FALSE(row.ok()) << text;
    EXPECT_THAT(std::string(row.status().message()),
                StartsWith("row 7: stage: must be one of NEGOTIATING (在谈)"))
        << text;
  }
}

TEST(ProjectCsvRow, ReadsFlagsAsTrueFalseOneZeroOrShiFou) {
  const std::pair<const char*, bool> cases[] = {{"true", true}, {"TRUE", true},   {"1", true},
                                                {"是", true},   {"false", false}, {"0", false},
                                                {"否", false},  {"", false}};
  for (const auto& [text, value] : cases) {
    auto cells = GoodCells();
    for (auto& [c, v] : cells) {
      if (c == "fortune500" || c == "provincial_key" || c == "synthetic") v = text;
    }
    absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), Row(cells), 2);
    ASSERT_TRUE(row.ok()) << text << ": " << row.status();
    EXPECT_EQ(row->project().investor().fortune500(), value) << text;
    EXPECT_EQ(row->project().provincial_key(), value) << text;
    EXPECT_EQ(row->project().synthetic(), value) << text;
  }
}

// --- bad cells ------------------------------------------------------------------------------

TEST(ProjectCsvRow, NamesEachBadEnumOrFlagColumn) {
  const std::pair<const char*, const char*> cases[] = {
      {"investor_origin", "外省"}, {"source", "招商"},     {"fortune500", "yes"},
      {"provincial_key", "Y"},     {"synthetic", "maybe"}, {"stage", "施工"},
  };
  for (const auto& [column, text] : cases) {
    absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), GoodRowWith(column, text), 4);
    ASSERT_FALSE(row.ok()) << column;
    std::vector<FieldViolation> v = FieldViolationsOf(row.status());
    ASSERT_EQ(v.size(), 1u) << column;
    EXPECT_EQ(v[0].field, column);
    EXPECT_THAT(v[0].rule, HasSubstr(std::string("got '") + text + "'"));
    EXPECT_THAT(std::string(row.status().message()),
                StartsWith(std::string("row 4: ") + column + ": "));
  }
}

TEST(ProjectCsvRow, RefusesEmptyRequiredCells) {
  for (const std::string& column : RequiredProjectColumns()) {
    absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), GoodRowWith(column, " "), 5);
    ASSERT_FALSE(row.ok()) << column;
    EXPECT_THAT(Violations(row.status()), ElementsAre(column + ": must not be empty"));
  }
}

TEST(ProjectCsvRow, RefusesBadChainNodeAndDepartmentNames) {
  EXPECT_THAT(Violations(ParseProjectRow(FullLayout(), GoodRowWith("chain", "光伏"), 2).status()),
              ElementsAre(HasSubstr("chain: must be a chain id like pv")));
  EXPECT_THAT(
      Violations(ParseProjectRow(FullLayout(), GoodRowWith("chain", "chains/PV"), 2).status()),
      ElementsAre(HasSubstr("chain: must be a chain id like pv")));
  EXPECT_THAT(Violations(ParseProjectRow(FullLayout(), GoodRowWith("node", "Wafer"), 2).status()),
              ElementsAre(HasSubstr("node: must be a node id")));
  EXPECT_THAT(
      Violations(ParseProjectRow(FullLayout(), GoodRowWith("node", "chains/pv/wafer"), 2).status()),
      ElementsAre(HasSubstr("node: must be a node id like silicon-wafer or a node name")));
  EXPECT_THAT(
      Violations(ParseProjectRow(FullLayout(), GoodRowWith("responsible_department", "市发改委"), 2)
                     .status()),
      ElementsAre(HasSubstr("responsible_department: must be a department id like fgw")));
}

TEST(ProjectCsvRow, RefusesANodeOfAnotherChain) {
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(FullLayout(), GoodRowWith("node", "chains/nev-battery/nodes/anode"), 9);
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(Violations(row.status()), ElementsAre("node: must be a node of chains/pv, got "
                                                    "'chains/nev-battery/nodes/anode'"));
}

TEST(ProjectCsvRow, RefusesBadProvinceChainIds) {
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(FullLayout(), GoodRowWith("province_chains", "icv-nev;先进光伏"), 2);
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(Violations(row.status()),
              ElementsAre(HasSubstr("province_chains: '先进光伏' is not a province chain id")));
}

TEST(ProjectCsvRow, RefusesABadCreditCodeCheckCharacter) {
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(FullLayout(), GoodRowWith("investor_credit_code", "91341125071300609C"), 2);
  ASSERT_FALSE(row.ok());
  std::vector<FieldViolation> v = FieldViolationsOf(row.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "investor_credit_code");
}

TEST(ProjectCsvRow, RefusesDatesThatAreNotRealCalendarDates) {
  for (const char* column :
       {"planned_start_date", "negotiating_date", "signed_date", "registered_date", "started_date",
        "in_production_date", "full_output_date"}) {
    for (const char* text : {"2026-02-30", "2026/03/01", "20260301", "2026-3-1"}) {
      absl::StatusOr<v1::ImportRow> row =
          ParseProjectRow(FullLayout(), GoodRowWith(column, text), 2);
      ASSERT_FALSE(row.ok()) << column << " " << text;
      EXPECT_THAT(
          Violations(row.status()),
          ElementsAre(std::string(column) + ": must be a date YYYY-MM-DD, got '" + text + "'"));
    }
  }
}

TEST(ProjectCsvRow, ReportsEveryBadCellOfARowAtOnce) {
  auto cells = GoodCells();
  for (auto& [c, v] : cells) {
    if (c == "chain") v = "PV!";
    if (c == "investor_origin") v = "abroad";
    if (c == "total_investment_yuan") v = "12,5亿";
    if (c == "signed_date") v = "2024-13-01";
  }
  absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), Row(cells), 31);
  ASSERT_FALSE(row.ok());
  std::vector<FieldViolation> v = FieldViolationsOf(row.status());
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].field, "chain");
  EXPECT_EQ(v[1].field, "investor_origin");
  EXPECT_EQ(v[2].field, "total_investment_yuan");
  EXPECT_EQ(v[3].field, "signed_date");
  EXPECT_THAT(std::string(row.status().message()), StartsWith("row 31: chain: "));
  EXPECT_THAT(std::string(row.status().message()),
              HasSubstr("; investor_origin: must be one of IN_PROVINCE"));
}

TEST(ProjectCsvRow, RefusesCellsThatAreNotUtf8) {
  // 来安县 in GBK, as a spreadsheet saved in the legacy encoding would hold it.
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(FullLayout(), GoodRowWith("county", "\xC0\xB4\xB0\xB2\xCF\xD8"), 6);
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(Violations(row.status()), ElementsAre(HasSubstr("county: is not UTF-8 text")));
}

TEST(ProjectCsvRow, RefusesARowWithADifferentNumberOfFieldsThanTheHeader) {
  std::vector<std::string> fields = Row(GoodCells());
  fields.pop_back();
  absl::StatusOr<v1::ImportRow> row = ParseProjectRow(FullLayout(), fields, 8);
  ASSERT_FALSE(row.ok());
  EXPECT_THAT(std::string(row.status().message()),
              StartsWith("row 8: row: has 26 fields but the header has 27"));
}

TEST(ProjectCsvRow, CutsVeryLongCellsInMessages) {
  const std::string long_text(500, '9');
  absl::StatusOr<v1::ImportRow> row =
      ParseProjectRow(FullLayout(), GoodRowWith("total_investment_yuan", long_text + "x"), 2);
  ASSERT_FALSE(row.ok());
  EXPECT_LT(row.status().message().size(), 200u);
  EXPECT_THAT(std::string(row.status().message()), HasSubstr("…'"));
}

}  // namespace
}  // namespace chainhub::chainctl
