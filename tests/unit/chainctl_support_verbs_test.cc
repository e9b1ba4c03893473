// The support verbs in chainctl's table: listed under their own heading, after sync's; and a wrong
// command line refused (exit 1, naming the flag) before anything is called — the target below has
// no server behind it, so a verb that called would fail with exit 2 instead.
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/commands.h"

namespace chainhub::chainctl {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunLine(std::vector<std::string> args, CommandLine cmd = {}) {
  cmd.support_target = "127.0.0.1:1";
  cmd.client.timeout = absl::Seconds(2);
  std::ostringstream out, err;
  const int code = Commands().Run(cmd, args, out, err);
  return {code, out.str(), err.str()};
}

// A usage error naming `problem`, with nothing printed to stdout.
void ExpectRefused(const Outcome& o, const std::string& problem) {
  EXPECT_EQ(o.code, kExitUsage) << o.err;
  EXPECT_THAT(o.err, HasSubstr(problem));
  EXPECT_THAT(o.out, IsEmpty());
}

TEST(ChainctlSupportVerbs, HelpListsThemUnderTheirOwnHeadingAfterSync) {
  const std::string help = Commands().HelpText();
  const size_t sync = help.find("\nprovince sync commands (");
  const size_t support = help.find("\nsupport commands (");
  ASSERT_NE(sync, std::string::npos);
  ASSERT_NE(support, std::string::npos);
  EXPECT_LT(sync, support);
  for (const char* command :
       {"assignments apply",   "assignments list",  "assignments show", "assignments end",
        "visits log",          "visits list",       "firm-plans apply", "firm-plans list",
        "firm-plans show",     "firm-plans review", "requests create",  "requests import",
        "requests list",       "requests show",     "requests move",    "requests reply",
        "requests figures",    "calendar put",      "calendar show",    "deadline-rules put",
        "deadline-rules show", "policies apply",    "policies list",    "items list",
        "items import",        "items show",        "items match",      "items for",
        "items payouts",       "claims list",       "claims apply",     "claims decide",
        "claims pay",          "payouts figures",   "entries apply",    "entries list",
        "entries match",       "spend import",      "spend list",       "spend rate",
        "plans apply",         "plans list",        "plans show",       "plans publish",
        "plans report",        "plans progress",    "support export",   "support audit"}) {
    const size_t at = help.find(std::string("\n  ") + command);
    EXPECT_NE(at, std::string::npos) << command;
    EXPECT_GT(at, support) << command;
  }
  EXPECT_THAT(Commands().GeneralHelpText(), testing::Not(HasSubstr("requests create")));
}

TEST(ChainctlSupportVerbs, ARequestNeedsItsEnterpriseTitleChannelAndTier) {
  ExpectRefused(RunLine({"requests", "create"}), "--enterprise: required");
  CommandLine cmd;
  cmd.enterprise = "91341100MA2NXXXX0X";
  cmd.title = "用地";
  cmd.channel = "fax";
  cmd.tier = "city";
  ExpectRefused(RunLine({"requests", "create"}, cmd), "--channel: must be visit, hotline");
  cmd.channel = "hotline";
  cmd.tier = "province";
  ExpectRefused(RunLine({"requests", "create"}, cmd), "--tier: must be city or county");
  cmd.tier = "city";
  cmd.common = true;
  ExpectRefused(RunLine({"requests", "create"}, cmd), "--common: needs --chain");
}

TEST(ChainctlSupportVerbs, AMoveNeedsWhatItsStateNeeds) {
  CommandLine cmd;
  ExpectRefused(RunLine({"requests", "move", "r1"}, cmd), "--to: required");
  cmd.to = "accepted";
  ExpectRefused(RunLine({"requests", "move", "r1"}, cmd), "--to: must be assigned, handling");
  cmd.to = "assigned";
  ExpectRefused(RunLine({"requests", "move", "r1"}, cmd), "--assignee: required");
  cmd.to = "办结";
  ExpectRefused(RunLine({"requests", "move", "r1"}, cmd), "--note: required to close");
  cmd.to = "revisited";
  cmd.satisfaction = 6;
  ExpectRefused(RunLine({"requests", "move", "r1"}, cmd), "--satisfaction");
  ExpectRefused(RunLine({"requests", "move"}), "usage: chainctl requests move REQUEST");
}

TEST(ChainctlSupportVerbs, VisitsAndReviewsNeedTheirFlags) {
  CommandLine cmd;
  cmd.summary = "走访";
  ExpectRefused(RunLine({"visits", "log", "a1"}, cmd), "--visitor: required");
  cmd.visitors = {"jxj"};
  ExpectRefused(RunLine({"visits", "log", "a1"}, cmd), "--visitor: must be DEPT:PERSON");
  cmd.visitors = {"jxj:李娜", "kjj"};
  ExpectRefused(RunLine({"visits", "log", "a1"}, cmd), "--visitor #2");
  CommandLine review;
  review.summary = "按计划推进";
  review.rating = 0;
  ExpectRefused(RunLine({"firm-plans", "review", "f1"}, review), "--rating: required, 1");
  ExpectRefused(RunLine({"assignments", "end", "a1"}), "--date: required");
  CommandLine dated;
  dated.overdue = true;
  dated.overdue_on = "2026-06-01";
  ExpectRefused(RunLine({"assignments", "list"}, dated), "--overdue: takes no date here");
}

TEST(ChainctlSupportVerbs, ClaimsTakeOneDecisionAndAnAmountInYuan) {
  ExpectRefused(RunLine({"claims", "decide", "p/i/c"}), "give one of --approve and --reject");
  CommandLine both;
  both.approve = both.reject = true;
  ExpectRefused(RunLine({"claims", "decide", "p/i/c"}, both), "give one of");
  CommandLine reject;
  reject.reject = true;
  ExpectRefused(RunLine({"claims", "decide", "p/i/c"}, reject), "--note: required to reject");
  CommandLine approve;
  approve.approve = true;
  approve.amount = "1.5元";
  ExpectRefused(RunLine({"claims", "decide", "p/i/c"}, approve), "--amount");
  ExpectRefused(RunLine({"claims", "pay", "p/i/c"}), "--amount: required");
  ExpectRefused(RunLine({"claims", "apply", "p/i"}), "--enterprise: required");
  ExpectRefused(RunLine({"payouts", "figures"}), "--year: required");
}

TEST(ChainctlSupportVerbs, SpendPlansAndExportNeedTheirChainAndPeriod) {
  ExpectRefused(RunLine({"spend", "list"}), "--chain: required");
  CommandLine rate;
  rate.chain = "pv";
  ExpectRefused(RunLine({"spend", "rate"}, rate), "--period: required");
  rate.period = "2026";
  rate.scope = "county";
  ExpectRefused(RunLine({"spend", "rate"}, rate), "--scope: must be city, province or region");
  ExpectRefused(RunLine({"plans", "apply", "plan.yaml"}), "--chain: required");
  ExpectRefused(RunLine({"plans", "report", "pv/p1"}), "--period: required");
  CommandLine report;
  report.period = "2026-05";
  ExpectRefused(RunLine({"plans", "report", "pv/p1"}, report), "give at least one --actual");
  report.actuals = {"output"};
  ExpectRefused(RunLine({"plans", "report", "pv/p1"}, report), "--actual: must be");
  report.actuals = {"output=1", "indicators/output=2"};
  ExpectRefused(RunLine({"plans", "report", "pv/p1"}, report), "is given twice");
  ExpectRefused(RunLine({"plans", "publish", "pv/p1@2"}), "the latest version");
  ExpectRefused(RunLine({"plans", "show", "pv/p1@x"}), "whole number");
  ExpectRefused(RunLine({"support", "export"}), "--period: required");
  ExpectRefused(RunLine({"requests", "figures"}), "--period: required");
}

TEST(ChainctlSupportVerbs, AnUnreadableOrBrokenFileIsRefusedBeforeAnythingIsSent) {
  ExpectRefused(RunLine({"assignments", "apply", "/nonexistent/a.yaml"}), "FILE");
  ExpectRefused(RunLine({"calendar", "put", "/nonexistent/c.csv"}), "FILE");
  ExpectRefused(RunLine({"requests", "import", "/nonexistent/r.csv"}), "FILE");
}

TEST(ChainctlSupportVerbs, AVerbThatCallsOnAnUnreachableServiceIsAnRpcError) {
  Outcome o = RunLine({"calendar", "show"});
  EXPECT_EQ(o.code, kExitRpcError);
  EXPECT_THAT(o.err, HasSubstr("--support_target"));
}

}  // namespace
}  // namespace chainhub::chainctl
