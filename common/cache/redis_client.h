// A Redis client on hiredis for a multi-threaded server: one connection per thread in use (a
// hiredis context is not thread-safe), connect and command timeouts on every call, and
// reconnection with exponential backoff. While Redis is down calls fail fast with UNAVAILABLE;
// callers treat Redis as optional (cache bypassed, outbox keeps rows) so the service keeps serving.
#ifndef CHAINHUB_COMMON_REDIS_CLIENT_H_
#define CHAINHUB_COMMON_REDIS_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace chainhub {

// A decoded reply. Nested for arrays (XREADGROUP, XAUTOCLAIM, EVAL results).
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;                   // kString, kStatus, kError
  long long integer = 0;             // kInteger
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
};

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  absl::Duration connect_timeout = absl::Milliseconds(500);
  absl::Duration command_timeout = absl::Milliseconds(1000);
  // Backoff between reconnect attempts of one thread's connection: doubles up to the maximum.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
};

// Parses "HOST:PORT" into options (INVALID_ARGUMENT naming `flag_name` when malformed).
absl::StatusOr<RedisOptions> ParseRedisAddress(absl::string_view address,
                                               absl::string_view flag_name = "redis");

class RedisClient {
 public:
  explicit RedisClient(RedisOptions options);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command on this thread's connection. A Redis error reply is returned as a reply of
  // Type::kError (not a failed status); a failed status means Redis could not be reached.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& argv);
  // Sends all commands in one round trip; replies in order.
  absl::StatusOr<std::vector<RedisReply>> Pipeline(
      const std::vector<std::vector<std::string>>& commands);

  // Whether the last call on any thread reached Redis.
  bool up() const { return up_.load(std::memory_order_relaxed); }
  const RedisOptions& options() const { return options_; }

 private:
  struct Connection;
  Connection& ThreadConnection();
  void MarkUp(bool up);

  RedisOptions options_;
  uint64_t id_;
  std::atomic<bool> up_{false};
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_REDIS_CLIENT_H_
