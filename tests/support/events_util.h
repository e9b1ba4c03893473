// Small helpers for tests of the event path (outbox, consumers): a numbered sample event, a
// handler table for it, and a bounded wait for a condition that another thread makes true.
#ifndef CHAINHUB_TESTS_SUPPORT_EVENTS_UTIL_H_
#define CHAINHUB_TESTS_SUPPORT_EVENTS_UTIL_H_

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/events/cloud_event.h"
#include "common/cache/redis_client.h"
#include "common/events/event_consumer.h"

namespace chainhub::testing {

// Whether any string in a Redis reply (an XRANGE of the stream) holds `text`.
inline bool Mentions(const RedisReply& reply, const std::string& text) {
  if (reply.str.find(text) != std::string::npos) return true;
  for (const auto& e : reply.elements) {
    if (Mentions(e, text)) return true;
  }
  return false;
}

// A chain.updated event about chains/c<n>, its payload the chain (id is filled by AppendEvent).
inline CloudEvent MakeEvent(int n) {
  registry::v1::Chain chain;
  chain.set_name(absl::StrCat("chains/c", n));
  return MakeCloudEvent("registry", EventKindDescriptor(registry::v1::REGISTRY_EVENT_CHAIN_UPDATED),
                        chain.name(), chain.name(), absl::Now(), chain);
}

// The type of MakeEvent's events.
inline const std::string& SampleEventType() {
  return EventType(registry::v1::REGISTRY_EVENT_CHAIN_UPDATED);
}

// A consumer's handler table with `handler` for MakeEvent's type only.
inline EventHandlers HandleSampleEvents(EventHandler handler) {
  return {{SampleEventType(), std::move(handler)}};
}

inline std::string SubjectOf(const CloudEvent& event) {
  return StringAttribute(event, kSubjectAttribute);
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
