// Figures of enterprise requests (企业诉求): the tickets a firm raises, accepted (受理), handled by
// a department and closed (办结 / 销号), then revisited (回访) for the firm's satisfaction. The
// three measures cities publish are 办结率, 按期办结率 and 满意率; this file computes them, with
// the counts behind them, for a window of acceptance dates as they stood at an instant, in total or
// per department or per chain.
#ifndef CHAINHUB_SERVICES_SUPPORT_REQUEST_FIGURES_H_
#define CHAINHUB_SERVICES_SUPPORT_REQUEST_FIGURES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace chainhub::support {

// One request as the store knows it today.
struct RequestFacts {
  std::string department;  // the department handling it (承办部门)
  std::string chain;       // the chain it concerns; "" when none
  absl::Time accepted;
  std::optional<absl::Time> contacted;  // first contact with the firm
  std::optional<absl::Time> closed;
  absl::Time close_deadline;
  // Working days taken to close, precomputed by the caller (it knows the holiday calendar);
  // meaningful when `closed`.
  int close_working_days = 0;
  // 0 when not yet revisited (回访), else the firm's rating 1..5. Anything else counts as not
  // revisited.
  int satisfaction = 0;
};

enum class RequestGrouping { kNone, kDepartment, kChain };

// The group of the requests with an empty department or chain. It cannot be a chain id or a
// department name (neither starts with a parenthesis), and it is listed after every named group.
inline constexpr absl::string_view kNoGroup = "(none)";

// A rating of 4 or 5 is satisfied (满意); 1-3 is not.
inline constexpr int kSatisfiedRating = 4;

// The figures of one group. Every count and average is over the requests counted (accepted in the
// window) and judged as they stood at `as_of`:
//  - received: accepted in [from, to).
//  - closed: closed at or before as_of (a close recorded later is still open as of as_of).
//  - closed_on_time: closed, and closed at or before close_deadline.
//  - overdue: open at as_of with close_deadline before as_of, plus closed late (closed after
//    close_deadline). So closed = closed_on_time + (closed late), and overdue counts every
//    request that missed its deadline, whether it has been closed since or not.
//  - revisited: closed, with a satisfaction rating 1..5 (a revisit follows closing, so a rating on
//    a request still open at as_of does not count).
//  - satisfied: revisited with a rating ≥ kSatisfiedRating.
//  - close_rate 办结率 = closed / received; on_time_rate 按期办结率 = closed_on_time / closed;
//    satisfaction_rate 满意率 = satisfied / revisited. Each is 0 when its denominator is 0.
//  - avg_response_hours: mean hours from accepted to contacted over the requests contacted at or
//    before as_of; avg_close_working_days: mean close_working_days over the closed ones. Each is 0
//    when there is none to average. A contact recorded before its acceptance counts as 0 hours.
struct RequestFigures {
  std::string group;  // "" for RequestGrouping::kNone, else the department or chain, or kNoGroup
  int64_t received = 0;
  int64_t closed = 0;
  int64_t closed_on_time = 0;
  int64_t revisited = 0;
  int64_t satisfied = 0;
  int64_t overdue = 0;
  double close_rate = 0;
  double on_time_rate = 0;
  double satisfaction_rate = 0;
  double avg_response_hours = 0;
  double avg_close_working_days = 0;
};

// The figures of the requests accepted in [from, to) as they stood at `as_of`, in one pass over
// `rows` (100,000 rows take a few milliseconds).
//  - kNone: exactly one row, group "", even when nothing was received.
//  - kDepartment / kChain: one row per department or chain that received a request, sorted by
//    name (byte order), then the kNoGroup row when some request had none; empty when nothing was
//    received.
// An empty window (from ≥ to) counts nothing.
std::vector<RequestFigures> SummarizeRequests(const std::vector<RequestFacts>& rows,
                                              absl::Time from, absl::Time to, absl::Time as_of,
                                              RequestGrouping grouping);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_REQUEST_FIGURES_H_
