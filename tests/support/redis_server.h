// A real redis-server for tests: started on a free loopback port with its own data directory,
// durable (AOF, fsync on every write) so Restart() keeps the data, and stopped with the test.
// Tests use it to exercise Redis outages for real: Stop() or Kill(), then Restart().
#ifndef CHAINHUB_TESTS_SUPPORT_REDIS_SERVER_H_
#define CHAINHUB_TESTS_SUPPORT_REDIS_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/cache/redis_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

class RedisServer {
 public:
  // Runs `redis-server` (found on PATH) and returns once it answers PING (10 s at most).
  // `extra_args` go after the defaults (e.g. ACL users: {"--user", "default", "off", ...}).
  static absl::StatusOr<std::unique_ptr<RedisServer>> Start(
      std::vector<std::string> extra_args = {});
  // Arguments for Start that run Redis as deploy/ does: the default user off and one ACL user,
  // "chainhub", with `password`, limited to chainhub:* keys and channels.
  static std::vector<std::string> AclUserArgs(const std::string& password);
  // Stops the server (SIGTERM) if it runs.
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:PORT", as given to --redis.
  std::string address() const;
  // Client options for this server, with short backoffs so tests recover quickly from restarts.
  RedisOptions ClientOptions() const;
  // The data directory (the AOF lives here).
  const std::string& dir() const { return dir_.path(); }
  bool running() const { return process_ != nullptr && process_->running(); }
  // The append-only file Redis is writing now (appendonlydir/<name>.incr.aof, by the manifest):
  // cut it short while the server is down to make it lose its last writes.
  absl::StatusOr<std::string> IncrementalAofFile() const;

  // Graceful shutdown: SIGTERM, then waits for the process to exit (SIGKILL after 10 s).
  absl::Status Stop();
  // Abrupt death: SIGKILL, then waits for the process.
  absl::Status Kill();
  // Starts the server again on the same port and directory; what was written before (and
  // fsynced to the AOF) is still there. Stops it first if it runs.
  absl::Status Restart();

 private:
  RedisServer();
  absl::Status Launch();

  TempDir dir_;
  std::vector<std::string> extra_args_;
  int port_ = 0;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_REDIS_SERVER_H_
