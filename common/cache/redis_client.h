// A Redis client on hiredis for a multi-threaded server: one connection per thread in use (a
// hiredis context is not thread-safe), connect and command timeouts on every call, and
// reconnection with exponential backoff. While Redis is down calls fail fast with UNAVAILABLE;
// callers treat Redis as optional (cache bypassed, outbox keeps rows) so the service keeps serving.
#ifndef CHAINHUB_COMMON_REDIS_CLIENT_H_
#define CHAINHUB_COMMON_REDIS_CLIENT_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
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
  // Credentials sent with AUTH on every new connection (a Redis ACL user, or only a password for
  // `requirepass`). Empty: no AUTH.
  std::string user;
  std::string password;
  absl::Duration connect_timeout = absl::Milliseconds(500);
  absl::Duration command_timeout = absl::Milliseconds(1000);
  // Backoff between reconnect attempts of one thread's connection: doubles up to the maximum.
  absl::Duration min_backoff = absl::Milliseconds(50);
  absl::Duration max_backoff = absl::Seconds(2);
};

// Parses "HOST:PORT" or "redis://[USER[:PASSWORD]@]HOST:PORT" (user and password
// percent-encoded) into options; INVALID_ARGUMENT naming `flag_name` when malformed. The message
// never contains the password.
absl::StatusOr<RedisOptions> ParseRedisAddress(absl::string_view address,
                                               absl::string_view flag_name = "redis");

// "HOST:PORT", or "USER@HOST:PORT" with a user: an address for logs, without the password.
std::string RedisAddressForLog(const RedisOptions& options);

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

  // The run_id of the Redis server this thread's connection is connected to (INFO server),
  // connecting first when needed. It is asked once per connection; with `verify`, or when the
  // connection had dropped, it costs a round trip, which also finds out that a connection idle
  // since Redis restarted is dead. A connection cannot outlive the server it reached, so the
  // next calls on this thread, until one fails, reach the Redis this id names.
  absl::StatusOr<std::string> ServerRunId(bool verify = false);

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

// One channel's messages, read on a dedicated connection and thread (a subscribed connection can
// do nothing else). `on_live(true)` runs once the subscription is confirmed and `on_live(false)`
// when it is lost: the connection fails, or Redis leaves a PING unanswered for `dead_after` (a
// peer that vanished without closing the socket). Between the two every published message reaches
// `on_message`, in order; outside them messages are missed, which is why a subscriber must treat
// "not live" as "know nothing". Reconnects with the options' backoff until stopped.
class RedisSubscriber {
 public:
  struct Callbacks {
    std::function<void(bool live)> on_live;
    std::function<void(absl::string_view message)> on_message;
  };
  RedisSubscriber(RedisOptions options, std::string channel, Callbacks callbacks,
                  absl::Duration ping_every = absl::Milliseconds(500),
                  absl::Duration dead_after = absl::Seconds(2));
  ~RedisSubscriber();
  RedisSubscriber(const RedisSubscriber&) = delete;
  RedisSubscriber& operator=(const RedisSubscriber&) = delete;

 private:
  void Run();
  // One connection's life: returns when it is lost or the subscriber stops.
  void Session();
  // Waits up to `d`; true when stopping.
  bool WaitForStop(absl::Duration d);

  const RedisOptions options_;
  const std::string channel_;
  const Callbacks callbacks_;
  const absl::Duration ping_every_;
  const absl::Duration dead_after_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_REDIS_CLIENT_H_
