// ExportFigures over real gRPC (SupportFixture): the workbook of a hand-computed June — four
// requests (the month of support_requests_test), a policy item paid in part and one not yet
// open, the supplier spend of two chain-owner firms and an annual plan reported in May — read back
// cell by cell as a spreadsheet reads it; the local rate sheet only with a chain and only for the
// chain's office and admins (anyone else gets the rest of the workbook and a note saying why);
// the request figures narrowed to the chain; plans of every chain without one and only those in
// force; the same figures giving the same bytes; bad and hostile periods and chains refused
// naming the field.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"
#include "tests/support/workbook_reader.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace reg = registry::v1;

using ::testing::HasSubstr;

// Suppliers by where they are registered (the credit code's characters 3-8).
const std::string kLaian = TestCreditCode("341122", 101);     // 来安县, 滁州: in the city
const std::string kHefei = TestCreditCode("340100", 102);     // 合肥: in Anhui, not the city
const std::string kShenzhen = TestCreditCode("440300", 104);  // 深圳
const std::string kBeijing = TestCreditCode("110108", 106);   // 北京

// The sheets of a workbook with the local rate, and without.
constexpr char kAllSheets[] =
    "概览,诉求按部门,诉求按产业链,政策兑现,本地配套率,规划进度,规划目标,规划任务";
constexpr char kSheetsWithoutRate[] =
    "概览,诉求按部门,诉求按产业链,政策兑现,规划进度,规划目标,规划任务";

// A workbook read back, its cells looked up by sheet name.
class Book {
 public:
  explicit Book(const std::string& xlsx) : book_(ReadXlsx(xlsx)) {
    int n = 1;
    for (absl::string_view name : absl::StrSplit(book_.sheets, ',')) {
      sheet_[std::string(name)] = n++;
    }
  }
  const std::string& sheets() const { return book_.sheets; }
  const std::string& created() const { return book_.created; }
  std::string Pane(const std::string& sheet) const { return book_.panes.at(sheet_.at(sheet)); }
  // The text of a string cell ("" when the cell is absent or a number).
  std::string Text(const std::string& sheet, const std::string& ref) const {
    const std::string cell = Raw(sheet, ref);
    return cell.rfind("s ", 0) == 0 ? cell.substr(2) : "";
  }
  // The value of a number cell (NaN, and a failure, when it is not one).
  double Number(const std::string& sheet, const std::string& ref) const {
    const std::string cell = Raw(sheet, ref);
    double value = 0;
    if (cell.rfind("n ", 0) != 0 || !absl::SimpleAtod(cell.substr(2), &value)) {
      ADD_FAILURE() << sheet << "!" << ref << " is not a number: \"" << cell << "\"";
      return std::nan("");
    }
    return value;
  }
  bool Has(const std::string& sheet, const std::string& ref) const {
    return !Raw(sheet, ref).empty();
  }
  // The texts of a row's cells from column A, up to the first absent one.
  std::vector<std::string> Header(const std::string& sheet) const {
    std::vector<std::string> out;
    for (char col = 'A'; col <= 'Z' && Has(sheet, absl::StrCat(std::string(1, col), "1")); ++col) {
      out.push_back(Text(sheet, absl::StrCat(std::string(1, col), "1")));
    }
    return out;
  }
  // The rows of a sheet below the header (by column A).
  int Rows(const std::string& sheet) const {
    int rows = 0;
    while (Has(sheet, absl::StrCat("A", rows + 2))) ++rows;
    return rows;
  }

 private:
  std::string Raw(const std::string& sheet, const std::string& ref) const {
    auto s = sheet_.find(sheet);
    if (s == sheet_.end()) return "";
    auto cells = book_.cells.find(s->second);
    if (cells == book_.cells.end()) return "";
    auto cell = cells->second.find(ref);
    return cell == cells->second.end() ? "" : cell->second;
  }

  Workbook book_;
  std::map<std::string, int> sheet_;
};

class SupportExport : public ::testing::Test {
 protected:
  void SetUp() override {
    // The plans are made in December, so that their tasks run from 1 January.
    f_.start_time = China(2025, 12, 20, 10);
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    pv_firm_ = f_.MakeEnterprise(1, "滁州光伏组件有限公司", {"chains/pv/nodes/modules"});
    no_chain_firm_ = f_.MakeEnterprise(3, "滁州商贸有限公司", {});
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(pv_firm_));
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(no_chain_firm_));
    for (int serial : {11, 12, 13, 14}) {
      reg::Enterprise e =
          f_.MakeEnterprise(serial, absl::StrCat("滁州专精光伏", serial), {"chains/pv/nodes/cells"},
                            {reg::ENTERPRISE_LABEL_SPECIALIZED}, 60'000'000, "2015-01-01");
      ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(e));
      specialized_.push_back(e.name());
    }
    for (int serial : {21, 22}) {
      reg::Enterprise e = f_.MakeEnterprise(
          serial, absl::StrCat("滁州链主光伏", serial), {"chains/pv/nodes/modules"},
          {reg::ENTERPRISE_LABEL_CHAIN_OWNER}, 3'000'000'000, "2010-01-01");
      ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(e));
      owners_.push_back(e.name());
    }
    ASSERT_NO_FATAL_FAILURE(MakePlans());
    ASSERT_NO_FATAL_FAILURE(LiveJune());
    // Exported on 1 July: June has ended.
    f_.clock().Set(China(2026, 7, 1, 10));
  }
  void TearDown() override { f_.TearDown(); }

  // --- The month
  // ----------------------------------------------------------------------------------

  // pv's annual plan for 2026 (output 400, local rate 0.5; task 1 due 12-31, task 2 due 06-30),
  // pv's for 2027 (not in force in 2026) and auto's for 2026.
  void MakePlans() {
    const v1::ChainPlan annual = PvKeyPoints2026();
    pv_plan_ = CreatePlan(f_.ChainOffice("pv"), "pv", annual);

    v1::ChainPlan next = annual;
    next.set_title("光伏产业链2027年工作要点");
    next.set_start_year(2027);
    next.clear_targets();
    next.mutable_tasks(0)->set_deadline("2027-12-31");
    next.mutable_tasks(1)->set_deadline("2027-06-30");
    pv_2027_plan_ = CreatePlan(f_.ChainOffice("pv"), "pv", next);

    v1::ChainPlan auto_plan = annual;
    auto_plan.set_title("汽车产业链2026年工作要点");
    auto_plan.clear_targets();
    auto_plan.mutable_tasks()->DeleteSubrange(1, 1);
    auto_plan_ = CreatePlan(f_.Admin(), "auto", auto_plan);
  }

  v1::ChainPlan CreatePlan(const SupportCaller& as, const std::string& chain,
                           const v1::ChainPlan& plan) {
    v1::CreateChainPlanRequest req;
    req.set_parent("chains/" + chain);
    *req.mutable_plan() = plan;
    v1::ChainPlan out;
    grpc::Status s = as(&SupportStub::CreateChainPlan, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // June, day by day. Requests: those of support_requests_test's hand-computed month — A, B and
  // C accepted Monday 06-15 10:00 (close due end of 06-23); D on 06-29, without chain. Payouts:
  // item a (2026, budget 1,000,000, 300,000 to each SPECIALIZED firm on pv) applied for by three
  // of the four such firms on 06-15; the first paid 300,000 on 06-20, the second 104,000 on
  // 06-30, the third waits; the fourth never applies. Item b opens 07-01 (budget 500,000, nobody
  // qualifies); item c's window was 2025. The plan's May report and June's supplier spend.
  void LiveJune() {
    f_.clock().Set(China(2026, 6, 15, 10));
    const v1::Request a = CreateRequest(pv_firm_, "chains/pv", "departments/zrzyj");
    const v1::Request b = CreateRequest(pv_firm_, "chains/pv", "departments/zrzyj");
    CreateRequest(pv_firm_, "chains/pv", "departments/swj");
    ASSERT_NO_FATAL_FAILURE(ReportPlan());
    ASSERT_NO_FATAL_FAILURE(ReportSpend());
    ASSERT_NO_FATAL_FAILURE(MakeItems());
    std::vector<v1::Claim> claims(3);
    for (int i = 0; i < 3; ++i) {
      v1::ApplyForItemRequest apply;
      apply.set_item(item_a_.name());
      apply.set_enterprise(specialized_[i]);
      grpc::Status s = f_.Admin()(&SupportStub::ApplyForItem, apply, &claims[i]);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    f_.clock().Set(China(2026, 6, 16, 9));  // A and B contacted 23 hours after acceptance
    Move(a.name(), v1::HANDLING);
    Move(b.name(), v1::HANDLING);
    f_.clock().Set(China(2026, 6, 16, 10));
    Decide(claims[0].name(), 0);
    Decide(claims[1].name(), 104'000);
    f_.clock().Set(China(2026, 6, 18, 15));  // A closed on time: 3 working days
    Move(a.name(), v1::CLOSED, "已解决");
    f_.clock().Set(China(2026, 6, 20, 10));
    Move(a.name(), v1::REVISITED, "", 5);
    Pay(claims[0].name(), 300'000, "2026-06-20");  // 5 days after applying
    f_.clock().Set(China(2026, 6, 25, 10));        // B closed late: 7 working days (19th a holiday)
    Move(b.name(), v1::CLOSED, "已解决");
    f_.clock().Set(China(2026, 6, 26, 10));
    Move(b.name(), v1::REVISITED, "", 2);
    f_.clock().Set(China(2026, 6, 29, 10));
    CreateRequest(no_chain_firm_, "", "departments/swj");
    f_.clock().Set(China(2026, 6, 30, 10));
    Pay(claims[1].name(), 104'000, "2026-06-30");  // 15 days after applying
  }

  // May: output 120 of 400, the local rate 0.3 of 0.5; task 1 40% done, task 2 50%.
  void ReportPlan() {
    v1::ReportPlanProgressRequest report;
    report.set_name(pv_plan_.name());
    report.set_period("2026-05");
    (*report.mutable_actuals())["indicators/output"] = 120;
    (*report.mutable_actuals())["indicators/local_supporting_rate"] = 0.3;
    auto* r1 = report.add_tasks();
    r1->set_number("1");
    r1->set_percent_done(40);
    auto* r2 = report.add_tasks();
    r2->set_number("2");
    r2->set_percent_done(50);
    v1::PlanProgress progress;
    grpc::Status s = f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, report, &progress);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  v1::Request CreateRequest(const reg::Enterprise& firm, const std::string& chain,
                            const std::string& assignee) {
    v1::CreateRequestRequest req;
    v1::Request* r = req.mutable_request();
    r->set_enterprise(firm.name());
    r->set_chain(chain);
    r->set_title("二期项目用地指标");
    r->set_description("二期厂房用地指标尚未落实，需协调。");
    r->set_channel(v1::HOTLINE);
    r->set_tier(v1::CITY);
    r->set_assignee(assignee);
    v1::Request out;
    grpc::Status s = f_.Admin()(&SupportStub::CreateRequest, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  void Move(const std::string& name, v1::RequestState to, const std::string& note = "",
            int satisfaction = 0) {
    v1::TransitionRequestRequest req;
    req.set_name(name);
    req.set_state(to);
    req.set_note(note);
    req.set_satisfaction(satisfaction);
    v1::Request out;
    grpc::Status s = f_.Admin()(&SupportStub::TransitionRequest, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // The policy for pv and its items a, b and c (LiveJune).
  void MakeItems() {
    v1::CreatePolicyRequest create;
    v1::Policy* p = create.mutable_policy();
    p->set_title("滁州市支持光伏产业高质量发展若干政策");
    p->set_document_number("滁政〔2026〕12号");
    p->set_department("departments/jxj");
    p->set_issue_date("2026-01-10");
    p->add_chains("chains/pv");
    grpc::Status s = f_.Admin()(&SupportStub::CreatePolicy, create, &policy_);
    ASSERT_TRUE(s.ok()) << s.error_message();
    item_a_ = CreateItem("a", "专精特新光伏企业奖励", "chain = pv AND label = SPECIALIZED",
                         "2026-01-01", "2026-12-31", 1'000'000);
    item_b_ =
        CreateItem("b", "光伏头部企业奖励", "label = HEAD", "2026-07-01", "2026-12-31", 500'000);
    CreateItem("c", "2025年光伏企业奖励", "label = SPECIALIZED", "2025-01-01", "2025-12-31",
               800'000);
  }

  v1::PolicyItem CreateItem(const std::string& id, const std::string& title,
                            const std::string& rule, const std::string& open,
                            const std::string& close, int64_t budget) {
    v1::CreatePolicyItemRequest req;
    req.set_parent(policy_.name());
    v1::PolicyItem* item = req.mutable_item();
    item->set_name(absl::StrCat(policy_.name(), "/items/", id));
    item->set_title(title);
    item->set_eligibility(rule);
    item->set_base_amount_yuan(300'000);
    item->set_open_date(open);
    item->set_close_date(close);
    item->set_department("departments/czj");
    item->set_lane(v1::FAST);
    item->set_time_limit_working_days(5);
    item->set_budget_yuan(budget);
    v1::PolicyItem out;
    grpc::Status s = f_.Admin()(&SupportStub::CreatePolicyItem, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  void Decide(const std::string& claim, int64_t yuan) {
    v1::DecideClaimRequest req;
    req.set_name(claim);
    req.set_approve(true);
    req.set_approved_yuan(yuan);
    v1::Claim out;
    grpc::Status s = f_.Admin()(&SupportStub::DecideClaim, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  void Pay(const std::string& claim, int64_t yuan, const std::string& date) {
    v1::RecordPaymentRequest req;
    req.set_name(claim);
    req.set_paid_yuan(yuan);
    req.set_paid_date(date);
    v1::Claim out;
    grpc::Status s = f_.Admin()(&SupportStub::RecordPayment, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // June: the first owner 400 in the city, 300 in Hefei, 300 in Shenzhen (1000); the second 1000
  // from the same city supplier and 1000 in Beijing (2000). The first owner's Q2 report is not
  // June's.
  void ReportSpend() {
    Report(owners_[0], "2026-06", {{kLaian, 400}, {kHefei, 300}, {kShenzhen, 300}});
    Report(owners_[1], "2026-06", {{kLaian, 1000}, {kBeijing, 1000}});
    Report(owners_[0], "2026-Q2", {{kLaian, 9000}, {kBeijing, 1000}});
  }

  void Report(const std::string& reporter, const std::string& period,
              const std::vector<std::pair<std::string, int64_t>>& lines) {
    v1::ReportSupplierSpendRequest req;
    v1::SupplierSpend* spend = req.mutable_spend();
    spend->set_chain("chains/pv");
    spend->set_reporter(reporter);
    spend->set_period(period);
    for (const auto& [code, yuan] : lines) {
      v1::SpendLine* line = spend->add_lines();
      line->set_supplier_credit_code(code);
      line->set_amount_yuan(yuan);
    }
    v1::SupplierSpend out;
    grpc::Status s = f_.Admin()(&SupportStub::ReportSupplierSpend, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // --- Exporting
  // ----------------------------------------------------------------------------------

  grpc::Status Export(const SupportCaller& as, const std::string& period, const std::string& chain,
                      v1::ExportFiguresResponse* out) {
    v1::ExportFiguresRequest req;
    req.set_period(period);
    req.set_chain(chain);
    return as(&SupportStub::ExportFigures, req, out);
  }

  v1::ExportFiguresResponse MustExport(const SupportCaller& as, const std::string& period,
                                       const std::string& chain) {
    v1::ExportFiguresResponse out;
    grpc::Status s = Export(as, period, chain, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  SupportFixture f_;
  reg::Enterprise pv_firm_;
  reg::Enterprise no_chain_firm_;
  std::vector<std::string> specialized_;
  std::vector<std::string> owners_;
  v1::ChainPlan pv_plan_;
  v1::ChainPlan pv_2027_plan_;
  v1::ChainPlan auto_plan_;
  v1::Policy policy_;
  v1::PolicyItem item_a_;
  v1::PolicyItem item_b_;
};

// 序时 on 30 June and on 1 July: 181 and 182 of 365 days.
constexpr double kElapsedJune30 = 181.0 / 365.0;
constexpr double kElapsedJuly1 = 182.0 / 365.0;

TEST_F(SupportExport, TheWorkbookOfAChainHoldsTheHandComputedFiguresOfTheMonth) {
  const v1::ExportFiguresResponse file = MustExport(f_.Admin(), "2026-06", "chains/pv");
  EXPECT_EQ(file.filename(), "support-figures-2026-06-pv.xlsx");
  Book book(file.xlsx());
  EXPECT_EQ(book.sheets(), kAllSheets);
  EXPECT_EQ(book.created(), "2026-07-01T02:00:00Z");

  // 概览: what the figures are, and the days they stand at.
  EXPECT_EQ(book.Text("概览", "A2"), "统计期间");
  EXPECT_EQ(book.Text("概览", "B2"), "2026-06");
  EXPECT_EQ(book.Text("概览", "B3"), "chains/pv");
  EXPECT_EQ(book.Text("概览", "A4"), "诉求与规划数据截至");
  EXPECT_EQ(book.Text("概览", "B4"), "2026-06-30");
  EXPECT_EQ(book.Text("概览", "B5"), "2026");
  EXPECT_EQ(book.Text("概览", "B6"), "2026-07-01");
  EXPECT_THAT(book.Text("概览", "B7"), HasSubstr("市内（341100）"));

  // 诉求按部门, narrowed to pv (A, B, C; D has no chain): swj has C, open and overdue; zrzyj
  // has A (on time, satisfied) and B (late, not satisfied).
  EXPECT_EQ(book.Header("诉求按部门"),
            (std::vector<std::string>{"承办部门", "受理数", "办结数", "按期办结数", "回访数",
                                      "满意数", "逾期数", "办结率", "按期办结率", "满意率",
                                      "平均响应时长（小时）", "平均办结用时（工作日）"}));
  EXPECT_EQ(book.Pane("诉求按部门"), "1 frozen");
  ASSERT_EQ(book.Rows("诉求按部门"), 3);
  EXPECT_EQ(book.Text("诉求按部门", "A2"), "departments/swj");
  EXPECT_EQ(book.Number("诉求按部门", "B2"), 1);
  EXPECT_EQ(book.Number("诉求按部门", "C2"), 0);
  EXPECT_EQ(book.Number("诉求按部门", "G2"), 1);
  EXPECT_EQ(book.Number("诉求按部门", "H2"), 0);
  EXPECT_EQ(book.Text("诉求按部门", "A3"), "departments/zrzyj");
  EXPECT_EQ(book.Number("诉求按部门", "B3"), 2);
  EXPECT_EQ(book.Number("诉求按部门", "C3"), 2);
  EXPECT_EQ(book.Number("诉求按部门", "D3"), 1);
  EXPECT_EQ(book.Number("诉求按部门", "E3"), 2);
  EXPECT_EQ(book.Number("诉求按部门", "F3"), 1);
  EXPECT_EQ(book.Number("诉求按部门", "G3"), 1);
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "H3"), 1.0);  // 办结率 2/2
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "I3"), 0.5);  // 按期办结率 1/2
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "J3"), 0.5);  // 满意率 1/2
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "K3"), 23.0);
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "L3"), 5.0);  // (3 + 7) / 2 working days
  // The total of pv's requests.
  EXPECT_EQ(book.Text("诉求按部门", "A4"), "合计");
  EXPECT_EQ(book.Number("诉求按部门", "B4"), 3);
  EXPECT_EQ(book.Number("诉求按部门", "C4"), 2);
  EXPECT_EQ(book.Number("诉求按部门", "G4"), 2);  // B closed late, C open past its deadline
  EXPECT_NEAR(book.Number("诉求按部门", "H4"), 2.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "I4"), 0.5);
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "J4"), 0.5);
  // 诉求按产业链: pv alone, and the same total.
  ASSERT_EQ(book.Rows("诉求按产业链"), 2);
  EXPECT_EQ(book.Text("诉求按产业链", "A1"), "产业链");
  EXPECT_EQ(book.Text("诉求按产业链", "A2"), "chains/pv");
  EXPECT_EQ(book.Number("诉求按产业链", "B2"), 3);
  EXPECT_EQ(book.Text("诉求按产业链", "A3"), "合计");

  // 政策兑现 of 2026 as of today (07-01): item a and b (c's window was 2025), then the total.
  EXPECT_EQ(book.Header("政策兑现"),
            (std::vector<std::string>{"事项", "事项名称", "兑现部门", "预算（元）", "已批准（元）",
                                      "已兑付（元）", "申请笔数", "已兑付笔数", "待兑付笔数",
                                      "兑付进度", "序时进度", "与序时差", "平均兑付天数",
                                      "符合未兑付企业数", "符合未兑付金额（元）"}));
  ASSERT_EQ(book.Rows("政策兑现"), 3);
  EXPECT_EQ(book.Text("政策兑现", "A2"), item_a_.name());
  EXPECT_EQ(book.Text("政策兑现", "B2"), "专精特新光伏企业奖励");
  EXPECT_EQ(book.Text("政策兑现", "C2"), "departments/czj");
  EXPECT_EQ(book.Number("政策兑现", "D2"), 1'000'000);
  EXPECT_EQ(book.Number("政策兑现", "E2"), 404'000);
  EXPECT_EQ(book.Number("政策兑现", "F2"), 404'000);
  EXPECT_EQ(book.Number("政策兑现", "G2"), 3);
  EXPECT_EQ(book.Number("政策兑现", "H2"), 2);
  EXPECT_EQ(book.Number("政策兑现", "I2"), 1);
  EXPECT_DOUBLE_EQ(book.Number("政策兑现", "J2"), 0.404);
  EXPECT_NEAR(book.Number("政策兑现", "K2"), kElapsedJuly1, 1e-12);
  EXPECT_NEAR(book.Number("政策兑现", "L2"), 0.404 - kElapsedJuly1, 1e-12);
  EXPECT_DOUBLE_EQ(book.Number("政策兑现", "M2"), 10.0);  // (5 + 15) / 2 days
  EXPECT_EQ(book.Number("政策兑现", "N2"), 1);            // the fourth firm
  EXPECT_EQ(book.Number("政策兑现", "O2"), 300'000);
  EXPECT_EQ(book.Text("政策兑现", "A3"), item_b_.name());
  EXPECT_EQ(book.Number("政策兑现", "D3"), 500'000);
  EXPECT_EQ(book.Number("政策兑现", "G3"), 0);
  EXPECT_EQ(book.Number("政策兑现", "N3"), 0);
  EXPECT_EQ(book.Text("政策兑现", "A4"), "合计");
  EXPECT_EQ(book.Number("政策兑现", "D4"), 1'500'000);
  EXPECT_EQ(book.Number("政策兑现", "F4"), 404'000);
  EXPECT_NEAR(book.Number("政策兑现", "J4"), 404'000.0 / 1'500'000.0, 1e-12);
  EXPECT_DOUBLE_EQ(book.Number("政策兑现", "M4"), 10.0);
  EXPECT_EQ(book.Number("政策兑现", "N4"), 1);

  // 本地配套率 of June's spend in the city: 400 of 1000, 1000 of 2000; 1400 of 3000 overall,
  // four distinct suppliers of which one (来安) is local. The Q2 report is not June's.
  EXPECT_EQ(book.Header("本地配套率"),
            (std::vector<std::string>{"企业", "企业名称", "采购总额（元）", "本地采购额（元）",
                                      "本地配套率", "供应商数", "本地供应商数"}));
  ASSERT_EQ(book.Rows("本地配套率"), 3);
  EXPECT_EQ(book.Text("本地配套率", "A2"), owners_[0]);
  EXPECT_EQ(book.Text("本地配套率", "B2"), "滁州链主光伏21");
  EXPECT_EQ(book.Number("本地配套率", "C2"), 1000);
  EXPECT_EQ(book.Number("本地配套率", "D2"), 400);
  EXPECT_DOUBLE_EQ(book.Number("本地配套率", "E2"), 0.4);
  EXPECT_EQ(book.Number("本地配套率", "F2"), 3);
  EXPECT_EQ(book.Number("本地配套率", "G2"), 1);
  EXPECT_EQ(book.Text("本地配套率", "A3"), owners_[1]);
  EXPECT_DOUBLE_EQ(book.Number("本地配套率", "E3"), 0.5);
  EXPECT_EQ(book.Text("本地配套率", "A4"), "合计");
  EXPECT_EQ(book.Number("本地配套率", "C4"), 3000);
  EXPECT_EQ(book.Number("本地配套率", "D4"), 1400);
  EXPECT_NEAR(book.Number("本地配套率", "E4"), 1400.0 / 3000.0, 1e-12);
  EXPECT_EQ(book.Number("本地配套率", "F4"), 4);
  EXPECT_EQ(book.Number("本地配套率", "G4"), 1);

  // 规划: pv's 2026 plan as of 06-30 (its 2027 plan is not in force; auto's is another chain's).
  // Output 120 of 400 is 30% against 序时 49.6%: at risk; the rate 0.3 of 0.5 is 60%. Task 1
  // 40% done against 49.6% expected (within the margin); task 2 50% against 100%: at risk.
  ASSERT_EQ(book.Rows("规划进度"), 1);
  EXPECT_EQ(book.Header("规划进度"),
            (std::vector<std::string>{"规划", "产业链", "类型", "名称", "起止年份", "版本",
                                      "完成率", "预警数"}));
  EXPECT_EQ(book.Text("规划进度", "A2"), pv_plan_.name());
  EXPECT_EQ(book.Text("规划进度", "B2"), "chains/pv");
  EXPECT_EQ(book.Text("规划进度", "C2"), "年度工作要点");
  EXPECT_EQ(book.Text("规划进度", "D2"), "光伏产业链2026年工作要点");
  EXPECT_EQ(book.Text("规划进度", "E2"), "2026-2026");
  EXPECT_EQ(book.Number("规划进度", "F2"), 1);
  EXPECT_DOUBLE_EQ(book.Number("规划进度", "G2"), (0.3 + 0.6 + 0.4 + 0.5) / 4);
  EXPECT_EQ(book.Number("规划进度", "H2"), 2);
  ASSERT_EQ(book.Rows("规划目标"), 2);
  EXPECT_EQ(book.Header("规划目标"),
            (std::vector<std::string>{"规划", "指标", "年度", "目标值", "实际值", "实际值期间",
                                      "完成率", "序时进度", "与序时差", "预警", "说明"}));
  EXPECT_EQ(book.Text("规划目标", "B2"), "indicators/output");
  EXPECT_EQ(book.Number("规划目标", "C2"), 2026);
  EXPECT_EQ(book.Number("规划目标", "D2"), 400);
  EXPECT_EQ(book.Number("规划目标", "E2"), 120);
  EXPECT_EQ(book.Text("规划目标", "F2"), "2026-05");
  EXPECT_DOUBLE_EQ(book.Number("规划目标", "G2"), 0.3);
  EXPECT_NEAR(book.Number("规划目标", "H2"), kElapsedJune30, 1e-12);
  EXPECT_NEAR(book.Number("规划目标", "I2"), 0.3 - kElapsedJune30, 1e-12);
  EXPECT_EQ(book.Text("规划目标", "J2"), "是");
  EXPECT_THAT(book.Text("规划目标", "K2"), HasSubstr("序时"));
  EXPECT_EQ(book.Text("规划目标", "B3"), "indicators/local_supporting_rate");
  EXPECT_DOUBLE_EQ(book.Number("规划目标", "G3"), 0.6);
  EXPECT_EQ(book.Text("规划目标", "J3"), "否");
  ASSERT_EQ(book.Rows("规划任务"), 2);
  EXPECT_EQ(book.Header("规划任务"),
            (std::vector<std::string>{"规划", "编号", "任务", "截止日期", "完成进度", "已完成",
                                      "应完成进度", "逾期", "预警", "说明", "工作事项"}));
  EXPECT_EQ(book.Text("规划任务", "B2"), "1");
  EXPECT_EQ(book.Text("规划任务", "C2"), "全年招引链主企业2家");
  EXPECT_DOUBLE_EQ(book.Number("规划任务", "E2"), 0.4);
  EXPECT_NEAR(book.Number("规划任务", "G2"), kElapsedJune30, 1e-12);
  EXPECT_EQ(book.Text("规划任务", "I2"), "否");
  EXPECT_EQ(book.Text("规划任务", "B3"), "2");
  EXPECT_EQ(book.Text("规划任务", "D3"), "2026-06-30");
  EXPECT_DOUBLE_EQ(book.Number("规划任务", "E3"), 0.5);
  EXPECT_DOUBLE_EQ(book.Number("规划任务", "G3"), 1.0);
  EXPECT_EQ(book.Text("规划任务", "H3"), "否");  // due today: not yet overdue
  EXPECT_EQ(book.Text("规划任务", "I3"), "是");
}

TEST_F(SupportExport, TheWorkbookAgreesWithTheFiguresRpcs) {
  const Book book(MustExport(f_.Viewer(), "2026-06", "").xlsx());
  v1::SummarizeRequestsRequest requests;
  requests.set_period("2026-06");
  requests.set_as_of("2026-06-30");
  requests.set_group_by(v1::BY_CHAIN);
  v1::SummarizeRequestsResponse by_chain;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, requests, &by_chain).ok());
  ASSERT_EQ(by_chain.rows_size(), 2);
  ASSERT_EQ(book.Rows("诉求按产业链"), 3);
  EXPECT_EQ(book.Text("诉求按产业链", "A2"), by_chain.rows(0).group());
  EXPECT_EQ(book.Number("诉求按产业链", "B2"), by_chain.rows(0).received());
  EXPECT_EQ(book.Text("诉求按产业链", "A3"), "（无产业链）");
  EXPECT_EQ(book.Number("诉求按产业链", "B3"), by_chain.rows(1).received());

  v1::SummarizePayoutsRequest payouts;
  payouts.set_year(2026);
  v1::PayoutSummary all;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizePayouts, payouts, &all).ok());
  EXPECT_EQ(all.as_of(), "2026-07-01");
  EXPECT_EQ(book.Number("政策兑现", "D4"), all.budget_yuan());
  EXPECT_DOUBLE_EQ(book.Number("政策兑现", "J4"), all.paid_share_of_budget());
  EXPECT_DOUBLE_EQ(book.Number("政策兑现", "M4"), all.avg_days_to_pay());
  EXPECT_EQ(book.Number("政策兑现", "O4"), all.qualified_unpaid_yuan());

  v1::GetPlanProgressRequest plan;
  plan.set_name(pv_plan_.name());
  plan.set_as_of("2026-06-30");
  v1::PlanProgress progress;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetPlanProgress, plan, &progress).ok());
  ASSERT_EQ(book.Text("规划进度", "A3"), pv_plan_.name());
  EXPECT_DOUBLE_EQ(book.Number("规划进度", "G3"), progress.completion());
  EXPECT_EQ(book.Number("规划进度", "H3"), progress.at_risk());
}

TEST_F(SupportExport, WithoutAChainEveryRequestAndEveryChainsPlanIsInAndTheLocalRateIsNot) {
  const v1::ExportFiguresResponse file = MustExport(f_.Admin(), "2026-06", "");
  EXPECT_EQ(file.filename(), "support-figures-2026-06.xlsx");
  const Book book(file.xlsx());
  EXPECT_EQ(book.sheets(), kSheetsWithoutRate);
  EXPECT_EQ(book.Text("概览", "B3"), "全部");
  EXPECT_THAT(book.Text("概览", "B7"), HasSubstr("未导出"));
  // Every request: D (swj, no chain) too.
  ASSERT_EQ(book.Rows("诉求按部门"), 3);
  EXPECT_EQ(book.Number("诉求按部门", "B2"), 2);  // swj: C and D
  EXPECT_EQ(book.Number("诉求按部门", "B4"), 4);
  EXPECT_DOUBLE_EQ(book.Number("诉求按部门", "H4"), 0.5);
  ASSERT_EQ(book.Rows("诉求按产业链"), 3);
  EXPECT_EQ(book.Text("诉求按产业链", "A2"), "chains/pv");
  EXPECT_EQ(book.Text("诉求按产业链", "A3"), "（无产业链）");
  EXPECT_EQ(book.Number("诉求按产业链", "B3"), 1);
  // auto's plan and pv's, in name order; not pv's 2027 plan.
  ASSERT_EQ(book.Rows("规划进度"), 2);
  EXPECT_EQ(book.Text("规划进度", "A2"), auto_plan_.name());
  EXPECT_EQ(book.Text("规划进度", "A3"), pv_plan_.name());
  EXPECT_EQ(book.Rows("规划任务"), 3);
  // The year so far: requests and plans as of today, the same payouts.
  const Book year(MustExport(f_.Admin(), "2026", "").xlsx());
  EXPECT_EQ(year.Text("概览", "B4"), "2026-07-01");
  EXPECT_EQ(year.Number("政策兑现", "D4"), 1'500'000);
  // A quarter that ended: its last day.
  const Book q2(MustExport(f_.Admin(), "2026-Q2", "").xlsx());
  EXPECT_EQ(q2.Text("概览", "B4"), "2026-06-30");
  EXPECT_EQ(q2.Number("诉求按部门", "B4"), 4);
}

TEST_F(SupportExport, TheSameFiguresGiveTheSameBytes) {
  const v1::ExportFiguresResponse first = MustExport(f_.ChainOffice("pv"), "2026-06", "chains/pv");
  const v1::ExportFiguresResponse second = MustExport(f_.ChainOffice("pv"), "2026-06", "chains/pv");
  ASSERT_FALSE(first.xlsx().empty());
  EXPECT_EQ(first.xlsx(), second.xlsx());
}

TEST_F(SupportExport, OnlyTheChainsOfficeAndAdminsGetTheLocalRateOthersGetTheRestAndTheReason) {
  for (SupportCaller as : {f_.Admin(), f_.ChainOffice("pv")}) {
    EXPECT_EQ(Book(MustExport(as, "2026-06", "chains/pv").xlsx()).sheets(), kAllSheets);
  }
  for (SupportCaller as : {f_.Viewer(), f_.Department("jxj"), f_.ChainOffice("auto")}) {
    const Book book(MustExport(as, "2026-06", "chains/pv").xlsx());
    EXPECT_EQ(book.sheets(), kSheetsWithoutRate);
    EXPECT_EQ(book.Text("概览", "B7"),
              "未导出：供应商采购数据仅 chains/pv 的链长办公室和管理员可见");
    // The rest is what every role reads: the same request figures as the chain's office gets.
    EXPECT_EQ(book.Number("诉求按部门", "B4"), 3);
    EXPECT_EQ(book.Rows("规划进度"), 1);
  }
  // Without a token, or with one holding no role, nothing.
  v1::ExportFiguresResponse out;
  EXPECT_EQ(Export(f_.As(""), "2026-06", "", &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Export(f_.As(MintTestToken("systems/nobody", {})), "2026-06", "", &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SupportExport, ABadPeriodOrChainIsRefusedNamingTheField) {
  v1::ExportFiguresResponse out;
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "", "", &out), "period"));
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "2026-Q5", "", &out), "period"));
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "2026-6", "chains/pv", &out), "period"));
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "1999", "", &out), "period"));
  // Not begun yet (today is 2026-07-01).
  grpc::Status future = Export(f_.Admin(), "2026-08", "", &out);
  EXPECT_TRUE(NamesField(future, "period"));
  EXPECT_THAT(future.error_message(), HasSubstr("must have begun by today (2026-07-01)"));
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "2026-06", "pv", &out), "chain"));
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "2026-06", "chains/PV!", &out), "chain"));
  EXPECT_TRUE(NamesField(Export(f_.Admin(), "2026-06", "chains/pv/nodes/cells", &out), "chain"));
  // Both bad: both named.
  grpc::Status both = Export(f_.Admin(), "2026-13", "chains/", &out);
  EXPECT_EQ(both.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(both.error_message(), HasSubstr("period"));
  EXPECT_THAT(both.error_message(), HasSubstr("chain"));
}

TEST_F(SupportExport, HostilePeriodsAndChainsAreRefusedShortly) {
  v1::ExportFiguresRequest valid;
  valid.set_period("2026-06");
  valid.set_chain("chains/pv");
  ExpectEveryTextFieldChecked(f_.Admin(), &SupportStub::ExportFigures, valid);
  // Every value of the catalogue in each field, sent as raw bytes (invalid UTF-8 included).
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          "chainhub.support.v1.ChainSupport.ExportFigures");
  ASSERT_NE(method, nullptr);
  grpc::GenericStub stub(grpc::CreateChannel(f_.target(), grpc::InsecureChannelCredentials()));
  const std::string token = MintTestToken("systems/test-admin", {"admin"});
  const std::vector<std::string> catalogue = HostileStrings();
  for (size_t i = 0; i < catalogue.size(); ++i) {
    for (const bool in_period : {true, false}) {
      v1::ExportFiguresRequest req = valid;
      *(in_period ? req.mutable_period() : req.mutable_chain()) = catalogue[i];
      const std::string what =
          absl::StrCat("catalogue value ", i, " in ", in_period ? "period" : "chain");
      const CallResult r = CallRaw(stub, "/chainhub.support.v1.ChainSupport/ExportFigures", token,
                                   {req.SerializeAsString()});
      CheckHostileOutcome(*method, r, catalogue[i], what);
      EXPECT_FALSE(r.status.ok()) << what;
    }
  }
}

}  // namespace
}  // namespace chainhub::testing
