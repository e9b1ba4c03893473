// Latency figures of a measurement made outside the load engine (a few hundred samples taken one
// after another): the replica lag, the assessment's GROUP BY baseline, the provisional recompute.
#ifndef CHAINHUB_TOOLS_BENCH_LATENCY_H_
#define CHAINHUB_TOOLS_BENCH_LATENCY_H_

#include <vector>

#include <nlohmann/json.hpp>

#include "absl/time/time.h"

namespace chainhub::bench {

struct LatencyFigures {
  int samples = 0;
  absl::Duration p50;
  absl::Duration p99;
  absl::Duration max;
};

// The figures of `samples` (any order; empty gives zeros).
LatencyFigures Summarize(std::vector<absl::Duration> samples);

// {"samples": n, "p50": ms, "p99": ms, "max": ms}
nlohmann::json ToJson(const LatencyFigures& figures);

// "p50 1.234 ms, p99 5.678 ms, max 9.012 ms (100 samples)"
std::string Describe(const LatencyFigures& figures, const char* samples_are);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_LATENCY_H_
