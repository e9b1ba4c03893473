#include "services/registry/chain_map.h"

#include <gtest/gtest.h>

namespace chainhub::registry {
namespace {

v1::Node MakeNode(const std::string& id, v1::Segment segment, int order,
                  const std::string& parent = "") {
  v1::Node n;
  n.set_name("chains/pv/nodes/" + id);
  n.set_display_name(id);
  n.set_segment(segment);
  n.set_order(order);
  if (!parent.empty()) n.set_parent("chains/pv/nodes/" + parent);
  return n;
}

MapFirm Firm(const std::string& code, std::vector<std::string> nodes, bool lead = false) {
  MapFirm f;
  f.credit_code = code;
  f.display_name = code;
  f.lead = lead;
  if (lead) f.labels.push_back(v1::ENTERPRISE_LABEL_CHAIN_OWNER);
  for (auto& n : nodes) f.node_names.push_back("chains/pv/nodes/" + n);
  return f;
}

v1::Chain Pv() {
  v1::Chain c;
  c.set_name("chains/pv");
  c.set_display_name("光伏");
  return c;
}

TEST(NodeStatus, NoFirmIsMissing) { EXPECT_EQ(NodeStatusFor(0, 0), v1::NODE_STATUS_MISSING); }

TEST(NodeStatus, FewerThanThreeFirmsIsWeakEvenWithALeadFirm) {
  EXPECT_EQ(NodeStatusFor(2, 1), v1::NODE_STATUS_WEAK);
}

TEST(NodeStatus, ManyFirmsWithoutALeadFirmIsWeak) {
  EXPECT_EQ(NodeStatusFor(10, 0), v1::NODE_STATUS_WEAK);
}

TEST(NodeStatus, ThreeFirmsAndALeadFirmIsStrong) {
  EXPECT_EQ(NodeStatusFor(3, 1), v1::NODE_STATUS_STRONG);
}

TEST(NodeStatus, RulesAreParameters) {
  NodeStatusRules strict{5, 2};
  EXPECT_EQ(NodeStatusFor(4, 2, strict), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(NodeStatusFor(5, 1, strict), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(NodeStatusFor(5, 2, strict), v1::NODE_STATUS_STRONG);
}

TEST(BuildChainMap, OrdersRootsUpstreamToDownstreamThenByOrder) {
  std::vector<v1::Node> nodes = {
      MakeNode("station", v1::SEGMENT_DOWNSTREAM, 0), MakeNode("module", v1::SEGMENT_MIDSTREAM, 2),
      MakeNode("cell", v1::SEGMENT_MIDSTREAM, 1), MakeNode("quartz", v1::SEGMENT_UPSTREAM, 0)};
  v1::ChainMap map = BuildChainMap(Pv(), nodes, {});
  ASSERT_EQ(map.roots_size(), 4);
  EXPECT_EQ(map.roots(0).node().display_name(), "quartz");
  EXPECT_EQ(map.roots(1).node().display_name(), "cell");
  EXPECT_EQ(map.roots(2).node().display_name(), "module");
  EXPECT_EQ(map.roots(3).node().display_name(), "station");
  EXPECT_EQ(map.node_count(), 4);
  EXPECT_EQ(map.missing_count(), 4);
}

TEST(BuildChainMap, CountsIncludeTheSubtreeAndCountEachFirmOnce) {
  std::vector<v1::Node> nodes = {MakeNode("materials", v1::SEGMENT_UPSTREAM, 0),
                                 MakeNode("quartz", v1::SEGMENT_UPSTREAM, 0, "materials"),
                                 MakeNode("glass", v1::SEGMENT_UPSTREAM, 1, "materials")};
  std::vector<MapFirm> firms = {Firm("A", {"quartz", "glass"}, /*lead=*/true),
                                Firm("B", {"quartz"}), Firm("C", {"glass"}),
                                Firm("D", {"materials"})};
  v1::ChainMap map = BuildChainMap(Pv(), nodes, firms);
  ASSERT_EQ(map.roots_size(), 1);
  const auto& group = map.roots(0);
  EXPECT_EQ(group.enterprise_count(), 4);  // A counted once although on two children
  EXPECT_EQ(group.lead_firm_count(), 1);
  EXPECT_EQ(group.status(), v1::NODE_STATUS_STRONG);
  ASSERT_EQ(group.children_size(), 2);
  EXPECT_EQ(group.children(0).node().display_name(), "quartz");
  EXPECT_EQ(group.children(0).enterprise_count(), 2);
  EXPECT_EQ(group.children(0).status(), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(map.enterprise_count(), 4);
  EXPECT_EQ(map.strong_count(), 1);
  EXPECT_EQ(map.weak_count(), 2);
}

TEST(BuildChainMap, IgnoresMembershipsOnOtherChains) {
  std::vector<v1::Node> nodes = {MakeNode("cell", v1::SEGMENT_MIDSTREAM, 0)};
  MapFirm f = Firm("A", {"cell"});
  f.node_names.push_back("chains/nev-battery/nodes/cell");
  v1::ChainMap map = BuildChainMap(Pv(), nodes, {f, Firm("B", {}), Firm("C", {})});
  EXPECT_EQ(map.roots(0).enterprise_count(), 1);
  EXPECT_EQ(map.enterprise_count(), 1);
}

TEST(BuildChainMap, ANodeWhoseParentIsAbsentBecomesARoot) {
  std::vector<v1::Node> nodes = {MakeNode("cell", v1::SEGMENT_MIDSTREAM, 0, "gone")};
  v1::ChainMap map = BuildChainMap(Pv(), nodes, {});
  ASSERT_EQ(map.roots_size(), 1);
  EXPECT_EQ(map.node_count(), 1);
}

}  // namespace
}  // namespace chainhub::registry
