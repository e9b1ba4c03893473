#include "services/notify/delivery/channels.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/notify/delivery/retry.h"
#include "services/notify/delivery/signing.h"

namespace chainhub::notify {

namespace {

constexpr size_t kExcerptChars = 200;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, ListDeleter>;

struct Received {
  std::string body;
  std::string retry_after;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* r = static_cast<Received*>(user);
  // Keep a bounded prefix: enough for an excerpt and a robot's errcode.
  if (r->body.size() < 64 * 1024) r->body.append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  absl::string_view line(data, size * n);
  if (absl::StartsWithIgnoreCase(line, "retry-after:")) {
    line.remove_prefix(12);
    static_cast<Received*>(user)->retry_after = std::string(absl::StripAsciiWhitespace(line));
  }
  return size * n;
}

struct UploadSource {
  std::string text;
  size_t offset = 0;
};

size_t OnUpload(char* buffer, size_t size, size_t n, void* user) {
  auto* s = static_cast<UploadSource*>(user);
  size_t count = std::min(size * n, s->text.size() - s->offset);
  std::copy_n(s->text.data() + s->offset, count, buffer);
  s->offset += count;
  return count;
}

CurlHandle NewHandle(const std::string& url, absl::Duration timeout, Received* received) {
  InitCurlOnce();
  CurlHandle curl(curl_easy_init());
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, received);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, received);
  return curl;
}

int LatencyMs(CURL* curl) {
  curl_off_t micros = 0;
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &micros);
  return static_cast<int>(micros / 1000);
}

// A robot answers 200 with {"errcode":0,…} on success; errcode ≠ 0 is a failure.
void CheckRobotAnswer(const std::string& body, ChannelResult* result) {
  nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
  if (answer.is_discarded() || !answer.is_object() || !answer.contains("errcode")) {
    result->ok = false;
    result->response = Excerpt(absl::StrCat("answer without errcode: ", body));
    return;
  }
  if (answer["errcode"] != 0) {
    result->ok = false;
    result->response = Excerpt(absl::StrCat("errcode ", answer["errcode"].dump(), ": ",
                                            answer.value("errmsg", std::string())));
  }
}

ChannelResult PostJson(const ChannelTarget& target, const std::string& url,
                       const std::vector<std::string>& headers, const std::string& body,
                       absl::Duration timeout) {
  Received received;
  CurlHandle curl = NewHandle(url, timeout, &received);
  curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  CurlList owned(list);
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  CURLcode code = curl_easy_perform(curl.get());
  ChannelResult result;
  result.latency_ms = LatencyMs(curl.get());
  if (code != CURLE_OK) {
    result.response = Excerpt(curl_easy_strerror(code));
    return result;
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  result.status = static_cast<int>(status);
  result.response = Excerpt(received.body);
  result.ok = status >= 200 && status < 300;
  result.permanent = IsPermanentHttpFailure(result.status);
  if (status == 429) result.retry_after = ParseRetryAfter(received.retry_after);
  if (result.ok && (target.channel == v1::DINGTALK || target.channel == v1::WECOM)) {
    CheckRobotAnswer(received.body, &result);
  }
  return result;
}

ChannelResult SendEmail(const ChannelTarget& target, const ChannelMessage& message,
                        absl::Duration timeout, absl::Time now) {
  Received received;
  CurlHandle curl = NewHandle(target.url, timeout, &received);
  UploadSource source{MimeMessage(target.email_from, target.email_to, message.title,
                                  message.markdown, message.id, now)};
  CurlList recipients(curl_slist_append(nullptr, absl::StrCat("<", target.email_to, ">").c_str()));
  const std::string from = absl::StrCat("<", target.email_from, ">");
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, OnUpload);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &source);
  curl_easy_setopt(curl.get(), CURLOPT_INFILESIZE, static_cast<long>(source.text.size()));
  if (absl::StartsWith(target.url, "smtp://")) {
    curl_easy_setopt(curl.get(), CURLOPT_USE_SSL,
                     target.plain_smtp_allowed ? CURLUSESSL_TRY : CURLUSESSL_ALL);
  }
  if (!target.secret.empty()) {
    const std::string user = target.email_from;
    curl_easy_setopt(curl.get(), CURLOPT_USERNAME, user.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, target.secret.c_str());
  }
  CURLcode code = curl_easy_perform(curl.get());
  ChannelResult result;
  result.latency_ms = LatencyMs(curl.get());
  long reply = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
  result.status = static_cast<int>(reply);
  result.ok = code == CURLE_OK;
  result.response =
      Excerpt(code == CURLE_OK ? std::string("accepted") : std::string(curl_easy_strerror(code)));
  // A 5xx reply to the envelope (bad mailbox) cannot succeed later.
  result.permanent = code == CURLE_LOGIN_DENIED || (reply >= 500 && reply < 600);
  return result;
}

}  // namespace

std::string Excerpt(const std::string& text) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Count code points: a byte that does not continue one starts the next.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars > kExcerptChars) {
      return text.substr(0, i);
    }
  }
  return text;
}

ChannelResult SendOnce(const ChannelTarget& target, const ChannelMessage& message,
                       absl::Duration timeout, absl::Time now) {
  switch (target.channel) {
    case v1::WEBHOOK: {
      const int64_t seconds = absl::ToUnixSeconds(now);
      std::vector<std::string> secrets = {target.secret};
      if (!target.previous_secret.empty()) secrets.push_back(target.previous_secret);
      absl::StatusOr<std::string> signature =
          WebhookSignature(secrets, message.id, seconds, message.webhook_json);
      if (!signature.ok()) {
        ChannelResult refused;
        refused.response = Excerpt(std::string(signature.status().message()));
        refused.permanent = true;
        return refused;
      }
      return PostJson(
          target, target.url,
          {absl::StrCat("webhook-id: ", message.id), absl::StrCat("webhook-timestamp: ", seconds),
           absl::StrCat("webhook-signature: ", *signature)},
          message.webhook_json, timeout);
    }
    case v1::DINGTALK:
      return PostJson(target, DingTalkSignedUrl(target.url, target.secret, absl::ToUnixMillis(now)),
                      {}, DingTalkBody(message.title, message.markdown), timeout);
    case v1::WECOM:
      return PostJson(target, target.url, {}, WeComBody(message.title, message.markdown), timeout);
    case v1::EMAIL:
      return SendEmail(target, message, timeout, now);
    default: {
      ChannelResult refused;
      refused.permanent = true;
      refused.response = "no channel";
      return refused;
    }
  }
}

}  // namespace chainhub::notify
