// Prometheus metrics: counters, gauges and histograms with labels, rendered in the text exposition
// format and served over HTTP (`--metrics_listen`, path /metrics) by MetricsServer.
#ifndef CHAINHUB_COMMON_METRICS_H_
#define CHAINHUB_COMMON_METRICS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace httplib {
class Server;
}

namespace chainhub {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class MetricsRegistry {
 public:
  // The process-wide registry.
  static MetricsRegistry& Global();

  // Declares a metric family (type "counter", "gauge" or "histogram") with its help text.
  void Describe(absl::string_view name, absl::string_view type, absl::string_view help);
  void Add(absl::string_view name, const MetricLabels& labels, double delta = 1);
  void Set(absl::string_view name, const MetricLabels& labels, double value);
  // Histogram observation in seconds; buckets 0.5 ms … 10 s.
  void Observe(absl::string_view name, const MetricLabels& labels, double seconds);
  // Called before each rendering, to refresh gauges read from elsewhere (outbox backlog).
  void AddCollector(std::function<void()> collector);

  std::string Render();
  // A value (counter or gauge) as last set, for tests; 0 when absent.
  double Value(absl::string_view name, const MetricLabels& labels);

 private:
  struct Histogram {
    std::vector<double> counts;  // per bucket, cumulative at render
    double sum = 0;
    double count = 0;
  };
  struct Family {
    std::string type;
    std::string help;
    std::map<std::string, double> values;         // label text → value
    std::map<std::string, Histogram> histograms;  // label text → histogram
  };
  absl::Mutex mu_;
  std::map<std::string, Family, std::less<>> families_ ABSL_GUARDED_BY(mu_);
  std::vector<std::function<void()>> collectors_ ABSL_GUARDED_BY(mu_);
};

// Serves /metrics on its own thread.
class MetricsServer {
 public:
  MetricsServer();
  ~MetricsServer();
  // Binds HOST:PORT (port 0 picks one) and starts serving; returns the bound port.
  absl::StatusOr<int> Start(absl::string_view listen);
  void Stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_METRICS_H_
