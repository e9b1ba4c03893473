#include <vector>

#include <gtest/gtest.h>

#include "services/support/payout_figures.h"

namespace chainhub::support {
namespace {

absl::CivilDay Day(int year, int month, int day) { return absl::CivilDay(year, month, day); }

ClaimFacts Claim(ClaimState state, int64_t amount_yuan) {
  ClaimFacts c;
  c.state = state;
  c.amount_yuan = amount_yuan;
  return c;
}

ClaimFacts Paid(int64_t amount_yuan, std::optional<absl::CivilDay> applied,
                std::optional<absl::CivilDay> approved, std::optional<absl::CivilDay> paid) {
  ClaimFacts c = Claim(ClaimState::kPaid, amount_yuan);
  c.applied = applied;
  c.approved = approved;
  c.paid = paid;
  return c;
}

// A budget of 1,000,000 yuan for 2026, judged on 15 May (day 135 of 365), with six claims:
//   A paid 300,000, applied 3-01, approved 3-20, paid 3-31: 30 days
//   B paid 100,000 without application (免申即享), approved 4-10, paid 4-15: 5 days
//   C approved 200,000, not paid
//   D applied, not yet approved (amount 0)
//   E rejected (its 50,000 counts nowhere)
//   F paid 40,000, no dates recorded: paid, but not timed
// 6 claims, 3 paid, 2 pending; paid 440,000, approved 640,000 (A + B + C + F);
// paid share 44%, 序时 135/365 = 36.99%, gap +7.01 points; days to pay (30 + 5) / 2 = 17.5.
TEST(SupportPayoutFigures, SixClaimsGiveTheHandComputedFigures) {
  const std::vector<ClaimFacts> claims = {
      Paid(300'000, Day(2026, 3, 1), Day(2026, 3, 20), Day(2026, 3, 31)),
      Paid(100'000, std::nullopt, Day(2026, 4, 10), Day(2026, 4, 15)),
      Claim(ClaimState::kApproved, 200'000),
      Claim(ClaimState::kApplied, 0),
      Claim(ClaimState::kRejected, 50'000),
      Paid(40'000, std::nullopt, std::nullopt, std::nullopt),
  };
  const PayoutFigures f = SummarizePayouts(1'000'000, 2026, Day(2026, 5, 15), claims, 7, 350'000);
  EXPECT_EQ(f.budget_yuan, 1'000'000);
  EXPECT_EQ(f.claims, 6);
  EXPECT_EQ(f.paid_claims, 3);
  EXPECT_EQ(f.pending_claims, 2);
  EXPECT_EQ(f.paid_yuan, 440'000);
  EXPECT_EQ(f.approved_yuan, 640'000);
  EXPECT_DOUBLE_EQ(f.paid_share_of_budget, 0.44);
  EXPECT_DOUBLE_EQ(f.elapsed_share_of_year, 135.0 / 365);
  EXPECT_DOUBLE_EQ(f.gap_to_elapsed, 0.44 - 135.0 / 365);
  EXPECT_NEAR(f.gap_to_elapsed, 0.0701, 0.0001);
  EXPECT_DOUBLE_EQ(f.avg_days_to_pay, 17.5);
  // Carried through as given.
  EXPECT_EQ(f.qualified_unpaid, 7);
  EXPECT_EQ(f.qualified_unpaid_yuan, 350'000);
}

// Hefei: 40.4% of the budget paid with a quarter of the year gone. At the end of 31 March 2026,
// 90 of 365 days have elapsed (24.66%), so payment is 15.74 points ahead of 序时.
TEST(SupportPayoutFigures, HefeiPaidFortyPercentWithAQuarterOfTheYearGone) {
  const std::vector<ClaimFacts> claims = {
      Paid(2'500'000'000, Day(2026, 1, 5), Day(2026, 2, 1), Day(2026, 2, 15)),
      Paid(1'540'000'000, std::nullopt, Day(2026, 3, 1), Day(2026, 3, 1)),
  };
  const PayoutFigures f =
      SummarizePayouts(10'000'000'000, 2026, Day(2026, 3, 31), claims, 0, 0);  // 100亿
  EXPECT_DOUBLE_EQ(f.paid_share_of_budget, 0.404);
  EXPECT_DOUBLE_EQ(f.elapsed_share_of_year, 90.0 / 365);
  EXPECT_NEAR(f.gap_to_elapsed, 0.1574, 0.0001);
  // (41 + 0) / 2 days: a 免申即享 payment on its approval day took 0 days.
  EXPECT_DOUBLE_EQ(f.avg_days_to_pay, 20.5);
  // In a leap year the same date is 91 of 366 days.
  EXPECT_DOUBLE_EQ(
      SummarizePayouts(10'000'000'000, 2028, Day(2028, 3, 31), claims, 0, 0).elapsed_share_of_year,
      91.0 / 366);
}

TEST(SupportPayoutFigures, ElapsedShareIsZeroBeforeTheYearAndOneAfterIt) {
  auto elapsed = [](absl::CivilDay as_of) {
    return SummarizePayouts(100, 2026, as_of, {}, 0, 0).elapsed_share_of_year;
  };
  EXPECT_EQ(elapsed(Day(2025, 12, 31)), 0);
  EXPECT_EQ(elapsed(Day(2020, 6, 1)), 0);
  EXPECT_DOUBLE_EQ(elapsed(Day(2026, 1, 1)), 1.0 / 365);  // the first day, once it has ended
  EXPECT_DOUBLE_EQ(elapsed(Day(2026, 12, 30)), 364.0 / 365);
  EXPECT_EQ(elapsed(Day(2026, 12, 31)), 1);
  EXPECT_EQ(elapsed(Day(2027, 1, 1)), 1);
  EXPECT_EQ(elapsed(Day(2030, 6, 1)), 1);
}

TEST(SupportPayoutFigures, NoClaimsAndNoBudgetGiveZerosAndTheGapIsMinusTheElapsedShare) {
  const PayoutFigures f = SummarizePayouts(0, 2026, Day(2026, 7, 2), {}, 0, 0);  // day 183
  EXPECT_EQ(f.claims, 0);
  EXPECT_EQ(f.paid_claims, 0);
  EXPECT_EQ(f.pending_claims, 0);
  EXPECT_EQ(f.paid_yuan, 0);
  EXPECT_EQ(f.approved_yuan, 0);
  EXPECT_EQ(f.paid_share_of_budget, 0);
  EXPECT_EQ(f.avg_days_to_pay, 0);
  EXPECT_DOUBLE_EQ(f.elapsed_share_of_year, 183.0 / 365);
  EXPECT_DOUBLE_EQ(f.gap_to_elapsed, -183.0 / 365);

  // Paid without a budget: the share stays 0 rather than dividing by zero.
  const PayoutFigures unbudgeted = SummarizePayouts(
      0, 2026, Day(2026, 7, 2), {Paid(500, std::nullopt, std::nullopt, std::nullopt)}, 0, 0);
  EXPECT_EQ(unbudgeted.paid_yuan, 500);
  EXPECT_EQ(unbudgeted.paid_share_of_budget, 0);
}

TEST(SupportPayoutFigures, DaysToPayStartAtTheApplicationAndNeverGoNegative) {
  const std::vector<ClaimFacts> claims = {
      // Applied 1-10, approved 2-01, paid 2-09: counted from the application, 30 days.
      Paid(1, Day(2026, 1, 10), Day(2026, 2, 1), Day(2026, 2, 9)),
      // Paid "before" its application (a data-entry slip): 0 days, not −5.
      Paid(1, Day(2026, 3, 10), std::nullopt, Day(2026, 3, 5)),
      // Paid with no start day at all: not timed.
      Paid(1, std::nullopt, std::nullopt, Day(2026, 3, 5)),
      // Started but no paid day: not timed.
      Paid(1, Day(2026, 3, 1), std::nullopt, std::nullopt),
  };
  // (30 + 0) / 2 = 15.
  EXPECT_DOUBLE_EQ(SummarizePayouts(4, 2026, Day(2026, 4, 1), claims, 0, 0).avg_days_to_pay, 15.0);
}

TEST(SupportPayoutFigures, RejectedClaimsCountAsClaimsOnly) {
  const PayoutFigures f = SummarizePayouts(
      1000, 2026, Day(2026, 4, 1),
      {Claim(ClaimState::kRejected, 300), Claim(ClaimState::kRejected, 200)}, 0, 0);
  EXPECT_EQ(f.claims, 2);
  EXPECT_EQ(f.paid_claims, 0);
  EXPECT_EQ(f.pending_claims, 0);
  EXPECT_EQ(f.approved_yuan, 0);
  EXPECT_EQ(f.paid_yuan, 0);
}

}  // namespace
}  // namespace chainhub::support
