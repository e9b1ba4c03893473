// chainhub-notify: notifications. Wiring only: flags → host → service → serve.
#include <cstdio>

#include "common/base/log.h"
#include "common/service/flags.h"
#include "common/service/server.h"
#include "services/notify/notify_service.h"

namespace chainhub {
const std::vector<Migration>& NotifyMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-notify: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-notify: notifications (notices, deliveries and receipts, "
                              "the inbox)");
  auto config = chainhub::ServerConfigFromFlags("notify");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-notify: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("notify", chainhub::NotifyMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  chainhub::notify::NotifyService service(host.store(), host.relay(), chainhub::Clock::Real());
  host.AddService(&service, chainhub::notify::v1::Notifier::service_full_name());
  host.OnDrain([&service] { service.DrainWatches(); });
  if (absl::Status served = host.Run(); !served.ok()) return Fail("serving failed", served);
  return 0;
}
