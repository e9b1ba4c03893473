#include "services/support/eligibility.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::support {

namespace {

constexpr absl::string_view kFactNames =
    "chain, node, label, county, park, credit_code, annual_output_yuan, founding_date, "
    "years_since_founding";
constexpr absl::string_view kLabels[] = {"CHAIN_OWNER", "HEAD", "ABOVE_SIZE", "SPECIALIZED",
                                         "HIGH_TECH"};

absl::string_view OpText(FilterOp op) {
  switch (op) {
    case FilterOp::kEq:
      return "=";
    case FilterOp::kNe:
      return "!=";
    case FilterOp::kLt:
      return "<";
    case FilterOp::kLe:
      return "<=";
    case FilterOp::kGt:
      return ">";
    case FilterOp::kGe:
      return ">=";
    case FilterOp::kHas:
      return ":";
  }
  return "?";
}

// A value as the grammar writes it in double quotes.
std::string QuotedValue(absl::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool ParseInt(absl::string_view text, int64_t* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

struct Ymd {
  int year = 0;
  int month = 0;
  int day = 0;
  int64_t Packed() const { return int64_t{year} * 10000 + month * 100 + day; }
};

// YYYY-MM-DD as a real date, without allocating; nullopt otherwise.
std::optional<Ymd> ParseYmd(absl::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n, int* out) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  Ymd d;
  if (!digits(0, 4, &d.year) || !digits(5, 2, &d.month) || !digits(8, 2, &d.day)) {
    return std::nullopt;
  }
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return std::nullopt;
  }
  return d;
}

int YearsFrom(const Ymd& founded, absl::CivilDay as_of) {
  int years = static_cast<int>(as_of.year() - founded.year);
  const int anniversary = std::min(founded.day, DaysInMonth(as_of.year(), founded.month));
  if (as_of.month() < founded.month ||
      (as_of.month() == founded.month && as_of.day() < anniversary)) {
    --years;
  }
  return years;
}

template <typename T>
bool Ordered(FilterOp op, T a, T b) {
  switch (op) {
    case FilterOp::kEq:
      return a == b;
    case FilterOp::kNe:
      return a != b;
    case FilterOp::kLt:
      return a < b;
    case FilterOp::kLe:
      return a <= b;
    case FilterOp::kGt:
      return a > b;
    case FilterOp::kGe:
      return a >= b;
    case FilterOp::kHas:
      return false;
  }
  return false;
}

// "=" holds when any value equals the operand, "!=" when none does.
bool AnyEquals(FilterOp op, const std::vector<std::string>& values, const std::string& operand) {
  const bool found = std::find(values.begin(), values.end(), operand) != values.end();
  return op == FilterOp::kEq ? found : !found;
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) {
    return std::numeric_limits<int64_t>::min();
  }
  return a + b;
}

}  // namespace

int YearsSinceFounding(absl::string_view founding_date, absl::CivilDay as_of) {
  std::optional<Ymd> founded = ParseYmd(founding_date);
  return founded ? YearsFrom(*founded, as_of) : -1;
}

bool FoundingDateKnown(absl::string_view founding_date) {
  return ParseYmd(founding_date).has_value();
}

// Turns a parsed filter tree into the flat node list, checking each comparison.
struct EligibilityRule::Compiler {
  absl::string_view field;
  EligibilityRule* rule;

  absl::Status Error(absl::string_view rule_text, const std::string& condition) const {
    return InvalidField(field, absl::StrCat(rule_text, ", in ", ShownValue(condition, 80)));
  }

  // Adds `node` (and below) at index `at` of rule->nodes_ (already allocated).
  absl::Status Add(const FilterNode& node, uint32_t at) {
    if (node.kind != FilterNode::Kind::kCompare) {
      if (node.children.empty()) return absl::InternalError("eligibility: empty operator node");
      // Children's nodes first, then their indices in one contiguous run of children_.
      std::vector<uint32_t> kids;
      for (const auto& child : node.children) {
        if (child == nullptr) return absl::InternalError("eligibility: null node");
        kids.push_back(static_cast<uint32_t>(rule->nodes_.size()));
        rule->nodes_.emplace_back();
      }
      for (size_t i = 0; i < kids.size(); ++i) {
        CHAINHUB_RETURN_IF_ERROR(Add(*node.children[i], kids[i]));
      }
      Node& n = rule->nodes_[at];
      n.kind = node.kind;
      n.first = static_cast<uint32_t>(rule->children_.size());
      n.count = static_cast<uint32_t>(kids.size());
      rule->children_.insert(rule->children_.end(), kids.begin(), kids.end());
      return absl::OkStatus();
    }
    CHAINHUB_ASSIGN_OR_RETURN(Node leaf, Leaf(node));
    rule->nodes_[at] = std::move(leaf);
    return absl::OkStatus();
  }

  absl::StatusOr<Node> Leaf(const FilterNode& node) const {
    Node n;
    n.kind = FilterNode::Kind::kCompare;
    n.op = node.op;
    const std::string& f = node.field;
    const std::string& v = node.value;
    // As the user wrote it, for errors; the stored condition is rebuilt canonically below.
    const std::string written = absl::StrCat(f, " ", OpText(node.op), " ", QuotedValue(v));
    bool ordered = false;  // takes < <= > >= too
    bool text = true;      // its value is printed quoted
    if (f == "chain") {
      n.fact = Fact::kChain;
    } else if (f == "node") {
      n.fact = Fact::kNode;
    } else if (f == "label") {
      n.fact = Fact::kLabel;
    } else if (f == "county") {
      n.fact = Fact::kCounty;
    } else if (f == "park") {
      n.fact = Fact::kPark;
    } else if (f == "credit_code") {
      n.fact = Fact::kCreditCode;
    } else if (f == "annual_output_yuan") {
      n.fact = Fact::kAnnualOutput;
      ordered = true;
      text = false;
    } else if (f == "founding_date") {
      n.fact = Fact::kFoundingDate;
      ordered = true;
      text = false;
    } else if (f == "years_since_founding") {
      n.fact = Fact::kYearsSinceFounding;
      ordered = true;
      text = false;
    } else {
      return Error(absl::StrCat("unknown fact ", Quoted(f), "; the facts are ", kFactNames),
                   written);
    }
    const bool equality = node.op == FilterOp::kEq || node.op == FilterOp::kNe;
    if (!equality && !(ordered && node.op != FilterOp::kHas)) {
      return Error(absl::StrCat("fact ", f, " does not take '", OpText(node.op), "'; it takes ",
                                ordered ? "=, !=, <, <=, >, >=" : "= and !="),
                   written);
    }
    switch (n.fact) {
      case Fact::kChain: {
        auto chain = ChainName::ParseOrId(field, v);
        if (!chain.ok()) {
          return Error("chain must be a chain id (2-40 of [a-z0-9-]) or chains/{chain}", written);
        }
        n.text = chain->chain;
        break;
      }
      case Fact::kNode: {
        auto parsed = NodeName::Parse(field, v);
        if (!parsed.ok()) return Error("node must be a name chains/{chain}/nodes/{node}", written);
        n.text = parsed->String();
        break;
      }
      case Fact::kLabel: {
        absl::string_view label = v;
        absl::ConsumePrefix(&label, "ENTERPRISE_LABEL_");
        if (std::find(std::begin(kLabels), std::end(kLabels), label) == std::end(kLabels)) {
          return Error(absl::StrCat("label must be one of ", absl::StrJoin(kLabels, ", ")),
                       written);
        }
        n.text = std::string(label);
        break;
      }
      case Fact::kCreditCode:
        if (!ValidateCreditCode(v, field).ok()) {
          return Error(
              "credit_code must be a valid 统一社会信用代码 (18 characters, check "
              "character per GB 32100)",
              written);
        }
        n.text = v;
        break;
      case Fact::kCounty:
      case Fact::kPark:
        n.text = v;
        break;
      case Fact::kAnnualOutput:
        if (!ParseInt(v, &n.number)) {
          return Error("annual_output_yuan must be compared with a whole number of yuan", written);
        }
        n.text = v;
        break;
      case Fact::kFoundingDate: {
        std::optional<Ymd> date = ParseYmd(v);
        if (!date) return Error("founding_date must be compared with a date YYYY-MM-DD", written);
        n.number = date->Packed();
        n.text = v;
        break;
      }
      case Fact::kYearsSinceFounding:
        if (!ParseInt(v, &n.number) || n.number < -1000 || n.number > 1000) {
          return Error("years_since_founding must be compared with a whole number of years",
                       written);
        }
        n.text = v;
        break;
    }
    n.condition = absl::StrCat(f, " ", OpText(node.op), " ", text ? QuotedValue(n.text) : n.text);
    return n;
  }
};

absl::StatusOr<EligibilityRule> EligibilityRule::Compile(absl::string_view field,
                                                         absl::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == absl::string_view::npos) {
    return InvalidField(field, "must not be empty: a rule such as chain = \"pv\"");
  }
  if (std::string broken = TextRuleBroken(text, TextKind::kMultiLine); !broken.empty()) {
    return InvalidField(field, broken);
  }
  absl::StatusOr<std::unique_ptr<FilterNode>> parsed = ParseFilter(text);
  if (!parsed.ok()) {
    // ParseFilter names "filter"; the rule is the caller's field.
    absl::string_view message = parsed.status().message();
    absl::ConsumePrefix(&message, "filter: ");
    return InvalidField(field, message);
  }
  if (*parsed == nullptr) return InvalidField(field, "must not be empty");
  EligibilityRule rule;
  rule.text_ = std::string(text);
  rule.nodes_.emplace_back();
  Compiler compiler{field, &rule};
  CHAINHUB_RETURN_IF_ERROR(compiler.Add(**parsed, 0));
  return rule;
}

bool EligibilityRule::CompareHolds(const Node& leaf, const EnterpriseFacts& e,
                                   absl::CivilDay as_of) {
  switch (leaf.fact) {
    case Fact::kChain:
      return AnyEquals(leaf.op, e.chains, leaf.text);
    case Fact::kNode:
      return AnyEquals(leaf.op, e.nodes, leaf.text);
    case Fact::kLabel:
      return AnyEquals(leaf.op, e.labels, leaf.text);
    case Fact::kCounty:
      return Ordered<const std::string&>(leaf.op, e.county, leaf.text);
    case Fact::kPark:
      return Ordered<const std::string&>(leaf.op, e.park, leaf.text);
    case Fact::kCreditCode:
      return Ordered<const std::string&>(leaf.op, e.credit_code, leaf.text);
    case Fact::kAnnualOutput:
      return Ordered(leaf.op, e.annual_output_yuan, leaf.number);
    case Fact::kFoundingDate: {
      std::optional<Ymd> founded = ParseYmd(e.founding_date);
      return founded && Ordered(leaf.op, founded->Packed(), leaf.number);
    }
    case Fact::kYearsSinceFounding: {
      std::optional<Ymd> founded = ParseYmd(e.founding_date);
      return founded && Ordered(leaf.op, int64_t{YearsFrom(*founded, as_of)}, leaf.number);
    }
  }
  return false;
}

std::vector<std::string> EligibilityRule::FactValues(Fact fact, const EnterpriseFacts& e,
                                                     absl::CivilDay as_of) {
  auto one = [](const std::string& s) {
    return s.empty() ? std::vector<std::string>() : std::vector<std::string>{s};
  };
  switch (fact) {
    case Fact::kChain:
      return e.chains;
    case Fact::kNode:
      return e.nodes;
    case Fact::kLabel:
      return e.labels;
    case Fact::kCounty:
      return one(e.county);
    case Fact::kPark:
      return one(e.park);
    case Fact::kCreditCode:
      return one(e.credit_code);
    case Fact::kAnnualOutput:
      return {absl::StrCat(e.annual_output_yuan)};
    case Fact::kFoundingDate:
      return FoundingDateKnown(e.founding_date) ? one(e.founding_date) : std::vector<std::string>();
    case Fact::kYearsSinceFounding: {
      std::optional<Ymd> founded = ParseYmd(e.founding_date);
      if (!founded) return {};
      return {absl::StrCat(YearsFrom(*founded, as_of))};
    }
  }
  return {};
}

bool EligibilityRule::Eval(uint32_t index, const EnterpriseFacts& e, absl::CivilDay as_of) const {
  const Node& n = nodes_[index];
  switch (n.kind) {
    case FilterNode::Kind::kCompare:
      return CompareHolds(n, e, as_of);
    case FilterNode::Kind::kNot:
      return !Eval(children_[n.first], e, as_of);
    case FilterNode::Kind::kAnd:
      for (uint32_t i = n.first; i < n.first + n.count; ++i) {
        if (!Eval(children_[i], e, as_of)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (uint32_t i = n.first; i < n.first + n.count; ++i) {
        if (Eval(children_[i], e, as_of)) return true;
      }
      return false;
  }
  return false;
}

bool EligibilityRule::Holds(const EnterpriseFacts& enterprise, absl::CivilDay as_of) const {
  return !nodes_.empty() && Eval(0, enterprise, as_of);
}

// Evaluates node `index` as seen through `negated` NOTs (so the value returned is the one that
// counts above it) and appends the comparisons that decided it: under an odd number of NOTs an
// AND acts as an OR and the other way round (De Morgan).
bool EligibilityRule::ExplainNode(uint32_t index, bool negated, const EnterpriseFacts& e,
                                  absl::CivilDay as_of, std::vector<RuleReason>* out) const {
  const Node& n = nodes_[index];
  switch (n.kind) {
    case FilterNode::Kind::kCompare: {
      const bool holds = CompareHolds(n, e, as_of) != negated;
      out->push_back({negated ? absl::StrCat("NOT ", n.condition) : n.condition, holds,
                      FactValues(n.fact, e, as_of)});
      return holds;
    }
    case FilterNode::Kind::kNot:
      return ExplainNode(children_[n.first], !negated, e, as_of, out);
    case FilterNode::Kind::kAnd:
    case FilterNode::Kind::kOr:
      break;
  }
  const bool all = (n.kind == FilterNode::Kind::kAnd) != negated;
  std::vector<std::vector<RuleReason>> parts(n.count);
  std::vector<bool> results(n.count);
  for (uint32_t i = 0; i < n.count; ++i) {
    results[i] = ExplainNode(children_[n.first + i], negated, e, as_of, &parts[i]);
  }
  const bool result = all ? std::all_of(results.begin(), results.end(), [](bool b) { return b; })
                          : std::any_of(results.begin(), results.end(), [](bool b) { return b; });
  for (uint32_t i = 0; i < n.count; ++i) {
    // An AND that held: every part; one that failed: the failed parts. An OR the other way.
    const bool decisive = all ? (result || !results[i]) : (!result || results[i]);
    if (!decisive) continue;
    for (RuleReason& r : parts[i]) out->push_back(std::move(r));
  }
  return result;
}

RuleVerdict EligibilityRule::Explain(const EnterpriseFacts& enterprise,
                                     absl::CivilDay as_of) const {
  RuleVerdict verdict;
  if (nodes_.empty()) return verdict;
  verdict.qualifies = ExplainNode(0, false, enterprise, as_of, &verdict.reasons);
  return verdict;
}

absl::StatusOr<ItemRule> CompileItemRule(absl::string_view prefix, absl::string_view eligibility,
                                         int64_t base_yuan, const std::vector<BonusSpec>& bonuses,
                                         int64_t cap_yuan) {
  std::vector<FieldViolation> violations;
  ItemRule item;
  item.base_yuan = base_yuan;
  item.cap_yuan = cap_yuan;
  auto collect = [&](const absl::Status& s) {
    for (FieldViolation& v : FieldViolationsOf(s)) violations.push_back(std::move(v));
  };
  absl::StatusOr<EligibilityRule> rule =
      EligibilityRule::Compile(absl::StrCat(prefix, ".eligibility"), eligibility);
  if (rule.ok()) {
    item.eligibility = std::move(*rule);
  } else {
    collect(rule.status());
  }
  for (size_t i = 0; i < bonuses.size(); ++i) {
    absl::StatusOr<EligibilityRule> when =
        EligibilityRule::Compile(absl::StrCat(prefix, ".bonuses[", i, "].when"), bonuses[i].when);
    if (!when.ok()) {
      collect(when.status());
      continue;
    }
    item.bonuses.push_back({std::move(*when), bonuses[i].amount_yuan, bonuses[i].note});
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  return item;
}

ItemMatch MatchItem(const ItemRule& item, const EnterpriseFacts& enterprise, absl::CivilDay as_of) {
  ItemMatch match;
  if (!item.eligibility.Holds(enterprise, as_of)) return match;
  match.qualifies = true;
  int64_t amount = item.base_yuan;
  for (size_t i = 0; i < item.bonuses.size(); ++i) {
    if (!item.bonuses[i].when.Holds(enterprise, as_of)) continue;
    amount = SaturatingAdd(amount, item.bonuses[i].amount_yuan);
    match.bonuses.push_back(i);
  }
  match.amount_yuan = item.cap_yuan > 0 ? std::min(amount, item.cap_yuan) : amount;
  return match;
}

std::optional<int64_t> QualifiedAmount(const ItemRule& item, const EnterpriseFacts& enterprise,
                                       absl::CivilDay as_of) {
  if (!item.eligibility.Holds(enterprise, as_of)) return std::nullopt;
  int64_t amount = item.base_yuan;
  for (const BonusRule& bonus : item.bonuses) {
    if (bonus.when.Holds(enterprise, as_of)) amount = SaturatingAdd(amount, bonus.amount_yuan);
  }
  return item.cap_yuan > 0 ? std::min(amount, item.cap_yuan) : amount;
}

std::string DescribeBonus(const BonusRule& bonus) {
  std::string rule(absl::StripAsciiWhitespace(bonus.when.text()));
  std::string out = absl::StrCat(rule, " → +", bonus.amount_yuan);
  if (!bonus.note.empty()) absl::StrAppend(&out, " (", bonus.note, ")");
  return out;
}

}  // namespace chainhub::support
