// ChildProcess: a binary the benchmark runs beside itself (redis-server, chainhub-registry,
// chainhub-echo). Its stdout is read continuously so the "listening on HOST:PORT" line can be
// awaited and the child never blocks on a full pipe; its stderr goes to a log file. The child is
// told by the kernel to die with the benchmark (PR_SET_PDEATHSIG), so an interrupted run leaves no
// servers behind.
#ifndef CHAINHUB_TOOLS_BENCH_CHILD_PROCESS_H_
#define CHAINHUB_TOOLS_BENCH_CHILD_PROCESS_H_

#include <sys/types.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace chainhub::bench {

class ChildProcess {
 public:
  ChildProcess() = default;
  // Stops the child (SIGTERM, then SIGKILL after a grace period) when it still runs.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts `binary` (a path, or a name looked up on PATH) with `args` as argv[1..]; stderr is
  // appended to `stderr_path` (or inherited when empty). Call from the thread that lives as long
  // as the child should: the death signal fires when the starting thread exits.
  absl::Status Start(const std::string& binary, const std::vector<std::string>& args,
                     const std::string& stderr_path);

  // The rest of the first stdout line starting with `prefix` ("listening on " gives
  // "127.0.0.1:PORT"). DEADLINE_EXCEEDED after `timeout`; UNAVAILABLE when the child closes its
  // stdout (usually: it exited) first.
  absl::StatusOr<std::string> WaitForLine(absl::string_view prefix, absl::Duration timeout);

  // Reaps the child if it has ended: how it ended ("exit 1", "signal 11 (Segmentation fault)"),
  // or nullopt while it runs.
  std::optional<std::string> Exited();

  // SIGTERM, wait up to `grace`, then SIGKILL; returns how the child ended.
  std::string Stop(absl::Duration grace = absl::Seconds(15));

  pid_t pid() const { return pid_; }
  const std::string& binary() const { return binary_; }

 private:
  void ReadLoop(int fd);

  std::string binary_;
  pid_t pid_ = -1;
  std::optional<std::string> ended_;
  std::thread reader_;
  std::atomic<bool> stop_reading_{false};

  absl::Mutex mu_;
  absl::CondVar changed_;
  std::string output_ ABSL_GUARDED_BY(mu_);
  bool stdout_closed_ ABSL_GUARDED_BY(mu_) = false;
};

// A TCP port on 127.0.0.1 that was free a moment ago (for servers that cannot take port 0, such
// as redis-server). Another process may take it first; callers treat a failed start as such.
absl::StatusOr<int> PickFreePort();

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_CHILD_PROCESS_H_
