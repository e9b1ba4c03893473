// sync snapshot, watch, status, pushes, pause, resume, reconcile, export:
// chainhub.sync.v1.ProvinceSync (docs/province-sync.md).
#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/sync_client.h"
#include "tools/chainctl/text_table.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

namespace sv1 = sync::v1;
namespace pv1 = province::v1;
using Stub = SyncClient::Stub;

std::optional<pv1::RecordType> ParseRecordType(absl::string_view text) {
  const std::string t = absl::AsciiStrToLower(text);
  if (t.empty()) return pv1::RECORD_TYPE_UNSPECIFIED;
  if (t == "chain" || t == "产业链") return pv1::RECORD_TYPE_CHAIN;
  if (t == "enterprise" || t == "企业") return pv1::RECORD_TYPE_ENTERPRISE;
  if (t == "project" || t == "项目") return pv1::RECORD_TYPE_PROJECT;
  if (t == "progress" || t == "月度进展") return pv1::RECORD_TYPE_PROGRESS;
  if (t == "assessment_result" || t == "考核结果") return pv1::RECORD_TYPE_ASSESSMENT_RESULT;
  return std::nullopt;
}

std::string TypeText(pv1::RecordType type) {
  switch (type) {
    case pv1::RECORD_TYPE_CHAIN: return "产业链";
    case pv1::RECORD_TYPE_ENTERPRISE: return "企业";
    case pv1::RECORD_TYPE_PROJECT: return "项目";
    case pv1::RECORD_TYPE_PROGRESS: return "月度进展";
    case pv1::RECORD_TYPE_ASSESSMENT_RESULT: return "考核结果";
    default: return "-";
  }
}

std::string CategoryText(const std::string& category) {
  return category.empty() ? "（无对应类别）" : category;
}

int BadType(const Call& call) {
  return Usage(call.err, absl::StrCat("--type: must be chain, enterprise, project, progress or "
                                      "assessment_result, got \"",
                                      call.cmd.type, "\""));
}

// A streaming call's context: the token, and no deadline (a snapshot or a watch takes as long as
// it takes; --timeout bounds single calls).
void PrepareStream(SyncClient& c, grpc::ClientContext* ctx) {
  c.connection().Prepare(ctx);
  ctx->set_deadline(std::chrono::system_clock::time_point::max());
}

void PrintDigests(const std::vector<pv1::CategoryDigest>& digests, std::ostream& out) {
  TextTable table({"清单", "类型", "省产业链类别", "记录数", "摘要"});
  for (const auto& d : digests) {
    table.AddRow({d.list_version(), TypeText(d.type()), CategoryText(d.category()),
                  absl::StrCat(d.count()), d.digest()});
  }
  table.Print(out);
}

int SyncSnapshot(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.out.empty()) return call.UsageError();
  std::optional<pv1::RecordType> type = ParseRecordType(cmd.type);
  if (!type) return BadType(call);
  SyncClient& c = *call.sync;
  sv1::GetSnapshotRequest req;
  req.set_list_version(cmd.list);
  req.set_date(cmd.date);
  req.set_type(*type);
  grpc::ClientContext ctx;
  PrepareStream(c, &ctx);
  std::ofstream file(cmd.out, std::ios::binary | std::ios::trunc);
  if (!file) return Usage(call.err, absl::StrCat("--out: cannot write ", cmd.out));
  auto reader = c.stub().GetSnapshot(&ctx, req);
  sv1::SnapshotChunk chunk;
  std::string list, date, cursor;
  std::vector<pv1::CategoryDigest> digests;
  int64_t records = 0;
  google::protobuf::util::JsonPrintOptions one_line;
  while (reader->Read(&chunk)) {
    if (!chunk.list_version().empty()) list = chunk.list_version();
    if (!chunk.date().empty()) date = chunk.date();
    if (!chunk.cursor().empty()) cursor = chunk.cursor();
    for (const auto& r : chunk.records()) {
      std::string line;
      (void)google::protobuf::util::MessageToJsonString(r, &line, one_line);
      file << line << "\n";
      ++records;
    }
    digests.insert(digests.end(), chunk.digests().begin(), chunk.digests().end());
  }
  grpc::Status status = reader->Finish();
  file.close();
  if (!status.ok()) return call.RpcError(status);
  if (!file) return Usage(call.err, absl::StrCat("--out: cannot write ", cmd.out));
  call.out << "wrote " << cmd.out << ": " << records << " records of list " << list << " as of "
           << date << " (one JSON record a line), consistent with cursor " << cursor << "\n";
  PrintDigests(digests, call.out);
  return kExitOk;
}

void PrintChange(const sv1::Change& change, std::ostream& out) {
  const pv1::Record& r = change.record();
  out << "cursor=" << change.cursor() << "  " << FormatTimestamp(change.time()) << "  "
      << r.list_version() << "  " << TypeText(r.type()) << "  " << r.id() << "  v" << r.version();
  if (r.deleted()) {
    out << "  已删除";
  } else {
    out << "  " << (r.categories().empty() ? "（无对应类别）" : absl::StrJoin(r.categories(), ","));
  }
  out << "\n";
}

int SyncWatch(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (cmd.cursor < 0) return Usage(call.err, "--cursor: must be a cursor printed earlier, or 0");
  if (cmd.max_deliveries < 0) return Usage(call.err, "--max: must not be negative");
  SyncClient& c = *call.sync;
  sv1::WatchChangesRequest req;
  req.set_cursor(cmd.from_now ? "now" : cmd.cursor > 0 ? absl::StrCat(cmd.cursor) : "");
  req.set_list_version(cmd.list);
  grpc::ClientContext ctx;
  PrepareStream(c, &ctx);
  auto reader = c.stub().WatchChanges(&ctx, req);
  sv1::ChangeBatch batch;
  std::string cursor = req.cursor();
  int changes = 0;
  while (reader->Read(&batch)) {
    if (!batch.cursor().empty()) cursor = batch.cursor();
    if (cmd.json()) {
      call.out << ToJson(batch);
    } else if (batch.heartbeat()) {
      call.out << "cursor=" << batch.cursor() << "  (无新变更)\n";
    } else {
      for (const auto& change : batch.changes()) PrintChange(change, call.out);
    }
    call.out.flush();
    changes += batch.changes_size();
    if (cmd.max_deliveries > 0 && changes >= cmd.max_deliveries) {
      ctx.TryCancel();
      (void)reader->Finish();
      return kExitOk;
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok() && !cursor.empty() && cursor != "now") {
    call.err << "resume with: chainctl sync watch --cursor=" << cursor << "\n";
  }
  return status.ok() ? kExitOk : call.RpcError(status);
}

std::string StateText(sv1::PushState state) {
  switch (state) {
    case sv1::PUSH_STATE_ACTIVE: return "推送中";
    case sv1::PUSH_STATE_PAUSED: return "已暂停";
    case sv1::PUSH_STATE_HALTED: return "已中止（接收方拒收）";
    case sv1::PUSH_STATE_DISABLED: return "未配置接收方";
    default: return "-";
  }
}

void PrintStatus(const sv1::PushStatus& s, std::ostream& out) {
  KeyValueList list;
  list.Add("状态", StateText(s.state()));
  list.Add("接收方", s.target().empty() ? "-" : s.target());
  list.Add("已确认至", s.checkpoint());
  list.Add("最新变更", s.head());
  list.Add("待推送", absl::StrCat(s.pending()));
  if (!s.reason().empty()) list.Add("原因", s.reason());
  if (!s.offending_record().empty()) list.Add("被拒记录", s.offending_record());
  if (s.failures() > 0) list.Add("连续失败", absl::StrCat(s.failures()));
  if (s.has_last_success_time()) list.Add("上次成功", FormatTimestamp(s.last_success_time()));
  list.Print(out);
}

int SyncStatus(const Call& call) {
  SyncClient& c = *call.sync;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetPushStatus,
                     sv1::GetPushStatusRequest(),
                     [&](const sv1::PushStatus& s) { PrintStatus(s, call.out); });
}

std::string OutcomeText(sv1::PushOutcome outcome) {
  switch (outcome) {
    case sv1::PUSH_OUTCOME_ACKNOWLEDGED: return "已确认";
    case sv1::PUSH_OUTCOME_RETRYING: return "重试中";
    case sv1::PUSH_OUTCOME_REFUSED: return "被拒收";
    default: return "-";
  }
}

void PrintPushes(const sv1::ListPushesResponse& resp, std::ostream& out) {
  TextTable table({"批次", "类别", "记录数", "结果", "尝试", "新写入", "已有", "开始", "错误"});
  for (const auto& p : resp.pushes()) {
    table.AddRow({p.batch_id(), p.kind(), absl::StrCat(p.record_count()), OutcomeText(p.outcome()),
                  absl::StrCat(p.attempts()), absl::StrCat(p.applied_count()),
                  absl::StrCat(p.stale_count()), FormatTimestamp(p.start_time()), p.error()});
  }
  table.Print(out);
}

int SyncPushes(const Call& call) {
  SyncClient& c = *call.sync;
  sv1::ListPushesRequest req;
  req.set_page_size(call.cmd.list_page_size());
  req.set_page_token(call.cmd.page_token);
  return ShowList(call, c.connection(), c.stub(), &Stub::ListPushes, req, PrintPushes);
}

int SyncPause(const Call& call) {
  if (call.cmd.reason.empty()) return call.UsageError();
  SyncClient& c = *call.sync;
  sv1::PausePushRequest req;
  req.set_reason(call.cmd.reason);
  return CallAndShow(call, c.connection(), c.stub(), &Stub::PausePush, req,
                     [&](const sv1::PushStatus& s) { PrintStatus(s, call.out); });
}

int SyncResume(const Call& call) {
  SyncClient& c = *call.sync;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::ResumePush, sv1::ResumePushRequest(),
                     [&](const sv1::PushStatus& s) { PrintStatus(s, call.out); });
}

void PrintReconcile(const sv1::ReconcileResponse& r, std::ostream& out) {
  TextTable table({"清单", "类型", "省产业链类别", "本地记录", "接收方记录", "一致"});
  for (const auto& c : r.categories()) {
    const pv1::CategoryDigest& d = c.has_local() ? c.local() : c.remote();
    table.AddRow({d.list_version(), TypeText(d.type()), CategoryText(d.category()),
                  absl::StrCat(c.local().count()), absl::StrCat(c.remote().count()),
                  c.equal() ? "是" : "否"});
  }
  table.Print(out);
  if (r.difference_count() > 0) {
    out << "\n" << r.difference_count() << " records differ:\n";
    TextTable diff({"清单", "类型", "记录", "本地版本", "接收方版本"});
    for (const auto& d : r.differences()) {
      diff.AddRow({d.list_version(), TypeText(d.type()), d.id(), absl::StrCat(d.local_version()),
                   absl::StrCat(d.remote_version())});
    }
    diff.Print(out);
  }
  if (r.repaired_count() > 0) out << "re-sent " << r.repaired_count() << " records\n";
  out << (r.consistent() ? "consistent: the receiver holds exactly sync's records\n"
                         : "not consistent\n");
}

int SyncReconcile(const Call& call) {
  SyncClient& c = *call.sync;
  sv1::ReconcileRequest req;
  req.set_list_version(call.cmd.list);
  req.set_repair(call.cmd.repair);
  return CallAndShow(call, c.connection(), c.stub(), &Stub::Reconcile, req,
                     [&](const sv1::ReconcileResponse& r) { PrintReconcile(r, call.out); });
}

int SyncExport(const Call& call) {
  const CommandLine& cmd = call.cmd;
  const std::string format = absl::AsciiStrToLower(cmd.format);
  if (format != "xlsx" && format != "csv") {
    return Usage(call.err, absl::StrCat("--format: must be xlsx or csv, got \"", cmd.format, "\""));
  }
  std::optional<pv1::RecordType> type = ParseRecordType(cmd.type);
  if (!type) return BadType(call);
  if (format == "csv" && *type == pv1::RECORD_TYPE_UNSPECIFIED) {
    return Usage(call.err, "--type: a CSV holds one record type; name it");
  }
  SyncClient& c = *call.sync;
  sv1::ExportRequest req;
  req.set_list_version(cmd.list);
  req.set_date(cmd.date);
  req.set_format(format == "xlsx" ? sv1::EXPORT_FORMAT_XLSX : sv1::EXPORT_FORMAT_CSV);
  req.set_type(*type);
  grpc::ClientContext ctx;
  PrepareStream(c, &ctx);
  auto reader = c.stub().Export(&ctx, req);
  sv1::ExportChunk chunk;
  std::string filename, content;
  while (reader->Read(&chunk)) {
    if (!chunk.filename().empty()) filename = chunk.filename();
    content += chunk.data();
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return call.RpcError(status);
  const std::string path = cmd.out.empty() ? filename : cmd.out;
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file.write(content.data(), static_cast<std::streamsize>(content.size()));
  file.close();
  if (!file) return Usage(call.err, absl::StrCat("--out: cannot write ", path));
  call.out << "wrote " << path << " (" << content.size() << " bytes)\n";
  return kExitOk;
}

}  // namespace

void AddSyncVerbs(VerbTable& table) {
  table.Add({.noun = "sync",
             .verb = "snapshot",
             .synopsis = "--out=FILE [--list=LIST] [--date=YYYY-MM-DD] [--type=TYPE]",
             .help = "every record of a provincial list as of a date, one\n"
                     "JSON record a line, then each category's count and digest",
             .usage = "usage: chainctl sync snapshot --out=FILE [--list=LIST] [--date=YYYY-MM-DD]",
             .needs = Needs::kSync,
             .run = SyncSnapshot});
  table.Add({.noun = "sync",
             .verb = "watch",
             .synopsis = "[--cursor=N | --from_now] [--list=LIST] [--max=N]",
             .help = "streams the changes after a cursor (from the first with\n"
                     "none), one line each with its cursor; resume with\n"
                     "--cursor=<the last one printed>",
             .usage = "sync watch takes no arguments",
             .needs = Needs::kSync,
             .run = SyncWatch});
  table.Add({.noun = "sync",
             .verb = "status",
             .help = "the push: state, checkpoint, what is pending, why it stopped",
             .usage = "sync status takes no arguments",
             .needs = Needs::kSync,
             .run = SyncStatus});
  table.Add({.noun = "sync",
             .verb = "pushes",
             .synopsis = "[--all]",
             .help = "the batches pushed, newest first, with their outcome",
             .usage = "sync pushes takes no arguments",
             .needs = Needs::kSync,
             .run = SyncPushes});
  table.Add({.noun = "sync",
             .verb = "pause",
             .synopsis = "--reason=…",
             .help = "stops pushing until resumed (admin; audited)",
             .usage = "usage: chainctl sync pause --reason=…",
             .needs = Needs::kSync,
             .run = SyncPause});
  table.Add({.noun = "sync",
             .verb = "resume",
             .help = "pushes again from the checkpoint (admin; audited)",
             .usage = "sync resume takes no arguments",
             .needs = Needs::kSync,
             .run = SyncResume});
  table.Add({.noun = "sync",
             .verb = "reconcile",
             .synopsis = "[--list=LIST] [--repair]",
             .help = "compares each category's count and digest with the\n"
                     "receiver and lists the records that differ; --repair\n"
                     "re-sends them (admin)",
             .usage = "sync reconcile takes no arguments",
             .needs = Needs::kSync,
             .run = SyncReconcile});
  table.Add({.noun = "sync",
             .verb = "export",
             .synopsis = "--format=xlsx|csv [--type=TYPE] [--list=LIST]\n[--date=YYYY-MM-DD] "
                         "[--out=FILE]",
             .help = "a snapshot in the province's shape: a workbook with a\n"
                     "sheet per record type, or one type's CSV",
             .usage = "usage: chainctl sync export --format=xlsx|csv [--type=TYPE] [--out=FILE]",
             .needs = Needs::kSync,
             .run = SyncExport});
}

}  // namespace chainhub::chainctl
