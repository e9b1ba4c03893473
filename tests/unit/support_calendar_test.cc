// The working-day calendar: the default week, the listed exceptions, the counting rule (the day
// itself never counted), the checks of Make and ParseCalendarCsv, and the shipped calendar of
// China's 2025 and 2026 holidays (data/support/calendar-cn.csv).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "services/support/calendar.h"

namespace chainhub::support {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

absl::CivilDay D(int year, int month, int day) { return absl::CivilDay(year, month, day); }

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped calendar of China (2025 and 2026).
const WorkCalendar& China() {
  static const WorkCalendar* const calendar = [] {
    auto days = ParseCalendarCsv(ReadData("data/support/calendar-cn.csv"));
    EXPECT_TRUE(days.ok()) << days.status();
    auto made = WorkCalendar::Make(days.ok() ? *days : std::vector<CalendarDay>{});
    EXPECT_TRUE(made.ok()) << made.status();
    return new WorkCalendar(made.ok() ? *made : WorkCalendar());
  }();
  return *calendar;
}

// The status of Make(days), which must fail.
absl::Status MakeError(std::vector<CalendarDay> days) {
  auto made = WorkCalendar::Make(std::move(days));
  EXPECT_FALSE(made.ok());
  return made.ok() ? absl::OkStatus() : made.status();
}

// The status of ParseCalendarCsv(text), which must fail.
absl::Status CsvError(absl::string_view text) {
  auto days = ParseCalendarCsv(text);
  EXPECT_FALSE(days.ok()) << text;
  if (days.ok()) return absl::OkStatus();
  EXPECT_EQ(days.status().code(), absl::StatusCode::kInvalidArgument);
  return days.status();
}

// --- the default week

TEST(SupportCalendar, AnEmptyCalendarWorksMondayToFridayAndRestsAtTheWeekend) {
  const WorkCalendar calendar;
  // 2026-05-11 is a Monday.
  for (int day = 11; day <= 15; ++day) EXPECT_TRUE(calendar.IsWorkingDay(D(2026, 5, day))) << day;
  EXPECT_FALSE(calendar.IsWorkingDay(D(2026, 5, 16)));
  EXPECT_FALSE(calendar.IsWorkingDay(D(2026, 5, 17)));
  EXPECT_TRUE(calendar.days().empty());
}

TEST(SupportCalendar, TheFirstWorkingDayAfterAFridayIsTheNextMonday) {
  const WorkCalendar calendar;
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 15), 1), D(2026, 5, 18));
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 15), 5), D(2026, 5, 22));
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 15), 6), D(2026, 5, 25));
  // From a Saturday or a Sunday, the Monday is the first.
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 16), 1), D(2026, 5, 18));
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 17), 1), D(2026, 5, 18));
}

TEST(SupportCalendar, TheDayItselfIsNeverCounted) {
  const WorkCalendar calendar;
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 11), 1), D(2026, 5, 12));  // Monday → Tuesday
  EXPECT_EQ(calendar.NthWorkingDayAfter(D(2026, 5, 11), 4), D(2026, 5, 15));
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2026, 5, 11), D(2026, 5, 11)), 0);
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2026, 5, 11), D(2026, 5, 12)), 1);
}

TEST(SupportCalendar, NthWorkingDayAfterReturnsTheDayItselfForNoDays) {
  EXPECT_EQ(WorkCalendar().NthWorkingDayAfter(D(2026, 5, 16), 0), D(2026, 5, 16));
  EXPECT_EQ(WorkCalendar().NthWorkingDayAfter(D(2026, 5, 16), -3), D(2026, 5, 16));
}

TEST(SupportCalendar, WorkingDaysBetweenCountsTheEndButNotTheStart) {
  const WorkCalendar calendar;
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2026, 5, 15), D(2026, 5, 22)), 5);  // Fri → Fri
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2026, 5, 15), D(2026, 5, 18)), 1);  // Fri → Mon
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2026, 5, 16), D(2026, 5, 17)), 0);  // Sat → Sun
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2026, 5, 22), D(2026, 5, 15)), 0);  // backwards
  // 2026 starts on a Thursday: 52 weeks and one Thursday.
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2025, 12, 31), D(2026, 12, 31)), 261);
  // Far from 1970 on either side.
  EXPECT_EQ(calendar.WorkingDaysBetween(D(1899, 12, 31), D(1900, 1, 7)), 5);  // 1900-01-01 Mon
  EXPECT_EQ(calendar.WorkingDaysBetween(D(2100, 1, 1), D(2100, 1, 8)), 5);
}

// --- listed days

TEST(SupportCalendar, ListedDaysOverrideTheWeekAndComeBackSortedByDate) {
  auto calendar = WorkCalendar::Make({
      {D(2026, 10, 10), true, "国庆节调休"},  // a Saturday worked
      {D(2026, 10, 1), false, "国庆节"},      // a Thursday off
  });
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_FALSE(calendar->IsWorkingDay(D(2026, 10, 1)));
  EXPECT_TRUE(calendar->IsWorkingDay(D(2026, 10, 10)));
  EXPECT_TRUE(calendar->IsWorkingDay(D(2026, 10, 2)));  // not listed here
  ASSERT_EQ(calendar->days().size(), 2u);
  EXPECT_EQ(calendar->days()[0], (CalendarDay{D(2026, 10, 1), false, "国庆节"}));
  EXPECT_EQ(calendar->days()[1], (CalendarDay{D(2026, 10, 10), true, "国庆节调休"}));
}

TEST(SupportCalendar, TheNationalDayWeekOf2026EndsFiveWorkingDaysOnTheThirteenth) {
  const WorkCalendar& cn = China();
  // Oct 1-7 off (Oct 3-4 a weekend anyway); Oct 8 Thu, 9 Fri, 10 Sat (worked), 12 Mon, 13 Tue.
  for (int day = 1; day <= 7; ++day) EXPECT_FALSE(cn.IsWorkingDay(D(2026, 10, day))) << day;
  EXPECT_TRUE(cn.IsWorkingDay(D(2026, 10, 10)));
  EXPECT_FALSE(cn.IsWorkingDay(D(2026, 10, 11)));
  EXPECT_TRUE(cn.IsWorkingDay(D(2026, 9, 20)));  // a Sunday worked before it
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 9, 30), 1), D(2026, 10, 8));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 9, 30), 3), D(2026, 10, 10));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 9, 30), 4), D(2026, 10, 12));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 9, 30), 5), D(2026, 10, 13));
  EXPECT_EQ(cn.WorkingDaysBetween(D(2026, 9, 30), D(2026, 10, 13)), 5);
  EXPECT_EQ(cn.WorkingDaysBetween(D(2026, 9, 30), D(2026, 10, 7)), 0);
}

TEST(SupportCalendar, TheSpringFestivalOf2026IsWorkedOnBothSaturdaysAroundIt) {
  const WorkCalendar& cn = China();
  EXPECT_TRUE(cn.IsWorkingDay(D(2026, 2, 14)));  // Saturday before, worked
  for (int day = 15; day <= 23; ++day) EXPECT_FALSE(cn.IsWorkingDay(D(2026, 2, day))) << day;
  EXPECT_TRUE(cn.IsWorkingDay(D(2026, 2, 28)));  // Saturday after, worked
  // From Friday 13 February: Sat 14, then Tue 24 to Fri 27, Sat 28, Mon 2 March.
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 2, 13), 1), D(2026, 2, 14));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 2, 13), 2), D(2026, 2, 24));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 2, 13), 5), D(2026, 2, 27));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 2, 13), 6), D(2026, 2, 28));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 2, 13), 7), D(2026, 3, 2));
  EXPECT_EQ(cn.WorkingDaysBetween(D(2026, 2, 13), D(2026, 2, 28)), 6);
}

TEST(SupportCalendar, CountingFromAHolidayStartsAfterTheHoliday) {
  const WorkCalendar& cn = China();
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 10, 1), 1), D(2026, 10, 8));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 10, 5), 5), D(2026, 10, 13));
  EXPECT_EQ(cn.NthWorkingDayAfter(D(2026, 2, 18), 1), D(2026, 2, 24));
}

TEST(SupportCalendar, TheShippedCalendarHas248WorkingDaysIn2025AndIn2026) {
  // 261 weekdays each year; 2025: 18 weekday holidays, 5 weekend workdays; 2026: 19 and 6.
  EXPECT_EQ(China().WorkingDaysBetween(D(2024, 12, 31), D(2025, 12, 31)), 248);
  EXPECT_EQ(China().WorkingDaysBetween(D(2025, 12, 31), D(2026, 12, 31)), 248);
}

TEST(SupportCalendar, FastCountsAgreeWithWalkingDayByDay) {
  const WorkCalendar& cn = China();
  const absl::CivilDay first = D(2024, 12, 1), last = D(2027, 2, 1);
  for (absl::CivilDay from = first; from <= last; from += 4) {
    int walked = 0;
    for (absl::CivilDay to = from; to <= last; ++to) {
      if (to > from && cn.IsWorkingDay(to)) {
        ++walked;
        ASSERT_EQ(cn.NthWorkingDayAfter(from, walked), to) << from << " +" << walked;
      }
      ASSERT_EQ(cn.WorkingDaysBetween(from, to), walked) << from << " → " << to;
    }
  }
}

// --- Make's checks

TEST(SupportCalendar, MakeRefusesADateListedTwiceNamingTheSecond) {
  const absl::Status status = MakeError({{D(2026, 10, 1), false, "国庆节"},
                                         {D(2026, 10, 2), false, "国庆节"},
                                         {D(2026, 10, 1), false, "国庆"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "days[2].date: 2026-10-01 is listed twice (also days[0])");
}

TEST(SupportCalendar, MakeNamesEveryRepeatOfADateListedThreeTimes) {
  const absl::Status status = MakeError(
      {{D(2026, 10, 1), false, "a"}, {D(2026, 10, 1), false, "b"}, {D(2026, 10, 1), false, "c"}});
  EXPECT_EQ(status.message(),
            "days[1].date: 2026-10-01 is listed twice (also days[0]); "
            "days[2].date: 2026-10-01 is listed twice (also days[0])");
}

TEST(SupportCalendar, MakeRefusesAHolidayOnAWeekendAsATypo) {
  const absl::Status status = MakeError({{D(2026, 10, 3), false, "国庆节"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "days[0].date: 2026-10-03 is a Saturday, a rest day already: list a holiday only on "
            "Monday to Friday");
}

TEST(SupportCalendar, MakeRefusesAWorkdayOnAWeekdayAsATypo) {
  const absl::Status status =
      MakeError({{D(2026, 10, 1), false, "国庆节"}, {D(2026, 10, 12), true, "国庆节调休"}});
  EXPECT_EQ(status.message(),
            "days[1].date: 2026-10-12 is a Monday, a working day already: list a workday only on "
            "Saturday or Sunday");
}

TEST(SupportCalendar, MakeRefusesANameThatIsNotOneShortLine) {
  EXPECT_EQ(MakeError({{D(2026, 10, 1), false, std::string(65, 'x')}}).message(),
            "days[0].name: must be at most 64 characters");
  EXPECT_THAT(std::string(MakeError({{D(2026, 10, 1), false, "国庆\n节"}}).message()),
              StartsWith("days[0].name: must not contain control characters"));
  EXPECT_TRUE(WorkCalendar::Make({{D(2026, 10, 1), false, std::string(64, 'x')}}).ok());
  EXPECT_TRUE(WorkCalendar::Make({{D(2026, 10, 1), false, ""}}).ok());
}

TEST(SupportCalendar, MakeNamesEveryBadDayInOneError) {
  const absl::Status status = MakeError({{D(2026, 10, 3), false, "a"},
                                         {D(2026, 10, 1), false, "ok"},
                                         {D(2026, 10, 12), true, std::string(65, 'x')}});
  EXPECT_THAT(std::string(status.message()), HasSubstr("days[0].date: 2026-10-03 is a Saturday"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("days[2].date: 2026-10-12 is a Monday"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("days[2].name: must be at most 64"));
  EXPECT_THAT(std::string(status.message()), ::testing::Not(HasSubstr("days[1]")));
}

// --- the CSV file

TEST(SupportCalendar, ParsesACalendarFileSkippingCommentsAndBlankLines) {
  auto days = ParseCalendarCsv(
      "\xEF\xBB\xBF# China, 2026\r\n"
      "date,kind,name\r\n"
      "\r\n"
      "# National Day\r\n"
      "2026-10-01,holiday,国庆节\r\n"
      "  2026-10-10 , workday , 国庆节调休  \r\n"
      "2026-10-02,holiday,\n");  // an empty name, and a last line without CR
  ASSERT_TRUE(days.ok()) << days.status();
  ASSERT_EQ(days->size(), 3u);
  EXPECT_EQ((*days)[0], (CalendarDay{D(2026, 10, 1), false, "国庆节"}));
  EXPECT_EQ((*days)[1], (CalendarDay{D(2026, 10, 10), true, "国庆节调休"}));
  EXPECT_EQ((*days)[2], (CalendarDay{D(2026, 10, 2), false, ""}));
}

TEST(SupportCalendar, AFileWithOnlyTheHeaderIsAnEmptyCalendar) {
  auto days = ParseCalendarCsv("# nothing yet\ndate,kind,name\n");
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_TRUE(days->empty());
}

TEST(SupportCalendar, CsvErrorsNameTheLineAndTheRule) {
  const std::string header = "# c\n\ndate,kind,name\n";  // the header is line 3
  struct Case {
    std::string row;  // line 4
    std::string message;
  } cases[] = {
      {"2026-10-01,rest,国庆节", "line 4: kind must be holiday or workday, not 'rest'"},
      {"2026-10-01,Holiday,国庆节", "line 4: kind must be holiday or workday, not 'Holiday'"},
      {"2026-02-30,holiday,x", "line 4: date must be a date YYYY-MM-DD, got '2026-02-30'"},
      {"2026-2-3,holiday,x", "line 4: date must be a date YYYY-MM-DD, got '2026-2-3'"},
      {"2026-10-01,holiday", "line 4: must have the 3 fields date,kind,name, got 2"},
      {"2026-10-01,holiday,国庆节,extra", "line 4: must have the 3 fields date,kind,name, got 4"},
      {"2026-10-01,holiday,\"国庆,中秋\"",
       "line 4: fields are never quoted: a name holds no comma or quote"},
      {"2026-10-01,holiday," + std::string(65, 'x'), "line 4: name must be at most 64 characters"},
      {"2026-10-03,holiday,国庆节",
       "line 4: 2026-10-03 is a Saturday, a rest day already: list a holiday only on Monday to "
       "Friday"},
      {"2026-10-12,workday,调休",
       "line 4: 2026-10-12 is a Monday, a working day already: list a workday only on Saturday or "
       "Sunday"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CsvError(header + c.row + "\n").message(), c.message) << c.row;
  }
}

TEST(SupportCalendar, CsvNamesBothLinesOfADateListedTwice) {
  EXPECT_EQ(CsvError("date,kind,name\n2026-10-01,holiday,a\n2026-10-02,holiday,b\n"
                     "2026-10-01,holiday,c\n")
                .message(),
            "line 4: 2026-10-01 is listed already on line 2");
}

TEST(SupportCalendar, CsvListsEveryBadLine) {
  const absl::Status status =
      CsvError("date,kind,name\n2026-10-01,rest,a\n2026-10-02,holiday,ok\n2026-13-01,workday,b\n");
  EXPECT_EQ(status.message(),
            "line 2: kind must be holiday or workday, not 'rest'; "
            "line 4: date must be a date YYYY-MM-DD, got '2026-13-01'");
}

TEST(SupportCalendar, CsvRequiresTheHeaderFirst) {
  EXPECT_EQ(CsvError("# a comment\n2026-10-01,holiday,国庆节\n").message(),
            "line 2: the header must be date,kind,name, got '2026-10-01,holiday,国庆节'");
  EXPECT_EQ(CsvError("date,name,kind\n").message(),
            "line 1: the header must be date,kind,name, got 'date,name,kind'");
  EXPECT_EQ(CsvError("").message(),
            "line 1: the file is empty: it must start with the header date,kind,name");
  EXPECT_EQ(CsvError("# only comments\n\n").message(),
            "line 1: the file is empty: it must start with the header date,kind,name");
}

// --- the shipped file

TEST(SupportCalendar, TheShippedChinaCalendarParsesAndMakesACalendar) {
  auto days = ParseCalendarCsv(ReadData("data/support/calendar-cn.csv"));
  ASSERT_TRUE(days.ok()) << days.status();
  auto calendar = WorkCalendar::Make(*days);
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  // 23 days of 2025 (18 holidays, 5 workdays) and 25 of 2026 (19 and 6).
  EXPECT_EQ(calendar->days().size(), 48u);
  EXPECT_EQ(calendar->days().front().date, D(2025, 1, 1));
  EXPECT_EQ(calendar->days().back(), (CalendarDay{D(2026, 10, 10), true, "国庆节调休"}));
  int holidays_2025 = 0, workdays_2025 = 0, holidays_2026 = 0, workdays_2026 = 0;
  for (const CalendarDay& d : calendar->days()) {
    (d.date.year() == 2025 ? (d.working ? workdays_2025 : holidays_2025)
                           : (d.working ? workdays_2026 : holidays_2026))++;
  }
  EXPECT_EQ(holidays_2025, 18);
  EXPECT_EQ(workdays_2025, 5);
  EXPECT_EQ(holidays_2026, 19);
  EXPECT_EQ(workdays_2026, 6);
  // 2025's Spring Festival: Jan 28 - Feb 4, worked on Sun 26 Jan and Sat 8 Feb.
  EXPECT_TRUE(calendar->IsWorkingDay(D(2025, 1, 26)));
  EXPECT_FALSE(calendar->IsWorkingDay(D(2025, 2, 4)));
  EXPECT_TRUE(calendar->IsWorkingDay(D(2025, 2, 8)));
  // 2026's New Year: Jan 1-3, worked on Sun 4 Jan.
  EXPECT_FALSE(calendar->IsWorkingDay(D(2026, 1, 2)));
  EXPECT_TRUE(calendar->IsWorkingDay(D(2026, 1, 4)));
}

}  // namespace
}  // namespace chainhub::support
