// WatchInbox over real gRPC: a watcher sees its own new deliveries in order and nobody else's,
// heartbeats while idle, a reconnect from the last cursor gets exactly what it missed (also while
// notices keep coming), cursor 0 only what comes after, many watchers at once, a burst three
// times the watch queue reaching a paused watcher whole on the same stream, a watcher that takes
// nothing ended after its patience, bad requests, and a server shutdown ending open streams.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/metrics.h"
#include "tests/support/hostile_input.h"
#include "tests/support/inbox_watch.h"
#include "tests/support/notify_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;

std::string DeptToken(const std::string& dept) {
  return MintTestToken("departments/" + dept, {"department"});
}
std::string AdminToken() { return MintTestToken("systems/test-admin", {"admin"}); }

std::vector<std::string> Names(const std::vector<v1::Delivery>& deliveries) {
  std::vector<std::string> out;
  for (const auto& d : deliveries) out.push_back(d.name());
  return out;
}

class NotifyWatch : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  // A notice from pv's chain office to `recipients`; its name.
  std::string Send(const std::vector<std::string>& recipients, const std::string& title) {
    v1::SendNoticeRequest req = NoticeTo(recipients, title, absl::StrCat("req-", ++sent_));
    req.mutable_notice()->set_chain("pv");
    v1::Notice notice;
    grpc::Status s = f_.ChainOffice("pv")(&NotifyStub::SendNotice, req, &notice);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return notice.name();
  }

  static std::string DeliveryOf(const std::string& notice, const std::string& dept) {
    return absl::StrCat(notice, "/deliveries/dept-", dept);
  }

  // The first message of a watch from cursor 0: a heartbeat saying where it starts.
  static void ExpectStartsLive(InboxWatcher& w) {
    ASSERT_TRUE(w.WaitLive());
    EXPECT_FALSE(w.Messages().front().has_delivery());
  }

  grpc::Status WatchStatus(const std::string& token, int64_t cursor, int heartbeat_seconds) {
    InboxWatcher w(f_.notify(), token, cursor, heartbeat_seconds);
    return w.WaitEnd();
  }

  std::vector<std::string> Burst();

  NotifyFixture f_;
  int sent_ = 0;
};

TEST_F(NotifyWatch, AWatcherSeesItsNewDeliveriesInOrderAndNoOneElses) {
  InboxWatcher zrzyj(f_.notify(), DeptToken("zrzyj"), 0);
  ASSERT_NO_FATAL_FAILURE(ExpectStartsLive(zrzyj));
  const std::string first = Send({"departments/zrzyj"}, "一");
  Send({"departments/fgw"}, "二");
  const std::string third = Send({"departments/fgw", "departments/zrzyj"}, "三");
  // fgw's own notice comes between the two: handed out, it would be second.
  ASSERT_TRUE(zrzyj.WaitForDeliveries(2));

  const auto got = zrzyj.Deliveries();
  EXPECT_EQ(Names(got),
            (std::vector<std::string>{DeliveryOf(first, "zrzyj"), DeliveryOf(third, "zrzyj")}));
  for (const auto& d : got) EXPECT_EQ(d.recipient(), "departments/zrzyj");
  EXPECT_EQ(got[0].title(), "一");
  EXPECT_EQ(got[0].state(), v1::DELIVERED);
  EXPECT_LT(got[0].cursor(), got[1].cursor());
  for (const auto& m : zrzyj.Messages()) {
    if (m.has_delivery()) {
      EXPECT_EQ(m.cursor(), m.delivery().cursor());
    }
  }
}

TEST_F(NotifyWatch, HeartbeatsCarryTheCursorWhileIdle) {
  Send({"departments/zrzyj"}, "之前");
  InboxWatcher w(f_.notify(), DeptToken("zrzyj"), 0, 1);
  ASSERT_TRUE(w.WaitUntil([](const auto& m) { return m.size() >= 3; }));
  const auto messages = w.Messages();
  for (const auto& m : messages) {
    EXPECT_FALSE(m.has_delivery());
    EXPECT_EQ(m.cursor(), messages.front().cursor());
  }
  // The cursor passed: the notice sent before (cursor 0 starts after it).
  EXPECT_GE(messages.front().cursor(), 1);
}

TEST_F(NotifyWatch, AReconnectFromTheLastCursorGetsExactlyWhatWasMissedInOrder) {
  auto watch = std::make_unique<InboxWatcher>(f_.notify(), DeptToken("zrzyj"), 0);
  ASSERT_NO_FATAL_FAILURE(ExpectStartsLive(*watch));
  std::vector<std::string> expected;
  for (int i = 0; i < 2; ++i) {
    expected.push_back(DeliveryOf(Send({"departments/zrzyj"}, absl::StrCat("在线 ", i)), "zrzyj"));
  }
  ASSERT_TRUE(watch->WaitForDeliveries(2));
  const int64_t cursor = watch->LastCursor();
  std::vector<std::string> seen = Names(watch->Deliveries());
  watch.reset();  // the client goes away

  for (int i = 0; i < 3; ++i) {
    expected.push_back(DeliveryOf(
        Send({"departments/zrzyj", "departments/fgw"}, absl::StrCat("离线 ", i)), "zrzyj"));
  }
  Send({"departments/fgw"}, "别人的");
  InboxWatcher again(f_.notify(), DeptToken("zrzyj"), cursor);
  ASSERT_TRUE(again.WaitForDeliveries(3));
  expected.push_back(DeliveryOf(Send({"departments/zrzyj"}, "重连后"), "zrzyj"));
  ASSERT_TRUE(again.WaitForDeliveries(4));
  for (const auto& name : Names(again.Deliveries())) seen.push_back(name);
  EXPECT_EQ(seen, expected);
}

TEST_F(NotifyWatch, JoiningWhileNoticesKeepComingMissesNothingAndRepeatsNothing) {
  Send({"departments/zrzyj"}, "起");  // cursor 1
  std::vector<std::string> expected;
  absl::Mutex mu;
  std::thread sender([&] {
    for (int i = 0; i < 40; ++i) {
      const std::string notice = Send({"departments/zrzyj"}, absl::StrCat("第 ", i, " 份"));
      absl::MutexLock lock(&mu);
      expected.push_back(DeliveryOf(notice, "zrzyj"));
    }
  });
  // Watchers joining at different moments while the sender runs: each catches up from cursor 1
  // and goes live in the middle of the stream of notices.
  std::vector<std::unique_ptr<InboxWatcher>> from_one;
  for (int i = 0; i < 4; ++i) {
    from_one.push_back(std::make_unique<InboxWatcher>(f_.notify(), DeptToken("zrzyj"), 1));
    absl::SleepFor(absl::Milliseconds(15));
  }
  InboxWatcher from_now(f_.notify(), DeptToken("zrzyj"), 0);
  sender.join();
  const std::string last = DeliveryOf(Send({"departments/zrzyj"}, "止"), "zrzyj");
  expected.push_back(last);
  for (auto& w : from_one) {
    ASSERT_TRUE(w->WaitForDeliveries(expected.size()));
    EXPECT_EQ(Names(w->Deliveries()), expected);
  }
  // From cursor 0: what was made after the call was served, a tail of the list, in order.
  ASSERT_TRUE(from_now.WaitUntil([&](const std::vector<v1::WatchInboxResponse>& m) {
    return std::any_of(m.begin(), m.end(),
                       [&](const auto& msg) { return msg.delivery().name() == last; });
  }));
  const auto tail = Names(from_now.Deliveries());
  ASSERT_LE(tail.size(), expected.size());
  EXPECT_EQ(tail, std::vector<std::string>(expected.end() - static_cast<long>(tail.size()),
                                           expected.end()));
}

TEST_F(NotifyWatch, CursorZeroGetsOnlyDeliveriesMadeAfterTheCall) {
  Send({"departments/zrzyj"}, "旧的一");
  Send({"departments/zrzyj"}, "旧的二");
  InboxWatcher w(f_.notify(), DeptToken("zrzyj"), 0);
  ASSERT_NO_FATAL_FAILURE(ExpectStartsLive(w));
  const std::string fresh = Send({"departments/zrzyj"}, "新的");
  ASSERT_TRUE(w.WaitForDeliveries(1));
  Send({"departments/zrzyj"}, "再一个");
  ASSERT_TRUE(w.WaitForDeliveries(2));
  EXPECT_EQ(w.Deliveries()[0].name(), DeliveryOf(fresh, "zrzyj"));
}

TEST_F(NotifyWatch, ACatchUpShowsOnlyTheCallersDeliveriesAndAdminSeesAll) {
  // Cursors 1-3, 4, 5-6: one per delivery, in the order of the recipients.
  const std::string a = Send({"departments/zrzyj", "departments/fgw", "chains/pv/office"}, "甲");
  const std::string b = Send({"departments/fgw"}, "乙");
  const std::string c = Send({"departments/fgw", "departments/zrzyj"}, "丙");
  InboxWatcher zrzyj(f_.notify(), DeptToken("zrzyj"), 1);
  InboxWatcher admin(f_.notify(), AdminToken(), 1);
  ASSERT_TRUE(zrzyj.WaitLive());
  ASSERT_TRUE(admin.WaitLive());
  EXPECT_EQ(Names(zrzyj.Deliveries()), std::vector<std::string>{DeliveryOf(c, "zrzyj")});
  EXPECT_EQ(Names(admin.Deliveries()),
            (std::vector<std::string>{
                DeliveryOf(a, "fgw"), absl::StrCat(a, "/deliveries/office-pv"),
                DeliveryOf(b, "fgw"), DeliveryOf(c, "fgw"), DeliveryOf(c, "zrzyj")}));

  // Then live: the same rule.
  const std::string d = Send({"departments/fgw", "departments/zrzyj"}, "丁");
  ASSERT_TRUE(zrzyj.WaitForDeliveries(2));
  ASSERT_TRUE(admin.WaitForDeliveries(7));
  EXPECT_EQ(Names(zrzyj.Deliveries()),
            (std::vector<std::string>{DeliveryOf(c, "zrzyj"), DeliveryOf(d, "zrzyj")}));
  const auto all = Names(admin.Deliveries());
  EXPECT_EQ(std::vector<std::string>(all.end() - 2, all.end()),
            (std::vector<std::string>{DeliveryOf(d, "fgw"), DeliveryOf(d, "zrzyj")}));
  // zrzyj's heartbeats carry the cursor it passed, though the deliveries were not its own.
  EXPECT_EQ(zrzyj.Messages()[1].cursor(), 6);
}

TEST_F(NotifyWatch, ACatchUpLongerThanAPageArrivesWhole) {
  std::vector<std::string> depts;
  for (int i = 0; i < 400; ++i) depts.push_back(absl::StrCat("departments/d", 1000 + i));
  const std::string first = Send(depts, "一批");
  const std::string second = Send(depts, "二批");
  InboxWatcher admin(f_.notify(), AdminToken(), 1);
  ASSERT_TRUE(admin.WaitForDeliveries(799));
  const auto got = admin.Deliveries();
  ASSERT_EQ(got.size(), 799u);
  for (size_t i = 1; i < got.size(); ++i) EXPECT_LT(got[i - 1].cursor(), got[i].cursor());
  EXPECT_EQ(got.front().cursor(), 2);
  EXPECT_TRUE(absl::StartsWith(got.front().name(), first));
  EXPECT_TRUE(absl::StartsWith(got.back().name(), second));
}

TEST_F(NotifyWatch, FiftyWatchersEachReceiveTheNoticeSentToAll) {
  std::vector<std::unique_ptr<InboxWatcher>> watches;
  std::vector<std::string> recipients;
  for (int i = 0; i < 50; ++i) {
    const std::string dept = absl::StrCat("d", 100 + i);
    recipients.push_back("departments/" + dept);
    watches.push_back(std::make_unique<InboxWatcher>(f_.notify(), DeptToken(dept), 0));
  }
  for (auto& w : watches) ASSERT_TRUE(w->WaitLive());
  const std::string notice = Send(recipients, "全体");
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(watches[i]->WaitForDeliveries(1)) << i;
    EXPECT_EQ(Names(watches[i]->Deliveries()),
              std::vector<std::string>{DeliveryOf(notice, absl::StrCat("d", 100 + i))});
  }
}

// A watch stub whose client reads nothing until told: without BDP probing the flow-control
// window stays small, so what the client leaves unread piles up in the server's queue.
std::unique_ptr<v1::Notifier::Stub> SmallWindowStub(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  return v1::Notifier::NewStub(
      grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
}

double Lagged() {
  return MetricsRegistry::Global().Value("chainhub_notify_watches_lagged_total", {});
}

// Six notices to 500 departments each (3,000 deliveries, three times the watch queue), then one
// to a watcher that keeps up: once it has that, everything before was handed out. The names of
// every delivery, in order.
std::vector<std::string> NotifyWatch::Burst() {
  std::vector<std::string> recipients;
  for (int i = 0; i < 500; ++i) recipients.push_back(absl::StrCat("departments/d", 1000 + i));
  std::vector<std::string> expected;
  for (int n = 0; n < 6; ++n) {
    const std::string notice = Send(recipients, absl::StrCat("第 ", n, " 批"));
    for (int i = 0; i < 500; ++i)
      expected.push_back(DeliveryOf(notice, absl::StrCat("d", 1000 + i)));
  }
  InboxWatcher d1000(f_.notify(), DeptToken("d1000"), 0);
  EXPECT_TRUE(d1000.WaitLive());
  const std::string last = Send({"departments/d1000"}, "最后");
  expected.push_back(DeliveryOf(last, "d1000"));
  EXPECT_TRUE(d1000.WaitForDeliveries(1));
  return expected;
}

TEST_F(NotifyWatch, ABurstLargerThanTheQueueReachesAPausedWatcherWholeOnTheSameStream) {
  auto stub = SmallWindowStub(f_.target());
  InboxWatcher paused(*stub, AdminToken(), 0, 0, /*read_now=*/false);
  const double lagged_before = Lagged();
  std::vector<std::string> expected = Burst();
  // Its queue filled: it left the live feed and is fed from the store.
  EXPECT_GT(Lagged(), lagged_before);

  paused.StartReading();
  ASSERT_TRUE(paused.WaitForDeliveries(expected.size())) << paused.Deliveries().size();
  EXPECT_EQ(Names(paused.Deliveries()), expected);
  // Caught up, it is back on the live feed: the next notice comes on the same stream, once.
  const std::string after = Send({"departments/d1001"}, "之后");
  expected.push_back(DeliveryOf(after, "d1001"));
  ASSERT_TRUE(paused.WaitForDeliveries(expected.size()));
  EXPECT_EQ(Names(paused.Deliveries()), expected);
  std::vector<int64_t> cursors;
  for (const auto& d : paused.Deliveries()) cursors.push_back(d.cursor());
  EXPECT_TRUE(std::is_sorted(cursors.begin(), cursors.end()));
  EXPECT_EQ(std::adjacent_find(cursors.begin(), cursors.end()), cursors.end());
}

class NotifyWatchPatience : public NotifyWatch {
 protected:
  void SetUp() override {
    f_.watch.patience = absl::Milliseconds(300);
    NotifyWatch::SetUp();
  }
};

TEST_F(NotifyWatchPatience, AWatcherThatTakesNothingIsEndedAndResumesFromItsLastCursor) {
  auto stub = SmallWindowStub(f_.target());
  InboxWatcher stuck(*stub, AdminToken(), 0, 0, /*read_now=*/false);
  const std::vector<std::string> expected = Burst();
  // Longer than its patience with a full queue and nothing taken.
  absl::SleepFor(absl::Seconds(1));

  stuck.StartReading();
  ExpectEndedSayingReconnect(stuck, grpc::StatusCode::RESOURCE_EXHAUSTED);
  std::vector<std::string> seen = Names(stuck.Deliveries());
  ASSERT_LT(seen.size(), expected.size());
  InboxWatcher resumed(f_.notify(), AdminToken(), stuck.LastCursor());
  ASSERT_TRUE(resumed.WaitForDeliveries(expected.size() - seen.size()));
  for (const auto& name : Names(resumed.Deliveries())) seen.push_back(name);
  EXPECT_EQ(seen, expected);
}

TEST_F(NotifyWatch, BadRequestsAreRefusedNamingTheField) {
  grpc::Status s = WatchStatus(DeptToken("zrzyj"), 0, 301);
  EXPECT_TRUE(NamesField(s, "heartbeat_seconds")) << s.error_message();
  EXPECT_TRUE(absl::StrContains(s.error_message(), "between 1 and 300")) << s.error_message();
  EXPECT_TRUE(NamesField(WatchStatus(DeptToken("zrzyj"), 0, -1), "heartbeat_seconds"));
  s = WatchStatus(DeptToken("zrzyj"), -1, -5);
  EXPECT_TRUE(NamesField(s, "cursor")) << s.error_message();
  EXPECT_TRUE(NamesField(s, "heartbeat_seconds")) << s.error_message();
  // A cursor no delivery has reached.
  Send({"departments/zrzyj"}, "一");
  s = WatchStatus(DeptToken("zrzyj"), 1000, 0);
  EXPECT_TRUE(NamesField(s, "cursor")) << s.error_message();
}

TEST_F(NotifyWatch, NoTokenIsUnauthenticated) {
  EXPECT_EQ(WatchStatus("", 0, 0).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WatchStatus("not-a-token", 0, 0).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(NotifyWatch, ServerShutdownEndsOpenWatchesSoTheyReconnect) {
  InboxWatcher a(f_.notify(), DeptToken("zrzyj"), 0);
  InboxWatcher b(f_.notify(), AdminToken(), 0);
  ASSERT_TRUE(a.WaitLive());
  ASSERT_TRUE(b.WaitLive());
  f_.TearDown();
  ExpectEndedSayingReconnect(a, grpc::StatusCode::UNAVAILABLE);
  ExpectEndedSayingReconnect(b, grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace chainhub::testing
