// Integration tests of the registry's chain-map nodes over real gRPC: CRUD, validation (ids,
// segment, parent rules, order), subtree deletes, the chain map with its counts and node status,
// gap analysis with the attraction list, and the cache in front of the map.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/metrics.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using grpc::StatusCode;

class RegistryNodes : public SharedRegistryTest<RegistryNodes> {};

TEST_F(RegistryNodes, CreatesGetsListsUpdatesAndDeletesANode) {
  CreateChain(admin(), "ncrud");
  v1::Node up = MakeNode("上游材料", v1::SEGMENT_UPSTREAM, "", 0);
  up.add_key_products("多晶硅");
  up.add_attraction_targets("通威股份");
  v1::Node created = CreateNode(admin(), "ncrud", "materials", up);
  EXPECT_EQ(created.name(), NodeName("ncrud", "materials"));
  EXPECT_EQ(created.key_products(0), "多晶硅");
  EXPECT_FALSE(created.etag().empty());
  CreateNode(admin(), "ncrud", "wafer",
             MakeNode("硅片", v1::SEGMENT_UPSTREAM, NodeName("ncrud", "materials"), 1));
  CreateNode(admin(), "ncrud", "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
  CreateNode(admin(), "ncrud", "plants", MakeNode("电站", v1::SEGMENT_DOWNSTREAM));

  v1::GetNodeRequest get;
  get.set_name(NodeName("ncrud", "wafer"));
  v1::Node wafer;
  ASSERT_TRUE(admin()(&Stub::GetNode, get, &wafer).ok());
  EXPECT_EQ(wafer.parent(), NodeName("ncrud", "materials"));
  EXPECT_EQ(wafer.order(), 1);

  auto list = [&](const std::string& filter) {
    v1::ListNodesRequest req;
    req.set_parent("chains/ncrud");
    req.set_filter(filter);
    v1::ListNodesResponse resp;
    grpc::Status s = admin()(&Stub::ListNodes, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& n : resp.nodes()) ids.push_back(n.name().substr(n.name().rfind('/') + 1));
    return ids;
  };
  // Upstream to downstream, then by order.
  EXPECT_EQ(list(""), (std::vector<std::string>{"materials", "wafer", "cells", "plants"}));
  EXPECT_EQ(list("segment = UPSTREAM"), (std::vector<std::string>{"materials", "wafer"}));
  EXPECT_EQ(list("parent = \"chains/ncrud/nodes/materials\""), (std::vector<std::string>{"wafer"}));
  EXPECT_EQ(list("display_name = \"电站\""), (std::vector<std::string>{"plants"}));
  EXPECT_EQ(list("parent = \"\""), (std::vector<std::string>{"materials", "cells", "plants"}));
  EXPECT_EQ(list("segment != UPSTREAM"), (std::vector<std::string>{"cells", "plants"}));
  // One node per page, resumed after (segment, order, id) of the last.
  {
    v1::ListNodesRequest req;
    req.set_parent("chains/ncrud");
    req.set_page_size(1);
    std::vector<std::string> paged;
    for (int page = 0; page < 10; ++page) {
      v1::ListNodesResponse resp;
      ASSERT_TRUE(admin()(&Stub::ListNodes, req, &resp).ok());
      ASSERT_LE(resp.nodes_size(), 1);
      for (const auto& n : resp.nodes()) paged.push_back(n.name().substr(n.name().rfind('/') + 1));
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    EXPECT_EQ(paged, (std::vector<std::string>{"materials", "wafer", "cells", "plants"}));
    // A token of this chain's list is not one of another chain's.
    v1::ListNodesRequest first;
    first.set_parent("chains/ncrud");
    first.set_page_size(1);
    v1::ListNodesResponse resp;
    ASSERT_TRUE(admin()(&Stub::ListNodes, first, &resp).ok());
    CreateChain(admin(), "ncrud-other");
    first.set_parent("chains/ncrud-other");
    first.set_page_token(resp.next_page_token());
    EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListNodes, first), "page_token"));
  }
  v1::ListNodesRequest bad;
  bad.set_parent("chains/ncrud");
  bad.set_filter("segment = SIDEWAYS");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListNodes, bad), "filter"));
  bad.set_filter("colour = red");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListNodes, bad), "filter"));
  bad.set_parent("chains/ncrud-absent");
  bad.clear_filter();
  EXPECT_TRUE(HasCode(admin().Status(&Stub::ListNodes, bad), StatusCode::NOT_FOUND));

  v1::UpdateNodeRequest update;
  update.mutable_node()->set_name(NodeName("ncrud", "wafer"));
  update.mutable_node()->set_display_name("单晶硅片");
  update.mutable_node()->set_etag("0-0");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::UpdateNode, update), StatusCode::ABORTED));
  update.mutable_node()->set_etag(wafer.etag());
  v1::Node updated;
  ASSERT_TRUE(admin()(&Stub::UpdateNode, update, &updated).ok());
  EXPECT_EQ(updated.display_name(), "单晶硅片");
  EXPECT_EQ(updated.parent(), wafer.parent());
  EXPECT_NE(updated.etag(), wafer.etag());
  EXPECT_TRUE(HasCode(admin().Status(&Stub::UpdateNode, update), StatusCode::ABORTED));
  update.mutable_update_mask()->set_paths(0, "etag");
  update.mutable_node()->clear_etag();
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateNode, update), "update_mask"));

  v1::DeleteNodeRequest del;
  del.set_name(NodeName("ncrud", "plants"));
  del.set_etag("0-0");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteNode, del), StatusCode::ABORTED));
  del.clear_etag();
  ASSERT_TRUE(admin().Status(&Stub::DeleteNode, del).ok());
  EXPECT_EQ(list(""), (std::vector<std::string>{"materials", "wafer", "cells"}));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteNode, del), StatusCode::NOT_FOUND));

  v1::CreateNodeRequest again;
  again.set_parent("chains/ncrud");
  again.set_node_id("cells");
  *again.mutable_node() = MakeNode("电池片", v1::SEGMENT_MIDSTREAM);
  EXPECT_TRUE(HasCode(admin().Status(&Stub::CreateNode, again), StatusCode::ALREADY_EXISTS));
  again.set_parent("chains/ncrud-absent");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::CreateNode, again), StatusCode::NOT_FOUND));
}

TEST_F(RegistryNodes, CreateRejectsABadValueInEachValidatedField) {
  CreateChain(admin(), "nval");
  CreateChain(admin(), "nval-other");
  CreateNode(admin(), "nval-other", "foreign", MakeNode("外链节点", v1::SEGMENT_UPSTREAM));
  struct Case {
    std::string name;
    std::string node_id;
    v1::Node node;
    std::string field;
  };
  auto node = [](auto&& spoil) {
    v1::Node n = MakeNode("硅片", v1::SEGMENT_UPSTREAM);
    spoil(n);
    return n;
  };
  const std::vector<Case> cases = {
      {"node_id with upper case", "Wafer", node([](v1::Node&) {}), "node_id"},
      {"node_id with a slash", "wa/fer", node([](v1::Node&) {}), "node_id"},
      {"segment unspecified", "wafer", node([](v1::Node& n) { n.clear_segment(); }),
       "node.segment"},
      {"segment out of range", "wafer",
       node([](v1::Node& n) { n.set_segment(static_cast<v1::Segment>(7)); }), "node.segment"},
      {"empty display_name", "wafer", node([](v1::Node& n) { n.clear_display_name(); }),
       "node.display_name"},
      {"parent in another chain", "wafer",
       node([](v1::Node& n) { n.set_parent(NodeName("nval-other", "foreign")); }), "node.parent"},
      {"parent that does not exist", "wafer",
       node([](v1::Node& n) { n.set_parent(NodeName("nval", "nowhere")); }), "node.parent"},
      {"malformed parent", "wafer", node([](v1::Node& n) { n.set_parent("materials"); }),
       "node.parent"},
      {"negative order", "wafer", node([](v1::Node& n) { n.set_order(-1); }), "node.order"},
      {"duplicate key product", "wafer", node([](v1::Node& n) {
         n.add_key_products("硅片");
         n.add_key_products("硅片");
       }),
       "node.key_products[1]"},
      {"unknown province category override", "wafer",
       node([](v1::Node& n) { n.add_province_category_override("no-such-chain"); }),
       "node.province_category_override[0]"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    v1::CreateNodeRequest req;
    req.set_parent("chains/nval");
    req.set_node_id(tc.node_id);
    *req.mutable_node() = tc.node;
    EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateNode, req), tc.field));
  }
  v1::CreateNodeRequest bad_parent;
  bad_parent.set_parent("nval");
  bad_parent.set_node_id("wafer");
  *bad_parent.mutable_node() = MakeNode("硅片", v1::SEGMENT_UPSTREAM);
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateNode, bad_parent), "parent"));
  v1::GetNodeRequest get;
  get.set_name(NodeName("nval", "wafer"));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetNode, get), StatusCode::NOT_FOUND));
}

TEST_F(RegistryNodes, UpdateRefusesAParentThatWouldMakeACycle) {
  CreateChain(admin(), "ncyc");
  CreateNode(admin(), "ncyc", "na", MakeNode("甲", v1::SEGMENT_UPSTREAM));
  CreateNode(admin(), "ncyc", "nb", MakeNode("乙", v1::SEGMENT_UPSTREAM, NodeName("ncyc", "na")));
  CreateNode(admin(), "ncyc", "nc", MakeNode("丙", v1::SEGMENT_UPSTREAM, NodeName("ncyc", "nb")));

  v1::UpdateNodeRequest req;
  req.mutable_update_mask()->add_paths("parent");
  req.mutable_node()->set_name(NodeName("ncyc", "na"));
  for (const std::string& parent :
       {NodeName("ncyc", "nc"), NodeName("ncyc", "nb"), NodeName("ncyc", "na")}) {
    req.mutable_node()->set_parent(parent);
    EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateNode, req), "node.parent")) << parent;
  }
  // Moving a leaf elsewhere is fine, and a node can become a root again.
  req.mutable_node()->set_name(NodeName("ncyc", "nc"));
  req.mutable_node()->set_parent(NodeName("ncyc", "na"));
  v1::Node moved;
  ASSERT_TRUE(admin()(&Stub::UpdateNode, req, &moved).ok());
  EXPECT_EQ(moved.parent(), NodeName("ncyc", "na"));
  req.mutable_node()->clear_parent();
  ASSERT_TRUE(admin()(&Stub::UpdateNode, req, &moved).ok());
  EXPECT_EQ(moved.parent(), "");
  req.mutable_node()->set_order(-3);
  req.mutable_update_mask()->set_paths(0, "order");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateNode, req), "node.order"));
}

TEST_F(RegistryNodes, DeleteWithChildrenIsRefusedUnlessForced) {
  CreateChain(admin(), "ndel");
  CreateNode(admin(), "ndel", "top", MakeNode("顶", v1::SEGMENT_UPSTREAM));
  CreateNode(admin(), "ndel", "mid", MakeNode("中", v1::SEGMENT_UPSTREAM, NodeName("ndel", "top")));
  CreateNode(admin(), "ndel", "leaf",
             MakeNode("叶", v1::SEGMENT_UPSTREAM, NodeName("ndel", "mid")));
  CreateNode(admin(), "ndel", "keep", MakeNode("留", v1::SEGMENT_DOWNSTREAM));
  const std::string code = GeneratedCode(8001);
  CreateEnterprise(admin(), MakeEnterprise(code, "滁州叶片科技有限公司",
                                           {NodeName("ndel", "leaf"), NodeName("ndel", "keep")}));

  v1::GetEnterpriseRequest get_e;
  get_e.set_name(EnterpriseName(code));
  v1::Enterprise e;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get_e, &e).ok());  // cached from here on
  ASSERT_EQ(e.memberships_size(), 2);
  EXPECT_EQ(GetChainMap(admin(), "ndel").node_count(), 4);

  v1::DeleteNodeRequest del;
  del.set_name(NodeName("ndel", "top"));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteNode, del), StatusCode::FAILED_PRECONDITION));
  // A node with a member enterprise and no children is refused too.
  del.set_name(NodeName("ndel", "leaf"));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteNode, del), StatusCode::FAILED_PRECONDITION));

  del.set_name(NodeName("ndel", "top"));
  del.set_force(true);
  grpc::Status s = admin().Status(&Stub::DeleteNode, del);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const std::string id : {"top", "mid", "leaf"}) {
    v1::GetNodeRequest get;
    get.set_name(NodeName("ndel", id));
    EXPECT_TRUE(HasCode(admin().Status(&Stub::GetNode, get), StatusCode::NOT_FOUND)) << id;
  }
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get_e, &e).ok());
  ASSERT_EQ(e.memberships_size(), 1);
  EXPECT_EQ(e.memberships(0), NodeName("ndel", "keep"));
  v1::ChainMap map = GetChainMap(admin(), "ndel");
  EXPECT_EQ(map.node_count(), 1);
  EXPECT_EQ(map.enterprise_count(), 1);
}

// A photovoltaic chain:
//   upstream   materials ─┬─ silicon   1 firm (A)                         → WEAK
//                         └─ wafer     A, B(lead), C, D                   → STRONG
//   midstream  cells       E(专精特新), F, G — no lead firm                → WEAK
//   downstream plants      nobody                                         → MISSING
// materials holds A, B, C, D (A counted once) with a lead → STRONG.
class RegistryChainMap : public SharedRegistryTest<RegistryChainMap> {
 protected:
  static void Build(const Caller& as, const std::string& chain) {
    CreateChain(as, chain, MakeChain("光伏"));
    CreateNode(as, chain, "materials", MakeNode("材料", v1::SEGMENT_UPSTREAM, "", 0));
    CreateNode(as, chain, "silicon",
               MakeNode("多晶硅", v1::SEGMENT_UPSTREAM, NodeName(chain, "materials"), 0));
    CreateNode(as, chain, "wafer",
               MakeNode("硅片", v1::SEGMENT_UPSTREAM, NodeName(chain, "materials"), 1));
    CreateNode(as, chain, "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
    v1::Node plants = MakeNode("光伏电站", v1::SEGMENT_DOWNSTREAM);
    plants.add_attraction_targets("国家电投");
    plants.add_attraction_targets("华能集团");
    CreateNode(as, chain, "plants", plants);
  }
  static std::string Code(const std::string& chain, int i) {
    return GeneratedCode(static_cast<int>(std::hash<std::string>{}(chain) % 100000) * 100 + i);
  }
  static void Populate(const Caller& as, const std::string& chain) {
    using L = v1::EnterpriseLabel;
    auto on = [&](std::initializer_list<const char*> nodes) {
      std::vector<std::string> out;
      for (const char* n : nodes) out.push_back(NodeName(chain, n));
      return out;
    };
    CreateEnterprise(as, MakeEnterprise(Code(chain, 1), "A 硅业", on({"silicon", "wafer"})));
    CreateEnterprise(as, MakeEnterprise(Code(chain, 2), "B 硅片龙头", on({"wafer"}),
                                        {L::ENTERPRISE_LABEL_CHAIN_OWNER}, 9'000'000'000));
    CreateEnterprise(as, MakeEnterprise(Code(chain, 3), "C 硅片", on({"wafer"})));
    CreateEnterprise(as, MakeEnterprise(Code(chain, 4), "D 硅片", on({"wafer"})));
    CreateEnterprise(as, MakeEnterprise(Code(chain, 5), "E 电池专精特新", on({"cells"}),
                                        {L::ENTERPRISE_LABEL_SPECIALIZED}, 500'000'000));
    CreateEnterprise(as, MakeEnterprise(Code(chain, 6), "F 电池", on({"cells"})));
    CreateEnterprise(as, MakeEnterprise(Code(chain, 7), "G 电池", on({"cells"})));
  }
};

TEST_F(RegistryChainMap, CountsTheSubtreeAndRatesEachNode) {
  Build(admin(), "map-pv");
  v1::ChainMap empty = GetChainMap(admin(), "map-pv");
  EXPECT_EQ(empty.node_count(), 5);
  EXPECT_EQ(empty.missing_count(), 5);
  EXPECT_EQ(empty.enterprise_count(), 0);
  Populate(admin(), "map-pv");

  v1::ChainMap map = GetChainMap(admin(), "map-pv");
  EXPECT_EQ(map.chain(), "chains/map-pv");
  EXPECT_EQ(map.display_name(), "光伏");
  ASSERT_EQ(map.roots_size(), 3);
  EXPECT_EQ(map.roots(0).node().name(), NodeName("map-pv", "materials"));
  EXPECT_EQ(map.roots(1).node().name(), NodeName("map-pv", "cells"));
  EXPECT_EQ(map.roots(2).node().name(), NodeName("map-pv", "plants"));
  ASSERT_EQ(map.roots(0).children_size(), 2);
  EXPECT_EQ(map.roots(0).children(0).node().name(), NodeName("map-pv", "silicon"));
  EXPECT_EQ(map.roots(0).children(1).node().name(), NodeName("map-pv", "wafer"));

  struct Expect {
    const char* node;
    int firms;
    int leads;
    v1::NodeStatus status;
  };
  for (const Expect& e :
       {Expect{"materials", 4, 1, v1::NODE_STATUS_STRONG},
        Expect{"silicon", 1, 0, v1::NODE_STATUS_WEAK},
        Expect{"wafer", 4, 1, v1::NODE_STATUS_STRONG}, Expect{"cells", 3, 0, v1::NODE_STATUS_WEAK},
        Expect{"plants", 0, 0, v1::NODE_STATUS_MISSING}}) {
    SCOPED_TRACE(e.node);
    const v1::ChainMapNode* n = FindMapNode(map, NodeName("map-pv", e.node));
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->enterprise_count(), e.firms);
    EXPECT_EQ(n->lead_firm_count(), e.leads);
    EXPECT_EQ(n->status(), e.status);
  }
  EXPECT_EQ(map.node_count(), 5);
  EXPECT_EQ(map.strong_count(), 2);
  EXPECT_EQ(map.weak_count(), 2);
  EXPECT_EQ(map.missing_count(), 1);
  EXPECT_EQ(map.enterprise_count(), 7);

  // Two firms but a lead firm among them is still WEAK (fewer than 3); a third makes it STRONG.
  v1::UpdateEnterpriseRequest move;
  move.mutable_enterprise()->set_name(EnterpriseName(Code("map-pv", 2)));
  move.mutable_enterprise()->add_memberships(NodeName("map-pv", "wafer"));
  move.mutable_enterprise()->add_memberships(NodeName("map-pv", "silicon"));
  move.mutable_update_mask()->add_paths("memberships");
  ASSERT_TRUE(admin().Status(&Stub::UpdateEnterprise, move).ok());
  map = GetChainMap(admin(), "map-pv");
  const v1::ChainMapNode* silicon = FindMapNode(map, NodeName("map-pv", "silicon"));
  ASSERT_NE(silicon, nullptr);
  EXPECT_EQ(silicon->enterprise_count(), 2);
  EXPECT_EQ(silicon->lead_firm_count(), 1);
  EXPECT_EQ(silicon->status(), v1::NODE_STATUS_WEAK);
  move.mutable_enterprise()->set_name(EnterpriseName(Code("map-pv", 3)));
  ASSERT_TRUE(admin().Status(&Stub::UpdateEnterprise, move).ok());
  map = GetChainMap(admin(), "map-pv");
  silicon = FindMapNode(map, NodeName("map-pv", "silicon"));
  ASSERT_NE(silicon, nullptr);
  EXPECT_EQ(silicon->enterprise_count(), 3);
  EXPECT_EQ(silicon->status(), v1::NODE_STATUS_STRONG);
  EXPECT_EQ(FindMapNode(map, NodeName("map-pv", "materials"))->enterprise_count(), 4);

  v1::GetChainMapRequest absent;
  absent.set_name("chains/map-absent");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetChainMap, absent), StatusCode::NOT_FOUND));
}

TEST_F(RegistryChainMap, AnalyzeGapsReportsMissingAndWeakLinksWithAnAttractionList) {
  Build(admin(), "gap-pv");
  Populate(admin(), "gap-pv");
  v1::AnalyzeGapsRequest req;
  req.set_name("chains/gap-pv");
  v1::GapReport report;
  grpc::Status s = admin()(&Stub::AnalyzeGaps, req, &report);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(report.chain(), "chains/gap-pv");
  EXPECT_EQ(report.node_count(), 5);
  EXPECT_EQ(report.missing_count(), 1);
  EXPECT_EQ(report.weak_count(), 2);
  EXPECT_EQ(report.strong_count(), 2);

  // Links (leaf nodes) only, upstream to downstream.
  ASSERT_EQ(report.gaps_size(), 3);
  EXPECT_EQ(report.gaps(0).node(), NodeName("gap-pv", "silicon"));
  EXPECT_EQ(report.gaps(0).status(), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(report.gaps(1).node(), NodeName("gap-pv", "cells"));
  EXPECT_EQ(report.gaps(1).status(), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(report.gaps(1).lead_firm_count(), 0);
  const v1::NodeGap& plants = report.gaps(2);
  EXPECT_EQ(plants.node(), NodeName("gap-pv", "plants"));
  EXPECT_EQ(plants.status(), v1::NODE_STATUS_MISSING);
  EXPECT_EQ(plants.enterprise_count(), 0);
  EXPECT_FALSE(plants.reason().empty());
  // The 专精特新 firm on the neighbouring link (cells) is a candidate for the missing link.
  ASSERT_GE(plants.candidates_size(), 1);
  EXPECT_EQ(plants.candidates(0).enterprise(), EnterpriseName(Code("gap-pv", 5)));
  EXPECT_TRUE(absl::StrContains(plants.candidates(0).reason(), "电池片"))
      << plants.candidates(0).reason();

  // One attraction item per gap, priorities 1..n; the missing downstream link comes first.
  ASSERT_EQ(report.attraction_list_size(), 3);
  for (int i = 0; i < report.attraction_list_size(); ++i) {
    EXPECT_EQ(report.attraction_list(i).priority(), i + 1);
    EXPECT_FALSE(report.attraction_list(i).rationale().empty());
  }
  const v1::AttractionItem& first = report.attraction_list(0);
  EXPECT_EQ(first.node(), NodeName("gap-pv", "plants"));
  EXPECT_EQ(first.action(), v1::CHAIN_ACTION_EXTEND);
  EXPECT_EQ(std::vector<std::string>(first.targets().begin(), first.targets().end()),
            (std::vector<std::string>{"国家电投", "华能集团"}));
  ASSERT_GE(first.local_candidates_size(), 1);
  EXPECT_EQ(first.local_candidates(0).enterprise(), EnterpriseName(Code("gap-pv", 5)));
  EXPECT_EQ(report.attraction_list(1).node(), NodeName("gap-pv", "silicon"));
  EXPECT_EQ(report.attraction_list(1).action(), v1::CHAIN_ACTION_FILL);
  EXPECT_EQ(report.attraction_list(2).node(), NodeName("gap-pv", "cells"));
  EXPECT_EQ(report.attraction_list(2).action(), v1::CHAIN_ACTION_STRENGTHEN);

  req.set_name("chains/gap-absent");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::AnalyzeGaps, req), StatusCode::NOT_FOUND));
  req.set_name("gap-pv");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::AnalyzeGaps, req), "name"));
}

// "hit" counts reads served by a cache, Redis or the in-process tier.
double CacheCount(const std::string& result) {
  auto count = [](const char* r) {
    return MetricsRegistry::Global().Value("chainhub_cache_requests_total",
                                           {{"service", "registry"}, {"result", r}});
  };
  return result == "hit" ? count("hit") + count("near") : count(result.c_str());
}

TEST_F(RegistryChainMap, ServesTheMapFromTheCacheAndInvalidatesItOnWrites) {
  Build(admin(), "cache-pv");
  Populate(admin(), "cache-pv");
  const v1::ChainMap first = GetChainMap(admin(), "cache-pv");
  const double hits = CacheCount("hit");
  const v1::ChainMap second = GetChainMap(admin(), "cache-pv");
  EXPECT_EQ(CacheCount("hit"), hits + 1);
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  ASSERT_NE(FindMapNode(second, NodeName("cache-pv", "plants")), nullptr);
  EXPECT_EQ(FindMapNode(second, NodeName("cache-pv", "plants"))->enterprise_count(), 0);

  // A new enterprise on plants shows at once.
  CreateEnterprise(admin(), MakeEnterprise(Code("cache-pv", 20), "滁州电站运营有限公司",
                                           {NodeName("cache-pv", "plants")}));
  v1::ChainMap after = GetChainMap(admin(), "cache-pv");
  ASSERT_NE(FindMapNode(after, NodeName("cache-pv", "plants")), nullptr);
  EXPECT_EQ(FindMapNode(after, NodeName("cache-pv", "plants"))->enterprise_count(), 1);
  EXPECT_EQ(FindMapNode(after, NodeName("cache-pv", "plants"))->status(), v1::NODE_STATUS_WEAK);
  EXPECT_EQ(after.enterprise_count(), first.enterprise_count() + 1);

  // So does a renamed node, and a deleted enterprise.
  v1::UpdateNodeRequest rename;
  rename.mutable_node()->set_name(NodeName("cache-pv", "plants"));
  rename.mutable_node()->set_display_name("光伏电站运营");
  rename.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(admin().Status(&Stub::UpdateNode, rename).ok());
  after = GetChainMap(admin(), "cache-pv");
  EXPECT_EQ(FindMapNode(after, NodeName("cache-pv", "plants"))->node().display_name(),
            "光伏电站运营");
  v1::DeleteEnterpriseRequest del;
  del.set_name(EnterpriseName(Code("cache-pv", 20)));
  ASSERT_TRUE(admin().Status(&Stub::DeleteEnterprise, del).ok());
  after = GetChainMap(admin(), "cache-pv");
  EXPECT_EQ(FindMapNode(after, NodeName("cache-pv", "plants"))->enterprise_count(), 0);

  // Moving a firm to another chain changes both chains' maps.
  CreateChain(admin(), "cache-other");
  CreateNode(admin(), "cache-other", "hub", MakeNode("枢纽", v1::SEGMENT_MIDSTREAM));
  const v1::ChainMap other_before = GetChainMap(admin(), "cache-other");
  EXPECT_EQ(other_before.enterprise_count(), 0);
  const int pv_before = GetChainMap(admin(), "cache-pv").enterprise_count();
  v1::UpdateEnterpriseRequest move;
  move.mutable_enterprise()->set_name(EnterpriseName(Code("cache-pv", 6)));
  move.mutable_enterprise()->add_memberships(NodeName("cache-other", "hub"));
  move.mutable_update_mask()->add_paths("memberships");
  ASSERT_TRUE(admin().Status(&Stub::UpdateEnterprise, move).ok());
  EXPECT_EQ(GetChainMap(admin(), "cache-pv").enterprise_count(), pv_before - 1);
  EXPECT_EQ(GetChainMap(admin(), "cache-other").enterprise_count(), 1);
  after = GetChainMap(admin(), "cache-pv");

  // FLUSHALL drops every cached value and version; reads stay correct.
  RedisClient redis(fx().redis().ClientOptions());
  ASSERT_TRUE(redis.Command({"FLUSHALL"}).ok());
  EXPECT_EQ(GetChainMap(admin(), "cache-pv").SerializeAsString(), after.SerializeAsString());
  CreateEnterprise(admin(), MakeEnterprise(Code("cache-pv", 21), "滁州电站二有限公司",
                                           {NodeName("cache-pv", "plants")}));
  after = GetChainMap(admin(), "cache-pv");
  EXPECT_EQ(FindMapNode(after, NodeName("cache-pv", "plants"))->enterprise_count(), 1);
}

}  // namespace
}  // namespace chainhub::testing
