#include "tools/chainctl/progress_csv.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace chainhub::chainctl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

ProgressLayout MustParseHeader(const std::vector<std::string>& header) {
  absl::StatusOr<ProgressLayout> layout = ParseProgressHeader(header);
  EXPECT_TRUE(layout.ok()) << layout.status();
  return layout.ok() ? *layout : ProgressLayout{};
}

CsvRecord Record(int line, std::vector<std::string> fields) {
  return CsvRecord{.line = line, .fields = std::move(fields), .error = ""};
}

const std::vector<std::string> kHeader = {"external_id", "month", "cumulative_completed_yuan",
                                          "cumulative_funds_arrived_yuan", "note"};

TEST(ProgressCsv, HeaderIgnoresCaseAndSpacesAndLeavesTheNoteOut) {
  ProgressLayout layout = MustParseHeader(
      {" Month", "EXTERNAL_ID", "cumulative_funds_arrived_yuan", "cumulative_completed_yuan "});
  EXPECT_EQ(layout.width, 4u);
  EXPECT_EQ(layout.column.at("month"), 0u);
  EXPECT_EQ(layout.column.at("external_id"), 1u);
  EXPECT_FALSE(layout.column.contains("note"));
}

TEST(ProgressCsv, HeaderNamesEveryUnknownRepeatedAndMissingColumn) {
  absl::StatusOr<ProgressLayout> layout =
      ParseProgressHeader({"external_id", "month", "month", "amount"});
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.status().message(),
            "column \"month\" appears twice; unknown column \"amount\"; column "
            "\"cumulative_completed_yuan\" is required; column \"cumulative_funds_arrived_yuan\" "
            "is required (known: external_id, month, cumulative_completed_yuan, "
            "cumulative_funds_arrived_yuan, note)");
}

TEST(ProgressCsv, RowReadsAmountsInTheUnitsOfChineseReports) {
  ProgressRow row =
      ParseProgressRow(MustParseHeader(kHeader),
                       Record(7, {" CZXM-PV-0003 ", "2026-10", "31.5亿", "800万", "按期"}));
  EXPECT_THAT(row.error, IsEmpty());
  EXPECT_EQ(row.line, 7);
  EXPECT_EQ(row.external_id, "CZXM-PV-0003");
  EXPECT_EQ(row.report.month(), "2026-10");
  EXPECT_EQ(row.report.cumulative_completed_yuan(), 3'150'000'000);
  EXPECT_EQ(row.report.cumulative_funds_arrived_yuan(), 8'000'000);
  EXPECT_EQ(row.report.note(), "按期");
}

TEST(ProgressCsv, RowWithTheWrongNumberOfFieldsIsRefused) {
  ProgressRow row =
      ParseProgressRow(MustParseHeader(kHeader), Record(3, {"CZXM-PV-0003", "2026-10"}));
  EXPECT_EQ(row.external_id, "CZXM-PV-0003");
  EXPECT_EQ(row.error, "INVALID_ARGUMENT: row: has 2 fields but the header has 5");
}

TEST(ProgressCsv, RowTheReaderCouldNotSplitCarriesTheReadersError) {
  CsvRecord record = Record(4, {"CZXM-PV-0003"});
  record.error = "text after a closing quote";
  ProgressRow row = ParseProgressRow(MustParseHeader(kHeader), record);
  EXPECT_EQ(row.error, "INVALID_ARGUMENT: text after a closing quote");
}

TEST(ProgressCsv, RowNamesEveryBadCell) {
  ProgressRow row =
      ParseProgressRow(MustParseHeader(kHeader), Record(5, {"", "2026-10", "1.2.3", "", ""}));
  EXPECT_THAT(row.error, HasSubstr("INVALID_ARGUMENT: cumulative_completed_yuan: "));
  EXPECT_THAT(row.error, HasSubstr("; cumulative_funds_arrived_yuan: "));
  EXPECT_THAT(row.error, HasSubstr("; external_id: must not be empty"));
}

}  // namespace
}  // namespace chainhub::chainctl
