// The assessment service for integration tests, wired as services/assessment/main.cc wires it, on
// top of IntakeFixture (a real redis-server, a real chainhub-registry process, intake in this
// process): assessment in this process too (ServiceHost + GrpcFactSources + FactsKeeper in group
// "assessment" + AssessmentService + Scheduler) on a loopback port, on the real clock (intake's
// clock is set to the real time as well, so facts from both services are stamped alike).
#ifndef CHAINHUB_TESTS_SUPPORT_ASSESSMENT_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_ASSESSMENT_FIXTURE_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "common/service/server.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/backfill.h"
#include "services/assessment/facts.h"
#include "services/assessment/scheduler.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {

using AssessmentStub = assessment::v1::Assessment::Stub;
using AssessmentCaller = StubCaller<AssessmentStub>;

class AssessmentFixture {
 public:
  // Starts intake's fixture (seeded: chains pv and nev-battery), then assessment, whose facts are
  // backfilled from them; aborts the test on failure (use ASSERT_NO_FATAL_FAILURE).
  void SetUp(const std::string& database_url = "");
  void TearDown();

  IntakeFixture& intake() { return intake_; }
  AssessmentStub& assessment() { return *stub_; }
  // Assessment's HOST:PORT, for clients that dial it themselves (chainctl).
  std::string assessment_target() const { return "127.0.0.1:" + std::to_string(port_); }
  AssessmentCaller As(const std::string& token) { return AssessmentCaller(*stub_, token); }
  AssessmentCaller Admin() { return As(IntakeFixture::admin_token()); }
  AssessmentCaller Assessor() { return As(assessor_token()); }
  static std::string assessor_token() {
    return MintTestToken("systems/test-assessor", {"assessor"});
  }
  Store* store() { return host_->store(); }
  assessment::Scheduler& scheduler() { return *scheduler_; }
  assessment::FactsKeeper& facts() { return *facts_; }

  // Waits (10 s at most) until assessment's consumer has applied every event on the stream now.
  bool WaitForFacts();

 private:
  IntakeFixture intake_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<assessment::GrpcFactSources> sources_;
  std::unique_ptr<assessment::FactsKeeper> facts_;
  std::unique_ptr<assessment::AssessmentService> service_;
  std::unique_ptr<assessment::Scheduler> scheduler_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<AssessmentStub> stub_;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_ASSESSMENT_FIXTURE_H_
