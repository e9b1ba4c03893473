#include "services/support/plan_progress.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/assessment/periods.h"

namespace chainhub::support {
namespace {

// Shares computed from different divisions (40.4 / 100 against 0.556 − 0.10) differ in the last
// bits; a comparison with the margin forgives that much, so "exactly 10 points behind" is the
// same on every machine.
constexpr double kTolerance = 1e-9;

// A share as a percentage with one decimal: 0.4041 → "40.4%".
std::string Percent(double share) { return absl::StrFormat("%.1f%%", 100 * share); }

// The share in tenths of a point as shown by Percent, so that "a is N points behind b" is exactly
// the difference of the two numbers the sentence shows.
double ShownTenths(double share) { return std::round(1000 * share); }

std::string PointsBetween(double ahead, double behind) {
  return absl::StrFormat("%.1f points", (ShownTenths(ahead) - ShownTenths(behind)) / 10);
}

double Completion(const TargetFacts& t) {
  if (!t.actual.has_value()) return 0;
  const double actual = *t.actual;
  const double numerator = t.lower_is_better ? t.target : actual;
  const double divisor = t.lower_is_better ? actual : t.target;
  if (!(divisor > 0)) {
    const bool met = t.lower_is_better ? actual <= t.target : actual >= t.target;
    return met ? 1 : 0;
  }
  const double ratio = numerator / divisor;
  if (!(ratio >= 0)) return 0;  // negative, or NaN from an infinite target
  return std::min(ratio, kMaxCompletion);
}

// Fills at_risk and reason of `p`, whose completion, elapsed and gap are set.
void JudgeTarget(absl::CivilDay as_of, double margin, TargetProgress& p) {
  const assessment::Period year = assessment::Period::OfYear(p.year);
  if (as_of < year.FirstDay()) {
    p.reason = absl::StrCat("year ", p.year, " has not started");
    return;
  }
  if (as_of > year.LastDay()) {
    if (!p.actual.has_value()) {
      p.at_risk = true;
      p.reason = absl::StrCat("year ", p.year, " ended with no actual reported");
    } else if (p.completion < 1 - kTolerance) {
      p.at_risk = true;
      p.reason = absl::StrCat("year ", p.year, " ended at completion ", Percent(p.completion),
                              ", short of the target");
    } else {
      p.reason = absl::StrCat("year ", p.year, " ended at completion ", Percent(p.completion),
                              ", target met");
    }
    return;
  }
  if (!p.actual.has_value()) {
    p.at_risk = p.elapsed > kNoActualGraceShare;
    p.reason = absl::StrCat("no actual reported", p.at_risk ? "" : " yet", " at 序时 ",
                            Percent(p.elapsed));
    return;
  }
  p.at_risk = p.gap < -margin - kTolerance;
  if (p.gap < 0) {
    p.reason =
        absl::StrCat("completion ", Percent(p.completion), " is ",
                     PointsBetween(p.elapsed, p.completion), " behind 序时 ", Percent(p.elapsed));
  } else {
    p.reason =
        absl::StrCat("completion ", Percent(p.completion), " is ",
                     PointsBetween(p.completion, p.elapsed), " ahead of 序时 ", Percent(p.elapsed));
  }
}

void JudgeTask(const TaskFacts& t, absl::CivilDay as_of, double margin, TaskProgress& p) {
  const int percent = std::clamp(t.percent_done, 0, 100);
  if (t.done) {
    p.reason = "done";
    return;
  }
  if (p.overdue) {
    p.at_risk = true;
    p.reason = absl::StrCat("past its deadline ", assessment::FormatDate(t.deadline), " at ",
                            percent, "% done");
    return;
  }
  if (as_of < t.start) {
    p.reason = absl::StrCat("starts ", assessment::FormatDate(t.start));
    return;
  }
  p.at_risk = p.done_share < p.expected - margin - kTolerance;
  if (p.done_share < p.expected) {
    p.reason = absl::StrCat(percent, "% done is ", PointsBetween(p.expected, p.done_share),
                            " behind the expected ", Percent(p.expected));
  } else {
    p.reason = absl::StrCat(percent, "% done against the expected ", Percent(p.expected));
  }
}

}  // namespace

double ElapsedShare(absl::CivilDay first, absl::CivilDay last, absl::CivilDay as_of) {
  if (as_of >= last) return 1;
  if (as_of < first) return 0;
  return static_cast<double>(as_of - first + 1) / static_cast<double>(last - first + 1);
}

double ElapsedShareOfYear(int year, absl::CivilDay as_of) {
  const assessment::Period period = assessment::Period::OfYear(year);
  return ElapsedShare(period.FirstDay(), period.LastDay(), as_of);
}

std::vector<TargetProgress> TargetsProgress(const std::vector<TargetFacts>& targets,
                                            absl::CivilDay as_of, double margin) {
  std::vector<TargetProgress> out;
  out.reserve(targets.size());
  for (const TargetFacts& t : targets) {
    TargetProgress p;
    p.metric = t.metric;
    p.year = t.year;
    p.target = t.target;
    p.actual = t.actual;
    p.completion = Completion(t);
    p.elapsed = ElapsedShareOfYear(t.year, as_of);
    p.gap = p.completion - p.elapsed;
    JudgeTarget(as_of, margin, p);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<TaskProgress> TasksProgress(const std::vector<TaskFacts>& tasks, absl::CivilDay as_of,
                                        double margin) {
  std::vector<TaskProgress> out;
  out.reserve(tasks.size());
  for (const TaskFacts& t : tasks) {
    TaskProgress p;
    p.number = t.number;
    p.expected = ElapsedShare(t.start, t.deadline, as_of);
    p.done_share = t.done ? 1.0 : std::clamp(t.percent_done, 0, 100) / 100.0;
    p.overdue = !t.done && as_of > t.deadline;
    JudgeTask(t, as_of, margin, p);
    out.push_back(std::move(p));
  }
  return out;
}

double PlanCompletion(const std::vector<TargetProgress>& targets,
                      const std::vector<TaskProgress>& tasks, absl::CivilDay as_of) {
  double sum = 0;
  int64_t n = 0;
  for (const TargetProgress& t : targets) {
    if (t.year != as_of.year()) continue;
    sum += std::min(t.completion, 1.0);
    ++n;
  }
  for (const TaskProgress& t : tasks) {
    sum += t.done_share;
    ++n;
  }
  return n == 0 ? 0 : sum / static_cast<double>(n);
}

}  // namespace chainhub::support
