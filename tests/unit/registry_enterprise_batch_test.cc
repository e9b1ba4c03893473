#include <string>

#include <gtest/gtest.h>

#include "common/base/credit_code.h"
#include "services/registry/enterprise_batch.h"

namespace chainhub::registry {
namespace {

std::string Code(int n) {
  std::string first17 = "91341100MA2N0000" + std::to_string(n % 10);
  return first17 + *CreditCodeCheckChar(first17);
}

v1::Enterprise Row(const std::string& code) {
  v1::Enterprise e;
  e.set_credit_code(code);
  e.set_display_name("企业 " + code);
  return e;
}

TEST(CheckBatchSize, TakesOneToTheMostRows) {
  EXPECT_TRUE(CheckBatchSize(1).ok());
  EXPECT_TRUE(CheckBatchSize(kMaxBatchRows).ok());
}

TEST(CheckBatchSize, AnEmptyBatchIsInvalid) {
  EXPECT_EQ(CheckBatchSize(0).code(), absl::StatusCode::kInvalidArgument);
}

TEST(CheckBatchSize, ABatchPastTheLimitIsToBeSplit) {
  absl::Status s = CheckBatchSize(kMaxBatchRows + 1);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(std::string(s.message()),
            "enterprises: at most 1000 rows per call, got 1001; split the batch");
}

TEST(CheckBatchRows, ChecksEachRowOnItsOwnPath) {
  google::protobuf::RepeatedPtrField<v1::Enterprise> rows;
  *rows.Add() = Row(Code(1));
  *rows.Add() = Row("not-a-code");
  auto checked = CheckBatchRows(rows);
  ASSERT_EQ(checked.size(), 2u);
  EXPECT_TRUE(checked[0].ok()) << checked[0];
  EXPECT_EQ(checked[1].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(checked[1].message()).find("enterprises[1].credit_code"), std::string::npos)
      << checked[1];
}

TEST(CheckBatchRows, ARepeatedCreditCodeFailsTheLaterRowNamingTheFirst) {
  google::protobuf::RepeatedPtrField<v1::Enterprise> rows;
  *rows.Add() = Row(Code(1));
  *rows.Add() = Row(Code(2));
  *rows.Add() = Row(Code(1));
  auto checked = CheckBatchRows(rows);
  ASSERT_EQ(checked.size(), 3u);
  EXPECT_TRUE(checked[0].ok());
  EXPECT_TRUE(checked[1].ok());
  EXPECT_EQ(std::string(checked[2].message()),
            "enterprises[2].credit_code: duplicates row 0 of this batch");
}

TEST(CheckBatchRows, AnInvalidRowIsNoEarlierRowForTheDuplicateCheck) {
  google::protobuf::RepeatedPtrField<v1::Enterprise> rows;
  v1::Enterprise nameless = Row(Code(3));
  nameless.clear_display_name();
  *rows.Add() = nameless;
  *rows.Add() = Row(Code(3));
  auto checked = CheckBatchRows(rows);
  EXPECT_FALSE(checked[0].ok());
  EXPECT_TRUE(checked[1].ok()) << checked[1];
}

TEST(FailsOnlyItsRow, BadRowsAndForbiddenRowsDoNotFailTheBatch) {
  EXPECT_TRUE(FailsOnlyItsRow(absl::InvalidArgumentError("bad")));
  EXPECT_TRUE(FailsOnlyItsRow(absl::PermissionDeniedError("not yours")));
  EXPECT_FALSE(FailsOnlyItsRow(absl::UnavailableError("store down")));
  EXPECT_FALSE(FailsOnlyItsRow(absl::AbortedError("conflict")));
}

}  // namespace
}  // namespace chainhub::registry
