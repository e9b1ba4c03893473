#include "tests/support/subprocess.h"

#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include "absl/time/time.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
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
  EXPECT_EQ(status->ToString(), "exit 3");
}

TEST(Subprocess, FindsABinaryOnThePath) {
  Subprocess child;
  ASSERT_TRUE(child.Start("sh", {"-c", "echo found"}).ok());
  absl::StatusOr<std::string> line = child.WaitForLine("found", absl::Seconds(10));
  EXPECT_TRUE(line.ok()) << line.status();
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
  EXPECT_FALSE(child.Exited().has_value());
  child.Terminate();
  absl::StatusOr<ExitStatus> status = child.Wait(absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->signaled()) << status->ToString();
  EXPECT_EQ(status->term_signal(), SIGTERM);
  std::optional<ExitStatus> exited = child.Exited();
  ASSERT_TRUE(exited.has_value());
  EXPECT_EQ(exited->term_signal(), SIGTERM);
}

TEST(Subprocess, StopEndsAChildThatHonoursSigterm) {
  Subprocess child;
  ASSERT_TRUE(child.Start("/bin/sh", {"-c", "sleep 30"}).ok());
  absl::StatusOr<ExitStatus> status = child.Stop(absl::Seconds(30));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->term_signal(), SIGTERM) << status->ToString();
  EXPECT_FALSE(status->forced);
  EXPECT_FALSE(child.running());
}

TEST(Subprocess, StopKillsAChildThatIgnoresSigterm) {
  Subprocess child;
  ASSERT_TRUE(child.Start("/bin/sh", {"-c", "trap '' TERM; echo ready; sleep 30"}).ok());
  ASSERT_TRUE(child.WaitForLine("ready", absl::Seconds(10)).ok());
  absl::StatusOr<ExitStatus> status = child.Stop(absl::Milliseconds(100));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(status->forced);
  EXPECT_EQ(status->term_signal(), SIGKILL) << status->ToString();
}

TEST(Subprocess, ParentDeathSignalFiresWhenTheStartingThreadExits) {
  Subprocess child(Subprocess::Options{.parent_death_signal = SIGKILL});
  absl::Status started;
  std::thread starter([&] { started = child.Start("/bin/sh", {"-c", "sleep 30"}); });
  starter.join();
  ASSERT_TRUE(started.ok()) << started;
  absl::StatusOr<ExitStatus> status = child.Wait(absl::Seconds(10));
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->term_signal(), SIGKILL) << status->ToString();
}

TEST(Subprocess, StartFailsForAMissingBinary) {
  Subprocess child;
  EXPECT_EQ(child.Start("/nonexistent/chainhub-nothing", {}).code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(child.running());
}

TEST(Subprocess, StartFailsForAFileThatIsNotAProgram) {
  testing::TempDir dir;
  const std::string not_a_program = dir.File("not-a-program");
  std::ofstream(not_a_program) << "neither ELF nor #!\n";
  ASSERT_EQ(chmod(not_a_program.c_str(), 0755), 0);
  // Executable permission but no program inside: execve itself fails, and Start says so.
  Subprocess child;
  EXPECT_EQ(child.Start(not_a_program, {}).code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(child.running());
}

}  // namespace
}  // namespace chainhub
