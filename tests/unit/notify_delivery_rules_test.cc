// Endpoint validation, the allow-list, masking, and the retry rules.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/notify/delivery/endpoint_rules.h"
#include "services/notify/delivery/retry.h"
#include "services/notify/delivery/signing.h"

namespace chainhub::notify {
namespace {

v1::Endpoint Webhook() {
  v1::Endpoint e;
  e.set_name("endpoints/fgw-hook");
  e.set_recipient("departments/fgw");
  e.set_channel(v1::WEBHOOK);
  e.set_url("https://hooks.example.cn/in");
  ApplyEndpointDefaults(&e);
  return e;
}

std::vector<std::string> Fields(const std::vector<FieldViolation>& v) {
  std::vector<std::string> out;
  for (const auto& f : v) out.push_back(f.field);
  return out;
}

TEST(NotifyDeliveryRules, AValidEndpointPassesAndDefaultsFollowTheChannel) {
  const std::vector<std::string> allow = {"https://hooks.example.cn/"};
  EXPECT_TRUE(EndpointViolations(Webhook(), allow).empty());
  EXPECT_EQ(Webhook().rate_per_minute(), 600);
  v1::Endpoint ding;
  ding.set_channel(v1::DINGTALK);
  ApplyEndpointDefaults(&ding);
  EXPECT_EQ(ding.rate_per_minute(), 20);
  EXPECT_EQ(ding.pause_after_failures(), 10);
}

TEST(NotifyDeliveryRules, EveryBadFieldIsNamedAtOnce) {
  v1::Endpoint e = Webhook();
  e.set_recipient("nobody");
  e.set_url("ftp://x");
  e.set_rate_per_minute(-1);
  e.set_pause_after_failures(100000);
  e.set_email_to("a@b.cn");
  EXPECT_EQ(
      Fields(EndpointViolations(e, {"https://"})),
      (std::vector<std::string>{"endpoint.recipient", "endpoint.url", "endpoint.email_to",
                                "endpoint.rate_per_minute", "endpoint.pause_after_failures"}));
}

TEST(NotifyDeliveryRules, TheAllowListIsByPrefix) {
  v1::Endpoint e = Webhook();
  e.set_url("https://evil.example.com/hook");
  auto v = EndpointViolations(e, {"https://hooks.example.cn/"});
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(absl::StrContains(v[0].rule, "allow-list"));
  EXPECT_TRUE(UrlAllowed("http://127.0.0.1:8080/x", {"http://127.0.0.1:"}));
  EXPECT_FALSE(UrlAllowed("http://127.0.0.10/x", {"http://127.0.0.1:"}));
  EXPECT_TRUE(PlainSmtpAllowed("smtp://127.0.0.1:2525", {"smtp://127.0.0.1:"}));
  EXPECT_FALSE(PlainSmtpAllowed("smtp://mail.example.cn:25", {"smtp://127.0.0.1:"}));
  EXPECT_FALSE(PlainSmtpAllowed("smtps://127.0.0.1:2525", {"smtps://127.0.0.1:"}));
}

TEST(NotifyDeliveryRules, NamesAndSecretsHaveTheirShapes) {
  EXPECT_EQ(EndpointId("name", "endpoints/ab-1").value(), "ab-1");
  EXPECT_FALSE(EndpointId("name", "endpoints/a").ok());
  EXPECT_FALSE(EndpointId("name", "endpoints/Upper").ok());
  EXPECT_FALSE(EndpointId("name", "dispatches/ab").ok());
  std::vector<FieldViolation> v;
  CheckSecret(&v, "secret", v1::WEBHOOK, NewWebhookSecret());
  CheckSecret(&v, "secret", v1::DINGTALK, "SEC0123456789abcdef0123");
  CheckSecret(&v, "secret", v1::WECOM, "");
  EXPECT_TRUE(v.empty());
  CheckSecret(&v, "secret", v1::WEBHOOK, "whsec_c2hvcnQ=");
  CheckSecret(&v, "secret", v1::DINGTALK, "abc");
  CheckSecret(&v, "secret", v1::WECOM, "x");
  EXPECT_EQ(v.size(), 3u);
}

TEST(NotifyDeliveryRules, TheWeComKeyIsMasked) {
  EXPECT_EQ(MaskedUrl(v1::WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc&x=1"),
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****&x=1");
  EXPECT_EQ(MaskedUrl(v1::WEBHOOK, "https://a/?key=abc"), "https://a/?key=abc");
}

TEST(NotifyDeliveryRetry, BackoffDoublesUpToTheCapWithFullJitter) {
  const absl::Duration s = absl::Seconds(1);
  EXPECT_EQ(BackoffCap(1, s, absl::Hours(1)), s);
  EXPECT_EQ(BackoffCap(4, s, absl::Hours(1)), absl::Seconds(8));
  EXPECT_EQ(BackoffCap(40, s, absl::Hours(1)), absl::Hours(1));
  EXPECT_EQ(BackoffDelay(4, s, absl::Hours(1), 0.5), absl::Seconds(4));
  EXPECT_EQ(BackoffDelay(4, s, absl::Hours(1), 0.0), absl::Milliseconds(1));
}

TEST(NotifyDeliveryRetry, PermanentFailuresAre4xxButTimeoutAndRate) {
  EXPECT_TRUE(IsPermanentHttpFailure(410));
  EXPECT_TRUE(IsPermanentHttpFailure(400));
  EXPECT_FALSE(IsPermanentHttpFailure(408));
  EXPECT_FALSE(IsPermanentHttpFailure(429));
  EXPECT_FALSE(IsPermanentHttpFailure(500));
  EXPECT_FALSE(IsPermanentHttpFailure(302));
  EXPECT_EQ(ParseRetryAfter(" 120 "), absl::Seconds(120));
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
}

}  // namespace
}  // namespace chainhub::notify
