// A delivery in the forms its endpoints take (docs/notify.md, Channels and delivery): a title, a
// Markdown text for DingTalk, WeCom and e-mail, and the JSON body of a Standard Webhooks POST.
// Pure: the time is given.
#ifndef CHAINHUB_SERVICES_NOTIFY_OUTGOING_H_
#define CHAINHUB_SERVICES_NOTIFY_OUTGOING_H_

#include <string>

#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "services/notify/delivery/dispatcher.h"

namespace chainhub::notify {

// 通知, 提醒, 预警, 督办.
std::string KindLabel(v1::NoticeKind kind);

// "2026-12-05 18:00" in Beijing time (UTC+8, no daylight saving).
std::string BeijingTime(absl::Time t);

// The Markdown a robot or a mailbox receives: the kind and title as a heading, the body, then the
// receipt deadline, what it is about and who sent it.
std::string RenderMarkdown(const v1::Delivery& delivery);

// {"type": "notify.delivery", "timestamp": RFC 3339, "data": the Delivery as proto JSON}.
std::string WebhookJson(const v1::Delivery& delivery, absl::Time now);

// One delivery as a message for the dispatcher.
OutgoingMessage MessageFor(const v1::Delivery& delivery, absl::Time now);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_OUTGOING_H_
