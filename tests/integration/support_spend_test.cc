// Supplier spend and 本地配套率 over real gRPC: reports replaced by a re-report, listed, imported
// from CSV (every row checked before any is stored), the local rate of a hand-computed spend set
// in the city, the province and a region and over a subset of the reporters, and who may see any
// of it (the chain's own office and admins only).
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;

// Suppliers by where they are registered (the credit code's characters 3-8).
const std::string kLaian = TestCreditCode("341122", 101);     // 来安县, 滁州: in the city
const std::string kHefei = TestCreditCode("340100", 102);     // 合肥: in Anhui
const std::string kSuzhou = TestCreditCode("320500", 103);    // 苏州: in 长三角
const std::string kShenzhen = TestCreditCode("440300", 104);  // 深圳: elsewhere
const std::string kHangzhou = TestCreditCode("330100", 105);  // 杭州: in 长三角
const std::string kBeijing = TestCreditCode("110108", 106);   // 北京: elsewhere

v1::SpendLine Line(const std::string& code, int64_t yuan, const std::string& division = "",
                   const std::string& name = "") {
  v1::SpendLine l;
  l.set_supplier_credit_code(code);
  l.set_supplier_division(division);
  l.set_supplier_name(name);
  l.set_amount_yuan(yuan);
  return l;
}

class SupportSpend : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    const std::string modules = "chains/pv/nodes/modules";
    f_.AddEnterprise(f_.MakeEnterprise(1, "滁州甲光伏", {modules},
                                       {registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER}));
    f_.AddEnterprise(f_.MakeEnterprise(2, "滁州乙光伏", {modules},
                                       {registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER}));
    f_.AddEnterprise(f_.MakeEnterprise(3, "滁州丙电池", {"chains/nev-battery/nodes/cells"}));
    a_ = "enterprises/" + TestCreditCode("341100", 1);
    b_ = "enterprises/" + TestCreditCode("341100", 2);
    battery_ = "enterprises/" + TestCreditCode("341100", 3);
  }
  void TearDown() override { f_.TearDown(); }

  // A: 400 in the city, 300 in Anhui, 200 in Jiangsu, 100 in Shenzhen (1000).
  v1::ReportSupplierSpendRequest ReportA(const std::string& period = "2026-Q2") {
    v1::ReportSupplierSpendRequest req;
    v1::SupplierSpend* s = req.mutable_spend();
    s->set_chain("chains/pv");
    s->set_reporter(a_);
    s->set_period(period);
    *s->add_lines() = Line(kLaian, 400, "", "来安某胶膜厂");
    *s->add_lines() = Line(kHefei, 300);
    *s->add_lines() = Line(kSuzhou, 200);
    *s->add_lines() = Line(kShenzhen, 100);
    return req;
  }

  // B: 1000 from A's city supplier and 500 from a city workshop without a code (by its
  // division), 1500 in Zhejiang, 2000 in Beijing (5000).
  v1::ReportSupplierSpendRequest ReportB() {
    v1::ReportSupplierSpendRequest req;
    v1::SupplierSpend* s = req.mutable_spend();
    s->set_chain("chains/pv");
    s->set_reporter(b_);
    s->set_period("2026-Q2");
    *s->add_lines() = Line(kLaian, 1000);
    *s->add_lines() = Line("", 500, "341103", "南谯区某包装厂");
    *s->add_lines() = Line(kHangzhou, 1500);
    *s->add_lines() = Line(kBeijing, 2000);
    return req;
  }

  v1::SupplierSpend Report(const SupportCaller& as, const v1::ReportSupplierSpendRequest& req) {
    v1::SupplierSpend out;
    grpc::Status s = as(&SupportStub::ReportSupplierSpend, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::LocalRateResponse Rate(v1::ComputeLocalRateRequest req) {
    req.set_chain("chains/pv");
    if (req.period().empty()) req.set_period("2026-Q2");
    v1::LocalRateResponse out;
    grpc::Status s = f_.ChainOffice("pv")(&SupportStub::ComputeLocalRate, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // Streams `chunks` as one import, as `token` (an admin's when empty).
  grpc::Status Import(const std::vector<std::string>& chunks, v1::ImportRowsResponse* resp,
                      bool validate_only = false, const std::string& token = "") {
    auto ctx =
        ContextWithToken(token.empty() ? MintTestToken("systems/test-admin", {"admin"}) : token);
    auto writer = f_.stub().ImportSupplierSpend(ctx.get(), resp);
    for (const std::string& chunk : chunks) {
      v1::ImportRowsRequest msg;
      msg.set_csv(chunk);
      msg.set_validate_only(validate_only);
      if (!writer->Write(msg)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  SupportFixture f_;
  std::string a_, b_, battery_;
};

TEST_F(SupportSpend, AReportIsStoredWithItsTotalAndAReReportReplacesIt) {
  const v1::SupplierSpend stored = Report(f_.ChainOffice("pv"), ReportA());
  EXPECT_EQ(stored.name(), "chains/pv/spend/" + TestCreditCode("341100", 1) + "/2026-Q2");
  EXPECT_EQ(stored.total_yuan(), 1000);
  EXPECT_EQ(stored.lines_size(), 4);
  EXPECT_EQ(stored.principal(), "departments/fgw");

  v1::ReportSupplierSpendRequest again = ReportA();
  again.mutable_spend()->mutable_lines()->DeleteSubrange(2, 2);
  const v1::SupplierSpend replaced = Report(f_.Admin(), again);
  EXPECT_EQ(replaced.total_yuan(), 700);

  v1::ListSupplierSpendRequest list;
  list.set_parent("chains/pv");
  v1::ListSupplierSpendResponse resp;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ListSupplierSpend, list, &resp).ok());
  ASSERT_EQ(resp.spend_size(), 1);
  EXPECT_EQ(resp.spend(0).lines_size(), 2);
  EXPECT_EQ(resp.spend(0).total_yuan(), 700);

  Report(f_.Admin(), ReportB());
  Report(f_.Admin(), ReportA("2026-Q3"));
  list.set_filter("period = 2026-Q2");
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, list, &resp).ok());
  EXPECT_EQ(resp.spend_size(), 2);
  list.set_filter(absl::StrCat("reporter = \"", a_, "\""));
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, list, &resp).ok());
  EXPECT_EQ(resp.spend_size(), 2);
  list.set_filter("");
  list.set_page_size(2);
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, list, &resp).ok());
  EXPECT_EQ(resp.spend_size(), 2);
  ASSERT_FALSE(resp.next_page_token().empty());
  list.set_page_token(resp.next_page_token());
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, list, &resp).ok());
  EXPECT_EQ(resp.spend_size(), 1);
  EXPECT_TRUE(resp.next_page_token().empty());

  // Every report is in the audit trail.
  common::v1::ListAuditEventsRequest audit;
  audit.set_filter("resource = \"" + stored.name() + "\"");
  common::v1::ListAuditEventsResponse rows;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAuditEvents, audit, &rows).ok());
  EXPECT_EQ(rows.audit_events_size(), 2);
}

TEST_F(SupportSpend, OnlyTheChainsOwnOfficeAndAdminsSeeOrWriteSpend) {
  Report(f_.Admin(), ReportA());
  v1::ListSupplierSpendRequest list;
  list.set_parent("chains/pv");
  v1::ComputeLocalRateRequest rate;
  rate.set_chain("chains/pv");
  rate.set_period("2026-Q2");
  for (SupportCaller as : {f_.Viewer(), f_.Department("jxj"), f_.ChainOffice("nev-battery")}) {
    v1::SupplierSpend spend;
    EXPECT_EQ(as(&SupportStub::ReportSupplierSpend, ReportA(), &spend).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ListSupplierSpendResponse listed;
    EXPECT_EQ(as(&SupportStub::ListSupplierSpend, list, &listed).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::LocalRateResponse computed;
    EXPECT_EQ(as(&SupportStub::ComputeLocalRate, rate, &computed).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  // chains/- is what the caller may see: nothing of pv for another chain's office.
  list.set_parent("chains/-");
  v1::ListSupplierSpendResponse listed;
  ASSERT_TRUE(f_.ChainOffice("nev-battery")(&SupportStub::ListSupplierSpend, list, &listed).ok());
  EXPECT_EQ(listed.spend_size(), 0);
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ListSupplierSpend, list, &listed).ok());
  EXPECT_EQ(listed.spend_size(), 1);
  EXPECT_EQ(f_.Viewer()(&SupportStub::ListSupplierSpend, list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Importing takes the same rights, row by row.
  v1::ImportRowsResponse imported;
  EXPECT_EQ(Import({"chain,reporter,period,supplier_credit_code,supplier_name,supplier_division,"
                    "amount_yuan\n"},
                   &imported, false, MintTestToken("systems/test-viewer", {"viewer"}))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string row = absl::StrCat("pv,", a_, ",2026-Q3,", kHefei, ",,,10\n");
  EXPECT_EQ(
      Import({"chain,reporter,period,supplier_credit_code,supplier_name,supplier_division,"
              "amount_yuan\n",
              row},
             &imported, false, MintTestToken("departments/fgw", {"chain_office"}, {"nev-battery"}))
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SupportSpend, BadLinesAreRefusedNamingTheLineAndTheRule) {
  struct Case {
    std::string field;
    v1::SpendLine line;
  };
  std::string bad_check = kHefei;
  bad_check.back() = bad_check.back() == '1' ? '2' : '1';
  const std::vector<Case> cases = {
      {"spend.lines[4].supplier_credit_code", Line(bad_check, 1)},
      {"spend.lines[4].supplier_division", Line("", 1, "3411", "某厂")},
      {"spend.lines[4].supplier_credit_code", Line("", 1, "", "无代码无区划")},
      {"spend.lines[4].amount_yuan", Line(kBeijing, -1)},
      {"spend.lines[4].supplier_credit_code", Line(kHefei, 5)},  // listed twice
      {"spend.lines[4].supplier_name", Line(kBeijing, 5, "", "a\x01")},
  };
  for (const Case& c : cases) {
    v1::ReportSupplierSpendRequest req = ReportA();
    *req.mutable_spend()->add_lines() = c.line;
    v1::SupplierSpend out;
    grpc::Status s = f_.Admin()(&SupportStub::ReportSupplierSpend, req, &out);
    EXPECT_TRUE(NamesField(s, c.field)) << c.field << ": " << s.error_message();
  }
  // The reporter must be a firm of the chain, as support's copy of the registry knows it.
  v1::ReportSupplierSpendRequest req = ReportA();
  req.mutable_spend()->set_reporter(battery_);
  v1::SupplierSpend out;
  EXPECT_TRUE(
      NamesField(f_.Admin()(&SupportStub::ReportSupplierSpend, req, &out), "spend.reporter"));
  req.mutable_spend()->set_reporter("enterprises/" + TestCreditCode("341100", 999));
  EXPECT_EQ(f_.Admin()(&SupportStub::ReportSupplierSpend, req, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
  req = ReportA();
  req.mutable_spend()->set_period("2026-Q5");
  EXPECT_TRUE(NamesField(f_.Admin()(&SupportStub::ReportSupplierSpend, req, &out), "spend.period"));
  req = ReportA();
  for (int i = 0; i < 5000; ++i) {
    *req.mutable_spend()->add_lines() = Line("", 1, "341100", absl::StrCat("厂", i));
  }
  EXPECT_TRUE(NamesField(f_.Admin()(&SupportStub::ReportSupplierSpend, req, &out), "spend.lines"));

  v1::ListSupplierSpendRequest list;
  list.set_parent("chains/pv");
  v1::ListSupplierSpendResponse listed;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, list, &listed).ok());
  EXPECT_EQ(listed.spend_size(), 0);
}

TEST_F(SupportSpend, TheLocalRateIsAmountWeightedInTheCityTheProvinceAndTheRegion) {
  Report(f_.Admin(), ReportA());
  Report(f_.Admin(), ReportB());

  // In the city (3411xx): A 400 of 1000; B 1000 + 500 of 5000; overall 1900 of 6000.
  v1::LocalRateResponse city = Rate({});
  EXPECT_EQ(city.chain(), "chains/pv");
  EXPECT_EQ(city.period(), "2026-Q2");
  EXPECT_EQ(city.scope(), v1::IN_CITY);
  EXPECT_EQ(city.overall().reporter(), "");
  EXPECT_EQ(city.overall().total_yuan(), 6000);
  EXPECT_EQ(city.overall().local_yuan(), 1900);
  EXPECT_DOUBLE_EQ(city.overall().rate(), 1900.0 / 6000.0);
  // Seven distinct suppliers (A's and B's 来安 supplier is one), two of them in the city.
  EXPECT_EQ(city.overall().suppliers(), 7);
  EXPECT_EQ(city.overall().local_suppliers(), 2);
  ASSERT_EQ(city.firms_size(), 2);
  EXPECT_EQ(city.firms(0).reporter(), a_);
  EXPECT_EQ(city.firms(0).display_name(), "滁州甲光伏");
  EXPECT_DOUBLE_EQ(city.firms(0).rate(), 0.4);
  EXPECT_EQ(city.firms(0).suppliers(), 4);
  EXPECT_EQ(city.firms(0).local_suppliers(), 1);
  EXPECT_EQ(city.firms(1).reporter(), b_);
  EXPECT_DOUBLE_EQ(city.firms(1).rate(), 0.3);
  EXPECT_EQ(city.firms(1).local_suppliers(), 2);

  // In Anhui (34xxxx): A 700, B 1500; 2200 of 6000.
  v1::ComputeLocalRateRequest province;
  province.set_scope(v1::IN_PROVINCE);
  v1::LocalRateResponse anhui = Rate(province);
  EXPECT_EQ(anhui.overall().local_yuan(), 2200);
  EXPECT_DOUBLE_EQ(anhui.overall().rate(), 2200.0 / 6000.0);
  EXPECT_DOUBLE_EQ(anhui.firms(0).rate(), 0.7);

  // In 长三角 (31-34): A 900, B 3000; 3900 of 6000 = 65%.
  v1::ComputeLocalRateRequest region;
  region.set_scope(v1::IN_REGION);
  v1::LocalRateResponse delta = Rate(region);
  EXPECT_EQ(delta.overall().local_yuan(), 3900);
  EXPECT_DOUBLE_EQ(delta.overall().rate(), 0.65);
  // A region of Anhui and Jiangsu only: A 900, B 1500.
  region.add_region_provinces("34");
  region.add_region_provinces("32");
  EXPECT_EQ(Rate(region).overall().local_yuan(), 2400);

  // The reporting set: B alone is B's rate, not a mean with A.
  v1::ComputeLocalRateRequest only_b;
  only_b.add_reporters(b_);
  v1::LocalRateResponse b = Rate(only_b);
  EXPECT_EQ(b.overall().total_yuan(), 5000);
  EXPECT_DOUBLE_EQ(b.overall().rate(), 0.3);
  ASSERT_EQ(b.firms_size(), 1);
  // A reporter of the set without a report is listed at 0.
  only_b.add_reporters("enterprises/" + TestCreditCode("341100", 3));
  v1::LocalRateResponse with_silent = Rate(only_b);
  ASSERT_EQ(with_silent.firms_size(), 2);
  EXPECT_EQ(with_silent.firms(1).total_yuan(), 0);
  EXPECT_EQ(with_silent.firms(1).display_name(), "滁州丙电池");

  // Another city: Hefei (3401xx) holds A's 300 only.
  v1::ComputeLocalRateRequest hefei;
  hefei.set_city_code("340100");
  EXPECT_EQ(Rate(hefei).overall().local_yuan(), 300);

  // A period nobody reported: nothing, rate 0.
  v1::ComputeLocalRateRequest q3;
  q3.set_period("2026-Q3");
  EXPECT_EQ(Rate(q3).overall().total_yuan(), 0);
  EXPECT_EQ(Rate(q3).firms_size(), 0);
}

TEST_F(SupportSpend, BadLocalityParametersAreRefusedNamingTheRequestField) {
  struct Case {
    std::string field;
    std::function<void(v1::ComputeLocalRateRequest*)> spoil;
  };
  const std::vector<Case> cases = {
      {"city_code", [](v1::ComputeLocalRateRequest* r) { r->set_city_code("340000"); }},
      {"city_code", [](v1::ComputeLocalRateRequest* r) { r->set_city_code("3411"); }},
      {"region_provinces[1]",
       [](v1::ComputeLocalRateRequest* r) {
         r->add_region_provinces("34");
         r->add_region_provinces("anhui");
       }},
      {"scope",
       [](v1::ComputeLocalRateRequest* r) { r->set_scope(static_cast<v1::LocalScope>(9)); }},
      {"period", [](v1::ComputeLocalRateRequest* r) { r->set_period("Q2"); }},
      {"reporters[0]", [](v1::ComputeLocalRateRequest* r) { r->add_reporters("甲光伏"); }},
  };
  for (const Case& c : cases) {
    v1::ComputeLocalRateRequest req;
    req.set_chain("chains/pv");
    req.set_period("2026-Q2");
    c.spoil(&req);
    v1::LocalRateResponse out;
    grpc::Status s = f_.Admin()(&SupportStub::ComputeLocalRate, req, &out);
    EXPECT_TRUE(NamesField(s, c.field)) << c.field << ": " << s.error_message();
  }
}

TEST_F(SupportSpend, AnImportReplacesEachReportAndAReImportChangesNothing) {
  const std::string header =
      "chain,reporter,period,supplier_credit_code,supplier_name,supplier_division,amount_yuan\n";
  const std::string rows = absl::StrCat(
      "pv,", a_, ",2026-Q3,", kLaian, ",来安某胶膜厂,,600\n",                         //
      "chains/pv,", TestCreditCode("341100", 1), ",2026-Q3,", kShenzhen, ",,,400\n",  //
      "pv,", b_, ",2026-Q3,,\"南谯区某包装厂, 二分厂\",341103,250\n");
  v1::ImportRowsResponse resp;
  ASSERT_TRUE(Import({header, rows}, &resp, /*validate_only=*/true).ok());
  EXPECT_EQ(resp.rows(), 3);
  EXPECT_EQ(resp.created(), 3);
  EXPECT_EQ(resp.errors_size(), 0);
  v1::ComputeLocalRateRequest q3;
  q3.set_period("2026-Q3");
  EXPECT_EQ(Rate(q3).overall().total_yuan(), 0);  // validate_only stored nothing

  ASSERT_TRUE(Import({header + rows}, &resp).ok());
  EXPECT_EQ(resp.created(), 3);
  EXPECT_EQ(resp.unchanged(), 0);
  const v1::LocalRateResponse rate = Rate(q3);
  EXPECT_EQ(rate.overall().total_yuan(), 1250);
  EXPECT_EQ(rate.overall().local_yuan(), 850);
  ASSERT_EQ(rate.firms_size(), 2);
  EXPECT_EQ(rate.firms(0).total_yuan(), 1000);

  v1::ImportRowsResponse again;
  ASSERT_TRUE(Import({header, rows}, &again).ok());
  EXPECT_EQ(again.created(), 0);
  EXPECT_EQ(again.unchanged(), 3);
}

TEST_F(SupportSpend, AnImportWithABadRowStoresNothingAndNamesEveryBadLine) {
  const std::string header =
      "chain,reporter,period,supplier_credit_code,supplier_name,supplier_division,amount_yuan\n";
  const std::string rows =
      absl::StrCat("pv,", a_, ",2026-Q3,", kLaian, ",,,600\n",       // line 2: fine
                   "pv,", a_, ",2026-Q3,", kHefei, ",,,-5\n",        // line 3: negative
                   "pv,", a_, ",2026-Q3,", kLaian, ",,,10\n",        // line 4: the supplier again
                   "pv,", battery_, ",2026-Q3,", kHefei, ",,,10\n",  // line 5: not on pv
                   "pv,", b_, ",2026-13,", kHefei, ",,,10\n",        // line 6: no such month
                   "pv,", b_, ",2026-Q3,,,3411,10\n");  // line 7: no code, bad division
  v1::ImportRowsResponse resp;
  ASSERT_TRUE(Import({header, rows}, &resp).ok());
  EXPECT_EQ(resp.rows(), 6);
  EXPECT_EQ(resp.created(), 0);
  std::vector<std::string> errors(resp.errors().begin(), resp.errors().end());
  ASSERT_GE(errors.size(), 5u) << absl::StrJoin(errors, "\n");
  EXPECT_EQ(errors[0], "line 3: amount_yuan: must be ≥ 0");
  EXPECT_TRUE(absl::StartsWith(errors[1],
                               "line 4: supplier_credit_code: the supplier is already "
                               "on line 2"))
      << errors[1];
  EXPECT_TRUE(absl::StartsWith(errors[2], "line 5: reporter: ")) << errors[2];
  EXPECT_TRUE(absl::StartsWith(errors[3], "line 6: period: ")) << errors[3];
  EXPECT_TRUE(absl::StartsWith(errors[4], "line 7: supplier_division: ")) << errors[4];
  v1::ComputeLocalRateRequest q3;
  q3.set_period("2026-Q3");
  EXPECT_EQ(Rate(q3).overall().total_yuan(), 0);

  // A header that is not the import's is refused whole.
  EXPECT_EQ(Import({"chain,reporter,period,amount\n"}, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Import({}, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SupportSpend, TheSampleFileImportsAndGivesTheRatesItsDocumentationStates) {
  // The four chain-owner firms of data/support/supplier-spend.csv, as the registry has them.
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"91341125037807203E", "安徽弘隆光能玻璃股份有限公司"},
           {"91341102081930284U", "滁州市润越太阳能科技有限公司"},
           {"9134112667169711XG", "凤阳县德越光伏科技有限公司"},
           {"91341125MA2RPJ7Q0M", "安徽康翔光能科技有限公司"}}) {
    registry::v1::Enterprise e;
    e.set_credit_code(code);
    e.set_name("enterprises/" + code);
    e.set_display_name(name);
    e.set_county("定远县");
    e.add_memberships("chains/pv/nodes/pv-module");
    f_.AddEnterprise(e);
  }
  std::ifstream file(std::string(CHAINHUB_SOURCE_DIR) + "/data/support/supplier-spend.csv");
  ASSERT_TRUE(file.good());
  std::stringstream csv;
  csv << file.rdbuf();
  v1::ImportRowsResponse resp;
  ASSERT_TRUE(Import({csv.str()}, &resp).ok());
  EXPECT_EQ(resp.errors_size(), 0) << (resp.errors_size() > 0 ? resp.errors(0) : "");
  EXPECT_EQ(resp.rows(), 32);
  EXPECT_EQ(resp.created(), 32);
  // docs/support/local-rate.md: 28.7% in the city, 31.2% in Anhui, 67.1% in 长三角.
  const v1::LocalRateResponse city = Rate({});
  EXPECT_EQ(city.overall().total_yuan(), 3'540'000'000);
  EXPECT_EQ(city.overall().local_yuan(), 1'016'000'000);
  EXPECT_NEAR(city.overall().rate(), 0.287, 0.0005);
  EXPECT_EQ(city.overall().suppliers(), 31);
  ASSERT_EQ(city.firms_size(), 4);
  v1::ComputeLocalRateRequest province;
  province.set_scope(v1::IN_PROVINCE);
  EXPECT_NEAR(Rate(province).overall().rate(), 0.312, 0.0005);
  v1::ComputeLocalRateRequest region;
  region.set_scope(v1::IN_REGION);
  EXPECT_NEAR(Rate(region).overall().rate(), 0.671, 0.0005);
}

}  // namespace
}  // namespace chainhub::testing
