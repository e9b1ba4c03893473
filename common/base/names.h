// Resource names, parsed and formatted in one place. A name is a pattern of literal collection
// segments and ids, "chains/{chain}/nodes/{node}"; each resource type is a small struct holding
// its ids, with Parse (text → ids, or INVALID_ARGUMENT naming the field and the pattern) and
// String (ids → text). The names every service shares live here; a service defines its own
// (projects/{id}, enterprises/{credit_code}) next to its domain with the same two helpers.
#ifndef CHAINHUB_COMMON_BASE_NAMES_H_
#define CHAINHUB_COMMON_BASE_NAMES_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace chainhub {

// 2-40 characters of [a-z0-9-], starting with a letter: chain, node and department ids.
bool IsValidId(absl::string_view id);

// The ids of `name` matched against `pattern` ("chains/{chain}/nodes/{node}"), each accepted by
// `valid_id`; otherwise INVALID_ARGUMENT on `field`: "must be a <noun> name <pattern>, got "…"".
absl::StatusOr<std::vector<std::string>> MatchName(absl::string_view field, absl::string_view name,
                                                   absl::string_view pattern, absl::string_view noun,
                                                   bool (*valid_id)(absl::string_view) = IsValidId);

// `pattern` with its {…} placeholders replaced by `ids`, in order.
std::string FormatName(absl::string_view pattern, std::initializer_list<absl::string_view> ids);

// chains/{chain}
struct ChainName {
  static constexpr absl::string_view kPattern = "chains/{chain}";
  std::string chain;

  static absl::StatusOr<ChainName> Parse(absl::string_view field, absl::string_view name);
  // Also accepts the bare id ("pv"), as filters and CSV cells write it.
  static absl::StatusOr<ChainName> ParseOrId(absl::string_view field, absl::string_view value);
  std::string String() const { return FormatName(kPattern, {chain}); }
  friend bool operator==(const ChainName& a, const ChainName& b) { return a.chain == b.chain; }
};

// chains/{chain}/nodes/{node}
struct NodeName {
  static constexpr absl::string_view kPattern = "chains/{chain}/nodes/{node}";
  std::string chain;
  std::string node;

  static absl::StatusOr<NodeName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {chain, node}); }
  ChainName Chain() const { return ChainName{chain}; }
  friend bool operator==(const NodeName& a, const NodeName& b) {
    return a.chain == b.chain && a.node == b.node;
  }
};

// departments/{dept}
struct DepartmentName {
  static constexpr absl::string_view kPattern = "departments/{dept}";
  std::string department;

  static absl::StatusOr<DepartmentName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {department}); }
};

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_BASE_NAMES_H_
