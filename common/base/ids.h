// Identifiers: UUIDv7 (time-ordered) for events, audit rows and generated request ids.
#ifndef CHAINHUB_COMMON_IDS_H_
#define CHAINHUB_COMMON_IDS_H_

#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace chainhub {

// A UUIDv7 string (RFC 9562): 48-bit Unix milliseconds, then random bits; lower-case hex.
std::string NewUuidV7(absl::Time now = absl::Now());

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_IDS_H_
