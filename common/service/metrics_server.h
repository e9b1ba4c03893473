// The Prometheus endpoint of a chainhub process (`--metrics_listen`, path /metrics): the global
// MetricsRegistry, process metrics included, served by prometheus-cpp's exposer on its own threads.
#ifndef CHAINHUB_COMMON_SERVICE_METRICS_SERVER_H_
#define CHAINHUB_COMMON_SERVICE_METRICS_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prometheus {
class Exposer;
}

namespace chainhub {

class MetricsServer {
 public:
  MetricsServer();
  ~MetricsServer();
  // Binds HOST:PORT (port 0 picks one) and starts serving; returns the bound port.
  absl::StatusOr<int> Start(absl::string_view listen);
  void Stop();

 private:
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_SERVICE_METRICS_SERVER_H_
