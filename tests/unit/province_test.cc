#include "services/registry/province.h"

#include <gtest/gtest.h>

namespace chainhub::registry {
namespace {

v1::ProvinceList List(const std::string& version, const std::string& from, const std::string& to,
                      std::vector<std::pair<std::string, std::string>> chains) {
  v1::ProvinceList l;
  l.set_name("provinceLists/" + version);
  l.set_effective_from(from);
  l.set_effective_to(to);
  for (auto& [id, name] : chains) {
    auto* c = l.add_chains();
    c->set_id(id);
    c->set_display_name(name);
  }
  return l;
}

std::vector<v1::ProvinceList> Lists() {
  return {List("2021", "2021-01-01", "2026-01-01",
               {{"pv-storage", "先进光伏和新型储能"}, {"nev-icv", "新能源汽车和智能网联汽车"}}),
          List("2026", "2026-01-01", "",
               {{"new-energy-low-carbon", "新能源及绿色低碳"}, {"icv-nev", "智能网联新能源汽车"}})};
}

v1::ChainProvinceMapping Mapping(const std::string& version, std::vector<std::string> ids) {
  v1::ChainProvinceMapping m;
  m.set_chain("chains/nev-battery");
  m.set_version(version);
  for (auto& id : ids) m.add_province_chains(id);
  return m;
}

TEST(ListInForce, PicksTheListWhoseRangeHoldsTheDate) {
  auto lists = Lists();
  EXPECT_EQ(ListInForce(lists, "2023-06-30")->name(), "provinceLists/2021");
  EXPECT_EQ(ListInForce(lists, "2025-12-31")->name(), "provinceLists/2021");
  EXPECT_EQ(ListInForce(lists, "2026-01-01")->name(), "provinceLists/2026");
  EXPECT_EQ(ListInForce(lists, "2040-01-01")->name(), "provinceLists/2026");
  EXPECT_EQ(ListInForce(lists, "2020-12-31"), nullptr);
}

TEST(CheckNoOverlap, RefusesAnOverlappingRangeAndAcceptsAdjacentOnes) {
  auto lists = Lists();
  EXPECT_FALSE(CheckNoOverlap(lists, List("2030", "2029-01-01", "", {{"a1", "A"}})).ok());
  EXPECT_TRUE(CheckNoOverlap({lists[0]}, List("2026", "2026-01-01", "", {{"a1", "A"}})).ok());
  // Replacing a list by the same name is no overlap with itself.
  EXPECT_TRUE(CheckNoOverlap(lists, lists[1]).ok());
}

TEST(ResolveCategories, ChainDefaultIsTheUnionOfMappingsOfTheVersionInForce) {
  auto lists = Lists();
  auto r = ResolveCategories(lists[1], {},
                             {Mapping("2021", {"pv-storage", "nev-icv"}),
                              Mapping("2026", {"new-energy-low-carbon", "icv-nev"})});
  EXPECT_EQ(r.version(), "2026");
  EXPECT_EQ(r.source(), "chain_default");
  ASSERT_EQ(r.categories_size(), 2);
  EXPECT_EQ(r.categories(0).id(), "new-energy-low-carbon");
  EXPECT_EQ(r.categories(0).display_name(), "新能源及绿色低碳");
  EXPECT_EQ(r.categories(1).id(), "icv-nev");
}

TEST(ResolveCategories, AnOverrideKnownToTheListWins) {
  auto lists = Lists();
  auto r = ResolveCategories(lists[1], {"icv-nev"},
                             {Mapping("2026", {"new-energy-low-carbon", "icv-nev"})});
  EXPECT_EQ(r.source(), "override");
  ASSERT_EQ(r.categories_size(), 1);
  EXPECT_EQ(r.categories(0).id(), "icv-nev");
}

TEST(ResolveCategories, AnOverrideFromAnotherListFallsBackToTheChainDefault) {
  auto lists = Lists();
  auto r = ResolveCategories(lists[1], {"pv-storage"}, {Mapping("2026", {"icv-nev"})});
  EXPECT_EQ(r.source(), "chain_default");
  ASSERT_EQ(r.categories_size(), 1);
  EXPECT_EQ(r.categories(0).id(), "icv-nev");
}

TEST(ResolveCategories, AChainWithNoMatchInTheListHasNoCategory) {
  auto lists = Lists();
  auto r = ResolveCategories(lists[1], {}, {Mapping("2026", {})});
  EXPECT_EQ(r.categories_size(), 0);
}

TEST(ChinaDate, IsUtcPlusEight) {
  // 2026-01-01T16:30:00Z is already 2026-01-02 in China.
  absl::Time t = absl::FromUnixSeconds(1767285000);
  EXPECT_EQ(ChinaDate(t), "2026-01-02");
}

}  // namespace
}  // namespace chainhub::registry
