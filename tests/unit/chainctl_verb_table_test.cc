#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tools/chainctl/commands.h"
#include "tools/chainctl/verb_table.h"

namespace chainhub::chainctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// What the last handler saw.
std::vector<std::string> ran_operands;
std::string ran_command;

int Record(const Call& call) {
  ran_command = absl::StrCat(call.verb.noun, " ", call.verb.verb);
  ran_operands = call.operands;
  call.out << "ran\n";
  return kExitOk;
}

VerbTable ToyTable() {
  VerbTable table({.head = "head\n",
                   .general_tail = "general tail\n",
                   .intake_head = "intake head\n",
                   .intake_tail = "intake tail\n"});
  table.Add({.noun = "things",
             .verb = "list",
             .synopsis = "[--all]",
             .help = "every thing",
             .usage = "things list takes no arguments",
             .run = Record});
  table.Add({.noun = "things",
             .verb = "get",
             .synopsis = "THING [--with_a_rather_long_flag=VALUE]",
             .help = "one thing\nin full",
             .usage = "usage: chainctl things get THING",
             .min_operands = 1,
             .max_operands = 1,
             .run = Record});
  table.Add({.noun = "look",
             .synopsis = "AT [MORE…]",
             .usage = "usage: chainctl look AT",
             .min_operands = 1,
             .max_operands = kAnyOperands,
             .run = Record});
  table.Add({.noun = "plans",
             .verb = "make",
             .synopsis = "--name=NAME --owner=OWNER --deadline=YYYY-MM-DD\n[--note=…]",
             .help = "a plan",
             .usage = "usage: chainctl plans make --name=NAME …",
             .needs = Needs::kIntake,
             .run = Record});
  return table;
}

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunLine(const VerbTable& table, std::vector<std::string> args) {
  std::ostringstream out, err;
  ran_command.clear();
  ran_operands.clear();
  const int code = table.Run(CommandLine{}, args, out, err);
  return {code, out.str(), err.str()};
}

TEST(VerbTable, HelpPutsAShortSynopsisAndItsHelpOnOneLine) {
  EXPECT_THAT(ToyTable().HelpText(),
              HasSubstr("\n  things list [--all]                    every thing\n"));
}

TEST(VerbTable, HelpPutsTheHelpOfAWideSynopsisOnTheLinesBelow) {
  EXPECT_THAT(ToyTable().HelpText(),
              HasSubstr("\n  things get THING [--with_a_rather_long_flag=VALUE]\n"
                        "                                         one thing\n"
                        "                                         in full\n"));
}

TEST(VerbTable, HelpContinuesAWrappedSynopsisUnderTheFirstOperand) {
  EXPECT_THAT(ToyTable().HelpText(),
              HasSubstr("\n  plans make --name=NAME --owner=OWNER --deadline=YYYY-MM-DD\n"
                        "             [--note=…]                  a plan\n"));
}

TEST(VerbTable, HelpListsTheIntakeVerbsUnderTheirOwnHeadingAfterTheGeneralOnes) {
  EXPECT_EQ(ToyTable().HelpText(),
            "head\n"
            "  things list [--all]                    every thing\n"
            "  things get THING [--with_a_rather_long_flag=VALUE]\n"
            "                                         one thing\n"
            "                                         in full\n"
            "  look AT [MORE…]\n"
            "general tail\n"
            "intake head\n"
            "  plans make --name=NAME --owner=OWNER --deadline=YYYY-MM-DD\n"
            "             [--note=…]                  a plan\n"
            "intake tail\n");
}

TEST(VerbTable, NoCommandGetsTheGeneralHelp) {
  Outcome o = RunLine(ToyTable(), {});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_THAT(o.err, StartsWith("chainctl: no command given\n\nhead\n"));
  EXPECT_THAT(o.err, Not(HasSubstr("intake head")));
  EXPECT_THAT(o.out, IsEmpty());
}

TEST(VerbTable, UnknownCommandGetsTheGeneralHelp) {
  Outcome o = RunLine(ToyTable(), {"nope"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_THAT(o.err, StartsWith("chainctl: unknown command \"nope\"\n\nhead\n"));
}

TEST(VerbTable, UnknownVerbOfANounWithSeveralVerbsListsThemInTableOrder) {
  Outcome o = RunLine(ToyTable(), {"things", "drop"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_EQ(o.err,
            "chainctl: usage: chainctl things list|get\n"
            "run `chainctl help` for every command and flag\n");
  EXPECT_EQ(RunLine(ToyTable(), {"things"}).err, o.err);
}

TEST(VerbTable, UnknownVerbOfANounWithOneVerbGetsThatVerbsUsage) {
  Outcome o = RunLine(ToyTable(), {"plans", "drop"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_THAT(o.err, StartsWith("chainctl: usage: chainctl plans make --name=NAME …\n"));
}

TEST(VerbTable, TheWrongNumberOfOperandsGetsTheVerbsUsageAndRunsNothing) {
  Outcome missing = RunLine(ToyTable(), {"things", "get"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, StartsWith("chainctl: usage: chainctl things get THING\n"));
  Outcome extra = RunLine(ToyTable(), {"things", "list", "x"});
  EXPECT_THAT(extra.err, StartsWith("chainctl: things list takes no arguments\n"));
  EXPECT_THAT(ran_command, IsEmpty());
}

TEST(VerbTable, AHandlerGetsTheWordsAfterNounAndVerb) {
  Outcome o = RunLine(ToyTable(), {"things", "get", "t1"});
  EXPECT_EQ(o.code, kExitOk);
  EXPECT_EQ(o.out, "ran\n");
  EXPECT_EQ(ran_command, "things get");
  EXPECT_THAT(ran_operands, ElementsAre("t1"));
}

TEST(VerbTable, ANounThatIsACommandTakesEveryWordAfterItAsAnOperand) {
  RunLine(ToyTable(), {"look", "get", "list", "x"});
  EXPECT_EQ(ran_command, "look ");
  EXPECT_THAT(ran_operands, ElementsAre("get", "list", "x"));
}

TEST(Commands, EveryNounAndVerbIsInTheTableOnceWithAUsageAndAHandler) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const Verb& v : Commands().verbs()) {
    EXPECT_TRUE(seen.emplace(std::string(v.noun), std::string(v.verb)).second)
        << v.noun << " " << v.verb;
    EXPECT_FALSE(v.usage.empty()) << v.noun << " " << v.verb;
    EXPECT_NE(v.run, nullptr) << v.noun << " " << v.verb;
    EXPECT_THAT(v.usage, HasSubstr(v.noun));
  }
  EXPECT_GE(seen.size(), 25u);
}

TEST(Commands, HelpListsEveryVerbAtTheStartOfALine) {
  const std::string help = Commands().HelpText();
  for (const Verb& v : Commands().verbs()) {
    const std::string command =
        v.verb.empty() ? std::string(v.noun) : absl::StrCat(v.noun, " ", v.verb);
    EXPECT_THAT(help, HasSubstr(absl::StrCat("\n  ", command))) << command;
  }
}

TEST(Commands, HelpListsTheSecondFormOfProjectsReport) {
  EXPECT_THAT(
      Commands().HelpText(),
      HasSubstr("\n  projects report --file=progress.csv    columns external_id, month,\n"));
}

TEST(Commands, HelpPrintsTheWholeReferenceAndExitsZero) {
  Outcome o = RunLine(Commands(), {"help"});
  EXPECT_EQ(o.code, kExitOk);
  EXPECT_EQ(o.out, Commands().HelpText());
  EXPECT_THAT(o.out, HasSubstr("\nintake commands ("));
  EXPECT_THAT(o.out, HasSubstr("\nexit codes: "));
}

}  // namespace
}  // namespace chainhub::chainctl
