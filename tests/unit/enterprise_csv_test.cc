#include "tools/chainctl/enterprise_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/base/status_util.h"

namespace chainhub::chainctl {
namespace {

using registry::v1::ENTERPRISE_LABEL_ABOVE_SIZE;
using registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER;
using registry::v1::ENTERPRISE_LABEL_HIGH_TECH;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Valid 统一社会信用代码 from data/enterprises.csv (synthetic firms).
constexpr char kCode[] = "91341125071300609B";
constexpr char kOtherCode[] = "91341126MA2PM5CG42";

const std::vector<std::string> kFullHeader = {
    "credit_code", "display_name",       "county",      "park",
    "labels",      "annual_output_yuan", "memberships", "province_category_override",
    "synthetic",   "founding_date"};

EnterpriseColumns FullColumns() {
  absl::StatusOr<EnterpriseColumns> columns = MapEnterpriseHeader(kFullHeader);
  EXPECT_TRUE(columns.ok()) << columns.status();
  return *columns;
}

std::vector<std::string> GoodRow() {
  return {kCode,
          "定远博腾矿业股份有限公司",
          "定远县",
          "定远经济开发区",
          "CHAIN_OWNER;ABOVE_SIZE;HIGH_TECH",
          "13528680000",
          "chains/pv/nodes/quartz-sand",
          "",
          "true",
          "1999-01-26"};
}

// The "<field>: <rule>" violations of a failed conversion.
std::vector<std::string> Violations(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldViolation& v : FieldViolationsOf(status)) out.push_back(v.field + ": " + v.rule);
  return out;
}

TEST(EnterpriseCsvHeader, MapsTheSeedFileHeaderInAnyOrder) {
  absl::StatusOr<EnterpriseColumns> columns =
      MapEnterpriseHeader({" Display_Name ", "synthetic", "credit_code"});
  ASSERT_TRUE(columns.ok()) << columns.status();
  EXPECT_EQ(columns->display_name, 0u);
  EXPECT_EQ(columns->synthetic, 1u);
  EXPECT_EQ(columns->credit_code, 2u);
  EXPECT_FALSE(columns->labels.has_value());
  EXPECT_EQ(columns->width, 3u);
}

TEST(EnterpriseCsvHeader, RefusesAnUnknownColumnNamingIt) {
  absl::StatusOr<EnterpriseColumns> columns =
      MapEnterpriseHeader({"credit_code", "display_name", "revenue"});
  ASSERT_FALSE(columns.ok());
  EXPECT_EQ(columns.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(columns.status().message(), HasSubstr("unknown column \"revenue\""));
}

TEST(EnterpriseCsvHeader, RefusesARepeatedColumn) {
  absl::StatusOr<EnterpriseColumns> columns =
      MapEnterpriseHeader({"credit_code", "display_name", "county", "COUNTY"});
  ASSERT_FALSE(columns.ok());
  EXPECT_THAT(columns.status().message(), HasSubstr("\"county\" appears twice"));
}

TEST(EnterpriseCsvHeader, RequiresCreditCodeAndDisplayName) {
  absl::StatusOr<EnterpriseColumns> columns = MapEnterpriseHeader({"county", "park"});
  ASSERT_FALSE(columns.ok());
  EXPECT_THAT(Violations(columns.status()),
              ElementsAre("header: column \"credit_code\" is required",
                          "header: column \"display_name\" is required"));
}

TEST(EnterpriseCsvRow, ConvertsEveryColumnOfAGoodRow) {
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), GoodRow());
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->name(), std::string("enterprises/") + kCode);
  EXPECT_EQ(e->credit_code(), kCode);
  EXPECT_EQ(e->display_name(), "定远博腾矿业股份有限公司");
  EXPECT_EQ(e->county(), "定远县");
  EXPECT_EQ(e->park(), "定远经济开发区");
  EXPECT_THAT(e->labels(), ElementsAre(ENTERPRISE_LABEL_CHAIN_OWNER, ENTERPRISE_LABEL_ABOVE_SIZE,
                                       ENTERPRISE_LABEL_HIGH_TECH));
  EXPECT_EQ(e->annual_output_yuan(), 13528680000);
  EXPECT_THAT(e->memberships(), ElementsAre("chains/pv/nodes/quartz-sand"));
  EXPECT_TRUE(e->province_category_override().empty());
  EXPECT_TRUE(e->synthetic());
}

TEST(EnterpriseCsvRow, ReadsTheFoundingDateAndRefusesABadOne) {
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), GoodRow());
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->founding_date(), "1999-01-26");
  std::vector<std::string> row = GoodRow();
  row.back() = "1999-02-30";
  e = EnterpriseFromCsvRow(FullColumns(), row);
  EXPECT_EQ(Violations(e.status()),
            std::vector<std::string>{"founding_date: must be a date YYYY-MM-DD from 1900 on"});
}

TEST(EnterpriseCsvRow, LeavesAbsentOptionalColumnsAtTheirDefaults) {
  absl::StatusOr<EnterpriseColumns> columns = MapEnterpriseHeader({"display_name", "credit_code"});
  ASSERT_TRUE(columns.ok());
  absl::StatusOr<registry::v1::Enterprise> e =
      EnterpriseFromCsvRow(*columns, {"滁州某某科技有限公司", kOtherCode});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->credit_code(), kOtherCode);
  EXPECT_EQ(e->annual_output_yuan(), 0);
  EXPECT_TRUE(e->labels().empty());
  EXPECT_FALSE(e->synthetic());
}

TEST(EnterpriseCsvRow, TrimsCellsAndListItemsAndDropsRepeats) {
  std::vector<std::string> row = GoodRow();
  row[0] = std::string("  ") + kCode + " ";
  row[4] = " high_tech ; ENTERPRISE_LABEL_HEAD;;HIGH_TECH; ";
  row[6] =
      "chains/pv/nodes/quartz-sand; chains/nev-battery/nodes/anode ;chains/pv/nodes/quartz-sand";
  row[7] = "icv-nev;";
  row[8] = " FALSE ";
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), row);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->credit_code(), kCode);
  EXPECT_THAT(e->labels(),
              ElementsAre(ENTERPRISE_LABEL_HIGH_TECH, registry::v1::ENTERPRISE_LABEL_HEAD));
  EXPECT_THAT(e->memberships(),
              ElementsAre("chains/pv/nodes/quartz-sand", "chains/nev-battery/nodes/anode"));
  EXPECT_THAT(e->province_category_override(), ElementsAre("icv-nev"));
  EXPECT_FALSE(e->synthetic());
}

TEST(EnterpriseCsvRow, RefusesABadCheckCharacterNamingTheColumn) {
  std::vector<std::string> row = GoodRow();
  row[0] = "91341125071300609C";  // the right check character is B
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), row);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> v = FieldViolationsOf(e.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "credit_code");
}

TEST(EnterpriseCsvRow, RefusesAnEmptyCreditCodeAndDisplayName) {
  std::vector<std::string> row = GoodRow();
  row[0] = " ";
  row[1] = "";
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), row);
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(Violations(e.status()),
              ElementsAre("credit_code: must not be empty", "display_name: must not be empty"));
}

TEST(EnterpriseCsvRow, ReportsEveryBadCellOfARowAtOnce) {
  std::vector<std::string> row = GoodRow();
  row[4] = "CHAIN_OWNER;LEADER";
  row[5] = "-5";
  row[6] = "chains/pv/quartz-sand";
  row[7] = "ICV NEV";
  row[8] = "maybe";
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), row);
  ASSERT_FALSE(e.ok());
  std::vector<FieldViolation> v = FieldViolationsOf(e.status());
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0].field, "labels");
  EXPECT_THAT(v[0].rule, HasSubstr("\"LEADER\""));
  EXPECT_EQ(v[1].field, "annual_output_yuan");
  EXPECT_EQ(v[1].rule, "must be >= 0");
  EXPECT_EQ(v[2].field, "memberships");
  EXPECT_THAT(v[2].rule, HasSubstr("chains/{chain}/nodes/{node}"));
  EXPECT_EQ(v[3].field, "province_category_override");
  EXPECT_EQ(v[4].field, "synthetic");
  // The status message names each column too, for printing as "line N: credit_code X: message".
  EXPECT_THAT(e.status().message(), HasSubstr("annual_output_yuan: must be >= 0"));
}

TEST(EnterpriseCsvRow, RefusesOutputThatIsNotAWholeNumberOfYuan) {
  for (const char* bad : {"1.5", "1e9", "+100", "12亿", "99999999999999999999"}) {
    std::vector<std::string> row = GoodRow();
    row[5] = bad;
    absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), row);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_THAT(Violations(e.status()),
                ElementsAre(HasSubstr("annual_output_yuan: must be a whole number of yuan")))
        << bad;
  }
}

TEST(EnterpriseCsvRow, RefusesUnspecifiedAsALabel) {
  std::vector<std::string> row = GoodRow();
  row[4] = "UNSPECIFIED";
  EXPECT_FALSE(EnterpriseFromCsvRow(FullColumns(), row).ok());
}

TEST(EnterpriseCsvRow, RefusesARowWithADifferentNumberOfFieldsThanTheHeader) {
  std::vector<std::string> row = GoodRow();
  row.pop_back();
  absl::StatusOr<registry::v1::Enterprise> e = EnterpriseFromCsvRow(FullColumns(), row);
  ASSERT_FALSE(e.ok());
  EXPECT_THAT(Violations(e.status()), ElementsAre("row: has 9 fields but the header has 10"));
}

TEST(EnterpriseCsvRow, RefusesMembershipIdsOutsideTheResourceIdRules) {
  for (const char* bad : {"chains/PV/nodes/wafer", "chains/pv/nodes/w", "chains/1pv/nodes/wafer",
                          "nodes/wafer", "chains/pv/nodes/wafer/extra"}) {
    std::vector<std::string> row = GoodRow();
    row[6] = bad;
    EXPECT_FALSE(EnterpriseFromCsvRow(FullColumns(), row).ok()) << bad;
  }
}

}  // namespace
}  // namespace chainhub::chainctl
