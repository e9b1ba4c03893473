// Enterprise requests (企业诉求) over real gRPC: acceptance with deadlines counted in China's
// working days (hand-computed over the Dragon Boat and National Day holidays), routing, who may
// see and move a request, the sweep escalating each missed deadline once, the figures of a small
// hand-computed set, CSV import, and the calendar and deadline rules an admin puts.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/base/fields.h"
#include "common/service/resource.h"
#include "tests/support/events_util.h"
#include "tests/support/hostile_input.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class SupportRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(f_.SetUp());
    pv_firm_ = f_.MakeEnterprise(1, "滁州光伏组件有限公司", {"chains/pv/nodes/modules"});
    auto_firm_ = f_.MakeEnterprise(2, "滁州汽车零部件有限公司", {"chains/auto/nodes/parts"});
    no_chain_firm_ = f_.MakeEnterprise(3, "滁州商贸有限公司", {});
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(pv_firm_));
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(auto_firm_));
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(no_chain_firm_));
  }
  void TearDown() override { f_.TearDown(); }

  v1::Request Body(const registry::v1::Enterprise& firm, const std::string& chain = "chains/pv",
                   const std::string& assignee = "") {
    v1::Request r;
    r.set_enterprise(firm.name());
    r.set_chain(chain);
    r.set_title("二期项目用地指标");
    r.set_description("二期厂房用地指标尚未落实，需协调。");
    r.set_channel(v1::HOTLINE);
    r.add_tags("用地");
    r.set_tier(v1::CITY);
    r.set_assignee(assignee);
    return r;
  }

  grpc::Status Create(const SupportCaller& as, const v1::Request& body, v1::Request* out,
                      const std::string& request_id = "") {
    v1::CreateRequestRequest req;
    *req.mutable_request() = body;
    req.set_request_id(request_id);
    return as(&SupportStub::CreateRequest, req, out);
  }

  v1::Request MustCreate(const v1::Request& body) {
    v1::Request out;
    grpc::Status s = Create(f_.Admin(), body, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Move(const SupportCaller& as, const std::string& name, v1::RequestState to,
                    v1::Request* out, const std::string& assignee = "",
                    const std::string& note = "", int satisfaction = 0,
                    const std::string& etag = "") {
    v1::TransitionRequestRequest req;
    req.set_name(name);
    req.set_state(to);
    req.set_assignee(assignee);
    req.set_note(note);
    req.set_satisfaction(satisfaction);
    req.set_etag(etag);
    return as(&SupportStub::TransitionRequest, req, out);
  }

  v1::Request MustMove(const std::string& name, v1::RequestState to,
                       const std::string& assignee = "", const std::string& note = "",
                       int satisfaction = 0) {
    v1::Request out;
    grpc::Status s = Move(f_.Admin(), name, to, &out, assignee, note, satisfaction);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  v1::Request Get(const std::string& name) {
    v1::GetRequestRequest req;
    req.set_name(name);
    v1::Request out;
    grpc::Status s = f_.Admin()(&SupportStub::GetRequest, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<std::string> ListNames(const SupportCaller& as, const std::string& filter = "",
                                     const std::string& order_by = "") {
    v1::ListRequestsRequest req;
    req.set_filter(filter);
    req.set_order_by(order_by);
    v1::ListRequestsResponse resp;
    grpc::Status s = as(&SupportStub::ListRequests, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> names;
    for (const auto& r : resp.requests()) names.push_back(r.name());
    return names;
  }

  v1::ImportRowsResponse Import(const SupportCaller& as, const std::vector<std::string>& chunks,
                                bool validate_only, grpc::Status* status) {
    auto ctx = ContextWithToken(as.token());
    v1::ImportRowsResponse resp;
    auto writer = f_.stub().ImportRequests(ctx.get(), &resp);
    for (const std::string& chunk : chunks) {
      v1::ImportRowsRequest msg;
      msg.set_csv(chunk);
      msg.set_validate_only(validate_only);
      writer->Write(msg);
    }
    writer->WritesDone();
    *status = writer->Finish();
    return resp;
  }

  // The outbox events of `type` about `subject`, oldest first.
  std::vector<CloudEvent> Events(const std::string& type, const std::string& subject) {
    std::vector<CloudEvent> out;
    for (CloudEvent& e : f_.OutboxEvents()) {
      if (e.type() == type && SubjectOf(e) == subject) out.push_back(std::move(e));
    }
    return out;
  }

  SupportFixture f_;
  registry::v1::Enterprise pv_firm_;
  registry::v1::Enterprise auto_firm_;
  registry::v1::Enterprise no_chain_firm_;
};

// --- Acceptance and deadlines -------------------------------------------------------------------

TEST_F(SupportRequests, ARequestAcceptedOnMondayIsDueInWorkingDaysOverTheDragonBoatHoliday) {
  // Monday 2026-06-15 10:00; Friday 06-19 is 端午节. Default rule: contact 1wd, reply 3wd,
  // close 5wd: Tue 06-16, Thu 06-18, and Tue 06-23 (06-19 a holiday, 06-20/21 the weekend).
  v1::Request r = MustCreate(Body(pv_firm_));
  EXPECT_THAT(r.name(), HasSubstr("requests/"));
  EXPECT_EQ(r.state(), v1::ACCEPTED);
  EXPECT_EQ(r.deadline_rule(), "default");
  EXPECT_EQ(r.enterprise_display_name(), "滁州光伏组件有限公司");
  EXPECT_EQ(TimeOf(r.accept_time()), China(2026, 6, 15, 10));
  EXPECT_EQ(TimeOf(r.contact_deadline()), EndOf(2026, 6, 16));
  EXPECT_EQ(TimeOf(r.interim_reply_deadline()), EndOf(2026, 6, 18));
  EXPECT_EQ(TimeOf(r.close_deadline()), EndOf(2026, 6, 23));
  ASSERT_EQ(r.history_size(), 1);
  EXPECT_EQ(r.history(0).state(), v1::ACCEPTED);
  EXPECT_EQ(r.history(0).principal(), "systems/test-admin");
  EXPECT_FALSE(r.etag().empty());
  // Accepted is published with the request as its payload.
  auto created = Events("request.created", r.name());
  ASSERT_EQ(created.size(), 1u);
  auto payload = UnpackPayload<v1::Request>(created[0]);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->name(), r.name());
  EXPECT_EQ(StringAttribute(created[0], "chain"), "chains/pv");
  EXPECT_EQ(Get(r.name()).close_deadline().seconds(), r.close_deadline().seconds());
}

TEST_F(SupportRequests, ARequestAcceptedOnTheMidAutumnFridayIsDueAfterTheNationalDayHoliday) {
  // Friday 2026-09-25 is 中秋节; 10-01..10-07 国庆 (10-03/04 the weekend), Saturday 10-10 worked.
  // Working days after 09-25: Mon 09-28 (1), 09-29 (2), 09-30 (3), Thu 10-08 (4), Fri 10-09 (5),
  // Sat 10-10 (6), Mon 10-12 (7), 10-13 (8), 10-14 (9), 10-15 (10).
  f_.clock().Set(China(2026, 9, 25, 10));
  v1::Request city = MustCreate(Body(pv_firm_));
  EXPECT_EQ(TimeOf(city.contact_deadline()), EndOf(2026, 9, 28));
  EXPECT_EQ(TimeOf(city.interim_reply_deadline()), EndOf(2026, 9, 30));
  EXPECT_EQ(TimeOf(city.close_deadline()), EndOf(2026, 10, 9));

  v1::Request body = Body(pv_firm_);
  body.set_tier(v1::COUNTY);
  v1::Request county = MustCreate(body);
  EXPECT_EQ(county.deadline_rule(), "county");
  EXPECT_EQ(TimeOf(county.close_deadline()), EndOf(2026, 10, 15));
}

TEST_F(SupportRequests, AnUrgentRequestMustBeContactedWithinTwoHoursHolidayOrNot) {
  f_.clock().Set(China(2026, 9, 25, 10, 30));
  v1::Request body = Body(pv_firm_);
  body.set_urgent(true);
  body.set_tier(v1::COUNTY);  // the urgent rule comes first
  v1::Request r = MustCreate(body);
  EXPECT_EQ(r.deadline_rule(), "urgent");
  EXPECT_EQ(TimeOf(r.contact_deadline()), China(2026, 9, 25, 12, 30));
  EXPECT_EQ(TimeOf(r.interim_reply_deadline()), EndOf(2026, 9, 28));
  EXPECT_EQ(TimeOf(r.close_deadline()), EndOf(2026, 9, 29));
}

TEST_F(SupportRequests, ARequestCommonToItsChainGoesToTheChainsWorkingTeam) {
  v1::Request body = Body(pv_firm_);
  body.set_common_to_chain(true);
  v1::Request r = MustCreate(body);
  EXPECT_EQ(r.assignee(), "chains/pv/team");
  EXPECT_EQ(r.state(), v1::ASSIGNED);
  ASSERT_EQ(r.history_size(), 2);
  EXPECT_EQ(r.history(1).state(), v1::ASSIGNED);

  // It must name the chain, and one the enterprise is on.
  body.clear_chain();
  v1::Request out;
  grpc::Status s = Create(f_.Admin(), body, &out);
  EXPECT_TRUE(NamesField(s, "request.chain")) << s.error_message();
  body.set_chain("chains/auto");
  s = Create(f_.Admin(), body, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("is not on chains/auto"));
  // Another chain's team is no assignee for it.
  body.set_chain("chains/pv");
  body.set_assignee("chains/auto/team");
  s = Create(f_.Admin(), body, &out);
  EXPECT_TRUE(NamesField(s, "request.assignee")) << s.error_message();
}

TEST_F(SupportRequests, CreateWithTheSameRequestIdReturnsTheFirstRequest) {
  v1::Request first, again, other;
  ASSERT_TRUE(Create(f_.Department("swj"), Body(pv_firm_), &first, "hotline-0615-001").ok());
  ASSERT_TRUE(Create(f_.Department("swj"), Body(pv_firm_), &again, "hotline-0615-001").ok());
  EXPECT_EQ(again.name(), first.name());
  v1::Request changed = Body(pv_firm_);
  changed.set_title("另一个诉求");
  EXPECT_EQ(Create(f_.Department("swj"), changed, &other, "hotline-0615-001").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ListNames(f_.Admin()).size(), 1u);
  EXPECT_EQ(Events("request.created", first.name()).size(), 1u);
}

TEST_F(SupportRequests, AnExternalIdNamesOneRequestOnly) {
  v1::Request body = Body(pv_firm_);
  body.set_external_id("12345-2026-0001");
  v1::Request first = MustCreate(body), second;
  grpc::Status s = Create(f_.Admin(), body, &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr(first.name()));
}

TEST_F(SupportRequests, DepartmentsChainOfficesOfTheEnterpriseAndAdminsMayAcceptOthersMayNot) {
  v1::Request out;
  EXPECT_TRUE(Create(f_.Department("swj"), Body(no_chain_firm_, ""), &out).ok());
  EXPECT_TRUE(Create(f_.ChainOffice("pv"), Body(pv_firm_), &out).ok());
  EXPECT_EQ(Create(f_.ChainOffice("auto"), Body(pv_firm_), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Create(f_.Viewer(), Body(pv_firm_), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An enterprise the registry does not know.
  v1::Request unknown = Body(pv_firm_, "");
  unknown.set_enterprise("enterprises/" + TestCreditCode("341100", 99));
  EXPECT_EQ(Create(f_.Admin(), unknown, &out).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(SupportRequests, BadInputIsRefusedNamingTheField) {
  v1::Request body = Body(pv_firm_);
  body.set_title("");
  body.set_channel(v1::CHANNEL_UNSPECIFIED);
  body.add_tags(std::string(21, 'x'));
  v1::Request out;
  grpc::Status s = Create(f_.Admin(), body, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(NamesField(s, "request.title")) << s.error_message();
  EXPECT_TRUE(NamesField(s, "request.channel")) << s.error_message();
  EXPECT_TRUE(NamesField(s, "request.tags[1]")) << s.error_message();
}

// --- Visibility ---------------------------------------------------------------------------------

TEST_F(SupportRequests, OnlyTheAssigneeTheChainOfficeAndAdminsSeeARequest) {
  v1::Request r = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  v1::GetRequestRequest get;
  get.set_name(r.name());
  v1::Request out;
  EXPECT_TRUE(f_.Department("zrzyj")(&SupportStub::GetRequest, get, &out).ok());
  EXPECT_TRUE(f_.ChainOffice("pv")(&SupportStub::GetRequest, get, &out).ok());
  EXPECT_EQ(f_.Department("swj")(&SupportStub::GetRequest, get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(f_.ChainOffice("auto")(&SupportStub::GetRequest, get, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ListNames(f_.Department("zrzyj")), ElementsAre(r.name()));
  EXPECT_THAT(ListNames(f_.ChainOffice("pv")), ElementsAre(r.name()));
  EXPECT_THAT(ListNames(f_.Department("swj")), ElementsAre());
  EXPECT_THAT(ListNames(f_.ChainOffice("auto")), ElementsAre());
  EXPECT_THAT(ListNames(f_.Viewer()), ElementsAre());
  EXPECT_THAT(ListNames(f_.Admin()), ElementsAre(r.name()));

  // Routed elsewhere (转办): the new assignee sees it, the old one no more.
  MustMove(r.name(), v1::ASSIGNED, "departments/swj");
  EXPECT_THAT(ListNames(f_.Department("swj")), ElementsAre(r.name()));
  EXPECT_THAT(ListNames(f_.Department("zrzyj")), ElementsAre());
}

TEST_F(SupportRequests, ARequestRaisedOnAVisitIsAcceptedWithItAndSeenByTheAssignedDepartments) {
  v1::CreateAssignmentRequest assign;
  v1::Assignment* a = assign.mutable_assignment();
  a->set_enterprise(pv_firm_.name());
  a->mutable_leader()->set_department("departments/jxj");
  a->mutable_leader()->set_person("刘洋");
  v1::Official* officer = a->add_officers();
  officer->set_department("departments/jxj");
  officer->set_person("赵敏");
  a->set_start_date("2026-06-01");
  a->set_cadence(v1::MONTHLY);
  v1::Assignment made;
  grpc::Status s = f_.ChainOffice("pv")(&SupportStub::CreateAssignment, assign, &made);
  ASSERT_TRUE(s.ok()) << s.error_message();

  v1::LogVisitRequest visit;
  visit.set_parent(made.name());
  visit.mutable_visit()->set_visit_date("2026-06-15");
  *visit.mutable_visit()->add_visitors() = *officer;
  visit.mutable_visit()->set_summary("走访了解二期项目进展。");
  v1::Request* raised = visit.mutable_visit()->add_new_requests();
  raised->set_chain("chains/pv");
  raised->set_title("二期项目环评加快审批");
  raised->set_tier(v1::CITY);
  raised->set_assignee("departments/sthjj");
  v1::Visit logged;
  s = f_.Department("jxj")(&SupportStub::LogVisit, visit, &logged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(logged.requests_raised_size(), 1);
  v1::Request r = Get(logged.requests_raised(0));
  EXPECT_EQ(r.channel(), v1::VISIT);
  EXPECT_EQ(r.enterprise(), pv_firm_.name());
  EXPECT_EQ(r.state(), v1::ASSIGNED);
  EXPECT_EQ(TimeOf(r.close_deadline()), EndOf(2026, 6, 23));
  // The 包保 department and the assignee see it; a department neither assigned nor routed to
  // does not.
  EXPECT_THAT(ListNames(f_.Department("jxj")), ElementsAre(r.name()));
  EXPECT_THAT(ListNames(f_.Department("sthjj")), ElementsAre(r.name()));
  EXPECT_THAT(ListNames(f_.Department("swj")), ElementsAre());

  // A bad request on a visit is named under the visit.
  raised->set_title("");
  visit.mutable_visit()->set_visit_date("2026-06-14");
  s = f_.Department("jxj")(&SupportStub::LogVisit, visit, &logged);
  EXPECT_TRUE(NamesField(s, "visit.new_requests[0].title")) << s.error_message();
}

// --- The lifecycle ------------------------------------------------------------------------------

TEST_F(SupportRequests, ARequestMovesThroughItsLifeRecordingEachMilestone) {
  v1::Request r = MustCreate(Body(pv_firm_));
  v1::Request out;
  // 交办 by the chain office.
  ASSERT_TRUE(Move(f_.ChainOffice("pv"), r.name(), v1::ASSIGNED, &out, "departments/zrzyj").ok());
  EXPECT_EQ(out.state(), v1::ASSIGNED);
  EXPECT_EQ(out.assignee(), "departments/zrzyj");
  // 办理 by the assignee, the next morning.
  f_.clock().Set(China(2026, 6, 16, 9));
  ASSERT_TRUE(Move(f_.Department("zrzyj"), r.name(), v1::HANDLING, &out).ok());
  EXPECT_EQ(TimeOf(out.contact_time()), China(2026, 6, 16, 9));
  // An interim reply.
  f_.clock().Set(China(2026, 6, 17, 16));
  v1::ReplyToRequestRequest reply;
  reply.set_name(r.name());
  reply.set_note("已与省厅对接，预计下周答复。");
  reply.set_etag(out.etag());
  ASSERT_TRUE(f_.Department("zrzyj")(&SupportStub::ReplyToRequest, reply, &out).ok());
  EXPECT_EQ(TimeOf(out.interim_reply_time()), China(2026, 6, 17, 16));
  // 办结.
  f_.clock().Set(China(2026, 6, 22, 11));
  ASSERT_TRUE(Move(f_.Department("zrzyj"), r.name(), v1::CLOSED, &out, "", "指标已落实").ok());
  EXPECT_EQ(out.resolution(), "指标已落实");
  EXPECT_EQ(TimeOf(out.close_time()), China(2026, 6, 22, 11));
  EXPECT_EQ(TimeOf(out.interim_reply_time()), China(2026, 6, 17, 16));
  EXPECT_FALSE(out.overdue());
  // 回访, by the chain office only.
  f_.clock().Set(China(2026, 6, 24, 10));
  EXPECT_EQ(Move(f_.Department("zrzyj"), r.name(), v1::REVISITED, &out, "", "", 5).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Move(f_.ChainOffice("pv"), r.name(), v1::REVISITED, &out, "", "", 5).ok());
  EXPECT_EQ(out.satisfaction(), 5);
  EXPECT_EQ(TimeOf(out.revisit_time()), China(2026, 6, 24, 10));
  EXPECT_EQ(out.escalation_level(), 0);

  std::vector<v1::RequestState> states;
  for (const auto& e : out.history()) states.push_back(e.state());
  EXPECT_THAT(states, ElementsAre(v1::ACCEPTED, v1::ASSIGNED, v1::HANDLING, v1::HANDLING,
                                  v1::CLOSED, v1::REVISITED));
  // One request.updated per change, and an audit row for each write.
  EXPECT_EQ(Events("request.updated", r.name()).size(), 5u);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), absl::StrCat("resource = \"", r.name(), "\"")).size(), 6u);
  // The end of its life.
  grpc::Status s = Move(f_.Admin(), r.name(), v1::CLOSED, &out, "", "again");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("REVISITED"));
}

TEST_F(SupportRequests, AnIllegalMoveNamesTheStateAndWhatIsAllowedNext) {
  v1::Request r = MustCreate(Body(pv_firm_));
  v1::Request out;
  grpc::Status s = Move(f_.Admin(), r.name(), v1::HANDLING, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("is ACCEPTED: it may move only to ASSIGNED"));
  v1::ReplyToRequestRequest reply;
  reply.set_name(r.name());
  reply.set_note("进展");
  EXPECT_EQ(f_.Admin()(&SupportStub::ReplyToRequest, reply, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(SupportRequests, OnlyTheAssigneeOfTheOthersDepartmentsWorksARequest) {
  v1::Request r = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  v1::Request out;
  // A department may not route it, nor may another department work it.
  EXPECT_EQ(
      Move(f_.Department("zrzyj"), r.name(), v1::ASSIGNED, &out, "departments/swj").error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Move(f_.Department("swj"), r.name(), v1::HANDLING, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Move(f_.ChainOffice("auto"), r.name(), v1::HANDLING, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Move(f_.Department("zrzyj"), r.name(), v1::HANDLING, &out).ok());
}

TEST_F(SupportRequests, AStaleEtagIsAborted) {
  v1::Request r = MustCreate(Body(pv_firm_));
  v1::Request moved = MustMove(r.name(), v1::ASSIGNED, "departments/zrzyj");
  v1::Request out;
  EXPECT_EQ(Move(f_.Admin(), r.name(), v1::HANDLING, &out, "", "", 0, r.etag()).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_TRUE(Move(f_.Admin(), r.name(), v1::HANDLING, &out, "", "", 0, moved.etag()).ok());
  EXPECT_NE(out.etag(), moved.etag());
}

// --- Deadlines passing --------------------------------------------------------------------------

TEST_F(SupportRequests, TheSweepEscalatesEachMissedDeadlineOnceAndPublishesBothEvents) {
  v1::Request r = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  // Contact was due at the end of 06-16.
  f_.clock().Set(EndOf(2026, 6, 16));
  auto swept = f_.service().SweepRequests();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 0);  // the deadline itself is still in time
  f_.clock().Set(China(2026, 6, 17, 1));
  swept = f_.service().SweepRequests();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1);
  v1::Request after = Get(r.name());
  EXPECT_TRUE(after.overdue());
  EXPECT_EQ(after.escalation_level(), 1);
  EXPECT_EQ(after.history(after.history_size() - 1).missed(), v1::CONTACT);
  EXPECT_EQ(after.history(after.history_size() - 1).principal(), "systems/support");

  auto overdue = Events("request.overdue", r.name());
  auto escalated = Events("request.escalated", r.name());
  ASSERT_EQ(overdue.size(), 1u);
  ASSERT_EQ(escalated.size(), 1u);
  for (const CloudEvent& e : {overdue[0], escalated[0]}) {
    auto p = UnpackPayload<v1::RequestDeadlineMissed>(e);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(p->milestone(), v1::CONTACT);
    EXPECT_EQ(p->escalation_level(), 1);
    EXPECT_EQ(p->escalated_to(), "chains/pv/office");
    EXPECT_EQ(p->owner_department(), "departments/zrzyj");
    EXPECT_EQ(p->request().history(p->request().history_size() - 1).missed(), v1::CONTACT);
  }

  // Once per milestone: sweeping again changes nothing.
  EXPECT_EQ(*f_.service().SweepRequests(), 0);
  EXPECT_EQ(Events("request.escalated", r.name()).size(), 1u);

  // Two days late for the reply and the close at once: each its own level and events.
  f_.clock().Set(China(2026, 6, 25, 9));
  EXPECT_EQ(*f_.service().SweepRequests(), 1);
  after = Get(r.name());
  EXPECT_EQ(after.escalation_level(), 3);
  escalated = Events("request.escalated", r.name());
  ASSERT_EQ(escalated.size(), 3u);
  EXPECT_EQ(UnpackPayload<v1::RequestDeadlineMissed>(escalated[1])->milestone(), v1::INTERIM_REPLY);
  EXPECT_EQ(UnpackPayload<v1::RequestDeadlineMissed>(escalated[2])->escalation_level(), 3);
  EXPECT_EQ(Events("request.overdue", r.name()).size(), 3u);
  EXPECT_EQ(*f_.service().SweepRequests(), 0);
  // Acting on it now escalates nothing more.
  v1::Request out = MustMove(r.name(), v1::HANDLING);
  EXPECT_EQ(out.escalation_level(), 3);
}

TEST_F(SupportRequests, AMilestoneMetLateIsEscalatedEvenWhenTheSweepHasNotRun) {
  v1::Request r = MustCreate(Body(no_chain_firm_, "", "departments/swj"));
  f_.clock().Set(China(2026, 6, 17, 9));  // contact was due at the end of 06-16
  v1::Request out = MustMove(r.name(), v1::HANDLING);
  EXPECT_TRUE(out.overdue());
  EXPECT_EQ(out.escalation_level(), 1);
  auto escalated = Events("request.escalated", r.name());
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(UnpackPayload<v1::RequestDeadlineMissed>(escalated[0])->escalated_to(), "roles/admin");
  EXPECT_EQ(*f_.service().SweepRequests(), 0);
}

TEST_F(SupportRequests, TheSweepTakesAtMostItsBatch) {
  for (int i = 0; i < 3; ++i) MustCreate(Body(pv_firm_));
  f_.clock().Set(China(2026, 6, 17, 1));
  EXPECT_EQ(*f_.service().SweepRequests(2), 2);
  EXPECT_EQ(*f_.service().SweepRequests(2), 1);
  EXPECT_EQ(*f_.service().SweepRequests(2), 0);
  EXPECT_EQ(ListNames(f_.Admin(), "overdue = true AND escalation_level = 1").size(), 3u);
}

// --- Lists --------------------------------------------------------------------------------------

TEST_F(SupportRequests, ListsFilterAndOrderAsDocumented) {
  v1::Request a = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  f_.clock().Set(China(2026, 6, 15, 11));
  v1::Request urgent_body = Body(auto_firm_, "chains/auto");
  urgent_body.set_urgent(true);
  urgent_body.clear_tags();
  urgent_body.add_tags("融资");
  v1::Request b = MustCreate(urgent_body);
  f_.clock().Set(China(2026, 6, 15, 12));
  v1::Request county_body = Body(no_chain_firm_, "");
  county_body.set_tier(v1::COUNTY);
  v1::Request c = MustCreate(county_body);

  EXPECT_THAT(ListNames(f_.Admin()), ElementsAre(c.name(), b.name(), a.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "", "accept_time"), ElementsAre(a.name(), b.name(), c.name()));
  // Close deadlines: b (urgent) 06-17, a 06-23, c (county, 10wd) 06-30.
  EXPECT_THAT(ListNames(f_.Admin(), "", "close_deadline"),
              ElementsAre(b.name(), a.name(), c.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "tag = \"用地\""), UnorderedElementsAre(a.name(), c.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "chain = \"pv\""), ElementsAre(a.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "urgent = true"), ElementsAre(b.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "state = ASSIGNED"), ElementsAre(a.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "assignee = \"departments/zrzyj\""), ElementsAre(a.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "tier = COUNTY AND channel = HOTLINE"), ElementsAre(c.name()));
  EXPECT_THAT(ListNames(f_.Admin(), "enterprise = \"" + pv_firm_.name() + "\""),
              ElementsAre(a.name()));
  EXPECT_EQ(ListNames(f_.Admin(), "accept_date = \"2026-06-15\"").size(), 3u);
  EXPECT_THAT(ListNames(f_.Admin(), "overdue = true"), ElementsAre());

  // Pages follow one another.
  v1::ListRequestsRequest req;
  req.set_page_size(2);
  v1::ListRequestsResponse page;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListRequests, req, &page).ok());
  ASSERT_EQ(page.requests_size(), 2);
  ASSERT_FALSE(page.next_page_token().empty());
  req.set_page_token(page.next_page_token());
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListRequests, req, &page).ok());
  ASSERT_EQ(page.requests_size(), 1);
  EXPECT_EQ(page.requests(0).name(), a.name());

  v1::ListRequestsRequest bad;
  bad.set_filter("priority = 1");
  EXPECT_EQ(f_.Admin()(&SupportStub::ListRequests, bad, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  bad.set_filter("");
  bad.set_order_by("title");
  EXPECT_TRUE(NamesField(f_.Admin()(&SupportStub::ListRequests, bad, &page), "order_by"));
}

// --- Figures ------------------------------------------------------------------------------------

TEST_F(SupportRequests, TheFiguresOfAHandComputedMonth) {
  // A, B and C accepted Monday 06-15 10:00 (close due end of 06-23); D on 06-29, without chain.
  v1::Request a = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  v1::Request b = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  v1::Request c = MustCreate(Body(pv_firm_, "chains/pv", "departments/swj"));
  f_.clock().Set(China(2026, 6, 16, 9));  // A and B contacted 23 hours after acceptance
  MustMove(a.name(), v1::HANDLING);
  MustMove(b.name(), v1::HANDLING);
  f_.clock().Set(China(2026, 6, 18, 15));  // A closed on time: 3 working days (16, 17, 18)
  MustMove(a.name(), v1::CLOSED, "", "已解决");
  f_.clock().Set(China(2026, 6, 20, 10));
  MustMove(a.name(), v1::REVISITED, "", "", 5);
  f_.clock().Set(China(2026, 6, 25, 10));  // B closed late: 7 working days (19th a holiday)
  MustMove(b.name(), v1::CLOSED, "", "已解决");
  f_.clock().Set(China(2026, 6, 26, 10));
  MustMove(b.name(), v1::REVISITED, "", "", 2);
  f_.clock().Set(China(2026, 6, 29, 10));
  v1::Request d = MustCreate(Body(no_chain_firm_, "", "departments/swj"));
  f_.clock().Set(China(2026, 7, 1, 10));

  v1::SummarizeRequestsRequest req;
  req.set_period("2026-06");
  req.set_as_of("2026-06-30");
  v1::SummarizeRequestsResponse resp;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp).ok());
  EXPECT_EQ(resp.period(), "2026-06");
  EXPECT_EQ(resp.as_of(), "2026-06-30");
  ASSERT_EQ(resp.rows_size(), 1);
  const v1::RequestFigures& all = resp.rows(0);
  EXPECT_EQ(all.group(), "");
  EXPECT_EQ(all.received(), 4);
  EXPECT_EQ(all.closed(), 2);
  EXPECT_EQ(all.closed_on_time(), 1);
  EXPECT_EQ(all.revisited(), 2);
  EXPECT_EQ(all.satisfied(), 1);
  EXPECT_EQ(all.overdue(), 2);                     // B closed late, C open past its deadline
  EXPECT_DOUBLE_EQ(all.close_rate(), 0.5);         // 办结率 2/4
  EXPECT_DOUBLE_EQ(all.on_time_rate(), 0.5);       // 按期办结率 1/2
  EXPECT_DOUBLE_EQ(all.satisfaction_rate(), 0.5);  // 满意率 1/2
  EXPECT_DOUBLE_EQ(all.avg_response_hours(), 23.0);
  EXPECT_DOUBLE_EQ(all.avg_close_working_days(), 5.0);  // (3 + 7) / 2

  req.set_group_by(v1::BY_DEPARTMENT);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp).ok());
  ASSERT_EQ(resp.rows_size(), 2);
  EXPECT_EQ(resp.rows(0).group(), "departments/swj");
  EXPECT_EQ(resp.rows(0).received(), 2);
  EXPECT_EQ(resp.rows(0).overdue(), 1);
  EXPECT_EQ(resp.rows(1).group(), "departments/zrzyj");
  EXPECT_EQ(resp.rows(1).closed(), 2);
  EXPECT_DOUBLE_EQ(resp.rows(1).on_time_rate(), 0.5);

  req.set_group_by(v1::BY_CHAIN);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp).ok());
  ASSERT_EQ(resp.rows_size(), 2);
  EXPECT_EQ(resp.rows(0).group(), "chains/pv");
  EXPECT_EQ(resp.rows(0).received(), 3);
  EXPECT_EQ(resp.rows(1).group(), "(none)");
  EXPECT_EQ(resp.rows(1).received(), 1);

  // As things stood at the end of 06-22: D not yet received, B not yet closed nor late.
  req.set_group_by(v1::GROUPING_UNSPECIFIED);
  req.set_as_of("2026-06-22");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp).ok());
  EXPECT_EQ(resp.rows(0).received(), 3);
  EXPECT_EQ(resp.rows(0).closed(), 1);
  EXPECT_EQ(resp.rows(0).closed_on_time(), 1);
  EXPECT_EQ(resp.rows(0).overdue(), 0);
  EXPECT_EQ(resp.rows(0).revisited(), 1);

  // Only pv's, and never after today.
  req.set_as_of("");
  req.set_chain("chains/pv");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp).ok());
  EXPECT_EQ(resp.as_of(), "2026-07-01");
  EXPECT_EQ(resp.rows(0).received(), 3);
  req.set_as_of("2026-07-02");
  EXPECT_TRUE(NamesField(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp), "as_of"));
  req.set_as_of("");
  req.set_period("2026-Q5");
  EXPECT_TRUE(NamesField(f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp), "period"));
  (void)c;
  (void)d;
}

TEST_F(SupportRequests, AYearOfAHundredThousandRequestsIsSummarizedWellUnderASecond) {
  // Rows of 2025 written straight into the table (the figures read only its columns).
  const int64_t start = Micros(China(2025, 1, 1, 9));
  absl::Status s = f_.store()->Write([&](SqlTx& tx) -> absl::Status {
    for (int i = 0; i < 100000; ++i) {
      const int64_t accept = start + int64_t{i} * 300 * 1000000;  // every 5 minutes
      const bool closed = i % 3 != 0;
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO support_requests (id, credit_code, chain, assignee, state, "
                  "channel, tier, urgent, common_to_chain, overdue, escalation_level, external_id, "
                  "input_digest, accept_us, accept_date, contact_deadline_us, "
                  "interim_reply_deadline_us, close_deadline_us, contact_us, interim_reply_us, "
                  "close_us, revisit_us, satisfaction, next_deadline_us, data, revision, "
                  "create_us, update_us) VALUES ($1, 'x', $2, $3, 4, 2, 1, 0, 0, 0, 0, '', '', $4, "
                  "'', 0, 0, $5, $6, 0, $7, 0, $8, 0, $9, 1, $4, $4)",
                  {absl::StrCat("r", i), i % 2 == 0 ? "pv" : "auto",
                   absl::StrCat("departments/d", i % 7), accept,
                   accept + int64_t{5} * 86400 * 1000000, accept + 3600 * int64_t{1000000},
                   closed ? accept + int64_t{2} * 86400 * 1000000 : int64_t{0},
                   int64_t{closed ? 4 : 0}, Blob{""}})
              .status());
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  v1::SummarizeRequestsRequest req;
  req.set_period("2025");
  req.set_group_by(v1::BY_DEPARTMENT);
  v1::SummarizeRequestsResponse resp;
  const absl::Time began = absl::Now();
  grpc::Status status = f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp);
  const absl::Duration took = absl::Now() - began;
  ASSERT_TRUE(status.ok()) << status.error_message();
  int64_t received = 0;
  for (const auto& row : resp.rows()) received += row.received();
  EXPECT_EQ(received, 100000);
  EXPECT_EQ(resp.rows_size(), 7);
  EXPECT_LT(took, absl::Milliseconds(700)) << took;

  // One chain's: the same index, half the rows.
  req.set_chain("chains/pv");
  const absl::Time again = absl::Now();
  status = f_.Viewer()(&SupportStub::SummarizeRequests, req, &resp);
  const absl::Duration took_chain = absl::Now() - again;
  ASSERT_TRUE(status.ok()) << status.error_message();
  received = 0;
  for (const auto& row : resp.rows()) received += row.received();
  EXPECT_EQ(received, 50000);
  EXPECT_LT(took_chain, absl::Milliseconds(700)) << took_chain;
}

// --- Import -------------------------------------------------------------------------------------

TEST_F(SupportRequests, AnImportWithOneBadRowStoresNothingAndNamesTheLine) {
  const std::string code = pv_firm_.credit_code();
  const std::string csv =
      absl::StrCat("external_id,enterprise,chain,title,channel,tier,tags,accept_time\n", "H-001,",
                   code, ",pv,组件认证,HOTLINE,CITY,审批;出口,2026-06-12 09:00\n", "H-002,", code,
                   ",pv,用电增容,VISIT,PLANET,用电,\n", "H-003,", TestCreditCode("341100", 77),
                   ",,融资,LETTER,CITY,,\n");
  grpc::Status status;
  v1::ImportRowsResponse resp = Import(f_.Admin(), {csv}, false, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.rows(), 3);
  EXPECT_EQ(resp.created(), 0);
  EXPECT_THAT(resp.errors(), ElementsAre(HasSubstr("line 3: tier: must be CITY or COUNTY"),
                                         HasSubstr("line 4: enterprise:")));
  EXPECT_THAT(ListNames(f_.Admin()), ElementsAre());
}

TEST_F(SupportRequests, AnImportKeepsAcceptTimesAndIsIdempotent) {
  const std::string code = pv_firm_.credit_code();
  const std::string header = "tier,channel,title,enterprise,external_id,chain,accept_time\n";
  const std::string rows =
      absl::StrCat("CITY,HOTLINE,组件认证,", code, ",H-001,pv,2026-06-12 09:00\n",
                   "COUNTY,LETTER,用电增容,", code, ",H-002,chains/pv,\n");
  grpc::Status status;
  // validate_only stores nothing.
  v1::ImportRowsResponse resp = Import(f_.ChainOffice("pv"), {header, rows}, true, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(resp.created(), 2);
  EXPECT_THAT(ListNames(f_.Admin()), ElementsAre());

  resp = Import(f_.ChainOffice("pv"), {header, rows}, false, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(resp.errors(), ElementsAre());
  EXPECT_EQ(resp.created(), 2);
  v1::Request old;
  for (const std::string& name : ListNames(f_.Admin(), "channel = HOTLINE")) old = Get(name);
  // Accepted Friday 06-12 09:00: the 5th working day after it is Mon 06-22 (06-15 … 06-18 are
  // the 1st to the 4th, Friday 06-19 is 端午节).
  EXPECT_EQ(TimeOf(old.accept_time()), China(2026, 6, 12, 9));
  EXPECT_EQ(TimeOf(old.close_deadline()), EndOf(2026, 6, 22));
  // Its contact deadline (end of 06-15) has not passed at 06-15 10:00: nothing escalated yet.
  EXPECT_EQ(old.escalation_level(), 0);
  EXPECT_EQ(old.external_id(), "H-001");

  // Run again: unchanged. Changed content under an external id: refused.
  resp = Import(f_.ChainOffice("pv"), {header, rows}, false, &status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(resp.unchanged(), 2);
  EXPECT_EQ(resp.created(), 0);
  resp = Import(f_.ChainOffice("pv"),
                {header, absl::StrCat("CITY,HOTLINE,组件认证（改）,", code,
                                      ",H-001,pv,"
                                      "2026-06-12 09:00\n")},
                false, &status);
  ASSERT_TRUE(status.ok());
  EXPECT_THAT(resp.errors(), ElementsAre(HasSubstr("line 2: external_id: 'H-001' was imported")));
  EXPECT_EQ(ListNames(f_.Admin()).size(), 2u);

  // A chain office imports only its chains' enterprises; a viewer nothing.
  resp = Import(f_.ChainOffice("auto"), {header, rows}, false, &status);
  EXPECT_THAT(resp.errors(), ElementsAre(HasSubstr("line 2:"), HasSubstr("line 3:")));
  Import(f_.Viewer(), {header, rows}, false, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A header without a required column.
  Import(f_.Admin(), {"external_id,enterprise,title\n"}, false, &status);
  EXPECT_TRUE(NamesField(status, "csv")) << status.error_message();
}

TEST_F(SupportRequests, AnImportedRequestWhoseDeadlinesPassedIsEscalatedAtOnce) {
  f_.clock().Set(China(2026, 7, 10, 9));
  grpc::Status status;
  v1::ImportRowsResponse resp =
      Import(f_.Admin(),
             {absl::StrCat("external_id,enterprise,chain,title,channel,tier,accept_time\nOLD-1,",
                           pv_firm_.credit_code(), ",pv,旧诉求,LETTER,CITY,2026-06-15 10:00\n")},
             false, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(resp.created(), 1) << ::testing::PrintToString(resp.errors());
  v1::Request r = Get(ListNames(f_.Admin())[0]);
  EXPECT_EQ(r.escalation_level(), 3);
  EXPECT_EQ(Events("request.created", r.name()).size(), 1u);
  EXPECT_EQ(Events("request.escalated", r.name()).size(), 3u);
}

// --- The calendar and the deadline rules --------------------------------------------------------

TEST_F(SupportRequests, TheShippedCalendarAndRulesApplyUntilAnAdminPutsOthers) {
  v1::Calendar calendar;
  v1::GetCalendarRequest get;
  get.set_name("calendars/cn");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetCalendar, get, &calendar).ok());
  EXPECT_EQ(calendar.name(), "calendars/cn");
  EXPECT_EQ(calendar.etag(), "shipped");
  EXPECT_GT(calendar.days_size(), 30);
  v1::DeadlineRules rules;
  ASSERT_TRUE(
      f_.Viewer()(&SupportStub::GetDeadlineRules, v1::GetDeadlineRulesRequest(), &rules).ok());
  ASSERT_EQ(rules.rules_size(), 3);
  EXPECT_EQ(rules.rules(0).name(), "urgent");
  EXPECT_EQ(rules.rules(0).contact(), "2h");

  // A city declares Tuesday 06-16 a holiday: contact moves to Wednesday.
  v1::Calendar mine;
  v1::CalendarDay* day = mine.add_days();
  day->set_date("2026-06-16");
  day->set_name("本地假日");
  mine.set_etag("shipped");
  v1::PutCalendarRequest put;
  *put.mutable_calendar() = mine;
  v1::Calendar stored;
  EXPECT_EQ(f_.Department("swj")(&SupportStub::PutCalendar, put, &stored).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(f_.Admin()(&SupportStub::PutCalendar, put, &stored).ok());
  EXPECT_EQ(stored.days_size(), 1);
  EXPECT_NE(stored.etag(), "shipped");
  EXPECT_EQ(f_.Admin()(&SupportStub::PutCalendar, put, &stored).error_code(),
            grpc::StatusCode::ABORTED);

  // Land requests get 20 working days to close.
  v1::PutDeadlineRulesRequest put_rules;
  *put_rules.mutable_deadline_rules() = rules;
  v1::DeadlineRule land;
  land.set_name("land");
  land.set_tag("用地");
  land.set_contact("1wd");
  land.set_close("20wd");
  *put_rules.mutable_deadline_rules()->mutable_rules()->Add() = land;
  // Not last: it goes first.
  auto* list = put_rules.mutable_deadline_rules()->mutable_rules();
  list->SwapElements(0, list->size() - 1);  // land first, urgent last …
  list->SwapElements(1, list->size() - 1);  // … urgent second, default last
  list->SwapElements(2, list->size() - 1);
  v1::DeadlineRules written;
  grpc::Status s = f_.Admin()(&SupportStub::PutDeadlineRules, put_rules, &written);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(written.rules(0).name(), "land");
  EXPECT_EQ(written.rules(3).name(), "default");

  v1::Request r = MustCreate(Body(pv_firm_));
  EXPECT_EQ(r.deadline_rule(), "land");
  EXPECT_EQ(TimeOf(r.contact_deadline()), EndOf(2026, 6, 17));
  EXPECT_FALSE(r.has_interim_reply_deadline());
  // 20 working days after Monday 06-15 with 06-16 off; the put calendar replaced the shipped one,
  // so 06-19 is worked: 06-17 is the 1st, Tuesday 07-14 the 20th.
  EXPECT_EQ(TimeOf(r.close_deadline()), EndOf(2026, 7, 14));

  // Bad rules name the field.
  put_rules.mutable_deadline_rules()->mutable_rules(0)->set_close("20 days");
  put_rules.mutable_deadline_rules()->set_etag(written.etag());
  s = f_.Admin()(&SupportStub::PutDeadlineRules, put_rules, &written);
  EXPECT_TRUE(NamesField(s, "deadline_rules.rules[0].close")) << s.error_message();
}

}  // namespace
}  // namespace chainhub::testing
