// ProjectIntake's events on the Redis stream chainhub:events (read with XRANGE), and intake with
// the registry process stopped: a chain the copy lacks is UNAVAILABLE, what the copy knows and
// every read go on, and lookups work again once the registry is back.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakeEvents : public SharedIntakeTest<IntakeEvents> {};

TEST_F(IntakeEvents, EveryProjectWriteIsPublishedWithItsSubjectAndChain) {
  iv1::Project p = CreateProject(admin(), MakeProject("事件项目"));
  iv1::UpdateProjectRequest update;
  *update.mutable_project() = p;
  update.mutable_project()->set_park("事件园区");
  update.mutable_project()->set_planned_start_date("2026-01-10");  // five months late: red
  update.mutable_update_mask()->add_paths("park");
  update.mutable_update_mask()->add_paths("planned_start_date");
  ASSERT_TRUE(admin().Status(&IntakeStub::UpdateProject, update).ok());
  ASSERT_TRUE(Transition(admin(), p.name(), iv1::STAGE_SIGNED, "").ok());
  ASSERT_TRUE(Report(admin(), p.name(), "2026-05", 1'000'000, 1'000'000).ok());
  iv1::DeleteProjectRequest del;
  del.set_name(p.name());
  ASSERT_TRUE(admin().Status(&IntakeStub::DeleteProject, del).ok());

  const std::vector<std::string> types = {"project.created",           "project.updated",
                                          "project.light_changed",     "project.stage_changed",
                                          "project.progress_reported", "project.deleted"};
  std::vector<StreamEvent> events = WaitForStream(fx().redis_client(), [&](const auto& all) {
    return StreamHasSubject(all, "project.deleted", p.name());
  });
  std::vector<std::string> seen;
  for (const auto& e : events) {
    if (e.subject != p.name()) continue;
    ASSERT_TRUE(e.decoded) << e.type;
    seen.push_back(e.type);
    EXPECT_EQ(e.event.source(), "/chainhub/intake");
    EXPECT_EQ(e.chain, "chains/pv");
    EXPECT_EQ(e.principal, "systems/test-admin");
    if (e.type == "project.stage_changed") {
      EXPECT_EQ(e.Payload<intake::v1::StageChange>().to_stage(), iv1::STAGE_SIGNED);
    }
    if (e.type == "project.progress_reported") {
      EXPECT_EQ(e.Payload<intake::v1::ProgressReport>().month(), "2026-05");
    }
    if (e.type == "project.light_changed") {
      EXPECT_EQ(e.Payload<intake::v1::Project>().light(), iv1::LIGHT_RED);
    }
    if (e.type == "project.deleted") {
      EXPECT_EQ(e.Payload<intake::v1::Project>().park(), "事件园区");  // as it was
    }
  }
  EXPECT_EQ(seen, types);
}

// A fixture of its own: the test stops the registry process.
class IntakeRegistryDown : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(fx_.SetUp());
    ASSERT_NO_FATAL_FAILURE(fx_.Seed());
  }
  void TearDown() override { fx_.TearDown(); }
  IntakeFixture fx_;
};

TEST_F(IntakeRegistryDown, AnUnknownChainIsUnavailableWhileKnownOnesAndReadsGoOn) {
  IntakeCaller admin = fx_.IntakeAdmin();
  iv1::Project before = CreateProject(admin, MakeProject("停机前项目"));
  // Created in the registry, its event not yet taken into the copy.
  fx_.StopConsumer();
  fx_.CreateRegistryChain("semiconductor", "半导体");
  ASSERT_TRUE(fx_.StopRegistry().ok());

  iv1::CreateProjectRequest req;
  *req.mutable_project() = MakeProject("半导体封测项目", "semiconductor");
  grpc::Status s = admin.Status(&IntakeStub::CreateProject, req);
  EXPECT_TRUE(HasCode(s, StatusCode::UNAVAILABLE));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "project.chain")) << s.error_message();
  // A node the copy lacks cannot be checked either.
  *req.mutable_project() = MakeProject("光伏硅片项目");
  req.mutable_project()->set_node("chains/pv/nodes/wafers");
  s = admin.Status(&IntakeStub::CreateProject, req);
  EXPECT_TRUE(HasCode(s, StatusCode::UNAVAILABLE));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "project.node")) << s.error_message();
  *req.mutable_project() = MakeProject("半导体封测项目", "semiconductor");
  // A name the copy knows needs no registry; reads go on.
  CreateProject(admin, MakeProject("停机中光伏项目"));
  EXPECT_EQ(GetProject(admin, before.name()).name(), before.name());
  EXPECT_EQ(ListAllProjects(admin, "chain = \"pv\"").size(), 2u);

  // Back again: the lookup answers (the channel may need a moment to reconnect).
  ASSERT_TRUE(fx_.StartRegistry().ok());
  grpc::Status created;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  do {
    created = admin.Status(&IntakeStub::CreateProject, req);
    if (created.error_code() != StatusCode::UNAVAILABLE) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < deadline);
  EXPECT_TRUE(created.ok()) << created.error_message();
  fx_.StartConsumer();
}

}  // namespace
}  // namespace chainhub::testing
