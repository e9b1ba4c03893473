// The scoring methods of a scheme item (考核计分方法): ratio to target, the efficacy coefficient
// (功效系数法), points per unit, all or nothing, size-band quotas, deductions, bonuses and
// assessors' ratings. An item is scored for every subject of a run at once, because the efficacy
// coefficient ranks each subject against the others. Each result carries its formula with the
// numbers filled in, so a reader can check the arithmetic.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_METHODS_H_
#define CHAINHUB_SERVICES_ASSESSMENT_METHODS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::assessment {

// ItemResult.problem when an item cannot be scored as intended; the item then scores 0.
inline constexpr absl::string_view kProblemNoTarget = "no target";
inline constexpr absl::string_view kProblemNoRating = "no rating";

// One subject's inputs to an item.
struct ItemInput {
  double actual = 0;                // the indicator's value
  std::optional<double> target;     // RATIO_TO_TARGET: the target in force, if any
  std::optional<double> rating;     // RATING: the points entered, if any
  std::vector<double> band_counts;  // QUOTA: projects per band, in the item's band order
};

// One ItemResult per input, in order: key, display_name (the item's, else
// `indicator_display_name`, else the key), indicator, actual, target/has_target (ratio_to_target
// only), method (MethodName), parameters ("cap=1.2"), points, max_points, formula and problem.
// The methods (the proto comments are the contract):
//  - ratio_to_target: points × min(actual ÷ target, cap), the ratio floored at 0; lower-is-better
//    uses target ÷ actual, and an actual ≤ 0 earns the cap. No target, or a target ≤ 0: 0 points,
//    problem "no target".
//  - efficacy: points × (60 + 40 × (x − min) ÷ (max − min)) ÷ 100 over the inputs (lower-is-better:
//    max − x); when max and min agree to 1e-9 (relative), points × all_equal_score ÷ 100 (default
//    100).
//  - per_unit: min(actual × points_per_unit, points), floored at 0.
//  - threshold: points when actual ≥ threshold (lower-is-better: ≤), else 0.
//  - quota: −min(Σ max(0, count_b − band_counts_b) × deduction_per_missing, points); a band with
//    no count given counts 0 projects.
//  - deduction: −min(actual × per_unit, points); bonus: +min(actual × per_unit, points); a
//    negative actual counts 0.
//  - rating: the entered points clamped to [0, points]; none: 0 points, problem "no rating".
// Numbers in formulas are printed by FormatNumber, points with two decimals (FormatPoints).
std::vector<v1::ItemResult> ScoreItem(const v1::SchemeItem& item, v1::Direction direction,
                                      absl::string_view indicator_display_name,
                                      const std::vector<ItemInput>& inputs);

// Whether the item's points count toward the scheme's total_points: every method but quota,
// deduction and bonus (and an item with no method does not).
bool IsScoredItem(const v1::SchemeItem& item);

// The method oneof's field name ("ratio_to_target", "efficacy", …); empty when none is set.
std::string MethodName(const v1::SchemeItem& item);

// The method's parameters as text: "cap=1.2", "all_equal_score=100", "points_per_unit=2",
// "threshold=5", "bands=[300000000,1000000000):7 [1000000000,∞):1; deduction_per_missing=0.1",
// "per_unit=0.5", "criteria=3"; an unset parameter reads "cap=unset".
std::string MethodParameters(const v1::SchemeItem& item);

// A number as formulas and messages show it: plain digits, never an exponent; up to 4 decimals
// with trailing zeros dropped (12, 0.5, 1.2346, 120000000), and 6 significant digits for a
// non-zero value smaller than that shows (0.00001234). A negative number starts with "−".
std::string FormatNumber(double value);
// Points with two decimals: "30.00", "−0.30".
std::string FormatPoints(double points);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_METHODS_H_
