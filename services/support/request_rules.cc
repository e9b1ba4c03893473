#include "services/support/request_rules.h"

#include <optional>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub::support {

namespace {

// The violations of `status` (from a checker naming fields without a prefix) with `prefix.` put
// before each field; `status` itself when it carries none.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty() || prefix.empty()) return status;
  for (FieldViolation& v : violations) v.field = absl::StrCat(prefix, ".", v.field);
  return InvalidFields(violations);
}

constexpr size_t kMaxRulesFileBytes = 1 << 20;

// "line 12: <path>: <what>" for the node at `mark`.
absl::Status YamlError(const YAML::Mark& mark, absl::string_view path, absl::string_view what) {
  const int line = mark.is_null() ? 1 : mark.line + 1;
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ": ", path.empty() ? "" : absl::StrCat(path, ": "), what));
}

absl::StatusOr<std::string> Scalar(const YAML::Node& node, absl::string_view path) {
  if (!node.IsScalar()) return YamlError(node.Mark(), path, "must be a single value");
  return node.Scalar();
}

absl::StatusOr<DeadlineRule> RuleFromYaml(const YAML::Node& node, const std::string& path) {
  if (!node.IsMap()) return YamlError(node.Mark(), path, "must be a map of the rule's keys");
  DeadlineRule rule;
  for (auto it = node.begin(); it != node.end(); ++it) {
    CHAINHUB_ASSIGN_OR_RETURN(std::string key, Scalar(it->first, path));
    const std::string at = absl::StrCat(path, ".", key);
    CHAINHUB_ASSIGN_OR_RETURN(std::string value, Scalar(it->second, at));
    std::optional<Allowance>* allowance = nullptr;
    if (key == "name") {
      rule.name = value;
    } else if (key == "urgent") {
      if (value != "true" && value != "false") {
        return YamlError(it->second.Mark(), at,
                         absl::StrCat("must be true or false, got ", Quoted(value)));
      }
      rule.urgent = value == "true";
    } else if (key == "tier") {
      rule.tier = value;
    } else if (key == "tag") {
      rule.tag = value;
    } else if (key == "contact") {
      allowance = &rule.contact;
    } else if (key == "interim_reply") {
      allowance = &rule.interim_reply;
    } else if (key == "close") {
      allowance = &rule.close;
    } else {
      return YamlError(it->first.Mark(), path,
                       absl::StrCat("unknown key ", Quoted(key),
                                    " (known: name, urgent, tier, tag, contact, interim_reply, "
                                    "close)"));
    }
    if (allowance != nullptr) {
      absl::StatusOr<Allowance> parsed = ParseAllowance(at, value);
      if (!parsed.ok()) {
        return YamlError(it->second.Mark(), "", parsed.status().message());
      }
      *allowance = *parsed;
    }
  }
  return rule;
}

}  // namespace

std::string TierText(v1::Tier tier) {
  switch (tier) {
    case v1::CITY:
      return std::string(kTierCity);
    case v1::COUNTY:
      return std::string(kTierCounty);
    default:
      return "";
  }
}

absl::StatusOr<WorkCalendar> CalendarFromProto(const v1::Calendar& calendar,
                                               absl::string_view prefix) {
  const std::string at = absl::StrCat(prefix, prefix.empty() ? "" : ".", "days");
  if (static_cast<size_t>(calendar.days_size()) > kMaxCalendarDays) {
    return InvalidField(at, absl::StrCat("must list at most ", kMaxCalendarDays, " days, got ",
                                         calendar.days_size()));
  }
  std::vector<FieldViolation> violations;
  std::vector<CalendarDay> days;
  days.reserve(calendar.days_size());
  for (int i = 0; i < calendar.days_size(); ++i) {
    const v1::CalendarDay& d = calendar.days(i);
    CalendarDay day;
    day.working = d.working();
    day.name = d.name();
    if (!IsValidDate(d.date()) || !absl::ParseCivilTime(d.date(), &day.date)) {
      violations.push_back({absl::StrCat(at, "[", i, "].date"),
                            absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(d.date()))});
      CheckOneLineText(&violations, absl::StrCat(at, "[", i, "].name"), d.name(), false,
                       kMaxCalendarDayNameChars);
    }
    days.push_back(std::move(day));
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  absl::StatusOr<WorkCalendar> made = WorkCalendar::Make(std::move(days));
  if (!made.ok()) return Prefixed(made.status(), prefix);
  return made;
}

v1::Calendar CalendarToProto(const WorkCalendar& calendar) {
  v1::Calendar out;
  for (const CalendarDay& day : calendar.days()) {
    v1::CalendarDay* d = out.add_days();
    d->set_date(absl::FormatCivilTime(day.date));
    d->set_working(day.working);
    d->set_name(day.name);
  }
  return out;
}

absl::StatusOr<std::vector<DeadlineRule>> RulesFromProto(const v1::DeadlineRules& rules,
                                                         absl::string_view prefix) {
  const std::string base = absl::StrCat(prefix, prefix.empty() ? "" : ".");
  if (static_cast<size_t>(rules.rules_size()) > kMaxDeadlineRules) {
    return InvalidField(base + "rules", absl::StrCat("must hold at most ", kMaxDeadlineRules,
                                                     " rules, got ", rules.rules_size()));
  }
  std::vector<FieldViolation> violations;
  std::vector<DeadlineRule> out;
  for (int i = 0; i < rules.rules_size(); ++i) {
    const v1::DeadlineRule& r = rules.rules(i);
    const std::string at = absl::StrCat(base, "rules[", i, "]");
    DeadlineRule rule;
    rule.name = r.name();
    switch (r.urgency()) {
      case v1::DeadlineRule::URGENCY_UNSPECIFIED:
        break;
      case v1::DeadlineRule::URGENT:
        rule.urgent = true;
        break;
      case v1::DeadlineRule::NOT_URGENT:
        rule.urgent = false;
        break;
      default:
        violations.push_back({at + ".urgency", "must be URGENT, NOT_URGENT or unspecified"});
    }
    if (v1::Tier_IsValid(r.tier())) {
      rule.tier = TierText(r.tier());
    } else {
      violations.push_back({at + ".tier", "must be CITY, COUNTY or unspecified"});
    }
    rule.tag = r.tag();
    struct Slot {
      const char* field;
      const std::string& text;
      std::optional<Allowance>* allowance;
    };
    const Slot slots[] = {{"contact", r.contact(), &rule.contact},
                          {"interim_reply", r.interim_reply(), &rule.interim_reply},
                          {"close", r.close(), &rule.close}};
    for (const Slot& slot : slots) {
      if (slot.text.empty()) continue;
      const std::string field = absl::StrCat(at, ".", slot.field);
      absl::StatusOr<Allowance> parsed = ParseAllowance(field, slot.text);
      if (parsed.ok()) {
        *slot.allowance = *parsed;
      } else {
        for (FieldViolation& v : FieldViolationsOf(parsed.status())) {
          violations.push_back(std::move(v));
        }
      }
    }
    out.push_back(std::move(rule));
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  if (absl::Status checked = CheckDeadlineRules(out); !checked.ok()) {
    return Prefixed(checked, prefix);
  }
  return out;
}

v1::DeadlineRules RulesToProto(const std::vector<DeadlineRule>& rules) {
  v1::DeadlineRules out;
  for (const DeadlineRule& rule : rules) {
    v1::DeadlineRule* r = out.add_rules();
    r->set_name(rule.name);
    if (rule.urgent.has_value()) {
      r->set_urgency(*rule.urgent ? v1::DeadlineRule::URGENT : v1::DeadlineRule::NOT_URGENT);
    }
    if (rule.tier == kTierCity) r->set_tier(v1::CITY);
    if (rule.tier == kTierCounty) r->set_tier(v1::COUNTY);
    r->set_tag(rule.tag);
    if (rule.contact) r->set_contact(AllowanceText(*rule.contact));
    if (rule.interim_reply) r->set_interim_reply(AllowanceText(*rule.interim_reply));
    if (rule.close) r->set_close(AllowanceText(*rule.close));
  }
  return out;
}

absl::StatusOr<std::vector<DeadlineRule>> ParseDeadlineRulesYaml(absl::string_view text) {
  if (text.size() > kMaxRulesFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the file is ", text.size(), " bytes, more than ", kMaxRulesFileBytes));
  }
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<DeadlineRule> rules;
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    if (!root.IsMap() || !root["rules"]) {
      return YamlError(root.Mark(), "", "the file must be a map holding the key 'rules'");
    }
    for (auto it = root.begin(); it != root.end(); ++it) {
      if (!it->first.IsScalar() || it->first.Scalar() != "rules") {
        return YamlError(it->first.Mark(), "", "the file holds only the key 'rules'");
      }
    }
    const YAML::Node list = root["rules"];
    if (!list.IsSequence()) return YamlError(list.Mark(), "rules", "must be a list of rules");
    if (list.size() > kMaxDeadlineRules) {
      return YamlError(list.Mark(), "rules",
                       absl::StrCat("must hold at most ", kMaxDeadlineRules, " rules"));
    }
    for (size_t i = 0; i < list.size(); ++i) {
      CHAINHUB_ASSIGN_OR_RETURN(DeadlineRule rule,
                                RuleFromYaml(list[i], absl::StrCat("rules[", i, "]")));
      rules.push_back(std::move(rule));
    }
  } catch (const YAML::Exception& e) {
    return YamlError(e.mark, "", absl::StrCat("not valid YAML: ", ShownValue(e.msg, 200)));
  }
  CHAINHUB_RETURN_IF_ERROR(CheckDeadlineRules(rules));
  return rules;
}

}  // namespace chainhub::support
