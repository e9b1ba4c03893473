// The sweeper (docs/notify.md, Overdue and escalation): every `interval`, deliveries whose receipt
// deadline passed unsigned become OVERDUE (event notify.delivery_overdue), and each supervision
// letter (督办) with an overdue delivery is escalated once to its chain leader's office, as an
// alert naming who has not signed. Every write is conditional (a delivery still unsigned, a letter
// not yet in `escalations`), so replicas sweeping the same store at once change each thing once.
// Each sweep also flushes the digest windows that have ended (digests.h).
#ifndef CHAINHUB_SERVICES_NOTIFY_SWEEPER_H_
#define CHAINHUB_SERVICES_NOTIFY_SWEEPER_H_

#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/notify/notify_service.h"

namespace chainhub::notify {

struct SweeperOptions {
  absl::Duration interval = absl::Seconds(30);
};

class Sweeper {
 public:
  Sweeper(NotifyService* service, SweeperOptions options);
  ~Sweeper();
  Sweeper(const Sweeper&) = delete;
  Sweeper& operator=(const Sweeper&) = delete;

  // Sweeps at once, then every interval, until Stop.
  void Start();
  void Stop();

 private:
  void Run();

  NotifyService* service_;
  SweeperOptions options_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_SWEEPER_H_
