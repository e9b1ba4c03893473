// 规划引领: chain plans (apply, list, show, publish, report, progress), and the support service's
// figures workbook and audit trail (support export, support audit) on
// chainhub.support.v1.ChainSupport (docs/support.md).
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/chainctl/support_arguments.h"
#include "tools/chainctl/support_cli.h"
#include "tools/chainctl/support_files.h"
#include "tools/chainctl/support_render.h"
#include "tools/chainctl/text_table.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = SupportStub;

// plans apply [CHAIN] FILE: the plan of the file in its chain (the operand, else --chain). The
// chain's plan with the same kind, start year and title is updated (a new version) when the file
// changes it; without one the plan is created.
int PlansApply(const Call& call) {
  const CommandLine& cmd = call.cmd;
  const std::string& path = call.operands.back();
  const std::string chain = call.operands.size() == 2 ? call.operands[0] : cmd.chain;
  if (Missing(call, "chain", chain, "the plan's chain, e.g. pv")) return kExitUsage;
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<spv1::ChainPlan> wanted = ParsePlanFile(*text);
  if (!wanted.ok()) return BadFile(call, path, wanted.status());
  if (cmd.validate_only) {
    call.out << path << ": " << PlanKindText(wanted->kind()) << " " << wanted->title() << ", "
             << wanted->targets_size() << " targets, " << wanted->tasks_size()
             << " tasks, valid; nothing applied\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::ListChainPlansRequest list;
  list.set_parent(ChainArg(chain));
  spv1::ListChainPlansResponse live;
  grpc::Status s = FetchAll(c, &Stub::ListChainPlans, list, &live);
  if (!s.ok()) return call.RpcError(s);
  const spv1::ChainPlan* stored = nullptr;
  for (const auto& p : live.plans()) {
    if (PlanKey(p) == PlanKey(*wanted)) stored = &p;
  }
  spv1::ChainPlan saved;
  if (stored == nullptr) {
    spv1::CreateChainPlanRequest req;
    req.set_parent(list.parent());
    *req.mutable_plan() = *wanted;
    req.set_request_id(ContentRequestId("plan", req));
    s = CallUnary(c.connection(), c.stub(), &Stub::CreateChainPlan, req, &saved);
    if (!s.ok()) return call.RpcError(s);
    if (cmd.json()) {
      call.out << ToJson(saved);
    } else {
      call.out << "created   " << saved.name() << " v" << saved.version() << "\n";
    }
    return kExitOk;
  }
  const std::vector<std::string> changes = PlanChanges(*wanted, *stored);
  if (changes.empty()) {
    if (cmd.json()) {
      call.out << ToJson(*stored);
    } else {
      call.out << "unchanged " << stored->name() << " v" << stored->version() << "\n";
    }
    return kExitOk;
  }
  spv1::UpdateChainPlanRequest req;
  *req.mutable_plan() = *wanted;
  req.mutable_plan()->set_name(stored->name());
  req.mutable_plan()->set_etag(stored->etag());
  for (const std::string& p : changes) req.mutable_update_mask()->add_paths(p);
  s = CallUnary(c.connection(), c.stub(), &Stub::UpdateChainPlan, req, &saved);
  if (!s.ok()) return call.RpcError(s);
  if (cmd.json()) {
    call.out << ToJson(saved);
  } else {
    call.out << "updated   " << saved.name() << " v" << stored->version() << " → v"
             << saved.version() << " (" << absl::StrJoin(changes, ", ") << ")\n";
  }
  return kExitOk;
}

int PlansList(const Call& call) {
  spv1::ListChainPlansRequest req = ListRequest<spv1::ListChainPlansRequest>(call.cmd);
  req.set_parent(call.cmd.chain.empty() ? "chains/-" : ChainArg(call.cmd.chain));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListChainPlans, req, PrintPlansTable);
}

int PlansShow(const Call& call) {
  absl::StatusOr<std::pair<std::string, int>> plan = PlanArg("PLAN", call.operands[0]);
  if (!plan.ok()) return BadArgument(call, plan.status());
  spv1::GetChainPlanRequest req;
  req.set_name(plan->first);
  req.set_version(plan->second);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetChainPlan, req,
                     [&](const spv1::ChainPlan& p) { PrintPlan(p, call.out); });
}

// A verb on a plan's latest version: a version given (PLAN@N) is refused.
std::optional<std::string> LatestPlan(const Call& call) {
  absl::StatusOr<std::pair<std::string, int>> plan = PlanArg("PLAN", call.operands[0]);
  if (!plan.ok()) {
    BadArgument(call, plan.status());
    return std::nullopt;
  }
  if (plan->second != 0) {
    Usage(call.err, "PLAN: this works on the latest version; give the plan without @N");
    return std::nullopt;
  }
  return plan->first;
}

int PlansPublish(const Call& call) {
  std::optional<std::string> name = LatestPlan(call);
  if (!name) return kExitUsage;
  spv1::PublishChainPlanRequest req;
  req.set_name(*name);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::PublishChainPlan, req,
                     [&](const spv1::ChainPlan& p) { PrintPlan(p, call.out); });
}

int PlansReport(const Call& call) {
  const CommandLine& cmd = call.cmd;
  std::optional<std::string> name = LatestPlan(call);
  if (!name) return kExitUsage;
  if (Missing(call, "period", cmd.period, "2026-05, 2026-Q2 or 2026")) return kExitUsage;
  if (cmd.actuals.empty() && cmd.tasks.empty()) {
    return Usage(call.err,
                 "give at least one --actual=indicators/KEY=VALUE or "
                 "--task=NUMBER:PERCENT[:done]");
  }
  spv1::ReportPlanProgressRequest req;
  req.set_name(*name);
  req.set_period(cmd.period);
  for (const std::string& a : cmd.actuals) {
    absl::StatusOr<std::pair<std::string, double>> actual = ParseActual("--actual", a);
    if (!actual.ok()) return BadArgument(call, actual.status());
    if (!req.mutable_actuals()->insert({actual->first, actual->second}).second) {
      return Usage(call.err, absl::StrCat("--actual: ", actual->first, " is given twice"));
    }
  }
  for (const std::string& t : cmd.tasks) {
    absl::StatusOr<spv1::TaskReport> task = ParseTaskReport("--task", t);
    if (!task.ok()) return BadArgument(call, task.status());
    task->set_note(cmd.note);
    *req.add_tasks() = *task;
  }
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::ReportPlanProgress, req,
                     [&](const spv1::PlanProgress& p) { PrintPlanProgress(p, call.out); });
}

int PlansProgress(const Call& call) {
  std::optional<std::string> name = LatestPlan(call);
  if (!name) return kExitUsage;
  spv1::GetPlanProgressRequest req;
  req.set_name(*name);
  req.set_as_of(call.cmd.as_of);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetPlanProgress, req,
                     [&](const spv1::PlanProgress& p) { PrintPlanProgress(p, call.out); });
}

// --- support export, audit -----------------------------------------------------------------------

int SupportExport(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "period", cmd.period, "2026, 2026-Q2 or 2026-05")) return kExitUsage;
  spv1::ExportFiguresRequest req;
  req.set_period(cmd.period);
  if (!cmd.chain.empty()) req.set_chain(ChainArg(cmd.chain));
  SupportClient& c = *call.support;
  spv1::ExportFiguresResponse resp;
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::ExportFigures, req, &resp);
  if (!s.ok()) return call.RpcError(s);
  const std::string path = cmd.out.empty() ? resp.filename() : cmd.out;
  if (path.empty()) return Usage(call.err, "--out: required (the service suggested no name)");
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(resp.xlsx().data(), static_cast<std::streamsize>(resp.xlsx().size()));
  file.close();
  if (!file) return Usage(call.err, absl::StrCat("--out: cannot write ", path));
  call.out << "wrote " << path << " (" << resp.xlsx().size() << " bytes)\n";
  return kExitOk;
}

int SupportAudit(const Call& call) {
  SupportClient& c = *call.support;
  return ListAndShow(
      call, c.connection(), c.stub(), &Stub::ListAuditEvents,
      ListRequest<common::v1::ListAuditEventsRequest>(call.cmd),
      [&](const common::v1::ListAuditEventsResponse& resp) {
        TextTable table({"time", "principal", "method", "resource", "request_id", "detail"});
        for (const auto& e : resp.audit_events()) {
          table.AddRow({FormatTimestamp(e.time()), e.principal(), ShortId(e.method()), e.resource(),
                        e.request_id().empty() ? "-" : e.request_id(),
                        e.detail().empty() ? "-" : e.detail()});
        }
        table.Print(call.out);
        PrintNextPage(resp.next_page_token(), call.err);
      });
}

}  // namespace

void AddSupportPlanVerbs(VerbTable& table) {
  table.Add({.noun = "plans",
             .verb = "apply",
             .synopsis = "FILE --chain=pv [--validate_only]",
             .help = "a chain plan from a YAML/JSON file: created, or the\n"
                     "chain's plan of the same kind, start_year and title\n"
                     "updated (a new version) when the file changes it",
             .more_forms = {{.synopsis = "CHAIN FILE [--validate_only]",
                             .help = "the same, the chain given first"}},
             .usage = "usage: chainctl plans apply FILE --chain=CHAIN [--validate_only]",
             .min_operands = 1,
             .max_operands = 2,
             .needs = Needs::kSupport,
             .run = PlansApply});
  table.Add({.noun = "plans",
             .verb = "list",
             .synopsis = "[--chain=pv] [--filter='kind = \"THREE_YEAR_ACTION\"'] [--all]",
             .help = "chain plans (every chain's without --chain)",
             .usage = "plans list takes no arguments",
             .needs = Needs::kSupport,
             .run = PlansList});
  table.Add({.noun = "plans",
             .verb = "show",
             .synopsis = "PLAN[@VERSION]",
             .help = "targets and tasks of the latest version, or of @N",
             .usage = "usage: chainctl plans show PLAN[@VERSION]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = PlansShow});
  table.Add({.noun = "plans",
             .verb = "publish",
             .synopsis = "PLAN",
             .help = "targets become assessment targets, tasks intake tasks",
             .usage = "usage: chainctl plans publish PLAN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = PlansPublish});
  table.Add({.noun = "plans",
             .verb = "report",
             .synopsis = "PLAN --period=2026-05 [--actual=indicators/KEY=VALUE]…\n"
                         "[--task=NUMBER:PERCENT[:done]]… [--note=…]",
             .help = "actual values (cumulative for the year) and task\n"
                     "progress for a period; each flag may be repeated",
             .usage = "usage: chainctl plans report PLAN --period=PERIOD "
                      "[--actual=indicators/KEY=VALUE] [--task=N:PERCENT[:done]]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = PlansReport});
  table.Add({.noun = "plans",
             .verb = "progress",
             .synopsis = "PLAN [--as_of=YYYY-MM-DD]",
             .help = "completion per target and task against 序时, warnings",
             .usage = "usage: chainctl plans progress PLAN [--as_of=YYYY-MM-DD]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = PlansProgress});
  table.Add({.noun = "support",
             .verb = "export",
             .synopsis = "--period=2026-Q2 [--chain=pv] [--out=FILE.xlsx]",
             .help = "the figures as a workbook: requests, payouts, plan\n"
                     "progress, and the local rate of --chain",
             .usage = "usage: chainctl support export --period=PERIOD [--chain=CHAIN] "
                      "[--out=FILE.xlsx]",
             .needs = Needs::kSupport,
             .run = SupportExport});
  table.Add({.noun = "support",
             .verb = "audit",
             .synopsis = "[--filter=…] [--page_size=N] [--all]",
             .help = "support's audit trail (admins only), newest first",
             .usage = "support audit takes no arguments",
             .needs = Needs::kSupport,
             .run = SupportAudit});
}

}  // namespace chainhub::chainctl
