#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/arguments.h"

namespace chainhub::chainctl {
namespace {

namespace iv1 = intake::v1;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

TEST(Arguments, ParseStageReadsEnglishNamesInAnyCaseWithOrWithoutThePrefix) {
  EXPECT_THAT(ParseStage("SIGNED"), Optional(iv1::STAGE_SIGNED));
  EXPECT_THAT(ParseStage("in_production"), Optional(iv1::STAGE_IN_PRODUCTION));
  EXPECT_THAT(ParseStage(" STAGE_STALLED "), Optional(iv1::STAGE_STALLED));
}

TEST(Arguments, ParseStageReadsTheChineseLabels) {
  EXPECT_THAT(ParseStage("签约"), Optional(iv1::STAGE_SIGNED));
  EXPECT_THAT(ParseStage("终止"), Optional(iv1::STAGE_CANCELLED));
}

TEST(Arguments, ParseStageRefusesWhatIsNoStage) {
  EXPECT_EQ(ParseStage("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseStage("signing"), std::nullopt);
  EXPECT_EQ(ParseStage(""), std::nullopt);
}

TEST(Arguments, ParseWorkItemStatusReadsEnglishAndChinese) {
  EXPECT_THAT(ParseWorkItemStatus("resolved"), Optional(iv1::WORK_ITEM_STATUS_RESOLVED));
  EXPECT_THAT(ParseWorkItemStatus("WORK_ITEM_STATUS_ESCALATED"),
              Optional(iv1::WORK_ITEM_STATUS_ESCALATED));
  EXPECT_THAT(ParseWorkItemStatus("协调中"), Optional(iv1::WORK_ITEM_STATUS_COORDINATING));
  EXPECT_EQ(ParseWorkItemStatus("closed"), std::nullopt);
}

TEST(Arguments, ParseWorkItemKindReadsIssueAndTaskInEitherLanguage) {
  EXPECT_THAT(ParseWorkItemKind("Issue"), Optional(iv1::WORK_ITEM_KIND_ISSUE));
  EXPECT_THAT(ParseWorkItemKind("任务"), Optional(iv1::WORK_ITEM_KIND_TASK));
  EXPECT_EQ(ParseWorkItemKind("bug"), std::nullopt);
}

TEST(Arguments, IsExternalIdAcceptsDepartmentIdsAndRefusesFilterText) {
  EXPECT_TRUE(IsExternalId("CZXM-PV-0003"));
  EXPECT_TRUE(IsExternalId("fgw_2026.17"));
  EXPECT_FALSE(IsExternalId(""));
  EXPECT_FALSE(IsExternalId(std::string(65, 'a')));
  EXPECT_FALSE(IsExternalId("x\" OR external_id != \""));
  EXPECT_FALSE(IsExternalId("projects/abc"));
}

TEST(Arguments, ProvinceSubjectKeepsANameAndNamesABareArgument) {
  EXPECT_EQ(ProvinceSubject("chains/pv/nodes/wafer"), "chains/pv/nodes/wafer");
  EXPECT_EQ(ProvinceSubject("pv"), "chains/pv");
  EXPECT_EQ(ProvinceSubject("91341125071300609B"), "enterprises/91341125071300609B");
}

TEST(Arguments, TokenPrincipalTakesRolesAndChainsAsIdsOrNames) {
  absl::StatusOr<Principal> p =
      TokenPrincipal("departments/fgw", " chain_office, viewer ", "pv, chains/semiconductor");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subject, "departments/fgw");
  EXPECT_THAT(p->roles, ElementsAre("chain_office", "viewer"));
  EXPECT_THAT(p->chains, ElementsAre("pv", "semiconductor"));
}

TEST(Arguments, TokenPrincipalNeedsAtLeastOneRoleAndOnlyKnownOnes) {
  EXPECT_EQ(TokenPrincipal("systems/ops", "", "").status().message(),
            "token mint needs --roles (e.g. admin)");
  EXPECT_THAT(TokenPrincipal("systems/ops", "admin,root", "").status().message(),
              HasSubstr("unknown role \"root\""));
}

}  // namespace
}  // namespace chainhub::chainctl
