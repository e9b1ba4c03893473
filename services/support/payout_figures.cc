#include "services/support/payout_figures.h"

#include <algorithm>

#include "services/support/plan_progress.h"

namespace chainhub::support {

PayoutFigures SummarizePayouts(int64_t budget_yuan, int year, absl::CivilDay as_of,
                               const std::vector<ClaimFacts>& claims, int64_t qualified_unpaid,
                               int64_t qualified_unpaid_yuan) {
  PayoutFigures f;
  f.budget_yuan = budget_yuan;
  f.qualified_unpaid = qualified_unpaid;
  f.qualified_unpaid_yuan = qualified_unpaid_yuan;
  int64_t timed = 0;
  int64_t days_to_pay = 0;
  for (const ClaimFacts& c : claims) {
    ++f.claims;
    switch (c.state) {
      case ClaimState::kApplied:
        ++f.pending_claims;
        break;
      case ClaimState::kApproved:
        ++f.pending_claims;
        f.approved_yuan += c.amount_yuan;
        break;
      case ClaimState::kPaid: {
        ++f.paid_claims;
        f.approved_yuan += c.amount_yuan;
        f.paid_yuan += c.amount_yuan;
        const std::optional<absl::CivilDay>& start = c.applied.has_value() ? c.applied : c.approved;
        if (start.has_value() && c.paid.has_value()) {
          ++timed;
          days_to_pay += std::max<int64_t>(0, *c.paid - *start);
        }
        break;
      }
      case ClaimState::kRejected:
        break;
    }
  }
  if (budget_yuan > 0) {
    f.paid_share_of_budget = static_cast<double>(f.paid_yuan) / static_cast<double>(budget_yuan);
  }
  f.elapsed_share_of_year = ElapsedShareOfYear(year, as_of);
  f.gap_to_elapsed = f.paid_share_of_budget - f.elapsed_share_of_year;
  if (timed > 0) f.avg_days_to_pay = static_cast<double>(days_to_pay) / static_cast<double>(timed);
  return f;
}

}  // namespace chainhub::support
