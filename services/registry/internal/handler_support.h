// What the handler files of RegistryService share: the source their events carry, the cache
// namespaces a write invalidates and the cached read, and the two ends of an idempotent create
// (replaying a retry, recording the first call). Private to services/registry.
#ifndef CHAINHUB_SERVICES_REGISTRY_INTERNAL_HANDLER_SUPPORT_H_
#define CHAINHUB_SERVICES_REGISTRY_INTERNAL_HANDLER_SUPPORT_H_

#include <string>
#include <utility>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/status_util.h"
#include "common/cache/cache.h"
#include "common/events/cloud_event.h"
#include "common/rpc/call_context.h"
#include "common/service/resource.h"
#include "common/store/store.h"

namespace chainhub::registry::internal {

inline constexpr char kSource[] = "registry";

// Cache namespaces. "chains": every chain (rarely written; province changes alter all of them);
// "map:<chain>": a chain's map; "ent:<code>": one enterprise.
inline constexpr char kChainsNs[] = "chains";
inline std::string MapNs(absl::string_view chain_id) { return absl::StrCat("map:", chain_id); }
inline std::string EnterpriseNs(absl::string_view code) { return absl::StrCat("ent:", code); }
// "enterprises": every page of ListEnterprises, invalidated by every registry write (a page shows
// enterprises with their memberships, which node and chain changes touch too).
inline constexpr char kEnterpriseListNs[] = "enterprises";

// Fills `resp` with the stored response of an earlier call with this request_id and digest, if
// there is one: a retry of a create answers as the first call did and writes nothing.
template <typename Response>
absl::StatusOr<bool> Replayed(SqlTx& tx, const AuthorizedCall& call, const std::string& request_id,
                              const std::string& digest, Response* resp) {
  CHAINHUB_ASSIGN_OR_RETURN(auto replay, ReplayIdempotent<Response>(tx, call, request_id, digest));
  if (!replay) return false;
  *resp = std::move(*replay);
  return true;
}

// What a create writes besides its rows: its event and audit row, and `response` kept for
// retries of request_id.
inline absl::Status RecordCreate(SqlTx& tx, const AuthorizedCall& call, CloudEvent event,
                                 const std::string& request_id, const std::string& digest,
                                 const google::protobuf::Message& response, absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      RecordMutation(tx, call, std::move(event), CreateDetail(request_id), now));
  return RememberResponse(tx, call, request_id, digest, response, now);
}

}  // namespace chainhub::registry::internal

#endif  // CHAINHUB_SERVICES_REGISTRY_INTERNAL_HANDLER_SUPPORT_H_
