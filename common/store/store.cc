#include "common/store/store.h"

#include <exception>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/store/postgres_store.h"

namespace chainhub {

int64_t SqlRow::Int(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* n = std::get_if<int64_t>(&v)) return *n;
  if (const auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  // A backend that returns numbers as text (PostgreSQL's text format) still reads as a number.
  if (const auto* s = std::get_if<std::string>(&v)) {
    int64_t n = 0;
    return absl::SimpleAtoi(*s, &n) ? n : 0;
  }
  return 0;
}

double SqlRow::Double(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double d = 0;
    return absl::SimpleAtod(*s, &d) ? d : 0;
  }
  return 0;
}

const std::string& SqlRow::Text(size_t i) const {
  static const std::string* const kEmpty = new std::string();
  const SqlValue& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return *kEmpty;
}

absl::StatusOr<SqlRow> SqlTx::QueryOne(absl::string_view sql, const std::vector<SqlValue>& params) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlRow> rows, Query(sql, params));
  if (rows.empty()) return absl::NotFoundError("query returned no row");
  return std::move(rows.front());
}

absl::StatusOr<std::vector<const Migration*>> PendingMigrations(
    absl::string_view component, const std::vector<Migration>& migrations,
    const std::set<int>& applied) {
  std::map<int, const Migration*> by_version;
  for (const Migration& m : migrations) {
    if (m.version < 1 || !by_version.emplace(m.version, &m).second) {
      return absl::InvalidArgumentError(absl::StrCat("migrations of ", component, ": version ",
                                                     m.version, " is not positive and unique"));
    }
  }
  const int known = by_version.empty() ? 0 : by_version.rbegin()->first;
  if (!applied.empty() && *applied.rbegin() > known) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store: the database has schema version ", *applied.rbegin(), " of ", component,
        " but this binary knows only up to ", known, "; run a newer binary"));
  }
  std::vector<const Migration*> pending;
  for (const auto& [version, m] : by_version) {
    if (!applied.contains(version)) pending.push_back(m);
  }
  return pending;
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(absl::string_view service,
                                                 absl::string_view data_dir,
                                                 absl::string_view database_url,
                                                 const Clock& clock,
                                                 const SqliteTuning& sqlite_tuning) {
  if (!database_url.empty()) {
    if (absl::StartsWith(database_url, "postgresql://") ||
        absl::StartsWith(database_url, "postgres://")) {
      if (service.empty()) return InvalidField("service", "must not be empty");
      // One schema per service in a shared database.
      PostgresOptions options;
      options.url = std::string(database_url);
      options.schema = std::string(service);
      options.clock = &clock;
      return OpenPostgresStore(options);
    }
    return InvalidField("database_url", "must start with postgresql:// or postgres://");
  }
  if (data_dir.empty()) {
    return InvalidField("data_dir", "must be set when database_url is not");
  }
  if (service.empty()) return InvalidField("service", "must not be empty");
  std::error_code ec;
  std::filesystem::create_directories(std::string(data_dir), ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir: cannot create ", data_dir, ": ", ec.message()));
  }
  SqliteOptions options;
  options.path = absl::StrCat(data_dir, "/", service, ".db");
  options.tuning = sqlite_tuning;
  options.clock = &clock;
  return OpenSqliteStore(options);
}

absl::Status RunStoreCallback(const std::function<absl::Status(SqlTx&)>& fn, SqlTx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return absl::InternalError(absl::StrCat("store callback threw: ", e.what()));
  } catch (...) {
    return absl::InternalError("store callback threw");
  }
}

absl::Status RunMigrations(Store& store, absl::string_view component,
                           const std::vector<Migration>& migrations,
                           const std::pair<std::string, std::string>& location,
                           const std::function<absl::StatusOr<bool>(const Migration&)>& apply) {
  const std::string name(component);
  std::set<int> applied;
  CHAINHUB_RETURN_IF_ERROR(store.Read([&](SqlTx& tx) -> absl::Status {
    applied.clear();
    CHAINHUB_ASSIGN_OR_RETURN(
        std::vector<SqlRow> rows,
        tx.Query("SELECT version FROM schema_migrations WHERE component = $1", {name}));
    for (const SqlRow& row : rows) applied.insert(static_cast<int>(row.Int(0)));
    return absl::OkStatus();
  }));
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<const Migration*> pending,
                            PendingMigrations(component, migrations, applied));
  for (const Migration* m : pending) {
    CHAINHUB_ASSIGN_OR_RETURN(bool ran, apply(*m));
    if (ran) {
      LogInfo("applied migration", {{"component", name},
                                    {"version", m->version},
                                    {"name", m->name},
                                    {location.first, location.second}});
    }
  }
  return absl::OkStatus();
}

}  // namespace chainhub
