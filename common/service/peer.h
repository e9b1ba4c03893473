// Calls from one chainhub service to another. The channel uses the configured TLS credentials
// (--peer_tls_*; plaintext when no CA is set), and each call carries the deadline of the call
// being served on this thread, capped by --peer_timeout, so that a caller that gives up also
// releases the work it caused downstream, plus its request id, so that one request can be
// followed through the logs of every service.
#ifndef CHAINHUB_COMMON_PEER_H_
#define CHAINHUB_COMMON_PEER_H_

#include <memory>
#include <string>
#include <utility>

#include <grpcpp/client_context.h>
#include <grpcpp/security/credentials.h>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/service/flags.h"

namespace chainhub {

// TLS credentials from `peer`'s PEM files (INVALID_ARGUMENT naming the flag when unreadable), or
// insecure ones when it names no CA.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerChannelCredentials(
    const PeerConfig& peer);

// Sets `ctx`'s deadline to now + `timeout`, or the deadline of the call this thread serves
// (CurrentCall) when that is sooner, and its x-request-id to that call's.
void PrepareOutgoingCall(grpc::ClientContext* ctx, absl::Duration timeout);

// How a service authenticates to its peers: a viewer token for `subject` (e.g. systems/intake)
// minted from the shared JWT secret, valid an hour and renewed five minutes before it expires.
// The token's times are the peers' wall clock, which `clock` must be. Thread-safe.
class PeerToken {
 public:
  PeerToken(std::string secret, std::string subject, const Clock& clock = Clock::Real())
      : secret_(std::move(secret)), subject_(std::move(subject)), clock_(clock) {}

  absl::StatusOr<std::string> Get();
  // Adds the bearer token to `ctx`, then PrepareOutgoingCall(ctx, timeout).
  absl::Status Prepare(grpc::ClientContext* ctx, absl::Duration timeout);

 private:
  const std::string secret_;
  const std::string subject_;
  const Clock& clock_;
  absl::Mutex mu_;
  std::string token_ ABSL_GUARDED_BY(mu_);
  absl::Time expiry_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_PEER_H_
