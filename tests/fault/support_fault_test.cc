// Fault test on the real chainhub-support binary, beside a real chainhub-registry and
// redis-server: clients stream acknowledged writes (requests accepted with a request_id, claims
// applied for with a request_id, supplier spend reported) while the process is killed with
// SIGKILL at random moments and restarted on the same data dir, each client retrying what was not
// acknowledged with the same request_id. Afterwards every acknowledged write is there exactly once
// (a retry returns the resource it first made), every accepted request's request.created event is
// on the stream once, and the enterprise copy's consumer picked up what the registry created while
// support was dead.
#include <algorithm>
#include <atomic>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "chainhub/support/v1/support.grpc.pb.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "tests/support/events_util.h"
#include "tests/support/fault_stack.h"
#include "tests/support/intake_fixture.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace rv1 = registry::v1;
namespace sv1 = support::v1;

constexpr char kGroup[] = "support";
// Enterprises on chains/pv the registry has before support first starts (its backfill copies
// them); each reports spend and applies for each item.
constexpr int kFirms = 12;
// FAST policy items every firm qualifies for.
constexpr int kItems = 30;
// Periods each firm reports spend for: 2025-01 .. 2026-12.
constexpr int kPeriods = 24;
// SIGKILLs, each once the process has acknowledged some writes, at a random moment after.
constexpr int kKills = 8;

std::string FirmName(int n) { return "enterprises/" + TestCreditCode("341100", 100 + n); }
// An enterprise the registry makes while support is dead (round n).
std::string LateFirmName(int n) { return "enterprises/" + TestCreditCode("341100", 900 + n); }

// One event on the stream.
struct StreamEvent {
  std::string entry_id;
  CloudEvent event;
};

std::vector<StreamEvent> ReadStream(RedisClient& redis) {
  std::vector<StreamEvent> out;
  auto reply = redis.Command({"XRANGE", std::string(kEventStream), "-", "+"});
  if (!reply.ok()) return out;
  for (const auto& entry : reply->elements) {
    if (entry.elements.size() < 2) continue;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str != "event") continue;
      StreamEvent e;
      e.entry_id = entry.elements[0].str;
      if (e.event.ParseFromString(fields[i + 1].str)) out.push_back(std::move(e));
    }
  }
  return out;
}

// The support group's pending count and lag (-1 while unknown); found=false without the group.
struct GroupInfo {
  bool found = false;
  int64_t pending = -1;
  int64_t lag = -1;
};

GroupInfo ReadGroup(RedisClient& redis) {
  GroupInfo info;
  auto reply = redis.Command({"XINFO", "GROUPS", std::string(kEventStream)});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray) return info;
  for (const auto& group : reply->elements) {
    std::map<std::string, const RedisReply*> fields;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      fields[group.elements[i].str] = &group.elements[i + 1];
    }
    if (!fields.contains("name") || fields["name"]->str != kGroup) continue;
    info.found = true;
    if (fields.contains("pending")) info.pending = fields["pending"]->integer;
    if (fields.contains("lag") && fields["lag"]->type == RedisReply::Type::kInteger) {
      info.lag = fields["lag"]->integer;
    }
  }
  return info;
}

// Statuses a client sees while the process is dead or dies under the call: retried with the same
// request. Anything else is an answer (and, here, a failure).
bool Retryable(const grpc::Status& s) {
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
      return true;
    default:
      return false;
  }
}

// The bodies of the writes. Op n of each kind is the same message on every attempt.
sv1::CreateRequestRequest RequestOp(int n) {
  sv1::CreateRequestRequest req;
  sv1::Request* r = req.mutable_request();
  r->set_enterprise(FirmName(n % kFirms));
  r->set_chain("chains/pv");
  r->set_title(absl::StrCat("故障测试诉求", n));
  r->set_description("二期厂房用地指标尚未落实，需协调。");
  r->set_channel(sv1::HOTLINE);
  r->add_tags("用地");
  r->set_tier(sv1::CITY);
  req.set_request_id(absl::StrFormat("fault-request-%05d", n));
  return req;
}

// Firm n % kFirms applies for item n / kFirms of `policy`.
sv1::ApplyForItemRequest ClaimOp(const std::string& policy, int n) {
  sv1::ApplyForItemRequest req;
  req.set_item(absl::StrCat(policy, "/items/item-", n / kFirms));
  req.set_enterprise(FirmName(n % kFirms));
  req.set_note(absl::StrCat("故障测试申报", n));
  req.set_request_id(absl::StrFormat("fault-claim-%05d", n));
  return req;
}

// Firm n % kFirms's spend for month n / kFirms: lines whose amounts make a total of
// SpendTotal(n).
sv1::ReportSupplierSpendRequest SpendOp(int n) {
  sv1::ReportSupplierSpendRequest req;
  sv1::SupplierSpend* s = req.mutable_spend();
  s->set_chain("chains/pv");
  s->set_reporter(FirmName(n % kFirms));
  const int month = n / kFirms;
  s->set_period(absl::StrFormat("%d-%02d", 2025 + month / 12, month % 12 + 1));
  for (int line = 0; line < 3; ++line) {
    sv1::SpendLine* l = s->add_lines();
    l->set_supplier_credit_code(TestCreditCode(line == 0 ? "341122" : "320500", 5000 + line));
    l->set_amount_yuan((n + 1) * 1000 + line);
  }
  return req;
}

int64_t SpendTotal(int n) { return 3 * (n + 1) * 1000 + 3; }

// The x-request-id of attempt `attempt` of op `n` of `kind`: the audit trail names the attempt
// whose write was committed.
std::string CallId(const std::string& kind, int n, int attempt) {
  return absl::StrCat(kind, "-", n, "-", attempt);
}

// What one client had acknowledged: op number → the resource name the acknowledgement carried.
struct Acked {
  absl::Mutex mu;
  std::map<int, std::string> names ABSL_GUARDED_BY(mu);
  // The x-request-id of the attempt that was acknowledged.
  std::map<int, std::string> call_ids ABSL_GUARDED_BY(mu);
  int retries ABSL_GUARDED_BY(mu) = 0;
  int Count() {
    absl::MutexLock lock(&mu);
    return static_cast<int>(names.size());
  }
  int Retries() {
    absl::MutexLock lock(&mu);
    return retries;
  }
  std::map<int, std::string> Names() {
    absl::MutexLock lock(&mu);
    return names;
  }
  std::map<int, std::string> CallIds() {
    absl::MutexLock lock(&mu);
    return call_ids;
  }
};

// redis, a registry with departments/fgw, chains/pv with a node and kFirms enterprises on it, and
// a chainhub-support process (made, started by the test) with --registry_target.
class SupportFault : public FaultStackTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FaultStackTest::SetUp());
    rv1::CreateDepartmentRequest dept;
    dept.set_department_id("fgw");
    dept.mutable_department()->set_display_name("市发展和改革委员会");
    grpc::Status s = Registry().Status(&RegistryStub::CreateDepartment, dept);
    ASSERT_TRUE(s.ok()) << s.error_message();
    rv1::CreateChainRequest chain;
    chain.set_chain_id("pv");
    chain.mutable_chain()->set_display_name("光伏");
    chain.mutable_chain()->set_status(rv1::CHAIN_STATUS_ACTIVE);
    chain.mutable_chain()->set_lead_department("departments/fgw");
    s = Registry().Status(&RegistryStub::CreateChain, chain);
    ASSERT_TRUE(s.ok()) << s.error_message();
    rv1::CreateNodeRequest node;
    node.set_parent("chains/pv");
    node.set_node_id("cells");
    node.mutable_node()->set_display_name("电池片");
    node.mutable_node()->set_segment(rv1::SEGMENT_MIDSTREAM);
    s = Registry().Status(&RegistryStub::CreateNode, node);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (int n = 0; n < kFirms; ++n) {
      s = CreateEnterprise(FirmName(n), absl::StrCat("滁州故障光伏", n, "有限公司"));
      ASSERT_TRUE(s.ok()) << FirmName(n) << ": " << s.error_message();
    }

    std::vector<std::string> args = common_;
    args.push_back("--registry_target=" + registry_->address());
    support_ = std::make_unique<ServiceProcess>(dir_, "support",
                                                "services/support/chainhub-support", args);
  }

  void TearDown() override {
    if (support_ != nullptr) support_->Terminate();
    if (registry_ != nullptr) registry_->Terminate();
  }

  RegistryCaller Registry() { return RegistryCaller(*registry_stub_, token_); }

  grpc::Status CreateEnterprise(const std::string& name, const std::string& display_name) {
    rv1::CreateEnterpriseRequest req;
    rv1::Enterprise* e = req.mutable_enterprise();
    e->set_credit_code(name.substr(std::string("enterprises/").size()));
    e->set_display_name(display_name);
    e->set_county("琅琊区");
    e->set_annual_output_yuan(80'000'000);
    e->add_memberships("chains/pv/nodes/cells");
    return Registry().Status(&RegistryStub::CreateEnterprise, req);
  }

  // Starts support and points every client at it.
  void StartSupport() {
    ASSERT_NO_FATAL_FAILURE(support_->Start());
    absl::MutexLock lock(&stub_mu_);
    stub_ = sv1::ChainSupport::NewStub(support_->channel());
  }

  std::shared_ptr<SupportStub> Stub() {
    absl::MutexLock lock(&stub_mu_);
    return stub_;
  }

  SupportCaller Support() { return SupportCaller(*Stub(), token_); }

  // Whether `enterprise` is in support's copy (MatchEnterprise finds it) and qualifies for every
  // item.
  bool InCopy(const std::string& enterprise) {
    sv1::MatchEnterpriseRequest req;
    req.set_enterprise(enterprise);
    sv1::MatchEnterpriseResponse resp;
    return Support()(&SupportStub::MatchEnterprise, req, &resp).ok() &&
           resp.matches_size() == kItems;
  }

  // A client: ops 0, 1, … of one kind, `pace` apart, each sent until it is acknowledged (the same
  // message every time, attempt k of op n with x-request-id "<kind>-<n>-<k>"), until `stop_` once
  // the op in hand is acknowledged, or after `limit` ops.
  void Client(
      const std::string& kind, int limit, absl::Duration pace,
      const std::function<grpc::Status(SupportStub&, int, const std::string&, std::string*)>& op,
      Acked* acked) {
    const absl::Time deadline = absl::Now() + absl::Seconds(45);
    for (int n = 0; n < limit && !stop_.load(); ++n) {
      absl::SleepFor(pace);
      for (int attempt = 0;; ++attempt) {
        if (give_up_.load()) return;
        std::shared_ptr<SupportStub> stub = Stub();
        const std::string call_id = CallId(kind, n, attempt);
        std::string name;
        const grpc::Status s = op(*stub, n, call_id, &name);
        if (s.ok()) {
          absl::MutexLock lock(&acked->mu);
          acked->names[n] = name;
          acked->call_ids[n] = call_id;
          break;
        }
        if (!Retryable(s) || absl::Now() > deadline) {
          ADD_FAILURE() << kind << " " << n << ": " << s.error_code() << " " << s.error_message();
          failed_ = true;
          give_up_ = true;
          return;
        }
        {
          absl::MutexLock lock(&acked->mu);
          ++acked->retries;
        }
        absl::SleepFor(absl::Milliseconds(20));
      }
    }
  }

  std::unique_ptr<ServiceProcess> support_;
  absl::Mutex stub_mu_;
  std::shared_ptr<SupportStub> stub_ ABSL_GUARDED_BY(stub_mu_);
  std::atomic<bool> stop_{false};
  // give_up_: every client returns at once; failed_: one met an answer that is not an
  // acknowledgement or a dead process.
  std::atomic<bool> give_up_{false};
  std::atomic<bool> failed_{false};
};

TEST_F(SupportFault, KillNineWhileWritesStreamInLosesNoAcknowledgedWriteAndDoublesNone) {
  ASSERT_NO_FATAL_FAILURE(StartSupport());
  // The first start copies the registry's enterprises; wait for it, then make the items.
  sv1::CreatePolicyRequest policy;
  policy.mutable_policy()->set_title("滁州市支持光伏产业高质量发展若干政策");
  policy.mutable_policy()->set_department("departments/jxj");
  policy.mutable_policy()->set_issue_date("2026-01-10");
  policy.mutable_policy()->add_chains("chains/pv");
  policy.set_request_id("fault-policy");
  sv1::Policy made_policy;
  grpc::Status s = Support()(&SupportStub::CreatePolicy, policy, &made_policy);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (int i = 0; i < kItems; ++i) {
    sv1::CreatePolicyItemRequest req;
    req.set_parent(made_policy.name());
    sv1::PolicyItem* item = req.mutable_item();
    item->set_name(absl::StrCat(made_policy.name(), "/items/item-", i));
    item->set_title(absl::StrCat("光伏企业奖励", i));
    item->set_eligibility("chain = \"pv\"");
    item->set_base_amount_yuan(100'000 * (i + 1));
    item->set_department("departments/czj");
    item->set_lane(sv1::FAST);
    item->set_time_limit_working_days(5);
    sv1::PolicyItem made;
    s = Support()(&SupportStub::CreatePolicyItem, req, &made);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_TRUE(Eventually([&] { return InCopy(FirmName(kFirms - 1)); }, absl::Seconds(20)))
      << "support did not copy the registry's enterprises on its first start";

  Acked requests, claims, spend;
  std::vector<std::thread> clients;
  auto join = [&] {
    for (std::thread& t : clients) {
      if (t.joinable()) t.join();
    }
  };
  // On an early return the clients abandon what they hold.
  absl::Cleanup abandon = [&] {
    stop_ = true;
    give_up_ = true;
    join();
  };
  clients.emplace_back([&] {
    Client(
        "CreateRequest", 100'000, absl::Milliseconds(5),
        [](SupportStub& stub, int n, const std::string& call_id, std::string* name) {
          auto ctx = ContextWithToken(MintTestToken("systems/fault", {"admin"}), call_id);
          sv1::Request r;
          grpc::Status s = stub.CreateRequest(ctx.get(), RequestOp(n), &r);
          *name = r.name();
          return s;
        },
        &requests);
  });
  clients.emplace_back([&] {
    Client(
        "ApplyForItem", kFirms * kItems, absl::Milliseconds(10),
        [&](SupportStub& stub, int n, const std::string& call_id, std::string* name) {
          auto ctx = ContextWithToken(MintTestToken("systems/fault", {"admin"}), call_id);
          sv1::Claim c;
          grpc::Status s = stub.ApplyForItem(ctx.get(), ClaimOp(made_policy.name(), n), &c);
          *name = c.name();
          return s;
        },
        &claims);
  });
  clients.emplace_back([&] {
    Client(
        "ReportSupplierSpend", kFirms * kPeriods, absl::Milliseconds(10),
        [](SupportStub& stub, int n, const std::string& call_id, std::string* name) {
          auto ctx = ContextWithToken(MintTestToken("systems/fault", {"admin"}), call_id);
          sv1::SupplierSpend out;
          grpc::Status s = stub.ReportSupplierSpend(ctx.get(), SpendOp(n), &out);
          *name = out.name();
          return s;
        },
        &spend);
  });

  const unsigned seed = std::random_device()();
  std::cout << "kill timing seed " << seed << std::endl;
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> pause_ms(0, 250);
  auto total = [&] { return requests.Count() + claims.Count() + spend.Count(); };
  for (int round = 0; round < kKills; ++round) {
    // This process acknowledges some writes first, so the kill lands among writes in flight.
    const int before = total();
    ASSERT_TRUE(
        Eventually([&] { return total() >= before + 15 || failed_.load(); }, absl::Seconds(20)))
        << "round " << round << ": no writes acknowledged after the restart";
    ASSERT_FALSE(failed_.load());
    absl::SleepFor(absl::Milliseconds(pause_ms(random)));
    ASSERT_NO_FATAL_FAILURE(support_->Kill9());
    // While support is dead the registry makes an enterprise, which only its consumer can bring.
    s = CreateEnterprise(LateFirmName(round), absl::StrCat("滁州停机期间新设企业", round));
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_NO_FATAL_FAILURE(StartSupport());
  }
  // A few more acknowledged on the last process, then the clients finish the op in hand.
  const int before = total();
  ASSERT_TRUE(
      Eventually([&] { return total() >= before + 15 || failed_.load(); }, absl::Seconds(20)));
  stop_ = true;
  join();
  ASSERT_FALSE(failed_.load()) << "a client failed (above)";
  const std::map<int, std::string> acked_requests = requests.Names();
  const std::map<int, std::string> acked_claims = claims.Names();
  const std::map<int, std::string> acked_spend = spend.Names();
  std::cout << acked_requests.size() << " requests, " << acked_claims.size() << " claims, "
            << acked_spend.size() << " spend reports acknowledged over " << kKills
            << " kills; attempts retried: " << requests.Retries() << ", " << claims.Retries()
            << ", " << spend.Retries() << std::endl;
  // Every client was still writing at the first kill, so it met a dead process at least once.
  EXPECT_GT(requests.Retries(), 0);
  EXPECT_GT(claims.Retries(), 0);
  EXPECT_GT(spend.Retries(), 0);
  const SupportCaller as = Support();

  // Requests: each acknowledged one listed once, nothing else; a retry returns the same request.
  std::map<std::string, int> listed;
  sv1::ListRequestsRequest list;
  list.set_page_size(1000);
  do {
    sv1::ListRequestsResponse page;
    s = as(&SupportStub::ListRequests, list, &page);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& r : page.requests()) listed[r.name()]++;
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  std::set<std::string> request_names;
  for (const auto& [n, name] : acked_requests) {
    request_names.insert(name);
    EXPECT_EQ(listed[name], 1) << "acknowledged request " << n << " (" << name << ")";
    sv1::Request again;
    s = as(&SupportStub::CreateRequest, RequestOp(n), &again);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(again.name(), name) << "a retry of request " << n << " made another request";
  }
  EXPECT_EQ(request_names.size(), acked_requests.size()) << "two ops acknowledged one request";
  EXPECT_EQ(listed.size(), acked_requests.size()) << "a request no acknowledgement named";

  // Claims: the same, and applying again without the request_id is refused (the claim is there).
  std::map<std::string, sv1::Claim> claims_listed;
  sv1::ListClaimsRequest claim_list;
  claim_list.set_parent("policies/-/items/-");
  claim_list.set_page_size(1000);
  sv1::ListClaimsResponse claim_page;
  s = as(&SupportStub::ListClaims, claim_list, &claim_page);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(claim_page.next_page_token().empty());
  for (const auto& c : claim_page.claims()) claims_listed[c.name()] = c;
  EXPECT_EQ(claim_page.claims_size(), static_cast<int>(acked_claims.size()));
  for (const auto& [n, name] : acked_claims) {
    EXPECT_EQ(name, absl::StrCat(made_policy.name(), "/items/item-", n / kFirms, "/claims/",
                                 FirmName(n % kFirms).substr(std::string("enterprises/").size())));
    ASSERT_TRUE(claims_listed.contains(name)) << "acknowledged claim " << n << " lost";
    EXPECT_EQ(claims_listed[name].state(), sv1::APPLIED);
    EXPECT_EQ(claims_listed[name].computed_yuan(), 100'000 * (n / kFirms + 1));
    sv1::Claim again;
    s = as(&SupportStub::ApplyForItem, ClaimOp(made_policy.name(), n), &again);
    ASSERT_TRUE(s.ok()) << "claim " << n << " retried: " << s.error_message();
    EXPECT_EQ(again.name(), name);
    EXPECT_EQ(again.etag(), claims_listed[name].etag()) << "a retry changed claim " << n;
    sv1::ApplyForItemRequest fresh = ClaimOp(made_policy.name(), n);
    fresh.clear_request_id();
    EXPECT_EQ(as(&SupportStub::ApplyForItem, fresh, &again).error_code(),
              grpc::StatusCode::ALREADY_EXISTS);
  }

  // Spend: one report per acknowledged (firm, period), with the lines acknowledged.
  std::map<std::string, int64_t> totals;
  sv1::ListSupplierSpendRequest spend_list;
  spend_list.set_parent("chains/pv");
  spend_list.set_page_size(1000);
  sv1::ListSupplierSpendResponse spend_page;
  s = as(&SupportStub::ListSupplierSpend, spend_list, &spend_page);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const auto& report : spend_page.spend()) totals[report.name()] = report.total_yuan();
  EXPECT_EQ(spend_page.spend_size(), static_cast<int>(acked_spend.size()));
  for (const auto& [n, name] : acked_spend) {
    ASSERT_TRUE(totals.contains(name)) << "acknowledged spend report " << n << " lost";
    EXPECT_EQ(totals[name], SpendTotal(n)) << name;
  }

  // The audit trail has each request's and each claim's creation once, written by an attempt of
  // the op that acknowledged it: the acknowledged attempt, or an earlier one whose answer the
  // kill cut off (then the acknowledgement was the replay of the stored response).
  std::map<std::string, std::vector<std::string>> audited;
  for (const auto& row : AuditRowsOf(as, "")) audited[row.resource()].push_back(row.request_id());
  int replayed = 0;
  auto check_audit = [&](const std::string& kind, const std::map<int, std::string>& names,
                         const std::map<int, std::string>& call_ids) {
    for (const auto& [n, name] : names) {
      const std::vector<std::string>& rows = audited[name];
      ASSERT_EQ(rows.size(), 1u) << name << " audited " << rows.size() << " times";
      EXPECT_TRUE(absl::StartsWith(rows[0], absl::StrCat(kind, "-", n, "-")))
          << name << " was written by " << rows[0] << ", not by " << kind << " op " << n;
      replayed += rows[0] != call_ids.at(n);
    }
  };
  check_audit("CreateRequest", acked_requests, requests.CallIds());
  check_audit("ApplyForItem", acked_claims, claims.CallIds());
  std::cout << replayed << " writes were committed by an attempt whose answer was lost and "
            << "acknowledged by the replay of a retry" << std::endl;

  // The outbox: every acknowledged request's request.created reaches the stream, once.
  std::map<std::string, int> created;
  const bool all_published = Eventually(
      [&] {
        created.clear();
        for (const StreamEvent& e : ReadStream(*redis_)) {
          if (e.event.type() == "request.created") created[SubjectOf(e.event)]++;
        }
        for (const std::string& name : request_names) {
          if (!created.contains(name)) return false;
        }
        return true;
      },
      absl::Seconds(20));
  EXPECT_TRUE(all_published) << "request.created missing for some acknowledged requests";
  for (const std::string& name : request_names) {
    EXPECT_EQ(created[name], 1) << "request.created for " << name;
  }
  EXPECT_EQ(created.size(), request_names.size()) << "request.created for an unknown request";
  std::map<std::string, int> ids;
  for (const StreamEvent& e : ReadStream(*redis_)) ids[e.event.id()]++;
  for (const auto& [id, count] : ids) EXPECT_EQ(count, 1) << "event " << id << " published twice";

  // The enterprise copy's consumer resumed: what the registry made while support was dead is in
  // the copy, and an enterprise only the copy knows can be assigned.
  for (int round = 0; round < kKills; ++round) {
    EXPECT_TRUE(Eventually([&] { return InCopy(LateFirmName(round)); }, absl::Seconds(20)))
        << LateFirmName(round) << ", made while support was dead, never reached its copy";
  }
  EXPECT_TRUE(Eventually(
      [&] {
        const GroupInfo g = ReadGroup(*redis_);
        return g.found && g.lag == 0 && g.pending == 0;
      },
      absl::Seconds(20)))
      << "the support group did not catch up with the stream";
  sv1::CreateAssignmentRequest assign;
  sv1::Assignment* a = assign.mutable_assignment();
  a->set_enterprise(LateFirmName(kKills - 1));
  a->mutable_leader()->set_department("departments/kjj");
  a->mutable_leader()->set_person("王强");
  sv1::Official* officer = a->add_officers();
  officer->set_department("departments/jxj");
  officer->set_person("李娜");
  a->set_start_date("2026-01-01");
  a->set_cadence(sv1::MONTHLY);
  sv1::Assignment assigned;
  s = as(&SupportStub::CreateAssignment, assign, &assigned);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(assigned.enterprise_display_name(), absl::StrCat("滁州停机期间新设企业", kKills - 1));
  EXPECT_EQ(std::vector<std::string>(assigned.chains().begin(), assigned.chains().end()),
            std::vector<std::string>{"chains/pv"});
}

}  // namespace
}  // namespace chainhub::testing
