// What support's figures are computed from, read in one store transaction: shared by the RPCs
// that answer one figure each (SummarizeRequests, SummarizePayouts, ComputeLocalRate,
// GetPlanProgress and ReportPlanProgress) and ExportFigures, which puts them all in one workbook,
// so that a figure exported is the figure its RPC gives. The pure rules are elsewhere
// (request_figures.h, payout_figures.h, local_rate.h, chain_plans.h); this file only gathers
// their inputs.
#ifndef CHAINHUB_SERVICES_SUPPORT_FIGURES_LOAD_H_
#define CHAINHUB_SERVICES_SUPPORT_FIGURES_LOAD_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/store/store.h"
#include "services/assessment/periods.h"
#include "services/support/chain_plan_store.h"
#include "services/support/chain_plans.h"
#include "services/support/eligibility.h"
#include "services/support/local_rate.h"
#include "services/support/names.h"
#include "services/support/payout_figures.h"
#include "services/support/request_figures.h"

namespace chainhub::support {

// --- Requests (SummarizeRequests) -----------------------------------------------------------

// The requests counted for a period as of a day: accepted in the period's China days and by the
// end of the as-of day ([from, to)), judged as things stood at the last instant of that day.
struct RequestWindow {
  absl::Time from;
  absl::Time to;
  absl::Time as_of_end;
};
RequestWindow RequestWindowOf(const assessment::Period& period, absl::CivilDay as_of);

// The requests accepted in the window (of `chain_id` only, when it is not empty) as
// request_figures.h takes them: working days to close counted on the stored calendar, and a
// satisfaction rating given after the as-of day left out (it was not known then).
absl::StatusOr<std::vector<RequestFacts>> LoadRequestFacts(SqlTx& tx, const RequestWindow& window,
                                                           const std::string& chain_id);

// --- Policy payouts (SummarizePayouts) --------------------------------------------------------

// A stored item's chains (its policy's) as chain ids, and whether an enterprise is on one of
// them (every enterprise is, for an item of no chain).
std::vector<std::string> ChainIds(const v1::PolicyItem& item);
bool OnPolicyChains(const std::vector<std::string>& chain_ids, const EnterpriseFacts& e);
// An item's bonuses as eligibility.h takes them, and the compiled rules of a stored (so already
// checked) item.
std::vector<BonusSpec> BonusSpecs(const v1::PolicyItem& item);
absl::StatusOr<ItemRule> RuleOf(const v1::PolicyItem& item);

// Whether the item's window overlaps `year` (an open-ended window overlaps every later year).
bool WindowInYear(const v1::PolicyItem& item, int year);

// The payout figures of `items` for `year` at `as_of`, as SummarizePayouts gives them: the items
// whose window overlaps the year (and that `department` pays, when it is not empty) add their
// budgets; their claims approved in the year (applied in it, while undecided) count in the state
// they are in now; qualified-but-unpaid counts each enterprise that qualifies on `as_of` for an
// item open that day and holds no claim on it but a rejected one.
absl::StatusOr<PayoutFigures> LoadPayoutFigures(SqlTx& tx, const std::vector<v1::PolicyItem>& items,
                                                int year, absl::CivilDay as_of,
                                                const std::string& department = "");

// --- 本地配套率 (ComputeLocalRate) ------------------------------------------------------------

// The local rate of the spend reported for `chain_id` and exactly `period` (canonical text) into
// `out`'s overall and firms (each firm with its registered name from the enterprise copy); the
// caller sets out's chain, period and scope.
absl::Status LoadLocalRate(SqlTx& tx, const std::string& chain_id, const std::string& period,
                           const LocalityParams& params, const std::set<std::string>& reporting_set,
                           v1::LocalRateResponse* out);

// --- Chain plans (GetPlanProgress, ReportPlanProgress) ---------------------------------------

// Everything a plan's progress is computed from (chain_plans.h), `plan` being its latest version.
absl::StatusOr<PlanProgressFacts> ProgressFacts(ChainPlansTx& db, const ChainPlanName& name,
                                                v1::ChainPlan plan);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_FIGURES_LOAD_H_
