// The signatures and message shapes of each channel, pure: Standard Webhooks (webhook-id,
// webhook-timestamp, webhook-signature), the DingTalk robot's signed URL, the WeCom robot's
// markdown body, and the e-mail's MIME text.
#ifndef CHAINHUB_SERVICES_NOTIFY_DELIVERY_SIGNING_H_
#define CHAINHUB_SERVICES_NOTIFY_DELIVERY_SIGNING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace chainhub::notify {

inline constexpr absl::string_view kWebhookSecretPrefix = "whsec_";

// whsec_ + base64 of 32 random bytes.
std::string NewWebhookSecret();
// The HMAC key of a whsec_ secret (the base64-decoded part after the prefix); INVALID_ARGUMENT
// when it is not one.
absl::StatusOr<std::string> WebhookKey(absl::string_view secret);
// HMAC-SHA256(key, data).
std::string HmacSha256(absl::string_view key, absl::string_view data);
// The first 8 hex digits of SHA-256 of the secret.
std::string SecretFingerprint(absl::string_view secret);

// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" for each secret, space-separated (two during a
// rotation).
absl::StatusOr<std::string> WebhookSignature(const std::vector<std::string>& secrets,
                                             absl::string_view id, int64_t timestamp,
                                             absl::string_view body);
// OK when one signature of `signature_header` is `secret`'s and the timestamp is within
// `tolerance` of `now`; PERMISSION_DENIED saying which rule failed otherwise.
absl::Status VerifyWebhook(absl::string_view secret, absl::string_view id,
                           absl::string_view timestamp, absl::string_view signature_header,
                           absl::string_view body, absl::Time now,
                           absl::Duration tolerance = absl::Minutes(5));

// DingTalk: URL-encoded base64 HMAC-SHA256(key = secret, data = "<timestamp_ms>\n<secret>").
std::string DingTalkSign(absl::string_view secret, int64_t timestamp_ms);
// The robot URL with "&timestamp=…&sign=…" appended ("?" when it has no query yet).
std::string DingTalkSignedUrl(absl::string_view url, absl::string_view secret,
                              int64_t timestamp_ms);
// {"msgtype":"markdown","markdown":{"title":…,"text":…}}
std::string DingTalkBody(absl::string_view title, absl::string_view markdown);
// {"msgtype":"markdown","markdown":{"content":…}}
std::string WeComBody(absl::string_view title, absl::string_view markdown);

// RFC 2047: "=?UTF-8?B?<base64>?=" for text outside printable ASCII, the text itself otherwise.
std::string EncodeHeaderWord(absl::string_view text);
// A UTF-8 text/plain message (base64 body) with From, To, Subject, Date and
// Message-ID <id@chainhub.notify>.
std::string MimeMessage(absl::string_view from, absl::string_view to, absl::string_view subject,
                        absl::string_view body, absl::string_view id, absl::Time date);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_DELIVERY_SIGNING_H_
