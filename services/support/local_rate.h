// 本地配套率 (local supporting rate) of chain-owner firms. Targets are published everywhere (Anhui
// auto parts ≥ 70% sourced nearby; Fuzhou and Wuxi > 50% for chain-owner firms) but no formula is;
// ours is the purchase-amount ratio
//
//   local supporting rate = Σ purchases from local suppliers ÷ Σ all purchases
//
// over the reporting firms' purchase lines of a period (the caller picks the lines of the period).
// A supplier is local when its administrative division (行政区划码) falls in the chosen scope: the
// city, its province, or a region of provinces (长三角 by default).
#ifndef CHAINHUB_SERVICES_SUPPORT_LOCAL_RATE_H_
#define CHAINHUB_SERVICES_SUPPORT_LOCAL_RATE_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chainhub::support {

enum class LocalScope {
  kCity,      // the supplier's division shares the city code's first 4 digits (3411xx: 滁州)
  kProvince,  // ... its first 2 digits (34xxxx: 安徽)
  kRegion,    // its first 2 digits are one of region_provinces
};

struct LocalityParams {
  LocalScope scope = LocalScope::kCity;
  // 滁州市.
  std::string city_code = "341100";
  // 长三角: 上海, 江苏, 浙江, 安徽.
  std::vector<std::string> region_provinces = {"31", "32", "33", "34"};
};

// OK when `params` can place a supplier; otherwise INVALID_ARGUMENT naming each bad field:
// `locality.city_code` must be a city's 6-digit division code, ending in "00" but not "0000"
// (a province's); `locality.region_provinces[i]` must be 2 digits; `locality.region_provinces`
// must not be empty when the scope is the region.
absl::Status CheckLocalityParams(const LocalityParams& params);

// The administrative division of a 统一社会信用代码: its characters 3-8. INVALID_ARGUMENT
// (naming "supplier_credit_code") when the code is not a valid one (common/base/credit_code.h).
absl::StatusOr<std::string> DivisionOfCreditCode(absl::string_view credit_code);

// Whether the 6-digit division code `division` lies in the scope of `params` (checked by
// CheckLocalityParams). Anything but 6 ASCII digits is not local.
bool IsLocal(absl::string_view division, const LocalityParams& params);

// One purchase line: what a reporting firm bought from a supplier in the period.
struct SpendLine {
  std::string reporter;              // credit code of the chain-owner firm that reported it
  std::string supplier_credit_code;  // empty for a supplier without one (e.g. abroad)
  // An explicit 6-digit division code, used when given (a branch's site rather than its head
  // office's registration), else the division is read from the credit code. Neither, or a credit
  // code that is not valid: the supplier cannot be placed and is not local.
  std::string supplier_division;
  int64_t amount_yuan = 0;
};

// The rate of one firm, or of the whole reporting set (reporter "").
struct LocalRate {
  std::string reporter;
  int64_t total_yuan = 0;
  int64_t local_yuan = 0;
  double rate = 0;  // local_yuan ÷ total_yuan; 0 when total_yuan is 0
  // Distinct suppliers by credit code; a line without a credit code cannot be matched to another
  // and counts as a supplier of its own. A supplier is local when any of its lines is.
  int64_t suppliers = 0;
  int64_t local_suppliers = 0;
};

struct LocalRateResult {
  // Over every line of the reporting set. Its rate is amount-weighted, Σ local ÷ Σ total, not the
  // mean of the firms' rates: a firm that buys ten times as much weighs ten times as much, which
  // is what the published targets measure (the share of the chain's purchasing that stays
  // local), and a small firm at 100% cannot hide a large one at 10%. Its supplier counts are
  // distinct across firms, so a supplier of two firms counts once: they are not the sum of the
  // firms' counts.
  LocalRate overall;
  // One per reporting firm, sorted by reporter; a firm of the set with no lines (or a zero
  // total) is listed with rate 0.
  std::vector<LocalRate> firms;
};

// The local supporting rate of `lines` under `params` (checked by CheckLocalityParams). With a
// non-empty `reporting_set`, only the lines of those reporters count and each of them is listed;
// with an empty one, every reporter in `lines` is.
LocalRateResult ComputeLocalRate(const std::vector<SpendLine>& lines, const LocalityParams& params,
                                 const std::set<std::string>& reporting_set);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_LOCAL_RATE_H_
