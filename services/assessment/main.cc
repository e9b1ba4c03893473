// chainhub-assessment: KPI assessment. Wiring only: flags → host → facts (backfill and the
// `assessment` consumer group) → service → scheduler → serve.
#include <atomic>
#include <cstdio>
#include <memory>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/clock.h"
#include "common/base/log.h"
#include "common/events/event_consumer.h"
#include "common/rpc/auth.h"
#include "common/service/flags.h"
#include "common/service/peer.h"
#include "common/service/server.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/backfill.h"
#include "services/assessment/facts.h"
#include "services/assessment/scheduler.h"

ABSL_FLAG(std::string, intake_target, "",
          "HOST:PORT of chainhub-intake, read by the facts backfill (env "
          "CHAINHUB_INTAKE_TARGET)");
ABSL_FLAG(std::string, registry_target, "",
          "HOST:PORT of chainhub-registry, read by the facts backfill (env "
          "CHAINHUB_REGISTRY_TARGET)");
ABSL_FLAG(absl::Duration, schedule_interval, absl::Seconds(30),
          "how often the schedules are looked at for final runs that are due (env "
          "CHAINHUB_SCHEDULE_INTERVAL)");
ABSL_FLAG(absl::Duration, provisional_debounce, absl::Seconds(2),
          "after the facts change, how long they must stay unchanged before the provisional runs "
          "are recomputed (at most 5× this after the first change) (env "
          "CHAINHUB_PROVISIONAL_DEBOUNCE)");

namespace chainhub {
const std::vector<Migration>& AssessmentMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-assessment: %s\n", std::string(s.message()).c_str());
  return 1;
}

int Usage(absl::string_view message) {
  std::fprintf(stderr, "chainhub-assessment: %s\n", std::string(message).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-assessment: KPI assessment (indicators, targets, reported "
                              "values, schemes, runs, schedules)");
  auto config = chainhub::ServerConfigFromFlags("assessment");
  if (!config.ok()) return Usage(config.status().message());
  const std::string intake_target = absl::GetFlag(FLAGS_intake_target);
  const std::string registry_target = absl::GetFlag(FLAGS_registry_target);
  if (intake_target.empty()) return Usage("--intake_target: must be set to intake's HOST:PORT");
  if (registry_target.empty()) {
    return Usage("--registry_target: must be set to the registry's HOST:PORT");
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("assessment", chainhub::AssessmentMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  auto secret = chainhub::ReadSecretFile(config->jwt_secret_file);
  if (!secret.ok()) return Fail("cannot read the JWT secret", secret.status());
  auto peer_credentials = chainhub::PeerChannelCredentials(config->peer);
  if (!peer_credentials.ok()) {
    return Fail("cannot read the peer TLS files", peer_credentials.status());
  }
  const chainhub::Clock& clock = chainhub::Clock::Real();

  char hostname[256] = {0};
  gethostname(hostname, sizeof(hostname) - 1);
  chainhub::assessment::GrpcFactSources sources(intake_target, registry_target, *secret,
                                                *peer_credentials, config->peer.timeout, clock);
  chainhub::EventConsumerOptions consumer_options;
  consumer_options.group = "assessment";
  consumer_options.inbox_retention = config->event_retention;
  // A name that survives a restart, so the restarted process takes back its own pending entries.
  consumer_options.consumer =
      absl::StrCat(hostname, ":", config->data_dir.empty() ? "db" : config->data_dir);
  std::atomic<chainhub::assessment::Scheduler*> scheduler_ptr{nullptr};
  chainhub::assessment::FactsKeeper facts(
      host.store(), host.redis(), &sources, consumer_options,
      [&scheduler_ptr] {
        if (auto* s = scheduler_ptr.load()) s->FactsChanged();
      },
      clock);

  chainhub::assessment::AssessmentService service(host.store(), host.relay(), &facts, clock);
  host.AddService(&service, chainhub::assessment::v1::Assessment::service_full_name());

  chainhub::assessment::SchedulerOptions scheduler_options;
  scheduler_options.interval = absl::GetFlag(FLAGS_schedule_interval);
  scheduler_options.debounce = absl::GetFlag(FLAGS_provisional_debounce);
  scheduler_options.max_delay = 5 * scheduler_options.debounce;
  scheduler_options.holder = absl::StrCat(hostname, ":", getpid());
  chainhub::assessment::Scheduler scheduler(host.store(), &service, scheduler_options, clock);
  scheduler_ptr.store(&scheduler);

  if (absl::Status s = facts.Start(); !s.ok()) return Fail("cannot start the facts", s);
  scheduler.Start();
  absl::Status served = host.Run();
  scheduler.Stop();
  facts.Stop();
  if (!served.ok()) return Fail("serving failed", served);
  return 0;
}
