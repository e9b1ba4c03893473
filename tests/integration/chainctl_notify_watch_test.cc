// chainctl inbox watch against the real notify service (NotifyFixture): it prints each delivery
// the caller missed after --cursor on a line starting with its cursor, as JSON with --output=json,
// stops after --max deliveries, and refuses a negative cursor before calling.
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/support/inbox_watch.h"
#include "tests/support/notify_fixture.h"
#include "tools/chainctl/commands.h"

namespace chainhub::testing {
namespace {

namespace v1 = notify::v1;

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class ChainctlNotifyWatch : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  Outcome Chainctl(std::vector<std::string> args, chainctl::CommandLine cmd = {}) {
    cmd.notify_target = f_.target();
    cmd.client.token = MintTestToken("departments/zrzyj", {"department"});
    std::ostringstream out, err;
    const int code = chainctl::Commands().Run(cmd, args, out, err);
    return {code, out.str(), err.str()};
  }

  // A notice to zrzyj and fgw; the cursor of zrzyj's delivery.
  int64_t Send(const std::string& title) {
    v1::Notice notice;
    grpc::Status s = f_.ChainOffice("pv")(
        &NotifyStub::SendNotice,
        NoticeTo({"departments/zrzyj", "departments/fgw"}, title, absl::StrCat("req-", ++sent_)),
        &notice);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::ListInboxResponse inbox;
    v1::ListInboxRequest list;
    list.set_page_size(1);
    s = f_.Department("zrzyj")(&NotifyStub::ListInbox, list, &inbox);
    EXPECT_TRUE(s.ok() && inbox.deliveries_size() == 1) << s.error_message();
    return inbox.deliveries_size() == 1 ? inbox.deliveries(0).cursor() : 0;
  }

  NotifyFixture f_;
  int sent_ = 0;
};

TEST_F(ChainctlNotifyWatch, PrintsWhatWasMissedAfterTheCursorOneLineEachAndStopsAtMax) {
  const int64_t before = Send("第一份");
  const int64_t second = Send("第二份");
  const int64_t third = Send("第三份");
  chainctl::CommandLine cmd;
  cmd.cursor = before;
  cmd.max_deliveries = 2;
  const Outcome o = Chainctl({"inbox", "watch"}, cmd);
  ASSERT_EQ(o.code, 0) << o.err;
  const std::vector<std::string> lines = absl::StrSplit(o.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << o.out;
  EXPECT_THAT(lines[0], StartsWith(absl::StrCat("cursor=", second, " ")));
  EXPECT_THAT(lines[0], HasSubstr("第二份"));
  EXPECT_THAT(lines[0], HasSubstr("/deliveries/dept-zrzyj"));
  EXPECT_THAT(lines[1], StartsWith(absl::StrCat("cursor=", third, " ")));
  EXPECT_THAT(lines[1], HasSubstr("第三份"));
}

TEST_F(ChainctlNotifyWatch, JsonPrintsEachMessage) {
  const int64_t before = Send("甲");
  Send("乙");
  chainctl::CommandLine cmd;
  cmd.client.output = chainctl::OutputFormat::kJson;
  cmd.cursor = before;
  cmd.max_deliveries = 1;
  const Outcome o = Chainctl({"inbox", "watch"}, cmd);
  ASSERT_EQ(o.code, 0) << o.err;
  v1::WatchInboxResponse m;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(o.out, &m).ok()) << o.out;
  EXPECT_EQ(m.delivery().title(), "乙");
  EXPECT_EQ(m.cursor(), m.delivery().cursor());
}

TEST_F(ChainctlNotifyWatch, ANegativeCursorOrABadHeartbeatIsRefused) {
  chainctl::CommandLine cmd;
  cmd.cursor = -1;
  Outcome o = Chainctl({"inbox", "watch"}, cmd);
  EXPECT_NE(o.code, 0);
  EXPECT_THAT(o.err, HasSubstr("--cursor"));
  cmd.cursor = 0;
  cmd.heartbeat = 301;
  o = Chainctl({"inbox", "watch"}, cmd);
  EXPECT_NE(o.code, 0);
  EXPECT_THAT(o.err, HasSubstr("heartbeat_seconds"));
}

}  // namespace
}  // namespace chainhub::testing
