// A real, throwaway PostgreSQL server for tests: initdb into a temp dir (trust auth, user
// `postgres`, UTF8, C locale), then `postgres` on a free loopback port with fsync off — fast and
// disposable, never for real data. Stopped (and its files removed) on destruction.
//
// initdb and postgres refuse to run as root. When the test runs as root (as in the build
// sandbox), both run as the `postgres` system user the Debian package creates: the child process
// switches user after fork, and the temp dir is handed to that user.
//
// The server binaries come from /usr/lib/postgresql/<version>/bin (the highest version
// installed); without them Start() fails with a message saying to run scripts/deps.sh.
#ifndef CHAINHUB_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define CHAINHUB_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <memory>
#include <string>

#include <sys/types.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

class PostgresServer {
 public:
  // Creates the cluster and starts the server; returns once it accepts connections (30 s at
  // most).
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  int port() const { return port_; }
  // "postgresql://postgres@127.0.0.1:PORT/postgres".
  std::string url() const { return UrlOf("postgres"); }
  // The URL of database `name` on this server.
  std::string UrlOf(const std::string& database) const;
  // Creates an empty database (CREATE DATABASE) and returns its URL: one per test keeps tests
  // apart on one server, which is much faster than a server per test.
  absl::StatusOr<std::string> CreateDatabase(const std::string& name);
  // Runs SQL as the superuser on `database` (for test setup, or to disturb a running store).
  absl::Status Execute(const std::string& database, const std::string& sql);

  bool running() const { return pid_ > 0; }
  // Fast shutdown (SIGINT: sessions are cut, committed data stays), waiting for the exit.
  absl::Status Stop();
  // Starts the server again on the same port and data directory.
  absl::Status Restart();

 private:
  PostgresServer() = default;
  absl::Status InitCluster();
  absl::Status Launch();

  TempDir dir_;
  std::string bin_dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  // The user the server runs as when the test runs as root; -1 otherwise.
  uid_t uid_ = static_cast<uid_t>(-1);
  gid_t gid_ = static_cast<gid_t>(-1);
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_POSTGRES_SERVER_H_
