// chainctl's endpoint and dispatch commands against the real notify service (NotifyFixture: real
// redis, SQLite, the service and its dispatcher in this process) and a real HTTP receiver: an
// endpoint's secret goes in from a file or standard input and never comes out; a notice reaches
// the receiver and its dispatch is listed SENT; a receiver refusing for good leaves a dead
// dispatch that `dispatches redeliver` sends again with the same webhook-id. Nothing asserts
// timing: the tests wait for what arrives and for what is recorded.
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "tests/support/notify_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_receiver.h"
#include "tools/chainctl/commands.h"

namespace chainhub::testing {
namespace {

namespace nv1 = notify::v1;

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::Duration kWait = absl::Seconds(20);
// whsec_ and the base64 of 32 bytes.
constexpr char kSecret[] = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
constexpr char kOtherSecret[] = "whsec_ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class ChainctlNotifyTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  // chainctl ARGS as admin, against the fixture's notify.
  Outcome Chainctl(std::vector<std::string> args, chainctl::CommandLine cmd = {}) {
    cmd.notify_target = f_.target();
    cmd.client.token = MintTestToken("systems/test-admin", {"admin"});
    std::ostringstream out, err;
    const int code = chainctl::Commands().Run(cmd, args, out, err);
    return {code, out.str(), err.str()};
  }

  Outcome WithSecretFile(std::vector<std::string> args, const std::string& path) {
    chainctl::CommandLine cmd;
    cmd.secret_file = path;
    return Chainctl(std::move(args), cmd);
  }

  template <typename Message>
  Message Json(std::vector<std::string> args, chainctl::CommandLine cmd = {}) {
    cmd.client.output = chainctl::OutputFormat::kJson;
    Outcome o = Chainctl(std::move(args), cmd);
    Message m;
    EXPECT_EQ(o.code, 0) << o.err;
    auto parsed = google::protobuf::util::JsonStringToMessage(o.out, &m);
    EXPECT_TRUE(parsed.ok()) << parsed << "\n" << o.out;
    return m;
  }

  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.File(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // An endpoint file for departments/fgw's webhook at `url`.
  std::string EndpointFile(const std::string& id, const std::string& url) {
    return Write(id + ".yaml", absl::StrCat("name: ", id,
                                            "\ndisplay_name: 发改委接收系统\n"
                                            "recipient: departments/fgw\nchannel: WEBHOOK\nurl: ",
                                            url, "\n"));
  }

  // Creates endpoints/{id} for `receiver` with kSecret, which the receiver checks.
  void CreateEndpoint(const std::string& id, WebhookReceiver& receiver) {
    receiver.VerifyWebhooks(kSecret);
    Outcome created = WithSecretFile({"endpoints", "create", EndpointFile(id, receiver.Url())},
                                     Write("secret", std::string(kSecret) + "\n"));
    ASSERT_EQ(created.code, 0) << created.err;
  }

  // A notice from the admin to departments/fgw, which its endpoints carry on.
  void SendNotice(const std::string& request_id) {
    nv1::SendNoticeRequest req;
    req.mutable_notice()->set_kind(nv1::ALERT);
    req.mutable_notice()->set_title("光伏产业链红灯预警");
    req.mutable_notice()->add_recipients("departments/fgw");
    req.set_request_id(request_id);
    nv1::Notice sent;
    grpc::Status s = f_.Admin()(&NotifyStub::SendNotice, req, &sent);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // What `dispatches list` (with `dead`, --dead) lists once `done` holds of it; empty after kWait.
  std::vector<nv1::Dispatch> WaitForDispatches(
      bool dead, const std::function<bool(const std::vector<nv1::Dispatch>&)>& done) {
    chainctl::CommandLine cmd;
    cmd.dead = dead;
    const absl::Time deadline = absl::Now() + kWait;
    while (absl::Now() < deadline) {
      auto page = Json<nv1::ListDispatchesResponse>({"dispatches", "list"}, cmd);
      std::vector<nv1::Dispatch> listed(page.dispatches().begin(), page.dispatches().end());
      if (done(listed)) return listed;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return {};
  }

  Outcome DeadList() {
    chainctl::CommandLine cmd;
    cmd.dead = true;
    return Chainctl({"dispatches", "list"}, cmd);
  }

  static bool OneIn(const std::vector<nv1::Dispatch>& ds, nv1::DispatchState state) {
    return ds.size() == 1 && ds[0].state() == state;
  }

  NotifyFixture f_;
  TempDir dir_;
};

TEST_F(ChainctlNotifyTest, AnEndpointSecretGoesInFromAFileAndNeverComesOut) {
  WebhookReceiver receiver;
  Outcome created =
      WithSecretFile({"endpoints", "create", EndpointFile("fgw-hook", receiver.Url())},
                     Write("secret", std::string(kSecret) + "\n"));
  ASSERT_EQ(created.code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("endpoints/fgw-hook: created"));
  EXPECT_THAT(created.out, HasSubstr("set, fingerprint "));
  EXPECT_THAT(created.out + created.err, Not(HasSubstr("whsec_")));

  auto shown = Json<nv1::Endpoint>({"endpoints", "show", "fgw-hook"});
  EXPECT_TRUE(shown.secret_set());
  EXPECT_EQ(shown.secret(), "");
  ASSERT_FALSE(shown.secret_fingerprint().empty());
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"endpoints", "show", "endpoints/fgw-hook"},
        std::vector<std::string>{"endpoints", "list"}}) {
    Outcome o = Chainctl(args);
    ASSERT_EQ(o.code, 0) << o.err;
    EXPECT_THAT(o.out, HasSubstr(shown.secret_fingerprint()));
    EXPECT_THAT(o.out, HasSubstr("departments/fgw"));
    EXPECT_THAT(o.out + o.err, Not(HasSubstr("whsec_")));
    EXPECT_THAT(o.out, Not(HasSubstr("MDEyMzQ1")));
  }
  chainctl::CommandLine json;
  json.client.output = chainctl::OutputFormat::kJson;
  EXPECT_THAT(Chainctl({"endpoints", "list"}, json).out, Not(HasSubstr("whsec_")));

  // A secret written into the endpoint file is refused, and not repeated.
  Outcome in_file =
      Chainctl({"endpoints", "create",
                Write("bad.yaml", absl::StrCat("name: bad-hook\nrecipient: departments/fgw\n"
                                               "channel: WEBHOOK\nurl: ",
                                               receiver.Url(), "\nsecret: ", kSecret, "\n"))});
  EXPECT_EQ(in_file.code, chainctl::kExitUsage);
  EXPECT_THAT(in_file.err, HasSubstr("secret: not in the file; give it with --secret_file"));
  EXPECT_THAT(in_file.out + in_file.err, Not(HasSubstr("whsec_")));
}

TEST_F(ChainctlNotifyTest, UpdateRotateAndDeleteKeepTheSecretOutOfSight) {
  WebhookReceiver receiver;
  ASSERT_NO_FATAL_FAILURE(CreateEndpoint("fgw-hook", receiver));
  const auto before = Json<nv1::Endpoint>({"endpoints", "show", "fgw-hook"});

  // The file's fields change; the rest (the recipient, the secret) stay.
  Outcome updated =
      Chainctl({"endpoints", "update", "fgw-hook",
                Write("rename.yaml", "display_name: 发改委新系统\nkinds: [ALERT, SUPERVISION]\n")});
  ASSERT_EQ(updated.code, 0) << updated.err;
  auto after = Json<nv1::Endpoint>({"endpoints", "show", "fgw-hook"});
  EXPECT_EQ(after.display_name(), "发改委新系统");
  EXPECT_EQ(after.recipient(), "departments/fgw");
  EXPECT_EQ(after.url(), receiver.Url());
  EXPECT_THAT(after.kinds(), ::testing::ElementsAre(nv1::ALERT, nv1::SUPERVISION));
  EXPECT_EQ(after.secret_fingerprint(), before.secret_fingerprint());

  // A new secret from standard input; the old one stays valid a while.
  chainctl::CommandLine from_stdin;
  std::istringstream in(std::string(kOtherSecret) + "\n");
  from_stdin.secret_file = "-";
  from_stdin.in = &in;
  Outcome rotated = Chainctl({"endpoints", "rotate", "fgw-hook"}, from_stdin);
  ASSERT_EQ(rotated.code, 0) << rotated.err;
  EXPECT_THAT(rotated.out, HasSubstr("endpoints/fgw-hook: secret rotated"));
  EXPECT_THAT(rotated.out, HasSubstr("previous secret until"));
  EXPECT_THAT(rotated.out + rotated.err, Not(HasSubstr("whsec_")));
  EXPECT_NE(Json<nv1::Endpoint>({"endpoints", "show", "fgw-hook"}).secret_fingerprint(),
            before.secret_fingerprint());

  // Without a secret, the service makes a webhook's and it is shown this once.
  Outcome made = Chainctl({"endpoints", "rotate", "fgw-hook"});
  ASSERT_EQ(made.code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("shown this once"));
  EXPECT_THAT(made.out, HasSubstr("whsec_"));
  EXPECT_THAT(Chainctl({"endpoints", "show", "fgw-hook"}).out, Not(HasSubstr("whsec_")));

  Outcome deleted = Chainctl({"endpoints", "delete", "fgw-hook"});
  ASSERT_EQ(deleted.code, 0) << deleted.err;
  EXPECT_THAT(deleted.out, HasSubstr("deleted endpoints/fgw-hook"));
  Outcome gone = Chainctl({"endpoints", "show", "fgw-hook"});
  EXPECT_EQ(gone.code, chainctl::kExitRpcError);
  EXPECT_THAT(gone.err, HasSubstr("NOT_FOUND"));
}

TEST_F(ChainctlNotifyTest, ANoticeReachesTheReceiverAndItsDispatchIsListedSent) {
  WebhookReceiver receiver;
  ASSERT_NO_FATAL_FAILURE(CreateEndpoint("fgw-hook", receiver));
  ASSERT_NO_FATAL_FAILURE(SendNotice("ctl-sent-1"));
  ASSERT_TRUE(receiver.WaitForCount(1, kWait));
  const auto got = receiver.received();
  EXPECT_TRUE(got[0].verified) << got[0].verify_error;

  std::vector<nv1::Dispatch> listed =
      WaitForDispatches(false, [](const auto& ds) { return OneIn(ds, nv1::SENT); });
  ASSERT_EQ(listed.size(), 1u) << "the dispatch was never listed SENT";
  EXPECT_EQ(listed[0].name(), "dispatches/" + got[0].webhook_id);
  EXPECT_EQ(listed[0].endpoint(), "endpoints/fgw-hook");

  Outcome table = Chainctl({"dispatches", "list"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr(listed[0].name()));
  EXPECT_THAT(table.out, HasSubstr("SENT"));
  Outcome dead = DeadList();
  ASSERT_EQ(dead.code, 0) << dead.err;
  EXPECT_THAT(dead.out, Not(HasSubstr(listed[0].name())));

  Outcome shown = Chainctl({"dispatches", "show", got[0].webhook_id});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("SENT"));
  EXPECT_THAT(shown.out, HasSubstr("latency ms"));  // the attempts table
  EXPECT_THAT(shown.out, HasSubstr(" 200 "));
}

TEST_F(ChainctlNotifyTest, ADeadDispatchIsRedeliveredWithTheSameWebhookId) {
  WebhookReceiver receiver;
  // 410 Gone: refused for good, dead at the first attempt.
  receiver.FailWith(410);
  ASSERT_NO_FATAL_FAILURE(CreateEndpoint("fgw-hook", receiver));
  ASSERT_NO_FATAL_FAILURE(SendNotice("ctl-dead-1"));

  std::vector<nv1::Dispatch> dead =
      WaitForDispatches(true, [](const auto& ds) { return OneIn(ds, nv1::DEAD); });
  ASSERT_EQ(dead.size(), 1u) << "the dispatch was never listed dead";
  const std::string name = dead[0].name();
  ASSERT_EQ(receiver.received().size(), 1u);
  const std::string webhook_id = receiver.received()[0].webhook_id;
  EXPECT_EQ(name, "dispatches/" + webhook_id);

  Outcome shown = Chainctl({"dispatches", "show", name});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("DEAD"));
  EXPECT_THAT(shown.out, HasSubstr(" 410 "));

  receiver.Succeed();
  Outcome redelivered = Chainctl({"dispatches", "redeliver", name});
  ASSERT_EQ(redelivered.code, 0) << redelivered.err;
  EXPECT_THAT(redelivered.out, HasSubstr(name + ": QUEUED"));

  ASSERT_TRUE(receiver.WaitForCount(2, kWait));
  const auto got = receiver.received();
  EXPECT_EQ(got[1].webhook_id, webhook_id);
  EXPECT_TRUE(got[1].verified) << got[1].verify_error;
  std::vector<nv1::Dispatch> sent =
      WaitForDispatches(false, [](const auto& ds) { return OneIn(ds, nv1::SENT); });
  ASSERT_EQ(sent.size(), 1u) << "the redelivered dispatch was never listed SENT";
  EXPECT_EQ(sent[0].name(), name);
  EXPECT_EQ(sent[0].attempt_count(), 2);
  Outcome dead_after = DeadList();
  ASSERT_EQ(dead_after.code, 0) << dead_after.err;
  EXPECT_THAT(dead_after.out, Not(HasSubstr(name)));

  // A SENT dispatch is not redelivered.
  Outcome again = Chainctl({"dispatches", "redeliver", name});
  EXPECT_EQ(again.code, chainctl::kExitRpcError);
  EXPECT_THAT(again.err, HasSubstr("FAILED_PRECONDITION"));
}

TEST_F(ChainctlNotifyTest, ASubscriptionsFileIsCheckedWithoutTheService) {
  chainctl::CommandLine validate;
  validate.validate_only = true;
  Outcome ok = Chainctl({"subscriptions", "apply",
                         Write("subs.yaml",
                               "- name: subscriptions/red-light\n"
                               "  event_types: [intake.project.light_changed]\n"
                               "  filter: 'light = \"RED\"'\n"
                               "  recipient_sources: [RESPONSIBLE_DEPARTMENT, CHAIN_OFFICE]\n"
                               "  kind: ALERT\n"
                               "  quiet_hours: {start: \"22:00\", end: \"07:00\"}\n")},
                        validate);
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("1 subscriptions, valid; nothing applied"));
  Outcome bad = Chainctl({"subscriptions", "apply",
                          Write("bad.yaml", "- name: a1\n  event_types: [x]\n  kind: LOUD\n")},
                         validate);
  EXPECT_EQ(bad.code, chainctl::kExitUsage);
  EXPECT_THAT(bad.err, HasSubstr("subscriptions[0].kind: must be one of"));
}

}  // namespace
}  // namespace chainhub::testing
