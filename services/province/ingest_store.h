// The reference receiver's store: records by key at their highest version, per-category digests
// kept in step, and the batches received (docs/province-sync.md).
#ifndef CHAINHUB_SERVICES_PROVINCE_INGEST_STORE_H_
#define CHAINHUB_SERVICES_PROVINCE_INGEST_STORE_H_

#include <string>

#include "absl/status/statusor.h"
#include "chainhub/province/v1/province.pb.h"
#include "common/base/clock.h"
#include "common/store/store.h"
#include "services/province/records.h"

namespace chainhub::province {

inline constexpr int kMaxBatchRecords = 1000;

class IngestStore {
 public:
  // `lists` are the provincial lists records may be expressed in (not owned).
  IngestStore(Store* store, const ProvinceLists* lists, const Clock& clock);

  // Validates and applies a batch in one transaction; a batch id already received returns its
  // first answer (duplicate set), or FAILED_PRECONDITION when it came with other records.
  absl::StatusOr<v1::IngestBatchResponse> Ingest(const std::string& principal,
                                                 const v1::IngestBatchRequest& request);
  absl::StatusOr<v1::GetDigestsResponse> Digests(const v1::GetDigestsRequest& request);
  absl::StatusOr<v1::ListRecordsResponse> List(const v1::ListRecordsRequest& request);

 private:
  Store* store_;
  const ProvinceLists* lists_;
  const Clock& clock_;
};

}  // namespace chainhub::province

#endif  // CHAINHUB_SERVICES_PROVINCE_INGEST_STORE_H_
