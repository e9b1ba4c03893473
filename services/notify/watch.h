// The rules of an inbox watch (WatchInbox, docs/notify.md): what a request may ask for, and whose
// deliveries the watch shows. Pure: no store, no clock.
#ifndef CHAINHUB_SERVICES_NOTIFY_WATCH_H_
#define CHAINHUB_SERVICES_NOTIFY_WATCH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "common/rpc/auth.h"

namespace chainhub::notify {

inline constexpr int kDefaultHeartbeatSeconds = 15;
inline constexpr int kMinHeartbeatSeconds = 1;
inline constexpr int kMaxHeartbeatSeconds = 300;

// One caller's watch of its inbox.
struct InboxWatch {
  // Resume after this cursor; 0: from the moment the call is served.
  int64_t cursor = 0;
  // A heartbeat goes out after this long without a message.
  absl::Duration heartbeat = absl::Seconds(kDefaultHeartbeatSeconds);
  // Admin acts for every recipient; anyone else for `recipients` (RecipientsActedFor).
  bool every_recipient = false;
  absl::flat_hash_set<std::string> recipients;

  // Whether a delivery to `recipient` belongs in this inbox.
  bool Shows(absl::string_view recipient) const {
    return every_recipient || recipients.contains(recipient);
  }
  // `recipients` in a stable order, for a store query (empty: every recipient).
  std::vector<std::string> RecipientList() const;
};

// The watch `principal` asked for: every broken rule at once as INVALID_ARGUMENT (cursor not
// negative; heartbeat_seconds 0 for the default or 1-300).
absl::StatusOr<InboxWatch> CheckWatchRequest(const v1::WatchInboxRequest& req,
                                             const Principal& principal);

// A heartbeat: no delivery, the cursor the stream has passed.
v1::WatchInboxResponse Heartbeat(int64_t cursor);
// A delivery and its cursor.
v1::WatchInboxResponse DeliveryMessage(const v1::Delivery& delivery);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_WATCH_H_
