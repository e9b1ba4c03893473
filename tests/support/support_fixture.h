// The support service for integration tests, wired as services/support/main.cc wires it: a real
// redis-server on a free port, a SQLite store in a temp dir (or PostgreSQL), the service in this
// process on a loopback port, on a ManualClock that starts at a fixed date (2026-06-15 10:00
// China time) unless set otherwise before SetUp. Enterprises reach the service's copy the way the
// consumer puts them there (AddEnterprise applies an enterprise.created event through its
// handler).
#ifndef CHAINHUB_TESTS_SUPPORT_SUPPORT_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_SUPPORT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "chainhub/registry/v1/registry.pb.h"
#include "chainhub/support/v1/support.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/event_consumer.h"
#include "common/service/server.h"
#include "services/support/support_service.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

using SupportStub = support::v1::ChainSupport::Stub;
using SupportCaller = StubCaller<SupportStub>;

// A valid 统一社会信用代码 registered in `division` (6 digits, e.g. "341100" for 滁州), made
// unique by `serial` (0-99999999).
std::string TestCreditCode(const std::string& division, int serial);

// The PV chain's 2026 key points (ANNUAL_KEY_POINTS, start_year 2026): targets output 400 and
// local supporting rate 0.5 for 2026; task 1 (zsj) due 2026-12-31, task 2 (jxj) due 2026-06-30.
support::v1::ChainPlan PvKeyPoints2026();

class SupportFixture {
 public:
  // Where the clock starts (set before SetUp).
  absl::Time start_time = absl::FromCivil(absl::CivilSecond(2026, 6, 15, 10, 0, 0),
                                          absl::FixedTimeZone(8 * 3600));
  // The service's options as SetUp makes it (set before SetUp).
  support::SupportServiceOptions options;
  // Peers for PublishChainPlan (set before SetUp).
  support::SupportPeers peers;

  // Aborts the test on failure (use ASSERT_NO_FATAL_FAILURE). With `database_url` the store is
  // PostgreSQL (no data dir), else SQLite in a temp dir.
  void SetUp(const std::string& database_url = "");
  void TearDown();

  SupportStub& stub() { return *stub_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  SupportCaller As(const std::string& token) { return SupportCaller(*stub_, token); }
  SupportCaller Admin() { return As(MintTestToken("systems/test-admin", {"admin"})); }
  // A chain office holding `chain` (its subject departments/fgw).
  SupportCaller ChainOffice(const std::string& chain) {
    return As(MintTestToken("departments/fgw", {"chain_office"}, {chain}));
  }
  SupportCaller Department(const std::string& dept) {
    return As(MintTestToken("departments/" + dept, {"department"}));
  }
  SupportCaller Viewer() { return As(MintTestToken("systems/test-viewer", {"viewer"})); }

  // Puts `enterprise` into the service's copy, as an enterprise.created event would.
  void AddEnterprise(const registry::v1::Enterprise& enterprise);
  // A made-up enterprise: credit code TestCreditCode(division, serial), on `nodes`
  // (chains/{chain}/nodes/{node}) with `labels`, output and founding date.
  registry::v1::Enterprise MakeEnterprise(int serial, const std::string& display_name,
                                          const std::vector<std::string>& nodes,
                                          const std::vector<registry::v1::EnterpriseLabel>& labels =
                                              {},
                                          int64_t output_yuan = 0,
                                          const std::string& founding_date = "",
                                          const std::string& county = "琅琊区",
                                          const std::string& division = "341100");

  ManualClock& clock() { return clock_; }
  support::SupportService& service() { return *service_; }
  Store* store() { return host_->store(); }
  RedisServer& redis() { return *redis_; }
  ServiceHost& host() { return *host_; }
  // The events support wrote to its outbox so far (what the relay publishes), oldest first.
  std::vector<CloudEvent> OutboxEvents();

 private:
  ManualClock clock_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<support::SupportService> service_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<SupportStub> stub_;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_SUPPORT_FIXTURE_H_
