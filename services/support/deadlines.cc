#include "services/support/deadlines.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "services/assessment/periods.h"

namespace chainhub::support {
namespace {

constexpr absl::string_view kAllowanceForms =
    "must be working days (e.g. 3wd), hours (2h) or minutes (90m)";
constexpr absl::string_view kClockRange = "clock time must be 1m-720h (30 days)";

// The rule `a` breaks as an allowance; empty when ParseAllowance could have returned it.
std::string AllowanceRuleBroken(const Allowance& a) {
  const bool days = a.working_days != 0, clock = a.clock != absl::ZeroDuration();
  if (days == clock) return "must set exactly one of working days and clock time";
  if (days && (a.working_days < 1 || a.working_days > kMaxAllowanceWorkingDays)) {
    return absl::StrCat("working days must be 1-", kMaxAllowanceWorkingDays, ", got ",
                        a.working_days);
  }
  if (clock) {
    if (a.clock < kMinClockAllowance || a.clock > kMaxClockAllowance) {
      return absl::StrCat(kClockRange, ", got ", absl::FormatDuration(a.clock));
    }
    if (a.clock % absl::Minutes(1) != absl::ZeroDuration()) {
      return absl::StrCat("clock time must be whole minutes, got ", absl::FormatDuration(a.clock));
    }
  }
  return "";
}

// Whether `a` and `b` are in the same unit, so that one ends no later than the other whatever the
// day of acceptance.
bool Comparable(const Allowance& a, const Allowance& b) {
  return (a.working_days > 0) == (b.working_days > 0);
}

bool Longer(const Allowance& a, const Allowance& b) {
  return a.working_days > 0 ? a.working_days > b.working_days : a.clock > b.clock;
}

bool HasCondition(const DeadlineRule& rule) {
  return rule.urgent.has_value() || !rule.tier.empty() || !rule.tag.empty();
}

absl::Time Due(const Allowance& a, absl::Time accepted, const WorkCalendar& calendar) {
  if (a.working_days > 0) {
    return assessment::EndOfChinaDay(
        calendar.NthWorkingDayAfter(assessment::ChinaDay(accepted), a.working_days));
  }
  return accepted + a.clock;
}

}  // namespace

absl::string_view MilestoneName(Milestone milestone) {
  switch (milestone) {
    case Milestone::kContact:
      return "contact";
    case Milestone::kInterimReply:
      return "interim_reply";
    case Milestone::kClose:
      return "close";
  }
  return "";
}

absl::StatusOr<Allowance> ParseAllowance(absl::string_view field, absl::string_view text) {
  absl::string_view digits = text;
  enum { kWorkingDays, kHours, kMinutes } unit;
  if (absl::ConsumeSuffix(&digits, "wd")) {
    unit = kWorkingDays;
  } else if (absl::ConsumeSuffix(&digits, "h")) {
    unit = kHours;
  } else if (absl::ConsumeSuffix(&digits, "m")) {
    unit = kMinutes;
  } else {
    return InvalidField(field, absl::StrCat(kAllowanceForms, ", got ", Quoted(text)));
  }
  // At most 6 digits: every allowance in range fits, and the number cannot overflow. "0wd" has
  // the right form and is refused below for its range.
  int n = 0;
  if (digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits[0] == '0') ||
      !std::all_of(digits.begin(), digits.end(),
                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); }) ||
      !absl::SimpleAtoi(digits, &n)) {
    return InvalidField(field, absl::StrCat(kAllowanceForms, ", got ", Quoted(text)));
  }
  if (unit == kWorkingDays) {
    if (n < 1 || n > kMaxAllowanceWorkingDays) {
      return InvalidField(field, absl::StrCat("working days must be 1-", kMaxAllowanceWorkingDays,
                                              ", got ", Quoted(text)));
    }
    return Allowance{n, absl::ZeroDuration()};
  }
  const absl::Duration clock = unit == kHours ? absl::Hours(n) : absl::Minutes(n);
  if (clock < kMinClockAllowance || clock > kMaxClockAllowance) {
    return InvalidField(field, absl::StrCat(kClockRange, ", got ", Quoted(text)));
  }
  return Allowance{0, clock};
}

std::string AllowanceText(const Allowance& allowance) {
  if (allowance.working_days != 0) return absl::StrCat(allowance.working_days, "wd");
  if (allowance.clock % absl::Hours(1) == absl::ZeroDuration()) {
    return absl::StrCat(absl::ToInt64Hours(allowance.clock), "h");
  }
  if (allowance.clock % absl::Minutes(1) == absl::ZeroDuration()) {
    return absl::StrCat(absl::ToInt64Minutes(allowance.clock), "m");
  }
  return absl::FormatDuration(allowance.clock);  // not an allowance ParseAllowance returns
}

absl::Status CheckDeadlineRules(const std::vector<DeadlineRule>& rules) {
  if (rules.empty()) {
    return InvalidField("rules", "must hold at least one rule, the last one without conditions");
  }
  if (rules.size() > kMaxDeadlineRules) {
    return InvalidField("rules", absl::StrCat("must hold at most ", kMaxDeadlineRules,
                                              " rules, got ", rules.size()));
  }
  std::vector<FieldViolation> v;
  absl::flat_hash_map<absl::string_view, size_t> index_of_name;
  for (size_t i = 0; i < rules.size(); ++i) {
    const DeadlineRule& rule = rules[i];
    const std::string at = absl::StrCat("rules[", i, "]");
    CheckOneLineText(&v, at + ".name", rule.name, /*required=*/true, kMaxDeadlineRuleNameChars);
    if (!rule.name.empty()) {
      if (auto [it, inserted] = index_of_name.try_emplace(rule.name, i); !inserted) {
        v.push_back({at + ".name", absl::StrCat(Quoted(rule.name), " is the name of rules[",
                                                it->second, "] already")});
      }
    }
    if (!rule.tier.empty() && rule.tier != kTierCity && rule.tier != kTierCounty) {
      v.push_back({at + ".tier", absl::StrCat("must be ", kTierCity, " or ", kTierCounty,
                                              " (or empty for any), got ", Quoted(rule.tier))});
    }
    CheckOneLineText(&v, at + ".tag", rule.tag, /*required=*/false, kMaxDeadlineRuleTagChars);

    struct Named {
      Milestone milestone;
      const std::optional<Allowance>& allowance;
    };
    const Named milestones[] = {{Milestone::kContact, rule.contact},
                                {Milestone::kInterimReply, rule.interim_reply},
                                {Milestone::kClose, rule.close}};
    bool all_valid = true;
    for (const Named& m : milestones) {
      if (!m.allowance.has_value()) continue;
      if (std::string broken = AllowanceRuleBroken(*m.allowance); !broken.empty()) {
        v.push_back({absl::StrCat(at, ".", MilestoneName(m.milestone)), std::move(broken)});
        all_valid = false;
      }
    }
    if (!rule.close.has_value()) {
      v.push_back({at + ".close", "must be set: every request has a close deadline"});
    }
    if (all_valid) {
      // Each pair in order; contact against close only when interim_reply does not already
      // stand between them in the same unit (then the two checks next to each other cover it).
      for (int a = 0; a < 3; ++a) {
        for (int b = a + 1; b < 3; ++b) {
          const Named& early = milestones[a];
          const Named& late = milestones[b];
          if (!early.allowance || !late.allowance) continue;
          if (!Comparable(*early.allowance, *late.allowance)) continue;
          if (b - a == 2 && milestones[1].allowance &&
              Comparable(*milestones[1].allowance, *early.allowance)) {
            continue;
          }
          if (Longer(*early.allowance, *late.allowance)) {
            v.push_back({absl::StrCat(at, ".", MilestoneName(early.milestone)),
                         absl::StrCat(AllowanceText(*early.allowance), " must not be longer than ",
                                      MilestoneName(late.milestone), " (",
                                      AllowanceText(*late.allowance), ")")});
          }
        }
      }
    }

    const bool last = i + 1 == rules.size();
    if (last) {
      constexpr absl::string_view kWhy =
          "the last rule must have no condition, so that every request gets deadlines";
      if (rule.urgent.has_value()) v.push_back({at + ".urgent", std::string(kWhy)});
      if (!rule.tier.empty()) v.push_back({at + ".tier", std::string(kWhy)});
      if (!rule.tag.empty()) v.push_back({at + ".tag", std::string(kWhy)});
    } else if (!HasCondition(rule)) {
      v.push_back(
          {at, absl::StrCat("has no condition, so it catches every request and rules[", i + 1,
                            "] onwards could never apply; only the last rule may have none")});
    }
  }
  return ToStatus(v);
}

const DeadlineRule& MatchRule(const std::vector<DeadlineRule>& rules, bool urgent,
                              absl::string_view tier, const std::vector<std::string>& tags) {
  for (const DeadlineRule& rule : rules) {
    if (rule.urgent.has_value() && *rule.urgent != urgent) continue;
    if (!rule.tier.empty() && rule.tier != tier) continue;
    if (!rule.tag.empty() && std::find(tags.begin(), tags.end(), rule.tag) == tags.end()) {
      continue;
    }
    return rule;
  }
  return rules.back();  // unreachable for checked rules: the last has no condition
}

Deadlines ComputeDeadlines(const DeadlineRule& rule, absl::Time accepted,
                           const WorkCalendar& calendar) {
  Deadlines d;
  if (rule.contact) d.contact = Due(*rule.contact, accepted, calendar);
  if (rule.interim_reply) d.interim_reply = Due(*rule.interim_reply, accepted, calendar);
  if (rule.close) d.close = Due(*rule.close, accepted, calendar);
  return d;
}

int WorkingDaysTaken(absl::Time accepted, absl::Time done, const WorkCalendar& calendar) {
  return calendar.WorkingDaysBetween(assessment::ChinaDay(accepted), assessment::ChinaDay(done));
}

}  // namespace chainhub::support
