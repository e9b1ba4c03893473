// ProjectIntake's dispatch lists (问题清单 issues, 任务清单 tasks) over gRPC: create on a project
// or a chain, the status loop open → coordinating → resolved with escalation and the illegal moves,
// update with a mask and an etag, the overdue flag and the overdue_on listing, and the daily
// reminders of overdue items (issue.overdue, task.overdue). Today is 2026-06-15.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/intake_fixture.h"

namespace chainhub::testing {
namespace {

namespace iv1 = ::chainhub::intake::v1;
using grpc::StatusCode;

class IntakeWorkItems : public SharedIntakeTest<IntakeWorkItems> {
 protected:
  static iv1::WorkItem MakeItem(iv1::WorkItemKind kind, const std::string& subject,
                                const std::string& title, const std::string& deadline,
                                const std::string& owner = IntakeFixture::kDeptFgw) {
    iv1::WorkItem w;
    w.set_kind(kind);
    w.set_title(title);
    w.set_description("调度会议定事项");
    w.set_subject(subject);
    w.set_owner_department(owner);
    w.set_deadline(deadline);
    return w;
  }

  static iv1::WorkItem Create(const IntakeCaller& as, const iv1::WorkItem& item) {
    iv1::CreateWorkItemRequest req;
    *req.mutable_work_item() = item;
    iv1::WorkItem out;
    grpc::Status s = as(&IntakeStub::CreateWorkItem, req, &out);
    EXPECT_TRUE(s.ok()) << "CreateWorkItem " << item.title() << ": " << s.error_message();
    return out;
  }

  static grpc::Status Move(const IntakeCaller& as, const std::string& name, iv1::WorkItemStatus to,
                           const std::string& note = "", const std::string& date = "",
                           iv1::WorkItem* out = nullptr) {
    iv1::TransitionWorkItemRequest req;
    req.set_name(name);
    req.set_to_status(to);
    req.set_note(note);
    req.set_effective_date(date);
    iv1::WorkItem resp;
    grpc::Status s = as(&IntakeStub::TransitionWorkItem, req, &resp);
    if (out != nullptr) *out = std::move(resp);
    return s;
  }

  static std::vector<std::string> Titles(const std::string& filter, const std::string& overdue_on,
                                         const std::string& order_by = "") {
    iv1::ListWorkItemsRequest req;
    req.set_filter(filter);
    req.set_overdue_on(overdue_on);
    req.set_order_by(order_by);
    iv1::ListWorkItemsResponse resp;
    grpc::Status s = viewer()(&IntakeStub::ListWorkItems, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << " overdue_on " << overdue_on << ": " << s.error_message();
    EXPECT_EQ(resp.total_size(), resp.work_items_size());
    std::vector<std::string> out;
    for (const auto& w : resp.work_items()) out.push_back(w.title());
    return out;
  }
};

TEST_F(IntakeWorkItems, CreatesIssuesOnProjectsAndTasksOnChains) {
  iv1::Project p = CreateProject(admin(), MakeProject("用地问题项目"));
  iv1::WorkItem issue = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, p.name(), "用地指标未落实", "2026-07-01"));
  ASSERT_TRUE(absl::StartsWith(issue.name(), "issues/")) << issue.name();
  EXPECT_EQ(issue.chain(), "chains/pv");
  EXPECT_EQ(issue.status(), iv1::WORK_ITEM_STATUS_OPEN);
  EXPECT_FALSE(issue.overdue());
  iv1::WorkItem task = Create(
      As(IntakeFixture::office_token({"nev-battery"})),
      MakeItem(iv1::WORK_ITEM_KIND_TASK, "chains/nev-battery", "梳理电芯招引清单", "2026-06-30"));
  ASSERT_TRUE(absl::StartsWith(task.name(), "tasks/")) << task.name();
  EXPECT_EQ(task.chain(), "chains/nev-battery");

  iv1::GetWorkItemRequest get;
  get.set_name(issue.name());
  iv1::WorkItem got;
  ASSERT_TRUE(viewer()(&IntakeStub::GetWorkItem, get, &got).ok());
  EXPECT_EQ(got.title(), "用地指标未落实");
  // The same id under the other kind is no such item.
  get.set_name("tasks/" + issue.name().substr(7));
  EXPECT_TRUE(HasCode(viewer().Status(&IntakeStub::GetWorkItem, get), StatusCode::NOT_FOUND));

  iv1::CreateWorkItemRequest req;
  *req.mutable_work_item() =
      MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/no-such-chain", "无此链", "2026-07-01");
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&IntakeStub::CreateWorkItem, req), "work_item.subject"));
  req.mutable_work_item()->set_subject("projects/0190a0b0-0000-7000-8000-000000000000");
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&IntakeStub::CreateWorkItem, req), "work_item.subject"));
  req.mutable_work_item()->set_subject(p.name());
  req.mutable_work_item()->set_deadline("2026-07-32");
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&IntakeStub::CreateWorkItem, req), "work_item.deadline"));
  req.mutable_work_item()->set_deadline("2026-07-01");
  req.mutable_work_item()->clear_kind();
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::CreateWorkItem, req), "work_item.kind"));
}

TEST_F(IntakeWorkItems, MovesOpenToCoordinatingToResolvedAndRefusesIllegalMoves) {
  iv1::WorkItem w = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/pv", "电力接入协调", "2026-07-01"));
  ASSERT_TRUE(Move(admin(), w.name(), iv1::WORK_ITEM_STATUS_COORDINATING, "", "", &w).ok());
  EXPECT_EQ(w.status(), iv1::WORK_ITEM_STATUS_COORDINATING);
  grpc::Status s = Move(admin(), w.name(), iv1::WORK_ITEM_STATUS_OPEN);
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "to_status")) << s.error_message();
  EXPECT_TRUE(IsInvalidField(Move(admin(), w.name(), iv1::WORK_ITEM_STATUS_RESOLVED), "note"));
  ASSERT_TRUE(
      Move(admin(), w.name(), iv1::WORK_ITEM_STATUS_RESOLVED, "已接入", "2026-06-10", &w).ok());
  EXPECT_EQ(w.status(), iv1::WORK_ITEM_STATUS_RESOLVED);
  EXPECT_EQ(w.status_note(), "已接入");
  EXPECT_EQ(w.resolved_date(), "2026-06-10");
  for (auto to : {iv1::WORK_ITEM_STATUS_COORDINATING, iv1::WORK_ITEM_STATUS_ESCALATED,
                  iv1::WORK_ITEM_STATUS_OPEN}) {
    EXPECT_TRUE(HasCode(Move(admin(), w.name(), to, "再议"), StatusCode::FAILED_PRECONDITION))
        << iv1::WorkItemStatus_Name(to);
  }

  // Escalation: from open (with a note), back to coordinating, then resolved.
  iv1::WorkItem e = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/pv", "环评审批卡点", "2026-07-01"));
  EXPECT_TRUE(IsInvalidField(Move(admin(), e.name(), iv1::WORK_ITEM_STATUS_ESCALATED), "note"));
  ASSERT_TRUE(Move(admin(), e.name(), iv1::WORK_ITEM_STATUS_ESCALATED, "提请链长协调").ok());
  ASSERT_TRUE(Move(admin(), e.name(), iv1::WORK_ITEM_STATUS_COORDINATING).ok());
  ASSERT_TRUE(Move(admin(), e.name(), iv1::WORK_ITEM_STATUS_RESOLVED, "已批复", "", &e).ok());
  EXPECT_EQ(e.resolved_date(), "2026-06-15");

  // Each move is an event of the item's kind.
  std::vector<StreamEvent> events = WaitForStream(fx().redis_client(), [&](const auto& all) {
    return StreamHasSubject(all, "issue.resolved", e.name());
  });
  for (const char* type :
       {"issue.opened", "issue.escalated", "issue.coordinating", "issue.resolved"}) {
    EXPECT_TRUE(StreamHasSubject(events, type, e.name())) << type;
  }
}

TEST_F(IntakeWorkItems, UpdateWritesTheMaskedFieldsAndRefusesAStaleEtag) {
  iv1::WorkItem w = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_TASK, "chains/pv", "编制招商图谱", "2026-07-01"));
  iv1::UpdateWorkItemRequest req;
  *req.mutable_work_item() = w;
  req.mutable_work_item()->set_title("编制光伏招商图谱");
  req.mutable_work_item()->set_deadline("2026-08-01");
  req.mutable_update_mask()->add_paths("deadline");
  iv1::WorkItem updated;
  ASSERT_TRUE(admin()(&IntakeStub::UpdateWorkItem, req, &updated).ok());
  EXPECT_EQ(updated.deadline(), "2026-08-01");
  EXPECT_EQ(updated.title(), "编制招商图谱");
  EXPECT_TRUE(HasCode(admin().Status(&IntakeStub::UpdateWorkItem, req), StatusCode::ABORTED));
  req.mutable_work_item()->set_etag(updated.etag());
  req.mutable_update_mask()->set_paths(0, "subject");  // fixed after create
  EXPECT_TRUE(
      HasCode(admin().Status(&IntakeStub::UpdateWorkItem, req), StatusCode::INVALID_ARGUMENT));
}

TEST_F(IntakeWorkItems, FlagsAndListsOverdueItems) {
  const std::string owner = "departments/zrzyj";  // 自然资源和规划局: only this test's items
  iv1::WorkItem past = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/pv", "逾期问题", "2026-06-01", owner));
  iv1::WorkItem future = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_TASK, "chains/pv", "未到期任务", "2026-06-30", owner));
  iv1::WorkItem done = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/pv", "已解决问题", "2026-05-01", owner));
  ASSERT_TRUE(Move(admin(), done.name(), iv1::WORK_ITEM_STATUS_RESOLVED, "已办结").ok());
  EXPECT_TRUE(past.overdue());
  EXPECT_FALSE(future.overdue());
  iv1::GetWorkItemRequest get;
  get.set_name(done.name());
  iv1::WorkItem got;
  ASSERT_TRUE(viewer()(&IntakeStub::GetWorkItem, get, &got).ok());
  EXPECT_FALSE(got.overdue());

  const std::string mine = absl::StrCat("owner_department = \"", owner, "\"");
  EXPECT_EQ(Titles(mine, ""), (std::vector<std::string>{"已解决问题", "逾期问题", "未到期任务"}));
  EXPECT_EQ(Titles(mine, "", "deadline desc"),
            (std::vector<std::string>{"未到期任务", "逾期问题", "已解决问题"}));
  EXPECT_EQ(Titles(mine, "2026-06-15"), (std::vector<std::string>{"逾期问题"}));
  EXPECT_EQ(Titles(mine, "2026-07-01"), (std::vector<std::string>{"逾期问题", "未到期任务"}));
  EXPECT_EQ(Titles(mine + " AND kind = \"TASK\"", "2026-07-01"),
            (std::vector<std::string>{"未到期任务"}));
  EXPECT_EQ(Titles(mine + " AND status = \"RESOLVED\"", ""),
            (std::vector<std::string>{"已解决问题"}));
  EXPECT_EQ(Titles(mine + " AND deadline < \"2026-06-02\"", ""),
            (std::vector<std::string>{"已解决问题", "逾期问题"}));

  iv1::ListWorkItemsRequest bad;
  bad.set_overdue_on("2026-6-1");
  EXPECT_TRUE(IsInvalidField(viewer().Status(&IntakeStub::ListWorkItems, bad), "overdue_on"));
  // Listed items carry the flag too.
  iv1::ListWorkItemsRequest req;
  req.set_filter(mine);
  iv1::ListWorkItemsResponse resp;
  ASSERT_TRUE(viewer()(&IntakeStub::ListWorkItems, req, &resp).ok());
  std::set<std::string> flagged;
  for (const auto& w : resp.work_items()) {
    if (w.overdue()) flagged.insert(w.title());
  }
  EXPECT_EQ(flagged, (std::set<std::string>{"逾期问题"}));
}

TEST_F(IntakeWorkItems, RemindsEachOverdueItemOnceADayUntilItIsResolved) {
  const std::string owner = "departments/remind-test";
  iv1::WorkItem issue = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/pv", "逾期未办问题", "2026-06-01", owner));
  iv1::WorkItem task = Create(admin(), MakeItem(iv1::WORK_ITEM_KIND_TASK, "chains/nev-battery",
                                                "逾期任务", "2026-06-10", owner));
  iv1::WorkItem future = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_TASK, "chains/pv", "未到期任务", "2026-06-20", owner));
  iv1::WorkItem done = Create(
      admin(), MakeItem(iv1::WORK_ITEM_KIND_ISSUE, "chains/pv", "已办结问题", "2026-06-01", owner));
  ASSERT_TRUE(Move(admin(), done.name(), iv1::WORK_ITEM_STATUS_RESOLVED, "已办结").ok());
  auto remind = [](const IntakeCaller& as, const std::string& chain, bool dry_run,
                   const std::string& date = "") {
    iv1::RemindOverdueWorkItemsRequest req;
    req.set_chain(chain);
    req.set_dry_run(dry_run);
    req.set_date(date);
    iv1::RemindOverdueWorkItemsResponse resp;
    grpc::Status s = as(&IntakeStub::RemindOverdueWorkItems, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return std::set<std::string>(resp.work_items().begin(), resp.work_items().end());
  };
  const std::set<std::string> both{issue.name(), task.name()};
  auto mine = [&](const std::set<std::string>& names) {
    std::set<std::string> out;
    for (const auto& n : names) {
      if (n == issue.name() || n == task.name() || n == future.name() || n == done.name()) {
        out.insert(n);
      }
    }
    return out;
  };

  // A dry run lists and publishes nothing; a reader may run it.
  EXPECT_EQ(mine(remind(viewer(), "", true)), both);
  // A chain's office reminds its own chain's items.
  EXPECT_EQ(mine(remind(As(IntakeFixture::office_token({"pv"})), "chains/pv", false)),
            std::set<std::string>{issue.name()});
  EXPECT_EQ(mine(remind(admin(), "", false)), std::set<std::string>{task.name()});
  // The same day again: nothing more.
  EXPECT_TRUE(mine(remind(admin(), "", false)).empty());
  EXPECT_TRUE(mine(remind(viewer(), "", true)).empty());

  std::vector<StreamEvent> events = WaitForStream(fx().redis_client(), [&](const auto& all) {
    return StreamHasSubject(all, "task.overdue", task.name());
  });
  EXPECT_TRUE(StreamHasSubject(events, "issue.overdue", issue.name()));
  EXPECT_TRUE(StreamHasSubject(events, "task.overdue", task.name()));
  EXPECT_FALSE(StreamHasSubject(events, "task.overdue", future.name()));
  EXPECT_FALSE(StreamHasSubject(events, "issue.overdue", done.name()));
  int reminders = 0;
  for (const auto& e : events) reminders += e.subject == issue.name() && e.type == "issue.overdue";
  EXPECT_EQ(reminders, 1);

  // The next day both are reminded again, until resolved.
  fx().clock().SetToday("2026-06-16");
  ASSERT_TRUE(Move(admin(), task.name(), iv1::WORK_ITEM_STATUS_RESOLVED, "已完成").ok());
  EXPECT_EQ(mine(remind(admin(), "", false)), std::set<std::string>{issue.name()});

  // Refusals: who may, and which dates.
  iv1::RemindOverdueWorkItemsRequest req;
  EXPECT_EQ(viewer().Status(&IntakeStub::RemindOverdueWorkItems, req).error_code(),
            StatusCode::PERMISSION_DENIED);
  req.set_chain("chains/nev-battery");
  EXPECT_EQ(As(IntakeFixture::office_token({"pv"}))
                .Status(&IntakeStub::RemindOverdueWorkItems, req)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  req.set_chain("");
  req.set_date("2026-06-17");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::RemindOverdueWorkItems, req), "date"));
  req.set_date("2026/06/15");
  EXPECT_TRUE(IsInvalidField(admin().Status(&IntakeStub::RemindOverdueWorkItems, req), "date"));
  fx().clock().SetToday("2026-06-15");
}

}  // namespace
}  // namespace chainhub::testing
