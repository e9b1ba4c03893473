// Named leases in a service's store, so that one replica at a time does a job that must run once
// (a schedule's final run, the push to the provincial platform). A lease has a holder and an
// expiry; its fencing token grows each time it changes hands, and a write that must only happen
// under the lease checks the token in its own transaction (CheckLease), so a holder that stalled
// past its expiry cannot overwrite the work of the next one.
#ifndef CHAINHUB_COMMON_STORE_LEASE_H_
#define CHAINHUB_COMMON_STORE_LEASE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/store/store.h"

namespace chainhub {

// Takes or renews the lease `name` for `holder` until now + ttl when it is free, expired or
// already the holder's. Returns its fencing token, or nullopt while another holder has it. Call
// inside Store::Write.
absl::StatusOr<std::optional<int64_t>> AcquireLease(SqlTx& tx, const std::string& name,
                                                    const std::string& holder, absl::Duration ttl,
                                                    absl::Time now);

// OK when `holder` still holds `name` with `token` at `now`; FAILED_PRECONDITION otherwise.
absl::Status CheckLease(SqlTx& tx, const std::string& name, const std::string& holder,
                        int64_t token, absl::Time now);

// Lets the lease go at once if `holder` has it (a replica stopping), so another takes it without
// waiting for the expiry.
absl::Status ReleaseLease(SqlTx& tx, const std::string& name, const std::string& holder);

// Runs `job` while holding the lease `name` as `holder`, so that replicas sharing `store` run it
// one at a time: waits (polling every ttl/10) while another holder has the lease, renews it every
// ttl/3 while `job` runs, and releases it after. A job that must run once across replicas checks
// its own "done" marker first thing, so the replicas that waited find it done. CANCELLED when
// `stop_waiting` turns true before the lease is taken; otherwise what `job` returns.
absl::Status RunUnderLease(Store& store, const std::string& name, const std::string& holder,
                           absl::Duration ttl, const std::function<bool()>& stop_waiting,
                           const std::function<absl::Status()>& job);

// A service's first-start copy of its peers (its backfill), made once across the replicas sharing
// `store`: RunUnderLease("<service>-backfill") with `backfill` (which returns at once when its
// done-marker is set), retried every 2 s while it fails (a peer not up yet), each failure logged.
// True once it succeeded; false when `stopping` turned true first.
bool BackfillOnceAcrossReplicas(Store& store, const std::string& service,
                                const std::atomic<bool>& stopping,
                                const std::function<absl::Status()>& backfill);

// This process as a lease holder: "<hostname>-<pid>". In a container the pid is usually 1 and the
// hostname the pod's, so a container restarted in place takes its own lease back at once.
std::string LeaseHolderName();

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_STORE_LEASE_H_
