#include "tests/support/process.h"

#include <gtest/gtest.h>
#include <signal.h>

#include "absl/time/time.h"

namespace chainhub::testing {
namespace {

TEST(Subprocess, ReadsTheListeningLineAndReportsTheKillSignal) {
  Subprocess child;
  ASSERT_TRUE(child.Start("/bin/sh", {"-c", "echo \"listening on 127.0.0.1:1\"; sleep 30"}).ok());
  absl::StatusOr<std::string> address = child.WaitForLine("listening on ", absl::Seconds(10));
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(*address, "127.0.0.1:1");

  child.Kill(SIGKILL);
  absl::StatusOr<ExitStatus> status = child.Wait(absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->signaled()) << status->ToString();
  EXPECT_EQ(status->term_signal(), SIGKILL);
  EXPECT_FALSE(child.running());
}

TEST(Subprocess, PassesEnvironmentAndReportsTheExitCode) {
  Subprocess child;
  ASSERT_TRUE(child
                  .Start("/bin/sh", {"-c", "echo \"value=$CHAINHUB_TEST_VALUE\"; exit 3"},
                         {{"CHAINHUB_TEST_VALUE", "42"}})
                  .ok());
  absl::StatusOr<std::string> value = child.WaitForLine("value=", absl::Seconds(10));
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, "42");
  absl::StatusOr<ExitStatus> status = child.Wait(absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->exited());
  EXPECT_EQ(status->exit_code(), 3);
}

TEST(Subprocess, WaitForLineFailsWhenTheChildExitsWithoutIt) {
  Subprocess child;
  ASSERT_TRUE(child.Start("/bin/sh", {"-c", "echo something else"}).ok());
  absl::StatusOr<std::string> line = child.WaitForLine("listening on ", absl::Seconds(10));
  EXPECT_EQ(line.status().code(), absl::StatusCode::kUnavailable) << line.status();
  EXPECT_EQ(child.output(), "something else\n");
}

TEST(Subprocess, WaitTimesOutWhileTheChildRuns) {
  Subprocess child;
  ASSERT_TRUE(child.Start("/bin/sh", {"-c", "sleep 30"}).ok());
  EXPECT_EQ(child.Wait(absl::Milliseconds(50)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  child.Terminate();
  absl::StatusOr<ExitStatus> status = child.Wait(absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->signaled()) << status->ToString();
  EXPECT_EQ(status->term_signal(), SIGTERM);
}

TEST(Subprocess, StartFailsForAMissingBinary) {
  Subprocess child;
  EXPECT_FALSE(child.Start("/nonexistent/chainhub-nothing", {}).ok());
}

}  // namespace
}  // namespace chainhub::testing
