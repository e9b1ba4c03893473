// chainctl's support files: assignments, firm plans, policies with their items, chain entries with
// their chain and chain plans read into the proto's messages (short names completed, output-only
// fields ignored, bad input refused naming the entry and the field); the changes an apply sends;
// the shipped calendar and deadline rules as PutCalendar and PutDeadlineRules take them; and a
// CSV cut into pieces of whole rows that put together are the file.
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/chainctl/support_files.h"

namespace chainhub::chainctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kCode[] = "91341100MA2NXXXX0X";

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/" + relative, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

constexpr char kAssignments[] = R"(assignments:
  - enterprise: 91341100MA2NXXXX0X
    leader: {department: kjj, person: 王强, title: 副市长}
    officers:
      - {department: departments/jxj, person: 李娜, title: 服务专员}
    start_date: "2026-05-10"
    cadence: MONTHLY
    visit_overdue: true
    etag: "ignored"
)";

TEST(ChainctlSupportFiles, AnAssignmentsFileCompletesNamesAndIgnoresOutputOnlyFields) {
  auto file = ParseAssignmentsFile(kAssignments);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->size(), 1u);
  const spv1::Assignment& a = (*file)[0];
  EXPECT_EQ(a.enterprise(), absl::StrCat("enterprises/", kCode));
  EXPECT_EQ(a.leader().department(), "departments/kjj");
  EXPECT_EQ(a.officers(0).department(), "departments/jxj");
  EXPECT_FALSE(a.visit_overdue());
  EXPECT_TRUE(a.etag().empty());
  EXPECT_EQ(AssignmentKey(a), absl::StrCat("enterprises/", kCode, "@2026-05-10"));
}

TEST(ChainctlSupportFiles, AnAssignmentsFileNamesTheEntryAndFieldOfAnError) {
  auto missing = ParseAssignmentsFile("- enterprise: x\n  cadence: MONTHLY\n");
  EXPECT_THAT(std::string(missing.status().message()),
              HasSubstr("assignments[0].start_date: required"));
  auto bad_enum =
      ParseAssignmentsFile("- enterprise: x\n  start_date: \"2026-01-01\"\n  cadence: WEEKLY\n");
  EXPECT_THAT(std::string(bad_enum.status().message()), HasSubstr("line 3"));
  EXPECT_THAT(std::string(bad_enum.status().message()), HasSubstr("assignments[0].cadence"));
  auto twice = ParseAssignmentsFile(
      "- {enterprise: x, start_date: \"2026-01-01\"}\n- {enterprise: x, start_date: "
      "\"2026-01-01\"}\n");
  EXPECT_THAT(std::string(twice.status().message()),
              HasSubstr("assignments[1]: the same enterprise and start_date as assignments[0]"));
}

TEST(ChainctlSupportFiles, AnAssignmentChangesOnlyInTheFieldsThatDiffer) {
  spv1::Assignment stored = (*ParseAssignmentsFile(kAssignments))[0];
  stored.set_name("assignments/a1");
  stored.set_etag("e1");
  stored.set_visit_overdue(true);
  spv1::Assignment wanted = (*ParseAssignmentsFile(kAssignments))[0];
  EXPECT_THAT(AssignmentChanges(wanted, stored), IsEmpty());
  wanted.mutable_officers(0)->set_person("赵敏");
  wanted.set_end_date("2026-12-31");
  EXPECT_THAT(AssignmentChanges(wanted, stored), ElementsAre("officers", "end_date"));
  // A cadence the file leaves out is no change.
  wanted = (*ParseAssignmentsFile(kAssignments))[0];
  wanted.clear_cadence();
  EXPECT_THAT(AssignmentChanges(wanted, stored), IsEmpty());
}

TEST(ChainctlSupportFiles, AFirmPlansFileIgnoresReviewsAndKeysOnEnterpriseAndTitle) {
  auto file = ParseFirmPlansFile(R"(firm_plans:
  - enterprise: 91341100MA2NXXXX0X
    title: 上市培育计划
    goals: [{year: 2026, output_yuan: 500000000, listing: TUTORING}]
    measures: [{title: 争取上市奖补, department: jrb, status: PLANNED}]
    reviews: [{review_date: "2026-01-01", summary: x, rating: 3}]
)");
  ASSERT_TRUE(file.ok()) << file.status();
  const spv1::FirmPlan& p = (*file)[0];
  EXPECT_EQ(p.measures(0).department(), "departments/jrb");
  EXPECT_EQ(p.reviews_size(), 0);
  EXPECT_EQ(FirmPlanKey(p), absl::StrCat("enterprises/", kCode, "|上市培育计划"));
  spv1::FirmPlan stored = p;
  stored.mutable_goals(0)->set_output_yuan(600000000);
  EXPECT_THAT(FirmPlanChanges(p, stored), ElementsAre("goals"));
}

constexpr char kPolicies[] = R"(policies:
  - title: 滁州市支持光伏产业高质量发展若干政策
    document_number: 滁政〔2026〕12号
    department: jxj
    issue_date: "2026-03-01"
    chains: [pv, chains/nev-battery]
    items:
      - name: pv-specialized
        title: 专精特新企业一次性奖励
        eligibility: 'label = "SPECIALIZED"'
        base_amount_yuan: 500000
        bonuses: [{when: 'annual_output_yuan >= 100000000', amount_yuan: 100000}]
        department: jxj
        lane: AUTOMATIC
      - name: policies/old-id/items/pv-giant
        title: 小巨人奖励
        eligibility: 'label = "SPECIALIZED"'
        department: jxj
        lane: FAST
        time_limit_working_days: 20
  - title: 无文号政策
    department: departments/kjj
    issue_date: "2026-04-01"
)";

TEST(ChainctlSupportFiles, APoliciesFileCarriesEachPolicysItems) {
  auto file = ParsePoliciesFile(kPolicies);
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->size(), 2u);
  const PolicyEntry& pv = (*file)[0];
  EXPECT_EQ(pv.policy.department(), "departments/jxj");
  EXPECT_THAT(pv.policy.chains(), ElementsAre("chains/pv", "chains/nev-battery"));
  EXPECT_EQ(PolicyKey(pv.policy), "number:滁政〔2026〕12号");
  EXPECT_EQ(PolicyKey((*file)[1].policy), "title:无文号政策");
  ASSERT_EQ(pv.items.size(), 2u);
  EXPECT_EQ(pv.items[0].bonuses(0).amount_yuan(), 100000);
  EXPECT_EQ(pv.items[1].lane(), spv1::FAST);
  const std::vector<spv1::PolicyItem> named = ItemsUnder(pv, "policies/p1");
  EXPECT_EQ(named[0].name(), "policies/p1/items/pv-specialized");
  EXPECT_EQ(named[1].name(), "policies/p1/items/pv-giant");
  EXPECT_TRUE((*file)[1].items.empty());
}

TEST(ChainctlSupportFiles, APoliciesFileRefusesAnUnknownKeyAndARepeatedItem) {
  auto unknown = ParsePoliciesFile("- title: t\n  department: jxj\n  itmes: []\n");
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("unknown key 'itmes'"));
  auto twice = ParsePoliciesFile(
      "- title: t\n  department: jxj\n  items: [{name: a, title: x}, {name: a, title: y}]\n");
  EXPECT_THAT(std::string(twice.status().message()),
              HasSubstr("policies[0].items[1].name: 'a' is also policies[0].items[0]'s"));
  auto no_department = ParsePoliciesFile("- title: t\n");
  EXPECT_THAT(std::string(no_department.status().message()),
              HasSubstr("policies[0].department: required"));
}

TEST(ChainctlSupportFiles, AnItemChangesInTheUpdatableFieldsThatDiffer) {
  auto file = ParsePoliciesFile(kPolicies);
  ASSERT_TRUE(file.ok());
  spv1::PolicyItem stored = ItemsUnder((*file)[0], "policies/p1")[0];
  stored.set_etag("e");
  stored.add_chains("chains/pv");
  spv1::PolicyItem wanted = ItemsUnder((*file)[0], "policies/p1")[0];
  EXPECT_THAT(PolicyItemChanges(wanted, stored), IsEmpty());
  wanted.set_base_amount_yuan(600000);
  wanted.set_close_date("2026-12-31");
  EXPECT_THAT(PolicyItemChanges(wanted, stored), ElementsAre("base_amount_yuan", "close_date"));
}

TEST(ChainctlSupportFiles, AnEntriesFileTakesEachEntrysChainOrTheDefault) {
  constexpr char kEntries[] = R"(
- chain: pv
  kind: TALENT_DEMAND
  title: 工艺工程师
  owner: rsj
  talent: {post: 工艺工程师, headcount: 3}
- parent: chains/semiconductor
  kind: FINANCE_PARTNER
  title: 金融链主
  owner: 91341100MA2NXXXX0X
  finance: {institution: 某银行}
- kind: PURCHASE_OPPORTUNITY
  title: 采购光伏玻璃
  opportunity: {product: 光伏玻璃}
)";
  auto file = ParseEntriesFile(kEntries, "pv");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->size(), 3u);
  EXPECT_EQ((*file)[0].parent, "chains/pv");
  EXPECT_EQ((*file)[0].entry.owner(), "departments/rsj");
  EXPECT_EQ((*file)[1].parent, "chains/semiconductor");
  EXPECT_EQ((*file)[1].entry.owner(), absl::StrCat("enterprises/", kCode));
  EXPECT_EQ((*file)[1].entry.finance().institution(), "某银行");
  EXPECT_EQ((*file)[2].parent, "chains/pv");
  EXPECT_EQ(EntryKey("chains/pv", (*file)[0].entry), "chains/pv|TALENT_DEMAND|工艺工程师");

  auto no_chain = ParseEntriesFile(kEntries, "");
  EXPECT_THAT(std::string(no_chain.status().message()), HasSubstr("entries[2].chain: required"));
  auto two_details = ParseEntriesFile(
      "- {chain: pv, kind: TALENT_DEMAND, title: t, talent: {post: p}, finance: {institution: "
      "b}}\n",
      "");
  EXPECT_THAT(std::string(two_details.status().message()),
              HasSubstr("sets both talent and finance"));
}

TEST(ChainctlSupportFiles, AnEntryChangesItsDetailAsOnePath) {
  auto file =
      ParseEntriesFile("- {chain: pv, kind: TALENT_DEMAND, title: t, talent: {post: p}}\n", "");
  ASSERT_TRUE(file.ok());
  spv1::ChainEntry stored = (*file)[0].entry;
  stored.set_status(spv1::ENTRY_OPEN);
  spv1::ChainEntry wanted = (*file)[0].entry;
  EXPECT_THAT(EntryChanges(wanted, stored), IsEmpty());  // the status left out
  wanted.mutable_talent()->set_headcount(5);
  wanted.set_contact("0550-1234567");
  EXPECT_THAT(EntryChanges(wanted, stored), ElementsAre("contact", "detail"));
}

TEST(ChainctlSupportFiles, APlanFileCompletesIndicatorsAndDepartmentsAndKeysOnKindYearTitle) {
  auto plan = ParsePlanFile(R"(kind: THREE_YEAR_ACTION
title: 三年行动方案
start_year: 2026
end_year: 2028
version: 7
targets: [{indicator: output, year: 2026, value: 1000}]
tasks: [{number: "1", title: t, lead_department: jxj, partner_departments: [fgw],
         deadline: "2026-12-31", work_item: tasks/x}]
)");
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->version(), 0);
  EXPECT_EQ(plan->targets(0).indicator(), "indicators/output");
  EXPECT_EQ(plan->tasks(0).lead_department(), "departments/jxj");
  EXPECT_EQ(plan->tasks(0).partner_departments(0), "departments/fgw");
  EXPECT_TRUE(plan->tasks(0).work_item().empty());
  EXPECT_EQ(PlanKey(*plan), "THREE_YEAR_ACTION|2026|三年行动方案");

  spv1::ChainPlan stored = *plan;
  stored.mutable_tasks(0)->set_work_item("tasks/9");  // the service's, not a change
  EXPECT_THAT(PlanChanges(*plan, stored), IsEmpty());
  stored.mutable_targets(0)->set_value(900);
  EXPECT_THAT(PlanChanges(*plan, stored), ElementsAre("targets"));

  EXPECT_THAT(std::string(ParsePlanFile("title: t\nstart_year: 2026\n").status().message()),
              HasSubstr("kind: required"));
}

TEST(ChainctlSupportFiles, TheShippedCalendarIsSortedAndNamedAsPutCalendarTakesIt) {
  auto calendar = CalendarFromCsv(ReadData("data/support/calendar-cn.csv"));
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->name(), "calendars/cn");
  ASSERT_GT(calendar->days_size(), 10);
  for (int i = 1; i < calendar->days_size(); ++i) {
    EXPECT_LT(calendar->days(i - 1).date(), calendar->days(i).date());
  }
  EXPECT_EQ(calendar->days(0).date(), "2025-01-01");
  EXPECT_FALSE(calendar->days(0).working());
  EXPECT_EQ(calendar->days(0).name(), "元旦");
  EXPECT_TRUE(SameDays(*calendar, *calendar));
  spv1::Calendar fewer = *calendar;
  fewer.mutable_days()->RemoveLast();
  EXPECT_FALSE(SameDays(*calendar, fewer));

  auto bad = CalendarFromCsv("date,kind,name\n2026-10-01,rest,国庆节\n");
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("line 2"));
}

TEST(ChainctlSupportFiles, TheShippedDeadlineRulesAreReadAsPutDeadlineRulesTakesThem) {
  auto rules = DeadlineRulesFromYaml(ReadData("data/support/deadline-rules.yaml"));
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->name(), "deadlineRules");
  ASSERT_EQ(rules->rules_size(), 3);
  EXPECT_EQ(rules->rules(0).name(), "urgent");
  EXPECT_EQ(rules->rules(0).urgency(), spv1::DeadlineRule::URGENT);
  EXPECT_EQ(rules->rules(0).contact(), "2h");
  EXPECT_EQ(rules->rules(1).tier(), spv1::COUNTY);
  EXPECT_EQ(rules->rules(2).close(), "5wd");
  EXPECT_TRUE(SameRules(*rules, *rules));
}

TEST(ChainctlSupportFiles, TheSampleFilesOfDataSupportRead) {
  auto assignments = ParseAssignmentsFile(ReadData("data/support/assignments.yaml"));
  ASSERT_TRUE(assignments.ok()) << assignments.status();
  EXPECT_GE(assignments->size(), 3u);
  auto entries = ParseEntriesFile(ReadData("data/support/chain-entries.yaml"), "pv");
  ASSERT_TRUE(entries.ok()) << entries.status();
  EXPECT_GE(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].parent, "chains/pv");
  auto plan = ParsePlanFile(ReadData("data/support/pv-action-plan.yaml"));
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->kind(), spv1::THREE_YEAR_ACTION);
  EXPECT_GT(plan->tasks_size(), 0);
}

TEST(ChainctlSupportFiles, CsvPiecesAreWholeRowsThatMakeTheFileAgain) {
  const std::string csv = "a,b\r\n1,\"two\nlines\"\r\n3,4\n\n5,\"six, \"\"quoted\"\"\"\n7,8";
  for (size_t max : {1u, 5u, 12u, 1000u}) {
    const std::vector<std::string> pieces = CsvPieces(csv, max);
    EXPECT_EQ(absl::StrJoin(pieces, ""), csv) << max;
    for (const std::string& p : pieces) {
      // No piece ends inside the quoted line break.
      EXPECT_FALSE(absl::EndsWith(p, "\"two\n")) << max;
    }
  }
  EXPECT_THAT(CsvPieces(csv, 1), ElementsAre("a,b\r\n", "1,\"two\nlines\"\r\n", "3,4\n", "\n",
                                             "5,\"six, \"\"quoted\"\"\"\n", "7,8"));
  EXPECT_THAT(CsvPieces(csv, 1000), ElementsAre(csv));
  EXPECT_THAT(CsvPieces("", 10), IsEmpty());
}

}  // namespace
}  // namespace chainhub::chainctl
