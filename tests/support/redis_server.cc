#include "tests/support/redis_server.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <hiredis/hiredis.h>
#include <signal.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/status_util.h"

namespace chainhub::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(10);
constexpr absl::Duration kStopTimeout = absl::Seconds(10);

bool AnswersPing(int port) {
  timeval tv{0, 200 * 1000};
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (ctx == nullptr) return false;
  bool ok = false;
  if (ctx->err == 0 && redisSetTimeout(ctx, tv) == REDIS_OK) {
    // While the AOF loads, PING answers -LOADING: only PONG means ready.
    auto* reply = static_cast<redisReply*>(redisCommand(ctx, "PING"));
    if (reply != nullptr) {
      ok = reply->type == REDIS_REPLY_STATUS && std::string(reply->str, reply->len) == "PONG";
      freeReplyObject(reply);
    }
  }
  redisFree(ctx);
  return ok;
}

std::string Tail(const std::string& file) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 2000) text = text.substr(text.size() - 2000);
  return text;
}

}  // namespace

RedisServer::RedisServer() = default;

RedisServer::~RedisServer() {
  if (running()) (void)Stop();
}

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start() {
  std::unique_ptr<RedisServer> server(new RedisServer());
  absl::Status status = LaunchOnFreePort([&](int port) {
    server->port_ = port;
    return server->Launch();
  });
  if (!status.ok()) return status;
  return server;
}

std::string RedisServer::address() const { return absl::StrCat("127.0.0.1:", port_); }

RedisOptions RedisServer::ClientOptions() const {
  RedisOptions options;
  options.host = "127.0.0.1";
  options.port = port_;
  options.min_backoff = absl::Milliseconds(5);
  options.max_backoff = absl::Milliseconds(100);
  return options;
}

absl::Status RedisServer::Launch() {
  const std::string out_file = dir_.File("redis.out");
  // Dies with the test process, even when that crashes.
  process_ = std::make_unique<Subprocess>(Subprocess::Options{.parent_death_signal = SIGKILL});
  CHAINHUB_RETURN_IF_ERROR(
      process_->Start("redis-server",
                      {"--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                       "--appendonly", "yes", "--appendfsync", "always", "--dir", dir_.path(),
                       "--daemonize", "no", "--logfile", dir_.File("redis.log")},
                      {}, out_file));

  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    if (std::optional<ExitStatus> ended = process_->Exited()) {
      const std::string output = process_->output();
      process_.reset();
      return absl::UnavailableError(absl::StrCat("redis-server exited at start (",
                                                 ended->ToString(), "): ", output, Tail(out_file),
                                                 Tail(dir_.File("redis.log"))));
    }
    if (AnswersPing(port_)) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(20));
  }
  (void)Kill();
  return absl::DeadlineExceededError(absl::StrCat("redis-server did not answer PING within ",
                                                  absl::FormatDuration(kStartTimeout), ": ",
                                                  Tail(dir_.File("redis.log"))));
}

absl::Status RedisServer::Stop() {
  if (!running()) return absl::OkStatus();
  // SIGKILL after kStopTimeout: a stop that hangs must not hang the test.
  return process_->Stop(kStopTimeout).status();
}

absl::Status RedisServer::Kill() {
  if (!running()) return absl::OkStatus();
  process_->Kill(SIGKILL);
  return process_->Wait(kStopTimeout).status();
}

absl::Status RedisServer::Restart() {
  CHAINHUB_RETURN_IF_ERROR(Stop());
  return Launch();
}

}  // namespace chainhub::testing
