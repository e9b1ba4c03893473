#include "tools/chainctl/intake_commands.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "services/intake/stages.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/csv.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/project_csv.h"
#include "tools/chainctl/render.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

constexpr char kIntakeHelp[] = R"(
intake commands (产业项目库, 问题清单, 红黄绿灯; on --intake_target, else --target):
  projects import FILE.csv [--validate_only] [--source=NAME]
                                         CSV → ImportProjects, upserted by external_id; columns
                                         as data/projects.csv (see README.md); amounts may be
                                         12.5亿 or 800万, enums 省外 / 招商引资 / 开工; at most
                                         10,000 rows per call (bigger files take several);
                                         exit 3 when a row failed
  projects list [--filter=…] [--order_by=…] [--page_size=N] [--all]
                                         e.g. --filter='chain = "pv" AND light = "RED"'
  projects get NAME                      NAME: projects/{id} or the project's external_id
  projects advance NAME --to=STAGE [--date=YYYY-MM-DD] [--reason=…]
                                         STAGE: SIGNED … FULL_OUTPUT, STALLED, CANCELLED (or
                                         签约 … 达产, 停滞, 终止); a reason for STALLED/CANCELLED
  projects history NAME                  stage changes and monthly progress reports
  projects report NAME --month=YYYY-MM --completed=YUAN --funds=YUAN [--note=…]
                  [--allow_over_total]   one month's cumulative figures (月度报进展)
  projects report --file=progress.csv    columns external_id, month,
                                         cumulative_completed_yuan,
                                         cumulative_funds_arrived_yuan, note; exit 3 when a
                                         row failed
  issues list [--overdue[=YYYY-MM-DD]] [--filter=…] [--all]
                                         问题清单 and 任务清单; --overdue: not resolved and past
                                         the deadline on that date (today, China time)
  issues get NAME                        NAME: issues/{id} or tasks/{id}
  issues create --subject=SUBJECT --title=… --owner=DEPT --deadline=YYYY-MM-DD
                [--kind=issue|task] [--description=…]
                                         SUBJECT: projects/{id}, an external_id or chains/{chain}
  issues move NAME --to=STATUS [--note=…] [--date=YYYY-MM-DD]
                                         STATUS: COORDINATING, ESCALATED, RESOLVED (协调中,
                                         提级协调, 已解决); a note for ESCALATED and RESOLVED
  lights evaluate [--date=YYYY-MM-DD] [--chain=CHAIN] [--dry_run]
                                         compute every light (today when no date)
  summary CHAIN|all [--period=2026|2026-Q2|2026-05]
                                         counts and amounts (亿元) by stage and size band, ≥1亿
                                         projects, 开工率 / 投资完成率 / 资金到位率, lights

intake flags: --intake_target=HOST:PORT (CHAINHUB_INTAKE_TARGET; --target when unset)
)";

bool Json(const CommandLine& cmd) { return cmd.client.output == OutputFormat::kJson; }

// A connection to intake and its stub.
struct IntakeClient {
  std::unique_ptr<Connection> connection;
  std::unique_ptr<iv1::ProjectIntake::Stub> stub;
  const ClientOptions& options() const { return connection->options(); }
  // One unary call with the connection's token and deadline.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (iv1::ProjectIntake::Stub::*rpc)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext ctx;
    connection->Prepare(&ctx);
    return ((*stub).*rpc)(&ctx, request, response);
  }
};

absl::StatusOr<IntakeClient> OpenIntake(const CommandLine& cmd, const IntakeOptions& intake) {
  // The options name intake's address, so that an UNAVAILABLE hint points at the right place.
  ClientOptions options = cmd.client;
  if (!intake.intake_target.empty()) options.target = intake.intake_target;
  options.registry_target.clear();
  IntakeClient c;
  CHAINHUB_ASSIGN_OR_RETURN(c.connection, Connection::Open(options, options.target));
  c.stub = iv1::ProjectIntake::NewStub(c.connection->channel());
  return c;
}

// "光伏 (chains/pv)" from the registry, or the chain name alone when it cannot be read.
std::string ChainTitle(const CommandLine& cmd, const std::string& chain) {
  ClientOptions options = cmd.client;
  options.timeout = std::min(options.timeout, absl::Seconds(3));
  auto conn = Connection::Open(
      options, cmd.client.registry_target.empty() ? cmd.client.target : cmd.client.registry_target);
  if (!conn.ok()) return chain;
  registry::v1::GetChainRequest req;
  req.set_name(chain);
  registry::v1::Chain c;
  grpc::ClientContext ctx;
  (*conn)->Prepare(&ctx);
  if (!(*conn)->registry().GetChain(&ctx, req, &c).ok()) return chain;
  return absl::StrCat(c.display_name(), " (", chain, ")");
}

// An external id as department systems give them; anything else cannot be one, and must not be
// pasted into a filter.
bool IsExternalId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

// A project by projects/{id}, or by its external_id (ListProjects filter external_id = "…").
absl::StatusOr<iv1::Project> ResolveProject(IntakeClient& c, const std::string& arg) {
  if (absl::StartsWith(arg, "projects/")) {
    iv1::GetProjectRequest req;
    req.set_name(arg);
    iv1::Project project;
    grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::GetProject, req, &project);
    if (!status.ok()) return FromGrpcStatus(status);
    return project;
  }
  if (!IsExternalId(arg)) {
    return InvalidField("NAME", absl::StrCat("must be projects/{id} or an external id (1-64 of "
                                             "A-Z a-z 0-9 . _ -), got '",
                                             arg, "'"));
  }
  iv1::ListProjectsRequest req;
  req.set_filter(absl::StrCat("external_id = \"", arg, "\""));
  req.set_page_size(2);
  iv1::ListProjectsResponse resp;
  grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::ListProjects, req, &resp);
  if (!status.ok()) return FromGrpcStatus(status);
  if (resp.projects_size() == 0) {
    return absl::NotFoundError(absl::StrCat("no project with external_id \"", arg,
                                            "\" (give projects/{id} for a project without one)"));
  }
  return resp.projects(0);
}

// A failed ResolveProject: a NAME that cannot be a project is a usage error (exit 1), anything
// else came from intake (exit 2).
int ReportResolveError(const absl::Status& status, const IntakeClient& c, std::ostream& err) {
  const std::vector<FieldViolation> v = FieldViolationsOf(status);
  if (!v.empty() && v[0].field == "NAME") return Usage(err, status.message());
  PrintError(status, err, &c.options());
  return kExitRpcError;
}

std::string ProjectTitle(const iv1::Project& p) {
  return absl::StrCat(p.name(), p.external_id().empty() ? "" : " " + p.external_id(), " ",
                      p.display_name());
}

// Best effort: "CZXM-PV-0003 远迈光伏…项目" for the projects items are about, so that a table says
// which project without a second command; subjects that cannot be read stay as names.
std::map<std::string, std::string> SubjectTitles(IntakeClient& c,
                                                 const iv1::ListWorkItemsResponse& items) {
  std::map<std::string, std::string> titles;
  for (const auto& item : items.work_items()) {
    const std::string& subject = item.subject();
    if (!absl::StartsWith(subject, "projects/") || titles.contains(subject)) continue;
    iv1::GetProjectRequest req;
    req.set_name(subject);
    iv1::Project p;
    if (!c.Call(&iv1::ProjectIntake::Stub::GetProject, req, &p).ok()) continue;
    titles[subject] =
        absl::StrCat(p.external_id().empty() ? "" : p.external_id() + " ", p.display_name());
  }
  return titles;
}

// A stage by English name (any case, STAGE_ prefix optional) or Chinese label.
std::optional<iv1::Stage> ParseStage(absl::string_view text) {
  std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::string_view bare = upper;
  absl::ConsumePrefix(&bare, "STAGE_");
  for (int i = iv1::STAGE_NEGOTIATING; i <= iv1::STAGE_CANCELLED; ++i) {
    const auto stage = static_cast<iv1::Stage>(i);
    if (bare == intake::StageName(stage) || text == intake::StageLabel(stage)) return stage;
  }
  return std::nullopt;
}

std::optional<iv1::WorkItemStatus> ParseWorkItemStatus(absl::string_view text) {
  std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::string_view bare = upper;
  absl::ConsumePrefix(&bare, "WORK_ITEM_STATUS_");
  for (int i = iv1::WORK_ITEM_STATUS_OPEN; i <= iv1::WORK_ITEM_STATUS_ESCALATED; ++i) {
    const auto status = static_cast<iv1::WorkItemStatus>(i);
    const std::string full = iv1::WorkItemStatus_Name(status);
    absl::string_view name = full;
    absl::ConsumePrefix(&name, "WORK_ITEM_STATUS_");
    if (bare == name || text == WorkItemStatusName(status)) return status;
  }
  return std::nullopt;
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidField("FILE", absl::StrCat("cannot read ", path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A CSV file with at least its header row (and its bytes in `bytes_out` when given); on failure
// the problem is printed as a usage error.
std::optional<std::vector<CsvRecord>> ReadCsvFile(const std::string& path, std::ostream& err,
                                                  std::string* bytes_out = nullptr) {
  absl::StatusOr<std::string> bytes = ReadWholeFile(path);
  if (!bytes.ok()) {
    Usage(err, bytes.status().message());
    return std::nullopt;
  }
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(*bytes);
  if (!records.ok()) {
    err << path << ": ";
    PrintError(records.status(), err, nullptr);
    return std::nullopt;
  }
  if (records->empty()) {
    Usage(err, absl::StrCat(path, ": empty (a header row is required)"));
    return std::nullopt;
  }
  if (bytes_out != nullptr) *bytes_out = std::move(*bytes);
  return std::move(*records);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One failed row of a file, for the report after the counts.
struct FailedRow {
  int row = 0;
  std::string external_id;
  std::string message;  // "CODE: field: rule"
};

void PrintFailedRows(std::vector<FailedRow> failed, std::ostream& out) {
  if (failed.empty()) return;
  std::stable_sort(failed.begin(), failed.end(),
                   [](const FailedRow& a, const FailedRow& b) { return a.row < b.row; });
  out << "failed rows:\n";
  for (const FailedRow& f : failed) {
    out << "  row " << f.row << "  " << (f.external_id.empty() ? "-" : f.external_id) << "  "
        << f.message << "\n";
  }
}

std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// The parser's "row N: " prefix, dropped where the row is printed beside the message anyway.
std::string WithoutRowPrefix(absl::string_view message, int row) {
  absl::ConsumePrefix(&message, absl::StrCat("row ", row, ": "));
  return std::string(message);
}

// --- projects import --------------------------------------------------------------------------

int ImportProjects(const CommandLine& cmd, const IntakeOptions& intake, IntakeClient& c,
                   const std::string& path, std::ostream& out, std::ostream& err) {
  std::optional<std::vector<CsvRecord>> records = ReadCsvFile(path, err);
  if (!records) return kExitUsage;
  if (!records->front().error.empty()) {
    return Usage(err, absl::StrCat(path, ": header: ", records->front().error));
  }
  absl::StatusOr<ProjectLayout> layout = ParseProjectHeader(records->front().fields);
  if (!layout.ok()) {
    err << path << ": ";
    PrintError(layout.status(), err, nullptr);
    return kExitUsage;
  }

  std::vector<iv1::ImportRow> rows;
  std::vector<FailedRow> failed;
  const std::optional<size_t> id_column = layout->Find("external_id");
  int parse_failed = 0;
  for (size_t i = 1; i < records->size(); ++i) {
    const CsvRecord& record = (*records)[i];
    std::string external_id;
    if (id_column && *id_column < record.fields.size()) {
      external_id = std::string(absl::StripAsciiWhitespace(record.fields[*id_column]));
    }
    if (!record.error.empty()) {
      ++parse_failed;
      failed.push_back(
          {record.line, external_id, absl::StrCat("INVALID_ARGUMENT: ", record.error)});
      continue;
    }
    absl::StatusOr<iv1::ImportRow> row = ParseProjectRow(*layout, record.fields, record.line);
    if (!row.ok()) {
      ++parse_failed;
      failed.push_back({record.line, external_id,
                        absl::StrCat("INVALID_ARGUMENT: ",
                                     WithoutRowPrefix(row.status().message(), record.line))});
      continue;
    }
    rows.push_back(*std::move(row));
  }

  iv1::ImportHeader header;
  header.set_validate_only(cmd.validate_only);
  header.set_source(intake.source.empty() ? BaseName(path) : intake.source);

  iv1::ImportProjectsResponse total;
  absl::Status rpc_status;
  int not_sent = 0;
  Progress progress(err, "projects", static_cast<int>(rows.size()), true, IsTerminal(err), 100);
  for (size_t start = 0; start < rows.size(); start += kMaxImportRowsPerCall) {
    const size_t end = std::min(rows.size(), start + kMaxImportRowsPerCall);
    grpc::ClientContext ctx;
    c.connection->Prepare(&ctx);
    // The per-call --timeout is for one question and answer; a call streaming thousands of rows,
    // committed as they arrive, gets at least five minutes.
    ctx.set_deadline(std::chrono::system_clock::now() +
                     absl::ToChronoMilliseconds(std::max(cmd.client.timeout, absl::Minutes(5))));
    iv1::ImportProjectsResponse response;
    std::unique_ptr<grpc::ClientWriter<iv1::ImportProjectsRequest>> writer =
        c.stub->ImportProjects(&ctx, &response);
    iv1::ImportProjectsRequest message;
    *message.mutable_header() = header;
    bool open = writer->Write(message);
    for (size_t i = start; open && i < end; ++i) {
      *message.mutable_row() = rows[i];
      open = writer->Write(message);
      if (open) progress.Update(static_cast<int>(i + 1));
    }
    if (open) writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) {
      rpc_status = FromGrpcStatus(status);
      // Rows before a failure may have been applied; an import is an upsert, so the whole file
      // can be sent again.
      not_sent = static_cast<int>(rows.size() - start);
      break;
    }
    for (const iv1::ImportRowResult& r : response.results()) {
      if (r.code() != 0) {
        failed.push_back(
            {r.row_number(), r.external_id(), absl::StrCat(CodeName(r.code()), ": ", r.message())});
      }
    }
    total.set_row_count(total.row_count() + response.row_count());
    total.set_created_count(total.created_count() + response.created_count());
    total.set_updated_count(total.updated_count() + response.updated_count());
    total.set_unchanged_count(total.unchanged_count() + response.unchanged_count());
    total.set_failed_count(total.failed_count() + response.failed_count());
  }
  progress.Finish();

  const int rows_in_file = static_cast<int>(records->size()) - 1;
  const int failed_count = parse_failed + total.failed_count() + not_sent;
  if (cmd.validate_only) {
    out << "validated " << path << ": " << rows_in_file << " rows, "
        << total.row_count() - total.failed_count() << " valid (" << total.created_count()
        << " would be created, " << total.updated_count() << " updated, " << total.unchanged_count()
        << " unchanged), ";
  } else {
    out << "imported " << path << ": " << rows_in_file << " rows, " << total.created_count()
        << " created, " << total.updated_count() << " updated, " << total.unchanged_count()
        << " unchanged, ";
  }
  out << failed_count << " failed (" << parse_failed << " in the file, " << total.failed_count()
      << " refused by intake";
  if (not_sent > 0) out << ", " << not_sent << " not sent";
  out << ")\n";
  PrintFailedRows(std::move(failed), out);
  if (!rpc_status.ok()) {
    PrintError(rpc_status, err, &c.options());
    err << "re-run the same command: rows are upserted by external_id, so none is applied twice\n";
    return kExitRpcError;
  }
  return failed_count > 0 ? kExitPartialFailure : kExitOk;
}

// --- projects report --file --------------------------------------------------------------------

struct ProgressRow {
  int line = 0;
  std::string external_id;
  iv1::ProgressReport report;
};

int ReportProgressFile(IntakeClient& c, const std::string& path, std::ostream& out,
                       std::ostream& err) {
  std::string bytes;
  std::optional<std::vector<CsvRecord>> records = ReadCsvFile(path, err, &bytes);
  if (!records) return kExitUsage;
  const std::vector<std::string> known = {"external_id", "month", "cumulative_completed_yuan",
                                          "cumulative_funds_arrived_yuan", "note"};
  std::map<std::string, size_t> column;
  std::vector<std::string> problems;
  for (size_t i = 0; i < records->front().fields.size(); ++i) {
    const std::string name =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(records->front().fields[i]));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(absl::StrCat("unknown column \"", name, "\""));
    } else if (!column.emplace(name, i).second) {
      problems.push_back(absl::StrCat("column \"", name, "\" appears twice"));
    }
  }
  for (size_t i = 0; i + 1 < known.size(); ++i) {
    if (!column.contains(known[i])) {
      problems.push_back(absl::StrCat("column \"", known[i], "\" is required"));
    }
  }
  if (!problems.empty()) {
    return Usage(err, absl::StrCat(path, ": header: ", absl::StrJoin(problems, "; "),
                                   " (known: ", absl::StrJoin(known, ", "), ")"));
  }

  std::vector<ProgressRow> rows;
  std::vector<FailedRow> failed;
  const size_t width = records->front().fields.size();
  for (size_t i = 1; i < records->size(); ++i) {
    const CsvRecord& record = (*records)[i];
    auto cell = [&](const std::string& name) -> std::string {
      auto it = column.find(name);
      if (it == column.end() || it->second >= record.fields.size()) return "";
      return std::string(absl::StripAsciiWhitespace(record.fields[it->second]));
    };
    ProgressRow row;
    row.line = record.line;
    row.external_id = cell("external_id");
    if (!record.error.empty() || record.fields.size() != width) {
      failed.push_back(
          {record.line, row.external_id,
           absl::StrCat("INVALID_ARGUMENT: ",
                        record.error.empty() ? absl::StrCat("row: has ", record.fields.size(),
                                                            " fields but the header has ", width)
                                             : record.error)});
      continue;
    }
    std::vector<std::string> violations;
    row.report.set_month(cell("month"));
    for (const auto& [name, set] :
         {std::pair{"cumulative_completed_yuan",
                    &iv1::ProgressReport::set_cumulative_completed_yuan},
          std::pair{"cumulative_funds_arrived_yuan",
                    &iv1::ProgressReport::set_cumulative_funds_arrived_yuan}}) {
      absl::StatusOr<int64_t> yuan = ParseYuanAmount(name, cell(name));
      if (yuan.ok()) {
        (row.report.*set)(*yuan);
      } else {
        violations.emplace_back(yuan.status().message());
      }
    }
    row.report.set_note(cell("note"));
    if (row.external_id.empty()) violations.push_back("external_id: must not be empty");
    if (!violations.empty()) {
      failed.push_back({record.line, row.external_id,
                        absl::StrCat("INVALID_ARGUMENT: ", absl::StrJoin(violations, "; "))});
      continue;
    }
    rows.push_back(std::move(row));
  }

  // external_id → projects/{id}, from one pass over the library.
  iv1::ListProjectsRequest list;
  list.set_page_size(1000);
  iv1::ListProjectsResponse projects;
  grpc::Status listed = FetchPages(
      *c.connection, list, true, &projects,
      [&](auto* ctx, const auto& r, auto* o) { return c.stub->ListProjects(ctx, r, o); });
  if (!listed.ok()) return ReportRpcError(listed, err, c.options());
  std::map<std::string, std::string> names;
  for (const auto& p : projects.projects()) {
    if (!p.external_id().empty()) names[p.external_id()] = p.name();
  }

  // One project's months in file order on one thread (the service checks each month against its
  // neighbours); projects in parallel.
  std::vector<std::vector<const ProgressRow*>> groups;
  std::map<std::string, size_t> group_of;
  for (const ProgressRow& row : rows) {
    auto [it, added] = group_of.emplace(row.external_id, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(&row);
  }
  const std::string digest = Sha256Hex(bytes).substr(0, 16);
  std::mutex mu;
  std::atomic<size_t> next_group{0};
  std::atomic<bool> stop{false};
  int sent = 0;
  int accepted = 0;
  absl::Status fatal;
  Progress progress(err, "progress", static_cast<int>(rows.size()), true, IsTerminal(err), 100);
  auto worker = [&] {
    while (!stop) {
      const size_t g = next_group++;
      if (g >= groups.size()) return;
      for (const ProgressRow* row : groups[g]) {
        if (stop) return;
        FailedRow failure{row->line, row->external_id, ""};
        auto name = names.find(row->external_id);
        if (name == names.end()) {
          failure.message =
              absl::StrCat("NOT_FOUND: no project with external_id \"", row->external_id, "\"");
        } else {
          iv1::ReportProgressRequest req;
          req.set_parent(name->second);
          *req.mutable_report() = row->report;
          // Derived from the file: sending the same file again replays instead of adding
          // revisions.
          req.set_request_id(absl::StrCat("progress:", digest, ":", row->line));
          iv1::ProgressReport resp;
          grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::ReportProgress, req, &resp);
          if (!status.ok()) {
            const absl::Status s = FromGrpcStatus(status);
            if (s.code() == absl::StatusCode::kUnavailable ||
                s.code() == absl::StatusCode::kUnauthenticated ||
                s.code() == absl::StatusCode::kPermissionDenied ||
                s.code() == absl::StatusCode::kDeadlineExceeded) {
              std::lock_guard<std::mutex> lock(mu);
              if (fatal.ok()) fatal = s;
              stop = true;
              return;
            }
            failure.message = absl::StrCat(absl::StatusCodeToString(s.code()), ": ", s.message());
          }
        }
        std::lock_guard<std::mutex> lock(mu);
        ++sent;
        if (failure.message.empty()) {
          ++accepted;
        } else {
          failed.push_back(std::move(failure));
        }
        progress.Update(sent);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back(worker);
  for (std::thread& t : threads) t.join();
  progress.Finish();

  const int rows_in_file = static_cast<int>(records->size()) - 1;
  const int not_sent = static_cast<int>(rows.size()) - sent;
  out << "reported " << path << ": " << rows_in_file << " rows, " << accepted << " accepted, "
      << rows_in_file - accepted - not_sent << " failed";
  if (not_sent > 0) out << ", " << not_sent << " not sent";
  out << "\n";
  PrintFailedRows(std::move(failed), out);
  if (!fatal.ok()) {
    PrintError(fatal, err, &c.options());
    err << "re-run the same command: rows already sent replay their first result\n";
    return kExitRpcError;
  }
  return accepted < rows_in_file ? kExitPartialFailure : kExitOk;
}

// --- projects ----------------------------------------------------------------------------------

int ProjectsCommand(const CommandLine& cmd, const IntakeOptions& intake,
                    const std::vector<std::string>& args, IntakeClient& c, std::ostream& out,
                    std::ostream& err) {
  const std::string verb = args.size() >= 2 ? args[1] : "";
  if (verb == "import") {
    if (args.size() != 3) {
      return Usage(err, "usage: chainctl projects import FILE.csv [--validate_only] [--source=…]");
    }
    return ImportProjects(cmd, intake, c, args[2], out, err);
  }
  if (verb == "list") {
    if (args.size() != 2) return Usage(err, "projects list takes no arguments");
    iv1::ListProjectsRequest req;
    req.set_filter(cmd.filter);
    req.set_order_by(cmd.order_by);
    req.set_page_size(cmd.page_size > 0 ? cmd.page_size : (cmd.all ? 1000 : 0));
    req.set_page_token(cmd.page_token);
    iv1::ListProjectsResponse resp;
    grpc::Status status = FetchPages(
        *c.connection, req, cmd.all, &resp,
        [&](auto* ctx, const auto& r, auto* o) { return c.stub->ListProjects(ctx, r, o); });
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(resp);
      return kExitOk;
    }
    PrintProjectsTable(resp, out);
    err << resp.projects_size() << " of " << resp.total_size() << " projects\n";
    PrintNextPage(resp.next_page_token(), err);
    return kExitOk;
  }
  if (verb == "get") {
    if (args.size() != 3) return Usage(err, "usage: chainctl projects get NAME");
    absl::StatusOr<iv1::Project> project = ResolveProject(c, args[2]);
    if (!project.ok()) return ReportResolveError(project.status(), c, err);
    if (Json(cmd)) {
      out << ToJson(*project);
    } else {
      PrintProject(*project, LoadDepartmentNames(cmd), out);
    }
    return kExitOk;
  }
  if (verb == "advance") {
    if (args.size() != 3 || intake.to.empty()) {
      return Usage(err,
                   "usage: chainctl projects advance NAME --to=STAGE [--date=YYYY-MM-DD] "
                   "[--reason=…]");
    }
    std::optional<iv1::Stage> to = ParseStage(intake.to);
    if (!to) {
      return Usage(err, absl::StrCat("--to: unknown stage \"", intake.to,
                                     "\" (NEGOTIATING, SIGNED, REGISTERED, STARTED, "
                                     "IN_PRODUCTION, FULL_OUTPUT, STALLED, CANCELLED or 在谈 … "
                                     "达产, 停滞, 终止)"));
    }
    absl::StatusOr<iv1::Project> project = ResolveProject(c, args[2]);
    if (!project.ok()) return ReportResolveError(project.status(), c, err);
    iv1::TransitionStageRequest req;
    req.set_name(project->name());
    req.set_to_stage(*to);
    req.set_effective_date(cmd.date);
    req.set_reason(intake.reason);
    iv1::Project moved;
    grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::TransitionStage, req, &moved);
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(moved);
    } else {
      const std::string& date = intake::StageDate(moved.stage_dates(), moved.stage());
      out << ProjectTitle(moved) << ": " << StageText(project->stage()) << " → "
          << StageText(moved.stage())
          << (date.empty() ? (cmd.date.empty() ? "" : " on " + cmd.date) : " on " + date) << "\n";
    }
    return kExitOk;
  }
  if (verb == "history") {
    if (args.size() != 3) return Usage(err, "usage: chainctl projects history NAME");
    absl::StatusOr<iv1::Project> project = ResolveProject(c, args[2]);
    if (!project.ok()) return ReportResolveError(project.status(), c, err);
    iv1::ListStageChangesRequest changes_req;
    changes_req.set_parent(project->name());
    changes_req.set_page_size(1000);
    iv1::ListStageChangesResponse changes;
    grpc::Status status = FetchPages(
        *c.connection, changes_req, true, &changes,
        [&](auto* ctx, const auto& r, auto* o) { return c.stub->ListStageChanges(ctx, r, o); });
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    iv1::ListProgressReportsRequest reports_req;
    reports_req.set_parent(project->name());
    reports_req.set_page_size(1000);
    iv1::ListProgressReportsResponse reports;
    status = FetchPages(
        *c.connection, reports_req, true, &reports,
        [&](auto* ctx, const auto& r, auto* o) { return c.stub->ListProgressReports(ctx, r, o); });
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << "{\n\"project\": " << ToJson(*project) << ",\n\"stageChanges\": " << ToJson(changes)
          << ",\n\"progressReports\": " << ToJson(reports) << "}\n";
      return kExitOk;
    }
    out << ProjectTitle(*project) << "\n\n阶段变更 stage changes\n";
    PrintStageChanges(changes, out);
    out << "\n月度进展 progress reports\n";
    PrintProgressReports(reports, out);
    return kExitOk;
  }
  if (verb == "report") {
    if (!intake.file.empty()) {
      if (args.size() != 2) return Usage(err, "usage: chainctl projects report --file=FILE.csv");
      return ReportProgressFile(c, intake.file, out, err);
    }
    if (args.size() != 3 || intake.month.empty() || intake.completed.empty() ||
        intake.funds.empty()) {
      return Usage(err,
                   "usage: chainctl projects report NAME --month=YYYY-MM --completed=YUAN "
                   "--funds=YUAN [--note=…] [--allow_over_total], or --file=progress.csv");
    }
    absl::StatusOr<int64_t> completed = ParseYuanAmount("--completed", intake.completed);
    if (!completed.ok()) return Usage(err, completed.status().message());
    absl::StatusOr<int64_t> funds = ParseYuanAmount("--funds", intake.funds);
    if (!funds.ok()) return Usage(err, funds.status().message());
    absl::StatusOr<iv1::Project> project = ResolveProject(c, args[2]);
    if (!project.ok()) return ReportResolveError(project.status(), c, err);
    iv1::ReportProgressRequest req;
    req.set_parent(project->name());
    iv1::ProgressReport& report = *req.mutable_report();
    report.set_month(intake.month);
    report.set_cumulative_completed_yuan(*completed);
    report.set_cumulative_funds_arrived_yuan(*funds);
    report.set_note(intake.note);
    report.set_allow_over_total(intake.allow_over_total);
    iv1::ProgressReport stored;
    grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::ReportProgress, req, &stored);
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(stored);
    } else {
      out << ProjectTitle(*project) << " " << stored.month() << ": 累计完成投资 "
          << FormatYuan(stored.cumulative_completed_yuan()) << ", 累计到位资金 "
          << FormatYuan(stored.cumulative_funds_arrived_yuan()) << " (revision "
          << stored.revision() << ")\n";
    }
    return kExitOk;
  }
  return Usage(err, "usage: chainctl projects import|list|get|advance|history|report");
}

// --- issues ------------------------------------------------------------------------------------

int IssuesCommand(const CommandLine& cmd, const IntakeOptions& intake,
                  const std::vector<std::string>& args, IntakeClient& c, std::ostream& out,
                  std::ostream& err) {
  const std::string verb = args.size() >= 2 ? args[1] : "";
  if (verb == "list") {
    if (args.size() != 2) return Usage(err, "issues list takes no arguments");
    iv1::ListWorkItemsRequest req;
    req.set_filter(cmd.filter);
    req.set_order_by(cmd.order_by);
    req.set_page_size(cmd.page_size > 0 ? cmd.page_size : (cmd.all ? 1000 : 0));
    req.set_page_token(cmd.page_token);
    if (intake.overdue) {
      req.set_overdue_on(intake.overdue_on.empty() ? ChinaDate(absl::Now()) : intake.overdue_on);
    }
    iv1::ListWorkItemsResponse resp;
    grpc::Status status = FetchPages(
        *c.connection, req, cmd.all, &resp,
        [&](auto* ctx, const auto& r, auto* o) { return c.stub->ListWorkItems(ctx, r, o); });
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(resp);
      return kExitOk;
    }
    if (resp.work_items_size() == 0) {
      out << (intake.overdue ? "(no overdue items on " + req.overdue_on() + ")" : "(no items)")
          << "\n";
    } else {
      if (intake.overdue) out << "逾期 overdue on " << req.overdue_on() << "\n";
      PrintWorkItemsTable(resp, LoadDepartmentNames(cmd), SubjectTitles(c, resp), out);
    }
    err << resp.work_items_size() << " of " << resp.total_size() << " items\n";
    PrintNextPage(resp.next_page_token(), err);
    return kExitOk;
  }
  if (verb == "get") {
    if (args.size() != 3) return Usage(err, "usage: chainctl issues get issues/{id}|tasks/{id}");
    iv1::GetWorkItemRequest req;
    req.set_name(args[2]);
    iv1::WorkItem item;
    grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::GetWorkItem, req, &item);
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(item);
    } else {
      PrintWorkItem(item, LoadDepartmentNames(cmd), out);
    }
    return kExitOk;
  }
  if (verb == "create") {
    if (args.size() != 2 || intake.subject.empty() || intake.title.empty() ||
        intake.owner.empty() || intake.deadline.empty()) {
      return Usage(err,
                   "usage: chainctl issues create --subject=SUBJECT --title=… --owner=DEPT "
                   "--deadline=YYYY-MM-DD [--kind=issue|task] [--description=…]");
    }
    iv1::WorkItem item;
    const std::string kind = absl::AsciiStrToLower(intake.kind);
    if (kind == "issue" || kind == "问题") {
      item.set_kind(iv1::WORK_ITEM_KIND_ISSUE);
    } else if (kind == "task" || kind == "任务") {
      item.set_kind(iv1::WORK_ITEM_KIND_TASK);
    } else {
      return Usage(err, absl::StrCat("--kind must be issue or task, got \"", intake.kind, "\""));
    }
    std::string subject = intake.subject;
    if (!absl::StartsWith(subject, "projects/") && !absl::StartsWith(subject, "chains/")) {
      absl::StatusOr<iv1::Project> project = ResolveProject(c, subject);
      if (!project.ok()) {
        const int code = ReportResolveError(project.status(), c, err);
        err << "hint: --subject is projects/{id}, a project's external_id or chains/{chain}\n";
        return code;
      }
      subject = project->name();
    }
    item.set_subject(subject);
    item.set_title(intake.title);
    item.set_description(intake.description);
    item.set_owner_department(absl::StartsWith(intake.owner, "departments/")
                                  ? intake.owner
                                  : absl::StrCat("departments/", intake.owner));
    item.set_deadline(intake.deadline);
    iv1::CreateWorkItemRequest req;
    *req.mutable_work_item() = item;
    // The same item created twice is a retry (e.g. a re-run script): it replays the first result.
    req.set_request_id(
        absl::StrCat("workitem:", Sha256Hex(item.SerializeAsString()).substr(0, 24)));
    iv1::WorkItem created;
    grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::CreateWorkItem, req, &created);
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(created);
    } else {
      out << "created " << created.name() << " (" << WorkItemKindName(created.kind())
          << "): " << created.title() << " — " << created.owner_department() << ", deadline "
          << created.deadline() << (created.overdue() ? " (逾期 overdue)" : "") << "\n";
    }
    return kExitOk;
  }
  if (verb == "move") {
    if (args.size() != 3 || intake.to.empty()) {
      return Usage(err, "usage: chainctl issues move NAME --to=STATUS [--note=…] [--date=…]");
    }
    std::optional<iv1::WorkItemStatus> to = ParseWorkItemStatus(intake.to);
    if (!to) {
      return Usage(err, absl::StrCat("--to: unknown status \"", intake.to,
                                     "\" (OPEN, COORDINATING, ESCALATED, RESOLVED or 待处理, "
                                     "协调中, 提级协调, 已解决)"));
    }
    iv1::GetWorkItemRequest get;
    get.set_name(args[2]);
    iv1::WorkItem before;
    {
      grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::GetWorkItem, get, &before);
      if (!status.ok()) return ReportRpcError(status, err, c.options());
    }
    iv1::TransitionWorkItemRequest req;
    req.set_name(args[2]);
    req.set_to_status(*to);
    req.set_note(intake.note);
    req.set_effective_date(cmd.date);
    iv1::WorkItem moved;
    grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::TransitionWorkItem, req, &moved);
    if (!status.ok()) return ReportRpcError(status, err, c.options());
    if (Json(cmd)) {
      out << ToJson(moved);
    } else {
      out << moved.name() << " " << moved.title() << ": " << WorkItemStatusName(before.status())
          << " → " << WorkItemStatusName(moved.status()) << "\n";
    }
    return kExitOk;
  }
  return Usage(err, "usage: chainctl issues list|get|create|move");
}

// --- lights, summary ---------------------------------------------------------------------------

int LightsCommand(const CommandLine& cmd, const IntakeOptions& intake,
                  const std::vector<std::string>& args, IntakeClient& c, std::ostream& out,
                  std::ostream& err) {
  if (args.size() != 2 || args[1] != "evaluate") {
    return Usage(err,
                 "usage: chainctl lights evaluate [--date=YYYY-MM-DD] [--chain=CHAIN] "
                 "[--dry_run]");
  }
  iv1::EvaluateLightsRequest req;
  req.set_date(cmd.date);
  if (!intake.chain.empty()) req.set_chain(ChainName(intake.chain));
  req.set_dry_run(intake.dry_run);
  iv1::EvaluateLightsResponse resp;
  grpc::ClientContext ctx;
  c.connection->Prepare(&ctx);
  // Evaluating every project of a city is one long call.
  ctx.set_deadline(std::chrono::system_clock::now() +
                   absl::ToChronoMilliseconds(std::max(cmd.client.timeout, absl::Minutes(2))));
  grpc::Status status = c.stub->EvaluateLights(&ctx, req, &resp);
  if (!status.ok()) return ReportRpcError(status, err, c.options());
  if (Json(cmd)) {
    out << ToJson(resp);
    return kExitOk;
  }
  // Names for the rows shown: reds first, at most kShown of them.
  constexpr size_t kShown = 15;
  std::vector<const iv1::LightResult*> shown;
  for (const auto& r : resp.results()) shown.push_back(&r);
  std::stable_sort(shown.begin(), shown.end(),
                   [](const auto* a, const auto* b) { return a->light() > b->light(); });
  if (shown.size() > kShown) shown.resize(kShown);
  std::map<std::string, std::string> titles;
  for (const auto* r : shown) {
    iv1::GetProjectRequest get;
    get.set_name(r->project());
    iv1::Project p;
    grpc::ClientContext get_ctx;
    c.connection->Prepare(&get_ctx);
    if (c.stub->GetProject(&get_ctx, get, &p).ok()) {
      titles[r->project()] =
          absl::StrCat(p.external_id().empty() ? p.name() : p.external_id(), " ", p.display_name());
    }
  }
  if (intake.dry_run) out << "(dry run: nothing stored)\n";
  PrintLightResults(resp, titles, kShown, out);
  return kExitOk;
}

int SummaryCommand(const CommandLine& cmd, const IntakeOptions& intake,
                   const std::vector<std::string>& args, IntakeClient& c, std::ostream& out,
                   std::ostream& err) {
  if (args.size() != 2) {
    return Usage(err, "usage: chainctl summary CHAIN|all [--period=2026|2026-Q2|2026-05]");
  }
  iv1::SummarizeProjectsRequest req;
  const bool all = args[1] == "all";
  if (!all) req.set_chain(ChainName(args[1]));
  req.set_period(intake.period.empty() ? ChinaDate(absl::Now()).substr(0, 4) : intake.period);
  iv1::ProjectSummary summary;
  grpc::Status status = c.Call(&iv1::ProjectIntake::Stub::SummarizeProjects, req, &summary);
  if (!status.ok()) return ReportRpcError(status, err, c.options());
  if (Json(cmd)) {
    out << ToJson(summary);
    return kExitOk;
  }
  PrintProjectSummary(summary, all ? "全市 all chains" : ChainTitle(cmd, req.chain()), out);
  return kExitOk;
}

}  // namespace

bool IsIntakeCommand(absl::string_view command) {
  return command == "projects" || command == "issues" || command == "lights" ||
         command == "summary";
}

std::string IntakeHelpText() { return kIntakeHelp; }

int RunIntakeCommand(const CommandLine& cmd, const IntakeOptions& intake,
                     const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || !IsIntakeCommand(args[0])) {
    return Usage(err, "not an intake command (projects, issues, lights, summary)");
  }
  absl::StatusOr<IntakeClient> client = OpenIntake(cmd, intake);
  if (!client.ok()) {
    PrintError(client.status(), err, nullptr);
    return kExitUsage;
  }
  const std::string& command = args[0];
  if (command == "projects") return ProjectsCommand(cmd, intake, args, *client, out, err);
  if (command == "issues") return IssuesCommand(cmd, intake, args, *client, out, err);
  if (command == "lights") return LightsCommand(cmd, intake, args, *client, out, err);
  return SummaryCommand(cmd, intake, args, *client, out, err);
}

}  // namespace chainhub::chainctl
