#include <string>

#include <gtest/gtest.h>

#include "services/registry/deletion.h"

namespace chainhub::registry {
namespace {

TEST(CheckChainDeletable, AnEmptyChainGoesWithoutForce) {
  EXPECT_TRUE(CheckChainDeletable("chains/pv", 0, 0, false).ok());
}

TEST(CheckChainDeletable, AChainWithNodesOrMembershipsNeedsForce) {
  absl::Status s = CheckChainDeletable("chains/pv", 3, 2, false);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(s.message()).find("has 3 node(s) and 2 enterprise membership(s)"),
            std::string::npos)
      << s;
  EXPECT_FALSE(CheckChainDeletable("chains/pv", 0, 1, false).ok());
  EXPECT_TRUE(CheckChainDeletable("chains/pv", 3, 2, true).ok());
}

TEST(CheckNodeDeletable, ALeafWithoutMembersGoesWithoutForce) {
  EXPECT_TRUE(CheckNodeDeletable("chains/pv/nodes/wafer", 0, 0, false).ok());
}

TEST(CheckNodeDeletable, ChildrenOrMembersNeedForce) {
  absl::Status s = CheckNodeDeletable("chains/pv/nodes/wafer", 2, 5, false);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(s.message()).find("has 2 child node(s) and 5 enterprise(s)"),
            std::string::npos)
      << s;
  EXPECT_FALSE(CheckNodeDeletable("chains/pv/nodes/wafer", 1, 0, false).ok());
  EXPECT_TRUE(CheckNodeDeletable("chains/pv/nodes/wafer", 2, 5, true).ok());
}

TEST(CheckDepartmentDeletable, ADepartmentNoChainNamesGoes) {
  EXPECT_TRUE(CheckDepartmentDeletable("departments/fgw", {}).ok());
}

TEST(CheckDepartmentDeletable, ADepartmentAChainNamesStaysAndTheChainsAreListed) {
  absl::Status s = CheckDepartmentDeletable("departments/fgw", {"pv", "semiconductor"});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(s.message())
                .find("is lead department or member unit of chains/pv, chains/semiconductor; "
                      "remove it from them first"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace chainhub::registry
