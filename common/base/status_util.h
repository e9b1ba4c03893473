// Errors inside chainhub travel as absl::Status; this file turns them into grpc::Status at the edge
// (with standard google.rpc rich details in the `grpc-status-details-bin` trailer) and back again
// on the client side, and gives the helpers that build a status naming a field and its rule.
#ifndef CHAINHUB_COMMON_STATUS_UTIL_H_
#define CHAINHUB_COMMON_STATUS_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chainhub {

// How many characters of a user's value an error message shows: enough to recognise the value,
// never enough for a hostile one to swell the status past what a client accepts.
inline constexpr size_t kShownValueChars = 32;
// Resource names are shown whole up to this (every valid name fits), cut beyond it.
inline constexpr size_t kShownNameChars = 128;
// Bounds of the status a client receives (see ToGrpcStatus): the message in bytes, the field
// violations listed, and the serialized details.
inline constexpr size_t kMaxStatusMessageBytes = 1024;
inline constexpr size_t kMaxFieldViolations = 10;
inline constexpr size_t kMaxStatusDetailsBytes = 3072;

// A user's value as an error message shows it: its first `max_chars` characters, then "…" and
// the value's size in bytes when it is longer; control characters and bytes that are not UTF-8
// escaped as \xNN, C1 controls and bidi controls as <U+202E>. The result is short, printable,
// valid UTF-8 and displays in its own order, whatever the value was. Every place that puts a
// value from a request into a status message or detail goes through this (or Quoted).
std::string ShownValue(absl::string_view value, size_t max_chars = kShownValueChars);
// ShownValue in single quotes: 'chains/PV', or 'chains/aaaa…' (3000 bytes) for a long one.
std::string Quoted(absl::string_view value);

// One bad field of a request: `field` is the path (e.g. "chain.display_name"), `rule` the rule it
// broke in words (e.g. "must not be empty").
struct FieldViolation {
  std::string field;
  std::string rule;
};

// INVALID_ARGUMENT "<field>: <rule>" carrying a google.rpc.BadRequest detail.
absl::Status InvalidField(absl::string_view field, absl::string_view rule);
// INVALID_ARGUMENT listing the violations (message names each), with a BadRequest detail; past
// kMaxFieldViolations the rest are counted ("; and 12 more"), not listed.
absl::Status InvalidFields(const std::vector<FieldViolation>& violations);
// NOT_FOUND "<resource> not found" with a google.rpc.ResourceInfo detail. Here and below the
// resource name is shown with ShownValue(name, kShownNameChars).
absl::Status NotFound(absl::string_view resource_type, absl::string_view resource_name);
// ALREADY_EXISTS with a ResourceInfo detail.
absl::Status AlreadyExists(absl::string_view resource_type, absl::string_view resource_name);
// FAILED_PRECONDITION with a PreconditionFailure detail naming the rule.
absl::Status FailedPrecondition(absl::string_view subject, absl::string_view rule);
// ABORTED for a stale etag.
absl::Status EtagMismatch(absl::string_view resource_name);
// Adds an ErrorInfo (domain "chainhub.io") with the given reason to a status.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// The field violations carried by a status (empty when none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// absl::Status → grpc::Status, with a serialized google.rpc.Status in error_details. The message
// is made valid UTF-8 and cut to kMaxStatusMessageBytes, and details larger than
// kMaxStatusDetailsBytes are dropped, so the status fits in the trailers a client accepts (8 KiB
// by default) and arrives as itself instead of as RESOURCE_EXHAUSTED.
grpc::Status ToGrpcStatus(const absl::Status& status);
// grpc::Status → absl::Status, decoding google.rpc details back into payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace chainhub

#define CHAINHUB_STATUS_CONCAT_INNER_(a, b) a##b
#define CHAINHUB_STATUS_CONCAT_(a, b) CHAINHUB_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define CHAINHUB_RETURN_IF_ERROR(expr)                                                           \
  do {                                                                                           \
    if (absl::Status chainhub_status_ = (expr); !chainhub_status_.ok()) return chainhub_status_; \
  } while (0)

// `lhs = value of expr` (an absl::StatusOr<T>), returning its status when not OK.
#define CHAINHUB_ASSIGN_OR_RETURN(lhs, expr) \
  CHAINHUB_ASSIGN_OR_RETURN_IMPL_(CHAINHUB_STATUS_CONCAT_(chainhub_statusor_, __LINE__), lhs, expr)
#define CHAINHUB_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = std::move(statusor).value()

#endif  // CHAINHUB_COMMON_STATUS_UTIL_H_
