// A chainhub service binary as a child process for fault tests: on a fixed data dir under a
// TempDir, started on a free loopback port (read from its "listening on" line), killed with
// SIGKILL or stopped with SIGTERM, and started again on the same data.
#ifndef CHAINHUB_TESTS_SUPPORT_SERVICE_PROCESS_H_
#define CHAINHUB_TESTS_SUPPORT_SERVICE_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

// A chainhub service binary on a fixed data dir, restartable after SIGKILL or SIGTERM.
class ServiceProcess {
 public:
  ServiceProcess(const TempDir& dir, std::string name, std::string binary,
                 std::vector<std::string> args)
      : dir_(dir), name_(std::move(name)), binary_(std::move(binary)), args_(std::move(args)) {}

  // Waits up to `timeout` for the "listening on" line (a service that copies its peers before it
  // serves takes longer with more data).
  void Start(absl::Duration timeout = absl::Seconds(20)) {
    // Killed with the test process (and the thread that starts it), so a test stopped by a timeout
    // leaves no service running.
    process_ = std::make_unique<Subprocess>(Subprocess::Options{.parent_death_signal = SIGKILL});
    std::vector<std::string> args = {"--listen=127.0.0.1:0", "--data_dir=" + data_dir(),
                                     "--drain_grace=0s", "--log_level=warn"};
    args.insert(args.end(), args_.begin(), args_.end());
    absl::Status s = process_->Start(BinaryPath(binary_), args, {},
                                     dir_.File(absl::StrCat(name_, "-", ++starts_, ".log")));
    ASSERT_TRUE(s.ok()) << s;
    auto address = process_->WaitForLine("listening on ", timeout);
    ASSERT_TRUE(address.ok()) << name_ << ": " << address.status();
    address_ = *address;
    channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  }

  void Kill9() {
    process_->Kill(SIGKILL);
    auto status = process_->Wait(absl::Seconds(10));
    ASSERT_TRUE(status.ok()) << status.status();
  }

  void Terminate() {
    process_->Terminate();
    auto status = process_->Wait(absl::Seconds(20));
    ASSERT_TRUE(status.ok()) << status.status();
  }

  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  std::string data_dir() const { return dir_.File(name_ + "-data"); }
  pid_t pid() const { return process_->pid(); }
  bool running() const { return process_ != nullptr && process_->running(); }

 private:
  const TempDir& dir_;
  std::string name_;
  std::string binary_;
  std::vector<std::string> args_;
  std::unique_ptr<Subprocess> process_;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  int starts_ = 0;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_SERVICE_PROCESS_H_
