// How a service takes more calls than it has workers: a burst far beyond --rpc_threads is queued
// and every call served; past --rpc_queue_limit a call is refused with RESOURCE_EXHAUSTED and
// counted; a call whose deadline passes while it waits is not run. The workers are held busy the
// way production holds them: another connection keeps the registry's SQLite write lock.
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/metrics.h"
#include "gtest/gtest.h"
#include "tests/integration/registry_test_util.h"

namespace chainhub::testing {
namespace {

constexpr char kCreateChain[] = "/chainhub.registry.v1.ChainRegistry/CreateChain";

double Rejected(const std::string& method, const std::string& reason) {
  return MetricsRegistry::Global().Value("chainhub_rpc_rejected_total",
                                         {{"method", method}, {"reason", reason}});
}

// A registry with few workers and a short queue, and helpers to keep its workers busy.
class ServingTest : public ::testing::Test {
 protected:
  void StartRegistry(int rpc_threads, int rpc_queue_limit) {
    ASSERT_NO_FATAL_FAILURE(fx_.SetUpWith([&](ServerConfig& c) {
      c.rpc_threads = rpc_threads;
      c.rpc_queue_limit = rpc_queue_limit;
    }));
  }
  void TearDown() override {
    ReleaseWriteLock();
    fx_.TearDown();
  }

  Caller admin() { return Caller(fx_.stub(), fx_.admin_token()); }

  // Takes the registry database's write lock from another connection, as a second writer would:
  // every write the registry starts waits for it.
  void HoldWriteLock() {
    ASSERT_EQ(sqlite3_open(absl::StrCat(fx_.data_dir(), "/registry.db").c_str(), &lock_db_),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(lock_db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  }
  void ReleaseWriteLock() {
    if (lock_db_ == nullptr) return;
    sqlite3_exec(lock_db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(lock_db_);
    lock_db_ = nullptr;
  }

  // Starts CreateChain(id) without waiting for its answer.
  struct PendingCall {
    grpc::ClientContext ctx;
    v1::Chain resp;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::Chain>> rpc;
  };
  PendingCall* StartCreateChain(const std::string& id, absl::Duration deadline) {
    auto call = std::make_unique<PendingCall>();
    call->ctx.AddMetadata("authorization", "Bearer " + fx_.admin_token());
    call->ctx.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    v1::CreateChainRequest req;
    req.set_chain_id(id);
    *req.mutable_chain() = MakeChain("排队链" + id);
    call->rpc = fx_.stub().AsyncCreateChain(&call->ctx, req, &cq_);
    call->rpc->Finish(&call->resp, &call->status, call.get());
    calls_.push_back(std::move(call));
    return calls_.back().get();
  }
  // Waits for the answer of one started call.
  PendingCall* NextAnswer() {
    void* tag = nullptr;
    bool ok = false;
    EXPECT_TRUE(cq_.Next(&tag, &ok));
    return static_cast<PendingCall*>(tag);
  }

  // Polls until `done` holds (30 s at most); false on timeout.
  template <typename Pred>
  bool WaitFor(Pred done) {
    const absl::Time until = absl::Now() + absl::Seconds(30);
    while (!done()) {
      if (absl::Now() > until) return false;
      absl::SleepFor(absl::Milliseconds(5));
    }
    return true;
  }

  bool ChainExists(const std::string& id) {
    v1::GetChainRequest req;
    req.set_name(ChainName(id));
    return admin().Status(&Stub::GetChain, req).ok();
  }

  RegistryFixture fx_;
  sqlite3* lock_db_ = nullptr;
  grpc::CompletionQueue cq_;
  std::vector<std::unique_ptr<PendingCall>> calls_;
};

TEST_F(ServingTest, ABurstFarBeyondTheWorkersIsQueuedAndEveryWriteLands) {
  ASSERT_NO_FATAL_FAILURE(StartRegistry(/*rpc_threads=*/4, /*rpc_queue_limit=*/1000));
  constexpr int kConnections = 16, kCalls = 600, kRows = 100;
  // Distinct channel arguments and a local subchannel pool: one TCP connection per channel.
  std::vector<std::unique_ptr<Stub>> stubs;
  for (int i = 0; i < kConnections; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("chainhub.test.connection", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stubs.push_back(v1::ChainRegistry::NewStub(
        grpc::CreateCustomChannel(fx_.target(), grpc::InsecureChannelCredentials(), args)));
  }
  struct Upsert {
    grpc::ClientContext ctx;
    v1::BatchUpsertEnterprisesResponse resp;
    grpc::Status status;
    std::unique_ptr<grpc::ClientAsyncResponseReader<v1::BatchUpsertEnterprisesResponse>> rpc;
  };
  grpc::CompletionQueue cq;
  std::vector<std::unique_ptr<Upsert>> upserts;
  std::set<std::string> codes;
  const std::string token = fx_.admin_token();
  for (int i = 0; i < kCalls; ++i) {
    v1::BatchUpsertEnterprisesRequest req;
    req.set_request_id(absl::StrCat("burst-", i));
    for (int r = 0; r < kRows; ++r) {
      const std::string code = GeneratedCode(500'000 + i * kRows + r);
      codes.insert(code);
      *req.add_enterprises() =
          MakeEnterprise(code, absl::StrCat("滁州突发", i, "号", r, "有限公司"));
    }
    auto u = std::make_unique<Upsert>();
    u->ctx.AddMetadata("authorization", "Bearer " + token);
    u->ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Minutes(5)));
    u->rpc = stubs[i % kConnections]->AsyncBatchUpsertEnterprises(&u->ctx, req, &cq);
    u->rpc->Finish(&u->resp, &u->status, u.get());
    upserts.push_back(std::move(u));
  }
  int created = 0;
  for (int i = 0; i < kCalls; ++i) {
    void* tag = nullptr;
    bool ok = false;
    ASSERT_TRUE(cq.Next(&tag, &ok));
    auto* u = static_cast<Upsert*>(tag);
    ASSERT_TRUE(u->status.ok()) << u->status.error_code() << " " << u->status.error_message();
    EXPECT_EQ(u->resp.failed_count(), 0);
    created += u->resp.created_count();
  }
  EXPECT_EQ(created, kCalls * kRows);

  // Read every enterprise back: none lost.
  std::set<std::string> stored;
  v1::ListEnterprisesRequest list;
  list.set_page_size(1000);
  for (int page = 0; page < 1000; ++page) {
    v1::ListEnterprisesResponse resp;
    grpc::Status s = admin()(&Stub::ListEnterprises, list, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& e : resp.enterprises()) stored.insert(e.credit_code());
    if (resp.next_page_token().empty()) break;
    list.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(stored, codes);
}

TEST_F(ServingTest, PastTheQueueBoundACallIsRefusedAndCounted) {
  ASSERT_NO_FATAL_FAILURE(StartRegistry(/*rpc_threads=*/2, /*rpc_queue_limit=*/2));
  BoundedExecutor* executor = fx_.host().executor();
  ASSERT_NO_FATAL_FAILURE(HoldWriteLock());
  // Two calls take both workers (their writes wait for the lock), two more fill the queue.
  StartCreateChain("busy-1", absl::Minutes(1));
  StartCreateChain("busy-2", absl::Minutes(1));
  ASSERT_TRUE(WaitFor([&] { return executor->busy_workers() == 2; }));
  StartCreateChain("queued-1", absl::Minutes(1));
  StartCreateChain("queued-2", absl::Minutes(1));
  ASSERT_TRUE(WaitFor([&] { return executor->queue_depth() == 2; }));

  const double refused_before = Rejected(kCreateChain, "queue_full");
  PendingCall* refused = StartCreateChain("refused", absl::Minutes(1));
  PendingCall* first = NextAnswer();
  ASSERT_EQ(first, refused) << "the refusal comes first: the other calls wait for the lock";
  EXPECT_EQ(refused->status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(absl::StrContains(refused->status.error_message(), "--rpc_queue_limit"))
      << refused->status.error_message();
  EXPECT_EQ(Rejected(kCreateChain, "queue_full"), refused_before + 1);

  // The queued calls are served once the lock is gone; the refused one never ran.
  ReleaseWriteLock();
  for (int i = 0; i < 4; ++i) NextAnswer();
  EXPECT_TRUE(ChainExists("queued-1"));
  EXPECT_TRUE(ChainExists("queued-2"));
  EXPECT_FALSE(ChainExists("refused"));
}

TEST_F(ServingTest, ACallWhoseDeadlinePassesWhileQueuedIsNotRun) {
  ASSERT_NO_FATAL_FAILURE(StartRegistry(/*rpc_threads=*/2, /*rpc_queue_limit=*/10));
  BoundedExecutor* executor = fx_.host().executor();
  ASSERT_NO_FATAL_FAILURE(HoldWriteLock());
  StartCreateChain("hold-1", absl::Minutes(1));
  StartCreateChain("hold-2", absl::Minutes(1));
  ASSERT_TRUE(WaitFor([&] { return executor->busy_workers() == 2; }));

  const double expired_before = Rejected(kCreateChain, "deadline_exceeded");
  PendingCall* late = StartCreateChain("too-late", absl::Milliseconds(300));
  PendingCall* first = NextAnswer();
  ASSERT_EQ(first, late);
  EXPECT_EQ(late->status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);

  // Once the workers are free they reach the expired call and drop it unrun.
  ReleaseWriteLock();
  for (int i = 0; i < 2; ++i) NextAnswer();
  ASSERT_TRUE(
      WaitFor([&] { return executor->queue_depth() == 0 && executor->busy_workers() == 0; }));
  EXPECT_EQ(Rejected(kCreateChain, "deadline_exceeded"), expired_before + 1);
  EXPECT_FALSE(ChainExists("too-late"));
  EXPECT_TRUE(ChainExists("hold-1"));
}

TEST_F(ServingTest, DrainingFinishesTheCallsRunningAndQueued) {
  ASSERT_NO_FATAL_FAILURE(StartRegistry(/*rpc_threads=*/2, /*rpc_queue_limit=*/10));
  BoundedExecutor* executor = fx_.host().executor();
  ASSERT_NO_FATAL_FAILURE(HoldWriteLock());
  for (int i = 0; i < 5; ++i) StartCreateChain(absl::StrCat("drain-", i), absl::Minutes(1));
  ASSERT_TRUE(
      WaitFor([&] { return executor->busy_workers() == 2 && executor->queue_depth() == 3; }));

  // SIGTERM's path: stop taking calls, then wait for every call taken, queued ones included.
  std::thread drain([&] { fx_.host().Shutdown(); });
  absl::SleepFor(absl::Milliseconds(200));
  ReleaseWriteLock();
  for (int i = 0; i < 5; ++i) {
    PendingCall* call = NextAnswer();
    EXPECT_TRUE(call->status.ok())
        << call->status.error_code() << " " << call->status.error_message();
  }
  drain.join();
}

}  // namespace
}  // namespace chainhub::testing
