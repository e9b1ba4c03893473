#include "services/intake/work_items.h"

#include "absl/strings/str_cat.h"

namespace chainhub::intake {

v1::IntakeEvent WorkItemEventType(v1::WorkItemKind kind, v1::WorkItemStatus status) {
  const bool task = kind == v1::WORK_ITEM_KIND_TASK;
  switch (status) {
    case v1::WORK_ITEM_STATUS_OPEN:
      return task ? v1::INTAKE_EVENT_TASK_OPENED : v1::INTAKE_EVENT_ISSUE_OPENED;
    case v1::WORK_ITEM_STATUS_COORDINATING:
      return task ? v1::INTAKE_EVENT_TASK_COORDINATING : v1::INTAKE_EVENT_ISSUE_COORDINATING;
    case v1::WORK_ITEM_STATUS_RESOLVED:
      return task ? v1::INTAKE_EVENT_TASK_RESOLVED : v1::INTAKE_EVENT_ISSUE_RESOLVED;
    case v1::WORK_ITEM_STATUS_ESCALATED:
      return task ? v1::INTAKE_EVENT_TASK_ESCALATED : v1::INTAKE_EVENT_ISSUE_ESCALATED;
    default:
      return task ? v1::INTAKE_EVENT_TASK_UPDATED : v1::INTAKE_EVENT_ISSUE_UPDATED;
  }
}

v1::IntakeEvent OverdueEventType(v1::WorkItemKind kind) {
  return kind == v1::WORK_ITEM_KIND_TASK ? v1::INTAKE_EVENT_TASK_OVERDUE
                                         : v1::INTAKE_EVENT_ISSUE_OVERDUE;
}

void SetOverdue(v1::WorkItem* item, absl::string_view today) {
  item->set_overdue(item->status() != v1::WORK_ITEM_STATUS_RESOLVED && item->deadline() < today);
}

std::string WithOverdueOn(absl::string_view filter, absl::string_view date) {
  if (date.empty()) return std::string(filter);
  const std::string overdue = absl::StrCat("status != \"RESOLVED\" AND deadline < \"", date, "\"");
  return filter.empty() ? overdue : absl::StrCat("(", filter, ") AND ", overdue);
}

}  // namespace chainhub::intake
