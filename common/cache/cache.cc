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
constexpr char kNearBytes[] = "chainhub_cache_near_bytes";
constexpr char kNearEntries[] = "chainhub_cache_near_entries";
constexpr char kNearLive[] = "chainhub_cache_near_live";


}  // namespace

Cache::Cache(RedisClient* redis, std::string service, CacheOptions options)
    : redis_(redis), service_(std::move(service)), options_(options) {
  static const bool described = [] {
    MetricsRegistry& m = MetricsRegistry::Global();
    m.Describe(kRequests, "counter",
               "Cache lookups by result: near (served from this process's memory), hit (Redis), "
               "miss, or bypass (Redis unavailable or an invalidation still pending).");
    m.Describe(kNearBytes, "gauge", "Bytes of values held by the cache's near tier.");
    m.Describe(kNearEntries, "gauge", "Values held by the cache's near tier.");
    m.Describe(kNearLive, "gauge",
               "1 while the near tier's invalidation subscription is live (it serves), else 0.");
    return true;
  }();
  (void)described;
  if (redis_ != nullptr && options_.near_bytes > 0) {
    MetricsRegistry::Global().AddCollector(
        [tally = std::weak_ptr<NearTally>(near_tally_), service = service_] {
          const std::shared_ptr<NearTally> t = tally.lock();
          if (t == nullptr) return;  // this cache is gone
          MetricsRegistry& m = MetricsRegistry::Global();
          m.Set(kNearBytes, {{"service", service}}, static_cast<double>(t->bytes.load()));
          m.Set(kNearEntries, {{"service", service}}, static_cast<double>(t->entries.load()));
          m.Set(kNearLive, {{"service", service}}, t->live.load() ? 1 : 0);
        });
    subscriber_ = std::make_unique<RedisSubscriber>(
        redis_->options(), InvalidationChannel(),
        RedisSubscriber::Callbacks{[this](bool live) { NearLive(live); },
                                   [this](absl::string_view ns) { NearDrop(ns); }});
  }
}

Cache::~Cache() { subscriber_.reset(); }

std::string Cache::InvalidationChannel() const {
  return absl::StrCat("chainhub:cache:", service_, ":invalidations");
}

std::optional<std::string> Cache::NearGet(absl::string_view ns, absl::string_view key,
                                          NearTicket* ticket) {
  if (subscriber_ == nullptr) return std::nullopt;
  absl::MutexLock lock(&near_mu_);
  if (!near_live_) return std::nullopt;
  auto in_ns = near_index_.find(ns);
  if (in_ns != near_index_.end()) {
    auto it = in_ns->second.find(key);
    if (it != in_ns->second.end()) {
      if (it->second->expires > absl::Now()) return it->second->value;
      NearEraseLocked(it->second);
    }
  }
  auto gen = near_generation_.find(ns);
  ticket->epoch = near_epoch_;
  ticket->generation = gen == near_generation_.end() ? 0 : gen->second;
  ticket->usable = true;
  return std::nullopt;
}

void Cache::NearPut(absl::string_view ns, absl::string_view key, const std::string& value,
                    const NearTicket& ticket) {
  if (!ticket.usable || static_cast<int64_t>(value.size()) > options_.near_bytes / 4) return;
  absl::MutexLock lock(&near_mu_);
  auto gen = near_generation_.find(ns);
  const uint64_t generation = gen == near_generation_.end() ? 0 : gen->second;
  // An invalidation or a lost subscription since the read began: the value may be stale.
  if (!near_live_ || near_epoch_ != ticket.epoch || generation != ticket.generation) return;
  auto& in_ns = near_index_[std::string(ns)];
  if (in_ns.contains(key)) return;
  near_entries_.push_back(
      NearEntry{std::string(ns), std::string(key), value, absl::Now() + options_.ttl});
  in_ns.emplace(std::string(key), std::prev(near_entries_.end()));
  near_used_ += static_cast<int64_t>(value.size());
  while (near_used_ > options_.near_bytes && !near_entries_.empty()) {
    NearEraseLocked(near_entries_.begin());
  }
  NearGauges();
}

void Cache::NearEraseLocked(std::list<NearEntry>::iterator entry) {
  auto in_ns = near_index_.find(entry->ns);
  if (in_ns != near_index_.end()) {
    in_ns->second.erase(entry->key);
    if (in_ns->second.empty()) near_index_.erase(in_ns);
  }
  near_used_ -= static_cast<int64_t>(entry->value.size());
  near_entries_.erase(entry);
}

void Cache::NearDrop(absl::string_view ns) { NearDrop(std::set<std::string>{std::string(ns)}); }

void Cache::NearDrop(const std::set<std::string>& namespaces) {
  if (subscriber_ == nullptr) return;
  absl::MutexLock lock(&near_mu_);
  for (const std::string& ns : namespaces) {
    ++near_generation_[ns];
    auto in_ns = near_index_.find(ns);
    if (in_ns == near_index_.end()) continue;
    for (auto& [key, entry] : in_ns->second) {
      near_used_ -= static_cast<int64_t>(entry->value.size());
      near_entries_.erase(entry);
    }
    near_index_.erase(in_ns);
  }
  NearGauges();
}

bool Cache::near_live() {
  absl::MutexLock lock(&near_mu_);
  return near_live_;
}

void Cache::NearLive(bool live) {
  absl::MutexLock lock(&near_mu_);
  // Whatever was held may have missed invalidations while the subscription was not live.
  near_live_ = live;
  ++near_epoch_;
  near_entries_.clear();
  near_index_.clear();
  near_used_ = 0;
  NearGauges();
}

void Cache::NearGauges() {
  near_tally_->bytes.store(near_used_, std::memory_order_relaxed);
  near_tally_->entries.store(static_cast<int64_t>(near_entries_.size()), std::memory_order_relaxed);
  near_tally_->live.store(near_live_, std::memory_order_relaxed);
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
  NearTicket ticket;
  if (std::optional<std::string> near = NearGet(ns, key, &ticket)) {
    count("near");
    return std::move(*near);
  }
  Lookup lookup = Get(ns, key);
  if (!lookup.usable) {
    count("bypass");
    return load();
  }
  if (lookup.value.has_value()) {
    count("hit");
    NearPut(ns, key, *lookup.value, ticket);
    return std::move(*lookup.value);
  }
  count("miss");
  absl::StatusOr<std::string> loaded = load();
  if (loaded.ok()) {
    // Filled under the version read before loading: if a write committed meanwhile, its
    // invalidation moved the namespace to a newer version and this entry is never read.
    // A failure here only costs a later miss.
    (void)redis_->Command(
        {"SET", ValueKey(ns, lookup.version, key), *loaded, "PX",
         std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.ttl)))});
    NearPut(ns, key, *loaded, ticket);
  }
  return loaded;
}

void Cache::Invalidate(absl::string_view ns) { Invalidate(std::set<std::string>{std::string(ns)}); }

void Cache::Invalidate(const std::set<std::string>& namespaces) {
  if (redis_ == nullptr || namespaces.empty()) return;
  NearDrop(namespaces);
  std::vector<std::vector<std::string>> commands;
  commands.reserve(2 * namespaces.size());
  const std::string channel = InvalidationChannel();
  // Per namespace its next version, then the announcement to every process's near tier, in that
  // order on one connection (a near tier that hears it and reloads finds the new version). Plain
  // commands rather than a script: Redis runs them in a tenth of a Lua call's time.
  for (const std::string& ns : namespaces) {
    commands.push_back({"INCR", VersionKey(ns)});
    commands.push_back({"PUBLISH", channel, ns});
  }
  // One round trip for all of them.
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands);
  // Again after the new versions exist: a read that filled from an old one in between keeps
  // nothing, so every read after this returns sees the write.
  NearDrop(namespaces);
  size_t i = 0;
  for (const std::string& ns : namespaces) {
    const bool bumped = replies.ok() && (*replies)[i].type == RedisReply::Type::kInteger;
    i += 2;
    if (bumped) continue;
    // Until an INCR gets through, this process must not trust what is cached for ns.
    absl::MutexLock lock(&mu_);
    pending_.insert(ns);
  }
}

}  // namespace chainhub
