#include "services/notify/delivery/endpoint_rules.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/fields.h"
#include "services/notify/delivery/signing.h"

namespace chainhub::notify {

namespace {

bool IsIdChar(char c) { return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'; }

absl::StatusOr<std::string> IdOf(absl::string_view field, absl::string_view name,
                                 absl::string_view collection) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || !absl::ConsumePrefix(&id, "/")) {
    return InvalidField(field, absl::StrCat("must be ", collection, "/{id}"));
  }
  return std::string(id);
}

// A recipient is segments of [A-Za-z0-9._-] joined by "/", starting with a collection:
// "departments/fgw", "chains/pv/office", "users/u1".
bool IsRecipient(absl::string_view recipient) {
  if (recipient.empty() || recipient.size() > 200) return false;
  std::vector<absl::string_view> parts = absl::StrSplit(recipient, '/');
  if (parts.size() < 2) return false;
  for (absl::string_view part : parts) {
    if (part.empty()) return false;
    for (char c : part) {
      if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') return false;
    }
  }
  return true;
}

bool IsMailbox(absl::string_view address) {
  size_t at = address.find('@');
  if (at == 0 || at == absl::string_view::npos || at + 1 >= address.size()) return false;
  for (char c : address) {
    if (c <= ' ' || c > '~' || c == '<' || c == '>' || c == ',') return false;
  }
  return address.size() <= 254;
}

void CheckUrl(std::vector<FieldViolation>* v, const v1::Endpoint& e,
              const std::vector<std::string>& allow) {
  const std::string& url = e.url();
  for (char c : url) {
    if (c <= ' ' || c > '~') {
      v->push_back({"endpoint.url", "must be a URL without spaces or control characters"});
      return;
    }
  }
  if (e.channel() == v1::EMAIL) {
    if (!absl::StartsWith(url, "smtp://") && !absl::StartsWith(url, "smtps://")) {
      v->push_back({"endpoint.url", "must be an smtp:// or smtps:// server URL"});
    }
    return;
  }
  if (!absl::StartsWith(url, "https://") && !absl::StartsWith(url, "http://")) {
    v->push_back({"endpoint.url", "must be an https:// URL"});
    return;
  }
  if (!UrlAllowed(url, allow)) {
    v->push_back({"endpoint.url", "is not on the operator's allow-list (--endpoint_allow)"});
  }
}

}  // namespace

absl::StatusOr<std::string> EndpointId(absl::string_view field, absl::string_view name) {
  absl::StatusOr<std::string> id = IdOf(field, name, "endpoints");
  if (!id.ok()) return id;
  bool ok = id->size() >= 2 && id->size() <= 40;
  for (char c : *id) ok = ok && IsIdChar(c);
  if (!ok) return InvalidField(field, "endpoints/{id}: {id} must be 2-40 of [a-z0-9-]");
  return id;
}

absl::StatusOr<std::string> DispatchId(absl::string_view field, absl::string_view name) {
  absl::StatusOr<std::string> id = IdOf(field, name, "dispatches");
  if (!id.ok()) return id;
  bool ok = !id->empty() && id->size() <= 64;
  for (char c : *id) ok = ok && (IsIdChar(c) || absl::ascii_isxdigit(c));
  if (!ok) return InvalidField(field, "dispatches/{id}: {id} is not a dispatch id");
  return id;
}

bool UrlAllowed(absl::string_view url, const std::vector<std::string>& allow) {
  for (const std::string& prefix : allow) {
    if (!prefix.empty() && absl::StartsWith(url, prefix)) return true;
  }
  return false;
}

bool PlainSmtpAllowed(absl::string_view url, const std::vector<std::string>& allow) {
  return absl::StartsWith(url, "smtp://") && UrlAllowed(url, allow);
}

void ApplyEndpointDefaults(v1::Endpoint* endpoint) {
  if (endpoint->rate_per_minute() == 0) {
    const bool robot = endpoint->channel() == v1::DINGTALK || endpoint->channel() == v1::WECOM;
    endpoint->set_rate_per_minute(robot ? 20 : 600);
  }
  if (endpoint->pause_after_failures() == 0) endpoint->set_pause_after_failures(10);
  if (endpoint->state() == v1::ENDPOINT_STATE_UNSPECIFIED) endpoint->set_state(v1::ACTIVE);
}

void CheckSecret(std::vector<FieldViolation>* v, absl::string_view field, v1::Channel channel,
                 absl::string_view secret) {
  const std::string f(field);
  switch (channel) {
    case v1::WEBHOOK: {
      absl::StatusOr<std::string> key = WebhookKey(secret);
      if (!key.ok() || key->size() < 24 || key->size() > 64) {
        v->push_back({f, "must be whsec_ followed by the base64 of 24-64 bytes"});
      }
      return;
    }
    case v1::DINGTALK: {
      bool ok = absl::StartsWith(secret, "SEC") && secret.size() >= 16 && secret.size() <= 128;
      for (char c : secret) ok = ok && absl::ascii_isalnum(c);
      if (!ok) v->push_back({f, "must be the robot's SEC… secret (letters and digits)"});
      return;
    }
    case v1::WECOM:
      if (!secret.empty()) v->push_back({f, "must be empty: the WeCom key is in the URL"});
      return;
    case v1::EMAIL:
      for (char c : secret) {
        if (static_cast<unsigned char>(c) < ' ' || c == 0x7f) {
          v->push_back({f, "must not contain control characters"});
          return;
        }
      }
      if (secret.size() > 256) v->push_back({f, "must be at most 256 bytes"});
      return;
    default:
      return;
  }
}

std::vector<FieldViolation> EndpointViolations(const v1::Endpoint& e,
                                               const std::vector<std::string>& allow) {
  std::vector<FieldViolation> v;
  CheckOneLineText(&v, "endpoint.display_name", e.display_name(), false, 200);
  if (!IsRecipient(e.recipient())) {
    v.push_back({"endpoint.recipient",
                 "must be a recipient such as departments/{id} or chains/{chain}/office"});
  }
  if (!v1::Channel_IsValid(e.channel()) || e.channel() == v1::CHANNEL_UNSPECIFIED) {
    v.push_back({"endpoint.channel", "must be WEBHOOK, DINGTALK, WECOM or EMAIL"});
  } else {
    CheckUrl(&v, e, allow);
    if (e.channel() == v1::WECOM && !absl::StrContains(e.url(), "key=")) {
      v.push_back({"endpoint.url", "must carry the robot's key= parameter"});
    }
  }
  if (e.channel() == v1::EMAIL) {
    if (!IsMailbox(e.email_to())) v.push_back({"endpoint.email_to", "must be a mailbox a@b"});
    if (!IsMailbox(e.email_from())) v.push_back({"endpoint.email_from", "must be a mailbox a@b"});
  } else {
    if (!e.email_to().empty()) v.push_back({"endpoint.email_to", "must be empty unless EMAIL"});
    if (!e.email_from().empty()) {
      v.push_back({"endpoint.email_from", "must be empty unless EMAIL"});
    }
  }
  if (e.rate_per_minute() < 1 || e.rate_per_minute() > kMaxRatePerMinute) {
    v.push_back({"endpoint.rate_per_minute", absl::StrCat("must be 1-", kMaxRatePerMinute)});
  }
  if (e.pause_after_failures() < 1 || e.pause_after_failures() > kMaxPauseAfterFailures) {
    v.push_back(
        {"endpoint.pause_after_failures", absl::StrCat("must be 1-", kMaxPauseAfterFailures)});
  }
  for (int kind : e.kinds()) {
    if (!v1::NoticeKind_IsValid(kind) || kind == v1::NOTICE_KIND_UNSPECIFIED) {
      v.push_back({"endpoint.kinds", "must name notice kinds"});
      break;
    }
  }
  if (e.state() != v1::ACTIVE && e.state() != v1::DISABLED && e.state() != v1::PAUSED) {
    v.push_back({"endpoint.state", "must be ACTIVE or DISABLED"});
  }
  return v;
}

std::string MaskedUrl(v1::Channel channel, absl::string_view url) {
  if (channel != v1::WECOM) return std::string(url);
  size_t at = url.find("key=");
  if (at == absl::string_view::npos) return std::string(url);
  size_t end = url.find('&', at);
  return absl::StrCat(url.substr(0, at + 4), "****",
                      end == absl::string_view::npos ? "" : url.substr(end));
}

}  // namespace chainhub::notify
