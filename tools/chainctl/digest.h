// SHA-256 for the request ids chainctl derives from content, so that re-running the same seed or
// import sends the same ids and the registry replays instead of writing twice.
#ifndef CHAINHUB_TOOLS_CHAINCTL_DIGEST_H_
#define CHAINHUB_TOOLS_CHAINCTL_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"

namespace chainhub::chainctl {

// Lower-case hex SHA-256 of `data` (64 characters).
std::string Sha256Hex(absl::string_view data);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_DIGEST_H_
