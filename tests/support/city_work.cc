#include "tests/support/city_work.h"

#include <map>
#include <set>

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "common/events/outbox.h"
#include "tests/support/events_util.h"
#include "tests/support/registry_fixture.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;
namespace nv1 = notify::v1;
namespace sv1 = sync::v1;

const absl::TimeZone& ChinaTime() {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 3600);
  return zone;
}

absl::CivilMonth ThisMonth() {
  return absl::CivilMonth(absl::ToCivilDay(absl::Now(), ChinaTime()));
}

std::string DataPath(const std::string& relative) {
  return absl::StrCat(CHAINHUB_SOURCE_DIR, "/data/", relative);
}

bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::ABORTED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return true;
    default:
      return false;
  }
}

// The fields of one entry of an XINFO reply, by name.
std::map<std::string, const RedisReply*> Fields(const RedisReply& reply) {
  std::map<std::string, const RedisReply*> fields;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    fields[reply.elements[i].str] = &reply.elements[i + 1];
  }
  return fields;
}

// Applies the city's assessment definitions in data/assessment (indicators, the 2026 scheme,
// targets and values) with chainctl to the assessment at `target`: the first failure, or OK.
absl::Status ApplyAssessmentDefinitions(WholeStack& stack, const std::string& target) {
  for (const auto& [verb, file] : std::vector<std::pair<std::string, std::string>>{
           {"indicators", "assessment/indicators.yaml"},
           {"schemes", "assessment/scheme-2026.yaml"},
           {"targets", "assessment/targets.csv"},
           {"values", "assessment/values.csv"}}) {
    const std::string action = verb == "targets" || verb == "values" ? "import" : "apply";
    auto applied = stack.Chainctl({"--assessment_target=" + target, verb, action, DataPath(file)});
    if (!applied.ok()) return applied.status();
  }
  return absl::OkStatus();
}

}  // namespace

std::string MonthsAgo(int months, bool first_day) {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), ChinaTime());
  const absl::CivilMonth month = absl::CivilMonth(today) - months;
  // The same day of that month, or its last day when it has fewer.
  absl::CivilDay day(month.year(), month.month(), first_day ? 1 : today.day());
  if (absl::CivilMonth(day) != month) day = absl::CivilDay(month + 1) - 1;
  return absl::FormatCivilTime(day);
}

std::string MonthAgo(int months) { return absl::FormatCivilTime(ThisMonth() - months); }

void PrepareCity(WholeStack& stack) {
  auto seeded = stack.Chainctl({"seed", "--data=" + DataPath("")});
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  absl::Status applied = ApplyAssessmentDefinitions(stack, stack.target(Service::kAssessment));
  ASSERT_TRUE(applied.ok()) << applied;

  nv1::Notifier::Stub notify(stack.channel(Service::kNotify));
  StubCaller<nv1::Notifier::Stub> admin(notify, stack.admin_token());
  std::set<std::string> departments;
  for (const CityChain& chain : kCityChains) departments.insert(chain.lead_department);
  for (const char* dept : {"zsj", "zrzyj", "swj"}) departments.insert(dept);
  for (const std::string& dept : departments) {
    nv1::CreateEndpointRequest req;
    nv1::Endpoint* e = req.mutable_endpoint();
    e->set_name(absl::StrCat("endpoints/", dept, "-oa"));
    e->set_recipient(absl::StrCat("departments/", dept));
    e->set_channel(nv1::WEBHOOK);
    e->set_url(stack.webhooks().Url(absl::StrCat("/", dept)));
    e->set_secret(WholeStack::kWebhookSecret);
    e->set_rate_per_minute(6000);
    nv1::Endpoint made;
    grpc::Status s = admin(&nv1::Notifier::Stub::CreateEndpoint, req, &made);
    ASSERT_TRUE(s.ok()) << dept << ": " << s.error_message();
  }
  nv1::CreateSubscriptionRequest sub;
  nv1::Subscription* s = sub.mutable_subscription();
  s->set_name("subscriptions/red-light");
  s->add_event_types("project.light_changed");
  s->add_event_types("project.created");
  s->set_filter("light = \"RED\"");
  s->add_recipient_sources(nv1::RESPONSIBLE_DEPARTMENT);
  s->set_kind(nv1::ALERT);
  nv1::Subscription made;
  grpc::Status status = admin(&nv1::Notifier::Stub::CreateSubscription, sub, &made);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

iv1::Project CityProject(const std::string& system, int n) {
  const CityChain& chain = kCityChains[n % kCityChains.size()];
  static constexpr std::array<const char*, 8> kCounties = {"琅琊区", "南谯区", "来安县", "全椒县",
                                                           "定远县", "凤阳县", "天长市", "明光市"};
  iv1::Project p;
  p.set_external_id(absl::StrCat(system, "-", n));
  p.set_display_name(absl::StrCat(system, "报送项目", n));
  p.set_chain(absl::StrCat("chains/", chain.id));
  p.set_county(kCounties[(n / kCityChains.size()) % kCounties.size()]);
  p.mutable_investor()->set_name(absl::StrCat("外省投资", n % 37, "有限公司"));
  p.mutable_investor()->set_origin(iv1::INVESTOR_ORIGIN_OUT_OF_PROVINCE);
  p.set_source(iv1::PROJECT_SOURCE_INVESTMENT);
  p.set_total_investment_yuan(int64_t{100'000'000} + int64_t{1'000'000} * (n % 400));
  p.set_annual_planned_investment_yuan(int64_t{50'000'000});
  p.set_responsible_department(absl::StrCat("departments/", chain.lead_department));
  if (n % 3 == 0) p.set_planned_start_date(MonthsAgo(4));
  p.mutable_stage_dates()->set_negotiating(MonthsAgo(5));
  return p;
}

grpc::Status CallUntilAnswered(const std::function<grpc::Status()>& call, absl::Duration patience) {
  const absl::Time deadline = absl::Now() + patience;
  absl::Duration pause = absl::Milliseconds(100);
  for (;;) {
    grpc::Status s = call();
    if (s.ok() || !Retryable(s.error_code()) || absl::Now() + pause > deadline) return s;
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Seconds(1));
  }
}

bool WaitUntilEveryServiceServes(WholeStack& stack, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  for (Service service : kEveryService) {
    if (!stack.channel(service)->WaitForConnected(absl::ToChronoTime(deadline))) return false;
  }
  return true;
}

std::vector<std::pair<std::string, int64_t>> ConsumerGroups(WholeStack& stack) {
  std::vector<std::pair<std::string, int64_t>> groups;
  auto reply = stack.redis_client().Command({"XINFO", "GROUPS", std::string(kEventStream)});
  if (!reply.ok()) return groups;
  for (const RedisReply& g : reply->elements) {
    auto fields = Fields(g);
    if (fields.contains("name") && fields.contains("pending")) {
      groups.emplace_back(fields["name"]->str, fields["pending"]->integer);
    }
  }
  return groups;
}

bool WaitForStreamToSettle(WholeStack& stack, absl::Duration timeout) {
  RedisClient& redis = stack.redis_client();
  std::string last;
  absl::Time since = absl::Now();
  return Eventually(
      [&] {
        auto stream = redis.Command({"XINFO", "STREAM", std::string(kEventStream)});
        auto groups = redis.Command({"XINFO", "GROUPS", std::string(kEventStream)});
        if (!stream.ok() || !groups.ok()) return false;
        auto info = Fields(*stream);
        if (!info.contains("last-generated-id")) return false;
        const std::string newest = info["last-generated-id"]->str;
        if (newest != last) {
          last = newest;
          since = absl::Now();
          return false;
        }
        if (absl::Now() - since < absl::Seconds(2)) return false;
        for (const RedisReply& g : groups->elements) {
          auto fields = Fields(g);
          if (fields["pending"]->integer != 0) return false;
          if (fields["last-delivered-id"]->str != newest) return false;
        }
        return !groups->elements.empty();
      },
      timeout);
}

namespace {

// Every item of a List call, page after page: `call` answers one page of `req`; `items` picks the
// page's items out of the response.
template <typename Req, typename Resp, typename Items>
auto AllPages(Req req, const std::function<grpc::Status(const Req&, Resp*)>& call, Items items,
              const std::string& what) {
  std::vector<typename std::remove_cvref_t<decltype(items(Resp()))>::value_type> out;
  req.set_page_size(500);
  for (;;) {
    Resp resp;
    grpc::Status s = CallUntilAnswered([&] { return call(req, &resp); });
    EXPECT_TRUE(s.ok()) << what << ": " << s.error_message();
    if (!s.ok()) return out;
    out.insert(out.end(), items(resp).begin(), items(resp).end());
    if (resp.next_page_token().empty()) return out;
    req.set_page_token(resp.next_page_token());
  }
}

}  // namespace

std::vector<iv1::Project> AllProjects(WholeStack& stack, const std::string& filter) {
  iv1::ProjectIntake::Stub intake(stack.channel(Service::kIntake));
  StubCaller<iv1::ProjectIntake::Stub> admin(intake, stack.admin_token());
  iv1::ListProjectsRequest req;
  req.set_filter(filter);
  return AllPages<iv1::ListProjectsRequest, iv1::ListProjectsResponse>(
      req,
      [&](const auto& r, auto* resp) {
        return admin(&iv1::ProjectIntake::Stub::ListProjects, r, resp);
      },
      [](const iv1::ListProjectsResponse& resp) -> const auto& { return resp.projects(); },
      "ListProjects");
}

std::vector<nv1::Notice> AllNotices(WholeStack& stack) {
  nv1::Notifier::Stub notify(stack.channel(Service::kNotify));
  StubCaller<nv1::Notifier::Stub> admin(notify, stack.admin_token());
  return AllPages<nv1::ListNoticesRequest, nv1::ListNoticesResponse>(
      nv1::ListNoticesRequest(),
      [&](const auto& r, auto* resp) { return admin(&nv1::Notifier::Stub::ListNotices, r, resp); },
      [](const nv1::ListNoticesResponse& resp) -> const auto& { return resp.notices(); },
      "ListNotices");
}

std::vector<nv1::Delivery> AllDeliveries(WholeStack& stack, const std::string& notice) {
  nv1::Notifier::Stub notify(stack.channel(Service::kNotify));
  StubCaller<nv1::Notifier::Stub> admin(notify, stack.admin_token());
  nv1::ListDeliveriesRequest req;
  req.set_parent(notice);
  return AllPages<nv1::ListDeliveriesRequest, nv1::ListDeliveriesResponse>(
      req,
      [&](const auto& r, auto* resp) {
        return admin(&nv1::Notifier::Stub::ListDeliveries, r, resp);
      },
      [](const nv1::ListDeliveriesResponse& resp) -> const auto& { return resp.deliveries(); },
      "ListDeliveries " + notice);
}

void ExpectReceiverEqualsSnapshot(WholeStack& stack) {
  sv1::ProvinceSync::Stub sync(stack.channel(Service::kSync));
  StubCaller<sv1::ProvinceSync::Stub> admin(sync, stack.admin_token());
  sv1::PushStatus status;
  const bool caught_up = Eventually(
      [&] {
        status.Clear();
        return admin(&sv1::ProvinceSync::Stub::GetPushStatus, sv1::GetPushStatusRequest(), &status)
                   .ok() &&
               status.state() == sv1::PUSH_STATE_ACTIVE && status.pending() == 0 &&
               !status.checkpoint().empty();
      },
      absl::Seconds(120));
  ASSERT_TRUE(caught_up) << "the push did not catch up: " << status.ShortDebugString();
  sv1::ReconcileResponse reconciled;
  grpc::Status s = CallUntilAnswered([&] {
    return admin(&sv1::ProvinceSync::Stub::Reconcile, sv1::ReconcileRequest(), &reconciled);
  });
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(reconciled.consistent()) << reconciled.ShortDebugString();
  EXPECT_EQ(reconciled.difference_count(), 0);
  for (const auto& c : reconciled.categories()) EXPECT_TRUE(c.equal()) << c.ShortDebugString();
}

void ExpectOneNoticePerEvent(const std::vector<nv1::Notice>& notices) {
  std::set<std::string> sources;
  for (const nv1::Notice& n : notices) {
    if (n.source_event().empty()) continue;
    EXPECT_TRUE(sources.insert(n.source_event()).second)
        << "two notices of event " << n.source_event();
  }
}

int ExpectEveryDepartmentDeliveryArrivedUnderOneId(WholeStack& stack,
                                                   const std::vector<nv1::Notice>& notices) {
  std::set<std::string> expected;
  for (const nv1::Notice& n : notices) {
    for (const nv1::Delivery& d : AllDeliveries(stack, n.name())) {
      if (d.recipient().starts_with("departments/")) expected.insert(d.name());
    }
  }
  std::map<std::string, std::set<std::string>> ids_of_delivery;
  std::set<std::string> missing;
  Eventually(
      [&] {
        ids_of_delivery.clear();
        for (const auto& r : stack.webhooks().received()) {
          EXPECT_TRUE(r.verified) << r.verify_error;
          auto body = nlohmann::json::parse(r.body, nullptr, false);
          if (body.is_discarded() || !body.contains("data")) continue;
          ids_of_delivery[body["data"].value("name", "")].insert(r.webhook_id);
        }
        missing.clear();
        for (const std::string& d : expected) {
          if (!ids_of_delivery.contains(d)) missing.insert(d);
        }
        return missing.empty();
      },
      absl::Seconds(120));
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << expected.size()
                               << " deliveries never arrived, e.g. " << *missing.begin();
  for (const std::string& d : expected) {
    auto found = ids_of_delivery.find(d);
    if (found != ids_of_delivery.end()) {
      EXPECT_EQ(found->second.size(), 1u) << d << " arrived under several webhook-ids";
    }
  }
  return static_cast<int>(expected.size());
}

av1::Run ExpectAssessmentEqualsRecompute(WholeStack& stack) {
  av1::Run kept;
  av1::CreateRunRequest req;
  req.set_scheme(kCityScheme);
  req.set_period(kCityPeriod);
  req.set_kind(av1::RUN_KIND_FINAL);
  req.set_request_id(absl::StrCat("recompute-", absl::ToUnixMicros(absl::Now())));
  {
    av1::Assessment::Stub assessment(stack.channel(Service::kAssessment));
    StubCaller<av1::Assessment::Stub> admin(assessment, stack.admin_token());
    grpc::Status s =
        CallUntilAnswered([&] { return admin(&av1::Assessment::Stub::CreateRun, req, &kept); });
    EXPECT_TRUE(s.ok()) << "CreateRun: " << s.error_message();
    if (!s.ok()) return kept;
  }

  // The fresh instance: its own Redis, so it hears no event and its facts are the backfill's.
  auto redis = RedisServer::Start();
  EXPECT_TRUE(redis.ok()) << redis.status();
  if (!redis.ok()) return kept;
  ServiceProcess fresh(
      stack.dir(), "assessment-fresh", "services/assessment/chainhub-assessment",
      {"--redis=" + (*redis)->address(), "--jwt_secret_file=" + stack.dir().File("jwt_secret"),
       "--registry_target=" + stack.target(Service::kRegistry),
       "--intake_target=" + stack.target(Service::kIntake)});
  fresh.Start(absl::Minutes(5));  // it backfills before it serves
  if (::testing::Test::HasFatalFailure()) return kept;
  absl::Status applied = ApplyAssessmentDefinitions(stack, fresh.address());
  EXPECT_TRUE(applied.ok()) << applied;
  av1::Assessment::Stub fresh_stub(fresh.channel());
  StubCaller<av1::Assessment::Stub> fresh_admin(fresh_stub, stack.admin_token());
  av1::Run recomputed;
  grpc::Status s = CallUntilAnswered(
      [&] { return fresh_admin(&av1::Assessment::Stub::CreateRun, req, &recomputed); });
  EXPECT_TRUE(s.ok()) << "CreateRun on the fresh instance: " << s.error_message();
  fresh.Terminate();

  EXPECT_EQ(kept.results_size(), static_cast<int>(kCityChains.size()));
  EXPECT_EQ(kept.results_size(), recomputed.results_size());
  google::protobuf::util::MessageDifferencer differ;
  std::string differences;
  differ.ReportDifferencesToString(&differences);
  for (int i = 0; i < std::min(kept.results_size(), recomputed.results_size()); ++i) {
    EXPECT_TRUE(differ.Compare(kept.results(i), recomputed.results(i)))
        << kept.results(i).subject() << " differs from the recompute:\n"
        << differences;
  }
  return kept;
}

}  // namespace chainhub::testing
