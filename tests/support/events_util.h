// Small helpers for tests of the event path (outbox, consumers): a numbered sample event and a
// bounded wait for a condition that another thread makes true.
#ifndef CHAINHUB_TESTS_SUPPORT_EVENTS_UTIL_H_
#define CHAINHUB_TESTS_SUPPORT_EVENTS_UTIL_H_

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "chainhub/events/v1/events.pb.h"

namespace chainhub::testing {

// A chain.updated event about chains/c<n> (id and time are filled by AppendEvent).
inline events::v1::Event MakeEvent(int n) {
  events::v1::Event event;
  event.set_type("chain.updated");
  event.set_source("registry");
  event.set_subject(absl::StrCat("chains/c", n));
  event.set_chain(absl::StrCat("chains/c", n));
  return event;
}

// Polls `done` until it holds; false after `timeout`.
template <typename F>
bool Eventually(F done, absl::Duration timeout = absl::Seconds(10)) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return true;
}

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_EVENTS_UTIL_H_
