// chainctl's support commands against the real support service (SupportFixture: real redis, SQLite,
// the service in this process on a ManualClock at 2026-06-15 10:00 China time): assignments
// applied twice create nothing the second time and a changed file updates; visits logged with two
// visitors; a request created, moved through its states and counted in the figures; supplier spend
// imported (twice: nothing new) and its 本地配套率; a chain plan applied, changed (a new version),
// reported and its progress; the calendar and deadline rules put from the shipped files; a policy
// with items applied, matched and paid out; chain entries applied twice; the figures workbook
// exported to a file. The verbs run in this process (as chainctl's main runs them); one test runs
// the chainctl binary itself, to cover the flags main.cc parses.
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "tests/support/process.h"
#include "tests/support/subprocess.h"
#include "tests/support/support_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/workbook_reader.h"
#include "tools/chainctl/commands.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace reg = registry::v1;

using ::testing::HasSubstr;
using ::testing::Not;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class ChainctlSupportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    owner_ = f_.MakeEnterprise(1, "滁州某光伏组件有限公司", {"chains/pv/nodes/modules"},
                               {reg::ENTERPRISE_LABEL_CHAIN_OWNER}, 3'000'000'000, "2015-03-01");
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(owner_));
    small_ = f_.MakeEnterprise(2, "滁州某光伏胶膜有限公司", {"chains/pv/nodes/film"},
                               {reg::ENTERPRISE_LABEL_SPECIALIZED}, 80'000'000, "2019-05-01");
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(small_));
  }
  void TearDown() override { f_.TearDown(); }

  // chainctl ARGS as admin (or `token`), against the fixture's support service and clock.
  Outcome Chainctl(std::vector<std::string> args, chainctl::CommandLine cmd = {},
                   const std::string& token = "") {
    cmd.support_target = f_.target();
    cmd.clock = &f_.clock();
    cmd.client.token = token.empty() ? MintTestToken("systems/test-admin", {"admin"}) : token;
    std::ostringstream out, err;
    const int code = chainctl::Commands().Run(cmd, args, out, err);
    return {code, out.str(), err.str()};
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // The resource name the table or key-value output printed on the line starting with `key`
  // (its last word).
  static std::string LastWordOf(const std::string& out, const std::string& prefix) {
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind(prefix, 0) == 0) return line.substr(line.rfind(' ') + 1);
    }
    return "";
  }

  std::string AssignmentsYaml(const std::string& officer) {
    return absl::StrCat(
        "assignments:\n"
        "  - enterprise: ",
        owner_.credit_code(),
        "\n"
        "    leader: {department: kjj, person: 王强, title: 副市长}\n"
        "    officers:\n"
        "      - {department: jxj, person: ",
        officer,
        ", title: 服务专员}\n"
        "    start_date: \"2026-05-10\"\n"
        "    cadence: MONTHLY\n");
  }

  SupportFixture f_;
  TempDir dir_;
  reg::Enterprise owner_;
  reg::Enterprise small_;
};

TEST_F(ChainctlSupportTest, AssignmentsApplyTwiceCreatesNothingTheSecondTimeAndUpdatesAChange) {
  const std::string path = Write("assignments.yaml", AssignmentsYaml("李娜"));
  Outcome o = Chainctl({"assignments", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("created   assignments/"));
  EXPECT_THAT(o.out, HasSubstr("1 assignments, 1 created, 0 updated, 0 unchanged, 0 failed"));

  o = Chainctl({"assignments", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("unchanged assignments/"));
  EXPECT_THAT(o.out, HasSubstr("1 assignments, 0 created, 0 updated, 1 unchanged, 0 failed"));
  v1::ListAssignmentsResponse all;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &all).ok());
  ASSERT_EQ(all.assignments_size(), 1);

  // Another officer in the file: the same assignment, updated.
  o = Chainctl({"assignments", "apply", Write("changed.yaml", AssignmentsYaml("赵敏"))});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("(officers)"));
  EXPECT_THAT(o.out, HasSubstr("0 created, 1 updated"));
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &all).ok());
  ASSERT_EQ(all.assignments_size(), 1);  // still one
  EXPECT_EQ(all.assignments(all.assignments_size() - 1).officers(0).person(), "赵敏");

  // Today is 2026-06-15 and May had no visit: --overdue lists it.
  chainctl::CommandLine overdue;
  overdue.overdue = true;
  o = Chainctl({"assignments", "list"}, overdue);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("滁州某光伏组件有限公司"));
  EXPECT_THAT(o.out, HasSubstr("2026-05-31 逾期"));
}

TEST_F(ChainctlSupportTest, AnAssignmentsFileWithoutAStartDateIsRefusedBeforeAnythingIsSent) {
  Outcome o = Chainctl({"assignments", "apply",
                        Write("bad.yaml", absl::StrCat("- enterprise: ", owner_.credit_code(),
                                                       "\n  cadence: MONTHLY\n"))});
  EXPECT_EQ(o.code, chainctl::kExitUsage);
  EXPECT_THAT(o.err, HasSubstr("assignments[0].start_date: required"));
  v1::ListAssignmentsResponse all;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &all).ok());
  EXPECT_EQ(all.assignments_size(), 0);
}

TEST_F(ChainctlSupportTest, VisitsLogRecordsOneVisitWithEveryVisitorAndARetryAddsNone) {
  ASSERT_EQ(Chainctl({"assignments", "apply", Write("a.yaml", AssignmentsYaml("李娜"))}).code, 0);
  v1::ListAssignmentsResponse all;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &all).ok());
  const std::string assignment = all.assignments(0).name();

  chainctl::CommandLine visit;
  visit.date = "2026-06-12";
  visit.summary = "了解二期扩产进度，企业反映电力增容诉求。";
  visit.visitors = {"jxj:李娜:服务专员", "departments/kjj:王强"};
  Outcome o = Chainctl({"visits", "log", assignment}, visit);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("李娜（服务专员，departments/jxj）"));
  EXPECT_THAT(o.out, HasSubstr("王强（departments/kjj）"));
  ASSERT_EQ(Chainctl({"visits", "log", assignment}, visit).code, 0);

  o = Chainctl({"assignments", "show", assignment});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("走访记录 visits（1）"));
  EXPECT_THAT(o.out, HasSubstr("2026-06-12"));
  EXPECT_THAT(o.out, HasSubstr("上次走访  2026-06-12"));

  // A visitor without a person is refused before anything is sent.
  visit.visitors = {"jxj"};
  o = Chainctl({"visits", "log", assignment}, visit);
  EXPECT_EQ(o.code, chainctl::kExitUsage);
  EXPECT_THAT(o.err, HasSubstr("--visitor: must be DEPT:PERSON[:TITLE]"));
}

TEST_F(ChainctlSupportTest, ARequestIsCreatedMovedToItsEndAndCountedInTheFigures) {
  chainctl::CommandLine create;
  create.enterprise = owner_.credit_code();
  create.title = "二期项目电力增容";
  create.channel = "hotline";
  create.tier = "city";
  create.assignee = "fgw";
  create.tags = "用电;审批";
  Outcome o = Chainctl({"requests", "create"}, create);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("交办"));
  EXPECT_THAT(o.out, HasSubstr("热线"));
  // Accepted Monday 2026-06-15 10:00: the default rule closes by the end of the 5th working day
  // after: 06-23, 06-19 being 端午节.
  EXPECT_THAT(o.out, HasSubstr("办结时限"));
  EXPECT_THAT(o.out, HasSubstr("2026-06-23 24:00"));
  const std::string name = LastWordOf(o.out, "名称");
  ASSERT_THAT(name, ::testing::StartsWith("requests/"));
  // The same command again is a retry.
  ASSERT_EQ(Chainctl({"requests", "create"}, create).code, 0);
  v1::ListRequestsResponse listed;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListRequests, v1::ListRequestsRequest(), &listed).ok());
  EXPECT_EQ(listed.requests_size(), 1);

  chainctl::CommandLine handling;
  handling.to = "办理";
  ASSERT_EQ(Chainctl({"requests", "move", name}, handling).code, 0);
  chainctl::CommandLine close;
  close.to = "closed";
  EXPECT_EQ(Chainctl({"requests", "move", name}, close).code, chainctl::kExitUsage);  // no note
  close.note = "已协调供电公司完成增容";
  ASSERT_EQ(Chainctl({"requests", "move", name}, close).code, 0);
  chainctl::CommandLine revisit;
  revisit.to = "revisited";
  revisit.satisfaction = 5;
  o = Chainctl({"requests", "move", name}, revisit);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("满意度"));
  EXPECT_THAT(o.out, HasSubstr("办理记录 history"));
  EXPECT_THAT(o.out, HasSubstr("已协调供电公司完成增容"));

  chainctl::CommandLine figures;
  figures.period = "2026-06";
  figures.by = "department";
  o = Chainctl({"requests", "figures"}, figures);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("departments/fgw"));
  // One received, closed on time and satisfied: each of the three rates is 100.0%.
  const std::string row = o.out.substr(o.out.find("departments/fgw"));
  int full = 0;
  for (size_t at = row.find("100.0%"); at != std::string::npos; at = row.find("100.0%", at + 1)) {
    ++full;
  }
  EXPECT_EQ(full, 3) << o.out;

  chainctl::CommandLine bad;
  bad.period = "2026-06";
  bad.by = "county";
  EXPECT_EQ(Chainctl({"requests", "figures"}, bad).code, chainctl::kExitUsage);
}

TEST_F(ChainctlSupportTest, ARequestsImportStoresEveryRowOrNone) {
  const std::string good = Write(
      "requests.csv", absl::StrCat("external_id,enterprise,title,channel,tier,tags\n"
                                   "RX-1,",
                                   owner_.credit_code(), ",用地指标,HOTLINE,CITY,用地\n", "RX-2,",
                                   small_.credit_code(), ",\"融资, 贷款\",letter,county,融资\n"));
  Outcome o = Chainctl({"requests", "import", good});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("2 rows, 2 created, 0 unchanged"));
  o = Chainctl({"requests", "import", good});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("0 created, 2 unchanged"));

  const std::string bad =
      Write("bad.csv", absl::StrCat("external_id,enterprise,title,channel,tier\n"
                                    "RX-3,",
                                    owner_.credit_code(),
                                    ",新诉求,HOTLINE,CITY\n"
                                    "RX-4,",
                                    owner_.credit_code(), ",坏行,FAX,CITY\n"));
  o = Chainctl({"requests", "import", bad});
  EXPECT_EQ(o.code, chainctl::kExitPartialFailure) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("nothing stored"));
  EXPECT_THAT(o.out, HasSubstr("line 3: channel"));
  v1::ListRequestsResponse listed;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListRequests, v1::ListRequestsRequest(), &listed).ok());
  EXPECT_EQ(listed.requests_size(), 2);
}

TEST_F(ChainctlSupportTest, SpendImportedTwiceStoresItOnceAndTheLocalRateIsItsLocalShare) {
  // 600万 from a supplier in 来安县 (in the city), 400万 from one in 苏州: 60.0% in the city.
  const std::string csv = absl::StrCat(
      "chain,reporter,period,supplier_credit_code,supplier_name,supplier_division,amount_yuan\n"
      "pv,",
      owner_.credit_code(), ",2026-Q2,", TestCreditCode("341122", 101), ",来安某胶膜厂,,6000000\n",
      "pv,", owner_.credit_code(), ",2026-Q2,", TestCreditCode("320500", 102),
      ",苏州某玻璃厂,,4000000\n");
  const std::string path = Write("spend.csv", csv);
  Outcome o = Chainctl({"spend", "import", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("2 rows, 2 created, 0 unchanged"));
  o = Chainctl({"spend", "import", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("0 created, 2 unchanged"));

  chainctl::CommandLine list;
  list.chain = "pv";
  o = Chainctl({"spend", "list"}, list);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("1000万"));

  chainctl::CommandLine rate;
  rate.chain = "pv";
  rate.period = "2026-Q2";
  o = Chainctl({"spend", "rate"}, rate);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("本地配套率（市内）：60.0%"));
  EXPECT_THAT(o.out, HasSubstr("本地 600万 / 采购 1000万"));
  // In the region (长三角) both are local.
  rate.scope = "region";
  o = Chainctl({"spend", "rate"}, rate);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("100.0%"));
  rate.scope = "world";
  EXPECT_EQ(Chainctl({"spend", "rate"}, rate).code, chainctl::kExitUsage);
  // --chain is required to list.
  EXPECT_EQ(Chainctl({"spend", "list"}).code, chainctl::kExitUsage);
}

constexpr char kPlan[] = R"(kind: THREE_YEAR_ACTION
title: 光伏产业链三年行动方案（2026-2028）
start_year: 2026
end_year: 2028
targets:
  - {indicator: output, year: 2026, value: 1000}
  - {indicator: indicators/chain_owner_firms, year: 2026, value: 4}
tasks:
  - number: "1"
    title: 引进组件龙头企业
    lead_department: jxj
    deadline: "2026-12-31"
  - number: "2"
    title: 建设光伏玻璃配套园
    lead_department: fgw
    partner_departments: [zrzyj]
    deadline: "2027-06-30"
)";

TEST_F(ChainctlSupportTest, APlanIsAppliedOnceChangedIntoANewVersionReportedAndItsProgressShown) {
  chainctl::CommandLine on_pv;
  on_pv.chain = "pv";
  const std::string path = Write("plan.yaml", kPlan);
  Outcome o = Chainctl({"plans", "apply", path}, on_pv);
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("created   chains/pv/plans/"));
  EXPECT_THAT(o.out, HasSubstr(" v1"));
  const std::string plan = LastWordOf(absl::StrReplaceAll(o.out, {{" v1", ""}}), "created");
  o = Chainctl({"plans", "apply", path}, on_pv);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("unchanged " + plan + " v1"));
  // A higher output target: the same plan, version 2.
  o = Chainctl({"plans", "apply",
                Write("plan2.yaml", absl::StrReplaceAll(kPlan, {{"value: 1000", "value: 1200"}}))},
               on_pv);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("updated   " + plan + " v1 → v2 (targets)"));
  o = Chainctl({"plans", "show", plan + "@1"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("1000"));
  EXPECT_THAT(o.out, Not(HasSubstr("1200")));
  // --chain is required.
  EXPECT_EQ(Chainctl({"plans", "apply", path}).code, chainctl::kExitUsage);

  chainctl::CommandLine report;
  report.period = "2026-05";
  report.actuals = {"output=600", "indicators/chain_owner_firms=2"};
  report.tasks = {"1:50", "2:100:done"};
  o = Chainctl({"plans", "report", plan}, report);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("indicators/output"));
  EXPECT_THAT(o.out, HasSubstr("已完成"));

  chainctl::CommandLine progress;
  progress.as_of = "2026-06-30";
  o = Chainctl({"plans", "progress", plan}, progress);
  ASSERT_EQ(o.code, 0) << o.err;
  // 600 of 1200 is 50.0%; half the year gone.
  EXPECT_THAT(o.out, HasSubstr("50.0%"));
  EXPECT_THAT(o.out, HasSubstr("截至 2026-06-30"));

  report.tasks = {"1:150"};
  EXPECT_EQ(Chainctl({"plans", "report", plan}, report).code, chainctl::kExitUsage);
}

TEST_F(ChainctlSupportTest, TheShippedCalendarAndDeadlineRulesPutOnceAndThenAreUnchanged) {
  const std::string calendar = std::string(CHAINHUB_SOURCE_DIR) + "/data/support/calendar-cn.csv";
  Outcome o = Chainctl({"calendar", "put", calendar});
  ASSERT_EQ(o.code, 0) << o.err;
  // The service starts with the shipped calendar: the same file changes nothing.
  EXPECT_THAT(o.out, HasSubstr("unchanged calendars/cn"));
  o = Chainctl({"calendar", "show"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("国庆节"));

  const std::string rules = std::string(CHAINHUB_SOURCE_DIR) + "/data/support/deadline-rules.yaml";
  o = Chainctl({"deadline-rules", "put", rules});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("unchanged deadlineRules: 3 rules"));
  // Urgent requests closed in 3 working days instead of 2: put.
  std::ifstream in(rules);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  o = Chainctl({"deadline-rules", "put",
                Write("rules.yaml", absl::StrReplaceAll(text, {{"close: 2wd", "close: 3wd"}}))});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("put deadlineRules: 3 rules"));
  o = Chainctl({"deadline-rules", "show"});
  EXPECT_THAT(o.out, HasSubstr("3wd"));
  // A rule set without a catch-all last rule is refused before it is sent.
  o = Chainctl({"deadline-rules", "put",
                Write("bad.yaml", "rules:\n  - name: urgent\n    urgent: true\n    close: 2wd\n")});
  EXPECT_EQ(o.code, chainctl::kExitUsage);
}

TEST_F(ChainctlSupportTest, APolicyWithItemsIsAppliedMatchedAndPaidOut) {
  const std::string policies = R"(policies:
  - title: 滁州市支持光伏产业高质量发展若干政策
    document_number: 滁政〔2026〕12号
    department: jxj
    issue_date: "2026-03-01"
    chains: [pv]
    items:
      - name: pv-specialized
        title: 专精特新企业一次性奖励
        eligibility: 'chain = "pv" AND label = "SPECIALIZED"'
        base_amount_yuan: 500000
        department: jxj
        lane: AUTOMATIC
        budget_yuan: 5000000
)";
  const std::string path = Write("policies.yaml", policies);
  Outcome o = Chainctl({"policies", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("2 policies and items, 2 created"));
  o = Chainctl({"policies", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("0 created, 0 updated, 2 unchanged"));
  std::string item_name;
  {
    std::istringstream lines(o.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find("/items/") != std::string::npos) item_name = line.substr(line.rfind(' ') + 1);
    }
  }
  ASSERT_THAT(item_name, HasSubstr("/items/pv-specialized"));

  o = Chainctl({"items", "match", item_name});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("滁州某光伏胶膜有限公司"));
  EXPECT_THAT(o.out, HasSubstr("符合条件 1 家"));
  EXPECT_THAT(o.out, HasSubstr("合计 50万"));

  o = Chainctl({"items", "payouts", item_name});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("本次生成 1 笔"));
  EXPECT_THAT(o.out, HasSubstr("合计 1 笔，50万"));

  chainctl::CommandLine year;
  year.year = 2026;
  o = Chainctl({"payouts", "figures"}, year);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("预算"));
  EXPECT_THAT(o.out, HasSubstr("500万"));
}

TEST_F(ChainctlSupportTest, ChainEntriesAppliedTwiceAreCreatedOnce) {
  const std::string entries = R"(entries:
  - chain: pv
    kind: TALENT_DEMAND
    title: 光伏组件工艺工程师
    owner: departments/rsj
    talent: {post: 光伏组件工艺工程师, headcount: 20, shortage_index: 4}
  - parent: chains/pv
    kind: FINANCE_PARTNER
    title: 光伏产业链金融链主
    owner: jrb
    finance: {institution: 中国工商银行滁州分行, lead: true, credit_line_yuan: 5000000000}
)";
  const std::string path = Write("entries.yaml", entries);
  Outcome o = Chainctl({"entries", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("2 entries, 2 created"));
  o = Chainctl({"entries", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("2 entries, 0 created, 0 updated, 2 unchanged"));
  chainctl::CommandLine pv;
  pv.chain = "pv";
  o = Chainctl({"entries", "list"}, pv);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("★★★★"));
  EXPECT_THAT(o.out, HasSubstr("（链主银行）"));

  // A purchase opportunity of the module maker on the film node: the film maker could answer it.
  o = Chainctl({"entries", "apply", "pv",
                Write("purchase.yaml", absl::StrCat("- kind: PURCHASE_OPPORTUNITY\n"
                                                    "  title: 采购封装胶膜\n"
                                                    "  node: chains/pv/nodes/film\n"
                                                    "  owner: ",
                                                    owner_.credit_code(),
                                                    "\n"
                                                    "  opportunity: {product: 封装胶膜}\n"))});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  const std::string purchase = LastWordOf(o.out, "created");
  ASSERT_THAT(purchase, ::testing::StartsWith("chains/pv/entries/"));
  o = Chainctl({"entries", "match", purchase});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("滁州某光伏胶膜有限公司"));
  EXPECT_THAT(o.out, Not(HasSubstr("滁州某光伏组件有限公司")));
}

TEST_F(ChainctlSupportTest, AFirmPlanIsAppliedOnceReviewedAndShown) {
  const std::string path = Write("firm-plans.yaml", absl::StrCat(R"(firm_plans:
  - enterprise: )",
                                                                 small_.credit_code(), R"(
    title: 专精特新“小巨人”培育计划
    goals: [{year: 2026, output_yuan: 120000000, become_above_size: true}]
    measures: [{title: 申报省级专精特新, department: jxj, status: IN_PROGRESS}]
)"));
  Outcome o = Chainctl({"firm-plans", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("1 firm plans, 1 created"));
  o = Chainctl({"firm-plans", "apply", path});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("0 created, 0 updated, 1 unchanged"));
  const std::string plan = LastWordOf(o.out, "unchanged");

  chainctl::CommandLine review;
  review.summary = "升规工作按计划推进";
  review.rating = 4;
  review.reviewer = "jxj:李娜:服务专员";
  o = Chainctl({"firm-plans", "review", plan}, review);
  ASSERT_EQ(o.code, 0) << o.err;
  o = Chainctl({"firm-plans", "show", plan});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("1.2亿"));
  EXPECT_THAT(o.out, HasSubstr("推进中"));
  EXPECT_THAT(o.out, HasSubstr("2026-06-15  李娜（服务专员，departments/jxj）  4/5"));
  o = Chainctl({"firm-plans", "list"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("4/5"));
}

TEST_F(ChainctlSupportTest, AClaimIsAppliedForApprovedAndPaidAndCountedInThePayoutFigures) {
  const std::string policies = R"(- title: 滁州市专精特新企业培育办法
  department: jxj
  issue_date: "2026-03-01"
  items:
    - name: specialized-award
      title: 专精特新奖励
      eligibility: 'label = "SPECIALIZED"'
      base_amount_yuan: 500000
      department: jxj
      lane: FAST
      time_limit_working_days: 5
      budget_yuan: 2000000
)";
  Outcome o = Chainctl({"policies", "apply", Write("p.yaml", policies)});
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  std::string item;
  {
    std::istringstream lines(o.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.find("/items/") != std::string::npos) item = line.substr(line.rfind(' ') + 1);
    }
  }
  ASSERT_THAT(item, HasSubstr("/items/specialized-award"));
  o = Chainctl({"policies", "list"});
  EXPECT_THAT(o.out, HasSubstr("滁州市专精特新企业培育办法"));
  o = Chainctl({"items", "show", item});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("快申快享"));
  EXPECT_THAT(o.out, HasSubstr("5 个工作日"));

  chainctl::CommandLine misses;
  misses.misses = true;
  o = Chainctl({"items", "for", owner_.credit_code()}, misses);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("✗ "));
  EXPECT_THAT(o.out, HasSubstr("符合 0 项"));

  chainctl::CommandLine apply;
  apply.enterprise = small_.credit_code();
  o = Chainctl({"claims", "apply", item}, apply);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("已申请"));
  EXPECT_THAT(o.out, HasSubstr("测算金额  50万"));
  // Five working days from Monday 06-15, 端午节 06-19 not counted.
  EXPECT_THAT(o.out, HasSubstr("决定期限  2026-06-23"));
  const std::string claim = LastWordOf(o.out, "名称");

  chainctl::CommandLine approve;
  approve.approve = true;
  approve.amount = "40万";
  o = Chainctl({"claims", "decide", claim}, approve);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("批准金额  40万"));
  chainctl::CommandLine pay;
  pay.amount = "400000";
  o = Chainctl({"claims", "pay", claim}, pay);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("已兑付"));
  EXPECT_THAT(o.out, HasSubstr("兑付日    2026-06-15"));
  o = Chainctl({"claims", "list", item});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("滁州某光伏胶膜有限公司"));

  chainctl::CommandLine figures;
  figures.year = 2026;
  figures.scope = item;
  o = Chainctl({"payouts", "figures"}, figures);
  ASSERT_EQ(o.code, 0) << o.err;
  // 40万 of a 200万 budget is 20.0%.
  EXPECT_THAT(o.out, HasSubstr("已兑付        40万"));
  EXPECT_THAT(o.out, HasSubstr("兑付进度      20.0%"));
}

TEST_F(ChainctlSupportTest, AnOverdueRequestIsListedEscalatedAndThenRepliedTo) {
  chainctl::CommandLine create;
  create.enterprise = small_.credit_code();
  create.title = "用工招聘难";
  create.channel = "来信";
  create.tier = "县级";
  create.assignee = "departments/rsj";
  Outcome o = Chainctl({"requests", "create"}, create);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string name = LastWordOf(o.out, "名称");

  // A month later nobody has contacted the enterprise: overdue, and escalated.
  f_.clock().Advance(absl::Hours(24 * 30));
  ASSERT_TRUE(f_.service().SweepRequests().ok());
  chainctl::CommandLine overdue;
  overdue.overdue = true;
  o = Chainctl({"requests", "list"}, overdue);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("用工招聘难"));
  EXPECT_THAT(o.out, HasSubstr("逾期"));
  o = Chainctl({"requests", "show", name});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("次督办：联系企业超时"));

  chainctl::CommandLine handling;
  handling.to = "handling";
  ASSERT_EQ(Chainctl({"requests", "move", name}, handling).code, 0);
  EXPECT_EQ(Chainctl({"requests", "reply", name}).code, chainctl::kExitUsage);  // no --note
  chainctl::CommandLine reply;
  reply.note = "已对接人社局招聘会";
  o = Chainctl({"requests", "reply", name}, reply);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("2026-07-15 10:00 完成"));
}

TEST_F(ChainctlSupportTest, AnEndedAssignmentIsShownEndedAndTheAuditTrailListsTheWrites) {
  ASSERT_EQ(Chainctl({"assignments", "apply", Write("a.yaml", AssignmentsYaml("李娜"))}).code, 0);
  v1::ListAssignmentsResponse all;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, v1::ListAssignmentsRequest(), &all).ok());
  const std::string assignment = all.assignments(0).name();
  chainctl::CommandLine end;
  end.date = "2026-06-14";
  Outcome o = Chainctl({"assignments", "end", assignment}, end);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("2026-05-10 – 2026-06-14"));
  EXPECT_THAT(o.out, HasSubstr("已结束"));
  o = Chainctl({"visits", "list"});
  ASSERT_EQ(o.code, 0) << o.err;
  o = Chainctl({"support", "audit"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("CreateAssignment"));
  EXPECT_THAT(o.out, HasSubstr("UpdateAssignment"));
  EXPECT_THAT(o.out, HasSubstr(assignment));
}

TEST_F(ChainctlSupportTest, APlanIsListedShownAndPublishingWithoutPeersSaysWhy) {
  chainctl::CommandLine on_pv;
  on_pv.chain = "pv";
  ASSERT_EQ(Chainctl({"plans", "apply", Write("plan.yaml", kPlan)}, on_pv).code, 0);
  Outcome o = Chainctl({"plans", "list"}, on_pv);
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("三年行动方案"));
  EXPECT_THAT(o.out, HasSubstr("2026-2028"));
  const std::string plan = LastWordOf(o.out, "三年行动方案");
  ASSERT_THAT(plan, ::testing::StartsWith("chains/pv/plans/"));
  o = Chainctl({"plans", "show", plan});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_THAT(o.out, HasSubstr("引进组件龙头企业"));
  EXPECT_THAT(o.out, HasSubstr("departments/zrzyj"));
  // The fixture has no assessment or intake to publish to.
  o = Chainctl({"plans", "publish", plan});
  EXPECT_EQ(o.code, chainctl::kExitRpcError);
  EXPECT_THAT(o.err, HasSubstr("FAILED_PRECONDITION"));
}

TEST_F(ChainctlSupportTest, AnApplyTheServiceRefusesToTheCallerStopsWithItsError) {
  Outcome o = Chainctl({"assignments", "apply", Write("a.yaml", AssignmentsYaml("李娜"))}, {},
                       MintTestToken("systems/test-viewer", {"viewer"}));
  EXPECT_EQ(o.code, chainctl::kExitRpcError) << o.err << o.out;
  EXPECT_THAT(o.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(o.out, HasSubstr("0 created, 0 updated, 0 unchanged, 1 failed"));
}

TEST_F(ChainctlSupportTest, SupportExportWritesTheServicesWorkbookToTheFileGiven) {
  // 600 from a supplier in 来安县 (in the city), 400 from one in 苏州: 60% in the city.
  v1::ReportSupplierSpendRequest report;
  v1::SupplierSpend* spend = report.mutable_spend();
  spend->set_chain("chains/pv");
  spend->set_reporter(owner_.name());
  spend->set_period("2026-Q2");
  for (const auto& [code, yuan] : std::vector<std::pair<std::string, int64_t>>{
           {TestCreditCode("341122", 101), 600}, {TestCreditCode("320500", 102), 400}}) {
    v1::SpendLine* line = spend->add_lines();
    line->set_supplier_credit_code(code);
    line->set_amount_yuan(yuan);
  }
  v1::SupplierSpend stored;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ReportSupplierSpend, report, &stored).ok());

  chainctl::CommandLine cmd;
  cmd.period = "2026-Q2";
  cmd.chain = "pv";
  cmd.out = dir_.File("figures.xlsx");
  Outcome o = Chainctl({"support", "export"}, cmd);
  ASSERT_EQ(o.code, 0) << o.err << o.out;
  EXPECT_THAT(o.out, HasSubstr("wrote " + cmd.out + " ("));
  std::ifstream in(cmd.out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Workbook book = ReadXlsx(bytes);
  EXPECT_EQ(book.sheets,
            "概览,诉求按部门,诉求按产业链,政策兑现,本地配套率,规划进度,规划目标,规划任务");
  EXPECT_EQ(book.cells[1]["B2"], "s 2026-Q2");
  EXPECT_EQ(book.cells[1]["B3"], "s chains/pv");
  EXPECT_EQ(book.cells[5]["A2"], "s " + owner_.name());
  EXPECT_EQ(book.cells[5]["E2"], "n 0.6");

  // The service's refusal is the command's.
  cmd.period = "2026-Q5";
  o = Chainctl({"support", "export"}, cmd);
  EXPECT_EQ(o.code, chainctl::kExitRpcError);
  EXPECT_THAT(o.err, HasSubstr("period"));
}

TEST_F(ChainctlSupportTest, TheSupportCommandsAreInTheHelpUnderTheirOwnHeading) {
  Outcome o = Chainctl({"help"});
  ASSERT_EQ(o.code, 0);
  EXPECT_THAT(o.out, HasSubstr("\nsupport commands ("));
  EXPECT_THAT(o.out, HasSubstr("\n  requests figures --period="));
  EXPECT_THAT(o.out, HasSubstr("--support_target=HOST:PORT (CHAINHUB_SUPPORT_TARGET"));
}

// The binary itself: --support_target, and --actual and --task given more than once, as main.cc
// reads them.
TEST_F(ChainctlSupportTest, TheChainctlBinaryReadsTheSupportFlags) {
  const std::string binary = BinaryPath("tools/chainctl/chainctl");
  if (!std::ifstream(binary).good()) GTEST_SKIP() << binary << " is not built";
  chainctl::CommandLine on_pv;
  on_pv.chain = "pv";
  Outcome o = Chainctl({"plans", "apply", Write("plan.yaml", kPlan)}, on_pv);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::string plan =
      o.out.substr(o.out.find("chains/"), o.out.find(" v1") - o.out.find("chains/"));

  Subprocess chainctl;
  const std::string token = MintTestToken("systems/test-admin", {"admin"});
  ASSERT_TRUE(
      chainctl
          .Start(binary,
                 {"--target=127.0.0.1:1", "--support_target=" + f_.target(), "--token=" + token,
                  "plans", "report", plan, "--period=2026-05", "--actual=output=300", "--actual",
                  "chain_owner_firms=1", "--task=1:20", "--task=2:40"},
                 {}, dir_.File("chainctl.err"))
          .ok());
  absl::StatusOr<ExitStatus> exit = chainctl.Wait(absl::Seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  std::ifstream err(dir_.File("chainctl.err"));
  std::string err_text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_EQ(exit->exit_code(), 0) << err_text;
  const std::string out = chainctl.output();
  EXPECT_THAT(out, HasSubstr("indicators/chain_owner_firms"));
  EXPECT_THAT(out, HasSubstr("20%"));
  EXPECT_THAT(out, HasSubstr("40%"));
}

}  // namespace
}  // namespace chainhub::testing
