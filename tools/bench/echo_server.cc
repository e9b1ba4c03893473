// chainhub-echo: the bare baseline chainhub-bench measures the services against. A gRPC callback
// server served as ServiceHost serves: the same transport settings (ApplyServerSettings: message
// size limits, keepalive) and each call handed to a BoundedExecutor of --rpc_threads workers and
// --rpc_queue_limit waiting calls (StartRpcExecutor), and nothing else: no auth, no interceptors,
// no store, no Redis. The difference between a service's figures and this one's is what the
// service itself costs.
#include <cstdio>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "chainhub/bench/v1/echo.grpc.pb.h"
#include "common/service/flags.h"
#include "common/service/server.h"

ABSL_FLAG(bool, echo_inline, false,
          "Answer on gRPC's callback thread instead of a worker: what the hand-off costs (not "
          "like for like with the services, which hand every call off)");

namespace chainhub::bench {
namespace {

class EchoService final : public v1::Echo::CallbackService {
 public:
  // `executor` null answers on gRPC's callback thread (--echo_inline).
  explicit EchoService(BoundedExecutor* executor) : executor_(executor) {}

  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* ctx, const v1::EchoRequest* request,
                                 v1::EchoResponse* response) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    if (executor_ == nullptr) {
      response->set_payload(request->payload());
      reactor->Finish(grpc::Status::OK);
      return reactor;
    }
    // The same hand-off to a worker as a service's call takes (Serve), so that the ratio leaves
    // it out.
    const bool queued = executor_->TrySubmit([reactor, request, response] {
      response->set_payload(request->payload());
      reactor->Finish(grpc::Status::OK);
    });
    if (!queued) reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "queue full"));
    return reactor;
  }

 private:
  BoundedExecutor* executor_;
};

int Main(int argc, char** argv) {
  // Blocked before gRPC starts its threads, so that only WaitForTerminationSignal receives them.
  BlockTerminationSignals();
  ParseFlagsWithEnv(argc, argv,
                    "chainhub-echo: a bare gRPC echo server, the baseline of chainhub-bench. "
                    "Flags: --listen, --rpc_threads, --rpc_queue_limit, --max_message_bytes");
  ServerConfig config;
  config.service = "echo";  // the resource quota is "chainhub-echo"
  config.listen = absl::GetFlag(FLAGS_listen);
  config.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  config.rpc_threads = absl::GetFlag(FLAGS_rpc_threads);
  config.rpc_queue_limit = absl::GetFlag(FLAGS_rpc_queue_limit);
  const std::string& listen = config.listen;
  if (listen.find(':') == std::string::npos) {
    std::fprintf(stderr, "chainhub-echo: --listen: must be HOST:PORT\n");
    return 2;
  }
  if (config.rpc_threads < 2) {
    std::fprintf(stderr, "chainhub-echo: --rpc_threads: must be >= 2\n");
    return 2;
  }

  std::shared_ptr<BoundedExecutor> executor = StartRpcExecutor(config);
  EchoService service(absl::GetFlag(FLAGS_echo_inline) ? nullptr : executor.get());
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
  executor->Stop();
  return 0;
}

}  // namespace
}  // namespace chainhub::bench

int main(int argc, char** argv) { return chainhub::bench::Main(argc, argv); }
