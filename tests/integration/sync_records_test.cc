// Sync's copy of the city's data over a real SQLite store: events become records in the list of
// their date, unchanged events change nothing, a mapping change re-versions exactly the records
// it moves, the 2026 switch re-expresses chains and enterprises once and keeps the old ones, and
// the feed and snapshots read what was written.
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/store/store.h"
#include "services/sync/sync_store.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
const std::vector<Migration>& SyncMigrations();
}  // namespace chainhub

namespace chainhub::sync {
namespace {

using ::testing::ElementsAre;

class SyncRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.path = dir_.path() + "/sync.db";
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate("sync", SyncMigrations()).ok());
    // The registry's taxonomy, as its events bring it.
    ASSERT_TRUE(Apply("2026-12-05", [](SyncRecords& s) -> absl::Status {
                  const auto lists = ProvinceLists::Shipped().ToProto();
                  for (const auto& l : lists.province_lists()) {
                    CHAINHUB_RETURN_IF_ERROR(s.ApplyProvinceList(l));
                  }
                  for (auto [chain, version, ids] :
                       std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>{
                           {"pv", "2021", {"pv-storage"}},
                           {"pv", "2026", {"new-energy-low-carbon"}},
                           {"semiconductor", "2021", {"next-gen-it"}},
                           {"semiconductor", "2026", {"next-gen-it"}}}) {
                    registry::v1::ChainProvinceMapping m;
                    m.set_chain("chains/" + chain);
                    m.set_version(version);
                    for (auto& id : ids) m.add_province_chains(id);
                    CHAINHUB_RETURN_IF_ERROR(s.ApplyChainMapping(m));
                  }
                  return absl::OkStatus();
                }).ok());
  }

  // Runs `fn` in one write transaction as of `today`; returns how many records it changed.
  absl::StatusOr<int64_t> Apply(const std::string& today,
                                const std::function<absl::Status(SyncRecords&)>& fn) {
    int64_t changed = 0;
    absl::Status s = store_->Write([&](SqlTx& tx) -> absl::Status {
      SyncRecords records(tx, today, absl::Now());
      CHAINHUB_RETURN_IF_ERROR(fn(records));
      changed = records.changed();
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return changed;
  }

  // The live records of a list as of a date, by id.
  std::map<std::string, Record> SnapshotOf(const std::string& list, const std::string& date) {
    std::map<std::string, Record> out;
    SyncReader reader(store_.get());
    auto head = reader.Snapshot(list, date, province::v1::RECORD_TYPE_UNSPECIFIED, 2,
                                [&](std::vector<Record>& page) {
                                  for (auto& r : page) out[r.id()] = r;
                                  return absl::OkStatus();
                                });
    EXPECT_TRUE(head.ok()) << head.status();
    return out;
  }

  static intake::v1::Project Project(const std::string& id, const std::string& signed_on) {
    intake::v1::Project p;
    p.set_name("projects/" + id);
    p.set_display_name("项目" + id);
    p.set_chain("chains/pv");
    p.set_total_investment_yuan(500'000'000);
    p.set_stage(intake::v1::STAGE_SIGNED);
    p.mutable_stage_dates()->set_signed_(signed_on);
    p.set_province_chains_source("chain_default");
    return p;
  }

  chainhub::testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SyncRecordsTest, AProjectIsARecordOfTheListOfItsDateAndAnUnchangedEventChangesNothing) {
  ASSERT_EQ(*Apply("2026-12-05", [](SyncRecords& s) {
    return s.ApplyProject(Project("a", "2025-11-30"), false);
  }), 1);
  ASSERT_EQ(*Apply("2026-12-05", [](SyncRecords& s) {
    return s.ApplyProject(Project("b", "2026-02-01"), false);
  }), 1);
  EXPECT_EQ(*Apply("2026-12-05", [](SyncRecords& s) {
    return s.ApplyProject(Project("a", "2025-11-30"), false);
  }), 0);

  auto in2021 = SnapshotOf("2021", "2026-12-05");
  auto in2026 = SnapshotOf("2026", "2026-12-05");
  ASSERT_EQ(in2021.size(), 1u);
  ASSERT_EQ(in2026.size(), 1u);
  EXPECT_THAT(in2021["projects/a"].categories(), ElementsAre("pv-storage"));
  EXPECT_THAT(in2026["projects/b"].categories(), ElementsAre("new-energy-low-carbon"));
  // A snapshot as of a date leaves out what is dated after it.
  EXPECT_TRUE(SnapshotOf("2026", "2026-01-31").empty());

  // Re-dated into 2026 (its signing date corrected): gone from 2021, a new record in 2026.
  ASSERT_EQ(*Apply("2026-12-05", [](SyncRecords& s) {
    return s.ApplyProject(Project("a", "2026-01-10"), false);
  }), 2);
  EXPECT_TRUE(SnapshotOf("2021", "2026-12-05").empty());
  EXPECT_EQ(SnapshotOf("2026", "2026-12-05").size(), 2u);

  // The feed: every change once, in version order, the tombstone included.
  SyncReader reader(store_.get());
  auto changes = reader.ChangesAfter(0, 100);
  ASSERT_TRUE(changes.ok());
  std::vector<std::string> seen;
  int64_t last = 0;
  for (const auto& c : *changes) {
    EXPECT_GT(c.record.version(), last);
    last = c.record.version();
    seen.push_back(c.record.list_version() + " " + c.record.id() +
                   (c.record.deleted() ? " deleted" : ""));
  }
  EXPECT_THAT(seen, ElementsAre("2026 projects/b", "2021 projects/a deleted", "2026 projects/a"));
  EXPECT_EQ(*reader.Head(), last);
}

TEST_F(SyncRecordsTest, AMappingChangeReversionsOnlyTheRecordsItMoves) {
  ASSERT_TRUE(Apply("2026-12-05", [](SyncRecords& s) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(s.ApplyProject(Project("old", "2025-05-01"), false));
    return s.ApplyProject(Project("new", "2026-05-01"), false);
  }).ok());
  registry::v1::ChainProvinceMapping m;
  m.set_chain("chains/pv");
  m.set_version("2026");
  m.add_province_chains("new-energy-low-carbon");
  m.add_province_chains("icv-nev");
  EXPECT_EQ(*Apply("2026-12-05", [&](SyncRecords& s) { return s.ApplyChainMapping(m); }), 1);
  EXPECT_THAT(SnapshotOf("2026", "2026-12-05")["projects/new"].categories(),
              ElementsAre("icv-nev", "new-energy-low-carbon"));
  EXPECT_THAT(SnapshotOf("2021", "2026-12-05")["projects/old"].categories(),
              ElementsAre("pv-storage"));
}

TEST_F(SyncRecordsTest, TheSwitchReexpressesChainsAndEnterprisesOnceAndKeepsTheOldOnes) {
  registry::v1::Chain pv;
  pv.set_name("chains/pv");
  pv.set_display_name("光伏");
  registry::v1::Enterprise e;
  e.set_name("enterprises/91341100MA2N000001");
  e.set_display_name("某某光伏");
  e.add_memberships("chains/pv/nodes/cells");
  ASSERT_EQ(*Apply("2025-12-30", [&](SyncRecords& s) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(s.ApplyChain(pv, false));
    CHAINHUB_RETURN_IF_ERROR(s.ApplyEnterprise(e, false));
    return s.ExpressInTodaysList().status();
  }), 2);
  EXPECT_EQ(SnapshotOf("2021", "2025-12-30").size(), 2u);
  EXPECT_TRUE(SnapshotOf("2026", "2025-12-30").empty());

  int64_t switched = 0;
  ASSERT_TRUE(Apply("2026-01-01", [&](SyncRecords& s) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(switched, s.ExpressInTodaysList());
    return absl::OkStatus();
  }).ok());
  EXPECT_EQ(switched, 2);
  // Once: the next pass finds the list already in force.
  EXPECT_EQ(*Apply("2026-01-02", [](SyncRecords& s) { return s.ExpressInTodaysList().status(); }),
            0);
  auto in2026 = SnapshotOf("2026", "2026-01-02");
  EXPECT_THAT(in2026["chains/pv"].categories(), ElementsAre("new-energy-low-carbon"));
  EXPECT_THAT(in2026["enterprises/91341100MA2N000001"].categories(),
              ElementsAre("new-energy-low-carbon"));
  // The 2021 records stay as they were, and an update after the switch changes only 2026's.
  pv.set_display_name("光伏产业链");
  EXPECT_EQ(*Apply("2026-01-02", [&](SyncRecords& s) { return s.ApplyChain(pv, false); }), 1);
  EXPECT_EQ(SnapshotOf("2021", "2025-12-31")["chains/pv"].chain().name(), "光伏");
  EXPECT_EQ(SnapshotOf("2026", "2026-01-02")["chains/pv"].chain().name(), "光伏产业链");
  // Deleting the enterprise deletes its present record only.
  EXPECT_EQ(*Apply("2026-01-02", [&](SyncRecords& s) { return s.ApplyEnterprise(e, true); }), 1);
  EXPECT_EQ(SnapshotOf("2026", "2026-01-02").count("enterprises/91341100MA2N000001"), 0u);
  EXPECT_EQ(SnapshotOf("2021", "2025-12-31").count("enterprises/91341100MA2N000001"), 1u);
}

TEST_F(SyncRecordsTest, ProgressFollowsItsProjectAndStageMovesRedateIt) {
  intake::v1::Project p = Project("p", "");
  p.set_stage(intake::v1::STAGE_NEGOTIATING);
  p.mutable_stage_dates()->clear_signed_();
  p.mutable_stage_dates()->set_negotiating("2025-10-01");
  intake::v1::ProgressReport report;
  report.set_name("projects/p/progressReports/2026-03");
  report.set_month("2026-03");
  report.set_cumulative_completed_yuan(10'000'000);
  ASSERT_TRUE(Apply("2026-12-05", [&](SyncRecords& s) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(s.ApplyProject(p, false));
    return s.ApplyProgress(report);
  }).ok());
  EXPECT_EQ(SnapshotOf("2021", "2026-12-05").count("projects/p"), 1u);
  EXPECT_EQ(SnapshotOf("2026", "2026-12-05").count("projects/p/progressReports/2026-03"), 1u);

  // Signed in 2026: the project moves to the 2026 list.
  intake::v1::StageChange change;
  change.set_name("projects/p/stageChanges/1");
  change.set_to_stage(intake::v1::STAGE_SIGNED);
  change.set_effective_date("2026-02-01");
  ASSERT_TRUE(Apply("2026-12-05", [&](SyncRecords& s) { return s.ApplyStageChange(change); }).ok());
  auto in2026 = SnapshotOf("2026", "2026-12-05");
  EXPECT_EQ(in2026["projects/p"].project().stage(), "签约");
  EXPECT_EQ(in2026["projects/p"].business_date(), "2026-02-01");
  EXPECT_EQ(SnapshotOf("2021", "2026-12-05").count("projects/p"), 0u);

  // Deleted: the project and its reports go.
  ASSERT_TRUE(Apply("2026-12-05", [&](SyncRecords& s) { return s.ApplyProject(p, true); }).ok());
  EXPECT_TRUE(SnapshotOf("2026", "2026-12-05").empty());
}

}  // namespace
}  // namespace chainhub::sync
