#include "common/base/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/base/digest.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

// Token layout before base64: a version byte, then length-prefixed fields (LEB128 varint length,
// then the bytes): the fingerprint, the number of keys (a varint), each key. Length prefixes keep
// any byte in a key unambiguous; the version byte lets the layout change without misreading old
// tokens.
constexpr char kVersion = 1;
// Far beyond any real token (a few sort keys), small enough that decoding garbage stays cheap.
constexpr size_t kMaxTokenChars = 16 * 1024;
constexpr size_t kMaxKeys = 16;

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void PutString(std::string& out, absl::string_view s) {
  PutVarint(out, s.size());
  out.append(s.data(), s.size());
}

// Reads from the front of `in`, advancing it; false on truncated or oversized input.
bool GetVarint(absl::string_view& in, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (in.empty()) return false;
    uint8_t byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool GetString(absl::string_view& in, std::string& out) {
  uint64_t size = 0;
  if (!GetVarint(in, size) || size > in.size()) return false;
  out.assign(in.data(), size);
  in.remove_prefix(size);
  return true;
}

absl::Status Malformed() { return InvalidField("page_token", "is malformed"); }

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0) return InvalidField("page_size", "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string QueryFingerprint(absl::string_view method, absl::string_view filter,
                             absl::string_view order_by) {
  std::string input;
  input.reserve(method.size() + filter.size() + order_by.size() + 2);
  input.append(method.data(), method.size());
  input.push_back('\0');
  input.append(filter.data(), filter.size());
  input.push_back('\0');
  input.append(order_by.data(), order_by.size());
  // 8 bytes = 16 hex characters: enough to tell queries apart, short enough for a token.
  return Sha256Hex(input, 8);
}

std::string EncodePageToken(const PageToken& token) {
  std::string raw;
  raw.push_back(kVersion);
  PutString(raw, token.query_fingerprint);
  PutVarint(raw, token.last_key.size());
  for (const std::string& key : token.last_key) PutString(raw, key);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<PageToken> DecodePageToken(absl::string_view text,
                                          absl::string_view expected_fingerprint) {
  PageToken token;
  if (text.empty()) return token;
  if (text.size() > kMaxTokenChars) return Malformed();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(text, &raw)) return Malformed();
  absl::string_view in(raw);
  if (in.empty() || in.front() != kVersion) return Malformed();
  in.remove_prefix(1);
  uint64_t keys = 0;
  if (!GetString(in, token.query_fingerprint) || !GetVarint(in, keys) || keys > kMaxKeys) {
    return Malformed();
  }
  token.last_key.resize(keys);
  for (std::string& key : token.last_key) {
    if (!GetString(in, key)) return Malformed();
  }
  if (!in.empty()) return Malformed();
  if (token.query_fingerprint != expected_fingerprint) {
    return InvalidField("page_token", "was issued for a different filter or order_by");
  }
  return token;
}

}  // namespace chainhub
