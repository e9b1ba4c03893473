// The process around a service: health NOT_SERVING while draining, Prometheus metrics over HTTP,
// the request id echoed, and flags read from CHAINHUB_* environment variables.
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/events/outbox.h"
#include "common/service/flags.h"
#include "common/service/server.h"
#include "services/registry/registry_service.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/temp_dir.h"
#include "tools/chainctl/health.h"

namespace chainhub {
const std::vector<Migration>& RegistryMigrations();
}  // namespace chainhub

namespace chainhub::testing {
namespace {

class ServiceHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::move(*redis);
    std::ofstream(dir_.File("secret")) << kTestSecret;
    ServerConfig config;
    config.service = "registry";
    config.listen = "127.0.0.1:0";
    config.data_dir = dir_.File("data");
    config.redis = redis_->address();
    config.jwt_secret_file = dir_.File("secret");
    config.metrics_listen = "127.0.0.1:0";
    config.drain_grace = absl::Seconds(2);
    config.max_message_bytes = 1 << 20;
    config.rpc_threads = 8;
    host_ = std::make_unique<ServiceHost>(config);
    ASSERT_TRUE(host_->Init("registry", RegistryMigrations()).ok());
    service_ =
        std::make_unique<registry::RegistryService>(host_->store(), host_->cache(), host_->relay());
    host_->AddService(service_.get(), registry::v1::ChainRegistry::service_full_name());
    auto port = host_->Start();
    ASSERT_TRUE(port.ok()) << port.status();
    target_ = "127.0.0.1:" + std::to_string(*port);
  }

  void TearDown() override { host_->Shutdown(); }

  absl::StatusOr<chainctl::ServingStatus> Health() {
    chainctl::ClientOptions options;
    options.timeout = absl::Seconds(2);
    auto connection = chainctl::Connection::Open(options, target_);
    if (!connection.ok()) return connection.status();
    return chainctl::CheckHealth(**connection, "");
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<registry::RegistryService> service_;
  std::string target_;
};

TEST_F(ServiceHostTest, HealthIsServingWithoutATokenAndNotServingWhileDraining) {
  auto before = Health();
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(*before, chainctl::ServingStatus::kServing);
  std::thread drain([this] { host_->Shutdown(); });
  // During the 2 s drain grace the server still answers, and says NOT_SERVING.
  chainctl::ServingStatus during = chainctl::ServingStatus::kServing;
  const absl::Time deadline = absl::Now() + absl::Seconds(2);
  while (absl::Now() < deadline) {
    auto s = Health();
    if (s.ok() && *s == chainctl::ServingStatus::kNotServing) {
      during = *s;
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  drain.join();
  EXPECT_EQ(during, chainctl::ServingStatus::kNotServing);
}

TEST_F(ServiceHostTest, MetricsEndpointServesRpcCountsLatencyAndOutboxBacklog) {
  auto stub = registry::v1::ChainRegistry::NewStub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  registry::v1::ListChainsRequest req;
  registry::v1::ListChainsResponse resp;
  auto ctx = ContextWithToken(MintTestToken("systems/metrics", {"viewer"}));
  ASSERT_TRUE(stub->ListChains(ctx.get(), req, &resp).ok());
  auto denied = ContextWithToken("");
  EXPECT_EQ(stub->ListChains(denied.get(), req, &resp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  httplib::Client http("127.0.0.1", host_->metrics_port());
  auto res = http.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& body = res->body;
  EXPECT_NE(body.find("chainhub_rpc_total{code=\"OK\",method=\"/chainhub.registry.v1.ChainRegistry/"
                      "ListChains\"}"),
            std::string::npos)
      << body;
  // Bucket bounds print as written, not as their binary expansion.
  EXPECT_NE(body.find("le=\"0.0005\""), std::string::npos) << body;
  EXPECT_EQ(body.find("0.00050000000000000001"), std::string::npos);
  // The standard process metrics beside chainhub's own.
  EXPECT_NE(body.find("process_cpu_seconds_total"), std::string::npos);
  EXPECT_NE(body.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_NE(body.find("process_open_fds"), std::string::npos);
  // Its anonymous part, what a container limit is watched against, is a positive byte count.
  const size_t anon = body.find("\nchainhub_process_anonymous_memory_bytes ");
  ASSERT_NE(anon, std::string::npos) << body;
  double anon_bytes = 0;
  EXPECT_TRUE(absl::SimpleAtod(
      body.substr(anon + 41, body.find('\n', anon + 1) - anon - 41), &anon_bytes));
  EXPECT_GT(anon_bytes, 1 << 20);
  EXPECT_NE(body.find("code=\"UNAUTHENTICATED\""), std::string::npos);
  EXPECT_NE(body.find("chainhub_rpc_latency_seconds_bucket"), std::string::npos);
  EXPECT_NE(body.find("chainhub_outbox_backlog"), std::string::npos);
  EXPECT_NE(body.find("chainhub_redis_up"), std::string::npos);
}

TEST_F(ServiceHostTest, EchoesTheClientRequestIdAndGeneratesOneOtherwise) {
  auto stub = registry::v1::ChainRegistry::NewStub(
      grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  registry::v1::ListChainsRequest req;
  registry::v1::ListChainsResponse resp;
  auto with_id = ContextWithToken(MintTestToken("systems/t", {"viewer"}), "req-abc-123");
  ASSERT_TRUE(stub->ListChains(with_id.get(), req, &resp).ok());
  auto echoed = with_id->GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(echoed, with_id->GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echoed->second.data(), echoed->second.size()), "req-abc-123");

  auto without = ContextWithToken(MintTestToken("systems/t", {"viewer"}));
  ASSERT_TRUE(stub->ListChains(without.get(), req, &resp).ok());
  auto generated = without->GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(generated, without->GetServerInitialMetadata().end());
  EXPECT_EQ(generated->second.size(), 36u);  // a UUID
}

TEST(Flags, EnvironmentSetsAFlagAndTheCommandLineWins) {
  setenv("CHAINHUB_DRAIN_GRACE", "7s", 1);
  setenv("CHAINHUB_RPC_THREADS", "9", 1);
  setenv("CHAINHUB_NOT_A_FLAG", "x", 1);
  std::vector<std::string> args = {"prog", "--rpc_threads=11"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ParseFlagsWithEnv(static_cast<int>(argv.size()), argv.data(), "test");
  EXPECT_EQ(absl::GetFlag(FLAGS_drain_grace), absl::Seconds(7));
  EXPECT_EQ(absl::GetFlag(FLAGS_rpc_threads), 11);
  unsetenv("CHAINHUB_DRAIN_GRACE");
  unsetenv("CHAINHUB_RPC_THREADS");
  unsetenv("CHAINHUB_NOT_A_FLAG");
}

TEST(Flags, ServerConfigNamesTheMissingFlag) {
  absl::SetFlag(&FLAGS_data_dir, "");
  absl::SetFlag(&FLAGS_database_url, "");
  auto config = ServerConfigFromFlags("registry");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--data_dir"), absl::string_view::npos);
  absl::SetFlag(&FLAGS_data_dir, "/tmp/x");
  absl::SetFlag(&FLAGS_jwt_secret_file, "");
  config = ServerConfigFromFlags("registry");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--jwt_secret_file"), absl::string_view::npos);
}

TEST(Flags, RequireRedisAuthRefusesAnAddressWithoutAUserOrPassword) {
  absl::SetFlag(&FLAGS_data_dir, "/tmp/x");
  absl::SetFlag(&FLAGS_jwt_secret_file, "/tmp/secret");
  absl::SetFlag(&FLAGS_require_redis_auth, true);
  for (const char* address : {"127.0.0.1:6379", "redis://127.0.0.1:6379"}) {
    absl::SetFlag(&FLAGS_redis, address);
    auto config = ServerConfigFromFlags("registry");
    ASSERT_FALSE(config.ok()) << address;
    EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(config.status().message().find("--require_redis_auth"), absl::string_view::npos);
  }
  absl::SetFlag(&FLAGS_redis, "redis://chainhub@127.0.0.1:6379");
  EXPECT_FALSE(ServerConfigFromFlags("registry").ok());  // a user but no password anywhere
  absl::SetFlag(&FLAGS_redis_password_file, "/run/secrets/redis_password");
  EXPECT_TRUE(ServerConfigFromFlags("registry").ok());
  absl::SetFlag(&FLAGS_redis, "redis://chainhub:pw@127.0.0.1:6379");
  auto twice = ServerConfigFromFlags("registry");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("--redis_password_file"), absl::string_view::npos);
  absl::SetFlag(&FLAGS_redis_password_file, "");
  EXPECT_TRUE(ServerConfigFromFlags("registry").ok());
  absl::SetFlag(&FLAGS_require_redis_auth, false);
  absl::SetFlag(&FLAGS_redis, "127.0.0.1:6379");
}

TEST(Flags, SqliteTuningIsCheckedAndCarried) {
  absl::SetFlag(&FLAGS_data_dir, "/tmp/x");
  absl::SetFlag(&FLAGS_jwt_secret_file, "/tmp/secret");
  absl::SetFlag(&FLAGS_sqlite_cache_mb, 4);
  absl::SetFlag(&FLAGS_sqlite_mmap_mb, 0);
  absl::SetFlag(&FLAGS_sqlite_checkpoint_pages, 0);
  auto config = ServerConfigFromFlags("registry");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->sqlite_tuning.cache_mb, 4);
  EXPECT_EQ(config->sqlite_tuning.mmap_mb, 0);
  EXPECT_EQ(config->sqlite_tuning.checkpoint_pages, 0);
  absl::SetFlag(&FLAGS_sqlite_checkpoint_pages, -1);
  config = ServerConfigFromFlags("registry");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--sqlite_checkpoint_pages"), absl::string_view::npos);
  absl::SetFlag(&FLAGS_sqlite_checkpoint_pages, 1000);
  absl::SetFlag(&FLAGS_sqlite_cache_mb, -1);
  config = ServerConfigFromFlags("registry");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--sqlite_cache_mb"), absl::string_view::npos);
  absl::SetFlag(&FLAGS_sqlite_cache_mb, 16);
  absl::SetFlag(&FLAGS_sqlite_mmap_mb, -5);
  config = ServerConfigFromFlags("registry");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("--sqlite_mmap_mb"), absl::string_view::npos);
  absl::SetFlag(&FLAGS_sqlite_mmap_mb, 256);
}

// A service on Redis with an ACL user: its password read from a file, its events published, and
// a wrong password leaves it serving with events kept in the outbox.
TEST(ServiceHostRedisAuth, PublishesThroughAnAclUserWithThePasswordFromAFile) {
  auto redis = RedisServer::Start(RedisServer::AclUserArgs("file-pass"));
  ASSERT_TRUE(redis.ok()) << redis.status();
  TempDir dir;
  std::ofstream(dir.File("redis_password")) << "file-pass\n";
  ServerConfig config = TestServerConfig("registry", dir, **redis);
  config.redis = absl::StrCat("redis://chainhub@", (*redis)->address());
  config.redis_password_file = dir.File("redis_password");
  config.require_redis_auth = true;
  ServiceHost host(config);
  ASSERT_TRUE(host.Init("registry", RegistryMigrations()).ok());
  absl::StatusOr<RedisReply> reply = host.redis()->Command({"SET", "chainhub:probe", "1"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "OK");
  ASSERT_TRUE(host.store()
                  ->Write([](SqlTx& tx) -> absl::Status {
                    CloudEvent event;
                    event.set_type("chainhub.test.probe");
                    return AppendEvent(tx, event);
                  })
                  .ok());
  absl::StatusOr<int> published = host.relay()->PublishBatch();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 1);

  std::ofstream(dir.File("empty_password")) << "\n";
  config.redis_password_file = dir.File("empty_password");
  config.data_dir = dir.File("data-empty");
  ServiceHost empty(config);
  absl::Status init = empty.Init("registry", RegistryMigrations());
  EXPECT_EQ(init.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(init.message().find("--redis_password_file"), absl::string_view::npos);
}

}  // namespace
}  // namespace chainhub::testing
