// Figures of policy payouts (惠企政策兑现) for one budget year: how much of the budget has been
// approved and paid, how fast, and how far payment stands from the share of the year gone (序时),
// which is how progress is reported (Hefei: 40.4% paid with 25% of the year gone).
#ifndef CHAINHUB_SERVICES_SUPPORT_PAYOUT_FIGURES_H_
#define CHAINHUB_SERVICES_SUPPORT_PAYOUT_FIGURES_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/civil_time.h"

namespace chainhub::support {

enum class ClaimState { kApplied, kApproved, kPaid, kRejected };

// One claim of a firm on a policy item, in its current state.
struct ClaimFacts {
  ClaimState state = ClaimState::kApplied;
  int64_t amount_yuan = 0;  // the approved amount, or the paid amount once paid
  // No `applied` day for an item paid without application (免申即享).
  std::optional<absl::CivilDay> applied;
  std::optional<absl::CivilDay> approved;
  std::optional<absl::CivilDay> paid;
};

struct PayoutFigures {
  int64_t budget_yuan = 0;
  int64_t approved_yuan = 0;  // Σ amount over approved and paid claims
  int64_t paid_yuan = 0;      // Σ amount over paid claims
  int64_t claims = 0;         // every claim, rejected ones included
  int64_t paid_claims = 0;
  int64_t pending_claims = 0;        // applied or approved, not yet paid
  double paid_share_of_budget = 0;   // paid_yuan ÷ budget_yuan; 0 when there is no budget
  double elapsed_share_of_year = 0;  // 序时: ElapsedShareOfYear(year, as_of) (plan_progress.h)
  double gap_to_elapsed = 0;         // paid share − elapsed share; negative = behind 序时
  // Mean calendar days from applied (approved when there was no application) to paid, over the
  // paid claims that carry both days; a payment dated before its start counts as 0 days. 0 when
  // there is none.
  double avg_days_to_pay = 0;
  // Firms that qualify for an item but have not been paid, and what they would get: found by the
  // eligibility check elsewhere, carried through as given.
  int64_t qualified_unpaid = 0;
  int64_t qualified_unpaid_yuan = 0;
};

// The figures of `claims` against a budget of `budget_yuan` for calendar year `year`, at the end
// of `as_of`: 序时 is 0 with as_of before the year and 1 after it. The claims are those on this
// budget, each in the state the caller knows it in; as_of sets only the share of the year gone.
PayoutFigures SummarizePayouts(int64_t budget_yuan, int year, absl::CivilDay as_of,
                               const std::vector<ClaimFacts>& claims, int64_t qualified_unpaid,
                               int64_t qualified_unpaid_yuan);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_PAYOUT_FIGURES_H_
