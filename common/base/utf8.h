// UTF-8 helpers shared by the validators and parsers that quote or count user text, and the
// character classes the text rules refuse.
#ifndef CHAINHUB_COMMON_UTF8_H_
#define CHAINHUB_COMMON_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace chainhub {

// Length of the well-formed UTF-8 sequence starting at `pos` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF), or 0 when none starts there.
size_t Utf8SequenceLength(absl::string_view s, size_t pos);

// The code point of the well-formed sequence of `length` bytes (from Utf8SequenceLength) at `pos`.
char32_t Utf8CodePoint(absl::string_view s, size_t pos, size_t length);

// C0 (U+0000-U+001F, tab and newline included), DEL (U+007F) and C1 (U+0080-U+009F).
bool IsControlCharacter(char32_t c);

// The embeddings, overrides and isolates that reorder the text around them (U+202A-U+202E,
// U+2066-U+2069): a name holding one can display as something it is not.
bool IsBidiControl(char32_t c);

// The first `max_chars` characters of `s`, cut on a character boundary (a byte that starts no
// well-formed sequence counts as one character).
std::string Utf8Prefix(absl::string_view s, size_t max_chars);

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_UTF8_H_
