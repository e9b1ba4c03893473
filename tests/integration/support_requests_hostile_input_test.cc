// The hostile-input catalogue (tests/support/hostile_input.h) against the request methods of
// chainhub.support.v1.ChainSupport (企业诉求, the calendar, the deadline rules): each call ends in
// a proper refusal (or an ordinary answer to a read) with a short message, and the store is as it
// was. Text fields refuse control characters and bidi overrides naming the field; numbers no field
// takes are refused naming the field.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
using google::protobuf::Message;

constexpr char kSupportService[] = "chainhub.support.v1.ChainSupport";

// The methods of this part (the rest of the service is other parts' to attack).
const std::vector<std::string>& RequestMethods() {
  static const auto* names = new std::vector<std::string>{
      "CreateRequest",  "GetRequest",        "ListRequests",    "TransitionRequest",
      "ReplyToRequest", "SummarizeRequests", "ImportRequests",  "PutCalendar",
      "GetCalendar",    "PutDeadlineRules",  "GetDeadlineRules"};
  return *names;
}

// Sets the string at `path` in `m`, creating the messages on the way (the first element of a
// repeated one).
void SetStringAtPath(Message* m, const FieldPath& path, const std::string& value) {
  for (size_t i = 0; i + 1 < path.size(); ++i) m = Child(m, path[i]);
  const google::protobuf::FieldDescriptor* f = path.back();
  const google::protobuf::Reflection* r = m->GetReflection();
  if (!f->is_repeated()) {
    r->SetString(m, f, value);
  } else if (r->FieldSize(*m, f) == 0) {
    r->AddString(m, f, value);
  } else {
    r->SetRepeatedString(m, f, 0, value);
  }
}

class SupportRequestsHostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    firm_ = f_.MakeEnterprise(1, "滁州光伏组件有限公司", {"chains/pv/nodes/modules"});
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(firm_));
    v1::CreateRequestRequest create = ValidCreate("seed");
    ASSERT_TRUE(f_.Admin()(&SupportStub::CreateRequest, create, &request_).ok());
  }
  void TearDown() override { f_.TearDown(); }

  v1::CreateRequestRequest ValidCreate(const std::string& request_id) {
    v1::CreateRequestRequest req;
    v1::Request* r = req.mutable_request();
    r->set_enterprise(firm_.name());
    r->set_chain("chains/pv");
    r->set_title("二期项目用地指标");
    r->set_description("二期厂房用地指标尚未落实。");
    r->set_channel(v1::HOTLINE);
    r->add_tags("用地");
    r->set_tier(v1::CITY);
    r->set_assignee("departments/zrzyj");
    r->set_external_id("H-0001");
    req.set_request_id(request_id);
    return req;
  }

  std::string Snapshot() {
    return TableRows(*f_.store(), {"support_requests", "support_request_tags",
                                   "support_request_settings", "audit_events", "outbox"});
  }

  SupportFixture f_;
  registry::v1::Enterprise firm_;
  v1::Request request_;
};

TEST_F(SupportRequestsHostileInput, EveryRequestMethodRefusesHostileStringsAndChangesNothing) {
  const std::string before = Snapshot();
  const auto* service =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(kSupportService);
  ASSERT_NE(service, nullptr);
  grpc::GenericStub stub(grpc::CreateChannel(f_.target(), grpc::InsecureChannelCredentials()));
  const std::string token = MintTestToken("systems/test-admin", {"admin"});
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  google::protobuf::LogSilencer silence;
  int calls = 0;
  for (const std::string& name : RequestMethods()) {
    const google::protobuf::MethodDescriptor* m = service->FindMethodByName(name);
    ASSERT_NE(m, nullptr) << name;
    const std::string path = absl::StrCat("/", kSupportService, "/", name);
    const Message* prototype = factory->GetPrototype(m->input_type());
    std::vector<std::string> values = HostileStrings();
    values.push_back(std::string(1 << 20, 'x'));
    for (size_t v = 0; v < values.size(); ++v) {
      // Every string field at once.
      std::unique_ptr<Message> all(prototype->New());
      FillAllStrings(all.get(), values[v]);
      CheckHostileOutcome(*m, CallRaw(stub, path, token, {all->SerializeAsString()}), values[v],
                          absl::StrCat(name, " with value ", v, " in every string field"));
      ++calls;
      // One field at a time.
      for (const FieldPath& field : StringPaths(m->input_type())) {
        std::unique_ptr<Message> one(prototype->New());
        SetStringAtPath(one.get(), field, values[v]);
        CheckHostileOutcome(*m, CallRaw(stub, path, token, {one->SerializeAsString()}), values[v],
                            absl::StrCat(name, " with value ", v, " in ", PathText(field)));
        ++calls;
      }
    }
  }
  EXPECT_GT(calls, 1000);
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(SupportRequestsHostileInput, EveryTextFieldIsCheckedAndNamed) {
  auto admin = f_.Admin();
  // request_id is checked too (printable ASCII).
  ExpectEveryTextFieldChecked(admin, &SupportStub::CreateRequest, ValidCreate("text"));

  v1::GetRequestRequest get;
  get.set_name(request_.name());
  ExpectEveryTextFieldChecked(admin, &SupportStub::GetRequest, get);

  v1::TransitionRequestRequest move;
  move.set_name(request_.name());
  move.set_state(v1::ASSIGNED);
  move.set_assignee("departments/swj");
  move.set_note("转办市商务局");
  move.set_etag(request_.etag());
  ExpectEveryTextFieldChecked(admin, &SupportStub::TransitionRequest, move, {"etag"});

  v1::ReplyToRequestRequest reply;
  reply.set_name(request_.name());
  reply.set_note("已对接");
  reply.set_etag(request_.etag());
  ExpectEveryTextFieldChecked(admin, &SupportStub::ReplyToRequest, reply, {"etag"});

  v1::SummarizeRequestsRequest summarize;
  summarize.set_period("2026-06");
  summarize.set_chain("chains/pv");
  summarize.set_as_of("2026-06-15");
  ExpectEveryTextFieldChecked(admin, &SupportStub::SummarizeRequests, summarize);

  v1::PutCalendarRequest calendar;
  calendar.mutable_calendar()->set_name("calendars/cn");
  v1::CalendarDay* day = calendar.mutable_calendar()->add_days();
  day->set_date("2026-10-01");
  day->set_name("国庆节");
  calendar.mutable_calendar()->set_etag("shipped");
  ExpectEveryTextFieldChecked(admin, &SupportStub::PutCalendar, calendar, {"calendar.etag"});

  v1::PutDeadlineRulesRequest rules;
  rules.mutable_deadline_rules()->set_name("deadlineRules");
  v1::DeadlineRule* rule = rules.mutable_deadline_rules()->add_rules();
  rule->set_name("default");
  rule->set_contact("1wd");
  rule->set_interim_reply("3wd");
  rule->set_close("5wd");
  rules.mutable_deadline_rules()->set_etag("shipped");
  ExpectEveryTextFieldChecked(admin, &SupportStub::PutDeadlineRules, rules,
                              {"deadline_rules.etag"});
}

TEST_F(SupportRequestsHostileInput, NumbersNoFieldTakesAreRefusedNamingTheField) {
  const std::string before = Snapshot();
  auto admin = f_.Admin();
  NumberRules create;
  // Output only: ignored on input.
  create.ignored = {"request.state", "request.satisfaction", "request.escalation_level"};
  int calls =
      ExpectEveryNumberFieldChecked(admin, &SupportStub::CreateRequest, ValidCreate("n"), create);

  v1::TransitionRequestRequest move;
  move.set_name(request_.name());
  move.set_state(v1::ASSIGNED);
  move.set_assignee("departments/swj");
  move.set_etag("stale");
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::TransitionRequest, move);

  NumberRules reads;
  reads.writes_nothing = true;
  v1::SummarizeRequestsRequest summarize;
  summarize.set_period("2026-06");
  summarize.set_group_by(v1::BY_CHAIN);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::SummarizeRequests, summarize, reads);
  v1::ListRequestsRequest list;
  list.set_page_size(10);
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::ListRequests, list, reads);

  v1::PutDeadlineRulesRequest rules;
  v1::DeadlineRule* urgent = rules.mutable_deadline_rules()->add_rules();
  urgent->set_name("urgent");
  urgent->set_urgency(v1::DeadlineRule::URGENT);
  urgent->set_tier(v1::CITY);
  urgent->set_close("2wd");
  v1::DeadlineRule* rest = rules.mutable_deadline_rules()->add_rules();
  rest->set_name("default");
  rest->set_close("5wd");
  rules.mutable_deadline_rules()->set_etag("stale");
  calls += ExpectEveryNumberFieldChecked(admin, &SupportStub::PutDeadlineRules, rules);
  EXPECT_GT(calls, 10);
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace chainhub::testing
