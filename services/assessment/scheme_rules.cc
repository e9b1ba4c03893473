#include "services/assessment/scheme_rules.h"

#include <cmath>
#include <set>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/str_cat.h"
#include "common/base/digest.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "services/assessment/methods.h"
#include "services/assessment/names.h"

namespace chainhub::assessment {
namespace {

using intake::v1::Stage;

void Add(std::vector<FieldViolation>* v, std::string field, std::string rule) {
  v->push_back({std::move(field), std::move(rule)});
}

bool Positive(double x) { return std::isfinite(x) && x > 0; }

void CheckMeasure(const v1::Measure& m, const std::string& field,
                  std::vector<FieldViolation>* v) {
  if (m.entity() == v1::MEASURE_ENTITY_UNSPECIFIED || !v1::MeasureEntity_IsValid(m.entity())) {
    Add(v, field + ".entity",
        "must be MEASURE_ENTITY_PROJECTS, MEASURE_ENTITY_ENTERPRISES or MEASURE_ENTITY_WORK_ITEMS");
    return;
  }
  if (m.aggregate() == v1::AGGREGATE_COUNT) {
    if (m.field() != v1::MEASURE_FIELD_UNSPECIFIED) {
      Add(v, field + ".field", "must be empty for AGGREGATE_COUNT");
    }
  } else if (m.aggregate() == v1::AGGREGATE_SUM) {
    const bool project_field = m.field() == v1::MEASURE_FIELD_TOTAL_INVESTMENT ||
                               m.field() == v1::MEASURE_FIELD_FIXED_ASSET_INVESTMENT ||
                               m.field() == v1::MEASURE_FIELD_COMPLETED_IN_PERIOD ||
                               m.field() == v1::MEASURE_FIELD_FUNDS_ARRIVED_IN_PERIOD;
    const bool enterprise_field = m.field() == v1::MEASURE_FIELD_ANNUAL_OUTPUT;
    if ((m.entity() == v1::MEASURE_ENTITY_PROJECTS && !project_field) ||
        (m.entity() == v1::MEASURE_ENTITY_ENTERPRISES && !enterprise_field) ||
        m.entity() == v1::MEASURE_ENTITY_WORK_ITEMS) {
      Add(v, field + ".field",
          m.entity() == v1::MEASURE_ENTITY_WORK_ITEMS
              ? "work items can only be counted (AGGREGATE_COUNT)"
              : absl::StrCat("must be a field of ", v1::MeasureEntity_Name(m.entity()),
                             " to sum (see MeasureField)"));
    }
  } else {
    Add(v, field + ".aggregate", "must be AGGREGATE_COUNT or AGGREGATE_SUM");
  }
  if (!std::isfinite(m.scale()) || m.scale() < 0) Add(v, field + ".scale", "must be >= 0");
  if (m.entity() != v1::MEASURE_ENTITY_PROJECTS && m.has_projects()) {
    Add(v, field + ".projects", "must be empty unless entity is MEASURE_ENTITY_PROJECTS");
  }
  if (m.entity() != v1::MEASURE_ENTITY_ENTERPRISES && m.has_enterprises()) {
    Add(v, field + ".enterprises", "must be empty unless entity is MEASURE_ENTITY_ENTERPRISES");
  }
  if (m.entity() != v1::MEASURE_ENTITY_WORK_ITEMS && m.has_work_items()) {
    Add(v, field + ".work_items", "must be empty unless entity is MEASURE_ENTITY_WORK_ITEMS");
  }
  const v1::ProjectFilter& p = m.projects();
  const Stage reached = p.reached_in_period();
  if (reached != intake::v1::STAGE_UNSPECIFIED &&
      (reached < intake::v1::STAGE_SIGNED || reached > intake::v1::STAGE_FULL_OUTPUT)) {
    Add(v, field + ".projects.reached_in_period",
        "must be STAGE_SIGNED, STAGE_REGISTERED, STAGE_STARTED, STAGE_IN_PRODUCTION or "
        "STAGE_FULL_OUTPUT");
  }
  if (p.min_total_investment_yuan() < 0 || p.max_total_investment_yuan() < 0) {
    Add(v, field + ".projects", "investment bounds must be >= 0");
  } else if (p.max_total_investment_yuan() != 0 &&
             p.max_total_investment_yuan() <= p.min_total_investment_yuan()) {
    Add(v, field + ".projects.max_total_investment_yuan",
        "must be greater than min_total_investment_yuan (or 0 for no bound)");
  }
  if (m.enterprises().min_annual_output_yuan() < 0) {
    Add(v, field + ".enterprises.min_annual_output_yuan", "must be >= 0");
  }
  if (m.entity() == v1::MEASURE_ENTITY_WORK_ITEMS &&
      m.work_items().condition() == v1::WORK_ITEM_CONDITION_UNSPECIFIED) {
    Add(v, field + ".work_items.condition", "must be set (which work items count)");
  }
}

// The method's required parameters, each named in the violation.
void CheckMethod(const v1::SchemeItem& item, const std::string& f,
                 std::vector<FieldViolation>* v) {
  auto require_positive = [&](bool has, double value, const std::string& name) {
    if (!has || !Positive(value)) Add(v, absl::StrCat(f, ".", name), "must be set and > 0");
  };
  switch (item.method_case()) {
    case v1::SchemeItem::kRatioToTarget:
      require_positive(item.ratio_to_target().has_cap(), item.ratio_to_target().cap(),
                       "ratio_to_target.cap");
      break;
    case v1::SchemeItem::kEfficacy:
      if (item.efficacy().has_all_equal_score() &&
          !(item.efficacy().all_equal_score() >= 0 && item.efficacy().all_equal_score() <= 100)) {
        Add(v, f + ".efficacy.all_equal_score", "must be between 0 and 100");
      }
      break;
    case v1::SchemeItem::kPerUnit:
      require_positive(item.per_unit().has_points_per_unit(), item.per_unit().points_per_unit(),
                       "per_unit.points_per_unit");
      break;
    case v1::SchemeItem::kThreshold:
      if (!item.threshold().has_threshold() || !std::isfinite(item.threshold().threshold())) {
        Add(v, f + ".threshold.threshold", "must be set");
      }
      break;
    case v1::SchemeItem::kQuota: {
      const v1::SizeBandQuota& q = item.quota();
      require_positive(q.has_deduction_per_missing(), q.deduction_per_missing(),
                       "quota.deduction_per_missing");
      if (q.bands().empty()) Add(v, f + ".quota.bands", "must hold at least one band");
      for (int b = 0; b < q.bands_size(); ++b) {
        const v1::BandQuota& band = q.bands(b);
        const std::string bf = absl::StrCat(f, ".quota.bands[", b, "]");
        if (band.min_yuan() < 0) Add(v, bf + ".min_yuan", "must be >= 0");
        if (band.max_yuan() != 0 && band.max_yuan() <= band.min_yuan()) {
          Add(v, bf + ".max_yuan", "must be greater than min_yuan (or 0 for no bound)");
        }
        if (band.count() < 1) Add(v, bf + ".count", "must be >= 1");
      }
      break;
    }
    case v1::SchemeItem::kDeduction:
      require_positive(item.deduction().has_per_unit(), item.deduction().per_unit(),
                       "deduction.per_unit");
      break;
    case v1::SchemeItem::kBonus:
      require_positive(item.bonus().has_per_unit(), item.bonus().per_unit(), "bonus.per_unit");
      break;
    case v1::SchemeItem::kRating:
      for (int c = 0; c < item.rating().criteria_size(); ++c) {
        CheckOneLineText(v, absl::StrCat(f, ".rating.criteria[", c, "]"),
                         item.rating().criteria(c), true, 200);
      }
      break;
    case v1::SchemeItem::METHOD_NOT_SET:
      Add(v, f, "must set one method: ratio_to_target, efficacy, per_unit, threshold, quota, "
                "deduction, bonus or rating");
      break;
  }
}

void CheckItem(const v1::SchemeItem& item, const std::string& f,
               const IndicatorLookup& indicator_of, std::vector<FieldViolation>* v) {
  if (!IsValidItemKey(item.key())) Add(v, f + ".key", "must be 1-40 of [a-z0-9_]");
  CheckOneLineText(v, f + ".display_name", item.display_name(), false, 64);
  if (!Positive(item.points())) Add(v, f + ".points", "must be > 0");
  CheckMethod(item, f, v);
  if (item.method_case() == v1::SchemeItem::kRating) {
    if (!item.indicator().empty()) Add(v, f + ".indicator", "must be empty for a rating");
    return;
  }
  if (item.indicator().empty()) {
    Add(v, f + ".indicator", "must name an indicator indicators/{key}");
    return;
  }
  auto name = IndicatorName::Parse(f + ".indicator", item.indicator());
  if (!name.ok()) {
    Add(v, f + ".indicator", absl::StrCat("must be an indicator name indicators/{key}, got ",
                                          Quoted(item.indicator())));
    return;
  }
  const v1::Indicator* indicator = indicator_of(name->String());
  if (indicator == nullptr) {
    Add(v, f + ".indicator", absl::StrCat("unknown indicator ", name->String()));
    return;
  }
  if (item.method_case() == v1::SchemeItem::kQuota &&
      !(indicator->has_measure() &&
        indicator->measure().entity() == v1::MEASURE_ENTITY_PROJECTS &&
        indicator->measure().aggregate() == v1::AGGREGATE_COUNT)) {
    Add(v, f + ".indicator", "a quota counts projects: the indicator must be a project COUNT");
  }
}

}  // namespace

void CheckIndicator(const v1::Indicator& indicator, const std::string& field,
                    std::vector<FieldViolation>* v) {
  if (!IndicatorName::Parse(field + ".name", indicator.name()).ok()) {
    Add(v, field + ".name",
        absl::StrCat("must be an indicator name indicators/{key} ({key}: 2-40 of [a-z0-9_], "
                     "starting with a letter), got ",
                     Quoted(indicator.name())));
  }
  CheckOneLineText(v, field + ".display_name", indicator.display_name(), true, 64);
  CheckOneLineText(v, field + ".unit", indicator.unit(), false, 16);
  CheckMultiLineText(v, field + ".description", indicator.description(), false, 2000);
  if (!v1::Direction_IsValid(indicator.direction())) {
    Add(v, field + ".direction", "must be DIRECTION_HIGHER_IS_BETTER or DIRECTION_LOWER_IS_BETTER");
  }
  switch (indicator.source_case()) {
    case v1::Indicator::kMeasure:
      CheckMeasure(indicator.measure(), field + ".measure", v);
      break;
    case v1::Indicator::kReported:
      if (!DepartmentName::Parse(field + ".reported.owner_department",
                                 indicator.reported().owner_department())
               .ok()) {
        Add(v, field + ".reported.owner_department",
            absl::StrCat("must be a department name departments/{dept}, got ",
                         Quoted(indicator.reported().owner_department())));
      }
      break;
    case v1::Indicator::SOURCE_NOT_SET:
      Add(v, field, "must set a source: measure (computed from facts) or reported");
      break;
  }
}

void CheckScheme(const v1::Scheme& scheme, const IndicatorLookup& indicator_of,
                 std::vector<FieldViolation>* v) {
  if (!SchemeName::ParseLatest("scheme.name", scheme.name()).ok()) {
    Add(v, "scheme.name", absl::StrCat("must be a scheme name schemes/{id}, got ",
                                       Quoted(scheme.name())));
  }
  CheckOneLineText(v, "scheme.display_name", scheme.display_name(), true, 128);
  CheckMultiLineText(v, "scheme.description", scheme.description(), false, 4000);
  const bool counties = scheme.subject_kind() == v1::SUBJECT_KIND_COUNTIES;
  if (!v1::SubjectKind_IsValid(scheme.subject_kind())) {
    Add(v, "scheme.subject_kind", "must be SUBJECT_KIND_CHAINS or SUBJECT_KIND_COUNTIES");
  }
  std::set<std::string> subjects;
  for (int i = 0; i < scheme.subjects_size(); ++i) {
    const std::string f = absl::StrCat("scheme.subjects[", i, "]");
    auto subject = SubjectName::Parse(f, scheme.subjects(i));
    if (!subject.ok()) {
      Add(v, f, absl::StrCat("must be chains/{chain} or counties/{county}, got ",
                             Quoted(scheme.subjects(i))));
    } else if ((subject->kind == SubjectName::Kind::kCounty) != counties) {
      Add(v, f, counties ? "must be a county counties/{county}: the scheme assesses counties"
                         : "must be a chain chains/{chain}: the scheme assesses chains");
    } else if (!subjects.insert(subject->String()).second) {
      Add(v, f, "is listed twice");
    }
  }
  if (!Positive(scheme.total_points())) Add(v, "scheme.total_points", "must be > 0");
  if (scheme.items().empty()) Add(v, "scheme.items", "must hold at least one item");
  std::set<std::string> keys;
  double scored = 0;
  for (int i = 0; i < scheme.items_size(); ++i) {
    const v1::SchemeItem& item = scheme.items(i);
    const std::string f = absl::StrCat("scheme.items[", i, "]");
    CheckItem(item, f, indicator_of, v);
    if (!item.key().empty() && !keys.insert(item.key()).second) {
      Add(v, f + ".key", absl::StrCat("duplicates the key of another item: ", item.key()));
    }
    if (IsScoredItem(item) && std::isfinite(item.points())) scored += item.points();
  }
  if (Positive(scheme.total_points()) && !scheme.items().empty() &&
      std::fabs(scored - scheme.total_points()) > 1e-9) {
    Add(v, "scheme.items",
        absl::StrCat("points of the scored items add up to ", FormatNumber(scored),
                     ", not total_points ", FormatNumber(scheme.total_points()),
                     " (quota, deduction and bonus items are not counted)"));
  }
  const v1::Grading& g = scheme.grading();
  switch (g.rule_case()) {
    case v1::Grading::kThresholds: {
      const auto& t = g.thresholds();
      if (!(t.excellent() > t.good() && t.good() > t.pass())) {
        Add(v, "scheme.grading.thresholds", "must have excellent > good > pass");
      }
      break;
    }
    case v1::Grading::kRankShares: {
      const auto& r = g.rank_shares();
      const bool in_range = r.excellent() >= 0 && r.good() >= 0 && r.fail() >= 0;
      if (!in_range || r.excellent() + r.good() + r.fail() > 1 + 1e-9) {
        Add(v, "scheme.grading.rank_shares",
            "shares must be >= 0 and add up to at most 1");
      }
      break;
    }
    case v1::Grading::RULE_NOT_SET:
      Add(v, "scheme.grading", "must be set: thresholds or rank_shares");
      break;
  }
  if (!(scheme.quarter_weight() >= 0 && scheme.quarter_weight() <= 1)) {
    Add(v, "scheme.quarter_weight", "must be between 0 and 1");
  }
}

std::string SchemeContentKey(const v1::Scheme& scheme) {
  v1::Scheme content = scheme;
  content.clear_version();
  content.clear_etag();
  content.clear_create_time();
  content.clear_version_time();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    content.SerializeToCodedStream(&coded);
  }
  return Sha256Hex(bytes);
}

}  // namespace chainhub::assessment
