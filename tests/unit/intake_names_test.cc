#include <string>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/intake/names.h"

namespace chainhub::intake {
namespace {

TEST(IntakeNames, ProjectNamesTakeUuidAndShortIds) {
  EXPECT_EQ(ProjectName::Parse("name", "projects/0190a6f2-7c3e-7b8a-9c1d-2e3f4a5b6c7d")->id,
            "0190a6f2-7c3e-7b8a-9c1d-2e3f4a5b6c7d");
  EXPECT_EQ(ProjectName::Parse("name", "projects/p1")->id, "p1");
  EXPECT_EQ(ProjectName::Parse("name", "projects/7")->id, "7");
  EXPECT_TRUE(ProjectName::Parse("name", "projects/" + std::string(64, 'a')).ok());
  EXPECT_FALSE(ProjectName::Parse("name", "projects/" + std::string(65, 'a')).ok());
  EXPECT_EQ(ProjectName{"p1"}.String(), "projects/p1");
}

TEST(IntakeNames, ProjectNameRefusalNamesTheFieldAndThePattern) {
  for (absl::string_view bad :
       {"projects/", "projects/ABC", "projects/a_b", "p1", "chains/pv", "projects/a/b"}) {
    auto name = ProjectName::Parse("parent", bad);
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(name.status().message(),
              absl::StrCat("parent: must be a project name projects/{id}, got '", bad, "'"));
  }
}

TEST(IntakeNames, SubResourcesAreNamedUnderTheirProject) {
  EXPECT_EQ((StageChangeName{"p1", 3}.String()), "projects/p1/stageChanges/3");
  EXPECT_EQ((ProgressReportName{"p1", "2026-05"}.String()), "projects/p1/progressReports/2026-05");
}

TEST(IntakeNames, WorkItemNamesTellTheKindByTheirCollection) {
  auto issue = WorkItemName::Parse("name", "issues/0190a6f2-7c3e");
  ASSERT_TRUE(issue.ok()) << issue.status();
  EXPECT_EQ(issue->kind, v1::WORK_ITEM_KIND_ISSUE);
  EXPECT_EQ(issue->id, "0190a6f2-7c3e");
  auto task = WorkItemName::Parse("name", "tasks/t1");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->kind, v1::WORK_ITEM_KIND_TASK);
  EXPECT_EQ(task->String(), "tasks/t1");
  EXPECT_EQ((WorkItemName{v1::WORK_ITEM_KIND_ISSUE, "abc"}.String()), "issues/abc");
  EXPECT_EQ((WorkItemName{v1::WORK_ITEM_KIND_UNSPECIFIED, "abc"}.String()), "");
}

TEST(IntakeNames, WorkItemRefusalNamesTheFieldAndBothCollections) {
  for (absl::string_view bad : {"issues/", "notices/1", "tasks/A", "t1", "", "issues/a/b"}) {
    auto name = WorkItemName::Parse("name", bad);
    EXPECT_EQ(name.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(name.status().message(),
              absl::StrCat("name: must be issues/{id} or tasks/{id}, got '", bad, "'"));
  }
}

TEST(IntakeNames, AnEmptyNodeIsNoNode) {
  auto none = ParseOptionalNode("project.node", "");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto node = ParseOptionalNode("project.node", "chains/pv/nodes/cells");
  ASSERT_TRUE(node.ok());
  EXPECT_EQ((*node)->node, "cells");
  EXPECT_TRUE(absl::StartsWith(ParseOptionalNode("project.node", "cells").status().message(),
                               "project.node: "));
}

}  // namespace
}  // namespace chainhub::intake
