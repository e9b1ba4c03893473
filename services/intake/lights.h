// The traffic light (红黄绿灯) of a project for a date, against time-proportional progress
// (序时进度). Deterministic: the same inputs and date give the same light.
//
// Two rules; the light is the worse of the two (docs/intake.md):
//  - Missed start: a project on the line before STARTED (or stalled before it) whose planned start
//    date has passed turns yellow after missed_start_yellow_months whole months and red after
//    missed_start_red_months.
//  - Progress: a started project (STARTED or later, or stalled after starting) with an annual
//    plan: expected = (month of the date − 1) / 12 of the annual plan (the months already over);
//    completed = cumulative completed investment as last reported for a month ≤ the date's month,
//    minus the cumulative as last reported for a month before the date's year. Behind =
//    expected% − completed% (of the annual plan), in points. Yellow when behind ≥
//    yellow_behind_points, red when behind > red_behind_points.
// CANCELLED projects have no light (UNSPECIFIED). Everything else not caught is green.
#ifndef CHAINHUB_SERVICES_INTAKE_LIGHTS_H_
#define CHAINHUB_SERVICES_INTAKE_LIGHTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

v1::LightRules DefaultLightRules();
// 0 ≤ yellow_behind_points ≤ red_behind_points ≤ 100; 1 ≤ missed_start_yellow_months ≤
// missed_start_red_months ≤ 120. INVALID_ARGUMENT naming "rules.<field>".
absl::Status ValidateLightRules(const v1::LightRules& rules);

// One month's cumulative figures of a project (from its progress reports).
struct MonthFigure {
  std::string month;  // YYYY-MM
  int64_t cumulative_completed_yuan = 0;
  int64_t cumulative_funds_arrived_yuan = 0;
};

struct LightInput {
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  // For STALLED: the line stage it stalled at.
  v1::Stage stalled_from = v1::STAGE_UNSPECIFIED;
  std::string planned_start_date;  // may be empty
  v1::StageDates stage_dates;
  int64_t annual_planned_investment_yuan = 0;
  // Every report of the project, any order.
  std::vector<MonthFigure> reports;
};

// The inputs of one project's light: where it stands (`stage`, `stalled_from`, the first `dates`
// of its line stages), its plan (`planned_start_date`, `annual_planned_investment_yuan`) and its
// `reports`.
LightInput LightInputOf(v1::Stage stage, v1::Stage stalled_from, v1::StageDates dates,
                        std::string planned_start_date, int64_t annual_planned_investment_yuan,
                        std::vector<MonthFigure> reports);
// The same with the plan read from `project`; where it stands is given, as of the date judged
// (a project's history replayed to a past date stands elsewhere than it does today).
LightInput LightInputOf(const v1::Project& project, v1::Stage stage, v1::Stage stalled_from,
                        v1::StageDates dates, std::vector<MonthFigure> reports);

struct LightOutcome {
  v1::Light light = v1::LIGHT_UNSPECIFIED;
  // Why, in words, e.g. "not started 4 months after the planned start 2026-01-10" or "behind
  // time-proportional progress by 35.0 points (expected 41.7%, completed 6.7% of the annual
  // plan)"; "on schedule" for green.
  std::string reason;
};

// `date` is YYYY-MM-DD (the caller validated it).
LightOutcome EvaluateLight(const LightInput& input, const v1::LightRules& rules,
                           absl::string_view date);

// Records `outcome` as the project's light judged on `date`; true when its light, reason or date
// was different before.
bool StampLight(const LightOutcome& outcome, absl::string_view date, v1::Project* project);

// Counts one project's evaluation into `resp` (evaluated, green, yellow, red, changed), with a
// result entry when its light changes, or for every project when `list_every` (a dry run). Call
// before stamping `project`; true when the light changes.
bool TallyLight(const v1::Project& project, const LightOutcome& outcome, bool list_every,
                v1::EvaluateLightsResponse* resp);

// Whole months from `from` to `to` (dates): 2026-01-10 → 2026-02-09 is 0, → 2026-02-10 is 1;
// negative when `to` is before `from`.
int WholeMonthsBetween(absl::string_view from, absl::string_view to);

// The latest report with month ≤ `month` (nullptr when none).
const MonthFigure* LatestReportUpTo(const std::vector<MonthFigure>& reports,
                                    absl::string_view month);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_LIGHTS_H_
