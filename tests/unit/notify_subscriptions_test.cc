// The pure rules of subscriptions: an event's facts, the filter over them, who a rule notifies,
// quiet hours, and the Chinese templates.
#include <gtest/gtest.h>

#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "services/notify/digests.h"
#include "services/notify/event_facts.h"
#include "services/notify/notices.h"
#include "services/notify/subscriptions.h"
#include "services/notify/templates.h"

namespace chainhub::notify {
namespace {

namespace iv1 = intake::v1;

CloudEvent RedLight() {
  iv1::Project p;
  p.set_name("projects/p1");
  p.set_display_name("光伏玻璃二期");
  p.set_chain("chains/pv");
  p.set_responsible_department("departments/zrzyj");
  p.set_total_investment_yuan(1250000000);
  p.set_light(iv1::LIGHT_RED);
  p.mutable_investor()->set_name("某某光能");
  CloudEvent e =
      MakeCloudEvent("intake", EventKindDescriptor(iv1::INTAKE_EVENT_PROJECT_LIGHT_CHANGED),
                     p.name(), "chains/pv", absl::Now(), p);
  e.set_id("evt-1");
  return e;
}

bool Matches(const std::string& filter, const EventFacts& facts) {
  auto parsed = ParseFilter(filter);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return MatchesFilter(parsed->get(), facts);
}

TEST(NotifyEventFacts, EnvelopeAndPayloadBecomeAttributes) {
  auto facts = FactsOf(RedLight());
  ASSERT_TRUE(facts.ok()) << facts.status();
  EXPECT_EQ(facts->First("type"), "project.light_changed");
  EXPECT_EQ(facts->First("subject"), "projects/p1");
  EXPECT_EQ(facts->First("display_name"), "光伏玻璃二期");
  EXPECT_EQ(facts->First("investor.name"), "某某光能");
  EXPECT_EQ(facts->First("data.chain"), "chains/pv");
  EXPECT_TRUE(Matches("chain = \"pv\" AND light = \"RED\"", *facts));
  EXPECT_TRUE(Matches("chain = \"chains/pv\" AND light = \"LIGHT_RED\"", *facts));
  EXPECT_FALSE(Matches("light = \"YELLOW\"", *facts));
  EXPECT_TRUE(Matches("light != \"YELLOW\"", *facts));
  EXPECT_TRUE(Matches("total_investment_yuan >= 1000000000", *facts));
  EXPECT_FALSE(Matches("total_investment_yuan > 9000000000", *facts));
  EXPECT_TRUE(Matches("display_name : \"玻璃\"", *facts));
  EXPECT_TRUE(Matches("NOT light = \"GREEN\" AND (county = \"x\" OR chain = \"pv\")", *facts));
  EXPECT_FALSE(Matches("county = \"定远县\"", *facts));  // absent: no value equals
}

TEST(NotifyEventFacts, AFilterMayNameOnlyWhatTheTypeCarries) {
  const auto names = AttributeNamesOf("project.light_changed");
  EXPECT_TRUE(names.contains("light"));
  EXPECT_TRUE(names.contains("investor.name"));
  EXPECT_TRUE(names.contains("chain"));
  EXPECT_FALSE(names.contains("colour"));
  EXPECT_TRUE(AttributeNamesOf("no.such_type").empty());
  EXPECT_TRUE(PublishedEventTypes().contains("assessment.alert"));
}

v1::Subscription Valid() {
  v1::Subscription s;
  s.set_name("subscriptions/red-light");
  s.add_event_types("project.light_changed");
  s.set_filter("light = \"RED\"");
  s.add_recipient_sources(v1::RESPONSIBLE_DEPARTMENT);
  ApplySubscriptionDefaults(&s);
  return s;
}

TEST(NotifySubscriptionRules, EveryBrokenRuleIsNamed) {
  EXPECT_TRUE(CheckSubscription(Valid()).ok());
  v1::Subscription s = Valid();
  s.set_kind(v1::SUPERVISION);
  ApplySubscriptionDefaults(&s);
  absl::Status status = CheckSubscription(s);
  EXPECT_NE(status.message().find("subscription.receipt_hours"), std::string::npos) << status;
  s.set_receipt_hours(48);
  EXPECT_TRUE(CheckSubscription(s).ok());

  s = Valid();
  s.mutable_quiet_hours()->set_start("25:00");
  s.mutable_quiet_hours()->set_end("07:00");
  status = CheckSubscription(s);
  EXPECT_NE(status.message().find("subscription.quiet_hours.start"), std::string::npos) << status;

  s = Valid();
  s.add_recipients("departments/fgw");  // without FIXED
  EXPECT_NE(CheckSubscription(s).message().find("subscription.recipients"), std::string::npos);

  s = Valid();
  s.set_digest(v1::DIGEST_DAILY);
  status = CheckSubscription(s);
  EXPECT_NE(status.message().find("subscription.digest_time: must be HH:MM"), std::string::npos)
      << status;
  s.set_digest_time("08:30");
  EXPECT_TRUE(CheckSubscription(s).ok());
  s.set_digest(v1::DIGEST_HOURLY);
  status = CheckSubscription(s);
  EXPECT_NE(status.message().find("subscription.digest_time: must be empty"), std::string::npos)
      << status;
}

TEST(NotifySubscriptionRules, DigestWindowsEndOnTheHourOrAtTheDailyTime) {
  const absl::TimeZone beijing = ChinaTimeZone();
  auto at = [&](int d, int h, int m) {
    return absl::FromCivil(absl::CivilMinute(2026, 12, d, h, m), beijing);
  };
  v1::Subscription s = Valid();
  s.set_digest(v1::DIGEST_HOURLY);
  EXPECT_EQ(DigestWindowEnd(s, at(5, 9, 0)), at(5, 10, 0));
  EXPECT_EQ(DigestWindowEnd(s, at(5, 9, 59)), at(5, 10, 0));
  EXPECT_EQ(DigestWindowEnd(s, at(5, 23, 30)), at(6, 0, 0));
  s.set_digest(v1::DIGEST_DAILY);
  s.set_digest_time("08:30");
  EXPECT_EQ(DigestWindowEnd(s, at(5, 8, 29)), at(5, 8, 30));
  EXPECT_EQ(DigestWindowEnd(s, at(5, 8, 30)), at(6, 8, 30));  // today's has come: tomorrow's
  EXPECT_EQ(DigestWindowEnd(s, at(31, 23, 0)), absl::FromCivil(absl::CivilMinute(2027, 1, 1, 8, 30),
                                                                beijing));
}

TEST(NotifyDigests, ItemsGoInOrderIntoAsFewNoticesAsFit) {
  const absl::Time end = absl::FromCivil(absl::CivilMinute(2026, 12, 5, 8, 30), ChinaTimeZone());
  std::vector<DigestItem> items;
  for (int i = 0; i < 3; ++i) {
    items.push_back({"chains/pv", absl::StrCat("红灯 ", i), "- 原因：滞后", end - absl::Hours(1)});
  }
  std::vector<v1::Notice> one = DigestNotices("红灯日报", v1::DIGEST_DAILY, end, items);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].title(), "【每日汇总】红灯日报（3条）");
  EXPECT_EQ(one[0].chain(), "chains/pv");
  EXPECT_NE(one[0].body().find("截至 2026-12-05 08:30"), std::string::npos) << one[0].body();
  const size_t first = one[0].body().find("### 1. 红灯 0");
  const size_t third = one[0].body().find("### 3. 红灯 2");
  EXPECT_NE(first, std::string::npos);
  EXPECT_NE(third, std::string::npos);
  EXPECT_LT(first, third);

  // Items of several chains: no chain. Many long items: several parts, none over the limit, every
  // item in exactly one of them.
  items.clear();
  for (int i = 0; i < 40; ++i) {
    items.push_back({i % 2 ? "chains/pv" : "chains/medical", absl::StrCat("事项 ", i),
                     std::string(3000, 'x'), end});
  }
  std::vector<v1::Notice> parts = DigestNotices("日报", v1::DIGEST_HOURLY, end, items);
  ASSERT_GT(parts.size(), 1u);
  size_t sections = 0;
  for (const v1::Notice& n : parts) {
    EXPECT_EQ(n.chain(), "");
    EXPECT_LE(CodePoints(n.body()), kMaxBodyChars);
    EXPECT_NE(n.title().find("（40条）（第"), std::string::npos) << n.title();
    for (size_t pos = 0; (pos = n.body().find("\n### ", pos)) != std::string::npos; ++pos) {
      ++sections;
    }
  }
  EXPECT_EQ(sections, items.size());
}

TEST(NotifySubscriptionRules, RecipientsComeFromTheEventWithoutRepeats) {
  auto facts = FactsOf(RedLight());
  ASSERT_TRUE(facts.ok());
  v1::Subscription s = Valid();
  s.add_recipient_sources(v1::CHAIN_OFFICE);
  s.add_recipient_sources(v1::CHAIN_LEADER);
  s.add_recipient_sources(v1::FIXED);
  s.add_recipients("departments/zrzyj");  // already there from the event
  s.add_recipients("roles/viewer");
  s.add_recipient_sources(v1::OWNER_DEPARTMENT);  // a project has none: nobody added
  std::vector<std::string> got;
  for (const Recipient& r : RecipientsFor(s, *facts)) got.push_back(r.String());
  EXPECT_EQ(got, (std::vector<std::string>{"departments/zrzyj", "chains/pv/office",
                                           "chains/pv/leader", "roles/viewer"}));
}

TEST(NotifySubscriptionRules, QuietHoursEndTheSameDayOrTheNext) {
  v1::QuietHours night;
  night.set_start("22:00");
  night.set_end("07:30");
  const absl::TimeZone china = ChinaTimeZone();
  const absl::Time late = absl::FromCivil(absl::CivilMinute(2026, 12, 4, 23, 15), china);
  const absl::Time early = absl::FromCivil(absl::CivilMinute(2026, 12, 5, 6, 0), china);
  const absl::Time day = absl::FromCivil(absl::CivilMinute(2026, 12, 5, 12, 0), china);
  const absl::Time end = absl::FromCivil(absl::CivilMinute(2026, 12, 5, 7, 30), china);
  EXPECT_EQ(QuietUntil(night, late), end);
  EXPECT_EQ(QuietUntil(night, early), end);
  EXPECT_EQ(QuietUntil(night, day), std::nullopt);
  v1::QuietHours lunch;
  lunch.set_start("12:00");
  lunch.set_end("13:00");
  EXPECT_EQ(QuietUntil(lunch, day), absl::FromCivil(absl::CivilMinute(2026, 12, 5, 13, 0), china));
  EXPECT_EQ(QuietUntil(v1::QuietHours(), day), std::nullopt);
}

TEST(NotifyTemplates, EveryShippedTemplateRendersWithTitleAndBody) {
  auto facts = FactsOf(RedLight());
  ASSERT_TRUE(facts.ok());
  for (const auto& [name, text] : ShippedTemplates()) {
    const RenderedText r = RenderTemplate(text, *facts);
    EXPECT_FALSE(r.title.empty()) << name;
    EXPECT_FALSE(r.body.empty()) << name;
    EXPECT_EQ(r.title.find("{{"), std::string::npos) << name;
    EXPECT_EQ(r.body.find("{{"), std::string::npos) << name;
  }
  const RenderedText red = RenderTemplate(TemplateFor("", "project.light_changed"), *facts);
  EXPECT_EQ(red.title, "【红灯预警】光伏玻璃二期");
  EXPECT_NE(red.body.find("12.50亿元"), std::string::npos) << red.body;
  EXPECT_NE(red.body.find("所在县区：—"), std::string::npos) << red.body;  // not on the event
  EXPECT_EQ(&TemplateFor("", "chain.created"), &ShippedTemplates().at("default"));
}

}  // namespace
}  // namespace chainhub::notify
