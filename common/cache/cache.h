// Cache-aside over Redis with versioned keys. Every cached value lives under
// `chainhub:cache:<service>:<namespace>:v<version>:<key>`; a write bumps the namespace's version
// after its commit, so readers never see a value older than the last committed change (a racing
// reader that fills an old version's key fills a key nobody reads again). With Redis down every
// read goes to the store; an invalidation that could not reach Redis is retried before the
// namespace is read from the cache again. Values expire after a short TTL regardless.
#ifndef CHAINHUB_COMMON_CACHE_H_
#define CHAINHUB_COMMON_CACHE_H_

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/cache/redis_client.h"

namespace chainhub {

class Cache {
 public:
  // `redis` may be null: the cache is then always a miss.
  Cache(RedisClient* redis, std::string service, absl::Duration ttl = absl::Seconds(30));

  // Returns the cached bytes for (ns, key), or calls `load`, caches its result and returns it.
  // Load errors are returned and not cached.
  absl::StatusOr<std::string> GetOrLoad(absl::string_view ns, absl::string_view key,
                                        const std::function<absl::StatusOr<std::string>()>& load);
  // Call after a commit that changes anything cached under `ns`.
  void Invalidate(absl::string_view ns);

 private:
  struct Lookup {
    std::optional<std::string> value;
    std::string version;
    bool usable = false;
  };
  Lookup Get(absl::string_view ns, absl::string_view key);
  bool FlushPending(absl::string_view ns);
  std::string VersionKey(absl::string_view ns) const;
  std::string ValueKey(absl::string_view ns, absl::string_view version,
                       absl::string_view key) const;

  RedisClient* redis_;
  std::string service_;
  absl::Duration ttl_;
  absl::Mutex mu_;
  std::set<std::string, std::less<>> pending_ ABSL_GUARDED_BY(mu_);
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_CACHE_H_
