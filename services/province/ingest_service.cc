#include "services/province/ingest_service.h"

#include "common/base/status_util.h"
#include "common/rpc/auth.h"
#include "common/rpc/call_context.h"

namespace chainhub::province {

grpc::ServerUnaryReactor* IngestService::IngestBatch(Ctx* ctx, const v1::IngestBatchRequest* req,
                                                     v1::IngestBatchResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, store_->Ingest(call.principal.subject, *req));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IngestService::GetDigests(Ctx* ctx, const v1::GetDigestsRequest* req,
                                                    v1::GetDigestsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kProvince, roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, store_->Digests(*req));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IngestService::ListRecords(Ctx* ctx, const v1::ListRecordsRequest* req,
                                                     v1::ListRecordsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kProvince, roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, store_->List(*req));
    return absl::OkStatus();
  });
}

}  // namespace chainhub::province
