// The project intake service for integration tests, wired as services/intake/main.cc wires it:
// a real redis-server on a free port, a real chainhub-registry PROCESS (the binary the build put
// beside the tests, on a free loopback port, its own SQLite dir, the shared test JWT secret), and
// intake in this process (ServiceHost + GrpcRegistryLookup + ReferenceCopy + an EventConsumer in
// group "intake" + IntakeService) on a loopback port, with a clock tests can set. Stubs for both
// services, a caller that attaches a token, and a seed of departments, chains and nodes.
#ifndef CHAINHUB_TESTS_SUPPORT_INTAKE_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_INTAKE_FIXTURE_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/clock.h"
#include "common/cache/redis_client.h"
#include "common/events/event_consumer.h"
#include "common/service/server.h"
#include "services/intake/intake_service.h"
#include "services/intake/reference_copy.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

// Real time moved by an offset, so that "today" (China time) is a date a test chooses while time
// still advances: projects created one after another keep their order by create time, which a
// ManualClock standing still would not give them. Thread-safe.
class ShiftedClock final : public Clock {
 public:
  // Today becomes `date` (YYYY-MM-DD), 10:00 China time, from now on.
  void SetToday(absl::string_view date);
  // Back to the real time (no shift).
  void UseRealTime();
  absl::Time Now() const override;
  // The China date of Now().
  std::string Today() const;

 private:
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
};

// Waits (10 s at most) until consumer `group` has handled (applied, skipped or found a duplicate
// of) every event on the stream now. False on timeout.
bool WaitForGroupToCatchUp(RedisClient& redis, Store& store, const std::string& group);

using IntakeStub = intake::v1::ProjectIntake::Stub;
using RegistryStub = registry::v1::ChainRegistry::Stub;
using IntakeCaller = StubCaller<IntakeStub>;
using RegistryCaller = StubCaller<RegistryStub>;

class IntakeFixture {
 public:
  // What Seed() puts in the registry (and so, through its events, in intake's copy).
  static constexpr char kDeptFgw[] = "departments/fgw";  // 市发展和改革委员会
  static constexpr char kDeptJxj[] = "departments/jxj";  // 市经济和信息化局
  // Chains pv (光伏) with nodes cells, modules; nev-battery (新能源电池) with node cells. Province
  // list 2026 with new-energy-low-carbon, next-gen-it and smart-nev; pv maps to
  // new-energy-low-carbon.

  // Starts Redis, the registry process and intake; aborts the test on failure (use
  // ASSERT_NO_FATAL_FAILURE). With `database_url` intake's store is PostgreSQL, else SQLite in a
  // temp dir (the registry always keeps SQLite). Today is 2026-06-15 until SetToday.
  void SetUp(const std::string& database_url = "");
  void TearDown();

  // Creates the departments, chains, nodes and province mapping above through the registry and
  // waits until intake's copy has the chains and nodes (from the events).
  void Seed();
  // Creates a chain (and a node of it) in the registry, failing the test when it cannot.
  void CreateRegistryChain(const std::string& id, const std::string& display_name);
  void CreateRegistryNode(const std::string& chain_id, const std::string& id,
                          const std::string& display_name,
                          const std::vector<std::string>& province_override = {});

  IntakeStub& intake() { return *intake_stub_; }
  RegistryStub& registry() { return *registry_stub_; }
  IntakeCaller Intake(const std::string& token) { return IntakeCaller(intake(), token); }
  RegistryCaller Registry(const std::string& token) { return RegistryCaller(registry(), token); }
  IntakeCaller IntakeAdmin() { return Intake(admin_token()); }
  RegistryCaller RegistryAdmin() { return Registry(admin_token()); }

  static std::string admin_token() { return MintTestToken("systems/test-admin", {"admin"}); }
  static std::string viewer_token() { return MintTestToken("systems/test-viewer", {"viewer"}); }
  // A chain office writing `chains` (ids).
  static std::string office_token(std::set<std::string, std::less<>> chains) {
    const std::string subject = "systems/office-" + *chains.begin();
    return MintTestToken(subject, {"chain_office"}, std::move(chains));
  }
  // A department's own token: subject departments/{dept}.
  static std::string department_token(const std::string& department) {
    return MintTestToken(department, {"department"});
  }

  ShiftedClock& clock() { return clock_; }
  RedisServer& redis() { return *redis_; }
  // A client of the fixture's Redis (to read the event stream).
  RedisClient& redis_client() { return *redis_client_; }
  ServiceHost& host() { return *host_; }
  Store* store() { return host_->store(); }
  std::string intake_target() const { return "127.0.0.1:" + std::to_string(intake_port_); }
  std::string registry_target() const { return "127.0.0.1:" + std::to_string(registry_port_); }

  // Intake's copy of the registry as the consumer keeps it.
  void StopConsumer();
  void StartConsumer();
  // Whether intake's copy has the chain (and node, when given) as live rows.
  bool CopyKnows(const std::string& chain_id, const std::string& node_id = "");
  // Polls CopyKnows (10 s at most).
  bool WaitUntilCopyKnows(const std::string& chain_id, const std::string& node_id = "");
  // Waits (10 s at most) until the consumer has handled every event on the stream now (what the
  // registry has published so far; it publishes shortly after each commit). False on timeout.
  bool WaitForCopyToCatchUp();

  // The registry process: stopped (SIGTERM) and started again on the same port and data.
  absl::Status StopRegistry();
  absl::Status StartRegistry();

 private:
  absl::Status LaunchRegistry(int port);

  std::unique_ptr<TempDir> dir_;
  std::string secret_file_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<RedisClient> redis_client_;
  std::unique_ptr<Subprocess> registry_process_;
  int registry_starts_ = 0;
  int registry_port_ = 0;
  std::shared_ptr<grpc::Channel> registry_channel_;
  std::unique_ptr<RegistryStub> registry_stub_;

  ShiftedClock clock_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<intake::GrpcRegistryLookup> lookup_;
  std::unique_ptr<intake::ReferenceCopy> reference_;
  std::unique_ptr<EventConsumer> consumer_;
  std::unique_ptr<intake::IntakeService> service_;
  int intake_port_ = 0;
  std::shared_ptr<grpc::Channel> intake_channel_;
  std::unique_ptr<IntakeStub> intake_stub_;
};

// A suite whose tests share one seeded fixture (they use disjoint projects, or count only their
// own): started by the suite's first test, stopped after its last. `Suite` keeps each suite's
// fixture its own.
template <typename Suite>
class SharedIntakeTest : public ::testing::Test {
 protected:
  static void TearDownTestSuite() {
    if (fixture_ != nullptr) fixture_->TearDown();
    delete fixture_;
    fixture_ = nullptr;
    started_ = false;
  }

  void SetUp() override {
    if (fixture_ == nullptr) {
      fixture_ = new IntakeFixture();
      ASSERT_NO_FATAL_FAILURE(fixture_->SetUp());
      ASSERT_NO_FATAL_FAILURE(fixture_->Seed());
      started_ = true;
    }
    ASSERT_TRUE(started_) << "the suite's fixture failed to start in an earlier test";
  }

  static IntakeFixture& fx() { return *fixture_; }
  static IntakeCaller admin() { return fx().IntakeAdmin(); }
  static IntakeCaller viewer() { return fx().Intake(IntakeFixture::viewer_token()); }
  static IntakeCaller As(const std::string& token) { return fx().Intake(token); }

 private:
  static inline IntakeFixture* fixture_ = nullptr;
  static inline bool started_ = false;
};

// --- Builders and helpers -----------------------------------------------------------------------

// A valid project on `chain` (an id) of `total_yuan`, responsible departments/fgw, investor from
// outside the province, negotiating since 2026-06-01, no planned start.
inline intake::v1::Project MakeProject(const std::string& display_name,
                                       const std::string& chain = "pv",
                                       int64_t total_yuan = 1'500'000'000) {
  intake::v1::Project p;
  p.set_display_name(display_name);
  p.set_chain("chains/" + chain);
  p.set_county("来安县");
  p.set_park("滁州经济技术开发区");
  p.mutable_investor()->set_name("某某新能源集团有限公司");
  p.mutable_investor()->set_origin(intake::v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  p.set_source(intake::v1::PROJECT_SOURCE_INVESTMENT);
  p.set_total_investment_yuan(total_yuan);
  p.set_fixed_asset_investment_yuan(total_yuan / 10 * 8);
  p.set_annual_planned_investment_yuan(total_yuan / 4);
  p.set_responsible_leader("王强 副市长");
  p.set_responsible_department(IntakeFixture::kDeptFgw);
  p.mutable_stage_dates()->set_negotiating("2026-06-01");
  return p;
}

// Creates a project, failing the test (ADD_FAILURE) when the call fails.
inline intake::v1::Project CreateProject(const IntakeCaller& as, intake::v1::Project project,
                                         const std::string& request_id = "") {
  intake::v1::CreateProjectRequest req;
  *req.mutable_project() = std::move(project);
  req.set_request_id(request_id);
  intake::v1::Project out;
  grpc::Status s = as(&IntakeStub::CreateProject, req, &out);
  EXPECT_TRUE(s.ok()) << "CreateProject " << req.project().display_name() << ": "
                      << s.error_message();
  return out;
}

// Moves a project; returns the status (the project in *out when given).
inline grpc::Status Transition(const IntakeCaller& as, const std::string& project,
                               intake::v1::Stage to, const std::string& date,
                               const std::string& reason = "", intake::v1::Project* out = nullptr) {
  intake::v1::TransitionStageRequest req;
  req.set_name(project);
  req.set_to_stage(to);
  req.set_effective_date(date);
  req.set_reason(reason);
  intake::v1::Project resp;
  grpc::Status s = as(&IntakeStub::TransitionStage, req, &resp);
  if (out != nullptr) *out = std::move(resp);
  return s;
}

// Reports a month's cumulative figures; returns the status (the report in *out when given).
inline grpc::Status Report(const IntakeCaller& as, const std::string& project,
                           const std::string& month, int64_t completed, int64_t funds,
                           bool allow_over_total = false,
                           intake::v1::ProgressReport* out = nullptr) {
  intake::v1::ReportProgressRequest req;
  req.set_parent(project);
  req.mutable_report()->set_month(month);
  req.mutable_report()->set_cumulative_completed_yuan(completed);
  req.mutable_report()->set_cumulative_funds_arrived_yuan(funds);
  req.mutable_report()->set_allow_over_total(allow_over_total);
  intake::v1::ProgressReport resp;
  grpc::Status s = as(&IntakeStub::ReportProgress, req, &resp);
  if (out != nullptr) *out = std::move(resp);
  return s;
}

inline intake::v1::Project GetProject(const IntakeCaller& as, const std::string& name) {
  intake::v1::GetProjectRequest req;
  req.set_name(name);
  intake::v1::Project out;
  grpc::Status s = as(&IntakeStub::GetProject, req, &out);
  EXPECT_TRUE(s.ok()) << "GetProject " << name << ": " << s.error_message();
  return out;
}

// Every project matching `filter` in `order_by` order (all pages of `page_size`).
inline std::vector<intake::v1::Project> ListAllProjects(const IntakeCaller& as,
                                                        const std::string& filter,
                                                        const std::string& order_by = "",
                                                        int page_size = 1000) {
  std::vector<intake::v1::Project> out;
  intake::v1::ListProjectsRequest req;
  req.set_filter(filter);
  req.set_order_by(order_by);
  req.set_page_size(page_size);
  for (int page = 0; page < 1000; ++page) {
    intake::v1::ListProjectsResponse resp;
    grpc::Status s = as(&IntakeStub::ListProjects, req, &resp);
    EXPECT_TRUE(s.ok()) << "ListProjects " << filter << ": " << s.error_message();
    if (!s.ok()) break;
    out.insert(out.end(), resp.projects().begin(), resp.projects().end());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

// Every intake audit row matching `filter` (all pages).
inline std::vector<common::v1::AuditEvent> IntakeAuditRows(const IntakeCaller& as,
                                                           const std::string& filter) {
  return AuditRowsOf(as, filter);
}

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_INTAKE_FIXTURE_H_
