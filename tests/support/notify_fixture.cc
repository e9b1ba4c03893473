#include "tests/support/notify_fixture.h"

#include <gtest/gtest.h>

namespace chainhub {
const std::vector<Migration>& NotifyMigrations();
}  // namespace chainhub

namespace chainhub::testing {

void NotifyFixture::SetUp() {
  clock_.Set(absl::Now());
  dir_ = std::make_unique<TempDir>();
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = std::move(*redis);
  host_ = std::make_unique<ServiceHost>(TestServerConfig("notify", *dir_, *redis_), clock_);
  absl::Status init = host_->Init("notify", NotifyMigrations());
  ASSERT_TRUE(init.ok()) << init;
  init = host_->store()->Migrate("notify_delivery", notify::Dispatcher::Migrations());
  ASSERT_TRUE(init.ok()) << init;
  // Endpoints on this machine only, retried within milliseconds.
  notify::DispatcherOptions dispatch;
  dispatch.allow = {"http://127.0.0.1:", "smtp://127.0.0.1:"};
  dispatch.attempt_timeout = absl::Seconds(5);
  dispatch.initial_backoff = absl::Milliseconds(5);
  dispatch.max_backoff = absl::Milliseconds(40);
  dispatch.workers = 2;
  dispatch.holder = "notify-fixture";
  dispatcher_ =
      std::make_unique<notify::Dispatcher>(host_->store(), host_->relay(), dispatch, clock_);
  service_ = std::make_unique<notify::NotifyService>(host_->store(), host_->relay(), clock_,
                                                     dispatcher_.get(), watch);
  host_->AddService(service_.get(), notify::v1::Notifier::service_full_name());
  dispatcher_->Start();
  host_->OnDrain([service = service_.get()] { service->DrainWatches(); });
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  channel_ = grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
  stub_ = notify::v1::Notifier::NewStub(channel_);
}

void NotifyFixture::StartRules() {
  EventConsumerOptions options;
  options.group = "notify";
  options.block = absl::Milliseconds(100);
  options.on_committed = [this] { service_->Committed(); };
  rules_ = std::make_unique<EventConsumer>(host_->store(), host_->redis(), options,
                                           service_->RuleHandlers());
  rules_->Start();
}

void NotifyFixture::Publish(const CloudEvent& event) {
  auto reply = host_->redis()->Command({"XADD", std::string(kEventStream), "*", "id", event.id(),
                                        "type", event.type(), "event", event.SerializeAsString()});
  ASSERT_TRUE(reply.ok()) << reply.status();
}

void NotifyFixture::TearDown() {
  if (rules_) rules_->Stop();
  rules_.reset();
  stub_.reset();
  channel_.reset();
  if (host_) host_->Shutdown();
  if (dispatcher_) dispatcher_->Stop();
  service_.reset();
  dispatcher_.reset();
  host_.reset();
  redis_.reset();
  dir_.reset();
}

}  // namespace chainhub::testing
