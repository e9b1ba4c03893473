#include "tools/common/resource_names.h"

#include <gtest/gtest.h>

#include "common/base/names.h"

namespace chainhub::tools {
namespace {

TEST(ResourceNames, ProjectAndEnterpriseNamesFollowTheirPatterns) {
  EXPECT_EQ(ProjectName{"01a2"}.String(), "projects/01a2");
  EXPECT_EQ(EnterpriseName{"91341100MA2N0Q8E5X"}.String(), "enterprises/91341100MA2N0Q8E5X");
}

TEST(ResourceNames, InCollectionLooksAtTheCollectionOnly) {
  EXPECT_TRUE(InCollection("projects/x", ProjectName::kPattern));
  EXPECT_TRUE(InCollection("projects/", ProjectName::kPattern));
  EXPECT_FALSE(InCollection("project/x", ProjectName::kPattern));
  EXPECT_FALSE(InCollection("chains/pv", ProjectName::kPattern));
}

TEST(ResourceNames, NameOfTakesTheIdOrTheName) {
  EXPECT_EQ(NameOf(ChainName::kPattern, "pv"), "chains/pv");
  EXPECT_EQ(NameOf(ChainName::kPattern, "chains/pv"), "chains/pv");
  EXPECT_EQ(NameOf(DepartmentName::kPattern, "fgw"), "departments/fgw");
}

TEST(ResourceNames, NameOfLeavesCheckingTheIdToTheService) {
  EXPECT_EQ(NameOf(ChainName::kPattern, "PV"), "chains/PV");
  EXPECT_EQ(NameOf(ChainName::kPattern, "chains/pv/nodes/wafer"), "chains/pv/nodes/wafer");
}

TEST(ResourceNames, IdOfDropsTheCollection) {
  EXPECT_EQ(IdOf(ChainName::kPattern, "chains/pv"), "pv");
  EXPECT_EQ(IdOf(ChainName::kPattern, "pv"), "pv");
}

}  // namespace
}  // namespace chainhub::tools
