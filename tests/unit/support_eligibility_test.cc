// Eligibility rules of policy items (services/support/eligibility.h): the facts, AND/OR/NOT,
// multi-valued facts, years since founding around an anniversary, the reasons a verdict gives,
// amounts with bonuses and a cap, and every error naming the caller's field.
#include <chrono>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "services/support/eligibility.h"

namespace chainhub::support {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

absl::CivilDay Day(int year, int month, int day) { return absl::CivilDay(year, month, day); }

const absl::CivilDay kToday = Day(2026, 6, 15);

// A valid 统一社会信用代码 registered in 滁州.
std::string CreditCode() {
  const std::string first17 = "91341100MA2N00001";
  return first17 + *CreditCodeCheckChar(first17);
}

// A specialized pv module maker in 南谯区 with 62,000,000 yuan of output, founded 2020-06-15.
EnterpriseFacts Maker() {
  EnterpriseFacts e;
  e.credit_code = CreditCode();
  e.display_name = "滁州某光伏科技有限公司";
  e.county = "南谯区";
  e.park = "滁州经开区";
  e.annual_output_yuan = 62'000'000;
  e.founding_date = "2020-06-15";
  e.labels = {"ABOVE_SIZE", "SPECIALIZED"};
  e.chains = {"new-materials", "pv"};
  e.nodes = {"chains/new-materials/nodes/glass", "chains/pv/nodes/modules"};
  return e;
}

EligibilityRule Rule(const std::string& text) {
  auto rule = EligibilityRule::Compile("item.eligibility", text);
  EXPECT_TRUE(rule.ok()) << text << ": " << rule.status();
  return rule.ok() ? *rule : EligibilityRule();
}

bool Holds(const std::string& text, const EnterpriseFacts& e = Maker(),
           absl::CivilDay as_of = kToday) {
  return Rule(text).Holds(e, as_of);
}

std::string CompileError(const std::string& text, const std::string& field = "item.eligibility") {
  auto rule = EligibilityRule::Compile(field, text);
  EXPECT_FALSE(rule.ok()) << text;
  if (rule.ok()) return "";
  EXPECT_EQ(rule.status().code(), absl::StatusCode::kInvalidArgument) << text;
  return std::string(rule.status().message());
}

TEST(SupportEligibility, EachFactComparesAsItsTypeSays) {
  EXPECT_TRUE(Holds("chain = \"pv\""));
  EXPECT_TRUE(Holds("chain = chains/pv"));
  EXPECT_TRUE(Holds("node = \"chains/pv/nodes/modules\""));
  EXPECT_TRUE(Holds("label = SPECIALIZED"));
  EXPECT_TRUE(Holds("label = ENTERPRISE_LABEL_SPECIALIZED"));
  EXPECT_TRUE(Holds("county = \"南谯区\""));
  EXPECT_TRUE(Holds("park != \"琅琊经开区\""));
  EXPECT_TRUE(Holds(absl::StrCat("credit_code = \"", CreditCode(), "\"")));
  EXPECT_TRUE(Holds("annual_output_yuan >= 50000000"));
  EXPECT_TRUE(Holds("annual_output_yuan < 62000001"));
  EXPECT_FALSE(Holds("annual_output_yuan > 62000000"));
  EXPECT_TRUE(Holds("founding_date <= 2020-06-15"));
  EXPECT_FALSE(Holds("founding_date < 2020-06-15"));
  EXPECT_TRUE(Holds("years_since_founding = 6"));
}

TEST(SupportEligibility, AndOrAndNotCombineAsTheyRead) {
  EXPECT_TRUE(Holds("chain = pv AND label = SPECIALIZED AND annual_output_yuan >= 50000000"));
  EXPECT_FALSE(Holds("chain = pv AND label = HEAD"));
  EXPECT_TRUE(Holds("label = HEAD OR label = SPECIALIZED"));
  EXPECT_FALSE(Holds("label = HEAD OR label = CHAIN_OWNER"));
  EXPECT_FALSE(Holds("NOT county = \"南谯区\""));
  EXPECT_TRUE(Holds("NOT (label = HEAD OR county = \"琅琊区\")"));
  EXPECT_TRUE(Holds("chain = pv (label = HEAD OR annual_output_yuan > 60000000)"));
  EXPECT_TRUE(Holds("-label = HIGH_TECH"));
  // The example from the API.
  EXPECT_FALSE(
      Holds("chain = \"pv\" AND label = \"SPECIALIZED\" AND annual_output_yuan >= "
            "50000000\nAND years_since_founding >= 2 AND NOT county = \"南谯区\""));
}

TEST(SupportEligibility, AMultiValuedFactEqualsWhenAnyValueDoesAndDiffersWhenNoneDoes) {
  EXPECT_TRUE(Holds("chain = \"new-materials\""));
  EXPECT_TRUE(Holds("chain = \"pv\""));
  // != holds only when no value equals: the maker is on pv, so "not on pv" fails.
  EXPECT_FALSE(Holds("chain != \"pv\""));
  EXPECT_TRUE(Holds("chain != \"semiconductor\""));
  EXPECT_FALSE(Holds("label != ABOVE_SIZE"));
  EXPECT_TRUE(Holds("label != HEAD"));
  EXPECT_FALSE(Holds("node != \"chains/pv/nodes/modules\""));
  EnterpriseFacts none = Maker();
  none.labels.clear();
  EXPECT_FALSE(Holds("label = HEAD", none));
  EXPECT_TRUE(Holds("label != HEAD", none));
}

TEST(SupportEligibility, YearsSinceFoundingGoesUpOnTheAnniversary) {
  const EligibilityRule six = Rule("years_since_founding >= 6");
  EXPECT_FALSE(six.Holds(Maker(), Day(2026, 6, 14)));
  EXPECT_TRUE(six.Holds(Maker(), Day(2026, 6, 15)));
  EXPECT_TRUE(six.Holds(Maker(), Day(2026, 6, 16)));
  EXPECT_EQ(YearsSinceFounding("2020-06-15", Day(2026, 6, 14)), 5);
  EXPECT_EQ(YearsSinceFounding("2020-06-15", Day(2026, 6, 15)), 6);
  EXPECT_EQ(YearsSinceFounding("2020-06-15", Day(2020, 6, 15)), 0);
  EXPECT_EQ(YearsSinceFounding("2020-06-15", Day(2020, 6, 14)), -1);
  EXPECT_EQ(YearsSinceFounding("2020-06-15", Day(2027, 1, 1)), 6);
}

TEST(SupportEligibility, AFoundingOn29FebruaryHasItsAnniversaryOn28FebruaryInOtherYears) {
  EXPECT_EQ(YearsSinceFounding("2020-02-29", Day(2021, 2, 27)), 0);
  EXPECT_EQ(YearsSinceFounding("2020-02-29", Day(2021, 2, 28)), 1);
  EXPECT_EQ(YearsSinceFounding("2020-02-29", Day(2024, 2, 28)), 3);
  EXPECT_EQ(YearsSinceFounding("2020-02-29", Day(2024, 2, 29)), 4);
}

TEST(SupportEligibility, WithoutAFoundingDateEveryComparisonOnItFails) {
  EnterpriseFacts unknown = Maker();
  unknown.founding_date = "";
  for (const std::string rule :
       {"years_since_founding >= 0", "years_since_founding < 100", "years_since_founding != 3",
        "founding_date > 1900-01-01", "founding_date != 2020-01-01"}) {
    EXPECT_FALSE(Holds(rule, unknown)) << rule;
  }
  // Only a negation can hold.
  EXPECT_TRUE(Holds("NOT years_since_founding < 2", unknown));
  EXPECT_FALSE(FoundingDateKnown(""));
  EXPECT_FALSE(FoundingDateKnown("2020-02-30"));
  EXPECT_EQ(YearsSinceFounding("", kToday), -1);
}

TEST(SupportEligibility, AQualifyingEnterpriseIsToldTheComparisonsThatHeld) {
  const RuleVerdict v =
      Rule(
          "chain = pv AND (label = HEAD OR label = SPECIALIZED) AND annual_output_yuan >= "
          "50000000")
          .Explain(Maker(), kToday);
  EXPECT_TRUE(v.qualifies);
  ASSERT_EQ(v.reasons.size(), 3u);
  EXPECT_EQ(v.reasons[0], (RuleReason{"chain = \"pv\"", true, {"new-materials", "pv"}}));
  // Of the OR, only the alternative that held.
  EXPECT_EQ(v.reasons[1],
            (RuleReason{"label = \"SPECIALIZED\"", true, {"ABOVE_SIZE", "SPECIALIZED"}}));
  EXPECT_EQ(v.reasons[2], (RuleReason{"annual_output_yuan >= 50000000", true, {"62000000"}}));
}

TEST(SupportEligibility, AMissIsToldTheComparisonsThatFailed) {
  const RuleVerdict v =
      Rule(
          "chain = pv AND (label = HEAD OR label = CHAIN_OWNER) AND annual_output_yuan >= "
          "100000000 AND years_since_founding >= 2")
          .Explain(Maker(), kToday);
  EXPECT_FALSE(v.qualifies);
  std::vector<std::string> conditions;
  for (const RuleReason& r : v.reasons) {
    EXPECT_FALSE(r.holds) << r.condition;
    conditions.push_back(r.condition);
  }
  // Both alternatives of the failed OR, then the failed threshold; not what held.
  EXPECT_THAT(conditions, ElementsAre("label = \"HEAD\"", "label = \"CHAIN_OWNER\"",
                                      "annual_output_yuan >= 100000000"));
}

TEST(SupportEligibility, AComparisonUnderNotIsShownNegated) {
  const RuleVerdict miss = Rule("chain = pv AND NOT county = \"南谯区\"").Explain(Maker(), kToday);
  EXPECT_FALSE(miss.qualifies);
  ASSERT_EQ(miss.reasons.size(), 1u);
  EXPECT_EQ(miss.reasons[0], (RuleReason{"NOT county = \"南谯区\"", false, {"南谯区"}}));

  // NOT (a OR b) fails on the alternative that held, shown as NOT a.
  const RuleVerdict de_morgan =
      Rule("NOT (label = HEAD OR label = SPECIALIZED)").Explain(Maker(), kToday);
  EXPECT_FALSE(de_morgan.qualifies);
  ASSERT_EQ(de_morgan.reasons.size(), 1u);
  EXPECT_EQ(de_morgan.reasons[0].condition, "NOT label = \"SPECIALIZED\"");

  EnterpriseFacts unknown = Maker();
  unknown.founding_date.clear();
  const RuleVerdict held = Rule("NOT years_since_founding < 2").Explain(unknown, kToday);
  EXPECT_TRUE(held.qualifies);
  EXPECT_EQ(held.reasons[0], (RuleReason{"NOT years_since_founding < 2", true, {}}));
}

TEST(SupportEligibility, ExplainAgreesWithHolds) {
  for (const std::string text :
       {"chain = pv", "NOT (chain = pv AND label = HEAD)", "label = HEAD OR NOT county = x",
        "NOT NOT (annual_output_yuan > 1 OR years_since_founding < 1) AND park = \"滁州经开区\"",
        "(label = HEAD OR label = SPECIALIZED) AND NOT (county = a OR county = b)"}) {
    const EligibilityRule rule = Rule(text);
    EXPECT_EQ(rule.Explain(Maker(), kToday).qualifies, rule.Holds(Maker(), kToday)) << text;
  }
}

TEST(SupportEligibility, AnUnknownFactIsRefusedNamingTheFieldAndTheFacts) {
  const std::string message = CompileError("size = LARGE", "item.bonuses[1].when");
  EXPECT_THAT(message, StartsWith("item.bonuses[1].when: "));
  EXPECT_THAT(message, HasSubstr("unknown fact 'size'"));
  EXPECT_THAT(message, HasSubstr("years_since_founding"));
}

TEST(SupportEligibility, AnOperatorTheFactDoesNotTakeIsRefused) {
  EXPECT_THAT(CompileError("label < HEAD"), HasSubstr("fact label does not take '<'"));
  EXPECT_THAT(CompileError("county >= a"), HasSubstr("fact county does not take '>='"));
  EXPECT_THAT(CompileError("chain : pv"), HasSubstr("fact chain does not take ':'"));
  EXPECT_THAT(CompileError("annual_output_yuan : 5"),
              HasSubstr("fact annual_output_yuan does not take ':'"));
}

TEST(SupportEligibility, AValueTheFactCannotHoldIsRefused) {
  EXPECT_THAT(CompileError("annual_output_yuan >= \"5千万\""),
              HasSubstr("annual_output_yuan must be compared with a whole number of yuan"));
  EXPECT_THAT(CompileError("annual_output_yuan >= 5.5"), HasSubstr("whole number of yuan"));
  EXPECT_THAT(CompileError("label = BIG"),
              HasSubstr("label must be one of CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, "
                        "HIGH_TECH"));
  EXPECT_THAT(CompileError("node = pv"), HasSubstr("node must be a name chains/{chain}/nodes/"));
  EXPECT_THAT(CompileError("chain = \"PV 链\""), HasSubstr("chain must be a chain id"));
  EXPECT_THAT(CompileError("credit_code = 12345"), HasSubstr("credit_code must be a valid"));
  EXPECT_THAT(CompileError("founding_date > 2020-13-01"),
              HasSubstr("founding_date must be compared with a date YYYY-MM-DD"));
  EXPECT_THAT(CompileError("years_since_founding >= 1.5"),
              HasSubstr("years_since_founding must be compared with a whole number of years"));
  // The comparison is named.
  EXPECT_THAT(CompileError("chain = pv AND label = BIG"), HasSubstr("in label = \"BIG\""));
}

TEST(SupportEligibility, TextThatIsNoRuleIsRefusedWithWhereItBroke) {
  EXPECT_THAT(CompileError(""), StartsWith("item.eligibility: must not be empty"));
  EXPECT_THAT(CompileError("  \n "), StartsWith("item.eligibility: must not be empty"));
  EXPECT_THAT(CompileError("chain = "), StartsWith("item.eligibility: expected a value at"));
  EXPECT_THAT(CompileError("(chain = pv"), StartsWith("item.eligibility: expected ')'"));
  EXPECT_THAT(CompileError("chain = pv)"), HasSubstr("unbalanced ')'"));
  EXPECT_THAT(CompileError("chain = \"p\x01v\""), StartsWith("item.eligibility: "));
  EXPECT_THAT(CompileError("chain = \"p\u202Ev\""), StartsWith("item.eligibility: "));
  EXPECT_THAT(CompileError(std::string(3000, 'a')), HasSubstr("at most 2000 bytes"));
}

TEST(SupportEligibility, CompilingAnItemNamesEveryBadRule) {
  auto item =
      CompileItemRule("item", "label = BIG", 100, {{"chain = pv", 5, ""}, {"x = 1", 5, ""}}, 0);
  ASSERT_FALSE(item.ok());
  const std::string message(item.status().message());
  EXPECT_THAT(message, HasSubstr("item.eligibility: "));
  EXPECT_THAT(message, HasSubstr("item.bonuses[1].when: "));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("item.bonuses[0]")));
}

TEST(SupportEligibility, TheAmountIsTheBasePlusEveryBonusThatHoldsAtMostTheCap) {
  auto item = CompileItemRule("item", "chain = pv", 300'000,
                              {{"label = SPECIALIZED", 200'000, "专精特新"},
                               {"label = HEAD", 500'000, ""},
                               {"annual_output_yuan >= 50000000", 100'000, ""}},
                              0);
  ASSERT_TRUE(item.ok()) << item.status();
  const ItemMatch m = MatchItem(*item, Maker(), kToday);
  EXPECT_TRUE(m.qualifies);
  EXPECT_EQ(m.amount_yuan, 600'000);
  EXPECT_THAT(m.bonuses, ElementsAre(0u, 2u));
  EXPECT_EQ(QualifiedAmount(*item, Maker(), kToday), 600'000);
  EXPECT_EQ(DescribeBonus(item->bonuses[0]), "label = SPECIALIZED → +200000 (专精特新)");

  item->cap_yuan = 500'000;
  EXPECT_EQ(MatchItem(*item, Maker(), kToday).amount_yuan, 500'000);
  item->cap_yuan = 700'000;
  EXPECT_EQ(MatchItem(*item, Maker(), kToday).amount_yuan, 600'000);

  EnterpriseFacts elsewhere = Maker();
  elsewhere.chains = {"semiconductor"};
  const ItemMatch miss = MatchItem(*item, elsewhere, kToday);
  EXPECT_FALSE(miss.qualifies);
  EXPECT_EQ(miss.amount_yuan, 0);
  EXPECT_TRUE(miss.bonuses.empty());
  EXPECT_FALSE(QualifiedAmount(*item, elsewhere, kToday).has_value());
}

TEST(SupportEligibility, ADefaultRuleHoldsForNoEnterprise) {
  EXPECT_FALSE(EligibilityRule().Holds(Maker(), kToday));
  EXPECT_FALSE(EligibilityRule().Explain(Maker(), kToday).qualifies);
}

// A rule is evaluated against a whole city's enterprises on every match; 100,000 evaluations of
// a rule with every kind of fact take a few milliseconds (the bound leaves room for a loaded
// machine and sanitizers).
TEST(SupportEligibility, AHundredThousandEnterprisesAreEvaluatedWellUnderASecond) {
  auto item = CompileItemRule(
      "item",
      "chain = pv AND (label = SPECIALIZED OR label = HEAD) AND annual_output_yuan >= 50000000 "
      "AND years_since_founding >= 2 AND NOT county = \"琅琊区\" AND founding_date < 2025-01-01 "
      "AND node != \"chains/pv/nodes/cells\"",
      300'000, {{"label = HEAD", 200'000, ""}, {"park = \"滁州经开区\"", 50'000, ""}}, 450'000);
  ASSERT_TRUE(item.ok()) << item.status();
  std::vector<EnterpriseFacts> city(100'000, Maker());
  for (size_t i = 0; i < city.size(); ++i) {
    city[i].annual_output_yuan = static_cast<int64_t>(i) * 1000;
    if (i % 3 == 0) city[i].county = "琅琊区";
  }
  const auto start = std::chrono::steady_clock::now();
  int64_t qualified = 0;
  int64_t total = 0;
  for (const EnterpriseFacts& e : city) {
    if (auto amount = QualifiedAmount(*item, e, kToday)) {
      ++qualified;
      total += *amount;
    }
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  // Output ≥ 50,000,000 from i = 50,000 on; two in three are not in 琅琊区.
  EXPECT_EQ(qualified, 33'333);
  EXPECT_EQ(total, qualified * 350'000);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 500);
}

}  // namespace
}  // namespace chainhub::support
