#include "services/assessment/methods.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace chainhub::assessment {
namespace {

std::string Points(double v) { return absl::StrFormat("%.2f", v + 0.0); }

// A yuan amount in 亿元 for a band's label.
std::string Yi(int64_t yuan) { return FormatNumber(static_cast<double>(yuan) / 1e8); }

std::string BandLabel(const v1::BandQuota& band) {
  if (band.max_yuan() == 0) return absl::StrCat("≥", Yi(band.min_yuan()), "亿");
  return absl::StrCat(Yi(band.min_yuan()), "–", Yi(band.max_yuan()), "亿");
}

bool Lower(v1::Direction direction) { return direction == v1::DIRECTION_LOWER_IS_BETTER; }

// A result with everything but points, formula and problem filled in.
v1::ItemResult Base(const v1::SchemeItem& item, absl::string_view indicator_display_name,
                    const ItemInput& in) {
  v1::ItemResult r;
  r.set_key(item.key());
  r.set_display_name(item.display_name().empty() ? std::string(indicator_display_name)
                                                 : item.display_name());
  r.set_indicator(item.indicator());
  r.set_actual(in.actual);
  r.set_method(MethodName(item));
  r.set_max_points(item.points());
  return r;
}

void RatioToTarget(const v1::SchemeItem& item, v1::Direction direction, const ItemInput& in,
                   v1::ItemResult* r) {
  const double cap = item.ratio_to_target().cap();
  r->set_parameters(absl::StrCat("cap=", FormatNumber(cap)));
  if (!in.target.has_value() || *in.target <= 0) {
    r->set_has_target(in.target.has_value());
    r->set_target(in.target.value_or(0));
    r->set_points(0);
    r->set_problem(in.target.has_value() ? "target is not positive" : "no target");
    r->set_formula(absl::StrCat(r->problem(), " → 0.00"));
    return;
  }
  const double target = *in.target;
  r->set_has_target(true);
  r->set_target(target);
  double ratio;
  std::string ratio_text;
  if (Lower(direction)) {
    ratio = in.actual > 0 ? target / in.actual : cap;
    ratio_text = in.actual > 0 ? absl::StrCat(FormatNumber(target), " ÷ ", FormatNumber(in.actual))
                               : absl::StrCat(FormatNumber(target), " ÷ 0 → cap");
  } else {
    ratio = in.actual / target;
    ratio_text = absl::StrCat(FormatNumber(in.actual), " ÷ ", FormatNumber(target));
  }
  ratio = std::max(0.0, std::min(ratio, cap));
  const double points = item.points() * ratio;
  r->set_points(points);
  r->set_formula(absl::StrCat("min(", ratio_text, ", ", FormatNumber(cap), ") × ",
                              FormatNumber(item.points()), " = ", Points(points)));
}

void Efficacy(const v1::SchemeItem& item, v1::Direction direction,
              const std::vector<ItemInput>& inputs, std::vector<v1::ItemResult>* results) {
  const double all_equal =
      item.efficacy().has_all_equal_score() ? item.efficacy().all_equal_score() : 100.0;
  double lo = 0, hi = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    lo = i == 0 ? inputs[i].actual : std::min(lo, inputs[i].actual);
    hi = i == 0 ? inputs[i].actual : std::max(hi, inputs[i].actual);
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    v1::ItemResult& r = (*results)[i];
    const double x = inputs[i].actual;
    r.set_parameters(absl::StrCat("all_equal_score=", FormatNumber(all_equal)));
    double score;
    std::string score_text;
    if (hi == lo) {
      score = all_equal;
      score_text = absl::StrCat("all equal → ", FormatNumber(all_equal));
    } else if (Lower(direction)) {
      score = 60 + 40 * (hi - x) / (hi - lo);
      score_text = absl::StrCat("60 + 40 × (", FormatNumber(hi), " − ", FormatNumber(x), ") ÷ (",
                                FormatNumber(hi), " − ", FormatNumber(lo), ")");
    } else {
      score = 60 + 40 * (x - lo) / (hi - lo);
      score_text = absl::StrCat("60 + 40 × (", FormatNumber(x), " − ", FormatNumber(lo), ") ÷ (",
                                FormatNumber(hi), " − ", FormatNumber(lo), ")");
    }
    const double points = item.points() * score / 100;
    r.set_points(points);
    r.set_formula(absl::StrCat("(", score_text, ") × ", FormatNumber(item.points()),
                               " ÷ 100 = ", Points(points)));
  }
}

// min(actual × per_unit, points), never below 0.
double Capped(double actual, double per_unit, double cap) {
  return std::max(0.0, std::min(actual * per_unit, cap));
}

void PerUnit(const v1::SchemeItem& item, const ItemInput& in, v1::ItemResult* r) {
  const double ppu = item.per_unit().points_per_unit();
  r->set_parameters(absl::StrCat("points_per_unit=", FormatNumber(ppu)));
  const double points = Capped(in.actual, ppu, item.points());
  r->set_points(points);
  r->set_formula(absl::StrCat("min(", FormatNumber(in.actual), " × ", FormatNumber(ppu), ", ",
                              FormatNumber(item.points()), ") = ", Points(points)));
}

void Threshold(const v1::SchemeItem& item, v1::Direction direction, const ItemInput& in,
               v1::ItemResult* r) {
  const double t = item.threshold().threshold();
  r->set_parameters(absl::StrCat("threshold=", FormatNumber(t)));
  const bool lower = Lower(direction);
  const bool reached = lower ? in.actual <= t : in.actual >= t;
  const double points = reached ? item.points() : 0;
  r->set_points(points);
  const char* op = reached ? (lower ? " ≤ " : " ≥ ") : (lower ? " > " : " < ");
  r->set_formula(
      absl::StrCat(FormatNumber(in.actual), op, FormatNumber(t), " → ", Points(points)));
}

void Quota(const v1::SchemeItem& item, const ItemInput& in, v1::ItemResult* r) {
  const v1::SizeBandQuota& q = item.quota();
  const double per = q.deduction_per_missing();
  std::vector<std::string> bands;
  std::vector<std::string> short_of;
  double missing = 0;
  for (int b = 0; b < q.bands_size(); ++b) {
    const v1::BandQuota& band = q.bands(b);
    bands.push_back(absl::StrCat(BandLabel(band), "≥", band.count()));
    const double have = b < static_cast<int>(in.band_counts.size()) ? in.band_counts[b] : 0;
    const double gap = std::max(0.0, band.count() - have);
    if (gap > 0) short_of.push_back(absl::StrCat(BandLabel(band), " ", FormatNumber(gap)));
    missing += gap;
  }
  r->set_parameters(absl::StrCat("deduction_per_missing=", FormatNumber(per), "; bands ",
                                 absl::StrJoin(bands, ", ")));
  const double points = -Capped(missing, per, item.points());
  r->set_points(points);
  r->set_formula(absl::StrCat("−min(", FormatNumber(missing), " × ", FormatNumber(per), ", ",
                              FormatNumber(item.points()), ") = ", Points(points),
                              short_of.empty() ? std::string(" (every quota met)")
                                               : absl::StrCat(" (short: ",
                                                              absl::StrJoin(short_of, ", "), ")")));
}

void Adjustment(const v1::SchemeItem& item, const ItemInput& in, double per_unit, int sign,
                v1::ItemResult* r) {
  r->set_parameters(absl::StrCat("per_unit=", FormatNumber(per_unit)));
  const double points = sign * Capped(in.actual, per_unit, item.points());
  r->set_points(points);
  r->set_formula(absl::StrCat(sign < 0 ? "−" : "+", "min(", FormatNumber(in.actual), " × ",
                              FormatNumber(per_unit), ", ", FormatNumber(item.points()),
                              ") = ", Points(points)));
}

void Rating(const v1::SchemeItem& item, const ItemInput& in, v1::ItemResult* r) {
  r->set_parameters(absl::StrCat("criteria=", item.rating().criteria_size()));
  if (!in.rating.has_value()) {
    r->set_points(0);
    r->set_problem("no rating");
    r->set_formula("no rating → 0.00");
    return;
  }
  const double points = std::max(0.0, std::min(*in.rating, item.points()));
  r->set_actual(*in.rating);
  r->set_points(points);
  r->set_formula(absl::StrCat("rated ", FormatNumber(*in.rating), " of ",
                              FormatNumber(item.points()), " = ", Points(points)));
}

}  // namespace

std::string FormatNumber(double v) {
  if (!std::isfinite(v)) return absl::StrCat(v);
  std::string text = absl::StrFormat("%.4f", v);
  absl::string_view view = text;
  if (absl::StrContains(view, '.')) {
    while (absl::ConsumeSuffix(&view, "0")) {
    }
    absl::ConsumeSuffix(&view, ".");
  }
  if (view == "-0") return "0";
  return std::string(view);
}

std::string MethodName(const v1::SchemeItem& item) {
  switch (item.method_case()) {
    case v1::SchemeItem::kRatioToTarget:
      return "ratio_to_target";
    case v1::SchemeItem::kEfficacy:
      return "efficacy";
    case v1::SchemeItem::kPerUnit:
      return "per_unit";
    case v1::SchemeItem::kThreshold:
      return "threshold";
    case v1::SchemeItem::kQuota:
      return "quota";
    case v1::SchemeItem::kDeduction:
      return "deduction";
    case v1::SchemeItem::kBonus:
      return "bonus";
    case v1::SchemeItem::kRating:
      return "rating";
    case v1::SchemeItem::METHOD_NOT_SET:
      break;
  }
  return "";
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

std::vector<v1::ItemResult> ScoreItem(const v1::SchemeItem& item, v1::Direction direction,
                                      absl::string_view indicator_display_name,
                                      const std::vector<ItemInput>& inputs) {
  std::vector<v1::ItemResult> results;
  results.reserve(inputs.size());
  for (const ItemInput& in : inputs) results.push_back(Base(item, indicator_display_name, in));
  if (item.method_case() == v1::SchemeItem::kEfficacy) {
    Efficacy(item, direction, inputs, &results);
    return results;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ItemInput& in = inputs[i];
    v1::ItemResult* r = &results[i];
    switch (item.method_case()) {
      case v1::SchemeItem::kRatioToTarget:
        RatioToTarget(item, direction, in, r);
        break;
      case v1::SchemeItem::kPerUnit:
        PerUnit(item, in, r);
        break;
      case v1::SchemeItem::kThreshold:
        Threshold(item, direction, in, r);
        break;
      case v1::SchemeItem::kQuota:
        Quota(item, in, r);
        break;
      case v1::SchemeItem::kDeduction:
        Adjustment(item, in, item.deduction().per_unit(), -1, r);
        break;
      case v1::SchemeItem::kBonus:
        Adjustment(item, in, item.bonus().per_unit(), +1, r);
        break;
      case v1::SchemeItem::kRating:
        Rating(item, in, r);
        break;
      default:
        r->set_problem("no method");
        r->set_formula("no method → 0.00");
        break;
    }
  }
  return results;
}

}  // namespace chainhub::assessment
