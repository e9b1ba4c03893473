#include "services/support/supplier_spend.h"

#include <algorithm>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "services/assessment/periods.h"

namespace chainhub::support {
namespace {

std::string Path(const std::string& prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

bool SixDigits(absl::string_view text) {
  return text.size() == 6 && std::all_of(text.begin(), text.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

}  // namespace

void CheckSpendLine(const v1::SpendLine& line, const std::string& prefix,
                    std::vector<FieldViolation>* v) {
  const std::string code_field = Path(prefix, "supplier_credit_code");
  const std::string division_field = Path(prefix, "supplier_division");
  if (!line.supplier_credit_code().empty()) {
    absl::Status code = ValidateCreditCode(line.supplier_credit_code(), code_field);
    if (!code.ok()) {
      for (const FieldViolation& f : FieldViolationsOf(code)) v->push_back(f);
      if (FieldViolationsOf(code).empty()) v->push_back({code_field, std::string(code.message())});
    }
  }
  if (!line.supplier_division().empty() && !SixDigits(line.supplier_division())) {
    v->push_back({division_field,
                  absl::StrCat("must be a 6-digit administrative division code (e.g. 341100), got ",
                               Quoted(line.supplier_division()))});
  }
  if (line.supplier_credit_code().empty() && line.supplier_division().empty()) {
    v->push_back({code_field,
                  "must be set, or else supplier_division: a supplier without a credit code is "
                  "placed by its division"});
  }
  CheckOneLineText(v, Path(prefix, "supplier_name"), line.supplier_name(), false,
                   kMaxSupplierNameChars);
  if (line.amount_yuan() < 0) {
    v->push_back({Path(prefix, "amount_yuan"), "must be ≥ 0"});
  } else if (line.amount_yuan() > kMaxSpendYuan) {
    v->push_back({Path(prefix, "amount_yuan"), "must be at most 10^15 yuan"});
  }
}

std::string SupplierKey(const v1::SpendLine& line) {
  if (!line.supplier_credit_code().empty()) return "code:" + line.supplier_credit_code();
  if (!line.supplier_name().empty()) return "name:" + line.supplier_name();
  return "";
}

void CheckSpendLines(const google::protobuf::RepeatedPtrField<v1::SpendLine>& lines,
                     const std::string& prefix, std::vector<FieldViolation>* v) {
  const std::string field = Path(prefix, "lines");
  if (lines.size() > kMaxSpendLines) {
    v->push_back(
        {field, absl::StrCat("must hold at most ", kMaxSpendLines, " lines, got ", lines.size())});
    return;
  }
  absl::flat_hash_map<std::string, int> seen;
  int64_t total = 0;
  bool amounts_ok = true;
  for (int i = 0; i < lines.size(); ++i) {
    const std::string line_field = absl::StrCat(field, "[", i, "]");
    const size_t before = v->size();
    CheckSpendLine(lines[i], line_field, v);
    const std::string key = SupplierKey(lines[i]);
    if (!key.empty()) {
      auto [it, inserted] = seen.emplace(key, i);
      if (!inserted) {
        const bool by_code = absl::StartsWith(key, "code:");
        v->push_back({Path(line_field, by_code ? "supplier_credit_code" : "supplier_name"),
                      absl::StrCat("the supplier is already on ", field, "[", it->second,
                                   "]: list each supplier once")});
      }
    }
    if (v->size() != before) {
      amounts_ok = false;
      continue;
    }
    total += lines[i].amount_yuan();  // ≤ 5000 × 10^15: cannot overflow
  }
  if (amounts_ok && total > kMaxSpendYuan) {
    v->push_back({field, "must total at most 10^15 yuan"});
  }
}

int64_t SpendTotal(const google::protobuf::RepeatedPtrField<v1::SpendLine>& lines) {
  int64_t total = 0;
  for (const v1::SpendLine& line : lines) total += line.amount_yuan();
  return total;
}

void AppendRateLines(absl::string_view reporter_code, const v1::SupplierSpend& spend,
                     std::vector<SpendLine>* out) {
  for (const v1::SpendLine& line : spend.lines()) {
    SpendLine l;
    l.reporter = std::string(reporter_code);
    l.supplier_credit_code = line.supplier_credit_code();
    l.supplier_division = line.supplier_division();
    l.amount_yuan = line.amount_yuan();
    out->push_back(std::move(l));
  }
}

const std::vector<std::string>& SpendCsvColumns() {
  static const auto* columns = new std::vector<std::string>{
      "chain",         "reporter",          "period",     "supplier_credit_code",
      "supplier_name", "supplier_division", "amount_yuan"};
  return *columns;
}

std::optional<SpendCsvRow> ReadSpendCsvRow(int line,
                                           const std::map<std::string, std::string>& cells,
                                           std::vector<std::string>* errors) {
  auto cell = [&](const std::string& column) -> std::string {
    auto it = cells.find(column);
    return it == cells.end() ? "" : std::string(absl::StripAsciiWhitespace(it->second));
  };
  std::vector<FieldViolation> v;
  SpendCsvRow row;
  row.line = line;
  const std::string chain = cell("chain");
  if (chain.empty()) {
    v.push_back({"chain", "must not be empty"});
  } else if (absl::StatusOr<ChainName> c = ChainName::ParseOrId("chain", chain); c.ok()) {
    row.chain_id = c->chain;
  } else {
    v.push_back({"chain",
                 absl::StrCat("must be a chain id (pv) or name (chains/pv), got ", Quoted(chain))});
  }
  const std::string reporter = std::string(absl::StripPrefix(cell("reporter"), "enterprises/"));
  if (reporter.empty()) {
    v.push_back({"reporter", "must not be empty"});
  } else if (absl::Status s = ValidateCreditCode(reporter, "reporter"); !s.ok()) {
    v.push_back({"reporter", absl::StrCat("must be a valid 统一社会信用代码 (bare or as "
                                          "enterprises/{code}), got ",
                                          Quoted(reporter))});
  } else {
    row.reporter = reporter;
  }
  const std::string period = cell("period");
  if (absl::StatusOr<assessment::Period> p = assessment::Period::Parse("period", period); p.ok()) {
    row.period = p->String();
  } else {
    v.push_back({"period", absl::StrCat("must be a year (2026), quarter (2026-Q2) or month "
                                        "(2026-05), got ",
                                        Quoted(period))});
  }
  row.spend_line.set_supplier_credit_code(cell("supplier_credit_code"));
  row.spend_line.set_supplier_name(cell("supplier_name"));
  row.spend_line.set_supplier_division(cell("supplier_division"));
  const std::string amount = cell("amount_yuan");
  int64_t yuan = 0;
  const bool digits = !amount.empty() && std::all_of(amount.begin(), amount.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
  if (amount.empty()) {
    v.push_back({"amount_yuan", "must not be empty"});
  } else if (!digits || !absl::SimpleAtoi(amount, &yuan)) {
    v.push_back(
        {"amount_yuan", absl::StrCat("must be a whole number of yuan, got ", Quoted(amount))});
  } else {
    row.spend_line.set_amount_yuan(yuan);
  }
  CheckSpendLine(row.spend_line, "", &v);
  for (const FieldViolation& f : v) {
    errors->push_back(absl::StrCat("line ", line, ": ", f.field, ": ", f.rule));
  }
  if (!v.empty()) return std::nullopt;
  return row;
}

}  // namespace chainhub::support
