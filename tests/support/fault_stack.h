// The base of the fault tests' fixtures: a real redis-server, a chainhub-registry process
// (started) and a chainhub-intake process beside it (made, not started: each test decides when),
// each on its own data dir in one temp dir, sharing the test JWT secret, and an admin token.
#ifndef CHAINHUB_TESTS_SUPPORT_FAULT_STACK_H_
#define CHAINHUB_TESTS_SUPPORT_FAULT_STACK_H_

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/cache/redis_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

class FaultStackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("secret")) << kTestSecret;
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_server_ = *std::move(redis);
    redis_ = std::make_unique<RedisClient>(redis_server_->ClientOptions());
    common_ = {"--redis=" + redis_server_->address(), "--jwt_secret_file=" + dir_.File("secret")};
    registry_ = std::make_unique<ServiceProcess>(dir_, "registry",
                                                 "services/registry/chainhub-registry", common_);
    ASSERT_NO_FATAL_FAILURE(registry_->Start());
    registry_stub_ = registry::v1::ChainRegistry::NewStub(registry_->channel());
    std::vector<std::string> intake_args = common_;
    intake_args.push_back("--registry_target=" + registry_->address());
    intake_ = std::make_unique<ServiceProcess>(dir_, "intake", "services/intake/chainhub-intake",
                                               intake_args);
  }

  // Starts the intake process and connects intake_stub_ to it.
  void StartIntake() {
    ASSERT_NO_FATAL_FAILURE(intake_->Start());
    intake_stub_ = intake::v1::ProjectIntake::NewStub(intake_->channel());
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_server_;
  std::unique_ptr<RedisClient> redis_;
  // The flags every service process of the test takes: --redis and --jwt_secret_file.
  std::vector<std::string> common_;
  std::unique_ptr<ServiceProcess> registry_;
  std::unique_ptr<ServiceProcess> intake_;
  std::unique_ptr<registry::v1::ChainRegistry::Stub> registry_stub_;
  std::unique_ptr<intake::v1::ProjectIntake::Stub> intake_stub_;
  const std::string token_ = MintTestToken("systems/fault", {"admin"});
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_FAULT_STACK_H_
