#include "tools/chainctl/project_import.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/csv_file.h"
#include "tools/chainctl/project_csv.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// The parser's "row N: " prefix, dropped where the row is printed beside the message anyway.
std::string WithoutRowPrefix(absl::string_view message, int row) {
  absl::ConsumePrefix(&message, absl::StrCat("row ", row, ": "));
  return std::string(message);
}

}  // namespace

int ImportProjects(IntakeClient& intake, const std::string& path,
                   const ProjectImportOptions& options, std::ostream& out, std::ostream& err) {
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
  header.set_validate_only(options.validate_only);
  header.set_source(options.source.empty() ? BaseName(path) : options.source);

  iv1::ImportProjectsResponse total;
  absl::Status rpc_status;
  int not_sent = 0;
  Progress progress(err, "projects", static_cast<int>(rows.size()), true, IsTerminal(err), 100);
  for (size_t start = 0; start < rows.size(); start += kMaxImportRowsPerCall) {
    const size_t end = std::min(rows.size(), start + kMaxImportRowsPerCall);
    grpc::ClientContext ctx;
    intake.connection().Prepare(&ctx);
    // The per-call --timeout is for one question and answer; a call streaming thousands of rows,
    // committed as they arrive, gets at least five minutes.
    ctx.set_deadline(
        std::chrono::system_clock::now() +
        absl::ToChronoMilliseconds(std::max(intake.options().timeout, absl::Minutes(5))));
    iv1::ImportProjectsResponse response;
    std::unique_ptr<grpc::ClientWriter<iv1::ImportProjectsRequest>> writer =
        intake.stub().ImportProjects(&ctx, &response);
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
  if (options.validate_only) {
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
  return FinishRows(std::move(failed), failed_count > 0, rpc_status,
                    "rows are upserted by external_id, so none is applied twice", intake.options(),
                    out, err);
}

}  // namespace chainhub::chainctl
