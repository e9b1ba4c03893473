#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "services/support/request_figures.h"

namespace chainhub::support {
namespace {

// An instant of 2026 in China.
absl::Time At(int month, int day, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, 0, 0), ChinaTimeZone());
}

// The window of May 2026, judged on 10 June.
const absl::Time kFrom = At(5, 1);
const absl::Time kTo = At(6, 1);
const absl::Time kAsOf = At(6, 10);

RequestFacts Request(absl::Time accepted, absl::Time deadline) {
  RequestFacts r;
  r.accepted = accepted;
  r.close_deadline = deadline;
  return r;
}

RequestFacts Closed(absl::Time accepted, int response_hours, absl::Time closed, absl::Time deadline,
                    int working_days, int satisfaction) {
  RequestFacts r = Request(accepted, deadline);
  r.contacted = accepted + absl::Hours(response_hours);
  r.closed = closed;
  r.close_working_days = working_days;
  r.satisfaction = satisfaction;
  return r;
}

// Five requests of May:
//   1. contacted after 1 h, closed 5-06 (deadline 5-09) in 3 working days, rated 5
//   2. contacted after 3 h, closed 5-08 (deadline 5-10) in 4 working days, rated 3
//   3. contacted after 2 h, closed 5-20 (deadline 5-17, late) in 7 working days, rated 4
//   4. contacted after 6 h, closed 5-25 (deadline 5-27) in 4 working days, not revisited
//   5. never contacted, still open, deadline 6-05 passed by 6-10
// 5 received, 4 closed, 3 on time, 2 overdue (3 closed late, 5 open past its deadline);
// 3 revisited, 2 satisfied (ratings 5 and 4).
// 办结率 4/5 = 80%, 按期办结率 3/4 = 75%, 满意率 2/3;
// response (1 + 3 + 2 + 6) / 4 = 3 h; close (3 + 4 + 7 + 4) / 4 = 4.5 working days.
std::vector<RequestFacts> May() {
  return {
      Closed(At(5, 2, 9), 1, At(5, 6), At(5, 9), 3, 5),
      Closed(At(5, 3, 9), 3, At(5, 8), At(5, 10), 4, 3),
      Closed(At(5, 10, 9), 2, At(5, 20), At(5, 17), 7, 4),
      Closed(At(5, 20, 9), 6, At(5, 25), At(5, 27), 4, 0),
      Request(At(5, 28, 9), At(6, 5)),
  };
}

TEST(SupportRequestFigures, FiveRequestsGiveTheHandComputedFigures) {
  const std::vector<RequestFigures> out =
      SummarizeRequests(May(), kFrom, kTo, kAsOf, RequestGrouping::kNone);
  ASSERT_EQ(out.size(), 1u);
  const RequestFigures& f = out[0];
  EXPECT_EQ(f.group, "");
  EXPECT_EQ(f.received, 5);
  EXPECT_EQ(f.closed, 4);
  EXPECT_EQ(f.closed_on_time, 3);
  EXPECT_EQ(f.overdue, 2);
  EXPECT_EQ(f.revisited, 3);
  EXPECT_EQ(f.satisfied, 2);
  EXPECT_DOUBLE_EQ(f.close_rate, 0.8);
  EXPECT_DOUBLE_EQ(f.on_time_rate, 0.75);
  EXPECT_DOUBLE_EQ(f.satisfaction_rate, 2.0 / 3);
  EXPECT_DOUBLE_EQ(f.avg_response_hours, 3.0);
  EXPECT_DOUBLE_EQ(f.avg_close_working_days, 4.5);
}

TEST(SupportRequestFigures, NoRequestsGiveOneRowOfZerosWithoutGrouping) {
  const std::vector<RequestFigures> out =
      SummarizeRequests({}, kFrom, kTo, kAsOf, RequestGrouping::kNone);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].group, "");
  EXPECT_EQ(out[0].received, 0);
  EXPECT_EQ(out[0].close_rate, 0);
  EXPECT_EQ(out[0].on_time_rate, 0);
  EXPECT_EQ(out[0].satisfaction_rate, 0);
  EXPECT_EQ(out[0].avg_response_hours, 0);
  EXPECT_EQ(out[0].avg_close_working_days, 0);
}

TEST(SupportRequestFigures, NoRequestsGiveNoRowsWhenGrouped) {
  EXPECT_TRUE(SummarizeRequests({}, kFrom, kTo, kAsOf, RequestGrouping::kDepartment).empty());
  // Requests outside the window are not received either.
  EXPECT_TRUE(
      SummarizeRequests(May(), kTo, kTo + absl::Hours(24 * 30), kAsOf, RequestGrouping::kChain)
          .empty());
}

TEST(SupportRequestFigures, RatesAreZeroWhenTheirDenominatorIsZero) {
  // 2 received, none closed, none contacted: 办结率 0/2 = 0, and 按期办结率, 满意率 and both
  // averages have nothing to divide by.
  const std::vector<RequestFacts> rows = {Request(At(5, 2), At(6, 30)),
                                          Request(At(5, 3), At(6, 30))};
  const RequestFigures f = SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kNone)[0];
  EXPECT_EQ(f.received, 2);
  EXPECT_EQ(f.closed, 0);
  EXPECT_EQ(f.overdue, 0);  // deadlines not reached
  EXPECT_EQ(f.close_rate, 0);
  EXPECT_EQ(f.on_time_rate, 0);
  EXPECT_EQ(f.satisfaction_rate, 0);
  EXPECT_EQ(f.avg_response_hours, 0);
  EXPECT_EQ(f.avg_close_working_days, 0);
}

TEST(SupportRequestFigures, TheWindowIncludesFromAndExcludesTo) {
  const std::vector<RequestFacts> rows = {
      Request(kFrom, At(6, 30)),                     // exactly at from: counted
      Request(kTo, At(6, 30)),                       // exactly at to: next window
      Request(kFrom - absl::Seconds(1), At(6, 30)),  // the last second of April
      Request(kTo - absl::Seconds(1), At(6, 30)),    // the last second of May: counted
  };
  EXPECT_EQ(SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kNone)[0].received, 2);
  // An empty or inverted window counts nothing.
  EXPECT_EQ(SummarizeRequests(rows, kTo, kTo, kAsOf, RequestGrouping::kNone)[0].received, 0);
  EXPECT_EQ(SummarizeRequests(rows, kTo, kFrom, kAsOf, RequestGrouping::kNone)[0].received, 0);
}

TEST(SupportRequestFigures, ACloseAfterAsOfIsStillOpenAsOfThen) {
  // Both closed on 6-20, after as_of 6-10, and rated. The first's deadline 6-05 had passed by
  // 6-10 (overdue); the second's 6-25 had not. Neither counts as closed or revisited, nor does a
  // contact on 6-12.
  RequestFacts past_deadline = Closed(At(5, 2), 1, At(6, 20), At(6, 5), 20, 5);
  RequestFacts before_deadline = Closed(At(5, 3), 1, At(6, 20), At(6, 25), 20, 5);
  before_deadline.contacted = At(6, 12);
  const RequestFigures f = SummarizeRequests({past_deadline, before_deadline}, kFrom, kTo, kAsOf,
                                             RequestGrouping::kNone)[0];
  EXPECT_EQ(f.received, 2);
  EXPECT_EQ(f.closed, 0);
  EXPECT_EQ(f.closed_on_time, 0);
  EXPECT_EQ(f.revisited, 0);
  EXPECT_EQ(f.overdue, 1);
  EXPECT_DOUBLE_EQ(f.avg_response_hours, 1.0);  // only the first contact was by as_of
  EXPECT_EQ(f.avg_close_working_days, 0);

  // Judged on 6-20 instead, both are closed: the first late, the second on time.
  const RequestFigures later = SummarizeRequests({past_deadline, before_deadline}, kFrom, kTo,
                                                 At(6, 20), RequestGrouping::kNone)[0];
  EXPECT_EQ(later.closed, 2);
  EXPECT_EQ(later.closed_on_time, 1);
  EXPECT_EQ(later.overdue, 1);
  EXPECT_EQ(later.revisited, 2);
}

TEST(SupportRequestFigures, ClosingExactlyAtTheDeadlineIsOnTime) {
  // Closed at the deadline instant and judged at that instant: closed, on time, not overdue.
  const RequestFacts r = Closed(At(5, 2), 1, At(5, 9), At(5, 9), 5, 0);
  const RequestFigures f = SummarizeRequests({r}, kFrom, kTo, At(5, 9), RequestGrouping::kNone)[0];
  EXPECT_EQ(f.closed, 1);
  EXPECT_EQ(f.closed_on_time, 1);
  EXPECT_EQ(f.overdue, 0);
  // An open request whose deadline is as_of itself is not overdue yet.
  const RequestFigures open = SummarizeRequests({Request(At(5, 2), At(5, 9))}, kFrom, kTo, At(5, 9),
                                                RequestGrouping::kNone)[0];
  EXPECT_EQ(open.overdue, 0);
}

TEST(SupportRequestFigures, RatingsOutsideOneToFiveAreNotRevisits) {
  const std::vector<RequestFacts> rows = {
      Closed(At(5, 2), 1, At(5, 6), At(5, 9), 3, 6),
      Closed(At(5, 2), 1, At(5, 6), At(5, 9), 3, -1),
      Closed(At(5, 2), 1, At(5, 6), At(5, 9), 3, 1),
  };
  const RequestFigures f = SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kNone)[0];
  EXPECT_EQ(f.revisited, 1);
  EXPECT_EQ(f.satisfied, 0);
  EXPECT_EQ(f.satisfaction_rate, 0);
}

TEST(SupportRequestFigures, AContactRecordedBeforeAcceptanceCountsAsZeroHours) {
  RequestFacts early = Request(At(5, 2, 10), At(6, 30));
  early.contacted = At(5, 2, 8);  // two hours before
  RequestFacts late = Request(At(5, 2, 10), At(6, 30));
  late.contacted = At(5, 2, 14);  // four hours after
  // (0 + 4) / 2 = 2 h.
  EXPECT_DOUBLE_EQ(SummarizeRequests({early, late}, kFrom, kTo, kAsOf, RequestGrouping::kNone)[0]
                       .avg_response_hours,
                   2.0);
}

TEST(SupportRequestFigures, GroupsAreSortedByNameWithTheUnnamedGroupLast) {
  std::vector<RequestFacts> rows = May();
  // Departments: 1, 2 and 5 经信局; 3 商务局; 4 none.
  // Chains: 1 pv; 2 and 3 semiconductor; 4 and 5 none.
  const char* departments[] = {"经信局", "经信局", "商务局", "", "经信局"};
  const char* chains[] = {"pv", "semiconductor", "semiconductor", "", ""};
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].department = departments[i];
    rows[i].chain = chains[i];
  }

  const std::vector<RequestFigures> by_department =
      SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kDepartment);
  ASSERT_EQ(by_department.size(), 3u);
  // 商 (U+5546) sorts before 经 (U+7ECF) in UTF-8 byte order.
  EXPECT_EQ(by_department[0].group, "商务局");
  EXPECT_EQ(by_department[1].group, "经信局");
  EXPECT_EQ(by_department[2].group, kNoGroup);
  // 经信局: requests 1, 2, 5 — 3 received, 2 closed on time, 1 overdue (5); 办结率 2/3.
  EXPECT_EQ(by_department[1].received, 3);
  EXPECT_EQ(by_department[1].closed, 2);
  EXPECT_EQ(by_department[1].closed_on_time, 2);
  EXPECT_EQ(by_department[1].overdue, 1);
  EXPECT_DOUBLE_EQ(by_department[1].close_rate, 2.0 / 3);
  // 商务局: request 3, closed late and rated 4.
  EXPECT_EQ(by_department[0].received, 1);
  EXPECT_EQ(by_department[0].on_time_rate, 0);
  EXPECT_DOUBLE_EQ(by_department[0].satisfaction_rate, 1.0);

  const std::vector<RequestFigures> by_chain =
      SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kChain);
  ASSERT_EQ(by_chain.size(), 3u);
  EXPECT_EQ(by_chain[0].group, "pv");
  EXPECT_EQ(by_chain[1].group, "semiconductor");
  EXPECT_EQ(by_chain[2].group, "(none)");
  EXPECT_EQ(by_chain[0].received + by_chain[1].received + by_chain[2].received, 5);
  // semiconductor: requests 2 and 3 — 2 closed, 1 on time: 按期办结率 50%; response (3 + 2) / 2.
  EXPECT_DOUBLE_EQ(by_chain[1].on_time_rate, 0.5);
  EXPECT_DOUBLE_EQ(by_chain[1].avg_response_hours, 2.5);
  EXPECT_DOUBLE_EQ(by_chain[1].avg_close_working_days, 5.5);
}

TEST(SupportRequestFigures, AHundredThousandRowsAddUpAcrossGroups) {
  // 100,000 requests over 8 chains and none, one every 40 seconds from 1 May (so 66,960 fall in
  // May: 31 days × 2,160 a day); every third closed on time, judged on 10 June.
  const char* chains[] = {"pv",           "semiconductor", "auto-equipment",
                          "nev-battery",  "medical",       "home-appliance",
                          "new-chemical", "health-food",   ""};
  std::vector<RequestFacts> rows;
  rows.reserve(100'000);
  for (int i = 0; i < 100'000; ++i) {
    RequestFacts r = Request(kFrom + absl::Seconds(40 * i), kFrom + absl::Hours(24 * 60));
    r.chain = chains[i % 9];
    if (i % 3 == 0) r.closed = r.accepted + absl::Hours(1);
    rows.push_back(std::move(r));
  }
  const std::vector<RequestFigures> by_chain =
      SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kChain);
  ASSERT_EQ(by_chain.size(), 9u);
  int64_t received = 0;
  int64_t closed = 0;
  for (const RequestFigures& f : by_chain) {
    received += f.received;
    closed += f.closed;
  }
  EXPECT_EQ(received, 66'960);
  EXPECT_EQ(closed, 66'960 / 3);
  const RequestFigures all = SummarizeRequests(rows, kFrom, kTo, kAsOf, RequestGrouping::kNone)[0];
  EXPECT_EQ(all.received, received);
  EXPECT_EQ(all.closed, closed);
}

}  // namespace
}  // namespace chainhub::support
