// The scoring methods of a scheme item, as pure functions: one item scored for every subject of
// a run at once (功效系数法 compares the subjects with each other). Each result carries the
// computation with its numbers, so a score explains itself.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_METHODS_H_
#define CHAINHUB_SERVICES_ASSESSMENT_METHODS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::assessment {

namespace v1 = ::chainhub::assessment::v1;

// One subject's inputs to an item.
struct ItemInput {
  // The indicator's value for the subject and period.
  double actual = 0;
  // RATIO_TO_TARGET: the target in force, if any.
  std::optional<double> target;
  // RATING: the points an assessor entered, if any.
  std::optional<double> rating;
  // QUOTA: the projects in each band, in the item's band order.
  std::vector<double> band_counts;
};

// One ItemResult per input, in order: key, display name (the item's, else
// `indicator_display_name`), indicator, actual, target, method, parameters, points, max points,
// formula and problem ("no target", "no rating": such an item scores 0).
std::vector<v1::ItemResult> ScoreItem(const v1::SchemeItem& item, v1::Direction direction,
                                      absl::string_view indicator_display_name,
                                      const std::vector<ItemInput>& inputs);

// Whether the item's points count toward the scheme's total_points: every method but the
// adjustments (quota, deduction, bonus).
bool IsScoredItem(const v1::SchemeItem& item);

// The method's name as in the proto: ratio_to_target, efficacy, per_unit, threshold, quota,
// deduction, bonus, rating ("" when none is set).
std::string MethodName(const v1::SchemeItem& item);

// A number as the formulas print it: at most 4 decimals, no trailing zeros, no exponent.
std::string FormatNumber(double v);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_METHODS_H_
