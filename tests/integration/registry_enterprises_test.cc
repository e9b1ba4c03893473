// Integration tests of the registry's enterprises over real gRPC: CRUD with etags, validation of
// every field, BatchUpsertEnterprises (per-row results, limits, validate_only, idempotent
// retries), and keyset paging through more than a thousand enterprises in every order.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using grpc::StatusCode;
using L = v1::EnterpriseLabel;

class RegistryEnterprises : public SharedRegistryTest<RegistryEnterprises> {
 protected:
  void SetUp() override {
    SharedRegistryTest::SetUp();
    if (HasFatalFailure() || chains_made_) return;
    chains_made_ = true;
    CreateChain(admin(), "ent-pv");
    CreateNode(admin(), "ent-pv", "wafer", MakeNode("硅片", v1::SEGMENT_UPSTREAM));
    CreateNode(admin(), "ent-pv", "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
    v1::PutProvinceListRequest list;
    auto* l = list.mutable_province_list();
    l->set_name("provinceLists/2021");
    l->set_display_name("安徽省十大新兴产业（2021）");
    l->set_effective_from("2021-01-01");
    auto* c = l->add_chains();
    c->set_id("pv-storage");
    c->set_display_name("先进光伏和新型储能");
    ASSERT_TRUE(admin().Status(&Stub::PutProvinceList, list).ok());
  }
  static inline bool chains_made_ = false;
};

// First rows of data/enterprises.csv: real-looking codes with valid check characters.
constexpr char kCsvCode1[] = "91341125071300609B";
constexpr char kCsvCode2[] = "91341126MA2PM5CG42";

TEST_F(RegistryEnterprises, CreatesGetsListsUpdatesAndDeletesAnEnterprise) {
  v1::Enterprise e = MakeEnterprise(
      kCsvCode1, "定远博腾矿业股份有限公司", {NodeName("ent-pv", "wafer")},
      {L::ENTERPRISE_LABEL_CHAIN_OWNER, L::ENTERPRISE_LABEL_HIGH_TECH}, 13'528'680'000);
  e.set_park("定远经济开发区");
  e.add_province_category_override("pv-storage");
  v1::Enterprise created = CreateEnterprise(admin(), e);
  EXPECT_EQ(created.name(), EnterpriseName(kCsvCode1));
  EXPECT_EQ(created.annual_output_yuan(), 13'528'680'000);
  EXPECT_EQ(created.labels_size(), 2);
  EXPECT_FALSE(created.etag().empty());

  v1::CreateEnterpriseRequest dup;
  *dup.mutable_enterprise() = e;
  EXPECT_TRUE(HasCode(admin().Status(&Stub::CreateEnterprise, dup), StatusCode::ALREADY_EXISTS));

  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(kCsvCode1));
  v1::Enterprise read;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  CreateNode(admin(), "ent-pv", "crud-glass", MakeNode("光伏玻璃", v1::SEGMENT_UPSTREAM));
  CreateEnterprise(admin(), MakeEnterprise(kCsvCode2, "滁州弘琪硅材料科技有限公司",
                                           {NodeName("ent-pv", "crud-glass")}));
  v1::ListEnterprisesRequest list;
  list.set_filter("chain = \"chains/ent-pv\" AND label = CHAIN_OWNER");
  v1::ListEnterprisesResponse listed;
  ASSERT_TRUE(admin()(&Stub::ListEnterprises, list, &listed).ok());
  ASSERT_EQ(listed.enterprises_size(), 1);
  EXPECT_EQ(listed.enterprises(0).credit_code(), kCsvCode1);
  list.set_filter("node = \"chains/ent-pv/nodes/crud-glass\"");
  ASSERT_TRUE(admin()(&Stub::ListEnterprises, list, &listed).ok());
  ASSERT_EQ(listed.enterprises_size(), 1);
  EXPECT_EQ(listed.enterprises(0).credit_code(), kCsvCode2);

  // Update with a stale etag, then with the current one.
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(EnterpriseName(kCsvCode1));
  update.mutable_enterprise()->set_annual_output_yuan(14'000'000'000);
  update.mutable_enterprise()->set_etag("0-0");
  update.mutable_update_mask()->add_paths("annual_output_yuan");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::UpdateEnterprise, update), StatusCode::ABORTED));
  update.mutable_enterprise()->set_etag(read.etag());
  v1::Enterprise updated;
  ASSERT_TRUE(admin()(&Stub::UpdateEnterprise, update, &updated).ok());
  EXPECT_EQ(updated.annual_output_yuan(), 14'000'000'000);
  EXPECT_EQ(updated.display_name(), read.display_name());
  EXPECT_EQ(updated.memberships_size(), 1);
  EXPECT_NE(updated.etag(), read.etag());
  // The cached copy was invalidated.
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &read).ok());
  EXPECT_EQ(read.annual_output_yuan(), 14'000'000'000);
  // credit_code is output only on update.
  update.mutable_enterprise()->clear_etag();
  update.mutable_update_mask()->set_paths(0, "credit_code");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateEnterprise, update), "update_mask"));

  v1::DeleteEnterpriseRequest del;
  del.set_name(EnterpriseName(kCsvCode1));
  del.set_etag("0-0");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteEnterprise, del), StatusCode::ABORTED));
  del.set_etag(updated.etag());
  ASSERT_TRUE(admin().Status(&Stub::DeleteEnterprise, del).ok());
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetEnterprise, get), StatusCode::NOT_FOUND));
  get.set_name("enterprises/" + WithWrongCheck(kCsvCode1));
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::GetEnterprise, get), "name"));
}

TEST_F(RegistryEnterprises, AWriteAnswersExactlyWhatAReadThenGives) {
  // Memberships given out of order come back in the table's order, on create and on update.
  const std::string code = GeneratedCode(9601);
  CreateNode(admin(), "ent-pv", "zz-cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
  CreateNode(admin(), "ent-pv", "aa-glass", MakeNode("光伏玻璃", v1::SEGMENT_UPSTREAM));
  v1::Enterprise e = MakeEnterprise(
      code, "滁州弘琪硅材料科技有限公司",
      {NodeName("ent-pv", "zz-cells"), NodeName("ent-pv", "aa-glass")},
      {L::ENTERPRISE_LABEL_HIGH_TECH, L::ENTERPRISE_LABEL_CHAIN_OWNER}, 2'000'000'000);
  const v1::Enterprise created = CreateEnterprise(admin(), e);
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(code));
  v1::Enterprise read;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
  ASSERT_EQ(created.memberships_size(), 2);
  EXPECT_EQ(created.memberships(0), NodeName("ent-pv", "aa-glass"));

  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(EnterpriseName(code));
  update.mutable_enterprise()->set_annual_output_yuan(2'500'000'000);
  update.mutable_enterprise()->set_etag(created.etag());
  update.mutable_update_mask()->add_paths("annual_output_yuan");
  v1::Enterprise updated;
  ASSERT_TRUE(admin()(&Stub::UpdateEnterprise, update, &updated).ok());
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), updated.SerializeAsString());
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(updated.create_time().seconds(), created.create_time().seconds());
}

TEST_F(RegistryEnterprises, AnUpsertKeepsTheLabelAndMembershipRowsListsFilterOn) {
  const std::string code = GeneratedCode(9602);
  auto upsert = [&](const std::string& request_id, const std::string& node, L label,
                    int64_t output) {
    v1::BatchUpsertEnterprisesRequest batch;
    batch.set_request_id(request_id);
    *batch.add_enterprises() = MakeEnterprise(code, "滁州两行光伏有限公司",
                                              {NodeName("ent-pv", node)}, {label}, output);
    v1::BatchUpsertEnterprisesResponse resp;
    EXPECT_TRUE(admin()(&Stub::BatchUpsertEnterprises, batch, &resp).ok());
    EXPECT_EQ(resp.failed_count(), 0);
  };
  auto listed = [&](const std::string& filter) {
    v1::ListEnterprisesRequest list;
    list.set_filter(absl::StrCat(filter, " AND credit_code = \"", code, "\""));
    v1::ListEnterprisesResponse page;
    EXPECT_TRUE(admin()(&Stub::ListEnterprises, list, &page).ok()) << filter;
    return page.enterprises_size();
  };
  auto node = [](const std::string& id) {
    return absl::StrCat("node = \"", NodeName("ent-pv", id), "\"");
  };
  upsert("rows-1", "wafer", L::ENTERPRISE_LABEL_HIGH_TECH, 100'000'000);
  // Labels and memberships changed: their rows follow.
  upsert("rows-2", "cells", L::ENTERPRISE_LABEL_SPECIALIZED, 200'000'000);
  EXPECT_EQ(listed("label = \"SPECIALIZED\""), 1);
  EXPECT_EQ(listed("label = \"HIGH_TECH\""), 0);
  EXPECT_EQ(listed(node("cells")), 1);
  EXPECT_EQ(listed(node("wafer")), 0);
  // Only the output changed: the rows stay as they were.
  upsert("rows-3", "cells", L::ENTERPRISE_LABEL_SPECIALIZED, 300'000'000);
  EXPECT_EQ(listed("label = \"SPECIALIZED\" AND annual_output_yuan = 300000000"), 1);
  EXPECT_EQ(listed(node("cells")), 1);
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(code));
  v1::Enterprise read;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &read).ok());
  EXPECT_EQ(read.annual_output_yuan(), 300'000'000);
  EXPECT_EQ(read.labels_size(), 1);
  ASSERT_EQ(read.memberships_size(), 1);
  EXPECT_EQ(read.memberships(0), NodeName("ent-pv", "cells"));
}

TEST_F(RegistryEnterprises, CreateRetriedWithTheSameRequestIdReturnsTheFirstResult) {
  v1::CreateEnterpriseRequest req;
  *req.mutable_enterprise() =
      MakeEnterprise(GeneratedCode(9050), "滁州幂等科技有限公司", {NodeName("ent-pv", "wafer")});
  req.set_request_id("ent-create-idem-1");
  v1::Enterprise first, second;
  ASSERT_TRUE(admin()(&Stub::CreateEnterprise, req, &first).ok());
  grpc::Status s = admin()(&Stub::CreateEnterprise, req, &second);
  ASSERT_TRUE(s.ok()) << s.error_message();  // not ALREADY_EXISTS: a replay
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(AuditRows(admin(), "resource = \"" + first.name() + "\"").size(), 1u);
  req.mutable_enterprise()->set_county("天长市");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateEnterprise, req), "request_id"));
}

TEST_F(RegistryEnterprises, CreateRejectsABadValueInEachValidatedField) {
  const std::string good = GeneratedCode(9001);
  struct Case {
    std::string name;
    std::function<void(v1::Enterprise&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"credit code too short", [](v1::Enterprise& e) { e.set_credit_code("91341100123"); },
       "enterprise.credit_code"},
      {"credit code too long", [&](v1::Enterprise& e) { e.set_credit_code(good + "0"); },
       "enterprise.credit_code"},
      {"credit code with a letter outside the charset (I)",
       [&](v1::Enterprise& e) {
         std::string c = good;
         c[10] = 'I';
         e.set_credit_code(c);
       },
       "enterprise.credit_code"},
      {"credit code in lower case",
       [](v1::Enterprise& e) { e.set_credit_code("91341126ma2pm5cg42"); },
       "enterprise.credit_code"},
      {"credit code with a wrong check character",
       [&](v1::Enterprise& e) { e.set_credit_code(WithWrongCheck(good)); },
       "enterprise.credit_code"},
      {"empty display_name", [](v1::Enterprise& e) { e.clear_display_name(); },
       "enterprise.display_name"},
      {"label unspecified",
       [](v1::Enterprise& e) { e.add_labels(L::ENTERPRISE_LABEL_UNSPECIFIED); },
       "enterprise.labels[0]"},
      {"label out of range", [](v1::Enterprise& e) { e.add_labels(static_cast<L>(42)); },
       "enterprise.labels[0]"},
      {"duplicate label",
       [](v1::Enterprise& e) {
         e.add_labels(L::ENTERPRISE_LABEL_HEAD);
         e.add_labels(L::ENTERPRISE_LABEL_HEAD);
       },
       "enterprise.labels[1]"},
      {"negative annual output", [](v1::Enterprise& e) { e.set_annual_output_yuan(-1); },
       "enterprise.annual_output_yuan"},
      {"malformed membership", [](v1::Enterprise& e) { e.add_memberships("chains/ent-pv/wafer"); },
       "enterprise.memberships[0]"},
      {"membership on a node that does not exist",
       [](v1::Enterprise& e) {
         e.add_memberships(NodeName("ent-pv", "wafer"));
         e.add_memberships(NodeName("ent-pv", "nowhere"));
       },
       "enterprise.memberships[1]"},
      {"membership on a chain that does not exist",
       [](v1::Enterprise& e) { e.add_memberships(NodeName("ent-absent", "wafer")); },
       "enterprise.memberships[0]"},
      {"duplicate membership",
       [](v1::Enterprise& e) {
         e.add_memberships(NodeName("ent-pv", "wafer"));
         e.add_memberships(NodeName("ent-pv", "wafer"));
       },
       "enterprise.memberships[1]"},
      {"unknown province category override",
       [](v1::Enterprise& e) { e.add_province_category_override("no-such-chain"); },
       "enterprise.province_category_override[0]"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    v1::CreateEnterpriseRequest req;
    *req.mutable_enterprise() = MakeEnterprise(good, "滁州校验科技有限公司");
    tc.spoil(*req.mutable_enterprise());
    EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateEnterprise, req), tc.field));
  }
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(good));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetEnterprise, get), StatusCode::NOT_FOUND));
}

TEST_F(RegistryEnterprises, UpdateValidatesTheMergedEnterprise) {
  const std::string code = GeneratedCode(9101);
  CreateEnterprise(admin(), MakeEnterprise(code, "滁州更新科技有限公司"));
  v1::UpdateEnterpriseRequest req;
  req.mutable_enterprise()->set_name(EnterpriseName(code));
  req.mutable_enterprise()->add_memberships(NodeName("ent-pv", "nowhere"));
  req.mutable_update_mask()->add_paths("memberships");
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::UpdateEnterprise, req), "enterprise.memberships[0]"));
  req.mutable_enterprise()->clear_memberships();
  req.mutable_enterprise()->add_labels(L::ENTERPRISE_LABEL_UNSPECIFIED);
  req.mutable_update_mask()->set_paths(0, "labels");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateEnterprise, req), "enterprise.labels[0]"));
  req.mutable_update_mask()->set_paths(0, "no_such_field");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateEnterprise, req), "update_mask"));
}

TEST_F(RegistryEnterprises, BatchReportsEachRowAndStoresTheGoodOnes) {
  const std::string good1 = GeneratedCode(9201), good2 = GeneratedCode(9202);
  const std::string bad_check = WithWrongCheck(GeneratedCode(9203));
  const std::string no_name = GeneratedCode(9204), bad_node = GeneratedCode(9205);
  v1::BatchUpsertEnterprisesRequest req;
  req.set_request_id("batch-mixed-1");
  *req.add_enterprises() =
      MakeEnterprise(good1, "滁州良品一有限公司", {NodeName("ent-pv", "wafer")});
  *req.add_enterprises() = MakeEnterprise(bad_check, "滁州坏码有限公司");
  *req.add_enterprises() = MakeEnterprise(no_name, "");
  *req.add_enterprises() = MakeEnterprise(good2, "滁州良品二有限公司");
  *req.add_enterprises() =
      MakeEnterprise(bad_node, "滁州无节点有限公司", {NodeName("ent-pv", "nowhere")});
  *req.add_enterprises() = MakeEnterprise(good1, "滁州良品一重复有限公司");
  v1::BatchUpsertEnterprisesResponse resp;
  grpc::Status s = admin()(&Stub::BatchUpsertEnterprises, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.created_count(), 2);
  EXPECT_EQ(resp.updated_count(), 0);
  EXPECT_EQ(resp.failed_count(), 4);
  ASSERT_EQ(resp.results_size(), 6);
  const std::vector<std::pair<int, std::string>> expected = {
      {0, ""}, {3, "enterprises[1].credit_code"},    {3, "enterprises[2].display_name"},
      {0, ""}, {3, "enterprises[4].memberships[0]"}, {3, "enterprises[5].credit_code"}};
  for (int i = 0; i < resp.results_size(); ++i) {
    SCOPED_TRACE(i);
    const auto& r = resp.results(i);
    EXPECT_EQ(r.index(), i);
    EXPECT_EQ(r.credit_code(), req.enterprises(i).credit_code());
    EXPECT_EQ(r.code(), expected[i].first) << r.message();
    if (expected[i].first == 0) {
      EXPECT_TRUE(r.created());
      EXPECT_TRUE(r.message().empty()) << r.message();
    } else {
      EXPECT_TRUE(absl::StrContains(r.message(), expected[i].second)) << r.message();
    }
  }

  auto exists = [&](const std::string& code) {
    v1::GetEnterpriseRequest get;
    get.set_name(EnterpriseName(code));
    v1::Enterprise e;
    grpc::Status gs = admin()(&Stub::GetEnterprise, get, &e);
    return gs.ok() ? e.display_name() : std::string();
  };
  EXPECT_EQ(exists(good1), "滁州良品一有限公司");  // the duplicate row did not replace it
  EXPECT_EQ(exists(good2), "滁州良品二有限公司");
  EXPECT_EQ(exists(no_name), "");
  EXPECT_EQ(exists(bad_node), "");

  // A second batch replaces an existing enterprise: updated, not created.
  v1::BatchUpsertEnterprisesRequest replace;
  replace.set_request_id("batch-mixed-2");
  *replace.add_enterprises() = MakeEnterprise(good2, "滁州良品二（更名）有限公司");
  ASSERT_TRUE(admin()(&Stub::BatchUpsertEnterprises, replace, &resp).ok());
  EXPECT_EQ(resp.updated_count(), 1);
  EXPECT_EQ(resp.created_count(), 0);
  ASSERT_EQ(resp.results_size(), 1);
  EXPECT_FALSE(resp.results(0).created());
  EXPECT_EQ(exists(good2), "滁州良品二（更名）有限公司");
}

TEST_F(RegistryEnterprises, BatchRefusesTooManyRowsNoRowsAndNoRequestId) {
  v1::BatchUpsertEnterprisesRequest req;
  req.set_request_id("batch-limits");
  for (int i = 0; i < 1001; ++i) {
    *req.add_enterprises() = MakeEnterprise(GeneratedCode(100000 + i), absl::StrCat("企业", i));
  }
  grpc::Status s = admin().Status(&Stub::BatchUpsertEnterprises, req);
  EXPECT_TRUE(HasCode(s, StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "1000")) << s.error_message();
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(GeneratedCode(100000)));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetEnterprise, get), StatusCode::NOT_FOUND));

  req.clear_enterprises();
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::BatchUpsertEnterprises, req), "enterprises"));
  *req.add_enterprises() = MakeEnterprise(GeneratedCode(100000), "企业");
  req.clear_request_id();
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::BatchUpsertEnterprises, req), "request_id"));
}

TEST_F(RegistryEnterprises, BatchValidateOnlyWritesNothing) {
  const std::string code = GeneratedCode(9301);
  v1::BatchUpsertEnterprisesRequest req;
  req.set_request_id("batch-validate-only");
  req.set_validate_only(true);
  *req.add_enterprises() = MakeEnterprise(code, "滁州预检有限公司", {NodeName("ent-pv", "wafer")});
  *req.add_enterprises() = MakeEnterprise(GeneratedCode(9302), "");
  const size_t audit_before = AuditRows(admin(), "").size();
  v1::BatchUpsertEnterprisesResponse resp;
  ASSERT_TRUE(admin()(&Stub::BatchUpsertEnterprises, req, &resp).ok());
  ASSERT_EQ(resp.results_size(), 2);
  EXPECT_EQ(resp.results(0).code(), 0);
  EXPECT_EQ(resp.results(1).code(), 3);
  EXPECT_TRUE(absl::StrContains(resp.results(1).message(), "enterprises[1].display_name"));
  EXPECT_EQ(resp.failed_count(), 1);
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(code));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetEnterprise, get), StatusCode::NOT_FOUND));
  EXPECT_EQ(AuditRows(admin(), "").size(), audit_before);

  // validate_only records no idempotency: the same request id then really writes.
  req.set_validate_only(false);
  ASSERT_TRUE(admin()(&Stub::BatchUpsertEnterprises, req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 1);
  EXPECT_TRUE(admin().Status(&Stub::GetEnterprise, get).ok());
}

TEST_F(RegistryEnterprises, BatchRetriedWithTheSameRequestIdReplaysTheFirstResponse) {
  v1::BatchUpsertEnterprisesRequest req;
  req.set_request_id("batch-retry-1");
  for (int i = 0; i < 5; ++i) {
    *req.add_enterprises() = MakeEnterprise(GeneratedCode(9400 + i), absl::StrCat("滁州重试", i),
                                            {NodeName("ent-pv", "cells")});
  }
  *req.add_enterprises() = MakeEnterprise(GeneratedCode(9499), "");  // one bad row
  v1::BatchUpsertEnterprisesResponse first, second;
  ASSERT_TRUE(admin()(&Stub::BatchUpsertEnterprises, req, &first).ok());
  EXPECT_EQ(first.created_count(), 5);
  const size_t audit_after_first = AuditRows(admin(), "").size();
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(GeneratedCode(9400)));
  v1::Enterprise before;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &before).ok());

  ASSERT_TRUE(admin()(&Stub::BatchUpsertEnterprises, req, &second).ok());
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(second.created_count(), 5);  // as first reported, though nothing is created now
  EXPECT_EQ(AuditRows(admin(), "").size(), audit_after_first);
  v1::Enterprise after;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &after).ok());
  EXPECT_EQ(after.etag(), before.etag());

  // The same id with other rows is refused.
  req.mutable_enterprises(0)->set_display_name("滁州重试（改）");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::BatchUpsertEnterprises, req), "request_id"));
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &after).ok());
  EXPECT_EQ(after.display_name(), "滁州重试0");
}

// --- Paging ------------------------------------------------------------------------------------

// 1,200 enterprises in a registry of their own, so that a list sees exactly these.
class RegistryEnterprisePaging : public SharedRegistryTest<RegistryEnterprisePaging> {
 protected:
  static constexpr int kCount = 1200;

  void SetUp() override {
    SharedRegistryTest::SetUp();
    if (HasFatalFailure() || !all_.empty()) return;
    std::vector<v1::Enterprise> rows;
    for (int i = 0; i < kCount; ++i) {
      // Names and outputs in another order than the codes, with ties in output.
      v1::Enterprise e = MakeEnterprise(GeneratedCode(500000 + i),
                                        absl::StrCat("Enterprise-", (i * 7919) % kCount + 10000),
                                        {}, {}, static_cast<int64_t>((i * 31) % 97) * 1'000'000);
      if (i % 3 == 0) e.add_labels(L::ENTERPRISE_LABEL_SPECIALIZED);
      if (i % 5 == 0) e.add_labels(L::ENTERPRISE_LABEL_HIGH_TECH);
      rows.push_back(e);
    }
    for (int start = 0; start < kCount; start += 1000) {
      v1::BatchUpsertEnterprisesRequest req;
      req.set_request_id(absl::StrCat("paging-", start));
      for (int i = start; i < std::min(kCount, start + 1000); ++i) *req.add_enterprises() = rows[i];
      v1::BatchUpsertEnterprisesResponse resp;
      grpc::Status s = admin()(&Stub::BatchUpsertEnterprises, req, &resp);
      ASSERT_TRUE(s.ok()) << s.error_message();
      ASSERT_EQ(resp.failed_count(), 0);
    }
    all_ = rows;
  }

  // Every enterprise of a listing, page by page; fails on a page larger than asked.
  static std::vector<v1::Enterprise> ListAll(const std::string& filter, const std::string& order_by,
                                             int page_size, int* pages) {
    std::vector<v1::Enterprise> out;
    v1::ListEnterprisesRequest req;
    req.set_filter(filter);
    req.set_order_by(order_by);
    req.set_page_size(page_size);
    *pages = 0;
    for (int guard = 0; guard < 100; ++guard) {
      v1::ListEnterprisesResponse resp;
      grpc::Status s = admin()(&Stub::ListEnterprises, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      ++*pages;
      EXPECT_LE(resp.enterprises_size(), page_size);
      out.insert(out.end(), resp.enterprises().begin(), resp.enterprises().end());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  static std::vector<std::string> Codes(const std::vector<v1::Enterprise>& list) {
    std::vector<std::string> out;
    for (const auto& e : list) out.push_back(e.credit_code());
    return out;
  }

  static inline std::vector<v1::Enterprise> all_;
};

TEST_F(RegistryEnterprisePaging, PagesThroughEveryEnterpriseOnceInEachOrder) {
  struct Order {
    std::string order_by;
    std::function<bool(const v1::Enterprise&, const v1::Enterprise&)> less;
  };
  const std::vector<Order> orders = {
      {"", [](const auto& a, const auto& b) { return a.credit_code() < b.credit_code(); }},
      {"credit_code",
       [](const auto& a, const auto& b) { return a.credit_code() < b.credit_code(); }},
      {"display_name",
       [](const auto& a, const auto& b) {
         return std::tie(a.display_name(), a.credit_code()) <
                std::tie(b.display_name(), b.credit_code());
       }},
      {"annual_output_yuan desc",
       [](const auto& a, const auto& b) {
         return std::make_tuple(a.annual_output_yuan(), a.credit_code()) >
                std::make_tuple(b.annual_output_yuan(), b.credit_code());
       }},
      {"annual_output_yuan",
       [](const auto& a, const auto& b) {
         return std::make_tuple(a.annual_output_yuan(), a.credit_code()) <
                std::make_tuple(b.annual_output_yuan(), b.credit_code());
       }},
  };
  for (const auto& order : orders) {
    SCOPED_TRACE(order.order_by);
    std::vector<v1::Enterprise> expected = all_;
    std::stable_sort(expected.begin(), expected.end(), order.less);
    int pages = 0;
    std::vector<v1::Enterprise> got = ListAll("", order.order_by, 100, &pages);
    EXPECT_EQ(pages, kCount / 100);
    EXPECT_EQ(Codes(got), Codes(expected));
    std::set<std::string> distinct;
    for (const auto& e : got) distinct.insert(e.credit_code());
    EXPECT_EQ(distinct.size(), static_cast<size_t>(kCount));
  }
}

TEST_F(RegistryEnterprisePaging, PagesThroughAFilteredListInOrder) {
  for (const std::string order_by : {"credit_code", "display_name", "annual_output_yuan desc"}) {
    SCOPED_TRACE(order_by);
    int pages = 0;
    std::vector<v1::Enterprise> got = ListAll("label = \"SPECIALIZED\"", order_by, 100, &pages);
    EXPECT_EQ(got.size(), static_cast<size_t>(kCount / 3));
    std::set<std::string> distinct;
    for (const auto& e : got) {
      distinct.insert(e.credit_code());
      EXPECT_NE(std::find(e.labels().begin(), e.labels().end(), L::ENTERPRISE_LABEL_SPECIALIZED),
                e.labels().end())
          << e.credit_code();
    }
    EXPECT_EQ(distinct.size(), got.size());
    for (size_t i = 1; i < got.size(); ++i) {
      const auto& a = got[i - 1];
      const auto& b = got[i];
      if (order_by == "credit_code") {
        EXPECT_LT(a.credit_code(), b.credit_code());
      }
      if (order_by == "display_name") {
        EXPECT_LT(std::tie(a.display_name(), a.credit_code()),
                  std::tie(b.display_name(), b.credit_code()));
      }
      if (order_by == "annual_output_yuan desc") {
        EXPECT_GT(std::make_tuple(a.annual_output_yuan(), a.credit_code()),
                  std::make_tuple(b.annual_output_yuan(), b.credit_code()));
      }
    }
  }
  // Two labels together, and a numeric comparison.
  int pages = 0;
  EXPECT_EQ(ListAll("label = SPECIALIZED AND label = HIGH_TECH", "", 100, &pages).size(),
            static_cast<size_t>(kCount / 15));
  size_t big = 0;
  for (const auto& e : all_) big += e.annual_output_yuan() >= 50'000'000;
  EXPECT_EQ(
      ListAll("annual_output_yuan >= 50000000", "annual_output_yuan desc", 100, &pages).size(),
      big);
}

TEST_F(RegistryEnterprisePaging, PublishesOneEventPerUpsertedRowInOrder) {
  RedisClient redis(fx().redis().ClientOptions());
  auto events = WaitForStream(redis, [](const auto& e) { return e.size() >= kCount; });
  ASSERT_EQ(events.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(events[i].type, "enterprise.created") << i;
    ASSERT_EQ(events[i].subject, EnterpriseName(all_[i].credit_code())) << i;
  }
  EXPECT_FALSE(events[0].request_id.empty());
}

TEST_F(RegistryEnterprisePaging, FiltersCombineWithNotOrAndSubstring) {
  auto count = [&](const std::string& filter) {
    int pages = 0;
    return ListAll(filter, "", 1000, &pages).size();
  };
  const size_t specialized = kCount / 3;
  const size_t high_tech = kCount / 5;
  const size_t both = kCount / 15;
  EXPECT_EQ(count("NOT label = SPECIALIZED"), kCount - specialized);
  EXPECT_EQ(count("label != SPECIALIZED"), kCount - specialized);
  EXPECT_EQ(count("label = SPECIALIZED OR label = HIGH_TECH"), specialized + high_tech - both);
  EXPECT_EQ(count("-label = SPECIALIZED AND -label = HIGH_TECH"),
            kCount - (specialized + high_tech - both));
  // ":" on text is a plain substring match; % and _ are ordinary characters.
  EXPECT_EQ(count("display_name:\"Enterprise-1000\""), 10u);  // Enterprise-10000 … 10009
  EXPECT_EQ(count("display_name:\"%\""), 0u);
  EXPECT_EQ(count("display_name:\"_\""), 0u);
  EXPECT_EQ(count("display_name = \"Enterprise-10000\""), 1u);
  EXPECT_EQ(count("credit_code = \"" + GeneratedCode(500007) + "\""), 1u);
  EXPECT_EQ(count("county = \"琅琊区\" AND synthetic = false"), static_cast<size_t>(kCount));
  EXPECT_EQ(count("chain = \"chains/nowhere\""), 0u);
}

TEST_F(RegistryEnterprisePaging, RefusesATokenReusedWithAnotherQueryAndClampsThePageSize) {
  v1::ListEnterprisesRequest req;
  req.set_page_size(100);
  req.set_filter("label = SPECIALIZED");
  v1::ListEnterprisesResponse first;
  ASSERT_TRUE(admin()(&Stub::ListEnterprises, req, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  req.set_page_token(first.next_page_token());
  req.set_filter("label = HIGH_TECH");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, req), "page_token"));
  req.set_filter("label = SPECIALIZED");
  req.set_order_by("display_name");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, req), "page_token"));
  req.clear_order_by();
  req.set_page_token(first.next_page_token().substr(0, first.next_page_token().size() / 2));
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, req), "page_token"));

  v1::ListEnterprisesRequest big;
  big.set_page_size(5000);
  v1::ListEnterprisesResponse resp;
  ASSERT_TRUE(admin()(&Stub::ListEnterprises, big, &resp).ok());
  EXPECT_EQ(resp.enterprises_size(), 1000);
  EXPECT_FALSE(resp.next_page_token().empty());
  big.set_page_size(0);
  ASSERT_TRUE(admin()(&Stub::ListEnterprises, big, &resp).ok());
  EXPECT_EQ(resp.enterprises_size(), 50);
  big.set_page_size(-1);
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, big), "page_size"));

  v1::ListEnterprisesRequest bad;
  bad.set_filter("label = \"SPECIALIZED");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, bad), "filter"));
  bad.set_filter("revenue > 5");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, bad), "filter"));
  bad.set_filter("annual_output_yuan >= 1e8");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, bad), "filter"));
  bad.clear_filter();
  bad.set_order_by("county");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListEnterprises, bad), "order_by"));
}

}  // namespace
}  // namespace chainhub::testing
