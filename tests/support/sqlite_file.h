// A service's SQLite file, read by a test (read-only) after the service's process stopped: every
// row of a query as text, to compare what a crash left with what was expected.
#ifndef CHAINHUB_TESTS_SUPPORT_SQLITE_FILE_H_
#define CHAINHUB_TESTS_SUPPORT_SQLITE_FILE_H_

#include <string>
#include <vector>

struct sqlite3;

namespace chainhub::testing {

class SqliteFile {
 public:
  // Opens `path` read-only; a failure is a test failure (and every query then has no rows).
  explicit SqliteFile(const std::string& path);
  ~SqliteFile();
  SqliteFile(const SqliteFile&) = delete;
  SqliteFile& operator=(const SqliteFile&) = delete;

  struct Result {
    std::vector<std::string> columns;
    // Each column as text; NULL as "".
    std::vector<std::vector<std::string>> rows;
  };
  // Every row of `sql`. A statement that does not prepare is a test failure and gives no rows.
  Result Query(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_SQLITE_FILE_H_
