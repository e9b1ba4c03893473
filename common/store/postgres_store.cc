// PostgreSQL behind the Store interface: a pool of libpq connections, each serving one
// transaction at a time; SERIALIZABLE writes re-run on serialization failures; migrations
// serialized across replicas by an advisory lock.
#include "common/store/postgres_store.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include <libpq-fe.h>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

constexpr char kCommitsMetric[] = "chainhub_store_commits_total";
constexpr char kWritesMetric[] = "chainhub_store_writes_total";
constexpr char kRetriesMetric[] = "chainhub_store_retries_total";

// Type OIDs (pg_type.h is a server header; these values are fixed by PostgreSQL's catalog).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

// Longest SQL text quoted back in an error message.
constexpr size_t kMaxSqlInMessage = 300;

// --- SQL scanning ------------------------------------------------------------------------------

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// One stretch of SQL text: `code` when it lies outside string literals, quoted identifiers,
// dollar-quoted strings and comments (where words are keywords and $N are parameters).
struct SqlSpan {
  absl::string_view text;
  bool code;
};

// Splits `sql` into code and non-code spans, following PostgreSQL's lexical rules closely enough
// for the SQL this project writes: '…' (with '' and, for E'…', backslash escapes), "…",
// $tag$…$tag$,
// -- comments and nested /* */ comments. An unterminated construct runs to the end.
std::vector<SqlSpan> SplitSql(absl::string_view sql) {
  std::vector<SqlSpan> spans;
  size_t code_start = 0;
  size_t i = 0;
  auto close_code = [&](size_t end) {
    if (end > code_start) spans.push_back({sql.substr(code_start, end - code_start), true});
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    size_t end = std::string_view::npos;  // end of a non-code span starting at i
    if (c == '\'') {
      const bool backslashes =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      size_t j = i + 1;
      while (j < sql.size()) {
        if (backslashes && sql[j] == '\\') {
          j += 2;
        } else if (sql[j] == '\'') {
          if (j + 1 < sql.size() && sql[j + 1] == '\'') {
            j += 2;
          } else {
            break;
          }
        } else {
          ++j;
        }
      }
      end = std::min(j + 1, sql.size());
    } else if (c == '"') {
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == '"') {
          if (j + 1 < sql.size() && sql[j + 1] == '"') {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      end = std::min(j + 1, sql.size());
    } else if (c == '-' && next == '-') {
      size_t j = sql.find('\n', i);
      end = j == absl::string_view::npos ? sql.size() : j;
    } else if (c == '/' && next == '*') {
      int depth = 0;
      size_t j = i;
      while (j < sql.size()) {
        if (sql[j] == '/' && j + 1 < sql.size() && sql[j + 1] == '*') {
          ++depth;
          j += 2;
        } else if (sql[j] == '*' && j + 1 < sql.size() && sql[j + 1] == '/') {
          j += 2;
          if (--depth == 0) break;
        } else {
          ++j;
        }
      }
      end = j;
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1])) &&
               !std::isdigit(static_cast<unsigned char>(next))) {
      // $tag$ or $$ opens a dollar-quoted string; $1 is a parameter (code).
      size_t j = i + 1;
      while (j < sql.size() && sql[j] != '$' && IsIdentChar(sql[j])) ++j;
      if (j < sql.size() && sql[j] == '$') {
        const absl::string_view tag = sql.substr(i, j - i + 1);
        size_t close = sql.find(tag, j + 1);
        end = close == absl::string_view::npos ? sql.size() : close + tag.size();
      }
    }
    if (end == std::string_view::npos) {
      ++i;
      continue;
    }
    close_code(i);
    spans.push_back({sql.substr(i, end - i), false});
    i = end;
    code_start = end;
  }
  close_code(sql.size());
  return spans;
}

// The parameter numbers ($N) the SQL uses; 0 stands for a malformed one ($0, or too large).
std::set<int> PlaceholdersOf(absl::string_view sql) {
  std::set<int> used;
  for (const SqlSpan& span : SplitSql(sql)) {
    if (!span.code) continue;
    const absl::string_view t = span.text;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] != '$' || i + 1 >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i + 1]))) {
        continue;
      }
      // "a$1" is an identifier in PostgreSQL, not a parameter.
      if (i > 0 && IsIdentChar(t[i - 1])) continue;
      size_t j = i + 1;
      while (j < t.size() && std::isdigit(static_cast<unsigned char>(t[j]))) ++j;
      int number = 0;
      if (!absl::SimpleAtoi(t.substr(i + 1, j - i - 1), &number) || number < 1) number = 0;
      used.insert(number);
      i = j - 1;
    }
  }
  return used;
}

// Every $N the SQL names must be given and every parameter given must be used: SQLite's contract
// (sqlite_store.cc), checked here too so a statement fails the same way on both.
absl::Status CheckParameters(absl::string_view sql, size_t given) {
  const std::set<int> used = PlaceholdersOf(sql);
  if (used.count(0) != 0) {
    return absl::InternalError(
        absl::StrCat("postgres: parameters must be written $1, $2, ...; in: ", sql));
  }
  if (!used.empty() && static_cast<size_t>(*used.rbegin()) > given) {
    return absl::InternalError(absl::StrCat("postgres: parameter $", *used.rbegin(),
                                            " is used but only ", given, " given in: ", sql));
  }
  for (size_t i = 1; i <= given; ++i) {
    if (used.count(static_cast<int>(i)) == 0) {
      return absl::InternalError(
          absl::StrCat("postgres: parameter $", i, " is given but not used in: ", sql));
    }
  }
  return absl::OkStatus();
}

bool TakeWord(absl::string_view text, size_t* pos, absl::string_view word) {
  size_t p = *pos;
  while (p < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[p]))) ++p;
  if (text.substr(p, word.size()) != word) return false;
  const size_t end = p + word.size();
  if (end < text.size() && IsIdentChar(text[end])) return false;
  *pos = end;
  return true;
}

std::string TranslateCode(absl::string_view code) {
  std::string out;
  out.reserve(code.size() + 64);
  size_t i = 0;
  while (i < code.size()) {
    if (!IsIdentChar(code[i])) {
      out.push_back(code[i++]);
      continue;
    }
    size_t j = i;
    while (j < code.size() && IsIdentChar(code[j])) ++j;
    const absl::string_view word = code.substr(i, j - i);
    if (word == "INTEGER") {
      size_t after = j;
      if (TakeWord(code, &after, "PRIMARY") && TakeWord(code, &after, "KEY")) {
        out += "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        j = after;
      } else {
        out += "BIGINT";
      }
    } else if (word == "BLOB") {
      out += "BYTEA";
    } else if (word == "REAL") {
      out += "DOUBLE PRECISION";
    } else {
      out.append(word.data(), word.size());
    }
    i = j;
  }
  return out;
}

// --- Errors ------------------------------------------------------------------------------------

bool IsRetryableSqlState(absl::string_view state) { return state == "40001" || state == "40P01"; }

absl::Status StatusFromSqlState(absl::string_view state, std::string message) {
  if (state == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(state, "23")) return absl::FailedPreconditionError(message);
  if (IsRetryableSqlState(state)) return absl::AbortedError(message);
  if (state == "57014") return absl::DeadlineExceededError(message);
  // Connection trouble, the server shutting down or out of connections, a lock not available:
  // the same call may succeed later.
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "53") || state == "57P01" ||
      state == "57P02" || state == "57P03" || state == "55P03") {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(message);
}

std::string SqlForMessage(absl::string_view sql) {
  if (sql.size() <= kMaxSqlInMessage) return std::string(sql);
  return absl::StrCat(sql.substr(0, kMaxSqlInMessage), "...");
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// One libpq connection, used by one thread at a time (the pool hands it out).
class Connection {
 public:
  explicit Connection(const PostgresOptions& options) : options_(options) {}
  ~Connection() {
    if (conn_ != nullptr) PQfinish(conn_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects (or reconnects a broken connection) and leaves the connection outside any
  // transaction, with the session set up for the service's schema.
  absl::Status EnsureReady() {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) {
      if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return absl::OkStatus();
      // A transaction left open by an earlier failure: end it, or start afresh.
      if (Simple("ROLLBACK").ok() && PQtransactionStatus(conn_) == PQTRANS_IDLE) {
        return absl::OkStatus();
      }
    }
    if (conn_ == nullptr) {
      const std::string timeout =
          absl::StrCat(std::max<int64_t>(1, absl::ToInt64Seconds(options_.connect_timeout)));
      const std::string application = absl::StrCat("chainhub-", options_.schema);
      // Later keywords win, so what the URL says overrides these defaults.
      const char* keywords[] = {"connect_timeout", "client_encoding", "application_name", "dbname",
                                nullptr};
      const char* values[] = {timeout.c_str(), "UTF8", application.c_str(), options_.url.c_str(),
                              nullptr};
      conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    } else {
      PQreset(conn_);
    }
    if (conn_ == nullptr) return absl::ResourceExhaustedError("postgres: out of memory");
    // Server warnings go to the JSON log instead of libpq's default, raw stderr.
    PQsetNoticeProcessor(
        conn_,
        +[](void*, const char* message) {
          LogWarn("postgres notice",
                  {{"message", std::string(absl::StripTrailingAsciiWhitespace(message))}});
        },
        nullptr);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return absl::UnavailableError(
          absl::StrCat("postgres: cannot connect: ", TrimmedError(PQerrorMessage(conn_))));
    }
    // The schema comes first and alone on the path (pg_catalog is always searched), so the
    // service's tables are created there and unqualified names find them.
    const std::string setup =
        absl::StrCat("SET search_path TO ", QuotedSchema(), "; SET statement_timeout = ",
                     std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.statement_timeout)),
                     "; SET client_min_messages = warning");
    return Simple(setup);
  }

  bool broken() const { return conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK; }
  // The SQLSTATE of the last failed command ("" when it failed without one).
  const std::string& last_sqlstate() const { return last_sqlstate_; }

  std::string QuotedSchema() const { return absl::StrCat("\"", options_.schema, "\""); }

  // Runs SQL without parameters through the simple query protocol: it may hold several
  // statements (migrations, session setup). Returns the last result.
  absl::StatusOr<Result> SimpleResult(absl::string_view sql) {
    last_sqlstate_.clear();
    const std::string text(sql);
    Result result(PQexec(conn_, text.c_str()));
    CHAINHUB_RETURN_IF_ERROR(Check(result.get(), sql));
    return result;
  }
  absl::Status Simple(absl::string_view sql) { return SimpleResult(sql).status(); }

  // Runs one statement with $N parameters (extended protocol).
  absl::StatusOr<Result> Run(absl::string_view sql, const std::vector<SqlValue>& params) {
    last_sqlstate_.clear();
    CHAINHUB_RETURN_IF_ERROR(CheckParameters(sql, params.size()));
    const size_t n = params.size();
    std::vector<std::string> text(n);
    std::vector<const char*> values(n, nullptr);
    std::vector<int> lengths(n, 0);
    std::vector<int> formats(n, 0);
    std::vector<Oid> types(n, 0);  // 0: let the server infer the type from the statement
    for (size_t i = 0; i < n; ++i) {
      const SqlValue& v = params[i];
      if (const auto* number = std::get_if<int64_t>(&v)) {
        text[i] = absl::StrCat(*number);
        values[i] = text[i].c_str();
      } else if (const auto* d = std::get_if<double>(&v)) {
        text[i] = FormatDouble(*d);
        values[i] = text[i].c_str();
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat("postgres: text parameter $", i + 1,
                           " contains a NUL byte, which PostgreSQL text "
                           "cannot hold; pass binary data as a Blob"));
        }
        values[i] = s->c_str();
      } else if (const auto* b = std::get_if<Blob>(&v)) {
        // Binary format: the bytes as they are, NULs included; a null pointer would mean NULL.
        values[i] = b->bytes.empty() ? "" : b->bytes.data();
        lengths[i] = static_cast<int>(b->bytes.size());
        formats[i] = 1;
        types[i] = kByteaOid;
      }
      // nullptr: values[i] stays null, which libpq sends as SQL NULL.
    }
    const std::string statement(sql);
    Result result(PQexecParams(conn_, statement.c_str(), static_cast<int>(n), types.data(),
                               values.data(), lengths.data(), formats.data(),
                               /*resultFormat=*/0));
    CHAINHUB_RETURN_IF_ERROR(Check(result.get(), sql));
    return result;
  }

  static std::string FormatDouble(double d) {
    if (d != d) return "NaN";
    if (d == std::numeric_limits<double>::infinity()) return "Infinity";
    if (d == -std::numeric_limits<double>::infinity()) return "-Infinity";
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.17g", d);
    return buf;
  }

 private:
  static std::string TrimmedError(const char* message) {
    return std::string(absl::StripTrailingAsciiWhitespace(message != nullptr ? message : ""));
  }

  absl::Status Check(const PGresult* result, absl::string_view sql) {
    const ExecStatusType status = result == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      return absl::OkStatus();
    }
    const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    last_sqlstate_ = state != nullptr ? state : "";
    std::string message;
    if (const char* primary =
            result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) {
      message = primary;
      if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
        absl::StrAppend(&message, " (", detail, ")");
      }
    } else {
      message = TrimmedError(PQerrorMessage(conn_));
    }
    if (last_sqlstate_.empty() && broken()) {
      // No SQLSTATE and a dead connection: the server went away or the network broke.
      return absl::UnavailableError(absl::StrCat("postgres: connection lost: ", message));
    }
    absl::Status out = StatusFromSqlState(last_sqlstate_, absl::StrCat("postgres: ", message));
    if (out.code() == absl::StatusCode::kInternal) {
      // A bug in the SQL (or the schema): say where.
      out = absl::InternalError(
          absl::StrCat(out.message(), " [", last_sqlstate_, "] in: ", SqlForMessage(sql)));
    }
    return out;
  }

  const PostgresOptions& options_;
  PGconn* conn_ = nullptr;
  std::string last_sqlstate_;
};

SqlValue DecodeValue(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return nullptr;
  const char* text = PQgetvalue(result, row, column);
  const int length = PQgetlength(result, row, column);
  const absl::string_view value(text, static_cast<size_t>(length));
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      int64_t n = 0;
      if (absl::SimpleAtoi(value, &n)) return n;
      break;
    }
    case kNumericOid: {
      // SUM() of bigint is numeric: an integral value reads as an integer, as on SQLite.
      int64_t n = 0;
      if (absl::SimpleAtoi(value, &n)) return n;
      double d = 0;
      if (absl::SimpleAtod(value, &d)) return d;
      break;
    }
    case kFloat4Oid:
    case kFloat8Oid: {
      double d = 0;
      if (absl::SimpleAtod(value, &d)) return d;
      break;
    }
    case kBoolOid:
      return int64_t{value == "t" ? 1 : 0};
    case kByteaOid: {
      size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      if (bytes == nullptr) break;
      Blob blob{std::string(reinterpret_cast<const char*>(bytes), size)};
      PQfreemem(bytes);
      return blob;
    }
    default:
      break;
  }
  return std::string(value);
}

// The SqlTx handed to callbacks. PostgreSQL aborts a transaction at its first failing statement;
// this remembers that error so later statements (and the end of the transaction) report it.
class PgTx final : public SqlTx {
 public:
  explicit PgTx(Connection* conn) : conn_(conn) {}

  absl::StatusOr<int64_t> Exec(absl::string_view sql,
                               const std::vector<SqlValue>& params) override {
    CHAINHUB_ASSIGN_OR_RETURN(Result result, Run(sql, params));
    // Rows changed, as SQLite counts them: none for a SELECT (whose tag also carries a count).
    if (absl::StartsWith(PQcmdStatus(result.get()), "SELECT")) return 0;
    int64_t changed = 0;
    (void)absl::SimpleAtoi(PQcmdTuples(result.get()), &changed);
    return changed;
  }

  absl::StatusOr<std::vector<SqlRow>> Query(absl::string_view sql,
                                            const std::vector<SqlValue>& params) override {
    CHAINHUB_ASSIGN_OR_RETURN(Result result, Run(sql, params));
    const int rows = PQntuples(result.get());
    const int columns = PQnfields(result.get());
    std::vector<SqlRow> out;
    out.reserve(static_cast<size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      std::vector<SqlValue> values;
      values.reserve(static_cast<size_t>(columns));
      for (int c = 0; c < columns; ++c) values.push_back(DecodeValue(result.get(), r, c));
      out.emplace_back(std::move(values));
    }
    return out;
  }

  Connection* connection() { return conn_; }
  bool failed() const { return !first_error_.ok(); }
  const absl::Status& first_error() const { return first_error_; }
  // The transaction failed on a serialization failure or deadlock: running it again may work.
  bool retryable() const { return retryable_; }
  // The connection broke under the transaction (so it did not commit).
  bool connection_lost() const { return connection_lost_; }

  // Records a failure of a statement run outside Exec/Query (a migration script).
  void RecordFailure(const absl::Status& status) {
    if (!first_error_.ok()) return;
    first_error_ = status;
    retryable_ = IsRetryableSqlState(conn_->last_sqlstate());
    connection_lost_ = conn_->broken();
  }

 private:
  absl::StatusOr<Result> Run(absl::string_view sql, const std::vector<SqlValue>& params) {
    if (!first_error_.ok()) {
      return absl::Status(first_error_.code(),
                          absl::StrCat("postgres: transaction already failed (PostgreSQL aborts "
                                       "it at the first error): ",
                                       first_error_.message()));
    }
    absl::StatusOr<Result> result = conn_->Run(sql, params);
    // A parameter mismatch is caught before the server sees the statement and leaves the
    // transaction usable; anything the server rejected has aborted it.
    if (!result.ok() && (!conn_->last_sqlstate().empty() || conn_->broken())) {
      RecordFailure(result.status());
    }
    return result;
  }

  Connection* conn_;
  absl::Status first_error_;
  bool retryable_ = false;
  bool connection_lost_ = false;
};

// A stable 64-bit FNV-1a hash: the advisory lock key must be the same in every process.
int64_t LockKey(absl::string_view text) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<int64_t>(h);
}

// The store a Write callback of this thread runs in, to refuse a nested Write (it would wait for
// a second connection while holding one, and could not see the outer transaction's changes).
thread_local const void* t_writing_store = nullptr;

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(PostgresOptions options)
      : options_(std::move(options)), metric_labels_{{"database", options_.schema}} {
    for (int i = 0; i < options_.pool_size; ++i) {
      connections_.push_back(std::make_unique<Connection>(options_));
      idle_.push_back(connections_.back().get());
    }
  }

  // Creates the schema, the instr() function and schema_migrations, once per database however
  // many replicas start together (under an advisory lock).
  absl::Status Bootstrap() {
    CHAINHUB_ASSIGN_OR_RETURN(Lease lease, Acquire());
    Connection& conn = *lease.conn;
    CHAINHUB_RETURN_IF_ERROR(Begin(conn, "BEGIN ISOLATION LEVEL READ COMMITTED"));
    PgTx tx(&conn);
    absl::Status status = [&]() -> absl::Status {
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("SELECT pg_advisory_xact_lock($1)",
                  {LockKey(absl::StrCat("chainhub.bootstrap:", options_.schema))})
              .status());
      // Checked before creating so a schema a DBA made (with no CREATE right on the database
      // for this role) is used as it is.
      CHAINHUB_ASSIGN_OR_RETURN(
          auto schema,
          tx.Query("SELECT 1 FROM pg_namespace WHERE nspname = $1", {options_.schema}));
      if (schema.empty()) {
        CHAINHUB_RETURN_IF_ERROR(
            tx.Exec(absl::StrCat("CREATE SCHEMA ", conn.QuotedSchema()), {}).status());
      }
      // SQLite's instr(haystack, needle) — the shared filter SQL's substring test — is
      // PostgreSQL's strpos: same 1-based character position, 0 when absent.
      CHAINHUB_ASSIGN_OR_RETURN(
          auto function,
          tx.Query("SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                   "WHERE n.nspname = $1 AND p.proname = 'instr'",
                   {options_.schema}));
      if (function.empty()) {
        CHAINHUB_RETURN_IF_ERROR(
            tx.Exec(absl::StrCat("CREATE FUNCTION ", conn.QuotedSchema(),
                                 ".instr(haystack text, needle text) RETURNS integer "
                                 "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
                                 "AS 'SELECT strpos(haystack, needle)'"),
                    {})
                .status());
      }
      return tx
          .Exec(absl::StrCat("CREATE TABLE IF NOT EXISTS ", conn.QuotedSchema(),
                             ".schema_migrations (component TEXT NOT NULL, version BIGINT NOT "
                             "NULL, name TEXT NOT NULL, applied_us BIGINT NOT NULL, "
                             "PRIMARY KEY (component, version))"),
                {})
          .status();
    }();
    return Finish(conn, tx, status);
  }

  absl::Status Write(const std::function<absl::Status(SqlTx&)>& fn) override {
    if (t_writing_store == this) {
      return absl::FailedPreconditionError("store: Write called inside a Write callback");
    }
    MetricsRegistry::Global().Add(kWritesMetric, metric_labels_);
    const int attempts = std::max(1, options_.max_attempts);
    bool reconnected = false;
    absl::Status last;
    for (int attempt = 1;; ++attempt) {
      if (attempt > 1) {
        MetricsRegistry::Global().Add(kRetriesMetric, metric_labels_);
        Backoff(attempt);
      }
      // Optimistic retries alone can starve a writer on a hot row: the ones that just won start
      // again at once while it backs off. After a few losses it runs alone in this process.
      // Taken before the connection, so a writer waiting for it holds none.
      EscalationLock escalation(&escalation_mu_, /*exclusive=*/attempt > kEscalateAfter);
      CHAINHUB_ASSIGN_OR_RETURN(Lease lease, Acquire());
      Connection& conn = *lease.conn;
      CHAINHUB_RETURN_IF_ERROR(Begin(conn, "BEGIN ISOLATION LEVEL SERIALIZABLE"));
      PgTx tx(&conn);
      absl::Status status;
      {
        t_writing_store = this;
        status = RunStoreCallback(fn, tx);
        t_writing_store = nullptr;
      }
      // A callback that swallowed a statement's error must not hear OK: PostgreSQL has already
      // rolled the transaction back.
      if (status.ok() && tx.failed()) status = tx.first_error();
      bool retry = false;
      if (status.ok()) {
        absl::StatusOr<Result> commit = conn.SimpleResult("COMMIT");
        if (commit.ok()) {
          // COMMIT of a transaction the server had already aborted answers "ROLLBACK".
          if (std::strcmp(PQcmdStatus(commit->get()), "COMMIT") == 0) {
            MetricsRegistry::Global().Add(kCommitsMetric, metric_labels_);
            return absl::OkStatus();
          }
          return absl::AbortedError("postgres: the transaction was rolled back at COMMIT");
        }
        status = commit.status();
        if (conn.broken()) {
          return absl::UnavailableError(absl::StrCat(
              "postgres: connection lost during COMMIT; the write may or may not have been "
              "applied: ",
              status.message()));
        }
        retry = IsRetryableSqlState(conn.last_sqlstate());
      } else {
        if (!conn.broken()) (void)conn.Simple("ROLLBACK");
        retry = tx.retryable();
        if (tx.connection_lost() && !reconnected) {
          // Nothing was committed; the callback is re-runnable.
          reconnected = true;
          continue;
        }
      }
      if (!retry) return status;
      last = status;
      if (attempt >= attempts) {
        return absl::AbortedError(
            absl::StrCat("postgres: gave up after ", attempt,
                         " attempts on concurrent updates: ", last.message()));
      }
    }
  }

  absl::Status Read(const std::function<absl::Status(SqlTx&)>& fn) override {
    CHAINHUB_ASSIGN_OR_RETURN(Lease lease, Acquire());
    Connection& conn = *lease.conn;
    CHAINHUB_RETURN_IF_ERROR(Begin(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    PgTx tx(&conn);
    absl::Status status = RunStoreCallback(fn, tx);
    return Finish(conn, tx, status);
  }

  absl::Status Migrate(absl::string_view component,
                       const std::vector<Migration>& migrations) override {
    const std::string name(component);
    const int64_t lock = LockKey(absl::StrCat("chainhub.migrate:", options_.schema, "/", name));
    return RunMigrations(*this, component, migrations, {"schema", options_.schema},
                         [&](const Migration& m) { return Apply(name, m, lock); });
  }

  absl::string_view dialect() const override { return "postgresql"; }

 private:
  // Failed runs of a Write callback after which its next runs exclude this process's other
  // writers.
  static constexpr int kEscalateAfter = 3;

  // Shared for a Write transaction's first runs, exclusive for its later ones.
  class EscalationLock {
   public:
    EscalationLock(absl::Mutex* mu, bool exclusive) : mu_(mu), exclusive_(exclusive) {
      if (exclusive_) {
        mu_->Lock();
      } else {
        mu_->ReaderLock();
      }
    }
    ~EscalationLock() {
      if (exclusive_) {
        mu_->Unlock();
      } else {
        mu_->ReaderUnlock();
      }
    }
    EscalationLock(const EscalationLock&) = delete;
    EscalationLock& operator=(const EscalationLock&) = delete;

   private:
    absl::Mutex* mu_;
    bool exclusive_;
  };

  // A connection taken from the pool, returned when the lease ends.
  struct Lease {
    Lease(PostgresStore* store, Connection* conn) : store(store), conn(conn) {}
    Lease(Lease&& other) noexcept : store(other.store), conn(std::exchange(other.conn, nullptr)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (conn != nullptr) store->Release(conn);
    }
    PostgresStore* store;
    Connection* conn;
  };

  absl::StatusOr<Lease> Acquire() {
    absl::MutexLock lock(&mu_);
    const bool available = mu_.AwaitWithTimeout(
        absl::Condition(
            +[](std::vector<Connection*>* idle) { return !idle->empty(); }, &idle_),
        options_.acquire_timeout);
    if (!available) {
      return absl::UnavailableError(absl::StrCat("postgres: no idle connection within ",
                                                 absl::FormatDuration(options_.acquire_timeout),
                                                 " (pool of ", options_.pool_size, ")"));
    }
    Connection* conn = idle_.back();
    idle_.pop_back();
    return Lease(this, conn);
  }

  void Release(Connection* conn) {
    absl::MutexLock lock(&mu_);
    idle_.push_back(conn);
  }

  // Starts a transaction on a ready connection. A pooled connection whose server restarted (or
  // whose network path broke) while it was idle fails only when used: then it reconnects and
  // tries once more — nothing has run in the transaction yet.
  static absl::Status Begin(Connection& conn, absl::string_view begin_sql) {
    CHAINHUB_RETURN_IF_ERROR(conn.EnsureReady());
    absl::Status begin = conn.Simple(begin_sql);
    if (begin.ok() || !conn.broken()) return begin;
    CHAINHUB_RETURN_IF_ERROR(conn.EnsureReady());
    return conn.Simple(begin_sql);
  }

  // Ends a transaction that is not retried: COMMIT when `status` is OK and no statement failed,
  // else ROLLBACK; returns the outcome.
  static absl::Status Finish(Connection& conn, PgTx& tx, absl::Status status) {
    if (status.ok() && tx.failed()) status = tx.first_error();
    if (status.ok()) {
      absl::StatusOr<Result> commit = conn.SimpleResult("COMMIT");
      if (!commit.ok()) return commit.status();
      if (std::strcmp(PQcmdStatus(commit->get()), "COMMIT") != 0) {
        return absl::AbortedError("postgres: the transaction was rolled back at COMMIT");
      }
      return absl::OkStatus();
    }
    if (!conn.broken()) (void)conn.Simple("ROLLBACK");
    return status;
  }

  // Applies one migration in its own transaction; false when another process applied it first.
  // READ COMMITTED on purpose: each statement sees what committed before it, so once the lock
  // is ours the check sees a migration another replica committed while we waited (a
  // REPEATABLE READ snapshot would be taken before the lock and miss it).
  absl::StatusOr<bool> Apply(const std::string& component, const Migration& m, int64_t lock) {
    CHAINHUB_ASSIGN_OR_RETURN(Lease lease, Acquire());
    Connection& conn = *lease.conn;
    CHAINHUB_RETURN_IF_ERROR(Begin(conn, "BEGIN ISOLATION LEVEL READ COMMITTED"));
    PgTx tx(&conn);
    bool ran = false;
    absl::Status status = [&]() -> absl::Status {
      // Waiting for another replica's migration, or building an index on a big table, may
      // rightly take longer than any statement should.
      CHAINHUB_RETURN_IF_ERROR(tx.Exec("SET LOCAL statement_timeout = 0", {}).status());
      CHAINHUB_RETURN_IF_ERROR(tx.Exec("SELECT pg_advisory_xact_lock($1)", {lock}).status());
      CHAINHUB_ASSIGN_OR_RETURN(
          std::vector<SqlRow> done,
          tx.Query("SELECT 1 FROM schema_migrations WHERE component = $1 AND version = $2",
                   {component, int64_t{m.version}}));
      if (!done.empty()) return absl::OkStatus();
      absl::Status script = conn.Simple(TranslateMigrationSql(m.sql));
      if (!script.ok()) {
        script = absl::Status(script.code(), absl::StrCat("migration ", component, "/", m.version,
                                                          "_", m.name, ": ", script.message()));
        tx.RecordFailure(script);
        return script;
      }
      ran = true;
      return tx
          .Exec(
              "INSERT INTO schema_migrations (component, version, name, applied_us) "
              "VALUES ($1, $2, $3, $4)",
              {component, int64_t{m.version}, m.name, absl::ToUnixMicros(options_.clock->Now())})
          .status();
    }();
    CHAINHUB_RETURN_IF_ERROR(Finish(conn, tx, status));
    return ran;
  }

  // Full jitter, doubling from 2 ms up to 100 ms: contenders spread out instead of colliding
  // again in step.
  static void Backoff(int attempt) {
    thread_local absl::InsecureBitGen gen;
    const int64_t cap_us = std::min<int64_t>(100000, int64_t{2000} << std::min(attempt - 2, 10));
    absl::SleepFor(absl::Microseconds(absl::Uniform<int64_t>(gen, 0, cap_us + 1)));
  }

  const PostgresOptions options_;
  const MetricLabels metric_labels_;
  std::vector<std::unique_ptr<Connection>> connections_;
  absl::Mutex mu_;
  std::vector<Connection*> idle_ ABSL_GUARDED_BY(mu_);
  absl::Mutex escalation_mu_;
};

bool IsValidSchemaName(absl::string_view s) {
  if (s.empty() || s.size() > 63) return false;
  if (!(absl::ascii_islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(absl::ascii_islower(static_cast<unsigned char>(c)) ||
          absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return !absl::StartsWith(s, "pg_");
}

}  // namespace

std::string TranslateMigrationSql(absl::string_view sqlite_sql) {
  std::string out;
  out.reserve(sqlite_sql.size() + 128);
  for (const SqlSpan& span : SplitSql(sqlite_sql)) {
    if (span.code) {
      out += TranslateCode(span.text);
    } else {
      out.append(span.text.data(), span.text.size());
    }
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  if (options.url.empty()) return InvalidField("database_url", "must be set");
  if (!IsValidSchemaName(options.schema)) {
    return InvalidField("schema", "must match [a-z_][a-z0-9_]* (at most 63, not pg_*)");
  }
  if (options.pool_size < 1) return InvalidField("pool_size", "must be >= 1");
  static const bool described = [] {
    MetricsRegistry& metrics = MetricsRegistry::Global();
    metrics.Describe(kCommitsMetric, "counter",
                     "Write transactions committed (one per group commit).");
    metrics.Describe(kWritesMetric, "counter",
                     "Write calls run; divided by commits it gives the mean group size.");
    metrics.Describe(kRetriesMetric, "counter",
                     "Write callbacks run again after a serialization failure, a deadlock or a "
                     "lost connection.");
    return true;
  }();
  (void)described;
  auto store = std::make_unique<PostgresStore>(options);
  CHAINHUB_RETURN_IF_ERROR(store->Bootstrap());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace chainhub
