#include "services/support/request_figures.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace chainhub::support {
namespace {

// Running counts of one group; the rates and averages are derived at the end.
struct Tally {
  int64_t received = 0;
  int64_t closed = 0;
  int64_t closed_on_time = 0;
  int64_t revisited = 0;
  int64_t satisfied = 0;
  int64_t overdue = 0;
  int64_t contacted = 0;
  // Summed as a Duration, which is exact, so the mean does not depend on the order of the rows.
  absl::Duration response = absl::ZeroDuration();
  int64_t close_working_days = 0;
};

void Count(const RequestFacts& row, absl::Time as_of, Tally& tally) {
  ++tally.received;
  if (row.closed.has_value() && *row.closed <= as_of) {
    ++tally.closed;
    tally.close_working_days += row.close_working_days;
    if (*row.closed <= row.close_deadline) {
      ++tally.closed_on_time;
    } else {
      ++tally.overdue;
    }
    if (row.satisfaction >= 1 && row.satisfaction <= 5) {
      ++tally.revisited;
      if (row.satisfaction >= kSatisfiedRating) ++tally.satisfied;
    }
  } else if (row.close_deadline < as_of) {
    ++tally.overdue;
  }
  if (row.contacted.has_value() && *row.contacted <= as_of) {
    ++tally.contacted;
    tally.response += std::max(absl::ZeroDuration(), *row.contacted - row.accepted);
  }
}

double Ratio(int64_t numerator, int64_t denominator) {
  return denominator == 0 ? 0.0 : static_cast<double>(numerator) / static_cast<double>(denominator);
}

RequestFigures FiguresOf(std::string group, const Tally& tally) {
  RequestFigures f;
  f.group = std::move(group);
  f.received = tally.received;
  f.closed = tally.closed;
  f.closed_on_time = tally.closed_on_time;
  f.revisited = tally.revisited;
  f.satisfied = tally.satisfied;
  f.overdue = tally.overdue;
  f.close_rate = Ratio(tally.closed, tally.received);
  f.on_time_rate = Ratio(tally.closed_on_time, tally.closed);
  f.satisfaction_rate = Ratio(tally.satisfied, tally.revisited);
  if (tally.contacted > 0) {
    f.avg_response_hours =
        absl::ToDoubleHours(tally.response) / static_cast<double>(tally.contacted);
  }
  f.avg_close_working_days = Ratio(tally.close_working_days, tally.closed);
  return f;
}

}  // namespace

std::vector<RequestFigures> SummarizeRequests(const std::vector<RequestFacts>& rows,
                                              absl::Time from, absl::Time to, absl::Time as_of,
                                              RequestGrouping grouping) {
  if (grouping == RequestGrouping::kNone) {
    Tally all;
    for (const RequestFacts& row : rows) {
      if (from <= row.accepted && row.accepted < to) Count(row, as_of, all);
    }
    std::vector<RequestFigures> out;
    out.push_back(FiguresOf("", all));
    return out;
  }

  // Keyed by views into `rows`, which outlive the call: no string is copied per row.
  absl::flat_hash_map<absl::string_view, Tally> groups;
  Tally none;
  for (const RequestFacts& row : rows) {
    if (!(from <= row.accepted && row.accepted < to)) continue;
    const std::string& key = grouping == RequestGrouping::kDepartment ? row.department : row.chain;
    Count(row, as_of, key.empty() ? none : groups[key]);
  }

  std::vector<std::pair<absl::string_view, const Tally*>> named;
  named.reserve(groups.size());
  for (const auto& [key, tally] : groups) named.emplace_back(key, &tally);
  std::sort(named.begin(), named.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<RequestFigures> out;
  out.reserve(named.size() + 1);
  for (const auto& [key, tally] : named) out.push_back(FiguresOf(std::string(key), *tally));
  if (none.received > 0) out.push_back(FiguresOf(std::string(kNoGroup), none));
  return out;
}

}  // namespace chainhub::support
