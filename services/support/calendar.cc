#include "services/support/calendar.h"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub::support {
namespace {

// A Monday, from which weekdays are counted.
constexpr absl::CivilDay kMonday(1970, 1, 5);

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

absl::string_view WeekdayName(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return "Monday";
    case absl::Weekday::tuesday:
      return "Tuesday";
    case absl::Weekday::wednesday:
      return "Wednesday";
    case absl::Weekday::thursday:
      return "Thursday";
    case absl::Weekday::friday:
      return "Friday";
    case absl::Weekday::saturday:
      return "Saturday";
    case absl::Weekday::sunday:
      return "Sunday";
  }
  return "";
}

// Monday-to-Friday days in [kMonday, day) when day ≥ kMonday, minus those in [day, kMonday)
// otherwise: a running count whose difference between two days counts the weekdays between them.
int64_t WeekdaysBefore(absl::CivilDay day) {
  const int64_t x = day - kMonday;
  const int64_t weeks = x >= 0 ? x / 7 : -((-x + 6) / 7);  // floor(x / 7)
  return 5 * weeks + std::min<int64_t>(x - 7 * weeks, 5);
}

// The rule `day` breaks as a listed day; empty when it keeps it.
std::string DayRuleBroken(const CalendarDay& day) {
  if (day.working && !IsWeekend(day.date)) {
    return absl::StrCat(absl::FormatCivilTime(day.date), " is a ", WeekdayName(day.date),
                        ", a working day already: list a workday only on Saturday or Sunday");
  }
  if (!day.working && IsWeekend(day.date)) {
    return absl::StrCat(absl::FormatCivilTime(day.date), " is a ", WeekdayName(day.date),
                        ", a rest day already: list a holiday only on Monday to Friday");
  }
  return "";
}

// The rule `name` breaks as a day's name (e.g. "must be at most 64 characters"); empty when none.
std::string NameRuleBroken(absl::string_view name) {
  if (std::string broken = TextRuleBroken(name, TextKind::kOneLine); !broken.empty()) {
    return broken;
  }
  if (CodePoints(name) > kMaxCalendarDayNameChars) {
    return absl::StrCat("must be at most ", kMaxCalendarDayNameChars, " characters");
  }
  return "";
}

bool ByDate(const CalendarDay& a, const CalendarDay& b) { return a.date < b.date; }

}  // namespace

WorkCalendar::WorkCalendar(std::vector<CalendarDay> days) : days_(std::move(days)) {
  std::sort(days_.begin(), days_.end(), ByDate);
  balance_.reserve(days_.size() + 1);
  for (const CalendarDay& d : days_) balance_.push_back(balance_.back() + (d.working ? 1 : -1));
}

absl::StatusOr<WorkCalendar> WorkCalendar::Make(std::vector<CalendarDay> days) {
  std::vector<FieldViolation> violations;
  // Indices in date order, equal dates in input order, so the later of two is the one named.
  std::vector<size_t> order(days.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return days[a].date < days[b].date; });
  std::vector<std::string> duplicate_of(days.size());
  for (size_t k = 1; k < order.size(); ++k) {
    const size_t first = order[k - 1], again = order[k];
    if (days[first].date == days[again].date) {
      duplicate_of[again] = absl::StrCat(absl::FormatCivilTime(days[again].date),
                                         " is listed twice (also days[", first, "])");
      order[k] = first;  // a third listing names the first too
    }
  }
  for (size_t i = 0; i < days.size(); ++i) {
    const std::string prefix = absl::StrCat("days[", i, "]");
    if (!duplicate_of[i].empty()) {
      violations.push_back({absl::StrCat(prefix, ".date"), duplicate_of[i]});
    } else if (std::string broken = DayRuleBroken(days[i]); !broken.empty()) {
      violations.push_back({absl::StrCat(prefix, ".date"), std::move(broken)});
    }
    if (std::string broken = NameRuleBroken(days[i].name); !broken.empty()) {
      violations.push_back({absl::StrCat(prefix, ".name"), std::move(broken)});
    }
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  return WorkCalendar(std::move(days));
}

size_t WorkCalendar::ListedUpTo(absl::CivilDay day) const {
  return std::upper_bound(days_.begin(), days_.end(), CalendarDay{day, false, ""}, ByDate) -
         days_.begin();
}

bool WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  const size_t n = ListedUpTo(day);
  if (n > 0 && days_[n - 1].date == day) return days_[n - 1].working;
  return !IsWeekend(day);
}

int WorkCalendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  if (to <= from) return 0;
  const int64_t weekdays = WeekdaysBefore(to + 1) - WeekdaysBefore(from + 1);
  const int listed = balance_[ListedUpTo(to)] - balance_[ListedUpTo(from)];
  return static_cast<int>(weekdays + listed);
}

absl::CivilDay WorkCalendar::NthWorkingDayAfter(absl::CivilDay day, int n) const {
  if (n < 1) return day;
  // WorkingDaysBetween(day, d) grows with d by one on each working day, so the answer is the
  // first d where it reaches n: bracket it by doubling, then bisect.
  absl::CivilDay below = day;      // fewer than n working days after `day` up to here
  absl::CivilDay above = day + n;  // at least n
  while (WorkingDaysBetween(day, above) < n) {
    below = above;
    above = day + 2 * (above - day);
  }
  while (above - below > 1) {
    const absl::CivilDay mid = below + (above - below) / 2;
    if (WorkingDaysBetween(day, mid) >= n) {
      above = mid;
    } else {
      below = mid;
    }
  }
  return above;
}

absl::StatusOr<std::vector<CalendarDay>> ParseCalendarCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  std::vector<CalendarDay> days;
  std::vector<FieldViolation> violations;
  absl::flat_hash_map<absl::CivilDay, int> line_of;
  bool header_seen = false;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    absl::ConsumeSuffix(&line, "\r");
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    const std::string where = absl::StrCat("line ", number);
    std::vector<absl::string_view> fields = absl::StrSplit(line, ',');
    for (absl::string_view& f : fields) f = absl::StripAsciiWhitespace(f);
    if (!header_seen) {
      header_seen = true;
      if (fields != std::vector<absl::string_view>{"date", "kind", "name"}) {
        return InvalidField(where,
                            absl::StrCat("the header must be date,kind,name, got ", Quoted(line)));
      }
      continue;
    }
    if (absl::StrContains(line, '"')) {
      violations.push_back({where, "fields are never quoted: a name holds no comma or quote"});
      continue;
    }
    if (fields.size() != 3) {
      violations.push_back(
          {where, absl::StrCat("must have the 3 fields date,kind,name, got ", fields.size())});
      continue;
    }
    CalendarDay day;
    bool ok = true;
    if (!IsValidDate(fields[0]) || !absl::ParseCivilTime(fields[0], &day.date)) {
      violations.push_back(
          {where, absl::StrCat("date must be a date YYYY-MM-DD, got ", Quoted(fields[0]))});
      ok = false;
    }
    if (fields[1] == "holiday" || fields[1] == "workday") {
      day.working = fields[1] == "workday";
    } else {
      violations.push_back(
          {where, absl::StrCat("kind must be holiday or workday, not ", Quoted(fields[1]))});
      ok = false;
    }
    if (std::string broken = NameRuleBroken(fields[2]); !broken.empty()) {
      violations.push_back({where, absl::StrCat("name ", broken)});
      ok = false;
    }
    day.name = std::string(fields[2]);
    if (!ok) continue;
    if (auto [it, inserted] = line_of.try_emplace(day.date, number); !inserted) {
      violations.push_back({where, absl::StrCat(absl::FormatCivilTime(day.date),
                                                " is listed already on line ", it->second)});
      continue;
    }
    if (std::string broken = DayRuleBroken(day); !broken.empty()) {
      violations.push_back({where, std::move(broken)});
      continue;
    }
    days.push_back(std::move(day));
  }
  if (!header_seen) {
    return InvalidField("line 1",
                        "the file is empty: it must start with the header date,kind,name");
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  return days;
}

}  // namespace chainhub::support
