// BatchUpsertEnterprises, row by row: how many rows a call takes, the rules each row must keep on
// its own and against the rows before it, and which failures fail only their row. Pure: the
// handler checks references and writes the rows that pass.
#ifndef CHAINHUB_SERVICES_REGISTRY_ENTERPRISE_BATCH_H_
#define CHAINHUB_SERVICES_REGISTRY_ENTERPRISE_BATCH_H_

#include <vector>

#include <google/protobuf/repeated_ptr_field.h>

#include "absl/status/status.h"
#include "chainhub/registry/v1/registry.pb.h"

namespace chainhub::registry {

// The most rows BatchUpsertEnterprises takes in one call.
inline constexpr int kMaxBatchRows = 1000;

// RESOURCE_EXHAUSTED past kMaxBatchRows (the caller splits the batch), INVALID_ARGUMENT when empty.
absl::Status CheckBatchSize(int rows);

// Per row, in order: its field rules (CheckEnterprise on enterprises[i]), then that no earlier
// valid row has its credit code.
std::vector<absl::Status> CheckBatchRows(
    const google::protobuf::RepeatedPtrField<v1::Enterprise>& rows);

// A bad row (INVALID_ARGUMENT) or one the caller may not write (PERMISSION_DENIED) is reported in
// its result and the batch goes on; any other failure is the store's and fails the whole batch, so
// nothing is half-written.
bool FailsOnlyItsRow(const absl::Status& status);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_ENTERPRISE_BATCH_H_
