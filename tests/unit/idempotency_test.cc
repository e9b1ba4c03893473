#include "common/store/idempotency.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/time/clock.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/store/store.h"
#include "google/rpc/error_details.pb.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
namespace {

using chainhub::registry::v1::CreateEnterpriseRequest;

CreateEnterpriseRequest SampleRequest(const std::string& display_name) {
  CreateEnterpriseRequest request;
  request.set_request_id("req-1");
  request.mutable_enterprise()->set_credit_code("91330100716105852F");
  request.mutable_enterprise()->set_display_name(display_name);
  return request;
}

TEST(RequestDigest, IsSha256HexOfTheRequest) {
  std::string digest = RequestDigest(SampleRequest("滁州某某光伏科技有限公司"));
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(digest, RequestDigest(SampleRequest("滁州某某光伏科技有限公司")));
  EXPECT_NE(digest, RequestDigest(SampleRequest("来安某某新材料有限公司")));
  // An empty message serializes to no bytes: the digest is SHA-256 of "".
  EXPECT_EQ(RequestDigest(CreateEnterpriseRequest()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RequestDigest, DoesNotDependOnTheOrderMapsWereFilled) {
  google::rpc::ErrorInfo a;
  google::rpc::ErrorInfo b;
  for (int i = 0; i < 50; ++i) (*a.mutable_metadata())["k" + std::to_string(i)] = "v";
  for (int i = 49; i >= 0; --i) (*b.mutable_metadata())["k" + std::to_string(i)] = "v";
  EXPECT_EQ(RequestDigest(a), RequestDigest(b));
}

TEST(ValidateRequestId, AcceptsEmptyOnlyWhenOptional) {
  EXPECT_TRUE(ValidateRequestId("", false).ok());
  absl::Status status = ValidateRequestId("", true);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "request_id: is required");
}

TEST(ValidateRequestId, AcceptsUpTo128PrintableAsciiCharacters) {
  EXPECT_TRUE(ValidateRequestId("0190d5e2-7c1a-7b3e-9f00-1234567890ab", true).ok());
  EXPECT_TRUE(ValidateRequestId(std::string(128, 'x'), true).ok());
  EXPECT_EQ(ValidateRequestId(std::string(129, 'x'), true).message(),
            "request_id: must be at most 128 characters, got 129");
  EXPECT_EQ(ValidateRequestId("abc\ndef", true).message(),
            "request_id: must be printable ASCII; the byte at position 3 is not");
  EXPECT_EQ(ValidateRequestId("请求1", false).code(), absl::StatusCode::kInvalidArgument);
}

class IdempotencyOnSqlite : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.path = dir_.File("common.db");
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate("common", CommonMigrations()).ok());
  }

  absl::StatusOr<std::optional<std::string>> Lookup(const std::string& method,
                                                    const std::string& request_id,
                                                    const std::string& digest) {
    absl::StatusOr<std::optional<std::string>> result;
    absl::Status status = store_->Read([&](SqlTx& tx) {
      result = LookupIdempotent(tx, method, request_id, digest);
      return result.status();
    });
    if (!status.ok()) return status;
    return result;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IdempotencyOnSqlite, ReplaysTheStoredResponseForTheSameRequest) {
  // Binary, as a serialized proto is.
  const std::string response("\n\003abc\000\377", 7);
  ASSERT_TRUE(store_
                  ->Write([&](SqlTx& tx) {
                    auto found = LookupIdempotent(tx, "CreateEnterprise", "req-1", "d1");
                    if (!found.ok()) return found.status();
                    EXPECT_FALSE(found->has_value());
                    return RecordIdempotent(tx, "CreateEnterprise", "req-1", "d1", response,
                                            absl::Now());
                  })
                  .ok());
  auto replay = Lookup("CreateEnterprise", "req-1", "d1");
  ASSERT_TRUE(replay.ok()) << replay.status();
  ASSERT_TRUE(replay->has_value());
  EXPECT_EQ(**replay, response);
}

TEST_F(IdempotencyOnSqlite, RefusesTheSameIdWithADifferentRequest) {
  ASSERT_TRUE(store_
                  ->Write([&](SqlTx& tx) {
                    return RecordIdempotent(tx, "CreateEnterprise", "req-1", "d1", "r",
                                            absl::Now());
                  })
                  .ok());
  auto reused = Lookup("CreateEnterprise", "req-1", "d2");
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(reused.status().message(), "request_id: was used with a different request");
}

TEST_F(IdempotencyOnSqlite, KeysByMethodAndRequestId) {
  ASSERT_TRUE(store_
                  ->Write([&](SqlTx& tx) {
                    return RecordIdempotent(tx, "CreateEnterprise", "req-1", "d1", "r",
                                            absl::Now());
                  })
                  .ok());
  auto other_method = Lookup("CreateChain", "req-1", "d9");
  ASSERT_TRUE(other_method.ok()) << other_method.status();
  EXPECT_FALSE(other_method->has_value());
  auto other_id = Lookup("CreateEnterprise", "req-2", "d9");
  ASSERT_TRUE(other_id.ok()) << other_id.status();
  EXPECT_FALSE(other_id->has_value());
}

TEST_F(IdempotencyOnSqlite, RecordIsRolledBackWithAFailedWrite) {
  absl::Status status = store_->Write([&](SqlTx& tx) {
    absl::Status recorded =
        RecordIdempotent(tx, "CreateEnterprise", "req-1", "d1", "r", absl::Now());
    if (!recorded.ok()) return recorded;
    return absl::FailedPreconditionError("the change itself failed");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  auto after = Lookup("CreateEnterprise", "req-1", "d1");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE(after->has_value());
}

TEST_F(IdempotencyOnSqlite, RecordingTheSameIdTwiceIsAlreadyExists) {
  auto record = [&] {
    return store_->Write([&](SqlTx& tx) {
      return RecordIdempotent(tx, "CreateEnterprise", "req-1", "d1", "r", absl::Now());
    });
  };
  ASSERT_TRUE(record().ok());
  EXPECT_EQ(record().code(), absl::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace chainhub
