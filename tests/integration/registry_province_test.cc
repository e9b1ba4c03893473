// Integration tests of the registry's provincial taxonomy over real gRPC: versioned province lists
// with effective dates (and refused overlaps), the city-to-province mapping, and the resolution of
// a chain's, a node's and an enterprise's provincial categories on a date.
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using grpc::StatusCode;

v1::ProvinceList MakeList(const std::string& version, const std::string& from,
                          const std::string& to,
                          const std::vector<std::pair<std::string, std::string>>& chains) {
  v1::ProvinceList l;
  l.set_name("provinceLists/" + version);
  l.set_display_name("安徽省十大新兴产业（" + version + "）");
  l.set_effective_from(from);
  l.set_effective_to(to);
  for (const auto& [id, name] : chains) {
    auto* c = l.add_chains();
    c->set_id(id);
    c->set_display_name(name);
  }
  return l;
}

// The 2021 and 2026 lists (a subset of data/province_lists.json), one city chain "pv" with nodes,
// and its mappings to both lists.
class RegistryProvince : public SharedRegistryTest<RegistryProvince> {
 protected:
  void SetUp() override {
    SharedRegistryTest::SetUp();
    if (HasFatalFailure() || seeded_) return;
    seeded_ = true;
    for (const auto& list : {MakeList("2021", "2021-01-01", "2026-01-01",
                                      {{"pv-storage", "先进光伏和新型储能"},
                                       {"new-materials", "新材料"},
                                       {"next-gen-it", "新一代信息技术"}}),
                             MakeList("2026", "2026-01-01", "",
                                      {{"new-energy-low-carbon", "新能源和绿色低碳"},
                                       {"next-gen-it", "新一代信息技术"}})}) {
      v1::PutProvinceListRequest req;
      *req.mutable_province_list() = list;
      v1::ProvinceList out;
      grpc::Status s = admin()(&Stub::PutProvinceList, req, &out);
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_EQ(out.name(), list.name());
    }
    CreateChain(admin(), "pv", MakeChain("光伏"));
    CreateChain(admin(), "semiconductor", MakeChain("新一代信息技术"));
    CreateNode(admin(), "pv", "wafer", MakeNode("硅片", v1::SEGMENT_UPSTREAM));
    v1::Node glass = MakeNode("光伏玻璃", v1::SEGMENT_UPSTREAM);
    glass.add_province_category_override("new-materials");
    CreateNode(admin(), "pv", "glass", glass);
    SetMapping("chains/pv", "2021", {"pv-storage"});
    SetMapping("chains/pv", "2026", {"new-energy-low-carbon"});
    SetMapping("chains/semiconductor", "2021", {"next-gen-it"});
  }

  static void SetMapping(const std::string& chain, const std::string& version,
                         const std::vector<std::string>& ids) {
    v1::SetChainProvinceMappingRequest req;
    req.mutable_mapping()->set_chain(chain);
    req.mutable_mapping()->set_version(version);
    for (const auto& id : ids) req.mutable_mapping()->add_province_chains(id);
    v1::ChainProvinceMapping out;
    grpc::Status s = admin()(&Stub::SetChainProvinceMapping, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.chain(), chain);
  }

  // (version, source, ids) of a subject's categories on a date.
  static std::tuple<std::string, std::string, std::vector<std::string>> Resolve(
      const std::string& subject, const std::string& date) {
    v1::ResolveProvinceCategoriesRequest req;
    req.set_subject(subject);
    req.set_date(date);
    v1::ResolveProvinceCategoriesResponse resp;
    grpc::Status s = viewer()(&Stub::ResolveProvinceCategories, req, &resp);
    EXPECT_TRUE(s.ok()) << subject << " on " << date << ": " << s.error_message();
    std::vector<std::string> ids;
    for (const auto& c : resp.categories()) {
      ids.push_back(c.id());
      EXPECT_EQ(c.version(), resp.version());
      EXPECT_FALSE(c.display_name().empty());
    }
    return {resp.version(), resp.source(), ids};
  }

  using R = std::tuple<std::string, std::string, std::vector<std::string>>;
  static inline bool seeded_ = false;
};

TEST_F(RegistryProvince, ListsTheVersionsAndTheChainsInForceOnADate) {
  v1::ListProvinceListsResponse lists;
  ASSERT_TRUE(viewer()(&Stub::ListProvinceLists, v1::ListProvinceListsRequest(), &lists).ok());
  ASSERT_GE(lists.province_lists_size(), 2);
  std::map<std::string, v1::ProvinceList> by_name;
  for (const auto& l : lists.province_lists()) by_name[l.name()] = l;
  ASSERT_TRUE(by_name.contains("provinceLists/2021"));
  EXPECT_EQ(by_name["provinceLists/2021"].effective_to(), "2026-01-01");
  EXPECT_EQ(by_name["provinceLists/2021"].chains_size(), 3);
  ASSERT_TRUE(by_name.contains("provinceLists/2026"));
  EXPECT_EQ(by_name["provinceLists/2026"].effective_to(), "");

  auto chains_on = [&](const std::string& date, const std::string& version) {
    v1::ListProvinceChainsRequest req;
    req.set_date(date);
    req.set_version(version);
    v1::ListProvinceChainsResponse resp;
    grpc::Status s = viewer()(&Stub::ListProvinceChains, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& c : resp.province_chains()) ids.push_back(c.id());
    return std::make_pair(resp.version(), ids);
  };
  EXPECT_EQ(chains_on("2023-06-30", ""),
            std::make_pair(std::string("2021"),
                           std::vector<std::string>{"pv-storage", "new-materials", "next-gen-it"}));
  EXPECT_EQ(chains_on("2025-12-31", "").first, "2021");
  EXPECT_EQ(chains_on("2026-01-01", ""),
            std::make_pair(std::string("2026"),
                           std::vector<std::string>{"new-energy-low-carbon", "next-gen-it"}));
  // A version wins over a date.
  EXPECT_EQ(chains_on("2030-01-01", "2021").first, "2021");

  v1::ListProvinceChainsRequest req;
  req.set_version("2031");
  EXPECT_TRUE(HasCode(viewer().Status(&Stub::ListProvinceChains, req), StatusCode::NOT_FOUND));
  req.clear_version();
  req.set_date("2010-06-01");  // before any list
  EXPECT_TRUE(
      HasCode(viewer().Status(&Stub::ListProvinceChains, req), StatusCode::FAILED_PRECONDITION));
  req.set_date("2026-02-30");
  EXPECT_TRUE(IsInvalidField(viewer().Status(&Stub::ListProvinceChains, req), "date"));
}

TEST_F(RegistryProvince, PutRefusesAnOverlappingListAndReplacesTheSameVersion) {
  v1::PutProvinceListRequest req;
  *req.mutable_province_list() =
      MakeList("2024", "2024-01-01", "", {{"pv-storage", "先进光伏和新型储能"}});
  grpc::Status s = admin().Status(&Stub::PutProvinceList, req);
  EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "provinceLists/2021")) << s.error_message();
  *req.mutable_province_list() =
      MakeList("2019", "2019-01-01", "2021-06-01", {{"pv-storage", "先进光伏和新型储能"}});
  EXPECT_TRUE(
      HasCode(admin().Status(&Stub::PutProvinceList, req), StatusCode::FAILED_PRECONDITION));
  // Ending exactly where 2021 begins does not overlap.
  *req.mutable_province_list() =
      MakeList("2016", "2016-01-01", "2021-01-01", {{"emerging", "战略性新兴产业"}});
  v1::ProvinceList put;
  ASSERT_TRUE(admin()(&Stub::PutProvinceList, req, &put).ok());
  // Replacing a version with itself (a new display name) is no overlap with itself.
  req.mutable_province_list()->set_display_name("战略性新兴产业（2016）");
  ASSERT_TRUE(admin()(&Stub::PutProvinceList, req, &put).ok());
  EXPECT_EQ(put.display_name(), "战略性新兴产业（2016）");
  v1::ListProvinceChainsRequest on;
  on.set_date("2018-05-01");
  v1::ListProvinceChainsResponse chains;
  ASSERT_TRUE(viewer()(&Stub::ListProvinceChains, on, &chains).ok());
  EXPECT_EQ(chains.version(), "2016");

  // Field rules.
  *req.mutable_province_list() = MakeList("2040", "2040-01-01", "2039-01-01", {{"x1", "甲"}});
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::PutProvinceList, req), "province_list.effective_to"));
  *req.mutable_province_list() = MakeList("2040", "2040-13-01", "", {{"x1", "甲"}});
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::PutProvinceList, req), "province_list.effective_from"));
  *req.mutable_province_list() = MakeList("2040", "2040-01-01", "", {});
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::PutProvinceList, req), "province_list.chains"));
  *req.mutable_province_list() = MakeList("2040", "2040-01-01", "", {{"x1", "甲"}, {"x1", "乙"}});
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::PutProvinceList, req), "province_list.chains[1].id"));
  *req.mutable_province_list() = MakeList("20 40", "2040-01-01", "", {{"x1", "甲"}});
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::PutProvinceList, req), "province_list.name"));
}

TEST_F(RegistryProvince, SetsAndListsTheChainMappings) {
  v1::ListChainProvinceMappingsRequest req;
  req.set_chain("chains/pv");
  v1::ListChainProvinceMappingsResponse resp;
  ASSERT_TRUE(viewer()(&Stub::ListChainProvinceMappings, req, &resp).ok());
  ASSERT_EQ(resp.mappings_size(), 2);
  std::map<std::string, std::vector<std::string>> by_version;
  for (const auto& m : resp.mappings()) {
    EXPECT_EQ(m.chain(), "chains/pv");
    by_version[m.version()] = {m.province_chains().begin(), m.province_chains().end()};
  }
  EXPECT_EQ(by_version["2021"], std::vector<std::string>{"pv-storage"});
  EXPECT_EQ(by_version["2026"], std::vector<std::string>{"new-energy-low-carbon"});

  req.clear_chain();
  req.set_version("2021");
  ASSERT_TRUE(viewer()(&Stub::ListChainProvinceMappings, req, &resp).ok());
  std::set<std::string> chains;
  for (const auto& m : resp.mappings()) {
    EXPECT_EQ(m.version(), "2021");
    chains.insert(m.chain());
  }
  EXPECT_TRUE(chains.contains("chains/pv"));
  EXPECT_TRUE(chains.contains("chains/semiconductor"));

  // Many-to-many: a chain may map to several provincial chains; an empty mapping is allowed.
  CreateChain(admin(), "mapping-demo");
  v1::SetChainProvinceMappingRequest set;
  set.mutable_mapping()->set_chain("chains/mapping-demo");
  set.mutable_mapping()->set_version("2026");
  v1::ChainProvinceMapping out;
  ASSERT_TRUE(admin()(&Stub::SetChainProvinceMapping, set, &out).ok());
  EXPECT_EQ(out.province_chains_size(), 0);
  set.mutable_mapping()->add_province_chains("next-gen-it");
  set.mutable_mapping()->add_province_chains("new-energy-low-carbon");
  ASSERT_TRUE(admin()(&Stub::SetChainProvinceMapping, set, &out).ok());
  req.set_chain("mapping-demo");  // the bare id is accepted here
  req.set_version("2026");
  ASSERT_TRUE(viewer()(&Stub::ListChainProvinceMappings, req, &resp).ok());
  ASSERT_EQ(resp.mappings_size(), 1);
  EXPECT_EQ(resp.mappings(0).province_chains_size(), 2);

  // Refusals.
  set.mutable_mapping()->set_province_chains(0, "pv-storage");  // a 2021 id
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::SetChainProvinceMapping, set),
                             "mapping.province_chains[0]"));
  set.mutable_mapping()->set_province_chains(0, "next-gen-it");
  set.mutable_mapping()->set_province_chains(1, "next-gen-it");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::SetChainProvinceMapping, set),
                             "mapping.province_chains[1]"));
  set.mutable_mapping()->set_version("1999");
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::SetChainProvinceMapping, set), "mapping.version"));
  set.mutable_mapping()->clear_version();
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::SetChainProvinceMapping, set), "mapping.version"));
  set.mutable_mapping()->set_version("2026");
  set.mutable_mapping()->set_chain("chains/absent");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::SetChainProvinceMapping, set), StatusCode::NOT_FOUND));
  set.mutable_mapping()->set_chain("absent");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::SetChainProvinceMapping, set), "mapping.chain"));
}

TEST_F(RegistryProvince, ResolvesAChainANodeAndAnEnterpriseOnEachListsDates) {
  // A chain: its mapping for the list in force.
  EXPECT_EQ(Resolve("chains/pv", "2021-07-01"), R("2021", "chain_default", {"pv-storage"}));
  EXPECT_EQ(Resolve("chains/pv", "2026-07-01"),
            R("2026", "chain_default", {"new-energy-low-carbon"}));

  // A node with an override the 2021 list knows; the 2026 list does not know it, so the chain's
  // default applies there.
  EXPECT_EQ(Resolve(NodeName("pv", "glass"), "2021-07-01"),
            R("2021", "override", {"new-materials"}));
  EXPECT_EQ(Resolve(NodeName("pv", "glass"), "2026-07-01"),
            R("2026", "chain_default", {"new-energy-low-carbon"}));
  EXPECT_EQ(Resolve(NodeName("pv", "wafer"), "2021-07-01"),
            R("2021", "chain_default", {"pv-storage"}));

  // Enterprises: one with an override, one on two chains taking both chains' defaults.
  const std::string tagged = GeneratedCode(7101), plain = GeneratedCode(7102);
  v1::Enterprise e = MakeEnterprise(tagged, "滁州光伏玻璃有限公司", {NodeName("pv", "wafer")});
  e.add_province_category_override("next-gen-it");
  CreateEnterprise(admin(), e);
  v1::CreateNodeRequest semi_node;
  semi_node.set_parent("chains/semiconductor");
  semi_node.set_node_id("design");
  *semi_node.mutable_node() = MakeNode("芯片设计", v1::SEGMENT_UPSTREAM);
  ASSERT_TRUE(admin().Status(&Stub::CreateNode, semi_node).ok());
  CreateEnterprise(admin(),
                   MakeEnterprise(plain, "滁州两链科技有限公司",
                                  {NodeName("pv", "wafer"), NodeName("semiconductor", "design")}));
  EXPECT_EQ(Resolve(EnterpriseName(tagged), "2021-07-01"), R("2021", "override", {"next-gen-it"}));
  EXPECT_EQ(Resolve(EnterpriseName(tagged), "2026-07-01"), R("2026", "override", {"next-gen-it"}));
  auto [version, source, ids] = Resolve(EnterpriseName(plain), "2021-07-01");
  EXPECT_EQ(version, "2021");
  EXPECT_EQ(source, "chain_default");
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()),
            (std::set<std::string>{"pv-storage", "next-gen-it"}));
  std::tie(version, source, ids) = Resolve(EnterpriseName(plain), "2026-07-01");
  EXPECT_EQ(version, "2026");
  EXPECT_EQ(source, "chain_default");
  EXPECT_EQ(ids, std::vector<std::string>{"new-energy-low-carbon"});

  // Refusals.
  v1::ResolveProvinceCategoriesRequest req;
  req.set_subject("projects/1");
  EXPECT_TRUE(IsInvalidField(viewer().Status(&Stub::ResolveProvinceCategories, req), "subject"));
  req.set_subject("chains/absent");
  EXPECT_TRUE(
      HasCode(viewer().Status(&Stub::ResolveProvinceCategories, req), StatusCode::NOT_FOUND));
  req.set_subject(NodeName("pv", "absent"));
  EXPECT_TRUE(
      HasCode(viewer().Status(&Stub::ResolveProvinceCategories, req), StatusCode::NOT_FOUND));
  req.set_subject(EnterpriseName(GeneratedCode(7199)));
  EXPECT_TRUE(
      HasCode(viewer().Status(&Stub::ResolveProvinceCategories, req), StatusCode::NOT_FOUND));
  req.set_subject("chains/pv");
  req.set_date("2021/07/01");
  EXPECT_TRUE(IsInvalidField(viewer().Status(&Stub::ResolveProvinceCategories, req), "date"));
  req.set_date("2010-01-01");
  EXPECT_TRUE(HasCode(viewer().Status(&Stub::ResolveProvinceCategories, req),
                      StatusCode::FAILED_PRECONDITION));
}

TEST_F(RegistryProvince, ChainsCarryTodaysProvincialCategories) {
  v1::ListProvinceChainsRequest today;
  v1::ListProvinceChainsResponse in_force;
  ASSERT_TRUE(viewer()(&Stub::ListProvinceChains, today, &in_force).ok());
  const std::string expected =
      in_force.version() == "2026" ? "new-energy-low-carbon" : "pv-storage";
  v1::GetChainRequest get;
  get.set_name("chains/pv");
  v1::Chain chain;
  ASSERT_TRUE(viewer()(&Stub::GetChain, get, &chain).ok());
  ASSERT_EQ(chain.province_categories_size(), 1);
  EXPECT_EQ(chain.province_categories(0).id(), expected);
  EXPECT_EQ(chain.province_categories(0).version(), in_force.version());
}

}  // namespace
}  // namespace chainhub::testing
