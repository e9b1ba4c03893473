// The server interceptor every service installs: it reads (or generates) x-request-id and echoes
// it in the initial metadata, verifies the bearer token once (its expiry against `clock`), registers the call for Serve (with
// the executor that is to run its handler), and
// when the call ends writes one JSON log line (method, code, latency, principal, request id) and
// the RPC metrics (chainhub_rpc_total{method,code}, chainhub_rpc_latency_seconds{method}).
#ifndef CHAINHUB_COMMON_INTERCEPTORS_H_
#define CHAINHUB_COMMON_INTERCEPTORS_H_

#include <memory>

#include <grpcpp/support/server_interceptor.h>

#include "common/base/clock.h"
#include "common/rpc/auth.h"
#include "common/rpc/executor.h"

namespace chainhub {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MakeObservabilityInterceptorFactory(const TokenVerifier* verifier, BoundedExecutor* executor,
                                    const Clock& clock = Clock::Real());

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_INTERCEPTORS_H_
