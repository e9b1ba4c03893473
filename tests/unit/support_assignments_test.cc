// 包保 and 一企一策 rules: when a visit is due, and what an assignment, a visit and a firm plan may
// hold.
#include <gtest/gtest.h>

#include "services/support/assignments.h"

namespace chainhub::support {
namespace {

TEST(SupportVisitDue, AMonthlyAssignmentIsDueByTheEndOfItsFirstMonthBeforeAnyVisit) {
  EXPECT_EQ(NextVisitDue(v1::MONTHLY, "2026-06-10", ""), "2026-06-30");
  EXPECT_EQ(NextVisitDue(v1::MONTHLY, "2026-02-01", ""), "2026-02-28");
}

TEST(SupportVisitDue, AVisitMovesTheDueDateToTheEndOfTheNextMonth) {
  EXPECT_EQ(NextVisitDue(v1::MONTHLY, "2026-06-10", "2026-06-20"), "2026-07-31");
  EXPECT_EQ(NextVisitDue(v1::MONTHLY, "2026-06-10", "2026-12-05"), "2027-01-31");
}

TEST(SupportVisitDue, AQuarterlyAssignmentCountsInCalendarQuarters) {
  EXPECT_EQ(NextVisitDue(v1::QUARTERLY, "2026-05-10", ""), "2026-06-30");
  EXPECT_EQ(NextVisitDue(v1::QUARTERLY, "2026-05-10", "2026-05-20"), "2026-09-30");
  EXPECT_EQ(NextVisitDue(v1::QUARTERLY, "2026-05-10", "2026-11-02"), "2027-03-31");
}

v1::Assignment ValidAssignment() {
  v1::Assignment a;
  a.mutable_leader()->set_department("departments/fgw");
  a.mutable_leader()->set_person("王强");
  a.mutable_leader()->set_title("副市长");
  v1::Official* o = a.add_officers();
  o->set_department("departments/jxj");
  o->set_person("李娜");
  a.set_start_date("2026-01-01");
  a.set_cadence(v1::MONTHLY);
  return a;
}

std::vector<std::string> Fields(const std::vector<FieldViolation>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(x.field);
  return out;
}

TEST(SupportAssignmentRules, AValidAssignmentHasNoViolations) {
  std::vector<FieldViolation> v;
  CheckAssignment(ValidAssignment(), "assignment", &v);
  EXPECT_TRUE(v.empty()) << v.front().field << ": " << v.front().rule;
}

TEST(SupportAssignmentRules, EachBadFieldIsNamed) {
  v1::Assignment a = ValidAssignment();
  a.mutable_leader()->set_department("fgw");
  a.mutable_officers(0)->set_person("");
  a.set_end_date("2025-12-31");
  a.set_cadence(v1::CADENCE_UNSPECIFIED);
  std::vector<FieldViolation> v;
  CheckAssignment(a, "assignment", &v);
  EXPECT_EQ(Fields(v),
            (std::vector<std::string>{"assignment.leader.department",
                                      "assignment.officers[0].person", "assignment.end_date",
                                      "assignment.cadence"}));
}

TEST(SupportAssignmentRules, AnAssignmentNeedsAnOfficer) {
  v1::Assignment a = ValidAssignment();
  a.clear_officers();
  std::vector<FieldViolation> v;
  CheckAssignment(a, "assignment", &v);
  EXPECT_EQ(Fields(v), std::vector<std::string>{"assignment.officers"});
}

TEST(SupportAssignmentRules, TheDepartmentsAreTheLeadersAndTheOfficersEachOnce) {
  v1::Assignment a = ValidAssignment();
  *a.add_officers() = a.leader();
  EXPECT_EQ(AssignmentDepartments(a),
            (std::vector<std::string>{"departments/fgw", "departments/jxj"}));
}

TEST(SupportVisitRules, AVisitMayNotBeInTheFutureNorBeforeTheAssignment) {
  v1::Visit visit;
  visit.set_visit_date("2026-06-16");
  *visit.add_visitors() = ValidAssignment().leader();
  visit.set_summary("了解二期扩产用地需求。");
  std::vector<FieldViolation> v;
  CheckVisit(visit, "2026-01-01", "2026-06-15", "visit", &v);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"visit.visit_date"});
  EXPECT_NE(v[0].rule.find("after today"), std::string::npos);
  v.clear();
  visit.set_visit_date("2025-12-31");
  CheckVisit(visit, "2026-01-01", "2026-06-15", "visit", &v);
  ASSERT_EQ(Fields(v), std::vector<std::string>{"visit.visit_date"});
  EXPECT_NE(v[0].rule.find("start"), std::string::npos);
}

TEST(SupportFirmPlanRules, GoalsAreOnePerYearAndAMeasureRestsOnOneThing) {
  v1::FirmPlan plan;
  plan.set_title("某光伏玻璃企业一企一策");
  plan.add_goals()->set_year(2026);
  plan.add_goals()->set_year(2026);
  v1::SupportMeasure* m = plan.add_measures();
  m->set_title("协调二期用地");
  m->set_department("departments/zrzyj");
  m->set_policy_item("policies/p1/items/land");
  m->set_factor_request("requests/r1");
  std::vector<FieldViolation> v;
  CheckFirmPlan(plan, "firm_plan", &v);
  EXPECT_EQ(Fields(v),
            (std::vector<std::string>{"firm_plan.goals[1].year", "firm_plan.measures[0]"}));
}

}  // namespace
}  // namespace chainhub::support
