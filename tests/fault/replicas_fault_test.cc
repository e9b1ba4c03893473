// Replicas started together on one PostgreSQL database, as the postgres component scales them:
// the services that copy their peers' data on the first start (assessment's facts, sync's
// records, support's enterprises) make that copy once — one replica backfills under a lease while
// the other waits, then finds it done — so no second backfill rewrites a copy under a consumer
// that has already started. Afterwards both replicas serve the whole copy.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "chainhub/support/v1/support.grpc.pb.h"
#include "common/base/credit_code.h"
#include "tests/support/city_work.h"
#include "tests/support/events_util.h"
#include "tests/support/fault_stack.h"
#include "tests/support/postgres_server.h"
#include "tests/support/service_process.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;
namespace rv1 = registry::v1;

constexpr int kProjects = 1500;
constexpr int kEnterprises = 300;

// How many lines of `path` contain `text`.
int LinesWith(const std::string& path, const std::string& text) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.find(text) != std::string::npos) ++n;
  }
  return n;
}

class ReplicasFault : public FaultStackTest {
 protected:
  void SeedRegistry() {
    StubCaller<rv1::ChainRegistry::Stub> registry(*registry_stub_, token_);
    rv1::CreateDepartmentRequest dept;
    dept.set_department_id("fgw");
    dept.mutable_department()->set_display_name("市发展和改革委员会");
    ASSERT_TRUE(registry.Status(&rv1::ChainRegistry::Stub::CreateDepartment, dept).ok());
    rv1::CreateChainRequest chain;
    chain.set_chain_id("pv");
    chain.mutable_chain()->set_display_name("光伏");
    chain.mutable_chain()->set_status(rv1::CHAIN_STATUS_ACTIVE);
    chain.mutable_chain()->set_lead_department("departments/fgw");
    grpc::Status s = registry.Status(&rv1::ChainRegistry::Stub::CreateChain, chain);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (int n = 0; n < kEnterprises; ++n) {
      const std::string first17 = absl::StrFormat("91341100MA2R%05d", n);
      rv1::CreateEnterpriseRequest req;
      req.set_request_id(absl::StrCat("replicas-", n));
      rv1::Enterprise* e = req.mutable_enterprise();
      e->set_credit_code(first17 + *CreditCodeCheckChar(first17));
      e->set_display_name(absl::StrCat("滁州副本测试企业", n, "有限公司"));
      e->set_county("琅琊区");
      s = registry.Status(&rv1::ChainRegistry::Stub::CreateEnterprise, req);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }

  void ImportProjects() {
    iv1::ImportProjectsResponse resp;
    auto ctx = ContextWithToken(token_);
    auto writer = intake_stub_->ImportProjects(ctx.get(), &resp);
    iv1::ImportProjectsRequest header;
    header.mutable_header()->set_source("replicas-fault-test");
    ASSERT_TRUE(writer->Write(header));
    for (int n = 0; n < kProjects; ++n) {
      iv1::ImportProjectsRequest row;
      row.mutable_row()->set_row_number(n + 1);
      iv1::Project p = CityProject("replicas", n);
      p.set_chain("chains/pv");
      p.set_responsible_department("departments/fgw");
      *row.mutable_row()->mutable_project() = p;
      ASSERT_TRUE(writer->Write(row));
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.created_count(), kProjects) << resp.ShortDebugString();
  }

  // Replica `replica` of `service` on `database_url`, logging at info level.
  std::unique_ptr<ServiceProcess> Replica(const std::string& service, const std::string& replica,
                                          const std::string& database_url) {
    std::vector<std::string> args = common_;
    args.insert(args.end(), {"--database_url=" + database_url, "--log_level=info",
                             "--registry_target=" + registry_->address(),
                             "--intake_target=" + intake_->address()});
    return std::make_unique<ServiceProcess>(
        dir_, absl::StrCat(service, "-", replica),
        absl::StrCat("services/", service, "/chainhub-", service), args);
  }

  // How many of `service`'s replicas logged `line` (each logs it at most once per start).
  int Logged(const std::string& service, const std::string& line) {
    return LinesWith(dir_.File(absl::StrCat(service, "-a-1.log")), line) +
           LinesWith(dir_.File(absl::StrCat(service, "-b-1.log")), line);
  }
};

TEST_F(ReplicasFault, ReplicasStartedTogetherOnPostgresCopyTheirPeersOnce) {
  ASSERT_NO_FATAL_FAILURE(SeedRegistry());
  ASSERT_NO_FATAL_FAILURE(StartIntake());
  ASSERT_NO_FATAL_FAILURE(ImportProjects());
  auto server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();

  struct Copying {
    std::string service;
    std::string done_line;  // logged by the replica that made the copy
  };
  const std::vector<Copying> services = {{"assessment", "\"facts backfilled\""},
                                         {"sync", "\"sync backfilled\""},
                                         {"support", "\"support backfilled\""}};
  std::vector<std::unique_ptr<ServiceProcess>> replicas;
  for (const Copying& c : services) {
    auto url = (*server)->CreateDatabase(c.service);
    ASSERT_TRUE(url.ok()) << url.status();
    // Both replicas of a service start before either has finished its copy (each prints
    // "listening on" before it backfills).
    replicas.push_back(Replica(c.service, "a", *url));
    replicas.push_back(Replica(c.service, "b", *url));
  }
  for (auto& replica : replicas) ASSERT_NO_FATAL_FAILURE(replica->Start());

  for (const Copying& c : services) {
    ASSERT_TRUE(Eventually([&] { return Logged(c.service, c.done_line) > 0; }, absl::Seconds(60)))
        << c.service << " never finished its copy";
  }
  // Long enough for a second copy to finish too, were one running.
  absl::SleepFor(absl::Seconds(3));
  int waited = 0;
  for (const Copying& c : services) {
    EXPECT_EQ(Logged(c.service, c.done_line), 1) << c.service << " copied its peers twice";
    waited += Logged(c.service, "\"waiting for another replica's lease\"");
  }
  // The replicas did overlap: at least one waited for the other's copy (else this run tested
  // nothing).
  EXPECT_GT(waited, 0);

  // Both assessment replicas serve the whole copy.
  for (size_t i = 0; i < 2; ++i) {
    auto stub = av1::Assessment::NewStub(replicas[i]->channel());
    av1::FactsStatus facts;
    auto ctx = ContextWithToken(token_);
    grpc::Status s = stub->GetFactsStatus(ctx.get(), av1::GetFactsStatusRequest(), &facts);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(facts.projects(), kProjects);
    EXPECT_EQ(facts.enterprises(), kEnterprises);
  }
}

}  // namespace
}  // namespace chainhub::testing
