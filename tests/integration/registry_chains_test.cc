// Integration tests of the registry's chains and departments over real gRPC: CRUD, lists with
// filter, order and paging, update masks and etags, idempotent creates, validation of every
// field, and the reference rules of deletes.
#include <algorithm>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

using grpc::StatusCode;

class RegistryChains : public SharedRegistryTest<RegistryChains> {};

TEST_F(RegistryChains, CreatesAChainAndReadsItBack) {
  CreateDepartment(admin(), "crt-fgw");
  CreateDepartment(admin(), "crt-jxj");
  v1::Chain chain = MakeChain("光伏");
  chain.set_lead_department("departments/crt-fgw");
  auto* unit = chain.add_member_units();
  unit->set_department("departments/crt-jxj");
  unit->set_responsibility("组织招商");
  unit->mutable_liaison()->set_name("王强");
  auto* fund = chain.add_platforms();
  fund->set_kind(v1::PLATFORM_KIND_FUND);
  fund->set_display_name("光伏产业基金");
  fund->set_size_yuan(2'000'000'000);
  chain.add_host_counties("定远县");

  v1::Chain created = CreateChain(admin(), "crt-pv", chain);
  EXPECT_EQ(created.name(), "chains/crt-pv");
  EXPECT_EQ(created.display_name(), "光伏");
  EXPECT_EQ(created.lead_department(), "departments/crt-fgw");
  ASSERT_EQ(created.member_units_size(), 1);
  EXPECT_EQ(created.member_units(0).liaison().name(), "王强");
  ASSERT_EQ(created.platforms_size(), 1);
  EXPECT_EQ(created.platforms(0).size_yuan(), 2'000'000'000);
  EXPECT_FALSE(created.etag().empty());
  EXPECT_GT(created.create_time().seconds(), 0);

  v1::GetChainRequest get;
  get.set_name("chains/crt-pv");
  v1::Chain read;
  ASSERT_TRUE(admin()(&Stub::GetChain, get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  // A second create of the same id, and a read of an absent chain.
  v1::CreateChainRequest again;
  again.set_chain_id("crt-pv");
  *again.mutable_chain() = MakeChain("光伏二");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::CreateChain, again), StatusCode::ALREADY_EXISTS));
  get.set_name("chains/crt-absent");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetChain, get), StatusCode::NOT_FOUND));
}

TEST_F(RegistryChains, CreateDefaultsTheStatusToActive) {
  v1::Chain chain = MakeChain("新材料");
  chain.clear_status();
  EXPECT_EQ(CreateChain(admin(), "dflt-materials", chain).status(), v1::CHAIN_STATUS_ACTIVE);
}

TEST_F(RegistryChains, ListsWithFilterOrderAndPages) {
  CreateDepartment(admin(), "lst-lead");
  // Five chains led by lst-lead (the filter selects only these), with distinct targets.
  const std::vector<std::pair<std::string, int64_t>> chains = {
      {"lst-e", 300}, {"lst-a", 500}, {"lst-d", 100}, {"lst-c", 400}, {"lst-b", 200}};
  for (const auto& [id, target] : chains) {
    v1::Chain c = MakeChain("链" + id);
    c.set_lead_department("departments/lst-lead");
    c.set_target_output_yuan(target);
    c.set_status(id == "lst-c" ? v1::CHAIN_STATUS_PLANNED : v1::CHAIN_STATUS_ACTIVE);
    CreateChain(admin(), id, c);
  }
  CreateChain(admin(), "lst-other");  // not led by lst-lead

  auto list_all = [&](const std::string& filter, const std::string& order_by, int page_size) {
    std::vector<std::string> names;
    v1::ListChainsRequest req;
    req.set_filter(filter);
    req.set_order_by(order_by);
    req.set_page_size(page_size);
    for (int page = 0; page < 20; ++page) {
      v1::ListChainsResponse resp;
      grpc::Status s = admin()(&Stub::ListChains, req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      EXPECT_LE(resp.chains_size(), page_size);
      if (!filter.empty()) {
        EXPECT_EQ(resp.total_size(), filter.find("PLANNED") != std::string::npos ? 1 : 5);
      }
      for (const auto& c : resp.chains()) names.push_back(c.name());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return names;
  };

  const std::string by_lead = "lead_department = \"departments/lst-lead\"";
  EXPECT_EQ(list_all(by_lead, "", 2),
            (std::vector<std::string>{"chains/lst-a", "chains/lst-b", "chains/lst-c",
                                      "chains/lst-d", "chains/lst-e"}));
  EXPECT_EQ(list_all(by_lead, "target_output_yuan desc", 2),
            (std::vector<std::string>{"chains/lst-a", "chains/lst-c", "chains/lst-e",
                                      "chains/lst-b", "chains/lst-d"}));
  EXPECT_EQ(list_all(by_lead + " AND status = PLANNED", "", 10),
            (std::vector<std::string>{"chains/lst-c"}));
  // Without a filter every chain is listed, lst-other among them.
  std::vector<std::string> everything = list_all("", "name", 3);
  EXPECT_NE(std::find(everything.begin(), everything.end(), "chains/lst-other"), everything.end());
}

TEST_F(RegistryChains, ListFiltersByHostCounty) {
  v1::Chain in_dingyuan = MakeChain("硅基新材料");
  in_dingyuan.add_host_counties("县域筛选测试县");
  in_dingyuan.add_host_counties("凤阳县");
  CreateChain(admin(), "cty-silicon", in_dingyuan);
  v1::Chain elsewhere = MakeChain("智能家电");
  elsewhere.add_host_counties("琅琊区");
  CreateChain(admin(), "cty-appliance", elsewhere);
  v1::ListChainsRequest req;
  req.set_filter("host_counties:\"县域筛选测试县\"");
  v1::ListChainsResponse resp;
  grpc::Status s = admin()(&Stub::ListChains, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.chains_size(), 1);
  EXPECT_EQ(resp.chains(0).name(), "chains/cty-silicon");
}

TEST_F(RegistryChains, ListRejectsBadFilterOrderAndPaging) {
  v1::ListChainsRequest req;
  req.set_filter("status = ");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "filter"));
  req.set_filter("colour = \"red\"");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "filter"));
  req.set_filter("status = PURPLE");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "filter"));
  req.clear_filter();
  req.set_order_by("colour");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "order_by"));
  req.set_order_by("name sideways");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "order_by"));
  req.clear_order_by();
  req.set_page_size(-1);
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "page_size"));
  req.set_page_size(0);
  req.set_page_token("not-a-token");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListChains, req), "page_token"));
}

TEST_F(RegistryChains, UpdateReplacesOnlyTheMaskedFieldsAndChecksTheEtag) {
  v1::Chain created = CreateChain(admin(), "upd-pv", MakeChain("光伏"));
  v1::UpdateChainRequest req;
  req.mutable_chain()->set_name("chains/upd-pv");
  req.mutable_chain()->set_display_name("先进光伏");
  req.mutable_chain()->set_target_year(2030);  // not in the mask: ignored
  req.mutable_chain()->set_etag(created.etag());
  req.mutable_update_mask()->add_paths("display_name");
  v1::Chain updated;
  grpc::Status s = admin()(&Stub::UpdateChain, req, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.display_name(), "先进光伏");
  EXPECT_EQ(updated.target_year(), created.target_year());
  EXPECT_EQ(updated.leader().name(), created.leader().name());
  EXPECT_NE(updated.etag(), created.etag());
  EXPECT_EQ(updated.create_time().seconds(), created.create_time().seconds());

  // The etag read before the update is stale now.
  req.mutable_chain()->set_display_name("光伏三");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::UpdateChain, req), StatusCode::ABORTED));
  req.mutable_chain()->set_etag(updated.etag());
  v1::Chain again;
  ASSERT_TRUE(admin()(&Stub::UpdateChain, req, &again).ok());
  EXPECT_EQ(again.display_name(), "光伏三");
  EXPECT_NE(again.etag(), updated.etag());

  // A read after the update sees it (the cached chain was invalidated).
  v1::GetChainRequest get;
  get.set_name("chains/upd-pv");
  v1::Chain read;
  ASSERT_TRUE(admin()(&Stub::GetChain, get, &read).ok());
  ASSERT_TRUE(admin()(&Stub::GetChain, get, &read).ok());
  EXPECT_EQ(read.display_name(), "光伏三");
  EXPECT_EQ(read.etag(), again.etag());

  // Repeated fields are replaced, not appended.
  req.mutable_chain()->clear_etag();
  req.mutable_chain()->add_host_counties("天长市");
  req.mutable_update_mask()->set_paths(0, "host_counties");
  ASSERT_TRUE(admin()(&Stub::UpdateChain, req, &again).ok());
  req.mutable_chain()->clear_host_counties();
  req.mutable_chain()->add_host_counties("来安县");
  ASSERT_TRUE(admin()(&Stub::UpdateChain, req, &again).ok());
  ASSERT_EQ(again.host_counties_size(), 1);
  EXPECT_EQ(again.host_counties(0), "来安县");

  // An empty mask replaces every writable field: what the request leaves unset is cleared.
  v1::UpdateChainRequest full;
  full.mutable_chain()->set_name("chains/upd-pv");
  full.mutable_chain()->set_display_name("光伏全量");
  ASSERT_TRUE(admin()(&Stub::UpdateChain, full, &again).ok());
  EXPECT_EQ(again.display_name(), "光伏全量");
  EXPECT_FALSE(again.has_leader());
  EXPECT_EQ(again.target_year(), 0);
  EXPECT_EQ(again.host_counties_size(), 0);
  EXPECT_EQ(again.status(), v1::CHAIN_STATUS_ACTIVE);
  EXPECT_EQ(again.create_time().seconds(), created.create_time().seconds());

  // Updating an absent chain.
  req.mutable_chain()->set_name("chains/upd-absent");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::UpdateChain, req), StatusCode::NOT_FOUND));
}

TEST_F(RegistryChains, UpdateRejectsOutputOnlyAndUnknownMaskPaths) {
  CreateChain(admin(), "msk-pv");
  v1::UpdateChainRequest req;
  req.mutable_chain()->set_name("chains/msk-pv");
  req.mutable_chain()->set_display_name("光伏");
  for (const std::string path : {"etag", "create_time", "name", "province_categories",
                                 "no_such_field", "leader.no_such_field"}) {
    req.mutable_update_mask()->clear_paths();
    req.mutable_update_mask()->add_paths(path);
    grpc::Status s = admin().Status(&Stub::UpdateChain, req);
    EXPECT_TRUE(IsInvalidField(s, "update_mask")) << path;
    EXPECT_TRUE(absl::StrContains(s.error_message(), path)) << s.error_message();
  }
  // A nested path under a writable field is fine.
  req.mutable_chain()->mutable_leader()->set_name("张华");
  req.mutable_update_mask()->clear_paths();
  req.mutable_update_mask()->add_paths("leader.name");
  v1::Chain out;
  grpc::Status s = admin()(&Stub::UpdateChain, req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.leader().name(), "张华");
  EXPECT_EQ(out.leader().title(), "副市长");
}

TEST_F(RegistryChains, CreateRejectsABadValueInEachValidatedField) {
  CreateDepartment(admin(), "val-dept");
  struct Case {
    std::string name;
    std::string chain_id;
    std::function<void(v1::Chain&)> spoil;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"chain_id with upper case", "Bad_ID", [](v1::Chain&) {}, "chain_id"},
      {"chain_id starting with a digit", "9pv", [](v1::Chain&) {}, "chain_id"},
      {"chain_id too short", "p", [](v1::Chain&) {}, "chain_id"},
      {"empty display_name", "val-a", [](v1::Chain& c) { c.clear_display_name(); },
       "chain.display_name"},
      {"display_name of 65 characters", "val-a",
       [](v1::Chain& c) {
         std::string s;
         for (int i = 0; i < 65; ++i) s += "链";
         c.set_display_name(s);
       },
       "chain.display_name"},
      {"display_name of 65 ASCII characters", "val-a",
       [](v1::Chain& c) {
         std::string s;
         for (int i = 0; i < 65; ++i) s += "a";
         c.set_display_name(s);
       },
       "chain.display_name"},
      {"status out of range", "val-a",
       [](v1::Chain& c) { c.set_status(static_cast<v1::ChainStatus>(9)); }, "chain.status"},
      {"target_year before 2000", "val-a", [](v1::Chain& c) { c.set_target_year(1999); },
       "chain.target_year"},
      {"target_year after 2100", "val-a", [](v1::Chain& c) { c.set_target_year(2101); },
       "chain.target_year"},
      {"negative target_output_yuan", "val-a", [](v1::Chain& c) { c.set_target_output_yuan(-1); },
       "chain.target_output_yuan"},
      {"malformed lead_department", "val-a", [](v1::Chain& c) { c.set_lead_department("fgw"); },
       "chain.lead_department"},
      {"unknown lead_department", "val-a",
       [](v1::Chain& c) { c.set_lead_department("departments/val-nobody"); },
       "chain.lead_department"},
      {"unknown member unit department", "val-a",
       [](v1::Chain& c) { c.add_member_units()->set_department("departments/val-nobody"); },
       "chain.member_units[0].department"},
      {"duplicate member unit department", "val-a",
       [](v1::Chain& c) {
         c.add_member_units()->set_department("departments/val-dept");
         c.add_member_units()->set_department("departments/val-dept");
       },
       "chain.member_units[1].department"},
      {"platform kind unspecified", "val-a",
       [](v1::Chain& c) { c.add_platforms()->set_display_name("基金"); },
       "chain.platforms[0].kind"},
      {"leader without a name", "val-a", [](v1::Chain& c) { c.mutable_leader()->clear_name(); },
       "chain.leader.name"},
  };
  for (const auto& tc : cases) {
    SCOPED_TRACE(tc.name);
    v1::CreateChainRequest req;
    req.set_chain_id(tc.chain_id);
    *req.mutable_chain() = MakeChain("光伏");
    tc.spoil(*req.mutable_chain());
    EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateChain, req), tc.field));
  }
  // None of them was created.
  v1::GetChainRequest get;
  get.set_name("chains/val-a");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetChain, get), StatusCode::NOT_FOUND));
}

TEST_F(RegistryChains, CountsNamesInCharactersNotBytes) {
  // 64 Chinese characters are 192 bytes of UTF-8 and still within the 64-character limit.
  std::string name;
  for (int i = 0; i < 64; ++i) name += "链";
  v1::CreateChainRequest req;
  req.set_chain_id("utf8-long");
  *req.mutable_chain() = MakeChain(name);
  v1::Chain out;
  grpc::Status s = admin()(&Stub::CreateChain, req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.display_name(), name);
}

TEST_F(RegistryChains, ConcurrentRetriesOfACreateMakeOneChain) {
  v1::CreateChainRequest req;
  req.set_chain_id("race-pv");
  *req.mutable_chain() = MakeChain("并发光伏");
  req.set_request_id("race-create-1");
  constexpr int kCalls = 8;
  std::vector<v1::Chain> results(kCalls);
  std::vector<grpc::Status> statuses(kCalls);
  std::vector<std::thread> threads;
  const Caller as = admin();
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] { statuses[i] = as(&Stub::CreateChain, req, &results[i]); });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kCalls; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << statuses[i].error_message();
    EXPECT_EQ(results[i].SerializeAsString(), results[0].SerializeAsString()) << i;
  }
  EXPECT_EQ(AuditRows(admin(), "resource = \"chains/race-pv\"").size(), 1u);
}

TEST_F(RegistryChains, ConcurrentUpdatesWithTheSameEtagLetExactlyOneThrough) {
  const v1::Chain created = CreateChain(admin(), "race-etag");
  constexpr int kCalls = 8;
  std::vector<grpc::Status> statuses(kCalls);
  std::vector<std::thread> threads;
  const Caller as = admin();
  for (int i = 0; i < kCalls; ++i) {
    threads.emplace_back([&, i] {
      v1::UpdateChainRequest req;
      req.mutable_chain()->set_name("chains/race-etag");
      req.mutable_chain()->set_display_name(absl::StrCat("并发", i));
      req.mutable_chain()->set_etag(created.etag());
      req.mutable_update_mask()->add_paths("display_name");
      v1::Chain out;
      statuses[i] = as(&Stub::UpdateChain, req, &out);
    });
  }
  for (auto& t : threads) t.join();
  int ok = 0, aborted = 0;
  for (const auto& s : statuses) {
    ok += s.ok();
    aborted += s.error_code() == StatusCode::ABORTED;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(aborted, kCalls - 1);
  EXPECT_EQ(AuditRows(admin(), "resource = \"chains/race-etag\"").size(), 2u);
}

TEST_F(RegistryChains, UpdateValidatesTheMergedChain) {
  CreateChain(admin(), "uval-pv");
  v1::UpdateChainRequest req;
  req.mutable_chain()->set_name("chains/uval-pv");
  req.mutable_chain()->set_target_output_yuan(-5);
  req.mutable_update_mask()->add_paths("target_output_yuan");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateChain, req), "chain.target_output_yuan"));
  req.mutable_chain()->set_lead_department("departments/uval-nobody");
  req.mutable_update_mask()->set_paths(0, "lead_department");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateChain, req), "chain.lead_department"));
  req.mutable_chain()->set_name("pv");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::UpdateChain, req), "chain.name"));
}

TEST_F(RegistryChains, CreateRetriedWithTheSameRequestIdReturnsTheFirstResult) {
  v1::CreateChainRequest req;
  req.set_chain_id("idem-pv");
  *req.mutable_chain() = MakeChain("光伏");
  req.set_request_id("idem-create-pv-1");
  v1::Chain first, second;
  ASSERT_TRUE(admin()(&Stub::CreateChain, req, &first).ok());
  grpc::Status s = admin()(&Stub::CreateChain, req, &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(second.etag(), first.etag());
  EXPECT_EQ(second.create_time().seconds(), first.create_time().seconds());
  EXPECT_EQ(second.create_time().nanos(), first.create_time().nanos());
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());

  // One chain, one audit row.
  v1::ListChainsRequest list;
  list.set_filter("display_name = \"光伏\"");
  v1::ListChainsResponse chains;
  ASSERT_TRUE(admin()(&Stub::ListChains, list, &chains).ok());
  int matches = 0;
  for (const auto& c : chains.chains()) matches += c.name() == "chains/idem-pv";
  EXPECT_EQ(matches, 1);
  EXPECT_EQ(AuditRows(admin(), "resource = \"chains/idem-pv\"").size(), 1u);

  // One chain.created event: a later write's event on the stream proves the relay is past it.
  CreateDepartment(admin(), "idem-marker");
  RedisClient redis(fx().redis().ClientOptions());
  auto events = WaitForStream(redis, [](const std::vector<StreamEvent>& e) {
    return StreamHasSubject(e, "department.created", "departments/idem-marker");
  });
  ASSERT_TRUE(StreamHasSubject(events, "department.created", "departments/idem-marker"));
  int created_events = 0;
  for (const auto& e : events) {
    created_events += e.type == "chain.created" && e.subject == "chains/idem-pv";
  }
  EXPECT_EQ(created_events, 1);

  // The same request id with another payload is refused and changes nothing.
  req.mutable_chain()->set_display_name("光伏（改）");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateChain, req), "request_id"));
  v1::GetChainRequest get;
  get.set_name("chains/idem-pv");
  v1::Chain read;
  ASSERT_TRUE(admin()(&Stub::GetChain, get, &read).ok());
  EXPECT_EQ(read.display_name(), "光伏");
}

TEST_F(RegistryChains, DeleteWithNodesIsRefusedUnlessForced) {
  CreateChain(admin(), "del-pv");
  CreateChain(admin(), "del-semi");
  CreateNode(admin(), "del-pv", "wafer", MakeNode("硅片", v1::SEGMENT_UPSTREAM));
  CreateNode(admin(), "del-pv", "cells", MakeNode("电池片", v1::SEGMENT_MIDSTREAM));
  CreateNode(admin(), "del-semi", "design", MakeNode("芯片设计", v1::SEGMENT_UPSTREAM));
  const std::string code = GeneratedCode(7001);
  CreateEnterprise(admin(),
                   MakeEnterprise(code, "滁州两链科技有限公司",
                                  {NodeName("del-pv", "wafer"), NodeName("del-semi", "design")}));

  v1::GetEnterpriseRequest get_e;
  get_e.set_name(EnterpriseName(code));
  v1::Enterprise e;
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get_e, &e).ok());  // cached from here on
  ASSERT_EQ(e.memberships_size(), 2);
  EXPECT_EQ(GetChainMap(admin(), "del-pv").enterprise_count(), 1);

  v1::DeleteChainRequest del;
  del.set_name("chains/del-pv");
  grpc::Status refused = admin().Status(&Stub::DeleteChain, del);
  EXPECT_TRUE(HasCode(refused, StatusCode::FAILED_PRECONDITION));
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "force")) << refused.error_message();
  v1::GetNodeRequest get_node;
  get_node.set_name(NodeName("del-pv", "wafer"));
  EXPECT_TRUE(admin().Status(&Stub::GetNode, get_node).ok());

  del.set_etag("0-0");
  del.set_force(true);
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteChain, del), StatusCode::ABORTED));
  del.clear_etag();
  grpc::Status forced = admin().Status(&Stub::DeleteChain, del);
  ASSERT_TRUE(forced.ok()) << forced.error_message();

  v1::GetChainRequest get;
  get.set_name("chains/del-pv");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetChain, get), StatusCode::NOT_FOUND));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetNode, get_node), StatusCode::NOT_FOUND));
  get_node.set_name(NodeName("del-pv", "cells"));
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetNode, get_node), StatusCode::NOT_FOUND));
  // The enterprise stays, on the other chain only.
  ASSERT_TRUE(admin()(&Stub::GetEnterprise, get_e, &e).ok());
  ASSERT_EQ(e.memberships_size(), 1);
  EXPECT_EQ(e.memberships(0), NodeName("del-semi", "design"));
  v1::ListEnterprisesRequest on_pv;
  on_pv.set_filter("chain = del-pv");
  v1::ListEnterprisesResponse listed;
  ASSERT_TRUE(admin()(&Stub::ListEnterprises, on_pv, &listed).ok());
  EXPECT_EQ(listed.enterprises_size(), 0);
  v1::GetChainMapRequest map;
  map.set_name("chains/del-pv");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetChainMap, map), StatusCode::NOT_FOUND));

  // A chain of the same id made again starts empty.
  CreateChain(admin(), "del-pv");
  EXPECT_EQ(GetChainMap(admin(), "del-pv").node_count(), 0);
  EXPECT_EQ(GetChainMap(admin(), "del-pv").enterprise_count(), 0);

  // An empty chain goes without force.
  CreateChain(admin(), "del-empty");
  del.set_name("chains/del-empty");
  del.set_force(false);
  EXPECT_TRUE(admin().Status(&Stub::DeleteChain, del).ok());
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteChain, del), StatusCode::NOT_FOUND));
}

// --- Departments --------------------------------------------------------------------------------

class RegistryDepartments : public SharedRegistryTest<RegistryDepartments> {};

TEST_F(RegistryDepartments, CreatesGetsListsUpdatesAndDeletes) {
  v1::CreateDepartmentRequest create;
  create.set_department_id("dcrud-fgw");
  create.mutable_department()->set_display_name("市发展和改革委员会");
  create.mutable_department()->set_short_name("市发改委");
  create.mutable_department()->mutable_contact()->set_name("赵敏");
  create.set_request_id("dcrud-1");
  v1::Department created, replayed;
  ASSERT_TRUE(admin()(&Stub::CreateDepartment, create, &created).ok());
  ASSERT_TRUE(admin()(&Stub::CreateDepartment, create, &replayed).ok());
  EXPECT_EQ(replayed.SerializeAsString(), created.SerializeAsString());
  EXPECT_EQ(created.name(), "departments/dcrud-fgw");
  CreateDepartment(admin(), "dcrud-jxj", "市经济和信息化局");

  v1::GetDepartmentRequest get;
  get.set_name("departments/dcrud-fgw");
  v1::Department read;
  ASSERT_TRUE(admin()(&Stub::GetDepartment, get, &read).ok());
  EXPECT_EQ(read.short_name(), "市发改委");

  v1::ListDepartmentsRequest list;
  list.set_filter("display_name = \"市经济和信息化局\"");
  v1::ListDepartmentsResponse listed;
  ASSERT_TRUE(admin()(&Stub::ListDepartments, list, &listed).ok());
  ASSERT_EQ(listed.departments_size(), 1);
  EXPECT_EQ(listed.departments(0).name(), "departments/dcrud-jxj");
  list.set_filter("contact = x");  // not a filter field of departments
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::ListDepartments, list), "filter"));

  v1::UpdateDepartmentRequest update;
  update.mutable_department()->set_name("departments/dcrud-fgw");
  update.mutable_department()->set_short_name("发改委");
  update.mutable_department()->set_etag("0-0");
  update.mutable_update_mask()->add_paths("short_name");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::UpdateDepartment, update), StatusCode::ABORTED));
  update.mutable_department()->set_etag(read.etag());
  v1::Department updated;
  ASSERT_TRUE(admin()(&Stub::UpdateDepartment, update, &updated).ok());
  EXPECT_EQ(updated.short_name(), "发改委");
  EXPECT_EQ(updated.display_name(), "市发展和改革委员会");
  EXPECT_NE(updated.etag(), read.etag());
  update.mutable_update_mask()->set_paths(0, "display_name");
  update.mutable_department()->clear_etag();
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::UpdateDepartment, update), "department.display_name"));

  v1::DeleteDepartmentRequest del;
  del.set_name("departments/dcrud-jxj");
  del.set_etag("0-0");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::DeleteDepartment, del), StatusCode::ABORTED));
  del.clear_etag();
  ASSERT_TRUE(admin().Status(&Stub::DeleteDepartment, del).ok());
  get.set_name("departments/dcrud-jxj");
  EXPECT_TRUE(HasCode(admin().Status(&Stub::GetDepartment, get), StatusCode::NOT_FOUND));
}

TEST_F(RegistryDepartments, ListPagesThroughEveryDepartmentInNameOrder) {
  for (const std::string id : {"dpg-e", "dpg-b", "dpg-d", "dpg-a", "dpg-c"}) {
    CreateDepartment(admin(), id, "翻页" + id);
  }
  v1::ListDepartmentsRequest req;
  req.set_page_size(2);
  std::vector<std::string> names;
  for (int page = 0; page < 50; ++page) {
    v1::ListDepartmentsResponse resp;
    ASSERT_TRUE(admin()(&Stub::ListDepartments, req, &resp).ok());
    EXPECT_LE(resp.departments_size(), 2);
    for (const auto& d : resp.departments()) {
      if (absl::StartsWith(d.name(), "departments/dpg-")) names.push_back(d.name());
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"departments/dpg-a", "departments/dpg-b", "departments/dpg-c",
                                      "departments/dpg-d", "departments/dpg-e"}));
}

TEST_F(RegistryDepartments, ListFiltersByShortName) {
  CreateDepartment(admin(), "dsn-fgw", "市发展和改革委员会");
  v1::ListDepartmentsRequest req;
  req.set_filter("short_name = \"dsn-fgw\"");
  v1::ListDepartmentsResponse resp;
  grpc::Status s = admin()(&Stub::ListDepartments, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.departments_size(), 1);
  EXPECT_EQ(resp.departments(0).name(), "departments/dsn-fgw");
}

TEST_F(RegistryDepartments, CreateRejectsBadIdAndDisplayName) {
  v1::CreateDepartmentRequest req;
  req.set_department_id("FGW");
  req.mutable_department()->set_display_name("市发改委");
  EXPECT_TRUE(IsInvalidField(admin().Status(&Stub::CreateDepartment, req), "department_id"));
  req.set_department_id("dbad-fgw");
  req.mutable_department()->clear_display_name();
  EXPECT_TRUE(
      IsInvalidField(admin().Status(&Stub::CreateDepartment, req), "department.display_name"));
}

TEST_F(RegistryDepartments, DeleteIsRefusedWhileAChainRefersToTheDepartment) {
  CreateDepartment(admin(), "dref-lead");
  CreateDepartment(admin(), "dref-unit");
  v1::Chain chain = MakeChain("光伏");
  chain.set_lead_department("departments/dref-lead");
  chain.add_member_units()->set_department("departments/dref-unit");
  CreateChain(admin(), "dref-pv", chain);

  v1::DeleteDepartmentRequest del;
  for (const std::string name : {"departments/dref-lead", "departments/dref-unit"}) {
    del.set_name(name);
    grpc::Status s = admin().Status(&Stub::DeleteDepartment, del);
    EXPECT_TRUE(HasCode(s, StatusCode::FAILED_PRECONDITION)) << name;
    EXPECT_TRUE(absl::StrContains(s.error_message(), "chains/dref-pv")) << s.error_message();
  }

  // Once the chain no longer names them, they can go.
  v1::UpdateChainRequest update;
  update.mutable_chain()->set_name("chains/dref-pv");
  update.mutable_update_mask()->add_paths("lead_department");
  update.mutable_update_mask()->add_paths("member_units");
  ASSERT_TRUE(admin().Status(&Stub::UpdateChain, update).ok());
  for (const std::string name : {"departments/dref-lead", "departments/dref-unit"}) {
    del.set_name(name);
    grpc::Status s = admin().Status(&Stub::DeleteDepartment, del);
    EXPECT_TRUE(s.ok()) << name << ": " << s.error_message();
  }
}

}  // namespace
}  // namespace chainhub::testing
