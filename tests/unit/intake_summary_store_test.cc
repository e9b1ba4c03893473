// The summary columns and the grouped summary path of the intake store, on a real SQLite file:
// after every kind of write the fast path (SummaryInputs) must give exactly the summary that
// replaying every project's stage history gives (SummaryInputsReplayed).
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/store/store.h"
#include "services/intake/intake_store.h"
#include "services/intake/lights.h"
#include "services/intake/stages.h"
#include "services/intake/summary.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
const std::vector<Migration>& IntakeMigrations();

namespace intake {
namespace {

using ::chainhub::testing::TempDir;

constexpr char kToday[] = "2026-06-15";

class IntakeSummaryStore : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.path = dir_.path() + "/intake.db";
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate("common", CommonMigrations()).ok());
    ASSERT_TRUE(store_->Migrate("intake", IntakeMigrations()).ok());
  }

  absl::Status Write(const std::function<absl::Status(IntakeTx&)>& fn) {
    return store_->Write([&](SqlTx& tx) {
      IntakeTx db(tx);
      return fn(db);
    });
  }

  // Creates a project the way CreateProject and ImportProjects do: the history from its stage
  // and dates, the stage state replayed from it, then the row and its changes.
  std::string Create(const std::string& chain, int64_t total, v1::Stage stage,
                     const v1::StageDates& dates, int64_t plan = 0,
                     const std::string& planned_start = "") {
    const std::string id = absl::StrCat("p", ++next_id_);
    v1::Project p;
    p.set_display_name(id);
    p.set_chain(ChainName{chain}.String());
    p.set_total_investment_yuan(total);
    p.set_annual_planned_investment_yuan(plan);
    p.set_planned_start_date(planned_start);
    auto history = InitialHistory(stage, dates, kToday, "project");
    EXPECT_TRUE(history.ok()) << history.status();
    StageState state;
    for (const auto& c : *history) {
      ApplyTransition(&state, p.mutable_stage_dates(), c.to_stage(), c.effective_date());
    }
    p.set_stage(state.stage);
    EXPECT_TRUE(Write([&](IntakeTx& db) -> absl::Status {
                  CHAINHUB_RETURN_IF_ERROR(db.InsertProject(id, &p, state, absl::Now()));
                  for (const auto& c : *history) {
                    CHAINHUB_RETURN_IF_ERROR(db.AppendStageChange(id, c, absl::Now()).status());
                  }
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  // Moves a project the way TransitionStage does.
  void Move(const std::string& id, v1::Stage to, const std::string& date) {
    ASSERT_TRUE(Write([&](IntakeTx& db) -> absl::Status {
                  CHAINHUB_ASSIGN_OR_RETURN(StoredProject sp, db.GetProject(id));
                  CHAINHUB_RETURN_IF_ERROR(CheckTransition(sp.state, to, date, "why", kToday));
                  v1::Project p = sp.project;
                  ApplyTransition(&sp.state, p.mutable_stage_dates(), to, date);
                  p.set_stage(sp.state.stage);
                  CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, &p, sp.state, absl::Now()));
                  v1::StageChange c;
                  c.set_from_stage(sp.project.stage());
                  c.set_to_stage(to);
                  c.set_effective_date(date);
                  c.set_reason("why");
                  return db.AppendStageChange(id, c, absl::Now()).status();
                }).ok());
  }

  void Edit(const std::string& id, const std::function<void(v1::Project*)>& change) {
    ASSERT_TRUE(Write([&](IntakeTx& db) -> absl::Status {
                  CHAINHUB_ASSIGN_OR_RETURN(StoredProject sp, db.GetProject(id));
                  change(&sp.project);
                  return db.UpdateProject(id, &sp.project, sp.state, absl::Now());
                }).ok());
  }

  void Report(const std::string& id, const std::string& month, int64_t completed, int64_t funds) {
    v1::ProgressReport r;
    r.set_month(month);
    r.set_cumulative_completed_yuan(completed);
    r.set_cumulative_funds_arrived_yuan(funds);
    ASSERT_TRUE(Write([&](IntakeTx& db) { return db.PutReport(id, r, absl::Now()); }).ok());
  }

  v1::ProjectSummary Summary(const std::string& chain, const std::string& period_text,
                             bool replayed) {
    auto period = ParsePeriod(period_text);
    EXPECT_TRUE(period.ok());
    const std::string as_of = std::min(period->end_date, std::string(kToday));
    v1::ProjectSummary out;
    EXPECT_TRUE(store_
                    ->Read([&](SqlTx& tx) -> absl::Status {
                      IntakeTx db(tx);
                      v1::LightRules rules = DefaultLightRules();
                      auto inputs = replayed
                                        ? db.SummaryInputsReplayed(chain, *period, as_of, rules)
                                        : db.SummaryInputs(chain, *period, as_of, rules);
                      CHAINHUB_RETURN_IF_ERROR(inputs.status());
                      out = Summarize(*inputs, *period, chain.empty() ? "" : "chains/" + chain);
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  // The fast path equals the replay for every chain and period that cuts the data differently.
  void ExpectFastEqualsReplay(const std::string& when) {
    for (const std::string chain : {"pv", "semiconductor", ""}) {
      for (const std::string period :
           {"2026", "2026-Q2", "2026-06", "2026-03", "2025", "2025-Q4"}) {
        const v1::ProjectSummary fast = Summary(chain, period, false);
        const v1::ProjectSummary replayed = Summary(chain, period, true);
        EXPECT_EQ(fast.SerializeAsString(), replayed.SerializeAsString())
            << when << ", chain '" << chain << "', period " << period << ":\n"
            << fast.DebugString() << "\nvs replayed\n"
            << replayed.DebugString();
      }
    }
  }

  static v1::StageDates Dates(const std::string& negotiating, const std::string& signed_ = "",
                              const std::string& registered = "", const std::string& started = "") {
    v1::StageDates d;
    d.set_negotiating(negotiating);
    if (!signed_.empty()) d.set_signed_(signed_);
    if (!registered.empty()) d.set_registered(registered);
    if (!started.empty()) d.set_started(started);
    return d;
  }

  static int StageTallyCount(const v1::ProjectSummary& s, v1::Stage stage) {
    for (const auto& t : s.by_stage()) {
      if (t.stage() == stage) return t.tally().count();
    }
    return -1;
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  int next_id_ = 0;
};

TEST_F(IntakeSummaryStore, TheGroupedSummaryMatchesTheReplayAfterEveryKindOfWrite) {
  // Many alike (one group) and some apart, on two chains, in several buckets.
  std::vector<std::string> alike;
  for (int i = 0; i < 6; ++i) {
    alike.push_back(Create("pv", 12 * kYi + i, v1::STAGE_SIGNED, Dates("2025-03-01", "2025-04-01"),
                           3 * kYi, "2026-02-10"));
  }
  const std::string small =
      Create("pv", kYi / 2, v1::STAGE_NEGOTIATING, Dates("2026-01-05"), 0, "2026-03-01");
  const std::string started =
      Create("pv", 60 * kYi, v1::STAGE_STARTED,
             Dates("2025-01-01", "2025-02-01", "2025-03-01", "2025-09-01"), 20 * kYi, "2025-08-01");
  const std::string semi =
      Create("semiconductor", 150 * kYi, v1::STAGE_SIGNED, Dates("2026-02-01", "2026-04-20"));
  ExpectFastEqualsReplay("after creates");
  const v1::ProjectSummary year = Summary("pv", "2026", false);
  EXPECT_EQ(year.projects().count(), 8);
  EXPECT_EQ(year.yellow_count() + year.red_count() + year.green_count(), 8);

  // Stage moves: into the grouped set's period, back-dated within it, stalled and cancelled.
  Move(alike[0], v1::STAGE_REGISTERED, "2026-05-01");
  Move(alike[1], v1::STAGE_CANCELLED, "2026-06-01");
  Move(started, v1::STAGE_STALLED, "2026-04-10");
  Move(semi, v1::STAGE_REGISTERED, "2026-06-15");
  ExpectFastEqualsReplay("after stage moves");

  // Updates that move a project to another bucket, plan or planned start.
  Edit(alike[2], [](v1::Project* p) { p->set_total_investment_yuan(25 * kYi); });
  Edit(alike[3], [](v1::Project* p) { p->set_annual_planned_investment_yuan(0); });
  Edit(small, [](v1::Project* p) { p->set_planned_start_date("2026-01-01"); });
  ExpectFastEqualsReplay("after updates");

  // Progress reports take a project out of its group.
  Report(started, "2025-12", 4 * kYi, 10 * kYi);
  Report(started, "2026-05", 9 * kYi, 12 * kYi);
  Report(alike[4], "2026-03", 0, 2 * kYi);
  ExpectFastEqualsReplay("after reports");

  // Deletes.
  ASSERT_TRUE(Write([&](IntakeTx& db) { return db.DeleteProject(alike[5]); }).ok());
  ASSERT_TRUE(Write([&](IntakeTx& db) { return db.DeleteProject(started); }).ok());
  ExpectFastEqualsReplay("after deletes");
  EXPECT_EQ(Summary("pv", "2026", false).projects().count(), 6);

  // Rows written before the summary columns existed are summarised exactly until backfilled,
  // and the same after.
  ASSERT_TRUE(store_
                  ->Write([](SqlTx& tx) {
                    return tx
                        .Exec(
                            "UPDATE projects SET plan_pending = 1, annual_planned = 0, "
                            "planned_start_date = ''")
                        .status();
                  })
                  .ok());
  ExpectFastEqualsReplay("before the backfill");
  ASSERT_TRUE(BackfillSummaryColumns(*store_).ok());
  int64_t pending = -1;
  ASSERT_TRUE(store_
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    CHAINHUB_ASSIGN_OR_RETURN(
                        SqlRow row,
                        tx.QueryOne("SELECT COUNT(*) FROM projects WHERE plan_pending = 1"));
                    pending = row.Int(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(pending, 0);
  ExpectFastEqualsReplay("after the backfill");
}

TEST_F(IntakeSummaryStore, ProjectsWhoseStageChangedAfterTheEndAreTakenAsTheyWereThen) {
  const std::string a =
      Create("pv", 3 * kYi, v1::STAGE_SIGNED, Dates("2025-11-01", "2025-12-01"), kYi);
  Move(a, v1::STAGE_REGISTERED, "2026-02-01");
  Move(a, v1::STAGE_STARTED, "2026-05-01");
  // A project that did not exist at the end of 2025.
  Create("pv", 3 * kYi, v1::STAGE_NEGOTIATING, Dates("2026-01-02"));
  ExpectFastEqualsReplay("with history after the end");
  const v1::ProjectSummary last_year = Summary("pv", "2025", false);
  EXPECT_EQ(last_year.projects().count(), 1);
  EXPECT_EQ(StageTallyCount(last_year, v1::STAGE_SIGNED), 1);
}

}  // namespace
}  // namespace intake
}  // namespace chainhub
