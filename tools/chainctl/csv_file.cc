#include "tools/chainctl/csv_file.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"
#include "common/base/status_util.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

std::optional<std::vector<CsvRecord>> ReadCsvFile(const std::string& path, std::ostream& err,
                                                  std::string* bytes_out) {
  absl::StatusOr<std::string> bytes = ReadFlagFile(path, "FILE");
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

bool RowTally::Take(const grpc::Status& status, int row, const std::string& id,
                    bool changed_something) {
  if (status.ok()) {
    ++(changed_something ? changed : unchanged);
    return true;
  }
  const absl::Status s = FromGrpcStatus(status);
  switch (s.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kDeadlineExceeded:
      stopped = s;
      return false;
    default:
      failed.push_back({row, id, absl::StrCat(absl::StatusCodeToString(s.code()), ": ",
                                              s.message())});
      return true;
  }
}

int FinishRows(std::vector<FailedRow> failed, bool some_failed, const absl::Status& stopped,
               absl::string_view rerun, const ClientOptions& options, std::ostream& out,
               std::ostream& err) {
  if (!failed.empty()) {
    std::stable_sort(failed.begin(), failed.end(),
                     [](const FailedRow& a, const FailedRow& b) { return a.row < b.row; });
    out << "failed rows:\n";
    for (const FailedRow& f : failed) {
      out << "  row " << f.row << "  " << (f.external_id.empty() ? "-" : f.external_id) << "  "
          << f.message << "\n";
    }
  }
  if (!stopped.ok()) {
    PrintError(stopped, err, &options);
    err << "re-run the same command: " << rerun << "\n";
    return kExitRpcError;
  }
  return some_failed ? kExitPartialFailure : kExitOk;
}

}  // namespace chainhub::chainctl
