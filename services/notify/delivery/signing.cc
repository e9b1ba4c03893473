#include "services/notify/delivery/signing.h"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/digest.h"

namespace chainhub::notify {

namespace {

// Constant-time comparison of two signatures.
bool SameBytes(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::string UrlEncode(absl::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string MarkdownBody(const nlohmann::json& markdown) {
  return nlohmann::json{{"msgtype", "markdown"}, {"markdown", markdown}}.dump();
}

}  // namespace

std::string NewWebhookSecret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) abort();
  return absl::StrCat(kWebhookSecretPrefix,
                      absl::Base64Escape(absl::string_view(reinterpret_cast<char*>(bytes), 32)));
}

absl::StatusOr<std::string> WebhookKey(absl::string_view secret) {
  std::string key;
  if (!absl::ConsumePrefix(&secret, kWebhookSecretPrefix) || !absl::Base64Unescape(secret, &key) ||
      key.empty()) {
    return absl::InvalidArgumentError("secret: must be whsec_ followed by base64");
  }
  return key;
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string SecretFingerprint(absl::string_view secret) { return Sha256Hex(secret, 4); }

absl::StatusOr<std::string> WebhookSignature(const std::vector<std::string>& secrets,
                                             absl::string_view id, int64_t timestamp,
                                             absl::string_view body) {
  std::vector<std::string> signatures;
  for (const std::string& secret : secrets) {
    absl::StatusOr<std::string> key = WebhookKey(secret);
    if (!key.ok()) return key.status();
    signatures.push_back(absl::StrCat(
        "v1,", absl::Base64Escape(HmacSha256(*key, absl::StrCat(id, ".", timestamp, ".", body)))));
  }
  return absl::StrJoin(signatures, " ");
}

absl::Status VerifyWebhook(absl::string_view secret, absl::string_view id,
                           absl::string_view timestamp, absl::string_view signature_header,
                           absl::string_view body, absl::Time now, absl::Duration tolerance) {
  int64_t seconds = 0;
  if (!absl::SimpleAtoi(timestamp, &seconds)) {
    return absl::PermissionDeniedError("webhook-timestamp: is not a number");
  }
  if (absl::AbsDuration(now - absl::FromUnixSeconds(seconds)) > tolerance) {
    return absl::PermissionDeniedError("webhook-timestamp: is outside the tolerance");
  }
  absl::StatusOr<std::string> expected = WebhookSignature({std::string(secret)}, id, seconds, body);
  if (!expected.ok()) return expected.status();
  for (absl::string_view given : absl::StrSplit(signature_header, ' ', absl::SkipEmpty())) {
    if (SameBytes(given, *expected)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError("webhook-signature: no signature matches the secret");
}

std::string DingTalkSign(absl::string_view secret, int64_t timestamp_ms) {
  return UrlEncode(
      absl::Base64Escape(HmacSha256(secret, absl::StrCat(timestamp_ms, "\n", secret))));
}

std::string DingTalkSignedUrl(absl::string_view url, absl::string_view secret,
                              int64_t timestamp_ms) {
  return absl::StrCat(url, absl::StrContains(url, "?") ? "&" : "?", "timestamp=", timestamp_ms,
                      "&sign=", DingTalkSign(secret, timestamp_ms));
}

std::string DingTalkBody(absl::string_view title, absl::string_view markdown) {
  return MarkdownBody({{"title", title}, {"text", markdown}});
}

std::string WeComBody(absl::string_view title, absl::string_view markdown) {
  return MarkdownBody({{"content", absl::StrCat("**", title, "**\n", markdown)}});
}

std::string EncodeHeaderWord(absl::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return absl::StrCat("=?UTF-8?B?", absl::Base64Escape(text), "?=");
  }
  return std::string(text);
}

std::string MimeMessage(absl::string_view from, absl::string_view to, absl::string_view subject,
                        absl::string_view body, absl::string_view id, absl::Time date) {
  std::string encoded = absl::Base64Escape(body);
  std::string lines;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&lines, encoded.substr(i, 76), "\r\n");
  }
  return absl::StrCat(
      "From: ", from, "\r\nTo: ", to, "\r\nSubject: ", EncodeHeaderWord(subject),
      "\r\nDate: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", date, absl::UTCTimeZone()),
      "\r\nMessage-ID: <", id, "@chainhub.notify>\r\nMIME-Version: 1.0\r\n",
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n",
      lines);
}

}  // namespace chainhub::notify
