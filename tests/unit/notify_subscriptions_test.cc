// The pure rules of subscriptions: an event's facts, the filter over them, who a rule notifies,
// quiet hours, and the Chinese templates.
#include <gtest/gtest.h>

#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "services/notify/event_facts.h"
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
  s.set_repeat_hours(24);
  EXPECT_EQ(CheckSubscription(s).code(), absl::StatusCode::kUnimplemented);
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
