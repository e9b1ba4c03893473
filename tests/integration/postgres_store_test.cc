// The Store contract on a real PostgreSQL server (tests/support/postgres_server.h): value round
// trips, the $N parameter contract, rollback, error codes, migrations and their DDL translation,
// serializable retries under contention, reopening, and reconnecting after a server restart.
// One server for the suite; each test gets a database of its own.
#include "common/store/postgres_store.h"

#include <atomic>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/metrics.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/postgres_server.h"

namespace chainhub {
const std::vector<Migration>& RegistryMigrations();
}  // namespace chainhub

namespace chainhub::testing {
namespace {

// A table with one column of each kind, in the SQLite dialect the migrations are written in.
const std::vector<Migration>& ValueMigrations() {
  static const auto* migrations = new std::vector<Migration>{
      {1, "values",
       "CREATE TABLE vals (\n"
       "  id INTEGER PRIMARY KEY,\n"
       "  i  INTEGER,\n"
       "  d  REAL,\n"
       "  s  TEXT,\n"
       "  b  BLOB\n"
       ");\n"
       "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"},
  };
  return *migrations;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PostgresServer::Start();
    start_status_ = server.status();
    if (server.ok()) server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(server_ != nullptr) << "PostgreSQL test server: " << start_status_;
    auto url = server_->CreateDatabase(absl::StrCat("store_", ++databases_));
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  std::unique_ptr<Store> Open(const std::string& schema = "svc") {
    PostgresOptions options;
    options.url = url_;
    options.schema = schema;
    auto store = OpenPostgresStore(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // A store with the vals and counters tables.
  std::unique_ptr<Store> OpenWithValues() {
    auto store = Open();
    if (store == nullptr) return nullptr;
    absl::Status s = store->Migrate("test", ValueMigrations());
    EXPECT_TRUE(s.ok()) << s;
    return s.ok() ? std::move(store) : nullptr;
  }

  static int64_t CountRows(Store& store, const std::string& table) {
    int64_t n = -1;
    absl::Status s = store.Read([&](SqlTx& tx) -> absl::Status {
      auto row = tx.QueryOne(absl::StrCat("SELECT COUNT(*) FROM ", table));
      if (!row.ok()) return row.status();
      n = row->Int(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  }

  static inline PostgresServer* server_ = nullptr;
  static inline absl::Status start_status_;
  static inline int databases_ = 0;
  std::string url_;
};

TEST_F(PostgresStoreTest, RoundTripsEveryValueTypeExactly) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  const std::string chinese = "滁州·链长制 — 光伏 🌞";
  const std::string blob_bytes("\0\x01\xff\0tail\\x00'", 12);
  struct Row {
    int64_t id;
    SqlValue i, d, s, b;
  };
  const std::vector<Row> rows = {
      {1, std::numeric_limits<int64_t>::max(), 0.1, chinese, Blob{blob_bytes}},
      {2, std::numeric_limits<int64_t>::min(), -1.7976931348623157e308, std::string(""), Blob{}},
      {3, nullptr, nullptr, nullptr, nullptr},
      {4, int64_t{0}, 5e-324, std::string("it's $1 \\ \"quoted\""), Blob{std::string(1, '\0')}},
  };
  ASSERT_TRUE(store
                  ->Write([&](SqlTx& tx) -> absl::Status {
                    for (const Row& r : rows) {
                      auto n =
                          tx.Exec("INSERT INTO vals (id, i, d, s, b) VALUES ($1, $2, $3, $4, $5)",
                                  {r.id, r.i, r.d, r.s, r.b});
                      if (!n.ok()) return n.status();
                      if (*n != 1) return absl::InternalError(absl::StrCat("changed ", *n));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  std::vector<SqlRow> read;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto r = tx.Query("SELECT id, i, d, s, b FROM vals ORDER BY id");
                    if (!r.ok()) return r.status();
                    read = std::move(*r);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(read.size(), rows.size());

  EXPECT_EQ(read[0].Int(0), 1);
  EXPECT_EQ(read[0].Int(1), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(read[0].Double(2), 0.1);
  EXPECT_EQ(read[0].Text(3), chinese);
  EXPECT_EQ(read[0].Bytes(4), blob_bytes);
  EXPECT_EQ(read[0].Bytes(4).size(), 12u);

  EXPECT_EQ(read[1].Int(1), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(read[1].Double(2), -1.7976931348623157e308);
  EXPECT_FALSE(read[1].IsNull(3));
  EXPECT_EQ(read[1].Text(3), "");
  EXPECT_FALSE(read[1].IsNull(4));
  EXPECT_EQ(read[1].Bytes(4), "");

  for (size_t c = 1; c <= 4; ++c) EXPECT_TRUE(read[2].IsNull(c)) << "column " << c;

  EXPECT_EQ(read[3].Int(1), 0);
  EXPECT_FALSE(read[3].IsNull(1));
  EXPECT_EQ(read[3].Double(2), 5e-324);
  EXPECT_EQ(read[3].Text(3), "it's $1 \\ \"quoted\"");
  EXPECT_EQ(read[3].Bytes(4), std::string(1, '\0'));
}

TEST_F(PostgresStoreTest, ColumnsComeBackAsTheTypesSqliteGives) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<SqlRow> rows;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto r = tx.Query(
                        "SELECT 7::int2, 8::int4, 9::int8, 1.5::float4, 2.25::float8, "
                        "SUM(x), 2.5::numeric, true, false, '\\x00ff'::bytea, 'text', "
                        "NULL::bigint FROM (VALUES (10::bigint), (20::bigint)) AS t(x)");
                    if (!r.ok()) return r.status();
                    rows = std::move(*r);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 1u);
  const SqlRow& r = rows[0];
  EXPECT_EQ(r.Int(0), 7);
  EXPECT_EQ(r.Int(1), 8);
  EXPECT_EQ(r.Int(2), 9);
  EXPECT_EQ(r.Double(3), 1.5);
  EXPECT_EQ(r.Double(4), 2.25);
  // SUM of bigint is numeric in PostgreSQL; integral, it reads as an integer (Text() empty).
  EXPECT_EQ(r.Int(5), 30);
  EXPECT_EQ(r.Text(5), "");
  EXPECT_EQ(r.Double(6), 2.5);
  EXPECT_EQ(r.Int(7), 1);
  EXPECT_EQ(r.Int(8), 0);
  EXPECT_EQ(r.Bytes(9), std::string("\0\xff", 2));
  EXPECT_EQ(r.Text(10), "text");
  EXPECT_TRUE(r.IsNull(11));
}

TEST_F(PostgresStoreTest, ParametersMayComeInAnyOrderAndRepeat) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([](SqlTx& tx) {
                    // $2 before $1, and $2 twice.
                    return tx
                        .Exec("INSERT INTO vals (id, s, i) VALUES ($2, $1, $2)",
                              {std::string("second-first"), int64_t{42}})
                        .status();
                  })
                  .ok());
  std::string text;
  int64_t i = 0;
  std::string concatenated;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto row = tx.QueryOne("SELECT s, i FROM vals WHERE id = $1 AND i = $1",
                                           {int64_t{42}});
                    if (!row.ok()) return row.status();
                    text = row->Text(0);
                    i = row->Int(1);
                    // A $3 inside a string literal is text, not a parameter.
                    auto lit = tx.QueryOne("SELECT $1 || ' costs $3' || $2",
                                           {std::string("it"), std::string("!")});
                    if (!lit.ok()) return lit.status();
                    concatenated = lit->Text(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(text, "second-first");
  EXPECT_EQ(i, 42);
  EXPECT_EQ(concatenated, "it costs $3!");
}

TEST_F(PostgresStoreTest, RejectsParametersThatAreMissingOrUnusedAsInternal) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  absl::Status unused, missing, zero, after;
  ASSERT_TRUE(
      store
          ->Write([&](SqlTx& tx) -> absl::Status {
            unused =
                tx.Exec("INSERT INTO vals (id) VALUES ($1)", {int64_t{1}, int64_t{2}}).status();
            missing = tx.Exec("INSERT INTO vals (id, i) VALUES ($1, $2)", {int64_t{1}}).status();
            zero = tx.Exec("INSERT INTO vals (id) VALUES ($0)", {}).status();
            // Caught before the server saw them: the transaction is still usable.
            after = tx.Exec("INSERT INTO vals (id) VALUES ($1)", {int64_t{7}}).status();
            return absl::OkStatus();
          })
          .ok());
  EXPECT_EQ(unused.code(), absl::StatusCode::kInternal) << unused;
  EXPECT_TRUE(absl::StrContains(unused.message(), "$2 is given but not used")) << unused;
  EXPECT_EQ(missing.code(), absl::StatusCode::kInternal) << missing;
  EXPECT_TRUE(absl::StrContains(missing.message(), "$2 is used but only 1 given")) << missing;
  EXPECT_EQ(zero.code(), absl::StatusCode::kInternal) << zero;
  EXPECT_TRUE(after.ok()) << after;
  EXPECT_EQ(CountRows(*store, "vals"), 1);
}

TEST_F(PostgresStoreTest, RefusesTextWithANulByteInsteadOfTruncatingIt) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  absl::Status s = store->Write([](SqlTx& tx) {
    return tx.Exec("INSERT INTO vals (id, s) VALUES ($1, $2)", {int64_t{1}, std::string("a\0b", 3)})
        .status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(CountRows(*store, "vals"), 0);
}

TEST_F(PostgresStoreTest, RollsBackAFailedWriteWithoutTouchingOthers) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->Write([](SqlTx& tx) {
                    return tx.Exec("INSERT INTO vals (id, s) VALUES (1, 'kept')").status();
                  })
                  .ok());
  absl::Status failed = store->Write([](SqlTx& tx) -> absl::Status {
    auto n = tx.Exec("INSERT INTO vals (id, s) VALUES (2, 'rolled back')");
    if (!n.ok()) return n.status();
    auto u = tx.Exec("UPDATE vals SET s = 'changed' WHERE id = 1");
    if (!u.ok()) return u.status();
    return absl::FailedPreconditionError("the callback changed its mind");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(failed.message(), "the callback changed its mind");
  std::vector<SqlRow> rows;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto r = tx.Query("SELECT id, s FROM vals ORDER BY id");
                    if (!r.ok()) return r.status();
                    rows = std::move(*r);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(1), "kept");
}

TEST_F(PostgresStoreTest, MapsConstraintViolationsToAlreadyExistsAndFailedPrecondition) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  auto insert = [&](int64_t id) {
    return store->Write([id](SqlTx& tx) {
      return tx
          .Exec("INSERT INTO counters (name, value) VALUES ($1, $2)",
                {absl::StrCat("c", id % 2), id})
          .status();
    });
  };
  ASSERT_TRUE(insert(2).ok());
  absl::Status duplicate = insert(4);  // name "c0" again
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists) << duplicate;
  absl::Status not_null = store->Write([](SqlTx& tx) {
    return tx
        .Exec("INSERT INTO counters (name, value) VALUES ($1, $2)", {std::string("n"), nullptr})
        .status();
  });
  EXPECT_EQ(not_null.code(), absl::StatusCode::kFailedPrecondition) << not_null;
  absl::Status bad_sql = store->Write(
      [](SqlTx& tx) { return tx.Exec("INSERT INTO no_such_table VALUES (1)").status(); });
  EXPECT_EQ(bad_sql.code(), absl::StatusCode::kInternal) << bad_sql;
  EXPECT_TRUE(absl::StrContains(bad_sql.message(), "no_such_table")) << bad_sql;
}

TEST_F(PostgresStoreTest, ACallbackThatSwallowsAFailedStatementStillFails) {
  // SQLite keeps a transaction going after a failed statement; PostgreSQL aborts it. A callback
  // that ignores the error must not be told its earlier work was committed.
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store->Write([](SqlTx& tx) { return tx.Exec("INSERT INTO vals (id) VALUES (1)").status(); })
          .ok());
  absl::Status later;
  absl::Status s = store->Write([&](SqlTx& tx) -> absl::Status {
    auto ok = tx.Exec("INSERT INTO vals (id) VALUES (2)");
    if (!ok.ok()) return ok.status();
    (void)tx.Exec("INSERT INTO vals (id) VALUES (1)");  // duplicate, ignored
    later = tx.Exec("INSERT INTO vals (id) VALUES (3)").status();
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists) << s;
  EXPECT_EQ(later.code(), absl::StatusCode::kAlreadyExists) << later;
  EXPECT_EQ(CountRows(*store, "vals"), 1);
}

TEST_F(PostgresStoreTest, RefusesAWriteInsideAWriteAndWritesInsideARead) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  absl::Status nested;
  ASSERT_TRUE(store
                  ->Write([&](SqlTx&) {
                    nested = store->Write([](SqlTx&) { return absl::OkStatus(); });
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(nested.code(), absl::StatusCode::kFailedPrecondition) << nested;
  absl::Status in_read =
      store->Read([](SqlTx& tx) { return tx.Exec("INSERT INTO vals (id) VALUES (1)").status(); });
  EXPECT_FALSE(in_read.ok());
  EXPECT_EQ(CountRows(*store, "vals"), 0);
}

TEST_F(PostgresStoreTest, AppliesMigrationsOnceAndTranslatesTheSqliteDdl) {
  auto store = Open("registry");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->dialect(), "postgresql");
  ASSERT_TRUE(store->Migrate("common", CommonMigrations()).ok());
  absl::Status registry = store->Migrate("registry", RegistryMigrations());
  ASSERT_TRUE(registry.ok()) << registry;
  // Again, and from a second store (another replica): nothing more to do.
  ASSERT_TRUE(store->Migrate("common", CommonMigrations()).ok());
  auto replica = Open("registry");
  ASSERT_NE(replica, nullptr);
  ASSERT_TRUE(replica->Migrate("registry", RegistryMigrations()).ok());
  EXPECT_EQ(CountRows(*store, "schema_migrations"),
            static_cast<int64_t>(CommonMigrations().size() + RegistryMigrations().size()));

  std::vector<SqlRow> columns;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto r = tx.Query(
                        "SELECT table_name, column_name, data_type, is_identity "
                        "FROM information_schema.columns WHERE table_schema = $1 AND "
                        "((table_name = 'outbox' AND column_name IN ('seq', 'payload', "
                        "'created_us')) OR (table_name = 'enterprises' AND column_name = "
                        "'annual_output')) ORDER BY table_name, column_name",
                        {std::string("registry")});
                    if (!r.ok()) return r.status();
                    columns = std::move(*r);
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(columns.size(), 4u);
  EXPECT_EQ(columns[0].Text(1), "annual_output");
  EXPECT_EQ(columns[0].Text(2), "bigint");
  EXPECT_EQ(columns[1].Text(1), "created_us");
  EXPECT_EQ(columns[1].Text(2), "bigint");
  EXPECT_EQ(columns[1].Text(3), "NO");
  EXPECT_EQ(columns[2].Text(1), "payload");
  EXPECT_EQ(columns[2].Text(2), "bytea");
  EXPECT_EQ(columns[3].Text(1), "seq");
  EXPECT_EQ(columns[3].Text(2), "bigint");
  EXPECT_EQ(columns[3].Text(3), "YES");

  // INTEGER PRIMARY KEY still numbers rows the INSERT leaves it out of, as SQLite's rowid does.
  std::vector<int64_t> seqs;
  ASSERT_TRUE(store
                  ->Write([&](SqlTx& tx) -> absl::Status {
                    for (int i = 0; i < 2; ++i) {
                      auto n = tx.Exec(
                          "INSERT INTO outbox (event_id, type, payload, created_us) "
                          "VALUES ($1, 'test.event', $2, 1)",
                          {absl::StrCat("e", i), Blob{std::string("\0p", 2)}});
                      if (!n.ok()) return n.status();
                    }
                    auto rows = tx.Query("SELECT seq FROM outbox ORDER BY seq");
                    if (!rows.ok()) return rows.status();
                    seqs.clear();
                    for (const auto& r : *rows) seqs.push_back(r.Int(0));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2}));

  // The filter SQL's instr() exists in the schema and counts characters, not bytes.
  int64_t position = -1;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto row = tx.QueryOne("SELECT instr($1, $2)",
                                           {std::string("滁州光伏组件"), std::string("组件")});
                    if (!row.ok()) return row.status();
                    position = row->Int(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(position, 5);

  // A database migrated further than this binary knows is refused.
  std::vector<Migration> older(CommonMigrations().begin(), CommonMigrations().end() - 1);
  absl::Status newer = store->Migrate("common", older);
  EXPECT_EQ(newer.code(), absl::StatusCode::kFailedPrecondition) << newer;
}

TEST_F(PostgresStoreTest, ReplicasStartingTogetherApplyEachMigrationOnce) {
  auto a = Open("registry");
  auto b = Open("registry");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  absl::Status sa, sb;
  std::thread ta([&] {
    sa = a->Migrate("common", CommonMigrations());
    if (sa.ok()) sa = a->Migrate("registry", RegistryMigrations());
  });
  std::thread tb([&] {
    sb = b->Migrate("common", CommonMigrations());
    if (sb.ok()) sb = b->Migrate("registry", RegistryMigrations());
  });
  ta.join();
  tb.join();
  EXPECT_TRUE(sa.ok()) << sa;
  EXPECT_TRUE(sb.ok()) << sb;
  EXPECT_EQ(CountRows(*a, "schema_migrations"),
            static_cast<int64_t>(CommonMigrations().size() + RegistryMigrations().size()));
}

TEST_F(PostgresStoreTest, EachServiceKeepsItsTablesInItsOwnSchema) {
  auto alpha = Open("alpha");
  auto beta = Open("beta");
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(beta, nullptr);
  ASSERT_TRUE(alpha->Migrate("common", CommonMigrations()).ok());
  ASSERT_TRUE(beta->Migrate("common", CommonMigrations()).ok());
  ASSERT_TRUE(alpha
                  ->Write([](SqlTx& tx) {
                    return tx
                        .Exec(
                            "INSERT INTO audit_events (id, principal, method, resource, "
                            "request_id, time_us) VALUES ('a1', 'p', 'm', 'r', 'q', 1)")
                        .status();
                  })
                  .ok());
  EXPECT_EQ(CountRows(*alpha, "audit_events"), 1);
  EXPECT_EQ(CountRows(*beta, "audit_events"), 0);
}

TEST_F(PostgresStoreTest, ConcurrentReadModifyWritesLoseNoUpdate) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(
      store
          ->Write([](SqlTx& tx) {
            return tx.Exec("INSERT INTO counters (name, value) VALUES ('hits', 0)").status();
          })
          .ok());
  const MetricLabels labels = {{"database", "svc"}};
  const double retries_before =
      MetricsRegistry::Global().Value("chainhub_store_retries_total", labels);
  constexpr int kThreads = 8;
  constexpr int kIncrements = 100;
  std::atomic<int> failures{0};
  std::string first_failure;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Read, then write what was read plus one: only serializable isolation (and re-running
        // the loser) keeps every increment.
        absl::Status s = store->Write([](SqlTx& tx) -> absl::Status {
          auto row = tx.QueryOne("SELECT value FROM counters WHERE name = 'hits'");
          if (!row.ok()) return row.status();
          return tx.Exec("UPDATE counters SET value = $1 WHERE name = 'hits'", {row->Int(0) + 1})
              .status();
        });
        if (!s.ok() && failures.fetch_add(1) == 0) first_failure = s.ToString();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  int64_t value = -1;
  ASSERT_TRUE(store
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto row = tx.QueryOne("SELECT value FROM counters WHERE name = 'hits'");
                    if (!row.ok()) return row.status();
                    value = row->Int(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(value, kThreads * kIncrements);
  // The contention was real: some callbacks ran again.
  const double retries =
      MetricsRegistry::Global().Value("chainhub_store_retries_total", labels) - retries_before;
  EXPECT_GT(retries, 0);
  RecordProperty("retries", static_cast<int>(retries));
}

TEST_F(PostgresStoreTest, KeepsCommittedDataAcrossReopening) {
  {
    auto store = OpenWithValues();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store
                    ->Write([](SqlTx& tx) {
                      return tx
                          .Exec("INSERT INTO vals (id, s) VALUES ($1, $2)",
                                {int64_t{1}, std::string("持久")})
                          .status();
                    })
                    .ok());
  }
  auto reopened = OpenWithValues();  // migrations already applied: a no-op
  ASSERT_NE(reopened, nullptr);
  std::string s;
  ASSERT_TRUE(reopened
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    auto row = tx.QueryOne("SELECT s FROM vals WHERE id = 1");
                    if (!row.ok()) return row.status();
                    s = row->Text(0);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(s, "持久");
  EXPECT_EQ(CountRows(*reopened, "schema_migrations"), 1);
}

TEST_F(PostgresStoreTest, OpenStoreDispatchesPostgresUrlsAndReportsAnUnreachableServer) {
  auto store = OpenStore("registry", "", url_);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->dialect(), "postgresql");
  auto also = OpenStore("registry", "", absl::StrCat("postgres://", url_.substr(13)));
  ASSERT_TRUE(also.ok()) << also.status();

  auto unreachable = OpenStore(
      "registry", "", absl::StrCat("postgresql://postgres@127.0.0.1:", FreePort(), "/postgres"));
  EXPECT_EQ(unreachable.status().code(), absl::StatusCode::kUnavailable) << unreachable.status();
  auto bad_schema = OpenStore("Bad-Name", "", url_);
  EXPECT_EQ(bad_schema.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PostgresStoreTest, ReconnectsAfterTheServerRestarts) {
  auto store = OpenWithValues();
  ASSERT_NE(store, nullptr);
  auto insert = [&](int64_t id) {
    return store->Write(
        [id](SqlTx& tx) { return tx.Exec("INSERT INTO vals (id) VALUES ($1)", {id}).status(); });
  };
  // Four connections in the pool, all opened before the restart: four concurrent transactions
  // (the barrier keeps them in their transactions until all four have begun).
  auto run_together = [&](const std::function<absl::Status(int)>& work) {
    std::vector<absl::Status> results(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { results[t] = work(t); });
    for (auto& t : threads) t.join();
    return results;
  };
  std::atomic<int> begun{0};
  for (const absl::Status& s : run_together([&](int) {
         return store->Read([&](SqlTx& tx) {
           begun.fetch_add(1);
           while (begun.load() < 4) std::this_thread::yield();
           return tx.Query("SELECT 1").status();
         });
       })) {
    ASSERT_TRUE(s.ok()) << s;
  }
  ASSERT_TRUE(insert(1).ok());
  ASSERT_TRUE(server_->Restart().ok());
  // Every pooled connection died with the old server; each notices on use and reconnects.
  for (const absl::Status& s : run_together([&](int t) { return insert(10 + t); })) {
    EXPECT_TRUE(s.ok()) << s;
  }
  EXPECT_EQ(CountRows(*store, "vals"), 5);
}

TEST(PostgresMigrationSql, TranslatesSqliteTypesWordByWordOutsideLiterals) {
  EXPECT_EQ(TranslateMigrationSql("CREATE TABLE t (seq INTEGER PRIMARY KEY, n INTEGER NOT NULL, "
                                  "b BLOB, r REAL, s TEXT DEFAULT 'INTEGER BLOB')"),
            "CREATE TABLE t (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT "
            "NOT NULL, b BYTEA, r DOUBLE PRECISION, s TEXT DEFAULT 'INTEGER BLOB')");
  // A composite key stays a key over BIGINT columns; names merely containing a keyword stay.
  EXPECT_EQ(
      TranslateMigrationSql("a INTEGER NOT NULL,\n  PRIMARY KEY (a), INTEGERS BLOBS -- INTEGER"),
      "a BIGINT NOT NULL,\n  PRIMARY KEY (a), INTEGERS BLOBS -- INTEGER");
  EXPECT_EQ(TranslateMigrationSql("x INTEGER\n   PRIMARY   KEY"),
            "x BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  EXPECT_EQ(TranslateMigrationSql("x integer, \"INTEGER\" TEXT /* BLOB */"),
            "x integer, \"INTEGER\" TEXT /* BLOB */");
}

}  // namespace
}  // namespace chainhub::testing
