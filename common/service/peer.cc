#include "common/service/peer.h"

#include <algorithm>

#include <grpcpp/security/credentials.h>

#include "absl/time/clock.h"
#include "common/base/status_util.h"
#include "common/rpc/call_context.h"

namespace chainhub {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> PeerChannelCredentials(
    const PeerConfig& peer) {
  if (peer.tls_ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions options;
  CHAINHUB_ASSIGN_OR_RETURN(options.pem_root_certs,
                            ReadFlagFile(peer.tls_ca_file, "--peer_tls_ca_file"));
  if (!peer.tls_cert_file.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(options.pem_cert_chain,
                              ReadFlagFile(peer.tls_cert_file, "--peer_tls_cert_file"));
    CHAINHUB_ASSIGN_OR_RETURN(options.pem_private_key,
                              ReadFlagFile(peer.tls_key_file, "--peer_tls_key_file"));
  }
  return grpc::SslCredentials(options);
}

void PrepareOutgoingCall(grpc::ClientContext* ctx, absl::Duration timeout) {
  absl::Time deadline = absl::Now() + timeout;
  if (const CallContext* call = CurrentCall(); call != nullptr) {
    deadline = std::min(deadline, call->deadline);
    if (!call->request_id.empty()) ctx->AddMetadata("x-request-id", call->request_id);
  }
  ctx->set_deadline(absl::ToChronoTime(deadline));
}

}  // namespace chainhub
