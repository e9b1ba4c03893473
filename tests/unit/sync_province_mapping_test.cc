// The province mapping: which list a record belongs to by its date, which provincial chains it
// counts for, the 2026 switch, and the order-independent digest both sides compare.
#include <algorithm>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/province/records.h"
#include "services/sync/province_mapping.h"

namespace chainhub::sync {
namespace {

using province::ShippedChainProvinceMappings;

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Taxonomy Chuzhou() {
  Taxonomy t;
  t.lists = ProvinceLists::Shipped();
  t.mapping["pv"]["2021"] = {"pv-storage"};
  t.mapping["pv"]["2026"] = {"new-energy-low-carbon"};
  t.mapping["nev-battery"]["2021"] = {"pv-storage", "nev-icv"};
  t.mapping["nev-battery"]["2026"] = {"new-energy-low-carbon", "icv-nev"};
  t.mapping["health-food"]["2021"] = {"green-food"};
  t.mapping["health-food"]["2026"] = {};
  return t;
}

intake::v1::Project PvProject(const std::string& signed_on) {
  intake::v1::Project p;
  p.set_name("projects/p1");
  p.set_display_name("年产10GW光伏组件项目");
  p.set_chain("chains/pv");
  p.set_total_investment_yuan(1'200'000'000);
  p.mutable_investor()->set_name("某某新能源集团");
  p.mutable_investor()->set_origin(intake::v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  p.set_stage(intake::v1::STAGE_SIGNED);
  p.mutable_stage_dates()->set_negotiating("2025-03-01");
  p.mutable_stage_dates()->set_signed_(signed_on);
  p.set_province_chains_source("chain_default");
  p.add_province_chains("new-energy-low-carbon");
  return p;
}

TEST(SyncProvinceMapping, AProjectKeepsTheListOfItsDateAcrossTheSwitch) {
  const Taxonomy t = Chuzhou();
  intake::v1::Project old_one = PvProject("2025-12-31");
  intake::v1::Project new_one = PvProject("2026-01-01");
  ASSERT_EQ(ListVersionOn(t, ProjectDate(old_one)), "2021");
  ASSERT_EQ(ListVersionOn(t, ProjectDate(new_one)), "2026");

  Record r2025 = ProjectRecord(t, "2021", old_one);
  EXPECT_EQ(r2025.business_date(), "2025-12-31");
  EXPECT_THAT(r2025.categories(), ElementsAre("pv-storage"));
  EXPECT_FALSE(r2025.category_override());
  Record r2026 = ProjectRecord(t, "2026", new_one);
  EXPECT_THAT(r2026.categories(), ElementsAre("new-energy-low-carbon"));
  EXPECT_TRUE(r2026.project().above_100m());
  EXPECT_TRUE(r2026.project().from_outside_province());
  EXPECT_EQ(r2026.project().stage(), "签约");
  EXPECT_EQ(r2026.project().investor_origin(), "省外");
  EXPECT_EQ(r2026.project().project_id(), "p1");
}

TEST(SyncProvinceMapping, AnOverrideAppliesOnlyInTheListItsIdsBelongTo) {
  const Taxonomy t = Chuzhou();
  intake::v1::Project p = PvProject("2026-02-01");
  p.set_province_chains_source("override");
  p.clear_province_chains();
  p.add_province_chains("icv-nev");  // a 2026 id
  Record in2026 = ProjectRecord(t, "2026", p);
  EXPECT_THAT(in2026.categories(), ElementsAre("icv-nev"));
  EXPECT_TRUE(in2026.category_override());
  // Expressed in 2021 the override means nothing: the chain's 2021 default applies.
  Record in2021 = ProjectRecord(t, "2021", p);
  EXPECT_THAT(in2021.categories(), ElementsAre("pv-storage"));
  EXPECT_FALSE(in2021.category_override());
}

TEST(SyncProvinceMapping, AnEnterpriseCountsForEveryChainItSitsOnAndHealthFoodHasNo2026Match) {
  const Taxonomy t = Chuzhou();
  registry::v1::Enterprise e;
  e.set_name("enterprises/91341100MA2NXXXX0X");
  e.set_credit_code("91341100MA2NXXXX0X");
  e.set_display_name("某某电池有限公司");
  e.add_memberships("chains/pv/nodes/cells");
  e.add_memberships("chains/nev-battery/nodes/cells");
  e.add_labels(registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER);
  Record r = EnterpriseRecord(t, "2026", e);
  EXPECT_THAT(r.categories(), ElementsAre("icv-nev", "new-energy-low-carbon"));
  EXPECT_THAT(r.enterprise().chains(), ElementsAre("nev-battery", "pv"));
  EXPECT_THAT(r.enterprise().labels(), ElementsAre("链主企业"));

  registry::v1::Enterprise food;
  food.set_name("enterprises/x");
  food.add_memberships("chains/health-food/nodes/drinks");
  EXPECT_THAT(EnterpriseRecord(t, "2026", food).categories(), IsEmpty());
  EXPECT_THAT(EnterpriseRecord(t, "2021", food).categories(), ElementsAre("green-food"));
}

TEST(SyncProvinceMapping, RecordsOfTheOtherTypesCarryTheirDates) {
  const Taxonomy t = Chuzhou();
  intake::v1::ProgressReport report;
  report.set_name("projects/p1/progressReports/2026-05");
  report.set_month("2026-05");
  report.set_cumulative_completed_yuan(300'000'000);
  Record progress = ProgressRecord(t, "2026", PvProject("2026-01-05"), report);
  EXPECT_EQ(progress.business_date(), "2026-05-01");
  EXPECT_EQ(progress.progress().project_id(), "p1");

  assessment::v1::Run run;
  run.set_name("runs/r1");
  run.set_period("2026-Q3");
  auto* pv = run.add_results();
  pv->set_subject("chains/pv");
  pv->set_total(91.5);
  pv->set_rank(1);
  pv->set_grade(assessment::v1::GRADE_EXCELLENT);
  run.add_results()->set_subject("departments/fgw");  // not a chain: left out
  auto results = AssessmentResultRecords(t, "2026", run, {{"pv", "光伏"}});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].id(), "runs/r1/results/pv");
  EXPECT_EQ(results[0].business_date(), "2026-09-30");
  EXPECT_EQ(results[0].assessment_result().grade(), "优秀");
  EXPECT_EQ(results[0].assessment_result().chain_name(), "光伏");
  EXPECT_EQ(PeriodLastDay("2026"), "2026-12-31");
  EXPECT_EQ(PeriodLastDay("2024-02"), "2024-02-29");
  EXPECT_EQ(PeriodLastDay("someday"), "");
}

TEST(ProvinceDigests, EqualSetsGiveEqualDigestsInAnyOrderAndAnyChangeShows) {
  std::vector<Record> records;
  for (int i = 0; i < 200; ++i) {
    Record r;
    r.set_list_version(i % 2 ? "2021" : "2026");
    r.set_type(province::v1::RECORD_TYPE_PROJECT);
    r.set_id("projects/" + std::to_string(i));
    r.set_version(i + 1);
    if (i % 5) r.add_categories(i % 2 ? "pv-storage" : "new-energy-low-carbon");
    records.push_back(r);
  }
  province::DigestSet in_order;
  for (const auto& r : records) in_order.Add(r);
  std::mt19937 shuffle(7);
  std::shuffle(records.begin(), records.end(), shuffle);
  province::DigestSet shuffled;
  for (const auto& r : records) shuffled.Add(r);
  auto a = in_order.ToProto(), b = shuffled.ToProto();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].SerializeAsString(), b[i].SerializeAsString());

  // Removing a record and adding it back at a new version changes its bucket's digest only.
  province::DigestSet moved = shuffled;
  const Record& r = records.front();
  moved.Apply(r.list_version(), r.type(), r.id(), r.version(), province::CategoriesOf(r), -1);
  moved.Apply(r.list_version(), r.type(), r.id(), r.version() + 1, province::CategoriesOf(r), +1);
  auto c = moved.ToProto();
  int changed = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].count(), c[i].count());
    if (a[i].digest() != c[i].digest()) ++changed;
  }
  EXPECT_EQ(changed, 1);
}

TEST(ProvinceLists, TheListInForceFollowsTheEffectiveDates) {
  const ProvinceLists& lists = ProvinceLists::Shipped();
  ASSERT_NE(lists.InForceOn("2025-12-31"), nullptr);
  EXPECT_EQ(lists.InForceOn("2025-12-31")->version, "2021");
  EXPECT_EQ(lists.InForceOn("2026-01-01")->version, "2026");
  EXPECT_EQ(lists.InForceOn("2020-06-01"), nullptr);
  EXPECT_EQ(lists.Find("2026")->chains.size(), 10u);
  // The shipped mapping: each of the eight chains in both lists, 健康食品 with no 2026 match.
  const auto& mappings = ShippedChainProvinceMappings();
  ASSERT_EQ(mappings.mappings_size(), 16);
  for (const auto& m : mappings.mappings()) {
    const ProvinceLists::List* list = lists.Find(m.version());
    ASSERT_NE(list, nullptr) << m.ShortDebugString();
    for (const auto& id : m.province_chains()) EXPECT_TRUE(list->chains.contains(id)) << id;
    if (m.chain() == "chains/health-food" && m.version() == "2026") {
      EXPECT_TRUE(m.province_chains().empty());
    }
  }
}

}  // namespace
}  // namespace chainhub::sync
