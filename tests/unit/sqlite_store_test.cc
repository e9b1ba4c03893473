#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/metrics.h"
#include "common/store/store.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
namespace {

using ::chainhub::testing::TempDir;

std::unique_ptr<Store> OpenOrDie(const std::string& path) {
  SqliteOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(options);
  EXPECT_TRUE(store.ok()) << store.status();
  return store.ok() ? std::move(*store) : nullptr;
}

absl::Status Exec(Store& store, const std::string& sql, const std::vector<SqlValue>& params = {}) {
  return store.Write([&](SqlTx& tx) { return tx.Exec(sql, params).status(); });
}

int64_t CountRows(Store& store, const std::string& table) {
  int64_t count = -1;
  absl::Status status = store.Read([&](SqlTx& tx) {
    absl::StatusOr<SqlRow> row = tx.QueryOne(absl::StrCat("SELECT COUNT(*) FROM ", table));
    if (!row.ok()) return row.status();
    count = row->Int(0);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return count;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = OpenOrDie(path());
    ASSERT_NE(store_, nullptr);
  }
  std::string path() const { return dir_.File("test.db"); }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, RoundTripsEveryValueType) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE v (n, i INTEGER, d REAL, t TEXT, b BLOB)").ok());
  const std::string text = "滁州 \"chain\" 'x'";
  const std::string bytes("\0\x01\xff\0end", 7);
  ASSERT_TRUE(Exec(*store_, "INSERT INTO v VALUES ($1, $2, $3, $4, $5)",
                   {nullptr, std::numeric_limits<int64_t>::min(), 2.5, text, Blob{bytes}})
                  .ok());
  ASSERT_TRUE(Exec(*store_, "INSERT INTO v VALUES ($1, $2, $3, $4, $5)",
                   {nullptr, std::numeric_limits<int64_t>::max(), -0.125, std::string(),
                    Blob{std::string()}})
                  .ok());

  absl::Status status = store_->Read([&](SqlTx& tx) -> absl::Status {
    absl::StatusOr<std::vector<SqlRow>> rows =
        tx.Query("SELECT n, i, d, t, b, typeof(b), typeof(t) FROM v ORDER BY i");
    if (!rows.ok()) return rows.status();
    EXPECT_EQ(rows->size(), 2u);
    if (rows->size() != 2) return absl::OkStatus();
    const SqlRow& first = (*rows)[0];
    EXPECT_EQ(first.size(), 7u);
    EXPECT_TRUE(first.IsNull(0));
    EXPECT_EQ(first.Int(0), 0);
    EXPECT_EQ(first.Text(0), "");
    EXPECT_EQ(first.Int(1), std::numeric_limits<int64_t>::min());
    EXPECT_DOUBLE_EQ(first.Double(2), 2.5);
    EXPECT_EQ(first.Text(3), text);
    EXPECT_EQ(first.Bytes(4), bytes);
    EXPECT_EQ(first.Text(5), "blob");
    EXPECT_EQ(first.Text(6), "text");
    const SqlRow& second = (*rows)[1];
    EXPECT_EQ(second.Int(1), std::numeric_limits<int64_t>::max());
    EXPECT_DOUBLE_EQ(second.Double(2), -0.125);
    EXPECT_FALSE(second.IsNull(3));
    EXPECT_EQ(second.Text(3), "");
    EXPECT_FALSE(second.IsNull(4));
    EXPECT_EQ(second.Bytes(4), "");
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, BindsParametersByNumberInAnyOrderAndReusesThem) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE p (a TEXT, b INTEGER)").ok());
  ASSERT_TRUE(
      Exec(*store_, "INSERT INTO p (b, a) VALUES ($2, $1)", {std::string("x"), int64_t{7}}).ok());
  absl::Status status = store_->Read([&](SqlTx& tx) -> absl::Status {
    absl::StatusOr<SqlRow> row =
        tx.QueryOne("SELECT $2 || '-' || $1 || '-' || $2, a, b FROM p WHERE b = $3 AND a = $1",
                    {std::string("x"), std::string("y"), int64_t{7}});
    if (!row.ok()) return row.status();
    EXPECT_EQ(row->Text(0), "y-x-y");
    EXPECT_EQ(row->Text(1), "x");
    EXPECT_EQ(row->Int(2), 7);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, RejectsMissingUnusedAndQuestionMarkParameters) {
  absl::Status status = store_->Read([&](SqlTx& tx) -> absl::Status {
    EXPECT_FALSE(tx.Query("SELECT $1, $2", {int64_t{1}}).ok());
    EXPECT_FALSE(tx.Query("SELECT $1", {int64_t{1}, int64_t{2}}).ok());
    EXPECT_FALSE(tx.Query("SELECT ?", {int64_t{1}}).ok());
    // The statement stays usable after a rejected call.
    absl::StatusOr<SqlRow> row = tx.QueryOne("SELECT $1, $2", {int64_t{1}, int64_t{2}});
    EXPECT_TRUE(row.ok()) << row.status();
    if (row.ok()) {
      EXPECT_EQ(row->Int(1), 2);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, RollsBackAFailedWriteWithoutTouchingConcurrentOnes) {
  ASSERT_TRUE(
      Exec(*store_, "CREATE TABLE w (thread INTEGER, n INTEGER, PRIMARY KEY (thread, n))").ok());
  constexpr int kThreads = 8;
  constexpr int kWrites = 200;
  std::atomic<int> unexpected{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kWrites; ++n) {
        const bool fail = n % 10 == 3;
        absl::Status status = store_->Write([&](SqlTx& tx) -> absl::Status {
          absl::StatusOr<int64_t> changed =
              tx.Exec("INSERT INTO w (thread, n) VALUES ($1, $2)", {int64_t{t}, int64_t{n}});
          if (!changed.ok()) return changed.status();
          if (*changed != 1) return absl::InternalError("expected one row changed");
          if (fail) return absl::AbortedError("deliberate failure");
          return absl::OkStatus();
        });
        const bool as_expected = fail ? status.code() == absl::StatusCode::kAborted : status.ok();
        if (!as_expected) ++unexpected;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_EQ(CountRows(*store_, "w"), kThreads * kWrites * 9 / 10);
  EXPECT_EQ(CountRows(*store_, "w WHERE n % 10 = 3"), 0);
}

TEST_F(SqliteStoreTest, MapsConstraintViolationsToStatusCodes) {
  ASSERT_TRUE(
      Exec(*store_,
           "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT UNIQUE CHECK (name <> ''))")
          .ok());
  ASSERT_TRUE(
      Exec(*store_, "CREATE TABLE child (parent INTEGER NOT NULL REFERENCES parent (id))").ok());
  ASSERT_TRUE(Exec(*store_, "INSERT INTO parent VALUES (1, 'a')").ok());

  EXPECT_EQ(Exec(*store_, "INSERT INTO parent VALUES (2, 'a')").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Exec(*store_, "INSERT INTO parent VALUES (1, 'b')").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Exec(*store_, "INSERT INTO parent VALUES (3, '')").code(),
            absl::StatusCode::kFailedPrecondition);
  // foreign_keys=ON is in force.
  EXPECT_EQ(Exec(*store_, "INSERT INTO child VALUES (99)").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Exec(*store_, "INSERT INTO nowhere VALUES (1)").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(CountRows(*store_, "parent"), 1);
  EXPECT_EQ(CountRows(*store_, "child"), 0);
}

TEST_F(SqliteStoreTest, MigrationsApplyOnceAndReopeningIsANoOp) {
  const std::vector<Migration> migrations = {
      {1, "create",
       "CREATE TABLE m (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO m (v) VALUES ('a');"},
      {2, "add_column", "ALTER TABLE m ADD COLUMN w INTEGER NOT NULL DEFAULT 5;"},
  };
  ASSERT_TRUE(store_->Migrate("svc", migrations).ok());
  ASSERT_TRUE(store_->Migrate("svc", migrations).ok());
  store_.reset();
  store_ = OpenOrDie(path());
  ASSERT_NE(store_, nullptr);
  absl::Status status = store_->Migrate("svc", migrations);
  ASSERT_TRUE(status.ok()) << status;

  EXPECT_EQ(CountRows(*store_, "m"), 1);
  EXPECT_EQ(CountRows(*store_, "schema_migrations WHERE component = 'svc'"), 2);
  status = store_->Read([&](SqlTx& tx) -> absl::Status {
    absl::StatusOr<SqlRow> row = tx.QueryOne("SELECT v, w FROM m");
    if (!row.ok()) return row.status();
    EXPECT_EQ(row->Text(0), "a");
    EXPECT_EQ(row->Int(1), 5);
    absl::StatusOr<SqlRow> named =
        tx.QueryOne("SELECT name FROM schema_migrations WHERE component = $1 AND version = $2",
                    {std::string("svc"), int64_t{2}});
    if (!named.ok()) return named.status();
    EXPECT_EQ(named->Text(0), "add_column");
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, MigrationsOfComponentsAreIndependent) {
  ASSERT_TRUE(store_->Migrate("a", {{1, "one", "CREATE TABLE a1 (x);"}}).ok());
  ASSERT_TRUE(store_->Migrate("b", {{1, "one", "CREATE TABLE b1 (x);"}}).ok());
  EXPECT_EQ(CountRows(*store_, "schema_migrations"), 2);
  EXPECT_EQ(CountRows(*store_, "b1"), 0);
}

TEST_F(SqliteStoreTest, RefusesADatabaseNewerThanTheBinary) {
  ASSERT_TRUE(store_
                  ->Migrate("svc", {{1, "one", "CREATE TABLE one (x);"},
                                    {2, "two", "CREATE TABLE two (x);"}})
                  .ok());
  absl::Status status = store_->Migrate("svc", {{1, "one", "CREATE TABLE one (x);"}});
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

TEST_F(SqliteStoreTest, AFailedMigrationLeavesNoTraceAndKeepsEarlierOnes) {
  absl::Status status =
      store_->Migrate("svc", {{1, "one", "CREATE TABLE one (x);"},
                              {2, "broken", "CREATE TABLE half (x); THIS IS NOT SQL;"}});
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CountRows(*store_, "schema_migrations WHERE component = 'svc'"), 1);
  EXPECT_EQ(CountRows(*store_, "sqlite_master WHERE name = 'half'"), 0);
  EXPECT_EQ(CountRows(*store_, "one"), 0);
}

TEST_F(SqliteStoreTest, AppliesTheCommonMigrations) {
  absl::Status status = store_->Migrate("common", CommonMigrations());
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(CountRows(*store_, "outbox"), 0);
  EXPECT_EQ(CountRows(*store_, "schema_migrations WHERE component = 'common'"),
            static_cast<int64_t>(CommonMigrations().size()));
}

TEST_F(SqliteStoreTest, AWriteIsVisibleToTheNextRead) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE r (v TEXT)").ok());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Exec(*store_, "INSERT INTO r VALUES ($1)", {absl::StrCat("v", i)}).ok());
    EXPECT_EQ(CountRows(*store_, "r"), i + 1);
  }
}

TEST_F(SqliteStoreTest, AReadSeesOneSnapshotWhileWritesCommit) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE s (v INTEGER)").ok());
  ASSERT_TRUE(Exec(*store_, "INSERT INTO s VALUES (1)").ok());
  absl::Status status = store_->Read([&](SqlTx& tx) -> absl::Status {
    absl::StatusOr<SqlRow> before = tx.QueryOne("SELECT COUNT(*), SUM(v) FROM s");
    if (!before.ok()) return before.status();
    // Commits on the writer connection while this snapshot is open.
    absl::Status write = Exec(*store_, "INSERT INTO s VALUES (10)");
    if (!write.ok()) return write;
    absl::StatusOr<SqlRow> after = tx.QueryOne("SELECT COUNT(*), SUM(v) FROM s");
    if (!after.ok()) return after.status();
    EXPECT_EQ(before->Int(0), 1);
    EXPECT_EQ(after->Int(0), 1);
    EXPECT_EQ(after->Int(1), 1);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(CountRows(*store_, "s"), 2);
}

TEST_F(SqliteStoreTest, ReadsCannotWrite) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE ro (v INTEGER)").ok());
  absl::Status status =
      store_->Read([](SqlTx& tx) { return tx.Exec("INSERT INTO ro VALUES (1)").status(); });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CountRows(*store_, "ro"), 0);
}

TEST_F(SqliteStoreTest, AWriteInsideAWriteFailsInsteadOfDeadlocking) {
  absl::Status inner;
  absl::Status outer = store_->Write([&](SqlTx&) {
    inner = store_->Write([](SqlTx&) { return absl::OkStatus(); });
    return absl::OkStatus();
  });
  EXPECT_TRUE(outer.ok()) << outer;
  EXPECT_EQ(inner.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, DataSurvivesClosingAndReopening) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE d (v TEXT)").ok());
  ASSERT_TRUE(Exec(*store_, "INSERT INTO d VALUES ($1)", {std::string("kept")}).ok());
  store_.reset();
  store_ = OpenOrDie(path());
  ASSERT_NE(store_, nullptr);
  absl::Status status = store_->Read([](SqlTx& tx) -> absl::Status {
    absl::StatusOr<SqlRow> row = tx.QueryOne("SELECT v FROM d");
    if (!row.ok()) return row.status();
    EXPECT_EQ(row->Text(0), "kept");
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

TEST_F(SqliteStoreTest, QueryOneIsNotFoundWithoutARow) {
  ASSERT_TRUE(Exec(*store_, "CREATE TABLE e (v INTEGER)").ok());
  absl::Status status = store_->Read(
      [](SqlTx& tx) { return tx.QueryOne("SELECT v FROM e WHERE v = $1", {int64_t{1}}).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
}

TEST_F(SqliteStoreTest, SaysItsDialect) { EXPECT_EQ(store_->dialect(), "sqlite"); }

TEST(OpenStore, CreatesTheDataDirAndOneFilePerService) {
  TempDir dir;
  const std::string data_dir = dir.File("nested/data");
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("registry", data_dir, "");
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE(Exec(**store, "CREATE TABLE x (v)").ok());
  struct stat info;
  EXPECT_EQ(stat((data_dir + "/registry.db").c_str(), &info), 0);
}

TEST(OpenStore, PicksTheBackendByUrlAndRefusesUnknownOnes) {
  TempDir dir;
  // A PostgreSQL URL goes to the PostgreSQL store: nothing listens on port 1, so UNAVAILABLE.
  EXPECT_EQ(OpenStore("registry", dir.path(), "postgresql://127.0.0.1:1/chainhub?connect_timeout=2")
                .status()
                .code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(OpenStore("registry", dir.path(), "mysql://db").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("registry", "", "").status().code(), absl::StatusCode::kInvalidArgument);
  // Without a URL, SQLite in the data dir.
  auto store = OpenStore("registry", dir.path(), "");
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->dialect(), "sqlite");
}

// The memory bounds given to OpenStore are what every connection runs with, the writer and the
// readers alike; the defaults are 16 MiB of page cache and a 256 MiB map.
TEST(OpenStore, EveryConnectionTakesTheGivenPageCacheAndMapBounds) {
  TempDir dir;
  auto pragmas = [](Store& store) {
    std::vector<int64_t> seen;
    auto read = [&](SqlTx& tx) -> absl::Status {
      for (const char* pragma : {"PRAGMA cache_size", "PRAGMA mmap_size"}) {
        absl::StatusOr<SqlRow> row = tx.QueryOne(pragma);
        if (!row.ok()) return row.status();
        seen.push_back(row->Int(0));
      }
      return absl::OkStatus();
    };
    EXPECT_TRUE(store.Write(read).ok());
    EXPECT_TRUE(store.Read(read).ok());
    return seen;
  };
  auto defaults = OpenStore("registry", dir.File("a"), "");
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(pragmas(**defaults),
            (std::vector<int64_t>{-16 * 1024, 256 << 20, -16 * 1024, 256 << 20}));
  auto small = OpenStore("registry", dir.File("b"), "", Clock::Real(),
                         SqliteTuning{.cache_mb = 2, .mmap_mb = 0});
  ASSERT_TRUE(small.ok()) << small.status();
  EXPECT_EQ(pragmas(**small), (std::vector<int64_t>{-2 * 1024, 0, -2 * 1024, 0}));
  EXPECT_EQ(OpenStore("registry", dir.File("c"), "", Clock::Real(), SqliteTuning{.cache_mb = -1})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// Writes `count` rows of 4 KiB (a page each and more) from four threads, so batches commit
// together as they do under load.
void WritePages(Store& store, int count) {
  ASSERT_TRUE(Exec(store, "CREATE TABLE IF NOT EXISTS pages (id INTEGER PRIMARY KEY, b BLOB)").ok());
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&store, w, count] {
      for (int i = w; i < count; i += 4) {
        EXPECT_TRUE(
            Exec(store, "INSERT INTO pages (b) VALUES ($1)", {Blob{std::string(4096, 'a' + i % 26)}})
                .ok());
      }
    });
  }
  for (auto& t : writers) t.join();
}

int64_t FileSize(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

double Checkpoints(const std::string& database, const std::string& by) {
  return MetricsRegistry::Global().Value("chainhub_store_checkpoints_total",
                                         {{"database", database}, {"by", by}});
}

// Past checkpoint_pages the checkpointer thread copies the WAL into the database file; past
// writer_checkpoint_factor times that the writer checkpoints itself so the WAL starts over. Either
// way the WAL stays near that bound, every row is there, and the data survives a reopen.
TEST(SqliteCheckpoints, TheCheckpointerCopiesTheWalAndTheWalStaysBounded) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.File("checkpointed.db");
  options.tuning.checkpoint_pages = 20;
  options.tuning.writer_checkpoint_factor = 4;
  {
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    WritePages(**store, 2000);
    EXPECT_EQ(CountRows(**store, "pages"), 2000);
    // About 8 MiB went through the WAL; without checkpoints it would hold all of it.
    EXPECT_LT(FileSize(options.path + "-wal"), 2 << 20);
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (Checkpoints("checkpointed", "checkpointer") == 0 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    EXPECT_GT(Checkpoints("checkpointed", "checkpointer"), 0);
    EXPECT_GT(FileSize(options.path), 4 << 20);
  }
  auto reopened = OpenSqliteStore(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(CountRows(**reopened, "pages"), 2000);
}

// checkpoint_pages = 0: no checkpointer; SQLite's own checkpoints on the writer bound the WAL.
TEST(SqliteCheckpoints, ZeroLeavesTheCheckpointsToTheWriter) {
  TempDir dir;
  SqliteOptions options;
  options.path = dir.File("inline.db");
  options.tuning.checkpoint_pages = 0;
  auto store = OpenSqliteStore(options);
  ASSERT_TRUE(store.ok()) << store.status();
  WritePages(**store, 2000);
  EXPECT_EQ(CountRows(**store, "pages"), 2000);
  EXPECT_EQ(Checkpoints("inline", "checkpointer"), 0);
  EXPECT_EQ(Checkpoints("inline", "writer"), 0);
  EXPECT_LT(FileSize(options.path + "-wal"), 6 << 20);
  EXPECT_GT(FileSize(options.path), 4 << 20);
  options.tuning.checkpoint_pages = -1;
  EXPECT_EQ(OpenSqliteStore(options).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace chainhub
