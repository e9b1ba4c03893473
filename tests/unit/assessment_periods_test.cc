#include <map>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/assessment/periods.h"

namespace chainhub::assessment {
namespace {

Period P(absl::string_view text) {
  auto p = Period::Parse("period", text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status();
  return p.ok() ? *p : Period{};
}

TEST(AssessmentPeriodsTest, ParsesYearsQuartersAndMonthsAndPrintsThemBack) {
  EXPECT_EQ(P("2026"), Period::OfYear(2026));
  EXPECT_EQ(P("2026-Q3"), Period::OfQuarter(2026, 3));
  EXPECT_EQ(P("2026-05"), Period::OfMonth(2026, 5));
  for (const char* text : {"2026", "2026-Q1", "2026-Q4", "2026-01", "2026-12", "2000", "2100"}) {
    EXPECT_EQ(P(text).String(), text);
  }
}

TEST(AssessmentPeriodsTest, RefusesMalformedPeriodsNamingTheFieldAndTheRule) {
  struct Case {
    const char* text;
    const char* rule;
  } cases[] = {
      {"", "must be a period YYYY, YYYY-Qn or YYYY-MM"},
      {"26", "must be a period"},
      {"2026-5", "must be a period"},
      {"2026-Q", "must be a period"},
      {"2026-q3", "must be a period"},
      {"2026-Q03", "must be a period"},
      {"2026/05", "must be a period"},
      {"2026-05-01", "must be a period"},
      {" 2026", "must be a period"},
      {"2026-Q0", "quarter must be Q1-Q4"},
      {"2026-Q5", "quarter must be Q1-Q4"},
      {"2026-00", "month must be 01-12"},
      {"2026-13", "month must be 01-12"},
      {"1999", "year must be 2000-2100"},
      {"2101-Q1", "year must be 2000-2100"},
  };
  for (const Case& c : cases) {
    auto p = Period::Parse("run.period", c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(p.status().message(), "run.period: ")) << p.status();
    EXPECT_TRUE(absl::StrContains(p.status().message(), c.rule)) << c.text << ": " << p.status();
  }
}

TEST(AssessmentPeriodsTest, FirstAndLastDaysCoverTheCalendar) {
  EXPECT_EQ(P("2026").FirstDay(), absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(P("2026").LastDay(), absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(P("2026-Q1").LastDay(), absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(P("2026-Q2").FirstDay(), absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(P("2026-Q3").LastDay(), absl::CivilDay(2026, 9, 30));
  EXPECT_EQ(P("2026-Q4").FirstDay(), absl::CivilDay(2026, 10, 1));
  EXPECT_EQ(P("2026-Q4").LastDay(), absl::CivilDay(2026, 12, 31));
  EXPECT_EQ(P("2026-04").LastDay(), absl::CivilDay(2026, 4, 30));
  EXPECT_EQ(P("2026-12").LastDay(), absl::CivilDay(2026, 12, 31));
}

TEST(AssessmentPeriodsTest, FebruaryEndsOnTheTwentyNinthInLeapYearsOnly) {
  EXPECT_EQ(P("2028-02").LastDay(), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(P("2026-02").LastDay(), absl::CivilDay(2026, 2, 28));
  EXPECT_EQ(P("2100-02").LastDay(), absl::CivilDay(2100, 2, 28));   // not a leap year
  EXPECT_EQ(P("2000-02").LastDay(), absl::CivilDay(2000, 2, 29));   // a leap year
  EXPECT_EQ(P("2028-Q1").LastDay() - P("2028-Q1").FirstDay(), 90);  // 91 days
  EXPECT_TRUE(ParseDate("d", "2028-02-29").ok());
  EXPECT_FALSE(ParseDate("d", "2026-02-29").ok());
}

TEST(AssessmentPeriodsTest, ContainsIncludesBothEnds) {
  const Period q3 = P("2026-Q3");
  EXPECT_FALSE(q3.Contains(absl::CivilDay(2026, 6, 30)));
  EXPECT_TRUE(q3.Contains(absl::CivilDay(2026, 7, 1)));
  EXPECT_TRUE(q3.Contains(absl::CivilDay(2026, 9, 30)));
  EXPECT_FALSE(q3.Contains(absl::CivilDay(2026, 10, 1)));
}

TEST(AssessmentPeriodsTest, PreviousCrossesYears) {
  EXPECT_EQ(P("2026-Q1").Previous(), P("2025-Q4"));
  EXPECT_EQ(P("2026-Q3").Previous(), P("2026-Q2"));
  EXPECT_EQ(P("2026-01").Previous(), P("2025-12"));
  EXPECT_EQ(P("2026-07").Previous(), P("2026-06"));
  EXPECT_EQ(P("2026").Previous(), P("2025"));
}

TEST(AssessmentPeriodsTest, YearShareAndQuarters) {
  EXPECT_EQ(P("2026-Q3").Year(), P("2026"));
  EXPECT_EQ(P("2026-05").Year(), P("2026"));
  EXPECT_DOUBLE_EQ(P("2026").ShareOfYear(), 1.0);
  EXPECT_DOUBLE_EQ(P("2026-Q2").ShareOfYear(), 0.25);
  EXPECT_DOUBLE_EQ(P("2026-11").ShareOfYear() * 120, 10.0);  // 120 a year → 10 a month
  const std::vector<Period> quarters = P("2026").QuartersOfYear();
  ASSERT_EQ(quarters.size(), 4u);
  EXPECT_EQ(quarters[0], P("2026-Q1"));
  EXPECT_EQ(quarters[3], P("2026-Q4"));
  EXPECT_TRUE(P("2026-Q1").QuartersOfYear().empty());
}

TEST(AssessmentPeriodsTest, OrdersForUseAsAMapKey) {
  std::map<Period, int> m{{P("2026-Q2"), 1}, {P("2025"), 2}, {P("2026"), 3}, {P("2026-01"), 4}};
  std::vector<std::string> order;
  for (const auto& [p, unused] : m) order.push_back(p.String());
  EXPECT_EQ(order, (std::vector<std::string>{"2025", "2026", "2026-Q2", "2026-01"}));
  EXPECT_TRUE(P("2026-Q2") != P("2026-Q3"));
}

TEST(AssessmentPeriodsTest, ParsesAndFormatsDates) {
  auto d = ParseDate("as_of_date", "2026-08-12");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, absl::CivilDay(2026, 8, 12));
  EXPECT_EQ(FormatDate(*d), "2026-08-12");
  for (const char* bad : {"", "2026-8-12", "2026-13-01", "2026-04-31", "12/08/2026"}) {
    auto parsed = ParseDate("as_of_date", bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_TRUE(
        absl::StartsWith(parsed.status().message(), "as_of_date: must be a date YYYY-MM-DD"))
        << parsed.status();
  }
}

TEST(AssessmentPeriodsTest, ChinaDaysEndAtSixteenHundredUtc) {
  // 2026-08-12 ends in China at 2026-08-12T16:00:00Z.
  const absl::Time end = EndOfChinaDay(absl::CivilDay(2026, 8, 12));
  EXPECT_EQ(end, absl::FromCivil(absl::CivilSecond(2026, 8, 12, 16, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(ChinaDay(end - absl::Seconds(1)), absl::CivilDay(2026, 8, 12));
  EXPECT_EQ(ChinaDay(end), absl::CivilDay(2026, 8, 13));
  // 23:30 UTC on the 11th is already the 12th in China.
  EXPECT_EQ(
      ChinaDay(absl::FromCivil(absl::CivilSecond(2026, 8, 11, 23, 30, 0), absl::UTCTimeZone())),
      absl::CivilDay(2026, 8, 12));
  // New Year's Eve: the year's last day ends at 16:00 UTC on 31 December.
  EXPECT_EQ(EndOfChinaDay(P("2026").LastDay()),
            absl::FromCivil(absl::CivilSecond(2026, 12, 31, 16, 0, 0), absl::UTCTimeZone()));
}

}  // namespace
}  // namespace chainhub::assessment
