// The hostile-input catalogue (tests/support/hostile_input.h) against support's chain-keyed RPCs:
// the chain lists, supplier spend and 本地配套率, and chain plans. Each call ends in a proper
// refusal (or an ordinary answer to a read) with a short message, and their tables are as they
// were; every text field refuses control and bidi characters naming the field, and numbers no
// field takes are refused naming it.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "common/base/page_token.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

constexpr char kSupportService[] = "chainhub.support.v1.ChainSupport";

// The methods of this part (chain_entry_handlers.cc, spend_handlers.cc, chain_plan_handlers.cc).
const std::vector<std::string>& ChainMethods() {
  static const auto* methods = new std::vector<std::string>{
      "CreateChainEntry", "GetChainEntry",         "ListChainEntries",  "UpdateChainEntry",
      "MatchOpportunity", "ReportSupplierSpend",   "ListSupplierSpend", "ImportSupplierSpend",
      "ComputeLocalRate", "CreateChainPlan",       "GetChainPlan",      "ListChainPlans",
      "UpdateChainPlan",  "ListChainPlanVersions", "PublishChainPlan",  "ReportPlanProgress",
      "GetPlanProgress"};
  return *methods;
}

// `value` at `path` in `m`, the messages on the way created (a repeated field gets one element).
void SetStringAt(Message* m, const FieldPath& path, const std::string& value) {
  for (size_t i = 0; i + 1 < path.size(); ++i) m = Child(m, path[i]);
  const auto* f = path.back();
  const auto* r = m->GetReflection();
  if (!f->is_repeated()) {
    r->SetString(m, f, value);
  } else if (r->FieldSize(*m, f) == 0) {
    r->AddString(m, f, value);
  } else {
    r->SetRepeatedString(m, f, 0, value);
  }
}

// Bombard (hostile_input.h) narrowed to `methods`: bytes that are no request, every catalogue
// value in every string field at once and one field at a time (a megabyte too, and a forged page
// token where there is one). Returns the calls made.
int BombardMethods(const std::string& target, const std::string& token,
                   const std::vector<std::string>& methods) {
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(kSupportService);
  EXPECT_NE(service, nullptr);
  if (service == nullptr) return 0;
  grpc::GenericStub stub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  google::protobuf::LogSilencer silence;
  int calls = 0;
  for (const std::string& name : methods) {
    const MethodDescriptor* m = service->FindMethodByName(name);
    EXPECT_NE(m, nullptr) << name;
    if (m == nullptr) continue;
    const std::string path = absl::StrCat("/", kSupportService, "/", name);
    const Message* prototype = factory->GetPrototype(m->input_type());
    auto send = [&](const std::vector<std::string>& requests, const std::string& what,
                    const std::string& value = "") {
      CallResult r = CallRaw(stub, path, token, requests);
      CheckHostileOutcome(*m, r, value, absl::StrCat(name, " ", what));
      ++calls;
      return r;
    };
    for (const std::string& bytes : {std::string(12, '\xff'), std::string("\x0a\x05"
                                                                          "ab",
                                                                          4)}) {
      CallResult r = send({bytes}, "with unparsable bytes");
      if (!m->client_streaming()) {
        EXPECT_EQ(r.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << name;
      }
    }
    const std::vector<std::string> catalogue = HostileStrings();
    for (size_t v = 0; v < catalogue.size(); ++v) {
      std::unique_ptr<Message> req(prototype->New());
      FillAllStrings(req.get(), catalogue[v]);
      send({req->SerializeAsString()}, absl::StrCat("with value ", v, " everywhere"), catalogue[v]);
    }
    for (const FieldPath& field : StringPaths(m->input_type())) {
      std::vector<std::string> values = catalogue;
      values.push_back(std::string(1 << 20, 'x'));
      if (field.back()->name() == "page_token") {
        values.push_back(
            EncodePageToken({{"'; DROP TABLE x; --"}, QueryFingerprint(name, "", "")}));
        values.push_back(EncodePageToken({{"-1", "x", "y", "z"}, QueryFingerprint(name, "", "")}));
      }
      for (size_t v = 0; v < values.size(); ++v) {
        std::unique_ptr<Message> req(prototype->New());
        SetStringAt(req.get(), field, values[v]);
        send({req->SerializeAsString()}, absl::StrCat("with value ", v, " in ", PathText(field)),
             values[v]);
      }
    }
  }
  return calls;
}

class SupportChainHostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    f_.AddEnterprise(f_.MakeEnterprise(1, "滁州甲光伏", {"chains/pv/nodes/modules"}));
    reporter_ = "enterprises/" + TestCreditCode("341100", 1);
    auto admin = f_.Admin();
    v1::ChainEntry entry;
    ASSERT_TRUE(admin(&SupportStub::CreateChainEntry, ValidEntry("seed"), &entry).ok());
    entry_ = entry;
    v1::SupplierSpend spend;
    ASSERT_TRUE(admin(&SupportStub::ReportSupplierSpend, ValidSpend(), &spend).ok());
    v1::ChainPlan plan;
    grpc::Status s = admin(&SupportStub::CreateChainPlan, ValidPlan("seed"), &plan);
    ASSERT_TRUE(s.ok()) << s.error_message();
    plan_ = plan;
  }
  void TearDown() override { f_.TearDown(); }

  v1::CreateChainEntryRequest ValidEntry(const std::string& request_id) {
    v1::CreateChainEntryRequest req;
    req.set_parent("chains/pv");
    req.set_request_id(request_id);
    v1::ChainEntry* e = req.mutable_entry();
    e->set_kind(v1::TALENT_DEMAND);
    e->set_title("组件工艺工程师");
    e->set_node("chains/pv/nodes/modules");
    e->set_owner("departments/rsj");
    e->set_valid_from("2026-06-01");
    e->set_valid_to("2026-12-31");
    e->mutable_talent()->set_post("工艺工程师");
    e->mutable_talent()->set_headcount(3);
    e->mutable_talent()->set_shortage_index(4);
    e->mutable_talent()->set_qualification("本科");
    e->set_contact("0550-1234567");
    return req;
  }

  v1::ReportSupplierSpendRequest ValidSpend() {
    v1::ReportSupplierSpendRequest req;
    req.mutable_spend()->set_chain("chains/pv");
    req.mutable_spend()->set_reporter(reporter_);
    req.mutable_spend()->set_period("2026-Q2");
    v1::SpendLine* line = req.mutable_spend()->add_lines();
    line->set_supplier_credit_code(TestCreditCode("341122", 7));
    line->set_supplier_name("来安某胶膜厂");
    line->set_supplier_division("341122");
    line->set_amount_yuan(1000);
    return req;
  }

  v1::CreateChainPlanRequest ValidPlan(const std::string& request_id) {
    v1::CreateChainPlanRequest req;
    req.set_parent("chains/pv");
    req.set_request_id(request_id);
    v1::ChainPlan* p = req.mutable_plan();
    p->set_kind(v1::THREE_YEAR_ACTION);
    p->set_title("光伏三年行动方案");
    p->set_start_year(2026);
    p->set_end_year(2028);
    auto* t = p->add_targets();
    t->set_indicator("indicators/output");
    t->set_year(2026);
    t->set_value(400);
    auto* k = p->add_tasks();
    k->set_number("1");
    k->set_title("招引链主");
    k->set_lead_leader("王强");
    k->set_lead_department("departments/fgw");
    k->add_partner_departments("departments/zsj");
    k->set_deadline("2026-12-31");
    k->add_projects("projects/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
    k->add_enterprises(reporter_);
    return req;
  }

  std::string Snapshot() {
    return TableRows(*f_.store(), {"support_chain_entries", "support_spend_reports",
                                   "support_chain_plans", "support_chain_plan_versions",
                                   "support_plan_task_starts", "support_plan_publications",
                                   "support_plan_actuals", "support_plan_task_reports",
                                   "support_plan_risk_events", "audit_events", "outbox"});
  }

  SupportFixture f_;
  std::string reporter_;
  v1::ChainEntry entry_;
  v1::ChainPlan plan_;
};

TEST_F(SupportChainHostileInput, EveryChainMethodRefusesHostileInputAndChangesNothing) {
  const std::string before = Snapshot();
  const int calls =
      BombardMethods(f_.target(), MintTestToken("systems/test-admin", {"admin"}), ChainMethods());
  EXPECT_GT(calls, 1000);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SupportChainHostileInput, NumbersNoFieldTakesAreRefusedNamingTheField) {
  const std::string before = Snapshot();
  auto admin = f_.Admin();
  NumberRules reads;
  reads.writes_nothing = true;
  int calls = 0;
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::CreateChainEntry, ValidEntry("n1"));
  NumberRules spend;
  spend.ignored = {"spend.total_yuan"};
  calls +=
      ExpectEveryNumberFieldChecked(admin, &SupportStub::ReportSupplierSpend, ValidSpend(), spend);
  NumberRules plan;
  plan.ignored = {"plan.version", "plan.published_version"};
  calls +=
      ExpectEveryNumberFieldChecked(admin, &SupportStub::CreateChainPlan, ValidPlan("n2"), plan);
  v1::ComputeLocalRateRequest rate;
  rate.set_chain("chains/pv");
  rate.set_period("2026-Q2");
  rate.set_scope(v1::IN_PROVINCE);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::ComputeLocalRate, rate, reads);
  v1::MatchOpportunityRequest match;
  match.set_entry(entry_.name());
  match.set_page_size(10);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::MatchOpportunity, match, reads);
  v1::ListChainEntriesRequest list;
  list.set_parent("chains/pv");
  list.set_page_size(10);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::ListChainEntries, list, reads);
  v1::GetChainPlanRequest get;
  get.set_name(plan_.name());
  get.set_version(1);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::GetChainPlan, get, reads);
  v1::ReportPlanProgressRequest progress;
  progress.set_name(plan_.name());
  progress.set_period("2026-05");
  progress.add_tasks()->set_number("1");
  progress.mutable_tasks(0)->set_percent_done(10);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::ReportPlanProgress, progress);
  EXPECT_GT(calls, 20);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SupportChainHostileInput, EveryTextFieldRefusesControlAndBidiCharacters) {
  auto admin = f_.Admin();
  ExpectEveryTextFieldChecked(admin, &SupportStub::CreateChainEntry, ValidEntry("text"));
  v1::UpdateChainEntryRequest update;
  *update.mutable_entry() = entry_;
  // The owner is fixed after create: an update ignores it.
  ExpectEveryTextFieldChecked(admin, &SupportStub::UpdateChainEntry, update,
                              {"entry.etag", "entry.owner"});
  v1::MatchOpportunityRequest match;
  match.set_entry(entry_.name());
  ExpectEveryTextFieldChecked(admin, &SupportStub::MatchOpportunity, match);
  v1::ListChainEntriesRequest list;
  list.set_parent("chains/pv");
  list.set_filter("kind = TALENT_DEMAND");
  ExpectEveryTextFieldChecked(admin, &SupportStub::ListChainEntries, list);

  ExpectEveryTextFieldChecked(admin, &SupportStub::ReportSupplierSpend, ValidSpend());
  v1::ListSupplierSpendRequest spend;
  spend.set_parent("chains/pv");
  spend.set_filter("period = 2026-Q2");
  ExpectEveryTextFieldChecked(admin, &SupportStub::ListSupplierSpend, spend);
  v1::ComputeLocalRateRequest rate;
  rate.set_chain("chains/pv");
  rate.set_period("2026-Q2");
  rate.set_city_code("341100");
  rate.add_region_provinces("34");
  rate.add_reporters(reporter_);
  ExpectEveryTextFieldChecked(admin, &SupportStub::ComputeLocalRate, rate);

  ExpectEveryTextFieldChecked(admin, &SupportStub::CreateChainPlan, ValidPlan("text"));
  v1::UpdateChainPlanRequest plan;
  *plan.mutable_plan() = plan_;
  ExpectEveryTextFieldChecked(admin, &SupportStub::UpdateChainPlan, plan, {"plan.etag"});
  v1::ReportPlanProgressRequest progress;
  progress.set_name(plan_.name());
  progress.set_period("2026-05");
  progress.add_tasks()->set_number("1");
  progress.mutable_tasks(0)->set_note("进展顺利");
  ExpectEveryTextFieldChecked(admin, &SupportStub::ReportPlanProgress, progress);
  v1::GetPlanProgressRequest get;
  get.set_name(plan_.name());
  get.set_as_of("2026-06-01");
  ExpectEveryTextFieldChecked(admin, &SupportStub::GetPlanProgress, get);
  v1::PublishChainPlanRequest publish;
  publish.set_name(plan_.name());
  ExpectEveryTextFieldChecked(admin, &SupportStub::PublishChainPlan, publish);
}

}  // namespace
}  // namespace chainhub::testing
