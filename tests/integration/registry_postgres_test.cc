// The chain registry end to end on PostgreSQL: the real ServiceHost configured with
// database_url (no data_dir), a throwaway PostgreSQL server and a real redis-server, driven over
// gRPC through departments, a chain, its map, enterprises, filtered and paged lists, the chain
// map and gap analysis, etags, the audit trail and the outbox events on the Redis stream.
#include <algorithm>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"
#include "tests/support/postgres_server.h"

namespace chainhub {
const std::vector<Migration>& RegistryMigrations();
}  // namespace chainhub

namespace chainhub::testing {
namespace {

using grpc::StatusCode;
using L = v1::EnterpriseLabel;

// RegistryFixture (tests/support/registry_fixture.cc) with the store on PostgreSQL.
class RegistryPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto postgres = PostgresServer::Start();
    ASSERT_TRUE(postgres.ok()) << postgres.status();
    postgres_ = std::move(*postgres);
    auto url = postgres_->CreateDatabase("chainhub");
    ASSERT_TRUE(url.ok()) << url.status();
    ASSERT_NO_FATAL_FAILURE(registry_.SetUp(*url));
    ASSERT_EQ(registry_.host().store()->dialect(), "postgresql");
  }

  void TearDown() override {
    registry_.TearDown();
    postgres_.reset();
  }

  Caller admin() {
    return Caller(registry_.stub(), MintTestToken("systems/test-admin", {"admin"}));
  }

  std::unique_ptr<PostgresServer> postgres_;
  RegistryFixture registry_;
};

std::vector<std::string> CodesOf(const v1::ListEnterprisesResponse& r) {
  std::vector<std::string> codes;
  for (const auto& e : r.enterprises()) codes.push_back(e.credit_code());
  return codes;
}

TEST_F(RegistryPostgresTest, ServesTheChainRegistryEndToEnd) {
  Caller as = admin();
  CreateDepartment(as, "fgw", "市发展和改革委员会");
  CreateDepartment(as, "jxj", "市经济和信息化局");

  v1::Chain pv_chain = MakeChain("光伏");
  pv_chain.set_lead_department("departments/fgw");
  const v1::Chain pv = CreateChain(as, "pv", pv_chain);
  ASSERT_EQ(pv.name(), "chains/pv");
  EXPECT_EQ(pv.lead_department(), "departments/fgw");
  CreateChain(as, "food", MakeChain("绿色食品"));

  CreateNode(as, "pv", "materials", MakeNode("材料", v1::SEGMENT_UPSTREAM, "", 0));
  CreateNode(as, "pv", "silicon",
             MakeNode("多晶硅", v1::SEGMENT_UPSTREAM, NodeName("pv", "materials"), 0));
  CreateNode(as, "pv", "glass",
             MakeNode("光伏玻璃", v1::SEGMENT_UPSTREAM, NodeName("pv", "materials"), 1));
  CreateNode(as, "pv", "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
  CreateNode(as, "pv", "inverters", MakeNode("逆变器", v1::SEGMENT_MIDSTREAM, "", 1));
  CreateNode(as, "pv", "plants", MakeNode("光伏电站", v1::SEGMENT_DOWNSTREAM));
  CreateNode(as, "food", "grain", MakeNode("粮油", v1::SEGMENT_UPSTREAM));

  const std::string e1 = GeneratedCode(101), e2 = GeneratedCode(102), e3 = GeneratedCode(103),
                    e4 = GeneratedCode(104), e5 = GeneratedCode(105), e6 = GeneratedCode(106);
  v1::BatchUpsertEnterprisesRequest batch;
  batch.set_request_id("pg-batch-1");
  *batch.add_enterprises() = MakeEnterprise(
      e1, "滁州光伏硅材料有限公司", {NodeName("pv", "silicon")},
      {L::ENTERPRISE_LABEL_CHAIN_OWNER, L::ENTERPRISE_LABEL_HIGH_TECH}, 5'000'000'000);
  *batch.add_enterprises() = MakeEnterprise(e2, "滁州光伏玻璃有限公司", {NodeName("pv", "glass")},
                                            {L::ENTERPRISE_LABEL_HIGH_TECH}, 3'000'000'000);
  *batch.add_enterprises() = MakeEnterprise(e3, "滁州电池片科技有限公司", {NodeName("pv", "cells")},
                                            {L::ENTERPRISE_LABEL_HIGH_TECH}, 8'000'000'000);
  *batch.add_enterprises() =
      MakeEnterprise(e4, "滁州光伏电站运营有限公司", {NodeName("pv", "plants")}, {}, 1'000'000'000);
  *batch.add_enterprises() = MakeEnterprise(
      e5, "安徽光伏组件有限公司", {NodeName("pv", "silicon"), NodeName("pv", "cells")},
      {L::ENTERPRISE_LABEL_HIGH_TECH, L::ENTERPRISE_LABEL_SPECIALIZED}, 2'000'000'000);
  *batch.add_enterprises() = MakeEnterprise(e6, "滁州粮油有限公司", {NodeName("food", "grain")},
                                            {L::ENTERPRISE_LABEL_HIGH_TECH}, 9'000'000'000);
  v1::BatchUpsertEnterprisesResponse upserted;
  grpc::Status s = as(&Stub::BatchUpsertEnterprises, batch, &upserted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(upserted.created_count(), 6);
  EXPECT_EQ(upserted.failed_count(), 0);
  // A retry with the same request id replays the recorded response (the idempotency table).
  v1::BatchUpsertEnterprisesResponse replayed;
  ASSERT_TRUE(as(&Stub::BatchUpsertEnterprises, batch, &replayed).ok());
  EXPECT_EQ(replayed.SerializeAsString(), upserted.SerializeAsString());

  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(e5));
  v1::Enterprise got;
  ASSERT_TRUE(as(&Stub::GetEnterprise, get, &got).ok());
  EXPECT_EQ(got.display_name(), "安徽光伏组件有限公司");
  EXPECT_EQ(got.annual_output_yuan(), 2'000'000'000);
  EXPECT_EQ(got.memberships_size(), 2);
  EXPECT_EQ(got.labels_size(), 2);

  // Membership and label filters, ordered by output, two to a page.
  v1::ListEnterprisesRequest list;
  list.set_filter("chain = \"pv\" AND label = \"HIGH_TECH\"");
  list.set_order_by("annual_output_yuan desc");
  list.set_page_size(2);
  std::vector<std::vector<std::string>> pages;
  for (int page = 0; page < 5; ++page) {
    v1::ListEnterprisesResponse resp;
    s = as(&Stub::ListEnterprises, list, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    pages.push_back(CodesOf(resp));
    if (resp.next_page_token().empty()) break;
    list.set_page_token(resp.next_page_token());
  }
  ASSERT_GE(pages.size(), 2u);
  EXPECT_EQ(pages[0], (std::vector<std::string>{e3, e1}));
  EXPECT_EQ(pages[1], (std::vector<std::string>{e2, e5}));
  if (pages.size() == 3) {
    EXPECT_TRUE(pages[2].empty());
  }
  EXPECT_LE(pages.size(), 3u);

  // Substring match on a Chinese name (instr() in the filter SQL), default order by credit code.
  v1::ListEnterprisesRequest contains;
  contains.set_filter("display_name:\"光伏\"");
  v1::ListEnterprisesResponse matched;
  ASSERT_TRUE(as(&Stub::ListEnterprises, contains, &matched).ok());
  EXPECT_EQ(CodesOf(matched), (std::vector<std::string>{e1, e2, e4, e5}));
  contains.set_filter("display_name:\"光伏\" AND annual_output_yuan >= 2000000000");
  ASSERT_TRUE(as(&Stub::ListEnterprises, contains, &matched).ok());
  EXPECT_EQ(CodesOf(matched), (std::vector<std::string>{e1, e2, e5}));

  // The chain map: six nodes, five distinct firms, counts rolled up the tree.
  v1::ChainMap map = GetChainMap(as, "pv");
  EXPECT_EQ(map.node_count(), 6);
  EXPECT_EQ(map.enterprise_count(), 5);
  EXPECT_EQ(map.missing_count(), 1);
  EXPECT_EQ(map.missing_count() + map.weak_count() + map.strong_count(), map.node_count());
  const v1::ChainMapNode* materials = FindMapNode(map, NodeName("pv", "materials"));
  ASSERT_NE(materials, nullptr);
  EXPECT_EQ(materials->enterprise_count(), 3);  // e1, e5 on silicon; e2 on glass
  EXPECT_EQ(materials->lead_firm_count(), 1);
  EXPECT_EQ(materials->children_size(), 2);
  const v1::ChainMapNode* cells = FindMapNode(map, NodeName("pv", "cells"));
  ASSERT_NE(cells, nullptr);
  EXPECT_EQ(cells->enterprise_count(), 2);
  const v1::ChainMapNode* inverters = FindMapNode(map, NodeName("pv", "inverters"));
  ASSERT_NE(inverters, nullptr);
  EXPECT_EQ(inverters->status(), v1::NODE_STATUS_MISSING);

  v1::AnalyzeGapsRequest gaps_req;
  gaps_req.set_name("chains/pv");
  v1::GapReport report;
  s = as(&Stub::AnalyzeGaps, gaps_req, &report);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(report.node_count(), 6);
  EXPECT_EQ(report.missing_count(), 1);
  EXPECT_EQ(report.weak_count(), map.weak_count());
  bool inverters_missing = false;
  for (const auto& gap : report.gaps()) {
    if (gap.node() == NodeName("pv", "inverters")) {
      inverters_missing = gap.status() == v1::NODE_STATUS_MISSING;
    }
  }
  EXPECT_TRUE(inverters_missing);
  EXPECT_GT(report.attraction_list_size(), 0);

  // Optimistic concurrency: a stale etag is refused, the current one accepted.
  v1::UpdateChainRequest update;
  *update.mutable_chain() = pv;
  update.mutable_chain()->set_display_name("先进光伏");
  update.mutable_chain()->set_etag("0-0");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_TRUE(HasCode(as.Status(&Stub::UpdateChain, update), StatusCode::ABORTED));
  update.mutable_chain()->set_etag(pv.etag());
  v1::Chain updated;
  s = as(&Stub::UpdateChain, update, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.display_name(), "先进光伏");
  EXPECT_NE(updated.etag(), pv.etag());
  EXPECT_TRUE(HasCode(as.Status(&Stub::UpdateChain, update), StatusCode::ABORTED));  // now stale
  v1::CreateChainRequest again;
  again.set_chain_id("pv");
  *again.mutable_chain() = MakeChain("光伏");
  EXPECT_TRUE(HasCode(as.Status(&Stub::CreateChain, again), StatusCode::ALREADY_EXISTS));

  // The audit trail: the create and the one successful update of the chain, newest first.
  const auto audit = AuditRows(as, "resource = \"chains/pv\"");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_TRUE(absl::StrContains(audit[0].method(), "UpdateChain")) << audit[0].method();
  EXPECT_TRUE(absl::StrContains(audit[1].method(), "CreateChain")) << audit[1].method();
  EXPECT_EQ(audit[0].principal(), "systems/test-admin");

  // Every write's event reaches the stream through the outbox.
  RedisClient redis(registry_.redis().ClientOptions());
  auto events = WaitForStream(redis, [&](const std::vector<StreamEvent>& evs) {
    return StreamHasSubject(evs, "chain.updated", "chains/pv") &&
           StreamHasSubject(evs, "enterprise.created", EnterpriseName(e6));
  });
  // Writes made one after another reach the stream in their order, each once.
  std::vector<std::string> expected = {"department.created departments/fgw",
                                       "department.created departments/jxj",
                                       "chain.created chains/pv", "chain.created chains/food"};
  for (const char* node : {"materials", "silicon", "glass", "cells", "inverters", "plants"}) {
    expected.push_back("node.created " + NodeName("pv", node));
  }
  expected.push_back("node.created " + NodeName("food", "grain"));
  for (const std::string& code : {e1, e2, e3, e4, e5, e6}) {
    expected.push_back("enterprise.created " + EnterpriseName(code));
  }
  expected.push_back("chain.updated chains/pv");
  std::vector<std::string> seen;
  std::set<std::string> ids;
  for (const auto& e : events) {
    EXPECT_TRUE(e.decoded) << e.entry_id;
    EXPECT_TRUE(ids.insert(e.id).second) << "event published twice: " << e.id;
    seen.push_back(e.type + " " + e.subject);
  }
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace chainhub::testing
