// The hostile-input catalogue (tests/support/hostile_input.h) against every method of
// chainhub-sync: each call ends in a proper refusal (or an ordinary answer to a read) with a short
// message, and sync's records and push history are as they were. PausePush takes any printable
// reason: its hostile calls may pause the push (audited), and the reason is stored as given.
#include <gtest/gtest.h>

#include "chainhub/intake/v1/intake_events.pb.h"
#include "tests/support/hostile_input.h"
#include "tests/support/sync_fixture.h"

namespace chainhub::testing {
namespace {

class SyncHostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(sync_.SetUp());
    sync_.PublishTaxonomy();
    intake::v1::Project p;
    p.set_name("projects/p1");
    p.set_chain("chains/pv");
    p.mutable_stage_dates()->set_signed_("2026-03-01");
    sync_.Publish(MakeCloudEvent("intake",
                                 EventKindDescriptor(intake::v1::INTAKE_EVENT_PROJECT_CREATED),
                                 p.name(), p.chain(), absl::Now(), p));
    sync_.StartConsumer();
    ASSERT_TRUE(sync_.WaitForEvents());
  }
  void TearDown() override { sync_.TearDown(); }

  std::string Snapshot() {
    return TableRows(*sync_.store(), {"sync_records", "sync_sources", "sync_seq", "sync_pushes"});
  }

  SyncFixture sync_;
};

TEST_F(SyncHostileInputTest, EveryMethodRefusesHostileInputAndChangesNothing) {
  const std::string before = Snapshot();
  const int calls = Bombard("chainhub.sync.v1.ProvinceSync", sync_.target(),
                            MintTestToken("systems/test-admin", {"admin"}), {}, {"PausePush"});
  EXPECT_GT(calls, 100);
  EXPECT_EQ(Snapshot(), before);
  // Every pause that went through was audited; the push can be resumed.
  EXPECT_FALSE(AuditRowsOf(sync_.Admin(), "method = \"/chainhub.sync.v1.ProvinceSync/PausePush\"")
                   .empty());
  sync::v1::PushStatus resumed;
  ASSERT_TRUE(sync_.Admin()(&SyncStub::ResumePush, sync::v1::ResumePushRequest(), &resumed).ok());
  EXPECT_EQ(resumed.state(), sync::v1::PUSH_STATE_ACTIVE);
}

}  // namespace
}  // namespace chainhub::testing
