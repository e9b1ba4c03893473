// Test helpers: a temporary directory removed at the end of the test, and free loopback ports.
#ifndef CHAINHUB_TESTS_SUPPORT_TEMP_DIR_H_
#define CHAINHUB_TESTS_SUPPORT_TEMP_DIR_H_

#include <functional>
#include <string>

#include "absl/status/status.h"

namespace chainhub::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path()/name
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
int FreePort();

// Calls `launch` with a FreePort() until it succeeds, at most `attempts` times: another process
// may take a port that was free a moment ago before the server binds it. Returns the last status.
absl::Status LaunchOnFreePort(const std::function<absl::Status(int port)>& launch,
                              int attempts = 3);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_TEMP_DIR_H_
