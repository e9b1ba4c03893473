#include <gtest/gtest.h>

#include "services/intake/projects.h"

namespace chainhub::intake {
namespace {

v1::Project Described() {
  v1::Project p;
  p.set_display_name("年产10GW高效光伏组件项目");
  p.set_chain("chains/pv");
  p.set_total_investment_yuan(1'200'000'000);
  p.add_province_chains("new-energy");
  p.set_province_chains_source("chain_default");
  p.set_stage(v1::STAGE_SIGNED);
  return p;
}

TEST(IntakeProjectRules, ClearsWhatAClientCannotSetButKeepsTheStage) {
  v1::Project p = Described();
  p.set_name("projects/p1");
  p.set_light(v1::LIGHT_RED);
  p.set_completed_investment_yuan(5);
  p.set_etag("W/\"3\"");
  p.mutable_stage_dates()->set_signed_("2026-03-01");
  ClearOutputOnly(&p);
  EXPECT_EQ(p.name(), "");
  EXPECT_EQ(p.light(), v1::LIGHT_UNSPECIFIED);
  EXPECT_EQ(p.completed_investment_yuan(), 0);
  EXPECT_EQ(p.etag(), "");
  EXPECT_EQ(p.province_chains_source(), "");
  EXPECT_EQ(p.stage(), v1::STAGE_SIGNED);
  EXPECT_EQ(p.stage_dates().signed_(), "2026-03-01");
  EXPECT_EQ(p.display_name(), "年产10GW高效光伏组件项目");
}

TEST(IntakeProjectRules, SizeBandsFollowTheTotal) {
  v1::Project p = Described();
  p.add_size_bands(v1::SIZE_BAND_1E10_PLUS);
  SetSizeBands(&p);
  ASSERT_GT(p.size_bands_size(), 0);
  for (int b : p.size_bands()) EXPECT_NE(b, v1::SIZE_BAND_1E10_PLUS);
}

TEST(IntakeProjectRules, TheSameDescriptionIgnoresStageAndOutputs) {
  v1::Project a = Described(), b = Described();
  b.set_stage(v1::STAGE_STARTED);
  b.mutable_stage_dates()->set_started("2026-05-01");
  b.set_light(v1::LIGHT_YELLOW);
  b.set_etag("W/\"9\"");
  EXPECT_TRUE(SameDescription(a, b));
  b.set_county("来安县");
  EXPECT_FALSE(SameDescription(a, b));
}

TEST(IntakeProjectRules, TheSameDescriptionComparesProvinceChainsAndTheirSource) {
  v1::Project a = Described(), b = Described();
  b.set_province_chains_source("override");
  EXPECT_FALSE(SameDescription(a, b));
  b = Described();
  b.add_province_chains("smart-nev");
  EXPECT_FALSE(SameDescription(a, b));
}

}  // namespace
}  // namespace chainhub::intake
