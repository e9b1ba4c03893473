#include "tests/support/redis_server.h"

#include <fcntl.h>
#include <hiredis/hiredis.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace chainhub::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(10);
constexpr absl::Duration kStopTimeout = absl::Seconds(10);

// redis-server from PATH, resolved before fork (the child may only call async-signal-safe
// functions, and execv is one of them).
std::string FindRedisServer() {
  const char* path = std::getenv("PATH");
  if (path != nullptr) {
    for (absl::string_view dir : absl::StrSplit(path, ':')) {
      if (dir.empty()) continue;
      std::string candidate = absl::StrCat(dir, "/redis-server");
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return "/usr/bin/redis-server";
}

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
  absl::Status status;
  // FreePort() is free "a moment ago": another process may take it before redis binds it.
  for (int attempt = 0; attempt < 3; ++attempt) {
    server->port_ = FreePort();
    status = server->Launch();
    if (status.ok()) return server;
  }
  return status;
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
  const std::string binary = FindRedisServer();
  const std::string out_file = dir_.File("redis.out");
  const std::vector<std::string> args = {binary,
                                         "--port",
                                         std::to_string(port_),
                                         "--bind",
                                         "127.0.0.1",
                                         "--save",
                                         "",
                                         "--appendonly",
                                         "yes",
                                         "--appendfsync",
                                         "always",
                                         "--dir",
                                         dir_.path(),
                                         "--daemonize",
                                         "no",
                                         "--logfile",
                                         dir_.File("redis.log")};
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
  if (pid == 0) {
    // Die with the test process, even when it crashes.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;

  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    int wstatus = 0;
    if (waitpid(pid_, &wstatus, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("redis-server (", binary, ") exited at start: ",
                                                 Tail(out_file), Tail(dir_.File("redis.log"))));
    }
    if (AnswersPing(port_)) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(20));
  }
  (void)Kill();
  return absl::DeadlineExceededError(absl::StrCat("redis-server did not answer PING within ",
                                                  absl::FormatDuration(kStartTimeout), ": ",
                                                  Tail(dir_.File("redis.log"))));
}

absl::Status RedisServer::Signal(int signo) {
  if (pid_ <= 0) return absl::OkStatus();
  if (kill(pid_, signo) != 0 && errno != ESRCH) {
    return absl::InternalError(absl::StrCat("kill: ", std::strerror(errno)));
  }
  const absl::Time deadline = absl::Now() + kStopTimeout;
  while (true) {
    int wstatus = 0;
    const pid_t r = waitpid(pid_, &wstatus, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) break;
    if (absl::Now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &wstatus, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status RedisServer::Stop() { return Signal(SIGTERM); }

absl::Status RedisServer::Kill() { return Signal(SIGKILL); }

absl::Status RedisServer::Restart() {
  if (absl::Status s = Stop(); !s.ok()) return s;
  return Launch();
}

}  // namespace chainhub::testing
