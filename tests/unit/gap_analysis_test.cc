#include "services/registry/gap_analysis.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"

namespace chainhub::registry {
namespace {

v1::Node MakeNode(const std::string& chain, const std::string& id, v1::Segment segment, int order,
                  std::vector<std::string> products = {}, std::vector<std::string> targets = {}) {
  v1::Node n;
  n.set_name("chains/" + chain + "/nodes/" + id);
  n.set_display_name(id);
  n.set_segment(segment);
  n.set_order(order);
  for (auto& p : products) n.add_key_products(p);
  for (auto& t : targets) n.add_attraction_targets(t);
  return n;
}

MapFirm Firm(const std::string& code, std::vector<std::string> nodes,
             std::vector<v1::EnterpriseLabel> labels = {}, int64_t output = 0) {
  MapFirm f;
  f.credit_code = code;
  f.display_name = "firm-" + code;
  f.labels = labels;
  for (auto l : labels) f.lead |= l == v1::ENTERPRISE_LABEL_CHAIN_OWNER;
  f.annual_output_yuan = output;
  f.node_names = std::move(nodes);
  return f;
}

constexpr auto kOwner = v1::ENTERPRISE_LABEL_CHAIN_OWNER;
constexpr auto kSpecialized = v1::ENTERPRISE_LABEL_SPECIALIZED;

// quartz (strong) → wafer (missing) → cell (weak: no lead) ; station (weak: 1 firm)
GapInputs PvInputs() {
  GapInputs in;
  std::vector<v1::Node> nodes = {
      MakeNode("pv", "quartz", v1::SEGMENT_UPSTREAM, 0),
      MakeNode("pv", "wafer", v1::SEGMENT_UPSTREAM, 1, {"单晶硅片"}, {"隆基绿能", "TCL中环"}),
      MakeNode("pv", "cell", v1::SEGMENT_MIDSTREAM, 0),
      MakeNode("pv", "station", v1::SEGMENT_DOWNSTREAM, 0)};
  for (auto& n : nodes) in.nodes[n.name()] = n;
  v1::Node other = MakeNode("semiconductor", "silicon", v1::SEGMENT_UPSTREAM, 0, {"单晶硅片"});
  in.nodes[other.name()] = other;
  in.firms = {
      Firm("Q1", {"chains/pv/nodes/quartz"}, {kOwner}, 5'000'000'000),
      Firm("Q2", {"chains/pv/nodes/quartz"}, {kSpecialized}, 100),
      Firm("Q3", {"chains/pv/nodes/quartz"}),
      Firm("C1", {"chains/pv/nodes/cell"}, {}, 900),
      Firm("C2", {"chains/pv/nodes/cell"}, {kSpecialized}, 50),
      Firm("C3", {"chains/pv/nodes/cell"}, {}, 10),
      Firm("S1", {"chains/pv/nodes/station"}),
      Firm("X1", {"chains/semiconductor/nodes/silicon"}, {}, 70),
  };
  v1::Chain chain;
  chain.set_name("chains/pv");
  chain.set_display_name("光伏");
  in.map = BuildChainMap(chain, nodes, in.firms);
  return in;
}

const v1::NodeGap* FindGap(const v1::GapReport& r, const std::string& id) {
  for (const auto& g : r.gaps()) {
    if (g.node() == "chains/pv/nodes/" + id) return &g;
  }
  return nullptr;
}

TEST(AnalyzeGaps, ReportsMissingAndWeakLinksButNotStrongOnes) {
  v1::GapReport r = AnalyzeGaps(PvInputs(), absl::FromUnixSeconds(1'800'000'000));
  EXPECT_EQ(r.gaps_size(), 3);
  EXPECT_EQ(FindGap(r, "quartz"), nullptr);
  ASSERT_NE(FindGap(r, "wafer"), nullptr);
  EXPECT_EQ(FindGap(r, "wafer")->status(), v1::NODE_STATUS_MISSING);
  EXPECT_EQ(FindGap(r, "cell")->status(), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(FindGap(r, "station")->status(), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(r.generated_at().seconds(), 1'800'000'000);
}

TEST(AnalyzeGaps, MissingLinkGetsNeighbourAndCrossChainCandidates) {
  v1::GapReport r = AnalyzeGaps(PvInputs(), absl::Now());
  const v1::NodeGap* wafer = FindGap(r, "wafer");
  ASSERT_NE(wafer, nullptr);
  std::vector<std::string> codes;
  for (const auto& c : wafer->candidates()) codes.push_back(c.enterprise());
  // Labelled firms on the neighbours quartz and cell, and the firm making 单晶硅片 elsewhere.
  EXPECT_NE(std::find(codes.begin(), codes.end(), "enterprises/Q1"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "enterprises/C2"), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), "enterprises/X1"), codes.end());
  // An unlabelled neighbour is no candidate.
  EXPECT_EQ(std::find(codes.begin(), codes.end(), "enterprises/Q3"), codes.end());
}

TEST(AnalyzeGaps, WeakLinkWithoutLeadFirmIsToBeStrengthenedFromItsLargestFirm) {
  v1::GapReport r = AnalyzeGaps(PvInputs(), absl::Now());
  const v1::AttractionItem* cell = nullptr;
  for (const auto& item : r.attraction_list()) {
    if (item.node() == "chains/pv/nodes/cell") cell = &item;
  }
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->action(), v1::CHAIN_ACTION_STRENGTHEN);
  ASSERT_GT(cell->local_candidates_size(), 0);
  // Specialised firm first, then by output.
  EXPECT_EQ(cell->local_candidates(0).enterprise(), "enterprises/C2");
}

TEST(AnalyzeGaps, AttractionListIsPrioritisedMissingFirst) {
  v1::GapReport r = AnalyzeGaps(PvInputs(), absl::Now());
  ASSERT_EQ(r.attraction_list_size(), 3);
  for (int i = 0; i < r.attraction_list_size(); ++i) {
    EXPECT_EQ(r.attraction_list(i).priority(), i + 1);
  }
  EXPECT_EQ(r.attraction_list(0).node(), "chains/pv/nodes/wafer");
  EXPECT_EQ(r.attraction_list(0).action(), v1::CHAIN_ACTION_EXTEND);
  EXPECT_EQ(r.attraction_list(0).targets_size(), 2);
  EXPECT_NE(r.attraction_list(0).rationale().find("隆基绿能"), std::string::npos);
  // The station link has one firm: fill it.
  EXPECT_EQ(r.attraction_list(2).node(), "chains/pv/nodes/station");
  EXPECT_EQ(r.attraction_list(2).action(), v1::CHAIN_ACTION_FILL);
}

TEST(AnalyzeGaps, MissingLinkWithNoLocalCandidateIsToBeBuilt) {
  GapInputs in;
  v1::Node lone = MakeNode("pv", "inverter", v1::SEGMENT_DOWNSTREAM, 0, {}, {"阳光电源"});
  in.nodes[lone.name()] = lone;
  v1::Chain chain;
  chain.set_name("chains/pv");
  in.map = BuildChainMap(chain, {lone}, {});
  v1::GapReport r = AnalyzeGaps(in, absl::Now());
  ASSERT_EQ(r.attraction_list_size(), 1);
  EXPECT_EQ(r.attraction_list(0).action(), v1::CHAIN_ACTION_BUILD);
  EXPECT_NE(r.attraction_list(0).rationale().find("阳光电源"), std::string::npos);
}

TEST(AnalyzeGaps, CandidatesAreCappedPerNode) {
  GapInputs in = PvInputs();
  for (int i = 0; i < 30; ++i) {
    in.firms.push_back(Firm("N" + std::to_string(i), {"chains/pv/nodes/quartz"}, {kSpecialized}));
  }
  v1::Chain chain;
  chain.set_name("chains/pv");
  std::vector<v1::Node> nodes;
  for (const auto& [name, n] : in.nodes) nodes.push_back(n);
  in = GapInputsFor(chain, nodes, in.firms);
  v1::GapReport r = AnalyzeGaps(in, absl::Now());
  const v1::NodeGap* wafer = FindGap(r, "wafer");
  ASSERT_NE(wafer, nullptr);
  EXPECT_EQ(wafer->candidates_size(), kMaxCandidatesPerNode);
}

TEST(GapInputsFor, MapsTheAnalysedChainAndKeepsEveryNodeForMatching) {
  v1::Chain chain;
  chain.set_name("chains/pv");
  std::vector<v1::Node> nodes = {MakeNode("pv", "quartz", v1::SEGMENT_UPSTREAM, 0),
                                 MakeNode("pv", "wafer", v1::SEGMENT_UPSTREAM, 1),
                                 // A chain whose id starts with "pv" is another chain.
                                 MakeNode("pv-storage", "battery", v1::SEGMENT_MIDSTREAM, 0),
                                 MakeNode("semiconductor", "silicon", v1::SEGMENT_UPSTREAM, 0)};
  GapInputs in = GapInputsFor(chain, nodes, {Firm("Q1", {"chains/pv/nodes/quartz"}, {kOwner})});
  EXPECT_EQ(in.map.chain(), "chains/pv");
  EXPECT_EQ(in.map.node_count(), 2);
  EXPECT_EQ(in.map.enterprise_count(), 1);
  EXPECT_EQ(in.nodes.size(), 4u);
  EXPECT_TRUE(in.nodes.contains("chains/pv-storage/nodes/battery"));
  ASSERT_EQ(in.firms.size(), 1u);
}

}  // namespace
}  // namespace chainhub::registry
