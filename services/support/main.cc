// chainhub-support: the support around each industrial chain. Wiring only: flags → host →
// peers → service → consumer (after the first start's backfill) → serve.
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/events/event_consumer.h"
#include "common/rpc/auth.h"
#include "common/service/flags.h"
#include "common/service/peer.h"
#include "common/service/server.h"
#include "common/store/lease.h"
#include "services/support/backfill.h"
#include "services/support/support_service.h"

ABSL_FLAG(std::string, registry_target, "",
          "the registry's HOST:PORT, read once on the first start (the enterprise copy) (env "
          "CHAINHUB_REGISTRY_TARGET)");
ABSL_FLAG(std::string, assessment_target, "",
          "assessment's HOST:PORT, where published plan targets go (empty: plans cannot be "
          "published) (env CHAINHUB_ASSESSMENT_TARGET)");
ABSL_FLAG(std::string, intake_target, "",
          "intake's HOST:PORT, where published plan tasks go (empty: plans cannot be published) "
          "(env CHAINHUB_INTAKE_TARGET)");
ABSL_FLAG(absl::Duration, sweep_interval, absl::Seconds(30),
          "how often overdue requests are escalated and 免申即享 payout lists made (env "
          "CHAINHUB_SWEEP_INTERVAL)");

namespace chainhub {
const std::vector<Migration>& SupportMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-support: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(
      argc, argv,
      "chainhub-support: 包保, 企业诉求, policies and payouts, chain lists, "
      "supplier spend and 本地配套率, chain plans");
  auto config = chainhub::ServerConfigFromFlags("support");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-support: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  const std::string registry_target = absl::GetFlag(FLAGS_registry_target);
  if (registry_target.empty()) {
    std::fprintf(stderr,
                 "chainhub-support: --registry_target: must be set (the first start copies its "
                 "enterprises)\n");
    return 2;
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("support", chainhub::SupportMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  const chainhub::Clock& clock = chainhub::Clock::Real();
  auto peer_credentials = chainhub::PeerChannelCredentials(config->peer);
  if (!peer_credentials.ok()) {
    return Fail("cannot read the peer TLS files", peer_credentials.status());
  }
  chainhub::support::SupportPeers peers;
  peers.timeout = config->peer.timeout;
  if (const std::string t = absl::GetFlag(FLAGS_assessment_target); !t.empty()) {
    peers.assessment =
        chainhub::assessment::v1::Assessment::NewStub(grpc::CreateChannel(t, *peer_credentials));
  }
  if (const std::string t = absl::GetFlag(FLAGS_intake_target); !t.empty()) {
    peers.intake =
        chainhub::intake::v1::ProjectIntake::NewStub(grpc::CreateChannel(t, *peer_credentials));
  }
  chainhub::support::SupportServiceOptions options;
  options.sweep_interval = absl::GetFlag(FLAGS_sweep_interval);
  chainhub::support::SupportService service(host.store(), host.relay(), clock, std::move(peers),
                                            options);
  host.AddService(&service, chainhub::support::v1::ChainSupport::service_full_name());

  char hostname[256] = {0};
  gethostname(hostname, sizeof(hostname) - 1);
  chainhub::EventConsumerOptions consumer_options;
  consumer_options.group = "support";
  consumer_options.inbox_retention = config->event_retention;
  // A name that survives a restart, so the restarted process takes back its own pending entries.
  consumer_options.consumer =
      absl::StrCat(hostname, ":", config->data_dir.empty() ? "db" : config->data_dir);
  chainhub::EventConsumer consumer(host.store(), host.redis(), consumer_options,
                                   service.Handlers());

  auto secret = chainhub::ReadSecretFile(config->jwt_secret_file);
  if (!secret.ok()) return Fail("cannot read the JWT secret", secret.status());
  chainhub::OwnerLists sources(registry_target, "", "", *secret, "systems/support",
                               *peer_credentials, config->peer.timeout, clock);
  // The first start copies the registry's enterprises, then consumes; until the copy is done the
  // service answers from what it has, and a registry that is not up yet is waited for.
  std::atomic<bool> stopping{false};
  std::thread starter([&] {
    // One replica at a time: the others wait, then find the copy made.
    if (!chainhub::BackfillOnceAcrossReplicas(*host.store(), "support", stopping, [&] {
          return chainhub::support::BackfillOnce(host.store(), host.redis(), sources,
                                                 consumer_options.stream, consumer_options.group,
                                                 clock)
              .status();
        })) {
      return;
    }
    consumer.Start();
    service.Start();
  });

  host.OnDrain([&] {
    stopping = true;
    service.Stop();
  });
  absl::Status served = host.Run();
  stopping = true;
  starter.join();
  consumer.Stop();
  service.Stop();
  if (!served.ok()) return Fail("serving failed", served);
  return 0;
}
