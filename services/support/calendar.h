// The working-day calendar deadlines are counted in: Monday to Friday work, Saturday and Sunday
// rest, except on the days a calendar lists — a holiday on a weekday (国庆节) or a weekend day
// worked in its place (调休). The exceptions are data, published each year by the State Council
// (data/support/calendar-cn.csv), not code.
#ifndef CHAINHUB_SERVICES_SUPPORT_CALENDAR_H_
#define CHAINHUB_SERVICES_SUPPORT_CALENDAR_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace chainhub::support {

// The longest name a calendar day may have, in characters.
inline constexpr size_t kMaxCalendarDayNameChars = 64;

// One exception to the default rule: a weekday holiday (working = false, e.g. 国庆节) or a
// weekend day worked (working = true, e.g. 国庆节调休).
struct CalendarDay {
  absl::CivilDay date;
  bool working = false;
  std::string name;  // one line, at most kMaxCalendarDayNameChars; may be empty

  friend bool operator==(const CalendarDay& a, const CalendarDay& b) {
    return a.date == b.date && a.working == b.working && a.name == b.name;
  }
};

// Which days are working days. Immutable once made. IsWorkingDay and WorkingDaysBetween take
// O(log n) in the number of listed days, whatever the span of dates; NthWorkingDayAfter bisects
// with WorkingDaysBetween (under a microsecond for a few hundred days).
class WorkCalendar final {
 public:
  // Monday to Friday, nothing listed.
  WorkCalendar() = default;

  // A calendar of `days`, in any order. INVALID_ARGUMENT naming every bad `days[i]` field:
  //  - days[i].date listed twice;
  //  - days[i].date a holiday on a Saturday or Sunday, or a workday on Monday to Friday: the day
  //    is that already, so listing it changes nothing and is almost always a typo;
  //  - days[i].name not one line of at most kMaxCalendarDayNameChars characters.
  static absl::StatusOr<WorkCalendar> Make(std::vector<CalendarDay> days);

  bool IsWorkingDay(absl::CivilDay day) const;

  // The n-th working day after `day` (n ≥ 1), `day` itself never counted (期间开始之日不计算在内)
  // whether or not it is a working day: the 1st working day after a Friday is the next Monday,
  // or the Saturday when that is worked. `day` itself when n < 1.
  absl::CivilDay NthWorkingDayAfter(absl::CivilDay day, int n) const;

  // The number of working days d with from < d ≤ to; 0 when to ≤ from.
  int WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const;

  // The listed days, sorted by date.
  const std::vector<CalendarDay>& days() const { return days_; }

 private:
  explicit WorkCalendar(std::vector<CalendarDay> days);

  // The number of listed days dated on or before `day`.
  size_t ListedUpTo(absl::CivilDay day) const;

  std::vector<CalendarDay> days_;
  // balance_[i]: workdays minus holidays among days_[0, i), so that the listed days change the
  // count of Monday-to-Friday days in a range by a difference of two entries.
  std::vector<int> balance_ = {0};
};

// A calendar file (data/support/calendar-cn.csv): a header line `date,kind,name`, then one day a
// line, `2026-10-01,holiday,国庆节` or `2026-10-10,workday,国庆节调休`. Blank lines and lines
// starting with '#' are ignored, fields are trimmed, a UTF-8 byte-order mark and CRLF line ends
// are accepted; fields are never quoted, so a name holds no comma or quote. The rules of
// WorkCalendar::Make are checked here too, so that every error names its line:
// INVALID_ARGUMENT "line 7: kind must be holiday or workday, not 'rest'" (every bad line, listed
// as InvalidFields does). The days are returned in file order.
absl::StatusOr<std::vector<CalendarDay>> ParseCalendarCsv(absl::string_view text);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_CALENDAR_H_
