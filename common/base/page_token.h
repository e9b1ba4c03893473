// Paging for List methods: page sizes (default 50, at most 1000) and opaque keyset page tokens.
// A token holds the sort key of the last row returned and a fingerprint of the query it belongs to,
// so a token reused with another filter or order is refused instead of silently skipping rows.
#ifndef CHAINHUB_COMMON_PAGE_TOKEN_H_
#define CHAINHUB_COMMON_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chainhub {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

// 0 → default; negative → INVALID_ARGUMENT "page_size: must not be negative"; above the maximum
// it is clamped to the maximum (AIP-158).
absl::StatusOr<int> EffectivePageSize(int requested);

struct PageToken {
  // Values of the sort columns of the last row, in order (strings; integers in decimal).
  std::vector<std::string> last_key;
  // Fingerprint of (method, filter, order_by).
  std::string query_fingerprint;
};

// Fingerprint of a query, for PageToken.query_fingerprint.
std::string QueryFingerprint(absl::string_view method, absl::string_view filter,
                             absl::string_view order_by);

std::string EncodePageToken(const PageToken& token);
// Empty text → empty token. A malformed token or one from another query is INVALID_ARGUMENT
// naming "page_token".
absl::StatusOr<PageToken> DecodePageToken(absl::string_view text,
                                          absl::string_view expected_fingerprint);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_PAGE_TOKEN_H_
