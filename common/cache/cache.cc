#include "common/cache/cache.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/metrics.h"

namespace chainhub {
namespace {

// One round trip: the namespace's current version (a missing version key is version "0") and
// the value cached under that version, as {version, value-or-nil}.
constexpr char kGetScript[] = R"lua(
local version = redis.call('GET', KEYS[1])
if not version then version = '0' end
local value = redis.call('GET', ARGV[1] .. version .. ARGV[2])
return {version, value}
)lua";

constexpr char kRequests[] = "chainhub_cache_requests_total";

}  // namespace

Cache::Cache(RedisClient* redis, std::string service, absl::Duration ttl)
    : redis_(redis), service_(std::move(service)), ttl_(ttl) {
  static const bool described = [] {
    MetricsRegistry::Global().Describe(kRequests, "counter",
                                       "Cache lookups by result: hit, miss, or bypass (Redis "
                                       "unavailable or an invalidation still pending).");
    return true;
  }();
  (void)described;
}

std::string Cache::VersionKey(absl::string_view ns) const {
  return absl::StrCat("chainhub:cache:", service_, ":", ns, ":version");
}

std::string Cache::ValueKey(absl::string_view ns, absl::string_view version,
                            absl::string_view key) const {
  return absl::StrCat("chainhub:cache:", service_, ":", ns, ":v", version, ":", key);
}

Cache::Lookup Cache::Get(absl::string_view ns, absl::string_view key) {
  Lookup lookup;
  // The value key is built inside the script from these two halves and the version it read.
  absl::StatusOr<RedisReply> reply = redis_->Command(
      {"EVAL", kGetScript, "1", VersionKey(ns),
       absl::StrCat("chainhub:cache:", service_, ":", ns, ":v"), absl::StrCat(":", key)});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray || reply->elements.size() != 2 ||
      reply->elements[0].type != RedisReply::Type::kString) {
    return lookup;  // not usable: Redis down, or something other than our script's answer
  }
  lookup.version = reply->elements[0].str;
  if (reply->elements[1].type == RedisReply::Type::kString) {
    lookup.value = std::move(reply->elements[1].str);
  }
  lookup.usable = true;
  return lookup;
}

bool Cache::FlushPending(absl::string_view ns) {
  absl::MutexLock lock(&mu_);
  auto it = pending_.find(ns);
  if (it == pending_.end()) return true;
  // Holding mu_ across the INCR keeps a concurrent failed Invalidate from being erased by this
  // success: its insert waits for the lock and survives.
  absl::StatusOr<RedisReply> reply = redis_->Command({"INCR", VersionKey(ns)});
  if (!reply.ok() || reply->type != RedisReply::Type::kInteger) return false;
  pending_.erase(it);
  return true;
}

absl::StatusOr<std::string> Cache::GetOrLoad(
    absl::string_view ns, absl::string_view key,
    const std::function<absl::StatusOr<std::string>()>& load) {
  MetricsRegistry& metrics = MetricsRegistry::Global();
  auto count = [&](const char* result) {
    metrics.Add(kRequests, {{"service", service_}, {"result", result}});
  };
  if (redis_ == nullptr || !FlushPending(ns)) {
    count("bypass");
    return load();
  }
  Lookup lookup = Get(ns, key);
  if (!lookup.usable) {
    count("bypass");
    return load();
  }
  if (lookup.value.has_value()) {
    count("hit");
    return std::move(*lookup.value);
  }
  count("miss");
  absl::StatusOr<std::string> loaded = load();
  if (loaded.ok()) {
    // Filled under the version read before loading: if a write committed meanwhile, its
    // invalidation moved the namespace to a newer version and this entry is never read.
    // A failure here only costs a later miss.
    (void)redis_->Command({"SET", ValueKey(ns, lookup.version, key), *loaded, "PX",
                           std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(ttl_)))});
  }
  return loaded;
}

void Cache::Invalidate(absl::string_view ns) {
  if (redis_ == nullptr) return;
  absl::StatusOr<RedisReply> reply = redis_->Command({"INCR", VersionKey(ns)});
  if (reply.ok() && reply->type == RedisReply::Type::kInteger) return;
  // Until an INCR gets through, this process must not trust what is cached for ns.
  absl::MutexLock lock(&mu_);
  pending_.insert(std::string(ns));
}

}  // namespace chainhub
