// The chaos run: the whole stack (tests/support/whole_stack.h) under a mixed workload — department
// systems creating projects, reporting progress and moving stages, the registry taking new
// enterprises, chain offices sending notices, the lights evaluated — while a random service is
// killed with kill -9 at a random moment and started again, round after round, and once Redis is
// killed and kept down for --redis_outage. Afterwards:
//   1. every acknowledged write is there, and no retried write made a second record;
//   2. every consumer group consumed the whole stream, and no event made two notices;
//   3. the assessment equals a from-scratch recompute (a fresh instance's backfill);
//   4. every notice's department delivery arrived at its webhook, each under one id however often;
//   5. the provincial receiver holds exactly sync's snapshot.
//
//   build/tests/chainhub-chaos                       10 rounds, as the test command runs it
//   build/tests/chainhub-chaos --rounds=100 --seed=7
//
//   build/tests/chainhub-chaos --soak=2m --warm=1m --writers=32 --pause=0ms
//       --projects_per_writer=250                    the stack's peak rate: no fault, no pacing
//   build/tests/chainhub-chaos --soak=10m --writers=32 --pause=0ms --projects_per_writer=250
//       --rate=N                                     the soak at N calls/s: memory watched
//
// Flags: --rounds (10), --redis_outage (30s), --seed (0: from the clock; printed, so a run can be
// repeated), --max_pause (3s, the longest wait before a kill), --writers (2 department systems),
// --pause (20ms after each project), --projects_per_writer (0: no bound), --rate (0: no pacing),
// --soak, --warm (5m), --window (2m), --service_flags (given to every service), and gtest's own.
#include <algorithm>
#include <atomic>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/credit_code.h"
#include "tests/support/city_work.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/whole_stack.h"

ABSL_FLAG(int, rounds, 10, "Kill rounds (one of them is the Redis outage)");
ABSL_FLAG(absl::Duration, redis_outage, absl::Seconds(30), "How long Redis stays down, once");
ABSL_FLAG(uint64_t, seed, 0, "Random seed; 0 takes one from the clock");
ABSL_FLAG(absl::Duration, max_pause, absl::Seconds(3), "The longest wait before a kill");
ABSL_FLAG(int, writers, 2, "Department systems writing projects at once");
ABSL_FLAG(absl::Duration, pause, absl::Milliseconds(20),
          "Each department system's pause after a project");
ABSL_FLAG(int, projects_per_writer, 0,
          "Each department system's library: 0 creates projects throughout; N creates N, then "
          "reports progress on them round after round");
ABSL_FLAG(double, rate, 0,
          "Calls a second across the whole workload, spaced evenly (0: each caller as fast as it "
          "is answered); the writers must be enough to reach it");
ABSL_FLAG(absl::Duration, soak, absl::ZeroDuration(),
          "Run the soak instead: the workload with no fault for --warm, then this long with each "
          "service's resident memory watched, then the same checks");
ABSL_FLAG(absl::Duration, warm, absl::Minutes(5),
          "The soak's warm-up, before memory is watched: the caches fill up to their bounds");
ABSL_FLAG(absl::Duration, window, absl::Minutes(2),
          "The soak compares each service's highest resident memory in the last window with "
          "the first");
ABSL_FLAG(std::vector<std::string>, service_flags, {},
          "Flags given to every service, comma-separated (e.g. --sqlite_mmap_mb=0)");

namespace chainhub::testing {
namespace {

namespace iv1 = intake::v1;
namespace nv1 = notify::v1;
namespace rv1 = registry::v1;

using IntakeCaller = StubCaller<iv1::ProjectIntake::Stub>;

// What the services acknowledged, as the department systems recorded it.
struct Ledger {
  absl::Mutex mu;
  std::map<std::string, std::string> projects;  // projects/{id} → external_id
  std::map<std::string, std::string> reports;   // projects/{id} → month reported
  std::set<std::string> signed_projects;        // moved to SIGNED
  std::set<std::string> enterprises;            // enterprises/{credit code}
  std::set<std::string> notices;                // notices/{id}
  int64_t calls = 0;  // acknowledged calls of every kind, repeats included
  // Calls that failed with a status no retry changes, or never were answered.
  std::vector<std::string> failures;
};

// Spaces the workload's calls evenly at --rate a second, whichever caller makes them. A caller
// that is late takes the next free slot: no backlog of slots is spent in a burst, so a stack that
// cannot keep up is measured at the rate it reached.
class Pacer {
 public:
  explicit Pacer(double per_second)
      : gap_(per_second > 0 ? absl::Seconds(1.0 / per_second) : absl::ZeroDuration()) {}

  void Wait() {
    if (gap_ == absl::ZeroDuration()) return;
    absl::Time slot;
    {
      absl::MutexLock lock(&mu_);
      next_ = std::max(next_, absl::Now());
      slot = next_;
      next_ += gap_;
    }
    absl::SleepFor(slot - absl::Now());
  }

 private:
  const absl::Duration gap_;
  absl::Mutex mu_;
  absl::Time next_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

// The writers: each a thread that loops until told to stop, every call retried with the same
// request until answered (CallUntilAnswered), its acknowledgement recorded in the ledger.
class Workload {
 public:
  Workload(WholeStack& stack, Ledger& ledger) : stack_(stack), ledger_(ledger) {}
  ~Workload() { Stop(); }

  void Start() {
    for (int w = 0; w < absl::GetFlag(FLAGS_writers); ++w) {
      const std::string system = absl::StrCat("dept-", w);
      threads_.emplace_back([this, system] { DepartmentSystem(system); });
    }
    threads_.emplace_back([this] { Enterprises(); });
    threads_.emplace_back([this] { Notices(); });
    threads_.emplace_back([this] { Lights(); });
  }

  void Stop() {
    stop_ = true;
    for (std::thread& t : threads_) {
      if (t.joinable()) t.join();
    }
    threads_.clear();
  }

 private:
  // Calls `call` until answered (CallUntilAnswered); once it succeeds, records it with `record`
  // under the ledger's lock, else records the failure under `what`. Whether it succeeded.
  bool Acknowledged(const std::string& what, const std::function<grpc::Status()>& call,
                    const std::function<void()>& record) {
    pacer_.Wait();
    grpc::Status s = CallUntilAnswered(call);
    absl::MutexLock lock(&ledger_.mu);
    if (s.ok()) {
      ++ledger_.calls;
      record();
    } else {
      ledger_.failures.push_back(absl::StrCat(what, ": ", s.error_code(), " ", s.error_message()));
    }
    return s.ok();
  }

  void Pause() { absl::SleepFor(absl::GetFlag(FLAGS_pause)); }

  // A department system: creates a project, reports last month's progress on it, and moves every
  // other one to 签约.
  void DepartmentSystem(const std::string& system) {
    iv1::ProjectIntake::Stub stub(stack_.channel(Service::kIntake));
    IntakeCaller caller(stub, MintTestToken("systems/" + system, {"admin"}, {}, absl::Hours(24)));
    // With --projects_per_writer, a fixed library: once it is made, each round reports progress
    // on one of its projects again (a revision), so the data stops growing but for the reports'
    // history, notices and enterprises.
    const int library = absl::GetFlag(FLAGS_projects_per_writer);
    std::vector<iv1::Project> mine;
    for (int n = 0; !stop_; ++n) {
      const bool creating = library <= 0 || static_cast<int>(mine.size()) < library;
      iv1::Project made;
      if (creating) {
        iv1::CreateProjectRequest create;
        *create.mutable_project() = CityProject(system, n);
        create.set_request_id(absl::StrCat(system, "-create-", n));
        if (!Acknowledged(
                create.request_id(),
                [&] { return caller(&iv1::ProjectIntake::Stub::CreateProject, create, &made); },
                [&] { ledger_.projects[made.name()] = made.external_id(); })) {
          continue;
        }
        if (library > 0) mine.push_back(made);
      } else {
        made = mine[n % library];
      }
      iv1::ReportProgressRequest report;
      report.set_parent(made.name());
      report.mutable_report()->set_month(MonthAgo(1));
      report.mutable_report()->set_cumulative_completed_yuan(10'000'000 + n);
      report.mutable_report()->set_cumulative_funds_arrived_yuan(8'000'000 + n);
      report.set_request_id(absl::StrCat(system, "-report-", n));
      iv1::ProgressReport reported;
      Acknowledged(
          report.request_id(),
          [&] { return caller(&iv1::ProjectIntake::Stub::ReportProgress, report, &reported); },
          [&] { ledger_.reports[made.name()] = reported.month(); });
      if (creating && n % 2 == 0) {
        iv1::TransitionStageRequest move;
        move.set_name(made.name());
        move.set_to_stage(iv1::STAGE_SIGNED);
        move.set_effective_date(MonthsAgo(1));
        move.set_request_id(absl::StrCat(system, "-sign-", n));
        iv1::Project moved;
        Acknowledged(
            move.request_id(),
            [&] { return caller(&iv1::ProjectIntake::Stub::TransitionStage, move, &moved); },
            [&] { ledger_.signed_projects.insert(made.name()); });
      }
      Pause();
    }
  }

  void Enterprises() {
    rv1::ChainRegistry::Stub stub(stack_.channel(Service::kRegistry));
    StubCaller<rv1::ChainRegistry::Stub> caller(stub, stack_.admin_token());
    for (int n = 0; !stop_; ++n) {
      const std::string first17 = absl::StrFormat("91341100MA2X%05d", n);
      rv1::CreateEnterpriseRequest req;
      req.set_request_id(absl::StrCat("chaos-enterprise-", n));
      rv1::Enterprise* e = req.mutable_enterprise();
      e->set_credit_code(first17 + *CreditCodeCheckChar(first17));
      e->set_display_name(absl::StrCat("滁州混沌测试企业", n, "有限公司"));
      e->set_county("南谯区");
      e->set_annual_output_yuan(5'000'000 + n);
      rv1::Enterprise made;
      Acknowledged(
          req.request_id(),
          [&] { return caller(&rv1::ChainRegistry::Stub::CreateEnterprise, req, &made); },
          [&] { ledger_.enterprises.insert(made.name()); });
      absl::SleepFor(absl::Milliseconds(100));
    }
  }

  // A chain office sends a notice to two departments, each asked to sign for it.
  void Notices() {
    nv1::Notifier::Stub stub(stack_.channel(Service::kNotify));
    StubCaller<nv1::Notifier::Stub> caller(stub, stack_.admin_token());
    for (int n = 0; !stop_; ++n) {
      const CityChain& chain = kCityChains[n % kCityChains.size()];
      nv1::SendNoticeRequest req;
      req.set_request_id(absl::StrCat("chaos-notice-", n));
      nv1::Notice* notice = req.mutable_notice();
      notice->set_kind(nv1::NOTICE);
      notice->set_title(absl::StrCat("调度通知第", n, "号"));
      notice->set_body("请于本周内报送项目推进情况。");
      notice->set_chain(absl::StrCat("chains/", chain.id));
      notice->add_recipients(absl::StrCat("departments/", chain.lead_department));
      notice->add_recipients(n % 2 == 0 ? "departments/zsj" : "departments/zrzyj");
      notice->set_receipt_required(true);
      notice->mutable_receipt_deadline()->set_seconds(
          absl::ToUnixSeconds(absl::Now() + absl::Hours(72)));
      nv1::Notice made;
      Acknowledged(
          req.request_id(), [&] { return caller(&nv1::Notifier::Stub::SendNotice, req, &made); },
          [&] { ledger_.notices.insert(made.name()); });
      absl::SleepFor(absl::Milliseconds(200));
    }
  }

  // The lights evaluated every two seconds, as an operator's scheduler would: red ones alert.
  void Lights() {
    iv1::ProjectIntake::Stub stub(stack_.channel(Service::kIntake));
    IntakeCaller caller(stub, stack_.admin_token());
    while (!stop_) {
      iv1::EvaluateLightsResponse resp;
      Acknowledged(
          "EvaluateLights",
          [&] {
            return caller(&iv1::ProjectIntake::Stub::EvaluateLights, iv1::EvaluateLightsRequest(),
                          &resp);
          },
          [] {});
      absl::SleepFor(absl::Seconds(2));
    }
  }

  WholeStack& stack_;
  Ledger& ledger_;
  Pacer pacer_{absl::GetFlag(FLAGS_rate)};
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

// Counts what the services no longer hold of what they acknowledged (each one an EXPECT failure).
int CountLost(WholeStack& stack, Ledger& ledger) {
  int lost = 0;
  auto expect = [&](bool held, const std::string& what) {
    EXPECT_TRUE(held) << what;
    if (!held) ++lost;
  };
  // Projects: each acknowledged one once (a retried create made no second project), in the
  // acknowledged stage, with its report.
  std::map<std::string, int> copies;
  std::map<std::string, iv1::Project> by_name;
  for (const iv1::Project& p : AllProjects(stack)) {
    if (absl::StartsWith(p.external_id(), "dept-")) ++copies[p.external_id()];
    by_name[p.name()] = p;
  }
  for (const auto& [external_id, count] : copies) {
    EXPECT_EQ(count, 1) << external_id << " was made " << count << " times";
  }
  iv1::ProjectIntake::Stub intake(stack.channel(Service::kIntake));
  IntakeCaller admin(intake, stack.admin_token());
  for (const auto& [name, external_id] : ledger.projects) {
    auto found = by_name.find(name);
    expect(found != by_name.end() && found->second.external_id() == external_id,
           absl::StrCat("acknowledged project ", name, " (", external_id, ")"));
    if (found == by_name.end()) continue;
    if (ledger.signed_projects.contains(name)) {
      expect(found->second.stage() >= iv1::STAGE_SIGNED, absl::StrCat(name, " signed"));
    }
    auto month = ledger.reports.find(name);
    if (month != ledger.reports.end()) {
      expect(found->second.last_report_month() == month->second,
             absl::StrCat(name, " reported for ", month->second, ", holds ",
                          found->second.last_report_month()));
    }
  }
  rv1::ChainRegistry::Stub registry(stack.channel(Service::kRegistry));
  StubCaller<rv1::ChainRegistry::Stub> registry_admin(registry, stack.admin_token());
  for (const std::string& name : ledger.enterprises) {
    rv1::GetEnterpriseRequest req;
    req.set_name(name);
    rv1::Enterprise e;
    grpc::Status s = CallUntilAnswered(
        [&] { return registry_admin(&rv1::ChainRegistry::Stub::GetEnterprise, req, &e); });
    expect(s.ok(), absl::StrCat("acknowledged enterprise ", name, ": ", s.error_message()));
  }
  nv1::Notifier::Stub notify(stack.channel(Service::kNotify));
  StubCaller<nv1::Notifier::Stub> notify_admin(notify, stack.admin_token());
  for (const std::string& name : ledger.notices) {
    nv1::GetNoticeRequest req;
    req.set_name(name);
    nv1::Notice n;
    grpc::Status s =
        CallUntilAnswered([&] { return notify_admin(&nv1::Notifier::Stub::GetNotice, req, &n); });
    expect(s.ok() && n.delivery_count() == 2,
           absl::StrCat("acknowledged notice ", name, ": ", s.error_message()));
  }
  return lost;
}

// The five checks, once the faults are over and the workload stopped. Returns a summary line.
std::string CheckEverything(WholeStack& stack, Ledger& ledger) {
  EXPECT_TRUE(WaitUntilEveryServiceServes(stack, absl::Seconds(30)));
  // 1. What was acknowledged is there, once.
  const int lost = CountLost(stack, ledger);
  for (const std::string& f : ledger.failures) ADD_FAILURE() << "a write failed: " << f;
  // 2. Every group consumed everything; no event made two notices.
  EXPECT_TRUE(WaitForStreamToSettle(stack, absl::Seconds(180)));
  for (const auto& [group, pending] : ConsumerGroups(stack)) {
    EXPECT_EQ(pending, 0) << "group " << group;
  }
  const std::vector<nv1::Notice> notices = AllNotices(stack);
  ExpectOneNoticePerEvent(notices);
  // 3. The assessment equals a recompute.
  ExpectAssessmentEqualsRecompute(stack);
  // 4. Every delivery arrived, under one id.
  const int deliveries = ExpectEveryDepartmentDeliveryArrivedUnderOneId(stack, notices);
  // 5. The receiver equals the snapshot (the run above is part of it).
  EXPECT_TRUE(WaitForStreamToSettle(stack, absl::Seconds(60)));
  ExpectReceiverEqualsSnapshot(stack);
  EXPECT_EQ(lost, 0);
  absl::MutexLock lock(&ledger.mu);
  return absl::StrFormat(
      "  acknowledged: %d projects, %d progress reports, %d stage moves, %d enterprises, %d "
      "notices; failed writes %d; lost %d\n"
      "  notices %d, department deliveries checked %d, webhooks received %d",
      ledger.projects.size(), ledger.reports.size(), ledger.signed_projects.size(),
      ledger.enterprises.size(), ledger.notices.size(), ledger.failures.size(), lost,
      notices.size(), deliveries, stack.webhooks().received().size());
}

// Acknowledged calls so far, of every kind.
int64_t Acknowledged(Ledger& ledger) {
  absl::MutexLock lock(&ledger.mu);
  return ledger.calls;
}

// A process's resident memory in KiB, as /proc/PID/status splits it: anonymous (the heap, SQLite's
// page caches) and file-backed (the mapped database files and binaries, which the kernel can drop).
struct Resident {
  int64_t anon_kib = 0;
  int64_t file_kib = 0;
  int64_t total() const { return anon_kib + file_kib; }
};

Resident ResidentOf(pid_t pid) {
  Resident r;
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    for (auto [field, into] : {std::pair<absl::string_view, int64_t*>{"RssAnon:", &r.anon_kib},
                               {"RssFile:", &r.file_kib}}) {
      if (!absl::StartsWith(line, field)) continue;
      (void)absl::SimpleAtoi(
          absl::StripAsciiWhitespace(absl::StripSuffix(absl::StripPrefix(line, field), "kB")),
          into);
    }
  }
  return r;
}

std::string MemoryLine(WholeStack& stack) {
  std::string line;
  for (Service s : kEveryService) {
    const Resident r = ResidentOf(stack.process(s).pid());
    absl::StrAppend(&line, " ", ServiceName(s), " ", r.anon_kib / 1024, "+", r.file_kib / 1024);
  }
  return line;
}

double Growth(int64_t from, int64_t to) {
  return from > 0 ? 100.0 * static_cast<double>(to - from) / static_cast<double>(from) : 0.0;
}

TEST(Chaos, KillNineAndARedisOutageUnderLoadLoseNothingAcknowledged) {
  const int rounds = absl::GetFlag(FLAGS_rounds);
  if (absl::GetFlag(FLAGS_soak) > absl::ZeroDuration()) GTEST_SKIP() << "--soak runs the soak";
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) seed = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  std::cout << "chaos: seed " << seed << ", " << rounds << " rounds" << std::endl;
  std::mt19937_64 random(seed);
  const absl::Time began = absl::Now();

  WholeStack stack;
  ASSERT_NO_FATAL_FAILURE(stack.Start());
  ASSERT_NO_FATAL_FAILURE(PrepareCity(stack));
  std::cout << "chaos: stack up and seeded in " << absl::FormatDuration(absl::Now() - began) << " ("
            << stack.dir().path() << ")" << std::endl;

  Ledger ledger;
  Workload workload(stack, ledger);
  workload.Start();
  std::map<std::string, int> kills;
  const int outage_round = rounds / 2;
  auto uniform = [&](absl::Duration low, absl::Duration high) {
    std::uniform_int_distribution<int64_t> ms(absl::ToInt64Milliseconds(low),
                                              absl::ToInt64Milliseconds(high));
    return absl::Milliseconds(ms(random));
  };
  for (int round = 0; round < rounds; ++round) {
    absl::SleepFor(uniform(absl::Milliseconds(200), absl::GetFlag(FLAGS_max_pause)));
    if (round == outage_round) {
      ASSERT_TRUE(stack.redis().Kill().ok());
      std::cout << "chaos: round " << round + 1 << ": redis-server killed for "
                << absl::FormatDuration(absl::GetFlag(FLAGS_redis_outage)) << std::endl;
      absl::SleepFor(absl::GetFlag(FLAGS_redis_outage));
      absl::Status restarted = stack.redis().Restart();
      ASSERT_TRUE(restarted.ok()) << restarted;
      ++kills["redis-server"];
      continue;
    }
    const Service victim = kEveryService[random() % kEveryService.size()];
    std::cout << "chaos: round " << round + 1 << ": kill -9 chainhub-" << ServiceName(victim)
              << std::endl;
    ASSERT_NO_FATAL_FAILURE(stack.Kill9(victim));
    ++kills[std::string(ServiceName(victim))];
    absl::SleepFor(uniform(absl::ZeroDuration(), absl::Seconds(1)));
    ASSERT_NO_FATAL_FAILURE(stack.Restart(victim));
  }
  absl::SleepFor(absl::Seconds(2));
  workload.Stop();
  const absl::Time chaos_over = absl::Now();
  const std::string summary = CheckEverything(stack, ledger);

  std::vector<std::string> kill_counts;
  for (const auto& [service, n] : kills) kill_counts.push_back(absl::StrCat(service, " ", n));
  std::cout << absl::StrFormat(
                   "chaos result: seed %d, %d rounds (kills: %s; Redis down %s once), "
                   "chaos %s, checks %s\n",
                   seed, rounds, absl::StrJoin(kill_counts, ", "),
                   absl::FormatDuration(absl::GetFlag(FLAGS_redis_outage)),
                   absl::FormatDuration(chaos_over - began),
                   absl::FormatDuration(absl::Now() - chaos_over))
            << summary << std::endl;
}

// The soak: the workload with no fault for --warm, then --soak more; no write may fail, and the
// five checks run after. Each service's resident memory is sampled every 5 s, and the highest
// sample of the last --window is compared with the highest of the first --window after the warm-up
// (a single sample is noise: a process's heap swings as calls come and go, and its allocator
// returns memory in steps).
TEST(Chaos, SoakWithoutFaultsFailsNothingAndHoldsMemory) {
  const absl::Duration soak = absl::GetFlag(FLAGS_soak);
  if (soak <= absl::ZeroDuration()) GTEST_SKIP() << "runs with --soak=DURATION";
  const absl::Duration warm = absl::GetFlag(FLAGS_warm);
  const absl::Duration window = std::min(absl::GetFlag(FLAGS_window), soak / 2);
  WholeStack stack(absl::GetFlag(FLAGS_service_flags));
  ASSERT_NO_FATAL_FAILURE(stack.Start());
  ASSERT_NO_FATAL_FAILURE(PrepareCity(stack));
  Ledger ledger;
  Workload workload(stack, ledger);
  const absl::Time began = absl::Now();
  workload.Start();
  auto print = [&](absl::Time now) {
    std::cout << absl::StrFormat(
                     "soak: %s, %d calls acknowledged; resident MiB (anonymous+file):%s",
                     absl::FormatDuration(absl::Trunc(now - began, absl::Seconds(1))),
                     Acknowledged(ledger), MemoryLine(stack))
              << std::endl;
  };
  for (absl::Time now = began; now - began < warm; now = absl::Now()) {
    absl::SleepFor(std::min(absl::Seconds(30), warm - (now - began)));
    print(absl::Now());
  }
  const absl::Time measuring = absl::Now();
  const int64_t warm_calls = Acknowledged(ledger);
  std::map<Service, Resident> first, last;  // each part's highest sample in the window
  auto keep_highest = [](Resident& into, const Resident& r) {
    into.anon_kib = std::max(into.anon_kib, r.anon_kib);
    into.file_kib = std::max(into.file_kib, r.file_kib);
  };
  absl::Time printed = measuring;
  for (absl::Time now = measuring; now - measuring < soak; now = absl::Now()) {
    for (Service s : kEveryService) {
      const Resident r = ResidentOf(stack.process(s).pid());
      if (now - measuring < window) keep_highest(first[s], r);
      if (now - measuring >= soak - window) keep_highest(last[s], r);
    }
    if (now - printed >= absl::Seconds(30)) {
      printed = now;
      print(now);
    }
    absl::SleepFor(absl::Seconds(5));
  }
  const int64_t calls = Acknowledged(ledger) - warm_calls;
  const absl::Duration measured = absl::Now() - measuring;
  workload.Stop();
  const std::string summary = CheckEverything(stack, ledger);
  std::cout << absl::StrFormat(
                   "soak result: %s after a %s warm-up, %d writers, paced at %.0f calls/s (0: not "
                   "paced): %.0f acknowledged calls/s; highest resident memory of the first %s "
                   "against the last %s\n",
                   absl::FormatDuration(soak), absl::FormatDuration(warm),
                   absl::GetFlag(FLAGS_writers), absl::GetFlag(FLAGS_rate),
                   calls / absl::ToDoubleSeconds(measured), absl::FormatDuration(window),
                   absl::FormatDuration(window))
            << summary << std::endl;
  for (Service s : kEveryService) {
    const Resident& a = first[s];
    const Resident& b = last[s];
    std::cout << absl::StrFormat(
                     "  chainhub-%-10s anonymous %6d → %6d KiB (%+.1f%%), file-backed %6d → %6d "
                     "KiB (%+.1f%%), both %+.1f%%",
                     ServiceName(s), a.anon_kib, b.anon_kib, Growth(a.anon_kib, b.anon_kib),
                     a.file_kib, b.file_kib, Growth(a.file_kib, b.file_kib),
                     Growth(a.total(), b.total()))
              << std::endl;
    EXPECT_LT(Growth(a.total(), b.total()), 5.0) << "chainhub-" << ServiceName(s) << " grew";
  }
}

}  // namespace
}  // namespace chainhub::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  absl::ParseCommandLine(argc, argv);
  return RUN_ALL_TESTS();
}
