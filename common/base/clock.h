// The time source. Every component that records or compares a point in time (an event's time, an
// inbox row's applied_at, a retention cutoff, a stage date, today's date in China) takes a Clock,
// so a test can set it. Elapsed-time measurement (latency histograms, gRPC deadlines, reconnect
// backoff) stays on the real clock: it measures the process, not the domain.
#ifndef CHAINHUB_COMMON_BASE_CLOCK_H_
#define CHAINHUB_COMMON_BASE_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace chainhub {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // The wall clock, shared by the whole process.
  static const Clock& Real();
};

// A clock that stands still until set or advanced (tests, replays). Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(absl::Time start = absl::UnixEpoch())
      : micros_(absl::ToUnixMicros(start)) {}
  absl::Time Now() const override { return absl::FromUnixMicros(micros_.load()); }
  void Set(absl::Time t) { micros_.store(absl::ToUnixMicros(t)); }
  void Advance(absl::Duration d) { micros_.fetch_add(absl::ToInt64Microseconds(d)); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_BASE_CLOCK_H_
