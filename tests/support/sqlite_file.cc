#include "tests/support/sqlite_file.h"

#include <utility>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace chainhub::testing {

SqliteFile::SqliteFile(const std::string& path) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
  EXPECT_EQ(rc, SQLITE_OK) << path << ": " << sqlite3_errmsg(db_);
}

SqliteFile::~SqliteFile() { sqlite3_close(db_); }

SqliteFile::Result SqliteFile::Query(const std::string& sql) {
  Result result;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    return result;
  }
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
    result.columns.emplace_back(sqlite3_column_name(stmt, i));
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
    }
    result.rows.push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return result;
}

}  // namespace chainhub::testing
