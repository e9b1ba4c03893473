#include "services/notify/delivery/retry.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"

namespace chainhub::notify {

absl::Duration BackoffCap(int attempts, absl::Duration initial, absl::Duration max) {
  absl::Duration cap = initial;
  for (int i = 1; i < attempts && cap < max; ++i) cap *= 2;
  return std::min(cap, max);
}

absl::Duration BackoffDelay(int attempts, absl::Duration initial, absl::Duration max, double unit) {
  return std::max(absl::Milliseconds(1), BackoffCap(attempts, initial, max) * unit);
}

bool IsPermanentHttpFailure(int status) {
  return status >= 400 && status < 500 && status != 408 && status != 429;
}

std::optional<absl::Duration> ParseRetryAfter(absl::string_view value) {
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(value), &seconds) || seconds < 0) {
    return std::nullopt;
  }
  return absl::Seconds(seconds);
}

}  // namespace chainhub::notify
