// The CSV files the intake verbs read (projects import, projects report --file): the file read
// whole and parsed, and the report of the rows that failed, by their line in the file.
#ifndef CHAINHUB_TOOLS_CHAINCTL_CSV_FILE_H_
#define CHAINHUB_TOOLS_CHAINCTL_CSV_FILE_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"
#include "common/files/csv.h"

namespace chainhub::chainctl {

// A CSV file with at least its header row (and its bytes in `bytes_out` when given); on failure
// the problem is printed as a usage error.
std::optional<std::vector<CsvRecord>> ReadCsvFile(const std::string& path, std::ostream& err,
                                                  std::string* bytes_out = nullptr);

// One failed row of a file, for the report after the counts.
struct FailedRow {
  int row = 0;
  std::string external_id;
  std::string message;  // "CODE: field: rule"
};

// Counts of one upload of a file's rows (or entries), the rows that failed, and what stopped it.
struct RowTally {
  int changed = 0;
  int unchanged = 0;
  int not_sent = 0;
  std::vector<FailedRow> failed;
  absl::Status stopped;

  // Takes one request's outcome; false when the upload must stop: a failure no later request
  // escapes (the service unreachable or slow, the token refused).
  bool Take(const grpc::Status& status, int row, const std::string& id, bool changed_something);
};

// The end of a file's upload: "failed rows:" and one line per failed row, in file order, to `out`;
// then, when a call to the service stopped the upload, its error and `rerun` (why running the same
// command again is safe) to `err`. Returns the exit code: 2 stopped, 3 `some_failed`, else 0.
int FinishRows(std::vector<FailedRow> failed, bool some_failed, const absl::Status& stopped,
               absl::string_view rerun, const ClientOptions& options, std::ostream& out,
               std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_CSV_FILE_H_
