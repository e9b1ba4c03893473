// Notify's pure rules: recipients, who acts for them and who may address them, names, what a
// notice may hold.
#include <gtest/gtest.h>

#include "common/base/status_util.h"
#include "google/protobuf/util/time_util.h"
#include "services/notify/names.h"
#include "services/notify/notices.h"
#include "services/notify/recipients.h"

namespace chainhub::notify {
namespace {

Principal Make(std::string subject, std::set<std::string, std::less<>> roles,
               std::set<std::string, std::less<>> chains = {}) {
  return Principal{std::move(subject), std::move(roles), std::move(chains)};
}

Recipient R(absl::string_view text) {
  auto r = Recipient::Parse("r", text);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Recipient{};
}

TEST(NotifyRecipients, ParsesTheFourFormsAndFormatsThemBack) {
  for (absl::string_view text : {"departments/fgw", "chains/pv/office", "chains/pv/leader",
                                 "roles/chain_office"}) {
    EXPECT_EQ(R(text).String(), text);
  }
  EXPECT_EQ(R("chains/pv/office").chain(), "pv");
  EXPECT_EQ(R("departments/fgw").chain(), "");
  EXPECT_EQ(DeliveryIdOf(R("departments/fgw")), "dept-fgw");
  EXPECT_EQ(DeliveryIdOf(R("chains/pv/leader")), "leader-pv");
}

TEST(NotifyRecipients, RefusesAnythingElseNamingTheFieldAndTheForms) {
  for (absl::string_view bad : {"", "departments/", "departments/FGW", "chains/pv",
                                "chains/pv/members", "roles/mayor", "users/1", "chains//office"}) {
    auto r = Recipient::Parse("notice.recipients[0]", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("notice.recipients[0]"), std::string::npos);
    EXPECT_NE(r.status().message().find("chains/{chain}/office"), std::string::npos);
  }
}

TEST(NotifyRecipients, ActsForItsSubjectItsChainsOfficesAndItsRoles) {
  const Principal office = Make("departments/fgw", {"chain_office", "department"}, {"pv"});
  EXPECT_TRUE(ActsFor(office, R("departments/fgw")));
  EXPECT_FALSE(ActsFor(office, R("departments/zsj")));
  EXPECT_TRUE(ActsFor(office, R("chains/pv/office")));
  EXPECT_TRUE(ActsFor(office, R("chains/pv/leader")));
  EXPECT_FALSE(ActsFor(office, R("chains/semiconductor/office")));
  EXPECT_TRUE(ActsFor(office, R("roles/department")));
  EXPECT_FALSE(ActsFor(office, R("roles/viewer")));
  const Principal dept = Make("departments/zsj", {"department"});
  EXPECT_FALSE(ActsFor(dept, R("chains/pv/office")));
  EXPECT_TRUE(ActsFor(Make("systems/run", {"admin"}), R("chains/semiconductor/leader")));

  EXPECT_EQ(RecipientsActedFor(office),
            (std::vector<std::string>{"departments/fgw", "chains/pv/office", "chains/pv/leader",
                                      "roles/chain_office", "roles/department"}));
  EXPECT_EQ(RecipientsActedFor(Make("systems/feed", {"viewer"})),
            (std::vector<std::string>{"roles/viewer"}));
}

TEST(NotifyRecipients, AChainOfficeAddressesDepartmentsAndItsOwnChainsOnly) {
  const Principal office = Make("departments/fgw", {"chain_office"}, {"pv"});
  EXPECT_TRUE(RequireMaySendTo(office, R("departments/zsj")).ok());
  EXPECT_TRUE(RequireMaySendTo(office, R("chains/pv/leader")).ok());
  EXPECT_TRUE(RequireMaySendTo(office, R("roles/department")).ok());
  EXPECT_EQ(RequireMaySendTo(office, R("chains/semiconductor/office")).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireMaySendTo(office, R("roles/admin")).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(RequireMaySendTo(Make("departments/zsj", {"department"}), R("departments/fgw")).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireMaySendTo(Make("systems/run", {"admin"}), R("roles/admin")).ok());
}

TEST(NotifyNames, ParseAndFormat) {
  auto d = DeliveryName::Parse("name", "notices/0192f0c4-aaaa-7bbb-8ccc-123456789abc/deliveries/dept-fgw");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->notice, "0192f0c4-aaaa-7bbb-8ccc-123456789abc");
  EXPECT_EQ(d->id, "dept-fgw");
  EXPECT_EQ(d->String(), "notices/0192f0c4-aaaa-7bbb-8ccc-123456789abc/deliveries/dept-fgw");
  EXPECT_FALSE(DeliveryName::Parse("name", "notices/x/deliveries/dept-fgw").ok());
  EXPECT_FALSE(NoticeName::Parse("name", "notices/ABC").ok());
  EXPECT_FALSE(NoticeName::Parse("name", "notices/" + std::string(65, 'a')).ok());
}

v1::Notice Valid(absl::Time now) {
  v1::Notice n;
  n.set_kind(v1::SUPERVISION);
  n.set_title("关于光伏玻璃项目用地问题的督办函");
  n.set_body("请于三个工作日内反馈。\n\t附：问题清单");
  n.add_recipients("departments/zrzyj");
  n.add_recipients("chains/pv/office");
  n.set_about("issues/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
  n.set_chain("pv");
  n.set_receipt_required(true);
  *n.mutable_receipt_deadline() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(now + absl::Hours(72)));
  return n;
}

TEST(NotifyNotices, AValidSupervisionNoticeIsNormalised) {
  const absl::Time now = absl::FromUnixSeconds(1790000000);
  v1::Notice n = Valid(now);
  n.set_receipt_required(false);  // SUPERVISION always requires a receipt
  auto checked = CheckNotice(n, now);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_TRUE(checked->notice.receipt_required());
  EXPECT_EQ(checked->notice.chain(), "chains/pv");
  ASSERT_EQ(checked->recipients.size(), 2u);
  EXPECT_EQ(checked->recipients[1].String(), "chains/pv/office");
}

TEST(NotifyNotices, EveryBrokenRuleIsNamedInOneAnswer) {
  const absl::Time now = absl::FromUnixSeconds(1790000000);
  v1::Notice n = Valid(now);
  n.set_kind(v1::NOTICE_KIND_UNSPECIFIED);
  n.set_title(std::string("bad\x01title"));
  n.add_recipients("departments/zrzyj");  // repeat
  n.add_recipients("nobody");
  n.set_about("enterprises/x");
  n.set_chain("Chains!");
  auto checked = CheckNotice(n, now);
  ASSERT_FALSE(checked.ok());
  std::set<std::string> fields;
  for (const auto& v : FieldViolationsOf(checked.status())) fields.insert(v.field);
  EXPECT_EQ(fields, (std::set<std::string>{"notice.kind", "notice.title", "notice.recipients[2]",
                                           "notice.recipients[3]", "notice.about",
                                           "notice.chain"}));
}

TEST(NotifyNotices, ReceiptDeadlineRules) {
  const absl::Time now = absl::FromUnixSeconds(1790000000);
  v1::Notice past = Valid(now);
  *past.mutable_receipt_deadline() =
      google::protobuf::util::TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(now) - 1);
  EXPECT_FALSE(CheckNotice(past, now).ok());
  v1::Notice none = Valid(now);
  none.clear_receipt_deadline();
  EXPECT_FALSE(CheckNotice(none, now).ok());
  v1::Notice info = Valid(now);
  info.set_kind(v1::NOTICE);
  info.set_receipt_required(false);
  EXPECT_FALSE(CheckNotice(info, now).ok()) << "a deadline without a required receipt";
  info.clear_receipt_deadline();
  EXPECT_TRUE(CheckNotice(info, now).ok());
  v1::Notice empty = Valid(now);
  empty.clear_recipients();
  EXPECT_FALSE(CheckNotice(empty, now).ok());
  v1::Notice many = Valid(now);
  many.clear_recipients();
  for (int i = 0; i <= kMaxRecipients; ++i) many.add_recipients(absl::StrCat("departments/d", i));
  EXPECT_FALSE(CheckNotice(many, now).ok());
}

}  // namespace
}  // namespace chainhub::notify
