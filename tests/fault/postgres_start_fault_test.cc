// A service started before its PostgreSQL server accepts connections, as compose and Kubernetes
// start them side by side: it waits for the database (--store_wait) instead of exiting, logs each
// retry, and serves once the database is up. SIGTERM stops it while it waits, and one told not to
// wait (--store_wait=0s) gives up at once with the reason.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "absl/time/clock.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {
namespace {

namespace rv1 = registry::v1;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PostgresStartFault, AServiceStartedBeforeItsDatabaseWaitsAndThenServes) {
  auto pg = PostgresServer::Start();
  ASSERT_TRUE(pg.ok()) << pg.status();
  auto url = (*pg)->CreateDatabase("chainhub_start");
  ASSERT_TRUE(url.ok()) << url.status();
  ASSERT_TRUE((*pg)->Stop().ok());

  TempDir dir;
  std::ofstream(dir.File("jwt_secret")) << kTestSecret;
  // chainhub-registry on the database, its log in `log`, started from this thread (as the
  // database below: a child dies with the thread that made it).
  auto start_registry = [&](Subprocess& registry, const std::string& log,
                            const std::string& last_flag) {
    return registry.Start(BinaryPath("services/registry/chainhub-registry"),
                          {"--listen=127.0.0.1:0", "--database_url=" + *url,
                           "--redis=127.0.0.1:1", "--jwt_secret_file=" + dir.File("jwt_secret"),
                           last_flag},
                          {}, dir.File(log));
  };
  Subprocess registry({.parent_death_signal = SIGKILL});
  ASSERT_TRUE(start_registry(registry, "registry.log", "--log_level=warn").ok());
  // The database comes up three seconds after the service started.
  absl::SleepFor(absl::Seconds(3));
  ASSERT_TRUE((*pg)->Restart().ok());
  auto address = registry.WaitForLine("listening on ", absl::Seconds(60));
  ASSERT_TRUE(address.ok()) << address.status() << "\n" << ReadAll(dir.File("registry.log"));
  EXPECT_NE(ReadAll(dir.File("registry.log")).find("store unavailable at start; retrying"),
            std::string::npos);

  // It serves, on the database: a department created is read back.
  rv1::ChainRegistry::Stub stub(grpc::CreateChannel(*address, grpc::InsecureChannelCredentials()));
  StubCaller<rv1::ChainRegistry::Stub> admin(stub, MintTestToken("systems/test", {"admin"}));
  rv1::CreateDepartmentRequest dept;
  dept.set_department_id("fgw");
  dept.mutable_department()->set_display_name("市发展和改革委员会");
  grpc::Status s = admin.Status(&rv1::ChainRegistry::Stub::CreateDepartment, dept);
  EXPECT_TRUE(s.ok()) << s.error_message();
  rv1::GetDepartmentRequest get;
  get.set_name("departments/fgw");
  rv1::Department got;
  s = admin(&rv1::ChainRegistry::Stub::GetDepartment, get, &got);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(got.display_name(), "市发展和改革委员会");
  registry.Terminate();
  ASSERT_TRUE(registry.Wait(absl::Seconds(20)).ok());

  // While it waits, SIGTERM stops it.
  ASSERT_TRUE((*pg)->Stop().ok());
  Subprocess waiting({.parent_death_signal = SIGKILL});
  ASSERT_TRUE(start_registry(waiting, "waiting.log", "--log_level=warn").ok());
  absl::SleepFor(absl::Seconds(1));
  waiting.Terminate();
  auto stopped = waiting.Wait(absl::Seconds(10));
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_NE(ReadAll(dir.File("waiting.log")).find("stopped while waiting for the store"),
            std::string::npos)
      << ReadAll(dir.File("waiting.log"));

  // With the database down and no wait, the start fails at once and says why.
  Subprocess impatient({.parent_death_signal = SIGKILL});
  ASSERT_TRUE(start_registry(impatient, "impatient.log", "--store_wait=0s").ok());
  auto ended = impatient.Wait(absl::Seconds(30));
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_TRUE(ended->exited() && ended->exit_code() != 0);
  EXPECT_NE(ReadAll(dir.File("impatient.log")).find("postgres"), std::string::npos)
      << ReadAll(dir.File("impatient.log"));
}

}  // namespace
}  // namespace chainhub::testing
