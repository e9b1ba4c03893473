// Chain plans (规划引领: 五年规划, 三年行动方案, 年度工作要点): the rules of a plan's span, yearly
// targets and numbered key tasks; what publishing sends to assessment (a target per indicator and
// year) and to intake (a task work item per key task); and the plan's progress at a date, from
// the actuals and task reports recorded against it (plan_progress.h judges them). The handlers
// (chain_plan_handlers.cc) add who may write, the versions, the peers and the store.
#ifndef CHAINHUB_SERVICES_SUPPORT_CHAIN_PLANS_H_
#define CHAINHUB_SERVICES_SUPPORT_CHAIN_PLANS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/base/status_util.h"
#include "services/assessment/periods.h"

namespace chainhub::support {

inline constexpr size_t kMaxPlanTitleChars = 200;
inline constexpr int kMaxPlanTargets = 200;
inline constexpr int kMaxPlanTasks = 200;
inline constexpr size_t kMaxTaskNumberChars = 20;
inline constexpr size_t kMaxTaskTitleChars = 200;
inline constexpr size_t kMaxLeaderChars = 40;
// Partner departments, projects and enterprises of one task, each.
inline constexpr int kMaxTaskReferences = 20;
// What intake takes in a work item's description.
inline constexpr size_t kMaxWorkItemDescriptionChars = 2000;

// The years a plan of `kind` spans: 5, 3 or 1; 0 for an unspecified or unknown kind.
int PlanSpanYears(v1::PlanKind kind);

// Every rule `plan` breaks, its fields named under `prefix` ("plan.tasks[2].deadline"):
//  - kind set; title one line of 1-200 characters;
//  - start_year 2000-2100 and end_year = start_year + span − 1 (the kind decides the span);
//  - each target: indicator indicators/{key}; year within the span; value finite and ≥ 0;
//    each (indicator, year) once; at most 200 targets;
//  - each task: number 1-20 of [0-9A-Za-z.-], each once; title 1-200 characters, and with the
//    number and a space at most 200 (the intake task's title); lead_leader at most 40;
//    lead_department and each partner departments/{dept}; deadline a date within the span;
//    projects projects/{id}; enterprises enterprises/{credit_code}; at most 20 of each; at most
//    200 tasks.
// Output-only fields (version, work_item, …) are not looked at.
void CheckChainPlan(const v1::ChainPlan& plan, const std::string& prefix,
                    std::vector<FieldViolation>* violations);

// The fields UpdateChainPlan may change: title, targets, tasks, end_year.
const std::vector<std::string>& ChainPlanWritableFields();

// --- Publishing ------------------------------------------------------------------------------

// A target's identity in the plan ("indicators/output|2026") and what was sent for it (the
// value), to skip on a re-publish what assessment already has.
std::string TargetKey(const v1::PlanTarget& target);
std::string TargetDigest(const v1::PlanTarget& target);

// The assessment target a plan target becomes: subject chains/{chain}, the indicator, period
// "<year>", the value.
assessment::v1::Target AssessmentTarget(absl::string_view chain_id, const v1::PlanTarget& target);

// The intake task a key task becomes: kind TASK, title "<number> <title>", subject
// chains/{chain}, owner the lead department, the deadline, and a description naming the plan
// (`plan_name`, its title), the lead leader, the partner departments, the projects and the
// enterprises (cut at kMaxWorkItemDescriptionChars).
intake::v1::WorkItem TaskWorkItem(absl::string_view chain_id, absl::string_view plan_name,
                                  const v1::ChainPlan& plan, const v1::PlanTask& task);

// What was sent for a task (a digest of its work item), to skip or update on a re-publish.
std::string WorkItemDigest(const intake::v1::WorkItem& item);

// The request id of the CreateWorkItem call for a task: from the plan id, the task number and the
// plan version, so that a retry of the same publish is answered with the item already made.
std::string TaskRequestId(absl::string_view plan_id, absl::string_view number, int version);

// --- Progress --------------------------------------------------------------------------------

// An actual value reported for an indicator and period (cumulative for the year as of the
// period's end), and when it was reported.
struct ReportedActual {
  std::string indicator;
  assessment::Period period;
  double value = 0;
  int64_t reported_us = 0;
};

// A task report for a period.
struct ReportedTask {
  std::string number;
  assessment::Period period;
  int percent_done = 0;
  bool done = false;
  int64_t reported_us = 0;
};

// What a plan's progress is computed from.
struct PlanProgressFacts {
  std::string plan_name;
  v1::ChainPlan plan;  // the version judged (the latest)
  // The day each task number first appeared in the plan.
  std::map<std::string, absl::CivilDay> task_first_seen;
  // The intake task each key task became (by number), when published.
  std::map<std::string, std::string> work_items;
  std::vector<ReportedActual> actuals;
  std::vector<ReportedTask> task_reports;
};

// The report that counts at `as_of` among those whose period has begun by then: the one whose
// period ends last, and of those the one reported last. Exposed for the tests; -1 when none.
int LatestReport(const std::vector<assessment::Period>& periods,
                 const std::vector<int64_t>& reported_us, absl::CivilDay as_of);

// The plan's progress at `as_of` (plan_progress.h judges it):
//  - each target takes the latest actual (LatestReport) of its indicator among the periods of its
//    year, and actual_period names that period;
//  - each task runs from the later of 1 January of start_year and the day its number first
//    appeared in the plan, to its deadline, and takes the latest task report (LatestReport);
//  - completion is PlanCompletion; at_risk counts the targets and tasks at risk.
v1::PlanProgress ComputePlanProgress(const PlanProgressFacts& facts, absl::CivilDay as_of);

// Which plan.target_at_risk event an at-risk target or task is (support_plan_risk_events): its
// key ("target:indicators/output|2026", "task:3") and the warning period it falls in — the month
// of `as_of` ("2026-06"), or, for a target whose year has ended, that year ("2026"), so a target
// missed for good is warned about once rather than every month after.
std::string TargetRiskKey(const v1::TargetProgress& target);
std::string TaskRiskKey(const v1::TaskProgress& task);
std::string TargetRiskPeriod(const v1::TargetProgress& target, absl::CivilDay as_of);
std::string TaskRiskPeriod(absl::CivilDay as_of);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_CHAIN_PLANS_H_
