#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/base/credit_code.h"
#include "services/support/local_rate.h"

namespace chainhub::support {
namespace {

// A valid 统一社会信用代码 of a company (91) registered in `division`, told apart by `serial`
// (positions 9-17), with its check character computed by the standard's algorithm.
std::string Code(const std::string& division, const std::string& serial = "MA2N0A1B2") {
  const std::string first17 = "91" + division + serial;
  return first17 + CreditCodeCheckChar(first17).value();
}

// Real divisions: 滁州 琅琊区 341102, 天长市 341181, 南谯区 341103; 合肥 蜀山区 340104; 南京 鼓楼区
// 320106; 上海 浦东新区 310115; 深圳 南山区 440305.
const std::string kReporter = Code("341102", "MA2N0R001");  // a 滁州 chain-owner firm
const std::string kOtherReporter = Code("341181", "MA2N0R002");
const std::string kIdleReporter = Code("341103", "MA2N0R003");  // reports nothing

SpendLine Line(const std::string& reporter, const std::string& supplier, int64_t amount_yuan,
               const std::string& division = "") {
  return {reporter, supplier, division, amount_yuan};
}

LocalityParams Scope(LocalScope scope) {
  LocalityParams p;
  p.scope = scope;
  return p;
}

// One firm buying 1000 from six suppliers:
//   600 滁州 琅琊区, 200 滁州 天长市, 100 合肥, 50 南京, 30 上海, 20 深圳.
// City (3411): 800 / 1000 = 80%, 2 of 6 suppliers; province (34): 900 / 1000 = 90%, 3 of 6;
// 长三角 (31-34): 980 / 1000 = 98%, 5 of 6.
std::vector<SpendLine> OneFirm() {
  return {
      Line(kReporter, Code("341102", "MA2N0T001"), 600),
      Line(kReporter, Code("341181", "MA2N0T002"), 200),
      Line(kReporter, Code("340104", "MA2N0T003"), 100),
      Line(kReporter, Code("320106", "MA2N0T004"), 50),
      Line(kReporter, Code("310115", "MA2N0T005"), 30),
      Line(kReporter, Code("440305", "MA2N0T006"), 20),
  };
}

TEST(SupportLocalRate, TheScopeDecidesWhichSuppliersAreLocal) {
  struct Case {
    LocalScope scope;
    int64_t local_yuan;
    double rate;
    int64_t local_suppliers;
  } cases[] = {
      {LocalScope::kCity, 800, 0.8, 2},
      {LocalScope::kProvince, 900, 0.9, 3},
      {LocalScope::kRegion, 980, 0.98, 5},
  };
  for (const Case& c : cases) {
    const LocalRateResult r = ComputeLocalRate(OneFirm(), Scope(c.scope), {});
    SCOPED_TRACE(static_cast<int>(c.scope));
    EXPECT_EQ(r.overall.reporter, "");
    EXPECT_EQ(r.overall.total_yuan, 1000);
    EXPECT_EQ(r.overall.local_yuan, c.local_yuan);
    EXPECT_DOUBLE_EQ(r.overall.rate, c.rate);
    EXPECT_EQ(r.overall.suppliers, 6);
    EXPECT_EQ(r.overall.local_suppliers, c.local_suppliers);
    ASSERT_EQ(r.firms.size(), 1u);
    EXPECT_EQ(r.firms[0].reporter, kReporter);
    EXPECT_DOUBLE_EQ(r.firms[0].rate, c.rate);
  }
}

TEST(SupportLocalRate, IsLocalComparesTheDivisionPrefixOfTheScope) {
  const LocalityParams city = Scope(LocalScope::kCity);
  EXPECT_TRUE(IsLocal("341100", city));
  EXPECT_TRUE(IsLocal("341182", city));   // 明光市
  EXPECT_FALSE(IsLocal("340104", city));  // 合肥
  EXPECT_TRUE(IsLocal("340104", Scope(LocalScope::kProvince)));
  EXPECT_FALSE(IsLocal("320106", Scope(LocalScope::kProvince)));  // 南京
  EXPECT_TRUE(IsLocal("320106", Scope(LocalScope::kRegion)));
  EXPECT_TRUE(IsLocal("310115", Scope(LocalScope::kRegion)));   // 上海
  EXPECT_FALSE(IsLocal("440305", Scope(LocalScope::kRegion)));  // 广东
  // Another city and region: 合肥 in the Pearl River Delta's terms.
  LocalityParams hefei;
  hefei.city_code = "340100";
  hefei.region_provinces = {"44", "45"};
  EXPECT_TRUE(IsLocal("340104", hefei));
  EXPECT_FALSE(IsLocal("341102", hefei));
  hefei.scope = LocalScope::kRegion;
  EXPECT_TRUE(IsLocal("440305", hefei));
  EXPECT_FALSE(IsLocal("340104", hefei));
  // Anything but six digits is nowhere.
  for (const char* bad : {"", "3411", "34110", "3411022", "34110X", "３４１１０２"}) {
    EXPECT_FALSE(IsLocal(bad, city)) << bad;
  }
}

TEST(SupportLocalRate, DivisionOfCreditCodeIsCharactersThreeToEight) {
  EXPECT_EQ(DivisionOfCreditCode(Code("341181")).value(), "341181");
  EXPECT_EQ(DivisionOfCreditCode("91330100716105852F").value(), "330100");  // 阿里巴巴（中国）
  std::string bad_check = Code("341181");
  bad_check[17] = bad_check[17] == '0' ? '1' : '0';
  for (const std::string& bad : {bad_check, std::string("9134110"), std::string()}) {
    absl::StatusOr<std::string> division = DivisionOfCreditCode(bad);
    ASSERT_FALSE(division.ok()) << bad;
    EXPECT_EQ(division.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(division.status().message(), "supplier_credit_code: "))
        << division.status();
  }
}

TEST(SupportLocalRate, AnExplicitDivisionOverridesTheCreditCode) {
  // 100 from a 深圳-registered supplier whose plant is in 南谯区 (local), 100 from a
  // 滁州-registered supplier delivering from 深圳 (not local): 100 / 200 = 50%.
  const std::vector<SpendLine> lines = {
      Line(kReporter, Code("440305", "MA2N0T007"), 100, "341103"),
      Line(kReporter, Code("341102", "MA2N0T008"), 100, "440305"),
  };
  const LocalRateResult r = ComputeLocalRate(lines, LocalityParams{}, {});
  EXPECT_EQ(r.overall.local_yuan, 100);
  EXPECT_DOUBLE_EQ(r.overall.rate, 0.5);
  EXPECT_EQ(r.overall.local_suppliers, 1);
  // An explicit division that is not a division places the supplier nowhere, even when its
  // credit code is local.
  const LocalRateResult bad = ComputeLocalRate(
      {Line(kReporter, Code("341102", "MA2N0T008"), 100, "3411")}, LocalityParams{}, {});
  EXPECT_EQ(bad.overall.local_yuan, 0);
}

TEST(SupportLocalRate, ASupplierThatCannotBePlacedIsNotLocal) {
  std::string bad_check = Code("341102", "MA2N0T010");
  bad_check[17] = bad_check[17] == '0' ? '1' : '0';
  // 300 local; 100 from a supplier with neither credit code nor division (abroad, say); 100 from
  // one whose credit code does not validate. 300 / 500 = 60%. Both unplaced lines count as
  // suppliers: 3 suppliers, 1 local.
  const std::vector<SpendLine> lines = {
      Line(kReporter, Code("341102", "MA2N0T009"), 300),
      Line(kReporter, "", 100),
      Line(kReporter, bad_check, 100),
  };
  const LocalRateResult r = ComputeLocalRate(lines, LocalityParams{}, {});
  EXPECT_EQ(r.overall.total_yuan, 500);
  EXPECT_EQ(r.overall.local_yuan, 300);
  EXPECT_DOUBLE_EQ(r.overall.rate, 0.6);
  EXPECT_EQ(r.overall.suppliers, 3);
  EXPECT_EQ(r.overall.local_suppliers, 1);
}

TEST(SupportLocalRate, SuppliersAreCountedOncePerCreditCode) {
  const std::string shanghai = Code("310115", "MA2N0T005");
  // The firm buys from the same 上海 supplier twice and from two suppliers without credit codes;
  // the other firm buys from the same 上海 supplier too.
  const std::vector<SpendLine> lines = {
      Line(kReporter, shanghai, 10),      Line(kReporter, shanghai, 20),
      Line(kReporter, "", 5, "341102"),   Line(kReporter, "", 5, "341102"),
      Line(kOtherReporter, shanghai, 40),
  };
  const LocalRateResult r = ComputeLocalRate(lines, LocalityParams{}, {});
  ASSERT_EQ(r.firms.size(), 2u);
  const LocalRate& firm = r.firms[0].reporter == kReporter ? r.firms[0] : r.firms[1];
  // 上海 once, the two uncoded lines each: 3 suppliers, the 2 uncoded ones local.
  EXPECT_EQ(firm.suppliers, 3);
  EXPECT_EQ(firm.local_suppliers, 2);
  // Across both firms 上海 still counts once.
  EXPECT_EQ(r.overall.suppliers, 3);
  EXPECT_EQ(r.overall.local_suppliers, 2);
  // A supplier is local when any of its lines is.
  const LocalRateResult mixed =
      ComputeLocalRate({Line(kReporter, shanghai, 10), Line(kReporter, shanghai, 10, "341102")},
                       LocalityParams{}, {});
  EXPECT_EQ(mixed.overall.suppliers, 1);
  EXPECT_EQ(mixed.overall.local_suppliers, 1);
  EXPECT_EQ(mixed.overall.local_yuan, 10);
}

TEST(SupportLocalRate, TheOverallRateWeighsFirmsByWhatTheyBuy) {
  // Firm 1: 800 of 1000 local (80%). Firm 2: 0 of 100 local (all 上海).
  // Overall: 800 / 1100 = 72.7%, not the mean of the rates (80% + 0%) / 2 = 40%.
  std::vector<SpendLine> lines = OneFirm();
  lines.push_back(Line(kOtherReporter, Code("310115", "MA2N0T005"), 100));
  const LocalRateResult r = ComputeLocalRate(lines, LocalityParams{}, {});
  EXPECT_EQ(r.overall.total_yuan, 1100);
  EXPECT_EQ(r.overall.local_yuan, 800);
  EXPECT_DOUBLE_EQ(r.overall.rate, 800.0 / 1100);
  ASSERT_EQ(r.firms.size(), 2u);
  // Sorted by reporter: both 91341…, then 1102 before 1181.
  EXPECT_EQ(r.firms[0].reporter, kReporter);
  EXPECT_DOUBLE_EQ(r.firms[0].rate, 0.8);
  EXPECT_EQ(r.firms[1].reporter, kOtherReporter);
  EXPECT_EQ(r.firms[1].rate, 0);
  EXPECT_EQ(r.firms[1].total_yuan, 100);
}

TEST(SupportLocalRate, TheReportingSetPicksTheFirmsAndListsThoseWithoutLines) {
  std::vector<SpendLine> lines = OneFirm();
  lines.push_back(Line(kOtherReporter, Code("310115", "MA2N0T005"), 100));
  // The set leaves out the other firm and names an idle one: overall is the first firm's alone,
  // 800 / 1000; the idle firm is listed with nothing.
  const LocalRateResult r =
      ComputeLocalRate(lines, LocalityParams{}, std::set<std::string>{kReporter, kIdleReporter});
  EXPECT_EQ(r.overall.total_yuan, 1000);
  EXPECT_DOUBLE_EQ(r.overall.rate, 0.8);
  ASSERT_EQ(r.firms.size(), 2u);
  EXPECT_EQ(r.firms[0].reporter, kReporter);
  EXPECT_EQ(r.firms[1].reporter, kIdleReporter);
  EXPECT_EQ(r.firms[1].total_yuan, 0);
  EXPECT_EQ(r.firms[1].rate, 0);
  EXPECT_EQ(r.firms[1].suppliers, 0);
}

TEST(SupportLocalRate, NoLinesGiveAZeroRate) {
  const LocalRateResult r = ComputeLocalRate({}, LocalityParams{}, {});
  EXPECT_EQ(r.overall.total_yuan, 0);
  EXPECT_EQ(r.overall.rate, 0);
  EXPECT_TRUE(r.firms.empty());
  // A firm whose lines sum to zero (a purchase and its full refund) is listed with rate 0.
  const LocalRateResult refunded =
      ComputeLocalRate({Line(kReporter, Code("341102", "MA2N0T001"), 100),
                        Line(kReporter, Code("341102", "MA2N0T001"), -100)},
                       LocalityParams{}, {});
  ASSERT_EQ(refunded.firms.size(), 1u);
  EXPECT_EQ(refunded.firms[0].total_yuan, 0);
  EXPECT_EQ(refunded.firms[0].rate, 0);
}

TEST(SupportLocalRate, DefaultParamsAreChuzhouAndTheYangtzeDelta) {
  const LocalityParams p;
  EXPECT_EQ(p.scope, LocalScope::kCity);
  EXPECT_EQ(p.city_code, "341100");
  EXPECT_EQ(p.region_provinces, (std::vector<std::string>{"31", "32", "33", "34"}));
  EXPECT_TRUE(CheckLocalityParams(p).ok());
}

TEST(SupportLocalRate, CheckLocalityParamsNamesEachBadField) {
  for (const char* bad : {"", "3411", "341101", "34110A", "340000", "3411000"}) {
    LocalityParams p;
    p.city_code = bad;
    const absl::Status s = CheckLocalityParams(p);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(s.message(), "locality.city_code: must be a city's 6-digit")) << s;
  }
  LocalityParams p;
  p.region_provinces = {"31", "3", "34", "X4"};
  const absl::Status s = CheckLocalityParams(p);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "locality.region_provinces[1]: must be a province's"))
      << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "locality.region_provinces[3]: ")) << s;
  EXPECT_FALSE(absl::StrContains(s.message(), "region_provinces[0]")) << s;

  LocalityParams empty_region = Scope(LocalScope::kRegion);
  empty_region.region_provinces.clear();
  EXPECT_TRUE(absl::StartsWith(CheckLocalityParams(empty_region).message(),
                               "locality.region_provinces: must name at least one province"));
  // Without the region scope an empty list is harmless.
  empty_region.scope = LocalScope::kProvince;
  EXPECT_TRUE(CheckLocalityParams(empty_region).ok());
}

}  // namespace
}  // namespace chainhub::support
