// chainhub-registry: the chain registry service. Wiring only: flags → host → service → serve.
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/base/log.h"
#include "common/service/flags.h"
#include "common/service/server.h"
#include "services/registry/registry_service.h"

namespace chainhub {
const std::vector<Migration>& RegistryMigrations();
}  // namespace chainhub

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-registry: the chain registry (chains, chain maps, "
                              "enterprises, departments, province taxonomy)");
  auto config = chainhub::ServerConfigFromFlags("registry");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-registry: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("registry", chainhub::RegistryMigrations()); !s.ok()) {
    chainhub::LogError("cannot start", {{"error", std::string(s.message())}});
    std::fprintf(stderr, "chainhub-registry: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  chainhub::registry::RegistryService service(host.store(), host.cache(), host.relay(),
                                              chainhub::Clock::Real());
  host.AddService(&service, chainhub::registry::v1::ChainRegistry::service_full_name());
  if (absl::Status s = host.Run(); !s.ok()) {
    chainhub::LogError("serving failed", {{"error", std::string(s.message())}});
    std::fprintf(stderr, "chainhub-registry: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  return 0;
}
