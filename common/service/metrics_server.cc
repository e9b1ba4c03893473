#include "common/service/metrics_server.h"

#include <exception>
#include <string>
#include <vector>

#include <prometheus/exposer.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/metrics.h"

namespace chainhub {

MetricsServer::MetricsServer() = default;

MetricsServer::~MetricsServer() { Stop(); }

absl::StatusOr<int> MetricsServer::Start(absl::string_view listen) {
  std::vector<std::string> parts = absl::StrSplit(listen, absl::MaxSplits(':', 1));
  int port = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[1], &port) || port < 0 || port > 65535) {
    return absl::InvalidArgumentError("--metrics_listen: must be HOST:PORT");
  }
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(std::string(listen), 1);
  } catch (const std::exception& e) {
    return absl::UnavailableError(absl::StrCat("--metrics_listen: cannot bind ", listen));
  }
  exposer_->RegisterCollectable(MetricsRegistry::Global().collectable());
  const std::vector<int> ports = exposer_->GetListeningPorts();
  if (ports.empty()) return absl::UnavailableError("--metrics_listen: cannot bind");
  return ports.front();
}

void MetricsServer::Stop() { exposer_.reset(); }

}  // namespace chainhub
