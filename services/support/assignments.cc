#include "services/support/assignments.h"

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/base/fields.h"
#include "common/base/names.h"

namespace chainhub::support {

namespace {

constexpr size_t kMaxPerson = 40;
constexpr size_t kMaxTitle = 200;
constexpr size_t kMaxText = 4000;
constexpr int kMaxOfficers = 10;
constexpr int kMaxGoals = 20;
constexpr int kMaxMeasures = 50;

void CheckDepartment(const std::string& field, absl::string_view value,
                     std::vector<FieldViolation>* v) {
  if (value.empty()) {
    v->push_back({field, "must not be empty"});
  } else if (!DepartmentName::Parse(field, value).ok()) {
    v->push_back({field, "must be a department name departments/{dept}"});
  }
}

void CheckDate(const std::string& field, absl::string_view value, bool required,
               std::vector<FieldViolation>* v) {
  if (value.empty()) {
    if (required) v->push_back({field, "must not be empty"});
  } else if (!IsValidDate(value)) {
    v->push_back({field, "must be a date YYYY-MM-DD"});
  }
}

absl::CivilDay DayOf(absl::string_view date) {
  int y = 0, m = 0, d = 0;
  if (date.size() == 10) {
    (void)absl::SimpleAtoi(date.substr(0, 4), &y);
    (void)absl::SimpleAtoi(date.substr(5, 2), &m);
    (void)absl::SimpleAtoi(date.substr(8, 2), &d);
  }
  return absl::CivilDay(y, m, d);
}

std::string DateText(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace

void CheckOfficial(const v1::Official& o, const std::string& prefix,
                   std::vector<FieldViolation>* v) {
  CheckDepartment(prefix + ".department", o.department(), v);
  CheckOneLineText(v, prefix + ".person", o.person(), true, kMaxPerson);
  CheckOneLineText(v, prefix + ".title", o.title(), false, kMaxPerson);
}

void CheckAssignment(const v1::Assignment& a, const std::string& prefix,
                     std::vector<FieldViolation>* v) {
  if (!a.has_leader()) {
    v->push_back({prefix + ".leader", "must be set"});
  } else {
    CheckOfficial(a.leader(), prefix + ".leader", v);
  }
  if (a.officers().empty()) v->push_back({prefix + ".officers", "must name at least one officer"});
  if (a.officers_size() > kMaxOfficers) {
    v->push_back({prefix + ".officers", absl::StrCat("must be at most ", kMaxOfficers)});
  }
  for (int i = 0; i < a.officers_size() && i < kMaxOfficers; ++i) {
    CheckOfficial(a.officers(i), absl::StrCat(prefix, ".officers[", i, "]"), v);
  }
  CheckDate(prefix + ".start_date", a.start_date(), true, v);
  CheckDate(prefix + ".end_date", a.end_date(), false, v);
  if (IsValidDate(a.start_date()) && IsValidDate(a.end_date()) && a.end_date() < a.start_date()) {
    v->push_back({prefix + ".end_date", "must not be before start_date"});
  }
  if (a.cadence() == v1::CADENCE_UNSPECIFIED || !v1::Cadence_IsValid(a.cadence())) {
    v->push_back({prefix + ".cadence", "must be MONTHLY or QUARTERLY"});
  }
}

void CheckVisit(const v1::Visit& visit, absl::string_view start_date, absl::string_view today,
                const std::string& prefix, std::vector<FieldViolation>* v) {
  CheckDate(prefix + ".visit_date", visit.visit_date(), true, v);
  if (IsValidDate(visit.visit_date())) {
    if (visit.visit_date() > today) {
      v->push_back({prefix + ".visit_date", absl::StrCat("must not be after today (", today, ")")});
    } else if (visit.visit_date() < start_date) {
      v->push_back({prefix + ".visit_date",
                    absl::StrCat("must not be before the assignment's start (", start_date, ")")});
    }
  }
  if (visit.visitors().empty()) v->push_back({prefix + ".visitors", "must name at least one"});
  for (int i = 0; i < visit.visitors_size() && i < kMaxOfficers; ++i) {
    CheckOfficial(visit.visitors(i), absl::StrCat(prefix, ".visitors[", i, "]"), v);
  }
  if (visit.visitors_size() > kMaxOfficers) {
    v->push_back({prefix + ".visitors", absl::StrCat("must be at most ", kMaxOfficers)});
  }
  CheckMultiLineText(v, prefix + ".summary", visit.summary(), true, kMaxText);
}

void CheckFirmPlan(const v1::FirmPlan& plan, const std::string& prefix,
                   std::vector<FieldViolation>* v) {
  CheckOneLineText(v, prefix + ".title", plan.title(), true, kMaxTitle);
  if (plan.goals_size() > kMaxGoals) {
    v->push_back({prefix + ".goals", absl::StrCat("must be at most ", kMaxGoals)});
  }
  std::set<int> years;
  for (int i = 0; i < plan.goals_size() && i < kMaxGoals; ++i) {
    const v1::FirmGoal& g = plan.goals(i);
    const std::string p = absl::StrCat(prefix, ".goals[", i, "]");
    if (g.year() < 2000 || g.year() > 2100) {
      v->push_back({p + ".year", "must be 2000-2100"});
    } else if (!years.insert(g.year()).second) {
      v->push_back({p + ".year", "duplicates an earlier goal's year"});
    }
    if (g.output_yuan() < 0) v->push_back({p + ".output_yuan", "must be >= 0"});
    if (g.investment_yuan() < 0) v->push_back({p + ".investment_yuan", "must be >= 0"});
    if (!v1::ListingStage_IsValid(g.listing())) {
      v->push_back({p + ".listing", "must be TUTORING, FILED or LISTED (or unset)"});
    }
  }
  if (plan.measures_size() > kMaxMeasures) {
    v->push_back({prefix + ".measures", absl::StrCat("must be at most ", kMaxMeasures)});
  }
  for (int i = 0; i < plan.measures_size() && i < kMaxMeasures; ++i) {
    const v1::SupportMeasure& m = plan.measures(i);
    const std::string p = absl::StrCat(prefix, ".measures[", i, "]");
    CheckOneLineText(v, p + ".title", m.title(), true, kMaxTitle);
    if (!m.policy_item().empty() && !m.factor_request().empty()) {
      v->push_back({p, "must rest on a policy item or a factor request, not both"});
    }
    if (!m.policy_item().empty() && !absl::StartsWith(m.policy_item(), "policies/")) {
      v->push_back({p + ".policy_item", "must be a policy item name policies/{id}/items/{item}"});
    }
    if (!m.factor_request().empty() && !absl::StartsWith(m.factor_request(), "requests/")) {
      v->push_back({p + ".factor_request", "must be a request name requests/{id}"});
    }
    CheckDepartment(p + ".department", m.department(), v);
    if (!v1::MeasureStatus_IsValid(m.status())) {
      v->push_back({p + ".status", "must be PLANNED, IN_PROGRESS, DELIVERED or DROPPED"});
    }
    CheckDate(p + ".due_date", m.due_date(), false, v);
  }
}

void CheckFirmPlanReview(const v1::FirmPlanReview& review, absl::string_view today,
                         const std::string& prefix, std::vector<FieldViolation>* v) {
  CheckDate(prefix + ".review_date", review.review_date(), true, v);
  if (IsValidDate(review.review_date()) && review.review_date() > today) {
    v->push_back({prefix + ".review_date", "must not be after today"});
  }
  if (review.has_reviewer()) CheckOfficial(review.reviewer(), prefix + ".reviewer", v);
  CheckMultiLineText(v, prefix + ".summary", review.summary(), true, kMaxText);
  if (review.rating() < 1 || review.rating() > 5) {
    v->push_back({prefix + ".rating", "must be 1 (far behind) to 5 (ahead)"});
  }
}

std::string NextVisitDue(v1::Cadence cadence, absl::string_view start_date,
                         absl::string_view last_visit_date) {
  const int months = cadence == v1::QUARTERLY ? 3 : 1;
  const bool visited = !last_visit_date.empty();
  const absl::CivilDay from = DayOf(visited ? last_visit_date : start_date);
  // The first month of the period holding `from`, then of the one after when visited.
  absl::CivilMonth period(from.year(), from.month());
  if (months == 3) period = absl::CivilMonth(from.year(), (from.month() - 1) / 3 * 3 + 1);
  if (visited) period += months;
  const absl::CivilDay last = absl::CivilDay(period + months) - 1;
  return DateText(last);
}

std::vector<std::string> AssignmentDepartments(const v1::Assignment& a) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& d) {
    if (!d.empty() && seen.insert(d).second) out.push_back(d);
  };
  add(a.leader().department());
  for (const auto& o : a.officers()) add(o.department());
  return out;
}

}  // namespace chainhub::support
