#include "tools/bench/child_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

extern char** environ;

namespace chainhub::bench {
namespace {

absl::Status ErrnoStatus(absl::string_view what, int err) {
  return absl::InternalError(absl::StrCat(what, ": ", strerror(err)));
}

// Resolved before fork: between fork and exec the child may only make async-signal-safe calls.
std::string ResolveBinary(const std::string& binary) {
  if (binary.find('/') != std::string::npos) return binary;
  const char* path = std::getenv("PATH");
  if (path == nullptr) return binary;
  for (absl::string_view dir : absl::StrSplit(path, ':')) {
    if (dir.empty()) continue;
    std::string candidate = absl::StrCat(dir, "/", binary);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return binary;
}

std::string Describe(int status) {
  if (WIFEXITED(status)) return absl::StrCat("exit ", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return absl::StrCat("signal ", WTERMSIG(status), " (", strsignal(WTERMSIG(status)), ")");
  }
  return absl::StrCat("wait status ", status);
}

}  // namespace

absl::Status ChildProcess::Start(const std::string& binary, const std::vector<std::string>& args,
                                 const std::string& stderr_path) {
  if (pid_ > 0) return absl::FailedPreconditionError("child already started");
  binary_ = binary;
  const std::string path = ResolveBinary(binary);
  if (access(path.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat("cannot execute ", binary, ": ", strerror(errno)));
  }
  std::vector<std::string> argv_strings;
  argv_strings.push_back(path);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int err_fd = -1;
  if (!stderr_path.empty()) {
    err_fd = open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (err_fd < 0) return ErrnoStatus(absl::StrCat("open ", stderr_path), errno);
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    const int err = errno;
    if (err_fd >= 0) close(err_fd);
    return ErrnoStatus("pipe2", err);
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(fds[0]);
    close(fds[1]);
    if (err_fd >= 0) close(err_fd);
    return ErrnoStatus("fork", err);
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls from here to exec.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the benchmark died before prctl took effect
    sigset_t empty;
    sigemptyset(&empty);
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    signal(SIGPIPE, SIG_DFL);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(fds[1], STDOUT_FILENO);
    if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  close(fds[1]);
  if (err_fd >= 0) close(err_fd);
  pid_ = pid;
  reader_ = std::thread([this, fd = fds[0]] { ReadLoop(fd); });
  return absl::OkStatus();
}

void ChildProcess::ReadLoop(int fd) {
  char buffer[4096];
  while (!stop_reading_.load()) {
    pollfd p{fd, POLLIN, 0};
    // Bounded, so that the destructor can stop the reader even if a grandchild holds the pipe.
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
  close(fd);
  absl::MutexLock lock(&mu_);
  stdout_closed_ = true;
  changed_.SignalAll();
}

absl::StatusOr<std::string> ChildProcess::WaitForLine(absl::string_view prefix,
                                                      absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::MutexLock lock(&mu_);
  for (;;) {
    size_t start = 0;
    while (start < output_.size()) {
      const size_t end = output_.find('\n', start);
      if (end == std::string::npos) break;
      absl::string_view line(output_.data() + start, end - start);
      absl::ConsumeSuffix(&line, "\r");
      if (absl::ConsumePrefix(&line, prefix)) return std::string(line);
      start = end + 1;
    }
    if (stdout_closed_) {
      return absl::UnavailableError(absl::StrCat(binary_, " closed stdout without a line \"",
                                                 prefix, "\"; it wrote: ", output_));
    }
    if (absl::Now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat("no line \"", prefix, "\" from ", binary_,
                                                      " within ", absl::FormatDuration(timeout)));
    }
    changed_.WaitWithDeadline(&mu_, deadline);
  }
}

std::optional<std::string> ChildProcess::Exited() {
  if (ended_.has_value() || pid_ <= 0) return ended_;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) ended_ = Describe(status);
  return ended_;
}

std::string ChildProcess::Stop(absl::Duration grace) {
  if (pid_ <= 0) return "not started";
  if (Exited().has_value()) return *ended_;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  while (absl::Now() < deadline) {
    if (Exited().has_value()) return *ended_;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  ended_ = absl::StrCat(Describe(status), " (killed after ", absl::FormatDuration(grace),
                        " without stopping on SIGTERM)");
  return *ended_;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Stop();
  stop_reading_.store(true);
  if (reader_.joinable()) reader_.join();
}

absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoStatus("socket", errno);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    close(fd);
    return ErrnoStatus("bind 127.0.0.1:0", err);
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

}  // namespace chainhub::bench
