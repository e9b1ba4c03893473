// 多链协同 over real gRPC: chain-keyed list entries created, read, listed with filters and updated
// (etags, retries, the detail that goes with the kind), who may write them, and MatchOpportunity
// finding the local enterprises that could answer a purchase opportunity.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace rv1 = registry::v1;

class SupportChainEntries : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  static v1::ChainEntry Talent() {
    v1::ChainEntry e;
    e.set_kind(v1::TALENT_DEMAND);
    e.set_title("光伏组件工艺工程师紧缺");
    e.set_node("chains/pv/nodes/modules");
    e.set_owner("departments/rsj");
    e.set_valid_from("2026-06-01");
    e.set_valid_to("2026-12-31");
    e.mutable_talent()->set_post("光伏组件工艺工程师");
    e.mutable_talent()->set_headcount(30);
    e.mutable_talent()->set_shortage_index(4);
    e.mutable_talent()->set_qualification("本科及以上，3年以上组件工艺经验");
    e.set_contact("市人社局 0550-1234567");
    return e;
  }

  static v1::ChainEntry Purchase(const std::string& owner) {
    v1::ChainEntry e;
    e.set_kind(v1::PURCHASE_OPPORTUNITY);
    e.set_title("组件边框铝型材年度采购");
    e.set_node("chains/pv/nodes/modules");
    e.set_owner(owner);
    e.mutable_opportunity()->set_product("光伏组件铝边框");
    e.mutable_opportunity()->set_quantity("120万套/年");
    e.mutable_opportunity()->set_amount_yuan(180'000'000);
    return e;
  }

  v1::CreateChainEntryRequest CreateRequest(const v1::ChainEntry& entry,
                                            const std::string& request_id = "",
                                            const std::string& chain = "pv") {
    v1::CreateChainEntryRequest req;
    req.set_parent("chains/" + chain);
    *req.mutable_entry() = entry;
    req.set_request_id(request_id);
    return req;
  }

  v1::ChainEntry Create(const SupportCaller& as, const v1::ChainEntry& entry,
                        const std::string& request_id = "", const std::string& chain = "pv") {
    v1::ChainEntry out;
    grpc::Status s =
        as(&SupportStub::CreateChainEntry, CreateRequest(entry, request_id, chain), &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<v1::ChainEntry> List(const SupportCaller& as, const std::string& parent,
                                   const std::string& filter) {
    v1::ListChainEntriesRequest req;
    req.set_parent(parent);
    req.set_filter(filter);
    v1::ListChainEntriesResponse resp;
    grpc::Status s = as(&SupportStub::ListChainEntries, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    return {resp.entries().begin(), resp.entries().end()};
  }

  SupportFixture f_;
};

TEST_F(SupportChainEntries, AnEntryIsCreatedReadAndListedByEveryRole) {
  const v1::ChainEntry created = Create(f_.ChainOffice("pv"), Talent(), "talent-1");
  EXPECT_TRUE(absl::StartsWith(created.name(), "chains/pv/entries/")) << created.name();
  EXPECT_EQ(created.status(), v1::ENTRY_OPEN);
  EXPECT_EQ(created.talent().post(), "光伏组件工艺工程师");
  EXPECT_FALSE(created.etag().empty());
  EXPECT_TRUE(created.has_create_time());

  v1::GetChainEntryRequest get;
  get.set_name(created.name());
  for (SupportCaller as : {f_.Viewer(), f_.Department("jxj"), f_.ChainOffice("nev-battery")}) {
    v1::ChainEntry read;
    ASSERT_TRUE(as(&SupportStub::GetChainEntry, get, &read).ok());
    EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());
  }
  EXPECT_EQ(List(f_.Viewer(), "chains/pv", "").size(), 1u);
  EXPECT_EQ(List(f_.Viewer(), "chains/nev-battery", "").size(), 0u);

  // The audit trail names the entry.
  common::v1::ListAuditEventsRequest audit;
  audit.set_filter("resource = \"" + created.name() + "\"");
  common::v1::ListAuditEventsResponse rows;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAuditEvents, audit, &rows).ok());
  EXPECT_EQ(rows.audit_events_size(), 1);
}

TEST_F(SupportChainEntries, ARetryWithTheSameRequestIdMakesNoSecondEntry) {
  const v1::ChainEntry first = Create(f_.Admin(), Talent(), "talent-retry");
  const v1::ChainEntry again = Create(f_.Admin(), Talent(), "talent-retry");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(List(f_.Admin(), "chains/pv", "").size(), 1u);
  v1::ChainEntry other = Talent();
  other.set_title("另一条");
  v1::ChainEntry ignored;
  EXPECT_EQ(
      f_.Admin()(&SupportStub::CreateChainEntry, CreateRequest(other, "talent-retry"), &ignored)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SupportChainEntries, OnlyAdminsAndTheChainsOwnOfficeWriteEntries) {
  v1::ChainEntry out;
  for (SupportCaller as : {f_.Viewer(), f_.Department("rsj"), f_.ChainOffice("nev-battery")}) {
    EXPECT_EQ(as(&SupportStub::CreateChainEntry, CreateRequest(Talent()), &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  const v1::ChainEntry created = Create(f_.Admin(), Talent());
  v1::UpdateChainEntryRequest update;
  *update.mutable_entry() = created;
  update.mutable_entry()->set_title("改");
  update.mutable_update_mask()->add_paths("title");
  EXPECT_EQ(
      f_.ChainOffice("nev-battery")(&SupportStub::UpdateChainEntry, update, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(f_.ChainOffice("pv")(&SupportStub::UpdateChainEntry, update, &out).ok());
  EXPECT_EQ(out.title(), "改");
}

TEST_F(SupportChainEntries, AnUpdateTakesTheMaskedFieldsAndAStaleEtagIsAborted) {
  const v1::ChainEntry created = Create(f_.Admin(), Talent());
  v1::UpdateChainEntryRequest update;
  *update.mutable_entry() = created;
  update.mutable_entry()->set_status(v1::ENTRY_MATCHED);
  update.mutable_entry()->set_title("不在掩码里");
  update.mutable_entry()->mutable_talent()->set_headcount(12);
  update.mutable_update_mask()->add_paths("status");
  update.mutable_update_mask()->add_paths("detail");
  v1::ChainEntry updated;
  ASSERT_TRUE(f_.Admin()(&SupportStub::UpdateChainEntry, update, &updated).ok());
  EXPECT_EQ(updated.status(), v1::ENTRY_MATCHED);
  EXPECT_EQ(updated.talent().headcount(), 12);
  EXPECT_EQ(updated.title(), created.title());
  EXPECT_NE(updated.etag(), created.etag());

  // The etag of before the update is stale now.
  v1::ChainEntry out;
  EXPECT_EQ(f_.Admin()(&SupportStub::UpdateChainEntry, update, &out).error_code(),
            grpc::StatusCode::ABORTED);

  // The kind is fixed, and the detail must go with it.
  update.mutable_entry()->set_etag(updated.etag());
  update.mutable_update_mask()->clear_paths();
  update.mutable_update_mask()->add_paths("kind");
  grpc::Status kind = f_.Admin()(&SupportStub::UpdateChainEntry, update, &out);
  EXPECT_TRUE(NamesField(kind, "update_mask")) << kind.error_message();
  update.mutable_update_mask()->clear_paths();
  update.mutable_update_mask()->add_paths("detail");
  *update.mutable_entry()->mutable_opportunity() = Purchase("departments/fgw").opportunity();
  grpc::Status detail = f_.Admin()(&SupportStub::UpdateChainEntry, update, &out);
  EXPECT_TRUE(NamesField(detail, "entry.opportunity")) << detail.error_message();
}

TEST_F(SupportChainEntries, BadEntriesAreRefusedNamingTheField) {
  struct Case {
    std::string field;
    std::function<void(v1::ChainEntry*)> spoil;
  };
  const std::vector<Case> cases = {
      {"entry.kind", [](v1::ChainEntry* e) { e->set_kind(v1::ENTRY_KIND_UNSPECIFIED); }},
      {"entry.title", [](v1::ChainEntry* e) { e->clear_title(); }},
      {"entry.node", [](v1::ChainEntry* e) { e->set_node("chains/nev-battery/nodes/cells"); }},
      {"entry.owner", [](v1::ChainEntry* e) { e->set_owner("enterprises/not-a-code"); }},
      {"entry.owner", [](v1::ChainEntry* e) { e->clear_owner(); }},
      {"entry.valid_to", [](v1::ChainEntry* e) { e->set_valid_to("2026-05-01"); }},
      {"entry.valid_from", [](v1::ChainEntry* e) { e->set_valid_from("2026-02-30"); }},
      {"entry.talent", [](v1::ChainEntry* e) { e->clear_talent(); }},
      {"entry.challenge",
       [](v1::ChainEntry* e) { e->mutable_challenge()->set_challenge("高效电池技术"); }},
      {"entry.talent.post", [](v1::ChainEntry* e) { e->mutable_talent()->clear_post(); }},
      {"entry.talent.shortage_index",
       [](v1::ChainEntry* e) { e->mutable_talent()->set_shortage_index(6); }},
      {"entry.talent.headcount", [](v1::ChainEntry* e) { e->mutable_talent()->set_headcount(-1); }},
  };
  for (const Case& c : cases) {
    v1::ChainEntry e = Talent();
    c.spoil(&e);
    v1::ChainEntry out;
    grpc::Status s = f_.Admin()(&SupportStub::CreateChainEntry, CreateRequest(e), &out);
    EXPECT_TRUE(NamesField(s, c.field)) << c.field << ": " << s.error_message();
  }
  EXPECT_EQ(List(f_.Admin(), "chains/pv", "").size(), 0u);
}

TEST_F(SupportChainEntries, ListsFilterByKindStatusNodeOwnerAndValidityAcrossChains) {
  const v1::ChainEntry talent = Create(f_.Admin(), Talent());
  v1::ChainEntry bank;
  bank.set_kind(v1::FINANCE_PARTNER);
  bank.set_title("光伏产业链金融链主");
  bank.set_owner("departments/jrb");
  bank.mutable_finance()->set_institution("中国工商银行滁州分行");
  bank.mutable_finance()->set_lead(true);
  bank.mutable_finance()->set_credit_line_yuan(5'000'000'000);
  bank.set_valid_to("2026-06-30");
  const v1::ChainEntry lead_bank = Create(f_.Admin(), bank);
  const v1::ChainEntry purchase = Create(f_.Admin(), Purchase("departments/fgw"));
  v1::ChainEntry battery = Talent();
  battery.set_node("chains/nev-battery/nodes/cells");
  const v1::ChainEntry other_chain = Create(f_.Admin(), battery, "", "nev-battery");

  auto names = [](const std::vector<v1::ChainEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.name());
    std::sort(out.begin(), out.end());
    return out;
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(names(List(f_.Viewer(), "chains/pv", "kind = FINANCE_PARTNER")),
            sorted({lead_bank.name()}));
  EXPECT_EQ(names(List(f_.Viewer(), "chains/-", "kind = TALENT_DEMAND")),
            sorted({talent.name(), other_chain.name()}));
  EXPECT_EQ(names(List(f_.Viewer(), "chains/pv", "node = \"chains/pv/nodes/modules\"")),
            sorted({talent.name(), purchase.name()}));
  EXPECT_EQ(names(List(f_.Viewer(), "chains/pv", "owner = \"departments/jrb\"")),
            sorted({lead_bank.name()}));
  // The bank's validity ends on 2026-06-30; the talent entry's starts on 2026-06-01.
  EXPECT_EQ(names(List(f_.Viewer(), "chains/pv", "valid_on = \"2026-07-01\"")),
            sorted({talent.name(), purchase.name()}));
  EXPECT_EQ(names(List(f_.Viewer(), "chains/pv", "valid_on = \"2026-05-15\"")),
            sorted({lead_bank.name(), purchase.name()}));
  EXPECT_EQ(List(f_.Viewer(), "chains/-", "").size(), 4u);
  EXPECT_EQ(List(f_.Viewer(), "chains/-", "status = OPEN").size(), 4u);
  EXPECT_EQ(List(f_.Viewer(), "chains/-", "status = MATCHED").size(), 0u);

  // Pages of one walk every entry once.
  v1::ListChainEntriesRequest req;
  req.set_parent("chains/-");
  req.set_page_size(3);
  v1::ListChainEntriesResponse page;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainEntries, req, &page).ok());
  EXPECT_EQ(page.entries_size(), 3);
  ASSERT_FALSE(page.next_page_token().empty());
  req.set_page_token(page.next_page_token());
  v1::ListChainEntriesResponse rest;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainEntries, req, &rest).ok());
  EXPECT_EQ(rest.entries_size(), 1);
  EXPECT_TRUE(rest.next_page_token().empty());

  v1::ListChainEntriesRequest bad;
  bad.set_parent("chains/pv");
  bad.set_filter("valid_on = \"tomorrow\"");
  EXPECT_TRUE(NamesField(f_.Viewer()(&SupportStub::ListChainEntries, bad, &page), "filter"));
}

TEST_F(SupportChainEntries, MatchOpportunityFindsLocalFirmsOnTheNodeFirstThenOnTheChain) {
  const std::string modules = "chains/pv/nodes/modules";
  const std::string cells = "chains/pv/nodes/cells";
  const rv1::Enterprise owner = f_.MakeEnterprise(11, "滁州某组件厂", {modules}, {}, 5'000'000'000);
  f_.AddEnterprise(owner);
  f_.AddEnterprise(f_.MakeEnterprise(12, "滁州某电池片厂", {cells}, {}, 9'000'000'000));
  f_.AddEnterprise(f_.MakeEnterprise(13, "滁州某边框厂", {modules}, {}, 1'000'000'000));
  f_.AddEnterprise(
      f_.MakeEnterprise(16, "滁州某铝材厂", {modules}, {}, 3'000'000'000, "", "来安县", "341122"));
  // Not answers: registered in Suzhou, without a county, on another chain only.
  f_.AddEnterprise(f_.MakeEnterprise(14, "苏州某边框厂", {modules}, {}, 8'000'000'000, "",
                                     "工业园区", "320500"));
  f_.AddEnterprise(f_.MakeEnterprise(15, "无县区企业", {modules}, {}, 7'000'000'000, "", ""));
  f_.AddEnterprise(
      f_.MakeEnterprise(17, "滁州某电池厂", {"chains/nev-battery/nodes/cells"}, {}, 6'000'000'000));

  const v1::ChainEntry entry = Create(f_.ChainOffice("pv"), Purchase(owner.name()));
  v1::MatchOpportunityRequest req;
  req.set_entry(entry.name());
  v1::MatchOpportunityResponse resp;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::MatchOpportunity, req, &resp).ok());
  ASSERT_EQ(resp.candidates_size(), 3);
  EXPECT_EQ(resp.candidates(0).display_name(), "滁州某铝材厂");
  EXPECT_EQ(resp.candidates(0).node(), modules);
  EXPECT_EQ(resp.candidates(0).county(), "来安县");
  EXPECT_EQ(resp.candidates(0).annual_output_yuan(), 3'000'000'000);
  EXPECT_EQ(resp.candidates(1).display_name(), "滁州某边框厂");
  EXPECT_EQ(resp.candidates(2).display_name(), "滁州某电池片厂");
  EXPECT_EQ(resp.candidates(2).node(), "");
  EXPECT_EQ(resp.candidates(2).enterprise(), "enterprises/" + TestCreditCode("341100", 12));

  req.set_page_size(2);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::MatchOpportunity, req, &resp).ok());
  EXPECT_EQ(resp.candidates_size(), 2);

  // Only opportunities are matched.
  const v1::ChainEntry talent = Create(f_.Admin(), Talent());
  req.set_entry(talent.name());
  EXPECT_EQ(f_.Viewer()(&SupportStub::MatchOpportunity, req, &resp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  req.set_entry("chains/pv/entries/nope");
  EXPECT_EQ(f_.Viewer()(&SupportStub::MatchOpportunity, req, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace chainhub::testing
