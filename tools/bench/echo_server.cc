// chainhub-echo: the bare baseline chainhub-bench measures the services against. A sync gRPC
// server with the transport settings of common/server.cc's ServiceHost (thread limit, message
// size limits, keepalive) and nothing else: no auth, no interceptors, no store, no Redis. The
// difference between a service's figures and this one's is what the service itself costs.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "chainhub/bench/v1/echo.grpc.pb.h"
#include "common/flags.h"

namespace chainhub::bench {
namespace {

class EchoService final : public v1::Echo::Service {
 public:
  grpc::Status Echo(grpc::ServerContext*, const v1::EchoRequest* request,
                    v1::EchoResponse* response) override {
    response->set_payload(request->payload());
    return grpc::Status::OK;
  }
};

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

int Main(int argc, char** argv) {
  // Blocked before gRPC starts its threads, so that only sigwait below receives them.
  sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ParseFlagsWithEnv(argc, argv,
                    "chainhub-echo: a bare gRPC echo server, the baseline of chainhub-bench. "
                    "Flags: --listen, --rpc_threads, --max_message_bytes");
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const int max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  const int rpc_threads = absl::GetFlag(FLAGS_rpc_threads);
  if (listen.find(':') == std::string::npos) {
    std::fprintf(stderr, "chainhub-echo: --listen: must be HOST:PORT\n");
    return 2;
  }
  if (rpc_threads < 2) {
    std::fprintf(stderr, "chainhub-echo: --rpc_threads: must be >= 2\n");
    return 2;
  }

  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  // The same settings as ServiceHost::BuildServer, so that the comparison is like for like.
  builder.SetMaxReceiveMessageSize(max_message_bytes);
  builder.SetMaxSendMessageSize(max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  grpc::ResourceQuota quota("chainhub-echo");
  quota.SetMaxThreads(rpc_threads);
  builder.SetResourceQuota(quota);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "chainhub-echo: --listen: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::printf("listening on %s:%d\n", host.c_str(), port);
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace chainhub::bench

int main(int argc, char** argv) { return chainhub::bench::Main(argc, argv); }
