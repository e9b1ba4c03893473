#include "tests/support/registry_fixture.h"

#include <fstream>

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "common/base/ids.h"

namespace chainhub {
const std::vector<Migration>& RegistryMigrations();
}  // namespace chainhub

namespace chainhub::testing {

std::string MintTestToken(const std::string& subject, std::set<std::string, std::less<>> roles,
                          std::set<std::string, std::less<>> chains, absl::Duration ttl) {
  Principal p;
  p.subject = subject;
  p.roles = std::move(roles);
  p.chains = std::move(chains);
  auto token = MintToken(kTestSecret, p, absl::Now(), ttl);
  return token.ok() ? *token : "";
}

std::unique_ptr<grpc::ClientContext> ContextWithToken(const std::string& token,
                                                      const std::string& request_id) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

ServerConfig TestServerConfig(const std::string& service, const TempDir& dir,
                              const RedisServer& redis) {
  const std::string secret_file = dir.File("jwt_secret");
  std::ofstream(secret_file) << kTestSecret << "\n";
  ServerConfig config;
  config.service = service;
  config.listen = "127.0.0.1:0";
  config.data_dir = dir.File("data");
  config.redis = redis.address();
  config.jwt_secret_file = secret_file;
  config.drain_grace = absl::ZeroDuration();
  config.max_message_bytes = 16 << 20;
  config.rpc_threads = 16;
  return config;
}

void RegistryFixture::SetUp(const std::string& database_url) {
  SetUpWith([](ServerConfig&) {}, database_url);
}

void RegistryFixture::SetUpWith(const std::function<void(ServerConfig&)>& configure,
                                const std::string& database_url) {
  dir_ = std::make_unique<TempDir>();
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = std::move(*redis);
  ServerConfig config = TestServerConfig("registry", *dir_, *redis_);
  data_dir_ = config.data_dir;
  if (!database_url.empty()) {
    config.data_dir.clear();  // nothing can land in SQLite
    config.database_url = database_url;
  }
  configure(config);
  host_ = std::make_unique<ServiceHost>(config);
  absl::Status init = host_->Init("registry", RegistryMigrations());
  ASSERT_TRUE(init.ok()) << init;
  service_ =
      std::make_unique<registry::RegistryService>(host_->store(), host_->cache(), host_->relay());
  host_->AddService(service_.get(), registry::v1::ChainRegistry::service_full_name());
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  if (config.tls_cert_file.empty()) {
    channel_ = grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
    stub_ = registry::v1::ChainRegistry::NewStub(channel_);
  }
}

void RegistryFixture::TearDown() {
  stub_.reset();
  channel_.reset();
  if (host_) host_->Shutdown();
  host_.reset();
  service_.reset();
  redis_.reset();
  dir_.reset();
}

}  // namespace chainhub::testing
