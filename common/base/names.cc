#include "common/base/names.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_util.h"

namespace chainhub {

bool IsValidId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 40) return false;
  if (!(id[0] >= 'a' && id[0] <= 'z')) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::StatusOr<std::vector<std::string>> MatchName(absl::string_view field, absl::string_view name,
                                                   absl::string_view pattern, absl::string_view noun,
                                                   bool (*valid_id)(absl::string_view)) {
  std::vector<absl::string_view> want = absl::StrSplit(pattern, '/');
  std::vector<absl::string_view> got = absl::StrSplit(name, '/');
  std::vector<std::string> ids;
  bool ok = want.size() == got.size();
  for (size_t i = 0; ok && i < want.size(); ++i) {
    if (absl::StartsWith(want[i], "{")) {
      ok = valid_id(got[i]);
      ids.emplace_back(got[i]);
    } else {
      ok = want[i] == got[i];
    }
  }
  if (ok) return ids;
  return InvalidField(field, absl::StrCat("must be a ", noun, " name ", pattern, ", got ",
                                          Quoted(name)));
}

std::string FormatName(absl::string_view pattern, std::initializer_list<absl::string_view> ids) {
  std::string out;
  out.reserve(pattern.size() + 16);
  auto id = ids.begin();
  for (absl::string_view segment : absl::StrSplit(pattern, '/')) {
    if (!out.empty()) out += '/';
    if (absl::StartsWith(segment, "{") && id != ids.end()) {
      absl::StrAppend(&out, *id++);
    } else {
      absl::StrAppend(&out, segment);
    }
  }
  return out;
}

absl::StatusOr<ChainName> ChainName::Parse(absl::string_view field, absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "chain");
  if (!ids.ok()) return ids.status();
  return ChainName{std::move((*ids)[0])};
}

absl::StatusOr<ChainName> ChainName::ParseOrId(absl::string_view field, absl::string_view value) {
  if (IsValidId(value)) return ChainName{std::string(value)};
  return Parse(field, value);
}

absl::StatusOr<NodeName> NodeName::Parse(absl::string_view field, absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "node");
  if (!ids.ok()) return ids.status();
  return NodeName{std::move((*ids)[0]), std::move((*ids)[1])};
}

absl::StatusOr<DepartmentName> DepartmentName::Parse(absl::string_view field,
                                                     absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "department");
  if (!ids.ok()) return ids.status();
  return DepartmentName{std::move((*ids)[0])};
}

}  // namespace chainhub
