// The first start of chainhub-support: every enterprise of the registry, read through its List
// API into the enterprise copy, with the `support` consumer group then placed where the stream
// stood before the reading began (common/events/group_position.h). Done once; a restart
// afterwards only consumes.
#ifndef CHAINHUB_SERVICES_SUPPORT_BACKFILL_H_
#define CHAINHUB_SERVICES_SUPPORT_BACKFILL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/base/clock.h"
#include "common/cache/redis_client.h"
#include "common/store/store.h"
#include "services/clients/owner_lists.h"

namespace chainhub::support {

// Backfills once (a no-op when an earlier start did) and places the consumer `group` on
// `stream`. Returns how many enterprises were read (0 when already done).
absl::StatusOr<int64_t> BackfillOnce(Store* store, RedisClient* redis, OwnerLists& sources,
                                     const std::string& stream, const std::string& group,
                                     const Clock& clock);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_BACKFILL_H_
