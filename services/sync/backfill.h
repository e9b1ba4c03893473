// The first start of chainhub-sync: every chain, enterprise, project (with its progress reports),
// published final run and the taxonomy, read through the owners' list APIs and applied as events
// would be, with the `sync` consumer group then placed where the stream stood before the reading
// began (common/events/group_position.h). Done once; a restart afterwards only consumes.
#ifndef CHAINHUB_SERVICES_SYNC_BACKFILL_H_
#define CHAINHUB_SERVICES_SYNC_BACKFILL_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "common/cache/redis_client.h"
#include "common/store/store.h"
#include "services/clients/owner_lists.h"

namespace chainhub::sync {

// Backfills once (a no-op when an earlier start did) and places the consumer `group` on
// `stream`. `sources` reads the registry, intake and (when it has a target) assessment as
// systems/sync. Returns how many resources were read (0 when already done).
absl::StatusOr<int64_t> BackfillOnce(Store* store, RedisClient* redis, OwnerLists& sources,
                                     const std::string& stream, const std::string& group,
                                     const Clock& clock);

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_BACKFILL_H_
