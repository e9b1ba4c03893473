#include "tools/chainctl/enterprise_csv.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/fields.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

using registry::v1::Enterprise;
using registry::v1::EnterpriseLabel;

bool IsProvinceChainId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
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

std::optional<EnterpriseLabel> ParseLabel(absl::string_view text) {
  std::string upper = absl::AsciiStrToUpper(text);
  absl::string_view name = upper;
  absl::ConsumePrefix(&name, "ENTERPRISE_LABEL_");
  EnterpriseLabel label;
  if (name.empty() || name == "UNSPECIFIED" ||
      !registry::v1::EnterpriseLabel_Parse(absl::StrCat("ENTERPRISE_LABEL_", name), &label)) {
    return std::nullopt;
  }
  return label;
}

}  // namespace

const std::vector<std::string>& KnownEnterpriseColumns() {
  static const auto* const kColumns = new std::vector<std::string>{
      "credit_code", "display_name",       "county",      "park",
      "labels",      "annual_output_yuan", "memberships", "province_category_override",
      "synthetic",   "founding_date"};
  return *kColumns;
}

absl::StatusOr<EnterpriseColumns> MapEnterpriseHeader(const std::vector<std::string>& header) {
  EnterpriseColumns columns;
  columns.width = header.size();
  const std::pair<const char*, std::optional<size_t> EnterpriseColumns::*> kSlots[] = {
      {"credit_code", &EnterpriseColumns::credit_code},
      {"display_name", &EnterpriseColumns::display_name},
      {"county", &EnterpriseColumns::county},
      {"park", &EnterpriseColumns::park},
      {"labels", &EnterpriseColumns::labels},
      {"annual_output_yuan", &EnterpriseColumns::annual_output_yuan},
      {"memberships", &EnterpriseColumns::memberships},
      {"province_category_override", &EnterpriseColumns::province_category_override},
      {"synthetic", &EnterpriseColumns::synthetic},
      {"founding_date", &EnterpriseColumns::founding_date},
  };
  std::vector<FieldViolation> violations;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(absl::StripAsciiWhitespace(header[i]));
    bool known = false;
    for (const auto& [slot_name, slot] : kSlots) {
      if (name != slot_name) continue;
      known = true;
      if ((columns.*slot).has_value()) {
        violations.push_back({"header", absl::StrCat("column \"", name, "\" appears twice")});
      } else {
        columns.*slot = i;
      }
    }
    if (!known) {
      violations.push_back(
          {"header", absl::StrCat("unknown column \"", header[i], "\" (known: ",
                                  absl::StrJoin(KnownEnterpriseColumns(), ", "), ")")});
    }
  }
  if (!columns.credit_code) violations.push_back({"header", "column \"credit_code\" is required"});
  if (!columns.display_name) {
    violations.push_back({"header", "column \"display_name\" is required"});
  }
  if (!violations.empty()) return InvalidFields(violations);
  return columns;
}

absl::StatusOr<Enterprise> EnterpriseFromCsvRow(const EnterpriseColumns& columns,
                                                const std::vector<std::string>& fields) {
  if (fields.size() != columns.width) {
    return InvalidField(
        "row", absl::StrCat("has ", fields.size(), " fields but the header has ", columns.width));
  }
  auto cell = [&](const std::optional<size_t>& column) -> absl::string_view {
    return column ? absl::StripAsciiWhitespace(fields[*column]) : absl::string_view();
  };

  Enterprise e;
  std::vector<FieldViolation> violations;

  const absl::string_view code = cell(columns.credit_code);
  if (code.empty()) {
    violations.push_back({"credit_code", "must not be empty"});
  } else if (absl::Status s = ValidateCreditCode(code, "credit_code"); !s.ok()) {
    std::vector<FieldViolation> v = FieldViolationsOf(s);
    if (v.empty()) v.push_back({"credit_code", std::string(s.message())});
    violations.insert(violations.end(), v.begin(), v.end());
  } else {
    e.set_credit_code(std::string(code));
    e.set_name(tools::EnterpriseName{std::string(code)}.String());
  }

  const absl::string_view display_name = cell(columns.display_name);
  if (display_name.empty()) {
    violations.push_back({"display_name", "must not be empty"});
  } else {
    e.set_display_name(std::string(display_name));
  }
  e.set_county(std::string(cell(columns.county)));
  e.set_park(std::string(cell(columns.park)));

  for (const std::string& item : ListItems(cell(columns.labels))) {
    if (std::optional<EnterpriseLabel> label = ParseLabel(item)) {
      // "high_tech" and "HIGH_TECH" are one label: drop repeats after parsing, not before.
      if (std::find(e.labels().begin(), e.labels().end(), *label) == e.labels().end()) {
        e.add_labels(*label);
      }
    } else {
      violations.push_back(
          {"labels", absl::StrCat("unknown label \"", item,
                                  "\" (one of CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, "
                                  "HIGH_TECH)")});
    }
  }

  if (const absl::string_view output = cell(columns.annual_output_yuan); !output.empty()) {
    int64_t yuan = 0;
    const bool digits_only =
        !absl::StartsWith(output, "+") &&
        (absl::ascii_isdigit(static_cast<unsigned char>(output[0])) || output[0] == '-');
    if (!digits_only || !absl::SimpleAtoi(output, &yuan)) {
      violations.push_back({"annual_output_yuan",
                            absl::StrCat("must be a whole number of yuan, not \"", output, "\"")});
    } else if (yuan < 0) {
      violations.push_back({"annual_output_yuan", "must be >= 0"});
    } else {
      e.set_annual_output_yuan(yuan);
    }
  }

  if (const absl::string_view founded = cell(columns.founding_date); !founded.empty()) {
    if (!IsValidDate(founded) || founded < "1900-01-01") {
      violations.push_back({"founding_date", "must be a date YYYY-MM-DD from 1900 on"});
    } else {
      e.set_founding_date(std::string(founded));
    }
  }

  for (const std::string& item : ListItems(cell(columns.memberships))) {
    if (NodeName::Parse("memberships", item).ok()) {
      e.add_memberships(item);
    } else {
      violations.push_back(
          {"memberships", absl::StrCat("\"", item, "\" is not a node name ", NodeName::kPattern)});
    }
  }

  for (const std::string& item : ListItems(cell(columns.province_category_override))) {
    if (IsProvinceChainId(item)) {
      e.add_province_category_override(item);
    } else {
      violations.push_back({"province_category_override",
                            absl::StrCat("\"", item, "\" is not a province chain id ([a-z0-9-])")});
    }
  }

  if (const absl::string_view flag = cell(columns.synthetic); !flag.empty()) {
    const std::string lower = absl::AsciiStrToLower(flag);
    if (lower == "true" || lower == "1") {
      e.set_synthetic(true);
    } else if (lower != "false" && lower != "0") {
      violations.push_back(
          {"synthetic", absl::StrCat("must be true or false, not \"", flag, "\"")});
    }
  }

  if (!violations.empty()) return InvalidFields(violations);
  return e;
}

}  // namespace chainhub::chainctl
