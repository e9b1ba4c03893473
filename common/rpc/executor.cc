#include "common/rpc/executor.h"

#include <algorithm>
#include <utility>

namespace chainhub {

BoundedExecutor::BoundedExecutor(int workers, int queue_limit)
    : queue_limit_(std::max(0, queue_limit)) {
  const int n = std::max(1, workers);
  threads_.reserve(n);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
}

BoundedExecutor::~BoundedExecutor() { Stop(); }

bool BoundedExecutor::TrySubmit(absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return false;
  // An idle worker takes the task at once, so it does not count against the queue bound.
  const int waiting_after = static_cast<int>(queue_.size()) + 1 - idle_;
  if (waiting_after > queue_limit_) return false;
  queue_.push_back(std::move(task));
  return true;
}

void BoundedExecutor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

int BoundedExecutor::queue_depth() {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

int BoundedExecutor::busy_workers() {
  absl::MutexLock lock(&mu_);
  return busy_;
}

bool BoundedExecutor::HasWork() const { return !queue_.empty() || stopping_; }

void BoundedExecutor::Work() {
  absl::MutexLock lock(&mu_);
  for (;;) {
    ++idle_;
    mu_.Await(absl::Condition(this, &BoundedExecutor::HasWork));
    --idle_;
    // Stopping drains: queued tasks still run (their calls are in flight), only then exit.
    if (queue_.empty()) return;
    absl::AnyInvocable<void()&&> task = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    mu_.Unlock();
    std::move(task)();
    mu_.Lock();
    --busy_;
  }
}

}  // namespace chainhub
