#include "services/assessment/periods.h"

#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub::assessment {
namespace {

// `text` as a number when it is exactly `digits` ASCII digits.
bool Digits(absl::string_view text, size_t digits, int* value) {
  if (text.size() != digits) return false;
  int n = 0;
  for (char c : text) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    n = n * 10 + (c - '0');
  }
  *value = n;
  return true;
}

}  // namespace

absl::StatusOr<Period> Period::Parse(absl::string_view field, absl::string_view text) {
  int year = 0;
  if (!Digits(text.substr(0, 4), 4, &year) ||
      !(text.size() == 4 || (text.size() == 7 && text[4] == '-'))) {
    return InvalidField(field, absl::StrCat("must be a period YYYY, YYYY-Qn or YYYY-MM (e.g. 2026, "
                                            "2026-Q3, 2026-05), got ",
                                            Quoted(text)));
  }
  if (year < kMinPeriodYear || year > kMaxPeriodYear) {
    return InvalidField(field, absl::StrCat("year must be ", kMinPeriodYear, "-", kMaxPeriodYear,
                                            ", got ", Quoted(text)));
  }
  if (text.size() == 4) return OfYear(year);
  const absl::string_view rest = text.substr(5);
  int n = 0;
  if (rest[0] == 'Q' && Digits(rest.substr(1), 1, &n)) {
    if (n < 1 || n > 4) {
      return InvalidField(field, absl::StrCat("quarter must be Q1-Q4, got ", Quoted(text)));
    }
    return OfQuarter(year, n);
  }
  if (Digits(rest, 2, &n)) {
    if (n < 1 || n > 12) {
      return InvalidField(field, absl::StrCat("month must be 01-12, got ", Quoted(text)));
    }
    return OfMonth(year, n);
  }
  return InvalidField(field, absl::StrCat("must be a period YYYY, YYYY-Qn or YYYY-MM (e.g. 2026, "
                                          "2026-Q3, 2026-05), got ",
                                          Quoted(text)));
}

std::string Period::String() const {
  switch (kind) {
    case PeriodKind::kYear:
      return absl::StrFormat("%04d", year);
    case PeriodKind::kQuarter:
      return absl::StrFormat("%04d-Q%d", year, index);
    case PeriodKind::kMonth:
      return absl::StrFormat("%04d-%02d", year, index);
  }
  return "";
}

absl::CivilDay Period::FirstDay() const {
  switch (kind) {
    case PeriodKind::kYear:
      return absl::CivilDay(year, 1, 1);
    case PeriodKind::kQuarter:
      return absl::CivilDay(year, 3 * (index - 1) + 1, 1);
    case PeriodKind::kMonth:
      return absl::CivilDay(year, index, 1);
  }
  return absl::CivilDay(year, 1, 1);
}

absl::CivilDay Period::LastDay() const {
  switch (kind) {
    case PeriodKind::kYear:
      return absl::CivilDay(year, 12, 31);
    case PeriodKind::kQuarter:
      // The day before the first of the month after the quarter (CivilDay normalises month 13).
      return absl::CivilDay(year, 3 * index + 1, 1) - 1;
    case PeriodKind::kMonth:
      return absl::CivilDay(year, index + 1, 1) - 1;
  }
  return absl::CivilDay(year, 12, 31);
}

bool Period::Contains(absl::CivilDay day) const { return FirstDay() <= day && day <= LastDay(); }

Period Period::Previous() const {
  switch (kind) {
    case PeriodKind::kYear:
      return OfYear(year - 1);
    case PeriodKind::kQuarter:
      return index == 1 ? OfQuarter(year - 1, 4) : OfQuarter(year, index - 1);
    case PeriodKind::kMonth:
      return index == 1 ? OfMonth(year - 1, 12) : OfMonth(year, index - 1);
  }
  return *this;
}

Period Period::Year() const { return OfYear(year); }

double Period::ShareOfYear() const {
  switch (kind) {
    case PeriodKind::kYear:
      return 1.0;
    case PeriodKind::kQuarter:
      return 1.0 / 4;
    case PeriodKind::kMonth:
      return 1.0 / 12;
  }
  return 1.0;
}

std::vector<Period> Period::QuartersOfYear() const {
  if (kind != PeriodKind::kYear) return {};
  return {OfQuarter(year, 1), OfQuarter(year, 2), OfQuarter(year, 3), OfQuarter(year, 4)};
}

bool operator<(const Period& a, const Period& b) {
  return std::make_tuple(a.year, static_cast<int>(a.kind), a.index) <
         std::make_tuple(b.year, static_cast<int>(b.kind), b.index);
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  absl::CivilDay day;
  if (!IsValidDate(text) || !absl::ParseCivilTime(text, &day)) {
    return InvalidField(field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(text)));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Time EndOfChinaDay(absl::CivilDay day) { return absl::FromCivil(day + 1, ChinaTimeZone()); }

absl::CivilDay ChinaDay(absl::Time t) { return absl::ToCivilDay(t, ChinaTimeZone()); }

}  // namespace chainhub::assessment
