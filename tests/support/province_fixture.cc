#include "tests/support/province_fixture.h"

#include <gtest/gtest.h>

namespace chainhub {
const std::vector<Migration>& ProvinceMigrations();
}  // namespace chainhub

namespace chainhub::testing {

void ProvinceFixture::SetUp() {
  clock_.Set(absl::Now());
  dir_ = std::make_unique<TempDir>();
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = std::move(*redis);
  ServerConfig config = TestServerConfig("province", *dir_, *redis_);
  if (configure) configure(config);
  host_ = std::make_unique<ServiceHost>(config, clock_);
  absl::Status init = host_->Init("province", ProvinceMigrations());
  ASSERT_TRUE(init.ok()) << init;
  ASSERT_FALSE(province::ProvinceLists::Shipped().empty());
  ingest_ = std::make_unique<province::IngestStore>(host_->store(),
                                                    &province::ProvinceLists::Shipped(), clock_);
  service_ = std::make_unique<province::IngestService>(ingest_.get());
  host_->AddService(service_.get(), province::v1::ProvinceIngest::service_full_name());
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  // A receiver on TLS is reached through sync only; the test's own stub talks plaintext.
  channel_ = grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
  stub_ = province::v1::ProvinceIngest::NewStub(channel_);
}

void ProvinceFixture::TearDown() {
  stub_.reset();
  channel_.reset();
  if (host_) host_->Shutdown();
  service_.reset();
  ingest_.reset();
  host_.reset();
  redis_.reset();
  dir_.reset();
}

}  // namespace chainhub::testing
