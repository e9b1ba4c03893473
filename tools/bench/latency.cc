#include "tools/bench/latency.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_format.h"

namespace chainhub::bench {

LatencyFigures Summarize(std::vector<absl::Duration> samples) {
  LatencyFigures figures;
  figures.samples = static_cast<int>(samples.size());
  if (samples.empty()) return figures;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) {
    return samples[std::min(samples.size() - 1, static_cast<size_t>(q * samples.size()))];
  };
  figures.p50 = at(0.50);
  figures.p99 = at(0.99);
  figures.max = samples.back();
  return figures;
}

nlohmann::json ToJson(const LatencyFigures& figures) {
  return {{"samples", figures.samples},
          {"p50", absl::ToDoubleMilliseconds(figures.p50)},
          {"p99", absl::ToDoubleMilliseconds(figures.p99)},
          {"max", absl::ToDoubleMilliseconds(figures.max)}};
}

std::string Describe(const LatencyFigures& figures, const char* samples_are) {
  return absl::StrFormat("p50 %.3f ms, p99 %.3f ms, max %.3f ms (%d %s)",
                         absl::ToDoubleMilliseconds(figures.p50),
                         absl::ToDoubleMilliseconds(figures.p99),
                         absl::ToDoubleMilliseconds(figures.max), figures.samples, samples_are);
}

}  // namespace chainhub::bench
