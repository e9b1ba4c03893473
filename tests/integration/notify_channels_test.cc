// A notice reaches its recipients' endpoints, over real gRPC into the service: the endpoint is
// made through the API, the notice is sent through the API, and a real HTTP receiver verifies the
// Standard Webhooks signature of what arrives. Endpoints and dispatches are admin only, and a
// secret is never read back.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "google/protobuf/util/time_util.h"
#include "tests/support/notify_fixture.h"
#include "tests/support/webhook_receiver.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;
using google::protobuf::util::TimeUtil;

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class NotifyChannels : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  v1::Endpoint MakeWebhook(const std::string& id, const std::string& recipient) {
    v1::CreateEndpointRequest req;
    v1::Endpoint* e = req.mutable_endpoint();
    e->set_name("endpoints/" + id);
    e->set_display_name("自然资源和规划局 OA");
    e->set_recipient(recipient);
    e->set_channel(v1::WEBHOOK);
    e->set_url(receiver_.Url("/oa"));
    e->set_secret(kSecret);
    req.set_request_id("endpoint-" + id);
    v1::Endpoint made;
    grpc::Status s = f_.Admin()(&NotifyStub::CreateEndpoint, req, &made);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return made;
  }

  v1::Notice SendSupervision(const std::string& request_id) {
    v1::SendNoticeRequest req;
    v1::Notice* n = req.mutable_notice();
    n->set_kind(v1::SUPERVISION);
    n->set_title("关于光伏玻璃项目二期用地指标的督办函");
    n->set_body("请于3个工作日内反馈对接省厅情况。");
    n->add_recipients("departments/zrzyj");
    n->add_recipients("departments/fgw");
    n->set_chain("pv");
    *n->mutable_receipt_deadline() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(f_.clock().Now() + absl::Hours(72)));
    req.set_request_id(request_id);
    v1::Notice sent;
    grpc::Status s = f_.ChainOffice("pv")(&NotifyStub::SendNotice, req, &sent);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return sent;
  }

  NotifyFixture f_;
  WebhookReceiver receiver_;
};

TEST_F(NotifyChannels, ANoticeReachesTheRecipientsWebhookSignedWithItsDelivery) {
  receiver_.VerifyWebhooks(kSecret);
  MakeWebhook("zrzyj-oa", "departments/zrzyj");
  const v1::Notice sent = SendSupervision("send-1");

  ASSERT_TRUE(receiver_.WaitForCount(1, absl::Seconds(20)));
  // Only zrzyj has an endpoint: fgw's delivery stays in its inbox alone.
  absl::SleepFor(absl::Milliseconds(200));
  const auto received = receiver_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].verified) << received[0].verify_error;
  const auto body = nlohmann::json::parse(received[0].body);
  EXPECT_EQ(body["type"], "notify.delivery");
  EXPECT_EQ(body["data"]["name"], sent.name() + "/deliveries/dept-zrzyj");
  EXPECT_EQ(body["data"]["recipient"], "departments/zrzyj");
  EXPECT_EQ(body["data"]["title"], sent.title());

  // The dispatch is listed as SENT, with the webhook-id the receiver saw.
  v1::ListDispatchesRequest list;
  list.set_filter("state = \"SENT\"");
  v1::ListDispatchesResponse dispatches;
  ASSERT_TRUE(f_.Admin()(&NotifyStub::ListDispatches, list, &dispatches).ok());
  ASSERT_EQ(dispatches.dispatches_size(), 1);
  EXPECT_EQ(dispatches.dispatches(0).name(), "dispatches/" + received[0].webhook_id);
  EXPECT_EQ(dispatches.dispatches(0).deliveries(0), sent.name() + "/deliveries/dept-zrzyj");

  // A retried SendNotice makes no second notice, so no second webhook.
  SendSupervision("send-1");
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(receiver_.received().size(), 1u);
}

TEST_F(NotifyChannels, EndpointsAreAdminOnlyAndTheirSecretIsNeverReadBack) {
  const v1::Endpoint made = MakeWebhook("zrzyj-oa", "departments/zrzyj");
  EXPECT_TRUE(made.secret().empty());
  EXPECT_TRUE(made.secret_set());
  EXPECT_EQ(made.secret_fingerprint().size(), 8u);

  v1::GetEndpointRequest get;
  get.set_name(made.name());
  v1::Endpoint got;
  EXPECT_EQ(f_.Department("zrzyj")(&NotifyStub::GetEndpoint, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(f_.ChainOffice("pv")
                .Status(&NotifyStub::ListDispatches, v1::ListDispatchesRequest())
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(f_.Admin()(&NotifyStub::GetEndpoint, get, &got).ok());
  EXPECT_TRUE(got.secret().empty());

  // A URL off the operator's allow-list is refused, naming the field.
  v1::CreateEndpointRequest outside;
  *outside.mutable_endpoint() = made;
  outside.mutable_endpoint()->set_name("endpoints/elsewhere");
  outside.mutable_endpoint()->set_url("https://example.com/hook");
  outside.set_request_id("endpoint-elsewhere");
  grpc::Status s = f_.Admin()(&NotifyStub::CreateEndpoint, outside, &got);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("endpoint.url"), std::string::npos) << s.error_message();
}

}  // namespace
}  // namespace chainhub::testing
