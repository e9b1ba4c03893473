// Supplier spend: what a chain-owner firm (链主) bought from each of its suppliers in a period, the
// input of the 本地配套率 (local_rate.h). This file holds the rules of a report's lines and of the
// CSV rows they are imported from; the handlers (spend_handlers.cc) add who may report, that the
// reporter is on the chain, and the store.
#ifndef CHAINHUB_SERVICES_SUPPORT_SUPPLIER_SPEND_H_
#define CHAINHUB_SERVICES_SUPPORT_SUPPLIER_SPEND_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/repeated_ptr_field.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/base/status_util.h"
#include "services/support/local_rate.h"

namespace chainhub::support {

// A report holds at most this many lines.
inline constexpr int kMaxSpendLines = 5000;
// 10^15 yuan (1000 万亿元): the most one line, and one report's total, may hold, so that the sum
// over thousands of reports still fits in int64.
inline constexpr int64_t kMaxSpendYuan = 1'000'000'000'000'000;
inline constexpr size_t kMaxSupplierNameChars = 200;

// Every rule `line` breaks, its fields named under `prefix` ("spend.lines[3]"; "" names them
// bare, as a CSV column is): supplier_credit_code a valid 统一社会信用代码 when set;
// supplier_division 6 digits when set; one of the two set; supplier_name one line of at most 200
// characters; amount_yuan within 0..kMaxSpendYuan.
void CheckSpendLine(const v1::SpendLine& line, const std::string& prefix,
                    std::vector<FieldViolation>* violations);

// Who a line is bought from, to find a supplier listed twice: "code:<credit code>" when the line
// has one, else "name:<supplier name>" when it has a name, else "" (cannot be compared).
std::string SupplierKey(const v1::SpendLine& line);

// CheckSpendLine for each line (prefix "<prefix>.lines[i]"), at most kMaxSpendLines of them, each
// supplier (SupplierKey) once, and a total of at most kMaxSpendYuan.
void CheckSpendLines(const google::protobuf::RepeatedPtrField<v1::SpendLine>& lines,
                     const std::string& prefix, std::vector<FieldViolation>* violations);

// The sum of the lines' amounts (checked lines: it cannot overflow).
int64_t SpendTotal(const google::protobuf::RepeatedPtrField<v1::SpendLine>& lines);

// The lines of one report as ComputeLocalRate reads them.
void AppendRateLines(absl::string_view reporter_code, const v1::SupplierSpend& spend,
                     std::vector<SpendLine>* out);

// --- CSV import ------------------------------------------------------------------------------

// The columns of an import, every one required in the header (in any order): chain, reporter,
// period, supplier_credit_code, supplier_name, supplier_division, amount_yuan.
const std::vector<std::string>& SpendCsvColumns();

// One data row of an import, read: the report it belongs to and its line.
struct SpendCsvRow {
  int line = 0;          // the physical line it starts on (the header is line 1)
  std::string chain_id;  // "pv" (the cell may say "pv" or "chains/pv")
  std::string reporter;  // credit code (the cell may say it bare or as enterprises/{code})
  std::string period;    // canonical, e.g. 2026-Q2
  v1::SpendLine spend_line;
};

// A row's cells by column name → the row, or nullopt after adding every rule it breaks to
// `errors` as "line N: <column>: <rule>".
std::optional<SpendCsvRow> ReadSpendCsvRow(int line,
                                           const std::map<std::string, std::string>& cells,
                                           std::vector<std::string>* errors);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_SUPPLIER_SPEND_H_
