#include "services/intake/import_rows.h"

#include <cstdint>
#include <string>

namespace chainhub::intake {

bool IsRowError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kUnavailable:
      return true;
    default:
      return false;
  }
}

absl::Status RowFailed(const absl::Status& status, v1::ImportRowResult* result) {
  if (!IsRowError(status)) return status;
  result->set_code(static_cast<int32_t>(status.code()));
  result->set_message(std::string(status.message()));
  return absl::OkStatus();
}

absl::string_view TallyRow(v1::ImportRowResult* result, v1::ImportProjectsResponse* resp) {
  if (result->code() != 0) {
    resp->set_failed_count(resp->failed_count() + 1);
    result->clear_outcome();
    return "failed";
  }
  if (result->outcome() == kRowCreated) {
    resp->set_created_count(resp->created_count() + 1);
    return "created";
  }
  if (result->outcome() == kRowUpdated) {
    resp->set_updated_count(resp->updated_count() + 1);
    return "updated";
  }
  resp->set_unchanged_count(resp->unchanged_count() + 1);
  return "unchanged";
}

}  // namespace chainhub::intake
