// Integration tests of what the registry's writes leave behind, over real gRPC with a real Redis:
// the events on the stream chainhub:events (in order, decodable, with the caller's request id and
// principal), the audit trail, and serving through a Redis flush and a Redis outage.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using grpc::StatusCode;

constexpr char kAdminSubject[] = "systems/test-admin";
constexpr char kMethodPrefix[] = "/chainhub.registry.v1.ChainRegistry/";

std::vector<std::string> Types(const std::vector<StreamEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.type);
  return out;
}

class RegistryEvents : public OwnRegistryTest {};

TEST_F(RegistryEvents, PublishesEachWriteOnTheStreamInOrder) {
  v1::CreateChainRequest chain;
  chain.set_chain_id("pv");
  *chain.mutable_chain() = MakeChain("光伏");
  v1::Chain created_chain;
  ASSERT_TRUE(admin()(&Stub::CreateChain, chain, &created_chain, "evt-chain").ok());
  v1::CreateNodeRequest node;
  node.set_parent("chains/pv");
  node.set_node_id("wafer");
  *node.mutable_node() = MakeNode("硅片", v1::SEGMENT_UPSTREAM);
  v1::Node created_node;
  ASSERT_TRUE(admin()(&Stub::CreateNode, node, &created_node, "evt-node").ok());
  std::vector<v1::Enterprise> enterprises;
  for (int i = 0; i < 2; ++i) {
    v1::CreateEnterpriseRequest req;
    *req.mutable_enterprise() = MakeEnterprise(GeneratedCode(3000 + i), absl::StrCat("滁州事件", i),
                                               {NodeName("pv", "wafer")});
    v1::Enterprise out;
    ASSERT_TRUE(admin()(&Stub::CreateEnterprise, req, &out, absl::StrCat("evt-ent-", i)).ok());
    enterprises.push_back(out);
  }
  v1::UpdateChainRequest update;
  update.mutable_chain()->set_name("chains/pv");
  update.mutable_chain()->set_display_name("先进光伏");
  update.mutable_update_mask()->add_paths("display_name");
  v1::Chain updated_chain;
  ASSERT_TRUE(admin()(&Stub::UpdateChain, update, &updated_chain, "evt-update").ok());

  RedisClient redis(fx().redis().ClientOptions());
  auto events = WaitForStream(redis, [](const auto& e) { return e.size() >= 5; });
  ASSERT_EQ(Types(events),
            (std::vector<std::string>{"chain.created", "node.created", "enterprise.created",
                                      "enterprise.created", "chain.updated"}));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"chains/pv", "evt-chain"},
      {NodeName("pv", "wafer"), "evt-node"},
      {EnterpriseName(GeneratedCode(3000)), "evt-ent-0"},
      {EnterpriseName(GeneratedCode(3001)), "evt-ent-1"},
      {"chains/pv", "evt-update"}};
  for (size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(i);
    const StreamEvent& e = events[i];
    ASSERT_TRUE(e.decoded);
    EXPECT_FALSE(e.id.empty());
    EXPECT_EQ(e.event.id(), e.id);
    EXPECT_EQ(e.event.type(), e.type);
    EXPECT_EQ(e.event.source(), "/chainhub/registry");
    EXPECT_EQ(e.event.spec_version(), "1.0");
    EXPECT_EQ(e.subject, expected[i].first);
    EXPECT_EQ(e.request_id, expected[i].second);
    EXPECT_EQ(e.principal, kAdminSubject);
    EXPECT_GT(absl::ToUnixSeconds(e.time), 0);
    if (i > 0) {
      EXPECT_LT(events[i - 1].id, e.id) << "event ids are time-ordered";
    }
  }
  EXPECT_EQ(events[0].chain, "chains/pv");
  EXPECT_EQ(events[1].chain, "chains/pv");
  // Payloads: the resource as the client got it back.
  EXPECT_EQ(events[0].Payload<registry::v1::Chain>().SerializeAsString(),
            created_chain.SerializeAsString());
  EXPECT_EQ(events[1].Payload<registry::v1::Node>().SerializeAsString(),
            created_node.SerializeAsString());
  EXPECT_EQ(events[2].Payload<registry::v1::Enterprise>().SerializeAsString(),
            enterprises[0].SerializeAsString());
  EXPECT_EQ(events[3].Payload<registry::v1::Enterprise>().credit_code(), GeneratedCode(3001));
  EXPECT_EQ(events[4].Payload<registry::v1::Chain>().display_name(), "先进光伏");
  EXPECT_EQ(events[4].Payload<registry::v1::Chain>().etag(), updated_chain.etag());

  // A delete publishes the resource as it was.
  v1::DeleteEnterpriseRequest del;
  del.set_name(EnterpriseName(GeneratedCode(3001)));
  google::protobuf::Empty empty;
  ASSERT_TRUE(admin()(&Stub::DeleteEnterprise, del, &empty, "evt-delete").ok());
  events = WaitForStream(redis, [](const auto& e) { return e.size() >= 6; });
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[5].type, "enterprise.deleted");
  EXPECT_EQ(events[5].request_id, "evt-delete");
  EXPECT_EQ(events[5].Payload<registry::v1::Enterprise>().display_name(), "滁州事件1");

  // A forced chain delete: its nodes, the enterprises that lost memberships, then the chain.
  v1::DeleteChainRequest del_chain;
  del_chain.set_name("chains/pv");
  del_chain.set_force(true);
  ASSERT_TRUE(admin()(&Stub::DeleteChain, del_chain, &empty, "evt-delete-chain").ok());
  events = WaitForStream(redis, [](const auto& e) { return e.size() >= 9; });
  ASSERT_EQ(events.size(), 9u);
  EXPECT_EQ(Types(std::vector<StreamEvent>(events.begin() + 6, events.end())),
            (std::vector<std::string>{"node.deleted", "enterprise.updated", "chain.deleted"}));
  EXPECT_EQ(events[7].subject, EnterpriseName(GeneratedCode(3000)));
  EXPECT_EQ(events[7].Payload<registry::v1::Enterprise>().memberships_size(), 0);
  EXPECT_EQ(events[8].Payload<registry::v1::Chain>().display_name(), "先进光伏");
  for (size_t i = 6; i < 9; ++i) EXPECT_EQ(events[i].request_id, "evt-delete-chain");
}

TEST_F(RegistryEvents, KeepsServingThroughARedisOutageAndPublishesAfterIt) {
  CreateChain(admin(), "pv");
  CreateNode(admin(), "pv", "wafer", MakeNode("硅片", v1::SEGMENT_UPSTREAM));
  RedisClient redis(fx().redis().ClientOptions());
  ASSERT_EQ(WaitForStream(redis, [](const auto& e) { return e.size() >= 2; }).size(), 2u);
  // Cached before the outage.
  EXPECT_EQ(GetChainMap(admin(), "pv").enterprise_count(), 0);
  EXPECT_EQ(GetChainMap(admin(), "pv").enterprise_count(), 0);

  ASSERT_TRUE(fx().redis().Stop().ok());
  // Reads and writes go on.
  v1::GetChainRequest get;
  get.set_name("chains/pv");
  v1::Chain chain;
  ASSERT_TRUE(viewer()(&Stub::GetChain, get, &chain).ok());
  EXPECT_EQ(chain.display_name(), "链pv");
  CreateEnterprise(admin(), MakeEnterprise(GeneratedCode(3100), "滁州停电一有限公司",
                                           {NodeName("pv", "wafer")}));
  CreateNode(admin(), "pv", "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
  v1::UpdateChainRequest update;
  update.mutable_chain()->set_name("chains/pv");
  update.mutable_chain()->set_display_name("光伏（停电中）");
  update.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(admin().Status(&Stub::UpdateChain, update).ok());
  ASSERT_TRUE(viewer()(&Stub::GetChain, get, &chain).ok());
  EXPECT_EQ(chain.display_name(), "光伏（停电中）");
  v1::ChainMap during = GetChainMap(admin(), "pv");
  EXPECT_EQ(during.enterprise_count(), 1);
  EXPECT_EQ(during.node_count(), 2);

  ASSERT_TRUE(fx().redis().Restart().ok());
  // What was cached before the outage is not served: the invalidations missed while Redis was
  // down are applied before the cache is trusted again.
  v1::ChainMap after = GetChainMap(admin(), "pv");
  EXPECT_EQ(after.enterprise_count(), 1);
  EXPECT_EQ(after.node_count(), 2);
  EXPECT_EQ(after.display_name(), "光伏（停电中）");
  ASSERT_TRUE(viewer()(&Stub::GetChain, get, &chain).ok());
  EXPECT_EQ(chain.display_name(), "光伏（停电中）");

  // The events written meanwhile arrive, once each and in order.
  RedisClient fresh(fx().redis().ClientOptions());
  auto events = WaitForStream(fresh, [](const auto& e) { return e.size() >= 5; });
  EXPECT_EQ(Types(events),
            (std::vector<std::string>{"chain.created", "node.created", "enterprise.created",
                                      "node.created", "chain.updated"}));
  // And later writes still flow.
  CreateEnterprise(
      admin(), MakeEnterprise(GeneratedCode(3101), "滁州复电有限公司", {NodeName("pv", "cells")}));
  events = WaitForStream(fresh, [](const auto& e) { return e.size() >= 6; });
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(events[5].subject, EnterpriseName(GeneratedCode(3101)));
  EXPECT_EQ(GetChainMap(admin(), "pv").enterprise_count(), 2);
}

TEST_F(RegistryEvents, FlushAllKeepsReadsCorrectAndEventsFlowing) {
  CreateChain(admin(), "pv");
  CreateNode(admin(), "pv", "wafer", MakeNode("硅片", v1::SEGMENT_UPSTREAM));
  CreateEnterprise(admin(), MakeEnterprise(GeneratedCode(3200), "滁州清空一有限公司",
                                           {NodeName("pv", "wafer")}));
  RedisClient redis(fx().redis().ClientOptions());
  ASSERT_EQ(WaitForStream(redis, [](const auto& e) { return e.size() >= 3; }).size(), 3u);
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(GeneratedCode(3200)));
  v1::Enterprise before, after;
  ASSERT_TRUE(viewer()(&Stub::GetEnterprise, get, &before).ok());
  ASSERT_TRUE(viewer()(&Stub::GetEnterprise, get, &before).ok());  // now cached
  const v1::ChainMap map_before = GetChainMap(admin(), "pv");

  ASSERT_TRUE(redis.Command({"FLUSHALL"}).ok());
  ASSERT_TRUE(viewer()(&Stub::GetEnterprise, get, &after).ok());
  EXPECT_EQ(after.SerializeAsString(), before.SerializeAsString());
  EXPECT_EQ(GetChainMap(admin(), "pv").SerializeAsString(), map_before.SerializeAsString());

  // Writes after the flush are seen and published on a fresh stream.
  v1::UpdateEnterpriseRequest update;
  update.mutable_enterprise()->set_name(EnterpriseName(GeneratedCode(3200)));
  update.mutable_enterprise()->set_annual_output_yuan(77);
  update.mutable_update_mask()->add_paths("annual_output_yuan");
  ASSERT_TRUE(admin().Status(&Stub::UpdateEnterprise, update).ok());
  ASSERT_TRUE(viewer()(&Stub::GetEnterprise, get, &after).ok());
  EXPECT_EQ(after.annual_output_yuan(), 77);
  // (The flush also dropped the relay's record of published ids, so a row it had published but
  // not yet marked could legitimately appear again; only the new event is asserted.)
  auto events = WaitForStream(
      redis, [](const auto& e) { return !e.empty() && e.back().type == "enterprise.updated"; });
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().type, "enterprise.updated");
  EXPECT_EQ(events.back().Payload<registry::v1::Enterprise>().annual_output_yuan(), 77);
}

// --- The audit trail ----------------------------------------------------------------------------

class RegistryAudit : public SharedRegistryTest<RegistryAudit> {};

TEST_F(RegistryAudit, RecordsEveryMutationWithPrincipalMethodResourceAndRequestId) {
  struct Write {
    std::string request_id, method, resource;
  };
  std::vector<Write> writes;
  auto call = [&](const std::string& request_id, const std::string& method,
                  const std::string& resource, grpc::Status s) {
    EXPECT_TRUE(s.ok()) << method << ": " << s.error_message();
    writes.push_back({request_id, method, resource});
  };
  {
    v1::CreateDepartmentRequest r;
    r.set_department_id("aud-fgw");
    r.mutable_department()->set_display_name("市发改委");
    v1::Department out;
    call("aud-1", "CreateDepartment", "departments/aud-fgw",
         admin()(&Stub::CreateDepartment, r, &out, "aud-1"));
  }
  {
    v1::CreateChainRequest r;
    r.set_chain_id("aud-pv");
    *r.mutable_chain() = MakeChain("光伏");
    v1::Chain out;
    call("aud-2", "CreateChain", "chains/aud-pv", admin()(&Stub::CreateChain, r, &out, "aud-2"));
  }
  {
    v1::CreateNodeRequest r;
    r.set_parent("chains/aud-pv");
    r.set_node_id("wafer");
    *r.mutable_node() = MakeNode("硅片", v1::SEGMENT_UPSTREAM);
    v1::Node out;
    call("aud-3", "CreateNode", NodeName("aud-pv", "wafer"),
         admin()(&Stub::CreateNode, r, &out, "aud-3"));
  }
  {
    v1::CreateEnterpriseRequest r;
    *r.mutable_enterprise() =
        MakeEnterprise(GeneratedCode(3300), "滁州审计有限公司", {NodeName("aud-pv", "wafer")});
    v1::Enterprise out;
    call("aud-4", "CreateEnterprise", EnterpriseName(GeneratedCode(3300)),
         admin()(&Stub::CreateEnterprise, r, &out, "aud-4"));
  }
  {
    v1::UpdateChainRequest r;
    r.mutable_chain()->set_name("chains/aud-pv");
    r.mutable_chain()->set_display_name("先进光伏");
    r.mutable_update_mask()->add_paths("display_name");
    v1::Chain out;
    call("aud-5", "UpdateChain", "chains/aud-pv", admin()(&Stub::UpdateChain, r, &out, "aud-5"));
  }
  {
    v1::DeleteEnterpriseRequest r;
    r.set_name(EnterpriseName(GeneratedCode(3300)));
    google::protobuf::Empty out;
    call("aud-6", "DeleteEnterprise", EnterpriseName(GeneratedCode(3300)),
         admin()(&Stub::DeleteEnterprise, r, &out, "aud-6"));
  }

  for (const auto& w : writes) {
    SCOPED_TRACE(w.method);
    auto rows = AuditRows(admin(), "request_id = \"" + w.request_id + "\"");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].principal(), kAdminSubject);
    EXPECT_EQ(rows[0].method(), kMethodPrefix + w.method);
    EXPECT_EQ(rows[0].resource(), w.resource);
    EXPECT_EQ(rows[0].request_id(), w.request_id);
    EXPECT_FALSE(rows[0].id().empty());
    EXPECT_GT(rows[0].time().seconds(), 0);
  }
  // The update names its mask.
  auto update_rows = AuditRows(admin(), "request_id = \"aud-5\"");
  ASSERT_EQ(update_rows.size(), 1u);
  EXPECT_TRUE(absl::StrContains(update_rows[0].detail(), "display_name"))
      << update_rows[0].detail();

  // Newest first, paged, filtered by resource.
  common::v1::ListAuditEventsRequest req;
  req.set_filter("resource = \"chains/aud-pv\"");
  req.set_page_size(1);
  common::v1::ListAuditEventsResponse page;
  ASSERT_TRUE(admin()(&Stub::ListAuditEvents, req, &page).ok());
  ASSERT_EQ(page.audit_events_size(), 1);
  EXPECT_EQ(page.audit_events(0).request_id(), "aud-5");
  ASSERT_FALSE(page.next_page_token().empty());
  req.set_page_token(page.next_page_token());
  ASSERT_TRUE(admin()(&Stub::ListAuditEvents, req, &page).ok());
  ASSERT_EQ(page.audit_events_size(), 1);
  EXPECT_EQ(page.audit_events(0).request_id(), "aud-2");
  EXPECT_TRUE(page.next_page_token().empty());

  req.clear_page_token();
  req.set_filter("colour = red");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListAuditEvents, req), "filter"));

  // A chain office's write is recorded under its own principal.
  Caller office = As("departments/aud-office", {"chain_office"}, {"aud-pv"});
  v1::UpdateNodeRequest node;
  node.mutable_node()->set_name(NodeName("aud-pv", "wafer"));
  node.mutable_node()->set_display_name("单晶硅片");
  node.mutable_update_mask()->add_paths("display_name");
  v1::Node out;
  ASSERT_TRUE(office(&Stub::UpdateNode, node, &out, "aud-7").ok());
  auto office_rows = AuditRows(admin(), "principal = \"departments/aud-office\"");
  ASSERT_EQ(office_rows.size(), 1u);
  EXPECT_EQ(office_rows[0].method(), std::string(kMethodPrefix) + "UpdateNode");
  EXPECT_EQ(office_rows[0].request_id(), "aud-7");
  // Refused and failed calls leave no row.
  EXPECT_TRUE(HasCode(office.Status(&Stub::ListAuditEvents, common::v1::ListAuditEventsRequest()),
                      StatusCode::PERMISSION_DENIED));
  node.mutable_node()->set_etag("0-0");
  EXPECT_TRUE(HasCode(office(&Stub::UpdateNode, node, &out, "aud-8"), StatusCode::ABORTED));
  EXPECT_TRUE(AuditRows(admin(), "request_id = \"aud-8\"").empty());
}

}  // namespace
}  // namespace chainhub::testing
