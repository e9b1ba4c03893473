// 政策链 over real gRPC: policies and items, matching a handful of enterprises with hand-checked
// amounts, the ledger from application to payment, 免申即享 payout lists (by call and by the daily
// run), the figures against budget and 序时, CSV import, who may do what, and hostile input.
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "tests/support/events_util.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace reg = registry::v1;

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kRule[] =
    "label = \"SPECIALIZED\" AND annual_output_yuan >= 50000000 AND years_since_founding >= 2";

class SupportPolicies : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.SetUp()); }
  void TearDown() override { f_.TearDown(); }

  // The enterprises every matching test reads (facts as of 2026-06-15):
  //   A 甲 pv/modules  SPECIALIZED ABOVE_SIZE    80,000,000  2018  → 300,000
  //   B 乙 pv/cells    HEAD SPECIALIZED         150,000,000  2024  (1 year: misses)
  //   C 丙 pv/glass    SPECIALIZED HIGH_TECH     60,000,000  2015  → 300,000 + 100,000
  //   D 丁 nm/glass    SPECIALIZED               90,000,000  2010  (not on pv)
  //   E 戊 pv/modules  ABOVE_SIZE                40,000,000  2012  (not SPECIALIZED)
  //   F 己 pv/modules  SPECIALIZED HEAD         300,000,000  —     (no founding date)
  //   G 庚 pv/cells    SPECIALIZED HEAD HIGH_TECH 200,000,000 2016 → 750,000, capped 450,000
  void AddCity(const std::set<char>& only = {}) {
    for (const auto& [key, e] : PolicyCity(f_)) {
      if (!only.empty() && !only.contains(key)) continue;
      ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(e));
      code_[key] = e.credit_code();
    }
  }
  std::string Ent(char key) { return "enterprises/" + code_.at(key); }

  v1::Policy CreatePolicy(const SupportCaller& as,
                          const std::string& department = "departments/jxj",
                          const std::vector<std::string>& chains = {"chains/pv"}) {
    v1::CreatePolicyRequest req;
    v1::Policy* p = req.mutable_policy();
    p->set_title("滁州市支持光伏产业高质量发展若干政策");
    p->set_document_number("滁政〔2026〕12号");
    p->set_department(department);
    p->set_issue_date("2026-01-10");
    for (const auto& c : chains) p->add_chains(c);
    v1::Policy out;
    grpc::Status s = as(&SupportStub::CreatePolicy, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  // An item of `policy`: kRule, 300,000 base, bonuses HEAD +200,000, HIGH_TECH +100,000,
  // output ≥ 100,000,000 +150,000, capped at 450,000; paid by 财政局.
  v1::PolicyItem ItemBody(const v1::Policy& policy, const std::string& id, v1::Lane lane) {
    v1::PolicyItem item;
    item.set_name(absl::StrCat(policy.name(), "/items/", id));
    item.set_title("专精特新光伏企业奖励");
    item.set_eligibility(kRule);
    item.set_standard("一次性奖励30万元，另按条件叠加，最高45万元");
    item.set_base_amount_yuan(300'000);
    auto bonus = [&](const std::string& when, int64_t yuan, const std::string& note) {
      v1::Bonus* b = item.add_bonuses();
      b->set_when(when);
      b->set_amount_yuan(yuan);
      b->set_note(note);
    };
    bonus("label = \"HEAD\"", 200'000, "头部企业");
    bonus("label = \"HIGH_TECH\"", 100'000, "高新技术企业");
    bonus("annual_output_yuan >= 100000000", 150'000, "");
    item.set_cap_yuan(450'000);
    item.set_open_date("2026-01-01");
    item.set_close_date("2026-12-31");
    item.set_department("departments/czj");
    item.set_lane(lane);
    if (lane == v1::FAST) item.set_time_limit_working_days(5);
    item.set_budget_yuan(1'000'000);
    return item;
  }

  v1::PolicyItem CreateItem(const SupportCaller& as, const v1::Policy& policy,
                            const v1::PolicyItem& item, const std::string& request_id = "") {
    v1::CreatePolicyItemRequest req;
    req.set_parent(policy.name());
    *req.mutable_item() = item;
    req.set_request_id(request_id);
    v1::PolicyItem out;
    grpc::Status s = as(&SupportStub::CreatePolicyItem, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Apply(const SupportCaller& as, const std::string& item, const std::string& ent,
                     v1::Claim* out, const std::string& request_id = "") {
    v1::ApplyForItemRequest req;
    req.set_item(item);
    req.set_enterprise(ent);
    req.set_note("企业申报材料齐全");
    req.set_request_id(request_id);
    return as(&SupportStub::ApplyForItem, req, out);
  }

  grpc::Status Decide(const SupportCaller& as, const std::string& claim, bool approve, int64_t yuan,
                      const std::string& note, v1::Claim* out, const std::string& etag = "") {
    v1::DecideClaimRequest req;
    req.set_name(claim);
    req.set_approve(approve);
    req.set_approved_yuan(yuan);
    req.set_note(note);
    req.set_etag(etag);
    return as(&SupportStub::DecideClaim, req, out);
  }

  grpc::Status Pay(const SupportCaller& as, const std::string& claim, int64_t yuan,
                   const std::string& date, v1::Claim* out, const std::string& etag = "") {
    v1::RecordPaymentRequest req;
    req.set_name(claim);
    req.set_paid_yuan(yuan);
    req.set_paid_date(date);
    req.set_etag(etag);
    return as(&SupportStub::RecordPayment, req, out);
  }

  v1::MatchPolicyItemResponse MatchItem(const SupportCaller& as, const std::string& item,
                                        int page_size = 0, const std::string& token = "") {
    v1::MatchPolicyItemRequest req;
    req.set_item(item);
    req.set_page_size(page_size);
    req.set_page_token(token);
    v1::MatchPolicyItemResponse resp;
    grpc::Status s = as(&SupportStub::MatchPolicyItem, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  std::vector<v1::Claim> Claims(const std::string& parent, const std::string& filter = "") {
    v1::ListClaimsRequest req;
    req.set_parent(parent);
    req.set_filter(filter);
    req.set_page_size(1000);
    v1::ListClaimsResponse resp;
    grpc::Status s = f_.Admin()(&SupportStub::ListClaims, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {resp.claims().begin(), resp.claims().end()};
  }

  std::vector<CloudEvent> EventsOfType(const std::string& type) {
    std::vector<CloudEvent> out;
    for (CloudEvent& e : f_.OutboxEvents()) {
      if (e.type() == type) out.push_back(std::move(e));
    }
    return out;
  }

  void SetDate(int year, int month, int day) {
    f_.clock().Set(absl::FromCivil(absl::CivilSecond(year, month, day, 10, 0, 0),
                                   absl::FixedTimeZone(8 * 3600)));
  }

  SupportFixture f_;
  std::map<char, std::string> code_;
};

std::vector<std::string> Conditions(const v1::Match& m) {
  std::vector<std::string> out;
  for (const auto& r : m.reasons()) out.push_back(r.condition());
  return out;
}

// --- Policies and items ------------------------------------------------------------------------

TEST_F(SupportPolicies, ADepartmentIssuesAPolicyAndItsItemsTakeThePolicysChains) {
  const v1::Policy policy = CreatePolicy(f_.Department("jxj"));
  EXPECT_THAT(policy.name(), ::testing::StartsWith("policies/"));
  EXPECT_THAT(policy.chains(), ElementsAre("chains/pv"));
  EXPECT_FALSE(policy.etag().empty());

  const v1::PolicyItem item =
      CreateItem(f_.Department("jxj"), policy, ItemBody(policy, "module-award", v1::FAST));
  EXPECT_EQ(item.name(), policy.name() + "/items/module-award");
  EXPECT_THAT(item.chains(), ElementsAre("chains/pv"));
  EXPECT_EQ(item.bonuses_size(), 3);
  EXPECT_FALSE(item.etag().empty());

  v1::GetPolicyItemRequest get;
  get.set_name(item.name());
  v1::PolicyItem got;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetPolicyItem, get, &got).ok());
  EXPECT_EQ(got.SerializeAsString(), item.SerializeAsString());

  // Every write left an audit row.
  const auto audit = AuditRowsOf(f_.Admin(), "resource = \"" + item.name() + "\"");
  EXPECT_EQ(audit.size(), 1u);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + policy.name() + "\"").size(), 1u);
}

TEST_F(SupportPolicies, ARetryWithTheSameRequestIdMakesNothingTwice) {
  v1::CreatePolicyRequest req;
  req.mutable_policy()->set_title("滁州市光伏应用推广办法");
  req.mutable_policy()->set_department("departments/jxj");
  req.mutable_policy()->set_issue_date("2026-02-01");
  req.set_request_id("policy-1");
  v1::Policy first;
  v1::Policy again;
  ASSERT_TRUE(f_.Admin()(&SupportStub::CreatePolicy, req, &first).ok());
  ASSERT_TRUE(f_.Admin()(&SupportStub::CreatePolicy, req, &again).ok());
  EXPECT_EQ(first.name(), again.name());
  v1::ListPoliciesResponse list;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListPolicies, v1::ListPoliciesRequest(), &list).ok());
  EXPECT_EQ(list.policies_size(), 1);

  const v1::PolicyItem body = ItemBody(first, "a", v1::SPECIAL);
  const v1::PolicyItem item = CreateItem(f_.Admin(), first, body, "item-1");
  EXPECT_EQ(CreateItem(f_.Admin(), first, body, "item-1").etag(), item.etag());
  // Without a request id the same name is taken.
  v1::CreatePolicyItemRequest dup;
  dup.set_parent(first.name());
  *dup.mutable_item() = body;
  EXPECT_EQ(f_.Admin().Status(&SupportStub::CreatePolicyItem, dup).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(SupportPolicies, ItemsAreListedByLaneDepartmentChainAndOpenWindow) {
  const v1::Policy pv = CreatePolicy(f_.Admin());
  const v1::Policy all = CreatePolicy(f_.Admin(), "departments/fgw", {});
  const v1::Policy nev = CreatePolicy(f_.Admin(), "departments/fgw", {"chains/nev"});
  CreateItem(f_.Admin(), pv, ItemBody(pv, "fast", v1::FAST));
  v1::PolicyItem closed = ItemBody(pv, "closed", v1::AUTOMATIC);
  closed.set_close_date("2026-03-31");
  closed.set_department("departments/jxj");
  CreateItem(f_.Admin(), pv, closed);
  CreateItem(f_.Admin(), all, ItemBody(all, "any-chain", v1::SPECIAL));
  CreateItem(f_.Admin(), nev, ItemBody(nev, "nev", v1::FAST));

  auto names = [&](const std::string& parent, const std::string& filter) {
    v1::ListPolicyItemsRequest req;
    req.set_parent(parent);
    req.set_filter(filter);
    v1::ListPolicyItemsResponse resp;
    grpc::Status s = f_.Viewer()(&SupportStub::ListPolicyItems, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    std::set<std::string> out;
    for (const auto& i : resp.items()) out.insert(i.name().substr(i.name().rfind('/') + 1));
    return out;
  };
  using Set = std::set<std::string>;
  EXPECT_EQ(names("policies/-", ""), (Set{"fast", "closed", "any-chain", "nev"}));
  EXPECT_EQ(names(pv.name(), ""), (Set{"fast", "closed"}));
  EXPECT_EQ(names("policies/-", "lane = FAST"), (Set{"fast", "nev"}));
  EXPECT_EQ(names("policies/-", "department = \"departments/jxj\""), (Set{"closed"}));
  // A policy for every chain is for pv too.
  EXPECT_EQ(names("policies/-", "chain = pv"), (Set{"fast", "closed", "any-chain"}));
  EXPECT_EQ(names("policies/-", "open = true"), (Set{"fast", "any-chain", "nev"}));
  EXPECT_EQ(names("policies/-", "open = false"), (Set{"closed"}));

  v1::ListPolicyItemsRequest bad;
  bad.set_parent("policies/-");
  bad.set_filter("lane = SOMETIMES");
  EXPECT_TRUE(NamesField(f_.Viewer().Status(&SupportStub::ListPolicyItems, bad), "filter"));
}

TEST_F(SupportPolicies, AnUpdateNeedsTheCurrentEtagAndAValidRule) {
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));
  v1::UpdatePolicyItemRequest req;
  req.mutable_item()->set_name(item.name());
  req.mutable_item()->set_eligibility("chain = pv AND label = HEAD");
  req.mutable_item()->set_etag(item.etag());
  req.mutable_update_mask()->add_paths("eligibility");
  v1::PolicyItem updated;
  ASSERT_TRUE(f_.Admin()(&SupportStub::UpdatePolicyItem, req, &updated).ok());
  EXPECT_EQ(updated.eligibility(), "chain = pv AND label = HEAD");
  EXPECT_EQ(updated.title(), item.title());
  EXPECT_NE(updated.etag(), item.etag());
  // The etag it was given is stale now.
  EXPECT_EQ(f_.Admin().Status(&SupportStub::UpdatePolicyItem, req).error_code(),
            grpc::StatusCode::ABORTED);

  req.mutable_item()->set_etag(updated.etag());
  req.mutable_item()->set_eligibility("label = BIG");
  grpc::Status bad = f_.Admin().Status(&SupportStub::UpdatePolicyItem, req);
  EXPECT_TRUE(NamesField(bad, "item.eligibility")) << bad.error_message();
  EXPECT_THAT(bad.error_message(), HasSubstr("label must be one of"));

  req.mutable_update_mask()->set_paths(0, "department");
  EXPECT_TRUE(NamesField(f_.Admin().Status(&SupportStub::UpdatePolicyItem, req), "update_mask"));
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + item.name() + "\"").size(), 2u);
}

TEST_F(SupportPolicies, ABadItemIsRefusedNamingEachField) {
  const v1::Policy policy = CreatePolicy(f_.Admin());
  auto refusal = [&](const std::function<void(v1::PolicyItem*)>& spoil) {
    v1::PolicyItem item = ItemBody(policy, "bad", v1::FAST);
    spoil(&item);
    v1::CreatePolicyItemRequest req;
    req.set_parent(policy.name());
    *req.mutable_item() = item;
    return f_.Admin().Status(&SupportStub::CreatePolicyItem, req);
  };
  EXPECT_TRUE(
      NamesField(refusal([](auto* i) { i->set_eligibility("label = BIG"); }), "item.eligibility"));
  EXPECT_TRUE(
      NamesField(refusal([](auto* i) { i->set_eligibility("size > 3"); }), "item.eligibility"));
  EXPECT_TRUE(NamesField(
      refusal([](auto* i) { i->mutable_bonuses(1)->set_when("annual_output_yuan > lots"); }),
      "item.bonuses[1].when"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_time_limit_working_days(0); }),
                         "item.time_limit_working_days"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_time_limit_working_days(61); }),
                         "item.time_limit_working_days"));
  EXPECT_TRUE(
      NamesField(refusal([](auto* i) { i->set_close_date("2025-12-31"); }), "item.close_date"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_lane(v1::LANE_UNSPECIFIED); }), "item.lane"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_department(""); }), "item.department"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_title(""); }), "item.title"));
  EXPECT_TRUE(
      NamesField(refusal([](auto* i) { i->set_name("policies/other/items/bad"); }), "item.name"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_name(i->name() + "/UPPER"); }), "item.name"));
  EXPECT_TRUE(NamesField(refusal([](auto* i) { i->set_cap_yuan(-1); }), "item.cap_yuan"));

  v1::CreatePolicyRequest p;
  p.mutable_policy()->set_title("政策");
  p.mutable_policy()->set_department("departments/jxj");
  p.mutable_policy()->set_issue_date("2026-02-30");
  p.mutable_policy()->add_chains("pv");
  grpc::Status s = f_.Admin().Status(&SupportStub::CreatePolicy, p);
  EXPECT_TRUE(NamesField(s, "policy.issue_date")) << s.error_message();
  EXPECT_TRUE(NamesField(s, "policy.chains[0]")) << s.error_message();
}

// --- Matching ----------------------------------------------------------------------------------

TEST_F(SupportPolicies, MatchingAnItemFindsTheQualifyingEnterprisesWithHandCheckedAmounts) {
  ASSERT_NO_FATAL_FAILURE(AddCity());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));

  const v1::MatchPolicyItemResponse first = MatchItem(f_.ChainOffice("pv"), item.name(), 2);
  // A 300,000; C 300,000 + 100,000; G 300,000 + 200,000 + 100,000 + 150,000 capped at 450,000.
  EXPECT_EQ(first.qualified(), 3);
  EXPECT_EQ(first.total_amount_yuan(), 1'150'000);
  // D is not on pv: only the six pv enterprises are examined.
  EXPECT_EQ(first.examined(), 6);
  ASSERT_EQ(first.matches_size(), 2);
  EXPECT_EQ(first.matches(0).enterprise(), Ent('A'));
  EXPECT_EQ(first.matches(0).enterprise_display_name(), "滁州甲光伏科技有限公司");
  EXPECT_EQ(first.matches(0).amount_yuan(), 300'000);
  EXPECT_TRUE(first.matches(0).bonuses().empty());
  EXPECT_THAT(Conditions(first.matches(0)),
              ElementsAre("label = \"SPECIALIZED\"", "annual_output_yuan >= 50000000",
                          "years_since_founding >= 2"));
  EXPECT_THAT(first.matches(0).reasons(2).values(), ElementsAre("8"));
  EXPECT_EQ(first.matches(1).enterprise(), Ent('C'));
  EXPECT_EQ(first.matches(1).amount_yuan(), 400'000);
  EXPECT_THAT(first.matches(1).bonuses(),
              ElementsAre("label = \"HIGH_TECH\" → +100000 (高新技术企业)"));
  ASSERT_FALSE(first.next_page_token().empty());

  const v1::MatchPolicyItemResponse second =
      MatchItem(f_.Department("czj"), item.name(), 2, first.next_page_token());
  ASSERT_EQ(second.matches_size(), 1);
  EXPECT_EQ(second.matches(0).enterprise(), Ent('G'));
  EXPECT_EQ(second.matches(0).amount_yuan(), 450'000);
  EXPECT_EQ(second.matches(0).bonuses_size(), 3);
  EXPECT_EQ(second.qualified(), 3);
  EXPECT_TRUE(second.next_page_token().empty());

  // The facts are taken on as_of: on 2026-07-01 B turns 2.
  v1::MatchPolicyItemRequest later;
  later.set_item(item.name());
  later.set_as_of("2026-07-01");
  v1::MatchPolicyItemResponse resp;
  ASSERT_TRUE(f_.Admin()(&SupportStub::MatchPolicyItem, later, &resp).ok());
  EXPECT_EQ(resp.qualified(), 4);
  EXPECT_EQ(resp.total_amount_yuan(), 1'150'000 + 450'000);
  // A token belongs to its own question.
  later.set_page_token(first.next_page_token());
  EXPECT_TRUE(NamesField(f_.Admin().Status(&SupportStub::MatchPolicyItem, later), "page_token"));
}

TEST_F(SupportPolicies, MatchingAnEnterpriseSaysWhichItemsItMissesAndWhy) {
  ASSERT_NO_FATAL_FAILURE(AddCity());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));
  v1::PolicyItem old = ItemBody(policy, "old", v1::SPECIAL);
  old.set_eligibility("label = \"HEAD\"");
  old.set_close_date("2026-03-31");
  CreateItem(f_.Admin(), policy, old);

  v1::MatchEnterpriseRequest req;
  req.set_enterprise(Ent('B'));
  v1::MatchEnterpriseResponse resp;
  ASSERT_TRUE(f_.Admin()(&SupportStub::MatchEnterprise, req, &resp).ok());
  ASSERT_EQ(resp.matches_size(), 1);
  EXPECT_EQ(resp.matches(0).item(), policy.name() + "/items/old");
  EXPECT_EQ(resp.matches(0).amount_yuan(), 300'000 + 200'000 + 150'000 - 200'000);

  req.set_open_only(true);
  req.set_include_misses(true);
  ASSERT_TRUE(f_.Admin()(&SupportStub::MatchEnterprise, req, &resp).ok());
  ASSERT_EQ(resp.matches_size(), 1);
  const v1::Match& miss = resp.matches(0);
  EXPECT_FALSE(miss.qualifies());
  EXPECT_EQ(miss.amount_yuan(), 0);
  ASSERT_EQ(miss.reasons_size(), 1);
  EXPECT_EQ(miss.reasons(0).condition(), "years_since_founding >= 2");
  EXPECT_FALSE(miss.reasons(0).holds());
  EXPECT_THAT(miss.reasons(0).values(), ElementsAre("1"));

  // D is not on the policy's chain.
  req.set_enterprise(Ent('D'));
  ASSERT_TRUE(f_.Admin()(&SupportStub::MatchEnterprise, req, &resp).ok());
  ASSERT_EQ(resp.matches_size(), 1);
  EXPECT_FALSE(resp.matches(0).qualifies());
  EXPECT_EQ(resp.matches(0).reasons(0).condition(), "chain = \"pv\"");
  EXPECT_THAT(resp.matches(0).reasons(0).values(), ElementsAre("new-materials"));

  req.set_enterprise("enterprises/" + TestCreditCode("341100", 999));
  EXPECT_EQ(f_.Admin().Status(&SupportStub::MatchEnterprise, req).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// --- The ledger --------------------------------------------------------------------------------

TEST_F(SupportPolicies, AClaimGoesFromApplicationToPaymentWithinItsWorkingDays) {
  ASSERT_NO_FATAL_FAILURE(AddCity());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));

  v1::Claim claim;
  ASSERT_TRUE(Apply(f_.Department("kjj"), item.name(), Ent('C'), &claim, "apply-c").ok());
  EXPECT_EQ(claim.name(), item.name() + "/claims/" + code_['C']);
  EXPECT_EQ(claim.state(), v1::APPLIED);
  EXPECT_EQ(claim.computed_yuan(), 400'000);
  EXPECT_EQ(claim.applied_date(), "2026-06-15");
  // Five working days after Monday 15 June, 端午节 (Friday 19 June) not counted.
  EXPECT_EQ(claim.decide_by(), "2026-06-23");
  EXPECT_EQ(claim.enterprise_display_name(), "滁州丙光伏玻璃有限公司");
  EXPECT_FALSE(claim.automatic());

  v1::Claim retried;
  ASSERT_TRUE(Apply(f_.Department("kjj"), item.name(), Ent('C'), &retried, "apply-c").ok());
  EXPECT_EQ(retried.etag(), claim.etag());
  v1::Claim ignored;
  EXPECT_EQ(Apply(f_.Department("kjj"), item.name(), Ent('C'), &ignored).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  // 财政局 pays it: it approves the computed amount by default.
  SetDate(2026, 6, 18);
  v1::Claim approved;
  ASSERT_TRUE(Decide(f_.Department("czj"), claim.name(), true, 0, "", &approved).ok());
  EXPECT_EQ(approved.state(), v1::APPROVED);
  EXPECT_EQ(approved.approved_yuan(), 400'000);
  EXPECT_EQ(approved.approved_date(), "2026-06-18");
  EXPECT_EQ(Decide(f_.Department("czj"), claim.name(), false, 0, "重复", &ignored).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  SetDate(2026, 6, 30);
  grpc::Status future = Pay(f_.Department("czj"), claim.name(), 400'000, "2026-07-01", &ignored);
  EXPECT_TRUE(NamesField(future, "paid_date")) << future.error_message();
  EXPECT_TRUE(NamesField(Pay(f_.Department("czj"), claim.name(), 500'000, "2026-06-29", &ignored),
                         "paid_yuan"));
  EXPECT_EQ(Pay(f_.Department("czj"), claim.name(), 400'000, "2026-06-29", &ignored, claim.etag())
                .error_code(),
            grpc::StatusCode::ABORTED);
  v1::Claim paid;
  ASSERT_TRUE(
      Pay(f_.Department("czj"), claim.name(), 0, "2026-06-29", &paid, approved.etag()).ok());
  EXPECT_EQ(paid.state(), v1::PAID);
  EXPECT_EQ(paid.paid_yuan(), 400'000);
  EXPECT_EQ(paid.paid_date(), "2026-06-29");
  EXPECT_EQ(Pay(f_.Department("czj"), claim.name(), 0, "2026-06-29", &ignored).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  const auto made = EventsOfType("payout.made");
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(SubjectOf(made[0]), claim.name());
  EXPECT_EQ(StringAttribute(made[0], kChainAttribute), "chains/pv");
  auto payload = UnpackPayload<v1::Claim>(made[0]);
  ASSERT_TRUE(payload.ok()) << payload.status();
  EXPECT_EQ(payload->paid_yuan(), 400'000);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + claim.name() + "\"").size(), 3u);
}

TEST_F(SupportPolicies, AnEnterpriseThatDoesNotQualifyCannotApplyAndARejectedOneMayApplyAgain) {
  ASSERT_NO_FATAL_FAILURE(AddCity());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::SPECIAL));
  v1::Claim claim;
  grpc::Status refused = Apply(f_.Admin(), item.name(), Ent('B'), &claim);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("years_since_founding >= 2 (has 1)"));

  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('A'), &claim).ok());
  EXPECT_TRUE(claim.decide_by().empty());  // SPECIAL: no time limit
  v1::Claim rejected;
  EXPECT_TRUE(NamesField(Decide(f_.Admin(), claim.name(), false, 0, "", &rejected), "note"));
  ASSERT_TRUE(Decide(f_.Admin(), claim.name(), false, 0, "材料不全", &rejected).ok());
  EXPECT_EQ(rejected.state(), v1::REJECTED);
  EXPECT_EQ(rejected.note(), "材料不全");
  v1::Claim again;
  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('A'), &again).ok());
  EXPECT_EQ(again.state(), v1::APPLIED);
  EXPECT_EQ(again.name(), claim.name());

  // Approving a different amount than computed.
  v1::Claim approved;
  ASSERT_TRUE(Decide(f_.Admin(), claim.name(), true, 250'000, "按实际投资核定", &approved).ok());
  EXPECT_EQ(approved.approved_yuan(), 250'000);
  EXPECT_EQ(approved.computed_yuan(), 300'000);

  EXPECT_EQ(Apply(f_.Admin(), item.name(), "enterprises/" + TestCreditCode("341100", 999), &claim)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(NamesField(Apply(f_.Admin(), item.name(), "enterprises/123", &claim), "enterprise"));
}

TEST_F(SupportPolicies, NoOneAppliesForAnAutomaticItemOrOutsideTheWindow) {
  ASSERT_NO_FATAL_FAILURE(AddCity({'A'}));
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem automatic =
      CreateItem(f_.Admin(), policy, ItemBody(policy, "auto", v1::AUTOMATIC));
  v1::PolicyItem later = ItemBody(policy, "later", v1::FAST);
  later.set_open_date("2026-07-01");
  CreateItem(f_.Admin(), policy, later);
  v1::Claim claim;
  grpc::Status s = Apply(f_.Admin(), automatic.name(), Ent('A'), &claim);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("免申即享"));
  s = Apply(f_.Admin(), policy.name() + "/items/later", Ent('A'), &claim);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("2026-07-01"));
}

// --- 免申即享 ------------------------------------------------------------------------------------

TEST_F(SupportPolicies, GeneratingPayoutsApprovesEachQualifyingEnterpriseOnce) {
  ASSERT_NO_FATAL_FAILURE(AddCity());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item =
      CreateItem(f_.Admin(), policy, ItemBody(policy, "auto", v1::AUTOMATIC));
  v1::GeneratePayoutsRequest req;
  req.set_item(item.name());
  v1::GeneratePayoutsResponse resp;
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::GeneratePayouts, req, &resp).ok());
  ASSERT_EQ(resp.created_size(), 3);
  EXPECT_EQ(resp.created(0).enterprise(), Ent('A'));
  EXPECT_EQ(resp.created(0).approved_yuan(), 300'000);
  EXPECT_EQ(resp.created(1).approved_yuan(), 400'000);
  EXPECT_EQ(resp.created(2).approved_yuan(), 450'000);
  for (const v1::Claim& c : resp.created()) {
    EXPECT_EQ(c.state(), v1::APPROVED);
    EXPECT_TRUE(c.automatic());
    EXPECT_EQ(c.approved_date(), "2026-06-15");
    EXPECT_TRUE(c.applied_date().empty());
    EXPECT_EQ(c.computed_yuan(), c.approved_yuan());
  }
  EXPECT_EQ(resp.payout_list_size(), 3);
  EXPECT_EQ(resp.created_count(), 3);
  EXPECT_EQ(resp.payout_count(), 3);
  EXPECT_EQ(resp.payout_total_yuan(), 1'150'000);
  auto ready = EventsOfType("payout.list_ready");
  ASSERT_EQ(ready.size(), 1u);
  auto payload = UnpackPayload<v1::PayoutListReady>(ready[0]);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->item(), item.name());
  EXPECT_EQ(payload->owner_department(), "departments/czj");
  EXPECT_EQ(payload->claims(), 3);
  EXPECT_EQ(payload->total_yuan(), 1'150'000);

  // Again: nothing new, the same list, no second event.
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::GeneratePayouts, req, &resp).ok());
  EXPECT_EQ(resp.created_size(), 0);
  EXPECT_EQ(resp.payout_list_size(), 3);
  EXPECT_EQ(EventsOfType("payout.list_ready").size(), 1u);

  // A payment takes a claim off the list; a newly qualifying enterprise joins it.
  v1::Claim paid;
  ASSERT_TRUE(Pay(f_.Department("czj"), resp.payout_list(0).name(), 0, "2026-06-15", &paid).ok());
  ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(
      f_.MakeEnterprise(8, "滁州辛光伏有限公司", {"chains/pv/nodes/modules"},
                        {reg::ENTERPRISE_LABEL_SPECIALIZED}, 70'000'000, "2019-01-01")));
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::GeneratePayouts, req, &resp).ok());
  EXPECT_EQ(resp.created_size(), 1);
  EXPECT_EQ(resp.payout_list_size(), 3);
  EXPECT_EQ(resp.payout_total_yuan(), 400'000 + 450'000 + 300'000);
  EXPECT_EQ(Claims(item.name(), "automatic = true").size(), 4u);

  // Only AUTOMATIC items have payout lists.
  const v1::PolicyItem fast = CreateItem(f_.Admin(), policy, ItemBody(policy, "fast", v1::FAST));
  req.set_item(fast.name());
  EXPECT_EQ(f_.Admin().Status(&SupportStub::GeneratePayouts, req).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// A large item's answer lists the first 1,000 claims and counts them all; the ledger pages
// through every one.
TEST_F(SupportPolicies, ALargePayoutListIsCountedWholeAndListedCutShort) {
  constexpr int kFirms = 1050;
  for (int i = 0; i < kFirms; ++i) {
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(
        f_.MakeEnterprise(1000 + i, absl::StrCat("滁州光伏配套企业", i), {"chains/pv/nodes/modules"},
                          {reg::ENTERPRISE_LABEL_SPECIALIZED}, 70'000'000, "2019-01-01")));
  }
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item =
      CreateItem(f_.Admin(), policy, ItemBody(policy, "auto", v1::AUTOMATIC));
  v1::GeneratePayoutsRequest req;
  req.set_item(item.name());
  v1::GeneratePayoutsResponse resp;
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::GeneratePayouts, req, &resp).ok());
  EXPECT_EQ(resp.created_count(), kFirms);
  EXPECT_EQ(resp.created_size(), 1000);
  EXPECT_EQ(resp.payout_count(), kFirms);
  EXPECT_EQ(resp.payout_list_size(), 1000);
  EXPECT_EQ(resp.payout_total_yuan(), int64_t{300'000} * kFirms);

  std::set<std::string> listed;
  v1::ListClaimsRequest list;
  list.set_parent(item.name());
  list.set_filter("state = \"APPROVED\"");
  list.set_page_size(400);
  do {
    v1::ListClaimsResponse page;
    ASSERT_TRUE(f_.Department("czj")(&SupportStub::ListClaims, list, &page).ok());
    for (const v1::Claim& c : page.claims()) listed.insert(c.name());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(listed.size(), static_cast<size_t>(kFirms));
}

TEST_F(SupportPolicies, TheDailyRunMakesPayoutListsForOpenAutomaticItemsOnlyAndOnlyOnce) {
  ASSERT_NO_FATAL_FAILURE(AddCity());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem open =
      CreateItem(f_.Admin(), policy, ItemBody(policy, "open", v1::AUTOMATIC));
  v1::PolicyItem closed = ItemBody(policy, "closed", v1::AUTOMATIC);
  closed.set_close_date("2026-05-31");
  CreateItem(f_.Admin(), policy, closed);
  CreateItem(f_.Admin(), policy, ItemBody(policy, "fast", v1::FAST));

  auto made = f_.service().RunAutomaticPayouts();
  ASSERT_TRUE(made.ok()) << made.status();
  EXPECT_EQ(*made, 3);
  EXPECT_EQ(Claims(open.name()).size(), 3u);
  EXPECT_EQ(Claims(policy.name() + "/items/closed").size(), 0u);
  EXPECT_EQ(Claims(policy.name() + "/items/fast").size(), 0u);
  EXPECT_EQ(Claims("policies/-/items/-", "state = APPROVED").size(), 3u);
  EXPECT_EQ(Claims(policy.name() + "/items/-", "automatic = true").size(), 3u);
  EXPECT_EQ(Claims(policy.name() + "/items/-", "enterprise = " + Ent('A')).size(), 1u);
  v1::ListClaimsRequest bad;
  bad.set_parent("policies/-/items/open");
  EXPECT_TRUE(NamesField(f_.Admin().Status(&SupportStub::ListClaims, bad), "parent"));

  made = f_.service().RunAutomaticPayouts();
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(*made, 0);
  EXPECT_EQ(EventsOfType("payout.list_ready").size(), 1u);
  // Audited as the service itself.
  const auto audit = AuditRowsOf(f_.Admin(), "resource = \"" + open.name() + "\"");
  ASSERT_EQ(audit.size(), 2u);  // its creation, then the list
  EXPECT_EQ(audit[0].principal(), "systems/support");
}

// --- Figures -----------------------------------------------------------------------------------

// Budget 1,000,000 for 2026. Applied 3-02: A, C, G. Approved 3-10: A at 300,000, C at 104,000;
// G pending. Paid A on 3-20 and C on 3-31. As of 3-31: paid 404,000 = 40.4% of the budget with
// 90/365 = 24.66% of the year gone (Hefei's figure); days to pay (18 + 29) / 2 = 23.5; B
// qualifies and holds no claim: 1 qualified but unpaid, 300,000.
TEST_F(SupportPolicies, TheFiguresOfAYearMatchTheHandComputedCase) {
  f_.TearDown();
  f_.start_time =
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), absl::FixedTimeZone(8 * 3600));
  ASSERT_NO_FATAL_FAILURE(f_.SetUp());
  ASSERT_NO_FATAL_FAILURE(AddCity({'A', 'B', 'C', 'E', 'G'}));
  const v1::Policy policy = CreatePolicy(f_.Admin());
  v1::PolicyItem body = ItemBody(policy, "a", v1::FAST);
  body.set_eligibility("chain = pv AND label = SPECIALIZED");
  body.clear_bonuses();
  body.set_cap_yuan(0);
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, body);
  v1::Claim a;
  v1::Claim c;
  v1::Claim g;
  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('A'), &a).ok());
  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('C'), &c).ok());
  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('G'), &g).ok());
  SetDate(2026, 3, 10);
  ASSERT_TRUE(Decide(f_.Admin(), a.name(), true, 0, "", &a).ok());
  ASSERT_TRUE(Decide(f_.Admin(), c.name(), true, 104'000, "", &c).ok());
  SetDate(2026, 3, 20);
  ASSERT_TRUE(Pay(f_.Admin(), a.name(), 300'000, "2026-03-20", &a).ok());
  SetDate(2026, 3, 31);
  ASSERT_TRUE(Pay(f_.Admin(), c.name(), 104'000, "2026-03-31", &c).ok());

  v1::SummarizePayoutsRequest req;
  req.set_scope(item.name());
  req.set_year(2026);
  v1::PayoutSummary s;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizePayouts, req, &s).ok());
  EXPECT_EQ(s.as_of(), "2026-03-31");
  EXPECT_EQ(s.budget_yuan(), 1'000'000);
  EXPECT_EQ(s.paid_yuan(), 404'000);
  EXPECT_EQ(s.approved_yuan(), 404'000);
  EXPECT_EQ(s.claims(), 3);
  EXPECT_EQ(s.paid_claims(), 2);
  EXPECT_EQ(s.pending_claims(), 1);
  EXPECT_DOUBLE_EQ(s.paid_share_of_budget(), 0.404);
  EXPECT_DOUBLE_EQ(s.elapsed_share_of_year(), 90.0 / 365);
  EXPECT_NEAR(s.elapsed_share_of_year(), 0.2466, 0.0001);
  EXPECT_NEAR(s.gap_to_elapsed(), 0.404 - 0.2466, 0.0001);
  EXPECT_DOUBLE_EQ(s.avg_days_to_pay(), 23.5);
  EXPECT_EQ(s.qualified_unpaid(), 1);
  EXPECT_EQ(s.qualified_unpaid_yuan(), 300'000);

  // The policy and everything give the same here; another department's items are none; 2025
  // has no budget.
  req.set_scope(policy.name());
  v1::PayoutSummary by_policy;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizePayouts, req, &by_policy).ok());
  EXPECT_EQ(by_policy.paid_yuan(), 404'000);
  req.set_scope("");
  req.set_department("departments/jxj");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizePayouts, req, &s).ok());
  EXPECT_EQ(s.budget_yuan(), 0);
  EXPECT_EQ(s.claims(), 0);
  req.set_department("");
  req.set_year(2025);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizePayouts, req, &s).ok());
  EXPECT_EQ(s.budget_yuan(), 0);
  EXPECT_EQ(s.paid_yuan(), 0);
  req.set_year(1999);
  EXPECT_TRUE(NamesField(f_.Viewer().Status(&SupportStub::SummarizePayouts, req), "year"));
}

// --- Import ------------------------------------------------------------------------------------

TEST_F(SupportPolicies, ImportedItemsAreAllCheckedBeforeAnyIsStored) {
  const v1::Policy policy = CreatePolicy(f_.Department("jxj"));
  const std::string header =
      "policy,item,title,eligibility,standard,base_amount_yuan,bonuses,cap_yuan,open_date,"
      "close_date,department,lane,time_limit_working_days,budget_yuan\n";
  const std::string good =
      policy.name() +
      ",auto,免申即享奖励,\"label = \"\"SPECIALIZED\"\" AND annual_output_yuan >= "
      "50000000\",一次性奖励"
      "30万元,300000,\"label = \"\"HEAD\"\" => 200000 头部企业 | annual_output_yuan >= 100000000 "
      "=> "
      "150000\",450000,2026-01-01,2026-12-31,departments/czj,automatic,,1000000\n" +
      policy.name() +
      ",fast,快申快享补贴,chain = pv,补贴10万元,100000,,0,,,departments/czj,FAST,10,500000\n";
  auto import = [&](const SupportCaller& as, const std::vector<std::string>& chunks,
                    bool validate_only = false) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + as.token());
    v1::ImportRowsResponse resp;
    auto writer = f_.stub().ImportPolicyItems(&ctx, &resp);
    for (const std::string& chunk : chunks) {
      v1::ImportRowsRequest msg;
      msg.set_csv(chunk);
      msg.set_validate_only(validate_only);
      EXPECT_TRUE(writer->Write(msg));
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  };
  auto count = [&] {
    v1::ListPolicyItemsRequest req;
    req.set_parent(policy.name());
    v1::ListPolicyItemsResponse resp;
    EXPECT_TRUE(f_.Viewer()(&SupportStub::ListPolicyItems, req, &resp).ok());
    return resp.items_size();
  };

  v1::ImportRowsResponse checked = import(f_.Department("jxj"), {header, good}, true);
  EXPECT_EQ(checked.rows(), 2);
  EXPECT_EQ(checked.created(), 2);
  EXPECT_TRUE(checked.errors().empty());
  EXPECT_EQ(count(), 0);

  const std::string bad =
      policy.name() + ",bad,坏行,label = BIG,,100,,0,,,departments/czj,FAST,0,0\n" + policy.name() +
      ",bad2,坏行2,chain = pv,,-5,chain = pv => many,0,,,departments/czj,RARE,,\n";
  v1::ImportRowsResponse refused = import(f_.Department("jxj"), {header + good, bad});
  EXPECT_EQ(refused.rows(), 4);
  EXPECT_EQ(refused.created(), 0);
  EXPECT_THAT(
      refused.errors(),
      ::testing::IsSupersetOf({HasSubstr("line 4: eligibility: label must be one of"),
                               HasSubstr("line 4: time_limit_working_days: must be 1-60"),
                               HasSubstr("line 5: base_amount_yuan: must not be negative"),
                               HasSubstr("line 5: bonuses[0]: the amount after =>"),
                               HasSubstr("line 5: lane: must be AUTOMATIC, FAST or SPECIAL")}));
  EXPECT_EQ(count(), 0);

  v1::ImportRowsResponse stored = import(f_.Department("jxj"), {header + good});
  EXPECT_EQ(stored.created(), 2);
  EXPECT_EQ(count(), 2);
  v1::GetPolicyItemRequest get;
  get.set_name(policy.name() + "/items/auto");
  v1::PolicyItem item;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetPolicyItem, get, &item).ok());
  EXPECT_EQ(item.eligibility(), "label = \"SPECIALIZED\" AND annual_output_yuan >= 50000000");
  EXPECT_EQ(item.lane(), v1::AUTOMATIC);
  ASSERT_EQ(item.bonuses_size(), 2);
  EXPECT_EQ(item.bonuses(0).when(), "label = \"HEAD\"");
  EXPECT_EQ(item.bonuses(0).amount_yuan(), 200'000);
  EXPECT_EQ(item.bonuses(0).note(), "头部企业");
  EXPECT_EQ(item.bonuses(1).amount_yuan(), 150'000);

  // The same file again changes nothing; another department may not import into jxj's policy.
  v1::ImportRowsResponse again = import(f_.Department("jxj"), {header + good});
  EXPECT_EQ(again.created(), 0);
  EXPECT_EQ(again.unchanged(), 2);
  v1::ImportRowsResponse foreign = import(f_.Department("czj"), {header + good});
  ASSERT_EQ(foreign.errors_size(), 2);
  EXPECT_THAT(foreign.errors(0), HasSubstr("line 2: policy: "));

  // A header that lacks columns refuses the whole call.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + f_.Admin().token());
  v1::ImportRowsResponse ignored;
  auto writer = f_.stub().ImportPolicyItems(&ctx, &ignored);
  v1::ImportRowsRequest msg;
  msg.set_csv("policy,item,title\n");
  writer->Write(msg);
  writer->WritesDone();
  grpc::Status headless = writer->Finish();
  EXPECT_TRUE(NamesField(headless, "csv")) << headless.error_message();
  EXPECT_THAT(headless.error_message(), HasSubstr("column \"eligibility\" is required"));
}

TEST_F(SupportPolicies, TheShippedSampleItemsImportAndMatchTheirLanes) {
  std::ifstream in(std::string(CHAINHUB_SOURCE_DIR) + "/data/support/policy-items.csv");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const std::string csv =
      absl::StrReplaceAll(text.str(), {{"policies/replace-with-policy-id", policy.name()}});
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + f_.Admin().token());
  v1::ImportRowsResponse resp;
  auto writer = f_.stub().ImportPolicyItems(&ctx, &resp);
  v1::ImportRowsRequest msg;
  msg.set_csv(csv);
  ASSERT_TRUE(writer->Write(msg));
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(resp.errors(), ::testing::IsEmpty());
  EXPECT_EQ(resp.created(), 3);
  v1::ListPolicyItemsRequest list;
  list.set_parent(policy.name());
  v1::ListPolicyItemsResponse items;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListPolicyItems, list, &items).ok());
  std::set<v1::Lane> lanes;
  for (const auto& item : items.items()) lanes.insert(item.lane());
  EXPECT_EQ(lanes, (std::set<v1::Lane>{v1::AUTOMATIC, v1::FAST, v1::SPECIAL}));
}

// --- The calendar ------------------------------------------------------------------------------

TEST_F(SupportPolicies, AFastDecisionDeadlineCountsInTheCalendarAnAdminPut) {
  ASSERT_NO_FATAL_FAILURE(AddCity({'A'}));
  // A holiday on Tuesday 16 June besides 端午节 on Friday 19 June.
  v1::PutCalendarRequest put;
  v1::CalendarDay* extra = put.mutable_calendar()->add_days();
  extra->set_date("2026-06-16");
  extra->set_name("示例假日");
  v1::CalendarDay* dragon = put.mutable_calendar()->add_days();
  dragon->set_date("2026-06-19");
  dragon->set_name("端午节");
  v1::Calendar calendar;
  ASSERT_TRUE(f_.Admin()(&SupportStub::PutCalendar, put, &calendar).ok());
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));
  v1::Claim claim;
  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('A'), &claim).ok());
  // 06-17, 06-18, 06-22, 06-23, 06-24.
  EXPECT_EQ(claim.decide_by(), "2026-06-24");
}

// --- Who may -----------------------------------------------------------------------------------

TEST_F(SupportPolicies, OnlyAdminsAndTheIssuingDepartmentWritePoliciesAndEveryRoleReadsThem) {
  ASSERT_NO_FATAL_FAILURE(AddCity({'A'}));
  const v1::Policy policy = CreatePolicy(f_.Department("jxj"));
  const v1::PolicyItem item =
      CreateItem(f_.Department("jxj"), policy, ItemBody(policy, "a", v1::FAST));
  v1::CreatePolicyRequest other;
  other.mutable_policy()->set_title("冒名政策");
  other.mutable_policy()->set_department("departments/jxj");
  other.mutable_policy()->set_issue_date("2026-01-01");
  const auto denied = grpc::StatusCode::PERMISSION_DENIED;
  EXPECT_EQ(f_.Department("czj").Status(&SupportStub::CreatePolicy, other).error_code(), denied);
  EXPECT_EQ(f_.ChainOffice("pv").Status(&SupportStub::CreatePolicy, other).error_code(), denied);
  EXPECT_EQ(f_.Viewer().Status(&SupportStub::CreatePolicy, other).error_code(), denied);

  v1::CreatePolicyItemRequest add;
  add.set_parent(policy.name());
  *add.mutable_item() = ItemBody(policy, "b", v1::FAST);
  EXPECT_EQ(f_.Department("czj").Status(&SupportStub::CreatePolicyItem, add).error_code(), denied);
  v1::UpdatePolicyItemRequest update;
  update.mutable_item()->set_name(item.name());
  update.mutable_item()->set_title("改名");
  update.mutable_update_mask()->add_paths("title");
  EXPECT_EQ(f_.Department("czj").Status(&SupportStub::UpdatePolicyItem, update).error_code(),
            denied);

  const SupportCaller province = f_.As(MintTestToken("systems/province", {"province"}));
  for (const SupportCaller& reader : {f_.Viewer(), province}) {
    v1::GetPolicyRequest get;
    get.set_name(policy.name());
    EXPECT_TRUE(reader.Status(&SupportStub::GetPolicy, get).ok());
    v1::ListPolicyItemsRequest list;
    list.set_parent("policies/-");
    EXPECT_TRUE(reader.Status(&SupportStub::ListPolicyItems, list).ok());
    v1::SummarizePayoutsRequest figures;
    figures.set_year(2026);
    EXPECT_TRUE(reader.Status(&SupportStub::SummarizePayouts, figures).ok());
    // Matching and the ledger show enterprises' facts.
    v1::MatchPolicyItemRequest match;
    match.set_item(item.name());
    EXPECT_EQ(reader.Status(&SupportStub::MatchPolicyItem, match).error_code(), denied);
    v1::MatchEnterpriseRequest who;
    who.set_enterprise(Ent('A'));
    EXPECT_EQ(reader.Status(&SupportStub::MatchEnterprise, who).error_code(), denied);
    v1::ListClaimsRequest claims;
    claims.set_parent("policies/-/items/-");
    EXPECT_EQ(reader.Status(&SupportStub::ListClaims, claims).error_code(), denied);
    v1::Claim ignored;
    EXPECT_EQ(Apply(reader, item.name(), Ent('A'), &ignored).error_code(), denied);
  }

  // A chain office applies for its own chains' enterprises only; a department that neither pays
  // nor issued the item does not decide.
  v1::Claim claim;
  EXPECT_EQ(Apply(f_.ChainOffice("nev"), item.name(), Ent('A'), &claim).error_code(), denied);
  ASSERT_TRUE(Apply(f_.ChainOffice("pv"), item.name(), Ent('A'), &claim).ok());
  v1::Claim ignored;
  EXPECT_EQ(Decide(f_.Department("kjj"), claim.name(), true, 0, "", &ignored).error_code(), denied);
  EXPECT_EQ(Decide(f_.ChainOffice("pv"), claim.name(), true, 0, "", &ignored).error_code(), denied);
  EXPECT_TRUE(Decide(f_.Department("jxj"), claim.name(), true, 0, "", &ignored).ok());
  v1::GeneratePayoutsRequest generate;
  generate.set_item(item.name());
  EXPECT_EQ(f_.Department("kjj").Status(&SupportStub::GeneratePayouts, generate).error_code(),
            denied);
}

// --- Hostile input -----------------------------------------------------------------------------

class SupportPoliciesHostileInput : public SupportPolicies {
 protected:
  std::string Snapshot() {
    return TableRows(*f_.store(), {"support_policies", "support_policy_chains",
                                   "support_policy_items", "support_claims", "audit_events"});
  }
};

// The hostile catalogue (tests/support/hostile_input.h) against every method of this part: every
// call ends in a proper refusal or an ordinary answer to a read, and nothing is stored.
TEST_F(SupportPoliciesHostileInput, EveryPolicyMethodRefusesHostileInputAndChangesNothing) {
  ASSERT_NO_FATAL_FAILURE(AddCity({'A'}));
  const v1::Policy policy = CreatePolicy(f_.Admin());
  CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));
  const std::string before = Snapshot();

  const std::set<std::string> methods = {
      "CreatePolicy",    "GetPolicy",       "ListPolicies",     "CreatePolicyItem",
      "GetPolicyItem",   "ListPolicyItems", "UpdatePolicyItem", "ImportPolicyItems",
      "MatchPolicyItem", "MatchEnterprise", "GeneratePayouts",  "ApplyForItem",
      "DecideClaim",     "RecordPayment",   "ListClaims",       "SummarizePayouts"};
  const auto* service = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      "chainhub.support.v1.ChainSupport");
  ASSERT_NE(service, nullptr);
  grpc::GenericStub stub(grpc::CreateChannel(f_.target(), grpc::InsecureChannelCredentials()));
  const std::string token = MintTestToken("systems/test-admin", {"admin"});
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  google::protobuf::LogSilencer silence;
  int calls = 0;
  for (int i = 0; i < service->method_count(); ++i) {
    const auto& m = *service->method(i);
    if (!methods.contains(m.name())) continue;
    const std::string path = absl::StrCat("/", service->full_name(), "/", m.name());
    const google::protobuf::Message* prototype = factory->GetPrototype(m.input_type());
    for (const std::string& junk : {std::string("\xff\xff\xff\xff"), std::string("\x0a\xff")}) {
      CheckHostileOutcome(m, CallRaw(stub, path, token, {junk}), "", m.name() + " junk");
      ++calls;
    }
    const std::vector<std::string> catalogue = HostileStrings();
    for (size_t v = 0; v < catalogue.size(); ++v) {
      std::unique_ptr<google::protobuf::Message> req(prototype->New());
      FillAllStrings(req.get(), catalogue[v]);
      CheckHostileOutcome(m, CallRaw(stub, path, token, {req->SerializeAsString()}), catalogue[v],
                          absl::StrCat(m.name(), " catalogue ", v, " everywhere"));
      ++calls;
      for (const FieldPath& field : StringPaths(m.input_type())) {
        std::unique_ptr<google::protobuf::Message> one(prototype->New());
        internal::ReplaceStringAt(one.get(), field, catalogue[v]);
        CheckHostileOutcome(m, CallRaw(stub, path, token, {one->SerializeAsString()}), catalogue[v],
                            absl::StrCat(m.name(), " catalogue ", v, " in ", PathText(field)));
        ++calls;
      }
    }
  }
  EXPECT_GT(calls, 500);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SupportPoliciesHostileInput, EveryTextAndNumberFieldIsCheckedNamingTheField) {
  ASSERT_NO_FATAL_FAILURE(AddCity({'A'}));
  const v1::Policy policy = CreatePolicy(f_.Admin());
  const v1::PolicyItem item = CreateItem(f_.Admin(), policy, ItemBody(policy, "a", v1::FAST));
  v1::Claim claim;
  ASSERT_TRUE(Apply(f_.Admin(), item.name(), Ent('A'), &claim).ok());
  auto admin = f_.Admin();

  v1::CreatePolicyRequest create_policy;
  create_policy.mutable_policy()->set_title("政策");
  create_policy.mutable_policy()->set_document_number("滁政〔2026〕1号");
  create_policy.mutable_policy()->set_department("departments/jxj");
  create_policy.mutable_policy()->set_issue_date("2026-01-01");
  create_policy.mutable_policy()->add_chains("chains/pv");
  create_policy.set_request_id("p-text");
  ExpectEveryTextFieldChecked(admin, &SupportStub::CreatePolicy, create_policy);

  v1::CreatePolicyItemRequest create_item;
  create_item.set_parent(policy.name());
  *create_item.mutable_item() = ItemBody(policy, "text", v1::FAST);
  create_item.set_request_id("i-text");
  ExpectEveryTextFieldChecked(admin, &SupportStub::CreatePolicyItem, create_item);
  ExpectEveryNumberFieldChecked(admin, &SupportStub::CreatePolicyItem, create_item);

  v1::ApplyForItemRequest apply;
  apply.set_item(item.name());
  apply.set_enterprise(Ent('A'));
  apply.set_note("申报");
  apply.set_request_id("a-text");
  ExpectEveryTextFieldChecked(admin, &SupportStub::ApplyForItem, apply);

  v1::DecideClaimRequest decide;
  decide.set_name(claim.name());
  decide.set_approve(false);
  decide.set_note("材料不全");
  decide.set_etag("stale");
  ExpectEveryTextFieldChecked(admin, &SupportStub::DecideClaim, decide, {"etag"});
  decide.set_approve(true);
  decide.set_approved_yuan(1);
  ExpectEveryNumberFieldChecked(admin, &SupportStub::DecideClaim, decide);

  v1::RecordPaymentRequest pay;
  pay.set_name(claim.name());
  pay.set_paid_yuan(1);
  pay.set_paid_date("2026-06-15");
  pay.set_etag("stale");
  ExpectEveryTextFieldChecked(admin, &SupportStub::RecordPayment, pay, {"etag"});
  ExpectEveryNumberFieldChecked(admin, &SupportStub::RecordPayment, pay);

  NumberRules reads;
  reads.writes_nothing = true;
  v1::SummarizePayoutsRequest figures;
  figures.set_year(2026);
  ExpectEveryNumberFieldChecked(admin, &SupportStub::SummarizePayouts, figures, reads);
  v1::MatchPolicyItemRequest match;
  match.set_item(item.name());
  match.set_page_size(10);
  ExpectEveryNumberFieldChecked(admin, &SupportStub::MatchPolicyItem, match, reads);
}

}  // namespace
}  // namespace chainhub::testing
