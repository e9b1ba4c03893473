// BoundedExecutor: a fixed set of worker threads taking tasks from one bounded FIFO queue. The
// gRPC callback threads must never block, so every RPC's blocking work (SQLite, Redis) is handed
// to one of these; a burst beyond the workers waits in the queue instead of being refused, and
// only a queue already holding `queue_limit` tasks refuses more, so that memory and queueing delay
// stay bounded.
#ifndef CHAINHUB_COMMON_EXECUTOR_H_
#define CHAINHUB_COMMON_EXECUTOR_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace chainhub {

class BoundedExecutor {
 public:
  // Starts `workers` threads (at least 1); at most `queue_limit` tasks wait (0: none wait, a task
  // runs only when a worker is idle).
  BoundedExecutor(int workers, int queue_limit);
  // Stop().
  ~BoundedExecutor();

  BoundedExecutor(const BoundedExecutor&) = delete;
  BoundedExecutor& operator=(const BoundedExecutor&) = delete;

  // Queues `task` behind the ones already waiting. False, and `task` is dropped without running,
  // when the queue is full or the executor is stopping.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  // Refuses new tasks, runs every task already queued, and joins the workers. Idempotent.
  void Stop();

  int workers() const { return static_cast<int>(threads_.size()); }
  int queue_limit() const { return queue_limit_; }
  // Tasks waiting for a worker, and workers running one, right now.
  int queue_depth();
  int busy_workers();

 private:
  void Work();
  bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int queue_limit_;
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  int idle_ ABSL_GUARDED_BY(mu_) = 0;
  int busy_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_EXECUTOR_H_
