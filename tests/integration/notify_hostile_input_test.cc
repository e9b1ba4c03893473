// The hostile-input catalogue (tests/support/hostile_input.h) against every method notify serves:
// each call ends in a proper refusal (or an ordinary answer to a read) with a short message, and
// the store is as it was. Text fields refuse control characters and bidi overrides, naming the
// field; numbers no field takes are refused too.
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "tests/support/hostile_input.h"
#include "tests/support/notify_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;
using google::protobuf::util::TimeUtil;

constexpr char kNotifyService[] = "chainhub.notify.v1.Notifier";

// Declared in notify.proto, not served yet (docs/notify.md, Status).
const std::set<std::string>& NotServed() {
  static const auto* names = new std::set<std::string>{};
  return *names;
}

class NotifyHostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    v1::Notice sent;
    ASSERT_TRUE(f_.Admin()(&NotifyStub::SendNotice, ValidSend("seed"), &sent).ok());
    notice_ = sent.name();
  }
  void TearDown() override { f_.TearDown(); }

  v1::SendNoticeRequest ValidSend(const std::string& request_id) {
    v1::SendNoticeRequest req;
    v1::Notice* n = req.mutable_notice();
    n->set_kind(v1::SUPERVISION);
    n->set_title("督办函");
    n->set_body("请于3个工作日内反馈。");
    n->add_recipients("departments/zrzyj");
    n->set_chain("chains/pv");
    n->set_about("chains/pv");
    *n->mutable_receipt_deadline() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(f_.clock().Now() + absl::Hours(72)));
    req.set_request_id(request_id);
    return req;
  }

  // Every row of notify's tables and the audit trail, as text.
  std::string Snapshot() {
    return TableRows(*f_.store(), {"notices", "deliveries", "delivery_seq", "notify_endpoints",
                                   "notify_dispatches", "notify_attempts", "subscriptions",
                                   "subscription_types", "audit_events"});
  }

  NotifyFixture f_;
  std::string notice_;
};

TEST_F(NotifyHostileInputTest, EveryMethodRefusesHostileInputAndChangesNothing) {
  const std::string before = Snapshot();
  const int calls = Bombard(kNotifyService, f_.target(),
                            MintTestToken("systems/test-admin", {"admin"}), NotServed());
  EXPECT_GT(calls, 500);

  NumberRules reads;
  reads.writes_nothing = true;
  auto admin = f_.Admin();
  // The counts are output only: ignored on input.
  NumberRules send;
  send.ignored = {"notice.delivery_count", "notice.read_count", "notice.acknowledged_count",
                  "notice.overdue_count"};
  int number_calls =
      ExpectEveryNumberFieldChecked(admin, &NotifyStub::SendNotice, ValidSend("numbers"), send);
  number_calls +=
      ExpectEveryNumberFieldChecked(admin, &NotifyStub::ListInbox, v1::ListInboxRequest(), reads);
  number_calls += ExpectEveryNumberFieldChecked(admin, &NotifyStub::ListNotices,
                                                v1::ListNoticesRequest(), reads);
  v1::ListDeliveriesRequest deliveries;
  deliveries.set_parent(notice_);
  number_calls +=
      ExpectEveryNumberFieldChecked(admin, &NotifyStub::ListDeliveries, deliveries, reads);
  EXPECT_GT(number_calls, 5);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(NotifyHostileInputTest, EveryTextFieldRefusesControlAndBidiCharacters) {
  auto admin = f_.Admin();
  v1::SendNoticeRequest send = ValidSend("text");
  // receipt_deadline aside, every string is set; the request id is checked like the others.
  ExpectEveryTextFieldChecked(admin, &NotifyStub::SendNotice, send);
  v1::AcknowledgeDeliveryRequest ack;
  ack.set_name(notice_ + "/deliveries/dept-zrzyj");
  ack.set_note("已签收");
  ack.set_etag("x");
  ExpectEveryTextFieldChecked(admin, &NotifyStub::AcknowledgeDelivery, ack, {"etag"});
  v1::ListInboxRequest inbox;
  inbox.set_filter("state = \"DELIVERED\"");
  ExpectEveryTextFieldChecked(admin, &NotifyStub::ListInbox, inbox);
}

}  // namespace
}  // namespace chainhub::testing
