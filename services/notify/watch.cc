#include "services/notify/watch.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "services/notify/recipients.h"

namespace chainhub::notify {

std::vector<std::string> InboxWatch::RecipientList() const {
  if (every_recipient) return {};
  std::vector<std::string> out(recipients.begin(), recipients.end());
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<InboxWatch> CheckWatchRequest(const v1::WatchInboxRequest& req,
                                             const Principal& principal) {
  std::vector<FieldViolation> v;
  if (req.cursor() < 0) {
    v.push_back({"cursor", "must be 0 (from now on) or the cursor of a message received earlier"});
  }
  const int seconds = req.heartbeat_seconds();
  if (seconds != 0 && (seconds < kMinHeartbeatSeconds || seconds > kMaxHeartbeatSeconds)) {
    v.push_back(
        {"heartbeat_seconds",
         absl::StrCat("must be between ", kMinHeartbeatSeconds, " and ", kMaxHeartbeatSeconds,
                      " (0: the default, ", kDefaultHeartbeatSeconds, ")")});
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  InboxWatch watch;
  watch.cursor = req.cursor();
  watch.heartbeat = absl::Seconds(seconds == 0 ? kDefaultHeartbeatSeconds : seconds);
  watch.every_recipient = principal.IsAdmin();
  if (!watch.every_recipient) {
    for (std::string& r : RecipientsActedFor(principal)) watch.recipients.insert(std::move(r));
  }
  return watch;
}

v1::WatchInboxResponse Heartbeat(int64_t cursor) {
  v1::WatchInboxResponse resp;
  resp.set_cursor(cursor);
  return resp;
}

v1::WatchInboxResponse DeliveryMessage(const v1::Delivery& delivery) {
  v1::WatchInboxResponse resp;
  *resp.mutable_delivery() = delivery;
  resp.set_cursor(delivery.cursor());
  return resp;
}

}  // namespace chainhub::notify
