#include "common/base/credit_code.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "common/base/utf8.h"

namespace chainhub {
namespace {

// GB 32100-2015 table 1: the 31 characters, in value order 0-30 (no I, O, S, V, Z, which read
// like digits or each other).
constexpr absl::string_view kCharset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr size_t kLength = 18;

// Weight of position i (0-based) is 3^i mod 31.
constexpr std::array<int, 17> kWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                          29, 25, 13, 8,  24, 10, 30, 28};

int ValueOf(char c) {
  size_t index = kCharset.find(c);
  return index == absl::string_view::npos ? -1 : static_cast<int>(index);
}

// Length of the character at `pos`: a well-formed UTF-8 sequence, or 1 for a byte that starts
// none, so that a stray byte is reported as itself instead of being miscounted.
size_t CharLength(absl::string_view s, size_t pos) {
  const size_t n = Utf8SequenceLength(s, pos);
  return n == 0 ? 1 : n;
}

}  // namespace

std::optional<char> CreditCodeCheckChar(absl::string_view first17) {
  if (first17.size() != kWeights.size()) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < first17.size(); ++i) {
    int value = ValueOf(first17[i]);
    if (value < 0) return std::nullopt;
    sum += value * kWeights[i];
  }
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kCharset[check];
}

absl::Status ValidateCreditCode(absl::string_view code, absl::string_view field) {
  // Length in characters, so a code typed with a full-width character (Ｆ, 3 bytes) is reported
  // by that character rather than by a confusing byte count.
  size_t chars = 0;
  for (size_t i = 0; i < code.size(); i += CharLength(code, i)) ++chars;
  if (chars != kLength) {
    return InvalidField(field, absl::StrCat("must be 18 characters, got ", chars));
  }
  // Positions in messages are 1-based, as the standard numbers them.
  size_t position = 0;
  for (size_t i = 0, length = 0; i < code.size(); i += length) {
    length = CharLength(code, i);
    ++position;
    char c = code[i];
    if (length == 1 && ValueOf(c) >= 0) continue;
    std::string shown = ShownValue(code.substr(i, length));
    if (c >= 'a' && c <= 'z') {
      return InvalidField(field, absl::StrCat("character '", shown, "' at position ", position,
                                              " must be upper case"));
    }
    if (c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z') {
      return InvalidField(field, absl::StrCat("character '", shown, "' at position ", position,
                                              " is not allowed (I, O, S, V, Z are never used)"));
    }
    return InvalidField(
        field, absl::StrCat("character '", shown, "' at position ", position,
                            " is not allowed (only digits and upper-case letters other than "
                            "I, O, S, V, Z)"));
  }
  // Every character is in the charset, hence ASCII: from here bytes are characters.
  // Positions 1 and 2 (authority, entity type) are not checked against a list: the set of
  // registration authorities has grown since 2015 and a stale list would reject real codes.
  for (size_t i = 2; i < 8; ++i) {
    if (code[i] < '0' || code[i] > '9') {
      return InvalidField(field, "positions 3-8 must be a 6-digit administrative division code");
    }
  }
  // Only the 18th character is checked. Positions 9-17 carry a GB 11714 organisation code
  // whose own check digit individual businesses' codes need not satisfy.
  std::optional<char> expected = CreditCodeCheckChar(code.substr(0, 17));
  if (!expected.has_value()) return absl::InternalError("credit code charset check failed");
  if (*expected != code[17]) {
    return InvalidField(
        field, absl::StrCat("check character should be '", std::string(1, *expected), "', got '",
                            std::string(1, code[17]), "'"));
  }
  return absl::OkStatus();
}

}  // namespace chainhub
