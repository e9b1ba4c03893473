// InboxWatchHub: the live side of WatchInbox. One thread reads the deliveries made since it last
// looked — once per wake-up, for every watcher at once, in one bounded query — and hands each to
// the open streams whose inbox it belongs to; it also sends their heartbeats. A new watch first
// catches up from the store on the caller's worker, then joins the live feed with no gap and no
// repeat. The thread wakes on Wake (a commit of this process) and every `poll` (commits of other
// replicas on the same PostgreSQL). A watcher whose bounded queue fills (a burst larger than the
// queue, a client that pauses) leaves the live feed and is fed from the store, page by page as its
// queue drains, until it has caught up and rejoins: a burst of any size reaches it in order with
// no gap and no repeat. Only a client that takes nothing for `patience` is ended, with
// RESOURCE_EXHAUSTED; Drain ends every watch with UNAVAILABLE. Either way the client resumes from
// the cursor of the last message it received.
#ifndef CHAINHUB_SERVICES_NOTIFY_WATCH_HUB_H_
#define CHAINHUB_SERVICES_NOTIFY_WATCH_HUB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/notify/v1/notify.pb.h"
#include "common/rpc/server_stream.h"
#include "common/store/store.h"
#include "services/notify/watch.h"

namespace chainhub::notify {

using InboxStream = StreamWriter<v1::WatchInboxResponse>;

class InboxWatchHub {
 public:
  struct Options {
    // How often the store is read without a Wake.
    absl::Duration poll = absl::Seconds(1);
    // Deliveries read per query (live and catch-up).
    int batch = 500;
    // How long a watch whose queue is full waits for its client to take something before it is
    // ended as too slow.
    absl::Duration patience = absl::Seconds(30);
    // How often the queues of watchers fed from the store are looked at for room.
    absl::Duration lagging_poll = absl::Milliseconds(20);
  };

  // Reads where the inbox stands and starts the thread. Heartbeats and polls follow the real
  // time (they are timers, not instants anything is stamped with).
  explicit InboxWatchHub(Store* store) : InboxWatchHub(store, Options()) {}
  InboxWatchHub(Store* store, Options options);
  // Drain, then stops the thread.
  ~InboxWatchHub();

  InboxWatchHub(const InboxWatchHub&) = delete;
  InboxWatchHub& operator=(const InboxWatchHub&) = delete;

  // Deliveries may have been committed: read them now rather than at the next poll.
  void Wake();

  // Serves `watch` on `stream`, on the calling worker: sends the deliveries after watch.cursor
  // (after the newest one, for cursor 0), then hands the stream to the hub thread, and returns.
  // OK: the stream is under way (the hub ends it); an error: the status to end the call with
  // (INVALID_ARGUMENT for a cursor no delivery has reached, UNAVAILABLE while draining).
  absl::Status Watch(const InboxWatch& watch, std::shared_ptr<InboxStream> stream);

  // Ends every watch with UNAVAILABLE (reconnect from the last cursor received) and refuses new
  // ones: server shutdown, before the server waits for its calls. Idempotent.
  void Drain();

 private:
  struct Watcher {
    InboxWatch watch;
    std::shared_ptr<InboxStream> stream;
    // The stream has passed every delivery up to here: sent it, or it was not this inbox's.
    int64_t position = 0;
    absl::Time next_heartbeat;
    // Its queue filled: it is off the live feed and fed from the store after `position`.
    bool lagging = false;
    // When it last took a page (or fell behind): what `patience` counts from.
    absl::Time stalled_since;
  };

  void Run();
  // Reads and fans out what was committed after last_seen_, batch by batch.
  void ReadNew();
  // Feeds each lagging watcher with room in its queue a page from the store; rejoins those
  // that caught up, ends those that took nothing for `patience`.
  void FeedLagging();
  // Sends `msg` to `w` (a delivery, or a heartbeat); whether it was queued. A full queue makes
  // `w` lagging.
  bool SendLocked(Watcher& w, v1::WatchInboxResponse msg, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Deliveries read per store page for `stream`: at most half its queue.
  size_t PageFor(const InboxStream& stream) const;
  void HeartbeatsLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forgets the watchers whose stream ended.
  void SweepLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void IndexLocked(Watcher* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Time NextWakeLocked(absl::Time next_poll) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status Prime();

  Store* const store_;
  const Options options_;
  absl::Mutex mu_;
  // The hub has read (and handed out) every delivery up to here; valid once primed_.
  int64_t last_seen_ ABSL_GUARDED_BY(mu_) = 0;
  bool primed_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool draining_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::unique_ptr<Watcher>> watchers_ ABSL_GUARDED_BY(mu_);
  // The watchers by recipient, and those who see every recipient (admin).
  absl::flat_hash_map<std::string, std::vector<Watcher*>> by_recipient_ ABSL_GUARDED_BY(mu_);
  std::vector<Watcher*> every_recipient_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace chainhub::notify

#endif  // CHAINHUB_SERVICES_NOTIFY_WATCH_HUB_H_
