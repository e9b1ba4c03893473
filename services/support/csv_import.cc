#include "services/support/csv_import.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"

namespace chainhub::support {

absl::StatusOr<CsvImport> ReadCsvImport(ClientStream<v1::ImportRowsRequest>& reader,
                                        const CsvImportLimits& limits) {
  CsvImport file;
  std::string text;
  bool too_big = false;
  v1::ImportRowsRequest msg;
  while (reader.Read(&msg)) {
    file.validate_only = file.validate_only || msg.validate_only();
    if (too_big || text.size() + msg.csv().size() + 1 > limits.max_bytes) {
      too_big = true;  // read on, so the client's stream ends cleanly
      continue;
    }
    text += msg.csv();
    // Each message holds whole lines; the last one may end without a line break.
    if (!text.empty() && text.back() != '\n' && text.back() != '\r') text += '\n';
  }
  if (too_big) {
    return InvalidField("csv", absl::StrCat("one import takes at most ", limits.max_bytes >> 20,
                                            " MiB of CSV; split the file"));
  }
  absl::StatusOr<std::vector<CsvRecord>> parsed = ParseCsvFile(text);
  if (!parsed.ok()) return InvalidField("csv", ShownValue(parsed.status().message(), 200));
  file.records = *std::move(parsed);
  const std::string columns = absl::StrJoin(*limits.columns, ",");
  if (file.records.empty()) {
    return InvalidField("csv", absl::StrCat("must start with a header row: ", columns));
  }
  const CsvRecord& header = file.records[0];
  if (!header.error.empty()) {
    return InvalidField("csv", absl::StrCat("line ", header.line, ": the header row is malformed (",
                                            header.error, "); it must be: ", columns));
  }
  absl::StatusOr<CsvLayout> layout =
      ParseCsvHeader(header.fields, *limits.columns, limits.required);
  if (!layout.ok()) {
    return InvalidField("csv", absl::StrCat("line ", header.line, ": ", layout.status().message()));
  }
  file.layout = *std::move(layout);
  if (file.rows() > limits.max_rows) {
    return InvalidField("csv", absl::StrCat("one import takes at most ", limits.max_rows,
                                            " rows, got ", file.rows(), "; split the file"));
  }
  return file;
}

std::optional<std::map<std::string, std::string>> CsvImportCells(
    const CsvImport& file, const CsvRecord& record, std::vector<std::string>* errors) {
  const std::string problem = CsvRecordProblem(file.layout, record);
  if (!problem.empty()) {
    const absl::string_view why = absl::StripPrefix(problem, "INVALID_ARGUMENT: ");
    errors->push_back(absl::StrCat("line ", record.line, ": ",
                                   absl::StartsWith(why, "row: ") ? "" : "row: ", why));
    return std::nullopt;
  }
  std::map<std::string, std::string> cells;
  for (const auto& [column, index] : file.layout.column) cells[column] = record.fields[index];
  return cells;
}

}  // namespace chainhub::support
