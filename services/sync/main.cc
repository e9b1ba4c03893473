// chainhub-sync: the city's data in the province's taxonomy. Wiring only: flags → host → the
// receiver's client → push agent → service → consumer → serve.
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

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
#include "services/sync/backfill.h"
#include "services/sync/province_client.h"
#include "services/sync/push_agent.h"
#include "services/sync/sync_service.h"

ABSL_FLAG(std::string, province_target, "",
          "HOST:PORT of the ProvinceIngest receiver to push to (empty: no push) (env "
          "CHAINHUB_PROVINCE_TARGET)");
ABSL_FLAG(std::string, province_token_file, "",
          "file holding the token the receiver issued to the city, re-read on every call (env "
          "CHAINHUB_PROVINCE_TOKEN_FILE)");
ABSL_FLAG(std::string, province_tls_ca_file, "",
          "PEM CA to verify the receiver with (TLS when set) (env CHAINHUB_PROVINCE_TLS_CA_FILE)");
ABSL_FLAG(std::string, province_tls_cert_file, "",
          "PEM client certificate presented to the receiver (mutual TLS) (env "
          "CHAINHUB_PROVINCE_TLS_CERT_FILE)");
ABSL_FLAG(std::string, province_tls_key_file, "",
          "PEM key of --province_tls_cert_file (env CHAINHUB_PROVINCE_TLS_KEY_FILE)");
ABSL_FLAG(std::string, province_sender, "city",
          "the city's name in batch ids, e.g. chuzhou (env CHAINHUB_PROVINCE_SENDER)");
ABSL_FLAG(int, push_batch_size, 500,
          "records per pushed batch, 1-1000 (env CHAINHUB_PUSH_BATCH_SIZE)");
ABSL_FLAG(std::string, registry_target, "",
          "the registry's HOST:PORT, read once on the first start (the backfill) (env "
          "CHAINHUB_REGISTRY_TARGET)");
ABSL_FLAG(std::string, intake_target, "",
          "intake's HOST:PORT, read once on the first start (env CHAINHUB_INTAKE_TARGET)");
ABSL_FLAG(std::string, assessment_target, "",
          "assessment's HOST:PORT, read once on the first start for the published final runs "
          "(empty: none are backfilled) (env CHAINHUB_ASSESSMENT_TARGET)");
ABSL_FLAG(absl::Duration, province_timeout, absl::Seconds(10),
          "deadline of every call to the receiver (env CHAINHUB_PROVINCE_TIMEOUT)");

namespace chainhub {
const std::vector<Migration>& SyncMigrations();
}  // namespace chainhub

namespace {

int Fail(absl::string_view what, const absl::Status& s) {
  chainhub::LogError(std::string(what), {{"error", std::string(s.message())}});
  std::fprintf(stderr, "chainhub-sync: %s\n", std::string(s.message()).c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  chainhub::BlockTerminationSignals();
  chainhub::ParseFlagsWithEnv(argc, argv,
                              "chainhub-sync: the city's data in the province's ten-chain "
                              "taxonomy (snapshots, change feed, push, reconciliation)");
  auto config = chainhub::ServerConfigFromFlags("sync");
  if (!config.ok()) {
    std::fprintf(stderr, "chainhub-sync: %s\n", std::string(config.status().message()).c_str());
    return 2;
  }
  const std::string registry_target = absl::GetFlag(FLAGS_registry_target);
  const std::string intake_target = absl::GetFlag(FLAGS_intake_target);
  if (registry_target.empty() || intake_target.empty()) {
    std::fprintf(stderr,
                 "chainhub-sync: --registry_target and --intake_target: must be set (the first "
                 "start copies their data)\n");
    return 2;
  }
  const int batch_size = absl::GetFlag(FLAGS_push_batch_size);
  if (batch_size < 1 || batch_size > 1000) {
    std::fprintf(stderr, "chainhub-sync: --push_batch_size: must be 1-1000\n");
    return 2;
  }
  chainhub::ServiceHost host(*config);
  if (absl::Status s = host.Init("sync", chainhub::SyncMigrations()); !s.ok()) {
    return Fail("cannot start", s);
  }
  const chainhub::Clock& clock = chainhub::Clock::Real();
  chainhub::sync::ProvinceClientOptions receiver;
  receiver.target = absl::GetFlag(FLAGS_province_target);
  receiver.token_file = absl::GetFlag(FLAGS_province_token_file);
  receiver.tls_ca_file = absl::GetFlag(FLAGS_province_tls_ca_file);
  receiver.tls_cert_file = absl::GetFlag(FLAGS_province_tls_cert_file);
  receiver.tls_key_file = absl::GetFlag(FLAGS_province_tls_key_file);
  receiver.timeout = absl::GetFlag(FLAGS_province_timeout);
  auto client = chainhub::sync::ProvinceClient::Create(receiver);
  if (!client.ok()) return Fail("cannot set up the receiver's client", client.status());

  chainhub::sync::PushOptions push_options;
  push_options.sender = absl::GetFlag(FLAGS_province_sender);
  push_options.batch_size = batch_size;
  chainhub::sync::PushAgent push(host.store(), client->get(), push_options, clock);
  chainhub::sync::SyncService service(host.store(), client->get(), &push, clock);
  host.AddService(&service, chainhub::sync::v1::ProvinceSync::service_full_name());

  char hostname[256] = {0};
  gethostname(hostname, sizeof(hostname) - 1);
  chainhub::EventConsumerOptions consumer_options;
  consumer_options.group = "sync";
  consumer_options.inbox_retention = config->event_retention;
  // A name that survives a restart, so the restarted process takes back its own pending entries.
  consumer_options.consumer =
      absl::StrCat(hostname, ":", config->data_dir.empty() ? "db" : config->data_dir);
  consumer_options.on_committed = [&service] { service.Committed(); };
  chainhub::EventConsumer consumer(host.store(), host.redis(), consumer_options,
                                   service.Handlers());

  auto secret = chainhub::ReadSecretFile(config->jwt_secret_file);
  if (!secret.ok()) return Fail("cannot read the JWT secret", secret.status());
  auto peer_credentials = chainhub::PeerChannelCredentials(config->peer);
  if (!peer_credentials.ok()) {
    return Fail("cannot read the peer TLS files", peer_credentials.status());
  }
  chainhub::OwnerLists sources(registry_target, intake_target,
                               absl::GetFlag(FLAGS_assessment_target), *secret, "systems/sync",
                               *peer_credentials, config->peer.timeout, clock);
  // The first start copies the owners' data, then consumes; until the copy is done the service
  // answers from what it has (nothing), and peers that are not up yet are waited for.
  std::atomic<bool> stopping{false};
  std::thread starter([&] {
    // One replica at a time: the others wait, then find the copy made.
    if (!chainhub::BackfillOnceAcrossReplicas(*host.store(), "sync", stopping, [&] {
          return chainhub::sync::BackfillOnce(host.store(), host.redis(), sources,
                                              consumer_options.stream, consumer_options.group,
                                              clock)
              .status();
        })) {
      return;
    }
    consumer.Start();
    service.Start();
    push.Start();
  });

  host.OnDrain([&] {
    stopping = true;
    service.Stop();
  });
  absl::Status served = host.Run();
  stopping = true;
  starter.join();
  push.Stop();
  consumer.Stop();
  service.Stop();
  if (!served.ok()) return Fail("serving failed", served);
  return 0;
}
