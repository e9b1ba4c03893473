// Fault tests on the real chainhub-notify binary beside a real redis-server and a real webhook
// receiver: kill -9 while the `notify` group consumes a burst of events and the dispatcher sends
// their webhooks, restart on the same data dir, and every event has made exactly one notice,
// every delivery's webhook has arrived at least once, and every repeat carried the same
// webhook-id.
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "tests/support/events_util.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_receiver.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;
namespace iv1 = intake::v1;

constexpr int kEvents = 300;
constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class NotifyFault : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("secret")) << kTestSecret;
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_server_ = *std::move(redis);
    redis_ = std::make_unique<RedisClient>(redis_server_->ClientOptions());
    notify_ = std::make_unique<ServiceProcess>(
        dir_, "notify", "services/notify/chainhub-notify",
        std::vector<std::string>{"--redis=" + redis_server_->address(),
                                 "--jwt_secret_file=" + dir_.File("secret"),
                                 "--endpoint_allow=http://127.0.0.1:"});
    receiver_.VerifyWebhooks(kSecret);
  }

  void Start() {
    ASSERT_NO_FATAL_FAILURE(notify_->Start());
    stub_ = v1::Notifier::NewStub(notify_->channel());
  }

  StubCaller<v1::Notifier::Stub> Call() const {
    return StubCaller<v1::Notifier::Stub>(*stub_, MintTestToken("systems/fault", {"admin"}));
  }

  // Every notice, all pages.
  std::vector<v1::Notice> AllNotices() {
    std::vector<v1::Notice> out;
    v1::ListNoticesRequest req;
    req.set_page_size(500);
    while (true) {
      v1::ListNoticesResponse resp;
      if (!Call()(&v1::Notifier::Stub::ListNotices, req, &resp).ok()) return out;
      out.insert(out.end(), resp.notices().begin(), resp.notices().end());
      if (resp.next_page_token().empty()) return out;
      req.set_page_token(resp.next_page_token());
    }
  }

  void Publish(int i) {
    iv1::Project p;
    p.set_name(absl::StrCat("projects/p", i));
    p.set_display_name(absl::StrCat("项目", i));
    p.set_chain("chains/pv");
    p.set_responsible_department("departments/zrzyj");
    p.set_light(iv1::LIGHT_RED);
    CloudEvent e =
        MakeCloudEvent("intake", EventKindDescriptor(iv1::INTAKE_EVENT_PROJECT_LIGHT_CHANGED),
                       p.name(), "chains/pv", absl::Now(), p);
    e.set_id(absl::StrCat("evt-", i));
    auto reply = redis_->Command({"XADD", std::string(kEventStream), "*", "id", e.id(), "type",
                                  e.type(), "event", e.SerializeAsString()});
    ASSERT_TRUE(reply.ok()) << reply.status();
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<ServiceProcess> notify_;
  std::unique_ptr<v1::Notifier::Stub> stub_;
  WebhookReceiver receiver_;
};

TEST_F(NotifyFault, KillNineMidConsumptionAndDeliveryLosesNothingAndRepeatsKeepTheirId) {
  ASSERT_NO_FATAL_FAILURE(Start());
  v1::CreateSubscriptionRequest sub;
  v1::Subscription* s = sub.mutable_subscription();
  s->set_name("subscriptions/red-light");
  s->add_event_types("project.light_changed");
  s->set_filter("light = \"RED\"");
  s->add_recipient_sources(v1::RESPONSIBLE_DEPARTMENT);
  s->set_kind(v1::ALERT);
  v1::Subscription made;
  ASSERT_TRUE(Call()(&v1::Notifier::Stub::CreateSubscription, sub, &made).ok());
  v1::CreateEndpointRequest ep;
  ep.mutable_endpoint()->set_name("endpoints/zrzyj-oa");
  ep.mutable_endpoint()->set_recipient("departments/zrzyj");
  ep.mutable_endpoint()->set_channel(v1::WEBHOOK);
  ep.mutable_endpoint()->set_url(receiver_.Url("/oa"));
  ep.mutable_endpoint()->set_secret(kSecret);
  ep.mutable_endpoint()->set_rate_per_minute(6000);
  v1::Endpoint endpoint;
  ASSERT_TRUE(Call()(&v1::Notifier::Stub::CreateEndpoint, ep, &endpoint).ok());
  // The group exists (made at the first start, from the stream's end) before anything is sent.
  ASSERT_TRUE(Eventually([&] {
    auto groups = redis_->Command({"XINFO", "GROUPS", std::string(kEventStream)});
    return groups.ok() && Mentions(*groups, "notify");
  }));

  for (int i = 0; i < kEvents; ++i) ASSERT_NO_FATAL_FAILURE(Publish(i));
  // Kill it while it is part way through.
  ASSERT_TRUE(Eventually([&] { return receiver_.received().size() >= 20; }, absl::Seconds(30)));
  ASSERT_NO_FATAL_FAILURE(notify_->Kill9());
  const size_t before_restart = receiver_.received().size();
  EXPECT_LT(before_restart, static_cast<size_t>(kEvents)) << "finished before the kill";
  ASSERT_NO_FATAL_FAILURE(Start());

  // Every event made exactly one notice.
  ASSERT_TRUE(Eventually([&] { return AllNotices().size() >= static_cast<size_t>(kEvents); },
                         absl::Seconds(60)));
  std::set<std::string> sources;
  for (const v1::Notice& n : AllNotices()) {
    EXPECT_TRUE(sources.insert(n.source_event()).second) << "two notices of " << n.source_event();
  }
  EXPECT_EQ(sources.size(), static_cast<size_t>(kEvents));

  // Every delivery arrived at least once, verified, and each with one webhook-id however often.
  std::map<std::string, std::set<std::string>> ids_of_delivery;
  ASSERT_TRUE(Eventually(
      [&] {
        ids_of_delivery.clear();
        for (const auto& r : receiver_.received()) {
          if (!r.verified) continue;
          auto body = nlohmann::json::parse(r.body, nullptr, false);
          if (body.is_discarded()) continue;
          ids_of_delivery[body["data"]["name"].get<std::string>()].insert(r.webhook_id);
        }
        return ids_of_delivery.size() >= static_cast<size_t>(kEvents);
      },
      absl::Seconds(60)));
  EXPECT_EQ(ids_of_delivery.size(), static_cast<size_t>(kEvents));
  for (const auto& [delivery, ids] : ids_of_delivery) {
    EXPECT_EQ(ids.size(), 1u) << delivery << " arrived under several webhook-ids";
  }
  for (const auto& r : receiver_.received()) EXPECT_TRUE(r.verified) << r.verify_error;
}

}  // namespace
}  // namespace chainhub::testing
