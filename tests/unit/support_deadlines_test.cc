// Deadline rules of enterprise requests: allowances and their text, the checks of a rule set, which
// rule a request meets, and the deadlines it gets in China's working-day calendar — weekends, the
// 2026 National Day and Spring Festival, a request accepted on a holiday or late at night.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "services/support/deadlines.h"

namespace chainhub::support {
namespace {

using ::testing::HasSubstr;

// An instant in China.
absl::Time China(int year, int month, int day, int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), ChinaTimeZone());
}

// The end of a day in China: 24:00, the first instant of the next day.
absl::Time EndOf(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day) + 1, ChinaTimeZone());
}

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/" + relative, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped calendar of China (2025 and 2026).
const WorkCalendar& Cn() {
  static const WorkCalendar* const calendar = [] {
    auto days = ParseCalendarCsv(ReadData("data/support/calendar-cn.csv"));
    EXPECT_TRUE(days.ok()) << days.status();
    auto made = WorkCalendar::Make(days.ok() ? *days : std::vector<CalendarDay>{});
    EXPECT_TRUE(made.ok()) << made.status();
    return new WorkCalendar(made.ok() ? *made : WorkCalendar());
  }();
  return *calendar;
}

Allowance Wd(int n) { return Allowance{n, absl::ZeroDuration()}; }
Allowance Clock(absl::Duration d) { return Allowance{0, d}; }

// The rules of data/support/deadline-rules.yaml.
std::vector<DeadlineRule> ShippedRules() {
  DeadlineRule urgent{"urgent", true, "", "", Clock(absl::Hours(2)), Wd(1), Wd(2)};
  DeadlineRule county{"county", std::nullopt, "COUNTY", "", Wd(1), Wd(3), Wd(10)};
  DeadlineRule fallback{"default", std::nullopt, "", "", Wd(1), Wd(3), Wd(5)};
  return {urgent, county, fallback};
}

DeadlineRule CloseOnly(const std::string& name, Allowance close) {
  DeadlineRule rule;
  rule.name = name;
  rule.close = close;
  return rule;
}

// The message of CheckDeadlineRules(rules), which must fail with INVALID_ARGUMENT.
std::string CheckError(const std::vector<DeadlineRule>& rules) {
  const absl::Status status = CheckDeadlineRules(rules);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return std::string(status.message());
}

// --- milestones and allowances

TEST(SupportDeadlines, MilestoneNamesAreTheRuleFields) {
  EXPECT_EQ(MilestoneName(Milestone::kContact), "contact");
  EXPECT_EQ(MilestoneName(Milestone::kInterimReply), "interim_reply");
  EXPECT_EQ(MilestoneName(Milestone::kClose), "close");
}

TEST(SupportDeadlines, ParsesWorkingDaysHoursAndMinutes) {
  struct Case {
    const char* text;
    Allowance want;
  } cases[] = {
      {"1wd", Wd(1)},
      {"3wd", Wd(3)},
      {"366wd", Wd(366)},
      {"2h", Clock(absl::Hours(2))},
      {"720h", Clock(absl::Hours(720))},
      {"90m", Clock(absl::Minutes(90))},
      {"1m", Clock(absl::Minutes(1))},
      {"43200m", Clock(absl::Hours(720))},
  };
  for (const Case& c : cases) {
    auto a = ParseAllowance("rules[0].close", c.text);
    ASSERT_TRUE(a.ok()) << c.text << ": " << a.status();
    EXPECT_EQ(*a, c.want) << c.text;
  }
}

TEST(SupportDeadlines, AllowanceTextIsWhatParseAllowanceReadsBack) {
  EXPECT_EQ(AllowanceText(Wd(5)), "5wd");
  EXPECT_EQ(AllowanceText(Clock(absl::Hours(2))), "2h");
  EXPECT_EQ(AllowanceText(Clock(absl::Minutes(90))), "90m");
  EXPECT_EQ(AllowanceText(Clock(absl::Minutes(120))), "2h");  // whole hours as hours
  for (const char* text : {"1wd", "366wd", "1m", "59m", "61m", "1h", "720h"}) {
    auto a = ParseAllowance("a", text);
    ASSERT_TRUE(a.ok()) << text;
    EXPECT_EQ(AllowanceText(*a), text);
  }
}

TEST(SupportDeadlines, ParseAllowanceRefusesEverythingElseNamingTheField) {
  const char* kForms = "must be working days (e.g. 3wd), hours (2h) or minutes (90m), got ";
  struct Case {
    const char* text;
    std::string rule;
  } cases[] = {
      {"", absl::StrCat(kForms, "''")},
      {"wd", absl::StrCat(kForms, "'wd'")},
      {"3", absl::StrCat(kForms, "'3'")},
      {"3d", absl::StrCat(kForms, "'3d'")},
      {"3 wd", absl::StrCat(kForms, "'3 wd'")},
      {" 3wd", absl::StrCat(kForms, "' 3wd'")},
      {"3wd ", absl::StrCat(kForms, "'3wd '")},
      {"3WD", absl::StrCat(kForms, "'3WD'")},
      {"+3wd", absl::StrCat(kForms, "'+3wd'")},
      {"-1h", absl::StrCat(kForms, "'-1h'")},
      {"03wd", absl::StrCat(kForms, "'03wd'")},
      {"1.5h", absl::StrCat(kForms, "'1.5h'")},
      {"1h30m", absl::StrCat(kForms, "'1h30m'")},
      {"1234567wd", absl::StrCat(kForms, "'1234567wd'")},
      {"0wd", "working days must be 1-366, got '0wd'"},
      {"367wd", "working days must be 1-366, got '367wd'"},
      {"999999wd", "working days must be 1-366, got '999999wd'"},
      {"0h", "clock time must be 1m-720h (30 days), got '0h'"},
      {"0m", "clock time must be 1m-720h (30 days), got '0m'"},
      {"721h", "clock time must be 1m-720h (30 days), got '721h'"},
      {"43201m", "clock time must be 1m-720h (30 days), got '43201m'"},
  };
  for (const Case& c : cases) {
    auto a = ParseAllowance("rules[2].interim_reply", c.text);
    ASSERT_FALSE(a.ok()) << c.text;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(a.status().message(), absl::StrCat("rules[2].interim_reply: ", c.rule)) << c.text;
  }
}

// --- checking a rule set

TEST(SupportDeadlines, TheShippedRulesPassTheChecks) {
  EXPECT_TRUE(CheckDeadlineRules(ShippedRules()).ok()) << CheckDeadlineRules(ShippedRules());
  // A single catch-all with only a close allowance is the smallest rule set.
  EXPECT_TRUE(CheckDeadlineRules({CloseOnly("all", Wd(5))}).ok());
}

TEST(SupportDeadlines, ARuleSetHoldsOneToAHundredRules) {
  EXPECT_EQ(CheckError({}), "rules: must hold at least one rule, the last one without conditions");
  std::vector<DeadlineRule> rules;
  for (int i = 0; i < 101; ++i) {
    DeadlineRule rule = CloseOnly(absl::StrCat("r", i), Wd(5));
    rule.tag = absl::StrCat("t", i);
    rules.push_back(rule);
  }
  rules.back().tag.clear();
  EXPECT_EQ(CheckError(rules), "rules: must hold at most 100 rules, got 101");
  rules.erase(rules.begin());
  EXPECT_TRUE(CheckDeadlineRules(rules).ok()) << CheckDeadlineRules(rules);
}

TEST(SupportDeadlines, RuleNamesAreOneShortLineAndUnique) {
  EXPECT_EQ(CheckError({CloseOnly("", Wd(5))}), "rules[0].name: must not be empty");
  EXPECT_EQ(CheckError({CloseOnly(std::string(65, 'n'), Wd(5))}),
            "rules[0].name: must be at most 64 characters");
  EXPECT_TRUE(CheckDeadlineRules({CloseOnly(std::string(64, 'n'), Wd(5))}).ok());
  EXPECT_THAT(CheckError({CloseOnly("a\tb", Wd(5))}),
              HasSubstr("rules[0].name: must not contain control characters"));

  DeadlineRule urgent = CloseOnly("same", Wd(2));
  urgent.urgent = true;
  EXPECT_EQ(CheckError({urgent, CloseOnly("same", Wd(5))}),
            "rules[1].name: 'same' is the name of rules[0] already");
}

TEST(SupportDeadlines, ATierIsCityOrCountyAndATagOneShortLine) {
  DeadlineRule town = CloseOnly("town", Wd(5));
  town.tier = "TOWN";
  EXPECT_EQ(CheckError({town, CloseOnly("all", Wd(5))}),
            "rules[0].tier: must be CITY or COUNTY (or empty for any), got 'TOWN'");
  DeadlineRule lower = CloseOnly("lower", Wd(5));
  lower.tier = "county";
  EXPECT_THAT(CheckError({lower, CloseOnly("all", Wd(5))}), HasSubstr("rules[0].tier"));

  DeadlineRule long_tag = CloseOnly("tag", Wd(5));
  long_tag.tag = std::string(21, 't');
  EXPECT_EQ(CheckError({long_tag, CloseOnly("all", Wd(5))}),
            "rules[0].tag: must be at most 20 characters");
  DeadlineRule bad_tag = CloseOnly("tag", Wd(5));
  bad_tag.tag = "用地\n";
  EXPECT_THAT(CheckError({bad_tag, CloseOnly("all", Wd(5))}),
              HasSubstr("rules[0].tag: must not contain control characters"));
}

TEST(SupportDeadlines, EveryRuleClosesAndEveryAllowanceIsOneUnitInRange) {
  DeadlineRule no_close;
  no_close.name = "open";
  no_close.contact = Wd(1);
  EXPECT_EQ(CheckError({no_close}),
            "rules[0].close: must be set: every request has a close deadline");

  struct Case {
    Allowance allowance;
    std::string rule;
  } cases[] = {
      {Allowance{}, "must set exactly one of working days and clock time"},
      {Allowance{2, absl::Hours(2)}, "must set exactly one of working days and clock time"},
      {Wd(367), "working days must be 1-366, got 367"},
      {Wd(-1), "working days must be 1-366, got -1"},
      {Clock(absl::Seconds(30)), "clock time must be 1m-720h (30 days), got 30s"},
      {Clock(absl::Hours(721)), "clock time must be 1m-720h (30 days), got 721h"},
      {Clock(-absl::Hours(1)), "clock time must be 1m-720h (30 days), got -1h"},
      {Clock(absl::Seconds(90)), "clock time must be whole minutes, got 1m30s"},
  };
  for (const Case& c : cases) {
    DeadlineRule rule = CloseOnly("all", Wd(5));
    rule.contact = c.allowance;
    EXPECT_EQ(CheckError({rule}), absl::StrCat("rules[0].contact: ", c.rule));
    rule = CloseOnly("all", c.allowance);
    EXPECT_EQ(CheckError({rule}), absl::StrCat("rules[0].close: ", c.rule));
  }
}

TEST(SupportDeadlines, ContactComesNoLaterThanTheInterimReplyAndItNoLaterThanClosing) {
  DeadlineRule rule = CloseOnly("all", Wd(5));
  rule.contact = Wd(3);
  rule.interim_reply = Wd(1);
  EXPECT_EQ(CheckError({rule}),
            "rules[0].contact: 3wd must not be longer than interim_reply (1wd)");

  rule.contact = Wd(1);
  rule.interim_reply = Wd(6);
  EXPECT_EQ(CheckError({rule}), "rules[0].interim_reply: 6wd must not be longer than close (5wd)");

  rule.interim_reply.reset();
  rule.contact = Wd(6);
  EXPECT_EQ(CheckError({rule}), "rules[0].contact: 6wd must not be longer than close (5wd)");

  // Both out of order: each pair named once, contact against close left to the two.
  rule.contact = Wd(9);
  rule.interim_reply = Wd(7);
  EXPECT_EQ(CheckError({rule}),
            "rules[0].contact: 9wd must not be longer than interim_reply (7wd); "
            "rules[0].interim_reply: 7wd must not be longer than close (5wd)");

  // Clock time against clock time.
  rule = CloseOnly("all", Clock(absl::Hours(4)));
  rule.contact = Clock(absl::Minutes(300));
  EXPECT_EQ(CheckError({rule}), "rules[0].contact: 5h must not be longer than close (4h)");

  // Equal is fine.
  rule = CloseOnly("all", Wd(1));
  rule.contact = Wd(1);
  rule.interim_reply = Wd(1);
  EXPECT_TRUE(CheckDeadlineRules({rule}).ok());
}

TEST(SupportDeadlines, WorkingDaysAndClockTimeAreNotCompared) {
  // 48 hours may end before or after 1 working day, depending on the day.
  DeadlineRule rule = CloseOnly("all", Wd(1));
  rule.contact = Clock(absl::Hours(48));
  EXPECT_TRUE(CheckDeadlineRules({rule}).ok());
  // With a clock interim reply between them, contact is still compared with close.
  rule = CloseOnly("all", Wd(2));
  rule.contact = Wd(3);
  rule.interim_reply = Clock(absl::Hours(2));
  EXPECT_EQ(CheckError({rule}), "rules[0].contact: 3wd must not be longer than close (2wd)");
}

TEST(SupportDeadlines, TheLastRuleCatchesEveryRequest) {
  DeadlineRule last = CloseOnly("last", Wd(5));
  last.urgent = false;
  last.tier = "CITY";
  last.tag = "用地";
  const std::string why =
      "the last rule must have no condition, so that every request gets deadlines";
  EXPECT_EQ(CheckError({last}), absl::StrCat("rules[0].urgent: ", why, "; rules[0].tier: ", why,
                                             "; rules[0].tag: ", why));
  std::vector<DeadlineRule> rules = ShippedRules();
  rules.back().tier = "CITY";
  EXPECT_EQ(CheckError(rules), absl::StrCat("rules[2].tier: ", why));
}

TEST(SupportDeadlines, OnlyTheLastRuleMayHaveNoCondition) {
  EXPECT_EQ(CheckError({CloseOnly("early", Wd(5)), CloseOnly("late", Wd(3))}),
            "rules[0]: has no condition, so it catches every request and rules[1] onwards could "
            "never apply; only the last rule may have none");
}

TEST(SupportDeadlines, CheckNamesEveryBadRuleInOneError) {
  DeadlineRule a = CloseOnly("", Wd(5));
  a.tier = "X";
  DeadlineRule b;
  b.name = "b";
  const std::string message = CheckError({a, b});
  EXPECT_THAT(message, HasSubstr("rules[0].name: must not be empty"));
  EXPECT_THAT(message, HasSubstr("rules[0].tier: must be CITY or COUNTY"));
  EXPECT_THAT(message, HasSubstr("rules[1].close: must be set"));
}

// --- matching

TEST(SupportDeadlines, TheFirstRuleWhoseConditionsHoldApplies) {
  DeadlineRule land = CloseOnly("land", Wd(20));
  land.tag = "用地";
  DeadlineRule calm_county = CloseOnly("calm-county", Wd(8));
  calm_county.urgent = false;
  calm_county.tier = "COUNTY";
  std::vector<DeadlineRule> rules = ShippedRules();  // urgent, county, default
  rules.insert(rules.begin() + 1, land);             // urgent, land, county, default
  rules.insert(rules.begin(), calm_county);          // calm-county, urgent, land, county, default
  ASSERT_TRUE(CheckDeadlineRules(rules).ok()) << CheckDeadlineRules(rules);

  const std::vector<std::string> none, land_tags = {"融资", "用地"};
  EXPECT_EQ(MatchRule(rules, false, "COUNTY", none).name, "calm-county");
  EXPECT_EQ(MatchRule(rules, true, "COUNTY", land_tags).name, "urgent");
  EXPECT_EQ(MatchRule(rules, true, "CITY", none).name, "urgent");
  EXPECT_EQ(MatchRule(rules, false, "CITY", land_tags).name, "land");
  EXPECT_EQ(MatchRule(rules, false, "COUNTY", land_tags).name, "calm-county");  // listed first
  EXPECT_EQ(MatchRule(rules, false, "CITY", {"融资"}).name, "default");
  EXPECT_EQ(MatchRule(rules, false, "", none).name, "default");
}

TEST(SupportDeadlines, AnUrgentConditionOfFalseMatchesOnlyRequestsThatAreNotUrgent) {
  DeadlineRule calm = CloseOnly("calm", Wd(10));
  calm.urgent = false;
  const std::vector<DeadlineRule> rules = {calm, CloseOnly("all", Wd(5))};
  EXPECT_EQ(MatchRule(rules, false, "CITY", {}).name, "calm");
  EXPECT_EQ(MatchRule(rules, true, "CITY", {}).name, "all");
}

// --- deadlines

TEST(SupportDeadlines, AFridayRequestClosesOnTheFollowingFriday) {
  // Friday 15 May 2026, 10:00: contact by the end of Monday, reply by Wednesday, close by Friday.
  const Deadlines d = ComputeDeadlines(ShippedRules()[2], China(2026, 5, 15, 10), Cn());
  EXPECT_EQ(d.contact, EndOf(2026, 5, 18));
  EXPECT_EQ(d.interim_reply, EndOf(2026, 5, 20));
  EXPECT_EQ(d.close, EndOf(2026, 5, 22));
  EXPECT_EQ(d.close, China(2026, 5, 23, 0));
}

TEST(SupportDeadlines, ARequestAcceptedTheDayBeforeNationalDayClosesOnTheThirteenth) {
  // 2026-09-30: Oct 1-7 off; Oct 8 Thu, 9 Fri, 10 Sat (worked), 12 Mon, 13 Tue.
  const Deadlines d = ComputeDeadlines(ShippedRules()[2], China(2026, 9, 30, 9), Cn());
  EXPECT_EQ(d.contact, EndOf(2026, 10, 8));
  EXPECT_EQ(d.interim_reply, EndOf(2026, 10, 10));
  EXPECT_EQ(d.close, EndOf(2026, 10, 13));
}

TEST(SupportDeadlines, TheSpringFestivalOf2026IsSkippedButItsTwoSaturdaysCount) {
  // Friday 13 February: Sat 14 worked; 15-23 off; 24-27; Sat 28 worked; Mon 2 March...
  const Deadlines d = ComputeDeadlines(ShippedRules()[2], China(2026, 2, 13, 15), Cn());
  EXPECT_EQ(d.contact, EndOf(2026, 2, 14));
  EXPECT_EQ(d.interim_reply, EndOf(2026, 2, 25));
  EXPECT_EQ(d.close, EndOf(2026, 2, 27));
  const Deadlines county = ComputeDeadlines(ShippedRules()[1], China(2026, 2, 13, 15), Cn());
  EXPECT_EQ(county.close, EndOf(2026, 3, 5));  // 14, 24, 25, 26, 27, 28, 2, 3, 4, 5
}

TEST(SupportDeadlines, ARequestAcceptedOnAHolidayCountsFromTheDayAfter) {
  // Accepted on National Day itself: the same deadlines as the day before it.
  const Deadlines d = ComputeDeadlines(ShippedRules()[2], China(2026, 10, 1, 11), Cn());
  EXPECT_EQ(d.contact, EndOf(2026, 10, 8));
  EXPECT_EQ(d.close, EndOf(2026, 10, 13));
  // On a Sunday of the Spring Festival.
  EXPECT_EQ(ComputeDeadlines(ShippedRules()[2], China(2026, 2, 15, 8), Cn()).contact,
            EndOf(2026, 2, 24));
}

TEST(SupportDeadlines, TheDayOfAcceptanceIsTheDayInChinaNotInUtc) {
  const DeadlineRule rule = ShippedRules()[2];
  // Friday 23:30 in China is still Friday (15:30 UTC): contact by the end of Monday, which is
  // 16:00 UTC on Monday.
  const Deadlines friday_night = ComputeDeadlines(rule, China(2026, 5, 15, 23, 30), Cn());
  EXPECT_EQ(friday_night.contact, EndOf(2026, 5, 18));
  EXPECT_EQ(friday_night.contact,
            absl::FromCivil(absl::CivilSecond(2026, 5, 18, 16, 0, 0), absl::UTCTimeZone()));
  // Thursday 23:30 UTC is Friday 07:30 in China: counted from Friday, not from Thursday.
  const absl::Time thursday_utc =
      absl::FromCivil(absl::CivilSecond(2026, 5, 14, 23, 30, 0), absl::UTCTimeZone());
  EXPECT_EQ(ComputeDeadlines(rule, thursday_utc, Cn()).contact, EndOf(2026, 5, 18));
  // Thursday 23:30 in China: counted from Thursday, contact by the end of Friday.
  EXPECT_EQ(ComputeDeadlines(rule, China(2026, 5, 14, 23, 30), Cn()).contact, EndOf(2026, 5, 15));
  // One minute after midnight it is Friday.
  EXPECT_EQ(ComputeDeadlines(rule, China(2026, 5, 15, 0, 1), Cn()).contact, EndOf(2026, 5, 18));
}

TEST(SupportDeadlines, ClockAllowancesRunThroughNightsAndHolidays) {
  const DeadlineRule urgent = ShippedRules()[0];  // contact 2h, interim 1wd, close 2wd
  const Deadlines d = ComputeDeadlines(urgent, China(2026, 10, 1, 10), Cn());
  EXPECT_EQ(d.contact, China(2026, 10, 1, 12));
  EXPECT_EQ(d.interim_reply, EndOf(2026, 10, 8));
  EXPECT_EQ(d.close, EndOf(2026, 10, 9));
  // Late on the eve of the holiday: due at 01:00 on National Day.
  EXPECT_EQ(ComputeDeadlines(urgent, China(2026, 9, 30, 23), Cn()).contact, China(2026, 10, 1, 1));
  // 30 days of clock time across the whole Spring Festival.
  const DeadlineRule month = CloseOnly("month", Clock(absl::Hours(720)));
  EXPECT_EQ(ComputeDeadlines(month, China(2026, 2, 13, 12), Cn()).close, China(2026, 3, 15, 12));
  const DeadlineRule ninety = CloseOnly("ninety", Clock(absl::Minutes(90)));
  EXPECT_EQ(ComputeDeadlines(ninety, China(2026, 2, 16, 23, 45), Cn()).close,
            China(2026, 2, 17, 1, 15));
}

TEST(SupportDeadlines, AMilestoneTheRuleDoesNotSetIsNeverDue) {
  const Deadlines d = ComputeDeadlines(CloseOnly("all", Wd(5)), China(2026, 5, 15, 10), Cn());
  EXPECT_EQ(d.contact, absl::InfiniteFuture());
  EXPECT_EQ(d.interim_reply, absl::InfiniteFuture());
  EXPECT_EQ(d.close, EndOf(2026, 5, 22));
}

// --- working days taken

TEST(SupportDeadlines, WorkingDaysTakenCountsFromTheDayAfterAcceptanceInChina) {
  const WorkCalendar& cn = Cn();
  EXPECT_EQ(WorkingDaysTaken(China(2026, 5, 15, 10), China(2026, 5, 22, 16), cn), 5);
  EXPECT_EQ(WorkingDaysTaken(China(2026, 5, 15, 10), China(2026, 5, 15, 18), cn), 0);
  EXPECT_EQ(WorkingDaysTaken(China(2026, 5, 15, 10), China(2026, 5, 17, 18), cn), 0);  // Sunday
  EXPECT_EQ(WorkingDaysTaken(China(2026, 5, 15, 10), China(2026, 5, 14, 18), cn), 0);  // before
  EXPECT_EQ(WorkingDaysTaken(China(2026, 9, 30, 9), China(2026, 10, 13, 17), cn), 5);
  EXPECT_EQ(WorkingDaysTaken(China(2026, 9, 30, 9), China(2026, 10, 14, 0, 30), cn), 6);
  // 23:30 Thursday to 00:10 Friday in China: one working day, though 40 minutes.
  EXPECT_EQ(WorkingDaysTaken(China(2026, 5, 14, 23, 30), China(2026, 5, 15, 0, 10), cn), 1);
  // 16:30 UTC on Friday is 00:30 on Saturday in China: still one.
  EXPECT_EQ(
      WorkingDaysTaken(
          China(2026, 5, 14, 23, 30),
          absl::FromCivil(absl::CivilSecond(2026, 5, 15, 16, 30, 0), absl::UTCTimeZone()), cn),
      1);
}

TEST(SupportDeadlines, ClosingJustBeforeAWorkingDayDeadlineTakesExactlyThoseDays) {
  // For every acceptance hour of 2026 at a 7-hour stride: done just before the deadline of N
  // working days is N working days taken, done at the deadline more than N only when the next
  // day is a working day.
  const WorkCalendar& cn = Cn();
  for (absl::Time accepted = China(2025, 12, 25, 0); accepted < China(2027, 1, 1, 0);
       accepted += absl::Hours(7)) {
    for (int n : {1, 3, 5, 10}) {
      const Deadlines d = ComputeDeadlines(CloseOnly("all", Wd(n)), accepted, cn);
      ASSERT_EQ(WorkingDaysTaken(accepted, d.close - absl::Nanoseconds(1), cn), n) << accepted;
      const bool next_works = cn.IsWorkingDay(absl::ToCivilDay(d.close, ChinaTimeZone()));
      ASSERT_EQ(WorkingDaysTaken(accepted, d.close, cn), n + (next_works ? 1 : 0)) << accepted;
    }
  }
}

}  // namespace
}  // namespace chainhub::support
