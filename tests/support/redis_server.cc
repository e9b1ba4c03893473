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
    // While the AOF loads, PING answers -LOADING: only PONG means ready, or -NOAUTH from a
    // server whose default user is off (it answers, and only a user may do more).
    auto* reply = static_cast<redisReply*>(redisCommand(ctx, "PING"));
    if (reply != nullptr) {
      const std::string text(reply->str == nullptr ? "" : reply->str,
                             reply->str == nullptr ? 0 : reply->len);
      ok = (reply->type == REDIS_REPLY_STATUS && text == "PONG") ||
           (reply->type == REDIS_REPLY_ERROR && text.rfind("NOAUTH", 0) == 0);
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

absl::StatusOr<std::unique_ptr<RedisServer>> RedisServer::Start(
    std::vector<std::string> extra_args) {
  std::unique_ptr<RedisServer> server(new RedisServer());
  server->extra_args_ = std::move(extra_args);
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
  std::vector<std::string> args = {"--port", std::to_string(port_), "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                                   "--dir", dir_.path(), "--daemonize", "no", "--logfile",
                                   dir_.File("redis.log")};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  CHAINHUB_RETURN_IF_ERROR(process_->Start("redis-server", args, {}, out_file));

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

std::vector<std::string> RedisServer::AclUserArgs(const std::string& password) {
  return {"--user", "default", "off",         "--user",       "chainhub",
          "on",     ">" + password, "~chainhub:*", "&chainhub:*", "+@all"};
}

absl::StatusOr<std::string> RedisServer::IncrementalAofFile() const {
  // Redis 7 keeps a manifest of its AOF parts: "file <name> seq <n> type <b|h|i>"; the last
  // "type i" line names the file it appends to.
  const std::string manifest = dir_.File("appendonlydir/appendonly.aof.manifest");
  std::ifstream in(manifest);
  if (!in) return absl::NotFoundError(absl::StrCat("no AOF manifest at ", manifest));
  std::string line, name;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, file, seq_key, seq, type_key, type;
    if (words >> key >> file >> seq_key >> seq >> type_key >> type && key == "file" &&
        type == "i") {
      name = file;
    }
  }
  if (name.empty()) return absl::NotFoundError(absl::StrCat("no incremental AOF in ", manifest));
  return dir_.File("appendonlydir/" + name);
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
