// Eligibility rules of policy items (政策链): who qualifies for an item, written in the List filter
// grammar (common/store/filter.h, docs/filter.md) over what support knows of an enterprise
// (EnterpriseFacts), and what a qualifying enterprise gets (base, bonuses, cap).
//
//   chain = "pv" AND label = "SPECIALIZED" AND annual_output_yuan >= 50000000
//   AND years_since_founding >= 2 AND NOT county = "南谯区"
//
// A rule is parsed once by ParseFilter and compiled into a flat tree of typed comparisons with
// fact ids, so that evaluating it against an enterprise allocates nothing (Holds); Explain also
// says which comparisons decided the answer. Pure: no store, no clock (the as-of day is given).
//
// Facts and the comparisons each takes:
//   chain                 = !=        chain ids; "pv" or "chains/pv"; multi-valued
//   node                  = !=        chains/{chain}/nodes/{node}; multi-valued
//   label                 = !=        CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, HIGH_TECH;
//                                     multi-valued
//   county, park          = !=        text, compared exactly
//   credit_code           = !=        a valid 统一社会信用代码
//   annual_output_yuan    = != < <= > >=   an integer
//   founding_date         = != < <= > >=   YYYY-MM-DD
//   years_since_founding  = != < <= > >=   an integer: whole years from the founding date to
//                                          the as-of day
// On a multi-valued fact "=" holds when any value equals the operand and "!=" when none does. An
// enterprise without a founding date fails every comparison on founding_date and
// years_since_founding (so NOT years_since_founding < 2 holds for it).
#ifndef CHAINHUB_SERVICES_SUPPORT_ELIGIBILITY_H_
#define CHAINHUB_SERVICES_SUPPORT_ELIGIBILITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/store/filter.h"
#include "services/support/enterprises.h"

namespace chainhub::support {

// One comparison of a rule and how it came out for an enterprise. A comparison under an odd
// number of NOTs is shown negated ("NOT county = \"南谯区\""), with `holds` its negated truth, so
// that a reason always reads the way it counted.
struct RuleReason {
  std::string condition;  // e.g. annual_output_yuan >= 50000000
  bool holds = false;
  // The enterprise's values of the fact, e.g. {"62000000"}; empty when it has none.
  std::vector<std::string> values;

  friend bool operator==(const RuleReason& a, const RuleReason& b) {
    return a.condition == b.condition && a.holds == b.holds && a.values == b.values;
  }
};

struct RuleVerdict {
  bool qualifies = false;
  // The comparisons that decided it, in rule order: for a qualifying enterprise those that held,
  // otherwise those that failed (an OR that failed lists every alternative).
  std::vector<RuleReason> reasons;
};

// A compiled rule. Immutable and cheap to evaluate from many threads.
class EligibilityRule final {
 public:
  // A rule no enterprise satisfies (what an item holds before its rule is compiled).
  EligibilityRule() = default;

  // Parses and compiles `text`. INVALID_ARGUMENT on `field` (the caller's path, e.g.
  // "item.eligibility" or "item.bonuses[1].when") naming the rule broken: empty text, text that
  // is not one or more lines of printable UTF-8, a syntax error (with its position), an unknown
  // fact, an operator the fact does not take, or a value it cannot hold (a non-integer output, a
  // label that does not exist, a malformed date, node or credit code).
  static absl::StatusOr<EligibilityRule> Compile(absl::string_view field, absl::string_view text);

  // Whether `enterprise` satisfies the rule on `as_of` (the day years_since_founding counts to).
  bool Holds(const EnterpriseFacts& enterprise, absl::CivilDay as_of) const;
  // The same, with the comparisons that decided it.
  RuleVerdict Explain(const EnterpriseFacts& enterprise, absl::CivilDay as_of) const;

  // The rule as written.
  const std::string& text() const { return text_; }

 private:
  enum class Fact : uint8_t {
    kChain,
    kNode,
    kLabel,
    kCounty,
    kPark,
    kCreditCode,
    kAnnualOutput,
    kFoundingDate,
    kYearsSinceFounding,
  };
  struct Node {
    FilterNode::Kind kind = FilterNode::Kind::kCompare;
    // kAnd, kOr, kNot: children_[first, first + count).
    uint32_t first = 0;
    uint32_t count = 0;
    // kCompare.
    Fact fact = Fact::kChain;
    FilterOp op = FilterOp::kEq;
    int64_t number = 0;  // integers; dates as yyyymmdd
    std::string text;    // text facts: chain id, node name, label, county, park, credit code
    std::string condition;
  };
  struct Compiler;

  bool Eval(uint32_t node, const EnterpriseFacts& e, absl::CivilDay as_of) const;
  bool ExplainNode(uint32_t node, bool negated, const EnterpriseFacts& e, absl::CivilDay as_of,
                   std::vector<RuleReason>* out) const;
  static bool CompareHolds(const Node& leaf, const EnterpriseFacts& e, absl::CivilDay as_of);
  static std::vector<std::string> FactValues(Fact fact, const EnterpriseFacts& e,
                                             absl::CivilDay as_of);

  std::string text_;
  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::vector<uint32_t> children_;
};

// Whole years from `founding_date` (YYYY-MM-DD) to `as_of`: the count goes up on each
// anniversary, which for a 29 February founding is 28 February in other years (the month's last
// day, as 民法典 art. 202 counts periods). Negative when founded after as_of; -1 without a valid
// date (use FoundingDateKnown first).
int YearsSinceFounding(absl::string_view founding_date, absl::CivilDay as_of);
bool FoundingDateKnown(absl::string_view founding_date);

// An extra amount when a rule holds (a bonus of a policy item).
struct BonusRule {
  EligibilityRule when;
  int64_t amount_yuan = 0;
  std::string note;
};

// What a qualifying enterprise gets: base_yuan plus every bonus whose rule holds, at most
// cap_yuan when that is positive.
struct ItemRule {
  EligibilityRule eligibility;
  int64_t base_yuan = 0;
  std::vector<BonusRule> bonuses;
  int64_t cap_yuan = 0;
};

// A bonus before compiling: its rule text, amount and note.
struct BonusSpec {
  std::string when;
  int64_t amount_yuan = 0;
  std::string note;
};

// Compiles an item's eligibility (on `<prefix>.eligibility`) and bonus rules (on
// `<prefix>.bonuses[i].when`); INVALID_ARGUMENT listing every bad rule. The amounts are taken as
// given (the caller checks their ranges).
absl::StatusOr<ItemRule> CompileItemRule(absl::string_view prefix, absl::string_view eligibility,
                                         int64_t base_yuan, const std::vector<BonusSpec>& bonuses,
                                         int64_t cap_yuan);

struct ItemMatch {
  bool qualifies = false;
  // 0 when the enterprise does not qualify.
  int64_t amount_yuan = 0;
  // Indices into ItemRule::bonuses of the bonuses that applied (empty when it does not qualify).
  std::vector<size_t> bonuses;
};

// Whether `enterprise` qualifies for the item on `as_of`, and what it gets.
ItemMatch MatchItem(const ItemRule& item, const EnterpriseFacts& enterprise, absl::CivilDay as_of);
// The amount alone, allocating nothing; nullopt when the enterprise does not qualify.
std::optional<int64_t> QualifiedAmount(const ItemRule& item, const EnterpriseFacts& enterprise,
                                       absl::CivilDay as_of);

// A bonus as a match lists it: `label = "SPECIALIZED" → +200000 (国家级专精特新)`.
std::string DescribeBonus(const BonusRule& bonus);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_ELIGIBILITY_H_
