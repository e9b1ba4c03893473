// The pure rules of support's chain-keyed part: chain entries (chain_entries.h), supplier spend
// lines and CSV rows (supplier_spend.h), chain plans, what publishing sends and which report
// counts (chain_plans.h).
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/base/credit_code.h"
#include "services/support/chain_entries.h"
#include "services/support/chain_plans.h"
#include "services/support/supplier_spend.h"

namespace chainhub::support {
namespace {

std::string Code(const std::string& division, const std::string& serial = "MA2N0A1B2") {
  const std::string first17 = "91" + division + serial;
  return first17 + CreditCodeCheckChar(first17).value();
}

std::vector<std::string> Fields(const std::vector<FieldViolation>& v) {
  std::vector<std::string> out;
  for (const auto& f : v) out.push_back(f.field);
  return out;
}

// --- Chain entries ---------------------------------------------------------------------------

v1::ChainEntry Opportunity() {
  v1::ChainEntry e;
  e.set_kind(v1::PURCHASE_OPPORTUNITY);
  e.set_title("边框采购");
  e.set_owner("enterprises/" + Code("341126"));
  e.set_status(v1::ENTRY_OPEN);
  e.mutable_opportunity()->set_product("铝边框");
  return e;
}

TEST(ChainEntryRules, AnOpportunityWithItsDetailKeepsEveryRule) {
  std::vector<FieldViolation> v;
  CheckChainEntry(Opportunity(), "pv", "entry", &v);
  EXPECT_TRUE(v.empty()) << v[0].field << ": " << v[0].rule;
}

TEST(ChainEntryRules, TheDetailMustBeTheOneTheKindCarries) {
  v1::ChainEntry e = Opportunity();
  e.mutable_talent()->set_post("工程师");
  std::vector<FieldViolation> v;
  CheckChainEntry(e, "pv", "entry", &v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"entry.talent"});
  e.clear_talent();
  v.clear();
  CheckChainEntry(e, "pv", "entry", &v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"entry.opportunity"});
}

TEST(ChainEntryRules, TheNodeMustBeOfTheEntrysChain) {
  v1::ChainEntry e = Opportunity();
  e.set_node("chains/nev-battery/nodes/cells");
  std::vector<FieldViolation> v;
  CheckChainEntry(e, "pv", "entry", &v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"entry.node"});
}

TEST(ChainEntryRules, AnUpdateNamingTheDetailReplacesItWhole) {
  v1::ChainEntry current = Opportunity();
  current.mutable_opportunity()->set_quantity("10万套");
  v1::ChainEntry update;
  update.mutable_opportunity()->set_product("钢边框");
  google::protobuf::FieldMask mask;
  mask.add_paths("detail");
  ASSERT_TRUE(ApplyChainEntryUpdate(update, mask, &current).ok());
  EXPECT_EQ(current.opportunity().product(), "钢边框");
  EXPECT_EQ(current.opportunity().quantity(), "");
  EXPECT_EQ(current.title(), "边框采购");
  mask.set_paths(0, "kind");
  EXPECT_FALSE(ApplyChainEntryUpdate(update, mask, &current).ok());
  // An empty mask replaces every updatable field, the detail with the one the update sets.
  v1::ChainEntry whole = Opportunity();
  whole.set_title("新标题");
  whole.mutable_opportunity()->set_amount_yuan(7);
  ASSERT_TRUE(ApplyChainEntryUpdate(whole, {}, &current).ok());
  EXPECT_EQ(current.title(), "新标题");
  EXPECT_EQ(current.opportunity().amount_yuan(), 7);
  EXPECT_EQ(current.kind(), v1::PURCHASE_OPPORTUNITY);
}

TEST(ChainEntryRules, ValidityBoundsAreIncludedAndEmptyOnesOpen) {
  v1::ChainEntry e;
  e.set_valid_from("2026-06-01");
  EXPECT_FALSE(ValidOn(e, "2026-05-31"));
  EXPECT_TRUE(ValidOn(e, "2026-06-01"));
  e.set_valid_to("2026-06-30");
  EXPECT_TRUE(ValidOn(e, "2026-06-30"));
  EXPECT_FALSE(ValidOn(e, "2026-07-01"));
}

// --- Supplier spend --------------------------------------------------------------------------

TEST(SupplierSpendRules, EachSupplierIsListedOnceAndPlacedByCodeOrDivision) {
  google::protobuf::RepeatedPtrField<v1::SpendLine> lines;
  auto* a = lines.Add();
  a->set_supplier_credit_code(Code("341122"));
  a->set_amount_yuan(10);
  auto* b = lines.Add();
  b->set_supplier_division("341103");
  b->set_supplier_name("包装厂");
  b->set_amount_yuan(5);
  std::vector<FieldViolation> v;
  CheckSpendLines(lines, "spend", &v);
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(SpendTotal(lines), 15);
  *lines.Add() = *a;
  auto* neither = lines.Add();
  neither->set_amount_yuan(1);
  CheckSpendLines(lines, "spend", &v);
  EXPECT_EQ(Fields(v), (std::vector<std::string>{"spend.lines[2].supplier_credit_code",
                                                 "spend.lines[3].supplier_credit_code"}));
}

TEST(SupplierSpendRules, ACsvRowNamesEveryBadColumnWithItsLine) {
  std::vector<std::string> errors;
  std::map<std::string, std::string> cells = {
      {"chain", "chains/pv"},   {"reporter", "enterprises/" + Code("341100")},
      {"period", "2026-Q2"},    {"supplier_credit_code", ""},
      {"supplier_name", ""},    {"supplier_division", "341122"},
      {"amount_yuan", " 1200 "}};
  std::optional<SpendCsvRow> row = ReadSpendCsvRow(4, cells, &errors);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->chain_id, "pv");
  EXPECT_EQ(row->reporter, Code("341100"));
  EXPECT_EQ(row->spend_line.amount_yuan(), 1200);
  cells["amount_yuan"] = "12.5";
  cells["period"] = "2026Q2";
  EXPECT_FALSE(ReadSpendCsvRow(7, cells, &errors).has_value());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_TRUE(absl::StartsWith(errors[0], "line 7: period: ")) << errors[0];
  EXPECT_TRUE(absl::StartsWith(errors[1], "line 7: amount_yuan: must be a whole number"))
      << errors[1];
}

// --- Chain plans ------------------------------------------------------------------------------

v1::ChainPlan Plan() {
  v1::ChainPlan p;
  p.set_kind(v1::THREE_YEAR_ACTION);
  p.set_title("三年行动方案");
  p.set_start_year(2026);
  p.set_end_year(2028);
  auto* t = p.add_tasks();
  t->set_number("2.1");
  t->set_title("招引链主");
  t->set_lead_leader("王强");
  t->set_lead_department("departments/zsj");
  t->add_partner_departments("departments/fgw");
  t->set_deadline("2027-06-30");
  return p;
}

TEST(ChainPlanRules, TheKindDecidesTheSpan) {
  EXPECT_EQ(PlanSpanYears(v1::FIVE_YEAR), 5);
  EXPECT_EQ(PlanSpanYears(v1::THREE_YEAR_ACTION), 3);
  EXPECT_EQ(PlanSpanYears(v1::ANNUAL_KEY_POINTS), 1);
  v1::ChainPlan p = Plan();
  std::vector<FieldViolation> v;
  CheckChainPlan(p, "plan", &v);
  EXPECT_TRUE(v.empty());
  p.set_kind(v1::ANNUAL_KEY_POINTS);
  CheckChainPlan(p, "plan", &v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"plan.end_year"});
}

TEST(ChainPlanRules, ATaskBecomesAnIntakeTaskNamingThePlan) {
  const v1::ChainPlan p = Plan();
  const intake::v1::WorkItem item = TaskWorkItem("pv", "chains/pv/plans/abc", p, p.tasks(0));
  EXPECT_EQ(item.kind(), intake::v1::WORK_ITEM_KIND_TASK);
  EXPECT_EQ(item.title(), "2.1 招引链主");
  EXPECT_EQ(item.subject(), "chains/pv");
  EXPECT_EQ(item.owner_department(), "departments/zsj");
  EXPECT_EQ(item.deadline(), "2027-06-30");
  EXPECT_TRUE(absl::StrContains(item.description(), "chains/pv/plans/abc"));
  EXPECT_TRUE(absl::StrContains(item.description(), "王强"));
  EXPECT_EQ(TaskRequestId("abc", "2.1", 3), "chain-plan/abc/task/2.1/v3");
  // The digest follows what is sent: a new deadline changes it, a new plan version does not.
  v1::ChainPlan later = p;
  later.set_version(2);
  EXPECT_EQ(WorkItemDigest(TaskWorkItem("pv", "chains/pv/plans/abc", later, later.tasks(0))),
            WorkItemDigest(item));
  later.mutable_tasks(0)->set_deadline("2027-03-31");
  EXPECT_NE(WorkItemDigest(TaskWorkItem("pv", "chains/pv/plans/abc", later, later.tasks(0))),
            WorkItemDigest(item));
}

TEST(ChainPlanRules, TheReportThatCountsIsTheLatestPeriodBegunByTheDate) {
  using assessment::Period;
  const std::vector<Period> periods = {Period::OfMonth(2026, 5), Period::OfQuarter(2026, 2),
                                       Period::OfMonth(2026, 7)};
  // June: May and Q2 have begun; Q2 ends later.
  EXPECT_EQ(LatestReport(periods, {10, 5, 1}, absl::CivilDay(2026, 6, 15)), 1);
  // April: only Q2 has begun.
  EXPECT_EQ(LatestReport(periods, {10, 5, 1}, absl::CivilDay(2026, 4, 30)), 1);
  EXPECT_EQ(LatestReport(periods, {10, 5, 1}, absl::CivilDay(2026, 3, 31)), -1);
  // Two reports of periods ending the same day: the later one.
  EXPECT_EQ(LatestReport({Period::OfMonth(2026, 6), Period::OfQuarter(2026, 2)}, {5, 9},
                         absl::CivilDay(2026, 7, 1)),
            1);
}

TEST(ChainPlanRules, ATargetMissedForGoodIsWarnedOnceAYearOthersOnceAMonth) {
  v1::TargetProgress t;
  t.set_indicator("indicators/output");
  t.set_year(2026);
  EXPECT_EQ(TargetRiskKey(t), "target:indicators/output|2026");
  EXPECT_EQ(TargetRiskPeriod(t, absl::CivilDay(2026, 6, 15)), "2026-06");
  EXPECT_EQ(TargetRiskPeriod(t, absl::CivilDay(2027, 2, 1)), "2026");
  EXPECT_EQ(TaskRiskPeriod(absl::CivilDay(2027, 2, 1)), "2027-02");
}

}  // namespace
}  // namespace chainhub::support
