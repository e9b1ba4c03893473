// Assessment periods and dates: a year (2026), a quarter (2026-Q3) or a month (2026-05), their
// days, the period before, and the share of the year a period's target takes pro rata (序时). Days
// are China's (UTC+8, no daylight saving).
#ifndef CHAINHUB_SERVICES_ASSESSMENT_PERIODS_H_
#define CHAINHUB_SERVICES_ASSESSMENT_PERIODS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace chainhub::assessment {

enum class PeriodKind { kYear, kQuarter, kMonth };

struct Period {
  PeriodKind kind = PeriodKind::kYear;
  int year = 0;
  // The quarter (1-4) or month (1-12); 0 for a year.
  int index = 0;

  // "2026", "2026-Q3" or "2026-05", years 2000-2100; INVALID_ARGUMENT naming `field` otherwise.
  static absl::StatusOr<Period> Parse(absl::string_view field, absl::string_view text);
  std::string String() const;
  absl::CivilDay FirstDay() const;
  absl::CivilDay LastDay() const;
  bool Contains(absl::CivilDay day) const { return FirstDay() <= day && day <= LastDay(); }
  // The period of the same kind before: 2026-Q1 → 2025-Q4, 2026-01 → 2025-12, 2026 → 2025.
  Period Previous() const;
  // The year the period is in.
  Period Year() const { return Period{PeriodKind::kYear, year, 0}; }
  // 1, 1/4 or 1/12: the share of an annual target a period takes pro rata.
  double ShareOfYear() const;
  // A year's four quarters (empty for a quarter or a month).
  std::vector<Period> QuartersOfYear() const;

  friend bool operator==(const Period& a, const Period& b) {
    return a.kind == b.kind && a.year == b.year && a.index == b.index;
  }
  // By first day, then the longer period first.
  friend bool operator<(const Period& a, const Period& b) {
    if (a.FirstDay() != b.FirstDay()) return a.FirstDay() < b.FirstDay();
    return a.LastDay() > b.LastDay();
  }
};

// YYYY-MM-DD, a real calendar date; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
std::string FormatDate(absl::CivilDay day);

// The last instant (microsecond) of `day` in China, and the day an instant falls on there.
absl::Time EndOfChinaDay(absl::CivilDay day);
absl::CivilDay ChinaDay(absl::Time t);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_PERIODS_H_
