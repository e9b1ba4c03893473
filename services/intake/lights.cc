#include "services/intake/lights.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "services/intake/stages.h"

namespace chainhub::intake {
namespace {

constexpr int kStartedPosition = 4;  // LinePosition(STAGE_STARTED)

bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  return text.size() == 10 && absl::ParseCivilTime(text, day);
}

int DaysInMonth(absl::CivilMonth month) { return (absl::CivilDay(month + 1) - 1).day(); }

// The line position that decides which rule applies: a stalled project is judged by the stage it
// stalled at.
int EffectivePosition(const LightInput& input) {
  if (input.stage == v1::STAGE_STALLED) return LinePosition(input.stalled_from);
  return LinePosition(input.stage);
}

std::string Months(int n) { return absl::StrCat(n, n == 1 ? " month" : " months"); }

LightOutcome Green() { return {v1::LIGHT_GREEN, "on schedule"}; }

LightOutcome MissedStart(const LightInput& input, const v1::LightRules& rules,
                         absl::string_view date) {
  if (input.planned_start_date.empty() || !IsValidDate(input.planned_start_date)) return Green();
  const int late = WholeMonthsBetween(input.planned_start_date, date);
  v1::Light light = v1::LIGHT_GREEN;
  if (late >= rules.missed_start_red_months()) {
    light = v1::LIGHT_RED;
  } else if (late >= rules.missed_start_yellow_months()) {
    light = v1::LIGHT_YELLOW;
  } else {
    return Green();
  }
  return {light, absl::StrCat("not started ", Months(late), " after the planned start ",
                              input.planned_start_date)};
}

LightOutcome Progress(const LightInput& input, const v1::LightRules& rules,
                      absl::string_view date) {
  const int64_t plan = input.annual_planned_investment_yuan;
  absl::CivilDay day;
  if (plan <= 0 || !ParseDay(date, &day)) return Green();
  const int elapsed_months = day.month() - 1;
  const absl::CivilMonth month(day);
  const std::string month_text = absl::FormatCivilTime(month);
  const std::string before_year = absl::FormatCivilTime(absl::CivilMonth(day.year() - 1, 12));
  const MonthFigure* now = LatestReportUpTo(input.reports, month_text);
  const MonthFigure* base = LatestReportUpTo(input.reports, before_year);
  const int64_t completed =
      (now ? now->cumulative_completed_yuan : 0) - (base ? base->cumulative_completed_yuan : 0);

  // behind = 100·elapsed/12 − 100·completed/plan points. Compared exactly, scaled by 12·plan, so
  // "exactly 10 points behind" is yellow whatever the floating-point rounding would say.
  using Wide = __int128;
  const Wide scaled_behind = Wide{100} * elapsed_months * plan - Wide{1200} * completed;
  const Wide scale = Wide{12} * plan;
  v1::Light light = v1::LIGHT_GREEN;
  if (scaled_behind > Wide{rules.red_behind_points()} * scale) {
    light = v1::LIGHT_RED;
  } else if (scaled_behind >= Wide{rules.yellow_behind_points()} * scale) {
    light = v1::LIGHT_YELLOW;
  } else {
    return Green();
  }
  const double expected = 100.0 * elapsed_months / 12.0;
  const double done = 100.0 * static_cast<double>(completed) / static_cast<double>(plan);
  return {light, absl::StrFormat("behind time-proportional progress by %.1f points (expected "
                                 "%.1f%%, completed %.1f%% of the annual plan)",
                                 expected - done, expected, done)};
}

}  // namespace

v1::LightRules DefaultLightRules() {
  v1::LightRules rules;
  rules.set_yellow_behind_points(10);
  rules.set_red_behind_points(30);
  rules.set_missed_start_yellow_months(1);
  rules.set_missed_start_red_months(3);
  return rules;
}

absl::Status ValidateLightRules(const v1::LightRules& rules) {
  std::vector<FieldViolation> v;
  const int yellow_points = rules.yellow_behind_points();
  if (yellow_points < 0 || yellow_points > 100) {
    v.push_back({"rules.yellow_behind_points",
                 absl::StrCat("must be between 0 and 100, got ", yellow_points)});
  }
  const int red_points = rules.red_behind_points();
  if (red_points < yellow_points || red_points > 100) {
    v.push_back(
        {"rules.red_behind_points", absl::StrCat("must be between yellow_behind_points (",
                                                 yellow_points, ") and 100, got ", red_points)});
  }
  const int yellow_months = rules.missed_start_yellow_months();
  if (yellow_months < 1 || yellow_months > 120) {
    v.push_back({"rules.missed_start_yellow_months",
                 absl::StrCat("must be between 1 and 120, got ", yellow_months)});
  }
  const int red_months = rules.missed_start_red_months();
  if (red_months < yellow_months || red_months > 120) {
    v.push_back({"rules.missed_start_red_months",
                 absl::StrCat("must be between missed_start_yellow_months (", yellow_months,
                              ") and 120, got ", red_months)});
  }
  return ToStatus(v);
}

LightOutcome EvaluateLight(const LightInput& input, const v1::LightRules& rules,
                           absl::string_view date) {
  if (input.stage == v1::STAGE_CANCELLED) return {v1::LIGHT_UNSPECIFIED, "cancelled: no light"};
  if (input.stage == v1::STAGE_UNSPECIFIED) return {v1::LIGHT_UNSPECIFIED, "no stage: no light"};
  // The rules split by stage (before or after the start), so at most one can be non-green; the
  // worse-of is kept so a future rule that overlaps composes without surprises.
  const bool started = EffectivePosition(input) >= kStartedPosition;
  LightOutcome start = started ? Green() : MissedStart(input, rules, date);
  LightOutcome progress = started ? Progress(input, rules, date) : Green();
  return progress.light > start.light ? progress : start;
}

LightInput LightInputOf(v1::Stage stage, v1::Stage stalled_from, v1::StageDates dates,
                        std::string planned_start_date, int64_t annual_planned_investment_yuan,
                        std::vector<MonthFigure> reports) {
  LightInput in;
  in.stage = stage;
  in.stalled_from = stalled_from;
  in.planned_start_date = std::move(planned_start_date);
  in.stage_dates = std::move(dates);
  in.annual_planned_investment_yuan = annual_planned_investment_yuan;
  in.reports = std::move(reports);
  return in;
}

LightInput LightInputOf(const v1::Project& project, v1::Stage stage, v1::Stage stalled_from,
                        v1::StageDates dates, std::vector<MonthFigure> reports) {
  return LightInputOf(stage, stalled_from, std::move(dates), project.planned_start_date(),
                      project.annual_planned_investment_yuan(), std::move(reports));
}

bool StampLight(const LightOutcome& outcome, absl::string_view date, v1::Project* project) {
  const bool changed = outcome.light != project->light() ||
                       outcome.reason != project->light_reason() || project->light_date() != date;
  project->set_light(outcome.light);
  project->set_light_reason(outcome.reason);
  project->set_light_date(std::string(date));
  return changed;
}

bool TallyLight(const v1::Project& project, const LightOutcome& outcome, bool list_every,
                v1::EvaluateLightsResponse* resp) {
  resp->set_evaluated_count(resp->evaluated_count() + 1);
  if (outcome.light == v1::LIGHT_GREEN) resp->set_green_count(resp->green_count() + 1);
  if (outcome.light == v1::LIGHT_YELLOW) resp->set_yellow_count(resp->yellow_count() + 1);
  if (outcome.light == v1::LIGHT_RED) resp->set_red_count(resp->red_count() + 1);
  const bool changed = outcome.light != project.light();
  if (changed) resp->set_changed_count(resp->changed_count() + 1);
  if (changed || list_every) {
    v1::LightResult* r = resp->add_results();
    r->set_project(project.name());
    r->set_light(outcome.light);
    r->set_previous_light(project.light());
    r->set_reason(outcome.reason);
  }
  return changed;
}

int WholeMonthsBetween(absl::string_view from, absl::string_view to) {
  absl::CivilDay a, b;
  if (!ParseDay(from, &a) || !ParseDay(to, &b)) return 0;
  // The largest k with from + k months ≤ to, where adding months clamps to the month's last day
  // (2026-01-31 + 1 month = 2026-02-28).
  int months = static_cast<int>(absl::CivilMonth(b) - absl::CivilMonth(a));
  const int anniversary = std::min(a.day(), DaysInMonth(absl::CivilMonth(b)));
  if (b.day() < anniversary) --months;
  return months;
}

const MonthFigure* LatestReportUpTo(const std::vector<MonthFigure>& reports,
                                    absl::string_view month) {
  const MonthFigure* best = nullptr;
  for (const MonthFigure& r : reports) {
    // YYYY-MM sorts as text.
    if (r.month <= month && (best == nullptr || r.month > best->month)) best = &r;
  }
  return best;
}

}  // namespace chainhub::intake
