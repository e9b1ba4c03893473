#include "tests/support/process.h"

namespace chainhub::testing {

std::string BinaryPath(const std::string& relative) {
  return std::string(CHAINHUB_BINARY_DIR) + "/" + relative;
}

}  // namespace chainhub::testing
