#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "common/base/credit_code.h"
#include "services/registry/names.h"

namespace chainhub::registry {
namespace {

std::string ValidCode() {
  std::string first17 = "91341100MA2N00001";
  return first17 + *CreditCodeCheckChar(first17);
}

std::string MessageOf(const absl::Status& s) { return std::string(s.message()); }

TEST(EnterpriseName, RoundTripsAValidCreditCode) {
  auto name = EnterpriseName::Parse("name", "enterprises/" + ValidCode());
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(name->credit_code, ValidCode());
  EXPECT_EQ(name->String(), "enterprises/" + ValidCode());
}

TEST(EnterpriseName, ANameOfAnotherFormNamesTheFieldAndThePattern) {
  auto bad = EnterpriseName::Parse("enterprise.name", "companies/" + ValidCode());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(bad.status()), "enterprise.name: must be enterprises/{credit_code}, got '" +
                                         std::string("companies/") + ValidCode() + "'");
}

TEST(EnterpriseName, ABadCreditCodeIsRefusedByTheCreditCodeRule) {
  auto bad = EnterpriseName::Parse("name", "enterprises/91341100MA2N000010");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageOf(bad.status()).rfind("name: ", 0), 0u) << bad.status();
  EXPECT_EQ(MessageOf(bad.status()).find("enterprises/{credit_code}"), std::string::npos)
      << bad.status();
}

TEST(ProvinceListName, RoundTripsAVersion) {
  auto name = ProvinceListName::Parse("province_list.name", "provinceLists/2026-rev1");
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_EQ(name->version, "2026-rev1");
  EXPECT_EQ(name->String(), "provinceLists/2026-rev1");
  EXPECT_TRUE(ProvinceListName::Parse("n", "provinceLists/" + std::string(20, 'A')).ok());
}

TEST(ProvinceListName, RefusesEmptyLongOrOddVersionsWithTheRule) {
  for (const std::string& name : std::vector<std::string>{
           "", "provinceLists/", "provinceLists/" + std::string(21, 'a'), "provinceLists/20_26",
           "provinceLists/2026/x", "provincelists/2026", "2026"}) {
    auto bad = ProvinceListName::Parse("province_list.name", name);
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_EQ(MessageOf(bad.status())
                  .rfind("province_list.name: must be provinceLists/{version} "
                         "(1-20 of A-Z a-z 0-9 -), got ",
                         0),
              0u)
        << bad.status();
  }
}

TEST(ParseCategorySubject, ReadsTheKindFromTheCollection) {
  auto chain = ParseCategorySubject("subject", "chains/pv");
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(std::get<ChainName>(*chain).chain, "pv");

  auto node = ParseCategorySubject("subject", "chains/pv/nodes/wafer");
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_EQ(std::get<NodeName>(*node).String(), "chains/pv/nodes/wafer");

  auto enterprise = ParseCategorySubject("subject", "enterprises/" + ValidCode());
  ASSERT_TRUE(enterprise.ok()) << enterprise.status();
  EXPECT_EQ(std::get<EnterpriseName>(*enterprise).credit_code, ValidCode());
}

TEST(ParseCategorySubject, ABadNameOfAKnownKindIsRefusedByThatKindsRule) {
  auto node = ParseCategorySubject("subject", "chains/pv/nodes/W");
  ASSERT_FALSE(node.ok());
  EXPECT_NE(MessageOf(node.status()).find("chains/{chain}/nodes/{node}"), std::string::npos);
  auto chain = ParseCategorySubject("subject", "chains/PV");
  ASSERT_FALSE(chain.ok());
  EXPECT_NE(MessageOf(chain.status()).find("chains/{chain}"), std::string::npos);
  EXPECT_FALSE(ParseCategorySubject("subject", "enterprises/x").ok());
}

TEST(ParseCategorySubject, AnUnknownKindListsTheThreeForms) {
  auto bad = ParseCategorySubject("subject", "departments/fgw");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(MessageOf(bad.status()),
            "subject: must be chains/{chain}, chains/{chain}/nodes/{node} or "
            "enterprises/{credit_code}");
}

}  // namespace
}  // namespace chainhub::registry
