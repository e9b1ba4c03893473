// Assessment's SQL (migrations/0002_assessment.sql): indicators with their definitions over time,
// targets, reported values and ratings as append-only histories, scheme versions, runs, schedules
// and leases. Every "as of" read takes the latest row recorded at or before the instant, so a run
// recomputed later sees exactly the inputs it saw. The facts are in facts.h and measures.h.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_ASSESSMENT_STORE_H_
#define CHAINHUB_SERVICES_ASSESSMENT_ASSESSMENT_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/store/list_query.h"
#include "common/store/store.h"

namespace chainhub::assessment {

// Narrows the lists of targets, reported values and ratings (empty: any).
struct InputFilter {
  std::string subject;
  std::string indicator;  // for ratings: the scheme
  std::string period;
};

// What ListRuns narrows by.
struct RunFilter {
  std::string scheme;  // schemes/{id}
  std::string period;
  v1::RunKind kind = v1::RUN_KIND_UNSPECIFIED;
  v1::RunTrigger trigger = v1::RUN_TRIGGER_UNSPECIFIED;
  // Only published runs (readers who may not see provisional ones).
  bool published_only = false;
};

class AssessmentTx {
 public:
  explicit AssessmentTx(SqlTx& tx) : tx_(tx) {}

  // --- Indicators ---
  absl::StatusOr<v1::Indicator> GetIndicator(const std::string& key);
  absl::StatusOr<bool> IndicatorExists(const std::string& key);
  absl::Status InsertIndicator(const std::string& key, const v1::Indicator& indicator,
                               absl::Time now);
  // Replaces the definition (revision + 1), keeping the old one in the history.
  absl::Status ReplaceIndicator(const std::string& key, const v1::Indicator& indicator,
                                absl::Time now);
  absl::StatusOr<std::vector<Keyed<v1::Indicator>>> ListIndicators(const PageQuery& q);
  // Every indicator's definition as recorded at `as_of`, by name (indicators/{key}).
  absl::StatusOr<std::map<std::string, v1::Indicator>> IndicatorsAsOf(absl::Time as_of);

  // --- Targets ---
  absl::Status InsertTarget(const v1::Target& target, const std::string& principal,
                            absl::Time now);
  // The target set for exactly this subject, indicator and period, as recorded at `as_of`.
  absl::StatusOr<std::optional<double>> TargetAsOf(const std::string& subject,
                                                   const std::string& indicator,
                                                   const std::string& period, absl::Time as_of);
  // The latest setting of each (subject, indicator, period) the filter keeps, in key order.
  absl::StatusOr<std::vector<Keyed<v1::Target>>> ListTargets(const InputFilter& filter,
                                                             const PageQuery& q);

  // --- Reported values ---
  // Appends the next revision; returns it as stored.
  absl::StatusOr<v1::ReportedValue> InsertReportedValue(const v1::ReportedValue& value,
                                                        const std::string& principal,
                                                        absl::Time now);
  absl::StatusOr<std::optional<v1::ReportedValue>> ReportedValueAsOf(const std::string& subject,
                                                                     const std::string& indicator,
                                                                     const std::string& period,
                                                                     absl::Time as_of);
  // The latest revision of each key (or, with history, every revision newest first within a key).
  absl::StatusOr<std::vector<Keyed<v1::ReportedValue>>> ListReportedValues(
      const InputFilter& filter, bool history, const PageQuery& q);

  // --- Schemes ---
  // The latest version of schemes/{id}, or version `version` when > 0. NOT_FOUND names the scheme.
  absl::StatusOr<v1::Scheme> GetScheme(const std::string& id, int version = 0);
  // The content key of the latest version, if the scheme exists.
  absl::StatusOr<std::optional<std::string>> LatestContentKey(const std::string& id);
  // Stores `scheme` as the next version (1 for a new scheme); returns it as stored.
  absl::StatusOr<v1::Scheme> AddSchemeVersion(const std::string& id, const v1::Scheme& scheme,
                                              const std::string& content_key, absl::Time now);
  absl::StatusOr<std::vector<Keyed<v1::Scheme>>> ListSchemes(const PageQuery& q);
  absl::StatusOr<std::vector<Keyed<v1::Scheme>>> ListSchemeVersions(const std::string& id,
                                                                    const PageQuery& q);

  // --- Ratings ---
  absl::Status InsertRating(const v1::RatingEntry& rating, absl::Time now);
  absl::StatusOr<std::optional<v1::RatingEntry>> RatingAsOf(const std::string& scheme,
                                                            const std::string& item,
                                                            const std::string& subject,
                                                            const std::string& period,
                                                            absl::Time as_of);
  absl::StatusOr<std::vector<Keyed<v1::RatingEntry>>> ListRatings(const std::string& scheme,
                                                                  const std::string& period,
                                                                  const PageQuery& q);

  // --- Runs ---
  absl::Status InsertRun(const std::string& id, const v1::Run& run);
  absl::StatusOr<v1::Run> GetRun(const std::string& id);
  // Newest first.
  absl::StatusOr<std::vector<Keyed<v1::Run>>> ListRuns(const RunFilter& filter,
                                                       const PageQuery& q);
  // The newest run of the scheme, period and kind created at or before `before` (published only
  // for final runs), if any.
  absl::StatusOr<std::optional<v1::Run>> LatestRun(const std::string& scheme,
                                                   const std::string& period, v1::RunKind kind,
                                                   absl::Time before);

  // --- Schedules ---
  absl::StatusOr<v1::Schedule> GetSchedule(const std::string& id);
  // Inserts or replaces (revision + 1); keeps last_period.
  absl::Status PutSchedule(const std::string& id, const v1::Schedule& schedule, absl::Time now);
  absl::Status DeleteSchedule(const std::string& id);
  absl::StatusOr<std::vector<Keyed<v1::Schedule>>> ListSchedules(const PageQuery& q);
  absl::Status SetScheduleLastPeriod(const std::string& id, const std::string& period);

  // --- Leases ---
  // Takes or renews the lease `name` for `holder` until now + ttl when it is free, expired or
  // already this holder's; returns its fencing token (incremented on every change of holder), or
  // nullopt when another holder has it.
  absl::StatusOr<std::optional<int64_t>> AcquireLease(const std::string& name,
                                                      const std::string& holder,
                                                      absl::Duration ttl, absl::Time now);
  // OK when `holder` still holds `name` with `token` (the fence a leased write checks in its own
  // transaction); FAILED_PRECONDITION otherwise.
  absl::Status CheckLease(const std::string& name, const std::string& holder, int64_t token,
                          absl::Time now);

 private:
  SqlTx& tx_;
};

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_ASSESSMENT_STORE_H_
