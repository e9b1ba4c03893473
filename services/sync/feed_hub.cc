#include "services/sync/feed_hub.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/service/resource.h"

namespace chainhub::sync {

FeedHub::FeedHub(Store* store, Options options) : store_(store), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

FeedHub::~FeedHub() { Stop(); }

void FeedHub::Add(std::shared_ptr<StreamWriter<v1::ChangeBatch>> writer, int64_t cursor,
                  std::string list_version) {
  absl::MutexLock lock(&mu_);
  if (stop_) {
    writer->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the server is shutting down"));
    return;
  }
  watchers_.push_back({std::move(writer), cursor, std::move(list_version), absl::Now()});
  woken_ = true;
}

void FeedHub::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void FeedHub::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  std::list<Watcher> ending;
  {
    absl::MutexLock lock(&mu_);
    ending.swap(watchers_);
  }
  for (auto& w : ending) w.writer->Finish(grpc::Status::OK);
}

bool FeedHub::Feed(Watcher& w, absl::Time now) {
  if (!w.writer->HasRoom(1)) return false;
  SyncReader reader(store_);
  auto changes = reader.ChangesAfter(w.cursor, options_.page, w.list_version);
  if (!changes.ok()) {
    LogWarn("change feed read failed", {{"error", std::string(changes.status().message())}});
    return false;
  }
  if (changes->empty()) {
    if (now - w.last_sent >= options_.heartbeat) {
      v1::ChangeBatch beat;
      beat.set_heartbeat(true);
      beat.set_cursor(absl::StrCat(w.cursor));
      w.writer->Send(std::move(beat));
      w.last_sent = now;
    }
    return false;
  }
  // Taken before the records are moved into the message.
  const int64_t last = changes->back().record.version();
  v1::ChangeBatch batch;
  for (auto& c : *changes) {
    v1::Change* change = batch.add_changes();
    change->set_cursor(absl::StrCat(c.record.version()));
    SetTimestamp(change->mutable_time(), absl::ToUnixMicros(c.change_time));
    *change->mutable_record() = std::move(c.record);
  }
  batch.set_cursor(absl::StrCat(last));
  if (w.writer->Send(std::move(batch)) ==
      StreamWriter<v1::ChangeBatch>::SendResult::kQueued) {
    w.cursor = last;
    w.last_sent = now;
  }
  return static_cast<int>(changes->size()) == options_.page;
}

void FeedHub::Run() {
  while (true) {
    std::vector<Watcher*> serving;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stop_; };
      mu_.AwaitWithTimeout(absl::Condition(&ready), options_.tick);
      if (stop_) return;
      woken_ = false;
      for (auto it = watchers_.begin(); it != watchers_.end();) {
        if (it->writer->ended()) {
          it = watchers_.erase(it);
        } else {
          serving.push_back(&*it);
          ++it;
        }
      }
    }
    // Watchers are only removed on this thread, so the pointers stay valid while it feeds them.
    bool more = false;
    const absl::Time now = absl::Now();
    for (Watcher* w : serving) more = Feed(*w, now) || more;
    if (more) Wake();
  }
}

}  // namespace chainhub::sync
