// The progress files of `chainctl projects report --file` (月度报进展 in bulk): one month's
// cumulative figures of one project a row, the project named by its external_id. Pure functions
// from CSV records to ProgressReport messages, tested without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_PROGRESS_CSV_H_
#define CHAINHUB_TOOLS_CHAINCTL_PROGRESS_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "common/files/csv.h"

namespace chainhub::chainctl {

// Every column a progress file may have, in order: external_id, month,
// cumulative_completed_yuan, cumulative_funds_arrived_yuan (all required) and note.
const std::vector<std::string>& ProgressColumns();

// Where each column of a file sits.
using ProgressLayout = CsvLayout;

// A header row (names trimmed, ASCII case ignored) → its layout (ParseCsvHeader, every column but
// note required). INVALID_ARGUMENT naming every unknown, repeated or missing required column:
// `unknown column "x"; column "month" is required (known: external_id, …)`.
absl::StatusOr<ProgressLayout> ParseProgressHeader(const std::vector<std::string>& header);

// One data row of a progress file.
struct ProgressRow {
  int line = 0;
  std::string external_id;
  intake::v1::ProgressReport report;
  // Why the row cannot be sent ("INVALID_ARGUMENT: …": a malformed record, the wrong number of
  // fields, a bad amount, no external_id); empty when it can.
  std::string error;
};

// A data record → a row. Cells are trimmed; the amounts are read as ParseYuanAmount reads them
// (12.5亿, 800万); the month is the service's to check.
ProgressRow ParseProgressRow(const ProgressLayout& layout, const CsvRecord& record);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_PROGRESS_CSV_H_
