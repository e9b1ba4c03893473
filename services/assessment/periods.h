// Assessment periods (a year, a quarter or a month: "2026", "2026-Q3", "2026-05") and the calendar
// rules runs need: a period's days, the one before it, the pro-rata (序时) share of an annual
// target, and dates as seen in China Standard Time, where every as-of date is read.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_PERIODS_H_
#define CHAINHUB_SERVICES_ASSESSMENT_PERIODS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/fields.h"

namespace chainhub::assessment {

enum class PeriodKind { kYear, kQuarter, kMonth };

inline constexpr int kMinPeriodYear = 2000;
inline constexpr int kMaxPeriodYear = 2100;

struct Period {
  PeriodKind kind = PeriodKind::kYear;
  int year = 0;
  int index = 0;  // quarter 1-4 or month 1-12; 0 for a year

  // "2026", "2026-Q3", "2026-05"; INVALID_ARGUMENT naming `field` and the rule otherwise
  // (years 2000-2100, quarters Q1-Q4 with a capital Q, months 01-12 with two digits).
  static absl::StatusOr<Period> Parse(absl::string_view field, absl::string_view text);
  static Period OfYear(int year) { return {PeriodKind::kYear, year, 0}; }
  static Period OfQuarter(int year, int quarter) { return {PeriodKind::kQuarter, year, quarter}; }
  static Period OfMonth(int year, int month) { return {PeriodKind::kMonth, year, month}; }

  // The canonical text Parse accepts.
  std::string String() const;
  absl::CivilDay FirstDay() const;
  absl::CivilDay LastDay() const;
  bool Contains(absl::CivilDay day) const;
  // The period of the same kind just before: 2026-Q1 → 2025-Q4, 2026-01 → 2025-12, 2026 → 2025.
  Period Previous() const;
  // The year containing it (itself for a year).
  Period Year() const;
  // 1, 1/4, 1/12: the pro-rata (序时) share of an annual target that falls in the period.
  double ShareOfYear() const;
  // For a year: its four quarters, Q1 first. Empty for a quarter or a month.
  std::vector<Period> QuartersOfYear() const;

  friend bool operator==(const Period& a, const Period& b) {
    return a.kind == b.kind && a.year == b.year && a.index == b.index;
  }
  friend bool operator!=(const Period& a, const Period& b) { return !(a == b); }
  // Year, then kind (year < quarter < month), then index: a strict order for map keys.
  friend bool operator<(const Period& a, const Period& b);
};

// YYYY-MM-DD, a real calendar date; INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text);
// YYYY-MM-DD.
std::string FormatDate(absl::CivilDay day);

// The instant `day` ends in China: the first instant of the next day there (00:00 UTC+8), so a
// fact recorded at t counts as of `day` exactly when t < EndOfChinaDay(day).
absl::Time EndOfChinaDay(absl::CivilDay day);
// The day in China that the instant `t` falls in.
absl::CivilDay ChinaDay(absl::Time t);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_PERIODS_H_
