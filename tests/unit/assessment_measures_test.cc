// The facts and the measures over them, on a real SQLite file: events go through the consumer's
// handlers (FactHandlers) into the versioned facts, and every measure kind and filter is checked
// against figures computed by hand from the scenario below; then the as-of semantics (later,
// out-of-order, deleted and repeated changes), ListSubjects and ListMeasureFacts.
//
// The scenario (period 2026-Q2, as of 2026-07-01 unless said):
//   chains  pv 光伏 (active, hosts 来安县 定远县), semi 半导体 (active, hosts 定远县),
//           old 旧链 (retired, hosts 天长市)
//   p1  pv   来安县 12亿 (fixed 8亿)  signed 2026-04-10, out of province, 500强, 省重点, RED
//   p2  pv   定远县  3亿 (fixed 2亿)  signed 2026-03-20, in province; started 2026-05-10 (a move)
//   p3  semi 定远县 60亿 (fixed 50亿) signed 2026-05-02, foreign, GREEN, created 2026-04-01
//   p4  pv   来安县 0.5亿            negotiating; deleted 2026-06-15
//   reports p1: 2026-03 2亿/1亿, 2026-05 5亿/3亿, 2026-07 9亿/4亿; p2: 2026-04 1亿/0.5亿
//   issues/w1 on p1 deadline 05-01 open, created 04-02; issues/w2 on chains/pv deadline 06-01
//   resolved 05-20, created 04-10; tasks/w3 on p3 deadline 04-15 resolved 04-20, created 03-01;
//   tasks/w4 on p2 deadline 09-01 open, created 05-05; tasks/w5 on p4 (goes with p4)
//   enterprises E1 pv+semi 链主+规上 60亿 来安县; E2 pv 规上 5亿 定远县; E3 semi 专精特新 2亿 定远县
#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/events/cloud_event.h"
#include "common/store/store.h"
#include "services/assessment/fact_versions.h"
#include "services/assessment/facts.h"
#include "services/assessment/measures.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
const std::vector<Migration>& AssessmentMigrations();

namespace assessment {
namespace {

using ::chainhub::testing::TempDir;
namespace in = ::chainhub::intake::v1;
namespace reg = ::chainhub::registry::v1;

constexpr int64_t kYi = 100'000'000;

// hh:00 China time on `date`.
absl::Time At(const std::string& date, int hour = 10) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime("%Y-%m-%d %H", absl::StrCat(date, " ", hour), absl::FixedTimeZone(8 * 3600),
                              &t, &err))
      << err;
  return t;
}

google::protobuf::Timestamp Ts(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

v1::Measure M(const std::string& text) {
  v1::Measure m;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &m)) << text;
  return m;
}

in::Project Project(const std::string& id, const std::string& chain, const std::string& county,
                    int64_t total, const std::string& created) {
  in::Project p;
  p.set_name("projects/" + id);
  p.set_display_name("项目" + id);
  p.set_chain("chains/" + chain);
  p.set_county(county);
  p.set_total_investment_yuan(total);
  p.set_fixed_asset_investment_yuan(total * 2 / 3);
  p.set_source(in::PROJECT_SOURCE_INVESTMENT);
  p.mutable_investor()->set_origin(in::INVESTOR_ORIGIN_IN_PROVINCE);
  p.set_stage(in::STAGE_NEGOTIATING);
  p.mutable_stage_dates()->set_negotiating(created);
  *p.mutable_create_time() = Ts(At(created));
  return p;
}

in::WorkItem Item(const std::string& name, const std::string& subject, const std::string& chain,
                  const std::string& deadline, const std::string& resolved,
                  const std::string& created) {
  in::WorkItem w;
  w.set_name(name);
  w.set_kind(absl::StartsWith(name, "issues/") ? in::WORK_ITEM_KIND_ISSUE : in::WORK_ITEM_KIND_TASK);
  w.set_title("事项" + name.substr(name.find('/') + 1));
  w.set_subject(subject);
  w.set_chain("chains/" + chain);
  w.set_deadline(deadline);
  w.set_status(resolved.empty() ? in::WORK_ITEM_STATUS_OPEN : in::WORK_ITEM_STATUS_RESOLVED);
  w.set_resolved_date(resolved);
  *w.mutable_create_time() = Ts(At(created));
  return w;
}

class AssessmentMeasures : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteOptions options;
    options.path = dir_.File("assessment.db");
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate("common", CommonMigrations()).ok());
    ASSERT_TRUE(store_->Migrate("assessment", AssessmentMigrations()).ok());
    handlers_ = FactHandlers([this] { ++changes_; });
  }

  // Applies an event of `kind` about `subject` at `time`, as the consumer would.
  template <typename Kind>
  void Publish(Kind kind, const std::string& subject, absl::Time time,
               const google::protobuf::Message& payload) {
    CloudEvent e = MakeCloudEvent("test", EventKindDescriptor(kind), subject, "", time, payload);
    e.set_id(absl::StrCat("event-", ++events_));
    absl::Status s = store_->Write([&](SqlTx& tx) { return handlers_.at(e.type())(tx, e); });
    ASSERT_TRUE(s.ok()) << e.type() << " " << subject << ": " << s;
  }

  void PutChain(const std::string& id, const std::string& display, reg::ChainStatus status,
                std::vector<std::string> counties, absl::Time time) {
    reg::Chain c;
    c.set_name("chains/" + id);
    c.set_display_name(display);
    c.set_status(status);
    for (const auto& county : counties) c.add_host_counties(county);
    Publish(reg::REGISTRY_EVENT_CHAIN_UPDATED, c.name(), time, c);
  }

  void PutProject(const in::Project& p, absl::Time time) {
    Publish(in::INTAKE_EVENT_PROJECT_UPDATED, p.name(), time, p);
  }

  void Move(const std::string& id, in::Stage to, const std::string& date, absl::Time time) {
    in::StageChange change;
    change.set_to_stage(to);
    change.set_effective_date(date);
    Publish(in::INTAKE_EVENT_PROJECT_STAGE_CHANGED, "projects/" + id, time, change);
  }

  void Report(const std::string& id, const std::string& month, int64_t completed, int64_t funds,
              absl::Time time) {
    in::ProgressReport r;
    r.set_name(absl::StrCat("projects/", id, "/progressReports/", month));
    r.set_month(month);
    r.set_cumulative_completed_yuan(completed);
    r.set_cumulative_funds_arrived_yuan(funds);
    Publish(in::INTAKE_EVENT_PROJECT_PROGRESS_REPORTED, "projects/" + id, time, r);
  }

  void PutEnterprise(const std::string& code, std::vector<std::string> chains,
                     std::vector<reg::EnterpriseLabel> labels, int64_t output,
                     const std::string& county) {
    reg::Enterprise e;
    e.set_name("enterprises/" + code);
    e.set_credit_code(code);
    e.set_display_name("企业" + code);
    e.set_county(county);
    e.set_annual_output_yuan(output);
    for (auto l : labels) e.add_labels(l);
    for (const auto& c : chains) e.add_memberships(absl::StrCat("chains/", c, "/nodes/n1"));
    Publish(reg::REGISTRY_EVENT_ENTERPRISE_UPDATED, e.name(), At("2026-01-02"), e);
  }

  // The scenario of the file comment.
  void Seed() {
    PutChain("pv", "光伏", reg::CHAIN_STATUS_ACTIVE, {"来安县", "定远县"}, At("2026-01-01"));
    PutChain("semi", "半导体", reg::CHAIN_STATUS_ACTIVE, {"定远县"}, At("2026-01-01"));
    PutChain("old", "旧链", reg::CHAIN_STATUS_RETIRED, {"天长市"}, At("2026-01-01"));

    p1_ = Project("p1", "pv", "来安县", 12 * kYi, "2026-01-05");
    p1_.set_fixed_asset_investment_yuan(8 * kYi);
    p1_.set_stage(in::STAGE_SIGNED);
    p1_.mutable_stage_dates()->set_signed_("2026-04-10");
    p1_.mutable_investor()->set_origin(in::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
    p1_.mutable_investor()->set_fortune500(true);
    p1_.set_provincial_key(true);
    p1_.set_light(in::LIGHT_RED);
    PutProject(p1_, At("2026-04-10"));

    in::Project p2 = Project("p2", "pv", "定远县", 3 * kYi, "2026-01-05");
    p2.set_fixed_asset_investment_yuan(2 * kYi);
    p2.set_stage(in::STAGE_SIGNED);
    p2.mutable_stage_dates()->set_signed_("2026-03-20");
    PutProject(p2, At("2026-03-20"));
    Move("p2", in::STAGE_REGISTERED, "2026-04-02", At("2026-04-02"));
    Move("p2", in::STAGE_STARTED, "2026-05-10", At("2026-05-10"));

    in::Project p3 = Project("p3", "semi", "定远县", 60 * kYi, "2026-04-01");
    p3.set_fixed_asset_investment_yuan(50 * kYi);
    p3.set_stage(in::STAGE_SIGNED);
    p3.mutable_stage_dates()->set_signed_("2026-05-02");
    p3.mutable_investor()->set_origin(in::INVESTOR_ORIGIN_FOREIGN);
    p3.set_light(in::LIGHT_GREEN);
    PutProject(p3, At("2026-05-02"));

    PutProject(Project("p4", "pv", "来安县", kYi / 2, "2026-01-05"), At("2026-01-05"));

    Report("p1", "2026-03", 2 * kYi, 1 * kYi, At("2026-04-05"));
    Report("p1", "2026-05", 5 * kYi, 3 * kYi, At("2026-06-05"));
    Report("p1", "2026-07", 9 * kYi, 4 * kYi, At("2026-08-05"));
    Report("p2", "2026-04", 1 * kYi, kYi / 2, At("2026-05-05"));

    Publish(in::INTAKE_EVENT_ISSUE_OPENED, "issues/w1", At("2026-04-02"),
            Item("issues/w1", "projects/p1", "pv", "2026-05-01", "", "2026-04-02"));
    Publish(in::INTAKE_EVENT_ISSUE_RESOLVED, "issues/w2", At("2026-05-20"),
            Item("issues/w2", "chains/pv", "pv", "2026-06-01", "2026-05-20", "2026-04-10"));
    Publish(in::INTAKE_EVENT_TASK_RESOLVED, "tasks/w3", At("2026-04-20"),
            Item("tasks/w3", "projects/p3", "semi", "2026-04-15", "2026-04-20", "2026-03-01"));
    Publish(in::INTAKE_EVENT_TASK_OPENED, "tasks/w4", At("2026-05-05"),
            Item("tasks/w4", "projects/p2", "pv", "2026-09-01", "", "2026-05-05"));
    Publish(in::INTAKE_EVENT_TASK_OPENED, "tasks/w5", At("2026-05-06"),
            Item("tasks/w5", "projects/p4", "pv", "2026-05-07", "", "2026-05-06"));

    in::Project gone = Project("p4", "pv", "来安县", kYi / 2, "2026-01-05");
    Publish(in::INTAKE_EVENT_PROJECT_DELETED, "projects/p4", At("2026-06-15"), gone);

    PutEnterprise("E1", {"pv", "semi"},
                  {reg::ENTERPRISE_LABEL_CHAIN_OWNER, reg::ENTERPRISE_LABEL_ABOVE_SIZE}, 60 * kYi,
                  "来安县");
    PutEnterprise("E2", {"pv"}, {reg::ENTERPRISE_LABEL_ABOVE_SIZE}, 5 * kYi, "定远县");
    PutEnterprise("E3", {"semi"}, {reg::ENTERPRISE_LABEL_SPECIALIZED}, 2 * kYi, "定远县");
  }

  MeasureQuery Query(const v1::Measure& m, v1::SubjectKind kind = v1::SUBJECT_KIND_CHAINS,
                     absl::Time as_of = At("2026-07-01")) {
    MeasureQuery q;
    q.measure = &m;
    q.subject_kind = kind;
    q.subjects = kind == v1::SUBJECT_KIND_CHAINS
                     ? std::vector<std::string>{"chains/pv", "chains/semi"}
                     : std::vector<std::string>{"counties/来安县", "counties/定远县"};
    q.first_day = absl::CivilDay(2026, 4, 1);
    q.last_day = absl::CivilDay(2026, 6, 30);
    q.as_of = as_of;
    return q;
  }

  // EvaluateMeasure(q), checked against the same query evaluated by EvaluateMeasures among
  // others that share its pass (a count of every project, an enterprise sum) and one that does
  // not (a sum over the reports of the period): the same figures, counts and digests.
  std::map<std::string, SubjectValue> Eval(const MeasureQuery& q) {
    std::map<std::string, SubjectValue> out;
    const v1::Measure all_projects =
        M("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT");
    const v1::Measure output =
        M("entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_SUM "
          "field: MEASURE_FIELD_ANNUAL_OUTPUT");
    const v1::Measure completed =
        M("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
          "field: MEASURE_FIELD_COMPLETED_IN_PERIOD");
    std::vector<MeasureQuery> batch(4, q);
    batch[0].measure = &all_projects;
    batch[2].measure = &output;
    batch[3].measure = &completed;
    absl::Status s = store_->Read([&](SqlTx& tx) -> absl::Status {
      auto values = EvaluateMeasure(tx, q);
      if (!values.ok()) return values.status();
      out = *values;
      auto together = EvaluateMeasures(tx, batch);
      if (!together.ok()) return together.status();
      EXPECT_EQ((*together)[1].size(), out.size());
      for (const auto& [subject, v] : out) {
        const SubjectValue& t = (*together)[1][subject];
        EXPECT_EQ(t.value, v.value) << subject;
        EXPECT_EQ(t.count, v.count) << subject;
        EXPECT_EQ(t.digest, v.digest) << subject;
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  }

  // Values by subject id ("pv", "来安县").
  std::map<std::string, double> Values(const std::string& measure,
                                       v1::SubjectKind kind = v1::SUBJECT_KIND_CHAINS,
                                       absl::Time as_of = At("2026-07-01")) {
    const v1::Measure m = M(measure);
    std::map<std::string, double> out;
    for (const auto& [name, v] : Eval(Query(m, kind, as_of))) {
      out[name.substr(name.find('/') + 1)] = v.value;
    }
    return out;
  }

  FactCounts Counts() {
    FactCounts counts;
    EXPECT_TRUE(store_->Read([&](SqlTx& tx) -> absl::Status {
                        auto c = CountFacts(tx);
                        if (!c.ok()) return c.status();
                        counts = *c;
                        return absl::OkStatus();
                      })
                    .ok());
    return counts;
  }

  using Values_ = std::map<std::string, double>;

  TempDir dir_;
  std::unique_ptr<Store> store_;
  EventHandlers handlers_;
  int changes_ = 0;
  int events_ = 0;
  in::Project p1_;
};

constexpr char kSignedCount[] =
    "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
    "projects { reached_in_period: STAGE_SIGNED }";

TEST_F(AssessmentMeasures, CountsProjectsThatReachedAStageWithinThePeriod) {
  Seed();
  // p1 signed 04-10 and p3 05-02 are in Q2; p2 signed 03-20 is not.
  EXPECT_EQ(Values(kSignedCount), (Values_{{"pv", 1}, {"semi", 1}}));
  // p2's moves came as stage_changed events: registered 04-02 and started 05-10.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { reached_in_period: STAGE_STARTED }"),
            (Values_{{"pv", 1}, {"semi", 0}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { reached_in_period: STAGE_REGISTERED }"),
            (Values_{{"pv", 1}, {"semi", 0}}));
  // The move before the period counts in Q1 only.
  const v1::Measure signed_count = M(kSignedCount);
  MeasureQuery q1 = Query(signed_count);
  q1.first_day = absl::CivilDay(2026, 1, 1);
  q1.last_day = absl::CivilDay(2026, 3, 31);
  EXPECT_EQ(Eval(q1)["chains/pv"].value, 1);
  EXPECT_EQ(Eval(q1)["chains/semi"].value, 0);
}

TEST_F(AssessmentMeasures, SumsInvestmentWithScaleAndBounds) {
  Seed();
  // Signed in Q2, at least 1亿: p1 12亿 (pv), p3 60亿 (semi); in 亿元.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
                   "field: MEASURE_FIELD_TOTAL_INVESTMENT scale: 1e-8 "
                   "projects { reached_in_period: STAGE_SIGNED min_total_investment_yuan: 100000000 }"),
            (Values_{{"pv", 12}, {"semi", 60}}));
  // Fixed-asset investment of every live project: pv p1 8亿 + p2 2亿 (p4 deleted), semi 50亿.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
                   "field: MEASURE_FIELD_FIXED_ASSET_INVESTMENT scale: 1e-8"),
            (Values_{{"pv", 10}, {"semi", 50}}));
  // Below 10亿: p2 (pv) only.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { max_total_investment_yuan: 1000000000 }"),
            (Values_{{"pv", 1}, {"semi", 0}}));
}

TEST_F(AssessmentMeasures, FiltersOnOriginFortune500KeyLightSourceAndCreation) {
  Seed();
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT projects { "
                   "investor_origins: INVESTOR_ORIGIN_OUT_OF_PROVINCE "
                   "investor_origins: INVESTOR_ORIGIN_FOREIGN }"),
            (Values_{{"pv", 1}, {"semi", 1}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { fortune500: true }"),
            (Values_{{"pv", 1}, {"semi", 0}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { provincial_key: true }"),
            (Values_{{"pv", 1}, {"semi", 0}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { light: LIGHT_GREEN }"),
            (Values_{{"pv", 0}, {"semi", 1}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { source: PROJECT_SOURCE_TALENT }"),
            (Values_{{"pv", 0}, {"semi", 0}}));
  // p3 was created 2026-04-01; the others in January.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                   "projects { created_in_period: true }"),
            (Values_{{"pv", 0}, {"semi", 1}}));
}

TEST_F(AssessmentMeasures, SizeBandOfTheQueryNarrowsProjects) {
  Seed();
  const v1::Measure m = M(kSignedCount);
  MeasureQuery q = Query(m);
  q.band_min_yuan = 10 * kYi;
  q.band_max_yuan = 20 * kYi;
  auto values = Eval(q);
  EXPECT_EQ(values["chains/pv"].value, 1);   // p1, 12亿
  EXPECT_EQ(values["chains/semi"].value, 0);  // p3, 60亿 is above the band
}

TEST_F(AssessmentMeasures, CompletedAndArrivedInPeriodAreDifferencesOfCumulativeReports) {
  Seed();
  // p1: 5亿 (2026-05) − 2亿 (2026-03) = 3亿 (the July report is after the period);
  // p2: 1亿 (2026-04) − nothing before = 1亿.
  const std::string completed =
      "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
      "field: MEASURE_FIELD_COMPLETED_IN_PERIOD scale: 1e-8";
  EXPECT_EQ(Values(completed), (Values_{{"pv", 4}, {"semi", 0}}));
  // Funds: p1 3亿 − 1亿, p2 0.5亿.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
                   "field: MEASURE_FIELD_FUNDS_ARRIVED_IN_PERIOD scale: 1e-8"),
            (Values_{{"pv", 2.5}, {"semi", 0}}));
  // Re-reporting May replaces it from then on: p1 6亿 − 2亿; earlier as-of dates keep 5亿.
  Report("p1", "2026-05", 6 * kYi, 3 * kYi, At("2026-06-20"));
  EXPECT_EQ(Values(completed), (Values_{{"pv", 5}, {"semi", 0}}));
  EXPECT_EQ(Values(completed, v1::SUBJECT_KIND_CHAINS, At("2026-06-10")),
            (Values_{{"pv", 4}, {"semi", 0}}));
  // By county: p1 in 来安县, p2 in 定远县.
  EXPECT_EQ(Values(completed, v1::SUBJECT_KIND_COUNTIES), (Values_{{"来安县", 4}, {"定远县", 1}}));
}

TEST_F(AssessmentMeasures, WorkItemConditions) {
  Seed();
  auto items = [&](const std::string& filter, v1::SubjectKind kind = v1::SUBJECT_KIND_CHAINS) {
    return Values(absl::StrCat("entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
                               "work_items { ",
                               filter, " }"),
                  kind);
  };
  // w1 open past 05-01 on 07-01 (w5 went with p4).
  EXPECT_EQ(items("condition: WORK_ITEM_CONDITION_OVERDUE"), (Values_{{"pv", 1}, {"semi", 0}}));
  EXPECT_EQ(items("condition: WORK_ITEM_CONDITION_RESOLVED_IN_PERIOD"),
            (Values_{{"pv", 1}, {"semi", 1}}));
  // w3 was resolved after its deadline.
  EXPECT_EQ(items("condition: WORK_ITEM_CONDITION_RESOLVED_ON_TIME_IN_PERIOD"),
            (Values_{{"pv", 1}, {"semi", 0}}));
  EXPECT_EQ(items("condition: WORK_ITEM_CONDITION_OPENED_IN_PERIOD"),
            (Values_{{"pv", 3}, {"semi", 0}}));
  EXPECT_EQ(items("kind: WORK_ITEM_KIND_ISSUE condition: WORK_ITEM_CONDITION_OPENED_IN_PERIOD"),
            (Values_{{"pv", 2}, {"semi", 0}}));
  // Counties by the subject project: w1 (p1, 来安县), w4 (p2, 定远县); w2 is about a chain.
  EXPECT_EQ(items("condition: WORK_ITEM_CONDITION_OPENED_IN_PERIOD", v1::SUBJECT_KIND_COUNTIES),
            (Values_{{"来安县", 1}, {"定远县", 1}}));
  // Overdue as of 04-30: nothing yet (w1's deadline is 05-01, w5 is not opened).
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
                   "work_items { condition: WORK_ITEM_CONDITION_OVERDUE }",
                   v1::SUBJECT_KIND_CHAINS, At("2026-04-30")),
            (Values_{{"pv", 0}, {"semi", 0}}));
  // As of 06-10 p4 still lives and w5 (deadline 05-07) is overdue too.
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
                   "work_items { condition: WORK_ITEM_CONDITION_OVERDUE }",
                   v1::SUBJECT_KIND_CHAINS, At("2026-06-10")),
            (Values_{{"pv", 2}, {"semi", 0}}));
}

TEST_F(AssessmentMeasures, EnterprisesByLabelsOutputChainAndCounty) {
  Seed();
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_COUNT "
                   "enterprises { labels: ENTERPRISE_LABEL_ABOVE_SIZE }"),
            (Values_{{"pv", 2}, {"semi", 1}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_SUM "
                   "field: MEASURE_FIELD_ANNUAL_OUTPUT scale: 1e-8 enterprises { "
                   "labels: ENTERPRISE_LABEL_CHAIN_OWNER labels: ENTERPRISE_LABEL_ABOVE_SIZE }"),
            (Values_{{"pv", 60}, {"semi", 60}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_COUNT "
                   "enterprises { min_annual_output_yuan: 300000000 }"),
            (Values_{{"pv", 2}, {"semi", 1}}));
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_COUNT",
                   v1::SUBJECT_KIND_COUNTIES),
            (Values_{{"来安县", 1}, {"定远县", 2}}));
}

TEST_F(AssessmentMeasures, LaterChangesDoNotMoveAnEarlierAsOf) {
  Seed();
  const std::string total = "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
                            "field: MEASURE_FIELD_TOTAL_INVESTMENT scale: 1e-8 "
                            "projects { reached_in_period: STAGE_SIGNED }";
  in::Project bigger = p1_;
  bigger.set_total_investment_yuan(25 * kYi);
  PutProject(bigger, At("2026-07-15"));
  EXPECT_EQ(Values(total)["pv"], 12);
  EXPECT_EQ(Values(total, v1::SUBJECT_KIND_CHAINS, At("2026-07-20"))["pv"], 25);

  // An older light change arriving late takes its place in the history without undoing 07-15.
  in::Project yellow = p1_;
  yellow.set_light(in::LIGHT_YELLOW);
  Publish(in::INTAKE_EVENT_PROJECT_LIGHT_CHANGED, yellow.name(), At("2026-06-01"), yellow);
  const std::string red = "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                          "projects { light: LIGHT_RED }";
  EXPECT_EQ(Values(red)["pv"], 0);                                              // yellow then
  EXPECT_EQ(Values(red, v1::SUBJECT_KIND_CHAINS, At("2026-05-01"))["pv"], 1);   // red before
  EXPECT_EQ(Values(red, v1::SUBJECT_KIND_CHAINS, At("2026-07-20"))["pv"], 1);   // red after
  EXPECT_EQ(Values(total, v1::SUBJECT_KIND_CHAINS, At("2026-07-20"))["pv"], 25);
}

TEST_F(AssessmentMeasures, TombstonesEndARecordAndWhatWentWithIt) {
  Seed();
  const std::string all = "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT";
  EXPECT_EQ(Values(all, v1::SUBJECT_KIND_CHAINS, At("2026-06-10"))["pv"], 3);  // p1 p2 p4
  EXPECT_EQ(Values(all, v1::SUBJECT_KIND_CHAINS, At("2026-06-20"))["pv"], 2);
  // A deleted project's work items are gone with it.
  const std::string items = "entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT";
  EXPECT_EQ(Values(items, v1::SUBJECT_KIND_CHAINS, At("2026-06-10"))["pv"], 4);  // w1 w2 w4 w5
  EXPECT_EQ(Values(items, v1::SUBJECT_KIND_CHAINS, At("2026-06-20"))["pv"], 3);
  EXPECT_EQ(Counts().projects, 3);
  EXPECT_EQ(Counts().work_items, 4);
}

TEST_F(AssessmentMeasures, IdenticalVersionsCollapseAndRepeatsChangeNothing) {
  Seed();
  const FactCounts before = Counts();
  const int changes = changes_;
  // The same content again, later (a replay after a backfill), and the same event at its time.
  PutProject(p1_, At("2026-06-30"));
  PutProject(p1_, At("2026-04-10"));
  Move("p2", in::STAGE_STARTED, "2026-05-10", At("2026-05-10"));
  EXPECT_EQ(Counts().versions, before.versions);
  EXPECT_EQ(changes_, changes);

  // A version earlier than one of the same content takes its place; the later one folds in.
  in::Project p5 = Project("p5", "pv", "来安县", kYi, "2026-01-05");
  PutProject(p5, At("2026-06-01"));
  PutProject(p5, At("2026-05-01"));
  EXPECT_EQ(Counts().versions, before.versions + 1);
  EXPECT_EQ(Values("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT",
                   v1::SUBJECT_KIND_CHAINS, At("2026-05-15"))["pv"],
            4);  // p1 p2 p4 p5
}

TEST_F(AssessmentMeasures, DigestsFollowTheFactsThatCounted) {
  Seed();
  const v1::Measure m = M(kSignedCount);
  const auto before = Eval(Query(m));
  // p2 (signed in Q1) does not count; changing it leaves the digest.
  in::Project p2 = Project("p2", "pv", "定远县", 3 * kYi, "2026-01-05");
  p2.set_display_name("改名");
  PutProject(p2, At("2026-06-20"));
  EXPECT_EQ(Eval(Query(m))["chains/pv"].digest, before.at("chains/pv").digest);
  // p1 counts; a new version of it changes the digest though the count stays.
  in::Project renamed = p1_;
  renamed.set_display_name("改名项目");
  PutProject(renamed, At("2026-06-20"));
  const auto after = Eval(Query(m));
  EXPECT_EQ(after.at("chains/pv").value, 1);
  EXPECT_NE(after.at("chains/pv").digest, before.at("chains/pv").digest);
  EXPECT_EQ(after.at("chains/semi").digest, before.at("chains/semi").digest);
  EXPECT_EQ(before.at("chains/pv").count, 1);
}

TEST_F(AssessmentMeasures, EverySubjectAskedIsInTheResult) {
  Seed();
  const v1::Measure m = M(kSignedCount);
  MeasureQuery q = Query(m);
  q.subjects = {"chains/pv", "chains/empty"};
  auto values = Eval(q);
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values["chains/empty"].value, 0);
  EXPECT_EQ(values["chains/empty"].count, 0);
}

TEST_F(AssessmentMeasures, RefusesMeasuresThatCannotBeEvaluated) {
  Seed();
  for (const char* bad : {"aggregate: AGGREGATE_COUNT",
                          "entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_SUM "
                          "field: MEASURE_FIELD_TOTAL_INVESTMENT",
                          "entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_SUM "
                          "field: MEASURE_FIELD_TOTAL_INVESTMENT",
                          "entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_COUNT "
                          "projects { reached_in_period: STAGE_STALLED }"}) {
    const v1::Measure m = M(bad);
    absl::Status s = store_->Read([&](SqlTx& tx) { return EvaluateMeasure(tx, Query(m)).status(); });
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  const v1::Measure m = M(kSignedCount);
  MeasureQuery q = Query(m);
  q.subjects = {"counties/来安县"};
  absl::Status s = store_->Read([&](SqlTx& tx) { return EvaluateMeasure(tx, q).status(); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("subjects[0]"), std::string::npos) << s;
}

TEST_F(AssessmentMeasures, ListSubjectsGivesActiveChainsAndTheirHostCounties) {
  Seed();
  PutChain("semi", "半导体", reg::CHAIN_STATUS_RETIRED, {"定远县"}, At("2026-08-01"));
  auto list = [&](v1::SubjectKind kind, absl::Time as_of) {
    std::vector<std::string> out;
    EXPECT_TRUE(store_->Read([&](SqlTx& tx) -> absl::Status {
                        auto subjects = ListSubjects(tx, kind, as_of);
                        if (!subjects.ok()) return subjects.status();
                        for (const auto& s : *subjects) {
                          out.push_back(absl::StrCat(s.name, "=", s.display_name));
                        }
                        return absl::OkStatus();
                      })
                    .ok());
    return out;
  };
  EXPECT_EQ(list(v1::SUBJECT_KIND_CHAINS, At("2026-07-01")),
            (std::vector<std::string>{"chains/pv=光伏", "chains/semi=半导体"}));
  EXPECT_EQ(list(v1::SUBJECT_KIND_CHAINS, At("2026-08-02")),
            (std::vector<std::string>{"chains/pv=光伏"}));
  EXPECT_EQ(list(v1::SUBJECT_KIND_COUNTIES, At("2026-07-01")),
            (std::vector<std::string>{"counties/定远县=定远县", "counties/来安县=来安县"}));
  EXPECT_TRUE(list(v1::SUBJECT_KIND_CHAINS, At("2025-12-31")).empty());
}

TEST_F(AssessmentMeasures, ListMeasureFactsPagesInNameOrderWithDetails) {
  Seed();
  auto page = [&](const v1::Measure& m, const std::string& subject, int offset, int limit) {
    FactPage out;
    absl::Status s = store_->Read([&](SqlTx& tx) -> absl::Status {
      const auto kind = absl::StartsWith(subject, "counties/") ? v1::SUBJECT_KIND_COUNTIES
                                                                : v1::SUBJECT_KIND_CHAINS;
      auto p = ListMeasureFacts(tx, Query(m, kind), subject, offset, limit);
      if (!p.ok()) return p.status();
      out = *p;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return out;
  };
  const v1::Measure signed_count = M(kSignedCount);
  FactPage signed_page = page(signed_count, "chains/pv", 0, 10);
  ASSERT_EQ(signed_page.facts.size(), 1u);
  EXPECT_EQ(signed_page.facts[0].resource(), "projects/p1");
  EXPECT_EQ(signed_page.facts[0].display_name(), "项目p1");
  EXPECT_EQ(signed_page.facts[0].value(), 1);
  EXPECT_EQ(signed_page.facts[0].detail(), "2026-04-10 签约, 总投资 12亿元");

  const v1::Measure firms = M("entity: MEASURE_ENTITY_ENTERPRISES aggregate: AGGREGATE_SUM "
                              "field: MEASURE_FIELD_ANNUAL_OUTPUT");
  FactPage first = page(firms, "chains/pv", 0, 1);
  FactPage second = page(firms, "chains/pv", 1, 1);
  FactPage past = page(firms, "chains/pv", 2, 1);
  EXPECT_EQ(first.total, 2);
  ASSERT_EQ(first.facts.size(), 1u);
  ASSERT_EQ(second.facts.size(), 1u);
  EXPECT_TRUE(past.facts.empty());
  EXPECT_EQ(first.facts[0].resource(), "enterprises/E1");
  EXPECT_EQ(first.facts[0].value(), 60 * kYi);
  EXPECT_EQ(first.facts[0].detail(), "产值 60亿元, 来安县");
  EXPECT_EQ(second.facts[0].resource(), "enterprises/E2");

  const v1::Measure completed = M("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM "
                                  "field: MEASURE_FIELD_COMPLETED_IN_PERIOD");
  FactPage done = page(completed, "counties/来安县", 0, 10);
  ASSERT_EQ(done.facts.size(), 1u);
  EXPECT_EQ(done.facts[0].value(), 3 * kYi);
  EXPECT_EQ(done.facts[0].detail(),
            "总投资 12亿元, 截至 2026-05 累计完成投资 5亿元, 期前 2亿元, 期内 3亿元");

  const v1::Measure overdue = M("entity: MEASURE_ENTITY_WORK_ITEMS aggregate: AGGREGATE_COUNT "
                                "work_items { condition: WORK_ITEM_CONDITION_OVERDUE }");
  FactPage late = page(overdue, "chains/pv", 0, 10);
  ASSERT_EQ(late.facts.size(), 1u);
  EXPECT_EQ(late.facts[0].resource(), "issues/w1");
  EXPECT_EQ(late.facts[0].detail(), "期限 2026-05-01, 未办结");
}

// Not a test: prints how long measures take over 100,000 synthetic projects (8 chains, a fifth
// with an older version, half with two reports) against a bare GROUP BY over the same rows. Run
// with --gtest_also_run_disabled_tests --gtest_filter='*MeasureSpeed*'.
TEST_F(AssessmentMeasures, DISABLED_MeasureSpeed) {
  const int kProjects = 100'000;
  const char* chains[] = {"pv", "semi", "auto", "battery", "medical", "home", "chem", "food"};
  ASSERT_TRUE(store_->Write([&](SqlTx& tx) -> absl::Status {
                for (int i = 0; i < kProjects; ++i) {
                  const bool revised = i % 5 == 0;
                  for (int v = revised ? 0 : 1; v < 2; ++v) {
                    const int64_t recorded = absl::ToUnixMicros(At("2026-03-01")) + v * 1000 + i;
                    const int64_t superseded = v == 0 ? recorded + 1000 : kInForceForever;
                    auto s = tx.Exec(
                        "INSERT INTO fact_projects VALUES ($1, $2, $3, 0, $4, $5, $6, $7, '', "
                        "$8, 2, '2026-01-01', $9, '', '', '', '', $10, $11, 1, $12, 0, 0, 0, "
                        "'2026-01-01')",
                        {absl::StrCat("p", i), recorded, superseded, int64_t{i * 7919 % 65536},
                         int64_t{i * 104729 % 65536}, absl::StrCat("项目", i),
                         std::string(chains[i % 8]), i % 3 == 0 ? "来安县" : "定远县",
                         absl::StrCat("2026-0", 1 + i % 9, "-1", i % 10), int64_t{(i % 50) * kYi},
                         int64_t{(i % 50) * kYi / 2}, int64_t{1 + i % 3}});
                    if (!s.ok()) return s.status();
                  }
                  if (i % 2 == 0) {
                    for (const char* month : {"2026-03", "2026-05"}) {
                      auto s = tx.Exec(
                          "INSERT INTO fact_progress_reports VALUES ($1, $2, $3, $4, 0, 1, 2, $5, $6)",
                          {absl::StrCat("p", i), std::string(month),
                           absl::ToUnixMicros(At("2026-06-01")), kInForceForever,
                           int64_t{month[6] == '3' ? kYi : 2 * kYi}, int64_t{kYi}});
                      if (!s.ok()) return s.status();
                    }
                  }
                }
                return absl::OkStatus();
              })
                  .ok());
  auto time = [&](const std::string& what, const std::function<absl::Status(SqlTx&)>& fn) {
    absl::Duration best = absl::InfiniteDuration();
    for (int round = 0; round < 5; ++round) {
      const absl::Time start = absl::Now();
      ASSERT_TRUE(store_->Read(fn).ok());
      best = std::min(best, absl::Now() - start);
    }
    std::printf("%-60s %8.1f ms\n", what.c_str(), absl::ToDoubleMilliseconds(best));
  };
  std::vector<std::string> subjects;
  for (const char* c : chains) subjects.push_back(absl::StrCat("chains/", c));
  for (const std::string& text :
       {std::string(kSignedCount),
        std::string("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM field: "
                    "MEASURE_FIELD_TOTAL_INVESTMENT projects { reached_in_period: STAGE_SIGNED "
                    "min_total_investment_yuan: 100000000 }"),
        std::string("entity: MEASURE_ENTITY_PROJECTS aggregate: AGGREGATE_SUM field: "
                    "MEASURE_FIELD_COMPLETED_IN_PERIOD")}) {
    const v1::Measure m = M(text);
    MeasureQuery q = Query(m);
    q.subjects = subjects;
    time("EvaluateMeasure " + text.substr(text.find("aggregate")), [&](SqlTx& tx) {
      auto v = EvaluateMeasure(tx, q);
      EXPECT_EQ(v.ok() ? v->size() : 0u, 8u);
      return v.status();
    });
  }
  time("bare GROUP BY (signed in Q2, in force)", [&](SqlTx& tx) {
    return tx
        .Query("SELECT chain_id, COUNT(*), SUM(total_yuan) FROM fact_projects WHERE "
               "recorded_us <= $1 AND superseded_us > $1 AND deleted = 0 AND signed_date "
               "BETWEEN '2026-04-01' AND '2026-06-30' GROUP BY chain_id",
               {absl::ToUnixMicros(At("2026-07-01"))})
        .status();
  });
  time("bare GROUP BY (signed in Q2, no as-of)", [&](SqlTx& tx) {
    return tx
        .Query("SELECT chain_id, COUNT(*), SUM(total_yuan) FROM fact_projects WHERE "
               "signed_date BETWEEN '2026-04-01' AND '2026-06-30' GROUP BY chain_id")
        .status();
  });
}

TEST(AssessmentFormatYi, TrimsToTwoDecimals) {
  EXPECT_EQ(FormatYi(12 * kYi), "12亿元");
  EXPECT_EQ(FormatYi(150'000'000), "1.5亿元");
  EXPECT_EQ(FormatYi(35'000'000), "0.35亿元");
  EXPECT_EQ(FormatYi(0), "0亿元");
}

}  // namespace
}  // namespace assessment
}  // namespace chainhub
