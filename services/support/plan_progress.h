// Progress of a chain plan (规划 / 三年行动方案 / 年度工作要点) against time-proportional progress
// (序时进度): its yearly targets (output, number of 链主, local supporting rate, ...) and its
// numbered key tasks, each judged at an as-of date and flagged for early warning (预警) when it
// falls behind. Also the 序时 share itself, which payout figures use too.
//
// 序时 here counts whole days, both ends included: on 1 January 1/365 of the year has elapsed, on
// 31 December all of it. Dates are China dates (assessment::ChinaDay turns an instant into one).
#ifndef CHAINHUB_SERVICES_SUPPORT_PLAN_PROGRESS_H_
#define CHAINHUB_SERVICES_SUPPORT_PLAN_PROGRESS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace chainhub::support {

// How far behind 序时 a target or task may fall, as a share (0.10 = 10 points), before it is at
// risk.
inline constexpr double kDefaultRiskMargin = 0.10;
// The greatest completion reported: a target beaten a hundredfold (a tiny target, or a
// lower-is-better actual near 0) would otherwise dwarf every other figure.
inline constexpr double kMaxCompletion = 9.99;
// With no actual reported, a target is at risk once more than this share of its year is gone.
inline constexpr double kNoActualGraceShare = 0.25;

// The share of the days first..last (both included) that have elapsed at the end of `as_of`:
// 0 before `first`, 1 from `last` on, else (as_of − first + 1) / (last − first + 1). A span whose
// last day comes before its first is all elapsed from its last day on.
double ElapsedShare(absl::CivilDay first, absl::CivilDay last, absl::CivilDay as_of);
// ElapsedShare over the calendar year `year`: 序时 of an annual target.
double ElapsedShareOfYear(int year, absl::CivilDay as_of);

// One yearly target of a plan, with the actual reported for it so far.
struct TargetFacts {
  std::string metric;
  int year = 0;
  double target = 0;
  std::optional<double> actual;
  bool lower_is_better = false;  // e.g. energy use per 万元 of output
};

struct TargetProgress {
  std::string metric;
  int year = 0;
  double target = 0;
  std::optional<double> actual;
  // actual ÷ target (target ÷ actual when lower is better), within [0, kMaxCompletion]; 0 without
  // an actual. When the divisor is 0 or negative the ratio means nothing: completion is 1 when
  // the actual meets the target (≥ it, or ≤ it when lower is better) and 0 otherwise.
  double completion = 0;
  double elapsed = 0;  // ElapsedShareOfYear(year, as_of)
  double gap = 0;      // completion − elapsed; negative = behind 序时
  bool at_risk = false;
  // Why, in one short sentence, e.g. "completion 40.4% is 15.2 points behind 序时 55.6%".
  std::string reason;
};

// Judges each target at `as_of`, in the order given:
//  - a year not started yet (as_of before 1 January) is never at risk;
//  - a finished year (as_of after 31 December) is at risk when completion < 1;
//  - within the year, a target is at risk with no actual once elapsed > kNoActualGraceShare, or
//    with an actual when it is more than `margin` behind 序时 (gap < −margin; a gap of exactly
//    −margin, to rounding, is not at risk).
std::vector<TargetProgress> TargetsProgress(const std::vector<TargetFacts>& targets,
                                            absl::CivilDay as_of,
                                            double margin = kDefaultRiskMargin);

// One numbered key task of a plan (e.g. "3.2"), to be done between `start` and `deadline`.
struct TaskFacts {
  std::string number;
  absl::CivilDay start;
  absl::CivilDay deadline;
  int percent_done = 0;  // 0..100 as reported; values outside are clamped
  bool done = false;
};

struct TaskProgress {
  std::string number;
  double expected = 0;    // ElapsedShare(start, deadline, as_of)
  double done_share = 0;  // 1 when done, else percent_done / 100
  bool overdue = false;   // as_of after the deadline and not done
  // Overdue, or more than `margin` behind expected (done_share < expected − margin); never when
  // done.
  bool at_risk = false;
  // Why, in one short sentence, e.g. "past its deadline 2026-06-30 at 60% done".
  std::string reason;
};

// Judges each task at `as_of`, in the order given.
std::vector<TaskProgress> TasksProgress(const std::vector<TaskFacts>& tasks, absl::CivilDay as_of,
                                        double margin = kDefaultRiskMargin);

// The plan's completion rate at `as_of`: the mean of min(completion, 1) over the targets of
// as_of's year and of done_share over all the tasks, each target and each task counting once;
// 0 when there is none. Targets of other years are left out, since a plan's later targets are
// not due and its earlier ones were judged in their year; tasks are all in, since a task not yet
// started is part of what remains to do.
double PlanCompletion(const std::vector<TargetProgress>& targets,
                      const std::vector<TaskProgress>& tasks, absl::CivilDay as_of);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_PLAN_PROGRESS_H_
