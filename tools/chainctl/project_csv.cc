#include "tools/chainctl/project_csv.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/base/utf8.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace v1 = intake::v1;

// An English enum value (any ASCII case, with or without the enum's prefix) or its Chinese label.
template <typename Enum>
struct EnumWord {
  const char* english;
  const char* chinese;
  Enum value;
};

template <typename Enum, size_t N>
std::optional<Enum> ParseEnumWord(absl::string_view text, absl::string_view prefix,
                                  const EnumWord<Enum> (&words)[N]) {
  const std::string upper = absl::AsciiStrToUpper(text);
  absl::string_view bare = upper;
  absl::ConsumePrefix(&bare, prefix);
  for (const EnumWord<Enum>& w : words) {
    if (bare == w.english || text == w.chinese) return w.value;
  }
  return std::nullopt;
}

template <typename Enum, size_t N>
std::string EnumChoices(const EnumWord<Enum> (&words)[N]) {
  std::vector<std::string> parts;
  for (const EnumWord<Enum>& w : words)
    parts.push_back(absl::StrCat(w.english, " (", w.chinese, ")"));
  return absl::StrJoin(parts, ", ");
}

constexpr EnumWord<v1::InvestorOrigin> kOrigins[] = {
    {"IN_PROVINCE", "省内", v1::INVESTOR_ORIGIN_IN_PROVINCE},
    {"OUT_OF_PROVINCE", "省外", v1::INVESTOR_ORIGIN_OUT_OF_PROVINCE},
    {"FOREIGN", "境外", v1::INVESTOR_ORIGIN_FOREIGN},
};

constexpr EnumWord<v1::ProjectSource> kSources[] = {
    {"INVESTMENT", "招商引资", v1::PROJECT_SOURCE_INVESTMENT},
    {"TALENT", "招才引智", v1::PROJECT_SOURCE_TALENT},
};

// Only the main line: a row describes where a project stands, and stalling or cancelling needs a
// reason and a move of its own (TransitionStage).
constexpr EnumWord<v1::Stage> kStages[] = {
    {"NEGOTIATING", "在谈", v1::STAGE_NEGOTIATING},
    {"SIGNED", "签约", v1::STAGE_SIGNED},
    {"REGISTERED", "注册", v1::STAGE_REGISTERED},
    {"STARTED", "开工", v1::STAGE_STARTED},
    {"IN_PRODUCTION", "投产", v1::STAGE_IN_PRODUCTION},
    {"FULL_OUTPUT", "达产", v1::STAGE_FULL_OUTPUT},
};

// The stage-date columns and the StageDates field each one fills.
struct StageDateColumn {
  const char* column;
  void (v1::StageDates::*set)(const std::string&);
};
const StageDateColumn kStageDateColumns[] = {
    {"negotiating_date", &v1::StageDates::set_negotiating},
    {"signed_date", &v1::StageDates::set_signed_},
    {"registered_date", &v1::StageDates::set_registered},
    {"started_date", &v1::StageDates::set_started},
    {"in_production_date", &v1::StageDates::set_in_production},
    {"full_output_date", &v1::StageDates::set_full_output},
};

bool IsUtf8(absl::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Text as it can go into a message (a proto string field must be UTF-8): bytes that are not
// UTF-8 are shown as \xNN, and anything past `max_bytes` is cut with "…".
std::string Printable(absl::string_view text, size_t max_bytes = 40) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (out.size() >= max_bytes) return absl::StrCat(out, "…");
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      absl::StrAppend(&out, "\\x", absl::Hex(static_cast<unsigned char>(text[i]), absl::kZeroPad2));
      ++i;
    } else {
      out.append(text.data() + i, n);
      i += n;
    }
  }
  return out;
}

// A cell quoted back in a message.
std::string Quote(absl::string_view cell) { return absl::StrCat("'", Printable(cell), "'"); }

std::optional<bool> ParseBool(absl::string_view text) {
  const std::string lower = absl::AsciiStrToLower(text);
  if (lower == "true" || lower == "1" || text == "是") return true;
  if (lower == "false" || lower == "0" || text == "否") return false;
  return std::nullopt;
}

// The ';'-separated items of a cell, trimmed, empty ones skipped, first occurrence kept.
std::vector<std::string> ListItems(absl::string_view cell) {
  std::vector<std::string> items;
  std::set<std::string, std::less<>> seen;
  for (absl::string_view item : absl::StrSplit(cell, ';')) {
    item = absl::StripAsciiWhitespace(item);
    if (item.empty() || seen.contains(item)) continue;
    seen.emplace(item);
    items.emplace_back(item);
  }
  return items;
}

// A failed row: every violation, the message prefixed with the row so that it reads on its own.
absl::Status RowError(int row_number, const std::vector<FieldViolation>& violations) {
  absl::Status fields = InvalidFields(violations);
  absl::Status status(fields.code(), absl::StrCat("row ", row_number, ": ", fields.message()));
  fields.ForEachPayload([&](absl::string_view type_url, const absl::Cord& payload) {
    status.SetPayload(type_url, payload);
  });
  return status;
}

}  // namespace

std::optional<size_t> ProjectLayout::Find(absl::string_view column) const {
  auto it = columns.find(column);
  if (it == columns.end()) return std::nullopt;
  return it->second;
}

const std::vector<std::string>& KnownProjectColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "external_id",
      "display_name",
      "chain",
      "node",
      "province_chains",
      "county",
      "park",
      "investor_name",
      "investor_origin",
      "fortune500",
      "investor_credit_code",
      "source",
      "total_investment_yuan",
      "fixed_asset_investment_yuan",
      "annual_planned_investment_yuan",
      "responsible_leader",
      "responsible_department",
      "provincial_key",
      "planned_start_date",
      "stage",
      "negotiating_date",
      "signed_date",
      "registered_date",
      "started_date",
      "in_production_date",
      "full_output_date",
      "synthetic",
  };
  return *kColumns;
}

const std::vector<std::string>& RequiredProjectColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "external_id", "display_name",          "chain",
      "county",      "investor_name",         "investor_origin",
      "source",      "total_investment_yuan", "responsible_department",
  };
  return *kColumns;
}

absl::StatusOr<ProjectLayout> ParseProjectHeader(const std::vector<std::string>& header) {
  const std::vector<std::string>& known = KnownProjectColumns();
  ProjectLayout layout;
  layout.width = header.size();
  std::vector<FieldViolation> violations;
  std::vector<std::string> unknown;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]));
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      unknown.push_back(absl::StrCat("\"", Printable(header[i]), "\""));
    } else if (!layout.columns.emplace(name, i).second) {
      violations.push_back({"header", absl::StrCat("column \"", name, "\" appears twice")});
    }
  }
  if (!unknown.empty()) {
    violations.push_back(
        {"header",
         absl::StrCat(unknown.size() == 1 ? "unknown column " : "unknown columns ",
                      absl::StrJoin(unknown, ", "), " (known: ", absl::StrJoin(known, ", "), ")")});
  }
  for (const std::string& required : RequiredProjectColumns()) {
    if (!layout.columns.contains(required)) {
      violations.push_back({"header", absl::StrCat("column \"", required, "\" is required")});
    }
  }
  if (!violations.empty()) return InvalidFields(violations);
  return layout;
}

absl::StatusOr<int64_t> ParseYuanAmount(absl::string_view column, absl::string_view text) {
  const std::string rule = absl::StrCat("must be a whole number of yuan, got ", Quote(text),
                                        " (e.g. 1250000000, 12.5亿 or 800万)");
  absl::string_view number = absl::StripAsciiWhitespace(text);
  size_t exponent = 0;
  if (absl::ConsumeSuffix(&number, "亿")) {
    exponent = 8;
  } else if (absl::ConsumeSuffix(&number, "万")) {
    exponent = 4;
  }
  number = absl::StripAsciiWhitespace(number);
  std::vector<absl::string_view> parts = absl::StrSplit(number, '.');
  auto digits = [](absl::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return absl::ascii_isdigit(static_cast<unsigned char>(c));
    });
  };
  if (parts.size() > 2 || !digits(parts[0]) || (parts.size() == 2 && !digits(parts[1]))) {
    return InvalidField(column, rule);
  }
  // value = whole · 10^exponent + fraction scaled to `exponent` digits; any nonzero digit of
  // the fraction beyond that is a part of a yuan.
  std::string fraction = parts.size() == 2 ? std::string(parts[1]) : "";
  while (fraction.size() > exponent && fraction.back() == '0') fraction.pop_back();
  if (fraction.size() > exponent) {
    return InvalidField(column, absl::StrCat("must be a whole number of yuan, got ", Quote(text),
                                             " (a fraction of a yuan)"));
  }
  fraction.append(exponent - fraction.size(), '0');
  std::string mantissa = absl::StrCat(parts[0], fraction);
  // SimpleAtoi refuses what int64 cannot hold; leading zeros are harmless.
  const size_t first = mantissa.find_first_not_of('0');
  mantissa = first == std::string::npos ? "0" : mantissa.substr(first);
  int64_t yuan = 0;
  if (mantissa.size() > 19 || !absl::SimpleAtoi(mantissa, &yuan)) {
    return InvalidField(
        column, absl::StrCat("must be at most 9223372036854775807 yuan, got ", Quote(text)));
  }
  return yuan;
}

absl::StatusOr<v1::ImportRow> ParseProjectRow(const ProjectLayout& layout,
                                              const std::vector<std::string>& fields,
                                              int row_number) {
  if (fields.size() != layout.width) {
    return RowError(row_number,
                    {{"row", absl::StrCat("has ", fields.size(), " fields but the header has ",
                                          layout.width)}});
  }
  std::vector<FieldViolation> violations;
  // Every cell is checked for UTF-8 first: protobuf refuses to send a string field that is not,
  // and a file saved from a spreadsheet in GBK is the likely cause.
  std::set<size_t> bad_text;
  for (const auto& [name, index] : layout.columns) {
    if (!IsUtf8(fields[index])) {
      bad_text.insert(index);
      violations.push_back(
          {name,
           "is not UTF-8 text (save the file as UTF-8; GBK and other encodings are not read)"});
    }
  }
  auto cell = [&](absl::string_view column) -> absl::string_view {
    std::optional<size_t> index = layout.Find(column);
    if (!index || bad_text.contains(*index)) return absl::string_view();
    return absl::StripAsciiWhitespace(fields[*index]);
  };
  // A required column's cell must not be empty (a bad-encoding cell was reported already).
  auto required = [&](absl::string_view column) {
    std::optional<size_t> index = layout.Find(column);
    if (index && bad_text.contains(*index)) return false;
    if (!cell(column).empty()) return true;
    violations.push_back({std::string(column), "must not be empty"});
    return false;
  };

  v1::ImportRow row;
  row.set_row_number(row_number);
  v1::Project& p = *row.mutable_project();

  if (required("external_id")) p.set_external_id(std::string(cell("external_id")));
  if (required("display_name")) p.set_display_name(std::string(cell("display_name")));

  std::optional<ChainName> chain;
  if (required("chain")) {
    absl::StatusOr<ChainName> parsed = ChainName::ParseOrId("chain", cell("chain"));
    if (parsed.ok()) {
      chain = *std::move(parsed);
      p.set_chain(chain->String());
    } else {
      violations.push_back({"chain", absl::StrCat("must be a chain id like pv or a chain name "
                                                  "chains/pv, got ",
                                                  Quote(cell("chain")))});
    }
  }

  if (const absl::string_view node = cell("node"); !node.empty()) {
    if (absl::StrContains(node, '/')) {
      absl::StatusOr<NodeName> name = NodeName::Parse("node", node);
      if (!name.ok()) {
        violations.push_back({"node", absl::StrCat("must be a node id like silicon-wafer or a "
                                                   "node name chains/{chain}/nodes/{node}, got ",
                                                   Quote(node))});
      } else if (chain && name->Chain() != *chain) {
        violations.push_back(
            {"node", absl::StrCat("must be a node of ", chain->String(), ", got ", Quote(node))});
      } else if (chain) {
        p.set_node(name->String());
      }
    } else if (!IsValidId(node)) {
      violations.push_back({"node", absl::StrCat("must be a node id like silicon-wafer (2-40 of "
                                                 "a-z, 0-9 and '-', starting with a letter), got ",
                                                 Quote(node))});
    } else if (chain) {
      p.set_node(NodeName{chain->chain, std::string(node)}.String());
    }
  }

  for (const std::string& item : ListItems(cell("province_chains"))) {
    if (IsValidId(item)) {
      p.add_province_chains(item);
    } else {
      violations.push_back(
          {"province_chains", absl::StrCat(Quote(item),
                                           " is not a province chain id (2-40 of a-z, "
                                           "0-9 and '-', starting with a letter)")});
    }
  }

  if (required("county")) p.set_county(std::string(cell("county")));
  p.set_park(std::string(cell("park")));

  v1::Investor& investor = *p.mutable_investor();
  if (required("investor_name")) investor.set_name(std::string(cell("investor_name")));
  if (required("investor_origin")) {
    if (auto origin = ParseEnumWord(cell("investor_origin"), "INVESTOR_ORIGIN_", kOrigins)) {
      investor.set_origin(*origin);
    } else {
      violations.push_back(
          {"investor_origin", absl::StrCat("must be one of ", EnumChoices(kOrigins), ", got ",
                                           Quote(cell("investor_origin")))});
    }
  }
  auto flag = [&](absl::string_view column, auto set) {
    const absl::string_view text = cell(column);
    if (text.empty()) return;
    if (std::optional<bool> value = ParseBool(text)) {
      set(*value);
    } else {
      violations.push_back({std::string(column), absl::StrCat("must be true, false, 1, 0, 是 or "
                                                              "否, got ",
                                                              Quote(text))});
    }
  };
  flag("fortune500", [&](bool v) { investor.set_fortune500(v); });
  if (const absl::string_view code = cell("investor_credit_code"); !code.empty()) {
    if (absl::Status s = ValidateCreditCode(code, "investor_credit_code"); !s.ok()) {
      std::vector<FieldViolation> v = FieldViolationsOf(s);
      if (v.empty()) v.push_back({"investor_credit_code", std::string(s.message())});
      violations.insert(violations.end(), v.begin(), v.end());
    } else {
      investor.set_credit_code(std::string(code));
    }
  }

  if (required("source")) {
    if (auto source = ParseEnumWord(cell("source"), "PROJECT_SOURCE_", kSources)) {
      p.set_source(*source);
    } else {
      violations.push_back({"source", absl::StrCat("must be one of ", EnumChoices(kSources),
                                                   ", got ", Quote(cell("source")))});
    }
  }

  auto amount = [&](absl::string_view column, void (v1::Project::*set)(int64_t)) {
    const absl::string_view text = cell(column);
    if (text.empty()) return;
    absl::StatusOr<int64_t> yuan = ParseYuanAmount(column, text);
    if (yuan.ok()) {
      (p.*set)(*yuan);
    } else {
      const std::vector<FieldViolation> v = FieldViolationsOf(yuan.status());
      violations.insert(violations.end(), v.begin(), v.end());
    }
  };
  if (required("total_investment_yuan")) {
    amount("total_investment_yuan", &v1::Project::set_total_investment_yuan);
  }
  amount("fixed_asset_investment_yuan", &v1::Project::set_fixed_asset_investment_yuan);
  amount("annual_planned_investment_yuan", &v1::Project::set_annual_planned_investment_yuan);

  p.set_responsible_leader(std::string(cell("responsible_leader")));
  if (required("responsible_department")) {
    const absl::string_view id =
        tools::IdOf(DepartmentName::kPattern, cell("responsible_department"));
    if (IsValidId(id)) {
      p.set_responsible_department(DepartmentName{std::string(id)}.String());
    } else {
      violations.push_back(
          {"responsible_department",
           absl::StrCat("must be a department id like fgw or a department name departments/fgw, "
                        "got ",
                        Quote(cell("responsible_department")))});
    }
  }
  flag("provincial_key", [&](bool v) { p.set_provincial_key(v); });

  auto date = [&](absl::string_view column, auto set) {
    const absl::string_view text = cell(column);
    if (text.empty()) return;
    if (IsValidDate(text)) {
      set(std::string(text));
    } else {
      violations.push_back(
          {std::string(column), absl::StrCat("must be a date YYYY-MM-DD, got ", Quote(text))});
    }
  };
  date("planned_start_date", [&](const std::string& d) { p.set_planned_start_date(d); });

  if (const absl::string_view stage = cell("stage"); !stage.empty()) {
    if (auto value = ParseEnumWord(stage, "STAGE_", kStages)) {
      p.set_stage(*value);
    } else {
      violations.push_back(
          {"stage", absl::StrCat("must be one of ", EnumChoices(kStages), ", got ", Quote(stage),
                                 " (stall or cancel with `chainctl projects advance`)")});
    }
  }
  for (const StageDateColumn& c : kStageDateColumns) {
    date(c.column, [&](const std::string& d) { (p.mutable_stage_dates()->*c.set)(d); });
  }

  flag("synthetic", [&](bool v) { p.set_synthetic(v); });

  if (!violations.empty()) return RowError(row_number, violations);
  return row;
}

}  // namespace chainhub::chainctl
