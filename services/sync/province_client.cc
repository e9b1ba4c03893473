#include "services/sync/province_client.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/env_flags.h"

namespace chainhub::sync {

absl::StatusOr<std::unique_ptr<ProvinceClient>> ProvinceClient::Create(
    ProvinceClientOptions options) {
  std::unique_ptr<ProvinceClient> client(new ProvinceClient(std::move(options)));
  const ProvinceClientOptions& o = client->options_;
  if (o.target.empty()) return client;
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!o.tls_ca_file.empty()) {
    grpc::SslCredentialsOptions ssl;
    auto ca = ReadFlagFile(o.tls_ca_file, "--province_tls_ca_file");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    if (!o.tls_cert_file.empty()) {
      auto cert = ReadFlagFile(o.tls_cert_file, "--province_tls_cert_file");
      if (!cert.ok()) return cert.status();
      auto key = ReadFlagFile(o.tls_key_file, "--province_tls_key_file");
      if (!key.ok()) return key.status();
      ssl.pem_cert_chain = *cert;
      ssl.pem_private_key = *key;
    }
    credentials = grpc::SslCredentials(ssl);
  }
  client->stub_ =
      province::v1::ProvinceIngest::NewStub(grpc::CreateChannel(o.target, credentials));
  return client;
}

bool ProvinceClient::Prepare(grpc::ClientContext* ctx, grpc::Status* status) {
  if (stub_ == nullptr) {
    *status = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                           "no receiver is configured (--province_target)");
    return false;
  }
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!options_.token_file.empty()) {
    auto token = ReadFlagFile(options_.token_file, "--province_token_file");
    if (!token.ok()) {
      *status = grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(token.status().message()));
      return false;
    }
    ctx->AddMetadata("authorization",
                     absl::StrCat("Bearer ", absl::StripAsciiWhitespace(*token)));
  }
  return true;
}

grpc::Status ProvinceClient::IngestBatch(const province::v1::IngestBatchRequest& request,
                                         province::v1::IngestBatchResponse* response) {
  grpc::ClientContext ctx;
  grpc::Status status;
  if (!Prepare(&ctx, &status)) return status;
  return stub_->IngestBatch(&ctx, request, response);
}

grpc::Status ProvinceClient::GetDigests(const province::v1::GetDigestsRequest& request,
                                        province::v1::GetDigestsResponse* response) {
  grpc::ClientContext ctx;
  grpc::Status status;
  if (!Prepare(&ctx, &status)) return status;
  return stub_->GetDigests(&ctx, request, response);
}

grpc::Status ProvinceClient::ListRecords(const province::v1::ListRecordsRequest& request,
                                         province::v1::ListRecordsResponse* response) {
  grpc::ClientContext ctx;
  grpc::Status status;
  if (!Prepare(&ctx, &status)) return status;
  return stub_->ListRecords(&ctx, request, response);
}

}  // namespace chainhub::sync
