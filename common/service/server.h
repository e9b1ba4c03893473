// ServiceHost: the process around a chainhub service. It opens the store (and applies the
// migrations), connects Redis, runs the outbox relay, serves metrics, and runs the gRPC server with
// health (NOT_SERVING until ready and again while draining), reflection, the observability
// interceptor, message size limits and keepalive; it drains gracefully on SIGTERM or SIGINT.
// Services are callback services whose handlers go through Serve (call_context.h): the host's
// BoundedExecutor (--rpc_threads workers, --rpc_queue_limit waiting calls) runs their blocking
// work, so a burst beyond the workers is queued instead of refused.
#ifndef CHAINHUB_COMMON_SERVER_H_
#define CHAINHUB_COMMON_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/base/metrics.h"
#include "common/cache/cache.h"
#include "common/cache/redis_client.h"
#include "common/events/outbox.h"
#include "common/rpc/auth.h"
#include "common/rpc/executor.h"
#include "common/service/flags.h"
#include "common/service/metrics_server.h"
#include "common/store/store.h"

namespace chainhub {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts later, so that
// ServiceHost::Run (or WaitForTerminationSignal) receives them with sigwait. Call first thing in
// main, before any thread starts.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives (blocked beforehand with BlockTerminationSignals) and
// returns which.
int WaitForTerminationSignal();

// The transport settings every chainhub gRPC server shares: `config`'s message size limits and
// keepalive (ping idle connections so that dead peers are noticed, and accept clients' pings).
// ServiceHost applies them; so does chainhub-echo, so that the benchmark's baseline is like for
// like.
void ApplyServerSettings(grpc::ServerBuilder& builder, const ServerConfig& config);

// The executor that runs handlers' blocking work: `config.rpc_threads` workers and at most
// `config.rpc_queue_limit` calls waiting for one, reported as chainhub_rpc_queue_depth and
// chainhub_rpc_workers_busy.
std::shared_ptr<BoundedExecutor> StartRpcExecutor(const ServerConfig& config);

class ServiceHost {
 public:
  // `clock` (not owned) is the time the store, the outbox, token expiry and the service's
  // handlers see.
  explicit ServiceHost(ServerConfig config, const Clock& clock = Clock::Real());
  ~ServiceHost();

  // Opens the store and applies the common and `migrations`, reads the JWT secret, creates the
  // Redis client, cache and outbox relay. Redis being down is not an error.
  absl::Status Init(absl::string_view component, const std::vector<Migration>& migrations);

  Store* store() { return store_.get(); }
  RedisClient* redis() { return redis_.get(); }
  Cache* cache() { return cache_.get(); }
  OutboxRelay* relay() { return relay_.get(); }
  const TokenVerifier* verifier() const { return verifier_.get(); }
  const ServerConfig& config() const { return config_; }
  const Clock& clock() const { return clock_; }
  // The executor running the handlers, after Start.
  BoundedExecutor* executor() { return executor_.get(); }
  // The bound metrics port after Start (0 when --metrics_listen is empty).
  int metrics_port() const { return metrics_port_; }

  // Registers a gRPC service (not owned; must outlive Run) under its full name, which the health
  // service reports too (e.g. "chainhub.registry.v1.ChainRegistry"). Its handlers use Serve.
  void AddService(grpc::Service* service, absl::string_view full_name);

  // Runs `hook` when draining starts (health already NOT_SERVING), before the server stops taking
  // calls and waits for those in flight: a service ends its long-lived streams here, which would
  // otherwise hold the drain until its deadline. Hooks run in the order added.
  void OnDrain(std::function<void()> hook);

  // Starts serving, prints "listening on HOST:PORT", marks every service SERVING, then waits for
  // SIGTERM/SIGINT (or Shutdown) and drains: NOT_SERVING, drain_grace, stop taking calls, finish
  // the calls in flight and those queued, publish what the outbox holds, stop.
  absl::Status Run();
  // Starts without waiting for a signal (tests); returns the bound port.
  absl::StatusOr<int> Start();
  // Drains and stops (from another thread, or after Start).
  void Shutdown();

 private:
  absl::Status BuildServer();

  ServerConfig config_;
  const Clock& clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Cache> cache_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<TokenVerifier> verifier_;
  std::unique_ptr<MetricsServer> metrics_server_;
  // Shared with the metrics collector that reports its queue depth.
  std::shared_ptr<BoundedExecutor> executor_;
  std::vector<std::pair<grpc::Service*, std::string>> services_;
  std::vector<std::function<void()>> drain_hooks_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  int metrics_port_ = 0;
  bool stopped_ = false;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_SERVER_H_
