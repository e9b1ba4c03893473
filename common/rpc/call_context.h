// What a handler knows about the call it serves — the authenticated principal, the request id, the
// method — and the one place where an RPC runs: RunRpc authenticates, runs the handler, and turns
// its absl::Status into a grpc::Status. The observability interceptor (interceptors.h) sets the
// call up before the handler and writes the log line and metrics after it.
#ifndef CHAINHUB_COMMON_CALL_CONTEXT_H_
#define CHAINHUB_COMMON_CALL_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rpc/auth.h"

namespace chainhub {

struct CallContext {
  std::string method;      // "/chainhub.registry.v1.ChainRegistry/GetChain"
  std::string request_id;  // x-request-id from the client, or generated
  absl::StatusOr<Principal> principal = absl::UnauthenticatedError("no credentials");
  absl::Time start;
};

// Registry of live calls, keyed by their ServerContext, filled by the interceptor.
class CallRegistry {
 public:
  static void Put(const grpc::ServerContextBase* ctx, std::shared_ptr<CallContext> call);
  static std::shared_ptr<CallContext> Get(const grpc::ServerContextBase* ctx);
  static void Erase(const grpc::ServerContextBase* ctx);
};

// The principal and request of a call that passed authentication.
struct AuthorizedCall {
  const Principal& principal;
  const std::string& request_id;
  const std::string& method;
};

// Runs `handler` for an authenticated call: UNAUTHENTICATED when the call has no valid token;
// otherwise the handler's status, converted with ToGrpcStatus. A deadline already expired is
// DEADLINE_EXCEEDED without running the handler.
grpc::Status RunRpc(grpc::ServerContext* ctx,
                    const std::function<absl::Status(const AuthorizedCall&)>& handler);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CALL_CONTEXT_H_
