#include "services/assessment/periods.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"

namespace chainhub::assessment {
namespace {

// China Standard Time: UTC+8 all year.
const absl::TimeZone& China() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 60 * 60);
  return zone;
}

bool Digits(absl::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

absl::StatusOr<Period> Period::Parse(absl::string_view field, absl::string_view text) {
  auto bad = [&] {
    return InvalidField(field, absl::StrCat("must be a period 2026, 2026-Q3 or 2026-05 (years "
                                            "2000-2100), got ",
                                            Quoted(text)));
  };
  if (text.size() < 4 || !Digits(text.substr(0, 4))) return bad();
  int year = 0;
  (void)absl::SimpleAtoi(text.substr(0, 4), &year);
  if (year < 2000 || year > 2100) return bad();
  if (text.size() == 4) return Period{PeriodKind::kYear, year, 0};
  if (text.size() == 7 && text[4] == '-' && text[5] == 'Q' && text[6] >= '1' && text[6] <= '4') {
    return Period{PeriodKind::kQuarter, year, text[6] - '0'};
  }
  int month = 0;
  if (text.size() == 7 && text[4] == '-' && Digits(text.substr(5)) &&
      absl::SimpleAtoi(text.substr(5), &month) && month >= 1 && month <= 12) {
    return Period{PeriodKind::kMonth, year, month};
  }
  return bad();
}

std::string Period::String() const {
  switch (kind) {
    case PeriodKind::kQuarter:
      return absl::StrCat(year, "-Q", index);
    case PeriodKind::kMonth:
      return absl::StrFormat("%04d-%02d", year, index);
    case PeriodKind::kYear:
      break;
  }
  return absl::StrCat(year);
}

absl::CivilDay Period::FirstDay() const {
  switch (kind) {
    case PeriodKind::kQuarter:
      return absl::CivilDay(year, (index - 1) * 3 + 1, 1);
    case PeriodKind::kMonth:
      return absl::CivilDay(year, index, 1);
    case PeriodKind::kYear:
      break;
  }
  return absl::CivilDay(year, 1, 1);
}

absl::CivilDay Period::LastDay() const {
  switch (kind) {
    case PeriodKind::kQuarter:
      return absl::CivilDay(absl::CivilMonth(year, index * 3 + 1)) - 1;
    case PeriodKind::kMonth:
      return absl::CivilDay(absl::CivilMonth(year, index + 1)) - 1;
    case PeriodKind::kYear:
      break;
  }
  return absl::CivilDay(year, 12, 31);
}

Period Period::Previous() const {
  switch (kind) {
    case PeriodKind::kQuarter:
      return index == 1 ? Period{kind, year - 1, 4} : Period{kind, year, index - 1};
    case PeriodKind::kMonth:
      return index == 1 ? Period{kind, year - 1, 12} : Period{kind, year, index - 1};
    case PeriodKind::kYear:
      break;
  }
  return Period{kind, year - 1, 0};
}

double Period::ShareOfYear() const {
  switch (kind) {
    case PeriodKind::kQuarter:
      return 0.25;
    case PeriodKind::kMonth:
      return 1.0 / 12.0;
    case PeriodKind::kYear:
      break;
  }
  return 1.0;
}

std::vector<Period> Period::QuartersOfYear() const {
  if (kind != PeriodKind::kYear) return {};
  return {{PeriodKind::kQuarter, year, 1},
          {PeriodKind::kQuarter, year, 2},
          {PeriodKind::kQuarter, year, 3},
          {PeriodKind::kQuarter, year, 4}};
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view field, absl::string_view text) {
  absl::CivilDay day;
  if (!IsValidDate(text) || !absl::ParseCivilTime(text, &day)) {
    return InvalidField(field, absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(text)));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::Time EndOfChinaDay(absl::CivilDay day) {
  // The last microsecond of the day: every store time is whole microseconds.
  return absl::FromCivil(absl::CivilSecond(day + 1), China()) - absl::Microseconds(1);
}

absl::CivilDay ChinaDay(absl::Time t) { return absl::ToCivilDay(t, China()); }

}  // namespace chainhub::assessment
