#include "services/assessment/scheme_rules.h"

#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "services/assessment/methods.h"
#include "services/assessment/names.h"

namespace chainhub::assessment {
namespace {

using Violations = std::vector<FieldViolation>;

std::string Path(const std::string& prefix, absl::string_view name) {
  return absl::StrCat(prefix, ".", name);
}

std::string Indexed(const std::string& prefix, int i) { return absl::StrCat(prefix, "[", i, "]"); }

// The violations a name parser's status carries, under their own field.
void AddStatus(const absl::Status& status, const std::string& field, Violations* v) {
  if (status.ok()) return;
  std::vector<FieldViolation> found = FieldViolationsOf(status);
  if (found.empty()) found.push_back({field, std::string(status.message())});
  v->insert(v->end(), found.begin(), found.end());
}

// A number for humans: a finite value as FormatNumber shows it, else the raw text.
std::string Shown(double x) { return FormatNumber(x); }

// A proto3 `optional double` parameter that must be set, finite and > 0.
void CheckPositiveParameter(bool has, double value, const std::string& field, Violations* v) {
  if (!has || !std::isfinite(value) || !(value > 0)) {
    v->push_back({field, has ? absl::StrCat("must be set and > 0, got ", Shown(value))
                             : "must be set and > 0"});
  }
}

template <typename Enum>
void CheckKnownEnum(bool (*is_valid)(int), Enum value, bool allow_unspecified,
                    const std::string& field, absl::string_view names, Violations* v) {
  const int n = static_cast<int>(value);
  if (!is_valid(n) || (!allow_unspecified && n == 0)) {
    v->push_back({field, absl::StrCat("must be one of ", names, ", got ", n)});
  }
}

void CheckProjectFilter(const v1::ProjectFilter& f, const std::string& field, Violations* v) {
  const int stage = f.reached_in_period();
  if (stage != 0 && (stage < chainhub::intake::v1::STAGE_SIGNED ||
                     stage > chainhub::intake::v1::STAGE_FULL_OUTPUT)) {
    v->push_back({Path(field, "reached_in_period"),
                  absl::StrCat("must be one of SIGNED, REGISTERED, STARTED, IN_PRODUCTION, "
                               "FULL_OUTPUT, got ",
                               chainhub::intake::v1::Stage_IsValid(stage)
                                   ? chainhub::intake::v1::Stage_Name(f.reached_in_period())
                                   : absl::StrCat(stage))});
  }
  const int64_t lo = f.min_total_investment_yuan(), hi = f.max_total_investment_yuan();
  if (lo < 0) {
    v->push_back(
        {Path(field, "min_total_investment_yuan"), absl::StrCat("must not be negative, got ", lo)});
  }
  if (hi < 0) {
    v->push_back(
        {Path(field, "max_total_investment_yuan"), absl::StrCat("must not be negative, got ", hi)});
  } else if (hi > 0 && lo >= hi) {
    v->push_back({Path(field, "max_total_investment_yuan"),
                  absl::StrCat("must be more than min_total_investment_yuan (", lo,
                               ") or 0 (no "
                               "bound), got ",
                               hi)});
  }
  CheckKnownEnum(chainhub::intake::v1::ProjectSource_IsValid, f.source(), true,
                 Path(field, "source"), "INVESTMENT, TALENT", v);
  std::set<int> origins;
  for (int i = 0; i < f.investor_origins_size(); ++i) {
    const std::string path = Indexed(Path(field, "investor_origins"), i);
    CheckKnownEnum(chainhub::intake::v1::InvestorOrigin_IsValid, f.investor_origins(i), false, path,
                   "IN_PROVINCE, OUT_OF_PROVINCE, FOREIGN", v);
    if (!origins.insert(f.investor_origins(i)).second) {
      v->push_back({path, "duplicates an earlier entry"});
    }
  }
  CheckKnownEnum(chainhub::intake::v1::Light_IsValid, f.light(), true, Path(field, "light"),
                 "GREEN, YELLOW, RED", v);
}

void CheckEnterpriseFilter(const v1::EnterpriseFilter& f, const std::string& field, Violations* v) {
  std::set<int> labels;
  for (int i = 0; i < f.labels_size(); ++i) {
    const std::string path = Indexed(Path(field, "labels"), i);
    CheckKnownEnum(chainhub::registry::v1::EnterpriseLabel_IsValid, f.labels(i), false, path,
                   "CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, HIGH_TECH", v);
    if (!labels.insert(f.labels(i)).second) v->push_back({path, "duplicates an earlier entry"});
  }
  if (f.min_annual_output_yuan() < 0) {
    v->push_back({Path(field, "min_annual_output_yuan"),
                  absl::StrCat("must not be negative, got ", f.min_annual_output_yuan())});
  }
}

void CheckWorkItemFilter(const v1::WorkItemFilter& f, const std::string& field, Violations* v) {
  CheckKnownEnum(chainhub::intake::v1::WorkItemKind_IsValid, f.kind(), true, Path(field, "kind"),
                 "ISSUE, TASK", v);
  CheckKnownEnum(v1::WorkItemCondition_IsValid, f.condition(), true, Path(field, "condition"),
                 "OVERDUE, RESOLVED_IN_PERIOD, RESOLVED_ON_TIME_IN_PERIOD, OPENED_IN_PERIOD", v);
}

// The entity whose field a SUM adds up, or UNSPECIFIED for an unknown field.
v1::MeasureEntity EntityOfField(v1::MeasureField field) {
  switch (field) {
    case v1::MEASURE_FIELD_TOTAL_INVESTMENT:
    case v1::MEASURE_FIELD_FIXED_ASSET_INVESTMENT:
    case v1::MEASURE_FIELD_COMPLETED_IN_PERIOD:
    case v1::MEASURE_FIELD_FUNDS_ARRIVED_IN_PERIOD:
      return v1::MEASURE_ENTITY_PROJECTS;
    case v1::MEASURE_FIELD_ANNUAL_OUTPUT:
      return v1::MEASURE_ENTITY_ENTERPRISES;
    default:
      return v1::MEASURE_ENTITY_UNSPECIFIED;
  }
}

absl::string_view FieldsOfEntity(v1::MeasureEntity entity) {
  switch (entity) {
    case v1::MEASURE_ENTITY_PROJECTS:
      return "TOTAL_INVESTMENT, FIXED_ASSET_INVESTMENT, COMPLETED_IN_PERIOD or "
             "FUNDS_ARRIVED_IN_PERIOD";
    case v1::MEASURE_ENTITY_ENTERPRISES:
      return "ANNUAL_OUTPUT";
    default:
      return "";
  }
}

void CheckMeasure(const v1::Measure& m, const std::string& field, Violations* v) {
  const v1::MeasureEntity entity = m.entity();
  CheckKnownEnum(v1::MeasureEntity_IsValid, entity, false, Path(field, "entity"),
                 "PROJECTS, ENTERPRISES, WORK_ITEMS", v);
  CheckKnownEnum(v1::Aggregate_IsValid, m.aggregate(), false, Path(field, "aggregate"),
                 "COUNT, SUM", v);
  if (m.aggregate() == v1::AGGREGATE_COUNT && m.field() != v1::MEASURE_FIELD_UNSPECIFIED) {
    v->push_back({Path(field, "field"), "must be empty for COUNT"});
  } else if (m.aggregate() == v1::AGGREGATE_SUM) {
    if (entity == v1::MEASURE_ENTITY_WORK_ITEMS) {
      v->push_back({Path(field, "aggregate"),
                    "must be COUNT for WORK_ITEMS (they have no "
                    "amount to sum)"});
    } else if (v1::MeasureEntity_IsValid(entity) && entity != v1::MEASURE_ENTITY_UNSPECIFIED &&
               EntityOfField(m.field()) != entity) {
      v->push_back(
          {Path(field, "field"), absl::StrCat("must be ", FieldsOfEntity(entity), " to SUM ",
                                              v1::MeasureEntity_Name(entity))});
    }
  }
  const std::pair<bool, v1::MeasureEntity> filters[] = {
      {m.has_projects(), v1::MEASURE_ENTITY_PROJECTS},
      {m.has_enterprises(), v1::MEASURE_ENTITY_ENTERPRISES},
      {m.has_work_items(), v1::MEASURE_ENTITY_WORK_ITEMS}};
  const char* const filter_fields[] = {"projects", "enterprises", "work_items"};
  for (int i = 0; i < 3; ++i) {
    if (filters[i].first && filters[i].second != entity) {
      v->push_back(
          {Path(field, filter_fields[i]),
           absl::StrCat("must be empty: only the filter of the measure's entity (",
                        v1::MeasureEntity_IsValid(entity) ? v1::MeasureEntity_Name(entity)
                                                          : absl::StrCat(static_cast<int>(entity)),
                        ") may be set")});
    }
  }
  if (m.has_projects()) CheckProjectFilter(m.projects(), Path(field, "projects"), v);
  if (m.has_enterprises()) CheckEnterpriseFilter(m.enterprises(), Path(field, "enterprises"), v);
  if (m.has_work_items()) CheckWorkItemFilter(m.work_items(), Path(field, "work_items"), v);
  if (!std::isfinite(m.scale()) || m.scale() < 0) {
    v->push_back(
        {Path(field, "scale"), absl::StrCat("must be ≥ 0 (0 means 1), got ", Shown(m.scale()))});
  }
}

void CheckMethod(const v1::SchemeItem& item, const std::string& field, Violations* v) {
  switch (item.method_case()) {
    case v1::SchemeItem::kRatioToTarget:
      CheckPositiveParameter(item.ratio_to_target().has_cap(), item.ratio_to_target().cap(),
                             Path(field, "ratio_to_target.cap"), v);
      break;
    case v1::SchemeItem::kEfficacy: {
      const auto& m = item.efficacy();
      if (m.has_all_equal_score() && !(m.all_equal_score() >= 0 && m.all_equal_score() <= 100)) {
        v->push_back({Path(field, "efficacy.all_equal_score"),
                      absl::StrCat("must be in [0, 100], got ", Shown(m.all_equal_score()))});
      }
      break;
    }
    case v1::SchemeItem::kPerUnit:
      CheckPositiveParameter(item.per_unit().has_points_per_unit(),
                             item.per_unit().points_per_unit(),
                             Path(field, "per_unit.points_per_unit"), v);
      break;
    case v1::SchemeItem::kThreshold:
      if (!item.threshold().has_threshold() || !std::isfinite(item.threshold().threshold())) {
        v->push_back({Path(field, "threshold.threshold"), "must be set to a number"});
      }
      break;
    case v1::SchemeItem::kQuota: {
      const auto& m = item.quota();
      const std::string bands = Path(field, "quota.bands");
      if (m.bands_size() == 0 || m.bands_size() > kMaxQuotaBands) {
        v->push_back({bands, absl::StrCat("must hold 1 to ", kMaxQuotaBands, " bands, got ",
                                          m.bands_size())});
      }
      for (int b = 0; b < m.bands_size() && b < kMaxQuotaBands; ++b) {
        const v1::BandQuota& band = m.bands(b);
        const std::string path = Indexed(bands, b);
        if (band.min_yuan() < 0) {
          v->push_back({Path(path, "min_yuan"),
                        absl::StrCat("must not be negative, got ", band.min_yuan())});
        }
        if (band.max_yuan() < 0 || (band.max_yuan() > 0 && band.max_yuan() <= band.min_yuan())) {
          v->push_back({Path(path, "max_yuan"),
                        absl::StrCat("must be more than min_yuan (", band.min_yuan(),
                                     ") or 0 (no upper bound), got ", band.max_yuan())});
        }
        if (band.count() < 1) {
          v->push_back(
              {Path(path, "count"), absl::StrCat("must be at least 1, got ", band.count())});
        }
      }
      CheckPositiveParameter(m.has_deduction_per_missing(), m.deduction_per_missing(),
                             Path(field, "quota.deduction_per_missing"), v);
      break;
    }
    case v1::SchemeItem::kDeduction:
      CheckPositiveParameter(item.deduction().has_per_unit(), item.deduction().per_unit(),
                             Path(field, "deduction.per_unit"), v);
      break;
    case v1::SchemeItem::kBonus:
      CheckPositiveParameter(item.bonus().has_per_unit(), item.bonus().per_unit(),
                             Path(field, "bonus.per_unit"), v);
      break;
    case v1::SchemeItem::kRating: {
      const auto& criteria = item.rating().criteria();
      if (criteria.size() > kMaxCriteria) {
        v->push_back(
            {Path(field, "rating.criteria"),
             absl::StrCat("must hold at most ", kMaxCriteria, " criteria, got ", criteria.size())});
      }
      for (int c = 0; c < criteria.size() && c < kMaxCriteria; ++c) {
        CheckOneLineText(v, Indexed(Path(field, "rating.criteria"), c), criteria[c], true,
                         kMaxCriterionChars);
      }
      break;
    }
    default:
      v->push_back({Path(field, "method"),
                    "must set exactly one method: ratio_to_target, efficacy, per_unit, threshold, "
                    "quota, deduction, bonus or rating"});
      break;
  }
}

// The item's indicator: required (and known) except for ratings, which have none.
void CheckItemIndicator(const v1::SchemeItem& item, const std::string& field,
                        const IndicatorLookup& indicator_of, v1::SubjectKind kind, Violations* v) {
  const std::string path = Path(field, "indicator");
  const bool rating = item.method_case() == v1::SchemeItem::kRating;
  if (rating) {
    if (!item.indicator().empty()) v->push_back({path, "must be empty for a rating item"});
    return;
  }
  if (item.indicator().empty()) {
    v->push_back({path, "must not be empty (every method but rating scores an indicator)"});
    return;
  }
  if (auto name = IndicatorName::Parse(path, item.indicator()); !name.ok()) {
    AddStatus(name.status(), path, v);
    return;
  }
  const v1::Indicator* indicator = indicator_of ? indicator_of(item.indicator()) : nullptr;
  if (indicator == nullptr) {
    // The name parsed, so it is short and plain: shown as it is.
    v->push_back({path, absl::StrCat("unknown indicator ", item.indicator())});
    return;
  }
  const bool project_count = indicator->has_measure() &&
                             indicator->measure().entity() == v1::MEASURE_ENTITY_PROJECTS &&
                             indicator->measure().aggregate() == v1::AGGREGATE_COUNT;
  if (item.method_case() == v1::SchemeItem::kQuota && !project_count) {
    v->push_back({path, absl::StrCat("must be a project COUNT indicator for a quota, got ",
                                     Quoted(item.indicator()))});
  }
  if (kind == v1::SUBJECT_KIND_COUNTIES && indicator->has_measure() &&
      indicator->measure().entity() == v1::MEASURE_ENTITY_WORK_ITEMS) {
    v->push_back({path, absl::StrCat("counts work items, which belong to chains: it cannot "
                                     "assess counties, got ",
                                     Quoted(item.indicator()))});
  }
}

void CheckSubjects(const v1::Scheme& scheme, Violations* v) {
  const v1::SubjectKind kind = scheme.subject_kind();
  if (!v1::SubjectKind_IsValid(kind)) {
    v->push_back({"scheme.subject_kind",
                  absl::StrCat("must be CHAINS or COUNTIES, got ", static_cast<int>(kind))});
  }
  if (scheme.subjects_size() > kMaxSchemeSubjects) {
    v->push_back({"scheme.subjects", absl::StrCat("must hold at most ", kMaxSchemeSubjects,
                                                  " subjects, got ", scheme.subjects_size())});
  }
  const bool counties = kind == v1::SUBJECT_KIND_COUNTIES;
  std::set<std::string> seen;
  for (int i = 0; i < scheme.subjects_size() && i < kMaxSchemeSubjects; ++i) {
    const std::string path = Indexed("scheme.subjects", i);
    auto subject = SubjectName::Parse(path, scheme.subjects(i));
    if (!subject.ok()) {
      AddStatus(subject.status(), path, v);
    } else if ((subject->kind == SubjectName::Kind::kCounty) != counties) {
      v->push_back(
          {path, absl::StrCat("must be ",
                              counties ? "a county counties/{county}" : "a chain chains/{chain}",
                              " (subject_kind ", counties ? "COUNTIES" : "CHAINS", "), got ",
                              Quoted(scheme.subjects(i)))});
    } else if (!seen.insert(scheme.subjects(i)).second) {
      v->push_back(
          {path, absl::StrCat("duplicates an earlier subject ", Quoted(scheme.subjects(i)))});
    }
  }
}

void CheckGrading(const v1::Scheme& scheme, Violations* v) {
  const v1::Grading& g = scheme.grading();
  switch (g.rule_case()) {
    case v1::Grading::kThresholds: {
      const auto& t = g.thresholds();
      // A threshold that is no number is that field's fault; the order is checked between
      // numbers.
      bool finite = true;
      for (const auto& [name, threshold] :
           {std::pair<const char*, double>{"excellent", t.excellent()},
            {"good", t.good()},
            {"pass", t.pass()}}) {
        if (!std::isfinite(threshold)) {
          finite = false;
          v->push_back({Path("scheme.grading.thresholds", name),
                        absl::StrCat("must be a finite number, got ", Shown(threshold))});
        }
      }
      if (finite && !(t.excellent() > t.good() && t.good() > t.pass())) {
        v->push_back({"scheme.grading.thresholds",
                      absl::StrCat("must have excellent > good > pass, got ", Shown(t.excellent()),
                                   ", ", Shown(t.good()), ", ", Shown(t.pass()))});
      }
      break;
    }
    case v1::Grading::kRankShares: {
      const auto& s = g.rank_shares();
      const std::pair<const char*, double> shares[] = {
          {"excellent", s.excellent()}, {"good", s.good()}, {"fail", s.fail()}};
      bool each_ok = true;
      for (const auto& [name, share] : shares) {
        if (!(share >= 0 && share <= 1)) {
          each_ok = false;
          v->push_back({Path("scheme.grading.rank_shares", name),
                        absl::StrCat("must be in [0, 1], got ", Shown(share))});
        }
      }
      const double sum = s.excellent() + s.good() + s.fail();
      if (each_ok && sum > 1 + 1e-9) {
        v->push_back({"scheme.grading.rank_shares",
                      absl::StrCat("shares must add up to at most 1, got ", Shown(sum))});
      }
      break;
    }
    default:
      v->push_back({"scheme.grading", "must set thresholds or rank_shares"});
      break;
  }
}

}  // namespace

v1::Direction DirectionOf(const v1::Indicator& indicator) {
  return indicator.direction() == v1::DIRECTION_LOWER_IS_BETTER ? v1::DIRECTION_LOWER_IS_BETTER
                                                                : v1::DIRECTION_HIGHER_IS_BETTER;
}

void CheckIndicator(const v1::Indicator& indicator, const std::string& field,
                    std::vector<FieldViolation>* violations) {
  Violations* v = violations;
  if (indicator.name().empty()) {
    v->push_back({Path(field, "name"), "must not be empty"});
  } else {
    AddStatus(IndicatorName::Parse(Path(field, "name"), indicator.name()).status(),
              Path(field, "name"), v);
  }
  CheckOneLineText(v, Path(field, "display_name"), indicator.display_name(), true,
                   kMaxDisplayNameChars);
  CheckOneLineText(v, Path(field, "unit"), indicator.unit(), false, kMaxUnitChars);
  CheckMultiLineText(v, Path(field, "description"), indicator.description(), false,
                     kMaxDescriptionChars);
  CheckKnownEnum(v1::Direction_IsValid, indicator.direction(), true, Path(field, "direction"),
                 "HIGHER_IS_BETTER, LOWER_IS_BETTER", v);
  switch (indicator.source_case()) {
    case v1::Indicator::kMeasure:
      CheckMeasure(indicator.measure(), Path(field, "measure"), v);
      break;
    case v1::Indicator::kReported: {
      const std::string path = Path(field, "reported.owner_department");
      const std::string& owner = indicator.reported().owner_department();
      if (owner.empty()) {
        v->push_back({path, "must not be empty"});
      } else {
        AddStatus(DepartmentName::Parse(path, owner).status(), path, v);
      }
      break;
    }
    default:
      v->push_back({Path(field, "source"), "must set exactly one of measure or reported"});
      break;
  }
}

void CheckScheme(const v1::Scheme& scheme, const IndicatorLookup& indicator_of,
                 std::vector<FieldViolation>* violations) {
  Violations* v = violations;
  if (scheme.name().empty()) {
    v->push_back({"scheme.name", "must not be empty"});
  } else {
    AddStatus(SchemeName::ParseLatest("scheme.name", scheme.name()).status(), "scheme.name", v);
  }
  CheckOneLineText(v, "scheme.display_name", scheme.display_name(), true, kMaxDisplayNameChars);
  CheckMultiLineText(v, "scheme.description", scheme.description(), false, kMaxDescriptionChars);
  CheckSubjects(scheme, v);

  const bool total_ok = std::isfinite(scheme.total_points()) && scheme.total_points() > 0;
  if (!total_ok) {
    v->push_back(
        {"scheme.total_points", absl::StrCat("must be > 0, got ", Shown(scheme.total_points()))});
  }
  if (!(scheme.quarter_weight() >= 0 && scheme.quarter_weight() <= 1)) {
    v->push_back(
        {"scheme.quarter_weight", absl::StrCat("must be in [0, 1] (0: no folding; e.g. 0.7), got ",
                                               Shown(scheme.quarter_weight()))});
  }

  if (scheme.items_size() == 0 || scheme.items_size() > kMaxSchemeItems) {
    v->push_back({"scheme.items", absl::StrCat("must hold 1 to ", kMaxSchemeItems, " items, got ",
                                               scheme.items_size())});
  }
  std::set<std::string> keys;
  double scored_points = 0;
  bool points_ok = true;
  for (int i = 0; i < scheme.items_size() && i < kMaxSchemeItems; ++i) {
    const v1::SchemeItem& item = scheme.items(i);
    const std::string field = Indexed("scheme.items", i);
    if (!IsValidItemKey(item.key())) {
      v->push_back({Path(field, "key"),
                    absl::StrCat("must be 1-40 of a-z, 0-9 and '_', got ", Quoted(item.key()))});
    } else if (!keys.insert(item.key()).second) {
      v->push_back({Path(field, "key"),
                    absl::StrCat("duplicates an earlier item's key ", Quoted(item.key()))});
    }
    CheckOneLineText(v, Path(field, "display_name"), item.display_name(), false,
                     kMaxDisplayNameChars);
    if (!std::isfinite(item.points()) || !(item.points() > 0)) {
      points_ok = false;
      v->push_back(
          {Path(field, "points"), absl::StrCat("must be > 0, got ", Shown(item.points()))});
    } else if (IsScoredItem(item)) {
      scored_points += item.points();
    }
    CheckItemIndicator(item, field, indicator_of, scheme.subject_kind(), v);
    CheckMethod(item, field, v);
  }
  if (total_ok && points_ok && scheme.items_size() > 0 &&
      std::fabs(scored_points - scheme.total_points()) > 1e-9) {
    v->push_back(
        {"scheme.items", absl::StrCat("points of the scored items add up to ", Shown(scored_points),
                                      ", not total_points ", Shown(scheme.total_points()))});
  }
  CheckGrading(scheme, v);
}

std::string SchemeContentKey(const v1::Scheme& scheme) {
  v1::Scheme content = scheme;
  content.clear_version();
  content.clear_etag();
  content.clear_create_time();
  content.clear_version_time();
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream out(&stream);
  out.SetSerializationDeterministic(true);
  content.SerializeToCodedStream(&out);
  out.Trim();
  return bytes;
}

}  // namespace chainhub::assessment
