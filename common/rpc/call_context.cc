#include "common/rpc/call_context.h"

#include <chrono>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

// Calls are registered by the interceptor and read by the handler of the same call; sharding
// keeps concurrent calls from contending on one lock.
class CallTable {
 public:
  static CallTable& Get() {
    static CallTable* table = new CallTable();
    return *table;
  }
  struct Shard {
    absl::Mutex mu;
    absl::flat_hash_map<const void*, std::shared_ptr<CallContext>> calls ABSL_GUARDED_BY(mu);
  };
  Shard& ShardFor(const void* key) {
    return shards_[(reinterpret_cast<uintptr_t>(key) >> 4) % kShards];
  }

 private:
  static constexpr size_t kShards = 16;
  Shard shards_[kShards];
};

}  // namespace

void CallRegistry::Put(const grpc::ServerContextBase* ctx, std::shared_ptr<CallContext> call) {
  auto& shard = CallTable::Get().ShardFor(ctx);
  absl::MutexLock lock(&shard.mu);
  shard.calls[ctx] = std::move(call);
}

std::shared_ptr<CallContext> CallRegistry::Get(const grpc::ServerContextBase* ctx) {
  auto& shard = CallTable::Get().ShardFor(ctx);
  absl::MutexLock lock(&shard.mu);
  auto it = shard.calls.find(ctx);
  return it == shard.calls.end() ? nullptr : it->second;
}

void CallRegistry::Erase(const grpc::ServerContextBase* ctx) {
  auto& shard = CallTable::Get().ShardFor(ctx);
  absl::MutexLock lock(&shard.mu);
  shard.calls.erase(ctx);
}

namespace {

thread_local const CallContext* current_call = nullptr;

constexpr char kRejected[] = "chainhub_rpc_rejected_total";
constexpr char kQueueWait[] = "chainhub_rpc_queue_wait_seconds";

void CountRejected(const std::string& method, const char* reason) {
  MetricsRegistry::Global().Add(kRejected, {{"method", method}, {"reason", reason}});
}

// Runs the handler of an admitted call on this (worker) thread, unless the call's time ran out or
// the client left while it waited in the queue: then the work is not done at all.
grpc::Status RunQueued(grpc::CallbackServerContext* ctx, const CallContext& call,
                       const RpcHandler& handler, absl::Time queued_at) {
  const absl::Time now = absl::Now();
  MetricsRegistry::Global().Observe(kQueueWait, {}, absl::ToDoubleSeconds(now - queued_at));
  if (call.deadline < now) {
    CountRejected(call.method, "deadline_exceeded");
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "deadline passed while the call waited for a worker; not run");
  }
  if (ctx->IsCancelled()) {
    CountRejected(call.method, "cancelled");
    return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled while waiting; not run");
  }
  AuthorizedCall authorized{*call.principal, call.request_id, call.method};
  current_call = &call;
  absl::Status status = handler(authorized);
  current_call = nullptr;
  return ToGrpcStatus(status);
}

}  // namespace

const CallContext* CurrentCall() { return current_call; }

void DescribeServingMetrics() {
  auto& metrics = MetricsRegistry::Global();
  metrics.Describe(kRejected, "counter",
                   "RPCs refused without running their handler, by method and reason: queue_full "
                   "(--rpc_queue_limit calls already waiting), deadline_exceeded or cancelled "
                   "(while waiting).");
  metrics.Describe(kQueueWait, "histogram",
                   "Time an RPC's handler waited for a worker (--rpc_threads).");
}

namespace internal {

std::shared_ptr<CallContext> Admit(grpc::CallbackServerContext* ctx, grpc::Status* refusal) {
  std::shared_ptr<CallContext> call = CallRegistry::Get(ctx);
  if (call == nullptr) {
    *refusal = grpc::Status(grpc::StatusCode::INTERNAL, "call was not set up by the interceptor");
    return nullptr;
  }
  if (!call->principal.ok()) {
    *refusal = ToGrpcStatus(call->principal.status());
    return nullptr;
  }
  call->deadline = absl::FromChrono(ctx->deadline());
  if (call->deadline < absl::Now()) {
    *refusal = grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline passed before handling");
    return nullptr;
  }
  return call;
}

void Dispatch(grpc::CallbackServerContext* ctx, std::shared_ptr<CallContext> call,
              RpcHandler handler, std::function<void(const grpc::Status&)> finish) {
  BoundedExecutor* executor = call->executor;
  if (executor == nullptr) {
    finish(RunQueued(ctx, *call, handler, absl::Now()));
    return;
  }
  const bool queued = executor->TrySubmit(
      [ctx, call, handler = std::move(handler), finish, queued_at = absl::Now()]() mutable {
        finish(RunQueued(ctx, *call, handler, queued_at));
      });
  if (!queued) {
    CountRejected(call->method, "queue_full");
    finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        absl::StrCat("server busy: ", executor->queue_limit(),
                                     " calls already wait for a worker (--rpc_queue_limit); "
                                     "retry with backoff")));
  }
}

}  // namespace internal

grpc::ServerUnaryReactor* Serve(grpc::CallbackServerContext* ctx, RpcHandler handler) {
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  grpc::Status refusal;
  std::shared_ptr<CallContext> call = internal::Admit(ctx, &refusal);
  if (call == nullptr) {
    reactor->Finish(refusal);
    return reactor;
  }
  internal::Dispatch(ctx, std::move(call), std::move(handler),
                     [reactor](const grpc::Status& status) { reactor->Finish(status); });
  return reactor;
}

}  // namespace chainhub
