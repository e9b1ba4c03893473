// The channels' signatures and message shapes against published vectors (Standard Webhooks) and
// vectors computed independently (DingTalk, with Python's hmac).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "services/notify/delivery/signing.h"

namespace chainhub::notify {
namespace {

// The Standard Webhooks specification's test vector.
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr char kId[] = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr int64_t kTimestamp = 1614265330;
constexpr char kBody[] = "{\"test\": 2432232314}";
constexpr char kSignature[] = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(NotifyDeliverySigning, WebhookSignatureMatchesTheSpecVector) {
  EXPECT_EQ(WebhookSignature({kSecret}, kId, kTimestamp, kBody).value(), kSignature);
}

TEST(NotifyDeliverySigning, RotationSignsWithBothSecretsAndEachVerifies) {
  const std::string fresh = NewWebhookSecret();
  const std::string header = WebhookSignature({fresh, kSecret}, kId, kTimestamp, kBody).value();
  std::vector<std::string> parts = absl::StrSplit(header, ' ');
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], kSignature);
  const absl::Time at = absl::FromUnixSeconds(kTimestamp);
  EXPECT_TRUE(VerifyWebhook(kSecret, kId, "1614265330", header, kBody, at).ok());
  EXPECT_TRUE(VerifyWebhook(fresh, kId, "1614265330", header, kBody, at).ok());
  EXPECT_FALSE(VerifyWebhook(NewWebhookSecret(), kId, "1614265330", header, kBody, at).ok());
}

TEST(NotifyDeliverySigning, VerifyRefusesATamperedBodyAndAStaleTimestamp) {
  const absl::Time at = absl::FromUnixSeconds(kTimestamp);
  EXPECT_FALSE(VerifyWebhook(kSecret, kId, "1614265330", kSignature, "{}", at).ok());
  EXPECT_TRUE(
      VerifyWebhook(kSecret, kId, "1614265330", kSignature, kBody, at + absl::Minutes(4)).ok());
  absl::Status stale =
      VerifyWebhook(kSecret, kId, "1614265330", kSignature, kBody, at + absl::Minutes(6));
  EXPECT_TRUE(absl::StrContains(stale.message(), "webhook-timestamp")) << stale;
}

TEST(NotifyDeliverySigning, NewSecretsAreWhsecOf32BytesWithAnEightHexFingerprint) {
  const std::string secret = NewWebhookSecret();
  EXPECT_TRUE(absl::StartsWith(secret, "whsec_"));
  EXPECT_EQ(WebhookKey(secret).value().size(), 32u);
  EXPECT_NE(secret, NewWebhookSecret());
  EXPECT_EQ(SecretFingerprint(kSecret), "96ad2ccd");
  EXPECT_FALSE(WebhookKey("not-a-secret").ok());
}

TEST(NotifyDeliverySigning, DingTalkSignIsTheUrlEncodedBase64Hmac) {
  const std::string secret = "SECabcdef0123456789abcdef";
  EXPECT_EQ(DingTalkSign(secret, 1700000000000),
            "ruk9RIytee3fDs%2FDF6QX%2BjDsxOUPAmF%2FYi%2BEffx7BiI%3D");
  EXPECT_EQ(DingTalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=t", secret,
                              1700000000000),
            "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1700000000000&sign="
            "ruk9RIytee3fDs%2FDF6QX%2BjDsxOUPAmF%2FYi%2BEffx7BiI%3D");
}

TEST(NotifyDeliverySigning, RobotBodiesAreMarkdownMessages) {
  nlohmann::json ding = nlohmann::json::parse(DingTalkBody("标题", "**正文**"));
  EXPECT_EQ(ding["msgtype"], "markdown");
  EXPECT_EQ(ding["markdown"]["title"], "标题");
  EXPECT_EQ(ding["markdown"]["text"], "**正文**");
  nlohmann::json wecom = nlohmann::json::parse(WeComBody("标题", "正文"));
  EXPECT_EQ(wecom["msgtype"], "markdown");
  EXPECT_TRUE(absl::StrContains(wecom["markdown"]["content"].get<std::string>(), "正文"));
}

TEST(NotifyDeliverySigning, MimeMessageEncodesTheSubjectAndCarriesTheId) {
  EXPECT_EQ(EncodeHeaderWord("plain"), "plain");
  EXPECT_EQ(EncodeHeaderWord("通知 标题"), "=?UTF-8?B?6YCa55+lIOagh+mimA==?=");
  const std::string mime = MimeMessage("a@x.cn", "b@y.cn", "通知 标题", "正文", "0190-ab",
                                       absl::FromUnixSeconds(1700000000));
  EXPECT_TRUE(absl::StrContains(mime, "Subject: =?UTF-8?B?6YCa55+lIOagh+mimA==?=\r\n"));
  EXPECT_TRUE(absl::StrContains(mime, "Message-ID: <0190-ab@chainhub.notify>\r\n"));
  EXPECT_TRUE(absl::StrContains(mime, absl::Base64Escape("正文")));
  EXPECT_TRUE(absl::StrContains(mime, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
}

}  // namespace
}  // namespace chainhub::notify
