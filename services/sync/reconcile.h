// Reconciliation with the receiver: per-category counts and digests compared, the records of the
// categories that differ compared key by key (the receiver's keys_only listing against sync's
// records), and with `repair` the differing records sent again — sync's live record, or a
// tombstone for a record the receiver holds and sync does not — then the digests compared again.
// Records the push has not sent yet show as differences too: reconcile when nothing is pending
// for a clean answer (a repair simply sends them early).
#ifndef CHAINHUB_SERVICES_SYNC_RECONCILE_H_
#define CHAINHUB_SERVICES_SYNC_RECONCILE_H_

#include "absl/status/statusor.h"
#include "chainhub/sync/v1/sync.pb.h"
#include "common/base/clock.h"
#include "common/store/store.h"
#include "services/sync/province_client.h"
#include "services/sync/push_agent.h"

namespace chainhub::sync {

absl::StatusOr<v1::ReconcileResponse> Reconcile(Store* store, ProvinceClient* client,
                                                PushAgent* push, const Clock& clock,
                                                const v1::ReconcileRequest& request);

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_RECONCILE_H_
