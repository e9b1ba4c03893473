// The facts' consumer against a real redis-server, and the facts' SQL on a real PostgreSQL: the
// same event delivered twice has one effect; an event without a time is skipped, not applied;
// and every measure gives the same value and digest on PostgreSQL as on SQLite.
#include <algorithm>
#include <atomic>
#include <map>
#include <tuple>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment_events.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/status_util.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/event_consumer.h"
#include "common/store/store.h"
#include "services/assessment/fact_versions.h"
#include "services/assessment/facts.h"
#include "services/assessment/measures.h"
#include "tests/support/events_util.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
const std::vector<Migration>& AssessmentMigrations();

namespace assessment {
namespace {

using ::chainhub::testing::Eventually;
using ::chainhub::testing::PostgresServer;
using ::chainhub::testing::RedisServer;
using ::chainhub::testing::TempDir;
namespace in = ::chainhub::intake::v1;
namespace reg = ::chainhub::registry::v1;

constexpr int64_t kYi = 100'000'000;

absl::Time Day(int month, int day) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, 10, 0, 0), absl::FixedTimeZone(8 * 3600));
}

template <typename Kind>
CloudEvent Event(Kind kind, const std::string& id, const std::string& subject, absl::Time time,
                 const google::protobuf::Message& payload) {
  CloudEvent e = MakeCloudEvent("test", EventKindDescriptor(kind), subject, "", time, payload);
  e.set_id(id);
  return e;
}

// A small history of every fact kind.
std::vector<CloudEvent> History() {
  std::vector<CloudEvent> events;
  reg::Chain pv;
  pv.set_name("chains/pv");
  pv.set_display_name("光伏");
  pv.set_status(reg::CHAIN_STATUS_ACTIVE);
  pv.add_host_counties("来安县");
  events.push_back(Event(reg::REGISTRY_EVENT_CHAIN_CREATED, "c1", pv.name(), Day(1, 1), pv));

  in::Project p;
  p.set_name("projects/p1");
  p.set_display_name("组件项目");
  p.set_chain("chains/pv");
  p.set_county("来安县");
  p.set_total_investment_yuan(12 * kYi);
  p.set_fixed_asset_investment_yuan(8 * kYi);
  p.set_stage(in::STAGE_NEGOTIATING);
  p.mutable_stage_dates()->set_negotiating("2026-03-01");
  p.mutable_create_time()->set_seconds(absl::ToUnixSeconds(Day(3, 1)));
  events.push_back(Event(in::INTAKE_EVENT_PROJECT_CREATED, "p1", p.name(), Day(3, 1), p));
  in::StageChange signed_;
  signed_.set_to_stage(in::STAGE_SIGNED);
  signed_.set_effective_date("2026-04-08");
  events.push_back(
      Event(in::INTAKE_EVENT_PROJECT_STAGE_CHANGED, "p2", p.name(), Day(4, 8), signed_));
  for (const auto& [month, completed, at] :
       {std::tuple{"2026-03", 1 * kYi, Day(4, 2)}, std::tuple{"2026-05", 4 * kYi, Day(6, 2)}}) {
    in::ProgressReport r;
    r.set_name(absl::StrCat(p.name(), "/progressReports/", month));
    r.set_month(month);
    r.set_cumulative_completed_yuan(completed);
    r.set_cumulative_funds_arrived_yuan(completed / 2);
    events.push_back(Event(in::INTAKE_EVENT_PROJECT_PROGRESS_REPORTED, absl::StrCat("r", month),
                           p.name(), at, r));
  }
  in::WorkItem w;
  w.set_name("issues/w1");
  w.set_kind(in::WORK_ITEM_KIND_ISSUE);
  w.set_title("用地");
  w.set_subject(p.name());
  w.set_chain("chains/pv");
  w.set_deadline("2026-05-01");
  w.set_status(in::WORK_ITEM_STATUS_OPEN);
  w.mutable_create_time()->set_seconds(absl::ToUnixSeconds(Day(4, 3)));
  events.push_back(Event(in::INTAKE_EVENT_ISSUE_OPENED, "w1", w.name(), Day(4, 3), w));

  reg::Enterprise e;
  e.set_name("enterprises/E1");
  e.set_display_name("某某光伏");
  e.set_county("来安县");
  e.add_labels(reg::ENTERPRISE_LABEL_ABOVE_SIZE);
  e.set_annual_output_yuan(20 * kYi);
  e.add_memberships("chains/pv/nodes/cells");
  events.push_back(Event(reg::REGISTRY_EVENT_ENTERPRISE_CREATED, "e1", e.name(), Day(2, 1), e));
  return events;
}

const std::vector<std::string>& MeasureTexts() {
  static const auto* texts = new std::vector<std::string>{
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
      "projects { reached_in_period: STAGE_SIGNED min_total_investment_yuan: 100000000 "
      "investor_origins: INVESTOR_ORIGIN_UNSPECIFIED }",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_COMPLETED_IN_PERIOD scale: 1e-8",
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_FIXED_ASSET_INVESTMENT projects { created_in_period: true }",
      "entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
      "work_items { kind: WORK_ITEM_KIND_ISSUE condition: WORK_ITEM_CONDITION_OVERDUE }",
      "entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_ANNUAL_OUTPUT enterprises { labels: ENTERPRISE_LABEL_ABOVE_SIZE "
      "min_annual_output_yuan: 1 }",
  };
  return *texts;
}

// Every measure for both kinds of subject, plus the subjects and one page of facts, as text.
std::vector<std::string> Figures(Store& store) {
  std::vector<std::string> out;

  for (const std::string& text : MeasureTexts()) {
    v1::Measure m;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
    for (auto kind : {v1::SUBJECT_KIND_CHAINS, v1::SUBJECT_KIND_COUNTIES}) {
      MeasureQuery q;
      q.measure = &m;
      q.subject_kind = kind;
      q.subjects = {kind == v1::SUBJECT_KIND_CHAINS ? "chains/pv" : "counties/来安县"};
      q.first_day = absl::CivilDay(2026, 4, 1);
      q.last_day = absl::CivilDay(2026, 6, 30);
      q.as_of = Day(7, 1);
      absl::Status s = store.Read([&](SqlTx& tx) -> absl::Status {
        auto values = EvaluateMeasure(tx, q);
        if (!values.ok()) return values.status();
        for (const auto& [subject, v] : *values) {
          out.push_back(absl::StrCat(subject, " ", v.value, " ", v.count, " ", v.digest));
        }
        auto page = ListMeasureFacts(tx, q, q.subjects[0], 0, 10);
        if (!page.ok()) return page.status();
        for (const auto& f : page->facts) {
          out.push_back(absl::StrCat(f.resource(), " ", f.display_name(), " ", f.value(), " ",
                                     f.detail()));
        }
        auto subjects = ListSubjects(tx, kind, q.as_of);
        if (!subjects.ok()) return subjects.status();
        for (const auto& sub : *subjects) out.push_back(sub.name + "=" + sub.display_name);
        return absl::OkStatus();
      });
      EXPECT_TRUE(s.ok()) << text << ": " << s;
    }
  }
  // Then every measure in one EvaluateMeasures call: the statements that share a pass, as a
  // run makes them.
  std::vector<v1::Measure> measures(MeasureTexts().size());
  std::vector<MeasureQuery> together;
  for (size_t i = 0; i < measures.size(); ++i) {
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(MeasureTexts()[i], &measures[i]));
    MeasureQuery q;
    q.measure = &measures[i];
    q.subjects = {"chains/pv", "chains/semi"};
    q.first_day = absl::CivilDay(2026, 4, 1);
    q.last_day = absl::CivilDay(2026, 6, 30);
    q.as_of = Day(7, 1);
    together.push_back(q);
  }
  EXPECT_TRUE(store
                  .Read([&](SqlTx& tx) -> absl::Status {
                    auto values = EvaluateMeasures(tx, together);
                    if (!values.ok()) return values.status();
                    for (size_t i = 0; i < values->size(); ++i) {
                      for (const auto& [subject, v] : (*values)[i]) {
                        out.push_back(absl::StrCat("together ", i, " ", subject, " ", v.value,
                                                   " ", v.count, " ", v.digest));
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  return out;
}

absl::Status ApplyAll(Store& store, const std::vector<CloudEvent>& events) {
  const EventHandlers handlers = FactHandlers(nullptr);
  for (const CloudEvent& e : events) {
    CHAINHUB_RETURN_IF_ERROR(store.Write([&](SqlTx& tx) { return handlers.at(e.type())(tx, e); }));
  }
  return absl::OkStatus();
}

absl::Status Migrate(Store& store) {
  CHAINHUB_RETURN_IF_ERROR(store.Migrate("common", CommonMigrations()));
  return store.Migrate("assessment", AssessmentMigrations());
}

TEST(AssessmentFactsPostgres, EveryMeasureAgreesWithSqlite) {
  auto server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto url = (*server)->CreateDatabase("assessment_facts");
  ASSERT_TRUE(url.ok()) << url.status();
  TempDir dir;
  auto pg = OpenStore("assessment", dir.path(), *url);
  ASSERT_TRUE(pg.ok()) << pg.status();
  auto lite = OpenStore("assessment", dir.path(), "");
  ASSERT_TRUE(lite.ok()) << lite.status();
  ASSERT_TRUE(Migrate(**pg).ok());
  ASSERT_TRUE(Migrate(**lite).ok());
  // Out of order on PostgreSQL, twice over: the history comes out the same.
  std::vector<CloudEvent> events = History();
  ASSERT_TRUE(ApplyAll(**lite, events).ok());
  std::vector<CloudEvent> shuffled(events.rbegin(), events.rend());
  ASSERT_TRUE(ApplyAll(**pg, shuffled).ok());
  ASSERT_TRUE(ApplyAll(**pg, events).ok());

  const std::vector<std::string> figures = Figures(**lite);
  EXPECT_EQ(Figures(**pg), figures);
  // Hand-checked: p1 signed 04-08 (12亿), 4亿 − 1亿 completed in Q2, w1 overdue on 07-01,
  // E1's 20亿; p1 was created before Q2, so the fixed-asset sum is 0.
  ASSERT_GE(figures.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(figures[0], "chains/pv 1 1 ")) << figures[0];
  EXPECT_NE(std::find(figures.begin(), figures.end(), "chains/pv=光伏"), figures.end());
  const std::string all = absl::StrJoin(figures, "\n");
  EXPECT_NE(all.find("chains/pv 3 1 "), std::string::npos) << all;
  EXPECT_NE(all.find("chains/pv 0 0 0-0-0-0"), std::string::npos) << all;
  EXPECT_NE(all.find("counties/来安县 2e+09 1 "), std::string::npos) << all;
  EXPECT_NE(all.find("2026-04-08 签约, 总投资 12亿元"), std::string::npos) << all;
}

class AssessmentFactsConsumer : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::move(*redis);
    client_ = std::make_unique<RedisClient>(redis_->ClientOptions());
    auto store = OpenStore("assessment", dir_.path(), "");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(Migrate(*store_).ok());
  }
  void TearDown() override {
    if (consumer_) consumer_->Stop();
  }

  void Xadd(const CloudEvent& e) {
    auto reply = client_->Command({"XADD", std::string(kEventStream), "*", "id", e.id(), "type",
                                   e.type(), "event", e.SerializeAsString()});
    ASSERT_TRUE(reply.ok()) << reply.status();
  }

  void StartConsumer() {
    EventConsumerOptions options;
    options.group = kFactsGroup;
    options.block = absl::Milliseconds(100);
    // As FactsKeeper does: a change is noted in the transaction and told after the commit.
    options.on_committed = [this] {
      if (changed_.exchange(false)) ++changes_;
    };
    consumer_ = std::make_unique<EventConsumer>(store_.get(), client_.get(), options,
                                                FactHandlers([this] { changed_ = true; }));
    consumer_->Start();
  }

  std::string Outcome(const std::string& event_id) {
    std::string outcome;
    (void)store_->Read([&](SqlTx& tx) -> absl::Status {
      auto rows = tx.Query("SELECT outcome FROM inbox WHERE consumer_group = $1 AND event_id = $2",
                           {std::string(kFactsGroup), event_id});
      if (rows.ok() && !rows->empty()) outcome = (*rows)[0].Text(0);
      return absl::OkStatus();
    });
    return outcome;
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<RedisClient> client_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<EventConsumer> consumer_;
  std::atomic<int> changes_{0};
  std::atomic<bool> changed_{false};
};

TEST_F(AssessmentFactsConsumer, TheSameEventDeliveredTwiceHasOneEffect) {
  const std::vector<CloudEvent> events = History();
  const CloudEvent& created = events[1];  // project.created p1
  Xadd(created);
  Xadd(created);
  CloudEvent timeless = created;
  timeless.set_id("no-time");
  timeless.mutable_attributes()->erase(std::string(kTimeAttribute));
  Xadd(timeless);
  StartConsumer();
  ASSERT_TRUE(Eventually([&] { return !Outcome("no-time").empty(); }));
  EXPECT_EQ(Outcome(created.id()), "applied");
  EXPECT_EQ(Outcome("no-time"), "skipped");
  EXPECT_EQ(consumer_->applied(), 1);
  EXPECT_EQ(changes_.load(), 1);
  FactCounts counts;
  ASSERT_TRUE(store_->Read([&](SqlTx& tx) -> absl::Status {
                       auto c = CountFacts(tx);
                       if (!c.ok()) return c.status();
                       counts = *c;
                       return absl::OkStatus();
                     })
                  .ok());
  EXPECT_EQ(counts.projects, 1);
  EXPECT_EQ(counts.versions, 1);
}

TEST_F(AssessmentFactsConsumer, DeclaresEveryKnownTypeAndIgnoresTheOnesItDoesNotKeep) {
  const EventHandlers handlers = FactHandlers(nullptr);
  for (const auto* kinds : {reg::RegistryEvent_descriptor(), in::IntakeEvent_descriptor(),
                            v1::AssessmentEvent_descriptor()}) {
    for (const std::string& type : EventTypesOf(*kinds)) {
      EXPECT_TRUE(handlers.contains(type)) << type;
    }
  }
  reg::Node node;
  node.set_name("chains/pv/nodes/cells");
  Xadd(Event(reg::REGISTRY_EVENT_NODE_CREATED, "n1", node.name(), Day(1, 1), node));
  StartConsumer();
  ASSERT_TRUE(Eventually([&] { return !Outcome("n1").empty(); }));
  EXPECT_EQ(Outcome("n1"), "applied");
  EXPECT_EQ(changes_.load(), 0);
}

}  // namespace
}  // namespace assessment
}  // namespace chainhub
