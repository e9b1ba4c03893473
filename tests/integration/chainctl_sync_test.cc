// chainctl's sync commands against the real sync service and reference receiver (SyncFixture): a
// snapshot written to a file with each category's digest, the push's status and history, pausing
// that needs a reason, a reconciliation that finds and repairs what the receiver lost, the workbook
// export, and a watch that stops after --max changes.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "tests/support/sync_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/workbook_reader.h"
#include "tools/chainctl/commands.h"

namespace chainhub::testing {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class ChainctlSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(sync_.SetUp());
    sync_.PublishTaxonomy();
    for (int i = 0; i < 5; ++i) {
      intake::v1::Project p;
      p.set_name(absl::StrCat("projects/p", i));
      p.set_display_name(absl::StrCat("项目", i));
      p.set_chain(i % 2 ? "chains/pv" : "chains/health-food");
      p.set_total_investment_yuan(200'000'000);
      p.mutable_stage_dates()->set_signed_(i < 2 ? "2025-09-01" : "2026-09-01");
      p.set_province_chains_source("chain_default");
      sync_.Publish(MakeCloudEvent(
          "intake", EventKindDescriptor(intake::v1::INTAKE_EVENT_PROJECT_CREATED), p.name(),
          p.chain(), absl::Now(), p));
    }
    sync_.StartConsumer();
    ASSERT_TRUE(sync_.WaitForEvents());
  }
  void TearDown() override { sync_.TearDown(); }

  Outcome Chainctl(std::vector<std::string> args, chainctl::CommandLine cmd = {}) {
    cmd.sync_target = sync_.target();
    cmd.client.token = MintTestToken("systems/test-admin", {"admin"});
    std::ostringstream out, err;
    const int code = chainctl::Commands().Run(cmd, args, out, err);
    return {code, out.str(), err.str()};
  }

  SyncFixture sync_;
  TempDir dir_;
};

TEST_F(ChainctlSyncTest, SnapshotStatusPushesReconcileExportAndWatch) {
  // A snapshot of the 2021 list: the two projects signed in 2025.
  chainctl::CommandLine snap;
  snap.list = "2021";
  snap.out = dir_.File("snapshot.jsonl");
  Outcome o = Chainctl({"sync", "snapshot"}, snap);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("2 records of list 2021"));
  EXPECT_THAT(o.out, HasSubstr("pv-storage"));
  std::ifstream in(snap.out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_THAT(line, HasSubstr("\"listVersion\":\"2021\""));
    ++lines;
  }
  EXPECT_EQ(lines, 2);
  // --out is required.
  EXPECT_EQ(Chainctl({"sync", "snapshot"}).code, chainctl::kExitUsage);

  // Push everything, then the status and history say so.
  while (true) {
    auto pushed = sync_.push().PushOnce();
    ASSERT_TRUE(pushed.ok()) << pushed.status();
    if (*pushed == 0) break;
  }
  o = Chainctl({"sync", "status"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("推送中"));
  bool pending_zero = false;
  for (absl::string_view l : absl::StrSplit(o.out, '\n')) {
    if (absl::StartsWith(l, "待推送")) pending_zero = absl::EndsWith(l, " 0");
  }
  EXPECT_TRUE(pending_zero) << o.out;
  o = Chainctl({"sync", "pushes"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("chuzhou:"));
  EXPECT_THAT(o.out, HasSubstr("已确认"));

  // The receiver loses a record; reconcile finds it, --repair re-sends it.
  ASSERT_TRUE(sync_.receiver().store()->Write([](SqlTx& tx) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(tx.Exec("DELETE FROM province_records WHERE id = 'projects/p3'").status());
    return tx.Exec("DELETE FROM province_record_categories WHERE id = 'projects/p3'").status();
  }).ok());
  o = Chainctl({"sync", "reconcile"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("1 records differ"));
  EXPECT_THAT(o.out, HasSubstr("projects/p3"));
  EXPECT_THAT(o.out, HasSubstr("not consistent"));
  chainctl::CommandLine repair;
  repair.repair = true;
  o = Chainctl({"sync", "reconcile"}, repair);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("re-sent 1 records"));
  EXPECT_THAT(o.out, HasSubstr("consistent: the receiver holds exactly sync's records"));

  // Pause needs a reason.
  EXPECT_EQ(Chainctl({"sync", "pause"}).code, chainctl::kExitUsage);
  chainctl::CommandLine pause;
  pause.reason = "省平台维护";
  o = Chainctl({"sync", "pause"}, pause);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("已暂停"));
  ASSERT_EQ(Chainctl({"sync", "resume"}).code, 0);

  // The workbook of the 2026 list: three projects, two without a category (健康食品).
  chainctl::CommandLine xlsx;
  xlsx.format = "xlsx";
  xlsx.list = "2026";
  xlsx.out = dir_.File("province.xlsx");
  o = Chainctl({"sync", "export"}, xlsx);
  ASSERT_EQ(o.code, 0) << o.err;
  std::ifstream file(xlsx.out, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  Workbook book = ReadXlsx(bytes);
  EXPECT_EQ(book.sheets, "产业链,企业,项目,月度进展,考核结果");
  EXPECT_EQ(book.cells[3].count("A4"), 1u);
  EXPECT_EQ(book.cells[3].count("A5"), 0u);
  chainctl::CommandLine csv;
  csv.format = "csv";
  EXPECT_EQ(Chainctl({"sync", "export"}, csv).code, chainctl::kExitUsage);

  // A watch from the start, stopped after 3 changes; the next resumes from the last cursor.
  chainctl::CommandLine watch;
  watch.max_deliveries = 3;
  o = Chainctl({"sync", "watch"}, watch);
  ASSERT_EQ(o.code, 0) << o.err;
  std::vector<std::string> printed = absl::StrSplit(o.out, '\n', absl::SkipEmpty());
  ASSERT_GE(printed.size(), 3u);
  EXPECT_TRUE(absl::StartsWith(printed[0], "cursor="));
}

}  // namespace
}  // namespace chainhub::testing
