#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace chainhub::testing {

bool ExitStatus::exited() const { return WIFEXITED(raw); }
int ExitStatus::exit_code() const { return WEXITSTATUS(raw); }
bool ExitStatus::signaled() const { return WIFSIGNALED(raw); }
int ExitStatus::term_signal() const { return WTERMSIG(raw); }

std::string ExitStatus::ToString() const {
  if (exited()) return absl::StrCat("exit ", exit_code());
  if (signaled())
    return absl::StrCat("signal ", term_signal(), " (", strsignal(term_signal()), ")");
  return absl::StrCat("wait status ", raw);
}

namespace {

// posix_spawn's pieces, released however Start returns.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

absl::Status ErrnoStatus(absl::string_view what, int err) {
  return absl::InternalError(absl::StrCat(what, ": ", strerror(err)));
}

}  // namespace

absl::Status Subprocess::Start(const std::string& binary, const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& env,
                               const std::string& stderr_path) {
  if (pid_ > 0) return absl::FailedPreconditionError("Subprocess already started");
  binary_ = binary;

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoStatus("pipe2", errno);

  SpawnSetup setup;
  // dup2 clears close-on-exec on the copy, so only fd 1 survives into the child.
  posix_spawn_file_actions_adddup2(&setup.actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&setup.actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (!stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&setup.actions, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  // Its own process group, so signals reach whatever the child starts; default signal handling
  // and an empty mask, whatever the test runner set for itself.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2}) {
    sigaddset(&defaults, sig);
  }
  sigset_t empty_mask;
  sigemptyset(&empty_mask);
  posix_spawnattr_setpgroup(&setup.attr, 0);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setsigmask(&setup.attr, &empty_mask);
  posix_spawnattr_setflags(&setup.attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> argv_strings;
  argv_strings.push_back(binary);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  std::map<std::string, std::string> env_map;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::pair<std::string, std::string> kv = absl::StrSplit(*e, absl::MaxSplits('=', 1));
    env_map.insert(std::move(kv));
  }
  for (const auto& [key, value] : env) env_map[key] = value;
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env_map) env_strings.push_back(absl::StrCat(key, "=", value));
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int err =
      posix_spawnp(&pid, binary.c_str(), &setup.actions, &setup.attr, argv.data(), envp.data());
  close(fds[1]);
  if (err != 0) {
    close(fds[0]);
    return ErrnoStatus(absl::StrCat("spawn ", binary), err);
  }
  pid_ = pid;
  stdout_fd_ = fds[0];
  reader_ = std::thread([this, fd = fds[0]] { ReadLoop(fd); });
  return absl::OkStatus();
}

void Subprocess::ReadLoop(int fd) {
  char buffer[4096];
  while (!stop_reading_.load()) {
    pollfd p{fd, POLLIN, 0};
    // A bounded wait so the destructor can stop us even if a stray grandchild holds the pipe.
    int ready = poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    absl::MutexLock lock(&mu_);
    output_.append(buffer, static_cast<size_t>(n));
    changed_.SignalAll();
  }
  absl::MutexLock lock(&mu_);
  stdout_closed_ = true;
  changed_.SignalAll();
}

absl::StatusOr<std::string> Subprocess::WaitForLine(absl::string_view prefix,
                                                    absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("Subprocess not started");
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  for (;;) {
    size_t start = 0;
    while (start < output_.size()) {
      size_t end = output_.find('\n', start);
      // The last line counts without its newline only once nothing more can come.
      if (end == std::string::npos && !stdout_closed_) break;
      if (end == std::string::npos) end = output_.size();
      absl::string_view line(output_.data() + start, end - start);
      absl::ConsumeSuffix(&line, "\r");
      if (absl::ConsumePrefix(&line, prefix)) return std::string(line);
      start = end + 1;
    }
    if (stdout_closed_) {
      return absl::UnavailableError(absl::StrCat(binary_, " closed stdout without a line \"",
                                                 prefix, "\"; it wrote: ", output_));
    }
    if (changed_.WaitWithDeadline(&mu_, deadline) && absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("no line \"", prefix, "\" from ", binary_,
                                                      " within ", absl::FormatDuration(timeout),
                                                      "; it wrote: ", output_));
    }
  }
}

void Subprocess::Kill(int signal) {
  if (!running()) return;
  if (kill(-pid_, signal) != 0) kill(pid_, signal);
}

void Subprocess::Terminate() { Kill(SIGTERM); }

absl::StatusOr<ExitStatus> Subprocess::Wait(absl::Duration timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("Subprocess not started");
  if (reaped_) return exit_status_;
  const absl::Time deadline = absl::Now() + timeout;
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      exit_status_.raw = status;
      return exit_status_;
    }
    if (r < 0 && errno != EINTR) return ErrnoStatus("waitpid", errno);
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat(binary_, " still running after ", absl::FormatDuration(timeout)));
    }
    absl::SleepFor(std::min(absl::Milliseconds(10), deadline - now));
  }
}

std::string Subprocess::output() {
  absl::MutexLock lock(&mu_);
  return output_;
}

Subprocess::~Subprocess() {
  if (running()) {
    Kill(SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
  stop_reading_.store(true);
  if (reader_.joinable()) reader_.join();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

std::string BinaryPath(const std::string& relative) {
  return std::string(CHAINHUB_BINARY_DIR) + "/" + relative;
}

}  // namespace chainhub::testing
