// libFuzzer target for the project import path of `chainctl projects import`: the input is CSV
// text (first record the header) → ParseCsv → ParseProjectHeader → ParseProjectRow for every row
// → intake::CheckProject on every row that parses, which is what the service runs on it next.
// None may crash; errors must be INVALID_ARGUMENT naming the row, in UTF-8; a parsed row must be a
// project protobuf can send (valid UTF-8 strings) with normalised resource names; and
// ParseYuanAmount must agree with plain integer parsing where both apply.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/utf8.h"
#include "services/intake/validation.h"
#include "common/files/csv.h"
#include "tools/chainctl/project_csv.h"

namespace {

namespace v1 = chainhub::intake::v1;

[[noreturn]] void Fail(const std::string& what, const std::string& input) {
  std::fprintf(stderr, "invariant broken: %s\ninput: %s\n", what.c_str(), input.c_str());
  std::abort();
}

bool IsUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = chainhub::Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

void CheckErrorStatus(const absl::Status& status, absl::string_view prefix,
                      const std::string& input) {
  if (status.code() != absl::StatusCode::kInvalidArgument) {
    Fail(absl::StrCat("error is not INVALID_ARGUMENT: ", status.ToString()), input);
  }
  if (!absl::StartsWith(status.message(), prefix)) {
    Fail(absl::StrCat("error does not start with '", prefix, "': ", status.message()), input);
  }
  if (!IsUtf8(status.message())) Fail("error message is not UTF-8", input);
  for (const chainhub::FieldViolation& v : chainhub::FieldViolationsOf(status)) {
    if (!IsUtf8(v.field) || !IsUtf8(v.rule)) Fail("violation is not UTF-8", input);
  }
}

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Every cell doubles as an amount: a success is never negative and, for plain digits, is the
// integer they spell.
void CheckAmount(absl::string_view cell, const std::string& input) {
  absl::StatusOr<int64_t> yuan = chainhub::chainctl::ParseYuanAmount("amount", cell);
  if (!yuan.ok()) {
    CheckErrorStatus(yuan.status(), "amount: ", input);
    return;
  }
  if (*yuan < 0) Fail(absl::StrCat("negative amount ", *yuan, " from '", cell, "'"), input);
  const absl::string_view trimmed = absl::StripAsciiWhitespace(cell);
  int64_t plain = 0;
  if (AllDigits(trimmed) && absl::SimpleAtoi(trimmed, &plain) && plain != *yuan) {
    Fail(absl::StrCat("'", cell, "' read as ", *yuan), input);
  }
}

void CheckProject(const v1::ImportRow& row, int line, const std::string& input) {
  if (row.row_number() != line) Fail("row_number is not the record's line", input);
  const v1::Project& p = row.project();
  if (!absl::StartsWith(p.chain(), "chains/")) Fail("chain not normalised: " + p.chain(), input);
  if (!p.node().empty() && !absl::StartsWith(p.node(), p.chain() + "/nodes/")) {
    Fail("node not on the chain: " + p.node(), input);
  }
  if (!absl::StartsWith(p.responsible_department(), "departments/")) {
    Fail("department not normalised: " + p.responsible_department(), input);
  }
  if (p.external_id().empty()) Fail("empty external_id accepted", input);
  if (p.total_investment_yuan() < 0 || p.fixed_asset_investment_yuan() < 0 ||
      p.annual_planned_investment_yuan() < 0) {
    Fail("negative amount accepted", input);
  }
  // What chainctl sends must survive the wire: a string field that is not UTF-8 fails to parse.
  v1::ImportRow copy;
  if (!copy.ParseFromString(row.SerializeAsString())) Fail("row does not round-trip", input);

  std::vector<chainhub::FieldViolation> violations;
  chainhub::intake::CheckProject(p, "project", &violations);
  for (const chainhub::FieldViolation& v : violations) {
    if (!absl::StartsWith(v.field, "project."))
      Fail("violation outside project: " + v.field, input);
    if (!IsUtf8(v.field) || !IsUtf8(v.rule)) Fail("violation is not UTF-8", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<std::vector<chainhub::CsvRecord>> records =
      chainhub::ParseCsv(chainhub::StripUtf8Bom(input));
  if (!records.ok() || records->empty()) return 0;
  const chainhub::CsvRecord& header = records->front();
  if (!header.error.empty()) return 0;
  absl::StatusOr<chainhub::chainctl::ProjectLayout> layout =
      chainhub::chainctl::ParseProjectHeader(header.fields);
  if (!layout.ok()) {
    CheckErrorStatus(layout.status(), "header: ", input);
    return 0;
  }
  for (size_t i = 1; i < records->size(); ++i) {
    const chainhub::CsvRecord& record = (*records)[i];
    if (!record.error.empty()) continue;
    for (const std::string& cell : record.fields) CheckAmount(cell, input);
    absl::StatusOr<v1::ImportRow> row =
        chainhub::chainctl::ParseProjectRow(*layout, record.fields, record.line);
    if (!row.ok()) {
      CheckErrorStatus(row.status(), absl::StrCat("row ", record.line, ": "), input);
      continue;
    }
    CheckProject(*row, record.line, input);
  }
  return 0;
}
