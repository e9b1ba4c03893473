#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/assessment_csv.h"

namespace chainhub::chainctl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

CsvRecord Record(int line, std::vector<std::string> fields) {
  CsvRecord r;
  r.line = line;
  r.fields = std::move(fields);
  return r;
}

InputLayout Layout(InputFile file, std::vector<std::string> header) {
  absl::StatusOr<InputLayout> layout = ParseInputHeader(file, header);
  EXPECT_TRUE(layout.ok()) << layout.status();
  return layout.ok() ? *layout : InputLayout{};
}

TEST(AssessmentCsv, HeaderColumnsMayComeInAnyOrderAndCase) {
  InputLayout layout = Layout(InputFile::kTargets, {" Value", "PERIOD", "indicator", "subject"});
  EXPECT_EQ(layout.width, 4u);
  EXPECT_EQ(layout.column.at("value"), 0u);
  EXPECT_EQ(layout.column.at("subject"), 3u);
}

TEST(AssessmentCsv, HeaderNamesEveryUnknownRepeatedAndMissingColumn) {
  absl::StatusOr<InputLayout> layout =
      ParseInputHeader(InputFile::kValues, {"subject", "indicator", "indicator", "amount"});
  ASSERT_FALSE(layout.ok());
  EXPECT_EQ(layout.status().message(),
            "column \"indicator\" appears twice; unknown column \"amount\"; column \"period\" is "
            "required; column \"value\" is required; column \"evidence\" is required (known: "
            "subject, indicator, period, value, evidence)");
  // Evidence belongs to values, not to targets.
  EXPECT_FALSE(
      ParseInputHeader(InputFile::kTargets, {"subject", "indicator", "period", "value", "evidence"})
          .ok());
}

TEST(AssessmentCsv, ATargetRowCompletesShortNamesAndReadsTheValue) {
  InputLayout layout = Layout(InputFile::kTargets, {"subject", "indicator", "period", "value"});
  InputRow row =
      ParseInputRow(InputFile::kTargets, layout, Record(3, {" pv ", "output", "2026", " 1700.00"}));
  EXPECT_THAT(row.error, IsEmpty());
  EXPECT_EQ(row.line, 3);
  EXPECT_EQ(row.subject, "chains/pv");
  EXPECT_EQ(row.indicator, "indicators/output");
  EXPECT_EQ(row.period, "2026");
  EXPECT_DOUBLE_EQ(row.value, 1700);
  const auto req = TargetRequest(row);
  EXPECT_EQ(req.target().subject(), "chains/pv");
  EXPECT_EQ(req.target().indicator(), "indicators/output");
  EXPECT_EQ(req.target().period(), "2026");
  EXPECT_DOUBLE_EQ(req.target().value(), 1700);
}

TEST(AssessmentCsv, FullNamesStayAsTheyAre) {
  InputLayout layout = Layout(InputFile::kTargets, {"subject", "indicator", "period", "value"});
  InputRow row = ParseInputRow(InputFile::kTargets, layout,
                               Record(2, {"counties/来安县", "indicators/tax", "2026-Q3", "9"}));
  EXPECT_EQ(row.subject, "counties/来安县");
  EXPECT_EQ(row.indicator, "indicators/tax");
}

TEST(AssessmentCsv, ARowNamesEveryEmptyCellAndABadNumber) {
  InputLayout layout =
      Layout(InputFile::kValues, {"subject", "indicator", "period", "value", "evidence"});
  InputRow row =
      ParseInputRow(InputFile::kValues, layout, Record(7, {"pv", "", "2026-Q1", "12亿", " "}));
  EXPECT_EQ(row.error,
            "INVALID_ARGUMENT: indicator: must not be empty; value: must be a number, got '12亿'; "
            "evidence: must not be empty");
}

TEST(AssessmentCsv, AMalformedRecordOrTheWrongNumberOfFieldsIsRefused) {
  InputLayout layout = Layout(InputFile::kTargets, {"subject", "indicator", "period", "value"});
  InputRow short_row =
      ParseInputRow(InputFile::kTargets, layout, Record(4, {"pv", "output", "2026"}));
  EXPECT_EQ(short_row.error, "INVALID_ARGUMENT: row: has 3 fields but the header has 4");
  CsvRecord broken = Record(5, {"pv"});
  broken.error = "text after a closing quote";
  EXPECT_EQ(ParseInputRow(InputFile::kTargets, layout, broken).error,
            "INVALID_ARGUMENT: text after a closing quote");
}

TEST(AssessmentCsv, AValueRowCarriesItsEvidenceAndARequestIdFromItsContent) {
  InputLayout layout =
      Layout(InputFile::kValues, {"subject", "indicator", "period", "value", "evidence"});
  InputRow row = ParseInputRow(InputFile::kValues, layout,
                               Record(2, {"pv", "output", "2026-Q1", "302.47", "经信局季报"}));
  ASSERT_THAT(row.error, IsEmpty());
  const auto req = ValueRequest(row);
  EXPECT_EQ(req.value().subject(), "chains/pv");
  EXPECT_EQ(req.value().indicator(), "indicators/output");
  EXPECT_EQ(req.value().period(), "2026-Q1");
  EXPECT_DOUBLE_EQ(req.value().value(), 302.47);
  EXPECT_EQ(req.value().evidence(), "经信局季报");
  EXPECT_THAT(req.request_id(), StartsWith("value:"));
  EXPECT_EQ(req.request_id().size(), 6u + 32u);
}

TEST(AssessmentCsv, TheSameValueGivesTheSameRequestIdAndAnyChangeAnother) {
  InputLayout layout =
      Layout(InputFile::kValues, {"subject", "indicator", "period", "value", "evidence"});
  auto id = [&](std::vector<std::string> fields) {
    return ValueRequest(ParseInputRow(InputFile::kValues, layout, Record(2, std::move(fields))))
        .request_id();
  };
  const std::string first = id({"pv", "output", "2026-Q1", "302.47", "季报"});
  // The same row elsewhere in the file, written with the long names and another spelling of the
  // number: the same report.
  EXPECT_EQ(id({"chains/pv", "indicators/output", "2026-Q1", "302.470", "季报"}), first);
  EXPECT_NE(id({"pv", "output", "2026-Q1", "302.48", "季报"}), first);
  EXPECT_NE(id({"pv", "output", "2026-Q1", "302.47", "季报（修订）"}), first);
  EXPECT_NE(id({"pv", "output", "2026-Q2", "302.47", "季报"}), first);
  EXPECT_NE(id({"pv", "tax", "2026-Q1", "302.47", "季报"}), first);
}

}  // namespace
}  // namespace chainhub::chainctl
