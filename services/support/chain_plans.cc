#include "services/support/chain_plans.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/store/idempotency.h"
#include "services/assessment/names.h"
#include "services/registry/names.h"
#include "services/support/names.h"
#include "services/support/plan_progress.h"

namespace chainhub::support {
namespace {

std::string Path(const std::string& prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

std::string Indexed(const std::string& prefix, absl::string_view field, int i) {
  return absl::StrCat(Path(prefix, field), "[", i, "]");
}

bool IsTaskNumber(absl::string_view number) {
  if (number.empty() || number.size() > kMaxTaskNumberChars) return false;
  return std::all_of(number.begin(), number.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

void CheckName(std::vector<FieldViolation>* v, const absl::Status& parsed) {
  if (parsed.ok()) return;
  std::vector<FieldViolation> named = FieldViolationsOf(parsed);
  v->insert(v->end(), named.begin(), named.end());
}

void CheckTargets(const v1::ChainPlan& plan, const std::string& prefix, bool span_ok,
                  std::vector<FieldViolation>* v) {
  if (plan.targets_size() > kMaxPlanTargets) {
    v->push_back(
        {Path(prefix, "targets"), absl::StrCat("must hold at most ", kMaxPlanTargets, " targets")});
    return;
  }
  std::map<std::string, int> seen;
  for (int i = 0; i < plan.targets_size(); ++i) {
    const v1::PlanTarget& t = plan.targets(i);
    const std::string p = Indexed(prefix, "targets", i);
    CheckName(v, assessment::IndicatorName::Parse(Path(p, "indicator"), t.indicator()).status());
    if (span_ok && (t.year() < plan.start_year() || t.year() > plan.end_year())) {
      v->push_back({Path(p, "year"), absl::StrCat("must be within the plan's span ",
                                                  plan.start_year(), "-", plan.end_year())});
    }
    if (!std::isfinite(t.value())) {
      v->push_back({Path(p, "value"), "must be a finite number"});
    } else if (t.value() < 0) {
      v->push_back({Path(p, "value"), "must be ≥ 0"});
    }
    auto [it, inserted] = seen.emplace(TargetKey(t), i);
    if (!inserted) {
      v->push_back({p, absl::StrCat("sets ", Quoted(t.indicator()), " for ", t.year(),
                                    " again: each indicator once a year (see ",
                                    Indexed(prefix, "targets", it->second), ")")});
    }
  }
}

void CheckReferences(
    std::vector<FieldViolation>* v, const std::string& field,
    const google::protobuf::RepeatedPtrField<std::string>& names, absl::string_view what,
    const std::function<absl::Status(const std::string&, const std::string&)>& parse) {
  if (names.size() > kMaxTaskReferences) {
    v->push_back({field, absl::StrCat("must name at most ", kMaxTaskReferences, " ", what)});
    return;
  }
  std::set<std::string> seen;
  for (int i = 0; i < names.size(); ++i) {
    const std::string f = absl::StrCat(field, "[", i, "]");
    CheckName(v, parse(f, names[i]));
    if (!seen.insert(names[i]).second) v->push_back({f, "is named twice"});
  }
}

void CheckTasks(const v1::ChainPlan& plan, const std::string& prefix, bool span_ok,
                std::vector<FieldViolation>* v) {
  if (plan.tasks_size() > kMaxPlanTasks) {
    v->push_back(
        {Path(prefix, "tasks"), absl::StrCat("must hold at most ", kMaxPlanTasks, " tasks")});
    return;
  }
  const std::string first = absl::StrFormat("%04d-01-01", plan.start_year());
  const std::string last = absl::StrFormat("%04d-12-31", plan.end_year());
  std::map<std::string, int> numbers;
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const v1::PlanTask& t = plan.tasks(i);
    const std::string p = Indexed(prefix, "tasks", i);
    if (!IsTaskNumber(t.number())) {
      v->push_back(
          {Path(p, "number"),
           absl::StrCat("must be 1-", kMaxTaskNumberChars,
                        " of [0-9A-Za-z.-], e.g. \"3\" or \"2.1\", got ", Quoted(t.number()))});
    } else if (auto [it, inserted] = numbers.emplace(t.number(), i); !inserted) {
      v->push_back(
          {Path(p, "number"), absl::StrCat("must be unique in the plan: ", Quoted(t.number()),
                                           " is also ", Indexed(prefix, "tasks", it->second))});
    }
    const size_t before = v->size();
    CheckOneLineText(v, Path(p, "title"), t.title(), true, kMaxTaskTitleChars);
    if (v->size() == before && CodePoints(t.number()) + 1 + CodePoints(t.title()) > 200) {
      v->push_back({Path(p, "title"),
                    "must be at most 200 characters together with the number and a space (the "
                    "title of the intake task it becomes)"});
    }
    CheckOneLineText(v, Path(p, "lead_leader"), t.lead_leader(), false, kMaxLeaderChars);
    if (t.lead_department().empty()) {
      v->push_back({Path(p, "lead_department"), "must not be empty"});
    } else {
      CheckName(v, DepartmentName::Parse(Path(p, "lead_department"), t.lead_department()).status());
    }
    CheckReferences(v, Path(p, "partner_departments"), t.partner_departments(), "departments",
                    [](const std::string& f, const std::string& n) {
                      return DepartmentName::Parse(f, n).status();
                    });
    if (t.deadline().empty()) {
      v->push_back({Path(p, "deadline"), "must not be empty"});
    } else if (!IsValidDate(t.deadline())) {
      v->push_back({Path(p, "deadline"),
                    absl::StrCat("must be a date YYYY-MM-DD, got ", Quoted(t.deadline()))});
    } else if (span_ok && (t.deadline() < first || t.deadline() > last)) {
      v->push_back({Path(p, "deadline"),
                    absl::StrCat("must be within the plan's span ", first, " to ", last)});
    }
    CheckReferences(v, Path(p, "projects"), t.projects(), "projects",
                    [](const std::string& f, const std::string& n) {
                      return MatchName(f, n, "projects/{id}", "project", IsSupportId).status();
                    });
    CheckReferences(v, Path(p, "enterprises"), t.enterprises(), "enterprises",
                    [](const std::string& f, const std::string& n) {
                      return registry::EnterpriseName::Parse(f, n).status();
                    });
  }
}

// `text` cut to at most `max` code points, ending in "…" when cut.
std::string CutToCodePoints(const std::string& text, size_t max) {
  if (CodePoints(text) <= max) return text;
  size_t kept = 0;
  size_t i = 0;
  while (i < text.size() && kept < max - 1) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    ++kept;
  }
  return text.substr(0, i) + "…";
}

}  // namespace

int PlanSpanYears(v1::PlanKind kind) {
  switch (kind) {
    case v1::FIVE_YEAR:
      return 5;
    case v1::THREE_YEAR_ACTION:
      return 3;
    case v1::ANNUAL_KEY_POINTS:
      return 1;
    default:
      return 0;
  }
}

void CheckChainPlan(const v1::ChainPlan& plan, const std::string& prefix,
                    std::vector<FieldViolation>* v) {
  const int span = PlanSpanYears(plan.kind());
  if (span == 0) {
    v->push_back(
        {Path(prefix, "kind"), "must be one of FIVE_YEAR, THREE_YEAR_ACTION, ANNUAL_KEY_POINTS"});
  }
  CheckOneLineText(v, Path(prefix, "title"), plan.title(), true, kMaxPlanTitleChars);
  bool span_ok = span != 0;
  if (plan.start_year() < assessment::kMinPeriodYear ||
      plan.start_year() > assessment::kMaxPeriodYear) {
    v->push_back(
        {Path(prefix, "start_year"), absl::StrCat("must be a year ", assessment::kMinPeriodYear,
                                                  "-", assessment::kMaxPeriodYear)});
    span_ok = false;
  } else if (span != 0 && plan.end_year() != plan.start_year() + span - 1) {
    v->push_back(
        {Path(prefix, "end_year"),
         absl::StrCat("must be ", plan.start_year() + span - 1, ": a ",
                      v1::PlanKind_Name(plan.kind()), " plan spans ", span,
                      span == 1 ? " year" : " years", " from start_year ", plan.start_year())});
    span_ok = false;
  } else if (plan.end_year() > assessment::kMaxPeriodYear) {
    v->push_back(
        {Path(prefix, "end_year"), absl::StrCat("must be at most ", assessment::kMaxPeriodYear)});
    span_ok = false;
  }
  CheckTargets(plan, prefix, span_ok, v);
  CheckTasks(plan, prefix, span_ok, v);
}

const std::vector<std::string>& ChainPlanWritableFields() {
  static const auto* fields = new std::vector<std::string>{"title", "targets", "tasks", "end_year"};
  return *fields;
}

std::string TargetKey(const v1::PlanTarget& target) {
  return absl::StrCat(target.indicator(), "|", target.year());
}

std::string TargetDigest(const v1::PlanTarget& target) {
  return absl::StrFormat("%.17g", target.value());
}

assessment::v1::Target AssessmentTarget(absl::string_view chain_id, const v1::PlanTarget& target) {
  assessment::v1::Target t;
  t.set_subject(ChainName{std::string(chain_id)}.String());
  t.set_indicator(target.indicator());
  t.set_period(absl::StrCat(target.year()));
  t.set_value(target.value());
  return t;
}

intake::v1::WorkItem TaskWorkItem(absl::string_view chain_id, absl::string_view plan_name,
                                  const v1::ChainPlan& plan, const v1::PlanTask& task) {
  intake::v1::WorkItem item;
  item.set_kind(intake::v1::WORK_ITEM_KIND_TASK);
  item.set_title(absl::StrCat(task.number(), " ", task.title()));
  item.set_subject(ChainName{std::string(chain_id)}.String());
  item.set_owner_department(task.lead_department());
  item.set_deadline(task.deadline());
  std::string d = absl::StrCat("《", plan.title(), "》（", plan_name, "）重点任务 ", task.number(),
                               "：", task.title());
  if (!task.lead_leader().empty()) absl::StrAppend(&d, "\n牵头市领导：", task.lead_leader());
  absl::StrAppend(&d, "\n牵头单位：", task.lead_department());
  if (!task.partner_departments().empty()) {
    absl::StrAppend(&d, "\n配合单位：", absl::StrJoin(task.partner_departments(), "、"));
  }
  if (!task.projects().empty()) {
    absl::StrAppend(&d, "\n涉及项目：", absl::StrJoin(task.projects(), "、"));
  }
  if (!task.enterprises().empty()) {
    absl::StrAppend(&d, "\n涉及企业：", absl::StrJoin(task.enterprises(), "、"));
  }
  item.set_description(CutToCodePoints(d, kMaxWorkItemDescriptionChars));
  return item;
}

std::string WorkItemDigest(const intake::v1::WorkItem& item) { return RequestDigest(item); }

std::string TaskRequestId(absl::string_view plan_id, absl::string_view number, int version) {
  return absl::StrCat("chain-plan/", plan_id, "/task/", number, "/v", version);
}

int LatestReport(const std::vector<assessment::Period>& periods,
                 const std::vector<int64_t>& reported_us, absl::CivilDay as_of) {
  int best = -1;
  for (size_t i = 0; i < periods.size(); ++i) {
    if (periods[i].FirstDay() > as_of) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const auto key = std::make_pair(periods[i].LastDay(), reported_us[i]);
    const auto best_key = std::make_pair(periods[best].LastDay(), reported_us[best]);
    if (key > best_key) best = static_cast<int>(i);
  }
  return best;
}

v1::PlanProgress ComputePlanProgress(const PlanProgressFacts& facts, absl::CivilDay as_of) {
  const v1::ChainPlan& plan = facts.plan;
  v1::PlanProgress out;
  out.set_plan(facts.plan_name);
  out.set_version(plan.version());
  out.set_as_of(assessment::FormatDate(as_of));

  std::vector<TargetFacts> targets;
  std::vector<std::string> actual_periods;
  for (const v1::PlanTarget& t : plan.targets()) {
    std::vector<const ReportedActual*> candidates;
    std::vector<assessment::Period> periods;
    std::vector<int64_t> reported;
    for (const ReportedActual& a : facts.actuals) {
      if (a.indicator != t.indicator() || a.period.year != t.year()) continue;
      candidates.push_back(&a);
      periods.push_back(a.period);
      reported.push_back(a.reported_us);
    }
    TargetFacts f;
    f.metric = t.indicator();
    f.year = t.year();
    f.target = t.value();
    f.lower_is_better = t.lower_is_better();
    const int latest = LatestReport(periods, reported, as_of);
    if (latest >= 0) {
      f.actual = candidates[latest]->value;
      actual_periods.push_back(candidates[latest]->period.String());
    } else {
      actual_periods.push_back("");
    }
    targets.push_back(std::move(f));
  }
  const std::vector<TargetProgress> judged_targets = TargetsProgress(targets, as_of);

  const absl::CivilDay plan_first(plan.start_year(), 1, 1);
  std::vector<TaskFacts> tasks;
  for (const v1::PlanTask& t : plan.tasks()) {
    TaskFacts f;
    f.number = t.number();
    f.start = plan_first;
    if (auto it = facts.task_first_seen.find(t.number()); it != facts.task_first_seen.end()) {
      f.start = std::max(plan_first, it->second);
    }
    absl::StatusOr<absl::CivilDay> deadline = assessment::ParseDate("deadline", t.deadline());
    f.deadline = deadline.ok() ? *deadline : absl::CivilDay(plan.end_year(), 12, 31);
    std::vector<const ReportedTask*> candidates;
    std::vector<assessment::Period> periods;
    std::vector<int64_t> reported;
    for (const ReportedTask& r : facts.task_reports) {
      if (r.number != t.number()) continue;
      candidates.push_back(&r);
      periods.push_back(r.period);
      reported.push_back(r.reported_us);
    }
    const int latest = LatestReport(periods, reported, as_of);
    if (latest >= 0) {
      f.percent_done = candidates[latest]->percent_done;
      f.done = candidates[latest]->done;
    }
    tasks.push_back(std::move(f));
  }
  const std::vector<TaskProgress> judged_tasks = TasksProgress(tasks, as_of);

  int at_risk = 0;
  for (size_t i = 0; i < judged_targets.size(); ++i) {
    const TargetProgress& p = judged_targets[i];
    v1::TargetProgress* o = out.add_targets();
    o->set_indicator(p.metric);
    o->set_year(p.year);
    o->set_target(p.target);
    if (p.actual.has_value()) {
      o->set_actual(*p.actual);
      o->set_actual_period(actual_periods[i]);
    }
    o->set_completion(p.completion);
    o->set_elapsed(p.elapsed);
    o->set_gap(p.gap);
    o->set_at_risk(p.at_risk);
    o->set_reason(p.reason);
    if (p.at_risk) ++at_risk;
  }
  for (size_t i = 0; i < judged_tasks.size(); ++i) {
    const TaskProgress& p = judged_tasks[i];
    const v1::PlanTask& t = plan.tasks(static_cast<int>(i));
    v1::TaskProgress* o = out.add_tasks();
    o->set_number(p.number);
    o->set_title(t.title());
    o->set_deadline(t.deadline());
    o->set_percent_done(std::clamp(tasks[i].percent_done, 0, 100));
    o->set_done(tasks[i].done);
    o->set_expected(p.expected);
    o->set_overdue(p.overdue);
    o->set_at_risk(p.at_risk);
    o->set_reason(p.reason);
    if (auto it = facts.work_items.find(t.number()); it != facts.work_items.end()) {
      o->set_work_item(it->second);
    }
    if (p.at_risk) ++at_risk;
  }
  out.set_completion(PlanCompletion(judged_targets, judged_tasks, as_of));
  out.set_at_risk(at_risk);
  return out;
}

std::string TargetRiskKey(const v1::TargetProgress& target) {
  return absl::StrCat("target:", target.indicator(), "|", target.year());
}

std::string TaskRiskKey(const v1::TaskProgress& task) {
  return absl::StrCat("task:", task.number());
}

std::string TargetRiskPeriod(const v1::TargetProgress& target, absl::CivilDay as_of) {
  if (as_of.year() > target.year()) return absl::StrCat(target.year());
  return TaskRiskPeriod(as_of);
}

std::string TaskRiskPeriod(absl::CivilDay as_of) {
  return absl::StrFormat("%04d-%02d", as_of.year(), as_of.month());
}

}  // namespace chainhub::support
