#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/assessment_arguments.h"

namespace chainhub::chainctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;

TEST(AssessmentArguments, SubjectArgCompletesAChainIdAndKeepsFullNames) {
  EXPECT_EQ(SubjectArg("pv"), "chains/pv");
  EXPECT_EQ(SubjectArg("chains/nev-battery"), "chains/nev-battery");
  EXPECT_EQ(SubjectArg("counties/来安县"), "counties/来安县");
}

TEST(AssessmentArguments, IndicatorRunAndScheduleArgsCompleteAnIdAndKeepAName) {
  EXPECT_EQ(IndicatorArg("output"), "indicators/output");
  EXPECT_EQ(IndicatorArg("indicators/tax"), "indicators/tax");
  EXPECT_EQ(RunArg("0193a1b2-c3d4"), "runs/0193a1b2-c3d4");
  EXPECT_EQ(RunArg("runs/0193a1b2-c3d4"), "runs/0193a1b2-c3d4");
  EXPECT_EQ(ScheduleArg("quarterly"), "schedules/quarterly");
  EXPECT_EQ(ScheduleArg("schedules/quarterly"), "schedules/quarterly");
}

TEST(AssessmentArguments, SchemeArgNamesTheLatestVersionOrTheOneAfterTheAt) {
  EXPECT_EQ(SchemeArg("SCHEME", "chain-2026").value(), "schemes/chain-2026");
  EXPECT_EQ(SchemeArg("SCHEME", "schemes/chain-2026").value(), "schemes/chain-2026");
  EXPECT_EQ(SchemeArg("SCHEME", "chain-2026@2").value(), "schemes/chain-2026/versions/2");
  EXPECT_EQ(SchemeArg("SCHEME", "schemes/chain-2026@12").value(), "schemes/chain-2026/versions/12");
  EXPECT_EQ(SchemeArg("SCHEME", "schemes/chain-2026/versions/3").value(),
            "schemes/chain-2026/versions/3");
}

TEST(AssessmentArguments, SchemeArgRefusesAVersionThatIsNoWholeNumberFromOne) {
  for (const char* bad : {"chain-2026@", "chain-2026@0", "chain-2026@v2", "chain-2026@1.5"}) {
    absl::StatusOr<std::string> name = SchemeArg("SCHEME", bad);
    ASSERT_FALSE(name.ok()) << bad;
    EXPECT_THAT(name.status().message(), HasSubstr("SCHEME: the version must be a whole number"));
  }
}

TEST(AssessmentArguments, LatestSchemeArgRefusesAVersion) {
  EXPECT_EQ(LatestSchemeArg("SCHEME", "chain-2026").value(), "schemes/chain-2026");
  EXPECT_FALSE(LatestSchemeArg("SCHEME", "chain-2026@2").ok());
  EXPECT_FALSE(LatestSchemeArg("SCHEME", "schemes/chain-2026/versions/2").ok());
}

TEST(AssessmentArguments, SchemeVersionArgReadsANumberWithOrWithoutV) {
  EXPECT_EQ(SchemeVersionArg("V1", "2").value(), 2);
  EXPECT_EQ(SchemeVersionArg("V1", "v13").value(), 13);
  EXPECT_FALSE(SchemeVersionArg("V1", "0").ok());
  EXPECT_FALSE(SchemeVersionArg("V1", "latest").ok());
  EXPECT_THAT(SchemeVersionArg("V2", "-1").status().message(), HasSubstr("V2:"));
}

TEST(AssessmentArguments, NumberArgReadsFiniteDecimalsOnly) {
  EXPECT_DOUBLE_EQ(NumberArg("VALUE", "1700").value(), 1700);
  EXPECT_DOUBLE_EQ(NumberArg("VALUE", " 378.14 ").value(), 378.14);
  EXPECT_DOUBLE_EQ(NumberArg("VALUE", "-0.5").value(), -0.5);
  EXPECT_DOUBLE_EQ(NumberArg("VALUE", "1.2e3").value(), 1200);
  for (const char* bad : {"", "12亿", "1,700", "nan", "inf", "abc"}) {
    absl::StatusOr<double> v = NumberArg("VALUE", bad);
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_THAT(v.status().message(), HasSubstr("VALUE: must be a number"));
  }
}

TEST(AssessmentArguments, EnumWordsReadEnglishInAnyCaseWithOrWithoutPrefixAndChinese) {
  EXPECT_THAT(ParseRunKind("final"), Optional(av1::RUN_KIND_FINAL));
  EXPECT_THAT(ParseRunKind("RUN_KIND_PROVISIONAL"), Optional(av1::RUN_KIND_PROVISIONAL));
  EXPECT_THAT(ParseRunKind("暂定"), Optional(av1::RUN_KIND_PROVISIONAL));
  EXPECT_THAT(ParseRunTrigger("Scheduled"), Optional(av1::RUN_TRIGGER_SCHEDULED));
  EXPECT_THAT(ParseRunTrigger("事件"), Optional(av1::RUN_TRIGGER_EVENT));
  EXPECT_THAT(ParseExportFormat("xlsx"), Optional(av1::EXPORT_FORMAT_XLSX));
  EXPECT_THAT(ParseExportFormat(" SVG "), Optional(av1::EXPORT_FORMAT_SVG));
  EXPECT_THAT(ParseCadence("quarterly"), Optional(av1::CADENCE_QUARTERLY));
  EXPECT_THAT(ParseCadence("年度"), Optional(av1::CADENCE_ANNUAL));
}

TEST(AssessmentArguments, EnumWordsRefuseTheUnspecifiedValueAndStrangers) {
  EXPECT_EQ(ParseRunKind("unspecified"), std::nullopt);
  EXPECT_EQ(ParseRunKind("RUN_KIND_UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseRunKind(""), std::nullopt);
  EXPECT_EQ(ParseExportFormat("pdf"), std::nullopt);
  EXPECT_EQ(ParseCadence("weekly"), std::nullopt);
}

TEST(AssessmentArguments, NamesPrintWhatTheParsersRead) {
  EXPECT_EQ(GradeName(av1::GRADE_EXCELLENT), "优秀");
  EXPECT_EQ(GradeName(av1::GRADE_FAIL), "不合格");
  EXPECT_EQ(GradeName(av1::GRADE_UNSPECIFIED), "-");
  EXPECT_EQ(RunKindName(av1::RUN_KIND_PROVISIONAL), "provisional");
  EXPECT_EQ(RunTriggerName(av1::RUN_TRIGGER_MANUAL), "manual");
  EXPECT_EQ(CadenceName(av1::CADENCE_MONTHLY), "monthly");
  EXPECT_EQ(CadenceName(av1::CADENCE_UNSPECIFIED), "-");
  for (av1::Cadence c : {av1::CADENCE_MONTHLY, av1::CADENCE_QUARTERLY, av1::CADENCE_ANNUAL}) {
    EXPECT_THAT(ParseCadence(CadenceName(c)), Optional(c));
  }
}

}  // namespace
}  // namespace chainhub::chainctl
