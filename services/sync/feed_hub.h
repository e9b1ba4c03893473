// WatchChanges' hub: one thread serves every open change feed. Each watcher has a cursor (the last
// version it was sent); when sync commits new changes (Wake) or a tick passes, the hub reads each
// watcher's next changes from the store (at most a page, and only when its stream has room, so a
// slow reader costs a bounded queue and simply reads on later from its own cursor) and sends them
// in order. A watcher sent nothing for `heartbeat` gets a heartbeat carrying its cursor.
#ifndef CHAINHUB_SERVICES_SYNC_FEED_HUB_H_
#define CHAINHUB_SERVICES_SYNC_FEED_HUB_H_

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/sync/v1/sync.pb.h"
#include "common/rpc/server_stream.h"
#include "services/sync/sync_store.h"

namespace chainhub::sync {

class FeedHub {
 public:
  struct Options {
    absl::Duration heartbeat = absl::Seconds(5);
    // How often the hub looks without being woken (changes written by another replica).
    absl::Duration tick = absl::Milliseconds(250);
    // Changes per message.
    int page = 500;
  };

  FeedHub(Store* store, Options options);
  ~FeedHub();

  // Serves `writer` from `cursor` (exclusive) on, optionally one list version only.
  void Add(std::shared_ptr<StreamWriter<v1::ChangeBatch>> writer, int64_t cursor,
           std::string list_version);
  void Wake();
  // Ends every feed (OK: the client reconnects elsewhere from its cursor) and stops the thread.
  void Stop();

 private:
  struct Watcher {
    std::shared_ptr<StreamWriter<v1::ChangeBatch>> writer;
    int64_t cursor;
    std::string list_version;
    absl::Time last_sent;
  };

  void Run();
  // Sends what `w` has not had yet; true when a full page went (there may be more).
  bool Feed(Watcher& w, absl::Time now);

  Store* store_;
  Options options_;
  absl::Mutex mu_;
  std::list<Watcher> watchers_ ABSL_GUARDED_BY(mu_);
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_FEED_HUB_H_
