#include "tools/chainctl/progress_import.h"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "tools/chainctl/cli_util.h"
#include "tools/chainctl/csv_file.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/progress_csv.h"

namespace chainhub::chainctl {

namespace iv1 = intake::v1;

int ReportProgressFile(IntakeClient& intake, const std::string& path, std::ostream& out,
                       std::ostream& err) {
  std::string bytes;
  std::optional<std::vector<CsvRecord>> records = ReadCsvFile(path, err, &bytes);
  if (!records) return kExitUsage;
  absl::StatusOr<ProgressLayout> layout = ParseProgressHeader(records->front().fields);
  if (!layout.ok()) return Usage(err, absl::StrCat(path, ": header: ", layout.status().message()));

  std::vector<ProgressRow> rows;
  std::vector<FailedRow> failed;
  for (size_t i = 1; i < records->size(); ++i) {
    ProgressRow row = ParseProgressRow(*layout, (*records)[i]);
    if (row.error.empty()) {
      rows.push_back(std::move(row));
    } else {
      failed.push_back({row.line, row.external_id, row.error});
    }
  }

  // external_id → projects/{id}, from one pass over the library.
  iv1::ListProjectsRequest list;
  list.set_page_size(1000);
  iv1::ListProjectsResponse projects;
  grpc::Status listed = FetchPages(intake.connection(), intake.stub(),
                                   &iv1::ProjectIntake::Stub::ListProjects, list, true, &projects);
  if (!listed.ok()) return ReportRpcError(listed, err, intake.options());
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
          grpc::Status status = intake.Call(&iv1::ProjectIntake::Stub::ReportProgress, req, &resp);
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
  return FinishRows(std::move(failed), accepted < rows_in_file, fatal,
                    "rows already sent replay their first result", intake.options(), out, err);
}

}  // namespace chainhub::chainctl
