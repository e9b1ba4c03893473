// Size bands (≥1亿, 5–10亿, 10–20亿, 20–50亿, ≥50亿, ≥100亿), reporting periods, and the arithmetic
// of SummarizeProjects. Pure: the service loads each project's facts as of the period's end.
#ifndef CHAINHUB_SERVICES_INTAKE_SUMMARY_H_
#define CHAINHUB_SERVICES_INTAKE_SUMMARY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

inline constexpr int64_t kYi = 100'000'000;  // 1亿元 in yuan

// Every band `total_investment_yuan` falls in, in enum order (bands overlap).
std::vector<v1::SizeBand> SizeBandsOf(int64_t total_investment_yuan);
// [min, max) of a band in yuan; max is -1 for open-ended bands.
struct BandRange {
  int64_t min = 0;
  int64_t max = -1;
};
BandRange RangeOf(v1::SizeBand band);
// "≥1亿", "5–10亿", …
std::string SizeBandLabel(v1::SizeBand band);

// The size bucket of a total: which of the disjoint ranges cut at every band bound it falls in,
// 0 (< 1亿) … 6 (≥ 100亿). Projects of one bucket are in the same bands; each band is a run of
// buckets (BucketsOf). Stored beside each project (migrations/0002_summary_columns.sql).
int SizeBucketOf(int64_t total_investment_yuan);
// The first and last bucket of a band ({1, 0} for an unknown band: none).
struct BucketRun {
  int first = 1;
  int last = 0;
};
BucketRun BucketsOf(v1::SizeBand band);
// "1E8_PLUS", … (the enum name without SIZE_BAND_).
std::string SizeBandName(v1::SizeBand band);

// A reporting period: "2026", "2026-Q2" or "2026-05".
struct Period {
  std::string text;
  std::string start_date;  // first day, YYYY-MM-DD
  std::string end_date;    // last day
  int year = 0;
  int first_month = 1;  // 1..12
  int months = 12;      // 12, 3 or 1
};
// INVALID_ARGUMENT "period: must be YYYY, YYYY-Qn or YYYY-MM, got '…'" (years 2000..2100).
absl::StatusOr<Period> ParsePeriod(absl::string_view text);

// The date a summary of `period` is taken as of: the period's last day, or `today` while the
// period runs. A period that has not begun is INVALID_ARGUMENT on period.
absl::StatusOr<std::string> SummaryAsOf(const Period& period, absl::string_view today);

// One project's facts as of the period's end date, gathered by the store — or `count` projects
// whose facts are the same but for their amounts, which are then sums over them.
struct SummaryProject {
  int64_t count = 1;
  // Σ total investment; `band_total_yuan` is any one member's (members share their size bucket,
  // so their bands and whether they are ≥1亿), or -1 for "the same as total_investment_yuan".
  int64_t total_investment_yuan = 0;
  int64_t band_total_yuan = -1;
  // Σ annual plan.
  int64_t annual_planned_investment_yuan = 0;
  // First dates each line stage was reached (from the history; only dates ≤ end date are set).
  v1::StageDates dates;
  // Stage as of the end date (UNSPECIFIED when the project did not exist yet).
  v1::Stage stage_at_end = v1::STAGE_UNSPECIFIED;
  // Cumulative completed investment as last reported for a month ≤ the end month, and as last
  // reported for a month before the period's first month; cumulative funds arrived at the end
  // (a group stands for projects without reports: all 0).
  int64_t completed_at_end_yuan = 0;
  int64_t completed_before_period_yuan = 0;
  int64_t funds_arrived_at_end_yuan = 0;
  // Light as of the end date (UNSPECIFIED for cancelled or not yet existing).
  v1::Light light_at_end = v1::LIGHT_UNSPECIFIED;
};

// The figures of ProjectSummary (chain, period and dates set too; `chain` may be empty):
//  - projects: those with stage_at_end set; by_stage: one entry per stage NEGOTIATING..CANCELLED;
//  - by_size_band: one entry per band, projects existing and not cancelled at the end;
//  - signed/started/in_production_1e8_plus: projects ≥1亿 whose first date of that stage lies in
//    the period (cancelled ones included: they were signed);
//  - start_rate = started / signed among projects not cancelled whose signed date ≤ end
//    (started: started date ≤ end); 0 when none signed;
//  - planned_for_period = Σ annual plan × months / 12 over started projects not cancelled;
//    completed_in_period = Σ max(0, completed_at_end − completed_before_period) over the same;
//    investment_completion_rate = completed / planned (0 when planned is 0);
//  - funds_arrival_rate = Σ funds arrived / Σ total investment over projects signed by the end
//    and not cancelled (0 when none);
//  - green/yellow/red counts of light_at_end.
v1::ProjectSummary Summarize(const std::vector<SummaryProject>& projects, const Period& period,
                             absl::string_view chain);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_SUMMARY_H_
