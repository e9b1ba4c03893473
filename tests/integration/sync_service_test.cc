// chainhub-sync over real gRPC, Redis and SQLite, pushing to a real reference receiver: events
// become records in the list of their date, snapshots stream them with their digests, the change
// feed resumes across a reconnect with no gap and no repeat, the push delivers everything once and
// halts on a refusal, and reconcile finds and repairs a record deleted at the receiver by hand.
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "services/province/records.h"
#include "tests/support/sync_fixture.h"

namespace chainhub::testing {
namespace {

using ::testing::ElementsAre;
using province::v1::Record;
using Stub = sync::v1::ProvinceSync::Stub;

intake::v1::Project Project(const std::string& id, const std::string& chain,
                            const std::string& signed_on) {
  intake::v1::Project p;
  p.set_name("projects/" + id);
  p.set_display_name("项目" + id);
  p.set_chain("chains/" + chain);
  p.set_total_investment_yuan(300'000'000);
  p.set_stage(intake::v1::STAGE_SIGNED);
  p.mutable_stage_dates()->set_signed_(signed_on);
  p.set_province_chains_source("chain_default");
  return p;
}

struct Snapshot {
  grpc::Status status;
  std::string list_version, date, cursor;
  std::map<std::string, Record> records;
  std::vector<province::v1::CategoryDigest> digests;
};

Snapshot ReadSnapshot(SyncCaller as, const std::string& list_version, const std::string& date) {
  sync::v1::GetSnapshotRequest req;
  req.set_list_version(list_version);
  req.set_date(date);
  auto ctx = ContextWithToken(as.token());
  auto reader = as.stub().GetSnapshot(ctx.get(), req);
  Snapshot out;
  sync::v1::SnapshotChunk chunk;
  while (reader->Read(&chunk)) {
    if (!chunk.list_version().empty()) out.list_version = chunk.list_version();
    if (!chunk.date().empty()) out.date = chunk.date();
    for (const auto& r : chunk.records()) out.records[r.id()] = r;
    for (const auto& d : chunk.digests()) out.digests.push_back(d);
    if (!chunk.cursor().empty()) out.cursor = chunk.cursor();
  }
  out.status = reader->Finish();
  return out;
}

std::vector<std::string> AsText(const std::vector<province::v1::CategoryDigest>& digests) {
  std::vector<std::string> out;
  for (const auto& d : digests) {
    out.push_back(absl::StrCat(d.list_version(), "|", d.type(), "|", d.category(), "|", d.count(),
                               "|", d.digest()));
  }
  return out;
}

class SyncServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sync_.service_options.feed.heartbeat = absl::Milliseconds(200);
    sync_.push_options.batch_size = 3;
    ASSERT_NO_FATAL_FAILURE(sync_.SetUp());
    sync_.PublishTaxonomy();
    sync_.StartConsumer();
  }
  void TearDown() override { sync_.TearDown(); }

  void PublishProject(const intake::v1::Project& p,
                      intake::v1::IntakeEvent kind = intake::v1::INTAKE_EVENT_PROJECT_CREATED) {
    sync_.Publish(MakeCloudEvent("intake", EventKindDescriptor(kind), p.name(), p.chain(),
                                 absl::Now(), p));
  }

  // Pushes until nothing is pending; returns the records acknowledged.
  int PushAll() {
    int total = 0;
    while (true) {
      auto pushed = sync_.push().PushOnce();
      EXPECT_TRUE(pushed.ok()) << pushed.status();
      if (!pushed.ok() || *pushed == 0) return total;
      total += *pushed;
    }
  }

  SyncFixture sync_;
};

TEST_F(SyncServiceTest, EventsBecomeRecordsOfTheListOfTheirDateAndSnapshotsCarryTheirDigests) {
  PublishProject(Project("p2025", "pv", "2025-08-01"));
  PublishProject(Project("p2026", "nev-battery", "2026-03-01"));
  PublishProject(Project("food", "health-food", "2026-04-01"));
  ASSERT_TRUE(sync_.WaitForEvents());

  Snapshot in2021 = ReadSnapshot(sync_.Province(), "2021", "");
  ASSERT_TRUE(in2021.status.ok()) << in2021.status.error_message();
  EXPECT_EQ(in2021.list_version, "2021");
  ASSERT_EQ(in2021.records.size(), 1u);
  EXPECT_THAT(in2021.records["projects/p2025"].categories(), ElementsAre("pv-storage"));

  // Empty list_version: the list in force on the date.
  Snapshot in2026 = ReadSnapshot(sync_.Province(), "", "2026-06-30");
  ASSERT_TRUE(in2026.status.ok()) << in2026.status.error_message();
  EXPECT_EQ(in2026.list_version, "2026");
  ASSERT_EQ(in2026.records.size(), 2u);
  EXPECT_THAT(in2026.records["projects/p2026"].categories(),
              ElementsAre("icv-nev", "new-energy-low-carbon"));
  EXPECT_TRUE(in2026.records["projects/food"].categories().empty());
  province::DigestSet expected;
  for (const auto& [id, r] : in2026.records) expected.Add(r);
  EXPECT_EQ(AsText(in2026.digests), AsText(expected.ToProto()));
  EXPECT_FALSE(in2026.cursor.empty());
  // Dated before the 2026 projects: none of them.
  EXPECT_TRUE(ReadSnapshot(sync_.Province(), "2026", "2026-02-01").records.empty());

  // Bad requests name the field.
  EXPECT_EQ(ReadSnapshot(sync_.Province(), "2019", "").status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadSnapshot(sync_.Province(), "", "2026-13-01").status.error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ReadSnapshot(sync_.As(MintTestToken("departments/fgw", {"department"})), "", "")
                .status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SyncServiceTest, ThePushDeliversEverythingOnceAndReconcileRepairsARecordDeletedByHand) {
  for (int i = 0; i < 7; ++i) {
    PublishProject(Project(absl::StrCat("p", i), i % 2 ? "pv" : "nev-battery",
                           i < 3 ? "2025-05-01" : "2026-05-01"));
  }
  ASSERT_TRUE(sync_.WaitForEvents());
  EXPECT_EQ(PushAll(), 7);
  auto status = sync_.push().Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->pending(), 0);
  EXPECT_EQ(status->checkpoint(), status->head());

  sync::v1::ReconcileRequest check;
  sync::v1::ReconcileResponse clean;
  ASSERT_TRUE(sync_.Admin()(&Stub::Reconcile, check, &clean).ok());
  EXPECT_TRUE(clean.consistent());
  EXPECT_EQ(clean.difference_count(), 0);

  // An operator deletes a record at the receiver by hand.
  ASSERT_TRUE(sync_.receiver().store()->Write([](SqlTx& tx) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM province_records WHERE id = 'projects/p4'").status());
    return tx.Exec("DELETE FROM province_record_categories WHERE id = 'projects/p4'").status();
  }).ok());
  sync::v1::ReconcileResponse found;
  ASSERT_TRUE(sync_.Admin()(&Stub::Reconcile, check, &found).ok());
  EXPECT_FALSE(found.consistent());
  ASSERT_EQ(found.difference_count(), 1);
  EXPECT_EQ(found.differences(0).id(), "projects/p4");
  EXPECT_EQ(found.differences(0).remote_version(), 0);

  sync::v1::ReconcileRequest repair;
  repair.set_repair(true);
  sync::v1::ReconcileResponse repaired;
  ASSERT_TRUE(sync_.Admin()(&Stub::Reconcile, repair, &repaired).ok());
  EXPECT_EQ(repaired.repaired_count(), 1);
  EXPECT_TRUE(repaired.consistent());
  // The receiver now holds exactly the snapshot of each list.
  for (const std::string list : {"2021", "2026"}) {
    Snapshot snap = ReadSnapshot(sync_.Province(), list, "");
    province::v1::GetDigestsRequest req;
    req.set_list_version(list);
    province::v1::GetDigestsResponse held;
    ASSERT_TRUE(sync_.receiver().Province()(&province::v1::ProvinceIngest::Stub::GetDigests, req,
                                            &held).ok());
    EXPECT_EQ(AsText({held.digests().begin(), held.digests().end()}), AsText(snap.digests));
  }
  // Only an admin reconciles.
  EXPECT_EQ(sync_.Province().Status(&Stub::Reconcile, check).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// What a crash between the receiver's acknowledgement and sync's checkpoint leaves: the same
// changes sent again, as the same batches or as other ones, and nothing applied twice.
TEST_F(SyncServiceTest, BatchesSentAgainAfterALostCheckpointApplyNothingTwice) {
  for (int i = 0; i < 8; ++i) {
    PublishProject(Project(absl::StrCat("p", i), "pv", "2026-05-0" + std::to_string(i + 1)));
  }
  ASSERT_TRUE(sync_.WaitForEvents());
  ASSERT_EQ(PushAll(), 8);
  auto applied = [&]() {
    int64_t n = -1;
    EXPECT_TRUE(sync_.receiver().store()->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(SqlRow row,
                                tx.QueryOne("SELECT SUM(applied), SUM(stale), COUNT(*) FROM "
                                            "province_batches"));
      n = row.Int(0);
      return absl::OkStatus();
    }).ok());
    return n;
  };
  ASSERT_EQ(applied(), 8);
  auto lose_checkpoint = [&](int64_t to) {
    ASSERT_TRUE(sync_.store()->Write([&](SqlTx& tx) {
      return tx.Exec("UPDATE sync_push SET checkpoint = $1 WHERE id = 1", {to}).status();
    }).ok());
  };
  // The whole checkpoint lost: the same ranges, so the same batch ids, answered as duplicates.
  lose_checkpoint(0);
  EXPECT_EQ(PushAll(), 8);
  EXPECT_EQ(applied(), 8);
  // Lost part-way, so the ranges shift: new batches, their records found already held.
  lose_checkpoint(2);
  EXPECT_EQ(PushAll(), 6);
  EXPECT_EQ(applied(), 8);
  sync::v1::ReconcileResponse r;
  ASSERT_TRUE(sync_.Admin()(&Stub::Reconcile, sync::v1::ReconcileRequest(), &r).ok());
  EXPECT_TRUE(r.consistent());
}

// Two replicas on one store: one pushes at a time, each batch reaches the receiver once, and the
// other takes over when the first stops (at once) or dies (after the lease's expiry).
TEST_F(SyncServiceTest, TwoReplicasPushInTurnByTheLeaseAndEachBatchGoesOnce) {
  sync::PushOptions options = sync_.push_options;
  options.holder = "replica-a";
  options.lease_ttl = absl::Seconds(30);
  auto a = std::make_unique<sync::PushAgent>(sync_.store(), &sync_.client(), options,
                                             sync_.clock());
  options.holder = "replica-b";
  sync::PushAgent b(sync_.store(), &sync_.client(), options, sync_.clock());
  auto batches = [&]() {
    int64_t n = -1;
    EXPECT_TRUE(sync_.receiver().store()->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx.QueryOne("SELECT COUNT(*) FROM province_batches"));
      n = row.Int(0);
      return absl::OkStatus();
    }).ok());
    return n;
  };
  auto push_all = [](sync::PushAgent& agent) {
    int total = 0;
    while (true) {
      auto pushed = agent.PushOnce();
      EXPECT_TRUE(pushed.ok()) << pushed.status();
      if (!pushed.ok() || *pushed == 0) return total;
      total += *pushed;
    }
  };
  for (int i = 0; i < 6; ++i) {
    PublishProject(Project(absl::StrCat("p", i), "pv", "2026-05-0" + std::to_string(i + 1)));
  }
  ASSERT_TRUE(sync_.WaitForEvents());
  // a takes the lease with its first round; b, taking turns with it, sends nothing.
  auto first = a->PushOnce();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 3);
  EXPECT_EQ(*b.PushOnce(), 0);
  EXPECT_EQ(*a->PushOnce(), 3);
  EXPECT_EQ(*b.PushOnce(), 0);
  EXPECT_EQ(batches(), 2);

  // a stops: it lets the lease go and b pushes at its next round.
  for (int i = 6; i < 9; ++i) {
    PublishProject(Project(absl::StrCat("p", i), "pv", "2026-06-0" + std::to_string(i - 5)));
  }
  ASSERT_TRUE(sync_.WaitForEvents());
  a->Stop();
  EXPECT_EQ(push_all(b), 3);
  EXPECT_EQ(batches(), 3);

  // b dies without letting go: a new a waits out the lease, then carries on from the checkpoint.
  for (int i = 9; i < 12; ++i) {
    PublishProject(Project(absl::StrCat("p", i), "pv", "2026-07-0" + std::to_string(i - 8)));
  }
  ASSERT_TRUE(sync_.WaitForEvents());
  options.holder = "replica-a";
  a = std::make_unique<sync::PushAgent>(sync_.store(), &sync_.client(), options, sync_.clock());
  EXPECT_EQ(*a->PushOnce(), 0);
  sync_.clock().Advance(absl::Seconds(31));
  EXPECT_EQ(push_all(*a), 3);
  EXPECT_EQ(batches(), 4);
  auto status = a->Status();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->pending(), 0);
  // The fixture's own agent (a third holder) finds the lease taken too.
  EXPECT_EQ(*sync_.push().PushOnce(), 0);
}

TEST_F(SyncServiceTest, TheChangeFeedResumesFromItsCursorWithNoGapAndNoRepeat) {
  for (int i = 0; i < 4; ++i) PublishProject(Project(absl::StrCat("a", i), "pv", "2026-01-0" + std::to_string(i + 1)));
  ASSERT_TRUE(sync_.WaitForEvents());

  std::vector<std::string> seen;
  std::string cursor;
  {
    sync::v1::WatchChangesRequest req;
    auto ctx = ContextWithToken(sync_.Province().token());
    auto reader = sync_.stub().WatchChanges(ctx.get(), req);
    sync::v1::ChangeBatch batch;
    while (seen.size() < 4 && reader->Read(&batch)) {
      for (const auto& c : batch.changes()) {
        seen.push_back(c.record().id());
        cursor = c.cursor();
      }
    }
    ctx->TryCancel();
    reader->Finish();
  }
  ASSERT_EQ(seen.size(), 4u);
  // More happens while the reader is away: a new project and a change to a seen one.
  PublishProject(Project("b0", "pv", "2026-02-01"));
  intake::v1::Project a1 = Project("a1", "pv", "2026-01-02");
  a1.set_display_name("项目a1（更名）");
  PublishProject(a1, intake::v1::INTAKE_EVENT_PROJECT_UPDATED);
  ASSERT_TRUE(sync_.WaitForEvents());

  sync::v1::WatchChangesRequest resume;
  resume.set_cursor(cursor);
  auto ctx = ContextWithToken(sync_.Province().token());
  auto reader = sync_.stub().WatchChanges(ctx.get(), resume);
  std::vector<std::string> after;
  int heartbeats = 0;
  sync::v1::ChangeBatch batch;
  while (heartbeats < 2 && reader->Read(&batch)) {
    if (batch.heartbeat()) {
      ++heartbeats;
      EXPECT_EQ(batch.cursor(), after.empty() ? cursor : batch.cursor());
      continue;
    }
    for (const auto& c : batch.changes()) {
      after.push_back(c.record().id());
      EXPECT_GT(std::stoll(c.cursor()), std::stoll(cursor));
    }
  }
  ctx->TryCancel();
  reader->Finish();
  EXPECT_THAT(after, ElementsAre("projects/b0", "projects/a1"));

  // A cursor from another store, and a malformed one.
  for (const std::string bad : {"999999", "x"}) {
    sync::v1::WatchChangesRequest req;
    req.set_cursor(bad);
    auto c = ContextWithToken(sync_.Province().token());
    auto r = sync_.stub().WatchChanges(c.get(), req);
    sync::v1::ChangeBatch ignored;
    while (r->Read(&ignored)) {
    }
    EXPECT_EQ(r->Finish().error_code(), bad == "x" ? grpc::StatusCode::INVALID_ARGUMENT
                                                   : grpc::StatusCode::OUT_OF_RANGE);
  }
}

TEST_F(SyncServiceTest, ARefusalHaltsThePushNamingTheRecordUntilAnOperatorResumesIt) {
  // A provincial list the receiver does not know: the receiver refuses its records.
  registry::v1::ProvinceList future;
  future.set_name("provinceLists/2031");
  future.set_effective_from("2031-01-01");
  future.add_chains()->set_id("pv-2031");
  sync_.Publish(MakeCloudEvent(
      "registry", EventKindDescriptor(registry::v1::REGISTRY_EVENT_PROVINCE_LIST_PUT),
      future.name(), "", absl::Now(), future));
  PublishProject(Project("ok", "pv", "2026-05-01"));
  PublishProject(Project("late", "pv", "2031-02-01"));
  ASSERT_TRUE(sync_.WaitForEvents());

  auto first = sync_.push().PushOnce();
  EXPECT_FALSE(first.ok());
  auto halted = sync_.push().Status();
  ASSERT_TRUE(halted.ok());
  EXPECT_EQ(halted->state(), sync::v1::PUSH_STATE_HALTED);
  EXPECT_THAT(halted->reason(), ::testing::HasSubstr("INVALID_ARGUMENT"));
  EXPECT_EQ(halted->offending_record(), "2031|RECORD_TYPE_PROJECT|projects/late");
  // Halted: nothing more is sent.
  EXPECT_EQ(*sync_.push().PushOnce(), 0);

  // Another refusal: the token lost its role. Resumed, the push halts again on it.
  sync_.WriteReceiverToken(MintTestToken("systems/chuzhou", {"viewer"}));
  sync::v1::PushStatus resumed;
  ASSERT_TRUE(sync_.Admin()(&Stub::ResumePush, sync::v1::ResumePushRequest(), &resumed).ok());
  EXPECT_EQ(resumed.state(), sync::v1::PUSH_STATE_ACTIVE);
  EXPECT_FALSE(sync_.push().PushOnce().ok());
  EXPECT_THAT(sync_.push().Status()->reason(), ::testing::HasSubstr("PERMISSION_DENIED"));

  // Pausing needs a reason and the admin role; both actions are audited.
  EXPECT_EQ(sync_.Admin().Status(&Stub::PausePush, sync::v1::PausePushRequest()).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  sync::v1::PausePushRequest pause;
  pause.set_reason("省平台维护");
  EXPECT_EQ(sync_.Province().Status(&Stub::PausePush, pause).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  sync::v1::PushStatus paused;
  ASSERT_TRUE(sync_.Admin()(&Stub::PausePush, pause, &paused).ok());
  EXPECT_EQ(paused.state(), sync::v1::PUSH_STATE_PAUSED);
  auto audit = AuditRowsOf(sync_.Admin(), "");
  ASSERT_GE(audit.size(), 2u);

  sync::v1::ListPushesResponse pushes;
  ASSERT_TRUE(sync_.Admin()(&Stub::ListPushes, sync::v1::ListPushesRequest(), &pushes).ok());
  ASSERT_FALSE(pushes.pushes().empty());
  EXPECT_EQ(pushes.pushes(0).outcome(), sync::v1::PUSH_OUTCOME_REFUSED);
}

}  // namespace
}  // namespace chainhub::testing
