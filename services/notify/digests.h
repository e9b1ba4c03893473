// Digests (docs/notify.md, Digests): a subscription with digest DIGEST_HOURLY or DIGEST_DAILY
// collects what its matching events would have said, per recipient, until its window ends; then
// one notice per recipient carries them all, in the order they happened.
//
// The consumer stores each matching event's rendered text as a `digest_items` row, keyed by
// (subscription, recipient, event), in the event's own transaction, so an event is collected once
// whatever crashes when. NotifyService::FlushDigests (run by the sweeper) turns every window that
// has ended into its notices and deletes the rows in the same transaction; a replica that finds
// the rows already gone makes nothing, so windows flush once however many sweepers run.
#ifndef CHAINHUB_SERVICES_NOTIFY_DIGESTS_H_
#define CHAINHUB_SERVICES_NOTIFY_DIGESTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "common/store/store.h"
#include "services/notify/recipients.h"
#include "services/notify/templates.h"

namespace chainhub::notify {

// One event's part of a digest.
struct DigestItem {
  std::string chain;  // chains/{chain}, or empty
  std::string title;
  std::string body;
  absl::Time time;
};

// The notices carrying `items` for one window of the subscription named `display_name`: title
// 【每日汇总】 or 【每小时汇总】 with the count, a heading with the window, then each item as a
// numbered section. As few notices as fit the body limit, the items in order; each set only
// title, body and chain (the items' chain when they share one). Pure.
std::vector<v1::Notice> DigestNotices(const std::string& display_name, v1::DigestMode mode,
                                      absl::Time window_end, const std::vector<DigestItem>& items);

// Inside the consumer's transaction: collects `text`, what event `event_id` (of chain `chain`)
// says, for each of `recipients` in the window of `subscription` that `now` falls in. An event
// already collected for a recipient is left as it is.
absl::Status CollectForDigest(SqlTx& tx, const v1::Subscription& subscription,
                              const std::string& event_id, const std::string& chain,
                              const RenderedText& text, const std::vector<Recipient>& recipients,
                              absl::Time now);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_DIGESTS_H_
