#include "common/base/page_token.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"

namespace chainhub {
namespace {

using ::testing::ElementsAre;

TEST(EffectivePageSize, DefaultsZeroClampsLargeAndRejectsNegative) {
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(1), 1);
  EXPECT_EQ(*EffectivePageSize(1000), 1000);
  EXPECT_EQ(*EffectivePageSize(1001), 1000);
  absl::StatusOr<int> negative = EffectivePageSize(-1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(negative.status().message(), "page_size: must not be negative");
}

TEST(QueryFingerprint, IsSixteenHexCharactersOfTheQuery) {
  std::string fp = QueryFingerprint("ListEnterprises", "chain = pv", "display_name");
  EXPECT_EQ(fp.size(), 16u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(fp, QueryFingerprint("ListEnterprises", "chain = pv", "display_name"));
  EXPECT_NE(fp, QueryFingerprint("ListEnterprises", "chain = pv", "display_name desc"));
  EXPECT_NE(fp, QueryFingerprint("ListEnterprises", "chain = ic", "display_name"));
  EXPECT_NE(fp, QueryFingerprint("ListProjects", "chain = pv", "display_name"));
  // The separator keeps the parts apart: moving text from one part to the next changes it.
  EXPECT_NE(QueryFingerprint("a", "bc", ""), QueryFingerprint("ab", "c", ""));
}

TEST(QueryFingerprint, IsTheFirstBytesOfSha256) {
  // sha256("m\0f\0o") computed independently: printf 'm\0f\0o' | sha256sum
  EXPECT_EQ(QueryFingerprint("m", "f", "o"), "003c01727da47f73");
}

TEST(PageToken, RoundTripsKeysWithAnyBytes) {
  PageToken token;
  token.query_fingerprint = QueryFingerprint("ListEnterprises", "", "");
  token.last_key = {"滁州某某光伏科技有限公司", std::string("a\0b\x1f\xff", 5), "", "123"};
  std::string text = EncodePageToken(token);
  // Web-safe: it goes into URLs and command lines unquoted.
  EXPECT_EQ(
      text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  absl::StatusOr<PageToken> decoded = DecodePageToken(text, token.query_fingerprint);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->query_fingerprint, token.query_fingerprint);
  EXPECT_EQ(decoded->last_key, token.last_key);
}

TEST(PageToken, EmptyTextIsTheFirstPage) {
  absl::StatusOr<PageToken> decoded = DecodePageToken("", "whatever");
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->last_key.empty());
}

TEST(PageToken, RefusesATokenFromAnotherQuery) {
  PageToken token;
  token.query_fingerprint = QueryFingerprint("ListEnterprises", "chain = pv", "");
  token.last_key = {"91330100716105852F"};
  absl::StatusOr<PageToken> decoded = DecodePageToken(
      EncodePageToken(token), QueryFingerprint("ListEnterprises", "chain = ic", ""));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(),
            "page_token: was issued for a different filter or order_by");
}

TEST(PageToken, RefusesGarbageAsMalformed) {
  PageToken token;
  token.query_fingerprint = "0123456789abcdef";
  token.last_key = {"k1", "k2"};
  std::string good = EncodePageToken(token);
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(good, &raw));

  std::vector<std::string> bad = {
      "not base64 !!",
      "%%%%",
      absl::WebSafeBase64Escape(std::string("\x01")),                             // version only
      absl::WebSafeBase64Escape(std::string("\x02") + raw.substr(1)),             // unknown version
      absl::WebSafeBase64Escape(raw.substr(0, raw.size() - 1)),                   // truncated
      absl::WebSafeBase64Escape(raw + "x"),                                       // trailing bytes
      absl::WebSafeBase64Escape(std::string("\x01\xff\xff\xff\xff\xff\x01", 7)),  // huge length
      std::string(20000, 'A'),
  };
  for (const std::string& text : bad) {
    absl::StatusOr<PageToken> decoded = DecodePageToken(text, token.query_fingerprint);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(decoded.status().message(), "page_token: is malformed") << text;
  }
}

TEST(PageToken, EncodingIsStableForTheSameToken) {
  PageToken token;
  token.query_fingerprint = "abcd";
  token.last_key = {"x"};
  EXPECT_EQ(EncodePageToken(token), EncodePageToken(token));
  absl::StatusOr<PageToken> decoded = DecodePageToken(EncodePageToken(token), "abcd");
  ASSERT_TRUE(decoded.ok());
  EXPECT_THAT(decoded->last_key, ElementsAre("x"));
}

}  // namespace
}  // namespace chainhub
