// 包保 and 一企一策, the pure rules: what an assignment, a visit and a firm plan may hold, and when
// an assignment's next visit is due. No store.
#ifndef CHAINHUB_SERVICES_SUPPORT_ASSIGNMENTS_H_
#define CHAINHUB_SERVICES_SUPPORT_ASSIGNMENTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/base/status_util.h"

namespace chainhub::support {

// The violations of an assignment's own fields (enterprise and output-only fields aside), each
// path prefixed with `prefix` ("assignment").
void CheckAssignment(const v1::Assignment& a, const std::string& prefix,
                     std::vector<FieldViolation>* v);
// An official (a 包保 leader, a service officer, a visitor).
void CheckOfficial(const v1::Official& o, const std::string& prefix,
                   std::vector<FieldViolation>* v);
// A visit's own fields; `start_date` is the assignment's and `today` the China date: the visit
// date must lie between them.
void CheckVisit(const v1::Visit& visit, absl::string_view start_date, absl::string_view today,
                const std::string& prefix, std::vector<FieldViolation>* v);
void CheckFirmPlan(const v1::FirmPlan& plan, const std::string& prefix,
                   std::vector<FieldViolation>* v);
void CheckFirmPlanReview(const v1::FirmPlanReview& review, absl::string_view today,
                         const std::string& prefix, std::vector<FieldViolation>* v);

// The date the next visit is due: the last day of the month (MONTHLY) or quarter (QUARTERLY)
// after the one of `last_visit_date`, or, before any visit, the last day of the month or quarter
// of `start_date`. Dates are YYYY-MM-DD.
std::string NextVisitDue(v1::Cadence cadence, absl::string_view start_date,
                         absl::string_view last_visit_date);

// The departments of an assignment: its leader's and its officers', each once, in order.
std::vector<std::string> AssignmentDepartments(const v1::Assignment& a);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_ASSIGNMENTS_H_
