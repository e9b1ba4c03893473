#include "common/cache/cache.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/metrics.h"
#include "common/cache/redis_client.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace chainhub {
namespace {

using testing::RedisServer;

// A stand-in for the store: a value and a count of how often it was read.
struct Source {
  std::atomic<int> value{0};
  std::atomic<int> loads{0};
  std::function<absl::StatusOr<std::string>()> Loader() {
    return [this]() -> absl::StatusOr<std::string> {
      loads.fetch_add(1);
      return std::to_string(value.load());
    };
  }
};


class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    redis_ = std::make_unique<RedisClient>(server_->ClientOptions());
    cache_ = std::make_unique<Cache>(redis_.get(), service_, CacheOptions{absl::Seconds(30)});
    for (const char* result : {"hit", "miss", "bypass", "near"}) {
      counted_at_start_[result] = Count(result);
    }
  }

  // Requests counted with `result` since the test started (the registry is process-wide and
  // outlives a test, e.g. under --gtest_repeat).
  double Requests(const std::string& result) {
    return Count(result) - counted_at_start_[result];
  }
  double Count(const std::string& result) {
    return MetricsRegistry::Global().Value("chainhub_cache_requests_total",
                                           {{"service", service_}, {"result", result}});
  }

  // Waits until this thread's connection to the restarted server works again.
  bool WaitUntilRedisAnswers() {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (!redis_->Command({"PING"}).ok()) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return true;
  }

  std::string Read(absl::string_view key = "chains/pv") {
    absl::StatusOr<std::string> v = cache_->GetOrLoad("chains", key, source_.Loader());
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : "";
  }

  // Each test has its own service label so metric counts do not mix between tests.
  const std::string service_ =
      absl::StrCat("cache-test-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Cache> cache_;
  Source source_;
  std::map<std::string, double> counted_at_start_;
};

TEST_F(CacheTest, ServesTheSecondReadFromTheCache) {
  source_.value = 7;
  EXPECT_EQ(Read(), "7");
  source_.value = 8;  // changed without invalidation: the cache still answers
  EXPECT_EQ(Read(), "7");
  EXPECT_EQ(source_.loads.load(), 1);
  EXPECT_EQ(Requests("miss"), 1);
  EXPECT_EQ(Requests("hit"), 1);
}

TEST_F(CacheTest, KeepsKeysApart) {
  int a_loads = 0;
  int b_loads = 0;
  auto a = cache_->GetOrLoad("chains", "a", [&]() -> absl::StatusOr<std::string> {
    ++a_loads;
    return std::string("alpha");
  });
  auto b = cache_->GetOrLoad("chains", "b", [&]() -> absl::StatusOr<std::string> {
    ++b_loads;
    return std::string("beta");
  });
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, "alpha");
  EXPECT_EQ(*b, "beta");
  a = cache_->GetOrLoad("chains", "a", [] { return absl::StatusOr<std::string>("wrong"); });
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, "alpha");
  EXPECT_EQ(a_loads + b_loads, 2);
}

TEST_F(CacheTest, StoresValuesWithTheTtl) {
  Read();
  absl::StatusOr<RedisReply> keys = redis_->Command({"KEYS", "chainhub:cache:*:v*:chains/pv"});
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->elements.size(), 1u);
  absl::StatusOr<RedisReply> ttl = redis_->Command({"PTTL", keys->elements[0].str});
  ASSERT_TRUE(ttl.ok());
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 30000);
}

TEST_F(CacheTest, LoadsAgainAfterInvalidate) {
  source_.value = 1;
  EXPECT_EQ(Read(), "1");
  source_.value = 2;
  cache_->Invalidate("chains");
  EXPECT_EQ(Read(), "2");
  EXPECT_EQ(Read(), "2");
  EXPECT_EQ(source_.loads.load(), 2);
}

TEST_F(CacheTest, InvalidatingOneNamespaceLeavesOthersCached) {
  int other_loads = 0;
  auto load_other = [&]() -> absl::StatusOr<std::string> {
    ++other_loads;
    return std::string("other");
  };
  ASSERT_TRUE(cache_->GetOrLoad("rankings", "2026", load_other).ok());
  cache_->Invalidate("chains");
  ASSERT_TRUE(cache_->GetOrLoad("rankings", "2026", load_other).ok());
  EXPECT_EQ(other_loads, 1);
}

TEST_F(CacheTest, ReturnsLoadErrorsWithoutCachingThem) {
  auto failing = [] { return absl::StatusOr<std::string>(absl::NotFoundError("chains/x")); };
  absl::StatusOr<std::string> v = cache_->GetOrLoad("chains", "x", failing);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kNotFound);
  v = cache_->GetOrLoad("chains", "x", [] { return absl::StatusOr<std::string>("found"); });
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "found");
}

// A writer commits (value) then invalidates, then publishes what it committed; a read of `cache`
// that starts after that must see at least that value, whatever readers filled in meanwhile.
// Returns how many reads broke that.
int StaleReadsDuringWrites(Cache& cache, Source& source) {
  constexpr int kWrites = 300;
  std::atomic<int> committed{0};
  std::atomic<bool> done{false};
  std::atomic<int> stale{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        const int floor = committed.load();
        absl::StatusOr<std::string> v = cache.GetOrLoad("chains", "pv", source.Loader());
        if (!v.ok() || std::stoi(*v) < floor) stale.fetch_add(1);
      }
    });
  }
  for (int i = 1; i <= kWrites; ++i) {
    source.value = i;
    cache.Invalidate("chains");
    committed = i;
    absl::StatusOr<std::string> v = cache.GetOrLoad("chains", "pv", source.Loader());
    if (!v.ok() || *v != std::to_string(i)) stale.fetch_add(1);
  }
  done = true;
  for (std::thread& t : readers) t.join();
  return stale.load();
}

TEST_F(CacheTest, NeverServesAValueOlderThanTheLastInvalidate) {
  EXPECT_EQ(StaleReadsDuringWrites(*cache_, source_), 0);
  EXPECT_GT(Requests("hit"), 0);  // the cache was in use, not bypassed
}

TEST_F(CacheTest, StaysCorrectAfterFlushAll) {
  source_.value = 1;
  EXPECT_EQ(Read(), "1");
  cache_->Invalidate("chains");
  EXPECT_EQ(Read(), "1");
  ASSERT_TRUE(redis_->Command({"FLUSHALL"}).ok());
  source_.value = 2;  // changed while the cache was empty: the next read loads it
  EXPECT_EQ(Read(), "2");
  source_.value = 3;
  cache_->Invalidate("chains");
  EXPECT_EQ(Read(), "3");
  EXPECT_EQ(Read(), "3");
  EXPECT_EQ(source_.loads.load(), 4);
}

TEST_F(CacheTest, BypassesTheCacheWhileRedisIsDown) {
  source_.value = 1;
  EXPECT_EQ(Read(), "1");
  ASSERT_TRUE(server_->Stop().ok());
  source_.value = 2;
  EXPECT_EQ(Read(), "2");  // nothing failed: the store answered
  EXPECT_EQ(Read(), "2");
  EXPECT_EQ(source_.loads.load(), 3);
  EXPECT_EQ(Requests("bypass"), 2);
}

TEST_F(CacheTest, AppliesAnInvalidationMadeDuringAnOutageBeforeUsingTheCacheAgain) {
  source_.value = 1;
  EXPECT_EQ(Read(), "1");  // cached, and kept by Redis across its restart (AOF)
  ASSERT_TRUE(server_->Stop().ok());
  source_.value = 2;
  cache_->Invalidate("chains");  // cannot reach Redis
  EXPECT_EQ(Read(), "2");
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(WaitUntilRedisAnswers());
  absl::StatusOr<RedisReply> old = redis_->Command({"KEYS", "chainhub:cache:*:v0:chains/pv"});
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->elements.size(), 1u) << "the value cached before the outage survived";
  EXPECT_EQ(Read(), "2");
  EXPECT_EQ(Read(), "2");
  EXPECT_GT(Requests("hit"), 0);  // cached again under the new version
}

TEST_F(CacheTest, WithoutRedisAlwaysLoads) {
  Cache cache(nullptr, service_);
  int loads = 0;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::string> v = cache.GetOrLoad("chains", "pv", [&] {
      ++loads;
      return absl::StatusOr<std::string>("v");
    });
    ASSERT_TRUE(v.ok());
  }
  cache.Invalidate("chains");
  EXPECT_EQ(loads, 3);
}

// Two processes' caches of one service over one Redis, each with a near tier.
class NearCacheTest : public CacheTest {
 protected:
  void SetUp() override {
    CacheTest::SetUp();
    CacheOptions options;
    options.near_bytes = 1 << 20;
    writer_ = std::make_unique<Cache>(redis_.get(), service_, options);
    other_ = std::make_unique<Cache>(redis_.get(), service_, options);
    ASSERT_TRUE(WaitLive(*writer_, true));
    ASSERT_TRUE(WaitLive(*other_, true));
    counted_at_start_["near"] = Count("near");
  }

  static bool WaitLive(Cache& cache, bool live) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (cache.near_live() != live) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return true;
  }

  std::string ReadFrom(Cache& cache) {
    absl::StatusOr<std::string> v = cache.GetOrLoad("chains", "chains/pv", source_.Loader());
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : "";
  }

  std::unique_ptr<Cache> writer_;
  std::unique_ptr<Cache> other_;
};

TEST_F(NearCacheTest, ServesAWarmReadFromMemory) {
  source_.value = 1;
  EXPECT_EQ(ReadFrom(*writer_), "1");
  const double redis_hits = Requests("hit");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ReadFrom(*writer_), "1");
  EXPECT_EQ(Requests("near"), 5);
  EXPECT_EQ(Requests("hit"), redis_hits);  // none of them went to Redis
  EXPECT_EQ(source_.loads.load(), 1);
}

TEST_F(NearCacheTest, TheWritingProcessReadsItsWriteAtOnce) {
  source_.value = 1;
  EXPECT_EQ(ReadFrom(*writer_), "1");
  EXPECT_EQ(ReadFrom(*writer_), "1");
  source_.value = 2;
  writer_->Invalidate("chains");
  EXPECT_EQ(ReadFrom(*writer_), "2");  // no waiting for its own message
}

TEST_F(NearCacheTest, AnotherProcessDropsItsCopyWhenTheInvalidationArrives) {
  source_.value = 1;
  EXPECT_EQ(ReadFrom(*other_), "1");
  EXPECT_EQ(ReadFrom(*other_), "1");
  EXPECT_EQ(Requests("near"), 1);
  source_.value = 2;
  const absl::Time sent = absl::Now();
  writer_->Invalidate("chains");
  while (ReadFrom(*other_) != "2") {
    ASSERT_LT(absl::Now() - sent, absl::Seconds(5)) << "the invalidation never arrived";
    absl::SleepFor(absl::Microseconds(200));
  }
  EXPECT_EQ(ReadFrom(*other_), "2");
}

TEST_F(NearCacheTest, TurnsOffWhileRedisIsDownAndServesAgainAfter) {
  source_.value = 1;
  EXPECT_EQ(ReadFrom(*other_), "1");
  ASSERT_TRUE(server_->Kill().ok());
  ASSERT_TRUE(WaitLive(*other_, false));
  // Another process wrote meanwhile; its invalidation could reach no one.
  source_.value = 2;
  EXPECT_EQ(ReadFrom(*other_), "2");
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(WaitUntilRedisAnswers());
  ASSERT_TRUE(WaitLive(*other_, true));
  ASSERT_TRUE(WaitLive(*writer_, true));
  source_.value = 3;
  writer_->Invalidate("chains");
  // Its own invalidation message may still be on its way and drop the first copies it keeps.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (Requests("near") == 0 && absl::Now() < deadline) EXPECT_EQ(ReadFrom(*writer_), "3");
  EXPECT_GT(Requests("near"), 0);
}

TEST_F(NearCacheTest, NeverServesTheWriterAValueOlderThanItsLastInvalidate) {
  EXPECT_EQ(StaleReadsDuringWrites(*writer_, source_), 0);
  EXPECT_GT(Requests("near"), 0);  // the near tier was in use
}

TEST_F(NearCacheTest, KeepsWithinItsByteBudget) {
  CacheOptions options;
  options.near_bytes = 4096;
  Cache small(redis_.get(), service_, options);
  ASSERT_TRUE(WaitLive(small, true));
  const std::string value(500, 'x');
  for (int i = 0; i < 40; ++i) {
    absl::StatusOr<std::string> v = small.GetOrLoad(
        "chains", absl::StrCat("k", i), [&] { return absl::StatusOr<std::string>(value); });
    ASSERT_TRUE(v.ok());
  }
  EXPECT_LE(MetricsRegistry::Global().Value("chainhub_cache_near_bytes", {{"service", service_}}),
            4096);
  // The newest are held, the oldest went first.
  const double near_before = Count("near");
  ASSERT_TRUE(small.GetOrLoad("chains", "k39", [&] { return absl::StatusOr<std::string>(value); })
                  .ok());
  EXPECT_EQ(Count("near"), near_before + 1);
}

}  // namespace
}  // namespace chainhub
