#include "common/rpc/call_context.h"

#include <chrono>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
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

grpc::Status RunRpc(grpc::ServerContext* ctx,
                    const std::function<absl::Status(const AuthorizedCall&)>& handler) {
  std::shared_ptr<CallContext> call = CallRegistry::Get(ctx);
  if (call == nullptr) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "call was not set up by the interceptor");
  }
  if (!call->principal.ok()) return ToGrpcStatus(call->principal.status());
  if (ctx->deadline() < std::chrono::system_clock::now()) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "deadline passed before handling");
  }
  AuthorizedCall authorized{*call->principal, call->request_id, call->method};
  return ToGrpcStatus(handler(authorized));
}

}  // namespace chainhub
