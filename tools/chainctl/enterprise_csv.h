// Turns rows of an enterprise CSV file (the data/enterprises.csv layout, which department systems
// also export) into chainhub.registry.v1.Enterprise messages. The header names the columns; each
// bad cell is reported naming its column and the rule it broke, before anything is sent.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ENTERPRISE_CSV_H_
#define CHAINHUB_TOOLS_CHAINCTL_ENTERPRISE_CSV_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chainhub/registry/v1/registry.pb.h"

namespace chainhub::chainctl {

// Where each known column sits in a row (nullopt: the column is absent from the file).
struct EnterpriseColumns {
  std::optional<size_t> credit_code;
  std::optional<size_t> display_name;
  std::optional<size_t> county;
  std::optional<size_t> park;
  std::optional<size_t> labels;
  std::optional<size_t> annual_output_yuan;
  std::optional<size_t> memberships;
  std::optional<size_t> province_category_override;
  std::optional<size_t> synthetic;
  std::optional<size_t> founding_date;
  // Number of columns in the header: every row must have exactly this many fields.
  size_t width = 0;
};

// The column names the importer knows, in the data/enterprises.csv order.
const std::vector<std::string>& KnownEnterpriseColumns();

// Maps a header row to columns. Names are matched exactly after trimming spaces (ASCII case is
// ignored). An unknown or repeated column is INVALID_ARGUMENT naming it; credit_code and
// display_name are required, every other column is optional.
absl::StatusOr<EnterpriseColumns> MapEnterpriseHeader(const std::vector<std::string>& header);

// Converts one row. Cells are trimmed of surrounding spaces. Lists (labels, memberships,
// province_category_override) are ';'-separated, empty items ignored and repeats dropped. On any
// bad cell: INVALID_ARGUMENT listing every violation as "<column>: <rule>", with a
// google.rpc.BadRequest detail (read it back with FieldViolationsOf).
//
// Rules: credit_code a valid 统一社会信用代码 (GB 32100 check character); display_name non-empty;
// labels from CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, HIGH_TECH (or the full
// ENTERPRISE_LABEL_* names; ASCII case ignored); annual_output_yuan an integer >= 0 (empty is 0);
// memberships node names chains/{chain}/nodes/{node}; province_category_override ids of
// [a-z0-9-]; synthetic true/false/1/0 (empty is false); founding_date YYYY-MM-DD from 1900 on
// (empty: unknown).
absl::StatusOr<registry::v1::Enterprise> EnterpriseFromCsvRow(
    const EnterpriseColumns& columns, const std::vector<std::string>& fields);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ENTERPRISE_CSV_H_
