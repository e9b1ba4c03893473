// How far a second registry process lags behind a write acknowledged by the first: the cost of the
// near cache's cross-replica invalidation (docs/architecture.md, How a read flows). Both processes
// share the store and Redis; the second holds the chain in its near tier before each write.
#ifndef CHAINHUB_TOOLS_BENCH_REPLICA_LAG_H_
#define CHAINHUB_TOOLS_BENCH_REPLICA_LAG_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/bench/latency.h"

namespace chainhub::bench {

using ReplicaLag = LatencyFigures;

// `samples` rounds of: read chains/pv on `replica` until its near tier serves it, update the
// chain's display name on `primary`, then read on `replica` until the new name shows; the lag is
// the time from the update's answer to that read's answer. A round that does not converge within
// 5 s is an error.
absl::StatusOr<ReplicaLag> MeasureReplicaLag(const std::shared_ptr<grpc::Channel>& primary,
                                             const std::shared_ptr<grpc::Channel>& replica,
                                             const std::string& authorization, int samples);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_REPLICA_LAG_H_
