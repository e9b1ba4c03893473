#include "tools/chainctl/progress_csv.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tools/chainctl/project_csv.h"

namespace chainhub::chainctl {

namespace iv1 = intake::v1;

const std::vector<std::string>& ProgressColumns() {
  static const std::vector<std::string>* columns = new std::vector<std::string>{
      "external_id", "month", "cumulative_completed_yuan", "cumulative_funds_arrived_yuan", "note"};
  return *columns;
}

absl::StatusOr<ProgressLayout> ParseProgressHeader(const std::vector<std::string>& header) {
  return ParseCsvHeader(header, ProgressColumns(), ProgressColumns().size() - 1);
}

ProgressRow ParseProgressRow(const ProgressLayout& layout, const CsvRecord& record) {
  auto cell = [&](const std::string& name) -> std::string {
    auto it = layout.column.find(name);
    if (it == layout.column.end() || it->second >= record.fields.size()) return "";
    return std::string(absl::StripAsciiWhitespace(record.fields[it->second]));
  };
  ProgressRow row;
  row.line = record.line;
  row.external_id = cell("external_id");
  row.error = CsvRecordProblem(layout, record);
  if (!row.error.empty()) return row;
  std::vector<std::string> violations;
  row.report.set_month(cell("month"));
  for (const auto& [name, set] :
       {std::pair{"cumulative_completed_yuan", &iv1::ProgressReport::set_cumulative_completed_yuan},
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
    row.error = absl::StrCat("INVALID_ARGUMENT: ", absl::StrJoin(violations, "; "));
  }
  return row;
}

}  // namespace chainhub::chainctl
