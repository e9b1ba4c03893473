// Notices over real gRPC: sending, each recipient's inbox, reading and signing (签收), who has not
// signed, retries, authorization and bad input.
#include <gtest/gtest.h>

#include "chainhub/notify/v1/notify_events.pb.h"
#include "google/protobuf/util/time_util.h"
#include "tests/support/events_util.h"
#include "tests/support/notify_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;
using google::protobuf::util::TimeUtil;

class NotifyService : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  // A supervision letter from pv's chain office to two departments and pv's leader's office,
  // due in `hours`.
  v1::SendNoticeRequest Supervision(const std::string& request_id, int hours = 72) {
    v1::SendNoticeRequest req;
    v1::Notice* n = req.mutable_notice();
    n->set_kind(v1::SUPERVISION);
    n->set_title("关于光伏玻璃项目二期用地指标的督办函");
    n->set_body("请市自然资源和规划局于3个工作日内反馈对接省厅情况。");
    n->add_recipients("departments/zrzyj");
    n->add_recipients("departments/fgw");
    n->add_recipients("chains/pv/leader");
    n->set_chain("pv");
    n->set_about("projects/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
    *n->mutable_receipt_deadline() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(f_.clock().Now() + absl::Hours(hours)));
    req.set_request_id(request_id);
    return req;
  }

  v1::Notice Send(const NotifyCaller& as, const v1::SendNoticeRequest& req) {
    v1::Notice notice;
    grpc::Status s = as(&NotifyStub::SendNotice, req, &notice);
    EXPECT_TRUE(s.ok()) << s.error_message() << " " << s.error_details();
    return notice;
  }

  v1::ListInboxResponse Inbox(const NotifyCaller& as, const std::string& filter = "") {
    v1::ListInboxRequest req;
    req.set_filter(filter);
    v1::ListInboxResponse resp;
    grpc::Status s = as(&NotifyStub::ListInbox, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  NotifyFixture f_;
};

TEST_F(NotifyService, ANoticeReachesTheInboxOfEachRecipientOnly) {
  const v1::Notice notice = Send(f_.ChainOffice("pv"), Supervision("dispatch-1"));
  EXPECT_EQ(notice.sender(), "departments/fgw");
  EXPECT_TRUE(notice.receipt_required());
  EXPECT_EQ(notice.delivery_count(), 3);
  EXPECT_EQ(notice.acknowledged_count(), 0);

  const auto zrzyj = Inbox(f_.Department("zrzyj"));
  ASSERT_EQ(zrzyj.deliveries_size(), 1);
  EXPECT_EQ(zrzyj.unread_count(), 1);
  const v1::Delivery& d = zrzyj.deliveries(0);
  EXPECT_EQ(d.name(), notice.name() + "/deliveries/dept-zrzyj");
  EXPECT_EQ(d.state(), v1::DELIVERED);
  EXPECT_EQ(d.title(), notice.title());
  EXPECT_EQ(d.body(), notice.body());
  EXPECT_EQ(d.chain(), "chains/pv");
  EXPECT_TRUE(d.receipt_required());

  EXPECT_EQ(Inbox(f_.Department("zsj")).deliveries_size(), 0);
  // pv's chain office (subject departments/fgw) sees its own department's delivery and the
  // leader's office; a semiconductor office sees neither.
  EXPECT_EQ(Inbox(f_.ChainOffice("pv")).deliveries_size(), 2);
  EXPECT_EQ(Inbox(f_.As(MintTestToken("departments/jxj", {"chain_office"}, {"semiconductor"})))
                .deliveries_size(),
            0);
  EXPECT_EQ(Inbox(f_.Admin()).deliveries_size(), 3);
  EXPECT_EQ(Inbox(f_.Admin(), "recipient = \"chains/pv/leader\"").deliveries_size(), 1);
}

TEST_F(NotifyService, ARetryWithTheSameRequestIdMakesNoSecondNotice) {
  const v1::Notice first = Send(f_.ChainOffice("pv"), Supervision("dispatch-2"));
  const v1::Notice again = Send(f_.ChainOffice("pv"), Supervision("dispatch-2"));
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(Inbox(f_.Department("zrzyj")).deliveries_size(), 1);
  // The same id with another payload is refused.
  v1::SendNoticeRequest other = Supervision("dispatch-2");
  other.mutable_notice()->set_title("另一份督办函");
  v1::Notice ignored;
  EXPECT_FALSE(f_.ChainOffice("pv")(&NotifyStub::SendNotice, other, &ignored).ok());
}

TEST_F(NotifyService, ReadThenSignAndTheSenderSeesWhoHasNotSigned) {
  const v1::Notice notice = Send(f_.ChainOffice("pv"), Supervision("dispatch-3"));
  NotifyCaller zrzyj = f_.Department("zrzyj");
  const std::string name = notice.name() + "/deliveries/dept-zrzyj";

  v1::MarkReadRequest read;
  read.set_name(name);
  v1::Delivery d;
  ASSERT_TRUE(zrzyj(&NotifyStub::MarkRead, read, &d).ok());
  EXPECT_EQ(d.state(), v1::READ);
  EXPECT_TRUE(d.has_read_time());
  EXPECT_EQ(Inbox(zrzyj).unread_count(), 0);

  v1::AcknowledgeDeliveryRequest ack;
  ack.set_name(name);
  ack.set_note("已对接省厅，指标预计11月下达。\n联系人：张三");
  ack.set_etag("stale-etag");
  EXPECT_EQ(zrzyj(&NotifyStub::AcknowledgeDelivery, ack, &d).error_code(),
            grpc::StatusCode::ABORTED);
  ack.set_etag(d.etag());
  ASSERT_TRUE(zrzyj(&NotifyStub::AcknowledgeDelivery, ack, &d).ok());
  EXPECT_EQ(d.state(), v1::ACKNOWLEDGED);
  EXPECT_EQ(d.acknowledged_by(), "departments/zrzyj");
  EXPECT_FALSE(d.late());
  // Signing again with the same note is the same answer; with another note it is refused.
  v1::Delivery again;
  ASSERT_TRUE(zrzyj(&NotifyStub::AcknowledgeDelivery, ack, &again).ok());
  EXPECT_EQ(again.etag(), d.etag());
  ack.set_note("另一条回复");
  ack.clear_etag();
  EXPECT_EQ(zrzyj(&NotifyStub::AcknowledgeDelivery, ack, &again).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::ListDeliveriesRequest list;
  list.set_parent(notice.name());
  list.set_filter("state != \"ACKNOWLEDGED\"");
  v1::ListDeliveriesResponse unsigned_;
  ASSERT_TRUE(f_.ChainOffice("pv")(&NotifyStub::ListDeliveries, list, &unsigned_).ok());
  ASSERT_EQ(unsigned_.deliveries_size(), 2);
  EXPECT_EQ(unsigned_.deliveries(0).recipient(), "departments/fgw");
  EXPECT_EQ(unsigned_.deliveries(1).recipient(), "chains/pv/leader");
  EXPECT_EQ(unsigned_.state_counts().at("ACKNOWLEDGED"), 1);
  EXPECT_EQ(unsigned_.state_counts().at("DELIVERED"), 2);
  EXPECT_EQ(unsigned_.state_counts().at("OVERDUE"), 0);

  v1::GetNoticeRequest get;
  get.set_name(notice.name());
  v1::Notice counted;
  ASSERT_TRUE(zrzyj(&NotifyStub::GetNotice, get, &counted).ok());
  EXPECT_EQ(counted.acknowledged_count(), 1);
  EXPECT_EQ(counted.read_count(), 1);
  // A recipient may read the notice, but not the receipts of the others.
  EXPECT_EQ(zrzyj(&NotifyStub::ListDeliveries, list, &unsigned_).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(f_.Department("zsj")(&NotifyStub::GetNotice, get, &counted).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(NotifyService, SendingAndSigningAreAnnouncedOnTheStream) {
  const v1::Notice notice = Send(f_.ChainOffice("pv"), Supervision("announce-1"));
  v1::AcknowledgeDeliveryRequest ack;
  ack.set_name(notice.name() + "/deliveries/dept-zrzyj");
  v1::Delivery d;
  ASSERT_TRUE(f_.Department("zrzyj")(&NotifyStub::AcknowledgeDelivery, ack, &d).ok());
  EXPECT_TRUE(Eventually([&] {
    auto entries = f_.redis_client()->Command({"XRANGE", std::string(kEventStream), "-", "+"});
    return entries.ok() && Mentions(*entries, "notify.notice_sent") &&
           Mentions(*entries, "notify.delivery_acknowledged") && Mentions(*entries, ack.name());
  }));
}

TEST_F(NotifyService, SigningAfterTheDeadlineIsMarkedLate) {
  const v1::Notice notice = Send(f_.ChainOffice("pv"), Supervision("dispatch-4", 1));
  f_.clock().Advance(absl::Minutes(61));
  v1::AcknowledgeDeliveryRequest ack;
  ack.set_name(notice.name() + "/deliveries/dept-fgw");
  v1::Delivery d;
  // A token still valid on the advanced clock.
  NotifyCaller fgw = f_.As(MintTestToken("departments/fgw", {"department"}, {}, absl::Hours(3)));
  grpc::Status s = fgw(&NotifyStub::AcknowledgeDelivery, ack, &d);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(d.late());
}

TEST_F(NotifyService, NobodySignsForAnotherRecipient) {
  const v1::Notice notice = Send(f_.ChainOffice("pv"), Supervision("dispatch-5"));
  v1::AcknowledgeDeliveryRequest ack;
  ack.set_name(notice.name() + "/deliveries/dept-zrzyj");
  v1::Delivery d;
  EXPECT_EQ(f_.Department("fgw")(&NotifyStub::AcknowledgeDelivery, ack, &d).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::MarkReadRequest read;
  read.set_name(notice.name() + "/deliveries/leader-pv");
  EXPECT_EQ(f_.Department("zrzyj")(&NotifyStub::MarkRead, read, &d).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(f_.ChainOffice("pv")(&NotifyStub::MarkRead, read, &d).ok());
}

TEST_F(NotifyService, WhoMaySendAndBadInput) {
  v1::Notice ignored;
  // A department does not send notices; a chain office not to another chain's office.
  EXPECT_EQ(
      f_.Department("zrzyj")(&NotifyStub::SendNotice, Supervision("s-1"), &ignored).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::SendNoticeRequest other_chain = Supervision("s-2");
  other_chain.mutable_notice()->add_recipients("chains/semiconductor/office");
  EXPECT_EQ(f_.ChainOffice("pv")(&NotifyStub::SendNotice, other_chain, &ignored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::SendNoticeRequest no_id = Supervision("");
  EXPECT_EQ(f_.Admin()(&NotifyStub::SendNotice, no_id, &ignored).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::SendNoticeRequest bad = Supervision("s-3");
  bad.mutable_notice()->set_title(std::string(3000, 'x'));
  bad.mutable_notice()->add_recipients("departments/ZRZYJ\x01");
  grpc::Status s = f_.Admin()(&NotifyStub::SendNotice, bad, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("notice.title"), std::string::npos);
  EXPECT_NE(s.error_message().find("notice.recipients[3]"), std::string::npos);
  EXPECT_EQ(Inbox(f_.Admin()).deliveries_size(), 0) << "nothing was made";
  v1::GetNoticeRequest get;
  get.set_name("notices/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
  EXPECT_EQ(f_.Admin()(&NotifyStub::GetNotice, get, &ignored).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(NotifyService, PagesOfTheInboxAreNewestFirstAndComplete) {
  for (int i = 0; i < 7; ++i) {
    v1::SendNoticeRequest req;
    req.mutable_notice()->set_kind(v1::NOTICE);
    req.mutable_notice()->set_title(absl::StrCat("调度通知 ", i));
    req.mutable_notice()->add_recipients("roles/department");
    req.set_request_id(absl::StrCat("page-", i));
    Send(f_.Admin(), req);
  }
  NotifyCaller dept = f_.Department("zsj");
  std::vector<std::string> titles;
  v1::ListInboxRequest req;
  req.set_page_size(3);
  for (int page = 0; page < 5; ++page) {
    v1::ListInboxResponse resp;
    ASSERT_TRUE(dept(&NotifyStub::ListInbox, req, &resp).ok());
    for (const auto& d : resp.deliveries()) titles.push_back(d.title());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  ASSERT_EQ(titles.size(), 7u);
  EXPECT_EQ(titles.front(), "调度通知 6");
  EXPECT_EQ(titles.back(), "调度通知 0");
}

TEST_F(NotifyService, AnUnsignedSupervisionLetterGoesOverdueAndEscalatesOnce) {
  const v1::Notice letter = Send(f_.ChainOffice("pv"), Supervision("letter-1", 1));
  v1::AcknowledgeDeliveryRequest ack;
  ack.set_name(letter.name() + "/deliveries/dept-fgw");
  ack.set_note("收到");
  v1::Delivery signed_by_fgw;
  ASSERT_TRUE(f_.Department("fgw")(&NotifyStub::AcknowledgeDelivery, ack, &signed_by_fgw).ok());

  // Tokens still valid on the advanced clock.
  const NotifyCaller zrzyj_caller =
      f_.As(MintTestToken("departments/zrzyj", {"department"}, {}, absl::Hours(3)));
  const NotifyCaller pv_office =
      f_.As(MintTestToken("departments/fgw", {"chain_office"}, {"pv"}, absl::Hours(3)));

  auto before = f_.service().SweepOnce();
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->overdue, 0);

  f_.clock().Advance(absl::Minutes(61));
  auto swept = f_.service().SweepOnce();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(swept->overdue, 2);  // zrzyj and the leader's office; fgw signed in time
  EXPECT_EQ(swept->escalated, 1);

  const auto zrzyj = Inbox(zrzyj_caller);
  ASSERT_EQ(zrzyj.deliveries_size(), 1);
  EXPECT_EQ(zrzyj.deliveries(0).state(), v1::OVERDUE);
  EXPECT_TRUE(zrzyj.deliveries(0).escalated());
  // The leader's office gets one alert naming who has not signed.
  const auto alerts = Inbox(pv_office, "kind = \"ALERT\"");
  ASSERT_EQ(alerts.deliveries_size(), 1);
  const v1::Delivery& alert = alerts.deliveries(0);
  EXPECT_EQ(alert.recipient(), "chains/pv/leader");
  EXPECT_EQ(alert.title(), "【逾期未签收】" + letter.title());
  EXPECT_NE(alert.body().find("- departments/zrzyj"), std::string::npos) << alert.body();
  EXPECT_EQ(alert.body().find("- departments/fgw"), std::string::npos) << alert.body();
  EXPECT_EQ(alert.about(), letter.about());

  // Sweeping again changes nothing: a letter escalates once.
  f_.clock().Advance(absl::Minutes(1));
  auto again = f_.service().SweepOnce();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->overdue, 0);
  EXPECT_EQ(again->escalated, 0);
  EXPECT_EQ(Inbox(pv_office, "kind = \"ALERT\"").deliveries_size(), 1);

  // Signing an overdue delivery still counts, marked late.
  ack.set_name(letter.name() + "/deliveries/dept-zrzyj");
  v1::Delivery late;
  ASSERT_TRUE(zrzyj_caller(&NotifyStub::AcknowledgeDelivery, ack, &late).ok());
  EXPECT_EQ(late.state(), v1::ACKNOWLEDGED);
  EXPECT_TRUE(late.late());
  v1::GetNoticeRequest get;
  get.set_name(letter.name());
  v1::Notice now;
  ASSERT_TRUE(pv_office(&NotifyStub::GetNotice, get, &now).ok());
  EXPECT_EQ(now.acknowledged_count(), 2);
  EXPECT_EQ(now.overdue_count(), 1);

  // Overdue deliveries are announced on the stream.
  auto stream = f_.redis_client()->Command({"XRANGE", "chainhub:events", "-", "+"});
  ASSERT_TRUE(stream.ok());
  EXPECT_TRUE(Mentions(*stream, "notify.delivery_overdue"));
}

}  // namespace
}  // namespace chainhub::testing
