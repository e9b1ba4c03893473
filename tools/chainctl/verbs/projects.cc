// projects import, list, get, advance, history, report: the project library (产业项目库), its
// stage moves and its monthly progress (月度报进展).
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/intake/stages.h"
#include "tools/chainctl/arguments.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/intake_client.h"
#include "tools/chainctl/progress_import.h"
#include "tools/chainctl/project_csv.h"
#include "tools/chainctl/project_import.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

// "projects/… CZXM-PV-0003 某某项目".
std::string ProjectTitle(const iv1::Project& p) {
  return absl::StrCat(p.name(), p.external_id().empty() ? "" : " " + p.external_id(), " ",
                      p.display_name());
}

int Import(const Call& call) {
  ProjectImportOptions options;
  options.validate_only = call.cmd.validate_only;
  options.source = call.cmd.source;
  return ImportProjects(*call.intake, call.operands[0], options, call.out, call.err);
}

int List(const Call& call) {
  IntakeClient& c = *call.intake;
  return ListAndShow(
      call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::ListProjects,
      ListRequest<iv1::ListProjectsRequest>(call.cmd), [&](const iv1::ListProjectsResponse& resp) {
        PrintProjectsTable(resp, call.out);
        call.err << resp.projects_size() << " of " << resp.total_size() << " projects\n";
        PrintNextPage(resp.next_page_token(), call.err);
      });
}

int Get(const Call& call) {
  absl::StatusOr<iv1::Project> project = ResolveProject(*call.intake, call.operands[0]);
  if (!project.ok()) return ReportResolveError(project.status(), *call.intake, call.err);
  return Show(call, grpc::Status::OK, *project,
              [&] { PrintProject(*project, LoadDepartmentNames(call.cmd), call.out); });
}

int Advance(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.to.empty()) return call.UsageError();
  std::optional<iv1::Stage> to = ParseStage(cmd.to);
  if (!to) {
    return Usage(call.err, absl::StrCat("--to: unknown stage \"", cmd.to,
                                        "\" (NEGOTIATING, SIGNED, REGISTERED, STARTED, "
                                        "IN_PRODUCTION, FULL_OUTPUT, STALLED, CANCELLED or 在谈 … "
                                        "达产, 停滞, 终止)"));
  }
  IntakeClient& c = *call.intake;
  absl::StatusOr<iv1::Project> project = ResolveProject(c, call.operands[0]);
  if (!project.ok()) return ReportResolveError(project.status(), c, call.err);
  iv1::TransitionStageRequest req;
  req.set_name(project->name());
  req.set_to_stage(*to);
  req.set_effective_date(cmd.date);
  req.set_reason(cmd.reason);
  return CallAndShow(
      call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::TransitionStage, req,
      [&](const iv1::Project& moved) {
        const std::string& date = intake::StageDate(moved.stage_dates(), moved.stage());
        call.out << ProjectTitle(moved) << ": " << StageText(project->stage()) << " → "
                 << StageText(moved.stage())
                 << (date.empty() ? (cmd.date.empty() ? "" : " on " + cmd.date) : " on " + date)
                 << "\n";
      });
}

int History(const Call& call) {
  IntakeClient& c = *call.intake;
  absl::StatusOr<iv1::Project> project = ResolveProject(c, call.operands[0]);
  if (!project.ok()) return ReportResolveError(project.status(), c, call.err);
  iv1::ListStageChangesRequest changes_req;
  changes_req.set_parent(project->name());
  changes_req.set_page_size(1000);
  iv1::ListStageChangesResponse changes;
  grpc::Status status =
      FetchPages(c.connection(), c.stub(), &iv1::ProjectIntake::Stub::ListStageChanges, changes_req,
                 /*all=*/true, &changes);
  if (!status.ok()) return call.RpcError(status);
  iv1::ListProgressReportsRequest reports_req;
  reports_req.set_parent(project->name());
  reports_req.set_page_size(1000);
  iv1::ListProgressReportsResponse reports;
  status = FetchPages(c.connection(), c.stub(), &iv1::ProjectIntake::Stub::ListProgressReports,
                      reports_req, /*all=*/true, &reports);
  if (!status.ok()) return call.RpcError(status);
  if (call.cmd.json()) {
    call.out << "{\n\"project\": " << ToJson(*project) << ",\n\"stageChanges\": " << ToJson(changes)
             << ",\n\"progressReports\": " << ToJson(reports) << "}\n";
    return kExitOk;
  }
  call.out << ProjectTitle(*project) << "\n\n阶段变更 stage changes\n";
  PrintStageChanges(changes, call.out);
  call.out << "\n月度进展 progress reports\n";
  PrintProgressReports(reports, call.out);
  return kExitOk;
}

int Report(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (!cmd.file.empty()) {
    if (!call.operands.empty()) {
      return Usage(call.err, "usage: chainctl projects report --file=FILE.csv");
    }
    return ReportProgressFile(*call.intake, cmd.file, call.out, call.err);
  }
  if (call.operands.size() != 1 || cmd.month.empty() || cmd.completed.empty() ||
      cmd.funds.empty()) {
    return call.UsageError();
  }
  absl::StatusOr<int64_t> completed = ParseYuanAmount("--completed", cmd.completed);
  if (!completed.ok()) return Usage(call.err, completed.status().message());
  absl::StatusOr<int64_t> funds = ParseYuanAmount("--funds", cmd.funds);
  if (!funds.ok()) return Usage(call.err, funds.status().message());
  IntakeClient& c = *call.intake;
  absl::StatusOr<iv1::Project> project = ResolveProject(c, call.operands[0]);
  if (!project.ok()) return ReportResolveError(project.status(), c, call.err);
  iv1::ReportProgressRequest req;
  req.set_parent(project->name());
  iv1::ProgressReport& report = *req.mutable_report();
  report.set_month(cmd.month);
  report.set_cumulative_completed_yuan(*completed);
  report.set_cumulative_funds_arrived_yuan(*funds);
  report.set_note(cmd.note);
  report.set_allow_over_total(cmd.allow_over_total);
  return CallAndShow(call, c.connection(), c.stub(), &iv1::ProjectIntake::Stub::ReportProgress, req,
                     [&](const iv1::ProgressReport& stored) {
                       call.out << ProjectTitle(*project) << " " << stored.month()
                                << ": 累计完成投资 "
                                << FormatYuan(stored.cumulative_completed_yuan())
                                << ", 累计到位资金 "
                                << FormatYuan(stored.cumulative_funds_arrived_yuan())
                                << " (revision " << stored.revision() << ")\n";
                     });
}

}  // namespace

void AddProjectsVerbs(VerbTable& table) {
  table.Add({.noun = "projects",
             .verb = "import",
             .synopsis = "FILE.csv [--validate_only] [--source=NAME]",
             .help = "CSV → ImportProjects, upserted by external_id; columns\n"
                     "as data/projects.csv (see README.md); amounts may be\n"
                     "12.5亿 or 800万, enums 省外 / 招商引资 / 开工; at most\n"
                     "10,000 rows per call (bigger files take several);\n"
                     "exit 3 when a row failed",
             .usage = "usage: chainctl projects import FILE.csv [--validate_only] [--source=…]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = Import});
  table.Add({.noun = "projects",
             .verb = "list",
             .synopsis = "[--filter=…] [--order_by=…] [--page_size=N] [--all]",
             .help = "e.g. --filter='chain = \"pv\" AND light = \"RED\"'",
             .usage = "projects list takes no arguments",
             .needs = Needs::kIntake,
             .run = List});
  table.Add({.noun = "projects",
             .verb = "get",
             .synopsis = "NAME",
             .help = "NAME: projects/{id} or the project's external_id",
             .usage = "usage: chainctl projects get NAME",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = Get});
  table.Add({.noun = "projects",
             .verb = "advance",
             .synopsis = "NAME --to=STAGE [--date=YYYY-MM-DD] [--reason=…]",
             .help = "STAGE: SIGNED … FULL_OUTPUT, STALLED, CANCELLED (or\n"
                     "签约 … 达产, 停滞, 终止); a reason for STALLED/CANCELLED",
             .usage = "usage: chainctl projects advance NAME --to=STAGE [--date=YYYY-MM-DD] "
                      "[--reason=…]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = Advance});
  table.Add({.noun = "projects",
             .verb = "history",
             .synopsis = "NAME",
             .help = "stage changes and monthly progress reports",
             .usage = "usage: chainctl projects history NAME",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kIntake,
             .run = History});
  table.Add({.noun = "projects",
             .verb = "report",
             .synopsis = "NAME --month=YYYY-MM --completed=YUAN --funds=YUAN [--note=…]\n"
                         "[--allow_over_total]",
             .help = "one month's cumulative figures (月度报进展)",
             .more_forms = {{.synopsis = "--file=progress.csv",
                             .help = "columns external_id, month,\n"
                                     "cumulative_completed_yuan,\n"
                                     "cumulative_funds_arrived_yuan, note; exit 3 when a\n"
                                     "row failed"}},
             .usage = "usage: chainctl projects report NAME --month=YYYY-MM --completed=YUAN "
                      "--funds=YUAN [--note=…] [--allow_over_total], or --file=progress.csv",
             .max_operands = kAnyOperands,
             .needs = Needs::kIntake,
             .run = Report});
}

}  // namespace chainhub::chainctl
