// The automated runs. Schedules make each period's final run once it is due (e.g. the 5th day
// after a quarter ends, 02:00 China time) exactly once, even with several replicas: a replica
// acts on a schedule only while it holds the schedule's lease in the store, the run and the
// schedule's progress are written in one transaction that checks the lease's fencing token, and
// the run's request id is derived from the schedule and period, so a repeat changes nothing.
// Schedules that keep a provisional run recompute it after facts change, debounced, and store it
// only when its ranking moved.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_SCHEDULER_H_
#define CHAINHUB_SERVICES_ASSESSMENT_SCHEDULER_H_

#include <optional>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/base/clock.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/periods.h"

namespace chainhub::assessment {

// The period of `cadence` that `day` falls in.
Period PeriodOf(v1::Cadence cadence, absl::CivilDay day);

// When `period`'s final run is due under `schedule`: its last day + days_after_period_end, at
// time_of_day, China time.
absl::Time DueTime(const v1::Schedule& schedule, const Period& period);

// The period a schedule should make a final run for at `now`, if any: the latest period that has
// ended, once it is due and when it is after the schedule's last_period.
std::optional<Period> DuePeriod(const v1::Schedule& schedule, absl::Time now);

// The next time the schedule will act (for Schedule.next_run_time).
absl::Time NextRunTime(const v1::Schedule& schedule, absl::Time now);

struct SchedulerOptions {
  // How often the schedules are looked at.
  absl::Duration interval = absl::Seconds(30);
  // How long a replica holds a schedule's lease (renewed each look while it is alive).
  absl::Duration lease_ttl = absl::Minutes(2);
  // After the facts change: wait this long without further change before recomputing the
  // provisional runs, but never longer than max_delay after the first change.
  absl::Duration debounce = absl::Seconds(2);
  absl::Duration max_delay = absl::Seconds(10);
  // This replica, in leases (e.g. host:pid).
  std::string holder;
};

class Scheduler {
 public:
  Scheduler(Store* store, AssessmentService* service, SchedulerOptions options,
            const Clock& clock);
  ~Scheduler();

  void Start();
  void Stop();

  // Facts changed (FactsKeeper's on_change): a provisional recompute is due after the debounce.
  void FactsChanged();

  // One look at every schedule: makes the final runs that are due (under the lease). Returns how
  // many runs it made. Public for tests.
  absl::StatusOr<int> RunDue();
  // Recomputes every kept provisional run now; returns how many were stored (ranking moved).
  absl::StatusOr<int> RefreshProvisional();

 private:
  void Loop();

  Store* store_;
  AssessmentService* service_;
  SchedulerOptions options_;
  const Clock& clock_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  // When the first unhandled change and the last change arrived (InfinitePast: none pending).
  absl::Time first_change_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  absl::Time last_change_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::thread thread_;
};

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_SCHEDULER_H_
