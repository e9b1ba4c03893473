// Test helper: where the build put the binaries that tests run as child processes (with
// chainhub::Subprocess from common/subprocess.h).
#ifndef CHAINHUB_TESTS_SUPPORT_PROCESS_H_
#define CHAINHUB_TESTS_SUPPORT_PROCESS_H_

#include <string>

namespace chainhub::testing {

// CHAINHUB_BINARY_DIR "/" relative: where the build put a binary, e.g.
// BinaryPath("services/registry/chainhub-registry").
std::string BinaryPath(const std::string& relative);

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_PROCESS_H_
