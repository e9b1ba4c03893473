// runs create, list, show, explain, replay, export: assessment runs (考核结果), their rankings, the
// facts behind a score, the check that a run reproduces, and the files it is passed around as.
#include <fstream>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/chainctl/assessment_arguments.h"
#include "tools/chainctl/assessment_client.h"
#include "tools/chainctl/assessment_render.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/verbs/assessment_list.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = AssessmentClient::Stub;

// Best effort: the display name of the scheme version a run used, to title its ranking; empty
// when it cannot be read.
std::string SchemeTitle(AssessmentClient& c, const av1::Run& run) {
  av1::GetSchemeRequest req;
  req.set_name(absl::StrCat(run.scheme(), "/versions/", run.scheme_version()));
  av1::Scheme scheme;
  if (!c.Call(&Stub::GetScheme, req, &scheme).ok()) return "";
  return scheme.display_name();
}

int RunsCreate(const Call& call) {
  absl::StatusOr<std::string> scheme = SchemeArg("SCHEME", call.operands[0]);
  if (!scheme.ok()) return Usage(call.err, scheme.status().message());
  av1::CreateRunRequest req;
  req.set_scheme(*scheme);
  req.set_period(call.operands[1]);
  req.set_as_of_date(call.cmd.as_of);
  req.set_kind(call.cmd.provisional ? av1::RUN_KIND_PROVISIONAL : av1::RUN_KIND_FINAL);
  AssessmentClient& c = *call.assessment;
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::CreateRun, req,
      [&](const av1::Run& run) { PrintRanking(run, SchemeTitle(c, run), call.out); });
}

int RunsList(const Call& call) {
  const CommandLine& cmd = call.cmd;
  av1::ListRunsRequest req;
  req.set_summary_only(true);
  req.set_period(cmd.period);
  if (!cmd.scheme.empty()) {
    absl::StatusOr<std::string> scheme = LatestSchemeArg("--scheme", cmd.scheme);
    if (!scheme.ok()) return Usage(call.err, scheme.status().message());
    req.set_scheme(*scheme);
  }
  if (!cmd.kind.empty()) {
    std::optional<av1::RunKind> kind = ParseRunKind(cmd.kind);
    if (!kind) {
      return Usage(call.err,
                   absl::StrCat("--kind: must be final or provisional (正式, 暂定), got \"",
                                cmd.kind, "\""));
    }
    req.set_kind(*kind);
  }
  if (!cmd.trigger.empty()) {
    std::optional<av1::RunTrigger> trigger = ParseRunTrigger(cmd.trigger);
    if (!trigger) {
      return Usage(call.err, absl::StrCat("--trigger: must be manual, scheduled or event, got \"",
                                          cmd.trigger, "\""));
    }
    req.set_trigger(*trigger);
  }
  return ShowAssessmentList(call, &Stub::ListRuns, std::move(req), PrintRunsTable);
}

int RunsShow(const Call& call) {
  AssessmentClient& c = *call.assessment;
  av1::GetRunRequest req;
  req.set_name(RunArg(call.operands[0]));
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetRun, req, [&](const av1::Run& run) {
    PrintRanking(run, SchemeTitle(c, run), call.out);
  });
}

int RunsExplain(const Call& call) {
  AssessmentClient& c = *call.assessment;
  av1::ExplainScoreRequest req;
  req.set_run(RunArg(call.operands[0]));
  req.set_subject(SubjectArg(call.operands[1]));
  req.set_item(call.operands[2]);
  req.set_page_size(call.cmd.list_page_size());
  req.set_page_token(call.cmd.page_token);
  return ListAndShow(call, c.connection(), c.stub(), &Stub::ExplainScore, req,
                     [&](const av1::ExplainScoreResponse& resp) {
                       PrintExplanation(resp, req.subject(), call.out);
                       PrintNextPage(resp.next_page_token(), call.err);
                     });
}

int RunsReplay(const Call& call) {
  AssessmentClient& c = *call.assessment;
  av1::ReplayRunRequest req;
  req.set_name(RunArg(call.operands[0]));
  av1::ReplayRunResponse resp;
  grpc::Status status = c.Call(&Stub::ReplayRun, req, &resp);
  const int code = Show(call, status, resp, [&] { PrintReplay(resp, call.out); });
  if (code != kExitOk) return code;
  return resp.matches() ? kExitOk : kExitRpcError;
}

int RunsExport(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.format.empty()) return call.UsageError();
  std::optional<av1::ExportFormat> format = ParseExportFormat(cmd.format);
  if (!format) {
    return Usage(call.err,
                 absl::StrCat("--format: must be csv, xlsx or svg, got \"", cmd.format, "\""));
  }
  AssessmentClient& c = *call.assessment;
  av1::ExportRunRequest req;
  req.set_name(RunArg(call.operands[0]));
  req.set_format(*format);
  av1::ExportRunResponse resp;
  grpc::Status status = c.Call(&Stub::ExportRun, req, &resp);
  if (!status.ok()) return call.RpcError(status);
  const std::string path = cmd.out.empty() ? resp.filename() : cmd.out;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(resp.content().data(), static_cast<std::streamsize>(resp.content().size()));
  file.close();
  if (!file) return Usage(call.err, absl::StrCat("--out: cannot write ", path));
  call.out << "wrote " << path << " (" << resp.content().size() << " bytes, " << resp.content_type()
           << ")\n";
  return kExitOk;
}

}  // namespace

void AddRunsVerbs(VerbTable& table) {
  table.Add({.noun = "runs",
             .verb = "create",
             .synopsis = "SCHEME[@VERSION] PERIOD [--as_of=YYYY-MM-DD]\n[--provisional]",
             .help = "scores every subject; prints the ranking (a final\n"
                     "run unless --provisional; as of today by default)",
             .usage = "usage: chainctl runs create SCHEME[@VERSION] PERIOD [--as_of=YYYY-MM-DD] "
                      "[--provisional]",
             .min_operands = 2,
             .max_operands = 2,
             .needs = Needs::kAssessment,
             .run = RunsCreate});
  table.Add({.noun = "runs",
             .verb = "list",
             .synopsis = "[--scheme=…] [--period=…] [--kind=final|provisional]\n"
                         "[--trigger=manual|scheduled|event] [--all]",
             .help = "newest first",
             .usage = "runs list takes no arguments",
             .needs = Needs::kAssessment,
             .run = RunsList});
  table.Add({.noun = "runs",
             .verb = "show",
             .synopsis = "RUN",
             .help = "the ranking: 名次, 名称, 总分, 等级, 名次变化 and each\n"
                     "item's points; then the run's problems",
             .usage = "usage: chainctl runs show RUN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = RunsShow});
  table.Add({.noun = "runs",
             .verb = "explain",
             .synopsis = "RUN SUBJECT ITEM [--all]",
             .help = "the item's formula and every fact that counted",
             .usage = "usage: chainctl runs explain RUN SUBJECT ITEM [--all]",
             .min_operands = 3,
             .max_operands = 3,
             .needs = Needs::kAssessment,
             .run = RunsExplain});
  table.Add({.noun = "runs",
             .verb = "replay",
             .synopsis = "RUN",
             .help = "recomputes the run; exit 2 when digest or scores\n"
                     "differ (the differences are listed)",
             .usage = "usage: chainctl runs replay RUN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = RunsReplay});
  table.Add({.noun = "runs",
             .verb = "export",
             .synopsis = "RUN --format=csv|xlsx|svg [--out=FILE]",
             .help = "writes the run to FILE (default: the suggested name,\n"
                     "e.g. chain-2026-2026-Q3-final.xlsx)",
             .usage = "usage: chainctl runs export RUN --format=csv|xlsx|svg [--out=FILE]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kAssessment,
             .run = RunsExport});
}

}  // namespace chainhub::chainctl
