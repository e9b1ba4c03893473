// Sync's first start against real services: the registry (a process) and intake (in process),
// publishing on a real redis-server. A store filled by the backfill (then consuming from the
// position taken before it) holds the same records as one filled by consuming the events alone,
// and a change made after the backfill reaches it.
#include <map>
#include <memory>
#include <string>

#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "services/clients/owner_lists.h"
#include "services/sync/backfill.h"
#include "services/sync/sync_service.h"
#include "tests/support/events_util.h"
#include "tests/support/intake_fixture.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
const std::vector<Migration>& SyncMigrations();

namespace sync {
namespace {

using ::chainhub::testing::IntakeFixture;
using ::chainhub::testing::TempDir;

// A sync store of its own with a consumer in `group`.
struct SyncCopy {
  std::unique_ptr<Store> store;
  std::unique_ptr<ProvinceClient> client;
  std::unique_ptr<PushAgent> push;
  std::unique_ptr<SyncService> service;
  std::unique_ptr<EventConsumer> consumer;
};

SyncCopy OpenCopy(const TempDir& dir, const std::string& name) {
  SyncCopy copy;
  SqliteOptions options;
  options.path = dir.File(name + ".db");
  copy.store = *OpenSqliteStore(options);
  EXPECT_TRUE(copy.store->Migrate("common", CommonMigrations()).ok());
  EXPECT_TRUE(copy.store->Migrate("sync", SyncMigrations()).ok());
  copy.client = *ProvinceClient::Create({});  // no receiver: nothing is pushed
  copy.push = std::make_unique<PushAgent>(copy.store.get(), copy.client.get(), PushOptions(),
                                          Clock::Real());
  copy.service = std::make_unique<SyncService>(copy.store.get(), copy.client.get(),
                                               copy.push.get(), Clock::Real());
  return copy;
}

void Consume(SyncCopy& copy, RedisClient& redis, const std::string& group) {
  EventConsumerOptions options;
  options.group = group;
  options.block = absl::Milliseconds(100);
  copy.consumer = std::make_unique<EventConsumer>(copy.store.get(), &redis, options,
                                                  copy.service->Handlers());
  copy.consumer->Start();
}

// Every live record of the list, its version left out (the two copies number changes apart).
std::map<std::string, std::string> Records(Store* store, const std::string& list) {
  std::map<std::string, std::string> out;
  SyncReader reader(store);
  auto head = reader.Snapshot(list, "2100-01-01", province::v1::RECORD_TYPE_UNSPECIFIED, 100,
                              [&](std::vector<Record>& page) {
                                for (Record& r : page) {
                                  r.clear_version();
                                  out[r.id()] = r.ShortDebugString();
                                }
                                return absl::OkStatus();
                              });
  EXPECT_TRUE(head.ok()) << head.status();
  return out;
}

class SyncBackfillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(fx_.SetUp());
    ASSERT_NO_FATAL_FAILURE(fx_.Seed());
  }
  void TearDown() override {
    for (SyncCopy* copy : {&events_, &backfilled_}) {
      if (copy->consumer) copy->consumer->Stop();
      if (copy->service) copy->service->Stop();
    }
    fx_.TearDown();
  }

  IntakeFixture fx_;
  TempDir dir_;
  SyncCopy events_, backfilled_;
};

TEST_F(SyncBackfillTest, ABackfilledCopyEqualsOneMadeFromTheEventsAndKeepsUpAfterwards) {
  using testing::CreateProject;
  using testing::MakeProject;
  auto admin = fx_.IntakeAdmin();
  intake::v1::Project a = CreateProject(admin, MakeProject("年产5GW光伏组件项目"));
  intake::v1::Project b = CreateProject(admin, MakeProject("动力电池项目", "nev-battery"));
  ASSERT_TRUE(testing::Transition(admin, a.name(), intake::v1::STAGE_SIGNED, "2026-06-10").ok());
  ASSERT_TRUE(testing::Report(admin, b.name(), "2026-06", 100'000'000, 50'000'000).ok());

  events_ = OpenCopy(dir_, "events");
  Consume(events_, fx_.redis_client(), "sync-events");
  ASSERT_TRUE(testing::WaitForGroupToCatchUp(fx_.redis_client(), *events_.store, "sync-events"));

  backfilled_ = OpenCopy(dir_, "backfilled");
  OwnerLists sources(fx_.registry_target(), fx_.intake_target(), "", testing::kTestSecret,
                     "systems/sync", grpc::InsecureChannelCredentials());
  auto read = BackfillOnce(backfilled_.store.get(), &fx_.redis_client(), sources,
                           std::string(kEventStream), "sync-backfilled", Clock::Real());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_GT(*read, 0);
  // Once only.
  EXPECT_EQ(*BackfillOnce(backfilled_.store.get(), &fx_.redis_client(), sources,
                          std::string(kEventStream), "sync-backfilled", Clock::Real()),
            0);
  Consume(backfilled_, fx_.redis_client(), "sync-backfilled");

  const auto from_events = Records(events_.store.get(), "2026");
  EXPECT_EQ(from_events.count(a.name()), 1u);
  EXPECT_EQ(from_events.count(b.name() + "/progressReports/2026-06"), 1u);
  EXPECT_EQ(Records(backfilled_.store.get(), "2026"), from_events);

  // A change after the backfill reaches the backfilled copy through its group.
  intake::v1::Project c = CreateProject(admin, MakeProject("光伏玻璃项目"));
  ASSERT_TRUE(testing::WaitForGroupToCatchUp(fx_.redis_client(), *events_.store, "sync-events"));
  // The backfilled group never saw the events before its position, so it is waited for by what
  // it holds.
  ASSERT_TRUE(testing::Eventually(
      [&] { return Records(backfilled_.store.get(), "2026").count(c.name()) == 1; },
      absl::Seconds(10)));
  const auto after = Records(backfilled_.store.get(), "2026");
  EXPECT_EQ(after.count(c.name()), 1u);
  EXPECT_EQ(after, Records(events_.store.get(), "2026"));
}

}  // namespace
}  // namespace sync
}  // namespace chainhub
