#include <algorithm>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/intake/summary.h"

namespace chainhub::intake {
namespace {

using Bands = std::vector<v1::SizeBand>;

constexpr auto k1E8 = v1::SIZE_BAND_1E8_PLUS;
constexpr auto k5E8 = v1::SIZE_BAND_5E8_TO_1E9;
constexpr auto k1E9 = v1::SIZE_BAND_1E9_TO_2E9;
constexpr auto k2E9 = v1::SIZE_BAND_2E9_TO_5E9;
constexpr auto k5E9 = v1::SIZE_BAND_5E9_PLUS;
constexpr auto k1E10 = v1::SIZE_BAND_1E10_PLUS;

TEST(IntakeSizeBands, BelowOneYiIsInNoBand) {
  EXPECT_EQ(SizeBandsOf(99'000'000), Bands{});  // 0.99亿
  EXPECT_EQ(SizeBandsOf(kYi - 1), Bands{});
  EXPECT_EQ(SizeBandsOf(0), Bands{});
}

TEST(IntakeSizeBands, EachLowerBoundIsInsideItsBand) {
  EXPECT_EQ(SizeBandsOf(kYi), (Bands{k1E8}));
  EXPECT_EQ(SizeBandsOf(5 * kYi), (Bands{k1E8, k5E8}));
  EXPECT_EQ(SizeBandsOf(10 * kYi), (Bands{k1E8, k1E9}));
  EXPECT_EQ(SizeBandsOf(20 * kYi), (Bands{k1E8, k2E9}));
  EXPECT_EQ(SizeBandsOf(50 * kYi), (Bands{k1E8, k5E9}));
  EXPECT_EQ(SizeBandsOf(100 * kYi), (Bands{k1E8, k5E9, k1E10}));
}

TEST(IntakeSizeBands, EachUpperBoundIsOutsideItsBand) {
  EXPECT_EQ(SizeBandsOf(5 * kYi - 1), (Bands{k1E8}));
  EXPECT_EQ(SizeBandsOf(10 * kYi - 1), (Bands{k1E8, k5E8}));
  EXPECT_EQ(SizeBandsOf(20 * kYi - 1), (Bands{k1E8, k1E9}));
  EXPECT_EQ(SizeBandsOf(50 * kYi - 1), (Bands{k1E8, k2E9}));
  EXPECT_EQ(SizeBandsOf(100 * kYi - 1), (Bands{k1E8, k5E9}));
  EXPECT_EQ(SizeBandsOf(60 * kYi), (Bands{k1E8, k5E9}));  // the proto's example
}

TEST(IntakeSizeBands, RangesLabelsAndNames) {
  EXPECT_EQ(RangeOf(k5E8).min, 500'000'000);
  EXPECT_EQ(RangeOf(k5E8).max, 1'000'000'000);
  EXPECT_EQ(RangeOf(k1E10).min, 10'000'000'000);
  EXPECT_EQ(RangeOf(k1E10).max, -1);
  EXPECT_EQ(SizeBandLabel(k1E8), "≥1亿");
  EXPECT_EQ(SizeBandLabel(k5E8), "5–10亿");
  EXPECT_EQ(SizeBandLabel(k1E9), "10–20亿");
  EXPECT_EQ(SizeBandLabel(k2E9), "20–50亿");
  EXPECT_EQ(SizeBandLabel(k5E9), "≥50亿");
  EXPECT_EQ(SizeBandLabel(k1E10), "≥100亿");
  EXPECT_EQ(SizeBandName(k1E8), "1E8_PLUS");
  EXPECT_EQ(SizeBandName(k2E9), "2E9_TO_5E9");
}

void ExpectPeriod(absl::string_view text, absl::string_view start, absl::string_view end,
                  int first_month, int months) {
  SCOPED_TRACE(text);
  auto p = ParsePeriod(text);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->text, text);
  EXPECT_EQ(p->start_date, start);
  EXPECT_EQ(p->end_date, end);
  EXPECT_EQ(p->first_month, first_month);
  EXPECT_EQ(p->months, months);
}

TEST(IntakePeriods, ParseYearsQuartersAndMonths) {
  ExpectPeriod("2026", "2026-01-01", "2026-12-31", 1, 12);
  ExpectPeriod("2026-Q1", "2026-01-01", "2026-03-31", 1, 3);
  ExpectPeriod("2026-Q2", "2026-04-01", "2026-06-30", 4, 3);
  ExpectPeriod("2026-Q3", "2026-07-01", "2026-09-30", 7, 3);
  ExpectPeriod("2026-Q4", "2026-10-01", "2026-12-31", 10, 3);
  ExpectPeriod("2026-05", "2026-05-01", "2026-05-31", 5, 1);
  ExpectPeriod("2026-04", "2026-04-01", "2026-04-30", 4, 1);
  ExpectPeriod("2026-12", "2026-12-01", "2026-12-31", 12, 1);
  EXPECT_EQ(ParsePeriod("2026-Q2")->year, 2026);
}

TEST(IntakePeriods, EndFebruaryOnTheLeapDayOnlyInLeapYears) {
  ExpectPeriod("2026-02", "2026-02-01", "2026-02-28", 2, 1);
  ExpectPeriod("2024-02", "2024-02-01", "2024-02-29", 2, 1);
  ExpectPeriod("2000-02", "2000-02-01", "2000-02-29", 2, 1);  // divisible by 400
  ExpectPeriod("2100-02", "2100-02-01", "2100-02-28", 2, 1);  // divisible by 100 only
  ExpectPeriod("2024-Q1", "2024-01-01", "2024-03-31", 1, 3);
}

TEST(IntakePeriods, RefuseAnythingElseNamingThePeriodField) {
  for (absl::string_view bad :
       {"", "26", "1999", "2101", "2026-", "2026-13", "2026-00", "2026-5", "2026-Q0", "2026-Q5",
        "2026-q2", "2026-Q12", "2026-05-01", "abcd", "2026 ", "+2026", "2026-H1"}) {
    auto p = ParsePeriod(bad);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(
        absl::StartsWith(p.status().message(), "period: must be YYYY, YYYY-Qn or YYYY-MM, got '"))
        << p.status();
  }
  EXPECT_TRUE(ParsePeriod("2000").ok());
  EXPECT_TRUE(ParsePeriod("2100-Q4").ok());
}

TEST(IntakePeriods, APastPeriodIsSummarizedAsOfItsLastDay) {
  EXPECT_EQ(*SummaryAsOf(*ParsePeriod("2026-Q1"), "2026-06-15"), "2026-03-31");
  EXPECT_EQ(*SummaryAsOf(*ParsePeriod("2025"), "2026-06-15"), "2025-12-31");
}

TEST(IntakePeriods, ARunningPeriodIsSummarizedAsOfToday) {
  EXPECT_EQ(*SummaryAsOf(*ParsePeriod("2026"), "2026-06-15"), "2026-06-15");
  EXPECT_EQ(*SummaryAsOf(*ParsePeriod("2026-06"), "2026-06-01"), "2026-06-01");
}

TEST(IntakePeriods, APeriodNotBegunIsRefusedNamingToday) {
  auto as_of = SummaryAsOf(*ParsePeriod("2026-07"), "2026-06-15");
  EXPECT_EQ(as_of.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(as_of.status().message(), "period: 2026-07 has not begun (today is 2026-06-15)");
}

SummaryProject Project(int64_t total, v1::Stage stage, v1::Light light) {
  SummaryProject p;
  p.total_investment_yuan = total;
  p.stage_at_end = stage;
  p.light_at_end = light;
  return p;
}

const v1::Tally& StageTally(const v1::ProjectSummary& s, v1::Stage stage) {
  for (const auto& t : s.by_stage()) {
    if (t.stage() == stage) return t.tally();
  }
  ADD_FAILURE() << "no entry for stage " << stage;
  return v1::Tally::default_instance();
}

const v1::Tally& BandTally(const v1::ProjectSummary& s, v1::SizeBand band) {
  for (const auto& t : s.by_size_band()) {
    if (t.band() == band) return t.tally();
  }
  ADD_FAILURE() << "no entry for band " << band;
  return v1::Tally::default_instance();
}

void ExpectTally(const v1::Tally& t, int count, int64_t yuan) {
  EXPECT_EQ(t.count(), count);
  EXPECT_EQ(t.investment_yuan(), yuan);
}

// Seven projects summarised for 2026-Q2 (2026-04-01 … 2026-06-30), figures worked out by hand.
std::vector<SummaryProject> HandExample() {
  std::vector<SummaryProject> ps;
  // A: 6亿, signed, registered and started in the period; 90,000,000 done this period.
  SummaryProject a = Project(600'000'000, v1::STAGE_STARTED, v1::LIGHT_GREEN);
  a.annual_planned_investment_yuan = 240'000'000;
  a.dates.set_negotiating("2025-10-01");
  a.dates.set_signed_("2026-04-10");
  a.dates.set_registered("2026-04-20");
  a.dates.set_started("2026-05-05");
  a.completed_at_end_yuan = 90'000'000;
  a.funds_arrived_at_end_yuan = 150'000'000;
  ps.push_back(a);
  // B: 12亿, started in January, in production on the period's last day.
  SummaryProject b = Project(1'200'000'000, v1::STAGE_IN_PRODUCTION, v1::LIGHT_YELLOW);
  b.annual_planned_investment_yuan = 480'000'000;
  b.dates.set_negotiating("2025-09-01");
  b.dates.set_signed_("2025-11-01");
  b.dates.set_registered("2025-12-01");
  b.dates.set_started("2026-01-15");
  b.dates.set_in_production("2026-06-30");
  b.completed_at_end_yuan = 500'000'000;
  b.completed_before_period_yuan = 400'000'000;
  b.funds_arrived_at_end_yuan = 600'000'000;
  ps.push_back(b);
  // C: 0.8亿 signed in the period (under 1亿: not in signed_1e8_plus), not started.
  SummaryProject c = Project(80'000'000, v1::STAGE_SIGNED, v1::LIGHT_RED);
  c.annual_planned_investment_yuan = 80'000'000;
  c.dates.set_negotiating("2026-01-01");
  c.dates.set_signed_("2026-05-01");
  c.funds_arrived_at_end_yuan = 8'000'000;
  ps.push_back(c);
  // D: 2亿 signed in the period, then cancelled: counts as signed, nowhere else but by_stage.
  SummaryProject d = Project(200'000'000, v1::STAGE_CANCELLED, v1::LIGHT_UNSPECIFIED);
  d.dates.set_negotiating("2026-01-01");
  d.dates.set_signed_("2026-04-02");
  d.funds_arrived_at_end_yuan = 50'000'000;
  ps.push_back(d);
  // E: did not exist yet at the end date.
  SummaryProject e = Project(300'000'000, v1::STAGE_UNSPECIFIED, v1::LIGHT_UNSPECIFIED);
  ps.push_back(e);
  // F: 150亿, negotiating since June.
  SummaryProject f = Project(15'000'000'000, v1::STAGE_NEGOTIATING, v1::LIGHT_GREEN);
  f.dates.set_negotiating("2026-06-01");
  ps.push_back(f);
  // G: 3亿, started last year, stalled; its cumulative was corrected down (counts 0, not −).
  SummaryProject g = Project(300'000'000, v1::STAGE_STALLED, v1::LIGHT_RED);
  g.annual_planned_investment_yuan = 120'000'000;
  g.dates.set_negotiating("2025-03-01");
  g.dates.set_signed_("2025-05-01");
  g.dates.set_registered("2025-06-01");
  g.dates.set_started("2025-09-01");
  g.completed_at_end_yuan = 50'000'000;
  g.completed_before_period_yuan = 60'000'000;
  g.funds_arrived_at_end_yuan = 100'000'000;
  ps.push_back(g);
  return ps;
}

TEST(IntakeSummary, WorksOutTheHandExample) {
  auto period = ParsePeriod("2026-Q2");
  ASSERT_TRUE(period.ok());
  v1::ProjectSummary s = Summarize(HandExample(), *period, "chains/pv");

  EXPECT_EQ(s.chain(), "chains/pv");
  EXPECT_EQ(s.period(), "2026-Q2");
  EXPECT_EQ(s.start_date(), "2026-04-01");
  EXPECT_EQ(s.end_date(), "2026-06-30");

  // A B C D F G exist: 6 + 12 + 0.8 + 2 + 150 + 3 = 173.8亿.
  ExpectTally(s.projects(), 6, 17'380'000'000);

  ASSERT_EQ(s.by_stage_size(), 8);
  EXPECT_EQ(s.by_stage(0).stage(), v1::STAGE_NEGOTIATING);
  EXPECT_EQ(s.by_stage(7).stage(), v1::STAGE_CANCELLED);
  ExpectTally(StageTally(s, v1::STAGE_NEGOTIATING), 1, 15'000'000'000);
  ExpectTally(StageTally(s, v1::STAGE_SIGNED), 1, 80'000'000);
  ExpectTally(StageTally(s, v1::STAGE_REGISTERED), 0, 0);
  ExpectTally(StageTally(s, v1::STAGE_STARTED), 1, 600'000'000);
  ExpectTally(StageTally(s, v1::STAGE_IN_PRODUCTION), 1, 1'200'000'000);
  ExpectTally(StageTally(s, v1::STAGE_FULL_OUTPUT), 0, 0);
  ExpectTally(StageTally(s, v1::STAGE_STALLED), 1, 300'000'000);
  ExpectTally(StageTally(s, v1::STAGE_CANCELLED), 1, 200'000'000);

  // Not cancelled: A B C F G. ≥1亿: A B F G = 6 + 12 + 150 + 3 = 171亿.
  ASSERT_EQ(s.by_size_band_size(), 6);
  ExpectTally(BandTally(s, k1E8), 4, 17'100'000'000);
  ExpectTally(BandTally(s, k5E8), 1, 600'000'000);
  ExpectTally(BandTally(s, k1E9), 1, 1'200'000'000);
  ExpectTally(BandTally(s, k2E9), 0, 0);
  ExpectTally(BandTally(s, k5E9), 1, 15'000'000'000);
  ExpectTally(BandTally(s, k1E10), 1, 15'000'000'000);

  // Signed in Q2 and ≥1亿: A and the cancelled D; started in Q2: A; in production: B (06-30).
  ExpectTally(s.signed_1e8_plus(), 2, 800'000'000);
  ExpectTally(s.started_1e8_plus(), 1, 600'000'000);
  ExpectTally(s.in_production_1e8_plus(), 1, 1'200'000'000);

  // Signed by the end, not cancelled: A B C G; of them started: A B G.
  EXPECT_DOUBLE_EQ(s.start_rate(), 0.75);

  // Started, not cancelled: A B G. Plans (240 + 480 + 120) × 10^6 × 3 / 12 = 210,000,000.
  EXPECT_EQ(s.planned_for_period_yuan(), 210'000'000);
  // 90,000,000 + (500 − 400) × 10^6 + max(0, 50 − 60) × 10^6 = 190,000,000.
  EXPECT_EQ(s.completed_in_period_yuan(), 190'000'000);
  EXPECT_DOUBLE_EQ(s.investment_completion_rate(), 190.0 / 210.0);

  // Funds of A B C G: 150 + 600 + 8 + 100 = 858 × 10^6, over totals 600 + 1200 + 80 + 300.
  EXPECT_EQ(s.funds_arrived_yuan(), 858'000'000);
  EXPECT_DOUBLE_EQ(s.funds_arrival_rate(), 858.0 / 2180.0);

  EXPECT_EQ(s.green_count(), 2);
  EXPECT_EQ(s.yellow_count(), 1);
  EXPECT_EQ(s.red_count(), 2);
}

TEST(IntakeSummary, AYearWeighsTheWholeAnnualPlan) {
  SummaryProject p = Project(10 * kYi, v1::STAGE_STARTED, v1::LIGHT_GREEN);
  p.annual_planned_investment_yuan = 4 * kYi;
  p.dates.set_signed_("2025-06-01");
  p.dates.set_started("2025-07-01");
  p.completed_at_end_yuan = 3 * kYi;
  p.completed_before_period_yuan = kYi;
  auto year = ParsePeriod("2026");
  ASSERT_TRUE(year.ok());
  v1::ProjectSummary s = Summarize({p}, *year, "");
  EXPECT_EQ(s.planned_for_period_yuan(), 4 * kYi);
  EXPECT_EQ(s.completed_in_period_yuan(), 2 * kYi);
  EXPECT_DOUBLE_EQ(s.investment_completion_rate(), 0.5);
  EXPECT_EQ(s.chain(), "");

  auto month = ParsePeriod("2026-05");
  ASSERT_TRUE(month.ok());
  EXPECT_EQ(Summarize({p}, *month, "").planned_for_period_yuan(), kYi / 3);
}

TEST(IntakeSummary, NothingSignedOrPlannedGivesZeroRatesAndEveryStageAndBandListed) {
  auto period = ParsePeriod("2026-05");
  ASSERT_TRUE(period.ok());
  SummaryProject negotiating = Project(kYi, v1::STAGE_NEGOTIATING, v1::LIGHT_GREEN);
  negotiating.dates.set_negotiating("2026-05-03");
  for (const auto& projects : {std::vector<SummaryProject>{}, {negotiating}}) {
    v1::ProjectSummary s = Summarize(projects, *period, "chains/pv");
    EXPECT_EQ(s.by_stage_size(), 8);
    EXPECT_EQ(s.by_size_band_size(), 6);
    EXPECT_EQ(s.start_rate(), 0.0);
    EXPECT_EQ(s.investment_completion_rate(), 0.0);
    EXPECT_EQ(s.funds_arrival_rate(), 0.0);
    EXPECT_EQ(s.planned_for_period_yuan(), 0);
  }
}

TEST(IntakeSummary, DatesOutsideThePeriodDoNotCountAsReachedInIt) {
  auto period = ParsePeriod("2026-Q2");
  ASSERT_TRUE(period.ok());
  SummaryProject before = Project(2 * kYi, v1::STAGE_SIGNED, v1::LIGHT_GREEN);
  before.dates.set_signed_("2026-03-31");
  SummaryProject first_day = Project(2 * kYi, v1::STAGE_SIGNED, v1::LIGHT_GREEN);
  first_day.dates.set_signed_("2026-04-01");
  v1::ProjectSummary s = Summarize({before, first_day}, *period, "");
  ExpectTally(s.signed_1e8_plus(), 1, 2 * kYi);
}

TEST(IntakeSizeBuckets, BucketsCutAtEveryBandBoundAndEachBandIsARunOfThem) {
  EXPECT_EQ(SizeBucketOf(0), 0);
  EXPECT_EQ(SizeBucketOf(kYi - 1), 0);
  EXPECT_EQ(SizeBucketOf(kYi), 1);
  EXPECT_EQ(SizeBucketOf(5 * kYi), 2);
  EXPECT_EQ(SizeBucketOf(20 * kYi - 1), 3);
  EXPECT_EQ(SizeBucketOf(100 * kYi), 6);
  EXPECT_EQ(SizeBucketOf(10'000'000'000'000), 6);
  // A total is in a band exactly when its bucket is in the band's run.
  for (int64_t total : {int64_t{0}, kYi - 1, kYi, 3 * kYi, 5 * kYi - 1, 5 * kYi, 10 * kYi, 15 * kYi,
                        20 * kYi, 49 * kYi, 50 * kYi, 99 * kYi, 100 * kYi, 500 * kYi}) {
    const Bands bands = SizeBandsOf(total);
    for (auto band : {k1E8, k5E8, k1E9, k2E9, k5E9, k1E10}) {
      const BucketRun run = BucketsOf(band);
      const int bucket = SizeBucketOf(total);
      const bool in_run = bucket >= run.first && bucket <= run.last;
      EXPECT_EQ(in_run, std::find(bands.begin(), bands.end(), band) != bands.end())
          << total << " " << SizeBandName(band);
    }
  }
  EXPECT_EQ(BucketsOf(k1E9).first, BucketsOf(k1E9).last);
  EXPECT_GT(BucketsOf(v1::SIZE_BAND_UNSPECIFIED).first, BucketsOf(v1::SIZE_BAND_UNSPECIFIED).last);
}

TEST(IntakeSummary, AGroupOfProjectsCountsAsItsMembersOneByOne) {
  auto period = ParsePeriod("2026-Q2");
  ASSERT_TRUE(period.ok());
  // Three signed, started projects in one bucket (10–20亿) with the same dates and light.
  std::vector<SummaryProject> one_by_one;
  for (int64_t total : {10 * kYi, 12 * kYi, 19 * kYi}) {
    SummaryProject p = Project(total, v1::STAGE_STARTED, v1::LIGHT_YELLOW);
    p.annual_planned_investment_yuan = total / 4 + 7;  // sums that /12 rounds differently
    p.dates.set_signed_("2026-04-02");
    p.dates.set_started("2026-05-02");
    one_by_one.push_back(p);
  }
  SummaryProject group = one_by_one[0];
  group.count = 3;
  group.band_total_yuan = 12 * kYi;
  group.total_investment_yuan = 41 * kYi;
  group.annual_planned_investment_yuan = 0;
  for (const auto& p : one_by_one) {
    group.annual_planned_investment_yuan += p.annual_planned_investment_yuan;
  }
  // Plus a project on its own beside the group, to be added on top in both.
  SummaryProject other = Project(2 * kYi, v1::STAGE_SIGNED, v1::LIGHT_GREEN);
  other.dates.set_signed_("2026-01-05");
  other.funds_arrived_at_end_yuan = kYi;
  one_by_one.push_back(other);

  const v1::ProjectSummary expected = Summarize(one_by_one, *period, "chains/pv");
  const v1::ProjectSummary grouped = Summarize({group, other}, *period, "chains/pv");
  EXPECT_EQ(grouped.SerializeAsString(), expected.SerializeAsString())
      << grouped.DebugString() << "\nvs\n"
      << expected.DebugString();
  ExpectTally(grouped.signed_1e8_plus(), 3, 41 * kYi);
  ExpectTally(BandTally(grouped, k1E9), 3, 41 * kYi);
  EXPECT_EQ(grouped.yellow_count(), 3);
  EXPECT_DOUBLE_EQ(grouped.start_rate(), 0.75);
}

}  // namespace
}  // namespace chainhub::intake
