#include "common/base/names.h"

#include <string>

#include <gtest/gtest.h>

#include "common/base/clock.h"

namespace chainhub {
namespace {

TEST(Names, ChainRoundTrips) {
  auto chain = ChainName::Parse("name", "chains/pv");
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->chain, "pv");
  EXPECT_EQ(chain->String(), "chains/pv");
  EXPECT_EQ(ChainName::ParseOrId("chain", "pv")->chain, "pv");
  EXPECT_EQ(ChainName::ParseOrId("chain", "chains/pv")->chain, "pv");
}

TEST(Names, NodeRoundTripsAndKnowsItsChain) {
  auto node = NodeName::Parse("name", "chains/pv/nodes/wafer");
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_EQ(node->chain, "pv");
  EXPECT_EQ(node->node, "wafer");
  EXPECT_EQ(node->String(), "chains/pv/nodes/wafer");
  EXPECT_EQ(node->Chain().String(), "chains/pv");
}

TEST(Names, RefusalNamesTheFieldAndThePattern) {
  auto bad = NodeName::Parse("node.parent", "chains/pv/wafer");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("node.parent"), std::string::npos) << bad.status();
  EXPECT_NE(bad.status().message().find("chains/{chain}/nodes/{node}"), std::string::npos)
      << bad.status();
}

TEST(Names, RefusesWrongCollectionsExtraSegmentsAndBadIds) {
  for (const char* name : {"", "chains/", "chains/pv/", "chain/pv", "chains/PV", "chains/p",
                           "chains/pv/nodes", "chains/pv/nodes/wafer/x", "nodes/pv/chains/w",
                           "chains/pv/edges/wafer", "chains//nodes/wafer"}) {
    EXPECT_FALSE(NodeName::Parse("n", name).ok()) << name;
  }
  for (const char* name : {"", "chains/", "chains/pv/", "chain/pv", "chains/PV", "pv"}) {
    EXPECT_FALSE(ChainName::Parse("c", name).ok()) << name;
  }
  EXPECT_FALSE(ChainName::ParseOrId("c", "PV").ok());
  EXPECT_FALSE(DepartmentName::Parse("d", "departments/").ok());
  EXPECT_EQ(DepartmentName::Parse("d", "departments/fgw")->department, "fgw");
}

TEST(Names, FormatFillsPlaceholdersInOrder) {
  EXPECT_EQ(FormatName("a/{x}/b/{y}", {"1", "2"}), "a/1/b/2");
  EXPECT_EQ(FormatName("projects/{id}", {"p-1"}), "projects/p-1");
}

TEST(Names, ACustomIdRuleIsApplied) {
  auto digits = [](absl::string_view id) {
    return !id.empty() && id.find_first_not_of("0123456789") == absl::string_view::npos;
  };
  EXPECT_TRUE(MatchName("f", "runs/42", "runs/{run}", "run", +digits).ok());
  EXPECT_FALSE(MatchName("f", "runs/x", "runs/{run}", "run", +digits).ok());
}

TEST(ManualClock, StandsStillUntilMoved) {
  ManualClock clock(absl::FromUnixSeconds(1000));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1000));
  clock.Advance(absl::Seconds(5));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1005));
  clock.Set(absl::FromUnixSeconds(7));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(7));
  EXPECT_GT(Clock::Real().Now(), absl::FromUnixSeconds(1700000000));
}

}  // namespace
}  // namespace chainhub
