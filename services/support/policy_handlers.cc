// 政策链 (docs/support/policies.md): policies and their claimable items, matching items against
// the enterprise copy with their eligibility rules (eligibility.h), 免申即享 payout lists, the
// ledger of claims (apply → approve or reject → pay) and its figures (payout_figures.h).
//
// Who may do what: every role reads policies, items and the figures. Policies and items are
// written by admins and by the department that issued the policy. Matching and the ledger show
// what support knows of enterprises, so they are for admins, departments and chain offices. A
// claim is decided and paid by admins, the department that pays the item or the one that issued
// its policy, which also make payout lists.
#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/files/csv.h"
#include "common/rpc/client_stream.h"
#include "common/rpc/system_principal.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/registry/names.h"
#include "services/support/access.h"
#include "services/support/csv_import.h"
#include "services/support/calendar.h"
#include "services/support/eligibility.h"
#include "services/support/enterprises.h"
#include "services/support/figures_load.h"
#include "services/support/names.h"
#include "services/support/payout_figures.h"
#include "services/support/policy_store.h"
#include "services/support/request_settings.h"
#include "services/support/support_service.h"

namespace chainhub::support {

namespace {

constexpr size_t kMaxTitleChars = 200;
constexpr size_t kMaxDocumentNumberChars = 100;
constexpr size_t kMaxStandardChars = 2000;
constexpr size_t kMaxNoteChars = 2000;
constexpr size_t kMaxBonusNoteChars = 200;
constexpr int kMaxBonuses = 20;
constexpr int kMaxPolicyChains = 20;
constexpr int kMaxTimeLimitWorkingDays = 60;
// 1万亿元: more than any item pays; keeps every sum of amounts far from overflowing.
constexpr int64_t kMaxYuan = 1'000'000'000'000;
// An import takes at most this many rows and bytes of CSV.
constexpr size_t kMaxImportRows = 2000;
constexpr size_t kMaxImportBytes = 8 << 20;
// GeneratePayouts lists at most this many claims of each kind (it counts them all).
constexpr size_t kMaxListedClaims = 1000;
// A refused import lists at most this many errors.
constexpr size_t kMaxImportErrors = 100;

constexpr char kSystemSubject[] = "systems/support";

const std::vector<std::string>& ItemWritableFields() {
  static const auto* fields = new std::vector<std::string>{
      "title",     "eligibility", "standard", "base_amount_yuan",        "bonuses",    "cap_yuan",
      "open_date", "close_date",  "lane",     "time_limit_working_days", "budget_yuan"};
  return *fields;
}

absl::CivilDay DayOf(absl::string_view date) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(date, &day);
  return day;
}

// The rules a status carries as violations (or the whole message on `field` when it has none).
void Collect(std::vector<FieldViolation>* v, absl::string_view field, const absl::Status& s) {
  if (s.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(s);
  if (found.empty()) found.push_back({std::string(field), std::string(s.message())});
  for (FieldViolation& f : found) v->push_back(std::move(f));
}

void CheckYuan(std::vector<FieldViolation>* v, const std::string& field, int64_t yuan) {
  if (yuan < 0) v->push_back({field, "must not be negative"});
  if (yuan > kMaxYuan) v->push_back({field, absl::StrCat("must be at most ", kMaxYuan)});
}

void CheckDate(std::vector<FieldViolation>* v, const std::string& field, const std::string& date,
               bool required) {
  if (date.empty()) {
    if (required) v->push_back({field, "must not be empty"});
    return;
  }
  if (!IsValidDate(date)) {
    v->push_back({field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(date))});
  }
}

// `given`, or today when it is empty: INVALID_ARGUMENT on `field` for anything but a date.
absl::StatusOr<std::string> AsOfDate(absl::string_view field, const std::string& given,
                                     const std::string& today) {
  if (given.empty()) return today;
  if (!IsValidDate(given)) {
    return InvalidField(field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(given)));
  }
  return given;
}

void CheckPolicy(const v1::Policy& p, std::vector<FieldViolation>* v) {
  CheckOneLineText(v, "policy.title", p.title(), true, kMaxTitleChars);
  CheckOneLineText(v, "policy.document_number", p.document_number(), false,
                   kMaxDocumentNumberChars);
  if (p.department().empty()) {
    v->push_back({"policy.department", "must not be empty: the department that issued it"});
  } else {
    Collect(v, "policy.department",
            DepartmentName::Parse("policy.department", p.department()).status());
  }
  CheckDate(v, "policy.issue_date", p.issue_date(), true);
  if (p.chains_size() > kMaxPolicyChains) {
    v->push_back({"policy.chains", absl::StrCat("must list at most ", kMaxPolicyChains)});
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < p.chains_size(); ++i) {
    const std::string field = absl::StrCat("policy.chains[", i, "]");
    auto chain = ChainName::Parse(field, p.chains(i));
    if (!chain.ok()) {
      Collect(v, field, chain.status());
    } else if (!seen.insert(chain->chain).second) {
      v->push_back({field, absl::StrCat(p.chains(i), " is listed twice")});
    }
  }
}

// Every rule the item breaks (its name aside), on `prefix`.<field>.
void CheckItem(const v1::PolicyItem& item, const std::string& prefix,
               std::vector<FieldViolation>* v) {
  CheckOneLineText(v, prefix + ".title", item.title(), true, kMaxTitleChars);
  CheckMultiLineText(v, prefix + ".standard", item.standard(), false, kMaxStandardChars);
  CheckYuan(v, prefix + ".base_amount_yuan", item.base_amount_yuan());
  CheckYuan(v, prefix + ".cap_yuan", item.cap_yuan());
  CheckYuan(v, prefix + ".budget_yuan", item.budget_yuan());
  if (item.bonuses_size() > kMaxBonuses) {
    v->push_back({prefix + ".bonuses", absl::StrCat("must list at most ", kMaxBonuses)});
    Collect(v, prefix + ".eligibility",
            EligibilityRule::Compile(prefix + ".eligibility", item.eligibility()).status());
  } else {
    for (int i = 0; i < item.bonuses_size(); ++i) {
      const std::string field = absl::StrCat(prefix, ".bonuses[", i, "]");
      CheckYuan(v, field + ".amount_yuan", item.bonuses(i).amount_yuan());
      CheckOneLineText(v, field + ".note", item.bonuses(i).note(), false, kMaxBonusNoteChars);
    }
    Collect(v, prefix + ".eligibility",
            CompileItemRule(prefix, item.eligibility(), item.base_amount_yuan(), BonusSpecs(item),
                            item.cap_yuan())
                .status());
  }
  CheckDate(v, prefix + ".open_date", item.open_date(), false);
  CheckDate(v, prefix + ".close_date", item.close_date(), false);
  if (IsValidDate(item.open_date()) && IsValidDate(item.close_date()) &&
      item.close_date() < item.open_date()) {
    v->push_back(
        {prefix + ".close_date", absl::StrCat("must not be before open_date ", item.open_date())});
  }
  if (item.department().empty()) {
    v->push_back({prefix + ".department", "must not be empty: the department that pays it"});
  } else {
    Collect(v, prefix + ".department",
            DepartmentName::Parse(prefix + ".department", item.department()).status());
  }
  if (item.lane() == v1::LANE_UNSPECIFIED || !v1::Lane_IsValid(item.lane())) {
    v->push_back({prefix + ".lane", "must be AUTOMATIC, FAST or SPECIAL"});
  } else if (item.lane() == v1::FAST) {
    if (item.time_limit_working_days() < 1 ||
        item.time_limit_working_days() > kMaxTimeLimitWorkingDays) {
      v->push_back({prefix + ".time_limit_working_days",
                    absl::StrCat("must be 1-", kMaxTimeLimitWorkingDays, " for a FAST item")});
    }
  } else if (item.time_limit_working_days() != 0) {
    v->push_back({prefix + ".time_limit_working_days", "is for FAST items only: must be 0"});
  }
}

// --- Who may ------------------------------------------------------------------------------------

absl::Status RequirePolicyWriter(const AuthorizedCall& call) {
  return RequireAnyRole(call.principal, {roles::kAdmin, roles::kDepartment});
}

// Admins, and the department that issued the policy.
absl::Status RequireIssuer(const AuthorizedCall& call, const std::string& department) {
  if (call.principal.IsAdmin()) return absl::OkStatus();
  if (call.principal.HasRole(roles::kDepartment) &&
      CallerDepartment(call.principal) == department) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      "a policy and its items are written by admins and the department that issued it (",
      department, "), not ", ShownValue(call.principal.subject, kShownNameChars)));
}

// Matching and the ledger show enterprises' facts: admins, departments and chain offices.
absl::Status RequireMatcher(const AuthorizedCall& call) {
  return RequireAnyRole(call.principal, {roles::kAdmin, roles::kDepartment, roles::kChainOffice});
}

// Decisions, payments and payout lists: admins, the item's paying department and the department
// that issued its policy.
absl::Status RequirePayer(const AuthorizedCall& call, const v1::Policy& policy,
                          const v1::PolicyItem& item) {
  if (call.principal.IsAdmin()) return absl::OkStatus();
  const std::string department = CallerDepartment(call.principal);
  if (call.principal.HasRole(roles::kDepartment) && !department.empty() &&
      (department == item.department() || department == policy.department())) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat(item.name(), ": decided and paid by admins, ", item.department(),
                   " (which pays it) and ", policy.department(), " (which issued the policy)"));
}

// --- Matching -----------------------------------------------------------------------------------

// The chain of an event about the item: its policy's, when it is for exactly one.
std::string EventChain(const v1::PolicyItem& item) {
  return item.chains_size() == 1 ? ChainIds(item).front() : "";
}

// Every enterprise an item can reach (on its policy's chains when it has any), in credit-code
// order.
absl::Status ForEachCandidate(SqlTx& tx, const v1::PolicyItem& item,
                              const std::function<absl::Status(const EnterpriseFacts&)>& fn) {
  const std::vector<std::string> ids = ChainIds(item);
  EnterpriseCopy copy(tx);
  if (ids.size() == 1) return copy.ForEach(ids.front(), fn);
  return copy.ForEach("", [&](const EnterpriseFacts& e) -> absl::Status {
    if (!OnPolicyChains(ids, e)) return absl::OkStatus();
    return fn(e);
  });
}

// How `e` matches `item` on `as_of`, with the reasons.
v1::Match MatchOf(const v1::PolicyItem& item, const ItemRule& rule, const EnterpriseFacts& e,
                  absl::CivilDay as_of) {
  v1::Match m;
  m.set_enterprise(e.Name());
  m.set_enterprise_display_name(e.display_name);
  m.set_item(item.name());
  m.set_item_title(item.title());
  const std::vector<std::string> ids = ChainIds(item);
  const bool on_chain = OnPolicyChains(ids, e);
  RuleVerdict verdict = rule.eligibility.Explain(e, as_of);
  if (!on_chain) {
    std::vector<std::string> alternatives;
    for (const std::string& id : ids) alternatives.push_back(absl::StrCat("chain = \"", id, "\""));
    v1::RuleReason* r = m.add_reasons();
    r->set_condition(alternatives.size() == 1
                         ? alternatives.front()
                         : absl::StrCat("(", absl::StrJoin(alternatives, " OR "), ")"));
    r->set_holds(false);
    for (const std::string& c : e.chains) r->add_values(c);
  }
  const bool qualifies = on_chain && verdict.qualifies;
  m.set_qualifies(qualifies);
  if (on_chain || !verdict.qualifies) {
    for (const RuleReason& reason : verdict.reasons) {
      v1::RuleReason* r = m.add_reasons();
      r->set_condition(reason.condition);
      r->set_holds(reason.holds);
      for (const std::string& value : reason.values) r->add_values(value);
    }
  }
  if (qualifies) {
    const ItemMatch match = MatchItem(rule, e, as_of);
    m.set_amount_yuan(match.amount_yuan);
    for (size_t i : match.bonuses) m.add_bonuses(DescribeBonus(rule.bonuses[i]));
  }
  return m;
}

// The failed conditions of a match, for an error message.
std::string FailedConditions(const v1::Match& m) {
  std::vector<std::string> failed;
  for (const v1::RuleReason& r : m.reasons()) {
    if (r.holds()) continue;
    failed.push_back(absl::StrCat(r.condition(), " (has ",
                                  r.values().empty() ? "none" : absl::StrJoin(r.values(), ", "),
                                  ")"));
  }
  return absl::StrJoin(failed, "; ");
}

// --- The ledger ---------------------------------------------------------------------------------

ClaimName ClaimNameOf(const PolicyItemName& item, const std::string& credit_code) {
  return ClaimName{item.policy, item.item, credit_code};
}

struct PolicyAndItem {
  v1::Policy policy;
  v1::PolicyItem item;
};

absl::StatusOr<PolicyAndItem> LoadItem(PolicyStore& db, const PolicyItemName& name) {
  PolicyAndItem pi;
  CHAINHUB_ASSIGN_OR_RETURN(pi.item, db.GetItem(name));
  CHAINHUB_ASSIGN_OR_RETURN(pi.policy, db.GetPolicy(name.policy));
  return pi;
}

std::string WindowText(const v1::PolicyItem& item) {
  return absl::StrCat(item.open_date().empty() ? "…" : item.open_date(), " to ",
                      item.close_date().empty() ? "…" : item.close_date());
}

// The enterprises (credit codes, in order) that qualify for an AUTOMATIC item on `as_of` and
// hold no claim on it, with their amounts.
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> PayoutCandidates(
    SqlTx& tx, const PolicyItemName& name, const v1::PolicyItem& item, const ItemRule& rule,
    absl::CivilDay as_of) {
  CHAINHUB_ASSIGN_OR_RETURN(auto states, PolicyStore(tx).ClaimStates(name));
  std::vector<std::pair<std::string, int64_t>> out;
  CHAINHUB_RETURN_IF_ERROR(
      ForEachCandidate(tx, item, [&](const EnterpriseFacts& e) -> absl::Status {
        if (states.contains(e.credit_code)) return absl::OkStatus();
        if (std::optional<int64_t> amount = QualifiedAmount(rule, e, as_of)) {
          out.emplace_back(e.credit_code, *amount);
        }
        return absl::OkStatus();
      }));
  return out;
}

struct Payouts {
  std::vector<v1::Claim> created;
  std::vector<v1::Claim> payout_list;
  int64_t payout_total_yuan = 0;
};

// In a write transaction: an APPROVED automatic claim for each candidate that still qualifies and
// still holds no claim, then (when any was made) the audit row and payout.list_ready; and the
// payout list (approved, unpaid) after it.
absl::StatusOr<Payouts> MakePayouts(SqlTx& tx, const AuthorizedCall& call,
                                    const PolicyItemName& name, const v1::PolicyItem& item,
                                    const ItemRule& rule, absl::CivilDay as_of,
                                    const std::vector<std::pair<std::string, int64_t>>& candidates,
                                    const std::string& today, absl::Time now) {
  PolicyStore db(tx);
  EnterpriseCopy copy(tx);
  CHAINHUB_ASSIGN_OR_RETURN(auto states, db.ClaimStates(name));
  const std::vector<std::string> ids = ChainIds(item);
  std::set<std::string> made;
  for (const auto& [code, ignored] : candidates) {
    if (states.contains(code)) continue;
    CHAINHUB_ASSIGN_OR_RETURN(std::optional<EnterpriseFacts> facts, copy.Find(code));
    if (!facts || !OnPolicyChains(ids, *facts)) continue;
    std::optional<int64_t> amount = QualifiedAmount(rule, *facts, as_of);
    if (!amount) continue;
    v1::Claim claim;
    claim.set_enterprise(facts->Name());
    claim.set_state(v1::APPROVED);
    claim.set_computed_yuan(*amount);
    claim.set_approved_yuan(*amount);
    claim.set_approved_date(today);
    claim.set_automatic(true);
    claim.set_note(absl::StrCat("免申即享: facts as of ", absl::FormatCivilTime(as_of)));
    CHAINHUB_RETURN_IF_ERROR(db.InsertClaim(ClaimNameOf(name, code), claim, now));
    made.insert(code);
  }
  Payouts out;
  CHAINHUB_ASSIGN_OR_RETURN(out.payout_list, db.ItemClaims(name, v1::APPROVED));
  for (const v1::Claim& c : out.payout_list) {
    out.payout_total_yuan += c.approved_yuan();
    if (made.contains(std::string(absl::StripPrefix(c.enterprise(), "enterprises/")))) {
      out.created.push_back(c);
    }
  }
  if (made.empty()) return out;
  v1::PayoutListReady ready;
  ready.set_item(name.String());
  ready.set_item_title(item.title());
  ready.set_owner_department(item.department());
  ready.set_claims(static_cast<int64_t>(out.payout_list.size()));
  ready.set_total_yuan(out.payout_total_yuan);
  CloudEvent event = NewEvent(kEventSource, call, v1::SUPPORT_EVENT_PAYOUT_LIST_READY,
                              name.String(), EventChain(item), now, ready);
  CHAINHUB_RETURN_IF_ERROR(RecordMutation(
      tx, call, std::move(event),
      absl::StrCat("generated ", made.size(), " claims as of ", absl::FormatCivilTime(as_of)),
      now));
  return out;
}

// --- Import -------------------------------------------------------------------------------------

// The columns of an import, each required in the header (in any order), as a header row.
const std::vector<std::string>& ImportColumns() {
  static const auto* columns = new std::vector<std::string>(absl::StrSplit(
      "policy,item,title,eligibility,standard,base_amount_yuan,bonuses,cap_yuan,open_date,"
      "close_date,department,lane,time_limit_working_days,budget_yuan",
      ','));
  return *columns;
}

// Splits `text` at `separator` where it stands outside double quotes (a quoted rule value may
// hold it), honouring \" inside quotes as the rule grammar does.
std::vector<std::string> SplitOutsideQuotes(absl::string_view text, absl::string_view separator) {
  std::vector<std::string> parts;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (text.substr(i, separator.size()) == separator) {
      parts.emplace_back(text.substr(start, i - start));
      i += separator.size() - 1;
      start = i + 1;
    }
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

// The bonuses cell: pairs "WHEN => AMOUNT [NOTE]" separated by "|", e.g.
//   label = "SPECIALIZED" => 200000 专精特新 | annual_output_yuan >= 100000000 => 100000
// The last "=>" outside quotes ends the rule; the amount is the whole number after it and the
// note, if any, the rest.
absl::Status ParseBonusesCell(absl::string_view cell, v1::PolicyItem* item) {
  if (absl::StripAsciiWhitespace(cell).empty()) return absl::OkStatus();
  const std::vector<std::string> pairs = SplitOutsideQuotes(cell, "|");
  if (static_cast<int>(pairs.size()) > kMaxBonuses) {
    return InvalidField("bonuses", absl::StrCat("must list at most ", kMaxBonuses));
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::vector<std::string> sides = SplitOutsideQuotes(pairs[i], "=>");
    const std::string field = absl::StrCat("bonuses[", i, "]");
    if (sides.size() < 2) {
      return InvalidField(field, "must be WHEN => AMOUNT [NOTE], e.g. label = \"HEAD\" => 100000");
    }
    std::string when = absl::StrJoin(sides.begin(), sides.end() - 1, "=>");
    absl::string_view rest = absl::StripAsciiWhitespace(sides.back());
    const size_t space = rest.find_first_of(" \t");
    absl::string_view amount_text = rest.substr(0, space);
    absl::string_view note =
        space == absl::string_view::npos ? "" : absl::StripAsciiWhitespace(rest.substr(space));
    int64_t amount = 0;
    if (!absl::SimpleAtoi(amount_text, &amount)) {
      return InvalidField(field, absl::StrCat("the amount after => must be a whole number of "
                                              "yuan, got ",
                                              Quoted(amount_text)));
    }
    v1::Bonus* bonus = item->add_bonuses();
    bonus->set_when(std::string(absl::StripAsciiWhitespace(when)));
    bonus->set_amount_yuan(amount);
    bonus->set_note(std::string(note));
  }
  return absl::OkStatus();
}

// One data row → the item it describes (its name set), or every rule it breaks as
// "line N: <column>: <rule>".
std::optional<v1::PolicyItem> ItemOfRow(int line, const std::map<std::string, std::string>& cells,
                                        std::vector<std::string>* errors) {
  const size_t before = errors->size();
  auto error = [&](absl::string_view column, absl::string_view rule) {
    errors->push_back(absl::StrCat("line ", line, ": ", column, ": ", rule));
  };
  auto cell = [&](const std::string& column) -> std::string {
    return std::string(absl::StripAsciiWhitespace(cells.at(column)));
  };
  auto number = [&](const std::string& column, auto* out) {
    const std::string text = cell(column);
    if (text.empty()) return;
    if (!absl::SimpleAtoi(text, out)) {
      error(column, absl::StrCat("must be a whole number, got ", Quoted(text)));
    }
  };
  v1::PolicyItem item;
  const std::string policy = cell("policy");
  auto policy_name = PolicyName::Parse("policy", policy);
  auto name = PolicyItemName::Parse("item", absl::StrCat(policy, "/items/", cell("item")));
  if (!policy_name.ok()) {
    error("policy", absl::StrCat("must be policies/{id}, got ", Quoted(policy)));
  } else if (!name.ok()) {
    error("item", absl::StrCat("must be 1-40 of [a-z0-9-], got ", Quoted(cell("item"))));
  } else {
    item.set_name(name->String());
  }
  item.set_title(cell("title"));
  item.set_eligibility(cell("eligibility"));
  item.set_standard(cell("standard"));
  int64_t yuan = 0;
  number("base_amount_yuan", &yuan);
  item.set_base_amount_yuan(yuan);
  yuan = 0;
  number("cap_yuan", &yuan);
  item.set_cap_yuan(yuan);
  yuan = 0;
  number("budget_yuan", &yuan);
  item.set_budget_yuan(yuan);
  int32_t days = 0;
  number("time_limit_working_days", &days);
  item.set_time_limit_working_days(days);
  if (absl::Status s = ParseBonusesCell(cell("bonuses"), &item); !s.ok()) {
    for (const FieldViolation& v : FieldViolationsOf(s)) error(v.field, v.rule);
  }
  item.set_open_date(cell("open_date"));
  item.set_close_date(cell("close_date"));
  item.set_department(cell("department"));
  const std::string lane = absl::AsciiStrToUpper(cell("lane"));
  v1::Lane parsed_lane = v1::LANE_UNSPECIFIED;
  if (!v1::Lane_Parse(lane, &parsed_lane) || parsed_lane == v1::LANE_UNSPECIFIED) {
    error("lane", absl::StrCat("must be AUTOMATIC, FAST or SPECIAL, got ", Quoted(cell("lane"))));
  }
  item.set_lane(parsed_lane);
  std::vector<FieldViolation> violations;
  CheckItem(item, "item", &violations);
  for (const FieldViolation& v : violations) {
    absl::string_view column = v.field;
    absl::ConsumePrefix(&column, "item.");
    if (column == "lane" && parsed_lane == v1::LANE_UNSPECIFIED) continue;  // said above
    error(column, v.rule);
  }
  if (errors->size() != before) return std::nullopt;
  return item;
}

// Whether a stored item says what the row says (its output-only fields aside).
bool SameItem(v1::PolicyItem stored, v1::PolicyItem row) {
  for (v1::PolicyItem* item : {&stored, &row}) {
    item->clear_chains();
    item->clear_etag();
    item->clear_create_time();
    item->clear_update_time();
  }
  return stored.SerializeAsString() == row.SerializeAsString();
}

}  // namespace

// --- Policies -----------------------------------------------------------------------------------

grpc::ServerUnaryReactor* SupportService::CreatePolicy(Ctx* ctx, const v1::CreatePolicyRequest* req,
                                                       v1::Policy* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequirePolicyWriter(call));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    v1::Policy policy = req->policy();
    policy.clear_name();
    policy.clear_etag();
    policy.clear_create_time();
    policy.clear_update_time();
    std::vector<FieldViolation> violations;
    CheckPolicy(policy, &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    CHAINHUB_RETURN_IF_ERROR(RequireIssuer(call, policy.department()));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Policy>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock_.Now();
      const std::string id = NewUuidV7(now);
      PolicyStore db(tx);
      CHAINHUB_RETURN_IF_ERROR(db.InsertPolicy(id, policy, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetPolicy(id));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, resp->name(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetPolicy(Ctx* ctx, const v1::GetPolicyRequest* req,
                                                    v1::Policy* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(PolicyName name, PolicyName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, PolicyStore(tx).GetPolicy(name.id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListPolicies(Ctx* ctx, const v1::ListPoliciesRequest* req,
                                                       v1::ListPoliciesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      std::vector<v1::Policy> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Policy>(
          "ListPolicies", req->page_size(), req->page_token(), req->filter(), "",
          PolicyFilterFields(), OrderSpec{{"p.id"}, false},
          [&](const PageQuery& q) { return db.ListPolicies(q); }, &page, &next));
      for (auto& p : page) *resp->add_policies() = std::move(p);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

// --- Items --------------------------------------------------------------------------------------

grpc::ServerUnaryReactor* SupportService::CreatePolicyItem(Ctx* ctx,
                                                           const v1::CreatePolicyItemRequest* req,
                                                           v1::PolicyItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequirePolicyWriter(call));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_ASSIGN_OR_RETURN(PolicyName parent, PolicyName::Parse("parent", req->parent()));
    v1::PolicyItem item = req->item();
    item.clear_chains();
    item.clear_etag();
    item.clear_create_time();
    item.clear_update_time();
    std::vector<FieldViolation> violations;
    std::optional<PolicyItemName> name;
    if (item.name().empty()) {
      violations.push_back({"item.name", "must not be empty: policies/{id}/items/{item}"});
    } else if (auto parsed = PolicyItemName::Parse("item.name", item.name()); !parsed.ok()) {
      Collect(&violations, "item.name", parsed.status());
    } else if (parsed->policy != parent.id) {
      violations.push_back({"item.name", absl::StrCat("must be an item of ", parent.String())});
    } else {
      name = *parsed;
    }
    CheckItem(item, "item", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::PolicyItem>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      PolicyStore db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::Policy policy, db.GetPolicy(parent.id));
      CHAINHUB_RETURN_IF_ERROR(RequireIssuer(call, policy.department()));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.InsertItem(*name, item, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetItem(*name));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, resp->name(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetPolicyItem(Ctx* ctx,
                                                        const v1::GetPolicyItemRequest* req,
                                                        v1::PolicyItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name, PolicyItemName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, PolicyStore(tx).GetItem(name));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListPolicyItems(Ctx* ctx,
                                                          const v1::ListPolicyItemsRequest* req,
                                                          v1::ListPolicyItemsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    std::string policy_id;
    if (req->parent() != "policies/-") {
      CHAINHUB_ASSIGN_OR_RETURN(PolicyName parent, PolicyName::Parse("parent", req->parent()));
      policy_id = parent.id;
    }
    const std::string today = ChinaDate(clock_.Now());
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      if (!policy_id.empty()) CHAINHUB_RETURN_IF_ERROR(db.GetPolicy(policy_id).status());
      std::vector<v1::PolicyItem> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::PolicyItem>(
          absl::StrCat("ListPolicyItems ", req->parent()), req->page_size(), req->page_token(),
          req->filter(), "", PolicyItemFilterFields(today),
          OrderSpec{{"i.policy_id", "i.item_id"}, false},
          [&](const PageQuery& q) { return db.ListItems(q, policy_id); }, &page, &next));
      for (auto& item : page) *resp->add_items() = std::move(item);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::UpdatePolicyItem(Ctx* ctx,
                                                           const v1::UpdatePolicyItemRequest* req,
                                                           v1::PolicyItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequirePolicyWriter(call));
    CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name,
                              PolicyItemName::Parse("item.name", req->item().name()));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(PolicyAndItem current, LoadItem(db, name));
      CHAINHUB_RETURN_IF_ERROR(RequireIssuer(call, current.policy.department()));
      if (!req->item().etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->item().etag(), current.item.etag(), name.String()));
      }
      v1::PolicyItem merged = current.item;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->item(), req->update_mask(), ItemWritableFields(), &merged));
      std::vector<FieldViolation> violations;
      CheckItem(merged, "item", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateItem(name, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetItem(name));
      return AppendAudit(tx, call, name.String(), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerReadReactor<v1::ImportRowsRequest>* SupportService::ImportPolicyItems(
    Ctx* ctx, v1::ImportRowsResponse* resp) {
  auto* reader = new ClientStream<v1::ImportRowsRequest>(ctx);
  return reader->Serve([=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequirePolicyWriter(call));
    CHAINHUB_ASSIGN_OR_RETURN(
        const CsvImport file,
        ReadCsvImport(*reader, {.columns = &ImportColumns(),
                                .required = ImportColumns().size(),
                                .max_bytes = kMaxImportBytes,
                                .max_rows = kMaxImportRows}));
    const bool validate_only = file.validate_only;
    std::vector<std::string> errors;
    std::vector<std::pair<int, v1::PolicyItem>> rows;
    std::set<std::string> seen;
    resp->set_rows(static_cast<int64_t>(file.rows()));
    for (size_t r = 1; r < file.records.size(); ++r) {
      const CsvRecord& record = file.records[r];
      auto cells = CsvImportCells(file, record, &errors);
      if (!cells) continue;
      std::optional<v1::PolicyItem> item = ItemOfRow(record.line, *cells, &errors);
      if (!item) continue;
      if (!seen.insert(item->name()).second) {
        errors.push_back(absl::StrCat("line ", record.line, ": item: ", item->name(),
                                      " is on an earlier line too"));
        continue;
      }
      rows.emplace_back(record.line, std::move(*item));
    }
    // Against the store: each row's policy exists and is the caller's; an item already there is
    // unchanged when it says the same, refused when it says otherwise.
    std::vector<std::string> store_errors;
    int64_t created = 0;
    int64_t unchanged = 0;
    auto apply = [&](SqlTx& tx, bool write) -> absl::Status {
      store_errors.clear();  // the writer may run a job again
      created = 0;
      unchanged = 0;
      PolicyStore db(tx);
      std::map<std::string, absl::StatusOr<v1::Policy>> policies;
      const absl::Time now = clock_.Now();
      for (const auto& [line, item] : rows) {
        CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name, PolicyItemName::Parse("item", item.name()));
        auto it = policies.find(name.policy);
        if (it == policies.end()) {
          it = policies.emplace(name.policy, db.GetPolicy(name.policy)).first;
        }
        if (!it->second.ok()) {
          if (!absl::IsNotFound(it->second.status())) return it->second.status();
          store_errors.push_back(absl::StrCat(
              "line ", line, ": policy: ", PolicyName{name.policy}.String(), " does not exist"));
          continue;
        }
        if (!RequireIssuer(call, it->second->department()).ok()) {
          store_errors.push_back(absl::StrCat("line ", line, ": policy: ", it->second->name(),
                                              " was issued by ", it->second->department(),
                                              ", whose items only it and admins write"));
          continue;
        }
        CHAINHUB_ASSIGN_OR_RETURN(std::optional<v1::PolicyItem> existing, db.FindItem(name));
        if (existing) {
          if (SameItem(*existing, item)) {
            ++unchanged;
          } else {
            store_errors.push_back(absl::StrCat("line ", line, ": item: ", item.name(),
                                                " exists and says otherwise (UpdatePolicyItem "
                                                "changes it)"));
          }
          continue;
        }
        ++created;
        if (write) {
          CHAINHUB_RETURN_IF_ERROR(db.InsertItem(name, item, now));
          CHAINHUB_RETURN_IF_ERROR(
              AppendAudit(tx, call, item.name(), absl::StrCat("import line ", line), now));
        }
      }
      // Nothing is stored when any row is refused: the write is rolled back.
      if (write && !store_errors.empty()) return absl::AbortedError("import refused");
      return absl::OkStatus();
    };
    if (errors.empty()) {
      absl::Status s = validate_only ? ReadTx([&](SqlTx& tx) { return apply(tx, false); })
                                     : Mutate([&](SqlTx& tx) { return apply(tx, true); });
      if (!s.ok() && store_errors.empty()) return s;
      for (auto& e : store_errors) errors.push_back(std::move(e));
    }
    if (!errors.empty()) {
      // Every refusal, in line order (a line's own refusals in the order they were found).
      auto line_of = [](const std::string& e) {
        int line = 0;
        (void)absl::SimpleAtoi(absl::StripPrefix(e.substr(0, e.find(':')), "line "), &line);
        return line;
      };
      std::stable_sort(
          errors.begin(), errors.end(),
          [&](const std::string& a, const std::string& b) { return line_of(a) < line_of(b); });
      for (size_t i = 0; i < errors.size() && i < kMaxImportErrors; ++i) {
        resp->add_errors(ShownValue(errors[i], 300));
      }
      if (errors.size() > kMaxImportErrors) {
        resp->add_errors(absl::StrCat("and ", errors.size() - kMaxImportErrors, " more errors"));
      }
      return absl::OkStatus();
    }
    resp->set_created(created);
    resp->set_unchanged(unchanged);
    return absl::OkStatus();
  });
}

// --- Matching -----------------------------------------------------------------------------------

grpc::ServerUnaryReactor* SupportService::MatchPolicyItem(Ctx* ctx,
                                                          const v1::MatchPolicyItemRequest* req,
                                                          v1::MatchPolicyItemResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name, PolicyItemName::Parse("item", req->item()));
    CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(req->page_size()));
    CHAINHUB_ASSIGN_OR_RETURN(std::string as_of,
                              AsOfDate("as_of", req->as_of(), ChinaDate(clock_.Now())));
    const std::string fingerprint =
        QueryFingerprint("MatchPolicyItem", absl::StrCat(name.String(), " ", as_of), "");
    CHAINHUB_ASSIGN_OR_RETURN(PageToken token, DecodePageToken(req->page_token(), fingerprint));
    if (token.last_key.size() > 1) return InvalidField("page_token", "is malformed");
    const std::string after = token.last_key.empty() ? "" : token.last_key.front();
    const absl::CivilDay day = DayOf(as_of);
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::PolicyItem item, PolicyStore(tx).GetItem(name));
      CHAINHUB_ASSIGN_OR_RETURN(ItemRule rule, RuleOf(item));
      std::vector<EnterpriseFacts> page;
      bool more = false;
      int64_t examined = 0;
      int64_t qualified = 0;
      int64_t total = 0;
      CHAINHUB_RETURN_IF_ERROR(
          ForEachCandidate(tx, item, [&](const EnterpriseFacts& e) -> absl::Status {
            ++examined;
            std::optional<int64_t> amount = QualifiedAmount(rule, e, day);
            if (!amount) return absl::OkStatus();
            ++qualified;
            total = total > std::numeric_limits<int64_t>::max() - *amount
                        ? std::numeric_limits<int64_t>::max()
                        : total + *amount;
            if (e.credit_code <= after) return absl::OkStatus();
            if (static_cast<int>(page.size()) < page_size) {
              page.push_back(e);
            } else {
              more = true;
            }
            return absl::OkStatus();
          }));
      for (const EnterpriseFacts& e : page) *resp->add_matches() = MatchOf(item, rule, e, day);
      resp->set_qualified(qualified);
      resp->set_total_amount_yuan(total);
      resp->set_examined(examined);
      if (more)
        resp->set_next_page_token(EncodePageToken({{page.back().credit_code}, fingerprint}));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::MatchEnterprise(Ctx* ctx,
                                                          const v1::MatchEnterpriseRequest* req,
                                                          v1::MatchEnterpriseResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    CHAINHUB_RETURN_IF_ERROR(
        registry::EnterpriseName::Parse("enterprise", req->enterprise()).status());
    CHAINHUB_ASSIGN_OR_RETURN(std::string as_of,
                              AsOfDate("as_of", req->as_of(), ChinaDate(clock_.Now())));
    const absl::CivilDay day = DayOf(as_of);
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", req->enterprise()));
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::PolicyItem> items, PolicyStore(tx).AllItems());
      for (const v1::PolicyItem& item : items) {
        if (req->open_only() && !WindowHolds(item, as_of)) continue;
        CHAINHUB_ASSIGN_OR_RETURN(ItemRule rule, RuleOf(item));
        v1::Match m = MatchOf(item, rule, e, day);
        if (!m.qualifies() && !req->include_misses()) continue;
        *resp->add_matches() = std::move(m);
      }
      return absl::OkStatus();
    });
  });
}

// --- The ledger ---------------------------------------------------------------------------------

grpc::ServerUnaryReactor* SupportService::GeneratePayouts(Ctx* ctx,
                                                          const v1::GeneratePayoutsRequest* req,
                                                          v1::GeneratePayoutsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name, PolicyItemName::Parse("item", req->item()));
    const std::string today = ChinaDate(clock_.Now());
    CHAINHUB_ASSIGN_OR_RETURN(std::string as_of, AsOfDate("as_of", req->as_of(), today));
    if (as_of > today) {
      return InvalidField("as_of", absl::StrCat("must not be after today (", today, ")"));
    }
    const absl::CivilDay day = DayOf(as_of);
    // Who qualifies is found on a read snapshot; the write then re-checks only those.
    std::optional<ItemRule> rule;
    v1::PolicyItem item;
    std::vector<std::pair<std::string, int64_t>> candidates;
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(PolicyAndItem pi, LoadItem(db, name));
      CHAINHUB_RETURN_IF_ERROR(RequirePayer(call, pi.policy, pi.item));
      if (pi.item.lane() != v1::AUTOMATIC) {
        return FailedPrecondition(name.String(),
                                  "payout lists are made for AUTOMATIC (免申即享) items only; "
                                  "enterprises apply for the others (ApplyForItem)");
      }
      if (!WindowHolds(pi.item, as_of)) {
        return FailedPrecondition(name.String(), absl::StrCat("its window ", WindowText(pi.item),
                                                              " does not hold on ", as_of));
      }
      item = std::move(pi.item);
      CHAINHUB_ASSIGN_OR_RETURN(rule, RuleOf(item));
      CHAINHUB_ASSIGN_OR_RETURN(candidates, PayoutCandidates(tx, name, item, *rule, day));
      return absl::OkStatus();
    }));
    Payouts payouts;
    CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          payouts, MakePayouts(tx, call, name, item, *rule, day, candidates, today, clock_.Now()));
      return absl::OkStatus();
    }));
    // The lists are cut short so that a large item's answer stays far below the message limit.
    resp->set_created_count(static_cast<int64_t>(payouts.created.size()));
    resp->set_payout_count(static_cast<int64_t>(payouts.payout_list.size()));
    resp->set_payout_total_yuan(payouts.payout_total_yuan);
    for (size_t i = 0; i < payouts.created.size() && i < kMaxListedClaims; ++i) {
      *resp->add_created() = std::move(payouts.created[i]);
    }
    for (size_t i = 0; i < payouts.payout_list.size() && i < kMaxListedClaims; ++i) {
      *resp->add_payout_list() = std::move(payouts.payout_list[i]);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int> SupportService::RunAutomaticPayouts() {
  const Principal self = SystemPrincipal(kSystemSubject);
  const std::string method = "/chainhub.support.v1.ChainSupport/RunAutomaticPayouts";
  const std::string today = ChinaDate(clock_.Now());
  const absl::CivilDay day = DayOf(today);
  std::vector<v1::PolicyItem> items;
  CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(items, PolicyStore(tx).AllItems("", v1::AUTOMATIC));
    return absl::OkStatus();
  }));
  int made = 0;
  for (const v1::PolicyItem& item : items) {
    if (!WindowHolds(item, today)) continue;
    CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name, PolicyItemName::Parse("item", item.name()));
    CHAINHUB_ASSIGN_OR_RETURN(ItemRule rule, RuleOf(item));
    std::vector<std::pair<std::string, int64_t>> candidates;
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(candidates, PayoutCandidates(tx, name, item, rule, day));
      return absl::OkStatus();
    }));
    if (candidates.empty()) continue;
    const std::string request_id = NewUuidV7(clock_.Now());
    const AuthorizedCall call{self, request_id, method};
    CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(Payouts payouts, MakePayouts(tx, call, name, item, rule, day,
                                                             candidates, today, clock_.Now()));
      made += static_cast<int>(payouts.created.size());
      return absl::OkStatus();
    }));
  }
  return made;
}

grpc::ServerUnaryReactor* SupportService::ApplyForItem(Ctx* ctx, const v1::ApplyForItemRequest* req,
                                                       v1::Claim* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    auto name = PolicyItemName::Parse("item", req->item());
    Collect(&violations, "item", name.status());
    auto enterprise = registry::EnterpriseName::Parse("enterprise", req->enterprise());
    Collect(&violations, "enterprise", enterprise.status());
    CheckMultiLineText(&violations, "note", req->note(), false, kMaxNoteChars);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Claim>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      PolicyStore db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::PolicyItem item, db.GetItem(*name));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts facts,
                                EnterpriseCopy(tx).Get("enterprise", req->enterprise()));
      // A chain office applies for the enterprises of its own chains.
      if (!call.principal.IsAdmin() && !call.principal.HasRole(roles::kDepartment) &&
          !std::any_of(facts.chains.begin(), facts.chains.end(),
                       [&](const std::string& c) { return call.principal.CanWriteChain(c); })) {
        return absl::PermissionDeniedError(
            absl::StrCat("a chain office applies for the enterprises of its chains; ", facts.Name(),
                         " is on none of them"));
      }
      const absl::Time now = clock_.Now();
      const std::string today = ChinaDate(now);
      if (item.lane() == v1::AUTOMATIC) {
        return FailedPrecondition(name->String(),
                                  "an AUTOMATIC (免申即享) item is paid without application: its "
                                  "payout list is made from the data (GeneratePayouts)");
      }
      if (!WindowHolds(item, today)) {
        return FailedPrecondition(
            name->String(),
            absl::StrCat("its window ", WindowText(item), " does not hold today (", today, ")"));
      }
      const ClaimName claim_name = ClaimNameOf(*name, facts.credit_code);
      CHAINHUB_ASSIGN_OR_RETURN(std::optional<v1::Claim> existing, db.FindClaim(claim_name));
      if (existing && existing->state() != v1::REJECTED) {
        return AlreadyExists("Claim", claim_name.String());
      }
      CHAINHUB_ASSIGN_OR_RETURN(ItemRule rule, RuleOf(item));
      const v1::Match match = MatchOf(item, rule, facts, DayOf(today));
      if (!match.qualifies()) {
        return FailedPrecondition(name->String(),
                                  absl::StrCat(facts.Name(), " does not qualify today: ",
                                               ShownValue(FailedConditions(match), 600)));
      }
      v1::Claim claim;
      claim.set_enterprise(facts.Name());
      claim.set_state(v1::APPLIED);
      claim.set_computed_yuan(match.amount_yuan());
      claim.set_applied_date(today);
      claim.set_note(req->note());
      if (item.lane() == v1::FAST) {
        // The calendar request deadlines count in (request_settings.h): the one an admin put,
        // else the shipped one.
        CHAINHUB_ASSIGN_OR_RETURN(CalendarSetting calendar, ReadCalendar(tx));
        claim.set_decide_by(absl::FormatCivilTime(
            calendar.calendar.NthWorkingDayAfter(DayOf(today), item.time_limit_working_days())));
      }
      if (existing) {
        CHAINHUB_RETURN_IF_ERROR(db.UpdateClaim(claim_name, claim, now));
      } else {
        CHAINHUB_RETURN_IF_ERROR(db.InsertClaim(claim_name, claim, now));
      }
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetClaim(claim_name));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, claim_name.String(),
                      absl::StrCat(existing ? "re-applied after rejection; " : "", "applied; ",
                                   CreateDetail(req->request_id())),
                      now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::DecideClaim(Ctx* ctx, const v1::DecideClaimRequest* req,
                                                      v1::Claim* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    std::vector<FieldViolation> violations;
    auto name = ClaimName::Parse("name", req->name());
    Collect(&violations, "name", name.status());
    CheckYuan(&violations, "approved_yuan", req->approved_yuan());
    CheckMultiLineText(&violations, "note", req->note(), !req->approve(), kMaxNoteChars);
    if (!req->approve() && req->approved_yuan() != 0) {
      violations.push_back({"approved_yuan", "must be 0 when the claim is rejected"});
    }
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(PolicyAndItem pi, LoadItem(db, name->Item()));
      CHAINHUB_RETURN_IF_ERROR(RequirePayer(call, pi.policy, pi.item));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Claim claim, db.GetClaim(*name));
      if (!req->etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), claim.etag(), name->String()));
      }
      if (claim.state() != v1::APPLIED) {
        return FailedPrecondition(name->String(),
                                  absl::StrCat("only an APPLIED claim is decided; this one is ",
                                               v1::ClaimState_Name(claim.state())));
      }
      const absl::Time now = clock_.Now();
      if (req->approve()) {
        claim.set_state(v1::APPROVED);
        claim.set_approved_yuan(req->approved_yuan() != 0 ? req->approved_yuan()
                                                          : claim.computed_yuan());
        claim.set_approved_date(ChinaDate(now));
      } else {
        claim.set_state(v1::REJECTED);
      }
      if (!req->note().empty()) claim.set_note(req->note());
      CHAINHUB_RETURN_IF_ERROR(db.UpdateClaim(*name, claim, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetClaim(*name));
      return AppendAudit(tx, call, name->String(),
                         req->approve() ? absl::StrCat("approved ", resp->approved_yuan())
                                        : std::string("rejected"),
                         now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::RecordPayment(Ctx* ctx,
                                                        const v1::RecordPaymentRequest* req,
                                                        v1::Claim* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    const std::string today = ChinaDate(clock_.Now());
    std::vector<FieldViolation> violations;
    auto name = ClaimName::Parse("name", req->name());
    Collect(&violations, "name", name.status());
    CheckYuan(&violations, "paid_yuan", req->paid_yuan());
    CheckDate(&violations, "paid_date", req->paid_date(), true);
    if (IsValidDate(req->paid_date()) && req->paid_date() > today) {
      violations.push_back(
          {"paid_date", absl::StrCat("must not be in the future (today is ", today, ")")});
    }
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(PolicyAndItem pi, LoadItem(db, name->Item()));
      CHAINHUB_RETURN_IF_ERROR(RequirePayer(call, pi.policy, pi.item));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Claim claim, db.GetClaim(*name));
      if (!req->etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), claim.etag(), name->String()));
      }
      if (claim.state() != v1::APPROVED) {
        return FailedPrecondition(name->String(),
                                  absl::StrCat("only an APPROVED claim is paid; this one is ",
                                               v1::ClaimState_Name(claim.state())));
      }
      const int64_t paid = req->paid_yuan() != 0 ? req->paid_yuan() : claim.approved_yuan();
      if (paid > claim.approved_yuan()) {
        return InvalidField("paid_yuan", absl::StrCat("must be at most the approved amount ",
                                                      claim.approved_yuan()));
      }
      claim.set_state(v1::PAID);
      claim.set_paid_yuan(paid);
      claim.set_paid_date(req->paid_date());
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateClaim(*name, claim, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetClaim(*name));
      CloudEvent event = NewEvent(kEventSource, call, v1::SUPPORT_EVENT_PAYOUT_MADE, name->String(),
                                  EventChain(pi.item), now, *resp);
      return RecordMutation(tx, call, std::move(event),
                            absl::StrCat("paid ", paid, " on ", req->paid_date()), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListClaims(Ctx* ctx, const v1::ListClaimsRequest* req,
                                                     v1::ListClaimsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireMatcher(call));
    // policies/{id}/items/{item}, policies/{id}/items/- or policies/-/items/-.
    std::string policy_id;
    std::string item_id;
    const std::vector<absl::string_view> parts = absl::StrSplit(req->parent(), '/');
    const bool shaped = parts.size() == 4 && parts[0] == "policies" && parts[2] == "items";
    if (!shaped || (parts[1] == "-" && parts[3] != "-")) {
      return InvalidField("parent",
                          "must be policies/{id}/items/{item}, policies/{id}/items/- or "
                          "policies/-/items/-");
    }
    if (parts[1] != "-") {
      if (parts[3] == "-") {
        CHAINHUB_ASSIGN_OR_RETURN(PolicyName p,
                                  PolicyName::Parse("parent", absl::StrCat("policies/", parts[1])));
        policy_id = p.id;
      } else {
        CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName i, PolicyItemName::Parse("parent", req->parent()));
        policy_id = i.policy;
        item_id = i.item;
      }
    }
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      if (!item_id.empty()) {
        CHAINHUB_RETURN_IF_ERROR(db.GetItem({policy_id, item_id}).status());
      } else if (!policy_id.empty()) {
        CHAINHUB_RETURN_IF_ERROR(db.GetPolicy(policy_id).status());
      }
      std::vector<v1::Claim> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Claim>(
          absl::StrCat("ListClaims ", req->parent()), req->page_size(), req->page_token(),
          req->filter(), "", ClaimFilterFields(),
          OrderSpec{{"c.policy_id", "c.item_id", "c.credit_code"}, false},
          [&](const PageQuery& q) { return db.ListClaims(q, policy_id, item_id); }, &page, &next));
      for (auto& c : page) *resp->add_claims() = std::move(c);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::SummarizePayouts(Ctx* ctx,
                                                           const v1::SummarizePayoutsRequest* req,
                                                           v1::PayoutSummary* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    std::vector<FieldViolation> violations;
    std::string policy_id;
    std::string item_id;
    if (absl::StrContains(req->scope(), "/items/")) {
      auto item = PolicyItemName::Parse("scope", req->scope());
      Collect(&violations, "scope", item.status());
      if (item.ok()) {
        policy_id = item->policy;
        item_id = item->item;
      }
    } else if (!req->scope().empty()) {
      auto policy = PolicyName::Parse("scope", req->scope());
      Collect(&violations, "scope", policy.status());
      if (policy.ok()) policy_id = policy->id;
    }
    if (req->year() < 2000 || req->year() > 2100) {
      violations.push_back({"year", "must be a year 2000-2100"});
    }
    if (!req->department().empty()) {
      Collect(&violations, "department",
              DepartmentName::Parse("department", req->department()).status());
    }
    const std::string today = ChinaDate(clock_.Now());
    absl::StatusOr<std::string> as_of = AsOfDate("as_of", req->as_of(), today);
    Collect(&violations, "as_of", as_of.status());
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const absl::CivilDay day = DayOf(*as_of);
    const int year = req->year();
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      PolicyStore db(tx);
      std::vector<v1::PolicyItem> items;
      if (!item_id.empty()) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::PolicyItem item, db.GetItem({policy_id, item_id}));
        items.push_back(std::move(item));
      } else {
        if (!policy_id.empty()) CHAINHUB_RETURN_IF_ERROR(db.GetPolicy(policy_id).status());
        CHAINHUB_ASSIGN_OR_RETURN(items, db.AllItems(policy_id));
      }
      CHAINHUB_ASSIGN_OR_RETURN(const PayoutFigures f,
                                LoadPayoutFigures(tx, items, year, day, req->department()));
      resp->set_scope(req->scope());
      resp->set_year(year);
      resp->set_as_of(*as_of);
      resp->set_budget_yuan(f.budget_yuan);
      resp->set_approved_yuan(f.approved_yuan);
      resp->set_paid_yuan(f.paid_yuan);
      resp->set_claims(f.claims);
      resp->set_paid_claims(f.paid_claims);
      resp->set_pending_claims(f.pending_claims);
      resp->set_paid_share_of_budget(f.paid_share_of_budget);
      resp->set_elapsed_share_of_year(f.elapsed_share_of_year);
      resp->set_gap_to_elapsed(f.gap_to_elapsed);
      resp->set_avg_days_to_pay(f.avg_days_to_pay);
      resp->set_qualified_unpaid(f.qualified_unpaid);
      resp->set_qualified_unpaid_yuan(f.qualified_unpaid_yuan);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::support
