// chainhub-intake: the project and investment intake service. Wiring only: flags → host →
// registry copy (consumer of the registry's events) → service → serve.
#include <cstdio>
#include <memory>
#include <thread>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/base/clock.h"
#include "common/base/log.h"
#include "common/events/event_consumer.h"
#include "common/rpc/auth.h"
#include "common/service/flags.h"
#include "common/service/peer.h"
#include "common/service/server.h"
#include "services/intake/intake_service.h"
#include "services/intake/intake_store.h"
#include "services/intake/reference_copy.h"

ABSL_FLAG(std::string, registry_target, "",
          "HOST:PORT of chainhub-registry, asked about chains and nodes the local copy does not "
          "know yet (env CHAINHUB_REGISTRY_TARGET)");

ABSL_FLAG(absl::Duration, light_evaluation_interval, absl::Hours(1),
          "how often every project's light is evaluated for today (lights change with the "
          "calendar, not only on writes) and overdue work items are reminded (once a day each); "
          "0 turns both off (env CHAINHUB_LIGHT_EVALUATION_INTERVAL)");

namespace chainhub {
const std::vector<Migration>& IntakeMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-intake: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-intake: project and investment intake (the project "
                              "library, stages, progress reports, dispatch lists, lights)");
  auto config = chainhub::ServerConfigFromFlags("intake");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-intake: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  const std::string registry_target = absl::GetFlag(FLAGS_registry_target);
  if (registry_target.empty()) {
    std::fprintf(stderr,
                 "chainhub-intake: --registry_target: must be set to the registry's "
                 "HOST:PORT\n");
    return 2;
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("intake", chainhub::IntakeMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  if (absl::Status s = chainhub::intake::BackfillSummaryColumns(*host.store()); !s.ok()) {
    return Fail("cannot fill the summary columns", s);
  }
  auto secret = chainhub::ReadSecretFile(config->jwt_secret_file);
  if (!secret.ok()) return Fail("cannot read the JWT secret", secret.status());

  auto peer_credentials = chainhub::PeerChannelCredentials(config->peer);
  if (!peer_credentials.ok())
    return Fail("cannot read the peer TLS files", peer_credentials.status());
  const chainhub::Clock& clock = chainhub::Clock::Real();
  chainhub::intake::GrpcRegistryLookup lookup(registry_target, *secret, *peer_credentials,
                                              config->peer.timeout, clock);
  chainhub::intake::ReferenceCopy reference(host.store(), &lookup, clock);
  chainhub::EventConsumerOptions consumer_options;
  consumer_options.group = "intake";
  consumer_options.inbox_retention = config->event_retention;
  // A name that survives a restart: the restarted process takes back its own pending entries at
  // once instead of waiting for them to be claimed as a dead consumer's.
  char hostname[256] = {0};
  gethostname(hostname, sizeof(hostname) - 1);
  consumer_options.consumer =
      absl::StrCat(hostname, ":", config->data_dir.empty() ? "db" : config->data_dir);
  chainhub::EventConsumer consumer(host.store(), host.redis(), consumer_options,
                                   chainhub::intake::ReferenceCopy::Handlers());
  consumer.Start();

  chainhub::intake::IntakeService service(host.store(), host.cache(), host.relay(), &reference,
                                          clock);
  host.AddService(&service, chainhub::intake::v1::ProjectIntake::service_full_name());

  // The periodic pass (lights, then overdue reminders), first one interval after start.
  absl::Notification stopping;
  std::thread lights;
  const absl::Duration interval = absl::GetFlag(FLAGS_light_evaluation_interval);
  if (interval > absl::ZeroDuration()) {
    lights = std::thread([&] {
      while (!stopping.WaitForNotificationWithTimeout(interval)) {
        auto result = service.EvaluateLightsToday();
        if (!result.ok()) {
          chainhub::LogWarn("light evaluation failed",
                            {{"error", std::string(result.status().message())}});
        } else {
          chainhub::LogInfo("lights evaluated", {{"date", result->date()},
                                                 {"evaluated", result->evaluated_count()},
                                                 {"changed", result->changed_count()}});
        }
        auto reminded = service.RemindOverdueToday();
        if (!reminded.ok()) {
          chainhub::LogWarn("overdue reminders failed",
                            {{"error", std::string(reminded.status().message())}});
        } else if (reminded->reminded_count() > 0) {
          chainhub::LogInfo("overdue work items reminded", {{"date", reminded->date()},
                                                            {"reminded", reminded->reminded_count()}});
        }
      }
    });
  }
  absl::Status served = host.Run();
  stopping.Notify();
  if (lights.joinable()) lights.join();
  consumer.Stop();
  if (!served.ok()) return Fail("serving failed", served);
  return 0;
}
