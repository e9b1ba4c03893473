// SHA-256 of bytes, as lowercase hex: request digests, page-token fingerprints, run digests.
#ifndef CHAINHUB_COMMON_BASE_DIGEST_H_
#define CHAINHUB_COMMON_BASE_DIGEST_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace chainhub {

// The first `bytes` bytes (at most 32) of SHA-256(`input`), as 2 × bytes hex characters.
std::string Sha256Hex(absl::string_view input, size_t bytes = 32);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_BASE_DIGEST_H_
