#include "common/service/server.h"

#include <algorithm>
#include <cstdio>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/rpc/call_context.h"
#include "common/rpc/interceptors.h"

namespace chainhub {
namespace {

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerConfig& c) {
  if (c.tls_cert_file.empty()) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      c.tls_client_ca_file.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                   : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  CHAINHUB_ASSIGN_OR_RETURN(pair.cert_chain, ReadFlagFile(c.tls_cert_file, "--tls_cert_file"));
  CHAINHUB_ASSIGN_OR_RETURN(pair.private_key, ReadFlagFile(c.tls_key_file, "--tls_key_file"));
  options.pem_key_cert_pairs.push_back(std::move(pair));
  if (!c.tls_client_ca_file.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(options.pem_root_certs,
                              ReadFlagFile(c.tls_client_ca_file, "--tls_client_ca_file"));
  }
  return grpc::SslServerCredentials(options);
}

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Waits `d` unless SIGTERM or SIGINT comes first (blocked, they stay pending until taken): whether
// one came. A start that is waiting can so still be stopped.
bool TerminationSignalWithin(absl::Duration d) {
  sigset_t set = TerminationSignals();
  const timespec timeout = absl::ToTimespec(d);
  return sigtimedwait(&set, nullptr, &timeout) > 0;
}

}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTerminationSignal() {
  sigset_t set = TerminationSignals();
  int signal_number = 0;
  sigwait(&set, &signal_number);
  return signal_number;
}

void ApplyServerSettings(grpc::ServerBuilder& builder, const ServerConfig& config) {
  builder.SetMaxReceiveMessageSize(config.max_message_bytes);
  builder.SetMaxSendMessageSize(config.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
}

std::shared_ptr<BoundedExecutor> StartRpcExecutor(const ServerConfig& config) {
  auto executor = std::make_shared<BoundedExecutor>(config.rpc_threads, config.rpc_queue_limit);
  DescribeServingMetrics();
  auto& metrics = MetricsRegistry::Global();
  metrics.Describe("chainhub_rpc_queue_depth", "gauge", "RPCs waiting for a worker.");
  metrics.Describe("chainhub_rpc_workers_busy", "gauge",
                   "Workers (of --rpc_threads) running an RPC's handler.");
  std::weak_ptr<BoundedExecutor> weak = executor;
  metrics.AddCollector([weak] {
    if (auto e = weak.lock()) {
      MetricsRegistry::Global().Set("chainhub_rpc_queue_depth", {}, e->queue_depth());
      MetricsRegistry::Global().Set("chainhub_rpc_workers_busy", {}, e->busy_workers());
    }
  });
  return executor;
}

ServiceHost::ServiceHost(ServerConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock) {
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles (a debug aid that showed
  // in profiles); the locks here are leaf locks with no nesting to check.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

ServiceHost::~ServiceHost() { Shutdown(); }

absl::Status ServiceHost::Init(absl::string_view component,
                               const std::vector<Migration>& migrations) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> secrets,
                            ReadSecretsFile(config_.jwt_secret_file));
  verifier_ = std::make_unique<TokenVerifier>(std::move(secrets));
  if (!config_.tls_client_principals_file.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(std::string text,
                              ReadFlagFile(config_.tls_client_principals_file,
                                           "--tls_client_principals_file"));
    auto principals = ParseCertificatePrincipals(text);
    if (!principals.ok()) {
      return InvalidField("--tls_client_principals_file", principals.status().message());
    }
    verifier_->SetCertificatePrincipals(*std::move(principals));
  }
  // A database not up yet (a PostgreSQL server starting beside the service) is waited for, so
  // start order never matters; any other failure stops the start at once.
  const absl::Time give_up = absl::Now() + config_.store_wait;
  for (absl::Duration backoff = absl::Milliseconds(250);;
       backoff = std::min(backoff * 2, absl::Seconds(5))) {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(
        config_.service, config_.data_dir, config_.database_url, clock_, config_.sqlite_tuning);
    if (store.ok()) {
      store_ = *std::move(store);
      break;
    }
    const bool unavailable = store.status().code() == absl::StatusCode::kUnavailable;
    if (!unavailable || absl::Now() + backoff > give_up) return store.status();
    LogWarn("store unavailable at start; retrying until --store_wait passes",
            {{"error", store.status().ToString()}, {"retry_in", absl::FormatDuration(backoff)}});
    if (TerminationSignalWithin(backoff)) {
      return absl::CancelledError("stopped while waiting for the store");
    }
  }
  CHAINHUB_RETURN_IF_ERROR(store_->Migrate("common", CommonMigrations()));
  CHAINHUB_RETURN_IF_ERROR(store_->Migrate(component, migrations));
  CHAINHUB_ASSIGN_OR_RETURN(RedisOptions redis_options,
                            ParseRedisAddress(config_.redis, "--redis"));
  if (!config_.redis_password_file.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(redis_options.password,
                              ReadFlagFile(config_.redis_password_file, "--redis_password_file"));
    while (!redis_options.password.empty() &&
           (redis_options.password.back() == '\n' || redis_options.password.back() == '\r')) {
      redis_options.password.pop_back();
    }
    if (redis_options.password.empty()) {
      return InvalidField("--redis_password_file", "must hold the password, not be empty");
    }
  }
  redis_ = std::make_unique<RedisClient>(redis_options);
  if (absl::StatusOr<RedisReply> ping = redis_->Command({"PING"}); !ping.ok()) {
    LogWarn("redis unreachable at start; serving without cache, events wait in the outbox",
            {{"redis", RedisAddressForLog(redis_options)}, {"error", ping.status().ToString()}});
  }
  CacheOptions cache_options;
  cache_options.near_bytes = int64_t{config_.near_cache_mb} << 20;
  cache_ = std::make_unique<Cache>(redis_.get(), config_.service, cache_options);
  OutboxRelayOptions relay_options;
  relay_options.retention = config_.event_retention;
  relay_options.clock = &clock_;
  relay_options.republish_window = config_.outbox_republish_window;
  relay_ = std::make_unique<OutboxRelay>(store_.get(), redis_.get(), relay_options);
  return absl::OkStatus();
}

void ServiceHost::AddService(grpc::Service* service, absl::string_view full_name) {
  services_.emplace_back(service, std::string(full_name));
}

absl::Status ServiceHost::BuildServer() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  CHAINHUB_ASSIGN_OR_RETURN(auto credentials, Credentials(config_));
  builder.AddListeningPort(config_.listen, credentials, &port_);
  ApplyServerSettings(builder, config_);
  for (auto& [service, _] : services_) builder.RegisterService(service);
  executor_ = StartRpcExecutor(config_);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(MakeObservabilityInterceptorFactory(verifier_.get(), executor_.get(), clock_));
  builder.experimental().SetInterceptorCreators(std::move(creators));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(absl::StrCat("--listen: cannot listen on ", config_.listen));
  }
  for (const auto& [_, name] : services_) {
    server_->GetHealthCheckService()->SetServingStatus(name, false);
  }
  server_->GetHealthCheckService()->SetServingStatus(false);
  return absl::OkStatus();
}

absl::StatusOr<int> ServiceHost::Start() {
  if (!config_.metrics_listen.empty()) {
    metrics_server_ = std::make_unique<MetricsServer>();
    CHAINHUB_ASSIGN_OR_RETURN(metrics_port_, metrics_server_->Start(config_.metrics_listen));
    LogInfo("metrics serving", {{"port", metrics_port_}});
  }
  CHAINHUB_RETURN_IF_ERROR(BuildServer());
  relay_->Start();
  for (const auto& [_, name] : services_) {
    server_->GetHealthCheckService()->SetServingStatus(name, true);
  }
  server_->GetHealthCheckService()->SetServingStatus(true);
  return port_;
}

absl::Status ServiceHost::Run() {
  CHAINHUB_ASSIGN_OR_RETURN(int port, Start());
  const std::string host = config_.listen.substr(0, config_.listen.rfind(':'));
  std::printf("listening on %s:%d\n", host.c_str(), port);
  std::fflush(stdout);
  LogInfo("serving", {{"service", config_.service}, {"listen", absl::StrCat(host, ":", port)}});
  const int signal_number = WaitForTerminationSignal();
  LogInfo("draining", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});
  Shutdown();
  LogInfo("stopped", {{"service", config_.service}});
  return absl::OkStatus();
}

void ServiceHost::OnDrain(std::function<void()> hook) { drain_hooks_.push_back(std::move(hook)); }

void ServiceHost::Shutdown() {
  if (stopped_) return;
  stopped_ = true;
  if (server_ != nullptr) {
    server_->GetHealthCheckService()->SetServingStatus(false);
    for (const auto& hook : drain_hooks_) hook();
    absl::SleepFor(config_.drain_grace);
    // Shutdown returns once every call has finished, queued ones included: the executor keeps
    // running them meanwhile, and only stops after.
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
    server_->Wait();
  }
  if (executor_ != nullptr) executor_->Stop();
  if (relay_ != nullptr) relay_->Stop();
  if (metrics_server_ != nullptr) metrics_server_->Stop();
}

}  // namespace chainhub
