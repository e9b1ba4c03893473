// WatchInbox across a crash and a shutdown of the chainhub-notify process (a real binary on its
// own data dir, a real redis-server): a watcher that reconnects from its last cursor gets every
// delivery once, in order — those made before the kill that it never received too — and SIGTERM
// ends open watches with UNAVAILABLE at once, saying to reconnect.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "tests/support/inbox_watch.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;

class NotifyWatchFault : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("secret")) << kTestSecret;
    auto redis = RedisServer::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    notify_ = std::make_unique<ServiceProcess>(
        dir_, "notify", "services/notify/chainhub-notify",
        std::vector<std::string>{"--redis=" + redis_->address(),
                                 "--jwt_secret_file=" + dir_.File("secret")});
    ASSERT_NO_FATAL_FAILURE(Start());
  }

  void TearDown() override {
    watchers_.clear();
    if (notify_ != nullptr && running_) notify_->Terminate();
  }

  void Start() {
    ASSERT_NO_FATAL_FAILURE(notify_->Start());
    stub_ = v1::Notifier::NewStub(notify_->channel());
    running_ = true;
  }

  // A notice from pv's office to zrzyj and fgw; zrzyj's delivery.
  std::string Send(const std::string& title) {
    const v1::SendNoticeRequest req =
        NoticeTo({"departments/zrzyj", "departments/fgw"}, title, absl::StrCat("req-", ++sent_));
    v1::Notice notice;
    auto ctx = ContextWithToken(MintTestToken("departments/fgw", {"chain_office"}, {"pv"}));
    grpc::Status s = stub_->SendNotice(ctx.get(), req, &notice);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return notice.name() + "/deliveries/dept-zrzyj";
  }

  InboxWatcher& Watch(int64_t cursor) {
    watchers_.push_back(std::make_unique<InboxWatcher>(
        *stub_, MintTestToken("departments/zrzyj", {"department"}), cursor));
    return *watchers_.back();
  }

  static std::vector<std::string> Names(InboxWatcher& w) {
    std::vector<std::string> out;
    for (const auto& d : w.Deliveries()) out.push_back(d.name());
    return out;
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceProcess> notify_;
  std::unique_ptr<v1::Notifier::Stub> stub_;
  std::vector<std::unique_ptr<InboxWatcher>> watchers_;
  bool running_ = false;
  int sent_ = 0;
};

TEST_F(NotifyWatchFault, AReconnectAfterKillNineMissesNothingAndRepeatsNothing) {
  InboxWatcher& before = Watch(0);
  ASSERT_TRUE(before.WaitLive());
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i) expected.push_back(Send(absl::StrCat("前 ", i)));
  ASSERT_TRUE(before.WaitForDeliveries(3));
  // Committed, then killed at once: the watcher may or may not have been handed it.
  expected.push_back(Send("临终"));
  ASSERT_NO_FATAL_FAILURE(notify_->Kill9());
  running_ = false;
  EXPECT_NE(before.WaitEnd().error_code(), grpc::StatusCode::OK);

  ASSERT_NO_FATAL_FAILURE(Start());
  for (int i = 0; i < 3; ++i) expected.push_back(Send(absl::StrCat("断线 ", i)));
  InboxWatcher& after = Watch(before.LastCursor());
  const size_t received = before.Deliveries().size();
  ASSERT_TRUE(after.WaitForDeliveries(expected.size() - received));
  expected.push_back(Send("重连后"));
  ASSERT_TRUE(after.WaitForDeliveries(expected.size() - received));

  std::vector<std::string> seen = Names(before);
  for (const auto& name : Names(after)) seen.push_back(name);
  EXPECT_EQ(seen, expected);
}

TEST_F(NotifyWatchFault, SigtermEndsOpenWatchesWithUnavailableSoTheyReconnect) {
  InboxWatcher& a = Watch(0);
  InboxWatcher& b = Watch(0);
  ASSERT_TRUE(a.WaitLive());
  ASSERT_TRUE(b.WaitLive());
  ASSERT_NO_FATAL_FAILURE(notify_->Terminate());
  running_ = false;
  ExpectEndedSayingReconnect(a, grpc::StatusCode::UNAVAILABLE);
  ExpectEndedSayingReconnect(b, grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace chainhub::testing
