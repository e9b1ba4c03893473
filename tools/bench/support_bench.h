// chainhub-support's figures (docs/support.md): one policy item's eligibility rule matched against
// every enterprise of support's copy of the registry (--support_enterprises, 100,000 by default),
// and the request figures (办结率, 按期办结率, 满意率 …) of a year of imported requests
// (--support_requests, 100,000 by default), each call timed on its own, one at a time.
#ifndef CHAINHUB_TOOLS_BENCH_SUPPORT_BENCH_H_
#define CHAINHUB_TOOLS_BENCH_SUPPORT_BENCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "tools/bench/latency.h"

namespace chainhub::bench {

struct SupportFigures {
  // The enterprises in support's copy, and how long its first start took to copy them from the
  // registry (the backfill), from the start of the process until the copy was complete.
  int64_t enterprises = 0;
  double backfill_seconds = 0;
  // MatchPolicyItem of a five-condition rule with a bonus, page of 50: every call examines every
  // enterprise of the item's chain.
  LatencyFigures match;
  int64_t qualified = 0;
  double match_enterprises_per_second = 0;  // examined ÷ the p50
  // The year of requests, imported 10,000 rows a call.
  int64_t requests = 0;
  double import_seconds = 0;
  double import_rows_per_second = 0;
  // SummarizeRequests of the year, by department.
  LatencyFigures figures;
};

// Writes the registry's enterprises up to `enterprises` (the data set's, SeedRegistry), then
// calls `start_support` (which starts chainhub-support beside that registry and returns its
// target) and measures it with admin `authorization`: `samples` calls of each kind.
absl::StatusOr<SupportFigures> MeasureSupport(
    const std::shared_ptr<grpc::Channel>& registry, const std::string& authorization,
    int enterprises, int requests, int samples,
    const std::function<absl::StatusOr<std::string>()>& start_support, std::ostream& log);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_SUPPORT_BENCH_H_
