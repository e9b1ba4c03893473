// WholeStack: every chainhub binary as its own process, as deployed — redis-server with the ACL
// user deploy/ gives it (the services connect as that user, with --require_redis_auth),
// chainhub-registry, -intake, -assessment, -notify, -province (the reference provincial receiver),
// -sync and -support, each on its own data dir under one temp dir and on a fixed loopback port, so
// a process killed and started again keeps its address and its peers' targets stay right. chainctl
// runs against it with every target set, and a webhook receiver stands in for the departments'
// office systems. The e2e and chaos tests drive it.
#ifndef CHAINHUB_TESTS_SUPPORT_WHOLE_STACK_H_
#define CHAINHUB_TESTS_SUPPORT_WHOLE_STACK_H_

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/cache/redis_client.h"
#include "tests/support/redis_server.h"
#include "tests/support/service_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_receiver.h"

namespace chainhub::testing {

enum class Service { kRegistry, kIntake, kAssessment, kNotify, kProvince, kSync, kSupport };

// In the order they start: each after the peers it calls.
inline constexpr std::array<Service, 7> kEveryService = {
    Service::kRegistry, Service::kIntake, Service::kAssessment, Service::kNotify,
    Service::kProvince, Service::kSync,   Service::kSupport};

// "registry", "intake", ….
absl::string_view ServiceName(Service service);

class WholeStack {
 public:
  // The Standard Webhooks secret of the endpoints the tests create for the departments.
  static constexpr char kWebhookSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  // `service_flags` are given to every service beyond its own (e.g. "--sqlite_cache_mb=2").
  explicit WholeStack(std::vector<std::string> service_flags = {});
  ~WholeStack();
  WholeStack(const WholeStack&) = delete;
  WholeStack& operator=(const WholeStack&) = delete;

  // Starts Redis and every service, each waited for until it listens. Aborts the test on failure
  // (use ASSERT_NO_FATAL_FAILURE).
  void Start();
  // kill -9, and the process is started again on its data dir and port.
  void Kill9(Service service);
  void Restart(Service service);
  // SIGTERM to every service (clients before the services they call), then Redis. When the test
  // has failed, prints the end of every service's logs (warnings and errors) first.
  void Stop();

  ServiceProcess& process(Service service) { return *processes_.at(service); }
  // "127.0.0.1:PORT", the same across restarts.
  std::string target(Service service) const;
  // A channel to the service that reconnects within a second of a restart.
  std::shared_ptr<grpc::Channel> channel(Service service) const { return channels_.at(service); }
  RedisServer& redis() { return *redis_; }
  // A client of the stack's Redis as the services' ACL user.
  RedisClient& redis_client() { return *redis_client_; }
  WebhookReceiver& webhooks() { return webhooks_; }
  const TempDir& dir() const { return dir_; }
  // An admin token, signed with the stack's secret.
  const std::string& admin_token() const { return admin_token_; }

  // Runs chainctl with every target and the admin token (or `token`) in its environment: its
  // stdout when it exits 0, else INTERNAL with its stderr's tail.
  absl::StatusOr<std::string> Chainctl(const std::vector<std::string>& args,
                                       const std::string& token = "");

  // The flags a service process is started with (beyond --listen, --data_dir and the ones
  // ServiceProcess adds): Redis as the ACL user, the secret, its peers, then `service_flags`.
  std::vector<std::string> ServiceArgs(Service service) const;

 private:
  void PrintServiceLogs() const;

  const std::vector<std::string> service_flags_;
  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<RedisClient> redis_client_;
  std::map<Service, int> ports_;
  std::map<Service, std::unique_ptr<ServiceProcess>> processes_;
  std::map<Service, std::shared_ptr<grpc::Channel>> channels_;
  WebhookReceiver webhooks_;
  std::string admin_token_;
  std::atomic<int> chainctl_runs_{0};
};

// A channel to `target` that tries to reconnect every 100 ms to 1 s after a failure (gRPC's
// default backoff grows to two minutes), as a client of a stack whose processes get killed needs.
std::shared_ptr<grpc::Channel> QuickReconnectChannel(const std::string& target);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_WHOLE_STACK_H_
