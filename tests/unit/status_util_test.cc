#include "common/base/status_util.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace chainhub {
namespace {

using ::testing::HasSubstr;
using ::testing::Le;

TEST(ShownValue, ShowsAShortCleanValueAsItIs) {
  EXPECT_EQ(ShownValue("chains/PV"), "chains/PV");
  EXPECT_EQ(ShownValue("光伏"), "光伏");
  EXPECT_EQ(Quoted("chains/PV"), "'chains/PV'");
  EXPECT_EQ(Quoted(""), "''");
}

TEST(ShownValue, CutsALongValueAfterItsFirstCharactersAndGivesItsSize) {
  EXPECT_EQ(ShownValue(std::string(3000, 'a')), std::string(32, 'a') + "… (3000 bytes)");
  EXPECT_EQ(Quoted(std::string(3000, 'a')), "'" + std::string(32, 'a') + "…' (3000 bytes)");
  EXPECT_EQ(ShownValue(std::string(33, 'a')), std::string(32, 'a') + "… (33 bytes)");
  EXPECT_EQ(ShownValue(std::string(32, 'a')), std::string(32, 'a'));
  EXPECT_EQ(ShownValue(std::string(200, 'a'), 128), std::string(128, 'a') + "… (200 bytes)");
}

TEST(ShownValue, CutsOnACharacterBoundary) {
  std::string value;
  for (int i = 0; i < 40; ++i) value += "光";
  std::string shown;
  for (int i = 0; i < 32; ++i) shown += "光";
  EXPECT_EQ(ShownValue(value), shown + "… (120 bytes)");
}

TEST(ShownValue, EscapesControlsStrayBytesAndBidiControls) {
  EXPECT_EQ(Quoted(std::string("\x00\x01", 2)), "'\\x00\\x01'");
  EXPECT_EQ(Quoted("a\nb\x7f"), "'a\\x0ab\\x7f'");
  EXPECT_EQ(Quoted("\xff\xe5\x85"), "'\\xff\\xe5\\x85'");
  EXPECT_EQ(Quoted("\xc2\x85"), "'<U+0085>'");
  EXPECT_EQ(Quoted("abc\u202Eexe.gpj"), "'abc<U+202E>exe.gpj'");
}

TEST(ShownValue, StaysShortForAMegabyteOfHostileBytes) {
  std::string value(1 << 20, '\x01');
  EXPECT_THAT(Quoted(value).size(), Le(32u * 4 + 40));
}

TEST(InvalidFields, ListsAtMostTenViolationsAndCountsTheRest) {
  std::vector<FieldViolation> v;
  for (int i = 0; i < 25; ++i) v.push_back({absl::StrCat("f", i), "must not be empty"});
  absl::Status s = InvalidFields(v);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("f9: must not be empty; and 15 more"));
  EXPECT_THAT(std::string(s.message()), ::testing::Not(HasSubstr("f10:")));
  EXPECT_EQ(FieldViolationsOf(s).size(), kMaxFieldViolations);
}

TEST(NotFound, ShowsAResourceNameWholeButNotAHugeOne) {
  EXPECT_EQ(NotFound("Chain", "chains/pv").message(), "chains/pv not found");
  absl::Status s = NotFound("ProvinceList", "provinceLists/" + std::string(1 << 20, 'x'));
  EXPECT_THAT(s.message().size(), Le(kShownNameChars + 40));
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_THAT(g.error_details().size(), Le(3 * kShownNameChars + 100));
}

TEST(ToGrpcStatus, BoundsTheMessageAndMakesItValidUtf8) {
  absl::Status s = absl::InvalidArgumentError(std::string(100000, 'x') + "\xff");
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(g.error_message().size(), Le(kMaxStatusMessageBytes));
  EXPECT_THAT(g.error_message(), ::testing::EndsWith("…"));
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  EXPECT_EQ(rpc.message(), g.error_message());

  grpc::Status stray = ToGrpcStatus(absl::NotFoundError("a\xff"));
  EXPECT_EQ(stray.error_message(), "a\\xff");
}

TEST(ToGrpcStatus, DropsOversizedDetailsButKeepsTheCodeAndMessage) {
  absl::Status s = absl::FailedPreconditionError("too big");
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(kMaxStatusDetailsBytes + 1, 'r'));
  s.SetPayload("type.googleapis.com/google.rpc.ErrorInfo", absl::Cord(info.SerializeAsString()));
  grpc::Status g = ToGrpcStatus(s);
  EXPECT_EQ(g.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(g.error_message(), "too big");
  google::rpc::Status rpc;
  ASSERT_TRUE(rpc.ParseFromString(g.error_details()));
  EXPECT_EQ(rpc.details_size(), 0);
}

TEST(ToGrpcStatus, KeepsDetailsOfAnOrdinaryRefusalForTheClient) {
  absl::Status back = FromGrpcStatus(ToGrpcStatus(InvalidField("name", "must be chains/{chain}")));
  ASSERT_EQ(FieldViolationsOf(back).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(back)[0].field, "name");
}

}  // namespace
}  // namespace chainhub
