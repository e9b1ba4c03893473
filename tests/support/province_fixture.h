// The reference provincial receiver (chainhub-province) for integration tests, wired as
// services/province/main.cc wires it: a SQLite store in a temp dir, the shipped provincial lists,
// the service in this process on a loopback port.
#ifndef CHAINHUB_TESTS_SUPPORT_PROVINCE_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_PROVINCE_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>

#include "chainhub/province/v1/province.grpc.pb.h"
#include "common/base/clock.h"
#include "common/service/server.h"
#include "services/province/ingest_service.h"
#include "services/province/ingest_store.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

using ProvinceStub = province::v1::ProvinceIngest::Stub;
using ProvinceCaller = StubCaller<ProvinceStub>;

class ProvinceFixture {
 public:
  // Changes the receiver's configuration before SetUp starts it (TLS, client certificates).
  std::function<void(ServerConfig&)> configure;

  // Aborts the test on failure (use ASSERT_NO_FATAL_FAILURE).
  void SetUp();
  void TearDown();

  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  ProvinceCaller As(const std::string& token) { return ProvinceCaller(*stub_, token); }
  // The city's token at the receiver.
  ProvinceCaller City() { return As(MintTestToken("systems/chuzhou", {"admin"})); }
  ProvinceCaller Province() { return As(MintTestToken("systems/province", {"province"})); }
  Store* store() { return host_->store(); }

 private:
  ManualClock clock_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<province::IngestStore> ingest_;
  std::unique_ptr<province::IngestService> service_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<ProvinceStub> stub_;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_PROVINCE_FIXTURE_H_
