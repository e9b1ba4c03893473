#include "common/service/peer.h"

#include <algorithm>

#include <grpcpp/security/credentials.h>

#include "absl/time/clock.h"
#include "common/base/status_util.h"
#include "common/rpc/auth.h"
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

absl::StatusOr<std::string> PeerToken::Get() {
  absl::MutexLock lock(&mu_);
  const absl::Time now = clock_.Now();
  if (now + absl::Minutes(5) < expiry_) return token_;
  Principal self;
  self.subject = subject_;
  self.roles.insert(std::string(roles::kViewer));
  CHAINHUB_ASSIGN_OR_RETURN(token_, MintToken(secret_, self, now, absl::Hours(1)));
  expiry_ = now + absl::Hours(1);
  return token_;
}

absl::Status PeerToken::Prepare(grpc::ClientContext* ctx, absl::Duration timeout) {
  CHAINHUB_ASSIGN_OR_RETURN(std::string token, Get());
  ctx->AddMetadata("authorization", "Bearer " + token);
  PrepareOutgoingCall(ctx, timeout);
  return absl::OkStatus();
}

}  // namespace chainhub
