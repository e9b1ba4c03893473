// Cache-aside over Redis with versioned keys. Every cached value lives under
// `chainhub:cache:<service>:<namespace>:v<version>:<key>`; a write bumps the namespace's version
// after its commit, so readers never see a value older than the last committed change (a racing
// reader that fills an old version's key fills a key nobody reads again). With Redis down every
// read goes to the store; an invalidation that could not reach Redis is retried before the
// namespace is read from the cache again. Values expire after a short TTL regardless.
//
// In front of Redis sits an optional near tier: values this process read recently, kept in memory
// (up to a byte budget, oldest first out) so that a warm read never leaves the process. Every
// Invalidate publishes the namespace on the service's invalidation channel; each process drops its
// near entries of that namespace when the message arrives, and its own at once, so the process
// that acknowledged a write reads it back, and another process lags by the message's delivery
// (sub-millisecond on a LAN; measured in chainhub-bench). The near tier serves only while its
// subscription is live: a lost or silent connection to Redis empties it and turns it off until
// the subscription is back. A racing read that loaded before an invalidation does not keep its
// value: each namespace has a generation, and a value is kept only if it did not move meanwhile.
#ifndef CHAINHUB_COMMON_CACHE_H_
#define CHAINHUB_COMMON_CACHE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/redis_client.h"

namespace chainhub {

struct CacheOptions {
  // How long a value is kept, in Redis and in the near tier.
  absl::Duration ttl = absl::Seconds(30);
  // The near tier's budget in bytes of cached values; 0 turns it off.
  int64_t near_bytes = 0;
};

class Cache {
 public:
  // `redis` may be null: the cache is then always a miss.
  Cache(RedisClient* redis, std::string service, CacheOptions options = {});
  ~Cache();

  // Returns the cached bytes for (ns, key), or calls `load`, caches its result and returns it.
  // Load errors are returned and not cached.
  absl::StatusOr<std::string> GetOrLoad(absl::string_view ns, absl::string_view key,
                                        const std::function<absl::StatusOr<std::string>()>& load);
  // Call after a commit that changes anything cached under `ns`.
  void Invalidate(absl::string_view ns);
  // The same for several namespaces, in one round trip to Redis.
  void Invalidate(const std::set<std::string>& namespaces);
  // Whether the near tier serves now (its subscription is live).
  bool near_live();

 private:
  struct Lookup {
    std::optional<std::string> value;
    std::string version;
    bool usable = false;
  };
  Lookup Get(absl::string_view ns, absl::string_view key);
  bool FlushPending(absl::string_view ns);
  std::string InvalidationChannel() const;
  std::string VersionKey(absl::string_view ns) const;
  std::string ValueKey(absl::string_view ns, absl::string_view version,
                       absl::string_view key) const;

  // The near tier.
  struct NearEntry {
    std::string ns;
    std::string key;
    std::string value;
    absl::Time expires;
  };
  // What a reader saw before loading: the value may be kept only if neither moved.
  struct NearTicket {
    uint64_t epoch = 0;
    uint64_t generation = 0;
    bool usable = false;
  };
  std::optional<std::string> NearGet(absl::string_view ns, absl::string_view key,
                                     NearTicket* ticket);
  void NearPut(absl::string_view ns, absl::string_view key, const std::string& value,
               const NearTicket& ticket);
  void NearDrop(absl::string_view ns);
  void NearDrop(const std::set<std::string>& namespaces);
  void NearLive(bool live);
  void NearEraseLocked(std::list<NearEntry>::iterator entry)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(near_mu_);
  // Publishes the near tier's size for the metrics collector (which sets the gauges at scrape
  // time, so a lookup or a drop never touches the metrics registry for them).
  void NearGauges() ABSL_EXCLUSIVE_LOCKS_REQUIRED(near_mu_);

  struct NearTally {
    std::atomic<int64_t> bytes{0};
    std::atomic<int64_t> entries{0};
    std::atomic<bool> live{false};
  };

  RedisClient* redis_;
  std::string service_;
  CacheOptions options_;
  absl::Mutex mu_;
  std::set<std::string, std::less<>> pending_ ABSL_GUARDED_BY(mu_);

  absl::Mutex near_mu_;
  // Live subscription: false until confirmed, after a loss, or with the tier off.
  bool near_live_ ABSL_GUARDED_BY(near_mu_) = false;
  // Bumped on every change of liveness, so a read that began before a loss keeps nothing.
  uint64_t near_epoch_ ABSL_GUARDED_BY(near_mu_) = 0;
  absl::flat_hash_map<std::string, uint64_t> near_generation_ ABSL_GUARDED_BY(near_mu_);
  // Oldest first; `near_index_` finds an entry by namespace, then key.
  std::list<NearEntry> near_entries_ ABSL_GUARDED_BY(near_mu_);
  absl::flat_hash_map<std::string,
                      absl::flat_hash_map<std::string, std::list<NearEntry>::iterator>>
      near_index_ ABSL_GUARDED_BY(near_mu_);
  int64_t near_used_ ABSL_GUARDED_BY(near_mu_) = 0;
  const std::shared_ptr<NearTally> near_tally_ = std::make_shared<NearTally>();
  // Last: stopped (joined) before the state its callbacks touch is destroyed.
  std::unique_ptr<RedisSubscriber> subscriber_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CACHE_H_
