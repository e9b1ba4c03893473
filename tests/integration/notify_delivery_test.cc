// The dispatcher against real receivers: an HTTP server verifying Standard Webhooks signatures (or
// acting as a DingTalk or WeCom robot), aiosmtpd for e-mail, and a real SQLite store. Retries use
// millisecond backoff (or the production backoff on a manual clock); nothing asserts timing, only
// what arrived and what was recorded.
#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"
#include "services/notify/delivery/dispatcher.h"
#include "services/notify/delivery/signing.h"
#include "tests/support/smtp_receiver.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_receiver.h"

namespace chainhub::notify {
namespace {

using ::chainhub::testing::SmtpReceiver;
using ::chainhub::testing::TempDir;
using ::chainhub::testing::WebhookReceiver;

constexpr absl::Duration kWait = absl::Seconds(20);
constexpr char kRecipient[] = "departments/fgw";
constexpr char kDingSecret[] = "SEC0123456789abcdef0123456789abcdef";

class NotifyDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.path = dir_.File("notify.db");
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate("common", CommonMigrations()).ok());
    ASSERT_TRUE(store_->Migrate("notify_delivery", Dispatcher::Migrations()).ok());
  }

  void TearDown() override {
    if (dispatcher_) dispatcher_->Stop();
  }

  static DispatcherOptions FastOptions() {
    DispatcherOptions o;
    o.allow = {"http://127.0.0.1:", "smtp://127.0.0.1:"};
    o.attempt_timeout = absl::Seconds(5);
    o.initial_backoff = absl::Milliseconds(5);
    o.max_backoff = absl::Milliseconds(40);
    o.give_up_after = absl::Hours(1);
    o.workers = 2;
    o.holder = "test:1";
    return o;
  }

  Dispatcher& Start(DispatcherOptions options = FastOptions(), const Clock& clock = Clock::Real()) {
    dispatcher_ = std::make_unique<Dispatcher>(store_.get(), nullptr, options, clock);
    dispatcher_->Start();
    return *dispatcher_;
  }

  v1::Endpoint Create(v1::Endpoint e) {
    v1::CreateEndpointRequest request;
    *request.mutable_endpoint() = std::move(e);
    auto created = dispatcher_->CreateEndpoint(Call(), request);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Endpoint());
  }

  static v1::Endpoint Endpoint(const std::string& id, v1::Channel channel, const std::string& url,
                               const std::string& secret = "") {
    v1::Endpoint e;
    e.set_name("endpoints/" + id);
    e.set_recipient(kRecipient);
    e.set_channel(channel);
    e.set_url(url);
    e.set_secret(secret);
    return e;
  }

  // Enqueues one message to kRecipient; the dispatch names.
  std::vector<std::string> Send(const std::string& title = "红灯预警") {
    OutgoingMessage m;
    m.deliveries = {"notices/n1/deliveries/d1"};
    m.recipient = kRecipient;
    m.kind = v1::NOTICE;
    m.title = title;
    m.markdown = "**链长办** 请于本周内签收。";
    m.webhook_json = R"({"type":"notify.delivery","title":"红灯预警"})";
    std::vector<std::string> names;
    EXPECT_TRUE(store_
                    ->Write([&](SqlTx& tx) -> absl::Status {
                      auto made = dispatcher_->Enqueue(tx, m, absl::Now());
                      if (!made.ok()) return made.status();
                      names = *made;
                      return absl::OkStatus();
                    })
                    .ok());
    dispatcher_->Wake();
    return names;
  }

  v1::Dispatch Get(const std::string& name) {
    v1::GetDispatchRequest request;
    request.set_name(name);
    auto got = dispatcher_->GetDispatch(Call(), request);
    EXPECT_TRUE(got.ok()) << got.status();
    return got.value_or(v1::Dispatch());
  }

  // Polls until the dispatch reaches `state` (false after kWait).
  bool WaitForState(const std::string& name, v1::DispatchState state) {
    const absl::Time deadline = absl::Now() + kWait;
    while (absl::Now() < deadline) {
      if (Get(name).state() == state) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }

  v1::Endpoint GetEndpoint(const std::string& name) {
    v1::GetEndpointRequest request;
    request.set_name(name);
    return dispatcher_->GetEndpoint(Call(), request).value_or(v1::Endpoint());
  }

  AuthorizedCall Call() { return AuthorizedCall{admin_, request_id_, method_}; }

  int64_t OutboxCount(const std::string& type) {
    int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](SqlTx& tx) -> absl::Status {
                      auto row = tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE type = $1", {type});
                      if (!row.ok()) return row.status();
                      n = row->Int(0);
                      return absl::OkStatus();
                    })
                    .ok());
    return n;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Dispatcher> dispatcher_;
  Principal admin_{"users/admin", {"admin"}, {}};
  std::string request_id_ = "req-1";
  std::string method_ = "/chainhub.notify.v1.Notifier/Test";
};

TEST_F(NotifyDeliveryTest, AWebhookArrivesSignedAndVerifiable) {
  WebhookReceiver receiver;
  Start();
  v1::Endpoint created = Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url()));
  // The server made the secret and shows it this once.
  ASSERT_TRUE(absl::StartsWith(created.secret(), "whsec_"));
  receiver.VerifyWebhooks(created.secret());
  std::vector<std::string> names = Send();
  ASSERT_EQ(names.size(), 1u);
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  ASSERT_TRUE(receiver.WaitForCount(1, kWait));
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].verified) << got[0].verify_error;
  EXPECT_EQ("dispatches/" + got[0].webhook_id, names[0]);
  EXPECT_EQ(got[0].body, R"({"type":"notify.delivery","title":"红灯预警"})");
  v1::Dispatch d = Get(names[0]);
  EXPECT_EQ(d.attempt_count(), 1);
  ASSERT_EQ(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).status(), 200);
  EXPECT_EQ(d.deliveries(0), "notices/n1/deliveries/d1");
  EXPECT_TRUE(d.has_sent_time());
}

TEST_F(NotifyDeliveryTest, RetriesAfter500sThenSucceedsWithTheSameId) {
  WebhookReceiver receiver;
  receiver.FailWith(500, 3);
  Start();
  receiver.VerifyWebhooks(Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url())).secret());
  std::vector<std::string> names = Send();
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 4u);
  for (const auto& r : got) {
    EXPECT_EQ(r.webhook_id, got[0].webhook_id);
    EXPECT_TRUE(r.verified) << r.verify_error;
  }
  v1::Dispatch d = Get(names[0]);
  EXPECT_EQ(d.attempt_count(), 4);
  ASSERT_EQ(d.attempts_size(), 4);
  EXPECT_EQ(d.attempts(0).status(), 200);  // newest first
  EXPECT_EQ(d.attempts(3).status(), 500);
  EXPECT_EQ(d.attempts(3).response(), "failing as told");
  EXPECT_EQ(GetEndpoint("endpoints/fgw-hook").consecutive_failures(), 0);
}

TEST_F(NotifyDeliveryTest, GoneIsDeadAtOnceWithAnEvent) {
  WebhookReceiver receiver;
  receiver.FailWith(410);
  Start();
  Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url()));
  std::vector<std::string> names = Send();
  ASSERT_TRUE(WaitForState(names[0], v1::DEAD));
  EXPECT_EQ(Get(names[0]).attempt_count(), 1);
  EXPECT_EQ(receiver.received().size(), 1u);
  EXPECT_EQ(OutboxCount("notify.dispatch_dead"), 1);
  // Counted after the commit, so possibly just after DEAD is seen; process-wide, so at least one.
  auto dead_count = [] {
    return MetricsRegistry::Global().Value("chainhub_notify_dispatches_dead_total",
                                           {{"channel", "webhook"}});
  };
  const absl::Time deadline = absl::Now() + kWait;
  while (dead_count() < 1 && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_GE(dead_count(), 1);
  v1::ListDispatchesRequest list;
  list.set_filter("state = DEAD");
  auto dead = dispatcher_->ListDispatches(Call(), list);
  ASSERT_TRUE(dead.ok()) << dead.status();
  ASSERT_EQ(dead->dispatches_size(), 1);
  EXPECT_EQ(dead->dispatches(0).name(), names[0]);
}

TEST_F(NotifyDeliveryTest, AHangIsRecordedAsATimedOutAttempt) {
  WebhookReceiver receiver;
  receiver.Hang(absl::Seconds(2));
  DispatcherOptions options = FastOptions();
  options.attempt_timeout = absl::Milliseconds(300);
  Start(options);
  Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url()));
  std::vector<std::string> names = Send();
  const absl::Time deadline = absl::Now() + kWait;
  while (Get(names[0]).attempt_count() < 1 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  v1::Dispatch d = Get(names[0]);
  ASSERT_GE(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(d.attempts_size() - 1).status(), 0);
  EXPECT_TRUE(absl::StrContains(d.attempts(d.attempts_size() - 1).response(), "imeout"))
      << d.attempts(d.attempts_size() - 1).response();
  dispatcher_->Stop();
  receiver.Succeed();
}

TEST_F(NotifyDeliveryTest, ARedirectIsNotFollowed) {
  WebhookReceiver receiver;
  receiver.Redirect(receiver.Url("/elsewhere"));
  Start();
  Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url()));
  std::vector<std::string> names = Send();
  ASSERT_TRUE(receiver.WaitForCount(2, kWait));
  dispatcher_->Stop();
  for (const auto& r : receiver.received()) EXPECT_EQ(r.path, "/hook");
  v1::Dispatch d = Get(names[0]);
  EXPECT_EQ(d.state(), v1::QUEUED);
  ASSERT_GE(d.attempts_size(), 1);
  EXPECT_EQ(d.attempts(0).status(), 302);
}

TEST_F(NotifyDeliveryTest, DingTalkSignIsVerifiedAndErrcodeCounts) {
  WebhookReceiver robot;
  robot.ActAsDingTalk(kDingSecret);
  Start();
  Create(Endpoint("ding", v1::DINGTALK, robot.Url("/robot/send?access_token=t"), kDingSecret));
  std::vector<std::string> names = Send();
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  auto got = robot.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].verified) << got[0].verify_error;
  nlohmann::json body = nlohmann::json::parse(got[0].body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["title"], "红灯预警");
  // A robot that answers errcode ≠ 0 has not taken the message.
  robot.ActAsDingTalk(kDingSecret, 310000);
  names = Send();
  ASSERT_TRUE(robot.WaitForCount(3, kWait));
  v1::Dispatch d = Get(names[0]);
  EXPECT_EQ(d.state(), v1::QUEUED);
  ASSERT_GE(d.attempts_size(), 1);
  EXPECT_TRUE(absl::StrContains(d.attempts(d.attempts_size() - 1).response(), "310000"));
}

TEST_F(NotifyDeliveryTest, WeComGetsAMarkdownMessageAndItsKeyIsMasked) {
  WebhookReceiver robot;
  robot.ActAsWeCom();
  Start();
  v1::Endpoint created =
      Create(Endpoint("wecom", v1::WECOM, robot.Url("/cgi-bin/webhook/send?key=secret-key")));
  EXPECT_FALSE(absl::StrContains(created.url(), "secret-key"));
  EXPECT_TRUE(absl::StrContains(created.url(), "key=****"));
  std::vector<std::string> names = Send();
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  nlohmann::json body = nlohmann::json::parse(robot.received().at(0).body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_TRUE(absl::StrContains(body["markdown"]["content"].get<std::string>(), "请于本周内签收"));
}

TEST_F(NotifyDeliveryTest, AnEmailArrivesWithItsSubjectDecoded) {
  SmtpReceiver smtp;
  absl::Status started = smtp.Start();
  ASSERT_TRUE(started.ok()) << started;
  Start();
  v1::Endpoint e = Endpoint("mail", v1::EMAIL, smtp.Url());
  e.set_email_to("office@fgw.example.cn");
  e.set_email_from("notify@chainhub.example.cn");
  Create(e);
  std::vector<std::string> names = Send("督办函：请按期签收");
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  ASSERT_TRUE(smtp.WaitForCount(1, kWait));
  SmtpReceiver::Mail mail = smtp.Received().at(0);
  EXPECT_EQ(mail.subject, "督办函：请按期签收");
  EXPECT_EQ(mail.rcpt_to, std::vector<std::string>{"office@fgw.example.cn"});
  EXPECT_EQ(mail.mail_from, "notify@chainhub.example.cn");
  EXPECT_TRUE(absl::StrContains(mail.body, "请于本周内签收"));
  EXPECT_TRUE(absl::StrContains(mail.message_id, names[0].substr(strlen("dispatches/"))));
}

TEST_F(NotifyDeliveryTest, TheRateLimitHoldsPerWindow) {
  WebhookReceiver receiver;
  Start();
  v1::Endpoint e = Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url());
  e.set_rate_per_minute(2);
  Create(e);
  for (int i = 0; i < 5; ++i) Send();
  ASSERT_TRUE(receiver.WaitForCount(2, kWait));
  // Give the workers many more polls: nothing else goes out within the minute.
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(receiver.received().size(), 2u);
  v1::ListDispatchesRequest list;
  list.set_filter("state = QUEUED");
  EXPECT_EQ(dispatcher_->ListDispatches(Call(), list)->dispatches_size(), 3);
}

TEST_F(NotifyDeliveryTest, AnEndpointPausesAfterRepeatedFailureAndResumes) {
  WebhookReceiver receiver;
  receiver.FailWith(503);
  Start();
  v1::Endpoint e = Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url());
  e.set_pause_after_failures(3);
  const std::string active_etag = Create(e).etag();
  std::vector<std::string> names = Send();
  const absl::Time deadline = absl::Now() + kWait;
  while (GetEndpoint("endpoints/fgw-hook").state() != v1::PAUSED && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_EQ(GetEndpoint("endpoints/fgw-hook").state(), v1::PAUSED);
  EXPECT_NE(GetEndpoint("endpoints/fgw-hook").etag(), active_etag);
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(receiver.received().size(), 3u);
  EXPECT_EQ(Get(names[0]).state(), v1::QUEUED);
  receiver.Succeed();
  v1::ResumeEndpointRequest resume;
  resume.set_name("endpoints/fgw-hook");
  auto resumed = dispatcher_->ResumeEndpoint(Call(), resume);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ(resumed->state(), v1::ACTIVE);
  EXPECT_EQ(resumed->consecutive_failures(), 0);
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
}

TEST_F(NotifyDeliveryTest, RedeliverSendsADeadDispatchAgainWithItsId) {
  WebhookReceiver receiver;
  receiver.FailWith(404, 1);
  Start();
  receiver.VerifyWebhooks(Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url())).secret());
  std::vector<std::string> names = Send();
  ASSERT_TRUE(WaitForState(names[0], v1::DEAD));
  v1::RedeliverRequest redeliver;
  redeliver.set_name(names[0]);
  auto again = dispatcher_->Redeliver(Call(), redeliver);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->state(), v1::QUEUED);
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].webhook_id, got[1].webhook_id);
  EXPECT_EQ(Get(names[0]).attempt_count(), 2);
  // A sent dispatch is not redelivered.
  EXPECT_EQ(dispatcher_->Redeliver(Call(), redeliver).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(NotifyDeliveryTest, UrlsOffTheAllowListAndBadFieldsAreRefusedTogether) {
  Start();
  v1::Endpoint e = Endpoint("x", v1::WEBHOOK, "https://evil.example.com/hook", "whsec_bad");
  e.set_rate_per_minute(-3);
  v1::CreateEndpointRequest request;
  *request.mutable_endpoint() = e;
  auto refused = dispatcher_->CreateEndpoint(Call(), request);
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(refused.status())) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"endpoint.name", "endpoint.url",
                                              "endpoint.rate_per_minute", "endpoint.secret"}));
  // Not an admin: refused before anything else.
  Principal viewer{"users/v", {"viewer"}, {}};
  EXPECT_EQ(dispatcher_->CreateEndpoint(AuthorizedCall{viewer, request_id_, method_}, request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(NotifyDeliveryTest, SecretsAreNeverReadBack) {
  Start();
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  v1::Endpoint created = Create(Endpoint("fgw-hook", v1::WEBHOOK, "http://127.0.0.1:1/h", secret));
  EXPECT_TRUE(created.secret().empty());
  EXPECT_TRUE(created.secret_set());
  EXPECT_EQ(created.secret_fingerprint(), "96ad2ccd");
  Create(Endpoint("ding", v1::DINGTALK, "http://127.0.0.1:1/robot", kDingSecret));
  v1::Endpoint got = GetEndpoint("endpoints/fgw-hook");
  EXPECT_TRUE(got.secret().empty());
  EXPECT_FALSE(absl::StrContains(got.SerializeAsString(), "MfKQ9r8G"));
  auto list = dispatcher_->ListEndpoints(Call(), v1::ListEndpointsRequest());
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->endpoints_size(), 2);
  EXPECT_FALSE(absl::StrContains(list->SerializeAsString(), "MfKQ9r8G"));
  EXPECT_FALSE(absl::StrContains(list->SerializeAsString(), kDingSecret));
  // The same request_id answers the same endpoint, without a second row.
  v1::CreateEndpointRequest again;
  *again.mutable_endpoint() = Endpoint("mail-x", v1::WEBHOOK, "http://127.0.0.1:1/h", secret);
  again.set_request_id("create-1");
  auto first = dispatcher_->CreateEndpoint(Call(), again);
  auto second = dispatcher_->CreateEndpoint(Call(), again);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->etag(), second->etag());
}

TEST_F(NotifyDeliveryTest, EnqueueSkipsDisabledEndpointsAndOtherKinds) {
  Start();
  v1::Endpoint alerts = Endpoint("alerts-only", v1::WEBHOOK, "http://127.0.0.1:1/a");
  alerts.add_kinds(v1::ALERT);
  Create(alerts);
  v1::Endpoint off = Endpoint("switched-off", v1::WEBHOOK, "http://127.0.0.1:1/b");
  off.set_state(v1::DISABLED);
  Create(off);
  Create(Endpoint("everything", v1::WEBHOOK, "http://127.0.0.1:1/c"));
  dispatcher_->Stop();
  std::vector<std::string> names = Send();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(Get(names[0]).endpoint(), "endpoints/everything");
}

TEST_F(NotifyDeliveryTest, RotationSignsWithBothSecrets) {
  WebhookReceiver old_side;
  WebhookReceiver new_side;
  Start();
  const std::string old_secret = Create(Endpoint("fgw-hook", v1::WEBHOOK, old_side.Url())).secret();
  v1::RotateEndpointSecretRequest rotate;
  rotate.set_name("endpoints/fgw-hook");
  auto rotated = dispatcher_->RotateEndpointSecret(Call(), rotate);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_TRUE(rotated->has_previous_valid_until());
  ASSERT_FALSE(rotated->secret().empty());
  old_side.VerifyWebhooks(old_secret);
  std::vector<std::string> names = Send();
  ASSERT_TRUE(WaitForState(names[0], v1::SENT));
  auto got = old_side.received().at(0);
  EXPECT_TRUE(got.verified) << got.verify_error;
  EXPECT_EQ(std::count(got.webhook_signature.begin(), got.webhook_signature.end(), ' '), 1);
  absl::Status with_new = VerifyWebhook(rotated->secret(), got.webhook_id, got.webhook_timestamp,
                                        got.webhook_signature, got.body, absl::Now());
  EXPECT_TRUE(with_new.ok()) << with_new;
}

TEST_F(NotifyDeliveryTest, AReceiverDownForAMinuteGetsEverythingAfterwardsWithTheSameIds) {
  // The production schedule (1 s doubling backoff, pause after 10 failures, a probe 30 s later)
  // on a clock the test moves a second at a time.
  ManualClock clock(absl::Now());
  DispatcherOptions options = FastOptions();
  options.initial_backoff = absl::Seconds(1);
  options.max_backoff = absl::Hours(1);
  options.give_up_after = absl::Hours(24);
  WebhookReceiver receiver;
  Start(options, clock);
  receiver.VerifyWebhooks(Create(Endpoint("fgw-hook", v1::WEBHOOK, receiver.Url())).secret());
  receiver.Down();
  std::vector<std::string> names;
  for (int i = 0; i < 30; ++i) names.push_back(Send(absl::StrCat("红灯预警 ", i)).at(0));
  auto all_in = [&](v1::DispatchState state) {
    return std::all_of(names.begin(), names.end(),
                       [&](const std::string& n) { return Get(n).state() == state; });
  };
  auto tick = [&] {
    clock.Advance(absl::Seconds(1));
    dispatcher_->Wake();
    absl::SleepFor(absl::Milliseconds(5));
  };
  for (int second = 0; second < 60; ++second) tick();
  // Down for a minute: every attempt refused, the endpoint paused, nothing sent or dropped.
  const v1::Endpoint paused = GetEndpoint("endpoints/fgw-hook");
  EXPECT_EQ(paused.state(), v1::PAUSED);
  EXPECT_GE(paused.consecutive_failures(), 10);
  EXPECT_TRUE(all_in(v1::QUEUED));
  EXPECT_TRUE(receiver.received().empty());

  // Up again: the next probe succeeds, the endpoint resumes by itself and everything goes out.
  receiver.Up();
  for (int second = 0; second < 900 && !all_in(v1::SENT); second += 5) {
    for (int i = 0; i < 5; ++i) tick();
  }
  ASSERT_TRUE(all_in(v1::SENT));
  const v1::Endpoint resumed = GetEndpoint("endpoints/fgw-hook");
  EXPECT_EQ(resumed.state(), v1::ACTIVE);
  EXPECT_EQ(resumed.consecutive_failures(), 0);
  EXPECT_NE(resumed.etag(), paused.etag());
  std::set<std::string> arrived;
  for (const auto& r : receiver.received()) {
    EXPECT_TRUE(r.verified) << r.verify_error;
    arrived.insert("dispatches/" + r.webhook_id);
  }
  EXPECT_EQ(arrived, std::set<std::string>(names.begin(), names.end()));
  EXPECT_EQ(OutboxCount("notify.dispatch_dead"), 0);
}

}  // namespace
}  // namespace chainhub::notify
