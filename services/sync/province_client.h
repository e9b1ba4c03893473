// chainhub-sync's client of a ProvinceIngest receiver: the channel (TLS and a client certificate
// when configured), and the city's token read from --province_token_file on every call, so that a
// rotated token is used without a restart.
#ifndef CHAINHUB_SERVICES_SYNC_PROVINCE_CLIENT_H_
#define CHAINHUB_SERVICES_SYNC_PROVINCE_CLIENT_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/province/v1/province.grpc.pb.h"

namespace chainhub::sync {

struct ProvinceClientOptions {
  // HOST:PORT of the receiver; empty: no receiver (pushing is disabled).
  std::string target;
  // A file holding the bearer token the receiver issued to the city (trailing whitespace
  // trimmed); empty: no token (a receiver that authenticates by client certificate).
  std::string token_file;
  // TLS: the CA to verify the receiver with, and the client certificate and key (mutual TLS);
  // plaintext when no CA is set.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  // Deadline of every call.
  absl::Duration timeout = absl::Seconds(10);
};

class ProvinceClient {
 public:
  // INVALID_ARGUMENT naming the flag when a TLS file cannot be read.
  static absl::StatusOr<std::unique_ptr<ProvinceClient>> Create(ProvinceClientOptions options);

  bool enabled() const { return stub_ != nullptr; }
  const std::string& target() const { return options_.target; }

  // The calls, as grpc::Status (the push agent decides by code what to retry); FAILED_PRECONDITION
  // when no receiver is configured, UNAUTHENTICATED when the token file cannot be read.
  grpc::Status IngestBatch(const province::v1::IngestBatchRequest& request,
                           province::v1::IngestBatchResponse* response);
  grpc::Status GetDigests(const province::v1::GetDigestsRequest& request,
                          province::v1::GetDigestsResponse* response);
  grpc::Status ListRecords(const province::v1::ListRecordsRequest& request,
                           province::v1::ListRecordsResponse* response);

 private:
  explicit ProvinceClient(ProvinceClientOptions options) : options_(std::move(options)) {}
  // A context with the deadline and the token; false (with `status` set) when it cannot be made.
  bool Prepare(grpc::ClientContext* ctx, grpc::Status* status);

  ProvinceClientOptions options_;
  std::unique_ptr<province::v1::ProvinceIngest::Stub> stub_;
};

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_PROVINCE_CLIENT_H_
