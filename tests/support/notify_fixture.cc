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
  service_ = std::make_unique<notify::NotifyService>(host_->store(), host_->relay(), clock_);
  host_->AddService(service_.get(), notify::v1::Notifier::service_full_name());
  host_->OnDrain([service = service_.get()] { service->DrainWatches(); });
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  channel_ = grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
  stub_ = notify::v1::Notifier::NewStub(channel_);
}

void NotifyFixture::TearDown() {
  stub_.reset();
  channel_.reset();
  if (host_) host_->Shutdown();
  service_.reset();
  host_.reset();
  redis_.reset();
  dir_.reset();
}

}  // namespace chainhub::testing
