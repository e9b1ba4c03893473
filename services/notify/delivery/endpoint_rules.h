// What makes an endpoint valid, pure: its name, recipient, URL against the operator's allow-list,
// secret per channel, rate and pause bounds; and how its write-only parts are shown.
#ifndef CHAINHUB_SERVICES_NOTIFY_DELIVERY_ENDPOINT_RULES_H_
#define CHAINHUB_SERVICES_NOTIFY_DELIVERY_ENDPOINT_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "common/base/status_util.h"

namespace chainhub::notify {

inline constexpr int kMaxRatePerMinute = 6000;
inline constexpr int kMaxPauseAfterFailures = 1000;

// "endpoints/{id}" → id (2-40 of [a-z0-9-]); INVALID_ARGUMENT naming `field`.
absl::StatusOr<std::string> EndpointId(absl::string_view field, absl::string_view name);
// "dispatches/{id}" → id.
absl::StatusOr<std::string> DispatchId(absl::string_view field, absl::string_view name);

// Whether `url` starts with one of the allow-list's prefixes.
bool UrlAllowed(absl::string_view url, const std::vector<std::string>& allow);
// Plain SMTP (no STARTTLS) is allowed only to a server the allow-list names with an smtp://
// prefix (e.g. "smtp://127.0.0.1:" for tests); every other smtp:// server must offer STARTTLS.
bool PlainSmtpAllowed(absl::string_view url, const std::vector<std::string>& allow);

// Defaults for unset fields: rate (20 for DINGTALK and WECOM, else 600), pause after 10.
void ApplyEndpointDefaults(v1::Endpoint* endpoint);
// Every rule an endpoint (after defaults) breaks.
std::vector<FieldViolation> EndpointViolations(const v1::Endpoint& endpoint,
                                               const std::vector<std::string>& allow);
// Every rule a channel's secret breaks (field "endpoint.secret" or `field`).
void CheckSecret(std::vector<FieldViolation>* violations, absl::string_view field,
                 v1::Channel channel, absl::string_view secret);
// A WeCom robot URL with its key= value masked ("key=****"); other URLs as they are.
std::string MaskedUrl(v1::Channel channel, absl::string_view url);

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_DELIVERY_ENDPOINT_RULES_H_
