// The audit trail: every mutation appends a row (principal, method, resource, request id, time)
// in the same transaction as the change; admins list it over the API.
#ifndef CHAINHUB_COMMON_AUDIT_H_
#define CHAINHUB_COMMON_AUDIT_H_

#include <grpcpp/support/server_callback.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/common/v1/common.pb.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"

namespace chainhub {

absl::Status AppendAudit(SqlTx& tx, const AuthorizedCall& call, absl::string_view resource,
                         absl::string_view detail, absl::Time now);

// Lists audit rows newest first (filter fields: principal, method, resource, request_id, time).
absl::StatusOr<common::v1::ListAuditEventsResponse> ListAuditEvents(
    Store& store, const common::v1::ListAuditEventsRequest& request);

// Every service's ListAuditEvents RPC: admins only, over `store`.
grpc::ServerUnaryReactor* ServeListAuditEvents(grpc::CallbackServerContext* ctx, Store& store,
                                               const common::v1::ListAuditEventsRequest* req,
                                               common::v1::ListAuditEventsResponse* resp);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_AUDIT_H_
