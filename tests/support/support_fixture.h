// The support service for integration tests, wired as services/support/main.cc wires it: a real
// redis-server on a free port, a SQLite store in a temp dir (or PostgreSQL), the service in this
// process on a loopback port, on a ManualClock that starts at a fixed date (2026-06-15 10:00
// China time) unless set otherwise before SetUp. Enterprises reach the service's copy the way the
// consumer puts them there (AddEnterprise applies an enterprise.created event through its
// handler).
#ifndef CHAINHUB_TESTS_SUPPORT_SUPPORT_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_SUPPORT_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/grpcpp.h>

#include "absl/time/time.h"
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

// An instant in China; the end (24:00) of a day in China; a Timestamp as an absl::Time.
absl::Time China(int year, int month, int day, int hour, int minute = 0);
absl::Time EndOf(int year, int month, int day);
absl::Time TimeOf(const google::protobuf::Timestamp& ts);

// A three-year action plan for pv, 2026-2028: `output` targets 400, 520, 650 and a `rate` target
// 0.5 for 2026; task 1 (led by 王强 and `lead`, with zsj) due 2026-12-31, task 2.1 (led by
// `lead`, with a project) due 2027-06-30.
support::v1::ChainPlan PvActionPlan(const std::string& output = "indicators/output",
                                    const std::string& rate = "indicators/local_supporting_rate",
                                    const std::string& lead = "departments/fgw");

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

// The city of the policy tests, not yet added (support_policies_test.cc gives each firm's figures):
//   A 甲 pv/modules  SPECIALIZED ABOVE_SIZE    80,000,000  2018-03-01 南谯区
//   B 乙 pv/cells    HEAD SPECIALIZED         150,000,000  2024-07-01
//   C 丙 pv/glass    SPECIALIZED HIGH_TECH     60,000,000  2015-01-01 琅琊区
//   D 丁 new-materials/glass SPECIALIZED       90,000,000  2010-05-01
//   E 戊 pv/modules  ABOVE_SIZE                40,000,000  2012-01-01
//   F 己 pv/modules  SPECIALIZED HEAD         300,000,000  (no founding date)
//   G 庚 pv/cells    SPECIALIZED HEAD HIGH_TECH 200,000,000 2016-05-20
std::map<char, registry::v1::Enterprise> PolicyCity(SupportFixture& f);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_SUPPORT_FIXTURE_H_
