#include "common/base/digest.h"

#include <algorithm>

#include <openssl/sha.h>

#include "absl/strings/escaping.h"

namespace chainhub {

std::string Sha256Hex(absl::string_view input, size_t bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest),
                                                  std::min<size_t>(bytes, SHA256_DIGEST_LENGTH)));
}

}  // namespace chainhub
