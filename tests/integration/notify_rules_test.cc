// Rules on events over the real path: subscriptions written through the API, events published on
// a real redis-server's stream, the `notify` consumer group applying them into SQLite, and the
// notices they make read back through the API: one per event, a daily reminder per overdue item,
// and digests that gather a window's events into one notice per recipient.
#include <gtest/gtest.h>

#include "chainhub/assessment/v1/assessment.pb.h"
#include "chainhub/assessment/v1/assessment_events.pb.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "tests/support/events_util.h"
#include "tests/support/intake_fixture.h"
#include "tests/support/notify_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;
namespace iv1 = intake::v1;

class NotifyRules : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  static v1::Subscription RedLight() {
    v1::Subscription s;
    s.set_name("subscriptions/red-light");
    s.set_display_name("项目亮红灯");
    s.add_event_types("project.light_changed");
    s.set_filter("light = \"RED\"");
    s.add_recipient_sources(v1::RESPONSIBLE_DEPARTMENT);
    s.add_recipient_sources(v1::CHAIN_OFFICE);
    s.set_kind(v1::ALERT);
    return s;
  }

  grpc::Status Create(const v1::Subscription& s, v1::Subscription* out = nullptr) {
    v1::CreateSubscriptionRequest req;
    *req.mutable_subscription() = s;
    req.set_request_id("create-" + s.name().substr(s.name().find('/') + 1));
    v1::Subscription made;
    return f_.Admin()(&NotifyStub::CreateSubscription, req, out != nullptr ? out : &made);
  }

  // A project.light_changed event about a pv project with `light`.
  static CloudEvent LightChanged(iv1::Light light, const std::string& event_id) {
    iv1::Project p;
    p.set_name("projects/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
    p.set_display_name("光伏玻璃二期");
    p.set_chain("chains/pv");
    p.set_responsible_department("departments/zrzyj");
    p.set_total_investment_yuan(1250000000);
    p.set_light(light);
    p.set_light_reason("连续两月未报进度");
    p.set_stage(iv1::STAGE_SIGNED);
    CloudEvent e =
        MakeCloudEvent("intake", EventKindDescriptor(iv1::INTAKE_EVENT_PROJECT_LIGHT_CHANGED),
                       p.name(), "chains/pv", absl::Now(), p);
    e.set_id(event_id);
    return e;
  }

  std::vector<v1::Notice> Notices() {
    v1::ListNoticesResponse resp;
    EXPECT_TRUE(f_.Admin()(&NotifyStub::ListNotices, v1::ListNoticesRequest(), &resp).ok());
    return {resp.notices().begin(), resp.notices().end()};
  }

  std::vector<v1::Delivery> Inbox(const NotifyCaller& as) {
    v1::ListInboxResponse resp;
    EXPECT_TRUE(as(&NotifyStub::ListInbox, v1::ListInboxRequest(), &resp).ok());
    return {resp.deliveries().begin(), resp.deliveries().end()};
  }

  NotifyFixture f_;
};

TEST_F(NotifyRules, ARedLightBecomesOneAlertToTheDepartmentAndTheChainOffice) {
  ASSERT_TRUE(Create(RedLight()).ok());
  f_.StartRules();
  f_.Publish(LightChanged(iv1::LIGHT_YELLOW, "evt-yellow"));
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-red"));
  // The same event again (a relay that published twice): still one notice.
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-red"));
  ASSERT_TRUE(Eventually([&] { return Notices().size() == 1; }));
  // Everything after the red light has been consumed too: no second notice came.
  f_.Publish(LightChanged(iv1::LIGHT_GREEN, "evt-green"));
  absl::SleepFor(absl::Milliseconds(500));
  const std::vector<v1::Notice> notices = Notices();
  ASSERT_EQ(notices.size(), 1u);
  const v1::Notice& n = notices[0];
  EXPECT_EQ(n.kind(), v1::ALERT);
  EXPECT_EQ(n.sender(), "subscriptions/red-light");
  EXPECT_EQ(n.source_event(), "evt-red");
  EXPECT_EQ(n.title(), "【红灯预警】光伏玻璃二期");
  EXPECT_NE(n.body().find("连续两月未报进度"), std::string::npos) << n.body();
  EXPECT_NE(n.body().find("12.50亿元"), std::string::npos) << n.body();
  EXPECT_NE(n.body().find("签约"), std::string::npos) << n.body();
  EXPECT_EQ(n.about(), "projects/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
  EXPECT_EQ(n.chain(), "chains/pv");
  EXPECT_EQ(n.delivery_count(), 2);

  ASSERT_EQ(Inbox(f_.Department("zrzyj")).size(), 1u);
  ASSERT_EQ(Inbox(f_.ChainOffice("pv")).size(), 1u);
  EXPECT_TRUE(Inbox(f_.Department("fgw")).empty());
}

TEST_F(NotifyRules, ADisabledOrDeletedSubscriptionMakesNothing) {
  v1::Subscription made;
  ASSERT_TRUE(Create(RedLight(), &made).ok());
  v1::UpdateSubscriptionRequest update;
  update.mutable_subscription()->set_name(made.name());
  update.mutable_subscription()->set_etag(made.etag());
  update.mutable_subscription()->set_disabled(true);
  update.mutable_update_mask()->add_paths("disabled");
  v1::Subscription disabled;
  ASSERT_TRUE(f_.Admin()(&NotifyStub::UpdateSubscription, update, &disabled).ok());
  EXPECT_TRUE(disabled.disabled());
  EXPECT_NE(disabled.etag(), made.etag());
  // The old etag no longer matches.
  EXPECT_EQ(f_.Admin().Status(&NotifyStub::UpdateSubscription, update).error_code(),
            grpc::StatusCode::ABORTED);

  f_.StartRules();
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-1"));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_TRUE(Notices().empty());

  v1::DeleteSubscriptionRequest del;
  del.set_name(made.name());
  ASSERT_TRUE(f_.Admin().Status(&NotifyStub::DeleteSubscription, del).ok());
  v1::GetSubscriptionRequest get;
  get.set_name(made.name());
  EXPECT_EQ(f_.Admin().Status(&NotifyStub::GetSubscription, get).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(NotifyRules, AFinalRunReachesEveryChainOfficeInIt) {
  v1::Subscription s;
  s.set_name("subscriptions/run-completed");
  s.add_event_types("assessment.run_completed");
  s.set_filter("kind = \"FINAL\"");
  s.add_recipient_sources(v1::EVERY_CHAIN_OFFICE);
  ASSERT_TRUE(Create(s).ok());
  f_.StartRules();
  for (auto [kind, id] : {std::pair{assessment::v1::RUN_KIND_PROVISIONAL, "evt-provisional"},
                          std::pair{assessment::v1::RUN_KIND_FINAL, "evt-final"}}) {
    assessment::v1::Run run;
    run.set_name(std::string("runs/") + id);
    run.set_period("2026-Q3");
    run.set_kind(kind);
    for (const char* chain : {"pv", "nev-battery", "semiconductor"}) {
      auto* r = run.add_results();
      r->set_subject(std::string("chains/") + chain);
      r->set_display_name(chain);
    }
    CloudEvent e = MakeCloudEvent(
        "assessment", EventKindDescriptor(assessment::v1::ASSESSMENT_EVENT_RUN_COMPLETED),
        run.name(), "", absl::Now(), run);
    e.set_id(id);
    f_.Publish(e);
  }
  ASSERT_TRUE(Eventually([&] { return Notices().size() == 1; }));
  const v1::Notice n = Notices()[0];
  EXPECT_EQ(n.about(), "runs/evt-final");
  EXPECT_EQ(n.delivery_count(), 3);
  EXPECT_EQ(Inbox(f_.ChainOffice("semiconductor")).size(), 1u);
  EXPECT_NE(n.title().find("2026-Q3"), std::string::npos) << n.title();
}

TEST_F(NotifyRules, SubscriptionsAreAdminWrittenAndEveryBrokenRuleIsNamed) {
  v1::CreateSubscriptionRequest req;
  *req.mutable_subscription() = RedLight();
  v1::Subscription out;
  EXPECT_EQ(f_.ChainOffice("pv")(&NotifyStub::CreateSubscription, req, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::Subscription bad = RedLight();
  bad.set_name("subscriptions/Bad_Name");
  bad.add_event_types("project.lit");
  bad.set_filter("colour = \"RED\"");
  bad.add_recipient_sources(v1::FIXED);
  bad.set_template_("no-such-template");
  *req.mutable_subscription() = bad;
  grpc::Status s = f_.Admin()(&NotifyStub::CreateSubscription, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field :
       {"subscription.name", "subscription.event_types[1]", "subscription.filter",
        "subscription.recipients", "subscription.template"}) {
    EXPECT_NE(s.error_message().find(field), std::string::npos)
        << field << ": " << s.error_message();
  }

  v1::Subscription daily = RedLight();
  daily.set_digest(v1::DIGEST_DAILY);
  *req.mutable_subscription() = daily;
  s = f_.Admin()(&NotifyStub::CreateSubscription, req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("subscription.digest_time"), std::string::npos);

  // A rule on notify's own notices would never end.
  v1::Subscription loop = RedLight();
  loop.clear_event_types();
  loop.add_event_types("notify.notice_sent");
  loop.clear_filter();
  *req.mutable_subscription() = loop;
  EXPECT_EQ(f_.Admin()(&NotifyStub::CreateSubscription, req, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  ASSERT_TRUE(Create(RedLight()).ok());
  EXPECT_EQ(Create(RedLight()).error_code(), grpc::StatusCode::OK);  // the same request_id: a retry
  v1::Subscription again = RedLight();
  req.set_request_id("another-request");
  *req.mutable_subscription() = again;
  EXPECT_EQ(f_.Admin()(&NotifyStub::CreateSubscription, req, &out).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::ListSubscriptionsRequest list;
  list.set_filter("event_type = \"project.light_changed\"");
  v1::ListSubscriptionsResponse listed;
  ASSERT_TRUE(f_.Department("zrzyj")(&NotifyStub::ListSubscriptions, list, &listed).ok());
  ASSERT_EQ(listed.subscriptions_size(), 1);
  EXPECT_EQ(listed.subscriptions(0).digest(), v1::DIGEST_NONE);
  list.set_filter("event_type = \"assessment.alert\"");
  listed.Clear();
  ASSERT_TRUE(f_.Department("zrzyj")(&NotifyStub::ListSubscriptions, list, &listed).ok());
  EXPECT_EQ(listed.subscriptions_size(), 0);
}

// An issue.overdue event about a work item owned by departments/fgw, on `date`.
CloudEvent Overdue(const std::string& event_id) {
  iv1::WorkItem w;
  w.set_name("issues/0192f0c4-bbbb-7bbb-8ccc-123456789abc");
  w.set_kind(iv1::WORK_ITEM_KIND_ISSUE);
  w.set_title("二期用地指标未落实");
  w.set_subject("projects/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
  w.set_chain("chains/pv");
  w.set_owner_department("departments/fgw");
  w.set_deadline("2026-10-20");
  w.set_status(iv1::WORK_ITEM_STATUS_COORDINATING);
  w.set_overdue(true);
  CloudEvent e = MakeCloudEvent("intake", EventKindDescriptor(iv1::INTAKE_EVENT_ISSUE_OVERDUE),
                                w.name(), "chains/pv", absl::Now(), w);
  e.set_id(event_id);
  return e;
}

TEST_F(NotifyRules, AnOverdueItemRemindsItsOwnerOncePerDailyEvent) {
  v1::Subscription s;
  s.set_name("subscriptions/overdue-item");
  s.add_event_types("issue.overdue");
  s.add_event_types("task.overdue");
  s.add_recipient_sources(v1::OWNER_DEPARTMENT);
  s.set_kind(v1::REMINDER);
  s.set_template_("work_item.overdue");
  ASSERT_TRUE(Create(s).ok());
  f_.StartRules();
  // Intake reminds once a day: two days, two reminders; the same day's event again, none.
  f_.Publish(Overdue("evt-day-1"));
  f_.Publish(Overdue("evt-day-1"));
  f_.Publish(Overdue("evt-day-2"));
  ASSERT_TRUE(Eventually([&] { return Inbox(f_.Department("fgw")).size() == 2; }));
  ASSERT_TRUE(WaitForGroupToCatchUp(*f_.redis_client(), *f_.store(), "notify"));
  const std::vector<v1::Delivery> inbox = Inbox(f_.Department("fgw"));
  ASSERT_EQ(inbox.size(), 2u);
  for (const v1::Delivery& d : inbox) {
    EXPECT_EQ(d.kind(), v1::REMINDER);
    EXPECT_EQ(d.title(), "【逾期催办】二期用地指标未落实");
    EXPECT_NE(d.body().find("2026-10-20"), std::string::npos) << d.body();
    EXPECT_NE(d.body().find("协调中"), std::string::npos) << d.body();
    EXPECT_EQ(d.about(), "issues/0192f0c4-bbbb-7bbb-8ccc-123456789abc");
  }
}

TEST_F(NotifyRules, AnHourlyDigestSendsOneNoticePerRecipientWhenItsWindowEnds) {
  // A day in the past: the callers' tokens (minted at the real time) stay valid on this clock.
  const absl::TimeZone beijing = ChinaTimeZone();
  f_.clock().Set(absl::FromCivil(absl::CivilMinute(2026, 6, 1, 9, 10), beijing));
  v1::Subscription s = RedLight();
  s.set_name("subscriptions/red-digest");
  s.set_display_name("红灯项目汇总");
  s.set_digest(v1::DIGEST_HOURLY);
  ASSERT_TRUE(Create(s).ok());
  f_.StartRules();
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-a"));
  f_.Publish(LightChanged(iv1::LIGHT_YELLOW, "evt-b"));  // filtered out
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-c"));
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-a"));  // a repeat: collected once
  ASSERT_TRUE(WaitForGroupToCatchUp(*f_.redis_client(), *f_.store(), "notify"));
  // The window (09:00-10:00) has not ended: nothing is sent.
  absl::StatusOr<int> flushed = f_.service().FlushDigests();
  ASSERT_TRUE(flushed.ok()) << flushed.status();
  EXPECT_EQ(*flushed, 0);
  EXPECT_TRUE(Notices().empty());

  f_.clock().Set(absl::FromCivil(absl::CivilMinute(2026, 6, 1, 10, 0), beijing));
  flushed = f_.service().FlushDigests();
  ASSERT_TRUE(flushed.ok()) << flushed.status();
  EXPECT_EQ(*flushed, 2);  // the department's and the chain office's
  // Flushed once: a second sweep (or another replica's) finds nothing.
  flushed = f_.service().FlushDigests();
  ASSERT_TRUE(flushed.ok()) << flushed.status();
  EXPECT_EQ(*flushed, 0);
  ASSERT_EQ(Notices().size(), 2u);
  for (const NotifyCaller& who : {f_.Department("zrzyj"), f_.ChainOffice("pv")}) {
    const std::vector<v1::Delivery> inbox = Inbox(who);
    ASSERT_EQ(inbox.size(), 1u);
    const v1::Delivery& d = inbox[0];
    EXPECT_EQ(d.title(), "【每小时汇总】红灯项目汇总（2条）");
    EXPECT_EQ(d.sender(), "subscriptions/red-digest");
    EXPECT_EQ(d.kind(), v1::ALERT);
    EXPECT_EQ(d.chain(), "chains/pv");
    EXPECT_NE(d.body().find("2026-06-01 09:00 至 10:00"), std::string::npos) << d.body();
    EXPECT_NE(d.body().find("### 1. 【红灯预警】光伏玻璃二期"), std::string::npos) << d.body();
    EXPECT_NE(d.body().find("### 2. 【红灯预警】光伏玻璃二期"), std::string::npos) << d.body();
    EXPECT_EQ(d.body().find("### 3."), std::string::npos) << d.body();
  }

  // An event after the window ended goes into the next one.
  f_.Publish(LightChanged(iv1::LIGHT_RED, "evt-d"));
  ASSERT_TRUE(WaitForGroupToCatchUp(*f_.redis_client(), *f_.store(), "notify"));
  EXPECT_EQ(*f_.service().FlushDigests(), 0);
  f_.clock().Advance(absl::Hours(1));
  EXPECT_EQ(*f_.service().FlushDigests(), 2);
  EXPECT_EQ(Inbox(f_.Department("zrzyj")).size(), 2u);
}

}  // namespace
}  // namespace chainhub::testing
