// UTF-8 helpers shared by the validators and parsers that quote or count user text.
#ifndef CHAINHUB_COMMON_UTF8_H_
#define CHAINHUB_COMMON_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace chainhub {

// Length of the well-formed UTF-8 sequence starting at `pos` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when none starts there.
size_t Utf8SequenceLength(absl::string_view s, size_t pos);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_UTF8_H_
