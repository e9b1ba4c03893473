#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "services/intake/validation.h"

namespace chainhub::intake {
namespace {

std::string ValidCode() {
  std::string first17 = "91341100MA2N00001";
  return first17 + *CreditCodeCheckChar(first17);
}

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

v1::Project ValidProject() {
  v1::Project p;
  p.set_display_name("年产10GW高效光伏组件项目");
  p.set_chain("chains/pv");
  p.set_node("chains/pv/nodes/modules");
  p.add_province_chains("new-energy");
  p.set_county("来安县");
  p.set_park("滁州经济技术开发区");
  p.mutable_investor()->set_name("某某新能源集团有限公司");
  p.mutable_investor()->set_origin(v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  p.mutable_investor()->set_credit_code(ValidCode());
  p.set_source(v1::PROJECT_SOURCE_INVESTMENT);
  p.set_total_investment_yuan(6'000'000'000);
  p.set_fixed_asset_investment_yuan(5'000'000'000);
  p.set_annual_planned_investment_yuan(2'000'000'000);
  p.set_responsible_leader("张三 副市长");
  p.set_responsible_department("departments/fgw");
  p.set_planned_start_date("2026-03-01");
  p.set_external_id("FGW-2026.001_a");
  return p;
}

std::vector<FieldViolation> Check(const v1::Project& p) {
  std::vector<FieldViolation> v;
  CheckProject(p, "project", &v);
  return v;
}

bool Has(const std::vector<FieldViolation>& v, const std::string& field) {
  for (const auto& f : v) {
    if (f.field == field) return true;
  }
  return false;
}

std::string Fields(const std::vector<FieldViolation>& v) {
  std::string out;
  for (const auto& f : v) absl::StrAppend(&out, f.field, ": ", f.rule, "\n");
  return out;
}

// The project after `edit`, which must break exactly `field`.
template <typename Edit>
void ExpectOnly(const std::string& field, Edit edit) {
  v1::Project p = ValidProject();
  edit(p);
  std::vector<FieldViolation> v = Check(p);
  ASSERT_EQ(v.size(), 1u) << field << "\n" << Fields(v);
  EXPECT_EQ(v[0].field, field) << v[0].rule;
}

TEST(IntakeValidation, AcceptsACompleteProject) {
  std::vector<FieldViolation> v = Check(ValidProject());
  EXPECT_TRUE(v.empty()) << Fields(v);
}

TEST(IntakeValidation, AcceptsAProjectWithOnlyTheRequiredFields) {
  v1::Project p = ValidProject();
  p.clear_node();
  p.clear_province_chains();
  p.clear_park();
  p.mutable_investor()->clear_credit_code();
  p.clear_fixed_asset_investment_yuan();
  p.clear_annual_planned_investment_yuan();
  p.clear_responsible_leader();
  p.clear_planned_start_date();
  p.clear_external_id();
  std::vector<FieldViolation> v = Check(p);
  EXPECT_TRUE(v.empty()) << Fields(v);
}

TEST(IntakeValidation, ReportsEveryMissingRequiredFieldAtOnce) {
  std::vector<FieldViolation> v = Check(v1::Project());
  for (const char* field : {"project.display_name", "project.chain", "project.county",
                            "project.investor.name", "project.investor.origin", "project.source",
                            "project.total_investment_yuan", "project.responsible_department"}) {
    EXPECT_TRUE(Has(v, field)) << field << "\n" << Fields(v);
  }
  EXPECT_EQ(v.size(), 8u) << Fields(v);
}

TEST(IntakeValidation, CountsTheDisplayNameInCharacters) {
  ExpectOnly("project.display_name", [](v1::Project& p) { p.set_display_name(""); });
  ExpectOnly("project.display_name", [](v1::Project& p) { p.set_display_name(Repeat("光", 129)); });
  v1::Project p = ValidProject();
  p.set_display_name(Repeat("光", 128));
  EXPECT_TRUE(Check(p).empty());
}

TEST(IntakeValidation, RequiresAFullChainNameAndANodeOnTheSameChain) {
  ExpectOnly("project.chain", [](v1::Project& p) { p.set_chain("pv"); });
  ExpectOnly("project.chain", [](v1::Project& p) { p.set_chain("chains/PV"); });
  ExpectOnly("project.node",
             [](v1::Project& p) { p.set_node("chains/semiconductor/nodes/wafer"); });
  ExpectOnly("project.node", [](v1::Project& p) { p.set_node("modules"); });
  v1::Project p = ValidProject();
  p.set_node("chains/semiconductor/nodes/wafer");
  std::vector<FieldViolation> v = Check(p);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_TRUE(absl::StrContains(v[0].rule, "chains/pv")) << v[0].rule;
}

TEST(IntakeValidation, LimitsProvinceChainsToTenDistinctIds) {
  ExpectOnly("project.province_chains[1]", [](v1::Project& p) { p.add_province_chains("Bad_Id"); });
  ExpectOnly("project.province_chains[1]",
             [](v1::Project& p) { p.add_province_chains("new-energy"); });
  v1::Project ten = ValidProject();
  ten.clear_province_chains();
  for (int i = 0; i < 10; ++i) ten.add_province_chains(absl::StrCat("pc", i));
  EXPECT_TRUE(Check(ten).empty());
  ten.add_province_chains("pc10");
  std::vector<FieldViolation> v = Check(ten);
  ASSERT_EQ(v.size(), 1u) << Fields(v);
  EXPECT_EQ(v[0].field, "project.province_chains");
}

TEST(IntakeValidation, ChecksCountyParkAndLeaderLengths) {
  ExpectOnly("project.county", [](v1::Project& p) { p.set_county(""); });
  ExpectOnly("project.county", [](v1::Project& p) { p.set_county(Repeat("县", 65)); });
  ExpectOnly("project.park", [](v1::Project& p) { p.set_park(Repeat("园", 129)); });
  ExpectOnly("project.responsible_leader",
             [](v1::Project& p) { p.set_responsible_leader(Repeat("张", 65)); });
}

TEST(IntakeValidation, ChecksTheInvestor) {
  ExpectOnly("project.investor.name",
             [](v1::Project& p) { p.mutable_investor()->set_name(Repeat("企", 129)); });
  ExpectOnly("project.investor.origin", [](v1::Project& p) {
    p.mutable_investor()->set_origin(v1::INVESTOR_ORIGIN_UNSPECIFIED);
  });
  ExpectOnly("project.investor.credit_code", [](v1::Project& p) {
    std::string code = ValidCode();
    code[17] = code[17] == '0' ? '1' : '0';  // wrong check character
    p.mutable_investor()->set_credit_code(code);
  });
  ExpectOnly("project.source",
             [](v1::Project& p) { p.set_source(v1::PROJECT_SOURCE_UNSPECIFIED); });
}

TEST(IntakeValidation, BoundsTheTotalAndItsParts) {
  ExpectOnly("project.total_investment_yuan", [](v1::Project& p) {
    p.set_total_investment_yuan(0);
    p.clear_fixed_asset_investment_yuan();
    p.clear_annual_planned_investment_yuan();
  });
  ExpectOnly("project.total_investment_yuan",
             [](v1::Project& p) { p.set_total_investment_yuan(10'000'000'000'001); });
  v1::Project max = ValidProject();
  max.set_total_investment_yuan(10'000'000'000'000);
  EXPECT_TRUE(Check(max).empty());

  ExpectOnly("project.fixed_asset_investment_yuan",
             [](v1::Project& p) { p.set_fixed_asset_investment_yuan(6'000'000'001); });
  ExpectOnly("project.annual_planned_investment_yuan",
             [](v1::Project& p) { p.set_annual_planned_investment_yuan(-1); });
  v1::Project equal = ValidProject();
  equal.set_fixed_asset_investment_yuan(equal.total_investment_yuan());
  equal.set_annual_planned_investment_yuan(equal.total_investment_yuan());
  EXPECT_TRUE(Check(equal).empty());
}

TEST(IntakeValidation, ChecksDepartmentDateAndExternalId) {
  ExpectOnly("project.responsible_department",
             [](v1::Project& p) { p.set_responsible_department("fgw"); });
  ExpectOnly("project.planned_start_date",
             [](v1::Project& p) { p.set_planned_start_date("2026-02-30"); });
  ExpectOnly("project.external_id", [](v1::Project& p) { p.set_external_id("FGW 001"); });
  ExpectOnly("project.external_id", [](v1::Project& p) { p.set_external_id(Repeat("a", 65)); });
  v1::Project p = ValidProject();
  p.set_external_id(Repeat("a", 64));
  EXPECT_TRUE(Check(p).empty());
}

TEST(IntakeValidation, NamesFieldsUnderTheGivenPrefix) {
  std::vector<FieldViolation> v;
  v1::Project p = ValidProject();
  p.set_county("");
  CheckProject(p, "rows[7].project", &v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "rows[7].project.county");
}

TEST(IntakeValidation, AcceptsOnlyRealMonths) {
  EXPECT_TRUE(IsValidMonth("2026-01"));
  EXPECT_TRUE(IsValidMonth("2026-12"));
  EXPECT_FALSE(IsValidMonth("2026-00"));
  EXPECT_FALSE(IsValidMonth("2026-13"));
  EXPECT_FALSE(IsValidMonth("2026-1"));
  EXPECT_FALSE(IsValidMonth("2026/01"));
  EXPECT_FALSE(IsValidMonth("2026-01-01"));
  EXPECT_FALSE(IsValidMonth(""));
}

TEST(IntakeValidation, ChecksAProgressReport) {
  v1::ProgressReport r;
  r.set_month("2026-05");
  r.set_cumulative_completed_yuan(100);
  r.set_note("按计划推进");
  std::vector<FieldViolation> ok;
  CheckProgressReport(r, "report", &ok);
  EXPECT_TRUE(ok.empty()) << Fields(ok);

  r.set_month("2026-13");
  r.set_cumulative_completed_yuan(-1);
  r.set_cumulative_funds_arrived_yuan(-1);
  r.set_note(Repeat("注", 501));
  std::vector<FieldViolation> v;
  CheckProgressReport(r, "report", &v);
  EXPECT_EQ(v.size(), 4u) << Fields(v);
  for (const char* f : {"report.month", "report.cumulative_completed_yuan",
                        "report.cumulative_funds_arrived_yuan", "report.note"}) {
    EXPECT_TRUE(Has(v, f)) << f;
  }
}

v1::WorkItem ValidItem() {
  v1::WorkItem w;
  w.set_kind(v1::WORK_ITEM_KIND_ISSUE);
  w.set_title("用地指标未落实");
  w.set_description("需协调自然资源局");
  w.set_subject("projects/0190a6f2-7c3e-7b8a-9c1d-2e3f4a5b6c7d");
  w.set_owner_department("departments/zrzy");
  w.set_deadline("2026-06-30");
  return w;
}

TEST(IntakeValidation, ChecksAWorkItem) {
  std::vector<FieldViolation> ok;
  CheckWorkItem(ValidItem(), "work_item", &ok);
  EXPECT_TRUE(ok.empty()) << Fields(ok);
  v1::WorkItem chain = ValidItem();
  chain.set_subject("chains/pv");
  CheckWorkItem(chain, "work_item", &ok);
  EXPECT_TRUE(ok.empty()) << Fields(ok);

  std::vector<FieldViolation> v;
  CheckWorkItem(v1::WorkItem(), "work_item", &v);
  for (const char* f : {"work_item.kind", "work_item.title", "work_item.subject",
                        "work_item.owner_department", "work_item.deadline"}) {
    EXPECT_TRUE(Has(v, f)) << f << "\n" << Fields(v);
  }

  v1::WorkItem bad = ValidItem();
  bad.set_title(Repeat("题", 201));
  bad.set_description(Repeat("述", 2001));
  bad.set_subject("enterprises/91341100MA2N000010");
  bad.set_deadline("2026-06-31");
  v.clear();
  CheckWorkItem(bad, "work_item", &v);
  EXPECT_EQ(v.size(), 4u) << Fields(v);
  for (const char* f :
       {"work_item.title", "work_item.description", "work_item.subject", "work_item.deadline"}) {
    EXPECT_TRUE(Has(v, f)) << f;
  }
}

TEST(IntakeValidation, MovesWorkItemsOnlyAlongTheIssueLoop) {
  using S = v1::WorkItemStatus;
  const S all[] = {v1::WORK_ITEM_STATUS_OPEN, v1::WORK_ITEM_STATUS_COORDINATING,
                   v1::WORK_ITEM_STATUS_RESOLVED, v1::WORK_ITEM_STATUS_ESCALATED};
  auto legal = [](S from, S to) {
    switch (from) {
      case v1::WORK_ITEM_STATUS_OPEN:
        return to != v1::WORK_ITEM_STATUS_OPEN;
      case v1::WORK_ITEM_STATUS_COORDINATING:
        return to == v1::WORK_ITEM_STATUS_RESOLVED || to == v1::WORK_ITEM_STATUS_ESCALATED;
      case v1::WORK_ITEM_STATUS_ESCALATED:
        return to == v1::WORK_ITEM_STATUS_COORDINATING || to == v1::WORK_ITEM_STATUS_RESOLVED;
      default:
        return false;
    }
  };
  for (S from : all) {
    for (S to : all) {
      SCOPED_TRACE(absl::StrCat(from, " -> ", to));
      absl::Status s = CheckWorkItemTransition(from, to, "已协调");
      if (legal(from, to)) {
        EXPECT_TRUE(s.ok()) << s;
      } else {
        EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
        EXPECT_TRUE(absl::StartsWith(s.message(), "to_status: ")) << s;
      }
    }
  }
  absl::Status s =
      CheckWorkItemTransition(v1::WORK_ITEM_STATUS_COORDINATING, v1::WORK_ITEM_STATUS_OPEN, "");
  EXPECT_EQ(s.message(),
            "to_status: from COORDINATING an item moves to RESOLVED or ESCALATED, "
            "not OPEN");
  EXPECT_TRUE(absl::StrContains(
      CheckWorkItemTransition(v1::WORK_ITEM_STATUS_RESOLVED, v1::WORK_ITEM_STATUS_OPEN, "")
          .message(),
      "RESOLVED is final"));
}

TEST(IntakeValidation, RequiresANoteToEscalateOrResolve) {
  for (auto to : {v1::WORK_ITEM_STATUS_ESCALATED, v1::WORK_ITEM_STATUS_RESOLVED}) {
    absl::Status s = CheckWorkItemTransition(v1::WORK_ITEM_STATUS_OPEN, to, "");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(s.message(), "note: ")) << s;
  }
  EXPECT_TRUE(
      CheckWorkItemTransition(v1::WORK_ITEM_STATUS_OPEN, v1::WORK_ITEM_STATUS_COORDINATING, "")
          .ok());
  EXPECT_EQ(CheckWorkItemTransition(v1::WORK_ITEM_STATUS_OPEN, v1::WORK_ITEM_STATUS_RESOLVED,
                                    Repeat("注", 501))
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      CheckWorkItemTransition(v1::WORK_ITEM_STATUS_OPEN, v1::WORK_ITEM_STATUS_UNSPECIFIED, "x")
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(IntakeValidation, ListsTheWritableFieldsOfEachUpdate) {
  EXPECT_EQ(ProjectWritableFields(),
            (std::vector<std::string>{
                "display_name", "node", "province_chains", "county", "park", "investor", "source",
                "total_investment_yuan", "fixed_asset_investment_yuan",
                "annual_planned_investment_yuan", "responsible_leader", "responsible_department",
                "provincial_key", "planned_start_date", "external_id"}));
  EXPECT_EQ(WorkItemWritableFields(),
            (std::vector<std::string>{"title", "description", "owner_department", "deadline"}));
  // Every listed field exists on the message (ApplyUpdateMask relies on it).
  for (const auto& f : ProjectWritableFields()) {
    EXPECT_NE(v1::Project::descriptor()->FindFieldByName(f), nullptr) << f;
  }
  for (const auto& f : WorkItemWritableFields()) {
    EXPECT_NE(v1::WorkItem::descriptor()->FindFieldByName(f), nullptr) << f;
  }
}

}  // namespace
}  // namespace chainhub::intake
