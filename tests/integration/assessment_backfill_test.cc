// The backfill against real services: intake (in process) and the registry (a process), with the
// events they publish on a real redis-server. The facts three ways must agree, value and digest
// of every measure: consuming the events alone; a backfill from the list APIs followed by a replay
// of the same events; and FactsKeeper (backfill, then consumption from the position taken before
// it, then more changes, then a rebuild).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/credit_code.h"
#include "common/events/event_consumer.h"
#include "common/store/store.h"
#include "services/assessment/backfill.h"
#include "services/assessment/fact_versions.h"
#include "services/assessment/facts.h"
#include "services/assessment/measures.h"
#include "tests/support/events_util.h"
#include "tests/support/intake_fixture.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
const std::vector<Migration>& AssessmentMigrations();

namespace assessment {
namespace {

using ::chainhub::testing::Eventually;
using ::chainhub::testing::IntakeFixture;
using ::chainhub::testing::IntakeStub;
using ::chainhub::testing::RegistryStub;
using ::chainhub::testing::TempDir;
namespace in = ::chainhub::intake::v1;
namespace reg = ::chainhub::registry::v1;

constexpr int64_t kYi = 100'000'000;

// Measures of every entity, kind and field, as the figures to compare.
const std::vector<std::string>& MeasureTexts() {
  static const auto* texts = new std::vector<std::string>{
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
      "projects { reached_in_period: STAGE_SIGNED }",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_TOTAL_INVESTMENT projects { reached_in_period: STAGE_REGISTERED }",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_COMPLETED_IN_PERIOD",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_FUNDS_ARRIVED_IN_PERIOD",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
      "projects { created_in_period: true }",
      "entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
      "work_items { condition: WORK_ITEM_CONDITION_OVERDUE }",
      "entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
      "work_items { condition: WORK_ITEM_CONDITION_RESOLVED_IN_PERIOD }",
      "entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_ANNUAL_OUTPUT enterprises { labels: ENTERPRISE_LABEL_ABOVE_SIZE }",
  };
  return *texts;
}

std::unique_ptr<Store> OpenFacts(const TempDir& dir, const std::string& name) {
  SqliteOptions options;
  options.path = dir.File(name + ".db");
  auto store = OpenSqliteStore(options);
  EXPECT_TRUE(store.ok()) << store.status();
  if (!store.ok()) return nullptr;
  EXPECT_TRUE((*store)->Migrate("common", CommonMigrations()).ok());
  EXPECT_TRUE((*store)->Migrate("assessment", AssessmentMigrations()).ok());
  return std::move(*store);
}

// Every measure for both subject kinds: "<measure #>/<subject>" → value and digest.
std::map<std::string, std::string> Figures(Store& store, absl::Time as_of) {
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < MeasureTexts().size(); ++i) {
    v1::Measure m;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(MeasureTexts()[i], &m));
    for (auto kind : {v1::SUBJECT_KIND_CHAINS, v1::SUBJECT_KIND_COUNTIES}) {
      MeasureQuery q;
      q.measure = &m;
      q.subject_kind = kind;
      q.first_day = absl::CivilDay(2026, 4, 1);
      q.last_day = absl::CivilDay(2026, 6, 30);
      q.as_of = as_of;
      absl::Status s = store.Read([&](SqlTx& tx) -> absl::Status {
        auto values = EvaluateMeasure(tx, q);
        if (!values.ok()) return values.status();
        for (const auto& [subject, v] : *values) {
          out[absl::StrCat(i, "/", subject)] = absl::StrCat(v.value, " ", v.digest);
        }
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << s;
    }
  }
  return out;
}

FactCounts Counts(Store& store) {
  FactCounts counts;
  EXPECT_TRUE(store.Read([&](SqlTx& tx) -> absl::Status {
                     auto c = CountFacts(tx);
                     if (!c.ok()) return c.status();
                     counts = *c;
                     return absl::OkStatus();
                   })
                  .ok());
  return counts;
}

int64_t InboxRows(Store& store, const std::string& group) {
  int64_t n = -1;
  EXPECT_TRUE(store.Read([&](SqlTx& tx) -> absl::Status {
                     auto row = tx.QueryOne(
                         "SELECT COUNT(*) FROM inbox WHERE consumer_group = $1", {group});
                     if (!row.ok()) return row.status();
                     n = row->Int(0);
                     return absl::OkStatus();
                   })
                  .ok());
  return n;
}

class AssessmentBackfill : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(fx_.SetUp());
    ASSERT_NO_FATAL_FAILURE(fx_.Seed());
    ASSERT_NO_FATAL_FAILURE(CreateEnterprise());
  }
  void TearDown() override {
    for (auto& c : consumers_) c->Stop();
    fx_.TearDown();
  }

  void CreateEnterprise() {
    const std::string first17 = "91341100MA2N0H0K5";
    reg::CreateEnterpriseRequest req;
    req.set_request_id("assessment-ent-1");
    reg::Enterprise* e = req.mutable_enterprise();
    e->set_credit_code(first17 + *CreditCodeCheckChar(first17));
    e->set_display_name("滁州某某光伏科技有限公司");
    e->set_county("来安县");
    e->add_labels(reg::ENTERPRISE_LABEL_ABOVE_SIZE);
    e->set_annual_output_yuan(30 * kYi);
    e->add_memberships("chains/pv/nodes/cells");
    reg::Enterprise out;
    grpc::Status s = fx_.RegistryAdmin()(&RegistryStub::CreateEnterprise, req, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Projects through their stages, reports (one month reported twice), an update, a deletion,
  // an issue and a resolved task: every kind of event the facts take. `tag` keeps rounds apart.
  void MakeHistory(const std::string& tag) {
    auto as = fx_.IntakeAdmin();
    in::Project a =
        testing::CreateProject(as, testing::MakeProject("签约项目" + tag, "pv", 12 * kYi));
    ASSERT_FALSE(a.name().empty());
    ASSERT_TRUE(testing::Transition(as, a.name(), in::STAGE_SIGNED, "2026-06-02").ok());
    ASSERT_TRUE(testing::Transition(as, a.name(), in::STAGE_REGISTERED, "2026-06-05").ok());
    mid_ = fx_.clock().Now();
    ASSERT_TRUE(testing::Report(as, a.name(), "2026-03", 1 * kYi, kYi / 2).ok());
    ASSERT_TRUE(testing::Report(as, a.name(), "2026-05", 2 * kYi, 1 * kYi).ok());
    ASSERT_TRUE(testing::Report(as, a.name(), "2026-05", 3 * kYi, 2 * kYi).ok());

    in::Project b = testing::MakeProject("电池项目" + tag, "nev-battery", 3 * kYi);
    b.set_county("定远县");
    b = testing::CreateProject(as, b);
    in::UpdateProjectRequest update;
    *update.mutable_project() = b;
    update.mutable_project()->set_total_investment_yuan(5 * kYi);
    update.mutable_update_mask()->add_paths("total_investment_yuan");
    ASSERT_TRUE(as.Status(&IntakeStub::UpdateProject, update).ok());

    in::Project c = testing::CreateProject(as, testing::MakeProject("删除项目" + tag, "pv", kYi));
    in::DeleteProjectRequest del;
    del.set_name(c.name());
    ASSERT_TRUE(as.Status(&IntakeStub::DeleteProject, del).ok());

    in::CreateWorkItemRequest issue;
    issue.mutable_work_item()->set_kind(in::WORK_ITEM_KIND_ISSUE);
    issue.mutable_work_item()->set_title("用地指标" + tag);
    issue.mutable_work_item()->set_subject(a.name());
    issue.mutable_work_item()->set_owner_department(IntakeFixture::kDeptFgw);
    issue.mutable_work_item()->set_deadline("2026-06-10");
    ASSERT_TRUE(as.Status(&IntakeStub::CreateWorkItem, issue).ok());
    in::CreateWorkItemRequest task = issue;
    task.mutable_work_item()->set_kind(in::WORK_ITEM_KIND_TASK);
    task.mutable_work_item()->set_subject("chains/pv");
    in::WorkItem created;
    ASSERT_TRUE(as(&IntakeStub::CreateWorkItem, task, &created).ok());
    in::TransitionWorkItemRequest resolve;
    resolve.set_name(created.name());
    resolve.set_to_status(in::WORK_ITEM_STATUS_RESOLVED);
    resolve.set_note("已协调");
    resolve.set_effective_date("2026-06-12");
    ASSERT_TRUE(as.Status(&IntakeStub::TransitionWorkItem, resolve).ok());
  }

  // Waits until intake has published every event it committed.
  void WaitPublished() {
    ASSERT_TRUE(Eventually([&] {
      int64_t backlog = -1;
      (void)fx_.store()->Read([&](SqlTx& tx) -> absl::Status {
        auto row = tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE published_us IS NULL");
        if (row.ok()) backlog = row->Int(0);
        return row.status();
      });
      return backlog == 0;
    }));
  }

  int64_t StreamLength() {
    auto reply = fx_.redis_client().Command({"XLEN", std::string(kEventStream)});
    return reply.ok() ? reply->integer : -1;
  }

  // A consumer of the whole stream in its own group, applying FactHandlers into `store`.
  void Consume(Store* store, const std::string& group) {
    EventConsumerOptions options;
    options.group = group;
    options.start_id = "0";
    options.block = absl::Milliseconds(100);
    consumers_.push_back(std::make_unique<EventConsumer>(store, &fx_.redis_client(), options,
                                                         FactHandlers(nullptr)));
    consumers_.back()->Start();
  }

  // Until `group` has handled every entry on the stream.
  void WaitConsumed(Store& store, const std::string& group) {
    ASSERT_TRUE(Eventually([&] { return InboxRows(store, group) == StreamLength(); },
                           absl::Seconds(20)))
        << group << " handled " << InboxRows(store, group) << " of " << StreamLength();
  }

  GrpcFactSources Sources() {
    return GrpcFactSources(fx_.intake_target(), fx_.registry_target(), testing::kTestSecret,
                           grpc::InsecureChannelCredentials(), absl::Seconds(10),
                           // The registry process checks tokens on the real clock.
                           Clock::Real());
  }

  // Facts are compared as of these: after everything (the registry process stamps its events
  // with the real clock, later than intake's shifted one), after intake's last change, and
  // within the history.
  std::vector<absl::Time> Instants() {
    return {absl::Now() + absl::Minutes(1), fx_.clock().Now(), mid_};
  }

  IntakeFixture fx_;
  TempDir dir_;
  absl::Time mid_;
  std::vector<std::unique_ptr<EventConsumer>> consumers_;
};

TEST_F(AssessmentBackfill, BackfillThenReplayGivesTheFactsOfTheEventsAlone) {
  ASSERT_NO_FATAL_FAILURE(MakeHistory("1"));
  ASSERT_NO_FATAL_FAILURE(WaitPublished());

  auto events_only = OpenFacts(dir_, "events");
  Consume(events_only.get(), "events-only");
  ASSERT_NO_FATAL_FAILURE(WaitConsumed(*events_only, "events-only"));

  auto backfilled = OpenFacts(dir_, "backfilled");
  GrpcFactSources sources = Sources();
  auto read = Backfill(*backfilled, sources, 3);
  ASSERT_TRUE(read.ok()) << read.status();
  // 2 chains, 1 enterprise, 2 projects, 2 reports (03 and 05), 2 work items.
  EXPECT_EQ(*read, 9);
  const absl::Time now = absl::Now() + absl::Minutes(1);
  const auto backfill_figures = Figures(*backfilled, now);
  EXPECT_EQ(backfill_figures, Figures(*events_only, now));

  Consume(backfilled.get(), "replay");
  ASSERT_NO_FATAL_FAILURE(WaitConsumed(*backfilled, "replay"));
  const auto expected = Figures(*events_only, now);
  EXPECT_EQ(Figures(*backfilled, now), expected);
  EXPECT_EQ(Figures(*backfilled, now), backfill_figures);
  // The replay rebuilt the history: the same versions, so every earlier instant agrees too.
  const FactCounts a = Counts(*events_only), b = Counts(*backfilled);
  EXPECT_EQ(b.versions, a.versions);
  EXPECT_EQ(b.projects, 2);
  EXPECT_EQ(a.projects, 2);
  EXPECT_EQ(b.work_items, a.work_items);
  EXPECT_EQ(b.progress_reports, a.progress_reports);
  for (absl::Time t : Instants()) {
    EXPECT_EQ(Figures(*backfilled, t), Figures(*events_only, t)) << t;
  }
  // The figures are not trivially equal (digests end in the raw sum): one pv project signed in
  // Q2, the enterprise's 30亿, and 3亿 (May, re-reported) − 1亿 (March) completed in Q2.
  EXPECT_TRUE(absl::StartsWith(expected.at("1/chains/pv"), "1 1-")) << expected.at("1/chains/pv");
  EXPECT_TRUE(absl::EndsWith(expected.at("8/chains/pv"), "-3000000000"))
      << expected.at("8/chains/pv");
  EXPECT_TRUE(absl::EndsWith(expected.at("3/chains/pv"), "-200000000"))
      << expected.at("3/chains/pv");
  // At mid_ nothing was reported yet.
  EXPECT_EQ(Figures(*backfilled, mid_).count("3/chains/pv"), 0u);
}

TEST_F(AssessmentBackfill, KeeperBackfillsThenConsumesFromThePositionTakenBefore) {
  ASSERT_NO_FATAL_FAILURE(MakeHistory("1"));
  ASSERT_NO_FATAL_FAILURE(WaitPublished());

  auto events_only = OpenFacts(dir_, "events");
  Consume(events_only.get(), "events-only");

  auto kept = OpenFacts(dir_, "kept");
  GrpcFactSources sources = Sources();
  EventConsumerOptions options;
  options.block = absl::Milliseconds(100);
  int changes = 0;
  FactsKeeper keeper(kept.get(), &fx_.redis_client(), &sources, options, [&] { ++changes; },
                     fx_.clock());
  ASSERT_TRUE(keeper.Start().ok());
  auto status = keeper.Status();
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->projects(), 2);
  EXPECT_EQ(status->enterprises(), 1);
  EXPECT_EQ(status->work_items(), 2);
  EXPECT_EQ(status->progress_reports(), 2);
  EXPECT_FALSE(status->backfill_stream_id().empty());
  EXPECT_GT(status->backfill_time().seconds(), 0);

  // Changes after the backfill come through the stream.
  ASSERT_NO_FATAL_FAILURE(MakeHistory("2"));
  ASSERT_NO_FATAL_FAILURE(WaitPublished());
  ASSERT_NO_FATAL_FAILURE(WaitConsumed(*events_only, "events-only"));
  const absl::Time now = absl::Now() + absl::Minutes(1);
  ASSERT_TRUE(Eventually([&] { return Figures(*kept, now) == Figures(*events_only, now); },
                         absl::Seconds(20)));
  EXPECT_GT(changes, 0);
  EXPECT_EQ(Counts(*kept).projects, 4);
  auto applied = keeper.Status();
  ASSERT_TRUE(applied.ok());
  EXPECT_GT(applied->events_applied(), 0);

  // A second start finds the backfill done and only consumes.
  keeper.Stop();
  ASSERT_TRUE(keeper.Start().ok());
  auto again = keeper.Status();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->backfill_stream_id(), status->backfill_stream_id());

  // A rebuild drops, backfills and replays from before it: the same figures.
  auto rebuilt = keeper.Rebuild();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->projects(), 4);
  EXPECT_NE(rebuilt->backfill_stream_id(), status->backfill_stream_id());
  EXPECT_TRUE(Eventually([&] { return Figures(*kept, now) == Figures(*events_only, now); },
                         absl::Seconds(20)));
  keeper.Stop();
}

}  // namespace
}  // namespace assessment
}  // namespace chainhub
