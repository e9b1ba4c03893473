#include "services/support/local_rate.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"
#include "common/base/status_util.h"

namespace chainhub::support {
namespace {

bool AllDigits(absl::string_view text, size_t size) {
  return text.size() == size && std::all_of(text.begin(), text.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c));
         });
}

bool LineIsLocal(const SpendLine& line, const LocalityParams& params) {
  if (!line.supplier_division.empty()) return IsLocal(line.supplier_division, params);
  if (line.supplier_credit_code.empty()) return false;
  absl::StatusOr<std::string> division = DivisionOfCreditCode(line.supplier_credit_code);
  return division.ok() && IsLocal(*division, params);
}

// The running figures of a firm or of the whole set.
struct Tally {
  int64_t total_yuan = 0;
  int64_t local_yuan = 0;
  // Keyed by credit code (views into the lines): true once one of its lines is local.
  absl::flat_hash_map<absl::string_view, bool> suppliers;
  // Lines without a credit code, each its own supplier.
  int64_t uncoded = 0;
  int64_t uncoded_local = 0;

  void Add(const SpendLine& line, bool local) {
    total_yuan += line.amount_yuan;
    if (local) local_yuan += line.amount_yuan;
    if (line.supplier_credit_code.empty()) {
      ++uncoded;
      if (local) ++uncoded_local;
      return;
    }
    bool& supplier_local = suppliers[line.supplier_credit_code];
    supplier_local = supplier_local || local;
  }

  LocalRate Rate(std::string reporter) const {
    LocalRate r;
    r.reporter = std::move(reporter);
    r.total_yuan = total_yuan;
    r.local_yuan = local_yuan;
    if (total_yuan != 0) {
      r.rate = static_cast<double>(local_yuan) / static_cast<double>(total_yuan);
    }
    r.suppliers = static_cast<int64_t>(suppliers.size()) + uncoded;
    r.local_suppliers =
        std::count_if(suppliers.begin(), suppliers.end(), [](const auto& s) { return s.second; }) +
        uncoded_local;
    return r;
  }
};

}  // namespace

absl::Status CheckLocalityParams(const LocalityParams& params) {
  std::vector<FieldViolation> violations;
  const std::string& city = params.city_code;
  if (!AllDigits(city, 6) || !absl::EndsWith(city, "00") || absl::EndsWith(city, "0000")) {
    violations.push_back(
        {"locality.city_code",
         absl::StrCat("must be a city's 6-digit administrative division code, ending in 00 but "
                      "not 0000 (e.g. 341100 for 滁州市), got ",
                      Quoted(city))});
  }
  if (params.scope == LocalScope::kRegion && params.region_provinces.empty()) {
    violations.push_back({"locality.region_provinces",
                          "must name at least one province when the scope is the region"});
  }
  for (size_t i = 0; i < params.region_provinces.size(); ++i) {
    const std::string& province = params.region_provinces[i];
    if (!AllDigits(province, 2)) {
      violations.push_back({absl::StrCat("locality.region_provinces[", i, "]"),
                            absl::StrCat("must be a province's 2-digit division code (e.g. 34 "
                                         "for 安徽), got ",
                                         Quoted(province))});
    }
  }
  return violations.empty() ? absl::OkStatus() : InvalidFields(violations);
}

absl::StatusOr<std::string> DivisionOfCreditCode(absl::string_view credit_code) {
  CHAINHUB_RETURN_IF_ERROR(ValidateCreditCode(credit_code, "supplier_credit_code"));
  return std::string(credit_code.substr(2, 6));
}

bool IsLocal(absl::string_view division, const LocalityParams& params) {
  if (!AllDigits(division, 6)) return false;
  switch (params.scope) {
    case LocalScope::kCity:
      return params.city_code.size() >= 4 && division.substr(0, 4) == params.city_code.substr(0, 4);
    case LocalScope::kProvince:
      return params.city_code.size() >= 2 && division.substr(0, 2) == params.city_code.substr(0, 2);
    case LocalScope::kRegion:
      return std::find(params.region_provinces.begin(), params.region_provinces.end(),
                       division.substr(0, 2)) != params.region_provinces.end();
  }
  return false;
}

LocalRateResult ComputeLocalRate(const std::vector<SpendLine>& lines, const LocalityParams& params,
                                 const std::set<std::string>& reporting_set) {
  // Ordered, so the firms come out sorted; keyed by views into `lines` and `reporting_set`.
  std::map<absl::string_view, Tally> firms;
  for (const std::string& reporter : reporting_set) firms[reporter];
  Tally overall;
  for (const SpendLine& line : lines) {
    Tally* firm = nullptr;
    if (reporting_set.empty()) {
      firm = &firms[line.reporter];
    } else {
      auto it = firms.find(line.reporter);
      if (it == firms.end()) continue;
      firm = &it->second;
    }
    const bool local = LineIsLocal(line, params);
    firm->Add(line, local);
    overall.Add(line, local);
  }

  LocalRateResult result;
  result.overall = overall.Rate("");
  result.firms.reserve(firms.size());
  for (const auto& [reporter, tally] : firms) {
    result.firms.push_back(tally.Rate(std::string(reporter)));
  }
  return result;
}

}  // namespace chainhub::support
