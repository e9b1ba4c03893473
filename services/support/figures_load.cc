#include "services/support/figures_load.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/support/deadlines.h"
#include "services/support/enterprises.h"
#include "services/support/policy_store.h"
#include "services/support/request_settings.h"
#include "services/support/request_store.h"
#include "services/support/spend_store.h"
#include "services/support/supplier_spend.h"

namespace chainhub::support {

namespace {

// A stored date (checked when it was written); nullopt when empty.
std::optional<absl::CivilDay> OptionalDay(const std::string& date) {
  absl::CivilDay day;
  if (date.empty() || !IsValidDate(date) || !absl::ParseCivilTime(date, &day)) {
    return std::nullopt;
  }
  return day;
}

ClaimFacts ClaimFactsOf(const v1::Claim& c) {
  ClaimFacts f;
  switch (c.state()) {
    case v1::APPROVED:
      f.state = ClaimState::kApproved;
      break;
    case v1::PAID:
      f.state = ClaimState::kPaid;
      break;
    case v1::REJECTED:
      f.state = ClaimState::kRejected;
      break;
    default:
      f.state = ClaimState::kApplied;
      break;
  }
  f.amount_yuan = c.state() == v1::PAID ? c.paid_yuan() : c.approved_yuan();
  f.applied = OptionalDay(c.applied_date());
  f.approved = OptionalDay(c.approved_date());
  f.paid = OptionalDay(c.paid_date());
  return f;
}

// The year a claim counts in: of its approval, or of its application before it is decided.
int64_t ClaimYear(const v1::Claim& c) {
  const std::string& date = c.approved_date().empty() ? c.applied_date() : c.approved_date();
  const std::optional<absl::CivilDay> day = OptionalDay(date);
  return day ? day->year() : 0;
}

v1::LocalRate RateOut(const LocalRate& rate, const std::string& display_name) {
  v1::LocalRate out;
  out.set_reporter(rate.reporter.empty() ? "" : "enterprises/" + rate.reporter);
  out.set_display_name(display_name);
  out.set_total_yuan(rate.total_yuan);
  out.set_local_yuan(rate.local_yuan);
  out.set_rate(rate.rate);
  out.set_suppliers(rate.suppliers);
  out.set_local_suppliers(rate.local_suppliers);
  return out;
}

}  // namespace

// --- Requests -----------------------------------------------------------------------------------

RequestWindow RequestWindowOf(const assessment::Period& period, absl::CivilDay as_of) {
  RequestWindow w;
  w.from = assessment::EndOfChinaDay(period.FirstDay() - 1);
  w.to = std::min(assessment::EndOfChinaDay(period.LastDay()), assessment::EndOfChinaDay(as_of));
  w.as_of_end = assessment::EndOfChinaDay(as_of) - absl::Microseconds(1);
  return w;
}

absl::StatusOr<std::vector<RequestFacts>> LoadRequestFacts(SqlTx& tx, const RequestWindow& window,
                                                           const std::string& chain_id) {
  CHAINHUB_ASSIGN_OR_RETURN(CalendarSetting calendar, ReadCalendar(tx));
  CHAINHUB_ASSIGN_OR_RETURN(
      std::vector<RequestFigureRow> rows,
      RequestStore(tx).FigureRows(Micros(window.from), Micros(window.to), chain_id));
  std::vector<RequestFacts> facts;
  facts.reserve(rows.size());
  const int64_t as_of_us = Micros(window.as_of_end);
  for (const RequestFigureRow& row : rows) {
    RequestFacts f;
    f.department = row.assignee;
    if (!row.chain.empty()) f.chain = absl::StrCat("chains/", row.chain);
    f.accepted = absl::FromUnixMicros(row.accept_us);
    if (row.contact_us > 0) f.contacted = absl::FromUnixMicros(row.contact_us);
    if (row.close_us > 0) {
      f.closed = absl::FromUnixMicros(row.close_us);
      f.close_working_days = WorkingDaysTaken(f.accepted, *f.closed, calendar.calendar);
    }
    f.close_deadline = row.close_deadline_us > 0 ? absl::FromUnixMicros(row.close_deadline_us)
                                                 : absl::InfiniteFuture();
    // A rating given after the as-of day was not known then.
    if (row.revisit_us > 0 && row.revisit_us <= as_of_us) f.satisfaction = row.satisfaction;
    facts.push_back(std::move(f));
  }
  return facts;
}

// --- Policy payouts -----------------------------------------------------------------------------

std::vector<std::string> ChainIds(const v1::PolicyItem& item) {
  std::vector<std::string> ids;
  for (const std::string& chain : item.chains()) {
    ids.push_back(std::string(absl::StripPrefix(chain, "chains/")));
  }
  return ids;
}

bool OnPolicyChains(const std::vector<std::string>& chain_ids, const EnterpriseFacts& e) {
  if (chain_ids.empty()) return true;
  return std::any_of(chain_ids.begin(), chain_ids.end(),
                     [&](const std::string& id) { return e.OnChain(id); });
}

std::vector<BonusSpec> BonusSpecs(const v1::PolicyItem& item) {
  std::vector<BonusSpec> specs;
  for (const v1::Bonus& b : item.bonuses()) specs.push_back({b.when(), b.amount_yuan(), b.note()});
  return specs;
}

absl::StatusOr<ItemRule> RuleOf(const v1::PolicyItem& item) {
  return CompileItemRule("item", item.eligibility(), item.base_amount_yuan(), BonusSpecs(item),
                         item.cap_yuan());
}

bool WindowInYear(const v1::PolicyItem& item, int year) {
  const std::string first = absl::StrCat(year, "-01-01");
  const std::string last = absl::StrCat(year, "-12-31");
  return (item.open_date().empty() || item.open_date() <= last) &&
         (item.close_date().empty() || item.close_date() >= first);
}

absl::StatusOr<PayoutFigures> LoadPayoutFigures(SqlTx& tx, const std::vector<v1::PolicyItem>& items,
                                                int year, absl::CivilDay as_of,
                                                const std::string& department) {
  PolicyStore db(tx);
  const std::string as_of_date = assessment::FormatDate(as_of);
  int64_t budget = 0;
  std::vector<ClaimFacts> claims;
  // The open items in scope, their rules and the claims that keep an enterprise off the
  // qualified-but-unpaid count (paid or pending).
  struct Open {
    std::vector<std::string> chains;
    ItemRule rule;
    std::set<std::string> settled;
  };
  std::vector<Open> open;
  for (const v1::PolicyItem& item : items) {
    if (!department.empty() && item.department() != department) continue;
    if (!WindowInYear(item, year)) continue;
    budget += item.budget_yuan();
    CHAINHUB_ASSIGN_OR_RETURN(PolicyItemName name, PolicyItemName::Parse("item", item.name()));
    CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::Claim> of_item, db.ItemClaims(name));
    std::set<std::string> settled;
    for (const v1::Claim& c : of_item) {
      if (ClaimYear(c) == year) claims.push_back(ClaimFactsOf(c));
      if (c.state() != v1::REJECTED) {
        settled.insert(std::string(absl::StripPrefix(c.enterprise(), "enterprises/")));
      }
    }
    if (!WindowHolds(item, as_of_date)) continue;
    CHAINHUB_ASSIGN_OR_RETURN(ItemRule rule, RuleOf(item));
    open.push_back({ChainIds(item), std::move(rule), std::move(settled)});
  }
  int64_t qualified_unpaid = 0;
  int64_t qualified_unpaid_yuan = 0;
  if (!open.empty()) {
    CHAINHUB_RETURN_IF_ERROR(
        EnterpriseCopy(tx).ForEach("", [&](const EnterpriseFacts& e) -> absl::Status {
          for (const Open& o : open) {
            if (!OnPolicyChains(o.chains, e) || o.settled.contains(e.credit_code)) continue;
            if (std::optional<int64_t> amount = QualifiedAmount(o.rule, e, as_of)) {
              ++qualified_unpaid;
              qualified_unpaid_yuan += *amount;
            }
          }
          return absl::OkStatus();
        }));
  }
  return SummarizePayouts(budget, year, as_of, claims, qualified_unpaid, qualified_unpaid_yuan);
}

// --- 本地配套率
// ------------------------------------------------------------------------------------

absl::Status LoadLocalRate(SqlTx& tx, const std::string& chain_id, const std::string& period,
                           const LocalityParams& params, const std::set<std::string>& reporting_set,
                           v1::LocalRateResponse* out) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::SupplierSpend> reports,
                            SpendTx(tx).OfPeriod(chain_id, period));
  std::vector<SpendLine> lines;
  for (const v1::SupplierSpend& report : reports) {
    AppendRateLines(absl::StripPrefix(report.reporter(), "enterprises/"), report, &lines);
  }
  const LocalRateResult result = ComputeLocalRate(lines, params, reporting_set);
  *out->mutable_overall() = RateOut(result.overall, "");
  out->clear_firms();
  EnterpriseCopy copy(tx);
  for (const LocalRate& firm : result.firms) {
    CHAINHUB_ASSIGN_OR_RETURN(auto facts, copy.Find(firm.reporter));
    *out->add_firms() = RateOut(firm, facts ? facts->display_name : "");
  }
  return absl::OkStatus();
}

// --- Chain plans
// ----------------------------------------------------------------------------------

absl::StatusOr<PlanProgressFacts> ProgressFacts(ChainPlansTx& db, const ChainPlanName& name,
                                                v1::ChainPlan plan) {
  PlanProgressFacts facts;
  facts.plan_name = name.String();
  CHAINHUB_ASSIGN_OR_RETURN(facts.task_first_seen, db.TaskFirstSeen(name.id));
  for (const v1::PlanTask& task : plan.tasks()) {
    if (!task.work_item().empty()) facts.work_items[task.number()] = task.work_item();
  }
  CHAINHUB_ASSIGN_OR_RETURN(facts.actuals, db.Actuals(name.id));
  CHAINHUB_ASSIGN_OR_RETURN(facts.task_reports, db.TaskReports(name.id));
  facts.plan = std::move(plan);
  return facts;
}

}  // namespace chainhub::support
