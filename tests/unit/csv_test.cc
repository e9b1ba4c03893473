#include "common/files/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace chainhub::chainctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<CsvRecord> MustParse(absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  EXPECT_TRUE(records.ok()) << records.status();
  return records.ok() ? *records : std::vector<CsvRecord>{};
}

TEST(Csv, SplitsPlainRecordsAndNumbersTheirLines) {
  auto records = MustParse("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "b", "c"));
  EXPECT_THAT(records[2].fields, ElementsAre("4", "5", "6"));
  EXPECT_EQ(records[0].line, 1);
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[2].line, 3);
}

TEST(Csv, AcceptsAMissingFinalLineBreak) {
  auto records = MustParse("a,b\n1,2");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
}

TEST(Csv, ReadsCrlfAndLoneCrLineEnds) {
  auto records = MustParse("a,b\r\n1,2\r\n3,4\r5,6");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_THAT(records[1].fields, ElementsAre("1", "2"));
  EXPECT_THAT(records[2].fields, ElementsAre("3", "4"));
  EXPECT_THAT(records[3].fields, ElementsAre("5", "6"));
  EXPECT_EQ(records[3].line, 4);
}

TEST(Csv, StripsAUtf8ByteOrderMark) {
  auto records = MustParse(
      "\xEF\xBB\xBF"
      "credit_code,display_name\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].fields[0], "credit_code");
}

TEST(Csv, KeepsCommasDoubledQuotesAndLineBreaksInsideQuotedFields) {
  auto records = MustParse("name,note\n\"滁州, 某某\",\"say \"\"hi\"\"\nand bye\"\nx,y\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[1].fields, ElementsAre("滁州, 某某", "say \"hi\"\nand bye"));
  EXPECT_EQ(records[1].line, 2);
  // The quoted line break moved the next record to line 4, and the line number says so.
  EXPECT_EQ(records[2].line, 4);
}

TEST(Csv, KeepsEmptyFieldsIncludingATrailingOne) {
  auto records = MustParse("a,,c,\n,,,\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(records[0].fields, ElementsAre("a", "", "c", ""));
  EXPECT_THAT(records[1].fields, ElementsAre("", "", "", ""));
}

TEST(Csv, ReadsAnEmptyQuotedField) {
  auto records = MustParse("\"\",b\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre("", "b"));
}

TEST(Csv, SkipsBlankLinesButCountsThem) {
  auto records = MustParse("a\n\n\r\nb\n\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields[0], "b");
  EXPECT_EQ(records[1].line, 4);
}

TEST(Csv, ParsesEmptyInputAsNoRecords) {
  EXPECT_THAT(MustParse(""), IsEmpty());
  EXPECT_THAT(MustParse("\xEF\xBB\xBF"), IsEmpty());
}

TEST(Csv, MarksTextAfterAClosingQuoteAndResumesOnTheNextLine) {
  auto records = MustParse("a,b\n\"x\"y,2\n3,4\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[1].error, HasSubstr("after the closing quote"));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_TRUE(records[2].error.empty());
  EXPECT_THAT(records[2].fields, ElementsAre("3", "4"));
  EXPECT_EQ(records[2].line, 3);
}

TEST(Csv, MarksAQuoteInsideAnUnquotedField) {
  auto records = MustParse("a,b\n1,x\"y\n5,6\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_THAT(records[1].error, HasSubstr("field 2"));
  EXPECT_THAT(records[1].error, HasSubstr("quote inside an unquoted field"));
  EXPECT_THAT(records[2].fields, ElementsAre("5", "6"));
}

TEST(Csv, RefusesAQuotedFieldThatIsNeverClosedNamingWhereItOpened) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(records.status().message(), HasSubstr("line 3"));
}

TEST(Csv, KeepsUtf8AndSpacesVerbatim) {
  auto records = MustParse(" 光伏 ,电池与组件\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_THAT(records[0].fields, ElementsAre(" 光伏 ", "电池与组件"));
}

TEST(Csv, ReadsTheSeedEnterprisesFileWithOneFieldCountThroughout) {
  // data/enterprises.csv is the file operators start from; every record must parse cleanly.
  std::string path = std::string(CHAINHUB_SOURCE_DIR) + "/data/enterprises.csv";
  FILE* f = fopen(path.c_str(), "rb");
  if (f == nullptr) GTEST_SKIP() << "no " << path;
  std::string bytes;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) bytes.append(buf, n);
  fclose(f);
  auto records = MustParse(bytes);
  ASSERT_GT(records.size(), 1u);
  for (const CsvRecord& r : records) {
    EXPECT_TRUE(r.error.empty()) << "line " << r.line << ": " << r.error;
    EXPECT_EQ(r.fields.size(), records[0].fields.size()) << "line " << r.line;
  }
}

// A file as people write them: the byte-order mark and the comment lines before the header go,
// and every record keeps the line an editor shows; a "#" after the header is data.
TEST(Csv, AFileSkipsItsLeadingCommentLinesAndKeepsTheEditorsLineNumbers) {
  auto records = ParseCsvFile("\xEF\xBB\xBF# SYNTHETIC sample\n# columns: a,b\na,b\n#1,2\n3,4\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("a", "b"));
  EXPECT_EQ((*records)[0].line, 3);
  EXPECT_THAT((*records)[1].fields, ElementsAre("#1", "2"));
  EXPECT_EQ((*records)[1].line, 4);
  EXPECT_EQ((*records)[2].line, 5);
  auto only_comments = ParseCsvFile("# nothing else");
  ASSERT_TRUE(only_comments.ok());
  EXPECT_THAT(*only_comments, IsEmpty());
}

// An unknown column's name is the caller's text: it is shown cut short, never whole.
TEST(Csv, AHeaderShowsAnUnknownLongColumnNameCutShort) {
  auto layout = ParseCsvHeader({"a", std::string(5000, 'z')}, {"a", "b"}, 1);
  ASSERT_FALSE(layout.ok());
  EXPECT_THAT(layout.status().message(), HasSubstr("unknown column \"zzz"));
  EXPECT_LT(layout.status().message().size(), 300u);
}

}  // namespace
}  // namespace chainhub::chainctl
