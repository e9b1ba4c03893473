// The SQL store every service owns, behind one small interface: SQLite embedded by default
// (OpenSqliteStore), PostgreSQL to scale out (postgres_store.h). SQL is written once, with
// `$1`-style parameters, in the dialect both accept.
#ifndef CHAINHUB_COMMON_STORE_H_
#define CHAINHUB_COMMON_STORE_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/clock.h"

namespace chainhub {

// Binary data, kept apart from text so each backend binds it as a blob / bytea.
struct Blob {
  std::string bytes;
};

// A parameter or a column value.
using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string, Blob>;

// One result row; columns in SELECT order.
class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::nullptr_t>(values_.at(i)); }
  // NULL reads as 0 / "" so optional columns need no special case.
  int64_t Int(size_t i) const;
  double Double(size_t i) const;
  // Text or blob bytes.
  const std::string& Text(size_t i) const;
  const std::string& Bytes(size_t i) const { return Text(i); }

 private:
  std::vector<SqlValue> values_;
};

// A transaction (or a read snapshot). Only valid inside the callback that receives it.
class SqlTx {
 public:
  virtual ~SqlTx() = default;
  // Runs a statement; returns the number of rows it changed. Errors map to absl codes:
  // a constraint violation is ALREADY_EXISTS (unique) or FAILED_PRECONDITION (other),
  // a busy database UNAVAILABLE, anything else INTERNAL.
  virtual absl::StatusOr<int64_t> Exec(absl::string_view sql,
                                       const std::vector<SqlValue>& params = {}) = 0;
  virtual absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                                    const std::vector<SqlValue>& params = {}) = 0;
  // Convenience: the first row, or NOT_FOUND when there is none.
  absl::StatusOr<SqlRow> QueryOne(absl::string_view sql, const std::vector<SqlValue>& params = {});
};

// One numbered schema step. Steps of a component apply in version order, once, each in its own
// transaction, and are recorded in the table schema_migrations(component, version).
struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The migrations of the tables every service has (outbox, audit_events, idempotency), from
// common/migrations/, applied as component "common".
const std::vector<Migration>& CommonMigrations();

// For Store implementations: the migrations of `component` not yet in `applied`, in version order.
// INVALID_ARGUMENT when versions are not positive and unique; FAILED_PRECONDITION when the
// database holds a version newer than any the binary knows.
absl::StatusOr<std::vector<const Migration*>> PendingMigrations(
    absl::string_view component, const std::vector<Migration>& migrations,
    const std::set<int>& applied);

class Store;

// For Store implementations: runs a Write or Read callback, turning an exception that escapes it
// into INTERNAL (the callback runs on a server or writer thread, which must not end the process).
absl::Status RunStoreCallback(const std::function<absl::Status(SqlTx&)>& fn, SqlTx& tx);

// The migration run every Store implementation shares: reads the versions of `component` recorded
// in schema_migrations (through store.Read), plans the rest with PendingMigrations, and applies
// each in order with `apply`, which returns whether this process applied it (false when another
// process got there first); each step applied is logged with `location`, a (key, value) pair
// naming the database. The backend keeps only what differs: running the SQL script and locking.
absl::Status RunMigrations(Store& store, absl::string_view component,
                           const std::vector<Migration>& migrations,
                           const std::pair<std::string, std::string>& location,
                           const std::function<absl::StatusOr<bool>(const Migration&)>& apply);

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` inside a write transaction. The change is durable on disk when Write returns OK.
  // When `fn` returns an error, everything it did is rolled back and that error is returned.
  // `fn` may run on another thread than the caller's; it must not block on anything but the store.
  // `fn` must be re-runnable: PostgreSQL runs it again after a serialization failure.
  virtual absl::Status Write(const std::function<absl::Status(SqlTx&)>& fn) = 0;
  // Runs `fn` on a consistent read snapshot; concurrent with writes and other reads.
  virtual absl::Status Read(const std::function<absl::Status(SqlTx&)>& fn) = 0;
  // Applies the migrations of `component` not yet applied.
  virtual absl::Status Migrate(absl::string_view component,
                               const std::vector<Migration>& migrations) = 0;
  // "sqlite" or "postgresql": for the few statements whose dialects differ.
  virtual absl::string_view dialect() const = 0;
};

// How the embedded store uses memory and when it checkpoints. Memory, per SQLite connection (the
// writer, every reader and the checkpointer each have their own): its page cache, in the heap,
// and how much of the database file it reads through a memory map (pages the kernel shares
// between connections and processes and may drop; 0 reads with read()).
struct SqliteTuning {
  int cache_mb = 16;
  int mmap_mb = 256;
  // When the WAL holds this many pages after a commit, a checkpointer thread with its own
  // connection copies them into the database file, off the writer thread; 0 leaves the
  // checkpoints to the writer, as SQLite does by default (at 1000 pages).
  int checkpoint_pages = 1000;
  // The writer checkpoints itself when the WAL reaches this multiple of checkpoint_pages: a
  // checkpoint beside a busy writer never catches up with its last commit, so only the writer's
  // own lets the WAL start again from its beginning and keeps the file bounded.
  int writer_checkpoint_factor = 8;
};

struct SqliteOptions {
  // Path of the database file; created when missing.
  std::string path;
  SqliteTuning tuning;
  // Read connections in the pool.
  int readers = 4;
  // How long a statement waits on a lock before UNAVAILABLE.
  int busy_timeout_ms = 5000;
  // At most this many concurrent Write calls are committed together in one transaction.
  int max_group_commit = 128;
  // Stamps schema_migrations.applied_us (not owned).
  const Clock* clock = &Clock::Real();
};

// SQLite in WAL mode with synchronous=FULL: one writer connection that commits concurrent writes
// together (group commit), and a pool of readers. A batch first runs its callbacks back to back in
// one transaction; if one fails, the transaction is rolled back and the batch runs again with each
// callback under its own savepoint, so a failure undoes only its own work (a savepoint per callback
// up front would copy every page each one touches to the statement journal).
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// Opens the store a service was configured with: `database_url` when set (postgresql://…, one
// schema per service, see postgres_store.h), else `<data_dir>/<service>.db` on SQLite.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(absl::string_view service,
                                                 absl::string_view data_dir,
                                                 absl::string_view database_url,
                                                 const Clock& clock = Clock::Real(),
                                                 const SqliteTuning& sqlite_tuning = {});

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_STORE_H_
