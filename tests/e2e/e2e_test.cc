// End to end: every chainhub binary as its own process, as deployed (tests/support/whole_stack.h),
// running a quarter of a city's work: the registry seeded from data/, the project library imported
// from a department's file (data/projects.csv, 400 projects, and its monthly progress), four
// department systems streaming 100 projects each in parallel and reporting three months of
// progress on them, the lights, work items on the red projects, the quarter's assessment, a
// notice signed for by its departments, and the push to the provincial receiver. Each step's
// result is checked, then the whole: every service agrees on the numbers, each event made one
// notice, every delivery reached its department's webhook, the assessment equals a recompute, and
// the receiver holds exactly the city's snapshot.
#include <atomic>
#include <iostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "tests/support/city_work.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/whole_stack.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;
namespace nv1 = notify::v1;
namespace sv1 = sync::v1;

constexpr int kSystems = 4;
constexpr int kProjectsPerSystem = 100;
constexpr int kLibraryProjects = 400;  // data/projects.csv
constexpr int kMonths = 3;

// Prints how long each step took.
class Steps {
 public:
  void Done(const std::string& step) {
    const absl::Time now = absl::Now();
    std::cout << absl::StrFormat("e2e: %-64s %8s", step, absl::FormatDuration(now - last_))
              << std::endl;
    last_ = now;
  }

 private:
  absl::Time last_ = absl::Now();
};

// One department system's share: its projects by a streamed import, then its monthly progress.
void DepartmentSystem(WholeStack& stack, int system, std::atomic<int>* created,
                      std::atomic<int>* reported) {
  const std::string name = absl::StrCat("system", system);
  iv1::ProjectIntake::Stub stub(stack.channel(Service::kIntake));
  StubCaller<iv1::ProjectIntake::Stub> caller(
      stub, MintTestToken("systems/" + name, {"admin"}, {}, absl::Hours(2)));
  iv1::ImportProjectsResponse resp;
  {
    auto ctx = ContextWithToken(caller.token());
    auto writer = stub.ImportProjects(ctx.get(), &resp);
    iv1::ImportProjectsRequest header;
    header.mutable_header()->set_source(name);
    ASSERT_TRUE(writer->Write(header));
    for (int n = 0; n < kProjectsPerSystem; ++n) {
      iv1::ImportProjectsRequest row;
      row.mutable_row()->set_row_number(n + 1);
      *row.mutable_row()->mutable_project() = CityProject(name, n);
      ASSERT_TRUE(writer->Write(row));
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << name << ": " << s.error_message();
  }
  EXPECT_EQ(resp.failed_count(), 0) << resp.ShortDebugString();
  *created += resp.created_count();
  std::vector<std::string> projects;
  for (const auto& row : resp.results()) {
    if (!row.project().empty()) projects.push_back(row.project());
  }
  for (int month = kMonths; month >= 1; --month) {
    for (size_t i = 0; i < projects.size(); ++i) {
      iv1::ReportProgressRequest req;
      req.set_parent(projects[i]);
      req.mutable_report()->set_month(MonthAgo(month));
      req.mutable_report()->set_cumulative_completed_yuan(int64_t{5'000'000} *
                                                          (kMonths - month + 1));
      req.mutable_report()->set_cumulative_funds_arrived_yuan(int64_t{4'000'000} *
                                                              (kMonths - month + 1));
      req.set_request_id(absl::StrCat(name, "-", i, "-", MonthAgo(month)));
      iv1::ProgressReport report;
      grpc::Status s = caller(&iv1::ProjectIntake::Stub::ReportProgress, req, &report);
      EXPECT_TRUE(s.ok()) << projects[i] << ": " << s.error_message();
      if (s.ok()) ++*reported;
    }
  }
}

TEST(E2E, AQuarterOfACitysWorkAcrossEveryServiceAsDeployed) {
  Steps steps;
  WholeStack stack;
  ASSERT_NO_FATAL_FAILURE(stack.Start());
  steps.Done("redis-server and the seven services started");
  ASSERT_NO_FATAL_FAILURE(PrepareCity(stack));
  steps.Done("registry seeded, assessment scheme, endpoints, alert rule");

  auto imported = stack.Chainctl(
      {"projects", "import", absl::StrCat(CHAINHUB_SOURCE_DIR, "/data/projects.csv")});
  ASSERT_TRUE(imported.ok()) << imported.status();
  auto progress = stack.Chainctl(
      {"projects", "report", absl::StrCat("--file=", CHAINHUB_SOURCE_DIR, "/data/progress.csv")});
  ASSERT_TRUE(progress.ok()) << progress.status();
  steps.Done("the library imported with chainctl (data/projects.csv)");

  std::atomic<int> created{0}, reported{0};
  {
    std::vector<std::thread> systems;
    for (int s = 0; s < kSystems; ++s) {
      systems.emplace_back([&, s] { DepartmentSystem(stack, s, &created, &reported); });
    }
    for (std::thread& t : systems) t.join();
  }
  EXPECT_EQ(created.load(), kSystems * kProjectsPerSystem);
  EXPECT_EQ(reported.load(), kSystems * kProjectsPerSystem * kMonths);
  steps.Done(absl::StrCat(kSystems, " department systems: ", created.load(), " projects, ",
                          reported.load(), " reports"));

  iv1::ProjectIntake::Stub intake(stack.channel(Service::kIntake));
  StubCaller<iv1::ProjectIntake::Stub> admin(intake, stack.admin_token());
  iv1::EvaluateLightsResponse lights;
  grpc::Status s =
      admin(&iv1::ProjectIntake::Stub::EvaluateLights, iv1::EvaluateLightsRequest(), &lights);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const int total = kLibraryProjects + kSystems * kProjectsPerSystem;
  EXPECT_EQ(lights.evaluated_count(), total);
  EXPECT_GT(lights.red_count(), kSystems * kProjectsPerSystem / 3 - 1);  // every third missed start
  steps.Done(absl::StrFormat("lights: %d green, %d yellow, %d red", lights.green_count(),
                             lights.yellow_count(), lights.red_count()));

  // A work item on one red project of each chain.
  int items = 0;
  for (const CityChain& chain : kCityChains) {
    auto red =
        AllProjects(stack, absl::StrFormat("light = \"RED\" AND chain = \"chains/%s\"", chain.id));
    if (red.empty()) continue;
    iv1::CreateWorkItemRequest req;
    iv1::WorkItem* item = req.mutable_work_item();
    item->set_kind(iv1::WORK_ITEM_KIND_ISSUE);
    item->set_title("计划开工逾期，开展一对一调度");
    item->set_subject(red.front().name());
    item->set_owner_department(red.front().responsible_department());
    item->set_deadline(MonthsAgo(-1));
    iv1::WorkItem made;
    s = admin(&iv1::ProjectIntake::Stub::CreateWorkItem, req, &made);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (s.ok()) ++items;
  }
  EXPECT_EQ(items, static_cast<int>(kCityChains.size()));
  steps.Done(absl::StrCat(items, " work items"));

  // A notice with receipts: both departments sign.
  nv1::Notifier::Stub notify(stack.channel(Service::kNotify));
  nv1::SendNoticeRequest send;
  send.set_request_id("e2e-supervision");
  nv1::Notice* notice = send.mutable_notice();
  notice->set_kind(nv1::SUPERVISION);
  notice->set_title("关于光伏产业链逾期开工项目的督办函");
  notice->set_body("请于3个工作日内反馈推进情况并签收。");
  notice->set_chain("chains/pv");
  notice->add_recipients("departments/fgw");
  notice->add_recipients("departments/zrzyj");
  notice->set_receipt_required(true);
  notice->mutable_receipt_deadline()->set_seconds(
      absl::ToUnixSeconds(absl::Now() + absl::Hours(72)));
  nv1::Notice sent;
  s = StubCaller<nv1::Notifier::Stub>(notify,
                                      MintTestToken("departments/fgw", {"chain_office"}, {"pv"}))(
      &nv1::Notifier::Stub::SendNotice, send, &sent);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const std::string dept : {"fgw", "zrzyj"}) {
    nv1::AcknowledgeDeliveryRequest ack;
    ack.set_name(absl::StrCat(sent.name(), "/deliveries/dept-", dept));
    ack.set_note("已收悉，按期反馈。");
    nv1::Delivery signed_for;
    s = StubCaller<nv1::Notifier::Stub>(notify,
                                        MintTestToken("departments/" + dept, {"department"}))(
        &nv1::Notifier::Stub::AcknowledgeDelivery, ack, &signed_for);
    EXPECT_TRUE(s.ok()) << dept << ": " << s.error_message();
    EXPECT_EQ(signed_for.state(), nv1::ACKNOWLEDGED);
  }
  nv1::GetNoticeRequest get;
  get.set_name(sent.name());
  nv1::Notice after;
  s = StubCaller<nv1::Notifier::Stub>(notify, stack.admin_token())(&nv1::Notifier::Stub::GetNotice,
                                                                   get, &after);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(after.acknowledged_count(), 2);
  steps.Done("a supervision letter sent and signed for by both departments");

  ASSERT_TRUE(WaitForStreamToSettle(stack, absl::Seconds(120)));
  steps.Done("every consumer group caught up with the stream");

  // Every service agrees on the numbers.
  EXPECT_EQ(AllProjects(stack).size(), static_cast<size_t>(total));
  av1::Assessment::Stub assessment(stack.channel(Service::kAssessment));
  av1::FactsStatus facts;
  s = StubCaller<av1::Assessment::Stub>(assessment, stack.admin_token())(
      &av1::Assessment::Stub::GetFactsStatus, av1::GetFactsStatusRequest(), &facts);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(facts.projects(), total);
  EXPECT_EQ(facts.work_items(), items);
  const av1::Run run = ExpectAssessmentEqualsRecompute(stack);
  steps.Done(absl::StrCat("the ", kCityPeriod, " assessment, equal to a fresh recompute"));
  ASSERT_GT(run.results_size(), 0);
  std::cout << "e2e: first " << run.results(0).subject() << " " << run.results(0).total()
            << " points" << std::endl;

  const std::vector<nv1::Notice> notices = AllNotices(stack);
  ExpectOneNoticePerEvent(notices);
  const int deliveries = ExpectEveryDepartmentDeliveryArrivedUnderOneId(stack, notices);
  EXPECT_GT(deliveries, lights.red_count());
  steps.Done(absl::StrCat(notices.size(), " notices, ", deliveries,
                          " department deliveries at their webhooks"));

  ASSERT_TRUE(WaitForStreamToSettle(stack, absl::Seconds(60)));
  ASSERT_NO_FATAL_FAILURE(ExpectReceiverEqualsSnapshot(stack));
  sv1::ProvinceSync::Stub sync(stack.channel(Service::kSync));
  sv1::ReconcileResponse reconciled;
  s = StubCaller<sv1::ProvinceSync::Stub>(sync, stack.admin_token())(
      &sv1::ProvinceSync::Stub::Reconcile, sv1::ReconcileRequest(), &reconciled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  int64_t records = 0;
  for (const auto& c : reconciled.categories()) records += c.remote().count();
  EXPECT_GE(records, total);
  steps.Done(absl::StrCat("the push: the receiver holds the snapshot (", records, " records)"));
}

}  // namespace
}  // namespace chainhub::testing
