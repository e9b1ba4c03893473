// grpc.health.v1.Health/Check without the generated health stubs (Debian ships no health.proto):
// the two messages are one field each, so they are written and read in protobuf wire format by hand
// and sent through grpc::GenericStub.
#ifndef CHAINHUB_TOOLS_CHAINCTL_HEALTH_H_
#define CHAINHUB_TOOLS_CHAINCTL_HEALTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

// HealthCheckResponse.ServingStatus values.
enum class ServingStatus { kUnknown = 0, kServing = 1, kNotServing = 2, kServiceUnknown = 3 };

absl::string_view ServingStatusName(ServingStatus status);

// HealthCheckRequest{service = 1} in wire format.
std::string EncodeHealthCheckRequest(absl::string_view service);
// HealthCheckResponse{status = 1} from wire format; unknown fields are skipped.
absl::StatusOr<ServingStatus> DecodeHealthCheckResponse(absl::string_view bytes);

// Calls Check for `service` ("" is the whole server) with the connection's deadline and metadata.
absl::StatusOr<ServingStatus> CheckHealth(const Connection& connection, absl::string_view service);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_HEALTH_H_
