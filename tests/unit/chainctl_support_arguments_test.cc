// What operators type for chainctl's support commands: names completed from ids and short forms,
// enum words in English (any case, prefix optional) or Chinese, a person as DEPT:PERSON[:TITLE],
// a plan's actual and a task's progress, tags, amounts with 万 and 亿, and request ids that are
// the same for the same request.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tools/chainctl/support_arguments.h"

namespace chainhub::chainctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ChainctlSupportArguments, ShortFormsCompleteToResourceNames) {
  EXPECT_EQ(EnterpriseArg("91341100MA2NXXXX0X"), "enterprises/91341100MA2NXXXX0X");
  EXPECT_EQ(EnterpriseArg("enterprises/91341100MA2NXXXX0X"), "enterprises/91341100MA2NXXXX0X");
  EXPECT_EQ(ChainArg("pv"), "chains/pv");
  EXPECT_EQ(DepartmentArg(" fgw "), "departments/fgw");
  EXPECT_EQ(AssigneeArg("fgw"), "departments/fgw");
  EXPECT_EQ(AssigneeArg("chains/pv/team"), "chains/pv/team");
  EXPECT_EQ(AssignmentArg("0193abc"), "assignments/0193abc");
  EXPECT_EQ(RequestArg("requests/r1"), "requests/r1");
  EXPECT_EQ(FirmPlanArg("f1"), "firm-plans/f1");
  EXPECT_EQ(PolicyArg("p1"), "policies/p1");
  EXPECT_EQ(ItemArg("p1/pv-giant"), "policies/p1/items/pv-giant");
  EXPECT_EQ(ItemArg("policies/p1/items/pv-giant"), "policies/p1/items/pv-giant");
  EXPECT_EQ(ClaimArg("p1/pv-giant/91341100MA2NXXXX0X"),
            "policies/p1/items/pv-giant/claims/91341100MA2NXXXX0X");
  EXPECT_EQ(EntryArg("pv/e1"), "chains/pv/entries/e1");
  // A wrong number of parts is left for the service to refuse by name.
  EXPECT_EQ(ItemArg("a/b/c"), "a/b/c");
}

TEST(ChainctlSupportArguments, APlanMayNameAVersion) {
  auto latest = PlanArg("PLAN", "pv/p1");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->first, "chains/pv/plans/p1");
  EXPECT_EQ(latest->second, 0);
  auto second = PlanArg("PLAN", "chains/pv/plans/p1@2");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->first, "chains/pv/plans/p1");
  EXPECT_EQ(second->second, 2);
  EXPECT_EQ(PlanArg("PLAN", "pv/p1@v3")->second, 3);
  EXPECT_THAT(std::string(PlanArg("PLAN", "pv/p1@0").status().message()),
              HasSubstr("whole number ≥ 1"));
}

TEST(ChainctlSupportArguments, EnumWordsAreEnglishInAnyCaseOrChinese) {
  EXPECT_EQ(ParseChannel("hotline"), spv1::HOTLINE);
  EXPECT_EQ(ParseChannel("热线"), spv1::HOTLINE);
  EXPECT_EQ(ParseChannel("LETTER"), spv1::LETTER);
  EXPECT_EQ(ParseChannel("fax"), std::nullopt);
  EXPECT_EQ(ParseChannel(""), std::nullopt);
  EXPECT_EQ(ParseTier("county"), spv1::COUNTY);
  EXPECT_EQ(ParseTier("市级"), spv1::CITY);
  EXPECT_EQ(ParseRequestState("closed"), spv1::CLOSED);
  EXPECT_EQ(ParseRequestState("回访"), spv1::REVISITED);
  EXPECT_EQ(ParseGrouping(""), spv1::GROUPING_UNSPECIFIED);
  EXPECT_EQ(ParseGrouping("department"), spv1::BY_DEPARTMENT);
  EXPECT_EQ(ParseGrouping("BY_CHAIN"), spv1::BY_CHAIN);
  EXPECT_EQ(ParseGrouping("county"), std::nullopt);
  EXPECT_EQ(ParseLocalScope(""), spv1::IN_CITY);
  EXPECT_EQ(ParseLocalScope("region"), spv1::IN_REGION);
  EXPECT_EQ(ParseLocalScope("省内"), spv1::IN_PROVINCE);
}

TEST(ChainctlSupportArguments, AnOfficialIsDeptPersonAndAnOptionalTitle) {
  auto full = ParseOfficial("--visitor", "jxj:李娜:服务专员");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->department(), "departments/jxj");
  EXPECT_EQ(full->person(), "李娜");
  EXPECT_EQ(full->title(), "服务专员");
  auto wide = ParseOfficial("--visitor", "departments/kjj：王强");
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(wide->department(), "departments/kjj");
  EXPECT_EQ(wide->person(), "王强");
  EXPECT_TRUE(wide->title().empty());
  // A title may hold a colon.
  EXPECT_EQ(ParseOfficial("f", "a:b:c:d")->title(), "c:d");
  auto bad = ParseOfficial("--visitor", "jxj");
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("--visitor"));
  EXPECT_FALSE(ParseOfficial("--visitor", ":李娜").ok());
}

TEST(ChainctlSupportArguments, AnActualIsAnIndicatorAndAFiniteNumber) {
  auto a = ParseActual("--actual", "output=1250.5");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->first, "indicators/output");
  EXPECT_DOUBLE_EQ(a->second, 1250.5);
  EXPECT_EQ(ParseActual("--actual", "indicators/local_supporting_rate=0.35")->first,
            "indicators/local_supporting_rate");
  EXPECT_FALSE(ParseActual("--actual", "output").ok());
  EXPECT_FALSE(ParseActual("--actual", "output=abc").ok());
  EXPECT_FALSE(ParseActual("--actual", "output=inf").ok());
  EXPECT_FALSE(ParseActual("--actual", "=3").ok());
}

TEST(ChainctlSupportArguments, ATaskReportIsNumberPercentAndOptionallyDone) {
  auto t = ParseTaskReport("--task", "2.1:60");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->number(), "2.1");
  EXPECT_EQ(t->percent_done(), 60);
  EXPECT_FALSE(t->done());
  auto done = ParseTaskReport("--task", "3:100%:done");
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->done());
  EXPECT_TRUE(ParseTaskReport("--task", "3：100：完成")->done());
  EXPECT_FALSE(ParseTaskReport("--task", "3:101").ok());
  EXPECT_FALSE(ParseTaskReport("--task", "3").ok());
  EXPECT_FALSE(ParseTaskReport("--task", "3:50:finished").ok());
  EXPECT_FALSE(ParseTaskReport("--task", ":50").ok());
}

TEST(ChainctlSupportArguments, TagsAreSplitOnSemicolonsAndTrimmed) {
  EXPECT_THAT(SplitTags(" 用地; 融资；;审批 "), ElementsAre("用地", "融资", "审批"));
  EXPECT_TRUE(SplitTags("").empty());
}

TEST(ChainctlSupportArguments, AmountsTakeWanAndYi) {
  EXPECT_EQ(*YuanArg("--amount", "500000"), 500000);
  EXPECT_EQ(*YuanArg("--amount", "12.5万"), 125000);
  EXPECT_EQ(*YuanArg("--amount", "1亿"), 100000000);
  EXPECT_FALSE(YuanArg("--amount", "-5").ok());
  EXPECT_FALSE(YuanArg("--amount", "0.5").ok());
}

TEST(ChainctlSupportArguments, ARequestIdIsTheSameForTheSameContentOnly) {
  spv1::Request a;
  a.set_title("用地");
  spv1::Request b = a;
  EXPECT_EQ(ContentRequestId("request", a), ContentRequestId("request", b));
  EXPECT_THAT(ContentRequestId("request", a), StartsWith("request-"));
  EXPECT_EQ(ContentRequestId("request", a).size(), std::string("request-").size() + 32);
  b.set_title("融资");
  EXPECT_NE(ContentRequestId("request", a), ContentRequestId("request", b));
}

}  // namespace
}  // namespace chainhub::chainctl
