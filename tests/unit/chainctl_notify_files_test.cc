// chainctl's notify files: a subscriptions file read into Subscription protos, every kind of bad
// input refused naming the entry and the field; what `subscriptions show` prints applying back;
// the comparison that keeps `subscriptions apply` from touching unchanged subscriptions; an
// endpoint file, which may not hold the secret, and the update mask it makes.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "chainhub/support/v1/support_events.pb.h"
#include "common/store/filter.h"
#include "services/notify/event_facts.h"
#include "services/notify/subscriptions.h"
#include "services/notify/templates.h"
#include "tools/chainctl/notify_files.h"

namespace chainhub::chainctl {
namespace {

namespace nv1 = ::chainhub::notify::v1;

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;

constexpr char kTwoSubscriptions[] = R"(
- name: subscriptions/red-light
  display_name: 红灯预警
  event_types: [intake.project.light_changed]
  filter: 'light = "RED"'
  recipient_sources: [RESPONSIBLE_DEPARTMENT, CHAIN_OFFICE]
  kind: ALERT
  receipt_required: true
  receipt_hours: 48
  digest: DIGEST_NONE
  quiet_hours: {start: "22:00", end: "07:00"}
  template: red-light
- name: overdue-items
  event_types:
    - intake.work_item.overdue
  recipient_sources: [FIXED, OWNER_DEPARTMENT]
  recipients: [departments/fgw, chains/pv/office]
  kind: REMINDER
  digest: DIGEST_DAILY
  digest_time: "08:30"
  etag: '"7"'
)";

std::vector<nv1::Subscription> Parsed(absl::string_view text) {
  absl::StatusOr<std::vector<nv1::Subscription>> subs = ParseSubscriptionsFile(text);
  EXPECT_TRUE(subs.ok()) << subs.status();
  return subs.value_or(std::vector<nv1::Subscription>());
}

// The error for `text`, which must be refused.
std::string Refusal(absl::string_view text) {
  absl::StatusOr<std::vector<nv1::Subscription>> subs = ParseSubscriptionsFile(text);
  EXPECT_FALSE(subs.ok()) << text;
  if (subs.ok()) return "";
  EXPECT_EQ(subs.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(subs.status().message());
}

TEST(ChainctlNotifyFilesTest, ReadsAListOfSubscriptionsInProtoFieldNames) {
  std::vector<nv1::Subscription> subs = Parsed(kTwoSubscriptions);
  ASSERT_EQ(subs.size(), 2u);
  const nv1::Subscription& red = subs[0];
  EXPECT_EQ(red.name(), "subscriptions/red-light");
  EXPECT_EQ(red.display_name(), "红灯预警");
  EXPECT_THAT(red.event_types(), ElementsAre("intake.project.light_changed"));
  EXPECT_EQ(red.filter(), "light = \"RED\"");
  EXPECT_THAT(red.recipient_sources(), ElementsAre(nv1::RESPONSIBLE_DEPARTMENT, nv1::CHAIN_OFFICE));
  EXPECT_EQ(red.kind(), nv1::ALERT);
  EXPECT_TRUE(red.receipt_required());
  EXPECT_EQ(red.receipt_hours(), 48);
  EXPECT_EQ(red.digest(), nv1::DIGEST_NONE);
  EXPECT_EQ(red.quiet_hours().start(), "22:00");
  EXPECT_EQ(red.quiet_hours().end(), "07:00");
  EXPECT_EQ(red.template_(), "red-light");
  const nv1::Subscription& overdue = subs[1];
  // A bare id takes the collection; the etag (output only) is ignored.
  EXPECT_EQ(overdue.name(), "subscriptions/overdue-items");
  EXPECT_THAT(overdue.recipient_sources(), ElementsAre(nv1::FIXED, nv1::OWNER_DEPARTMENT));
  EXPECT_THAT(overdue.recipients(), ElementsAre("departments/fgw", "chains/pv/office"));
  EXPECT_EQ(overdue.digest(), nv1::DIGEST_DAILY);
  EXPECT_EQ(overdue.digest_time(), "08:30");
  EXPECT_EQ(overdue.etag(), "");
}

TEST(ChainctlNotifyFilesTest, ASubscriptionsKeyAndJsonWithJsonNamesAreReadToo) {
  std::vector<nv1::Subscription> subs =
      Parsed(R"({"subscriptions": [{"name": "a1", "eventTypes": ["x.y"], "kind": "NOTICE"}]})");
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].name(), "subscriptions/a1");
  EXPECT_THAT(subs[0].event_types(), ElementsAre("x.y"));
  EXPECT_TRUE(Parsed("[]").empty());
}

TEST(ChainctlNotifyFilesTest, ShowPrintsAFileThatAppliesBack) {
  std::vector<nv1::Subscription> subs = Parsed(kTwoSubscriptions);
  ASSERT_EQ(subs.size(), 2u);
  nv1::Subscription stored = subs[0];
  stored.set_etag("\"3\"");
  stored.mutable_create_time()->set_seconds(1780000000);
  const std::string yaml = SubscriptionsToYaml({stored});
  EXPECT_EQ(yaml.find("etag"), std::string::npos) << yaml;
  EXPECT_EQ(yaml.find("create_time"), std::string::npos) << yaml;
  std::vector<nv1::Subscription> back = Parsed(yaml);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(MessageDifferencer::Equals(back[0], subs[0])) << yaml;
}

TEST(ChainctlNotifyFilesTest, BadFilesAreRefusedNamingTheEntryAndTheField) {
  // An unknown field, with its place and the known ones.
  EXPECT_THAT(Refusal("- name: a1\n  event_types: [x]\n- name: b1\n  event_typo: [x]\n"),
              ::testing::StartsWith("line 4, column 3: subscriptions[1]: unknown key 'event_typo' "
                                    "(known: name, display_name, event_types,"));
  // An enum value that is none of the type's.
  EXPECT_EQ(
      Refusal("- name: a1\n  event_types: [x]\n  recipient_sources: [CHAIN_OFFICE, NOBODY]\n"),
      "line 3, column 37: subscriptions[0].recipient_sources[1]: must be one of "
      "RECIPIENT_SOURCE_UNSPECIFIED, FIXED, RESPONSIBLE_DEPARTMENT, OWNER_DEPARTMENT, "
      "CHAIN_OFFICE, CHAIN_LEADER, EVERY_CHAIN_OFFICE, got 'NOBODY'");
  EXPECT_THAT(Refusal("- name: a1\n  event_types: [x]\n  kind: URGENT\n"),
              ::testing::StartsWith("line 3, column 9: subscriptions[0].kind: must be one of "));
  // A value of the wrong shape.
  EXPECT_EQ(Refusal("- name: a1\n  event_types: [x]\n  receipt_hours: two days\n"),
            "line 3, column 18: subscriptions[0].receipt_hours: must be a whole number (32-bit), "
            "got 'two days'");
  EXPECT_EQ(Refusal("- name: a1\n  event_types: [x]\n  receipt_required: yes\n"),
            "line 3, column 21: subscriptions[0].receipt_required: must be true or false, got "
            "'yes'");
  EXPECT_EQ(Refusal("- name: a1\n  event_types: x.y\n"),
            "line 2, column 16: subscriptions[0].event_types: must be a list");
  EXPECT_EQ(Refusal("- name: a1\n  event_types: [x]\n  quiet_hours: '22:00-07:00'\n"),
            "line 3, column 16: subscriptions[0].quiet_hours: must be a map of fields");
  EXPECT_THAT(Refusal("- name: a1\n  event_types: [x]\n  filter: \"a\\eb\"\n"),
              ::testing::StartsWith("line 3, column 11: subscriptions[0].filter: must not contain "
                                    "control characters other than newline and tab (U+001B"));
  // What the file must say.
  EXPECT_EQ(Refusal("- name: a1\n  event_types: [x]\n- event_types: [x]\n"),
            "subscriptions[1].name: required (subscriptions/{id})");
  EXPECT_EQ(Refusal("- name: a1\n  event_types: [x]\n- name: b1\n"),
            "subscriptions[1].event_types: at least one is required");
  EXPECT_EQ(
      Refusal("- name: a1\n  event_types: [x]\n- name: subscriptions/a1\n  event_types: [y]\n"),
      "subscriptions[1].name: 'subscriptions/a1' is also subscriptions[0]'s name");
  // Not a list of maps; not YAML at all; another key beside `subscriptions`.
  EXPECT_EQ(Refusal("- just a string\n"),
            "line 1, column 3: subscriptions[0]: must be a map of fields");
  EXPECT_EQ(Refusal("subscriptions: []\nendpoints: []\n"),
            "line 2, column 1: a subscriptions file holds only the key 'subscriptions', got "
            "'endpoints'");
  EXPECT_THAT(Refusal("- name: [a1\n"), ::testing::HasSubstr("not valid YAML"));
  EXPECT_EQ(Refusal(""), "line 1, column 1: the file is empty");
}

TEST(ChainctlNotifyFilesTest, OnlyARealChangeCountsAsOne) {
  std::vector<nv1::Subscription> subs = Parsed(kTwoSubscriptions);
  ASSERT_EQ(subs.size(), 2u);
  nv1::Subscription wanted = subs[1];
  wanted.clear_digest();
  wanted.clear_digest_time();
  nv1::Subscription stored = wanted;
  stored.set_etag("\"4\"");
  stored.mutable_update_time()->set_seconds(1780000000);
  EXPECT_FALSE(SubscriptionChanges(wanted, stored));
  // Left out of the file: the service's default, no change; an empty quiet_hours is none.
  stored.set_digest(nv1::DIGEST_NONE);
  stored.mutable_quiet_hours();
  EXPECT_FALSE(SubscriptionChanges(wanted, stored));
  wanted.clear_kind();
  EXPECT_FALSE(SubscriptionChanges(wanted, stored));
  stored.set_filter("chain = \"pv\"");
  EXPECT_TRUE(SubscriptionChanges(wanted, stored));
  stored.clear_filter();
  stored.set_disabled(true);
  EXPECT_TRUE(SubscriptionChanges(wanted, stored));
}

TEST(ChainctlNotifyFilesTest, AnEndpointFileNeverHoldsTheSecret) {
  absl::StatusOr<nv1::Endpoint> e = ParseEndpointFile(
      "name: fgw-hook\nrecipient: departments/fgw\nchannel: WEBHOOK\n"
      "url: https://hooks.example.cn/fgw\nkinds: [ALERT, SUPERVISION]\nsecret_set: true\n");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->name(), "endpoints/fgw-hook");
  EXPECT_EQ(e->channel(), nv1::WEBHOOK);
  EXPECT_THAT(e->kinds(), ElementsAre(nv1::ALERT, nv1::SUPERVISION));
  EXPECT_FALSE(e->secret_set());
  // The fields an update changes: those the file sets, never the name or an output-only one.
  EXPECT_THAT(EndpointFileFields(*e), ElementsAre("recipient", "channel", "url", "kinds"));

  absl::StatusOr<nv1::Endpoint> secret =
      ParseEndpointFile("name: fgw-hook\nsecret: whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\n");
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().message(),
            "secret: not in the file; give it with --secret_file (a file, or - for standard "
            "input)");
  EXPECT_EQ(secret.status().message().find("whsec_"), absl::string_view::npos);
}

TEST(ChainctlNotifyFilesTest, ABareIdTakesItsCollection) {
  EXPECT_EQ(NotifyResourceName("endpoints", "fgw-hook"), "endpoints/fgw-hook");
  EXPECT_EQ(NotifyResourceName("endpoints", "endpoints/fgw-hook"), "endpoints/fgw-hook");
  EXPECT_EQ(NotifyResourceName("dispatches", "0190f1c2"), "dispatches/0190f1c2");
}

}  // namespace
}  // namespace chainhub::chainctl

namespace chainhub::chainctl {
namespace {

// The shipped rules (data/notify/subscriptions.yaml) parse, and each is one the service accepts:
// its event types are published, its filter names their attributes, its template exists.
TEST(ShippedSubscriptions, EveryRuleOfTheShippedFileIsAcceptedByTheService) {
  std::ifstream file(std::string(CHAINHUB_SOURCE_DIR) + "/data/notify/subscriptions.yaml");
  ASSERT_TRUE(file) << "data/notify/subscriptions.yaml";
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = ParseSubscriptionsFile(text.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_GE(parsed->size(), 11u);
  for (notify::v1::Subscription s : *parsed) {
    SCOPED_TRACE(s.name());
    notify::ApplySubscriptionDefaults(&s);
    absl::Status checked = notify::CheckSubscription(s);
    EXPECT_TRUE(checked.ok()) << checked;
    if (!s.template_().empty()) {
      EXPECT_TRUE(notify::ShippedTemplates().contains(s.template_())) << s.template_();
    }
  }
}


std::vector<notify::v1::Subscription> ShippedRules() {
  std::ifstream file(std::string(CHAINHUB_SOURCE_DIR) + "/data/notify/subscriptions.yaml");
  std::stringstream text;
  text << file.rdbuf();
  auto parsed = ParseSubscriptionsFile(text.str());
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *parsed : std::vector<notify::v1::Subscription>{};
}

// Who the shipped rules notify of `event`: "rule -> recipient" for every rule that matches.
std::vector<std::string> Routed(const CloudEvent& event) {
  auto facts = notify::FactsOf(event);
  EXPECT_TRUE(facts.ok()) << facts.status();
  std::vector<std::string> out;
  if (!facts.ok()) return out;
  for (const notify::v1::Subscription& s : ShippedRules()) {
    if (std::find(s.event_types().begin(), s.event_types().end(), event.type()) ==
        s.event_types().end()) {
      continue;
    }
    std::unique_ptr<FilterNode> filter;
    if (!s.filter().empty()) {
      auto parsed = ParseFilter(s.filter());
      EXPECT_TRUE(parsed.ok()) << parsed.status();
      if (!parsed.ok()) continue;
      filter = *std::move(parsed);
    }
    if (!notify::MatchesFilter(filter.get(), *facts)) continue;
    for (const notify::Recipient& r : notify::RecipientsFor(s, *facts)) {
      out.push_back(s.name() + " -> " + r.String());
    }
  }
  return out;
}

CloudEvent RequestOverdue(const std::string& routed_to) {
  namespace sv1 = ::chainhub::support::v1;
  sv1::RequestDeadlineMissed missed;
  missed.mutable_request()->set_name("requests/r1");
  missed.mutable_request()->set_title("用地指标");
  missed.set_milestone(sv1::CLOSE);
  missed.set_escalation_level(1);
  missed.set_escalated_to("chains/pv/office");
  missed.set_owner_department(routed_to);
  return MakeCloudEvent("support", EventKindDescriptor(sv1::SUPPORT_EVENT_REQUEST_OVERDUE),
                        "requests/r1", "chains/pv", absl::Now(), missed);
}

// A missed request deadline reminds whoever it is routed to: a department itself, a problem
// common to the chain (its working team) through the chain's office; a payout list goes to the
// department that pays it.
TEST(ShippedSubscriptions, SupportEventsReachTheDepartmentOrTheChainOfficeTheyAreRoutedTo) {
  EXPECT_THAT(Routed(RequestOverdue("departments/zrzyj")),
              ElementsAre("subscriptions/request-overdue -> departments/zrzyj"));
  EXPECT_THAT(Routed(RequestOverdue("chains/pv/team")),
              ElementsAre("subscriptions/request-overdue-team -> chains/pv/office"));
  EXPECT_THAT(Routed(RequestOverdue("")), ::testing::IsEmpty());

  namespace sv1 = ::chainhub::support::v1;
  sv1::PayoutListReady ready;
  ready.set_item("policies/p1/items/i1");
  ready.set_item_title("首次升规奖励");
  ready.set_owner_department("departments/jxj");
  ready.set_claims(3);
  ready.set_total_yuan(300000);
  EXPECT_THAT(Routed(MakeCloudEvent("support",
                                    EventKindDescriptor(sv1::SUPPORT_EVENT_PAYOUT_LIST_READY),
                                    "policies/p1/items/i1", "", absl::Now(), ready)),
              ElementsAre("subscriptions/payout-list -> departments/jxj"));
}

}  // namespace
}  // namespace chainhub::chainctl
