// A real HTTP receiver for the delivery tests, on 127.0.0.1 and a free port (cpp-httplib): it
// records every request, verifies Standard Webhooks signatures with the test's secret (or a
// DingTalk robot's `sign`), and answers as told: 2xx, a failing status, a redirect, or not at all
// for a while (a hang past the sender's timeout).
#ifndef CHAINHUB_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
#define CHAINHUB_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace chainhub::testing {

class WebhookReceiver {
 public:
  struct Request {
    std::string path;
    std::string body;
    std::string webhook_id;
    std::string webhook_timestamp;
    std::string webhook_signature;
    std::string timestamp_param;  // DingTalk ?timestamp=
    std::string sign_param;       // DingTalk &sign= (decoded)
    // The signature checked against the secret (webhooks) or the robot's sign (DingTalk).
    bool verified = false;
    std::string verify_error;
  };

  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  // http://127.0.0.1:<port><path>
  std::string Url(const std::string& path = "/hook") const;

  // Standard Webhooks: verify each request with this whsec_ secret.
  void VerifyWebhooks(const std::string& secret);
  // DingTalk: check `sign` with this SEC… secret and answer {"errcode":0} (or `errcode`).
  void ActAsDingTalk(const std::string& secret, int errcode = 0);
  // WeCom: answer {"errcode":0,"errmsg":"ok"}.
  void ActAsWeCom();
  // The next `times` requests (every one when negative) answer `status`, with Retry-After
  // `retry_after_seconds` when set; then 200.
  void FailWith(int status, int times = -1, int retry_after_seconds = -1);
  // Every request waits `delay` before answering 200.
  void Hang(absl::Duration delay);
  // Every request answers 302 to `location`.
  void Redirect(const std::string& location);
  // Back to 200 for everything.
  void Succeed();
  // The receiver is down (connections to its port are refused) until Up, which listens on the
  // same port again.
  void Down();
  void Up();

  std::vector<Request> received() const;
  // Waits until `n` requests arrived; false on timeout.
  bool WaitForCount(size_t n, absl::Duration timeout) const;

 private:
  enum class Mode { kWebhook, kDingTalk, kWeCom };

  // Serves on `port` (0: any free one, which becomes port_).
  void Listen(int port);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable absl::Mutex mu_;
  std::vector<Request> received_ ABSL_GUARDED_BY(mu_);
  Mode mode_ ABSL_GUARDED_BY(mu_) = Mode::kWebhook;
  std::string secret_ ABSL_GUARDED_BY(mu_);
  int errcode_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_status_ ABSL_GUARDED_BY(mu_) = 0;
  int fail_times_ ABSL_GUARDED_BY(mu_) = 0;
  int retry_after_ ABSL_GUARDED_BY(mu_) = -1;
  absl::Duration hang_ ABSL_GUARDED_BY(mu_) = absl::ZeroDuration();
  std::string redirect_ ABSL_GUARDED_BY(mu_);
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_WEBHOOK_RECEIVER_H_
