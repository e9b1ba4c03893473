// libFuzzer target for policy items' eligibility rules (services/support/eligibility.h): arbitrary
// text is parsed, compiled and evaluated against a fixed enterprise. Nothing may crash or hang;
// a refusal is INVALID_ARGUMENT naming the caller's field in valid UTF-8; a compiled rule's
// verdicts agree (Holds, Explain, MatchItem), and every reason it gives is valid UTF-8 text taken
// from the rule.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/support/eligibility.h"

namespace {

using chainhub::support::EligibilityRule;
using chainhub::support::EnterpriseFacts;

[[noreturn]] void Fail(const std::string& what, const std::string& input) {
  std::fprintf(stderr, "invariant broken: %s\ninput: %s\n", what.c_str(), input.c_str());
  std::abort();
}

bool IsUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

// Two enterprises: one with every fact, one with none (no founding date, no labels, no chains).
const EnterpriseFacts& Full() {
  static const auto* e = [] {
    auto* f = new EnterpriseFacts();
    f->credit_code = "91341100MA2N000011";
    f->display_name = "滁州某光伏科技有限公司";
    f->county = "南谯区";
    f->park = "滁州经开区";
    f->annual_output_yuan = 62'000'000;
    f->founding_date = "2020-02-29";
    f->labels = {"ABOVE_SIZE", "SPECIALIZED"};
    f->chains = {"new-materials", "pv"};
    f->nodes = {"chains/new-materials/nodes/glass", "chains/pv/nodes/modules"};
    return f;
  }();
  return *e;
}

const EnterpriseFacts& Bare() {
  static const auto* e = new EnterpriseFacts();
  return *e;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  constexpr char kField[] = "item.bonuses[3].when";
  auto rule = EligibilityRule::Compile(kField, input);
  if (!rule.ok()) {
    const std::string message(rule.status().message());
    if (rule.status().code() != absl::StatusCode::kInvalidArgument ||
        !absl::StartsWith(message, absl::StrCat(kField, ": ")) || !IsUtf8(message)) {
      Fail(absl::StrCat("refusal is not INVALID_ARGUMENT naming the field in UTF-8: ",
                        rule.status().ToString()),
           input);
    }
    return 0;
  }
  if (rule->text() != input) Fail("the rule does not keep its text", input);
  // The as-of day moves with the input, across a 29 February anniversary.
  const absl::CivilDay as_of = absl::CivilDay(2024, 2, 27) + static_cast<int>(size % 800);
  for (const EnterpriseFacts* e : {&Full(), &Bare()}) {
    const bool holds = rule->Holds(*e, as_of);
    const chainhub::support::RuleVerdict verdict = rule->Explain(*e, as_of);
    if (verdict.qualifies != holds) Fail("Explain and Holds disagree", input);
    if (verdict.reasons.empty()) Fail("a verdict without a reason", input);
    for (const auto& reason : verdict.reasons) {
      if (!IsUtf8(reason.condition)) Fail("a reason's condition is not UTF-8", input);
      // A reason for a qualifying verdict held; for a miss it failed.
      if (reason.holds != holds) Fail("a reason does not agree with its verdict", input);
      for (const std::string& v : reason.values) {
        if (!IsUtf8(v)) Fail("a reason's value is not UTF-8", input);
      }
    }
    chainhub::support::ItemRule item;
    item.eligibility = *rule;
    item.base_yuan = 100;
    item.bonuses.push_back({*rule, 50, ""});
    item.cap_yuan = 120;
    const chainhub::support::ItemMatch match = MatchItem(item, *e, as_of);
    if (match.qualifies != holds) Fail("MatchItem and Holds disagree", input);
    if (match.amount_yuan != (holds ? 120 : 0))
      Fail("the amount is not base + bonus, capped", input);
    if (QualifiedAmount(item, *e, as_of).has_value() != holds) {
      Fail("QualifiedAmount and Holds disagree", input);
    }
  }
  return 0;
}
