// Placing a consumer group for a service that first copies the owners' state through their list
// APIs (a backfill): read the stream's position before the backfill, then create the group there
// (or move it there when it exists), so that every event published during the backfill is consumed
// after it and none is lost. Events the backfill already reflects are harmless to replay: every
// consumer applies state, not deltas.
#ifndef CHAINHUB_COMMON_EVENTS_GROUP_POSITION_H_
#define CHAINHUB_COMMON_EVENTS_GROUP_POSITION_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/cache/redis_client.h"

namespace chainhub {

// The id of the stream's newest entry ("0-0" when it is empty or absent).
absl::StatusOr<std::string> StreamPosition(RedisClient& redis, const std::string& stream);

// Creates `group` on `stream` at `position` (MKSTREAM), or moves it there when it exists.
absl::Status PlaceGroup(RedisClient& redis, const std::string& stream, const std::string& group,
                        const std::string& position);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_EVENTS_GROUP_POSITION_H_
