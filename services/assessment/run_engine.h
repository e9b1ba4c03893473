// A run's computation: for one scheme version, period and as-of instant, reads every input (the
// facts through measures.h, reported values, targets, ratings, the indicator definitions, the
// folded quarters) as it was recorded at that instant, scores each item for every subject
// (methods.h), ranks and grades them (grading.h), and digests the inputs. Reads only: the caller
// runs it on a read snapshot, and replaying a run is running it again on its recorded inputs.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_RUN_ENGINE_H_
#define CHAINHUB_SERVICES_ASSESSMENT_RUN_ENGINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/store/store.h"
#include "services/assessment/periods.h"

namespace chainhub::assessment {

struct RunSpec {
  // The scheme version used (with name and version set).
  v1::Scheme scheme;
  Period period;
  v1::RunKind kind = v1::RUN_KIND_FINAL;
  // The instant every input is read as of.
  absl::Time as_of;
};

// The run's results (ranked), problems, inputs_digest and previous_run, with scheme, version,
// period, kind and as_of_time set; the caller names it and sets trigger, principal, create_time,
// as_of_date and published.
absl::StatusOr<v1::Run> ComputeRun(SqlTx& tx, const RunSpec& spec);

// The target in force for a subject, indicator and period as of an instant: the one set for the
// period, else (for a quarter or month) the annual one × the period's share of the year.
struct TargetInForce {
  double value = 0;
  bool derived = false;
};
absl::StatusOr<std::optional<TargetInForce>> ResolveTarget(SqlTx& tx, const std::string& subject,
                                                           const std::string& indicator,
                                                           const Period& period, absl::Time as_of);

// The facts behind one subject's item in a run (ExplainScore): the target and the reported value
// or rating as facts, then the measure's facts, `offset`/`limit` over the whole list.
absl::StatusOr<v1::ExplainScoreResponse> ExplainItem(SqlTx& tx, const v1::Run& run,
                                                     const v1::Scheme& scheme,
                                                     const std::string& subject,
                                                     const std::string& item_key, int offset,
                                                     int limit);

// The differences between a recorded run and its recomputation (empty when they match).
std::vector<v1::ScoreDifference> CompareRuns(const v1::Run& recorded, const v1::Run& replayed);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_RUN_ENGINE_H_
