// Turns rows of a project CSV file (the data/projects.csv layout, which department systems also
// export) into chainhub.intake.v1.ImportRow messages for ImportProjects. The header names the
// columns; each bad cell is reported naming its row, its column and the rule it broke, before
// anything is sent. Amounts may carry the units Chinese reports use (12.5亿, 800万) and enums
// their Chinese labels (省外, 招商引资, 开工), so a department's own spreadsheet imports as it is.
#ifndef CHAINHUB_TOOLS_CHAINCTL_PROJECT_CSV_H_
#define CHAINHUB_TOOLS_CHAINCTL_PROJECT_CSV_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::chainctl {

// Where each column of the file sits: column name (lower case, as in KnownProjectColumns) → its
// index in a row. Columns absent from the file are absent from the map.
struct ProjectLayout {
  std::map<std::string, size_t, std::less<>> columns;
  // Number of columns in the header: every row must have exactly this many fields.
  size_t width = 0;

  // The index of `column`, or nullopt when the file does not have it.
  std::optional<size_t> Find(absl::string_view column) const;
};

// Every column the importer knows, in the data/projects.csv order.
const std::vector<std::string>& KnownProjectColumns();
// The columns every file must have: external_id, display_name, chain, county, investor_name,
// investor_origin, source, total_investment_yuan, responsible_department.
const std::vector<std::string>& RequiredProjectColumns();

// Maps a header row to a layout. Names are matched after trimming spaces, ASCII case ignored. An
// unknown or repeated column, or a missing required one, is INVALID_ARGUMENT naming each (field
// "header"), with a google.rpc.BadRequest detail.
absl::StatusOr<ProjectLayout> ParseProjectHeader(const std::vector<std::string>& header);

// Converts one data row (`row_number`: its line in the file, echoed in the ImportRow and in
// errors). Cells are trimmed of surrounding spaces. On any bad cell: INVALID_ARGUMENT
// "row 12: total_investment_yuan: must be a whole number of yuan, got '1.2.3'" (several
// violations joined with "; "), with a BadRequest detail holding one "<column>: <rule>" each.
//
// Cells (empty means unset, except where a value is required):
//  - external_id, display_name, county, investor_name: required text; park, responsible_leader:
//    text.
//  - chain: "pv" or "chains/pv" (required). node: a node id of that chain ("silicon-wafer") or a
//    full node name on the same chain. province_chains: ';'-separated province chain ids.
//  - investor_origin: IN_PROVINCE / OUT_OF_PROVINCE / FOREIGN or 省内 / 省外 / 境外 (required).
//    source: INVESTMENT / TALENT or 招商引资 / 招才引智 (required). stage: NEGOTIATING, SIGNED,
//    REGISTERED, STARTED, IN_PRODUCTION, FULL_OUTPUT or 在谈 / 签约 / 注册 / 开工 / 投产 / 达产;
//    stalling and cancelling are moves of their own, not import values. English names ignore
//    ASCII case and may carry the enum prefix (INVESTOR_ORIGIN_, PROJECT_SOURCE_, STAGE_).
//  - fortune500, provincial_key, synthetic: true / false / 1 / 0 / 是 / 否.
//  - investor_credit_code: a 统一社会信用代码 (GB 32100 check character).
//  - total_investment_yuan (required), fixed_asset_investment_yuan,
//    annual_planned_investment_yuan: see ParseYuanAmount.
//  - responsible_department: "fgw" or "departments/fgw" (required).
//  - planned_start_date and the stage dates negotiating_date … full_output_date: YYYY-MM-DD.
// Rules that need the whole project or the registry (amounts within the total, stage dates in
// order, the chain existing) are the service's, so a file is checked once, by one set of rules.
absl::StatusOr<intake::v1::ImportRow> ParseProjectRow(const ProjectLayout& layout,
                                                      const std::vector<std::string>& fields,
                                                      int row_number);

// An amount in yuan: "1250000000", or a decimal number with a trailing unit 亿 (10^8) or 万
// (10^4): "12.5亿" → 1250000000, "800万" → 8000000. Exact decimal arithmetic; a result that is not
// a whole number of yuan, a sign, a separator, or more than int64 holds is INVALID_ARGUMENT
// naming `column` ("must be a whole number of yuan, got '1.2.3'").
absl::StatusOr<int64_t> ParseYuanAmount(absl::string_view column, absl::string_view text);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_PROJECT_CSV_H_
