// What the assessment workloads need and what the bench measures beside them: the sample scheme
// of data/assessment/ (the one the main job runs) applied to a chainhub-assessment whose facts are
// backfilled from the bench's project library, with the targets, reported values and ratings a
// final run needs; the hand-written SQL GROUP BY that computes the same figures straight from the
// assessment's facts (the baseline of a final run); and the time from a project event to the
// provisional run that reflects it.
#ifndef CHAINHUB_TOOLS_BENCH_ASSESSMENT_BENCH_H_
#define CHAINHUB_TOOLS_BENCH_ASSESSMENT_BENCH_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/bench/latency.h"

namespace chainhub::bench {

// The embedded sample files (generated from data/assessment/ by embed_text.cmake).
const char* SampleIndicatorsYaml();
const char* SampleSchemeYaml();

// What a final run of the bench is made of: the sample scheme's latest version, over the eight
// chains, for a quarter the library's projects were signed in, as of today (the facts were
// recorded today, so an earlier as-of date would see none).
struct AssessmentRunSpec {
  std::string scheme;     // schemes/chain-2026
  std::string period;     // 2025-Q3
  std::string as_of_date;  // today, China time
};

// The final run's spec (the scheme's name read from the embedded file).
AssessmentRunSpec BenchRunSpec();

// Facts backfilled, and how long they took to be ready.
struct AssessmentFacts {
  int64_t projects = 0;
  double seconds = 0;  // from the service's start to the facts covering the library
};

// Waits (10 min at most) until the assessment's facts hold `projects` projects, then applies the
// sample indicators and scheme, annual 2025 targets for every ratio-to-target item of every
// chain, reported values of the reported items and ratings of the rating items for the run's
// quarter, and a quarterly schedule that keeps a provisional run of the current quarter. All of
// it can be applied again (existing objects are left as they are).
absl::StatusOr<AssessmentFacts> PrepareAssessment(const std::shared_ptr<grpc::Channel>& channel,
                                                  const std::string& authorization,
                                                  int64_t projects, absl::Time started,
                                                  std::ostream& log);

// The baseline: the figures of the scheme's computed items for every chain, written by hand as
// three GROUP BY queries (one pass over the projects in force with a conditional sum per item,
// one over the progress reports, one over the work items) on the assessment's SQLite file,
// opened read-only; `samples` times, one after another.
absl::StatusOr<LatencyFigures> MeasureGroupByBaseline(const std::string& db_path,
                                                      const AssessmentRunSpec& spec, int samples);

// `samples` rounds of: create a project on chains/pv signed today (so the current quarter's
// figures of pv change), then poll the provisional runs (every 5 ms) until one made after the
// intake acknowledged the write appears; the time from that acknowledgement to the poll that sees
// it. Includes the outbox relay, the event consumption, the debounce and the recompute.
absl::StatusOr<LatencyFigures> MeasureProvisionalLag(
    const std::shared_ptr<grpc::Channel>& intake, const std::shared_ptr<grpc::Channel>& assessment,
    const std::string& authorization, const std::string& run_id, int samples);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_ASSESSMENT_BENCH_H_
