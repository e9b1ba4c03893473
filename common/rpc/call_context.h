// What a handler knows about the call it serves — the authenticated principal, the request id, the
// method — and the one place where an RPC runs: Serve authenticates, queues the handler on the
// server's BoundedExecutor (gRPC's callback threads never block), runs it there, and turns its
// absl::Status into the call's grpc::Status. The observability interceptor (interceptors.h) sets
// the call up before the handler and writes the log line and metrics after it.
#ifndef CHAINHUB_COMMON_CALL_CONTEXT_H_
#define CHAINHUB_COMMON_CALL_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/rpc/auth.h"
#include "common/rpc/executor.h"

namespace chainhub {

struct CallContext {
  std::string method;      // "/chainhub.registry.v1.ChainRegistry/GetChain"
  std::string request_id;  // x-request-id from the client, or generated
  absl::StatusOr<Principal> principal = absl::UnauthenticatedError("no credentials");
  absl::Time start;
  // Runs the call's handler; null runs it on the calling thread (servers built without one).
  BoundedExecutor* executor = nullptr;
  // The client's deadline (InfiniteFuture when it set none), read when the call is queued.
  absl::Time deadline = absl::InfiniteFuture();
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

using RpcHandler = std::function<absl::Status(const AuthorizedCall&)>;

// Serves a unary call: UNAUTHENTICATED at once when the call has no valid token, and
// DEADLINE_EXCEEDED when its deadline has passed; otherwise queues `handler` on the call's
// executor and, when a worker takes it, runs it (unless the deadline passed or the client
// cancelled while it waited) and finishes the call with its status (ToGrpcStatus). A full queue is
// RESOURCE_EXHAUSTED at once. Every refusal is counted in chainhub_rpc_rejected_total{method,
// reason}. `handler` runs after this returns: it must capture by value (the request and response
// pointers stay valid until the call finishes).
grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* ctx, RpcHandler handler);

// The call this thread is running a handler for (Serve sets it around the handler), or null:
// outgoing calls to other services take its deadline and request id from here.
const CallContext* CurrentCall();

// Registers the help of the serving metrics (refusals, queue depth and wait).
void DescribeServingMetrics();

// --- Implementation details ---------------------------------------------------------------------

namespace internal {

// Checks `ctx` before anything is read or queued: its CallContext when the call may go on, else
// null and the status to finish it with in `refusal`.
std::shared_ptr<CallContext> Admit(grpc::CallbackServerContext* ctx, grpc::Status* refusal);
// Queues `handler` on the call's executor (Serve, ClientStream); `finish` receives the call's
// status exactly once, on a worker or (refused) on this thread.
void Dispatch(grpc::CallbackServerContext* ctx, std::shared_ptr<CallContext> call,
              RpcHandler handler, std::function<void(const grpc::Status&)> finish);

}  // namespace internal

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CALL_CONTEXT_H_
