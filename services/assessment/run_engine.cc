#include "services/assessment/run_engine.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/digest.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/assessment/assessment_store.h"
#include "services/assessment/grading.h"
#include "services/assessment/measures.h"
#include "services/assessment/methods.h"

namespace chainhub::assessment {
namespace {

// Exact text of a number for the digest (17 significant digits round-trip a double).
std::string Exact(double v) { return absl::StrFormat("%.17g", v); }

// The canonical record of every input a run read, hashed into inputs_digest. Each line names
// what it is, so two runs that read different inputs cannot produce the same text.
class DigestText {
 public:
  template <typename... Parts>
  void Line(const Parts&... parts) {
    absl::StrAppend(&text_, parts..., "\n");
  }
  std::string Hex() const { return Sha256Hex(text_); }

 private:
  std::string text_;
};

// One item's inputs for every subject, and the lines they add to the digest.
struct ItemInputs {
  std::vector<ItemInput> inputs;
  std::string indicator_display_name;
  v1::Direction direction = v1::DIRECTION_HIGHER_IS_BETTER;
};

// [max(a, b), min(c, d)) of two bands, 0 meaning unbounded above.
std::pair<int64_t, int64_t> Intersect(int64_t min_a, int64_t max_a, int64_t min_b, int64_t max_b) {
  const int64_t lo = std::max(min_a, min_b);
  int64_t hi = max_a;
  if (hi == 0 || (max_b != 0 && max_b < hi)) hi = max_b;
  return {lo, hi};
}

class Engine {
 public:
  Engine(SqlTx& tx, const RunSpec& spec) : tx_(tx), db_(tx), spec_(spec) {}

  absl::StatusOr<v1::Run> Run() {
    const v1::Scheme& scheme = spec_.scheme;
    v1::Run run;
    run.set_scheme(scheme.name());
    run.set_scheme_version(scheme.version());
    run.set_period(spec_.period.String());
    run.set_kind(spec_.kind);
    SetTimestamp(run.mutable_as_of_time(), absl::ToUnixMicros(spec_.as_of));
    digest_.Line("scheme ", scheme.name(), " version ", scheme.version());
    digest_.Line("period ", spec_.period.String(), " kind ", static_cast<int>(spec_.kind),
                 " as_of_us ", absl::ToUnixMicros(spec_.as_of));

    CHAINHUB_ASSIGN_OR_RETURN(indicators_, db_.IndicatorsAsOf(spec_.as_of));
    CHAINHUB_RETURN_IF_ERROR(LoadSubjects(&run));
    CHAINHUB_RETURN_IF_ERROR(MeasureAll(scheme));
    std::vector<v1::SubjectResult> results(subjects_.size());
    for (size_t i = 0; i < subjects_.size(); ++i) {
      results[i].set_subject(subjects_[i].name);
      results[i].set_display_name(subjects_[i].display_name);
    }
    for (const v1::SchemeItem& item : scheme.items()) {
      CHAINHUB_ASSIGN_OR_RETURN(ItemInputs in, Inputs(item, &run));
      std::vector<v1::ItemResult> scored =
          ScoreItem(item, in.direction, in.indicator_display_name, in.inputs);
      for (size_t i = 0; i < scored.size() && i < results.size(); ++i) {
        results[i].set_total(results[i].total() + scored[i].points());
        if (!scored[i].problem().empty()) {
          run.add_problems(absl::StrCat(subjects_[i].name, " ", item.key(), ": ",
                                        scored[i].problem()));
        }
        *results[i].add_items() = std::move(scored[i]);
      }
    }
    for (auto& r : results) r.set_period_total(r.total());
    CHAINHUB_RETURN_IF_ERROR(Fold(&results, &run));
    RankAndGrade(scheme.grading(), &results);
    CHAINHUB_RETURN_IF_ERROR(CompareWithPrevious(&results, &run));
    for (const auto& r : results) {
      digest_.Line("result ", r.subject(), " total ", Exact(r.total()));
    }
    for (auto& r : results) *run.add_results() = std::move(r);
    run.set_inputs_digest(digest_.Hex());
    return run;
  }

 private:
  absl::Status LoadSubjects(v1::Run* run) {
    const v1::SubjectKind kind = spec_.scheme.subject_kind() == v1::SUBJECT_KIND_UNSPECIFIED
                                     ? v1::SUBJECT_KIND_CHAINS
                                     : spec_.scheme.subject_kind();
    kind_ = kind;
    CHAINHUB_ASSIGN_OR_RETURN(std::vector<Subject> all, ListSubjects(tx_, kind, spec_.as_of));
    if (spec_.scheme.subjects().empty()) {
      subjects_ = std::move(all);
    } else {
      std::map<std::string, Subject> by_name;
      for (auto& s : all) by_name.emplace(s.name, std::move(s));
      for (const std::string& name : spec_.scheme.subjects()) {
        auto it = by_name.find(name);
        if (it == by_name.end()) {
          run->add_problems(absl::StrCat(name, ": not an active subject as of the run; left out"));
          continue;
        }
        subjects_.push_back(it->second);
      }
    }
    std::sort(subjects_.begin(), subjects_.end(),
              [](const Subject& a, const Subject& b) { return a.name < b.name; });
    for (const auto& s : subjects_) digest_.Line("subject ", s.name, " ", s.display_name);
    return absl::OkStatus();
  }

  std::vector<std::string> SubjectNames() const {
    std::vector<std::string> names;
    for (const auto& s : subjects_) names.push_back(s.name);
    return names;
  }

  // What a measure's evaluation is remembered under within the run (subjects, period and
  // instant are the run's).
  static std::string MeasureKey(const MeasureQuery& q) {
    return absl::StrCat(q.measure->SerializeAsString(), "|", q.band_min_yuan, "|",
                        q.band_max_yuan);
  }

  // The queries of every computed item (and of its bands), evaluated together: one pass per kind
  // of fact rather than one per item.
  absl::Status MeasureAll(const v1::Scheme& scheme) {
    std::vector<MeasureQuery> queries;
    for (const v1::SchemeItem& item : scheme.items()) {
      auto it = indicators_.find(item.indicator());
      if (item.method_case() == v1::SchemeItem::kRating || it == indicators_.end() ||
          !it->second.has_measure()) {
        continue;
      }
      const v1::Measure& measure = it->second.measure();
      const MeasureQuery q = Query(measure);
      queries.push_back(q);
      if (item.method_case() != v1::SchemeItem::kQuota) continue;
      for (const v1::BandQuota& band : item.quota().bands()) {
        queries.push_back(BandQuery(q, band, measure));
      }
    }
    CHAINHUB_ASSIGN_OR_RETURN(auto values, EvaluateMeasures(tx_, queries));
    for (size_t i = 0; i < queries.size(); ++i) {
      measured_[MeasureKey(queries[i])] = std::move(values[i]);
    }
    return absl::OkStatus();
  }

  // The query of one band of a quota item.
  static MeasureQuery BandQuery(MeasureQuery q, const v1::BandQuota& band,
                                const v1::Measure& measure) {
    std::tie(q.band_min_yuan, q.band_max_yuan) =
        Intersect(band.min_yuan(), band.max_yuan(), measure.projects().min_total_investment_yuan(),
                  measure.projects().max_total_investment_yuan());
    return q;
  }

  // The values of `q`, as MeasureAll evaluated them.
  absl::StatusOr<std::map<std::string, SubjectValue>> Measured(const MeasureQuery& q) {
    auto it = measured_.find(MeasureKey(q));
    if (it != measured_.end()) return it->second;
    return EvaluateMeasure(tx_, q);
  }

  MeasureQuery Query(const v1::Measure& measure) const {
    MeasureQuery q;
    q.measure = &measure;
    q.subject_kind = kind_;
    q.subjects = SubjectNames();
    q.first_day = spec_.period.FirstDay();
    q.last_day = spec_.period.LastDay();
    q.as_of = spec_.as_of;
    return q;
  }

  absl::StatusOr<ItemInputs> Inputs(const v1::SchemeItem& item, v1::Run* run) {
    ItemInputs in;
    in.inputs.resize(subjects_.size());
    const std::string& period = spec_.period.String();
    if (item.method_case() == v1::SchemeItem::kRating) {
      for (size_t i = 0; i < subjects_.size(); ++i) {
        CHAINHUB_ASSIGN_OR_RETURN(auto rating, db_.RatingAsOf(spec_.scheme.name(), item.key(),
                                                              subjects_[i].name, period,
                                                              spec_.as_of));
        if (rating) in.inputs[i].rating = rating->points();
        digest_.Line("rating ", item.key(), " ", subjects_[i].name, " ",
                     rating ? Exact(rating->points()) : "none");
      }
      return in;
    }
    auto it = indicators_.find(item.indicator());
    if (it == indicators_.end()) {
      run->add_problems(absl::StrCat(item.key(), ": indicator ", item.indicator(),
                                     " is not defined as of the run; scored 0"));
      digest_.Line("indicator ", item.indicator(), " undefined");
      return in;
    }
    const v1::Indicator& indicator = it->second;
    in.indicator_display_name = indicator.display_name();
    in.direction = indicator.direction() == v1::DIRECTION_LOWER_IS_BETTER
                       ? v1::DIRECTION_LOWER_IS_BETTER
                       : v1::DIRECTION_HIGHER_IS_BETTER;
    digest_.Line("indicator ", item.indicator(), " ", Sha256Hex(indicator.SerializeAsString()));
    if (indicator.has_measure()) {
      MeasureQuery q = Query(indicator.measure());
      CHAINHUB_ASSIGN_OR_RETURN(auto values, Measured(q));
      for (size_t i = 0; i < subjects_.size(); ++i) {
        const SubjectValue& v = values[subjects_[i].name];
        in.inputs[i].actual = v.value;
        digest_.Line("measure ", item.key(), " ", subjects_[i].name, " ", Exact(v.value), " ",
                     v.count, " ", v.digest);
      }
      if (item.method_case() == v1::SchemeItem::kQuota) {
        for (const v1::BandQuota& band : item.quota().bands()) {
          CHAINHUB_ASSIGN_OR_RETURN(auto counts,
                                    Measured(BandQuery(q, band, indicator.measure())));
          for (size_t i = 0; i < subjects_.size(); ++i) {
            const SubjectValue& v = counts[subjects_[i].name];
            in.inputs[i].band_counts.push_back(v.value);
            digest_.Line("band ", item.key(), " ", band.min_yuan(), "-", band.max_yuan(), " ",
                         subjects_[i].name, " ", Exact(v.value), " ", v.digest);
          }
        }
      }
    } else {
      for (size_t i = 0; i < subjects_.size(); ++i) {
        CHAINHUB_ASSIGN_OR_RETURN(auto value,
                                  db_.ReportedValueAsOf(subjects_[i].name, item.indicator(),
                                                        period, spec_.as_of));
        if (value) {
          in.inputs[i].actual = value->value();
        } else {
          run->add_problems(absl::StrCat(subjects_[i].name, " ", item.key(),
                                         ": no value reported for ", item.indicator(), " ",
                                         period, "; counted as 0"));
        }
        digest_.Line("reported ", item.key(), " ", subjects_[i].name, " ",
                     value ? absl::StrCat(Exact(value->value()), " r", value->revision())
                           : "none");
      }
    }
    if (item.method_case() == v1::SchemeItem::kRatioToTarget) {
      for (size_t i = 0; i < subjects_.size(); ++i) {
        CHAINHUB_ASSIGN_OR_RETURN(auto target, ResolveTarget(tx_, subjects_[i].name,
                                                             item.indicator(), spec_.period,
                                                             spec_.as_of));
        if (target) in.inputs[i].target = target->value;
        digest_.Line("target ", item.key(), " ", subjects_[i].name, " ",
                     target ? Exact(target->value) : "none");
      }
    }
    return in;
  }

  // An annual run of a scheme that folds quarters: the year's final quarterly runs as of the
  // run's instant, their mean weighed in.
  absl::Status Fold(std::vector<v1::SubjectResult>* results, v1::Run* run) {
    const double weight = spec_.scheme.quarter_weight();
    if (spec_.period.kind != PeriodKind::kYear || weight <= 0) return absl::OkStatus();
    std::map<std::string, std::vector<double>> quarter_totals;
    for (const Period& quarter : spec_.period.QuartersOfYear()) {
      CHAINHUB_ASSIGN_OR_RETURN(auto final_run,
                                db_.LatestRun(spec_.scheme.name(), quarter.String(),
                                              v1::RUN_KIND_FINAL, spec_.as_of));
      if (!final_run) {
        run->add_problems(absl::StrCat("no final run of ", quarter.String(),
                                       " to fold; the mean is over the quarters run"));
        digest_.Line("fold ", quarter.String(), " none");
        continue;
      }
      digest_.Line("fold ", quarter.String(), " ", final_run->name(), " ",
                   final_run->inputs_digest());
      for (const auto& r : final_run->results()) quarter_totals[r.subject()].push_back(r.total());
    }
    for (auto& r : *results) {
      const std::vector<double>& totals = quarter_totals[r.subject()];
      if (totals.empty()) continue;
      double sum = 0;
      for (double t : totals) sum += t;
      r.set_quarters_total(sum / static_cast<double>(totals.size()));
      r.set_total(FoldQuarters(weight, r.period_total(), totals));
    }
    return absl::OkStatus();
  }

  absl::Status CompareWithPrevious(std::vector<v1::SubjectResult>* results, v1::Run* run) {
    CHAINHUB_ASSIGN_OR_RETURN(auto previous,
                              db_.LatestRun(spec_.scheme.name(), spec_.period.Previous().String(),
                                            v1::RUN_KIND_FINAL, spec_.as_of));
    if (!previous) return absl::OkStatus();
    run->set_previous_run(previous->name());
    digest_.Line("previous ", previous->name());
    std::vector<v1::SubjectResult> before(previous->results().begin(),
                                          previous->results().end());
    CompareRanks(before, results);
    return absl::OkStatus();
  }

  SqlTx& tx_;
  AssessmentTx db_;
  const RunSpec& spec_;
  v1::SubjectKind kind_ = v1::SUBJECT_KIND_CHAINS;
  std::map<std::string, v1::Indicator> indicators_;
  std::vector<Subject> subjects_;
  // MeasureAll's results, by MeasureKey.
  std::map<std::string, std::map<std::string, SubjectValue>> measured_;
  DigestText digest_;
};

v1::Fact InputFact(const std::string& resource, const std::string& display_name, double value,
                   const std::string& detail) {
  v1::Fact f;
  f.set_resource(resource);
  f.set_display_name(display_name);
  f.set_value(value);
  f.set_detail(detail);
  return f;
}

std::string Fixed(double v) { return absl::StrFormat("%.2f", v); }

}  // namespace

absl::StatusOr<v1::Run> ComputeRun(SqlTx& tx, const RunSpec& spec) {
  return Engine(tx, spec).Run();
}

absl::StatusOr<std::optional<TargetInForce>> ResolveTarget(SqlTx& tx, const std::string& subject,
                                                           const std::string& indicator,
                                                           const Period& period,
                                                           absl::Time as_of) {
  AssessmentTx db(tx);
  CHAINHUB_ASSIGN_OR_RETURN(auto set, db.TargetAsOf(subject, indicator, period.String(), as_of));
  if (set) return std::optional<TargetInForce>(TargetInForce{*set, false});
  if (period.kind == PeriodKind::kYear) return std::optional<TargetInForce>();
  CHAINHUB_ASSIGN_OR_RETURN(auto annual,
                            db.TargetAsOf(subject, indicator, period.Year().String(), as_of));
  if (!annual) return std::optional<TargetInForce>();
  return std::optional<TargetInForce>(TargetInForce{*annual * period.ShareOfYear(), true});
}

absl::StatusOr<v1::ExplainScoreResponse> ExplainItem(SqlTx& tx, const v1::Run& run,
                                                     const v1::Scheme& scheme,
                                                     const std::string& subject,
                                                     const std::string& item_key, int offset,
                                                     int limit) {
  v1::ExplainScoreResponse resp;
  const v1::SubjectResult* result = nullptr;
  for (const auto& r : run.results()) {
    if (r.subject() == subject) result = &r;
  }
  if (result == nullptr) {
    return NotFound("Subject", absl::StrCat(subject, " in ", run.name()));
  }
  const v1::ItemResult* item_result = nullptr;
  for (const auto& i : result->items()) {
    if (i.key() == item_key) item_result = &i;
  }
  const v1::SchemeItem* item = nullptr;
  for (const auto& i : scheme.items()) {
    if (i.key() == item_key) item = &i;
  }
  if (item_result == nullptr || item == nullptr) {
    return NotFound("Item", absl::StrCat(item_key, " of ", run.scheme()));
  }
  *resp.mutable_item() = *item_result;
  CHAINHUB_ASSIGN_OR_RETURN(Period period, Period::Parse("run.period", run.period()));
  const absl::Time as_of = absl::FromUnixSeconds(run.as_of_time().seconds()) +
                           absl::Nanoseconds(run.as_of_time().nanos());
  AssessmentTx db(tx);
  // The inputs that are not facts of the library come first: target, reported value, rating.
  std::vector<v1::Fact> inputs;
  if (item_result->has_target()) {
    inputs.push_back(InputFact(item->indicator(), "目标", item_result->target(),
                               absl::StrCat(run.period(), " 目标 ", Fixed(item_result->target()))));
  }
  if (item->method_case() == v1::SchemeItem::kRating) {
    CHAINHUB_ASSIGN_OR_RETURN(auto rating, db.RatingAsOf(scheme.name(), item_key, subject,
                                                         run.period(), as_of));
    if (rating) {
      inputs.push_back(InputFact(absl::StrCat(scheme.name(), "/items/", item_key), "评分",
                                 rating->points(),
                                 absl::StrCat(rating->principal(), ": ", rating->note())));
    }
  }
  CHAINHUB_ASSIGN_OR_RETURN(auto indicators, db.IndicatorsAsOf(as_of));
  const auto it = indicators.find(item->indicator());
  const v1::Indicator* indicator = it == indicators.end() ? nullptr : &it->second;
  if (indicator != nullptr && indicator->has_reported()) {
    CHAINHUB_ASSIGN_OR_RETURN(auto value, db.ReportedValueAsOf(subject, item->indicator(),
                                                               run.period(), as_of));
    if (value) {
      inputs.push_back(InputFact(item->indicator(), indicator->display_name(), value->value(),
                                 absl::StrCat("第", value->revision(), "次报送 ",
                                              value->principal(), ": ", value->evidence())));
    }
  }
  const int total_inputs = static_cast<int>(inputs.size());
  for (int i = offset; i < total_inputs && resp.facts_size() < limit; ++i) {
    *resp.add_facts() = inputs[i];
  }
  int total = total_inputs;
  if (indicator != nullptr && indicator->has_measure()) {
    MeasureQuery q;
    q.measure = &indicator->measure();
    q.subject_kind = scheme.subject_kind() == v1::SUBJECT_KIND_COUNTIES
                         ? v1::SUBJECT_KIND_COUNTIES
                         : v1::SUBJECT_KIND_CHAINS;
    q.subjects = {subject};
    q.first_day = period.FirstDay();
    q.last_day = period.LastDay();
    q.as_of = as_of;
    const int measure_offset = std::max(0, offset - total_inputs);
    const int measure_limit = limit - resp.facts_size();
    CHAINHUB_ASSIGN_OR_RETURN(FactPage page,
                              ListMeasureFacts(tx, q, subject, measure_offset,
                                               std::max(measure_limit, 0)));
    for (auto& f : page.facts) *resp.add_facts() = std::move(f);
    total += page.total;
  }
  resp.set_total_size(total);
  return resp;
}

std::vector<v1::ScoreDifference> CompareRuns(const v1::Run& recorded, const v1::Run& replayed) {
  std::vector<v1::ScoreDifference> out;
  auto differ = [&](const std::string& subject, const std::string& item, const std::string& what,
                    const std::string& a, const std::string& b) {
    if (a == b) return;
    v1::ScoreDifference d;
    d.set_subject(subject);
    d.set_item(item);
    d.set_what(what);
    d.set_recorded(a);
    d.set_replayed(b);
    out.push_back(std::move(d));
  };
  differ("", "", "inputs_digest", recorded.inputs_digest(), replayed.inputs_digest());
  std::map<std::string, const v1::SubjectResult*> again;
  for (const auto& r : replayed.results()) again[r.subject()] = &r;
  for (const auto& r : recorded.results()) {
    auto it = again.find(r.subject());
    if (it == again.end()) {
      differ(r.subject(), "", "subject", "present", "absent");
      continue;
    }
    const v1::SubjectResult& b = *it->second;
    differ(r.subject(), "", "total", Exact(r.total()), Exact(b.total()));
    differ(r.subject(), "", "rank", absl::StrCat(r.rank()), absl::StrCat(b.rank()));
    differ(r.subject(), "", "grade", v1::Grade_Name(r.grade()), v1::Grade_Name(b.grade()));
    std::map<std::string, const v1::ItemResult*> items;
    for (const auto& i : b.items()) items[i.key()] = &i;
    for (const auto& i : r.items()) {
      auto found = items.find(i.key());
      differ(r.subject(), i.key(), "points", Exact(i.points()),
             found == items.end() ? "absent" : Exact(found->second->points()));
    }
    again.erase(it);
  }
  for (const auto& [subject, r] : again) differ(subject, "", "subject", "absent", "present");
  return out;
}

}  // namespace chainhub::assessment
