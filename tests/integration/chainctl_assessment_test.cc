// chainctl's assessment commands against the real assessment service (AssessmentFixture: chains
// pv and nev-battery, a registry process, intake and assessment in this process): the sample
// files under data/assessment/ applied and applied again, a final 2026-Q3 run over projects
// signed in that quarter, its ranking, an explanation, a replay, the exports, a scheme's versions
// compared.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "tests/support/assessment_fixture.h"
#include "tests/support/temp_dir.h"
#include "tools/chainctl/commands.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kData = std::string(CHAINHUB_SOURCE_DIR) + "/data/assessment/";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One service for the suite: the tests read the one run the suite's setup made, or make their
// own changes (a scheme version, a schedule) after it.
class ChainctlAssessmentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fixture_ = std::make_unique<AssessmentFixture>();
    fixture_->SetUp();
    if (!HasFatalFailure()) SeedProjects();
    if (!HasFatalFailure()) ApplySampleData();
  }

  static void TearDownTestSuite() {
    if (fixture_ != nullptr) fixture_->TearDown();
    fixture_.reset();
  }

  void SetUp() override { ASSERT_FALSE(run_.name().empty()) << "the suite's setup failed"; }

  // chainctl ARGS as an assessor, against the fixture's assessment.
  static Outcome Chainctl(std::vector<std::string> args, chainctl::CommandLine cmd = {}) {
    cmd.assessment_target = fixture_->assessment_target();
    cmd.client.token = AssessmentFixture::assessor_token();
    std::ostringstream out, err;
    const int code = chainctl::Commands().Run(cmd, args, out, err);
    return {code, out.str(), err.str()};
  }

  static Outcome Json(std::vector<std::string> args) {
    chainctl::CommandLine cmd;
    cmd.client.output = chainctl::OutputFormat::kJson;
    return Chainctl(std::move(args), cmd);
  }

  // Three projects signed in 2026-Q3: on pv 15亿 and 3亿, on nev-battery 2亿, every investor
  // from outside the province.
  static void SeedProjects() {
    auto admin = fixture_->intake().IntakeAdmin();
    struct Signed {
      const char* chain;
      int64_t yuan;
      const char* name;
    };
    for (const Signed& s : {Signed{"pv", 1'500'000'000, "年产10GW光伏组件项目"},
                            Signed{"pv", 300'000'000, "光伏支架项目"},
                            Signed{"nev-battery", 200'000'000, "电池结构件项目"}}) {
      iv1::Project p = CreateProject(admin, MakeProject(s.name, s.chain, s.yuan));
      ASSERT_FALSE(p.name().empty());
      grpc::Status moved = Transition(admin, p.name(), iv1::STAGE_SIGNED, "2026-08-12", "签约");
      ASSERT_TRUE(moved.ok()) << moved.error_message();
    }
    ASSERT_TRUE(fixture_->WaitForFacts());
  }

  // The sample files through chainctl, the ratings of the rating item, then the 2026-Q3 final
  // run (as of today).
  static void ApplySampleData() {
    first_indicators_ = Chainctl({"indicators", "apply", kData + "indicators.yaml"});
    ASSERT_EQ(first_indicators_.code, 0) << first_indicators_.err;
    first_scheme_ = Chainctl({"schemes", "apply", kData + "scheme-2026.yaml"});
    ASSERT_EQ(first_scheme_.code, 0) << first_scheme_.err;
    first_targets_ = Chainctl({"targets", "import", kData + "targets.csv"});
    ASSERT_EQ(first_targets_.code, 0) << first_targets_.err;
    first_values_ = Chainctl({"values", "import", kData + "values.csv"});
    ASSERT_EQ(first_values_.code, 0) << first_values_.err;
    chainctl::CommandLine note;
    note.note = "季度评议";
    for (const auto& [chain, points] : {std::pair{"pv", "8.5"}, std::pair{"nev-battery", "7"}}) {
      Outcome rated = Chainctl(
          {"ratings", "enter", "chain-2026", "chain_work", chain, "2026-Q3", points}, note);
      ASSERT_EQ(rated.code, 0) << rated.err;
    }
    Outcome created = Json({"runs", "create", "chain-2026", "2026-Q3"});
    ASSERT_EQ(created.code, 0) << created.err;
    auto parsed = google::protobuf::util::JsonStringToMessage(created.out, &run_);
    ASSERT_TRUE(parsed.ok()) << parsed << "\n" << created.out;
  }

  static const av1::SubjectResult* ResultOf(const std::string& subject) {
    for (const auto& r : run_.results()) {
      if (r.subject() == subject) return &r;
    }
    return nullptr;
  }

  static inline std::unique_ptr<AssessmentFixture> fixture_;
  static inline Outcome first_indicators_, first_scheme_, first_targets_, first_values_;
  static inline av1::Run run_;
};

TEST_F(ChainctlAssessmentTest, TheSampleFilesApplyAndASecondApplyChangesNothing) {
  EXPECT_THAT(first_indicators_.out, HasSubstr("created indicators/new_projects_signed"));
  EXPECT_THAT(first_indicators_.out,
              HasSubstr(": 19 indicators, 19 created, 0 updated, 0 unchanged, 0 failed\n"));
  EXPECT_THAT(first_scheme_.out,
              HasSubstr("schemes/chain-2026 2026年度产业链链长制工作考核方案（样例）: "
                        "created, version 1\n"));
  EXPECT_THAT(first_targets_.out, HasSubstr(": 24 rows, 24 set, 0 unchanged, 0 failed\n"));
  EXPECT_THAT(first_values_.out, HasSubstr(": 48 rows, 48 reported, 0 unchanged, 0 failed\n"));

  Outcome indicators = Chainctl({"indicators", "apply", kData + "indicators.yaml"});
  EXPECT_EQ(indicators.code, 0) << indicators.err;
  EXPECT_THAT(indicators.out, StartsWith("applied "));
  EXPECT_THAT(indicators.out,
              HasSubstr(": 19 indicators, 0 created, 0 updated, 19 unchanged, 0 failed\n"));
  Outcome scheme = Chainctl({"schemes", "apply", kData + "scheme-2026.yaml"});
  EXPECT_THAT(scheme.out, HasSubstr(": unchanged, version "));
  Outcome targets = Chainctl({"targets", "import", kData + "targets.csv"});
  EXPECT_THAT(targets.out, HasSubstr(": 24 rows, 0 set, 24 unchanged, 0 failed\n"));
  Outcome values = Chainctl({"values", "import", kData + "values.csv"});
  EXPECT_EQ(values.code, 0) << values.err;
  EXPECT_THAT(values.out, HasSubstr(": 48 rows, 0 reported, 48 unchanged, 0 failed\n"));

  // Every value still has its first revision only.
  chainctl::CommandLine history;
  history.history = true;
  history.subject = "pv";
  history.indicator = "output";
  history.period = "2026-Q3";
  Outcome listed = Chainctl({"values", "list"}, history);
  EXPECT_EQ(listed.code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("chains/pv  indicators/output  2026-Q3  378.14  1"));
  EXPECT_EQ(listed.out.find("378.14  2"), std::string::npos) << listed.out;
}

TEST_F(ChainctlAssessmentTest, TheFinalRunRanksTheChainsWithTheScoresWorkedOutByHand) {
  EXPECT_EQ(run_.kind(), av1::RUN_KIND_FINAL);
  EXPECT_EQ(run_.period(), "2026-Q3");
  ASSERT_EQ(run_.results_size(), 2) << run_.DebugString();
  const av1::SubjectResult* pv = ResultOf("chains/pv");
  const av1::SubjectResult* nev = ResultOf("chains/nev-battery");
  ASSERT_NE(pv, nullptr);
  ASSERT_NE(nev, nullptr);
  // pv: output 378.14 ÷ (1700 ÷ 4) × 20; signed 2 ÷ (20 ÷ 4) × 15 = 6; investment 18亿 ÷ (300 ÷ 4)
  // × 10 = 2.4; out of province 2 ≥ 2 → 5; tax the higher of the two → 10; funds all 0 → 10;
  // rating 8.5; quota 1–10亿 short 1, ≥20亿 short 1 → −1; one ≥10亿 project → +4.
  const double pv_total = 378.14 / 425 * 20 + 6 + 2.4 + 5 + 10 + 10 + 8.5 - 1 + 4;
  // nev-battery: 197.63 ÷ 212.5 × 20; 1 ÷ 2.5 × 15 = 6; 2 ÷ 37.5 × 10; 1 < 2 → 0; tax the lower
  // → 60% of 10 = 6; funds 10; rating 7; every band short one → −1.5.
  const double nev_total = 197.63 / 212.5 * 20 + 6 + 2.0 / 37.5 * 10 + 0 + 6 + 10 + 7 - 1.5;
  EXPECT_NEAR(pv->total(), pv_total, 1e-9);
  EXPECT_NEAR(nev->total(), nev_total, 1e-9);
  EXPECT_EQ(pv->rank(), 1);
  EXPECT_EQ(nev->rank(), 2);
  EXPECT_EQ(pv->grade(), av1::GRADE_PASS);   // 62.69
  EXPECT_EQ(nev->grade(), av1::GRADE_FAIL);  // 46.63

  Outcome shown = Chainctl({"runs", "show", run_.name()});
  EXPECT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out,
              StartsWith("2026年度产业链链长制工作考核方案（样例） (schemes/chain-2026 v"));
  EXPECT_THAT(shown.out, HasSubstr("名次  名称        总分   等级    名次变化  output  "));
  EXPECT_THAT(shown.out, HasSubstr("\n1     光伏        62.69  合格    -         17.79   6.00  "));
  EXPECT_THAT(shown.out, HasSubstr("\n2     新能源电池  46.63  不合格  -         18.60   6.00  "));
  EXPECT_THAT(shown.out, HasSubstr("chains/semiconductor: not an active subject"));

  // Listed as the newest final run of the scheme.
  chainctl::CommandLine filter;
  filter.scheme = "chain-2026";
  filter.kind = "final";
  Outcome listed = Chainctl({"runs", "list"}, filter);
  EXPECT_EQ(listed.code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(run_.name() + "  schemes/chain-2026@"));
}

TEST_F(ChainctlAssessmentTest, ExplainListsTheProjectsBehindAScore) {
  Outcome explained = Chainctl({"runs", "explain", run_.name(), "pv", "signed_projects"});
  EXPECT_EQ(explained.code, 0) << explained.err;
  EXPECT_THAT(explained.out, HasSubstr("subject    chains/pv\n"));
  EXPECT_THAT(explained.out, HasSubstr("actual     2\n"));
  EXPECT_THAT(explained.out, HasSubstr("target     5\n"));
  EXPECT_THAT(explained.out, HasSubstr("points     6.00 / 15\n"));
  EXPECT_THAT(explained.out, HasSubstr("年产10GW光伏组件项目"));
  EXPECT_THAT(explained.out, HasSubstr("光伏支架项目"));
  EXPECT_EQ(explained.out.find("电池结构件项目"), std::string::npos) << explained.out;
}

TEST_F(ChainctlAssessmentTest, ReplayMatchesTheRun) {
  Outcome replayed = Chainctl({"runs", "replay", run_.name()});
  EXPECT_EQ(replayed.code, 0) << replayed.out << replayed.err;
  EXPECT_THAT(replayed.out, StartsWith("replay matches: digest " + run_.inputs_digest()));
}

TEST_F(ChainctlAssessmentTest, ExportWritesEachFormatToItsFile) {
  TempDir dir;
  for (const char* format : {"csv", "xlsx", "svg"}) {
    chainctl::CommandLine cmd;
    cmd.format = format;
    cmd.out = dir.File(absl::StrCat("run.", format));
    Outcome exported = Chainctl({"runs", "export", run_.name()}, cmd);
    EXPECT_EQ(exported.code, 0) << exported.err;
    EXPECT_THAT(exported.out, StartsWith("wrote " + cmd.out + " ("));
  }
  const std::string csv = ReadAll(dir.File("run.csv"));
  EXPECT_THAT(csv, StartsWith("\xEF\xBB\xBF"));
  EXPECT_THAT(csv, HasSubstr("\r\n1,chains/pv,光伏,62.69,合格,"));
  EXPECT_THAT(ReadAll(dir.File("run.xlsx")), StartsWith("PK"));
  EXPECT_THAT(ReadAll(dir.File("run.svg")), HasSubstr("data-subject=\"chains/pv\""));
}

TEST_F(ChainctlAssessmentTest, SchemesDiffShowsWhatAVersionChanged) {
  TempDir dir;
  const std::string edited = absl::StrReplaceAll(ReadAll(kData + "scheme-2026.yaml"),
                                                 {{"quarter_weight: 0.7", "quarter_weight: 0.6"}});
  const std::string path = dir.File("scheme-2026.yaml");
  std::ofstream(path) << edited;
  chainctl::CommandLine validate;
  validate.validate_only = true;
  Outcome checked = Chainctl({"schemes", "apply", path}, validate);
  EXPECT_EQ(checked.code, 0) << checked.err;
  EXPECT_THAT(checked.out, HasSubstr(": valid (15 items, total_points 100), nothing stored\n"));

  Outcome applied = Chainctl({"schemes", "apply", path});
  EXPECT_EQ(applied.code, 0) << applied.err;
  EXPECT_THAT(applied.out, HasSubstr(": changed, version 1 → 2\n"));
  Outcome diff = Chainctl({"schemes", "diff", "chain-2026", "1", "2"});
  EXPECT_EQ(diff.code, 0) << diff.err;
  EXPECT_THAT(diff.out, StartsWith("--- schemes/chain-2026/versions/1\n"
                                   "+++ schemes/chain-2026/versions/2\n@@ "));
  EXPECT_THAT(diff.out, HasSubstr("\n-quarter_weight: 0.7\n+quarter_weight: 0.6\n"));
  Outcome shown = Chainctl({"schemes", "show", "chain-2026@1"});
  EXPECT_THAT(shown.out, StartsWith("# schemes/chain-2026 version 1, "));
  EXPECT_THAT(shown.out, HasSubstr("\nquarter_weight: 0.7\n"));
  EXPECT_THAT(Chainctl({"schemes", "diff", "chain-2026", "2", "2"}).out, HasSubstr("are the same"));
}

TEST_F(ChainctlAssessmentTest, SchedulesArePutAndListed) {
  chainctl::CommandLine cmd;
  cmd.cadence = "quarterly";
  cmd.days_after = 5;
  cmd.time = "02:00";
  Outcome put = Chainctl({"schedules", "put", "chain-quarterly", "chain-2026"}, cmd);
  EXPECT_EQ(put.code, 0) << put.err;
  EXPECT_THAT(put.out, StartsWith("schedules/chain-quarterly: schemes/chain-2026 quarterly, 5 days "
                                  "after each period at 02:00 China time; next run "));
  Outcome listed = Chainctl({"schedules", "list"});
  EXPECT_THAT(listed.out, HasSubstr("schedules/chain-quarterly  schemes/chain-2026  quarterly"));
}

}  // namespace
}  // namespace chainhub::testing
