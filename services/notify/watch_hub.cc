#include "services/notify/watch_hub.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"
#include "services/notify/notify_store.h"

namespace chainhub::notify {

namespace {

using SendResult = InboxStream::SendResult;

constexpr char kResume[] = "reconnect with the cursor of the last message received";
constexpr char kWatchers[] = "chainhub_notify_watchers";
constexpr char kTooSlow[] = "chainhub_notify_watches_too_slow_total";
constexpr char kLagged[] = "chainhub_notify_watches_lagged_total";

void DescribeMetrics() {
  static const bool described = [] {
    MetricsRegistry& m = MetricsRegistry::Global();
    m.Describe(kWatchers, "gauge", "WatchInbox streams live on this process.");
    m.Describe(kTooSlow, "counter",
               "WatchInbox streams ended (RESOURCE_EXHAUSTED) because the client read too slowly.");
    m.Describe(kLagged, "counter",
               "Times a WatchInbox stream's queue filled and it was fed from the store until it "
               "caught up.");
    m.Set(kWatchers, {}, 0);
    m.Add(kTooSlow, {}, 0);
    m.Add(kLagged, {}, 0);
    return true;
  }();
  (void)described;
}

// Ends a stream whose client took nothing of its full queue for `patience`.
void EndTooSlow(InboxStream& stream, absl::Duration patience) {
  MetricsRegistry::Global().Add(kTooSlow, {});
  stream.Finish(grpc::Status(
      grpc::StatusCode::RESOURCE_EXHAUSTED,
      absl::StrCat("the client read none of the ", stream.queue_limit(),
                   " messages waiting for it in ", absl::FormatDuration(patience), "; ", kResume)));
}

absl::Status ShuttingDown() {
  return absl::UnavailableError(absl::StrCat("the server is shutting down; ", kResume));
}

}  // namespace

InboxWatchHub::InboxWatchHub(Store* store, Options options)
    : store_(store), options_(std::move(options)) {
  DescribeMetrics();
  if (absl::Status primed = Prime(); !primed.ok()) {
    LogWarn("inbox watch: cannot read the inbox position; retrying",
            {{"error", std::string(primed.message())}});
  }
  thread_ = std::thread([this] { Run(); });
}

InboxWatchHub::~InboxWatchHub() {
  Drain();
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
}

void InboxWatchHub::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void InboxWatchHub::Drain() {
  absl::MutexLock lock(&mu_);
  draining_ = true;
  const grpc::Status status = ToGrpcStatus(ShuttingDown());
  for (const auto& w : watchers_) w->stream->Finish(status);
  watchers_.clear();
  by_recipient_.clear();
  every_recipient_.clear();
  MetricsRegistry::Global().Set(kWatchers, {}, 0);
}

absl::Status InboxWatchHub::Prime() {
  int64_t newest = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    NotifyTx db(tx);
    CHAINHUB_ASSIGN_OR_RETURN(newest, db.LastSeq());
    return absl::OkStatus();
  }));
  absl::MutexLock lock(&mu_);
  last_seen_ = newest;
  primed_ = true;
  return absl::OkStatus();
}

absl::Status InboxWatchHub::Watch(const InboxWatch& watch, std::shared_ptr<InboxStream> stream) {
  {
    absl::MutexLock lock(&mu_);
    if (draining_) return ShuttingDown();
    if (!primed_) {
      return absl::UnavailableError("the inbox cannot be watched yet (its store is unreadable)");
    }
  }
  const std::vector<std::string> recipients = watch.RecipientList();
  // A caller acting for no recipient has an empty inbox (an empty list would mean every one).
  const bool empty_inbox = !watch.every_recipient && recipients.empty();
  const size_t page = PageFor(*stream);
  // Catch up from the store, page by page at the client's pace, until the hub thread has not
  // gone past what was read; then join it. `position`: every delivery up to it was sent (or is
  // not this inbox's).
  int64_t position = watch.cursor;
  bool first = true;
  while (true) {
    int64_t newest = 0;
    std::vector<v1::Delivery> found;
    CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
      NotifyTx db(tx);
      // Read first: every delivery up to `newest` is committed, so the query below sees them.
      CHAINHUB_ASSIGN_OR_RETURN(newest, db.LastSeq());
      if (first && watch.cursor == 0) position = newest;
      if (empty_inbox) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(found,
                                db.DeliveriesAfter(position, recipients, static_cast<int>(page)));
      return absl::OkStatus();
    }));
    if (first && watch.cursor > newest) {
      return InvalidField("cursor", absl::StrCat("is past the newest delivery (cursor ", newest,
                                                 "): resume from a cursor this inbox gave"));
    }
    first = false;
    for (const v1::Delivery& d : found) {
      const SendResult sent = stream->Send(DeliveryMessage(d));
      if (sent == SendResult::kFull) EndTooSlow(*stream, options_.patience);
      if (sent != SendResult::kQueued) return absl::OkStatus();
      position = d.cursor();
    }
    if (found.size() == page) {
      if (!stream->AwaitRoom(page, options_.patience)) {
        if (!stream->ended()) EndTooSlow(*stream, options_.patience);
        return absl::OkStatus();
      }
      continue;
    }
    position = std::max(position, newest);
    absl::MutexLock lock(&mu_);
    if (draining_) return ShuttingDown();
    if (last_seen_ > position) continue;  // read what the hub handed out meanwhile
    auto w = std::make_unique<Watcher>();
    w->watch = watch;
    w->stream = std::move(stream);
    w->position = position;
    // The first heartbeat says at once that the stream is live, and from where.
    SendLocked(*w, Heartbeat(position), absl::Now());
    IndexLocked(w.get());
    watchers_.push_back(std::move(w));
    return absl::OkStatus();
  }
}

void InboxWatchHub::IndexLocked(Watcher* w) {
  if (w->watch.every_recipient) {
    every_recipient_.push_back(w);
    return;
  }
  for (const std::string& r : w->watch.recipients) by_recipient_[r].push_back(w);
}

size_t InboxWatchHub::PageFor(const InboxStream& stream) const {
  return std::max<size_t>(
      1, std::min<size_t>(static_cast<size_t>(options_.batch), stream.queue_limit() / 2));
}

bool InboxWatchHub::SendLocked(Watcher& w, v1::WatchInboxResponse msg, absl::Time now) {
  switch (w.stream->Send(std::move(msg))) {
    case SendResult::kQueued:
      w.next_heartbeat = now + w.watch.heartbeat;
      return true;
    case SendResult::kFull:
      // Off the live feed: FeedLagging sends it what follows `position` from the store.
      MetricsRegistry::Global().Add(kLagged, {});
      w.lagging = true;
      w.stalled_since = now;
      return false;
    case SendResult::kEnded:
      return false;  // swept on the next round
  }
  return false;
}

void InboxWatchHub::FeedLagging() {
  struct Feed {
    Watcher* watcher;
    InboxWatch watch;
    int64_t position;
    std::shared_ptr<InboxStream> stream;
    size_t page;
  };
  std::vector<Feed> feeds;
  {
    absl::MutexLock lock(&mu_);
    if (draining_) return;
    const absl::Time now = absl::Now();
    for (const auto& w : watchers_) {
      if (!w->lagging || w->stream->ended()) continue;
      const size_t page = PageFor(*w->stream);
      if (w->stream->HasRoom(page)) {
        feeds.push_back({w.get(), w->watch, w->position, w->stream, page});
      } else if (now - w->stalled_since >= options_.patience) {
        EndTooSlow(*w->stream, options_.patience);
      }
    }
  }
  for (Feed& feed : feeds) {
    const std::vector<std::string> recipients = feed.watch.RecipientList();
    std::vector<v1::Delivery> found;
    // An empty list would mean every recipient; a caller acting for none has an empty inbox.
    if (feed.watch.every_recipient || !recipients.empty()) {
      absl::Status read = store_->Read([&](SqlTx& tx) -> absl::Status {
        NotifyTx db(tx);
        CHAINHUB_ASSIGN_OR_RETURN(
            found, db.DeliveriesAfter(feed.position, recipients, static_cast<int>(feed.page)));
        return absl::OkStatus();
      });
      if (!read.ok()) {
        LogWarn("inbox watch: cannot read a lagging watch's deliveries; retrying",
                {{"error", std::string(read.message())}});
        return;
      }
    }
    // Only this thread sends to a lagging watcher, and its queue had room for a page.
    int64_t position = feed.position;
    for (const v1::Delivery& d : found) {
      if (feed.stream->Send(DeliveryMessage(d)) != SendResult::kQueued) break;
      position = d.cursor();
    }
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    if (draining_) return;  // Drain forgot every watcher
    Watcher& w = *feed.watcher;
    w.position = position;
    w.stalled_since = now;
    if (found.size() < feed.page) {
      // Every delivery of its inbox up to what the store held is sent, and the store held all
      // the hub has handed out (last_seen_ moves on this thread only): back on the live feed.
      w.position = std::max(w.position, last_seen_);
      w.lagging = false;
    }
    w.next_heartbeat = now + w.watch.heartbeat;
  }
}

void InboxWatchHub::ReadNew() {
  int64_t after = 0;
  {
    absl::MutexLock lock(&mu_);
    after = last_seen_;
  }
  while (true) {
    std::vector<v1::Delivery> batch;
    absl::Status read = store_->Read([&](SqlTx& tx) -> absl::Status {
      NotifyTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(batch, db.DeliveriesAfter(after, {}, options_.batch));
      return absl::OkStatus();
    });
    if (!read.ok()) {
      LogWarn("inbox watch: cannot read new deliveries; retrying",
              {{"error", std::string(read.message())}});
      return;
    }
    if (batch.empty()) return;
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    if (draining_) return;
    for (const v1::Delivery& d : batch) {
      const v1::WatchInboxResponse msg = DeliveryMessage(d);
      auto hand = [&](Watcher* w) {
        // Sent by its catch-up, or it is fed from the store until it catches up.
        if (d.cursor() <= w->position || w->lagging) return;
        if (SendLocked(*w, msg, now)) w->position = d.cursor();
      };
      if (auto it = by_recipient_.find(d.recipient()); it != by_recipient_.end()) {
        for (Watcher* w : it->second) hand(w);
      }
      for (Watcher* w : every_recipient_) hand(w);
      last_seen_ = d.cursor();
    }
    for (const auto& w : watchers_) {
      if (!w->lagging) w->position = std::max(w->position, last_seen_);
    }
    after = last_seen_;
    if (batch.size() < static_cast<size_t>(options_.batch)) return;
  }
}

void InboxWatchHub::HeartbeatsLocked(absl::Time now) {
  for (const auto& w : watchers_) {
    if (!w->lagging && now >= w->next_heartbeat) SendLocked(*w, Heartbeat(w->position), now);
  }
}

void InboxWatchHub::SweepLocked() {
  const size_t before = watchers_.size();
  watchers_.erase(std::remove_if(watchers_.begin(), watchers_.end(),
                                 [](const auto& w) { return w->stream->ended(); }),
                  watchers_.end());
  MetricsRegistry::Global().Set(kWatchers, {}, static_cast<double>(watchers_.size()));
  if (watchers_.size() == before) return;
  by_recipient_.clear();
  every_recipient_.clear();
  for (const auto& w : watchers_) IndexLocked(w.get());
}

absl::Time InboxWatchHub::NextWakeLocked(absl::Time next_poll) const {
  absl::Time next = next_poll;
  for (const auto& w : watchers_) {
    next = std::min(next, w->lagging ? absl::Now() + options_.lagging_poll : w->next_heartbeat);
  }
  return next;
}

void InboxWatchHub::Run() {
  absl::Time next_poll = absl::Now() + options_.poll;
  while (true) {
    bool read = false;
    bool primed = false;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return woken_ || stopping_; };
      mu_.AwaitWithDeadline(absl::Condition(&ready), NextWakeLocked(next_poll));
      if (stopping_) return;
      read = woken_ || absl::Now() >= next_poll;
      woken_ = false;
      primed = primed_;
    }
    if (read) {
      if (primed) {
        ReadNew();
      } else if (absl::Status s = Prime(); !s.ok()) {
        LogWarn("inbox watch: cannot read the inbox position; retrying",
                {{"error", std::string(s.message())}});
      }
      next_poll = absl::Now() + options_.poll;
    }
    FeedLagging();
    absl::MutexLock lock(&mu_);
    HeartbeatsLocked(absl::Now());
    SweepLocked();
  }
}

}  // namespace chainhub::notify
