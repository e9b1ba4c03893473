// How chainctl reaches a service: the channel (TLS when a CA file is given), the metadata every
// call carries (authorization bearer token, x-request-id), the per-call deadline, and the one way
// an RPC error is shown to the operator and turned into an exit code.
#ifndef CHAINHUB_TOOLS_CHAINCTL_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_CLIENT_H_

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <google/protobuf/message.h>
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"

namespace chainhub::chainctl {

// Exit codes, documented in `chainctl help` and README.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;
inline constexpr int kExitRpcError = 2;
inline constexpr int kExitPartialFailure = 3;

enum class OutputFormat { kTable, kJson };

// Everything the global flags say about where and how to call.
struct ClientOptions {
  std::string target = "127.0.0.1:50051";
  // Wins over `target` for registry calls when set.
  std::string registry_target;
  // The flags that set the address in use, for the hint printed when the service is unreachable.
  std::string address_flags = "--target or --registry_target";
  std::string token;
  absl::Duration timeout = absl::Seconds(10);
  // TLS when set (PEM CA bundle that signed the server certificate); plaintext otherwise.
  std::string tls_ca_file;
  // Mutual TLS: the client certificate and key (PEM), used only with tls_ca_file.
  std::string tls_client_cert_file;
  std::string tls_client_key_file;
  OutputFormat output = OutputFormat::kTable;
};

// One channel to a service plus the per-call setup.
class Connection {
 public:
  // Reads TLS files when configured; the channel connects lazily on the first call.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const ClientOptions& options,
                                                          const std::string& target);
  // A connection to another service than the registry: at `service_target` (its own flag's
  // value, e.g. --notify_target) or --target when that is empty; `flag` names the flag and its
  // environment variable for the unreachable hint.
  static absl::StatusOr<std::unique_ptr<Connection>> OpenService(const ClientOptions& options,
                                                                 const std::string& service_target,
                                                                 absl::string_view flag);

  // Prepares `ctx` for one call: deadline now + timeout, the bearer token (when there is one)
  // and a fresh x-request-id (UUIDv7).
  void Prepare(grpc::ClientContext* ctx) const;

  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& target() const { return target_; }
  const ClientOptions& options() const { return options_; }
  registry::v1::ChainRegistry::Stub& registry() { return *registry_; }

 private:
  Connection(ClientOptions options, std::string target, std::shared_ptr<grpc::Channel> channel);

  ClientOptions options_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<registry::v1::ChainRegistry::Stub> registry_;
};

// One unary call on `stub` (a stub on `connection`'s channel) with the connection's deadline,
// token and a fresh request id.
template <typename Stub, typename Request, typename Response>
grpc::Status CallUnary(const Connection& connection, Stub& stub,
                       grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                       const Request& request, Response* response) {
  grpc::ClientContext ctx;
  connection.Prepare(&ctx);
  return (stub.*rpc)(&ctx, request, response);
}

// Prints "error: <CODE>: <message>" and one "  <field>: <rule>" line per google.rpc.BadRequest
// field violation; adds a hint for UNAUTHENTICATED without a token and for UNAVAILABLE.
void PrintError(const absl::Status& status, std::ostream& err, const ClientOptions* options);
// PrintError for an RPC status; returns kExitRpcError.
int ReportRpcError(const grpc::Status& status, std::ostream& err, const ClientOptions& options);

// Protobuf JSON as chainctl prints it: lowerCamelCase names, defaults omitted, indented.
std::string ToJson(const google::protobuf::Message& message);

// The bytes of the file at `path`; nullopt when it cannot be read.
std::optional<std::string> ReadFileBytes(const std::string& path);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_CLIENT_H_
