#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/registry/node_tree.h"

namespace chainhub::registry {
namespace {

v1::Node NodeUnder(const std::string& parent) {
  v1::Node n;
  if (!parent.empty()) n.set_parent(NodeName{"pv", parent}.String());
  return n;
}

v1::Node Stored(const std::string& id, const std::string& parent) {
  v1::Node n = NodeUnder(parent);
  n.set_name(NodeName{"pv", id}.String());
  return n;
}

// quartz → wafer → cell, and glass on its own.
NodeParents PvParents() {
  return {{"quartz", ""}, {"wafer", "quartz"}, {"cell", "wafer"}, {"glass", ""}};
}

std::string RuleOf(const absl::Status& s) { return std::string(s.message()); }

TEST(CheckParent, ARootNeedsNoParent) {
  EXPECT_TRUE(CheckParent({"pv", "module"}, NodeUnder(""), PvParents()).ok());
}

TEST(CheckParent, AcceptsAnExistingNodeOfTheSameChain) {
  EXPECT_TRUE(CheckParent({"pv", "module"}, NodeUnder("cell"), PvParents()).ok());
  // Moving a stored node under a node outside its subtree.
  EXPECT_TRUE(CheckParent({"pv", "wafer"}, NodeUnder("glass"), PvParents()).ok());
}

TEST(CheckParent, RefusesANodeOfAnotherChain) {
  v1::Node node;
  node.set_parent("chains/semiconductor/nodes/silicon");
  absl::Status s = CheckParent({"pv", "module"}, node, PvParents());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(s), "node.parent: must be a node of the same chain");
}

TEST(CheckParent, RefusesAParentThatDoesNotExist) {
  absl::Status s = CheckParent({"pv", "module"}, NodeUnder("inverter"), PvParents());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(s), "node.parent: chains/pv/nodes/inverter does not exist");
}

TEST(CheckParent, RefusesTheNodeItselfAsItsParent) {
  absl::Status s = CheckParent({"pv", "wafer"}, NodeUnder("wafer"), PvParents());
  EXPECT_EQ(RuleOf(s), "node.parent: would make the node its own ancestor");
}

TEST(CheckParent, RefusesANodeBelowItAsItsParent) {
  absl::Status s = CheckParent({"pv", "quartz"}, NodeUnder("cell"), PvParents());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(s), "node.parent: would make the node its own ancestor");
}

TEST(CheckParent, AStoredAncestorMissingFromTheTreeIsNotFound) {
  NodeParents parents = {{"cell", "wafer"}};  // wafer's row is gone
  absl::Status s = CheckParent({"pv", "module"}, NodeUnder("cell"), parents);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;
}

TEST(CheckParent, StopsFollowingACorruptLoopOfStoredParents) {
  NodeParents parents = {{"a1", "b1"}, {"b1", "a1"}};
  EXPECT_TRUE(CheckParent({"pv", "module"}, NodeUnder("a1"), parents).ok());
}

TEST(Subtree, ListsTheNodeAndEverythingBelowItParentsFirst) {
  std::vector<v1::Node> chain = {Stored("cell", "wafer"), Stored("glass", ""),
                                 Stored("wafer", "quartz"), Stored("quartz", ""),
                                 Stored("ingot", "quartz")};
  std::vector<v1::Node> subtree = Subtree(chain[3], chain);
  std::vector<std::string> names;
  for (const auto& n : subtree) names.push_back(n.name());
  EXPECT_EQ(names, (std::vector<std::string>{"chains/pv/nodes/quartz", "chains/pv/nodes/wafer",
                                             "chains/pv/nodes/ingot", "chains/pv/nodes/cell"}));
}

TEST(Subtree, ALeafIsItsOwnSubtree) {
  std::vector<v1::Node> chain = {Stored("quartz", ""), Stored("wafer", "quartz")};
  EXPECT_EQ(Subtree(chain[1], chain).size(), 1u);
}

TEST(Subtree, EndsOnACorruptLoopOfStoredParents) {
  std::vector<v1::Node> chain = {Stored("a1", "b1"), Stored("b1", "a1")};
  EXPECT_EQ(Subtree(chain[0], chain).size(), 2u);
}

}  // namespace
}  // namespace chainhub::registry
