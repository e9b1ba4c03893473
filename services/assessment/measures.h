// Computed indicators over the facts (fact_versions.h): a Measure (a count or sum over projects,
// enterprises or work items with typed filters, assessment.proto) evaluated for every subject of
// a run at once, as of an instant, in one GROUP BY query (several measures in one pass); the facts that counted for one subject;
// and the subjects themselves.
//
// Semantics, beyond the proto's comments:
// - Facts are the versions in force at `as_of` (event time ≤ as_of, not yet superseded then).
// - "Reached within the period" and "created within the period" compare the project's stage date
//   (its effective business date) or create date with [first_day, last_day].
// - COMPLETED_IN_PERIOD / FUNDS_ARRIVED_IN_PERIOD: the cumulative figure of the latest report
//   month ≤ the period's last month minus that of the latest month before the period's first
//   month (0 when none); a project counts when that difference is not 0. Computed in one pass as
//   the greatest figures, which intake's rule (cumulative figures never fall from month to month)
//   makes equal to those of the latest months.
// - Work items: OVERDUE is not resolved as of ChinaDay(as_of) and deadline before that day.
// - County subjects: projects and enterprises by their own county; work items by the county of
//   their subject project as of `as_of` (items about a chain belong to no county).
#ifndef CHAINHUB_SERVICES_ASSESSMENT_MEASURES_H_
#define CHAINHUB_SERVICES_ASSESSMENT_MEASURES_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/store/store.h"

namespace chainhub::assessment {

namespace v1 = ::chainhub::assessment::v1;

struct MeasureQuery {
  const v1::Measure* measure = nullptr;
  v1::SubjectKind subject_kind = v1::SUBJECT_KIND_CHAINS;
  // Subject names (chains/pv or counties/来安县). Empty: every subject some fact counts for.
  std::vector<std::string> subjects;
  // The period (inclusive).
  absl::CivilDay first_day, last_day;
  // Facts as recorded at this instant.
  absl::Time as_of;
  // An extra total-investment band [min, max) on projects (size-band quotas); 0 = no bound.
  int64_t band_min_yuan = 0, band_max_yuan = 0;
};

struct SubjectValue {
  // The raw count or sum times the measure's scale.
  double value = 0;
  // Facts that counted.
  int64_t count = 0;
  // Which fact versions counted and what they contributed: "<count>-<Σ hash hi>-<Σ hash lo>-<raw
  // sum>" (hashes over each version's key and content, so independent of order and of when the
  // version was recorded). Equal digests ⇔ the same facts, with overwhelming probability.
  std::string digest;
};

// Every subject of the query is in the result (value 0 when nothing counted). INVALID_ARGUMENT
// naming the field for a measure that cannot be evaluated (entity or aggregate unset, a field of
// another entity, a SUM without a field) or a subject of another kind.
absl::StatusOr<std::map<std::string, SubjectValue>> EvaluateMeasure(SqlTx& tx,
                                                                   const MeasureQuery& q);

// Several queries at once, each result as EvaluateMeasure gives it. Queries over the same facts,
// subjects and instant are answered by one pass over those facts with a conditional count and
// sum per query (a run's computed items cost one pass per kind of fact, not one per item); a
// measure with a subquery of its own (completed or funds arrived in the period) runs alone.
absl::StatusOr<std::vector<std::map<std::string, SubjectValue>>> EvaluateMeasures(
    SqlTx& tx, const std::vector<MeasureQuery>& queries);

// The facts that counted for one subject, ordered by resource name, with the total count:
// Fact.resource (projects/{id}, enterprises/{code}, issues/{id}, tasks/{id}), display_name,
// value (1 for a count, the amount for a sum, unscaled), detail (Chinese, e.g.
// "2026-08-12 签约, 总投资 12亿元").
struct FactPage {
  std::vector<v1::Fact> facts;
  int32_t total = 0;
};
absl::StatusOr<FactPage> ListMeasureFacts(SqlTx& tx, const MeasureQuery& q,
                                          const std::string& subject, int offset, int limit);

// The subjects of a kind as of an instant, by name: the active chains (registry ChainStatus
// ACTIVE) with their display names, or the counties some active chain names as a host county
// (display name = the county).
struct Subject {
  std::string name;
  std::string display_name;
};
absl::StatusOr<std::vector<Subject>> ListSubjects(SqlTx& tx, v1::SubjectKind kind,
                                                  absl::Time as_of);

// 亿元 with at most two decimals, e.g. 1'200'000'000 → "12亿元", 35'000'000 → "0.35亿元".
std::string FormatYi(int64_t yuan);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_MEASURES_H_
