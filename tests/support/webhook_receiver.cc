#include "tests/support/webhook_receiver.h"

#include <httplib.h>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/notify/delivery/signing.h"

namespace chainhub::testing {

WebhookReceiver::WebhookReceiver() { Listen(0); }

void WebhookReceiver::Listen(int port) {
  server_ = std::make_unique<httplib::Server>();
  server_->Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
    Request r;
    r.path = req.path;
    r.body = req.body;
    r.webhook_id = req.get_header_value("webhook-id");
    r.webhook_timestamp = req.get_header_value("webhook-timestamp");
    r.webhook_signature = req.get_header_value("webhook-signature");
    r.timestamp_param = req.get_param_value("timestamp");
    r.sign_param = req.get_param_value("sign");
    absl::Duration hang;
    std::string redirect;
    int status = 200;
    int retry_after = -1;
    std::string answer = "ok";
    {
      absl::MutexLock lock(&mu_);
      hang = hang_;
      redirect = redirect_;
      if (mode_ == Mode::kWebhook) {
        absl::Status verified =
            secret_.empty() ? absl::FailedPreconditionError("no secret to verify with")
                            : notify::VerifyWebhook(secret_, r.webhook_id, r.webhook_timestamp,
                                                    r.webhook_signature, r.body, absl::Now());
        r.verified = verified.ok();
        r.verify_error = std::string(verified.message());
      } else if (mode_ == Mode::kDingTalk) {
        int64_t ms = 0;
        // httplib hands over the parameter URL-decoded: the bare base64 signature.
        r.verified = absl::SimpleAtoi(r.timestamp_param, &ms) &&
                     r.sign_param == absl::Base64Escape(notify::HmacSha256(
                                         secret_, absl::StrCat(ms, "\n", secret_)));
        if (!r.verified) r.verify_error = "sign does not match";
        answer = absl::StrCat("{\"errcode\":", errcode_, ",\"errmsg\":\"",
                              errcode_ == 0 ? "ok" : "sign not match", "\"}");
      } else {
        answer = "{\"errcode\":0,\"errmsg\":\"ok\"}";
        r.verified = true;
      }
      if (fail_times_ != 0) {
        status = fail_status_;
        retry_after = retry_after_;
        if (fail_times_ > 0) --fail_times_;
      }
      received_.push_back(r);
    }
    if (hang > absl::ZeroDuration()) absl::SleepFor(hang);
    if (!redirect.empty()) {
      res.set_redirect(redirect);
      return;
    }
    res.status = status;
    if (retry_after >= 0) res.set_header("Retry-After", std::to_string(retry_after));
    res.set_content(status == 200 ? answer : "failing as told", "application/json");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else {
    // The port was ours a moment ago; a connection it still holds may keep it briefly.
    for (int i = 0; i < 500 && !server_->bind_to_port("127.0.0.1", port); ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
}

WebhookReceiver::~WebhookReceiver() { Down(); }

void WebhookReceiver::Down() {
  if (server_ == nullptr) return;
  server_->stop();
  thread_.join();
  server_.reset();
}

void WebhookReceiver::Up() {
  if (server_ == nullptr) Listen(port_);
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return absl::StrCat("http://127.0.0.1:", port_, path);
}

void WebhookReceiver::VerifyWebhooks(const std::string& secret) {
  absl::MutexLock lock(&mu_);
  mode_ = Mode::kWebhook;
  secret_ = secret;
}

void WebhookReceiver::ActAsDingTalk(const std::string& secret, int errcode) {
  absl::MutexLock lock(&mu_);
  mode_ = Mode::kDingTalk;
  secret_ = secret;
  errcode_ = errcode;
}

void WebhookReceiver::ActAsWeCom() {
  absl::MutexLock lock(&mu_);
  mode_ = Mode::kWeCom;
}

void WebhookReceiver::FailWith(int status, int times, int retry_after_seconds) {
  absl::MutexLock lock(&mu_);
  fail_status_ = status;
  fail_times_ = times;
  retry_after_ = retry_after_seconds;
}

void WebhookReceiver::Hang(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  hang_ = delay;
}

void WebhookReceiver::Redirect(const std::string& location) {
  absl::MutexLock lock(&mu_);
  redirect_ = location;
}

void WebhookReceiver::Succeed() {
  absl::MutexLock lock(&mu_);
  fail_times_ = 0;
  hang_ = absl::ZeroDuration();
  redirect_.clear();
}

std::vector<WebhookReceiver::Request> WebhookReceiver::received() const {
  absl::MutexLock lock(&mu_);
  return received_;
}

bool WebhookReceiver::WaitForCount(size_t n, absl::Duration timeout) const {
  absl::MutexLock lock(&mu_);
  auto enough = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return received_.size() >= n; };
  return mu_.AwaitWithTimeout(absl::Condition(&enough), timeout);
}

}  // namespace chainhub::testing
