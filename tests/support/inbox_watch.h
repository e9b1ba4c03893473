// A WatchInbox call for tests, read on a thread of its own into a list that a test waits on.
#ifndef CHAINHUB_TESTS_SUPPORT_INBOX_WATCH_H_
#define CHAINHUB_TESTS_SUPPORT_INBOX_WATCH_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "tests/support/registry_fixture.h"

namespace chainhub::testing {

// Long enough never to be what a correct run waits for; only a broken one times out.
constexpr absl::Duration kWatchPatience = absl::Seconds(30);

// One WatchInbox call, read on its own thread into a list.
class InboxWatcher {
 public:
  // With `read_now` false nothing is read until StartReading: a client too slow to keep up.
  InboxWatcher(notify::v1::Notifier::Stub& stub, const std::string& token, int64_t cursor,
               int heartbeat_seconds = 0, bool read_now = true)
      : ctx_(ContextWithToken(token)) {
    notify::v1::WatchInboxRequest req;
    req.set_cursor(cursor);
    req.set_heartbeat_seconds(heartbeat_seconds);
    reader_ = stub.WatchInbox(ctx_.get(), req);
    if (read_now) StartReading();
  }

  void StartReading() {
    if (thread_.joinable()) return;
    thread_ = std::thread([this] {
      notify::v1::WatchInboxResponse msg;
      while (reader_->Read(&msg)) {
        absl::MutexLock lock(&mu_);
        messages_.push_back(msg);
      }
      grpc::Status status = reader_->Finish();
      absl::MutexLock lock(&mu_);
      status_ = std::move(status);
      ended_ = true;
    });
  }

  ~InboxWatcher() { Close(); }

  // Waits until `done` holds for the messages so far (or the stream ends); whether it held.
  bool WaitUntil(
      const std::function<bool(const std::vector<notify::v1::WatchInboxResponse>&)>& done) {
    absl::MutexLock lock(&mu_);
    auto ready = [&]() { return ended_ || done(messages_); };
    mu_.AwaitWithTimeout(absl::Condition(&ready), kWatchPatience);
    return done(messages_);
  }
  // The stream is live: the heartbeat that follows its catch-up came.
  bool WaitLive() {
    return WaitUntil([](const auto& m) {
      for (const auto& msg : m) {
        if (!msg.has_delivery()) return true;
      }
      return false;
    });
  }
  bool WaitForDeliveries(size_t n) {
    return WaitUntil([n](const auto& m) { return CountDeliveries(m) >= n; });
  }

  std::vector<notify::v1::Delivery> Deliveries() {
    absl::MutexLock lock(&mu_);
    std::vector<notify::v1::Delivery> out;
    for (const auto& m : messages_) {
      if (m.has_delivery()) out.push_back(m.delivery());
    }
    return out;
  }
  std::vector<notify::v1::WatchInboxResponse> Messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }
  int64_t LastCursor() {
    absl::MutexLock lock(&mu_);
    return messages_.empty() ? 0 : messages_.back().cursor();
  }

  // Waits for the server to end the stream; its status.
  grpc::Status WaitEnd() {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&ended_), kWatchPatience);
    return ended_ ? status_ : grpc::Status(grpc::StatusCode::UNKNOWN, "still open");
  }

  // Hangs up (a client going away) and waits for the reader.
  void Close() {
    if (closed_) return;
    closed_ = true;
    ctx_->TryCancel();
    StartReading();
    thread_.join();
  }

 private:
  static size_t CountDeliveries(const std::vector<notify::v1::WatchInboxResponse>& m) {
    size_t n = 0;
    for (const auto& msg : m) n += msg.has_delivery() ? 1 : 0;
    return n;
  }

  std::unique_ptr<grpc::ClientContext> ctx_;
  std::unique_ptr<grpc::ClientReader<notify::v1::WatchInboxResponse>> reader_;
  std::thread thread_;
  bool closed_ = false;
  absl::Mutex mu_;
  std::vector<notify::v1::WatchInboxResponse> messages_ ABSL_GUARDED_BY(mu_);
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
  bool ended_ ABSL_GUARDED_BY(mu_) = false;
};

// A NOTICE titled `title` to `recipients`.
inline notify::v1::SendNoticeRequest NoticeTo(const std::vector<std::string>& recipients,
                                              const std::string& title,
                                              const std::string& request_id) {
  notify::v1::SendNoticeRequest req;
  req.mutable_notice()->set_kind(notify::v1::NOTICE);
  req.mutable_notice()->set_title(title);
  for (const auto& r : recipients) req.mutable_notice()->add_recipients(r);
  req.set_request_id(request_id);
  return req;
}

// Expects the server to end `w` with `code`, telling the client to reconnect.
inline void ExpectEndedSayingReconnect(InboxWatcher& w, grpc::StatusCode code) {
  const grpc::Status s = w.WaitEnd();
  EXPECT_EQ(s.error_code(), code) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "reconnect")) << s.error_message();
}

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_INBOX_WATCH_H_
