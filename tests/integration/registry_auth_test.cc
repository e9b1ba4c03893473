// Integration tests of the registry's authentication and authorization over real gRPC: bad and
// missing tokens, what each role may read and write (a chain office on its own chains only), the
// open health check, and the x-request-id echoed in the response metadata.
#include <grpcpp/generic/generic_stub.h>

#include <functional>
#include <future>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "common/rpc/auth.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using grpc::StatusCode;

// Two chains, pv and semiconductor, with nodes, a department and an enterprise on both chains.
class RegistryAuth : public SharedRegistryTest<RegistryAuth> {
 protected:
  void SetUp() override {
    SharedRegistryTest::SetUp();
    if (HasFatalFailure() || seeded_) return;
    seeded_ = true;
    CreateDepartment(admin(), "fgw");
    CreateChain(admin(), "pv", MakeChain("光伏"));
    CreateChain(admin(), "semiconductor", MakeChain("新一代信息技术"));
    CreateNode(admin(), "pv", "wafer", MakeNode("硅片", v1::SEGMENT_UPSTREAM));
    CreateNode(admin(), "pv", "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
    CreateNode(admin(), "semiconductor", "design", MakeNode("芯片设计", v1::SEGMENT_UPSTREAM));
    CreateNode(admin(), "semiconductor", "fab", MakeNode("晶圆制造", v1::SEGMENT_MIDSTREAM));
    CreateEnterprise(
        admin(), MakeEnterprise(kShared, "滁州两链科技有限公司",
                                {NodeName("pv", "wafer"), NodeName("semiconductor", "design")}));
  }

  static Caller PvOffice() { return As("departments/pv-office", {"chain_office"}, {"pv"}); }
  static Caller Department() { return As("departments/jxj", {"department"}); }

  // An enterprise on both chains.
  static inline const std::string kShared = GeneratedCode(4242);
  static inline bool seeded_ = false;
};

// Every write of the API, each as a valid request (so only authorization can refuse it).
std::vector<std::pair<std::string, std::function<grpc::Status(const Caller&)>>> AllWrites() {
  std::vector<std::pair<std::string, std::function<grpc::Status(const Caller&)>>> w;
  w.emplace_back("CreateChain", [](const Caller& as) {
    v1::CreateChainRequest r;
    r.set_chain_id("auth-new");
    *r.mutable_chain() = MakeChain("新链");
    return as.Status(&Stub::CreateChain, r);
  });
  w.emplace_back("UpdateChain", [](const Caller& as) {
    v1::UpdateChainRequest r;
    r.mutable_chain()->set_name("chains/pv");
    r.mutable_chain()->set_display_name("光伏");
    r.mutable_update_mask()->add_paths("display_name");
    return as.Status(&Stub::UpdateChain, r);
  });
  w.emplace_back("DeleteChain", [](const Caller& as) {
    v1::DeleteChainRequest r;
    r.set_name("chains/pv");
    r.set_force(true);
    return as.Status(&Stub::DeleteChain, r);
  });
  w.emplace_back("CreateDepartment", [](const Caller& as) {
    v1::CreateDepartmentRequest r;
    r.set_department_id("auth-dept");
    r.mutable_department()->set_display_name("部门");
    return as.Status(&Stub::CreateDepartment, r);
  });
  w.emplace_back("UpdateDepartment", [](const Caller& as) {
    v1::UpdateDepartmentRequest r;
    r.mutable_department()->set_name("departments/fgw");
    r.mutable_department()->set_display_name("发改委");
    r.mutable_update_mask()->add_paths("display_name");
    return as.Status(&Stub::UpdateDepartment, r);
  });
  w.emplace_back("DeleteDepartment", [](const Caller& as) {
    v1::DeleteDepartmentRequest r;
    r.set_name("departments/fgw");
    return as.Status(&Stub::DeleteDepartment, r);
  });
  w.emplace_back("CreateNode", [](const Caller& as) {
    v1::CreateNodeRequest r;
    r.set_parent("chains/pv");
    r.set_node_id("auth-node");
    *r.mutable_node() = MakeNode("节点", v1::SEGMENT_DOWNSTREAM);
    return as.Status(&Stub::CreateNode, r);
  });
  w.emplace_back("UpdateNode", [](const Caller& as) {
    v1::UpdateNodeRequest r;
    r.mutable_node()->set_name(NodeName("pv", "wafer"));
    r.mutable_node()->set_display_name("硅片");
    r.mutable_update_mask()->add_paths("display_name");
    return as.Status(&Stub::UpdateNode, r);
  });
  w.emplace_back("DeleteNode", [](const Caller& as) {
    v1::DeleteNodeRequest r;
    r.set_name(NodeName("pv", "cells"));
    return as.Status(&Stub::DeleteNode, r);
  });
  w.emplace_back("CreateEnterprise", [](const Caller& as) {
    v1::CreateEnterpriseRequest r;
    *r.mutable_enterprise() =
        MakeEnterprise(GeneratedCode(4300), "滁州新企业有限公司", {NodeName("pv", "wafer")});
    return as.Status(&Stub::CreateEnterprise, r);
  });
  w.emplace_back("UpdateEnterprise", [](const Caller& as) {
    v1::UpdateEnterpriseRequest r;
    r.mutable_enterprise()->set_name(EnterpriseName(GeneratedCode(4242)));
    r.mutable_enterprise()->set_county("天长市");
    r.mutable_update_mask()->add_paths("county");
    return as.Status(&Stub::UpdateEnterprise, r);
  });
  w.emplace_back("DeleteEnterprise", [](const Caller& as) {
    v1::DeleteEnterpriseRequest r;
    r.set_name(EnterpriseName(GeneratedCode(4242)));
    return as.Status(&Stub::DeleteEnterprise, r);
  });
  w.emplace_back("BatchUpsertEnterprises", [](const Caller& as) {
    v1::BatchUpsertEnterprisesRequest r;
    r.set_request_id("auth-batch");
    *r.add_enterprises() = MakeEnterprise(GeneratedCode(4301), "滁州批量有限公司");
    return as.Status(&Stub::BatchUpsertEnterprises, r);
  });
  w.emplace_back("PutProvinceList", [](const Caller& as) {
    v1::PutProvinceListRequest r;
    auto* l = r.mutable_province_list();
    l->set_name("provinceLists/2021");
    l->set_display_name("2021");
    l->set_effective_from("2021-01-01");
    auto* c = l->add_chains();
    c->set_id("pv-storage");
    c->set_display_name("先进光伏和新型储能");
    return as.Status(&Stub::PutProvinceList, r);
  });
  w.emplace_back("SetChainProvinceMapping", [](const Caller& as) {
    v1::SetChainProvinceMappingRequest r;
    r.mutable_mapping()->set_chain("chains/pv");
    r.mutable_mapping()->set_version("2021");
    return as.Status(&Stub::SetChainProvinceMapping, r);
  });
  return w;
}

// Every read of the API that needs no province list.
std::vector<std::pair<std::string, std::function<grpc::Status(const Caller&)>>> AllReads() {
  std::vector<std::pair<std::string, std::function<grpc::Status(const Caller&)>>> r;
  r.emplace_back("GetChain", [](const Caller& as) {
    v1::GetChainRequest q;
    q.set_name("chains/pv");
    return as.Status(&Stub::GetChain, q);
  });
  r.emplace_back("ListChains", [](const Caller& as) {
    return as.Status(&Stub::ListChains, v1::ListChainsRequest());
  });
  r.emplace_back("GetDepartment", [](const Caller& as) {
    v1::GetDepartmentRequest q;
    q.set_name("departments/fgw");
    return as.Status(&Stub::GetDepartment, q);
  });
  r.emplace_back("ListDepartments", [](const Caller& as) {
    return as.Status(&Stub::ListDepartments, v1::ListDepartmentsRequest());
  });
  r.emplace_back("GetNode", [](const Caller& as) {
    v1::GetNodeRequest q;
    q.set_name(NodeName("pv", "wafer"));
    return as.Status(&Stub::GetNode, q);
  });
  r.emplace_back("ListNodes", [](const Caller& as) {
    v1::ListNodesRequest q;
    q.set_parent("chains/pv");
    return as.Status(&Stub::ListNodes, q);
  });
  r.emplace_back("GetChainMap", [](const Caller& as) {
    v1::GetChainMapRequest q;
    q.set_name("chains/pv");
    return as.Status(&Stub::GetChainMap, q);
  });
  r.emplace_back("GetEnterprise", [](const Caller& as) {
    v1::GetEnterpriseRequest q;
    q.set_name(EnterpriseName(GeneratedCode(4242)));
    return as.Status(&Stub::GetEnterprise, q);
  });
  r.emplace_back("ListEnterprises", [](const Caller& as) {
    return as.Status(&Stub::ListEnterprises, v1::ListEnterprisesRequest());
  });
  r.emplace_back("ListProvinceLists", [](const Caller& as) {
    return as.Status(&Stub::ListProvinceLists, v1::ListProvinceListsRequest());
  });
  r.emplace_back("ListChainProvinceMappings", [](const Caller& as) {
    return as.Status(&Stub::ListChainProvinceMappings, v1::ListChainProvinceMappingsRequest());
  });
  r.emplace_back("AnalyzeGaps", [](const Caller& as) {
    v1::AnalyzeGapsRequest q;
    q.set_name("chains/pv");
    return as.Status(&Stub::AnalyzeGaps, q);
  });
  return r;
}

TEST_F(RegistryAuth, RefusesCallsWithoutAValidToken) {
  Principal admin_principal;
  admin_principal.subject = "systems/intruder";
  admin_principal.roles = {"admin"};
  auto wrong_secret = MintToken("another-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
                                admin_principal, absl::Now(), absl::Hours(1));
  ASSERT_TRUE(wrong_secret.ok());
  const std::vector<std::pair<std::string, std::string>> tokens = {
      {"no token", ""},
      {"garbage", "not.a.jwt"},
      {"wrong secret", *wrong_secret},
      {"expired an hour ago", MintTestToken("systems/test-admin", {"admin"}, {}, -absl::Hours(1))},
      {"no roles", MintTestToken("systems/nobody", {})},
  };
  for (const auto& [what, token] : tokens) {
    SCOPED_TRACE(what);
    Caller as(fx().stub(), token);
    v1::GetChainRequest get;
    get.set_name("chains/pv");
    EXPECT_TRUE(HasCode(as.Status(&Stub::GetChain, get), StatusCode::UNAUTHENTICATED));
    v1::CreateChainRequest create;
    create.set_chain_id("auth-intruder");
    *create.mutable_chain() = MakeChain("入侵");
    EXPECT_TRUE(HasCode(as.Status(&Stub::CreateChain, create), StatusCode::UNAUTHENTICATED));
  }
  // Not a bearer token at all.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Basic " + fx().admin_token());
  v1::GetChainRequest get;
  get.set_name("chains/pv");
  v1::Chain out;
  EXPECT_TRUE(HasCode(fx().stub().GetChain(&ctx, get, &out), StatusCode::UNAUTHENTICATED));
  v1::GetChainRequest absent;
  absent.set_name("chains/auth-intruder");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetChain, absent), StatusCode::NOT_FOUND));
}

TEST_F(RegistryAuth, ViewerAndProvinceReadEverythingAndWriteNothing) {
  v1::GetEnterpriseRequest get;
  get.set_name(EnterpriseName(kShared));
  v1::Enterprise before;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &before).ok());
  const size_t audit_before = AuditRows(admin(), "").size();
  for (const Caller& as :
       {viewer(), As("systems/province", {"province"}), As("systems/assessment", {"assessor"})}) {
    for (const auto& [name, read] : AllReads()) {
      grpc::Status s = read(as);
      EXPECT_TRUE(s.ok()) << name << ": " << s.error_message();
    }
    for (const auto& [name, write] : AllWrites()) {
      EXPECT_TRUE(HasCode(write(as), StatusCode::PERMISSION_DENIED)) << name;
    }
    EXPECT_TRUE(HasCode(as.Status(&Stub::ListAuditEvents, common::v1::ListAuditEventsRequest()),
                        StatusCode::PERMISSION_DENIED));
  }
  // Nothing changed: the enterprise is as it was, and no mutation was audited.
  v1::Enterprise after;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get, &after).ok());
  EXPECT_EQ(after.etag(), before.etag());
  EXPECT_EQ(AuditRows(admin(), "").size(), audit_before);
}

TEST_F(RegistryAuth, ChainOfficeWritesItsOwnChainOnly) {
  const Caller office = PvOffice();
  v1::UpdateChainRequest update;
  update.mutable_chain()->set_name("chains/pv");
  update.mutable_chain()->set_english_name("photovoltaics");
  update.mutable_update_mask()->add_paths("english_name");
  v1::Chain chain;
  grpc::Status s = office(&Stub::UpdateChain, update, &chain);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(chain.english_name(), "photovoltaics");
  update.mutable_chain()->set_name("chains/semiconductor");
  EXPECT_TRUE(HasCode(office.Status(&Stub::UpdateChain, update), StatusCode::PERMISSION_DENIED));

  // Nodes of pv: create, update, delete.
  v1::CreateNodeRequest create;
  create.set_parent("chains/pv");
  create.set_node_id("office-plants");
  *create.mutable_node() = MakeNode("电站", v1::SEGMENT_DOWNSTREAM);
  ASSERT_TRUE(office.Status(&Stub::CreateNode, create).ok());
  v1::UpdateNodeRequest update_node;
  update_node.mutable_node()->set_name(NodeName("pv", "office-plants"));
  update_node.mutable_node()->set_display_name("光伏电站");
  update_node.mutable_update_mask()->add_paths("display_name");
  ASSERT_TRUE(office.Status(&Stub::UpdateNode, update_node).ok());
  v1::DeleteNodeRequest del_node;
  del_node.set_name(NodeName("pv", "office-plants"));
  ASSERT_TRUE(office.Status(&Stub::DeleteNode, del_node).ok());
  // Not those of semiconductor.
  create.set_parent("chains/semiconductor");
  EXPECT_TRUE(HasCode(office.Status(&Stub::CreateNode, create), StatusCode::PERMISSION_DENIED));
  update_node.mutable_node()->set_name(NodeName("semiconductor", "design"));
  EXPECT_TRUE(
      HasCode(office.Status(&Stub::UpdateNode, update_node), StatusCode::PERMISSION_DENIED));
  del_node.set_name(NodeName("semiconductor", "fab"));
  EXPECT_TRUE(HasCode(office.Status(&Stub::DeleteNode, del_node), StatusCode::PERMISSION_DENIED));

  // Only admins delete chains, create them, and read the audit trail.
  v1::DeleteChainRequest del_chain;
  del_chain.set_name("chains/pv");
  EXPECT_TRUE(HasCode(office.Status(&Stub::DeleteChain, del_chain), StatusCode::PERMISSION_DENIED));
  v1::CreateChainRequest create_chain;
  create_chain.set_chain_id("office-new");
  *create_chain.mutable_chain() = MakeChain("新链");
  EXPECT_TRUE(
      HasCode(office.Status(&Stub::CreateChain, create_chain), StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(HasCode(office.Status(&Stub::ListAuditEvents, common::v1::ListAuditEventsRequest()),
                      StatusCode::PERMISSION_DENIED));
}

TEST_F(RegistryAuth, ChainOfficeChangesMembershipsOnItsOwnChainOnly) {
  const Caller office = PvOffice();
  auto memberships = [&]() {
    v1::GetEnterpriseRequest get;
    get.set_name(EnterpriseName(kShared));
    v1::Enterprise e;
    EXPECT_TRUE(admin()(&Stub::GetEnterprise, get, &e).ok());
    return std::set<std::string>(e.memberships().begin(), e.memberships().end());
  };
  v1::UpdateEnterpriseRequest req;
  req.mutable_enterprise()->set_name(EnterpriseName(kShared));
  req.mutable_update_mask()->add_paths("memberships");

  // Adding a pv node, keeping the semiconductor one: allowed.
  for (const auto& m :
       {NodeName("pv", "wafer"), NodeName("pv", "cells"), NodeName("semiconductor", "design")}) {
    req.mutable_enterprise()->add_memberships(m);
  }
  grpc::Status s = office.Status(&Stub::UpdateEnterprise, req);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(memberships(), (std::set<std::string>{NodeName("pv", "wafer"), NodeName("pv", "cells"),
                                                  NodeName("semiconductor", "design")}));

  // Adding another chain's node, or dropping one: refused.
  req.mutable_enterprise()->add_memberships(NodeName("semiconductor", "fab"));
  EXPECT_TRUE(HasCode(office.Status(&Stub::UpdateEnterprise, req), StatusCode::PERMISSION_DENIED));
  req.mutable_enterprise()->clear_memberships();
  req.mutable_enterprise()->add_memberships(NodeName("pv", "wafer"));
  EXPECT_TRUE(HasCode(office.Status(&Stub::UpdateEnterprise, req), StatusCode::PERMISSION_DENIED));

  // Other fields of the enterprise are the departments' to change.
  v1::UpdateEnterpriseRequest rename;
  rename.mutable_enterprise()->set_name(EnterpriseName(kShared));
  rename.mutable_enterprise()->set_display_name("滁州改名科技有限公司");
  rename.mutable_update_mask()->add_paths("display_name");
  EXPECT_TRUE(
      HasCode(office.Status(&Stub::UpdateEnterprise, rename), StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(memberships().size(), 3u);

  // An enterprise it registers must sit on its own chain.
  v1::CreateEnterpriseRequest create;
  *create.mutable_enterprise() =
      MakeEnterprise(GeneratedCode(4401), "滁州光伏新企业有限公司", {NodeName("pv", "cells")});
  EXPECT_TRUE(office.Status(&Stub::CreateEnterprise, create).ok());
  *create.mutable_enterprise() = MakeEnterprise(GeneratedCode(4402), "滁州芯片新企业有限公司",
                                                {NodeName("semiconductor", "fab")});
  EXPECT_TRUE(
      HasCode(office.Status(&Stub::CreateEnterprise, create), StatusCode::PERMISSION_DENIED));
  *create.mutable_enterprise() = MakeEnterprise(GeneratedCode(4403), "滁州无链企业有限公司");
  EXPECT_TRUE(
      HasCode(office.Status(&Stub::CreateEnterprise, create), StatusCode::PERMISSION_DENIED));
  v1::DeleteEnterpriseRequest del;
  del.set_name(EnterpriseName(GeneratedCode(4401)));
  EXPECT_TRUE(HasCode(office.Status(&Stub::DeleteEnterprise, del), StatusCode::PERMISSION_DENIED));
  v1::BatchUpsertEnterprisesRequest batch;
  batch.set_request_id("office-batch");
  *batch.add_enterprises() =
      MakeEnterprise(GeneratedCode(4404), "滁州批量有限公司", {NodeName("pv", "cells")});
  EXPECT_TRUE(
      HasCode(office.Status(&Stub::BatchUpsertEnterprises, batch), StatusCode::PERMISSION_DENIED));
}

TEST_F(RegistryAuth, DepartmentUpsertsEnterprisesButManagesNoChains) {
  const Caller dept = Department();
  v1::BatchUpsertEnterprisesRequest batch;
  batch.set_request_id("dept-batch-1");
  *batch.add_enterprises() = MakeEnterprise(GeneratedCode(4501), "滁州部门推送有限公司",
                                            {NodeName("semiconductor", "fab")});
  v1::BatchUpsertEnterprisesResponse resp;
  grpc::Status s = dept(&Stub::BatchUpsertEnterprises, batch, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.created_count(), 1);
  v1::UpdateEnterpriseRequest rename;
  rename.mutable_enterprise()->set_name(EnterpriseName(GeneratedCode(4501)));
  rename.mutable_enterprise()->set_display_name("滁州部门推送（更名）有限公司");
  rename.mutable_update_mask()->add_paths("display_name");
  EXPECT_TRUE(dept.Status(&Stub::UpdateEnterprise, rename).ok());

  v1::CreateChainRequest create;
  create.set_chain_id("dept-chain");
  *create.mutable_chain() = MakeChain("部门链");
  EXPECT_TRUE(HasCode(dept.Status(&Stub::CreateChain, create), StatusCode::PERMISSION_DENIED));
  v1::UpdateChainRequest update;
  update.mutable_chain()->set_name("chains/pv");
  update.mutable_update_mask()->add_paths("english_name");
  EXPECT_TRUE(HasCode(dept.Status(&Stub::UpdateChain, update), StatusCode::PERMISSION_DENIED));
  v1::CreateNodeRequest node;
  node.set_parent("chains/pv");
  node.set_node_id("dept-node");
  *node.mutable_node() = MakeNode("节点", v1::SEGMENT_UPSTREAM);
  EXPECT_TRUE(HasCode(dept.Status(&Stub::CreateNode, node), StatusCode::PERMISSION_DENIED));
  v1::DeleteEnterpriseRequest del;
  del.set_name(EnterpriseName(GeneratedCode(4501)));
  EXPECT_TRUE(HasCode(dept.Status(&Stub::DeleteEnterprise, del), StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(HasCode(dept.Status(&Stub::ListAuditEvents, common::v1::ListAuditEventsRequest()),
                      StatusCode::PERMISSION_DENIED));
  // The admin may delete it.
  EXPECT_TRUE(admin().Status(&Stub::DeleteEnterprise, del).ok());
}

TEST_F(RegistryAuth, EchoesTheRequestIdOrReturnsAGeneratedOne) {
  auto request_id_of = [&](const std::string& sent, const std::string& chain) {
    auto ctx = ContextWithToken(fx().viewer_token(), sent);
    v1::GetChainRequest get;
    get.set_name(chain);
    v1::Chain out;
    grpc::Status s = fx().stub().GetChain(ctx.get(), get, &out);
    EXPECT_TRUE(s.ok() || s.error_code() == StatusCode::NOT_FOUND) << s.error_message();
    const auto& md = ctx->GetServerInitialMetadata();
    auto it = md.find("x-request-id");
    return it == md.end() ? std::string() : std::string(it->second.data(), it->second.size());
  };
  EXPECT_EQ(request_id_of("req-echo-0001", "chains/pv"), "req-echo-0001");
  EXPECT_EQ(request_id_of("req-echo-0002", "chains/absent"), "req-echo-0002");  // on errors too
  const std::string generated1 = request_id_of("", "chains/pv");
  const std::string generated2 = request_id_of("", "chains/pv");
  EXPECT_FALSE(generated1.empty());
  EXPECT_NE(generated1, generated2);
  // An unusable id (a space in it) is replaced.
  const std::string replaced = request_id_of("two words", "chains/pv");
  EXPECT_FALSE(replaced.empty());
  EXPECT_NE(replaced, "two words");
}

// grpc.health.v1.Health/Check over a generic stub (Debian ships no generated health client):
// the request is HealthCheckRequest{service}, the reply HealthCheckResponse{status: SERVING = 1}.
std::string HealthCheck(RegistryFixture& fx, const std::string& service) {
  std::string request;
  if (!service.empty()) {
    request.push_back(0x0a);  // field 1, length-delimited
    request.push_back(static_cast<char>(service.size()));
    request += service;
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1), resp;
  grpc::GenericStub generic(fx.channel());
  grpc::ClientContext ctx;  // no token: health is open
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::promise<grpc::Status> done;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &req, &resp,
                    [&](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status s = done.get_future().get();
  EXPECT_TRUE(s.ok()) << "'" << service << "': " << s.error_message();
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (s.ok() && resp.Dump(&slices).ok()) {
    for (const auto& sl : slices) {
      bytes.append(reinterpret_cast<const char*>(sl.begin()), sl.size());
    }
  }
  return bytes;
}

TEST_F(RegistryAuth, HealthCheckAnswersServingWithoutAToken) {
  EXPECT_EQ(HealthCheck(fx(), ""), std::string("\x08\x01", 2));
}

TEST_F(RegistryAuth, HealthCheckAnswersServingForTheRegistryServiceName) {
  EXPECT_EQ(HealthCheck(fx(), "chainhub.registry.v1.ChainRegistry"), std::string("\x08\x01", 2));
}

}  // namespace
}  // namespace chainhub::testing
