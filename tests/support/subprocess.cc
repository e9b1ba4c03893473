#include "tests/support/subprocess.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

extern char** environ;

namespace chainhub {

bool ExitStatus::exited() const { return WIFEXITED(raw); }
int ExitStatus::exit_code() const { return WEXITSTATUS(raw); }
bool ExitStatus::signaled() const { return WIFSIGNALED(raw); }
int ExitStatus::term_signal() const { return WTERMSIG(raw); }

std::string ExitStatus::ToString() const {
  if (exited()) return absl::StrCat("exit ", exit_code());
  if (signaled()) {
    return absl::StrCat("signal ", term_signal(), " (", strsignal(term_signal()), ")");
  }
  return absl::StrCat("wait status ", raw);
}

namespace {

absl::Status ErrnoStatus(absl::string_view what, int err) {
  return absl::InternalError(absl::StrCat(what, ": ", strerror(err)));
}

// The PATH lookup execvp would do, done before fork: between fork and exec the child may make
// only async-signal-safe calls, which execve is and execvp is not.
std::string ResolveBinary(const std::string& binary) {
  if (binary.find('/') != std::string::npos) return binary;
  const char* path = std::getenv("PATH");
  for (absl::string_view dir : absl::StrSplit(path != nullptr ? path : "/bin:/usr/bin", ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/", binary);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return binary;
}

// argv/envp for execve: pointers into `strings`, which must outlive them.
std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// In the child: makes `fd` the descriptor `target`, open across exec. dup2 onto itself would keep
// close-on-exec set.
void MoveFd(int fd, int target) {
  if (fd == target) {
    fcntl(fd, F_SETFD, 0);
  } else {
    dup2(fd, target);
  }
}

}  // namespace

absl::Status Subprocess::Start(const std::string& binary, const std::vector<std::string>& args,
                               const std::map<std::string, std::string>& env,
                               const std::string& stderr_path) {
  if (pid_ > 0) return absl::FailedPreconditionError("Subprocess already started");
  binary_ = binary;
  // Everything the child needs is built here: it must not allocate between fork and exec.
  const std::string path = ResolveBinary(binary);
  if (access(path.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot execute ", binary, ": ", strerror(errno)));
  }
  std::vector<std::string> argv_strings;
  argv_strings.push_back(path);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv = CStrings(argv_strings);

  std::map<std::string, std::string> env_map;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::pair<std::string, std::string> kv = absl::StrSplit(*e, absl::MaxSplits('=', 1));
    env_map.insert(std::move(kv));
  }
  for (const auto& [key, value] : env) env_map[key] = value;
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env_map) env_strings.push_back(absl::StrCat(key, "=", value));
  std::vector<char*> envp = CStrings(env_strings);

  int err_fd = -1;
  if (!stderr_path.empty()) {
    err_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (err_fd < 0) return ErrnoStatus(absl::StrCat("open ", stderr_path), errno);
  }
  // out: the child's stdout. exec_error: carries errno back when execve fails; close-on-exec, so
  // it reads end-of-file once the exec has succeeded.
  int out[2] = {-1, -1};
  int exec_error[2] = {-1, -1};
  auto close_all = [&] {
    for (int fd : {out[0], out[1], exec_error[0], exec_error[1], err_fd}) {
      if (fd >= 0) close(fd);
    }
  };
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(exec_error, O_CLOEXEC) != 0) {
    const int err = errno;
    close_all();
    return ErrnoStatus("pipe2", err);
  }

  const pid_t parent = getpid();
  const int death_signal = options_.parent_death_signal;
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close_all();
    return ErrnoStatus("fork", err);
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here to exec.
    if (death_signal != 0) {
      prctl(PR_SET_PDEATHSIG, death_signal);
      if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
    }
    // Its own process group, so signals reach whatever the child starts; default signal handling
    // and an empty mask, whatever this process set for itself.
    setpgid(0, 0);
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2}) {
      signal(sig, SIG_DFL);
    }
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (devnull >= 0) MoveFd(devnull, STDIN_FILENO);
    MoveFd(out[1], STDOUT_FILENO);
    if (err_fd >= 0) MoveFd(err_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    const int err = errno;
    (void)!write(exec_error[1], &err, sizeof(err));
    _exit(127);
  }
  // Also here, so that Kill reaches the group even before the child has run.
  setpgid(pid, pid);
  close(out[1]);
  close(exec_error[1]);
  if (err_fd >= 0) close(err_fd);
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(exec_error[0], &exec_errno, sizeof(exec_errno));
  } while (n < 0 && errno == EINTR);
  close(exec_error[0]);
  if (n == static_cast<ssize_t>(sizeof(exec_errno))) {
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return absl::NotFoundError(absl::StrCat("cannot execute ", binary, ": ", strerror(exec_errno)));
  }
  pid_ = pid;
  stdout_fd_ = out[0];
  reader_ = std::thread([this, fd = out[0]] { ReadLoop(fd); });
  return absl::OkStatus();
}

void Subprocess::ReadLoop(int fd) {
  char buffer[4096];
  while (!stop_reading_.load()) {
    pollfd p{fd, POLLIN, 0};
    // A bounded wait so the destructor can stop us even if a stray grandchild holds the pipe.
    const int ready = poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = read(fd, buffer, sizeof(buffer));
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
    const pid_t r = waitpid(pid_, &status, WNOHANG);
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

std::optional<ExitStatus> Subprocess::Exited() {
  if (pid_ <= 0) return std::nullopt;
  absl::StatusOr<ExitStatus> status = Wait(absl::ZeroDuration());
  if (!status.ok()) return std::nullopt;
  return *status;
}

absl::StatusOr<ExitStatus> Subprocess::Stop(absl::Duration grace) {
  if (pid_ <= 0) return absl::FailedPreconditionError("Subprocess not started");
  Terminate();
  absl::StatusOr<ExitStatus> status = Wait(grace);
  if (status.ok() || !absl::IsDeadlineExceeded(status.status())) return status;
  Kill(SIGKILL);
  Reap();
  exit_status_.forced = true;
  return exit_status_;
}

void Subprocess::Reap() {
  int status = 0;
  pid_t r;
  do {
    r = waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  if (r == pid_) exit_status_.raw = status;
}

std::string Subprocess::output() {
  absl::MutexLock lock(&mu_);
  return output_;
}

std::string Subprocess::FinalOutput(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  while (!stdout_closed_ && !changed_.WaitWithDeadline(&mu_, deadline)) {
  }
  return output_;
}

Subprocess::~Subprocess() {
  if (running()) {
    Kill(SIGKILL);
    Reap();
  }
  stop_reading_.store(true);
  if (reader_.joinable()) reader_.join();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

}  // namespace chainhub
