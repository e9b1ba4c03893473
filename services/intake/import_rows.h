// The rows of ImportProjects: which errors belong to one row (reported in its result while the
// other rows go on) and which abort the call, and how row outcomes are counted. Pure.
#ifndef CHAINHUB_SERVICES_INTAKE_IMPORT_ROWS_H_
#define CHAINHUB_SERVICES_INTAKE_IMPORT_ROWS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

// The outcomes of a row that applied.
inline constexpr absl::string_view kRowCreated = "CREATED";
inline constexpr absl::string_view kRowUpdated = "UPDATED";
inline constexpr absl::string_view kRowUnchanged = "UNCHANGED";

// A row's own error: the row is bad (INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION,
// NOT_FOUND), not the caller's to write (PERMISSION_DENIED), or names a chain the registry cannot
// be asked about (UNAVAILABLE). Anything else is the store's and aborts the call.
bool IsRowError(const absl::Status& status);

// Records a row error in `result` (code and message) and returns OK, so the batch goes on; any
// other error is returned as it is. OK is returned as it is.
absl::Status RowFailed(const absl::Status& status, v1::ImportRowResult* result);

// Counts a finished row into `resp` (failed, created, updated or unchanged; a failed row loses
// its outcome) and returns the count it went to: "failed", "created", "updated" or "unchanged".
absl::string_view TallyRow(v1::ImportRowResult* result, v1::ImportProjectsResponse* resp);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_IMPORT_ROWS_H_
