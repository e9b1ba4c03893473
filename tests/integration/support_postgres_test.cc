// ChainSupport end to end with its store on PostgreSQL (a throwaway server,
// tests/support/postgres_server.h; a database per test): 包保 assignments, visits and 一企一策;
// requests through their life with working-day deadlines, the sweep's escalations, the figures of
// a hand-computed month, an import and the calendar and rules an admin puts; policies, matching,
// 免申即享 payout lists, a claim applied for, approved and paid, and the payout figures; chain
// entries; supplier spend and the 本地配套率; chain plans with their versions and progress; a plan
// published to real assessment and intake servers; the first start's backfill from a real
// registry. Every table of the support migrations is written and read; lists are filtered and
// paged; writes are audited and their events go from the PostgreSQL outbox to the Redis stream.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/base/fields.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "common/service/resource.h"
#include "services/clients/owner_lists.h"
#include "services/support/backfill.h"
#include "tests/support/assessment_fixture.h"
#include "tests/support/events_util.h"
#include "tests/support/hostile_input.h"
#include "tests/support/postgres_server.h"
#include "tests/support/support_fixture.h"

namespace chainhub::testing {
namespace {

namespace v1 = support::v1;
namespace reg = registry::v1;
namespace av1 = assessment::v1;
namespace iv1 = intake::v1;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// One PostgreSQL server for the suite, a database per test.
class PostgresDatabases {
 public:
  static absl::StatusOr<std::string> Create() {
    if (server_ == nullptr) {
      auto started = PostgresServer::Start();
      if (!started.ok()) return started.status();
      server_ = std::move(*started).release();
    }
    return server_->CreateDatabase(absl::StrCat("support_", ++databases_));
  }
  static void Stop() {
    delete server_;
    server_ = nullptr;
  }

 private:
  static inline PostgresServer* server_ = nullptr;
  static inline int databases_ = 0;
};

// The rows `table` holds in `store`, or -1 when it cannot be read.
int64_t RowsOf(Store* store, const std::string& table) {
  int64_t n = -1;
  absl::Status s = store->Read([&](SqlTx& tx) -> absl::Status {
    auto row = tx.QueryOne(absl::StrCat("SELECT COUNT(*) FROM ", table));
    if (!row.ok()) return row.status();
    n = row->Int(0);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << table << ": " << s;
  return n;
}

// The events of `type` (about `subject`, when given) on the Redis stream, once the relay has
// published `want` of them (10 s at most).
int StreamEvents(RedisServer& redis, const std::string& type, const std::string& subject,
                 int want) {
  RedisClient client(redis.ClientOptions());
  int found = 0;
  Eventually(
      [&] {
        found = 0;
        auto reply = client.Command({"XRANGE", std::string(kEventStream), "-", "+"});
        if (!reply.ok()) return false;
        for (const auto& entry : reply->elements) {
          if (entry.elements.size() < 2) continue;
          const auto& fields = entry.elements[1].elements;
          for (size_t i = 0; i + 1 < fields.size(); i += 2) {
            CloudEvent event;
            if (fields[i].str != "event" || !event.ParseFromString(fields[i + 1].str)) continue;
            found += event.type() == type && (subject.empty() || SubjectOf(event) == subject);
          }
        }
        return found >= want;
      },
      absl::Seconds(10));
  return found;
}

class SupportPostgres : public ::testing::Test {
 protected:
  static void TearDownTestSuite() { PostgresDatabases::Stop(); }

  void SetUp() override {
    auto url = PostgresDatabases::Create();
    ASSERT_TRUE(url.ok()) << url.status();
    ASSERT_NO_FATAL_FAILURE(f_.SetUp(*url));
    ASSERT_EQ(f_.store()->dialect(), "postgresql");
  }
  void TearDown() override { f_.TearDown(); }

  // Every table in `tables` holds rows.
  void ExpectRowsIn(const std::vector<std::string>& tables) {
    for (const std::string& table : tables) EXPECT_GT(RowsOf(f_.store(), table), 0) << table;
  }

  // The outbox events of `type` (about `subject`, when given).
  int OutboxCount(const std::string& type, const std::string& subject = "") {
    int n = 0;
    for (const CloudEvent& e : f_.OutboxEvents()) {
      n += e.type() == type && (subject.empty() || SubjectOf(e) == subject);
    }
    return n;
  }

  SupportFixture f_;
};

// --- 包保 and 一企一策
// ----------------------------------------------------------------------------

v1::CreateAssignmentRequest Assign(const reg::Enterprise& e, const std::string& officer_dept,
                                   const std::string& start_date) {
  v1::CreateAssignmentRequest req;
  v1::Assignment* a = req.mutable_assignment();
  a->set_enterprise(e.name());
  a->mutable_leader()->set_department("departments/kjj");
  a->mutable_leader()->set_person("王强");
  v1::Official* o = a->add_officers();
  o->set_department(officer_dept);
  o->set_person("李娜");
  o->set_title("服务专员");
  a->set_start_date(start_date);
  a->set_cadence(v1::MONTHLY);
  return req;
}

TEST_F(SupportPostgres, AssignmentsVisitsAndFirmPlansLiveOnPostgres) {
  reg::Enterprise glass =
      f_.MakeEnterprise(1, "滁州某光伏玻璃有限公司", {"chains/pv/nodes/glass"},
                        {reg::ENTERPRISE_LABEL_CHAIN_OWNER}, 3'000'000'000, "2015-03-01");
  const reg::Enterprise parts =
      f_.MakeEnterprise(2, "滁州某汽车零部件有限公司", {"chains/nev/nodes/parts"});
  ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(glass));
  ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(parts));
  // The registry renames it: the copy's row is replaced, not doubled.
  glass.set_display_name("滁州某光伏玻璃股份有限公司");
  ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(glass));
  EXPECT_EQ(RowsOf(f_.store(), "support_enterprises"), 2);

  v1::CreateAssignmentRequest req = Assign(glass, "departments/jxj", "2026-05-10");
  req.set_request_id("pg-assign-glass");
  v1::Assignment a;
  grpc::Status s = f_.ChainOffice("pv")(&SupportStub::CreateAssignment, req, &a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(a.enterprise_display_name(), "滁州某光伏玻璃股份有限公司");
  EXPECT_THAT(a.chains(), ElementsAre("chains/pv"));
  EXPECT_TRUE(a.visit_overdue());
  v1::Assignment again;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::CreateAssignment, req, &again).ok());
  EXPECT_EQ(again.name(), a.name());
  EXPECT_EQ(
      f_.ChainOffice("nev")
          .Status(&SupportStub::CreateAssignment, Assign(glass, "departments/jxj", "2026-05-10"))
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::Assignment p;
  ASSERT_TRUE(
      f_.Admin()(&SupportStub::CreateAssignment, Assign(parts, "departments/swj", "2026-05-10"), &p)
          .ok());

  // Who sees the assignment: its departments, not another.
  v1::GetAssignmentRequest get;
  get.set_name(a.name());
  v1::Assignment got;
  EXPECT_TRUE(f_.Department("jxj")(&SupportStub::GetAssignment, get, &got).ok());
  EXPECT_EQ(f_.Department("swj")(&SupportStub::GetAssignment, get, &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // A visit with a request raised on it.
  v1::LogVisitRequest visit;
  visit.set_parent(a.name());
  visit.set_request_id("pg-visit-1");
  visit.mutable_visit()->set_visit_date("2026-06-12");
  v1::Official* who = visit.mutable_visit()->add_visitors();
  who->set_department("departments/jxj");
  who->set_person("李娜");
  visit.mutable_visit()->set_summary("走访了解二期扩产进度，企业反映用地指标诉求。");
  v1::Request* raised = visit.mutable_visit()->add_new_requests();
  raised->set_chain("chains/pv");
  raised->set_title("二期项目用地指标");
  raised->set_tier(v1::CITY);
  raised->set_assignee("departments/zrzyj");
  v1::Visit logged;
  s = f_.Department("jxj")(&SupportStub::LogVisit, visit, &logged);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(logged.requests_raised_size(), 1);
  EXPECT_EQ(OutboxCount("request.created", logged.requests_raised(0)), 1);
  ASSERT_TRUE(f_.Admin()(&SupportStub::GetAssignment, get, &got).ok());
  EXPECT_EQ(got.last_visit_date(), "2026-06-12");
  EXPECT_EQ(got.next_visit_due(), "2026-07-31");
  EXPECT_FALSE(got.visit_overdue());

  auto list = [&](const SupportCaller& as, const std::string& filter) {
    v1::ListAssignmentsRequest r;
    r.set_filter(filter);
    v1::ListAssignmentsResponse resp;
    grpc::Status st = as(&SupportStub::ListAssignments, r, &resp);
    EXPECT_TRUE(st.ok()) << filter << ": " << st.error_message();
    std::vector<std::string> names;
    for (const auto& x : resp.assignments()) names.push_back(x.name());
    return names;
  };
  EXPECT_THAT(list(f_.Admin(), "visit_overdue = true"), ElementsAre(p.name()));
  EXPECT_THAT(list(f_.Admin(), "chain = \"pv\""), ElementsAre(a.name()));
  EXPECT_THAT(list(f_.Admin(), "department = \"departments/swj\""), ElementsAre(p.name()));
  EXPECT_THAT(list(f_.Admin(), "cadence = MONTHLY"), UnorderedElementsAre(a.name(), p.name()));
  EXPECT_THAT(list(f_.Department("jxj"), ""), ElementsAre(a.name()));
  EXPECT_THAT(list(f_.Department("fjj"), ""), ElementsAre());
  v1::ListAssignmentsRequest paged;
  paged.set_page_size(1);
  v1::ListAssignmentsResponse page;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, paged, &page).ok());
  ASSERT_EQ(page.assignments_size(), 1);
  ASSERT_FALSE(page.next_page_token().empty());
  const std::string first = page.assignments(0).name();
  paged.set_page_token(page.next_page_token());
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListAssignments, paged, &page).ok());
  ASSERT_EQ(page.assignments_size(), 1);
  EXPECT_NE(page.assignments(0).name(), first);
  EXPECT_TRUE(page.next_page_token().empty());

  // Ending the parts assignment: no longer active; a stale etag is aborted.
  v1::UpdateAssignmentRequest end;
  end.mutable_assignment()->set_name(p.name());
  end.mutable_assignment()->set_end_date("2026-06-01");
  end.mutable_assignment()->set_etag(p.etag());
  end.mutable_update_mask()->add_paths("end_date");
  v1::Assignment ended;
  ASSERT_TRUE(f_.Admin()(&SupportStub::UpdateAssignment, end, &ended).ok());
  EXPECT_FALSE(ended.active());
  EXPECT_EQ(f_.Admin()(&SupportStub::UpdateAssignment, end, &ended).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_THAT(list(f_.Admin(), "active = true"), ElementsAre(a.name()));
  EXPECT_THAT(list(f_.Department("swj"), ""), ElementsAre());

  v1::ListVisitsRequest visits;
  visits.set_parent("assignments/-");
  visits.set_filter("visit_date = \"2026-06-12\"");
  v1::ListVisitsResponse visit_list;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::ListVisits, visits, &visit_list).ok());
  ASSERT_EQ(visit_list.visits_size(), 1);
  EXPECT_EQ(visit_list.visits(0).name(), logged.name());
  ASSERT_TRUE(f_.Department("swj")(&SupportStub::ListVisits, visits, &visit_list).ok());
  EXPECT_EQ(visit_list.visits_size(), 0);

  // 一企一策: written by an assigned department, reviewed by the chain office.
  v1::CreateFirmPlanRequest plan_req;
  plan_req.set_request_id("pg-firm-plan");
  v1::FirmPlan* plan = plan_req.mutable_firm_plan();
  plan->set_enterprise(glass.name());
  plan->set_title("光伏玻璃龙头企业一企一策");
  v1::FirmGoal* goal = plan->add_goals();
  goal->set_year(2026);
  goal->set_output_yuan(3'500'000'000);
  goal->set_listing(v1::TUTORING);
  v1::SupportMeasure* m = plan->add_measures();
  m->set_title("协调二期项目用地指标");
  m->set_department("departments/zrzyj");
  m->set_status(v1::PLANNED);
  v1::FirmPlan made;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::CreateFirmPlan, plan_req, &made).ok());
  v1::FirmPlan made_again;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::CreateFirmPlan, plan_req, &made_again).ok());
  EXPECT_EQ(made_again.name(), made.name());
  v1::UpdateFirmPlanRequest retitle;
  retitle.mutable_firm_plan()->set_name(made.name());
  retitle.mutable_firm_plan()->set_title("光伏玻璃龙头企业一企一策（2026）");
  retitle.mutable_firm_plan()->set_etag(made.etag());
  retitle.mutable_update_mask()->add_paths("title");
  v1::FirmPlan retitled;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::UpdateFirmPlan, retitle, &retitled).ok());
  EXPECT_EQ(retitled.title(), "光伏玻璃龙头企业一企一策（2026）");
  v1::AddFirmPlanReviewRequest review;
  review.set_name(made.name());
  review.set_etag(retitled.etag());
  review.mutable_review()->set_review_date("2026-06-15");
  review.mutable_review()->set_summary("上半年产值完成45%，用地指标已报省厅。");
  review.mutable_review()->set_rating(3);
  v1::FirmPlan reviewed;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::AddFirmPlanReview, review, &reviewed).ok());
  ASSERT_EQ(reviewed.reviews_size(), 1);
  EXPECT_EQ(f_.Admin()(&SupportStub::AddFirmPlanReview, review, &reviewed).error_code(),
            grpc::StatusCode::ABORTED);
  v1::ListFirmPlansRequest plans;
  plans.set_filter("chain = \"pv\"");
  v1::ListFirmPlansResponse plan_list;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::ListFirmPlans, plans, &plan_list).ok());
  EXPECT_EQ(plan_list.firm_plans_size(), 1);
  ASSERT_TRUE(f_.Department("swj")(&SupportStub::ListFirmPlans, plans, &plan_list).ok());
  EXPECT_EQ(plan_list.firm_plans_size(), 0);

  // Audited: the assignment's creation and its visit; the plan's creation, update and review.
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource : \"" + a.name() + "\"").size(), 2u);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + made.name() + "\"").size(), 3u);
  EXPECT_EQ(StreamEvents(f_.redis(), "request.created", logged.requests_raised(0), 1), 1);
  ExpectRowsIn({"support_enterprises", "support_enterprise_chains", "support_assignments",
                "support_assignment_departments", "support_visits", "support_firm_plans",
                "support_requests", "audit_events", "idempotency"});
}

// --- 企业诉求
// -------------------------------------------------------------------------------------

class SupportPostgresRequests : public SupportPostgres {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(SupportPostgres::SetUp());
    pv_firm_ = f_.MakeEnterprise(1, "滁州光伏组件有限公司", {"chains/pv/nodes/modules"});
    no_chain_firm_ = f_.MakeEnterprise(3, "滁州商贸有限公司", {});
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(pv_firm_));
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(no_chain_firm_));
  }

  v1::Request Body(const reg::Enterprise& firm, const std::string& chain,
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

  v1::Request MustCreate(const v1::Request& body, const std::string& request_id = "") {
    v1::CreateRequestRequest req;
    *req.mutable_request() = body;
    req.set_request_id(request_id);
    v1::Request out;
    grpc::Status s = f_.Admin()(&SupportStub::CreateRequest, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  grpc::Status Move(const SupportCaller& as, const std::string& name, v1::RequestState to,
                    v1::Request* out, const std::string& assignee = "",
                    const std::string& note = "", int satisfaction = 0) {
    v1::TransitionRequestRequest req;
    req.set_name(name);
    req.set_state(to);
    req.set_assignee(assignee);
    req.set_note(note);
    req.set_satisfaction(satisfaction);
    return as(&SupportStub::TransitionRequest, req, out);
  }

  void MustMove(const std::string& name, v1::RequestState to, const std::string& note = "",
                int satisfaction = 0) {
    v1::Request out;
    grpc::Status s = Move(f_.Admin(), name, to, &out, "", note, satisfaction);
    EXPECT_TRUE(s.ok()) << name << ": " << s.error_message();
  }

  v1::Request Get(const std::string& name) {
    v1::GetRequestRequest req;
    req.set_name(name);
    v1::Request out;
    grpc::Status s = f_.Admin()(&SupportStub::GetRequest, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<std::string> ListNames(const std::string& filter, const std::string& order_by = "") {
    v1::ListRequestsRequest req;
    req.set_filter(filter);
    req.set_order_by(order_by);
    req.set_page_size(1000);
    v1::ListRequestsResponse resp;
    grpc::Status s = f_.Admin()(&SupportStub::ListRequests, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    std::vector<std::string> names;
    for (const auto& r : resp.requests()) names.push_back(r.name());
    return names;
  }

  reg::Enterprise pv_firm_;
  reg::Enterprise no_chain_firm_;
};

TEST_F(SupportPostgresRequests, RequestsLiveTheirLifeWithDeadlinesFiguresAndEscalationsOnPostgres) {
  // The hand-computed month of support_requests_test.cc: A, B and C accepted Monday 06-15 10:00
  // (close due end of 06-23, 06-19 being 端午节); D on 06-29, without chain.
  const v1::Request a = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"), "pg-req-a");
  EXPECT_EQ(MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"), "pg-req-a").name(),
            a.name());
  EXPECT_EQ(TimeOf(a.contact_deadline()), EndOf(2026, 6, 16));
  EXPECT_EQ(TimeOf(a.close_deadline()), EndOf(2026, 6, 23));
  const v1::Request b = MustCreate(Body(pv_firm_, "chains/pv", "departments/zrzyj"));
  const v1::Request c = MustCreate(Body(pv_firm_, "chains/pv", "departments/swj"));
  f_.clock().Set(China(2026, 6, 16, 9));
  MustMove(a.name(), v1::HANDLING);
  MustMove(b.name(), v1::HANDLING);
  f_.clock().Set(China(2026, 6, 18, 15));
  MustMove(a.name(), v1::CLOSED, "已解决");
  f_.clock().Set(China(2026, 6, 20, 10));
  MustMove(a.name(), v1::REVISITED, "", 5);
  f_.clock().Set(China(2026, 6, 25, 10));
  MustMove(b.name(), v1::CLOSED, "已解决");
  f_.clock().Set(China(2026, 6, 26, 10));
  MustMove(b.name(), v1::REVISITED, "", 2);
  f_.clock().Set(China(2026, 6, 29, 10));
  const v1::Request d = MustCreate(Body(no_chain_firm_, "", "departments/swj"));
  f_.clock().Set(China(2026, 7, 1, 10));

  v1::SummarizeRequestsRequest sum;
  sum.set_period("2026-06");
  sum.set_as_of("2026-06-30");
  v1::SummarizeRequestsResponse figures;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, sum, &figures).ok());
  ASSERT_EQ(figures.rows_size(), 1);
  const v1::RequestFigures& all = figures.rows(0);
  EXPECT_EQ(all.received(), 4);
  EXPECT_EQ(all.closed(), 2);
  EXPECT_EQ(all.closed_on_time(), 1);
  EXPECT_EQ(all.revisited(), 2);
  EXPECT_EQ(all.satisfied(), 1);
  EXPECT_EQ(all.overdue(), 2);
  EXPECT_DOUBLE_EQ(all.close_rate(), 0.5);
  EXPECT_DOUBLE_EQ(all.on_time_rate(), 0.5);
  EXPECT_DOUBLE_EQ(all.satisfaction_rate(), 0.5);
  EXPECT_DOUBLE_EQ(all.avg_response_hours(), 23.0);
  EXPECT_DOUBLE_EQ(all.avg_close_working_days(), 5.0);
  sum.set_group_by(v1::BY_DEPARTMENT);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, sum, &figures).ok());
  ASSERT_EQ(figures.rows_size(), 2);
  EXPECT_EQ(figures.rows(0).group(), "departments/swj");
  EXPECT_EQ(figures.rows(0).received(), 2);
  EXPECT_EQ(figures.rows(1).group(), "departments/zrzyj");
  EXPECT_EQ(figures.rows(1).closed(), 2);
  sum.set_group_by(v1::BY_CHAIN);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, sum, &figures).ok());
  ASSERT_EQ(figures.rows_size(), 2);
  EXPECT_EQ(figures.rows(0).group(), "chains/pv");
  EXPECT_EQ(figures.rows(0).received(), 3);
  EXPECT_EQ(figures.rows(1).group(), "(none)");
  sum.set_group_by(v1::GROUPING_UNSPECIFIED);
  sum.set_as_of("2026-06-22");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizeRequests, sum, &figures).ok());
  EXPECT_EQ(figures.rows(0).received(), 3);
  EXPECT_EQ(figures.rows(0).closed_on_time(), 1);
  EXPECT_EQ(figures.rows(0).overdue(), 0);

  // E lives its whole life on Wednesday 07-01 and after: 交办, 办理, an interim reply, 办结, 回访.
  const v1::Request e = MustCreate(Body(pv_firm_, "chains/pv"));
  v1::Request out;
  ASSERT_TRUE(Move(f_.ChainOffice("pv"), e.name(), v1::ASSIGNED, &out, "departments/zrzyj").ok());
  f_.clock().Set(China(2026, 7, 2, 9));
  ASSERT_TRUE(Move(f_.Department("zrzyj"), e.name(), v1::HANDLING, &out).ok());
  v1::ReplyToRequestRequest reply;
  reply.set_name(e.name());
  reply.set_note("已与省厅对接，预计下周答复。");
  reply.set_etag(e.etag());
  EXPECT_EQ(f_.Department("zrzyj")(&SupportStub::ReplyToRequest, reply, &out).error_code(),
            grpc::StatusCode::ABORTED);
  reply.set_etag(out.etag());
  ASSERT_TRUE(f_.Department("zrzyj")(&SupportStub::ReplyToRequest, reply, &out).ok());
  f_.clock().Set(China(2026, 7, 3, 11));
  ASSERT_TRUE(Move(f_.Department("zrzyj"), e.name(), v1::CLOSED, &out, "", "指标已落实").ok());
  EXPECT_FALSE(out.overdue());
  ASSERT_TRUE(Move(f_.ChainOffice("pv"), e.name(), v1::REVISITED, &out, "", "", 5).ok());
  std::vector<v1::RequestState> states;
  for (const auto& h : out.history()) states.push_back(h.state());
  EXPECT_THAT(states, ElementsAre(v1::ACCEPTED, v1::ASSIGNED, v1::HANDLING, v1::HANDLING,
                                  v1::CLOSED, v1::REVISITED));
  EXPECT_EQ(OutboxCount("request.updated", e.name()), 5);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), absl::StrCat("resource = \"", e.name(), "\"")).size(), 6u);

  // F, accepted Friday 07-03 11:00 and never contacted: its contact deadline (the end of the
  // first working day after, Monday 07-06) has passed by Tuesday noon, its others have not.
  const v1::Request f = MustCreate(Body(pv_firm_, "chains/pv", "departments/swj"));
  EXPECT_EQ(TimeOf(f.contact_deadline()), EndOf(2026, 7, 6));
  f_.clock().Set(China(2026, 7, 7, 12));
  auto swept = f_.service().SweepRequests();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_GT(*swept, 0);
  const v1::Request f_now = Get(f.name());
  EXPECT_EQ(f_now.escalation_level(), 1);
  EXPECT_TRUE(f_now.overdue());
  EXPECT_EQ(OutboxCount("request.escalated", f.name()), 1);
  EXPECT_EQ(OutboxCount("request.overdue", f.name()), 1);
  swept = f_.service().SweepRequests();
  ASSERT_TRUE(swept.ok()) << swept.status();
  EXPECT_EQ(*swept, 0) << "a second sweep found deadlines the first had escalated";
  EXPECT_EQ(StreamEvents(f_.redis(), "request.escalated", f.name(), 1), 1);

  // Filtered, ordered and paged lists.
  EXPECT_EQ(ListNames("tag = \"用地\"").size(), 6u);
  EXPECT_THAT(ListNames("state = REVISITED"), UnorderedElementsAre(a.name(), b.name(), e.name()));
  EXPECT_THAT(ListNames("assignee = \"departments/swj\""),
              UnorderedElementsAre(c.name(), d.name(), f.name()));
  EXPECT_THAT(ListNames("chain = \"pv\" AND escalation_level = 1"), ElementsAre(f.name()));
  EXPECT_THAT(ListNames("accept_date = \"2026-07-01\""), ElementsAre(e.name()));
  EXPECT_THAT(ListNames("enterprise = \"" + no_chain_firm_.name() + "\""), ElementsAre(d.name()));
  // Oldest first: A, B and C were accepted at one instant.
  const std::vector<std::string> by_accept = ListNames("", "accept_time");
  ASSERT_EQ(by_accept.size(), 6u);
  EXPECT_THAT(std::vector<std::string>(by_accept.begin(), by_accept.begin() + 3),
              UnorderedElementsAre(a.name(), b.name(), c.name()));
  EXPECT_THAT(std::vector<std::string>(by_accept.begin() + 3, by_accept.end()),
              ElementsAre(d.name(), e.name(), f.name()));
  std::set<std::string> walked;
  v1::ListRequestsRequest paged;
  paged.set_page_size(4);
  paged.set_order_by("close_deadline");
  int pages = 0;
  do {
    v1::ListRequestsResponse page;
    ASSERT_TRUE(f_.Admin()(&SupportStub::ListRequests, paged, &page).ok());
    for (const auto& r : page.requests()) walked.insert(r.name());
    paged.set_page_token(page.next_page_token());
    ++pages;
  } while (!paged.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(walked.size(), 6u);

  // An import, and its re-run unchanged (the external id is unique in the table).
  const std::string header = "tier,channel,title,enterprise,external_id,chain,accept_time\n";
  const std::string rows = absl::StrCat("CITY,HOTLINE,组件认证,", pv_firm_.credit_code(),
                                        ",PG-001,pv,2026-07-06 09:00\n");
  for (int run = 0; run < 2; ++run) {
    auto ctx = ContextWithToken(f_.Admin().token());
    v1::ImportRowsResponse resp;
    auto writer = f_.stub().ImportRequests(ctx.get(), &resp);
    v1::ImportRowsRequest msg;
    msg.set_csv(header + rows);
    writer->Write(msg);
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_THAT(resp.errors(), ElementsAre());
    EXPECT_EQ(resp.created(), run == 0 ? 1 : 0);
    EXPECT_EQ(resp.unchanged(), run == 0 ? 0 : 1);
  }
  EXPECT_EQ(ListNames("channel = HOTLINE AND accept_date = \"2026-07-06\"").size(), 1u);

  // The calendar and the deadline rules an admin puts are stored and read back.
  v1::PutCalendarRequest put;
  v1::CalendarDay* day = put.mutable_calendar()->add_days();
  day->set_date("2026-07-08");
  day->set_name("本地假日");
  put.mutable_calendar()->set_etag("shipped");
  v1::Calendar stored;
  ASSERT_TRUE(f_.Admin()(&SupportStub::PutCalendar, put, &stored).ok());
  EXPECT_EQ(f_.Admin()(&SupportStub::PutCalendar, put, &stored).error_code(),
            grpc::StatusCode::ABORTED);
  v1::GetCalendarRequest get_calendar;
  get_calendar.set_name("calendars/cn");
  v1::Calendar read;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetCalendar, get_calendar, &read).ok());
  ASSERT_EQ(read.days_size(), 1);
  EXPECT_EQ(read.etag(), stored.etag());
  v1::DeadlineRules rules;
  ASSERT_TRUE(
      f_.Viewer()(&SupportStub::GetDeadlineRules, v1::GetDeadlineRulesRequest(), &rules).ok());
  v1::PutDeadlineRulesRequest put_rules;
  *put_rules.mutable_deadline_rules() = rules;
  put_rules.mutable_deadline_rules()->mutable_rules(0)->set_contact("3h");
  v1::DeadlineRules written;
  grpc::Status s = f_.Admin()(&SupportStub::PutDeadlineRules, put_rules, &written);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(
      f_.Viewer()(&SupportStub::GetDeadlineRules, v1::GetDeadlineRulesRequest(), &rules).ok());
  EXPECT_EQ(rules.rules(0).contact(), "3h");
  EXPECT_EQ(rules.etag(), written.etag());

  EXPECT_EQ(StreamEvents(f_.redis(), "request.created", "", 7), 7);
  ExpectRowsIn({"support_requests", "support_request_tags", "support_request_settings", "outbox",
                "audit_events", "idempotency"});
  EXPECT_EQ(RowsOf(f_.store(), "support_request_settings"), 2);
}

// --- 政策链
// ---------------------------------------------------------------------------------------

TEST_F(SupportPostgres, PoliciesAreMatchedGeneratedAppliedForAndPaidOnPostgres) {
  // The city of support_policies_test.cc: for the item below A gets 300,000, C 400,000 and G
  // 450,000 (capped); B is too young, D off the chain, E not SPECIALIZED, F without a founding
  // date.
  std::map<char, std::string> code;
  for (const auto& [key, e] : PolicyCity(f_)) {
    ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(e));
    code[key] = "enterprises/" + e.credit_code();
  }

  v1::CreatePolicyRequest policy_req;
  policy_req.set_request_id("pg-policy");
  v1::Policy* body = policy_req.mutable_policy();
  body->set_title("滁州市支持光伏产业高质量发展若干政策");
  body->set_document_number("滁政〔2026〕12号");
  body->set_department("departments/jxj");
  body->set_issue_date("2026-01-10");
  body->add_chains("chains/pv");
  v1::Policy policy;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::CreatePolicy, policy_req, &policy).ok());
  v1::Policy policy_again;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::CreatePolicy, policy_req, &policy_again).ok());
  EXPECT_EQ(policy_again.name(), policy.name());
  auto policies = [&](const std::string& filter) {
    v1::ListPoliciesRequest req;
    req.set_filter(filter);
    v1::ListPoliciesResponse resp;
    EXPECT_TRUE(f_.Viewer()(&SupportStub::ListPolicies, req, &resp).ok()) << filter;
    return resp.policies_size();
  };
  EXPECT_EQ(policies("chain = \"pv\""), 1);
  EXPECT_EQ(policies("chain = \"nev\""), 0);
  EXPECT_EQ(policies("department = \"departments/jxj\""), 1);

  auto item_body = [&](const std::string& id, v1::Lane lane) {
    v1::PolicyItem item;
    item.set_name(absl::StrCat(policy.name(), "/items/", id));
    item.set_title("专精特新光伏企业奖励");
    item.set_eligibility(
        "label = \"SPECIALIZED\" AND annual_output_yuan >= 50000000 AND years_since_founding >= "
        "2");
    item.set_base_amount_yuan(300'000);
    auto bonus = [&](const std::string& when, int64_t yuan) {
      v1::Bonus* b = item.add_bonuses();
      b->set_when(when);
      b->set_amount_yuan(yuan);
    };
    bonus("label = \"HEAD\"", 200'000);
    bonus("label = \"HIGH_TECH\"", 100'000);
    bonus("annual_output_yuan >= 100000000", 150'000);
    item.set_cap_yuan(450'000);
    item.set_open_date("2026-01-01");
    item.set_close_date("2026-12-31");
    item.set_department("departments/czj");
    item.set_lane(lane);
    if (lane == v1::FAST) item.set_time_limit_working_days(5);
    item.set_budget_yuan(1'000'000);
    v1::CreatePolicyItemRequest req;
    req.set_parent(policy.name());
    *req.mutable_item() = item;
    req.set_request_id("pg-item-" + id);
    return req;
  };
  v1::PolicyItem automatic, fast, out_item;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::CreatePolicyItem, item_body("auto", v1::AUTOMATIC),
                                   &automatic)
                  .ok());
  ASSERT_TRUE(
      f_.Department("jxj")(&SupportStub::CreatePolicyItem, item_body("fast", v1::FAST), &fast)
          .ok());
  ASSERT_TRUE(
      f_.Department("jxj")(&SupportStub::CreatePolicyItem, item_body("fast", v1::FAST), &out_item)
          .ok());
  EXPECT_EQ(out_item.etag(), fast.etag());
  EXPECT_THAT(fast.chains(), ElementsAre("chains/pv"));
  auto items = [&](const std::string& filter, int page_size = 0, std::string* token = nullptr) {
    v1::ListPolicyItemsRequest req;
    req.set_parent("policies/-");
    req.set_filter(filter);
    req.set_page_size(page_size);
    if (token != nullptr) req.set_page_token(*token);
    v1::ListPolicyItemsResponse resp;
    EXPECT_TRUE(f_.Viewer()(&SupportStub::ListPolicyItems, req, &resp).ok()) << filter;
    if (token != nullptr) *token = resp.next_page_token();
    std::vector<std::string> names;
    for (const auto& i : resp.items()) names.push_back(i.name());
    return names;
  };
  EXPECT_THAT(items("lane = AUTOMATIC"), ElementsAre(automatic.name()));
  EXPECT_THAT(items("open = true AND lane = FAST"), ElementsAre(fast.name()));
  EXPECT_THAT(items("open = false"), ElementsAre());
  EXPECT_THAT(items("department = \"departments/czj\" AND chain = \"pv\""),
              UnorderedElementsAre(automatic.name(), fast.name()));
  std::string token;
  std::vector<std::string> walked = items("", 1, &token);
  ASSERT_FALSE(token.empty());
  const std::vector<std::string> second = items("", 1, &token);
  walked.insert(walked.end(), second.begin(), second.end());
  EXPECT_TRUE(token.empty());
  EXPECT_THAT(walked, UnorderedElementsAre(automatic.name(), fast.name()));

  v1::UpdatePolicyItemRequest update;
  *update.mutable_item() = fast;
  update.mutable_item()->set_standard("一次性奖励30万元，另按条件叠加，最高45万元");
  update.mutable_update_mask()->add_paths("standard");
  v1::PolicyItem updated;
  ASSERT_TRUE(f_.Department("jxj")(&SupportStub::UpdatePolicyItem, update, &updated).ok());
  EXPECT_EQ(f_.Department("jxj")(&SupportStub::UpdatePolicyItem, update, &out_item).error_code(),
            grpc::StatusCode::ABORTED);

  // Matching, two to a page; D is not on the policy's chain, so six enterprises are examined.
  v1::MatchPolicyItemRequest match;
  match.set_item(automatic.name());
  match.set_page_size(2);
  v1::MatchPolicyItemResponse matched;
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::MatchPolicyItem, match, &matched).ok());
  EXPECT_EQ(matched.examined(), 6);
  EXPECT_EQ(matched.qualified(), 3);
  EXPECT_EQ(matched.total_amount_yuan(), 1'150'000);
  ASSERT_EQ(matched.matches_size(), 2);
  ASSERT_FALSE(matched.next_page_token().empty());
  std::set<std::string> qualifying = {matched.matches(0).enterprise(),
                                      matched.matches(1).enterprise()};
  match.set_page_token(matched.next_page_token());
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::MatchPolicyItem, match, &matched).ok());
  ASSERT_EQ(matched.matches_size(), 1);
  EXPECT_TRUE(matched.next_page_token().empty());
  qualifying.insert(matched.matches(0).enterprise());
  EXPECT_EQ(qualifying, (std::set<std::string>{code['A'], code['C'], code['G']}));
  v1::MatchEnterpriseRequest for_c;
  for_c.set_enterprise(code['C']);
  for_c.set_include_misses(true);
  v1::MatchEnterpriseResponse c_matches;
  ASSERT_TRUE(f_.Admin()(&SupportStub::MatchEnterprise, for_c, &c_matches).ok());
  ASSERT_EQ(c_matches.matches_size(), 2);
  for (const v1::Match& m : c_matches.matches()) {
    EXPECT_TRUE(m.qualifies()) << m.item();
    EXPECT_EQ(m.amount_yuan(), 400'000) << m.item();
  }

  // 免申即享: one payout list, made once.
  v1::GeneratePayoutsRequest generate;
  generate.set_item(automatic.name());
  v1::GeneratePayoutsResponse generated;
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::GeneratePayouts, generate, &generated).ok());
  EXPECT_EQ(generated.created_size(), 3);
  EXPECT_EQ(generated.payout_total_yuan(), 1'150'000);
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::GeneratePayouts, generate, &generated).ok());
  EXPECT_EQ(generated.created_size(), 0);
  EXPECT_EQ(generated.payout_list_size(), 3);
  EXPECT_EQ(OutboxCount("payout.list_ready"), 1);

  // A FAST claim from application to payment.
  v1::ApplyForItemRequest apply;
  apply.set_item(fast.name());
  apply.set_enterprise(code['C']);
  apply.set_note("企业申报材料齐全");
  apply.set_request_id("pg-apply-c");
  v1::Claim claim;
  ASSERT_TRUE(f_.Department("kjj")(&SupportStub::ApplyForItem, apply, &claim).ok());
  EXPECT_EQ(claim.state(), v1::APPLIED);
  EXPECT_EQ(claim.computed_yuan(), 400'000);
  EXPECT_EQ(claim.decide_by(), "2026-06-23");
  v1::Claim retried;
  ASSERT_TRUE(f_.Department("kjj")(&SupportStub::ApplyForItem, apply, &retried).ok());
  EXPECT_EQ(retried.etag(), claim.etag());
  apply.clear_request_id();
  EXPECT_EQ(f_.Department("kjj")(&SupportStub::ApplyForItem, apply, &retried).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  f_.clock().Set(China(2026, 6, 18, 10));
  v1::DecideClaimRequest decide;
  decide.set_name(claim.name());
  decide.set_approve(true);
  v1::Claim approved;
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::DecideClaim, decide, &approved).ok());
  EXPECT_EQ(approved.approved_yuan(), 400'000);
  f_.clock().Set(China(2026, 6, 30, 10));
  v1::RecordPaymentRequest pay;
  pay.set_name(claim.name());
  pay.set_paid_date("2026-06-29");
  pay.set_etag(claim.etag());
  v1::Claim paid;
  EXPECT_EQ(f_.Department("czj")(&SupportStub::RecordPayment, pay, &paid).error_code(),
            grpc::StatusCode::ABORTED);
  pay.set_etag(approved.etag());
  ASSERT_TRUE(f_.Department("czj")(&SupportStub::RecordPayment, pay, &paid).ok());
  EXPECT_EQ(paid.state(), v1::PAID);
  EXPECT_EQ(paid.paid_yuan(), 400'000);

  auto claims = [&](const std::string& parent, const std::string& filter) {
    v1::ListClaimsRequest req;
    req.set_parent(parent);
    req.set_filter(filter);
    v1::ListClaimsResponse resp;
    grpc::Status s = f_.Admin()(&SupportStub::ListClaims, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    return resp.claims_size();
  };
  EXPECT_EQ(claims("policies/-/items/-", ""), 4);
  EXPECT_EQ(claims("policies/-/items/-", "state = APPROVED"), 3);
  EXPECT_EQ(claims("policies/-/items/-", "state = PAID"), 1);
  EXPECT_EQ(claims(automatic.name(), "automatic = true"), 3);
  EXPECT_EQ(claims(policy.name() + "/items/-", "enterprise = \"" + code['C'] + "\""), 2);

  // The year's figures as of 06-30 (day 181): budget 2,000,000 over two items; paid 400,000 after
  // 14 days; the three automatic claims pending; A and G qualify for the FAST item and hold no
  // claim on it (300,000 + 450,000).
  v1::SummarizePayoutsRequest summary_req;
  summary_req.set_scope(policy.name());
  summary_req.set_year(2026);
  v1::PayoutSummary summary;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::SummarizePayouts, summary_req, &summary).ok());
  EXPECT_EQ(summary.as_of(), "2026-06-30");
  EXPECT_EQ(summary.budget_yuan(), 2'000'000);
  EXPECT_EQ(summary.approved_yuan(), 1'550'000);
  EXPECT_EQ(summary.paid_yuan(), 400'000);
  EXPECT_EQ(summary.claims(), 4);
  EXPECT_EQ(summary.paid_claims(), 1);
  EXPECT_EQ(summary.pending_claims(), 3);
  EXPECT_DOUBLE_EQ(summary.paid_share_of_budget(), 0.2);
  EXPECT_DOUBLE_EQ(summary.elapsed_share_of_year(), 181.0 / 365);
  EXPECT_DOUBLE_EQ(summary.avg_days_to_pay(), 14);
  EXPECT_EQ(summary.qualified_unpaid(), 2);
  EXPECT_EQ(summary.qualified_unpaid_yuan(), 750'000);

  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + claim.name() + "\"").size(), 3u);
  EXPECT_EQ(OutboxCount("payout.made", claim.name()), 1);
  EXPECT_EQ(StreamEvents(f_.redis(), "payout.made", claim.name(), 1), 1);
  EXPECT_EQ(StreamEvents(f_.redis(), "payout.list_ready", automatic.name(), 1), 1);
  ExpectRowsIn(
      {"support_policies", "support_policy_chains", "support_policy_items", "support_claims"});
  EXPECT_EQ(RowsOf(f_.store(), "support_claims"), 4);
}

// --- 多链协同, supplier spend and 本地配套率
// -------------------------------------------------------

v1::SpendLine Line(const std::string& code, int64_t yuan, const std::string& division = "") {
  v1::SpendLine l;
  l.set_supplier_credit_code(code);
  l.set_supplier_division(division);
  l.set_amount_yuan(yuan);
  return l;
}

TEST_F(SupportPostgres, ChainEntriesSupplierSpendAndTheLocalRateOnPostgres) {
  const std::string modules = "chains/pv/nodes/modules";
  ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(
      f_.MakeEnterprise(1, "滁州甲光伏", {modules}, {reg::ENTERPRISE_LABEL_CHAIN_OWNER})));
  ASSERT_NO_FATAL_FAILURE(f_.AddEnterprise(
      f_.MakeEnterprise(2, "滁州乙光伏", {modules}, {reg::ENTERPRISE_LABEL_CHAIN_OWNER})));
  ASSERT_NO_FATAL_FAILURE(
      f_.AddEnterprise(f_.MakeEnterprise(3, "滁州丙电池", {"chains/nev-battery/nodes/cells"})));
  const std::string a = "enterprises/" + TestCreditCode("341100", 1);
  const std::string b = "enterprises/" + TestCreditCode("341100", 2);

  // Entries: a talent demand, a lead bank whose validity ends 06-30, a purchase opportunity, and
  // another chain's talent demand.
  auto create = [&](const std::string& chain, const v1::ChainEntry& entry,
                    const std::string& request_id = "") {
    v1::CreateChainEntryRequest req;
    req.set_parent("chains/" + chain);
    *req.mutable_entry() = entry;
    req.set_request_id(request_id);
    v1::ChainEntry out;
    grpc::Status s = f_.Admin()(&SupportStub::CreateChainEntry, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  v1::ChainEntry talent_body;
  talent_body.set_kind(v1::TALENT_DEMAND);
  talent_body.set_title("光伏组件工艺工程师紧缺");
  talent_body.set_node(modules);
  talent_body.set_owner("departments/rsj");
  talent_body.set_valid_from("2026-06-01");
  talent_body.set_valid_to("2026-12-31");
  talent_body.mutable_talent()->set_post("光伏组件工艺工程师");
  talent_body.mutable_talent()->set_headcount(30);
  talent_body.mutable_talent()->set_shortage_index(4);
  const v1::ChainEntry talent = create("pv", talent_body, "pg-talent");
  EXPECT_EQ(create("pv", talent_body, "pg-talent").name(), talent.name());
  v1::ChainEntry bank_body;
  bank_body.set_kind(v1::FINANCE_PARTNER);
  bank_body.set_title("光伏产业链金融链主");
  bank_body.set_owner("departments/jrb");
  bank_body.mutable_finance()->set_institution("中国工商银行滁州分行");
  bank_body.mutable_finance()->set_lead(true);
  bank_body.mutable_finance()->set_credit_line_yuan(5'000'000'000);
  bank_body.set_valid_to("2026-06-30");
  const v1::ChainEntry bank = create("pv", bank_body);
  v1::ChainEntry purchase_body;
  purchase_body.set_kind(v1::PURCHASE_OPPORTUNITY);
  purchase_body.set_title("组件边框铝型材年度采购");
  purchase_body.set_node(modules);
  purchase_body.set_owner("departments/fgw");
  purchase_body.mutable_opportunity()->set_product("光伏组件铝边框");
  purchase_body.mutable_opportunity()->set_amount_yuan(180'000'000);
  const v1::ChainEntry purchase = create("pv", purchase_body);
  v1::ChainEntry battery_body = talent_body;
  battery_body.set_node("chains/nev-battery/nodes/cells");
  const v1::ChainEntry battery = create("nev-battery", battery_body);

  auto entries = [&](const std::string& parent, const std::string& filter) {
    v1::ListChainEntriesRequest req;
    req.set_parent(parent);
    req.set_filter(filter);
    v1::ListChainEntriesResponse resp;
    grpc::Status s = f_.Viewer()(&SupportStub::ListChainEntries, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    std::vector<std::string> names;
    for (const auto& e : resp.entries()) names.push_back(e.name());
    return names;
  };
  EXPECT_THAT(entries("chains/pv", "kind = FINANCE_PARTNER"), ElementsAre(bank.name()));
  EXPECT_THAT(entries("chains/-", "kind = TALENT_DEMAND"),
              UnorderedElementsAre(talent.name(), battery.name()));
  EXPECT_THAT(entries("chains/pv", "node = \"" + modules + "\""),
              UnorderedElementsAre(talent.name(), purchase.name()));
  EXPECT_THAT(entries("chains/pv", "owner = \"departments/jrb\""), ElementsAre(bank.name()));
  EXPECT_THAT(entries("chains/pv", "valid_on = \"2026-07-01\""),
              UnorderedElementsAre(talent.name(), purchase.name()));
  EXPECT_THAT(entries("chains/pv", "valid_on = \"2026-05-15\""),
              UnorderedElementsAre(bank.name(), purchase.name()));
  v1::ListChainEntriesRequest paged;
  paged.set_parent("chains/-");
  paged.set_page_size(3);
  v1::ListChainEntriesResponse page;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainEntries, paged, &page).ok());
  EXPECT_EQ(page.entries_size(), 3);
  ASSERT_FALSE(page.next_page_token().empty());
  paged.set_page_token(page.next_page_token());
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainEntries, paged, &page).ok());
  EXPECT_EQ(page.entries_size(), 1);
  EXPECT_TRUE(page.next_page_token().empty());

  v1::UpdateChainEntryRequest matched;
  *matched.mutable_entry() = purchase;
  matched.mutable_entry()->set_status(v1::ENTRY_MATCHED);
  matched.mutable_update_mask()->add_paths("status");
  v1::ChainEntry updated;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::UpdateChainEntry, matched, &updated).ok());
  EXPECT_EQ(updated.status(), v1::ENTRY_MATCHED);
  EXPECT_EQ(f_.ChainOffice("pv")(&SupportStub::UpdateChainEntry, matched, &updated).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_THAT(entries("chains/-", "status = MATCHED"), ElementsAre(purchase.name()));

  // The firms on the purchase's node in the city answer it.
  v1::MatchOpportunityRequest opportunity;
  opportunity.set_entry(purchase.name());
  v1::MatchOpportunityResponse candidates;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::MatchOpportunity, opportunity, &candidates).ok());
  std::vector<std::string> found;
  for (const auto& c : candidates.candidates()) {
    found.push_back(c.enterprise());
    EXPECT_EQ(c.node(), modules);
  }
  EXPECT_THAT(found, UnorderedElementsAre(a, b));

  // Spend: A 400 in the city, 300 in Anhui, 200 in Jiangsu, 100 in Shenzhen; B 1000 from A's city
  // supplier and 500 from a city workshop without a code, 1500 in Zhejiang, 2000 in Beijing.
  const std::string laian = TestCreditCode("341122", 101);
  v1::ReportSupplierSpendRequest report_a;
  report_a.mutable_spend()->set_chain("chains/pv");
  report_a.mutable_spend()->set_reporter(a);
  report_a.mutable_spend()->set_period("2026-Q2");
  *report_a.mutable_spend()->add_lines() = Line(laian, 400);
  *report_a.mutable_spend()->add_lines() = Line(TestCreditCode("340100", 102), 300);
  *report_a.mutable_spend()->add_lines() = Line(TestCreditCode("320500", 103), 200);
  *report_a.mutable_spend()->add_lines() = Line(TestCreditCode("440300", 104), 100);
  v1::ReportSupplierSpendRequest report_b;
  report_b.mutable_spend()->set_chain("chains/pv");
  report_b.mutable_spend()->set_reporter(b);
  report_b.mutable_spend()->set_period("2026-Q2");
  *report_b.mutable_spend()->add_lines() = Line(laian, 1000);
  *report_b.mutable_spend()->add_lines() = Line("", 500, "341103");
  *report_b.mutable_spend()->add_lines() = Line(TestCreditCode("330100", 105), 1500);
  *report_b.mutable_spend()->add_lines() = Line(TestCreditCode("110108", 106), 2000);
  v1::SupplierSpend stored;
  // A's report, a correction with two lines, and the full report again.
  v1::ReportSupplierSpendRequest short_a = report_a;
  short_a.mutable_spend()->mutable_lines()->DeleteSubrange(2, 2);
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportSupplierSpend, report_a, &stored).ok());
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportSupplierSpend, short_a, &stored).ok());
  EXPECT_EQ(stored.total_yuan(), 700);
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportSupplierSpend, report_a, &stored).ok());
  EXPECT_EQ(stored.total_yuan(), 1000);
  ASSERT_TRUE(f_.Admin()(&SupportStub::ReportSupplierSpend, report_b, &stored).ok());
  report_a.mutable_spend()->set_period("2026-Q3");
  ASSERT_TRUE(f_.Admin()(&SupportStub::ReportSupplierSpend, report_a, &stored).ok());

  auto spend = [&](const std::string& filter) {
    v1::ListSupplierSpendRequest req;
    req.set_parent("chains/pv");
    req.set_filter(filter);
    v1::ListSupplierSpendResponse resp;
    grpc::Status s = f_.ChainOffice("pv")(&SupportStub::ListSupplierSpend, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    return resp.spend_size();
  };
  EXPECT_EQ(spend(""), 3);
  EXPECT_EQ(spend("period = 2026-Q2"), 2);
  EXPECT_EQ(spend("reporter = \"" + a + "\""), 2);
  v1::ListSupplierSpendRequest spend_page;
  spend_page.set_parent("chains/pv");
  spend_page.set_page_size(2);
  v1::ListSupplierSpendResponse spend_resp;
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, spend_page, &spend_resp).ok());
  EXPECT_EQ(spend_resp.spend_size(), 2);
  ASSERT_FALSE(spend_resp.next_page_token().empty());
  spend_page.set_page_token(spend_resp.next_page_token());
  ASSERT_TRUE(f_.Admin()(&SupportStub::ListSupplierSpend, spend_page, &spend_resp).ok());
  EXPECT_EQ(spend_resp.spend_size(), 1);
  v1::ListSupplierSpendRequest other_office;
  other_office.set_parent("chains/pv");
  EXPECT_EQ(f_.ChainOffice("nev-battery")
                .Status(&SupportStub::ListSupplierSpend, other_office)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  auto rate = [&](v1::LocalScope scope) {
    v1::ComputeLocalRateRequest req;
    req.set_chain("chains/pv");
    req.set_period("2026-Q2");
    req.set_scope(scope);
    v1::LocalRateResponse out;
    grpc::Status s = f_.ChainOffice("pv")(&SupportStub::ComputeLocalRate, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  };
  // In the city: A 400 of 1000, B 1500 of 5000; 1900 of 6000 over seven suppliers.
  const v1::LocalRateResponse city = rate(v1::IN_CITY);
  EXPECT_EQ(city.overall().total_yuan(), 6000);
  EXPECT_EQ(city.overall().local_yuan(), 1900);
  EXPECT_DOUBLE_EQ(city.overall().rate(), 1900.0 / 6000.0);
  EXPECT_EQ(city.overall().suppliers(), 7);
  ASSERT_EQ(city.firms_size(), 2);
  EXPECT_DOUBLE_EQ(city.firms(0).rate(), 0.4);
  EXPECT_EQ(city.firms(0).display_name(), "滁州甲光伏");
  EXPECT_DOUBLE_EQ(city.firms(1).rate(), 0.3);
  EXPECT_EQ(rate(v1::IN_PROVINCE).overall().local_yuan(), 2200);
  EXPECT_DOUBLE_EQ(rate(v1::IN_REGION).overall().rate(), 0.65);

  const std::string spend_name = "chains/pv/spend/" + TestCreditCode("341100", 1) + "/2026-Q2";
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + spend_name + "\"").size(), 3u);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + purchase.name() + "\"").size(), 2u);
  ExpectRowsIn({"support_chain_entries", "support_spend_reports"});
  EXPECT_EQ(RowsOf(f_.store(), "support_chain_entries"), 4);
  EXPECT_EQ(RowsOf(f_.store(), "support_spend_reports"), 3);
}

// --- 规划引领
// -------------------------------------------------------------------------------------

v1::ChainPlan CreatePlan(const SupportCaller& as, const v1::ChainPlan& plan,
                         const std::string& request_id = "") {
  v1::CreateChainPlanRequest req;
  req.set_parent("chains/pv");
  *req.mutable_plan() = plan;
  req.set_request_id(request_id);
  v1::ChainPlan out;
  grpc::Status s = as(&SupportStub::CreateChainPlan, req, &out);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return out;
}

TEST_F(SupportPostgres, ChainPlansKeepVersionsAndJudgeProgressOnPostgres) {
  // An annual plan made in December, so its tasks run from 1 January.
  f_.clock().Set(China(2025, 12, 20, 10));
  // Its output target only.
  v1::ChainPlan annual_body = PvKeyPoints2026();
  annual_body.mutable_targets()->DeleteSubrange(1, 1);
  const v1::ChainPlan annual = CreatePlan(f_.ChainOffice("pv"), annual_body);

  // A three-year plan, retried, then updated into a second version.
  f_.clock().Set(China(2026, 6, 15, 10));
  const v1::ChainPlan plan = CreatePlan(f_.ChainOffice("pv"), PvActionPlan(), "pg-plan");
  EXPECT_EQ(CreatePlan(f_.ChainOffice("pv"), PvActionPlan(), "pg-plan").name(), plan.name());
  v1::UpdateChainPlanRequest update;
  *update.mutable_plan() = plan;
  update.mutable_plan()->set_title("滁州市光伏产业链三年行动方案（修订）");
  update.mutable_plan()->mutable_tasks(0)->set_deadline("2026-10-31");
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("tasks");
  v1::ChainPlan second;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::UpdateChainPlan, update, &second).ok());
  EXPECT_EQ(second.version(), 2);
  v1::ChainPlan out;
  EXPECT_EQ(f_.ChainOffice("pv")(&SupportStub::UpdateChainPlan, update, &out).error_code(),
            grpc::StatusCode::ABORTED);
  v1::GetChainPlanRequest get;
  get.set_name(plan.name());
  get.set_version(1);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetChainPlan, get, &out).ok());
  EXPECT_EQ(out.title(), plan.title());
  EXPECT_EQ(out.tasks(0).deadline(), "2026-12-31");
  get.set_version(0);
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetChainPlan, get, &out).ok());
  EXPECT_EQ(out.version(), 2);
  EXPECT_EQ(out.tasks(0).deadline(), "2026-10-31");
  v1::ListChainPlanVersionsRequest versions;
  versions.set_name(plan.name());
  versions.set_page_size(1);
  v1::ListChainPlansResponse listed;
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlanVersions, versions, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).version(), 2);
  versions.set_page_token(listed.next_page_token());
  ASSERT_TRUE(f_.Viewer()(&SupportStub::ListChainPlanVersions, versions, &listed).ok());
  ASSERT_EQ(listed.plans_size(), 1);
  EXPECT_EQ(listed.plans(0).version(), 1);
  auto plans = [&](const std::string& parent, const std::string& filter) {
    v1::ListChainPlansRequest req;
    req.set_parent(parent);
    req.set_filter(filter);
    v1::ListChainPlansResponse resp;
    grpc::Status s = f_.Viewer()(&SupportStub::ListChainPlans, req, &resp);
    EXPECT_TRUE(s.ok()) << filter << ": " << s.error_message();
    std::vector<std::string> names;
    for (const auto& p : resp.plans()) names.push_back(p.name());
    return names;
  };
  EXPECT_THAT(plans("chains/-", "kind = THREE_YEAR_ACTION"), ElementsAre(plan.name()));
  EXPECT_THAT(plans("chains/pv", "start_year = 2026"),
              UnorderedElementsAre(plan.name(), annual.name()));
  EXPECT_THAT(plans("chains/pv", "end_year = 2028"), ElementsAre(plan.name()));
  EXPECT_THAT(plans("chains/nev-battery", ""), ElementsAre());

  // Without assessment and intake peers the fixture cannot publish (a test below does, with them).
  v1::PublishChainPlanRequest publish;
  publish.set_name(plan.name());
  EXPECT_EQ(f_.Admin()(&SupportStub::PublishChainPlan, publish, &out).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Progress of the annual plan on 06-15, 166 of 365 days gone: output 120 of 400 (at risk);
  // task 1 at 40% (within the margin), task 2 at 50% of a half-year task (at risk).
  v1::ReportPlanProgressRequest report;
  report.set_name(annual.name());
  report.set_period("2026-05");
  (*report.mutable_actuals())["indicators/output"] = 120;
  auto* r1 = report.add_tasks();
  r1->set_number("1");
  r1->set_percent_done(40);
  auto* r2 = report.add_tasks();
  r2->set_number("2");
  r2->set_percent_done(50);
  v1::PlanProgress progress;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, report, &progress).ok());
  const double elapsed = 166.0 / 365.0;
  ASSERT_EQ(progress.targets_size(), 1);
  EXPECT_DOUBLE_EQ(progress.targets(0).actual(), 120);
  EXPECT_DOUBLE_EQ(progress.targets(0).completion(), 0.3);
  EXPECT_DOUBLE_EQ(progress.targets(0).elapsed(), elapsed);
  EXPECT_TRUE(progress.targets(0).at_risk());
  ASSERT_EQ(progress.tasks_size(), 2);
  EXPECT_FALSE(progress.tasks(0).at_risk());
  EXPECT_DOUBLE_EQ(progress.tasks(1).expected(), 166.0 / 181.0);
  EXPECT_TRUE(progress.tasks(1).at_risk());
  EXPECT_DOUBLE_EQ(progress.completion(), (0.3 + 0.4 + 0.5) / 3);
  EXPECT_EQ(progress.at_risk(), 2);
  // The same month again: its values replace the first report's, and no risk is warned twice.
  (*report.mutable_actuals())["indicators/output"] = 130;
  ASSERT_TRUE(f_.ChainOffice("pv")(&SupportStub::ReportPlanProgress, report, &progress).ok());
  EXPECT_DOUBLE_EQ(progress.targets(0).actual(), 130);
  EXPECT_EQ(OutboxCount("plan.target_at_risk", annual.name()), 2);
  EXPECT_EQ(RowsOf(f_.store(), "support_plan_actuals"), 1);
  EXPECT_EQ(RowsOf(f_.store(), "support_plan_task_reports"), 2);
  v1::GetPlanProgressRequest as_of;
  as_of.set_name(annual.name());
  as_of.set_as_of("2026-04-30");
  ASSERT_TRUE(f_.Viewer()(&SupportStub::GetPlanProgress, as_of, &progress).ok());
  EXPECT_FALSE(progress.targets(0).has_actual());
  EXPECT_EQ(progress.tasks(0).percent_done(), 0);

  // plan.changed: two creates and an update.
  EXPECT_EQ(StreamEvents(f_.redis(), "plan.changed", "", 3), 3);  // the outbox may be pruned
  EXPECT_EQ(StreamEvents(f_.redis(), "plan.target_at_risk", annual.name(), 2), 2);
  EXPECT_EQ(AuditRowsOf(f_.Admin(), "resource = \"" + plan.name() + "\"").size(), 2u);
  ExpectRowsIn({"support_chain_plans", "support_chain_plan_versions", "support_plan_task_starts",
                "support_plan_actuals", "support_plan_task_reports", "support_plan_risk_events"});
  EXPECT_EQ(RowsOf(f_.store(), "support_chain_plan_versions"), 3);
}

// Support on PostgreSQL beside real registry, assessment and intake servers (tests/support/
// assessment_fixture.h, their own stores on SQLite): the first start's backfill, and publishing.
class SupportPostgresPublishing : public SupportPostgres {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(peers_.SetUp());
    f_.peers.assessment = av1::Assessment::NewStub(
        grpc::CreateChannel(peers_.assessment_target(), grpc::InsecureChannelCredentials()));
    f_.peers.intake = iv1::ProjectIntake::NewStub(
        grpc::CreateChannel(peers_.intake().intake_target(), grpc::InsecureChannelCredentials()));
    ASSERT_NO_FATAL_FAILURE(SupportPostgres::SetUp());
  }
  void TearDown() override {
    SupportPostgres::TearDown();
    peers_.TearDown();
  }

  void Indicator(const std::string& key) {
    av1::CreateIndicatorRequest req;
    req.mutable_indicator()->set_name("indicators/" + key);
    req.mutable_indicator()->set_display_name(key);
    req.mutable_indicator()->mutable_reported()->set_owner_department(IntakeFixture::kDeptJxj);
    grpc::Status s = peers_.Assessor().Status(&AssessmentStub::CreateIndicator, req);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::map<std::string, double> Targets(const std::string& indicator) {
    av1::ListTargetsRequest req;
    req.set_subject("chains/pv");
    req.set_indicator(indicator);
    av1::ListTargetsResponse resp;
    EXPECT_TRUE(peers_.Admin()(&AssessmentStub::ListTargets, req, &resp).ok());
    std::map<std::string, double> out;
    for (const auto& t : resp.targets()) out[t.period()] = t.value();
    return out;
  }

  int Tasks(const std::string& department) {
    iv1::ListWorkItemsRequest req;
    req.set_filter("kind = \"TASK\" AND owner_department = \"" + department + "\"");
    req.set_page_size(100);
    iv1::ListWorkItemsResponse resp;
    grpc::Status s = peers_.intake().IntakeAdmin()(&IntakeStub::ListWorkItems, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.work_items_size();
  }

  AssessmentFixture peers_;
};

TEST_F(SupportPostgresPublishing, PublishingAPlanRecordsWhatWasSentOnPostgres) {
  ASSERT_NO_FATAL_FAILURE(Indicator("pg_output"));
  ASSERT_NO_FATAL_FAILURE(Indicator("pg_rate"));
  const std::string lead = "departments/pg-fgw";
  const v1::ChainPlan plan =
      CreatePlan(f_.Admin(), PvActionPlan("indicators/pg_output", "indicators/pg_rate", lead));
  v1::PublishChainPlanRequest publish;
  publish.set_name(plan.name());
  v1::ChainPlan published;
  grpc::Status s = f_.Admin()(&SupportStub::PublishChainPlan, publish, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(published.published_version(), 1);
  EXPECT_EQ(Targets("indicators/pg_output"),
            (std::map<std::string, double>{{"2026", 400}, {"2027", 520}, {"2028", 650}}));
  EXPECT_EQ(Tasks(lead), 2);
  ASSERT_EQ(published.tasks_size(), 2);
  EXPECT_TRUE(published.tasks(0).work_item().starts_with("tasks/"));
  // Four targets and two tasks recorded; a second publish sends nothing new.
  EXPECT_EQ(RowsOf(f_.store(), "support_plan_publications"), 6);
  ASSERT_TRUE(f_.Admin()(&SupportStub::PublishChainPlan, publish, &published).ok());
  EXPECT_EQ(Tasks(lead), 2);

  // After an update only the changed target is sent again.
  v1::UpdateChainPlanRequest update;
  *update.mutable_plan() = published;
  update.mutable_plan()->mutable_targets(1)->set_value(540);
  v1::ChainPlan second;
  ASSERT_TRUE(f_.Admin()(&SupportStub::UpdateChainPlan, update, &second).ok());
  ASSERT_TRUE(f_.Admin()(&SupportStub::PublishChainPlan, publish, &published).ok());
  EXPECT_EQ(published.published_version(), 2);
  EXPECT_EQ(Targets("indicators/pg_output")["2027"], 540);
  EXPECT_EQ(Tasks(lead), 2);
  EXPECT_EQ(RowsOf(f_.store(), "support_plan_publications"), 6);
  EXPECT_EQ(StreamEvents(f_.redis(), "plan.changed", plan.name(), 5), 5);
}

TEST_F(SupportPostgresPublishing, TheFirstStartCopiesTheRegistrysEnterprisesOnceOnPostgres) {
  reg::CreateEnterpriseRequest create;
  reg::Enterprise* e = create.mutable_enterprise();
  e->set_credit_code(TestCreditCode("341100", 77));
  e->set_display_name("滁州回填光伏有限公司");
  e->set_county("琅琊区");
  e->add_memberships("chains/pv/nodes/cells");
  grpc::Status s = peers_.intake().RegistryAdmin().Status(&RegistryStub::CreateEnterprise, create);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // Its tokens are checked against the registry's real clock, not the fixture's.
  OwnerLists sources(peers_.intake().registry_target(), "", "", kTestSecret, "systems/support",
                     grpc::InsecureChannelCredentials(), absl::Seconds(10), Clock::Real());
  auto read = support::BackfillOnce(f_.store(), f_.host().redis(), sources,
                                    std::string(kEventStream), "support", f_.clock());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_GE(*read, 1);
  EXPECT_EQ(RowsOf(f_.store(), "support_enterprises"), *read);
  EXPECT_EQ(RowsOf(f_.store(), "support_state"), 1);
  // The copy serves: the enterprise can be assigned, on its chain.
  reg::Enterprise named = *e;
  named.set_name("enterprises/" + e->credit_code());
  v1::Assignment a;
  s = f_.ChainOffice("pv")(&SupportStub::CreateAssignment,
                           Assign(named, "departments/jxj", "2026-06-01"), &a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(a.enterprise_display_name(), "滁州回填光伏有限公司");
  // A second start reads nothing.
  read = support::BackfillOnce(f_.store(), f_.host().redis(), sources, std::string(kEventStream),
                               "support", f_.clock());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, 0);
}

}  // namespace
}  // namespace chainhub::testing
