// issues list, get, create, move, remind: the dispatch lists, 问题清单 (issues) and 任务清单 (tasks).
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "tools/chainctl/arguments.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/intake_client.h"
#include "tools/chainctl/verbs/verbs.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

// Best effort: "CZXM-PV-0003 远迈光伏…项目" for the projects items are about, so that a table says
// which project without a second command; subjects that cannot be read stay as names.
std::map<std::string, std::string> SubjectTitles(IntakeClient& c,
                                                 const iv1::ListWorkItemsResponse& items) {
  std::map<std::string, std::string> titles;
  for (const auto& item : items.work_items()) {
    const std::string& subject = item.subject();
    if (!tools::InCollection(subject, tools::ProjectName::kPattern) || titles.contains(subject)) {
      continue;
    }
    iv1::GetProjectRequest req;
    req.set_name(subject);
    iv1::Project p;
    if (!c.Call(&iv1::ProjectIntake::Stub::GetProject, req, &p).ok()) continue;
    titles[subject] =
        absl::StrCat(p.external_id().empty() ? "" : p.external_id() + " ", p.display_name());
  }
  return titles;
}

int List(const Call& call) {
  const CommandLine& cmd = call.cmd;
  IntakeClient& c = *call.intake;
  auto req = ListRequest<iv1::ListWorkItemsRequest>(cmd);
  if (cmd.overdue) {
    req.set_overdue_on(cmd.overdue_on.empty() ? ChinaDate(cmd.clock->Now()) : cmd.overdue_on);
  }
  return ListAndShow(
      call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::ListWorkItems, req,
      [&](const iv1::ListWorkItemsResponse& resp) {
        if (resp.work_items_size() == 0) {
          call.out << (cmd.overdue ? "(no overdue items on " + req.overdue_on() + ")"
                                   : "(no items)")
                   << "\n";
        } else {
          if (cmd.overdue) call.out << "逾期 overdue on " << req.overdue_on() << "\n";
          PrintWorkItemsTable(resp, LoadDepartmentNames(cmd), SubjectTitles(c, resp), call.out);
        }
        call.err << resp.work_items_size() << " of " << resp.total_size() << " items\n";
        PrintNextPage(resp.next_page_token(), call.err);
      });
}

int Get(const Call& call) {
  IntakeClient& c = *call.intake;
  iv1::GetWorkItemRequest req;
  req.set_name(call.operands[0]);
  return CallAndShow(call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::GetWorkItem, req,
                     [&](const iv1::WorkItem& item) {
                       PrintWorkItem(item, LoadDepartmentNames(call.cmd), call.out);
                     });
}

int Create(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.subject.empty() || cmd.title.empty() || cmd.owner.empty() || cmd.deadline.empty()) {
    return call.UsageError();
  }
  iv1::WorkItem item;
  std::optional<iv1::WorkItemKind> kind = ParseWorkItemKind(cmd.kind.empty() ? "issue" : cmd.kind);
  if (!kind) {
    return Usage(call.err, absl::StrCat("--kind must be issue or task, got \"", cmd.kind, "\""));
  }
  item.set_kind(*kind);
  IntakeClient& c = *call.intake;
  std::string subject = cmd.subject;
  if (!tools::InCollection(subject, tools::ProjectName::kPattern) &&
      !tools::InCollection(subject, ChainName::kPattern)) {
    absl::StatusOr<iv1::Project> project = ResolveProject(c, subject);
    if (!project.ok()) {
      const int code = ReportResolveError(project.status(), c, call.err);
      call.err << "hint: --subject is projects/{id}, a project's external_id or chains/{chain}\n";
      return code;
    }
    subject = project->name();
  }
  item.set_subject(subject);
  item.set_title(cmd.title);
  item.set_description(cmd.description);
  item.set_owner_department(tools::NameOf(DepartmentName::kPattern, cmd.owner));
  item.set_deadline(cmd.deadline);
  iv1::CreateWorkItemRequest req;
  *req.mutable_work_item() = item;
  // The same item created twice is a retry (e.g. a re-run script): it replays the first result.
  req.set_request_id(absl::StrCat("workitem:", Sha256Hex(item.SerializeAsString()).substr(0, 24)));
  return CallAndShow(call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::CreateWorkItem, req,
                     [&](const iv1::WorkItem& created) {
                       call.out << "created " << created.name() << " ("
                                << WorkItemKindName(created.kind()) << "): " << created.title()
                                << " — " << created.owner_department() << ", deadline "
                                << created.deadline()
                                << (created.overdue() ? " (逾期 overdue)" : "") << "\n";
                     });
}

int Move(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.to.empty()) return call.UsageError();
  std::optional<iv1::WorkItemStatus> to = ParseWorkItemStatus(cmd.to);
  if (!to) {
    return Usage(call.err, absl::StrCat("--to: unknown status \"", cmd.to,
                                        "\" (OPEN, COORDINATING, ESCALATED, RESOLVED or 待处理, "
                                        "协调中, 提级协调, 已解决)"));
  }
  IntakeClient& c = *call.intake;
  iv1::GetWorkItemRequest get;
  get.set_name(call.operands[0]);
  iv1::WorkItem before;
  if (grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::GetWorkItem, get, &before);
      !status.ok()) {
    return call.RpcError(status);
  }
  iv1::TransitionWorkItemRequest req;
  req.set_name(call.operands[0]);
  req.set_to_status(*to);
  req.set_note(cmd.note);
  req.set_effective_date(cmd.date);
  return CallAndShow(call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::TransitionWorkItem,
                     req, [&](const iv1::WorkItem& moved) {
                       call.out << moved.name() << " " << moved.title() << ": "
                                << WorkItemStatusName(before.status()) << " → "
                                << WorkItemStatusName(moved.status()) << "\n";
                     });
}

int Remind(const Call& call) {
  const CommandLine& cmd = call.cmd;
  IntakeClient& c = *call.intake;
  iv1::RemindOverdueWorkItemsRequest req;
  req.set_date(cmd.date);
  if (!cmd.chain.empty()) req.set_chain(tools::NameOf(ChainName::kPattern, cmd.chain));
  req.set_dry_run(cmd.dry_run);
  return CallAndShow(call, c.connection(), c.stub(),
                     &iv1::ProjectIntake::Stub::RemindOverdueWorkItems, req,
                     [&](const iv1::RemindOverdueWorkItemsResponse& resp) {
                       call.out << (cmd.dry_run ? "would remind " : "reminded ")
                                << resp.reminded_count() << " overdue item(s) on " << resp.date()
                                << (cmd.dry_run ? " (dry run: nothing published)" : "") << "\n";
                       for (const auto& name : resp.work_items()) call.out << "  " << name << "\n";
                     });
}

}  // namespace

void AddIssuesVerbs(VerbTable& table) {
  table.Add({.noun = "issues",
             .verb = "list",
             .synopsis = "[--overdue[=YYYY-MM-DD]] [--filter=…] [--all]",
             .help = "问题清单 and 任务清单; --overdue: not resolved and past\n"
                     "the deadline on that date (today, China time)",
             .usage = "issues list takes no arguments",
             .needs = Needs::kIntake,
             .run = List});
  table.Add({.noun = "issues",
             .verb = "get",
             .synopsis = "NAME",
             .help = "NAME: issues/{id} or tasks/{id}",
             .usage = "usage: chainctl issues get issues/{id}|tasks/{id}",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = Get});
  table.Add({.noun = "issues",
             .verb = "create",
             .synopsis = "--subject=SUBJECT --title=… --owner=DEPT --deadline=YYYY-MM-DD\n"
                         "[--kind=issue|task] [--description=…]",
             .help = "SUBJECT: projects/{id}, an external_id or chains/{chain}",
             .usage = "usage: chainctl issues create --subject=SUBJECT --title=… --owner=DEPT "
                      "--deadline=YYYY-MM-DD [--kind=issue|task] [--description=…]",
             .needs = Needs::kIntake,
             .run = Create});
  table.Add({.noun = "issues",
             .verb = "move",
             .synopsis = "NAME --to=STATUS [--note=…] [--date=YYYY-MM-DD]",
             .help = "STATUS: COORDINATING, ESCALATED, RESOLVED (协调中,\n"
                     "提级协调, 已解决); a note for ESCALATED and RESOLVED",
             .usage = "usage: chainctl issues move NAME --to=STATUS [--note=…] [--date=…]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = Move});
  table.Add({.noun = "issues",
             .verb = "remind",
             .synopsis = "[--date=YYYY-MM-DD] [--chain=CHAIN] [--dry_run]",
             .help = "催办: publish issue.overdue / task.overdue for every item\n"
                     "overdue on that date (today) not reminded that day yet",
             .usage = "usage: chainctl issues remind [--date=YYYY-MM-DD] [--chain=CHAIN] "
                      "[--dry_run]",
             .needs = Needs::kIntake,
             .run = Remind});
}

}  // namespace chainhub::chainctl
