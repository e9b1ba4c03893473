// The files of `chainctl targets import` and `values import` (data/assessment/targets.csv and
// values.csv): one target, or one reported value, a row. Pure functions from CSV records to the
// requests they send, tested without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_CSV_H_
#define CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/files/csv.h"

namespace chainhub::chainctl {

enum class InputFile { kTargets, kValues };

// The columns of each file, every one required: subject, indicator, period, value; values add
// evidence.
const std::vector<std::string>& InputColumns(InputFile file);

// Where each column of a file sits.
using InputLayout = CsvLayout;

// A header row (names trimmed, ASCII case ignored) → its layout. INVALID_ARGUMENT naming every
// unknown, repeated or missing column: `unknown column "x"; column "value" is required (known:
// subject, …)`.
absl::StatusOr<InputLayout> ParseInputHeader(InputFile file,
                                             const std::vector<std::string>& header);

// One data row, names completed: a subject "pv" is chains/pv, an indicator "output" is
// indicators/output (SubjectArg, IndicatorArg).
struct InputRow {
  int line = 0;
  std::string subject;
  std::string indicator;
  std::string period;
  double value = 0;
  std::string evidence;
  // Why the row cannot be sent ("INVALID_ARGUMENT: …": a malformed record, the wrong number of
  // fields, an empty cell, a value that is not a number); empty when it can. The period and the
  // names are the service's to check.
  std::string error;
};

// A data record → a row. Cells are trimmed.
InputRow ParseInputRow(InputFile file, const InputLayout& layout, const CsvRecord& record);

// The SetTarget of a row.
assessment::v1::SetTargetRequest TargetRequest(const InputRow& row);

// The ReportValue of a row, its request_id derived from the row's content ("value:" and 32 hex of
// SHA-256 over subject, indicator, period, value and evidence): the same row sent again replays
// the first report instead of adding a revision, and a changed value or evidence is a new one.
assessment::v1::ReportValueRequest ValueRequest(const InputRow& row);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_CSV_H_
