// Subprocess: a binary run beside this process (a chainhub service, redis-server, the echo
// baseline, a shell), as tests, the benchmark and fixtures need it: stdout read line by line so a
// "listening on HOST:PORT" line can be awaited, stderr to a log file, signals, and a bounded wait
// for the exit.
#ifndef CHAINHUB_COMMON_SUBPROCESS_H_
#define CHAINHUB_COMMON_SUBPROCESS_H_

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace chainhub {

// How a child process ended.
struct ExitStatus {
  int raw = 0;  // as waitpid reports it
  // Set by Subprocess::Stop when the child outlived the grace period after SIGTERM and was killed.
  bool forced = false;

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
// (SIGKILL) and reaps a child that is still running; call Stop first for a graceful end.
class Subprocess {
 public:
  struct Options {
    // Sent to the child by the kernel when the thread that called Start exits, or the whole
    // process dies (PR_SET_PDEATHSIG), so that a crashed parent leaves no servers behind. 0: none.
    // Call Start from a thread that lives as long as the child should.
    int parent_death_signal = 0;
  };

  Subprocess() = default;
  explicit Subprocess(Options options) : options_(options) {}
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  // Starts `binary` (a path, or a name looked up on PATH) with `args` as argv[1..] and this
  // process's environment plus `env` (which wins). The child's stderr is appended to `stderr_path`
  // when given, else it is inherited (so service logs appear in a test's log); stdin is /dev/null.
  // NOT_FOUND when the binary cannot be executed.
  absl::Status Start(const std::string& binary, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {},
                     const std::string& stderr_path = "");

  // The rest of the first stdout line that starts with `prefix` (e.g. "listening on " gives
  // "127.0.0.1:PORT"). DEADLINE_EXCEEDED after `timeout`, UNAVAILABLE when stdout closes first
  // (usually: the child exited).
  absl::StatusOr<std::string> WaitForLine(absl::string_view prefix, absl::Duration timeout);

  // Sends `signal` to the child's process group; a no-op once the child is reaped.
  void Kill(int signal);
  void Terminate();  // SIGTERM
  // Reaps the child: its exit status, or DEADLINE_EXCEEDED when it is still running after
  // `timeout`. Once reaped, returns the same status again.
  absl::StatusOr<ExitStatus> Wait(absl::Duration timeout);
  // Reaps the child if it has ended, without waiting: how it ended, or nullopt while it runs (or
  // before Start).
  std::optional<ExitStatus> Exited();
  // Graceful stop: SIGTERM, up to `grace` for the child to exit, then SIGKILL (and `forced` set).
  // Returns how the child ended, also when it had ended before. FAILED_PRECONDITION before Start.
  absl::StatusOr<ExitStatus> Stop(absl::Duration grace);

  pid_t pid() const { return pid_; }
  const std::string& binary() const { return binary_; }
  bool running() const { return pid_ > 0 && !reaped_; }
  // Everything the child wrote to stdout so far.
  std::string output();
  // Everything the child wrote to stdout, once it closed its stdout (usually by exiting); what
  // came until then when that takes longer than `timeout`.
  std::string FinalOutput(absl::Duration timeout);

 private:
  void ReadLoop(int fd);
  // Blocks until the child is reaped (after SIGKILL, which it cannot ignore).
  void Reap();

  Options options_;
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

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_SUBPROCESS_H_
