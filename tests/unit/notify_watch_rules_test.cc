// The rules of an inbox watch (services/notify/watch.h): what WatchInbox accepts, whose
// deliveries a watch shows, and the messages it sends.
#include <gtest/gtest.h>

#include "common/base/status_util.h"
#include "services/notify/watch.h"

namespace chainhub::notify {
namespace {

Principal Make(std::string subject, std::set<std::string, std::less<>> roles,
               std::set<std::string, std::less<>> chains = {}) {
  return Principal{std::move(subject), std::move(roles), std::move(chains)};
}

v1::WatchInboxRequest Request(int64_t cursor, int heartbeat_seconds) {
  v1::WatchInboxRequest req;
  req.set_cursor(cursor);
  req.set_heartbeat_seconds(heartbeat_seconds);
  return req;
}

std::vector<std::string> BadFields(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(s)) out.push_back(v.field);
  return out;
}

const Principal kZrzyj = Make("departments/zrzyj", {"department"});

TEST(NotifyWatchRules, HeartbeatDefaultsTo15SecondsAndTakes1To300) {
  EXPECT_EQ(CheckWatchRequest(Request(0, 0), kZrzyj)->heartbeat, absl::Seconds(15));
  EXPECT_EQ(CheckWatchRequest(Request(0, 1), kZrzyj)->heartbeat, absl::Seconds(1));
  EXPECT_EQ(CheckWatchRequest(Request(7, 300), kZrzyj)->heartbeat, absl::Minutes(5));
  EXPECT_EQ(CheckWatchRequest(Request(7, 300), kZrzyj)->cursor, 7);
  for (int bad : {-1, 301, 100000}) {
    auto w = CheckWatchRequest(Request(0, bad), kZrzyj);
    ASSERT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(BadFields(w.status()), std::vector<std::string>{"heartbeat_seconds"});
    EXPECT_NE(w.status().message().find("between 1 and 300"), std::string::npos);
  }
}

TEST(NotifyWatchRules, ANegativeCursorIsRefusedAlongWithEveryOtherBrokenRule) {
  auto w = CheckWatchRequest(Request(-1, -1), kZrzyj);
  ASSERT_EQ(w.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BadFields(w.status()), (std::vector<std::string>{"cursor", "heartbeat_seconds"}));
}

TEST(NotifyWatchRules, AWatchShowsTheRecipientsTheCallerActsForAndAdminEveryone) {
  auto dept = CheckWatchRequest(Request(0, 0), kZrzyj);
  ASSERT_TRUE(dept.ok());
  EXPECT_TRUE(dept->Shows("departments/zrzyj"));
  EXPECT_TRUE(dept->Shows("roles/department"));
  EXPECT_FALSE(dept->Shows("departments/fgw"));
  EXPECT_FALSE(dept->Shows("chains/pv/office"));
  EXPECT_EQ(dept->RecipientList(),
            (std::vector<std::string>{"departments/zrzyj", "roles/department"}));

  auto office = CheckWatchRequest(Request(0, 0), Make("departments/fgw", {"chain_office"}, {"pv"}));
  ASSERT_TRUE(office.ok());
  EXPECT_TRUE(office->Shows("chains/pv/office"));
  EXPECT_TRUE(office->Shows("chains/pv/leader"));
  EXPECT_FALSE(office->Shows("chains/nev/office"));

  auto admin = CheckWatchRequest(Request(0, 0), Make("systems/ops", {"admin"}));
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->Shows("departments/anyone"));
  EXPECT_TRUE(admin->RecipientList().empty());
}

TEST(NotifyWatchRules, AHeartbeatHasNoDeliveryAndADeliveryCarriesItsCursor) {
  EXPECT_FALSE(Heartbeat(42).has_delivery());
  EXPECT_EQ(Heartbeat(42).cursor(), 42);
  v1::Delivery d;
  d.set_name("notices/n1/deliveries/dept-fgw");
  d.set_cursor(9);
  const v1::WatchInboxResponse m = DeliveryMessage(d);
  EXPECT_EQ(m.cursor(), 9);
  EXPECT_EQ(m.delivery().name(), d.name());
}

}  // namespace
}  // namespace chainhub::notify
