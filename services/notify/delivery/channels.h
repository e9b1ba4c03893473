// One attempt to send a message through its channel, over libcurl (one HTTP and SMTP stack): no
// redirects followed, connect and total timeouts, the first 200 characters of the answer kept.
#ifndef CHAINHUB_SERVICES_NOTIFY_DELIVERY_CHANNELS_H_
#define CHAINHUB_SERVICES_NOTIFY_DELIVERY_CHANNELS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"

namespace chainhub::notify {

// Where to send, with the secrets the channel signs with.
struct ChannelTarget {
  v1::Channel channel = v1::CHANNEL_UNSPECIFIED;
  std::string url;
  std::string secret;
  // WEBHOOK during a rotation: the previous secret, also signed with (empty when none).
  std::string previous_secret;
  std::string email_to;
  std::string email_from;
  // EMAIL over smtp://: send in plain text when the server offers no STARTTLS (allow-listed).
  bool plain_smtp_allowed = false;
};

// What to send: the dispatch id (webhook-id, Message-ID) and the message's forms.
struct ChannelMessage {
  std::string id;
  std::string title;
  std::string markdown;
  std::string webhook_json;
};

struct ChannelResult {
  // The receiver took it (2xx, and errcode 0 for the robots; SMTP 250).
  bool ok = false;
  // No retry can change the answer (4xx other than 408 and 429).
  bool permanent = false;
  // HTTP status or SMTP reply code; 0 when there was no answer.
  int status = 0;
  int latency_ms = 0;
  // The first 200 characters of the answer or the error.
  std::string response;
  // From a 429's Retry-After.
  std::optional<absl::Duration> retry_after;
};

// One attempt, bounded by `timeout` (connect and total). `now` stamps the signatures.
ChannelResult SendOnce(const ChannelTarget& target, const ChannelMessage& message,
                       absl::Duration timeout, absl::Time now);

// The first 200 characters (code points) of `text`.
std::string Excerpt(const std::string& text);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_DELIVERY_CHANNELS_H_
