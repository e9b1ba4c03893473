// Prometheus metrics for every chainhub process, on Debian's prometheus-cpp: counters, gauges and
// histograms with labels, addressed by name so a call site needs no handle, plus the standard
// process metrics (process_cpu_seconds_total, process_resident_memory_bytes, …). The HTTP endpoint
// that serves them is MetricsServer (common/service/metrics_server.h).
#ifndef CHAINHUB_COMMON_BASE_METRICS_H_
#define CHAINHUB_COMMON_BASE_METRICS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace chainhub {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  // The process-wide registry.
  static MetricsRegistry& Global();

  MetricsRegistry();

  // Declares a metric family (type "counter", "gauge" or "histogram") with its help text. A family
  // used before it is declared gets the type of its first use and no help.
  void Describe(absl::string_view name, absl::string_view type, absl::string_view help);
  void Add(absl::string_view name, const MetricLabels& labels, double delta = 1);
  void Set(absl::string_view name, const MetricLabels& labels, double value);
  // Histogram observation in seconds; buckets 0.5 ms … 10 s.
  void Observe(absl::string_view name, const MetricLabels& labels, double seconds);
  // Called before each collection, to refresh gauges read from elsewhere (outbox backlog).
  void AddCollector(std::function<void()> collector);

  // Everything, with the process metrics, in the text exposition format.
  std::string Render();
  // What an exposer collects: runs the collectors, then reads the families and process metrics.
  std::shared_ptr<prometheus::Collectable> collectable() { return collectable_; }
  // A value (counter or gauge) as the collectors leave it, for tests; 0 when absent.
  double Value(absl::string_view name, const MetricLabels& labels);

 private:
  using AnyFamily = std::variant<prometheus::Family<prometheus::Counter>*,
                                 prometheus::Family<prometheus::Gauge>*,
                                 prometheus::Family<prometheus::Histogram>*>;
  class Collector;

  // The family `name`, created as `type` with `help` when new.
  AnyFamily FamilyLocked(absl::string_view name, absl::string_view type, absl::string_view help)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  template <typename T>
  prometheus::Family<T>* Find(absl::string_view name, absl::string_view type);
  void RunCollectors();

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<prometheus::Collectable> collectable_;
  absl::Mutex mu_;
  std::map<std::string, AnyFamily, std::less<>> families_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void()>> collectors_ ABSL_GUARDED_BY(mu_);
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_BASE_METRICS_H_
