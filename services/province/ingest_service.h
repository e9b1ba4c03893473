// chainhub.province.v1.ProvinceIngest: the reference provincial receiver's API over IngestStore.
#ifndef CHAINHUB_SERVICES_PROVINCE_INGEST_SERVICE_H_
#define CHAINHUB_SERVICES_PROVINCE_INGEST_SERVICE_H_

#include "chainhub/province/v1/province.grpc.pb.h"
#include "services/province/ingest_store.h"

namespace chainhub::province {

class IngestService final : public v1::ProvinceIngest::CallbackService {
 public:
  explicit IngestService(IngestStore* store) : store_(store) {}

  using Ctx = grpc::CallbackServerContext;
  grpc::ServerUnaryReactor* IngestBatch(Ctx*, const v1::IngestBatchRequest*,
                                        v1::IngestBatchResponse*) override;
  grpc::ServerUnaryReactor* GetDigests(Ctx*, const v1::GetDigestsRequest*,
                                       v1::GetDigestsResponse*) override;
  grpc::ServerUnaryReactor* ListRecords(Ctx*, const v1::ListRecordsRequest*,
                                        v1::ListRecordsResponse*) override;

 private:
  IngestStore* store_;
};

}  // namespace chainhub::province

#endif  // CHAINHUB_SERVICES_PROVINCE_INGEST_SERVICE_H_
