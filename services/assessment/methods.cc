#include "services/assessment/methods.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace chainhub::assessment {
namespace {

constexpr absl::string_view kMinus = "−";  // U+2212, as printed tables write it

// Drops trailing zeros after a decimal point, and the point itself when nothing follows it.
std::string TrimZeros(std::string s) {
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// 0 for -0, so no formula prints "−0.00".
double NoNegativeZero(double x) { return x == 0 ? 0.0 : x; }

std::string Optional(bool has, double value) { return has ? FormatNumber(value) : "unset"; }

bool LowerIsBetter(v1::Direction direction) { return direction == v1::DIRECTION_LOWER_IS_BETTER; }

// What one method gives one subject.
struct Scored {
  double points = 0;
  std::string formula;
  std::string problem;
};

Scored RatioToTarget(const v1::RatioToTarget& m, bool lower, double points, const ItemInput& in) {
  const double cap = m.cap();
  if (!in.target.has_value() || !(*in.target > 0)) {
    const std::string why = in.target.has_value()
                                ? absl::StrCat("target ", FormatNumber(*in.target), " is not > 0")
                                : "no target in force";
    return {0, absl::StrCat(why, " → ", FormatPoints(0)), std::string(kProblemNoTarget)};
  }
  const double target = *in.target;
  if (lower && !(in.actual > 0)) {
    const double got = cap * points;
    return {got,
            absl::StrCat("actual ", FormatNumber(in.actual), " ≤ 0, lower is better: cap ",
                         FormatNumber(cap), " × ", FormatNumber(points), " = ", FormatPoints(got)),
            ""};
  }
  const double numerator = lower ? target : in.actual;
  const double denominator = lower ? in.actual : target;
  const double ratio = std::max(0.0, numerator / denominator);
  const double got = std::min(ratio, cap) * points;
  return {got,
          absl::StrCat("min(", FormatNumber(numerator), " ÷ ", FormatNumber(denominator), ", ",
                       FormatNumber(cap), ") × ", FormatNumber(points), " = ", FormatPoints(got)),
          ""};
}

Scored PerUnit(const v1::PerUnit& m, double points, const ItemInput& in) {
  const double got = std::clamp(in.actual * m.points_per_unit(), 0.0, points);
  return {got,
          absl::StrCat("min(", FormatNumber(in.actual), " × ", FormatNumber(m.points_per_unit()),
                       ", ", FormatNumber(points), ") = ", FormatPoints(got)),
          ""};
}

Scored Threshold(const v1::Threshold& m, bool lower, double points, const ItemInput& in) {
  const bool met = lower ? in.actual <= m.threshold() : in.actual >= m.threshold();
  const double got = met ? points : 0;
  const absl::string_view op = lower ? (met ? "≤" : ">") : (met ? "≥" : "<");
  return {got,
          absl::StrCat(FormatNumber(in.actual), " ", op, " ", FormatNumber(m.threshold()), " → ",
                       FormatPoints(got)),
          ""};
}

Scored Quota(const v1::SizeBandQuota& m, double points, const ItemInput& in) {
  double missing = 0;
  std::vector<std::string> shorts;
  for (int b = 0; b < m.bands_size(); ++b) {
    const double have = b < static_cast<int>(in.band_counts.size()) ? in.band_counts[b] : 0;
    const double required = m.bands(b).count();
    missing += std::max(0.0, required - have);
    shorts.push_back(
        absl::StrCat("max(0, ", FormatNumber(required), " − ", FormatNumber(have), ")"));
  }
  const double got = NoNegativeZero(-std::min(missing * m.deduction_per_missing(), points));
  return {got,
          absl::StrCat(kMinus, "min((", absl::StrJoin(shorts, " + "), ") × ",
                       FormatNumber(m.deduction_per_missing()), ", ", FormatNumber(points),
                       ") = ", FormatPoints(got)),
          ""};
}

// Deduction (sign −1) and bonus (sign +1): sign × min(actual × per_unit, points).
Scored PerUnitAdjustment(double per_unit, double sign, double points, const ItemInput& in) {
  const double actual = std::max(0.0, in.actual);
  const double got = NoNegativeZero(sign * std::min(actual * per_unit, points));
  return {
      got,
      absl::StrCat(sign < 0 ? kMinus : "", "min(", FormatNumber(in.actual), " × ",
                   FormatNumber(per_unit), ", ", FormatNumber(points), ") = ", FormatPoints(got)),
      ""};
}

Scored Rating(double points, const ItemInput& in) {
  if (!in.rating.has_value()) {
    return {0, absl::StrCat("no rating entered → ", FormatPoints(0)),
            std::string(kProblemNoRating)};
  }
  const double got = std::clamp(*in.rating, 0.0, points);
  std::string formula = absl::StrCat("rating ", FormatNumber(*in.rating));
  if (got != *in.rating) absl::StrAppend(&formula, " within [0, ", FormatNumber(points), "]");
  absl::StrAppend(&formula, " = ", FormatPoints(got));
  return {got, formula, ""};
}

// 功效系数法 for every input at once.
std::vector<Scored> Efficacy(const v1::EfficacyCoefficient& m, bool lower, double points,
                             const std::vector<ItemInput>& inputs) {
  std::vector<Scored> out;
  if (inputs.empty()) return out;
  double lo = inputs[0].actual, hi = inputs[0].actual;
  for (const ItemInput& in : inputs) {
    lo = std::min(lo, in.actual);
    hi = std::max(hi, in.actual);
  }
  const double all_equal = m.has_all_equal_score() ? m.all_equal_score() : 100.0;
  const bool equal = hi - lo <= 1e-9 * std::max({1.0, std::fabs(lo), std::fabs(hi)});
  for (const ItemInput& in : inputs) {
    if (equal) {
      const double got = points * all_equal / 100;
      out.push_back(
          {got,
           absl::StrCat("all equal (", FormatNumber(in.actual), "): ", FormatNumber(all_equal),
                        " ÷ 100 × ", FormatNumber(points), " = ", FormatPoints(got)),
           ""});
      continue;
    }
    const double distance = lower ? hi - in.actual : in.actual - lo;
    const double score = 60 + 40 * distance / (hi - lo);
    const double got = points * score / 100;
    const std::string distance_text =
        lower ? absl::StrCat(FormatNumber(hi), " − ", FormatNumber(in.actual))
              : absl::StrCat(FormatNumber(in.actual), " − ", FormatNumber(lo));
    out.push_back({got,
                   absl::StrCat("(60 + 40 × (", distance_text, ") ÷ (", FormatNumber(hi), " − ",
                                FormatNumber(lo), ")) ÷ 100 × ", FormatNumber(points), " = ",
                                FormatPoints(got)),
                   ""});
  }
  return out;
}

std::vector<Scored> ScoreAll(const v1::SchemeItem& item, bool lower,
                             const std::vector<ItemInput>& inputs) {
  const double points = item.points();
  if (item.method_case() == v1::SchemeItem::kEfficacy) {
    return Efficacy(item.efficacy(), lower, points, inputs);
  }
  std::vector<Scored> out;
  out.reserve(inputs.size());
  for (const ItemInput& in : inputs) {
    switch (item.method_case()) {
      case v1::SchemeItem::kRatioToTarget:
        out.push_back(RatioToTarget(item.ratio_to_target(), lower, points, in));
        break;
      case v1::SchemeItem::kPerUnit:
        out.push_back(PerUnit(item.per_unit(), points, in));
        break;
      case v1::SchemeItem::kThreshold:
        out.push_back(Threshold(item.threshold(), lower, points, in));
        break;
      case v1::SchemeItem::kQuota:
        out.push_back(Quota(item.quota(), points, in));
        break;
      case v1::SchemeItem::kDeduction:
        out.push_back(PerUnitAdjustment(item.deduction().per_unit(), -1, points, in));
        break;
      case v1::SchemeItem::kBonus:
        out.push_back(PerUnitAdjustment(item.bonus().per_unit(), +1, points, in));
        break;
      case v1::SchemeItem::kRating:
        out.push_back(Rating(points, in));
        break;
      default:  // validated schemes always have a method
        out.push_back({0, absl::StrCat("no method → ", FormatPoints(0)), "no method"});
        break;
    }
  }
  return out;
}

}  // namespace

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "∞" : "−∞");
  const double magnitude = std::fabs(value);
  std::string text = TrimZeros(absl::StrFormat("%.4f", magnitude));
  if (text == "0" && magnitude != 0) {
    const int decimals = std::min(40, 5 - static_cast<int>(std::floor(std::log10(magnitude))));
    text = TrimZeros(absl::StrFormat("%.*f", decimals, magnitude));
  }
  return value < 0 && text != "0" ? absl::StrCat(kMinus, text) : text;
}

std::string FormatPoints(double points) {
  std::string text = absl::StrFormat("%.2f", std::fabs(points));
  return points < 0 && text != "0.00" ? absl::StrCat(kMinus, text) : text;
}

std::string MethodName(const v1::SchemeItem& item) {
  const auto* oneof = item.GetDescriptor()->FindOneofByName("method");
  const auto* field = item.GetReflection()->GetOneofFieldDescriptor(item, oneof);
  return field == nullptr ? "" : field->name();
}

bool IsScoredItem(const v1::SchemeItem& item) {
  switch (item.method_case()) {
    case v1::SchemeItem::kQuota:
    case v1::SchemeItem::kDeduction:
    case v1::SchemeItem::kBonus:
    case v1::SchemeItem::METHOD_NOT_SET:
      return false;
    default:
      return true;
  }
}

std::string MethodParameters(const v1::SchemeItem& item) {
  switch (item.method_case()) {
    case v1::SchemeItem::kRatioToTarget:
      return absl::StrCat("cap=",
                          Optional(item.ratio_to_target().has_cap(), item.ratio_to_target().cap()));
    case v1::SchemeItem::kEfficacy: {
      const auto& m = item.efficacy();
      return absl::StrCat("all_equal_score=",
                          FormatNumber(m.has_all_equal_score() ? m.all_equal_score() : 100));
    }
    case v1::SchemeItem::kPerUnit:
      return absl::StrCat("points_per_unit=", Optional(item.per_unit().has_points_per_unit(),
                                                       item.per_unit().points_per_unit()));
    case v1::SchemeItem::kThreshold:
      return absl::StrCat("threshold=",
                          Optional(item.threshold().has_threshold(), item.threshold().threshold()));
    case v1::SchemeItem::kQuota: {
      const auto& m = item.quota();
      std::vector<std::string> bands;
      for (const auto& band : m.bands()) {
        bands.push_back(absl::StrCat("[", band.min_yuan(), ",",
                                     band.max_yuan() == 0 ? "∞" : absl::StrCat(band.max_yuan()),
                                     "):", band.count()));
      }
      return absl::StrCat("bands=", absl::StrJoin(bands, " "), "; deduction_per_missing=",
                          Optional(m.has_deduction_per_missing(), m.deduction_per_missing()));
    }
    case v1::SchemeItem::kDeduction:
      return absl::StrCat("per_unit=",
                          Optional(item.deduction().has_per_unit(), item.deduction().per_unit()));
    case v1::SchemeItem::kBonus:
      return absl::StrCat("per_unit=",
                          Optional(item.bonus().has_per_unit(), item.bonus().per_unit()));
    case v1::SchemeItem::kRating:
      return absl::StrCat("criteria=", item.rating().criteria_size());
    default:
      return "";
  }
}

std::vector<v1::ItemResult> ScoreItem(const v1::SchemeItem& item, v1::Direction direction,
                                      absl::string_view indicator_display_name,
                                      const std::vector<ItemInput>& inputs) {
  const std::vector<Scored> scored = ScoreAll(item, LowerIsBetter(direction), inputs);
  const std::string method = MethodName(item);
  const std::string parameters = MethodParameters(item);
  std::string display_name = item.display_name();
  if (display_name.empty()) display_name = std::string(indicator_display_name);
  if (display_name.empty()) display_name = item.key();

  std::vector<v1::ItemResult> results;
  results.reserve(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    v1::ItemResult& r = results.emplace_back();
    r.set_key(item.key());
    r.set_display_name(display_name);
    r.set_indicator(item.indicator());
    r.set_actual(inputs[i].actual);
    if (item.method_case() == v1::SchemeItem::kRatioToTarget && inputs[i].target.has_value()) {
      r.set_target(*inputs[i].target);
      r.set_has_target(true);
    }
    r.set_method(method);
    r.set_parameters(parameters);
    r.set_points(NoNegativeZero(scored[i].points));
    r.set_max_points(item.points());
    r.set_formula(scored[i].formula);
    r.set_problem(scored[i].problem);
  }
  return results;
}

}  // namespace chainhub::assessment
