#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/registry/membership.h"

namespace chainhub::registry {
namespace {

v1::Enterprise On(std::vector<std::string> nodes) {
  v1::Enterprise e;
  e.set_credit_code("91341100MA2N000010");
  e.set_display_name("滁州某光伏材料有限公司");
  for (const auto& n : nodes) e.add_memberships(n);
  return e;
}

Principal ChainOffice(std::set<std::string, std::less<>> chains) {
  return Principal{"departments/pv-office", {std::string(roles::kChainOffice)}, std::move(chains)};
}

TEST(ChainsOf, ListsEachChainOnceAndSkipsMalformedMemberships) {
  v1::Enterprise e = On({"chains/pv/nodes/wafer", "chains/pv/nodes/cell",
                         "chains/semiconductor/nodes/silicon", "not-a-node"});
  EXPECT_EQ(ChainsOf(e), (std::set<std::string>{"pv", "semiconductor"}));
}

TEST(ChangedMemberships, IsTheSymmetricDifference) {
  v1::Enterprise before = On({"chains/pv/nodes/wafer", "chains/pv/nodes/cell"});
  v1::Enterprise after = On({"chains/pv/nodes/cell", "chains/nev/nodes/battery"});
  EXPECT_EQ(ChangedMemberships(&before, after),
            (std::set<std::string>{"chains/pv/nodes/wafer", "chains/nev/nodes/battery"}));
  EXPECT_EQ(ChangedMemberships(nullptr, after),
            (std::set<std::string>{"chains/pv/nodes/cell", "chains/nev/nodes/battery"}));
}

TEST(CheckMembershipsExist, NamesTheIndexOfTheFirstMissingNode) {
  v1::Enterprise e = On({"chains/pv/nodes/wafer", "chains/pv/nodes/gone"});
  EXPECT_TRUE(CheckMembershipsExist(e, {}, "enterprise").ok());
  absl::Status s = CheckMembershipsExist(e, {"chains/pv/nodes/gone"}, "enterprises[4]");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(s.message()),
            "enterprises[4].memberships[1]: node chains/pv/nodes/gone does not exist");
}

TEST(AuthorizeEnterpriseWrite, AdminsAndDepartmentsWriteAnything) {
  v1::Enterprise before = On({"chains/pv/nodes/wafer"});
  v1::Enterprise after = On({});
  after.set_display_name("renamed");
  EXPECT_TRUE(AuthorizeEnterpriseWrite(Principal{"systems/a", {"admin"}, {}}, &before, after).ok());
  EXPECT_TRUE(
      AuthorizeEnterpriseWrite(Principal{"departments/fgw", {"department"}, {}}, nullptr, after)
          .ok());
}

TEST(AuthorizeEnterpriseWrite, OtherRolesMayNotWriteEnterprises) {
  absl::Status s = AuthorizeEnterpriseWrite(Principal{"systems/v", {"viewer"}, {}}, nullptr,
                                            On({"chains/pv/nodes/wafer"}));
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizeEnterpriseWrite, AChainOfficeChangesMembershipsOnItsOwnChains) {
  v1::Enterprise before = On({"chains/pv/nodes/wafer", "chains/nev/nodes/battery"});
  v1::Enterprise after = On({"chains/pv/nodes/cell", "chains/nev/nodes/battery"});
  after.set_etag("other");  // output-only fields do not count as a change
  EXPECT_TRUE(AuthorizeEnterpriseWrite(ChainOffice({"pv"}), &before, after).ok());
  // Taking the enterprise off a chain it does not hold.
  v1::Enterprise off_nev = On({"chains/pv/nodes/wafer"});
  EXPECT_EQ(AuthorizeEnterpriseWrite(ChainOffice({"pv"}), &before, off_nev).code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AuthorizeEnterpriseWrite, AChainOfficeChangesNothingButMemberships) {
  v1::Enterprise before = On({"chains/pv/nodes/wafer"});
  v1::Enterprise after = before;
  after.set_annual_output_yuan(1);
  absl::Status s = AuthorizeEnterpriseWrite(ChainOffice({"pv"}), &before, after);
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(std::string(s.message()).find("update_mask=memberships"), std::string::npos) << s;
}

TEST(AuthorizeEnterpriseWrite, AChainOfficeRegistersOnlyEnterprisesOnItsChains) {
  EXPECT_TRUE(
      AuthorizeEnterpriseWrite(ChainOffice({"pv"}), nullptr, On({"chains/pv/nodes/wafer"})).ok());
  EXPECT_EQ(AuthorizeEnterpriseWrite(ChainOffice({"pv"}), nullptr, On({})).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AuthorizeEnterpriseWrite(ChainOffice({"pv"}), nullptr, On({"chains/nev/nodes/battery"}))
                .code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace chainhub::registry
