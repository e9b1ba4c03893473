#include "tools/chainctl/progress_csv.h"

#include <algorithm>
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
  const std::vector<std::string>& known = ProgressColumns();
  ProgressLayout layout;
  layout.width = header.size();
  std::vector<std::string> problems;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back(absl::StrCat("unknown column \"", name, "\""));
    } else if (!layout.column.emplace(name, i).second) {
      problems.push_back(absl::StrCat("column \"", name, "\" appears twice"));
    }
  }
  for (size_t i = 0; i + 1 < known.size(); ++i) {
    if (!layout.column.contains(known[i])) {
      problems.push_back(absl::StrCat("column \"", known[i], "\" is required"));
    }
  }
  if (!problems.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::StrJoin(problems, "; "), " (known: ", absl::StrJoin(known, ", "), ")"));
  }
  return layout;
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
  if (!record.error.empty() || record.fields.size() != layout.width) {
    row.error = absl::StrCat("INVALID_ARGUMENT: ",
                             record.error.empty()
                                 ? absl::StrCat("row: has ", record.fields.size(),
                                                " fields but the header has ", layout.width)
                                 : record.error);
    return row;
  }
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
