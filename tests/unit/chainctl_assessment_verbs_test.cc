// The assessment verbs in chainctl's table: listed under their own heading, and a wrong command
// line refused before anything is called (the target below has no server behind it).
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
using ::testing::StartsWith;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunLine(std::vector<std::string> args, CommandLine cmd = {}) {
  if (cmd.assessment_target.empty()) cmd.assessment_target = "127.0.0.1:1";
  cmd.client.timeout = absl::Seconds(2);
  std::ostringstream out, err;
  const int code = Commands().Run(cmd, args, out, err);
  return {code, out.str(), err.str()};
}

TEST(ChainctlAssessmentVerbs, HelpListsThemUnderTheirOwnHeadingAfterIntakes) {
  const std::string help = Commands().HelpText();
  const size_t intake = help.find("\nintake commands (");
  const size_t assessment = help.find("\nassessment commands (");
  ASSERT_NE(intake, std::string::npos);
  ASSERT_NE(assessment, std::string::npos);
  EXPECT_LT(intake, assessment);
  for (const char* command :
       {"indicators apply", "indicators list", "targets set",   "targets import", "targets list",
        "values report",    "values import",   "values list",   "schemes apply",  "schemes show",
        "schemes diff",     "schemes list",    "ratings enter", "runs create",    "runs list",
        "runs show",        "runs explain",    "runs replay",   "runs export",    "schedules put",
        "schedules list"}) {
    const size_t at = help.find(std::string("\n  ") + command);
    EXPECT_NE(at, std::string::npos) << command;
    EXPECT_GT(at, assessment) << command;
  }
  EXPECT_THAT(help, HasSubstr("--assessment_target=HOST:PORT (CHAINHUB_ASSESSMENT_TARGET"));
}

TEST(ChainctlAssessmentVerbs, TheGeneralHelpLeavesThemOut) {
  EXPECT_THAT(Commands().GeneralHelpText(), testing::Not(HasSubstr("runs create")));
}

TEST(ChainctlAssessmentVerbs, AValueWithoutEvidenceIsAUsageError) {
  Outcome o = RunLine({"values", "report", "pv", "output", "2026-Q1", "302.47"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_THAT(o.err, StartsWith("chainctl: usage: chainctl values report SUBJECT INDICATOR PERIOD "
                                "VALUE --evidence=TEXT\n"));
  EXPECT_THAT(o.out, IsEmpty());
}

TEST(ChainctlAssessmentVerbs, AValueThatIsNoNumberIsAUsageError) {
  Outcome o = RunLine({"targets", "set", "pv", "output", "2026", "1700亿"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_THAT(o.err, StartsWith("chainctl: VALUE: must be a number, got '1700亿'\n"));
  Outcome points = RunLine({"ratings", "enter", "chain-2026", "chain_work", "pv", "2026-Q3", "x"});
  EXPECT_EQ(points.code, kExitUsage);
  EXPECT_THAT(points.err, HasSubstr("POINTS: must be a number"));
}

TEST(ChainctlAssessmentVerbs, TheWrongNumberOfOperandsGetsTheVerbsUsage) {
  Outcome o = RunLine({"runs", "explain", "r1", "pv"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_THAT(o.err, StartsWith("chainctl: usage: chainctl runs explain RUN SUBJECT ITEM"));
  EXPECT_EQ(RunLine({"schemes", "diff", "chain-2026", "1"}).code, kExitUsage);
  EXPECT_EQ(RunLine({"indicators", "list", "extra"}).code, kExitUsage);
}

TEST(ChainctlAssessmentVerbs, ABadVersionOrSchemeIsNamedByItsOperand) {
  Outcome diff = RunLine({"schemes", "diff", "chain-2026", "1", "latest"});
  EXPECT_EQ(diff.code, kExitUsage);
  EXPECT_THAT(diff.err, HasSubstr("V2: the version must be a whole number ≥ 1, got 'latest'"));
  Outcome rating =
      RunLine({"ratings", "enter", "chain-2026@2", "chain_work", "pv", "2026-Q3", "8"});
  EXPECT_EQ(rating.code, kExitUsage);
  EXPECT_THAT(rating.err, HasSubstr("SCHEME: names a scheme, without a version"));
}

TEST(ChainctlAssessmentVerbs, EnumFlagsNameWhatTheyAccept) {
  CommandLine cmd;
  cmd.format = "pdf";
  Outcome format = RunLine({"runs", "export", "r1"}, cmd);
  EXPECT_EQ(format.code, kExitUsage);
  EXPECT_THAT(format.err, HasSubstr("--format: must be csv, xlsx or svg, got \"pdf\""));
  EXPECT_EQ(RunLine({"runs", "export", "r1"}).code, kExitUsage);  // no --format

  cmd = {};
  cmd.kind = "issue";
  Outcome kind = RunLine({"runs", "list"}, cmd);
  EXPECT_EQ(kind.code, kExitUsage);
  EXPECT_THAT(kind.err, HasSubstr("--kind: must be final or provisional"));

  cmd = {};
  cmd.cadence = "weekly";
  Outcome cadence = RunLine({"schedules", "put", "q", "chain-2026"}, cmd);
  EXPECT_EQ(cadence.code, kExitUsage);
  EXPECT_THAT(cadence.err, HasSubstr("--cadence: must be monthly, quarterly or annual"));
  EXPECT_EQ(RunLine({"schedules", "put", "q", "chain-2026"}).code, kExitUsage);  // no --cadence
}

TEST(ChainctlAssessmentVerbs, AnUnreadableFileIsAUsageErrorBeforeAnyCall) {
  EXPECT_EQ(RunLine({"indicators", "apply", "/nonexistent/indicators.yaml"}).code, kExitUsage);
  EXPECT_EQ(RunLine({"schemes", "apply", "/nonexistent/scheme.yaml"}).code, kExitUsage);
  EXPECT_EQ(RunLine({"targets", "import", "/nonexistent/targets.csv"}).code, kExitUsage);
}

TEST(ChainctlAssessmentVerbs, AnUnreachableServiceIsAnRpcErrorNamingAssessmentsAddress) {
  CommandLine cmd;
  cmd.client.target = "127.0.0.1:2";
  cmd.assessment_target = "127.0.0.1:1";
  Outcome o = RunLine({"schemes", "list"}, cmd);
  EXPECT_EQ(o.code, kExitRpcError);
  EXPECT_THAT(o.err, HasSubstr("error: UNAVAILABLE"));
  EXPECT_THAT(o.err, HasSubstr("hint: is the service running at 127.0.0.1:1"));
  EXPECT_THAT(o.err, HasSubstr("--assessment_target (CHAINHUB_ASSESSMENT_TARGET)"));
}

// The hint names the flag that sets the address of the service the verb calls.
TEST(ChainctlAssessmentVerbs, AnUnreachableNotifyOrIntakeNamesItsOwnAddressFlag) {
  CommandLine cmd;
  cmd.client.target = "127.0.0.1:2";
  Outcome o = RunLine({"inbox", "list"}, cmd);
  EXPECT_EQ(o.code, kExitRpcError);
  EXPECT_THAT(o.err, HasSubstr("hint: is the service running at 127.0.0.1:2"));
  EXPECT_THAT(o.err, HasSubstr("--notify_target (CHAINHUB_NOTIFY_TARGET), or --target"));
  o = RunLine({"issues", "list"}, cmd);
  EXPECT_EQ(o.code, kExitRpcError);
  EXPECT_THAT(o.err, HasSubstr("--intake_target (CHAINHUB_INTAKE_TARGET), or --target"));
}

}  // namespace
}  // namespace chainhub::chainctl
