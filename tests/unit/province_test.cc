#include "services/registry/province.h"

#include <gtest/gtest.h>

#include "common/base/fields.h"

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

TEST(VersionOf, IsTheIdOfTheListName) { EXPECT_EQ(VersionOf(Lists()[1]), "2026"); }

TEST(RequestedDate, IsTheGivenDateOrTodayInChina) {
  // 2025-12-31T16:30:00Z is already 2026-01-01 in China.
  const absl::Time now = absl::FromUnixSeconds(1767198600);
  EXPECT_EQ(*RequestedDate("", now), "2026-01-01");
  EXPECT_EQ(*RequestedDate("2023-06-30", now), "2023-06-30");
}

TEST(RequestedDate, RefusesWhatIsNoCalendarDate) {
  for (const char* date : {"2026-02-30", "2021/07/01", "tomorrow"}) {
    auto bad = RequestedDate(date, absl::UnixEpoch());
    ASSERT_FALSE(bad.ok()) << date;
    EXPECT_EQ(std::string(bad.status().message()), "date: must be a date YYYY-MM-DD");
  }
}

TEST(ChooseList, AVersionWinsOverADate) {
  auto lists = Lists();
  auto list = ChooseList(lists, "2021", "2030-01-01");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ((*list)->name(), "provinceLists/2021");
}

TEST(ChooseList, WithoutAVersionTakesTheListInForceOnTheDate) {
  auto lists = Lists();
  EXPECT_EQ((*ChooseList(lists, "", "2025-12-31"))->name(), "provinceLists/2021");
  EXPECT_EQ((*ChooseList(lists, "", "2026-01-01"))->name(), "provinceLists/2026");
}

TEST(ChooseList, AnUnknownVersionIsNotFoundAndADateWithoutAListAPrecondition) {
  auto lists = Lists();
  EXPECT_EQ(ChooseList(lists, "2016", "").status().code(), absl::StatusCode::kNotFound);
  auto none = ChooseList(lists, "", "2010-06-01");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(none.status().message()).find("no province list is in force on 2010-06-01"),
            std::string::npos)
      << none.status();
}

TEST(CheckMapping, AcceptsDistinctChainsOfTheNamedList) {
  EXPECT_TRUE(
      CheckMapping(Lists(), Mapping("2026", {"icv-nev", "new-energy-low-carbon"}), "mapping").ok());
  EXPECT_TRUE(CheckMapping(Lists(), Mapping("2026", {}), "mapping").ok());
}

TEST(CheckMapping, RefusesAnUnknownVersion) {
  absl::Status s = CheckMapping(Lists(), Mapping("2030", {"icv-nev"}), "mapping");
  EXPECT_EQ(std::string(s.message()), "mapping.version: provinceLists/2030 does not exist");
}

TEST(CheckMapping, RefusesAChainOfAnotherListAndARepeatedChain) {
  absl::Status other = CheckMapping(Lists(), Mapping("2026", {"icv-nev", "pv-storage"}), "mapping");
  EXPECT_EQ(std::string(other.message()),
            "mapping.province_chains[1]: 'pv-storage' is not in provinceLists/2026");
  absl::Status repeated = CheckMapping(Lists(), Mapping("2026", {"icv-nev", "icv-nev"}), "mapping");
  EXPECT_EQ(std::string(repeated.message()),
            "mapping.province_chains[1]: duplicates an earlier entry");
}

TEST(CheckOverrideIds, AcceptsChainsOfAnyListInForceOrNot) {
  google::protobuf::RepeatedPtrField<std::string> ids;
  *ids.Add() = "pv-storage";
  *ids.Add() = "icv-nev";
  EXPECT_TRUE(CheckOverrideIds(Lists(), ids, "node.province_category_override").ok());
}

TEST(CheckOverrideIds, NamesTheFirstIdNoListKnows) {
  google::protobuf::RepeatedPtrField<std::string> ids;
  *ids.Add() = "icv-nev";
  *ids.Add() = "made-up";
  absl::Status s = CheckOverrideIds(Lists(), ids, "node.province_category_override");
  EXPECT_EQ(std::string(s.message()),
            "node.province_category_override[1]: 'made-up' is not a chain of any province list");
}

TEST(ChinaDate, IsUtcPlusEight) {
  // 2026-01-01T16:30:00Z is already 2026-01-02 in China.
  absl::Time t = absl::FromUnixSeconds(1767285000);
  EXPECT_EQ(ChinaDate(t), "2026-01-02");
}

}  // namespace
}  // namespace chainhub::registry
