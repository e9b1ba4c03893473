// chainhub-echo: the bare baseline chainhub-bench measures the services against. A sync gRPC
// server with the transport settings of ServiceHost (ApplyServerSettings: thread limit, message
// size limits, keepalive) and nothing else: no auth, no interceptors, no store, no Redis. The
// difference between a service's figures and this one's is what the service itself costs.
#include <cstdio>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "chainhub/bench/v1/echo.grpc.pb.h"
#include "common/service/flags.h"
#include "common/service/server.h"

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

int Main(int argc, char** argv) {
  // Blocked before gRPC starts its threads, so that only WaitForTerminationSignal receives them.
  BlockTerminationSignals();
  ParseFlagsWithEnv(argc, argv,
                    "chainhub-echo: a bare gRPC echo server, the baseline of chainhub-bench. "
                    "Flags: --listen, --rpc_threads, --max_message_bytes");
  ServerConfig config;
  config.service = "echo";  // the resource quota is "chainhub-echo"
  config.listen = absl::GetFlag(FLAGS_listen);
  config.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  config.rpc_threads = absl::GetFlag(FLAGS_rpc_threads);
  const std::string& listen = config.listen;
  if (listen.find(':') == std::string::npos) {
    std::fprintf(stderr, "chainhub-echo: --listen: must be HOST:PORT\n");
    return 2;
  }
  if (config.rpc_threads < 2) {
    std::fprintf(stderr, "chainhub-echo: --rpc_threads: must be >= 2\n");
    return 2;
  }

  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  // The same settings as ServiceHost::BuildServer, so that the comparison is like for like.
  ApplyServerSettings(builder, config);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "chainhub-echo: --listen: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::printf("listening on %s:%d\n", host.c_str(), port);
  std::fflush(stdout);

  WaitForTerminationSignal();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace chainhub::bench

int main(int argc, char** argv) { return chainhub::bench::Main(argc, argv); }
