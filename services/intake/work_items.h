// Work items (问题清单 issues and 任务清单 tasks) beyond their input rules (validation.h): the
// event each status publishes, when an item is overdue, and the overdue filter of ListWorkItems.
// Pure.
#ifndef CHAINHUB_SERVICES_INTAKE_WORK_ITEMS_H_
#define CHAINHUB_SERVICES_INTAKE_WORK_ITEMS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"

namespace chainhub::intake {

// The event of an item reaching `status`: issue.opened, task.escalated, …; issue.updated or
// task.updated for UNSPECIFIED (an edit that moves no status).
v1::IntakeEvent WorkItemEventType(v1::WorkItemKind kind, v1::WorkItemStatus status);

// The daily reminder of an overdue item: issue.overdue or task.overdue.
v1::IntakeEvent OverdueEventType(v1::WorkItemKind kind);

// An item not resolved whose deadline lies before `today` (YYYY-MM-DD) is overdue; sets overdue.
void SetOverdue(v1::WorkItem* item, absl::string_view today);

// `filter` (AIP-160 text) narrowed to the items overdue on `date` (YYYY-MM-DD, validated): the
// date joins the filter text, so page tokens stay tied to it. `filter` alone when `date` is empty.
std::string WithOverdueOn(absl::string_view filter, absl::string_view date);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_WORK_ITEMS_H_
