// Idempotent Create and batch methods: the first response to (method, request_id) is stored with a
// digest of the request, in the same transaction as the change. A retry with the same id and the
// same request gets the stored response; the same id with a different request is INVALID_ARGUMENT.
#ifndef CHAINHUB_COMMON_IDEMPOTENCY_H_
#define CHAINHUB_COMMON_IDEMPOTENCY_H_

#include <optional>
#include <string>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/store/store.h"

namespace chainhub {

// SHA-256 (hex) of the request's deterministic serialization.
std::string RequestDigest(const google::protobuf::Message& request);

// The stored response bytes for a replay, nullopt for a new request, or INVALID_ARGUMENT
// ("request_id: was used with a different request") for a reused id.
absl::StatusOr<std::optional<std::string>> LookupIdempotent(SqlTx& tx, absl::string_view method,
                                                            absl::string_view request_id,
                                                            absl::string_view digest);
absl::Status RecordIdempotent(SqlTx& tx, absl::string_view method, absl::string_view request_id,
                              absl::string_view digest, absl::string_view response, absl::Time now);

// INVALID_ARGUMENT unless `request_id` is empty (when `required` is false) or 1-128 printable
// ASCII characters.
absl::Status ValidateRequestId(absl::string_view request_id, bool required);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_IDEMPOTENCY_H_
