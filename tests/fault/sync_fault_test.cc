// Fault tests on the real chainhub-sync and chainhub-province binaries, beside a real registry,
// intake and redis-server: kill -9 of sync in the middle of a push and of the receiver in the
// middle of its batches, each restarted on its data. Afterwards the receiver holds exactly sync's
// snapshot (reconcile finds no difference) and no record was applied twice.

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "tests/support/fault_stack.h"
#include "tests/support/service_process.h"
#include "tests/support/sqlite_file.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {
namespace {

namespace iv1 = intake::v1;
namespace rv1 = registry::v1;
namespace sv1 = sync::v1;

constexpr int kProjects = 2000;

bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return done();
}

class SyncFault : public FaultStackTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FaultStackTest::SetUp());
    ASSERT_NO_FATAL_FAILURE(SeedRegistry());
    ASSERT_NO_FATAL_FAILURE(StartIntake());
    ASSERT_NO_FATAL_FAILURE(ImportProjects(0, kProjects));
    // A fixed port: the receiver restarts on it, and sync's target does not change.
    const std::string province_address = absl::StrCat("127.0.0.1:", FreePort());
    std::vector<std::string> province_args = common_;
    province_args.push_back("--listen=" + province_address);
    province_ = std::make_unique<ServiceProcess>(dir_, "province",
                                                 "services/province/chainhub-province",
                                                 province_args);
    std::ofstream(dir_.File("province_token")) << MintTestToken("systems/chuzhou", {"admin"});
    std::vector<std::string> sync_args = common_;
    sync_args.insert(sync_args.end(),
                     {"--registry_target=" + registry_->address(),
                      "--intake_target=" + intake_->address(),
                      "--province_target=" + province_address,
                      "--province_token_file=" + dir_.File("province_token"),
                      "--province_sender=chuzhou", "--push_batch_size=10"});
    sync_ = std::make_unique<ServiceProcess>(dir_, "sync", "services/sync/chainhub-sync",
                                             sync_args);
  }

  void SeedRegistry() {
    auto ctx = [&] { return ContextWithToken(token_); };
    rv1::CreateDepartmentRequest dept;
    dept.set_department_id("fgw");
    dept.mutable_department()->set_display_name("市发展和改革委员会");
    rv1::Department d;
    ASSERT_TRUE(registry_stub_->CreateDepartment(ctx().get(), dept, &d).ok());
    rv1::PutProvinceListRequest list;
    list.mutable_province_list()->set_name("provinceLists/2026");
    list.mutable_province_list()->set_display_name("安徽省十大新兴产业（2026）");
    list.mutable_province_list()->set_effective_from("2026-01-01");
    auto* c = list.mutable_province_list()->add_chains();
    c->set_id("new-energy-low-carbon");
    c->set_display_name("新能源及绿色低碳");
    rv1::ProvinceList l;
    grpc::Status s = registry_stub_->PutProvinceList(ctx().get(), list, &l);
    ASSERT_TRUE(s.ok()) << s.error_message();
    rv1::CreateChainRequest chain;
    chain.set_chain_id("pv");
    chain.mutable_chain()->set_display_name("光伏");
    chain.mutable_chain()->set_status(rv1::CHAIN_STATUS_ACTIVE);
    chain.mutable_chain()->set_lead_department("departments/fgw");
    rv1::Chain ch;
    s = registry_stub_->CreateChain(ctx().get(), chain, &ch);
    ASSERT_TRUE(s.ok()) << s.error_message();
    rv1::SetChainProvinceMappingRequest mapping;
    mapping.mutable_mapping()->set_chain("chains/pv");
    mapping.mutable_mapping()->set_version("2026");
    mapping.mutable_mapping()->add_province_chains("new-energy-low-carbon");
    rv1::ChainProvinceMapping m;
    s = registry_stub_->SetChainProvinceMapping(ctx().get(), mapping, &m);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Projects first .. first + count - 1 of the test, by intake's streamed import.
  void ImportProjects(int first, int count) {
    iv1::ImportProjectsResponse resp;
    auto ctx = ContextWithToken(token_);
    auto writer = intake_stub_->ImportProjects(ctx.get(), &resp);
    iv1::ImportProjectsRequest header;
    header.mutable_header()->set_source("sync-fault-test");
    ASSERT_TRUE(writer->Write(header));
    for (int n = first; n < first + count; ++n) {
      iv1::ImportProjectsRequest row;
      row.mutable_row()->set_row_number(n - first + 1);
      iv1::Project* p = row.mutable_row()->mutable_project();
      p->set_external_id(absl::StrFormat("sync-fault-%05d", n));
      p->set_display_name(absl::StrCat("同步故障测试项目", n));
      p->set_chain("chains/pv");
      p->set_county("琅琊区");
      p->mutable_investor()->set_name("滁州投资有限公司");
      p->mutable_investor()->set_origin(iv1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
      p->set_source(iv1::PROJECT_SOURCE_INVESTMENT);
      p->set_total_investment_yuan(200'000'000 + n);
      p->set_responsible_department("departments/fgw");
      p->mutable_stage_dates()->set_negotiating("2026-01-05");
      ASSERT_TRUE(writer->Write(row));
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(resp.created_count(), count);
  }

  // The push's status; state UNSPECIFIED when sync cannot be reached.
  sv1::PushStatus Status() {
    sv1::PushStatus status;
    auto stub = sv1::ProvinceSync::NewStub(sync_->channel());
    auto ctx = ContextWithToken(token_);
    if (!stub->GetPushStatus(ctx.get(), {}, &status).ok()) return sv1::PushStatus();
    return status;
  }

  static int64_t Number(const std::string& text) {
    int64_t n = 0;
    return absl::SimpleAtoi(text, &n) ? n : 0;
  }

  // Waits until the receiver acknowledged every change sync holds.
  bool WaitForPush(absl::Duration timeout) {
    return WaitUntil(
        [&] {
          sv1::PushStatus s = Status();
          return s.state() == sv1::PUSH_STATE_ACTIVE && s.pending() == 0 &&
                 Number(s.checkpoint()) > 0;
        },
        timeout);
  }

  int64_t ReceiverRows(const std::string& sql) {
    SqliteFile db(province_->data_dir() + "/province.db");
    auto result = db.Query(sql);
    return result.rows.empty() ? -1 : Number(result.rows[0][0]);
  }

  std::unique_ptr<ServiceProcess> province_;
  std::unique_ptr<ServiceProcess> sync_;
};

TEST_F(SyncFault, KillNineOfSyncMidPushAndOfTheReceiverMidBatchLeavesExactlyTheSnapshot) {
  ASSERT_NO_FATAL_FAILURE(province_->Start());
  ASSERT_NO_FATAL_FAILURE(sync_->Start());

  // kill -9 of sync once the receiver acknowledged some batches and more are pending.
  ASSERT_TRUE(WaitUntil(
      [&] {
        sv1::PushStatus s = Status();
        return Number(s.checkpoint()) > 0 && s.pending() > 0;
      },
      absl::Seconds(60)))
      << "the push never started";
  ASSERT_NO_FATAL_FAILURE(sync_->Kill9());
  const int64_t before_restart = ReceiverRows("SELECT COUNT(*) FROM province_records");
  std::cout << "killed sync with " << before_restart << " records at the receiver" << std::endl;
  ASSERT_GT(before_restart, 0);
  ASSERT_LT(before_restart, kProjects + 1);

  // Restarted on its data: it pushes on from its checkpoint. kill -9 of the receiver while
  // batches arrive, restarted on the same port.
  ASSERT_NO_FATAL_FAILURE(sync_->Start());
  ASSERT_TRUE(WaitUntil(
      [&] { return ReceiverRows("SELECT COUNT(*) FROM province_records") > before_restart + 50; },
      absl::Seconds(60)));
  ASSERT_GT(Status().pending(), 0) << "the push finished before the receiver could be killed";
  ASSERT_NO_FATAL_FAILURE(province_->Kill9());
  std::cout << "killed the receiver with "
            << ReceiverRows("SELECT COUNT(*) FROM province_records") << " records" << std::endl;
  absl::SleepFor(absl::Milliseconds(500));  // sync retries against a receiver that is gone
  ASSERT_NO_FATAL_FAILURE(province_->Start());

  ASSERT_TRUE(WaitUntil(
      [&] {
        sv1::PushStatus s = Status();
        return s.state() == sv1::PUSH_STATE_ACTIVE && s.pending() == 0 &&
               Number(s.checkpoint()) > 0;
      },
      absl::Seconds(90)))
      << "the push did not finish: " << Status().ShortDebugString();

  // Exactly the snapshot: no category and no record differs.
  auto stub = sv1::ProvinceSync::NewStub(sync_->channel());
  sv1::ReconcileResponse reconciled;
  auto ctx = ContextWithToken(token_);
  grpc::Status s = stub->Reconcile(ctx.get(), {}, &reconciled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(reconciled.consistent());
  EXPECT_EQ(reconciled.difference_count(), 0);
  for (const auto& c : reconciled.categories()) EXPECT_TRUE(c.equal()) << c.ShortDebugString();

  // Every key reached the receiver once, at its one version: the batches applied exactly as many
  // records as it holds (a record applied twice would count twice), the rest being recognised
  // as already held.
  const int64_t held = ReceiverRows("SELECT COUNT(*) FROM province_records");
  EXPECT_EQ(held, kProjects + 1);  // the projects and chains/pv
  EXPECT_EQ(ReceiverRows("SELECT SUM(applied) FROM province_batches"), held);
  std::cout << "batches " << ReceiverRows("SELECT COUNT(*) FROM province_batches")
            << ", records re-sent and found already held "
            << ReceiverRows("SELECT SUM(stale) FROM province_batches") << std::endl;
}

// The receiver down for a whole minute while the city keeps working: the push keeps retrying on
// its own schedule (200 ms doubling to 30 s, the production one), stays ACTIVE, and once the
// receiver is back it catches up by itself, with no operator and nothing lost.
TEST_F(SyncFault, AReceiverDownForAMinuteIsCaughtUpOnItsOwn) {
  ASSERT_NO_FATAL_FAILURE(province_->Start());
  ASSERT_NO_FATAL_FAILURE(sync_->Start());
  ASSERT_TRUE(WaitForPush(absl::Seconds(90))) << Status().ShortDebugString();

  ASSERT_NO_FATAL_FAILURE(province_->Kill9());
  constexpr int kDuringOutage = 20;
  ASSERT_NO_FATAL_FAILURE(ImportProjects(kProjects, kDuringOutage));
  ASSERT_TRUE(WaitUntil([&] { return Status().pending() >= kDuringOutage; }, absl::Seconds(30)))
      << "sync did not take the projects made during the outage: "
      << Status().ShortDebugString();
  absl::SleepFor(absl::Minutes(1));
  sv1::PushStatus down = Status();
  EXPECT_EQ(down.state(), sv1::PUSH_STATE_ACTIVE) << down.ShortDebugString();
  EXPECT_GT(down.failures(), 3) << down.ShortDebugString();
  EXPECT_THAT(down.reason(), ::testing::HasSubstr("UNAVAILABLE"));

  ASSERT_NO_FATAL_FAILURE(province_->Start());
  const absl::Time back = absl::Now();
  ASSERT_TRUE(WaitForPush(absl::Seconds(60))) << Status().ShortDebugString();
  std::cout << "after " << down.failures() << " failed attempts, the push caught up "
            << absl::FormatDuration(absl::Now() - back) << " after the receiver returned"
            << std::endl;

  auto stub = sv1::ProvinceSync::NewStub(sync_->channel());
  sv1::ReconcileResponse reconciled;
  auto ctx = ContextWithToken(token_);
  grpc::Status s = stub->Reconcile(ctx.get(), {}, &reconciled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(reconciled.consistent());
  EXPECT_EQ(ReceiverRows("SELECT COUNT(*) FROM province_records"), kProjects + kDuringOutage + 1);
}

}  // namespace
}  // namespace chainhub::testing
