#include "common/cache/redis_client.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <utility>

#include <hiredis/hiredis.h>
#include <poll.h>
#include <sys/time.h>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"

namespace chainhub {

namespace {

// One thread's connection of one client. Owned by the thread's map (freed at thread exit); the
// client's entry in the registry below lets the client's destructor close it earlier.
struct ConnectionState {
  ~ConnectionState() { Close(); }
  void Close() {
    if (ctx != nullptr) redisFree(ctx);
    ctx = nullptr;
    run_id.clear();
  }

  redisContext* ctx = nullptr;
  // The server's run_id, once asked on this connection (ServerRunId).
  std::string run_id;
  // When ctx is null, no reconnect is attempted before next_attempt.
  absl::Time next_attempt = absl::InfinitePast();
  // The last wait imposed; zero after a success.
  absl::Duration backoff = absl::ZeroDuration();
  // Whether the last call on this connection succeeded.
  bool healthy = false;
  // Set by ~RedisClient: the entry belongs to a dead client and is only waiting to be erased.
  std::atomic<bool> retired{false};
};

// Every client's connections, by client id, so that ~RedisClient can close the contexts other
// threads still hold. Touched only when a thread first uses a client and when a client dies.
struct Registry {
  absl::Mutex mu;
  std::map<uint64_t, std::vector<std::weak_ptr<ConnectionState>>> connections ABSL_GUARDED_BY(mu);
  // Clients that have logged their state at least once (so an outage at startup is logged too).
  std::set<uint64_t> reported ABSL_GUARDED_BY(mu);
};

Registry& GlobalRegistry() {
  static Registry* registry = new Registry();  // never destroyed: threads may outlive statics
  return *registry;
}

std::atomic<uint64_t> g_next_client_id{1};

// This thread's connections, by client id. Ids are never reused, so an entry of a destroyed
// client is never looked up again; it is erased the next time this thread connects a client.
thread_local std::unordered_map<uint64_t, std::shared_ptr<ConnectionState>> t_connections;
// Why this thread's last call failed, for the "redis down" log line.
thread_local std::string t_last_error;

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
      break;
  }
  return out;
}

// hiredis puts strerror(errno) into errstr for I/O errors already.
std::string ContextError(const redisContext* ctx) {
  if (ctx == nullptr) return "cannot allocate a redis context";
  if (ctx->errstr[0] == '\0') return "connection lost";
  // SO_RCVTIMEO/SO_SNDTIMEO expiring reads as EAGAIN: say what it means.
  if (ctx->err == REDIS_ERR_IO && std::strcmp(ctx->errstr, std::strerror(EAGAIN)) == 0) {
    return "timed out";
  }
  return ctx->errstr;
}

void AppendArgv(redisContext* ctx, const std::vector<std::string>& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (const std::string& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), ptrs.data(), lens.data());
}

}  // namespace

// The nested type of the header is the shared state itself (the helpers here cannot name a
// private nested type).
struct RedisClient::Connection : ConnectionState {};

namespace {

// Decodes %XX escapes (RFC 3986 userinfo); false on a malformed escape.
bool PercentDecode(absl::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    int value = 0;
    if (i + 2 >= in.size()) return false;
    for (int k = 1; k <= 2; ++k) {
      const char c = in[i + k];
      value *= 16;
      if (c >= '0' && c <= '9') {
        value += c - '0';
      } else if (c >= 'a' && c <= 'f') {
        value += c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        value += c - 'A' + 10;
      } else {
        return false;
      }
    }
    out->push_back(static_cast<char>(value));
    i += 2;
  }
  return true;
}

}  // namespace

absl::StatusOr<RedisOptions> ParseRedisAddress(absl::string_view address,
                                               absl::string_view flag_name) {
  const absl::Status bad = InvalidField(
      flag_name, "must be HOST:PORT or redis://[USER[:PASSWORD]@]HOST:PORT with a port in 1-65535");
  RedisOptions options;
  constexpr absl::string_view kScheme = "redis://";
  if (absl::StartsWith(address, kScheme)) {
    address.remove_prefix(kScheme.size());
    if (!address.empty() && address.back() == '/') address.remove_suffix(1);
    const size_t at = address.rfind('@');
    if (at != absl::string_view::npos) {
      absl::string_view userinfo = address.substr(0, at);
      address.remove_prefix(at + 1);
      const size_t colon = userinfo.find(':');
      const bool decoded =
          PercentDecode(userinfo.substr(0, colon), &options.user) &&
          (colon == absl::string_view::npos ||
           PercentDecode(userinfo.substr(colon + 1), &options.password));
      if (!decoded) {
        return InvalidField(flag_name, "has a malformed %-escape in its user or password");
      }
      if (options.password.empty() && colon != absl::string_view::npos) {
        return InvalidField(flag_name, "has an empty password after the user");
      }
    }
  } else if (address.find('@') != absl::string_view::npos ||
             address.find('/') != absl::string_view::npos) {
    return bad;
  }
  const size_t colon = address.rfind(':');
  if (colon == absl::string_view::npos) return bad;
  absl::string_view host = address.substr(0, colon);
  absl::string_view port_text = address.substr(colon + 1);
  // [::1]:6379 — an IPv6 literal in brackets.
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != absl::string_view::npos) {
    return bad;
  }
  int port = 0;
  if (host.empty() || port_text.empty() || !absl::SimpleAtoi(port_text, &port) || port < 1 ||
      port > 65535) {
    return bad;
  }
  options.host = std::string(host);
  options.port = port;
  return options;
}

std::string RedisAddressForLog(const RedisOptions& options) {
  return absl::StrCat(options.user.empty() ? "" : options.user + "@", options.host, ":",
                      options.port);
}

RedisClient::RedisClient(RedisOptions options)
    : options_(std::move(options)), id_(g_next_client_id.fetch_add(1)) {
  static const bool described = [] {
    MetricsRegistry::Global().Describe("chainhub_redis_up", "gauge",
                                       "1 when the last Redis call reached Redis, else 0.");
    return true;
  }();
  (void)described;
}

RedisClient::~RedisClient() {
  std::vector<std::weak_ptr<ConnectionState>> connections;
  {
    Registry& registry = GlobalRegistry();
    absl::MutexLock lock(&registry.mu);
    auto it = registry.connections.find(id_);
    if (it != registry.connections.end()) {
      connections = std::move(it->second);
      registry.connections.erase(it);
    }
    registry.reported.erase(id_);
  }
  // No thread may be inside a call on a client being destroyed, so closing their contexts here
  // does not race with use; it only frees the sockets before those threads exit.
  for (const std::weak_ptr<ConnectionState>& weak : connections) {
    if (std::shared_ptr<ConnectionState> conn = weak.lock()) {
      conn->retired.store(true);
      conn->Close();
    }
  }
}

RedisClient::Connection& RedisClient::ThreadConnection() {
  auto it = t_connections.find(id_);
  if (it != t_connections.end()) return static_cast<Connection&>(*it->second);
  // First use of this client on this thread: drop entries of destroyed clients first.
  for (auto e = t_connections.begin(); e != t_connections.end();) {
    e = e->second->retired.load() ? t_connections.erase(e) : std::next(e);
  }
  std::shared_ptr<ConnectionState> conn = std::make_shared<Connection>();
  {
    Registry& registry = GlobalRegistry();
    absl::MutexLock lock(&registry.mu);
    auto& list = registry.connections[id_];
    // Forget connections of threads that have exited.
    for (auto w = list.begin(); w != list.end();) w = w->expired() ? list.erase(w) : std::next(w);
    list.push_back(conn);
  }
  return static_cast<Connection&>(*t_connections.emplace(id_, std::move(conn)).first->second);
}

// Records the outcome of a call that reached (or failed to reach) Redis. Only transitions are
// logged, so an outage costs two log lines however many calls fail during it. up_ starts false,
// so a client's first outcome counts as a transition too (an outage at startup is logged).
void RedisClient::MarkUp(bool up) {
  const bool was_up = up_.exchange(up, std::memory_order_relaxed);
  bool transition = was_up != up;
  {
    Registry& registry = GlobalRegistry();
    absl::MutexLock lock(&registry.mu);
    const bool first = registry.reported.insert(id_).second;
    if (!up) transition = transition || first;
  }
  if (!transition) return;
  MetricsRegistry::Global().Set("chainhub_redis_up", {}, up ? 1 : 0);
  const std::string address = RedisAddressForLog(options_);
  if (up) {
    LogInfo("redis up", {{"address", address}});
  } else {
    LogWarn("redis down", {{"address", address}, {"error", t_last_error}});
  }
}

namespace {

// A connected context with the options' timeouts and TCP keepalive, or null with *error set.
redisContext* Connect(const RedisOptions& options, std::string* error) {
  redisContext* ctx = redisConnectWithTimeout(options.host.c_str(), options.port,
                                              absl::ToTimeval(options.connect_timeout));
  if (ctx == nullptr || ctx->err != 0 ||
      redisSetTimeout(ctx, absl::ToTimeval(options.command_timeout)) != REDIS_OK ||
      redisEnableKeepAlive(ctx) != REDIS_OK) {
    *error = ContextError(ctx);
    if (ctx != nullptr) redisFree(ctx);
    return nullptr;
  }
  if (!options.password.empty()) {
    // Never the password in an error: Redis's own answer (WRONGPASS ...) names neither.
    auto* reply = static_cast<redisReply*>(
        options.user.empty()
            ? redisCommand(ctx, "AUTH %b", options.password.data(), options.password.size())
            : redisCommand(ctx, "AUTH %b %b", options.user.data(), options.user.size(),
                           options.password.data(), options.password.size()));
    if (reply == nullptr) {
      *error = ContextError(ctx);
      redisFree(ctx);
      return nullptr;
    }
    const bool ok = reply->type == REDIS_REPLY_STATUS;
    if (!ok) {
      *error = absl::StrCat("authentication as ",
                            options.user.empty() ? std::string("default") : options.user,
                            " refused: ",
                            reply->type == REDIS_REPLY_ERROR ? std::string(reply->str, reply->len)
                                                             : std::string("unexpected reply"));
    }
    freeReplyObject(reply);
    if (!ok) {
      redisFree(ctx);
      return nullptr;
    }
  }
  return ctx;
}

void BackOff(ConnectionState& conn, const RedisOptions& options) {
  conn.healthy = false;
  conn.backoff = conn.backoff == absl::ZeroDuration()
                     ? options.min_backoff
                     : std::min(conn.backoff * 2, options.max_backoff);
  conn.next_attempt = absl::Now() + conn.backoff;
}

// Ensures `conn` has a live context, connecting when the backoff allows. On failure returns
// UNAVAILABLE and sets *error to the reason (empty when the call was refused by the backoff).
absl::Status EnsureConnected(ConnectionState& conn, const RedisOptions& options,
                             std::string* error) {
  if (conn.ctx != nullptr) return absl::OkStatus();
  const absl::Time now = absl::Now();
  if (now < conn.next_attempt) {
    return absl::UnavailableError(absl::StrCat("redis ", options.host, ":", options.port,
                                               " unavailable (reconnect backing off)"));
  }
  redisContext* ctx = Connect(options, error);
  if (ctx == nullptr) {
    BackOff(conn, options);
    return absl::UnavailableError(
        absl::StrCat("redis ", options.host, ":", options.port, " unreachable: ", *error));
  }
  conn.ctx = ctx;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& argv) {
  if (argv.empty()) return absl::InvalidArgumentError("redis command must not be empty");
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, Pipeline({argv}));
  return std::move(replies.front());
}

absl::StatusOr<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<std::vector<std::string>>& commands) {
  std::vector<RedisReply> replies;
  if (commands.empty()) return replies;
  for (const auto& argv : commands) {
    if (argv.empty()) return absl::InvalidArgumentError("redis command must not be empty");
  }
  Connection& conn = ThreadConnection();
  std::string error;
  if (absl::Status s = EnsureConnected(conn, options_, &error); !s.ok()) {
    if (!error.empty()) {
      // A real attempt failed (not a call refused by the backoff): that is news for up().
      t_last_error = error;
      MarkUp(false);
    }
    return s;
  }
  for (const auto& argv : commands) AppendArgv(conn.ctx, argv);
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(conn.ctx, &raw) != REDIS_OK || raw == nullptr) {
      error = ContextError(conn.ctx);
      // The context is unusable after an I/O or protocol error (and a timeout leaves a reply in
      // flight): drop it. A connection that worked until now (typically: the server restarted)
      // reconnects on the next call; a second failure in a row backs off.
      conn.Close();
      if (conn.healthy) {
        conn.healthy = false;
        conn.next_attempt = absl::InfinitePast();
      } else {
        BackOff(conn, options_);
      }
      t_last_error = error;
      MarkUp(false);
      return absl::UnavailableError(
          absl::StrCat("redis ", options_.host, ":", options_.port, " call failed: ", error));
    }
    redisReply* reply = static_cast<redisReply*>(raw);
    replies.push_back(Convert(reply));
    freeReplyObject(reply);
  }
  conn.backoff = absl::ZeroDuration();
  conn.healthy = true;
  if (!up_.load(std::memory_order_relaxed)) MarkUp(true);
  return replies;
}

absl::StatusOr<std::string> RedisClient::ServerRunId(bool verify) {
  {
    Connection& conn = ThreadConnection();
    if (!verify && conn.ctx != nullptr && !conn.run_id.empty()) return conn.run_id;
  }
  CHAINHUB_ASSIGN_OR_RETURN(RedisReply reply, Command({"INFO", "server"}));
  if (reply.type != RedisReply::Type::kString) {
    return absl::UnavailableError(absl::StrCat("redis ", options_.host, ":", options_.port,
                                               " answered INFO server with ",
                                               reply.type == RedisReply::Type::kError
                                                   ? reply.str
                                                   : std::string("an unexpected reply")));
  }
  for (absl::string_view line : absl::StrSplit(reply.str, '\n')) {
    if (!absl::ConsumePrefix(&line, "run_id:")) continue;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) break;
    Connection& conn = ThreadConnection();
    conn.run_id = std::string(line);
    return conn.run_id;
  }
  return absl::UnavailableError(
      absl::StrCat("redis ", options_.host, ":", options_.port, " gave no run_id in INFO server"));
}

RedisSubscriber::RedisSubscriber(RedisOptions options, std::string channel, Callbacks callbacks,
                                 absl::Duration ping_every, absl::Duration dead_after)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      callbacks_(std::move(callbacks)),
      ping_every_(ping_every),
      dead_after_(dead_after),
      thread_([this] { Run(); }) {}

RedisSubscriber::~RedisSubscriber() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  thread_.join();
}

bool RedisSubscriber::WaitForStop(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  mu_.AwaitWithTimeout(absl::Condition(&stop_), d);
  return stop_;
}

void RedisSubscriber::Run() {
  absl::Duration backoff = options_.min_backoff;
  while (true) {
    const absl::Time started = absl::Now();
    Session();
    // A session that lasted a while was a working connection: retry at once, else back off.
    backoff = absl::Now() - started > dead_after_ ? options_.min_backoff
                                                  : std::min(backoff * 2, options_.max_backoff);
    if (WaitForStop(backoff)) return;
  }
}

void RedisSubscriber::Session() {
  std::string error;
  redisContext* ctx = Connect(options_, &error);
  if (ctx == nullptr) return;
  std::unique_ptr<redisContext, decltype(&redisFree)> owned(ctx, &redisFree);
  AppendArgv(ctx, {"SUBSCRIBE", channel_});
  absl::Time last_heard = absl::Now();
  absl::Time next_ping = last_heard + ping_every_;
  bool live = false;
  auto flush = [&] {
    int done = 0;
    while (!done) {
      if (redisBufferWrite(ctx, &done) != REDIS_OK) return false;
    }
    return true;
  };
  if (!flush()) return;
  while (true) {
    // Everything already read: confirmations, messages, pongs.
    void* raw = nullptr;
    while (redisReaderGetReply(ctx->reader, &raw) == REDIS_OK && raw != nullptr) {
      RedisReply reply = Convert(static_cast<redisReply*>(raw));
      freeReplyObject(raw);
      raw = nullptr;
      last_heard = absl::Now();
      if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) continue;
      const std::string& kind = reply.elements[0].str;
      if (kind == "subscribe" && !live) {
        live = true;
        callbacks_.on_live(true);
      } else if (kind == "message" && live && reply.elements.size() == 3) {
        callbacks_.on_message(reply.elements[2].str);
      }
    }
    const absl::Time now = absl::Now();
    bool stopping;
    {
      absl::MutexLock lock(&mu_);
      stopping = stop_;
    }
    if (stopping || now - last_heard > dead_after_) break;
    if (now >= next_ping) {
      next_ping = now + ping_every_;
      AppendArgv(ctx, {"PING"});
      if (!flush()) break;
    }
    pollfd pfd{ctx->fd, POLLIN, 0};
    const int ready = poll(&pfd, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0 && redisBufferRead(ctx) != REDIS_OK) break;
  }
  if (live) callbacks_.on_live(false);
}

}  // namespace chainhub
