// Test helper: runs a binary (a chainhub service, redis-server, a shell) as a child process,
// captures its stdout line by line, and kills, stops and reaps it for integration, e2e and fault
// tests.
#ifndef CHAINHUB_TESTS_SUPPORT_PROCESS_H_
#define CHAINHUB_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace chainhub::testing {

// How a child process ended.
struct ExitStatus {
  int raw = 0;  // as waitpid reports it

  bool exited() const;
  int exit_code() const;  // meaningful when exited()
  bool signaled() const;
  int term_signal() const;  // meaningful when signaled()
  // "exit 0", "signal 9 (Killed)".
  std::string ToString() const;
};

// One child process. Its stdout is read continuously on a background thread (so the child never
// blocks on a full pipe) and kept for WaitForLine and output(). The child runs in its own process
// group and signals go to the whole group, so a shell's children die with it. The destructor kills
// (SIGKILL) and reaps a child that is still running.
class Subprocess {
 public:
  Subprocess() = default;
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Starts `binary` (a path, or a name looked up on PATH) with `args` as argv[1..] and the
  // test's environment plus `env` (which wins). The child's stderr is appended to `stderr_path`
  // when given, else it goes to the test's stderr so service logs appear in the test log.
  absl::Status Start(const std::string& binary, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& stderr_path = "");

  // The rest of the first stdout line that starts with `prefix` (e.g. "listening on " gives
  // "127.0.0.1:PORT"). DEADLINE_EXCEEDED after `timeout`, UNAVAILABLE when stdout closes first.
  absl::StatusOr<std::string> WaitForLine(absl::string_view prefix, absl::Duration timeout);

  // Sends `signal` to the child's process group; a no-op once the child is reaped.
  void Kill(int signal);
  void Terminate();  // SIGTERM
  // Reaps the child: its exit status, or DEADLINE_EXCEEDED when it is still running after
  // `timeout`. Once reaped, returns the same status again.
  absl::StatusOr<ExitStatus> Wait(absl::Duration timeout);

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  // Everything the child wrote to stdout so far.
  std::string output();

 private:
  void ReadLoop(int fd);

  pid_t pid_ = -1;
  bool reaped_ = false;
  ExitStatus exit_status_;
  std::string binary_;

  int stdout_fd_ = -1;
  std::thread reader_;
  std::atomic<bool> stop_reading_{false};

  absl::Mutex mu_;
  absl::CondVar changed_;  // output_ grew or stdout closed
  std::string output_ ABSL_GUARDED_BY(mu_);
  bool stdout_closed_ ABSL_GUARDED_BY(mu_) = false;
};

// CHAINHUB_BINARY_DIR "/" relative: where the build put a binary, e.g.
// BinaryPath("services/registry/chainhub-registry").
std::string BinaryPath(const std::string& relative);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_PROCESS_H_
