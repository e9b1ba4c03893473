#include <initializer_list>
#include <string>

#include <gtest/gtest.h>

#include "services/intake/province_chains.h"

namespace chainhub::intake {
namespace {

using Choice = ProvinceChainsChoice;

v1::Project Project(std::initializer_list<const char*> chains, absl::string_view source = "",
                    std::string node = "chains/pv/nodes/cells") {
  v1::Project p;
  p.set_chain("chains/pv");
  p.set_node(std::move(node));
  for (const char* c : chains) p.add_province_chains(c);
  p.set_province_chains_source(std::string(source));
  return p;
}

Choice Create(const v1::Project& p) { return ChooseProvinceChains({.merged = &p}); }

Choice Update(const v1::Project& current, const v1::Project& merged, bool given) {
  return ChooseProvinceChains({.current = &current, .merged = &merged, .given = given});
}

Choice Import(const v1::Project& current, const v1::Project& row) {
  return ChooseProvinceChains({.current = &current, .merged = &row, .defaults_follow_node = false});
}

TEST(IntakeProvinceChains, ANewProjectWithoutAListTakesTheChainDefault) {
  EXPECT_EQ(Create(Project({})), Choice::kChainDefault);
}

TEST(IntakeProvinceChains, ANewProjectWithAListOverridesTheDefault) {
  EXPECT_EQ(Create(Project({"new-energy"})), Choice::kOverride);
}

TEST(IntakeProvinceChains, AnUpdateGivingTheListEmptyReturnsToTheDefault) {
  const v1::Project current = Project({"new-energy"}, kOverride);
  EXPECT_EQ(Update(current, Project({}), true), Choice::kChainDefault);
}

TEST(IntakeProvinceChains, AnUpdateGivingADifferentListOverridesIt) {
  const v1::Project current = Project({"new-energy"}, kChainDefault);
  EXPECT_EQ(Update(current, Project({"smart-nev"}), true), Choice::kOverride);
}

TEST(IntakeProvinceChains, AnUpdateRepeatingTheListKeepsItsSource) {
  const v1::Project current = Project({"new-energy"}, kOverride);
  EXPECT_EQ(Update(current, Project({"new-energy"}), true), Choice::kKeep);
  EXPECT_EQ(Update(current, Project({"new-energy"}), false), Choice::kKeep);
}

TEST(IntakeProvinceChains, ADefaultListFollowsTheProjectToAnotherNode) {
  const v1::Project current = Project({"new-energy"}, kChainDefault);
  const v1::Project moved = Project({"new-energy"}, kChainDefault, "chains/pv/nodes/modules");
  EXPECT_EQ(Update(current, moved, false), Choice::kChainDefault);
  EXPECT_EQ(Update(current, moved, true), Choice::kChainDefault);
}

TEST(IntakeProvinceChains, AnOverrideStaysWhenTheProjectMovesNode) {
  const v1::Project current = Project({"new-energy"}, kOverride);
  const v1::Project moved = Project({"new-energy"}, kOverride, "chains/pv/nodes/modules");
  EXPECT_EQ(Update(current, moved, false), Choice::kKeep);
}

TEST(IntakeProvinceChains, AnImportRowRepeatingTheListKeepsItEvenOnAnotherNode) {
  const v1::Project current = Project({"new-energy"}, kChainDefault);
  const v1::Project row = Project({"new-energy"}, kChainDefault, "chains/pv/nodes/modules");
  EXPECT_EQ(Import(current, row), Choice::kKeep);
  EXPECT_EQ(Import(current, Project({})), Choice::kChainDefault);
  EXPECT_EQ(Import(current, Project({"smart-nev"})), Choice::kOverride);
}

TEST(IntakeProvinceChains, AMaskSetsTheListWhenEmptyStarOrNamingIt) {
  google::protobuf::RepeatedPtrField<std::string> paths;
  EXPECT_TRUE(MaskSetsProvinceChains(paths));
  *paths.Add() = "display_name";
  EXPECT_FALSE(MaskSetsProvinceChains(paths));
  *paths.Add() = "province_chains";
  EXPECT_TRUE(MaskSetsProvinceChains(paths));
  paths.Clear();
  *paths.Add() = "*";
  EXPECT_TRUE(MaskSetsProvinceChains(paths));
}

}  // namespace
}  // namespace chainhub::intake
