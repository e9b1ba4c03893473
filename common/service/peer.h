// Calls from one chainhub service to another. The channel uses the configured TLS credentials
// (--peer_tls_*; plaintext when no CA is set), and each call carries the deadline of the call
// being served on this thread, capped by --peer_timeout, so that a caller that gives up also
// releases the work it caused downstream, plus its request id, so that one request can be
// followed through the logs of every service.
#ifndef CHAINHUB_COMMON_PEER_H_
#define CHAINHUB_COMMON_PEER_H_

#include <memory>
#include <string>

#include <grpcpp/client_context.h>
#include <grpcpp/security/credentials.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/service/flags.h"

namespace chainhub {

// TLS credentials from `peer`'s PEM files (INVALID_ARGUMENT naming the flag when unreadable), or
// insecure ones when it names no CA.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerChannelCredentials(
    const PeerConfig& peer);

// Sets `ctx`'s deadline to now + `timeout`, or the deadline of the call this thread serves
// (CurrentCall) when that is sooner, and its x-request-id to that call's.
void PrepareOutgoingCall(grpc::ClientContext* ctx, absl::Duration timeout);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_PEER_H_
