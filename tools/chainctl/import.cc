#include "tools/chainctl/import.h"

#include <algorithm>
#include <iostream>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/status_util.h"
#include "tools/chainctl/cli_util.h"
#include "common/files/csv.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/enterprise_csv.h"

namespace chainhub::chainctl {
namespace {

using registry::v1::BatchUpsertEnterprisesRequest;
using registry::v1::BatchUpsertEnterprisesResponse;
using registry::v1::Enterprise;

struct PendingRow {
  int line;
  Enterprise enterprise;
};

std::string FailedRowLine(int line, absl::string_view credit_code, absl::string_view message) {
  return absl::StrCat("line ", line, ": credit_code ", credit_code.empty() ? "-" : credit_code,
                      ": ", message);
}

}  // namespace

std::string BatchRequestId(const ImportOptions& options, absl::string_view file_sha256_hex,
                           int batch_index) {
  std::string id = absl::StrCat(options.request_id_prefix, ":", file_sha256_hex.substr(0, 16));
  if (options.batch_size != kDefaultBatchSize) absl::StrAppend(&id, ":b", options.batch_size);
  if (options.validate_only) absl::StrAppend(&id, ":validate");
  absl::StrAppend(&id, ":", batch_index);
  return id;
}

ImportSummary ImportEnterprises(Connection& connection, absl::string_view bytes,
                                const ImportOptions& options, std::ostream& err) {
  ImportSummary summary;
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(bytes);
  if (!records.ok()) {
    summary.file_status = records.status();
    return summary;
  }
  if (records->empty()) {
    summary.file_status = InvalidField("header", "the file is empty (a header row is required)");
    return summary;
  }
  const CsvRecord& header = records->front();
  if (!header.error.empty()) {
    summary.file_status = InvalidField("header", header.error);
    return summary;
  }
  absl::StatusOr<EnterpriseColumns> columns = MapEnterpriseHeader(header.fields);
  if (!columns.ok()) {
    summary.file_status = columns.status();
    return summary;
  }

  const bool tty = IsTerminal(err);
  std::vector<PendingRow> rows;
  std::vector<std::string> parse_errors;
  for (size_t i = 1; i < records->size(); ++i) {
    const CsvRecord& record = (*records)[i];
    ++summary.rows;
    std::string code;
    if (columns->credit_code && *columns->credit_code < record.fields.size()) {
      code = record.fields[*columns->credit_code];
    }
    if (!record.error.empty()) {
      ++summary.parse_failed;
      parse_errors.push_back(FailedRowLine(record.line, code, record.error));
      continue;
    }
    absl::StatusOr<Enterprise> enterprise = EnterpriseFromCsvRow(*columns, record.fields);
    if (!enterprise.ok()) {
      ++summary.parse_failed;
      parse_errors.push_back(FailedRowLine(record.line, code, enterprise.status().message()));
      continue;
    }
    rows.push_back({record.line, *std::move(enterprise)});
  }
  for (const std::string& line : parse_errors) err << line << "\n";

  if (options.unchanged) {
    std::vector<PendingRow> changed;
    for (PendingRow& row : rows) {
      if (options.unchanged(row.enterprise)) {
        ++summary.unchanged;
      } else {
        changed.push_back(std::move(row));
      }
    }
    rows = std::move(changed);
  }

  const std::string file_sha = Sha256Hex(bytes);
  const int batch_size = std::clamp(options.batch_size, 1, kMaxBatchSize);
  Progress progress(err, "enterprises", static_cast<int>(rows.size()), options.show_progress, tty);
  size_t next = 0;
  for (int batch = 0; next < rows.size(); ++batch) {
    const size_t end = std::min(rows.size(), next + static_cast<size_t>(batch_size));
    BatchUpsertEnterprisesRequest request;
    request.set_validate_only(options.validate_only);
    for (size_t i = next; i < end; ++i) *request.add_enterprises() = rows[i].enterprise;
    std::string digest = file_sha;
    if (options.unchanged) {
      std::string content;
      for (const Enterprise& e : request.enterprises()) {
        content += e.SerializeAsString();  // deterministic enough: maps are not used
      }
      digest = Sha256Hex(content);
    }
    request.set_request_id(BatchRequestId(options, digest, batch));
    BatchUpsertEnterprisesResponse response;
    grpc::ClientContext ctx;
    connection.Prepare(&ctx);
    grpc::Status status = connection.registry().BatchUpsertEnterprises(&ctx, request, &response);
    if (!status.ok()) {
      summary.rpc_status = FromGrpcStatus(status);
      summary.not_sent = static_cast<int>(rows.size() - next);
      progress.Say(absl::StrCat("enterprises: batch ", batch, " (", request.request_id(),
                                ") failed; ", summary.not_sent, " rows not sent"));
      break;
    }
    for (const auto& result : response.results()) {
      if (result.code() == 0) {
        if (options.validate_only) {
          ++summary.validated;
        } else if (result.created()) {
          ++summary.created;
        } else {
          ++summary.updated;
        }
        continue;
      }
      ++summary.row_failed;
      const size_t row = next + static_cast<size_t>(std::max(0, result.index()));
      const int line = row < end ? rows[row].line : 0;
      const std::string code_name =
          absl::StatusCodeToString(static_cast<absl::StatusCode>(result.code()));
      progress.Say(FailedRowLine(line, result.credit_code(),
                                 absl::StrCat(code_name, ": ", result.message())));
    }
    next = end;
    progress.Update(static_cast<int>(next));
  }
  progress.Finish();
  return summary;
}

int RunImport(Connection& connection, const std::string& path, const ImportOptions& options,
              std::ostream& out, std::ostream& err) {
  if (options.batch_size < 1 || options.batch_size > kMaxBatchSize) {
    err << "error: --batch_size must be between 1 and " << kMaxBatchSize << "\n";
    return kExitUsage;
  }
  const std::optional<std::string> bytes = ReadFileBytes(path);
  if (!bytes) {
    err << "error: cannot read " << path << "\n";
    return kExitUsage;
  }

  ImportSummary s = ImportEnterprises(connection, *bytes, options, err);
  if (!s.file_status.ok()) {
    err << path << ": ";
    PrintError(s.file_status, err, nullptr);
    return kExitUsage;
  }
  if (options.validate_only) {
    out << "validated " << path << ": " << s.rows << " rows, " << s.validated << " valid, "
        << s.failed() << " failed (" << s.parse_failed << " in the file, " << s.row_failed
        << " refused by the registry";
  } else {
    out << "imported " << path << ": " << s.rows << " rows, " << s.created << " created, "
        << s.updated << " updated, " << s.failed() << " failed (" << s.parse_failed
        << " in the file, " << s.row_failed << " refused by the registry";
  }
  if (s.not_sent > 0) out << ", " << s.not_sent << " not sent";
  out << ")\n";
  if (!s.rpc_status.ok()) {
    PrintError(s.rpc_status, err, &connection.options());
    err << "re-run the same command to resume: batches already sent replay their first result\n";
    return kExitRpcError;
  }
  return s.failed() > 0 ? kExitPartialFailure : kExitOk;
}

}  // namespace chainhub::chainctl
