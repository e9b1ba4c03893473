// What a rule sees of an event (docs/notify.md, Rules on events): the CloudEvents envelope and
// the payload's fields, flattened into named attributes that a subscription's filter tests and a
// template prints. Pure: no store.
//
// Attributes: `type`, `source`, `subject`, `chain` (both "pv" and "chains/pv"), `id`; then every
// field of the payload by its proto name (nested messages as `investor.name`, repeated fields with
// one value each, enums both as "LIGHT_RED" and without their type's prefix as "RED", booleans as
// true/false, timestamps in RFC 3339). A payload field named like an envelope attribute is
// reachable as `data.<field>` (every payload field is, too).
#ifndef CHAINHUB_SERVICES_NOTIFY_EVENT_FACTS_H_
#define CHAINHUB_SERVICES_NOTIFY_EVENT_FACTS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/events/cloud_event.h"
#include "common/store/filter.h"

namespace chainhub::notify {

struct EventFacts {
  std::string type;
  std::string id;
  // The resource the event is about, and chains/{chain} when it belongs to one.
  std::string subject;
  std::string chain;
  absl::Time time = absl::InfinitePast();
  std::map<std::string, std::vector<std::string>, std::less<>> attributes;

  // The first value of an attribute; empty when it has none.
  std::string First(absl::string_view name) const;
  const std::vector<std::string>& All(absl::string_view name) const;
};

// The facts of `event`. An event whose payload does not decode is INVALID_ARGUMENT (the consumer
// skips it).
absl::StatusOr<EventFacts> FactsOf(const CloudEvent& event);

// Whether the facts satisfy a parsed filter (null: every event). `=` holds when any value of the
// attribute equals the operand; `!=` when none does; `:` when any value contains it; `<`, `<=`,
// `>`, `>=` compare as numbers when both sides are numbers, else as text (so dates compare).
bool MatchesFilter(const FilterNode* filter, const EventFacts& facts);

// The event types chainhub publishes (docs/events.md), each with its payload's full name.
const std::map<std::string, std::string, std::less<>>& PublishedEventTypes();

// The attribute names an event of `type` can carry (envelope and payload), for checking a
// filter's fields; empty for a type that is not published.
std::set<std::string, std::less<>> AttributeNamesOf(absl::string_view type);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_EVENT_FACTS_H_
