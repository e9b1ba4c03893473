// SQLite behind the Store interface: one writer connection on its own thread that commits
// concurrent Write calls together (group commit), and a pool of read-only connections.
#include <algorithm>
#include <cctype>
#include <deque>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <sqlite3.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"
#include "common/store/store.h"

namespace chainhub {
namespace {

constexpr char kCommitsMetric[] = "chainhub_store_commits_total";
constexpr char kWritesMetric[] = "chainhub_store_writes_total";
constexpr char kCheckpointsMetric[] = "chainhub_store_checkpoints_total";

// Maps a SQLite result code (extended codes are enabled on every connection) to the absl code
// the Store interface promises.
absl::Status SqliteStatus(int rc, absl::string_view message) {
  std::string text = absl::StrCat("sqlite: ", message);
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return absl::AlreadyExistsError(text);
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(text);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(text);
    default:
      return absl::InternalError(text);
  }
}

absl::Status SqliteStatus(sqlite3* db, int rc) { return SqliteStatus(rc, sqlite3_errmsg(db)); }

MetricLabels With(MetricLabels labels, std::string key, std::string value) {
  labels.emplace_back(std::move(key), std::move(value));
  return labels;
}

// True when `rest` holds nothing but whitespace and semicolons: what may follow the one
// statement an Exec or Query runs.
bool OnlyTrailingSeparators(absl::string_view rest) {
  for (char c : rest) {
    if (!std::isspace(static_cast<unsigned char>(c)) && c != ';' && c != '\0') return false;
  }
  return true;
}

// Resets a cached statement when the call that used it ends, however it ends, so the next user
// finds it clean and it holds no read lock.
class StatementLease {
 public:
  explicit StatementLease(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementLease() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

// Every connection reads the database file through a shared memory map (no copy per page read;
// 256 MiB by default) and keeps a larger page cache than SQLite's 2 MB default (16 MiB), so a
// working set of a city's registry or project library stays in memory (docs/architecture.md,
// Storage). Both are bounds: the cache and the mapped pages grow with the data up to them.
std::string CachePragmas(const SqliteTuning& memory) {
  return absl::StrCat("PRAGMA mmap_size=", int64_t{memory.mmap_mb} << 20,
                      "; PRAGMA cache_size=", -int64_t{memory.cache_mb} * 1024, ";");
}

// One SQLite connection and its prepared statements. Used by one thread at a time.
class Connection {
 public:
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const SqliteOptions& options,
                                                          bool writer) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (writer) flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(options.path.c_str(), &db, flags, nullptr);
    auto conn = std::unique_ptr<Connection>(new Connection(db));
    if (rc != SQLITE_OK) {
      return SqliteStatus(rc, absl::StrCat("open ", options.path, ": ",
                                           db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, options.busy_timeout_ms);
    if (writer) {
      // journal_mode answers with the mode in force; anything but "wal" means it did not take.
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlRow> mode, conn->Query("PRAGMA journal_mode=WAL"));
      if (mode.empty() || mode[0].Text(0) != "wal") {
        return absl::FailedPreconditionError(
            absl::StrCat("sqlite: cannot put ", options.path, " in WAL mode"));
      }
      CHAINHUB_RETURN_IF_ERROR(
          conn->ExecScript("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
    } else {
      CHAINHUB_RETURN_IF_ERROR(conn->ExecScript("PRAGMA foreign_keys=ON; PRAGMA query_only=1;"));
    }
    CHAINHUB_RETURN_IF_ERROR(conn->ExecScript(CachePragmas(options.tuning).c_str()));
    return conn;
  }

  ~Connection() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement.stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() { return db_; }

  // Runs SQL that may hold several statements and no parameters (migrations, BEGIN, COMMIT).
  absl::Status ExecScript(const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (rc == SQLITE_OK) return absl::OkStatus();
    absl::Status status = SqliteStatus(rc, error != nullptr ? error : sqlite3_errstr(rc));
    sqlite3_free(error);
    return status;
  }

  absl::StatusOr<int64_t> Exec(absl::string_view sql, const std::vector<SqlValue>& params) {
    CHAINHUB_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    StatementLease lease(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) return SqliteStatus(db_, rc);
    return sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(db_);
  }

  absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                            const std::vector<SqlValue>& params = {}) {
    CHAINHUB_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    StatementLease lease(stmt);
    std::vector<SqlRow> rows;
    const int columns = sqlite3_column_count(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<SqlValue> values;
      values.reserve(columns);
      for (int c = 0; c < columns; ++c) values.push_back(Column(stmt, c));
      rows.emplace_back(std::move(values));
    }
    if (rc != SQLITE_DONE) return SqliteStatus(db_, rc);
    return rows;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  static SqlValue Column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return static_cast<int64_t>(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, c);
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        return std::string(text, sqlite3_column_bytes(stmt, c));
      }
      case SQLITE_BLOB: {
        const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        const int size = sqlite3_column_bytes(stmt, c);
        return Blob{size > 0 ? std::string(bytes, size) : std::string()};
      }
      default:
        return nullptr;
    }
  }

  // The cached statement for `sql` with `params` bound by name: params[0] is $1. Every
  // parameter the SQL names must be given and every one given must be used, as PostgreSQL
  // requires, so a statement written here runs unchanged there.
  absl::StatusOr<sqlite3_stmt*> Prepare(absl::string_view sql,
                                        const std::vector<SqlValue>& params) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
      CHAINHUB_ASSIGN_OR_RETURN(Statement made, Compile(sql));
      it = statements_.emplace(std::string(sql), std::move(made)).first;
    }
    const Statement& statement = it->second;
    if (params.size() < statement.index.size()) {
      return absl::InternalError(absl::StrCat("sqlite: parameter $", statement.index.size(),
                                              " is used but only ", params.size(),
                                              " given in: ", sql));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = i < statement.index.size() ? statement.index[i] : 0;
      if (index == 0) {
        sqlite3_clear_bindings(statement.stmt);
        return absl::InternalError(
            absl::StrCat("sqlite: parameter $", i + 1, " is given but not used in: ", sql));
      }
      int rc = Bind(statement.stmt, index, params[i]);
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(statement.stmt);
        return SqliteStatus(db_, rc);
      }
    }
    return statement.stmt;
  }

  // A prepared statement and where each of its parameters binds: index[n - 1] is $n's index
  // (0 when the SQL skips $n).
  struct Statement {
    sqlite3_stmt* stmt = nullptr;
    std::vector<int> index;
  };

  absl::StatusOr<Statement> Compile(absl::string_view sql) {
    Statement out;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &out.stmt, &tail);
    if (rc != SQLITE_OK) {
      return SqliteStatus(rc, absl::StrCat(sqlite3_errmsg(db_), " in: ", sql));
    }
    if (out.stmt == nullptr) return absl::InternalError(absl::StrCat("sqlite: no statement in: ", sql));
    if (tail != nullptr && !OnlyTrailingSeparators(absl::string_view(
                               tail, static_cast<size_t>(sql.data() + sql.size() - tail)))) {
      sqlite3_finalize(out.stmt);
      return absl::InternalError(absl::StrCat("sqlite: more than one statement in: ", sql));
    }
    const int count = sqlite3_bind_parameter_count(out.stmt);
    for (int i = 1; i <= count; ++i) {
      const char* name = sqlite3_bind_parameter_name(out.stmt, i);
      int number = 0;
      if (name == nullptr || name[0] != '$' || !absl::SimpleAtoi(name + 1, &number) ||
          number < 1) {
        sqlite3_finalize(out.stmt);
        return absl::InternalError(absl::StrCat("sqlite: parameters must be written $1, $2, ...; found ",
                                                name ? name : "?", " in: ", sql));
      }
      if (out.index.size() < static_cast<size_t>(number)) out.index.resize(number, 0);
      out.index[number - 1] = i;
    }
    return out;
  }

  static int Bind(sqlite3_stmt* stmt, int index, const SqlValue& value) {
    if (const auto* n = std::get_if<int64_t>(&value)) return sqlite3_bind_int64(stmt, index, *n);
    if (const auto* d = std::get_if<double>(&value)) return sqlite3_bind_double(stmt, index, *d);
    if (const auto* s = std::get_if<std::string>(&value)) {
      return sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (const auto* b = std::get_if<Blob>(&value)) {
      return sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
    }
    return sqlite3_bind_null(stmt, index);
  }

  sqlite3* db_;
  absl::flat_hash_map<std::string, Statement> statements_;
};

// The SqlTx handed to callbacks: runs statements on the connection of the open transaction.
class ConnectionTx final : public SqlTx {
 public:
  explicit ConnectionTx(Connection* conn) : conn_(conn) {}
  absl::StatusOr<int64_t> Exec(absl::string_view sql,
                               const std::vector<SqlValue>& params) override {
    return conn_->Exec(sql, params);
  }
  absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                            const std::vector<SqlValue>& params) override {
    return conn_->Query(sql, params);
  }
  Connection* connection() { return conn_; }

 private:
  Connection* conn_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteOptions options, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers,
              std::unique_ptr<Connection> checkpointer)
      : options_(std::move(options)),
        metric_labels_{{"database", std::filesystem::path(options_.path).stem().string()}},
        writer_(std::move(writer)),
        readers_(std::move(readers)),
        checkpointer_(std::move(checkpointer)) {
    for (auto& reader : readers_) idle_readers_.push_back(reader.get());
    if (checkpointer_ != nullptr) {
      // Replaces SQLite's own autocheckpoint, which is a WAL hook too.
      sqlite3_wal_hook(writer_->db(), &SqliteStore::AfterCommit, this);
      checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
    }
    writer_thread_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    writer_thread_.join();
    if (checkpoint_thread_.joinable()) {
      {
        absl::MutexLock lock(&checkpoint_mu_);
        checkpoint_stopping_ = true;
      }
      checkpoint_thread_.join();
    }
    // Connections close (and finalize their statements) as the members are destroyed; the
    // last one to close checkpoints what is left and removes the WAL.
  }

  absl::Status Write(const std::function<absl::Status(SqlTx&)>& fn) override {
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      return absl::FailedPreconditionError("store: Write called inside a Write callback");
    }
    WriteJob job;
    job.fn = &fn;
    absl::MutexLock lock(&queue_mu_);
    if (stopping_) return absl::UnavailableError("store: closing");
    queue_.push_back(&job);
    queue_mu_.Await(absl::Condition(&job.done));
    return job.result;
  }

  absl::Status Read(const std::function<absl::Status(SqlTx&)>& fn) override {
    Connection* conn = nullptr;
    {
      absl::MutexLock lock(&pool_mu_);
      pool_mu_.Await(absl::Condition(
          +[](std::vector<Connection*>* idle) { return !idle->empty(); }, &idle_readers_));
      conn = idle_readers_.back();
      idle_readers_.pop_back();
    }
    absl::Status status = conn->ExecScript("BEGIN");
    if (status.ok()) {
      ConnectionTx tx(conn);
      status = RunStoreCallback(fn, tx);
      // Nothing to keep from a read-only transaction: ending it releases the snapshot.
      absl::Status end = conn->ExecScript(status.ok() ? "COMMIT" : "ROLLBACK");
      if (status.ok()) status = end;
      if (!sqlite3_get_autocommit(conn->db())) conn->ExecScript("ROLLBACK").IgnoreError();
    }
    absl::MutexLock lock(&pool_mu_);
    idle_readers_.push_back(conn);
    return status;
  }

  absl::Status Migrate(absl::string_view component,
                       const std::vector<Migration>& migrations) override {
    const std::string name(component);
    CHAINHUB_RETURN_IF_ERROR(Write([](SqlTx& tx) {
      return tx
          .Exec(
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " component TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
              " applied_us INTEGER NOT NULL, PRIMARY KEY (component, version))")
          .status();
    }));
    return RunMigrations(
        *this, component, migrations, {"path", options_.path},
        [&](const Migration& migration) -> absl::StatusOr<bool> {
          const Migration* m = &migration;
          bool ran = false;
          CHAINHUB_RETURN_IF_ERROR(Write([&](SqlTx& tx) -> absl::Status {
            // Another process may have applied it since we looked: the writer lock now held
            // decides.
            CHAINHUB_ASSIGN_OR_RETURN(
                std::vector<SqlRow> done,
                tx.Query("SELECT 1 FROM schema_migrations WHERE component = $1 AND version = $2",
                         {name, int64_t{m->version}}));
            if (!done.empty()) return absl::OkStatus();
            // Every Write callback of this store receives a ConnectionTx.
            Connection* conn = static_cast<ConnectionTx&>(tx).connection();
            absl::Status status = conn->ExecScript(m->sql.c_str());
            if (!status.ok()) {
              return absl::Status(status.code(),
                                  absl::StrCat("migration ", component, "/", m->version, "_",
                                               m->name, ": ", status.message()));
            }
            ran = true;
            return tx
                .Exec(
                    "INSERT INTO schema_migrations (component, version, name, applied_us) "
                    "VALUES ($1, $2, $3, $4)",
                    {name, int64_t{m->version}, m->name, absl::ToUnixMicros(options_.clock->Now())})
                .status();
          }));
          return ran;
        });
  }

  absl::string_view dialect() const override { return "sqlite"; }

 private:
  struct WriteJob {
    const std::function<absl::Status(SqlTx&)>* fn = nullptr;
    absl::Status result;
    bool done = false;
  };

  void WriterLoop() {
    for (;;) {
      std::vector<WriteJob*> batch;
      {
        absl::MutexLock lock(&queue_mu_);
        queue_mu_.Await(absl::Condition(this, &SqliteStore::HasWorkOrStopping));
        // Queued jobs are drained even when stopping, so no caller is left waiting.
        if (queue_.empty()) return;
        const size_t take =
            std::min(queue_.size(), static_cast<size_t>(std::max(1, options_.max_group_commit)));
        batch.assign(queue_.begin(), queue_.begin() + take);
        queue_.erase(queue_.begin(), queue_.begin() + take);
      }
      CommitBatch(batch);
      MetricsRegistry::Global().Add(kCommitsMetric, metric_labels_);
      MetricsRegistry::Global().Add(kWritesMetric, metric_labels_,
                                    static_cast<double>(batch.size()));
      absl::MutexLock lock(&queue_mu_);
      for (WriteJob* job : batch) job->done = true;
    }
  }

  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
    return stopping_ || !queue_.empty();
  }

  // One transaction for the whole batch. Jobs first run one after another with nothing between
  // them (a savepoint copies every page it touches to the statement journal); when one fails, the
  // whole transaction is rolled back and the batch runs again with a savepoint per job
  // (CommitIsolated), which Write's contract allows: a callback may run more than once.
  void CommitBatch(const std::vector<WriteJob*>& batch) {
    if (batch.size() == 1) return CommitIsolated(batch);
    Connection& conn = *writer_;
    absl::Status begin = conn.ExecScript("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      for (WriteJob* job : batch) job->result = begin;
      return;
    }
    ConnectionTx tx(&conn);
    for (WriteJob* job : batch) {
      absl::Status status = RunStoreCallback(*job->fn, tx);
      if (!status.ok() || sqlite3_get_autocommit(conn.db())) {
        if (!sqlite3_get_autocommit(conn.db())) conn.ExecScript("ROLLBACK").IgnoreError();
        return CommitIsolated(batch);
      }
    }
    absl::Status commit = conn.ExecScript("COMMIT");
    if (!commit.ok()) {
      if (!sqlite3_get_autocommit(conn.db())) conn.ExecScript("ROLLBACK").IgnoreError();
    }
    for (WriteJob* job : batch) job->result = commit;
  }

  // One transaction for the whole batch, one savepoint per job: a failing job rolls back only
  // its own work, and every job that succeeded hears OK only once COMMIT has returned.
  void CommitIsolated(const std::vector<WriteJob*>& batch) {
    Connection& conn = *writer_;
    absl::Status begin = conn.ExecScript("BEGIN IMMEDIATE");
    if (!begin.ok()) {
      for (WriteJob* job : batch) job->result = begin;
      return;
    }
    ConnectionTx tx(&conn);
    std::vector<WriteJob*> succeeded;
    for (WriteJob* job : batch) {
      absl::Status status = conn.ExecScript("SAVEPOINT chainhub_write");
      if (status.ok()) {
        status = RunStoreCallback(*job->fn, tx);
        if (sqlite3_get_autocommit(conn.db())) {
          // SQLite rolled back the whole transaction (or the callback ended it): the work of the
          // jobs before this one is gone too. They may retry.
          job->result =
              status.ok() ? absl::InternalError("store: write ended the transaction") : status;
          FailAll(succeeded, absl::UnavailableError(
                                 "store: transaction rolled back by a concurrent write; retry"));
          std::vector<WriteJob*> rest(std::find(batch.begin(), batch.end(), job) + 1, batch.end());
          if (!rest.empty()) CommitIsolated(rest);
          return;
        }
        if (status.ok()) {
          status = conn.ExecScript("RELEASE chainhub_write");
          if (status.ok()) {
            succeeded.push_back(job);
            continue;
          }
        }
        absl::Status undo = conn.ExecScript("ROLLBACK TO chainhub_write; RELEASE chainhub_write");
        if (!undo.ok()) {
          // The transaction is in a state we cannot vouch for: give up on all of it.
          job->result = status;
          AbortBatch(batch, job, succeeded, undo);
          return;
        }
      }
      job->result = status;
    }
    absl::Status commit = conn.ExecScript("COMMIT");
    if (!commit.ok()) {
      if (!sqlite3_get_autocommit(conn.db())) conn.ExecScript("ROLLBACK").IgnoreError();
      FailAll(succeeded, commit);
      return;
    }
    for (WriteJob* job : succeeded) job->result = absl::OkStatus();
  }

  // Rolls the batch transaction back after `failed`; the jobs that had succeeded and those not
  // yet run get `cause`.
  void AbortBatch(const std::vector<WriteJob*>& batch, WriteJob* failed,
                  const std::vector<WriteJob*>& succeeded, const absl::Status& cause) {
    if (!sqlite3_get_autocommit(writer_->db())) writer_->ExecScript("ROLLBACK").IgnoreError();
    FailAll(succeeded, cause);
    for (auto it = std::find(batch.begin(), batch.end(), failed) + 1; it != batch.end(); ++it) {
      (*it)->result = cause;
    }
  }

  static void FailAll(const std::vector<WriteJob*>& jobs, const absl::Status& status) {
    for (WriteJob* job : jobs) job->result = status;
  }

  // The writer's WAL hook, run after each commit with the pages the WAL now holds. Past
  // checkpoint_pages it wakes the checkpointer; past writer_checkpoint_factor times that (the
  // checkpointer copies behind a writer that keeps appending, so the WAL would never start over)
  // the writer checkpoints itself, which finds most pages already copied.
  static int AfterCommit(void* self_arg, sqlite3* db, const char* schema, int pages) {
    auto* self = static_cast<SqliteStore*>(self_arg);
    const SqliteTuning& tuning = self->options_.tuning;
    if (pages >= tuning.checkpoint_pages * std::max(1, tuning.writer_checkpoint_factor)) {
      sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      MetricsRegistry::Global().Add(kCheckpointsMetric, self->writer_checkpoint_labels_);
    } else if (pages >= tuning.checkpoint_pages) {
      absl::MutexLock lock(&self->checkpoint_mu_);
      self->checkpoint_wanted_ = true;
    }
    return SQLITE_OK;
  }

  void CheckpointLoop() {
    for (;;) {
      {
        absl::MutexLock lock(&checkpoint_mu_);
        checkpoint_mu_.Await(absl::Condition(
            +[](SqliteStore* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->checkpoint_mu_) {
              return self->checkpoint_wanted_ || self->checkpoint_stopping_;
            },
            this));
        if (checkpoint_stopping_) return;
        checkpoint_wanted_ = false;
      }
      // PASSIVE: copies what no reader still needs, never waits for a lock nor blocks the
      // writer. BUSY (the writer is checkpointing itself) leaves the work to it.
      const int rc = sqlite3_wal_checkpoint_v2(checkpointer_->db(), "main",
                                               SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc == SQLITE_OK) {
        MetricsRegistry::Global().Add(kCheckpointsMetric, background_checkpoint_labels_);
      } else if (rc != SQLITE_BUSY) {
        LogWarn("sqlite checkpoint failed",
                {{"path", options_.path}, {"error", sqlite3_errmsg(checkpointer_->db())}});
      }
    }
  }

  const SqliteOptions options_;
  const MetricLabels metric_labels_;
  std::unique_ptr<Connection> writer_;  // used by writer_thread_ only
  std::vector<std::unique_ptr<Connection>> readers_;
  std::unique_ptr<Connection> checkpointer_;  // used by checkpoint_thread_ only; may be null
  const MetricLabels background_checkpoint_labels_ = With(metric_labels_, "by", "checkpointer");
  const MetricLabels writer_checkpoint_labels_ = With(metric_labels_, "by", "writer");

  absl::Mutex queue_mu_;
  std::deque<WriteJob*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;

  absl::Mutex pool_mu_;
  std::vector<Connection*> idle_readers_ ABSL_GUARDED_BY(pool_mu_);

  absl::Mutex checkpoint_mu_;
  bool checkpoint_wanted_ ABSL_GUARDED_BY(checkpoint_mu_) = false;
  bool checkpoint_stopping_ ABSL_GUARDED_BY(checkpoint_mu_) = false;

  std::thread writer_thread_;
  std::thread checkpoint_thread_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("sqlite: path must be set");
  if (options.readers < 1) return absl::InvalidArgumentError("sqlite: readers must be >= 1");
  if (options.tuning.cache_mb < 0 || options.tuning.mmap_mb < 0 ||
      options.tuning.checkpoint_pages < 0) {
    return absl::InvalidArgumentError(
        "sqlite: cache_mb, mmap_mb and checkpoint_pages must be >= 0");
  }
  static const bool described = [] {
    MetricsRegistry& metrics = MetricsRegistry::Global();
    metrics.Describe(kCommitsMetric, "counter",
                     "Write transactions committed (one per group commit).");
    metrics.Describe(kWritesMetric, "counter",
                     "Write calls run; divided by commits it gives the mean group size.");
    metrics.Describe(kCheckpointsMetric, "counter",
                     "WAL checkpoints run, by the checkpointer thread or by the writer itself.");
    return true;
  }();
  (void)described;
  // The writer opens first: it creates the file and switches it to WAL before readers attach.
  CHAINHUB_ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                            Connection::Open(options, /*writer=*/true));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.readers; ++i) {
    CHAINHUB_ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                              Connection::Open(options, /*writer=*/false));
    readers.push_back(std::move(reader));
  }
  std::unique_ptr<Connection> checkpointer;
  if (options.tuning.checkpoint_pages > 0) {
    CHAINHUB_ASSIGN_OR_RETURN(checkpointer, Connection::Open(options, /*writer=*/false));
  }
  return std::unique_ptr<Store>(new SqliteStore(options, std::move(writer), std::move(readers),
                                                std::move(checkpointer)));
}

}  // namespace chainhub
