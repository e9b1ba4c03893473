#include "services/registry/validation.h"

#include <gtest/gtest.h>

namespace chainhub::registry {
namespace {

std::vector<std::string> Fields(const std::vector<FieldViolation>& v) {
  std::vector<std::string> out;
  for (const auto& f : v) out.push_back(f.field);
  return out;
}

bool Has(const std::vector<FieldViolation>& v, const std::string& field) {
  for (const auto& f : v) {
    if (f.field == field) return true;
  }
  return false;
}

TEST(Ids, AcceptTwoToFortyLowercaseCharactersStartingWithALetter) {
  EXPECT_TRUE(IsValidId("pv"));
  EXPECT_TRUE(IsValidId("auto-equipment"));
  EXPECT_FALSE(IsValidId("p"));
  EXPECT_FALSE(IsValidId("1pv"));
  EXPECT_FALSE(IsValidId("PV"));
  EXPECT_FALSE(IsValidId("pv_chain"));
  EXPECT_FALSE(IsValidId(std::string(41, 'a')));
}

TEST(Dates, AcceptOnlyRealCalendarDates) {
  EXPECT_TRUE(IsValidDate("2026-02-28"));
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2026-02-29"));
  EXPECT_FALSE(IsValidDate("2026-13-01"));
  EXPECT_FALSE(IsValidDate("2026-1-01"));
  EXPECT_FALSE(IsValidDate(""));
}

TEST(CheckChain, NamesEveryBadField) {
  v1::Chain c;
  c.set_status(static_cast<v1::ChainStatus>(42));
  c.set_target_output_yuan(-1);
  c.set_target_year(1999);
  c.set_lead_department("fgw");
  c.add_member_units()->set_department("departments/fgw");
  c.add_member_units()->set_department("departments/fgw");
  c.add_platforms()->set_display_name("基金");
  c.add_host_counties("天长市");
  c.add_host_counties("天长市");
  std::vector<FieldViolation> v;
  CheckChain(c, "chain", &v);
  for (const char* field :
       {"chain.display_name", "chain.status", "chain.target_output_yuan", "chain.target_year",
        "chain.lead_department", "chain.member_units[1].department", "chain.platforms[0].kind",
        "chain.host_counties[1]"}) {
    EXPECT_TRUE(Has(v, field)) << field << " not in " << testing::PrintToString(Fields(v));
  }
}

TEST(CheckChain, AcceptsAWellFormedChain) {
  v1::Chain c;
  c.set_display_name("光伏");
  c.set_status(v1::CHAIN_STATUS_ACTIVE);
  c.set_lead_department("departments/fgw");
  c.mutable_leader()->set_name("市领导（链长）");
  std::vector<FieldViolation> v;
  CheckChain(c, "chain", &v);
  EXPECT_TRUE(v.empty()) << testing::PrintToString(Fields(v));
}

TEST(CheckChain, CountsCharactersNotBytes) {
  v1::Chain c;
  c.set_display_name(std::string(64 * 3 / 3, 'x'));
  std::string sixty_four_chinese;
  for (int i = 0; i < 64; ++i) sixty_four_chinese += "链";
  c.set_display_name(sixty_four_chinese);
  std::vector<FieldViolation> v;
  CheckChain(c, "chain", &v);
  EXPECT_FALSE(Has(v, "chain.display_name"));
  c.set_display_name(sixty_four_chinese + "链");
  CheckChain(c, "chain", &v);
  EXPECT_TRUE(Has(v, "chain.display_name"));
}

TEST(CheckNode, RequiresASegmentAndAWellFormedParent) {
  v1::Node n;
  n.set_display_name("硅片");
  n.set_parent("wafer");
  n.set_order(-1);
  std::vector<FieldViolation> v;
  CheckNode(n, "node", &v);
  EXPECT_TRUE(Has(v, "node.segment"));
  EXPECT_TRUE(Has(v, "node.parent"));
  EXPECT_TRUE(Has(v, "node.order"));
}

TEST(CheckEnterprise, ReportsCodeLabelsOutputAndMemberships) {
  v1::Enterprise e;
  e.set_credit_code("91341100MA2N00001X");
  e.add_labels(v1::ENTERPRISE_LABEL_HEAD);
  e.add_labels(v1::ENTERPRISE_LABEL_HEAD);
  e.add_labels(v1::ENTERPRISE_LABEL_UNSPECIFIED);
  e.set_annual_output_yuan(-5);
  e.add_memberships("chains/pv/wafer");
  std::vector<FieldViolation> v;
  CheckEnterprise(e, "enterprises[2]", &v);
  for (const char* field : {"enterprises[2].credit_code", "enterprises[2].display_name",
                            "enterprises[2].labels[1]", "enterprises[2].labels[2]",
                            "enterprises[2].annual_output_yuan", "enterprises[2].memberships[0]"}) {
    EXPECT_TRUE(Has(v, field)) << field << " not in " << testing::PrintToString(Fields(v));
  }
}

TEST(CheckProvinceList, RequiresDatesInOrderAndUniqueIds) {
  v1::ProvinceList l;
  l.set_display_name("安徽省十大新兴产业");
  l.set_effective_from("2026-01-01");
  l.set_effective_to("2025-01-01");
  l.add_chains()->set_id("ai");
  l.mutable_chains(0)->set_display_name("人工智能");
  l.add_chains()->set_id("ai");
  l.mutable_chains(1)->set_display_name("人工智能");
  std::vector<FieldViolation> v;
  CheckProvinceList(l, "province_list", &v);
  EXPECT_TRUE(Has(v, "province_list.effective_to"));
  EXPECT_TRUE(Has(v, "province_list.chains[1].id"));
}

TEST(ApplyUpdateMask, ReplacesOnlyTheMaskedFieldsAndRepeatedFieldsWhole) {
  v1::Chain current;
  current.set_display_name("光伏");
  current.set_english_name("photovoltaics");
  current.add_host_counties("天长市");
  current.add_host_counties("凤阳县");
  v1::Chain update;
  update.set_display_name("新光伏");
  update.set_english_name("ignored");
  update.add_host_counties("来安县");
  google::protobuf::FieldMask mask;
  mask.add_paths("display_name");
  mask.add_paths("host_counties");
  ASSERT_TRUE(ApplyUpdateMask(update, mask, ChainWritableFields(), &current).ok());
  EXPECT_EQ(current.display_name(), "新光伏");
  EXPECT_EQ(current.english_name(), "photovoltaics");
  ASSERT_EQ(current.host_counties_size(), 1);
  EXPECT_EQ(current.host_counties(0), "来安县");
}

TEST(ApplyUpdateMask, AnEmptyMaskReplacesEveryWritableFieldButNoOutputField) {
  v1::Chain current;
  current.set_name("chains/pv");
  current.set_etag("1-1");
  current.set_display_name("光伏");
  v1::Chain update;
  update.set_name("chains/other");
  update.set_etag("x");
  update.set_display_name("新");
  ASSERT_TRUE(ApplyUpdateMask(update, {}, ChainWritableFields(), &current).ok());
  EXPECT_EQ(current.display_name(), "新");
  EXPECT_EQ(current.name(), "chains/pv");
  EXPECT_EQ(current.etag(), "1-1");
}

TEST(ApplyUpdateMask, RefusesOutputOnlyAndUnknownPaths) {
  v1::Chain current, update;
  for (const char* path : {"etag", "name", "create_time", "no_such_field"}) {
    google::protobuf::FieldMask mask;
    mask.add_paths(path);
    absl::Status s = ApplyUpdateMask(update, mask, ChainWritableFields(), &current);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << path;
    EXPECT_NE(s.message().find("update_mask"), absl::string_view::npos);
  }
}

}  // namespace
}  // namespace chainhub::registry
