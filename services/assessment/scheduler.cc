#include "services/assessment/scheduler.h"

#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/rpc/auth.h"
#include "common/rpc/system_principal.h"
#include "services/assessment/assessment_store.h"
#include "services/assessment/names.h"

namespace chainhub::assessment {
namespace {

// China Standard Time, UTC+8, no daylight saving.
constexpr absl::Duration kChinaOffset = absl::Hours(8);

// The principal scheduled and event-triggered runs are made and audited as.
const Principal& SchedulerPrincipal() {
  static const Principal* principal = new Principal(SystemPrincipal("systems/assessment"));
  return *principal;
}

int MinutesOfDay(const std::string& time_of_day) {
  int h = 2, m = 0;
  if (time_of_day.size() == 5) {
    (void)absl::SimpleAtoi(time_of_day.substr(0, 2), &h);
    (void)absl::SimpleAtoi(time_of_day.substr(3, 2), &m);
  }
  return h * 60 + m;
}

absl::StatusOr<std::vector<v1::Schedule>> AllSchedules(Store& store) {
  std::vector<v1::Schedule> out;
  CHAINHUB_RETURN_IF_ERROR(store.Read([&](SqlTx& tx) -> absl::Status {
    AssessmentTx db(tx);
    PageQuery q;
    q.columns = {"id"};
    q.limit = 100000;
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, db.ListSchedules(q));
    for (auto& r : rows) out.push_back(std::move(r.value));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace

Period PeriodOf(v1::Cadence cadence, absl::CivilDay day) {
  const int year = static_cast<int>(day.year());
  switch (cadence) {
    case v1::CADENCE_MONTHLY:
      return Period{PeriodKind::kMonth, year, day.month()};
    case v1::CADENCE_QUARTERLY:
      return Period{PeriodKind::kQuarter, year, (day.month() - 1) / 3 + 1};
    default:
      return Period{PeriodKind::kYear, year, 0};
  }
}

absl::Time DueTime(const v1::Schedule& schedule, const Period& period) {
  const absl::CivilDay day = period.LastDay() + schedule.days_after_period_end();
  const absl::Time midnight_utc = absl::FromCivil(absl::CivilSecond(day), absl::UTCTimeZone());
  return midnight_utc - kChinaOffset + absl::Minutes(MinutesOfDay(schedule.time_of_day()));
}

std::optional<Period> DuePeriod(const v1::Schedule& schedule, absl::Time now) {
  const Period ended = PeriodOf(schedule.cadence(), ChinaDay(now)).Previous();
  if (now < DueTime(schedule, ended)) return std::nullopt;
  if (!schedule.last_period().empty()) {
    auto last = Period::Parse("last_period", schedule.last_period());
    if (last.ok() && !(*last < ended)) return std::nullopt;
  }
  return ended;
}

absl::Time NextRunTime(const v1::Schedule& schedule, absl::Time now) {
  const Period current = PeriodOf(schedule.cadence(), ChinaDay(now));
  const Period ended = current.Previous();
  if (DuePeriod(schedule, now).has_value()) return now;
  const bool ended_done = schedule.last_period() == ended.String();
  const absl::Time due = DueTime(schedule, ended);
  if (!ended_done && due > now) return due;
  return DueTime(schedule, current);
}

Scheduler::Scheduler(Store* store, AssessmentService* service, SchedulerOptions options,
                     const Clock& clock)
    : store_(store), service_(service), options_(std::move(options)), clock_(clock) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() { thread_ = std::thread([this] { Loop(); }); }

void Scheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Scheduler::FactsChanged() {
  const absl::Time now = absl::Now();
  absl::MutexLock lock(&mu_);
  if (first_change_ == absl::InfinitePast()) first_change_ = now;
  last_change_ = now;
}

void Scheduler::Loop() {
  absl::Time next_look = absl::Now();
  for (;;) {
    bool refresh = false;
    {
      absl::MutexLock lock(&mu_);
      // Wakes at the next look, when a debounced recompute falls due, or when the first change
      // arrives while none was pending (the deadline then moves up to its debounce).
      const bool pending = first_change_ != absl::InfinitePast();
      auto wake = [this, pending] {
        return stop_ || (!pending && first_change_ != absl::InfinitePast());
      };
      absl::Time until = next_look;
      if (pending) {
        until = std::min(until, std::min(last_change_ + options_.debounce,
                                         first_change_ + options_.max_delay));
      }
      mu_.AwaitWithDeadline(absl::Condition(&wake), until);
      if (stop_) return;
      const absl::Time now = absl::Now();
      if (first_change_ != absl::InfinitePast() &&
          (now >= last_change_ + options_.debounce || now >= first_change_ + options_.max_delay)) {
        refresh = true;
        first_change_ = last_change_ = absl::InfinitePast();
      }
    }
    if (refresh) {
      if (auto stored = RefreshProvisional(); !stored.ok()) {
        LogWarn("provisional runs not refreshed",
                {{"error", std::string(stored.status().message())}});
      }
    }
    if (absl::Now() >= next_look) {
      if (auto made = RunDue(); !made.ok()) {
        LogWarn("scheduled runs not made", {{"error", std::string(made.status().message())}});
      }
      next_look = absl::Now() + options_.interval;
    }
  }
}

absl::StatusOr<int> Scheduler::RunDue() {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::Schedule> schedules, AllSchedules(*store_));
  int made = 0;
  for (const v1::Schedule& schedule : schedules) {
    const absl::Time now = clock_.Now();
    std::optional<Period> period = DuePeriod(schedule, now);
    if (!period) continue;
    CHAINHUB_ASSIGN_OR_RETURN(ScheduleName name, ScheduleName::Parse("name", schedule.name()));
    const std::string lease = absl::StrCat("schedule:", name.id);
    std::optional<int64_t> token;
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      AssessmentTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(token,
                                db.AcquireLease(lease, options_.holder, options_.lease_ttl, now));
      return absl::OkStatus();
    }));
    if (!token) continue;  // another replica acts on this schedule
    AssessmentService::RunOrder order;
    order.scheme = schedule.scheme();
    order.period = period->String();
    order.kind = v1::RUN_KIND_FINAL;
    order.trigger = v1::RUN_TRIGGER_SCHEDULED;
    // The same run whoever makes it, however often it is attempted.
    order.request_id = absl::StrCat("schedule-", name.id, "-", period->String());
    const std::string method = "/chainhub.assessment.v1.Assessment/CreateRun";
    const AuthorizedCall call{SchedulerPrincipal(), order.request_id, method};
    absl::StatusOr<v1::Run> run =
        service_->MakeRun(call, order, [&](AssessmentTx& db) -> absl::Status {
          return db.CheckLease(lease, options_.holder, *token, clock_.Now());
        });
    if (!run.ok()) {
      LogWarn("scheduled run not made", {{"schedule", schedule.name()},
                                         {"period", period->String()},
                                         {"error", std::string(run.status().message())}});
      continue;
    }
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      AssessmentTx db(tx);
      CHAINHUB_RETURN_IF_ERROR(db.CheckLease(lease, options_.holder, *token, clock_.Now()));
      return db.SetScheduleLastPeriod(name.id, period->String());
    }));
    LogInfo("scheduled run made",
            {{"schedule", schedule.name()}, {"period", period->String()}, {"run", run->name()}});
    ++made;
  }
  return made;
}

absl::StatusOr<int> Scheduler::RefreshProvisional() {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<v1::Schedule> schedules, AllSchedules(*store_));
  int stored = 0;
  for (const v1::Schedule& schedule : schedules) {
    if (!schedule.keep_provisional()) continue;
    const absl::Time now = clock_.Now();
    AssessmentService::RunOrder order;
    order.scheme = schedule.scheme();
    order.period = PeriodOf(schedule.cadence(), ChinaDay(now)).String();
    order.kind = v1::RUN_KIND_PROVISIONAL;
    order.trigger = v1::RUN_TRIGGER_EVENT;
    order.only_if_changed = true;
    const std::string method = "/chainhub.assessment.v1.Assessment/CreateRun";
    const AuthorizedCall call{SchedulerPrincipal(), order.request_id, method};
    CHAINHUB_ASSIGN_OR_RETURN(v1::Run run, service_->MakeRun(call, order));
    // A run created before this call is the unchanged one MakeRun handed back.
    const absl::Time created = absl::FromUnixSeconds(run.create_time().seconds()) +
                               absl::Nanoseconds(run.create_time().nanos());
    if (created >= now) ++stored;
  }
  return stored;
}

}  // namespace chainhub::assessment
