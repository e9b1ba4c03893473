#include "services/registry/enterprise_batch.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "services/registry/validation.h"

namespace chainhub::registry {

absl::Status CheckBatchSize(int rows) {
  if (rows > kMaxBatchRows) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "enterprises: at most ", kMaxBatchRows, " rows per call, got ", rows, "; split the batch"));
  }
  if (rows == 0) return InvalidField("enterprises", "must not be empty");
  return absl::OkStatus();
}

std::vector<absl::Status> CheckBatchRows(
    const google::protobuf::RepeatedPtrField<v1::Enterprise>& rows) {
  std::vector<absl::Status> out;
  out.reserve(rows.size());
  std::map<std::string, int> first_row;
  for (int i = 0; i < rows.size(); ++i) {
    const std::string prefix = absl::StrCat("enterprises[", i, "]");
    absl::Status row = Validate(CheckEnterprise, rows[i], prefix);
    if (row.ok()) {
      auto [it, inserted] = first_row.emplace(rows[i].credit_code(), i);
      if (!inserted) {
        row = InvalidField(prefix + ".credit_code",
                           absl::StrCat("duplicates row ", it->second, " of this batch"));
      }
    }
    out.push_back(std::move(row));
  }
  return out;
}

bool FailsOnlyItsRow(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kPermissionDenied;
}

}  // namespace chainhub::registry
