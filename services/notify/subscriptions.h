// The rules of a subscription (docs/notify.md, Rules on events): what CreateSubscription and
// UpdateSubscription accept, who a rule notifies for an event, and quiet hours. Pure.
#ifndef CHAINHUB_SERVICES_NOTIFY_SUBSCRIPTIONS_H_
#define CHAINHUB_SERVICES_NOTIFY_SUBSCRIPTIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "services/notify/event_facts.h"
#include "services/notify/recipients.h"

namespace chainhub::notify {

inline constexpr int kMaxEventTypes = 20;
inline constexpr int kMaxSubscriptionRecipients = 50;
inline constexpr int kMaxReceiptHours = 30 * 24;

// The fields UpdateSubscription may change.
const std::vector<std::string>& SubscriptionWritableFields();

// Fills what an unset field means: kind NOTICE, digest DIGEST_NONE.
void ApplySubscriptionDefaults(v1::Subscription* subscription);

// Every rule `subscription` (after defaults) breaks, fields named "subscription.…", as one
// INVALID_ARGUMENT: a subscriptions/{id} name; a one-line display name; 1-20 event types that
// chainhub publishes (docs/events.md), none repeated and not notify.notice_sent (a rule on its own
// notices would never end); a filter that parses and names only attributes every listed type
// carries; at least one recipient source, with `recipients` (valid, at most 50) exactly when FIXED
// is one; a shipped template or none; receipt_hours 1-720 exactly when a receipt is required
// (always for SUPERVISION); quiet hours both HH:MM and different, or neither; digest_time HH:MM
// exactly when the digest is DIGEST_DAILY.
absl::Status CheckSubscription(const v1::Subscription& subscription);

// Who a rule notifies for an event: the union of its recipient sources, in source order, without
// repeats. A source the event does not give (no responsible department on it) adds nobody.
std::vector<Recipient> RecipientsFor(const v1::Subscription& subscription, const EventFacts& facts);

// When `now` falls in the quiet hours (Beijing time), their end; otherwise nullopt.
std::optional<absl::Time> QuietUntil(const v1::QuietHours& quiet, absl::Time now);

// The end of the digest window an event matched at `now` falls in (Beijing time): the next full
// hour for DIGEST_HOURLY; the next digest_time for DIGEST_DAILY (tomorrow's when today's has come).
absl::Time DigestWindowEnd(const v1::Subscription& subscription, absl::Time now);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_SUBSCRIPTIONS_H_
