#include <gtest/gtest.h>

#include "services/intake/work_items.h"

namespace chainhub::intake {
namespace {

TEST(IntakeWorkItemRules, EachStatusPublishesTheEventOfItsKind) {
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_ISSUE, v1::WORK_ITEM_STATUS_OPEN),
            v1::INTAKE_EVENT_ISSUE_OPENED);
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_TASK, v1::WORK_ITEM_STATUS_OPEN),
            v1::INTAKE_EVENT_TASK_OPENED);
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_ISSUE, v1::WORK_ITEM_STATUS_COORDINATING),
            v1::INTAKE_EVENT_ISSUE_COORDINATING);
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_TASK, v1::WORK_ITEM_STATUS_RESOLVED),
            v1::INTAKE_EVENT_TASK_RESOLVED);
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_ISSUE, v1::WORK_ITEM_STATUS_ESCALATED),
            v1::INTAKE_EVENT_ISSUE_ESCALATED);
}

TEST(IntakeWorkItemRules, AnEditMovingNoStatusIsAnUpdate) {
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_ISSUE, v1::WORK_ITEM_STATUS_UNSPECIFIED),
            v1::INTAKE_EVENT_ISSUE_UPDATED);
  EXPECT_EQ(WorkItemEventType(v1::WORK_ITEM_KIND_TASK, v1::WORK_ITEM_STATUS_UNSPECIFIED),
            v1::INTAKE_EVENT_TASK_UPDATED);
}

TEST(IntakeWorkItemRules, AnUnresolvedItemPastItsDeadlineIsOverdue) {
  v1::WorkItem w;
  w.set_status(v1::WORK_ITEM_STATUS_COORDINATING);
  w.set_deadline("2026-06-14");
  SetOverdue(&w, "2026-06-15");
  EXPECT_TRUE(w.overdue());
  SetOverdue(&w, "2026-06-14");  // due today: not yet
  EXPECT_FALSE(w.overdue());
  w.set_status(v1::WORK_ITEM_STATUS_RESOLVED);
  SetOverdue(&w, "2026-07-01");
  EXPECT_FALSE(w.overdue());
}

TEST(IntakeWorkItemRules, TheOverdueDateJoinsTheFilterText) {
  EXPECT_EQ(WithOverdueOn("", ""), "");
  EXPECT_EQ(WithOverdueOn("kind = ISSUE", ""), "kind = ISSUE");
  EXPECT_EQ(WithOverdueOn("", "2026-06-15"),
            "status != \"RESOLVED\" AND deadline < \"2026-06-15\"");
  EXPECT_EQ(WithOverdueOn("kind = ISSUE OR kind = TASK", "2026-06-15"),
            "(kind = ISSUE OR kind = TASK) AND status != \"RESOLVED\" AND deadline < "
            "\"2026-06-15\"");
}

}  // namespace
}  // namespace chainhub::intake
