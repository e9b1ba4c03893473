// When a failed dispatch is tried again, and which failures are final: pure rules.
#ifndef CHAINHUB_SERVICES_NOTIFY_DELIVERY_RETRY_H_
#define CHAINHUB_SERVICES_NOTIFY_DELIVERY_RETRY_H_

#include <optional>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"

namespace chainhub::notify {

// The cap of the delay after `attempts` failed attempts: initial × 2^(attempts-1), at most `max`.
absl::Duration BackoffCap(int attempts, absl::Duration initial, absl::Duration max);
// Full jitter: `unit` (in [0, 1)) × the cap, but never less than a millisecond.
absl::Duration BackoffDelay(int attempts, absl::Duration initial, absl::Duration max, double unit);
// An HTTP answer that no retry can change: 4xx other than 408 (timeout) and 429 (rate).
bool IsPermanentHttpFailure(int status);
// A Retry-After header in seconds ("120"); nullopt for anything else (HTTP dates are ignored).
std::optional<absl::Duration> ParseRetryAfter(absl::string_view value);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_DELIVERY_RETRY_H_
