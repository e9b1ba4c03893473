#include "services/registry/names.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/status_util.h"

namespace chainhub::registry {
namespace {

bool IsValidVersion(absl::string_view version) {
  if (version.empty() || version.size() > 20) return false;
  for (char c : version) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<EnterpriseName> EnterpriseName::Parse(absl::string_view field,
                                                     absl::string_view name) {
  // The code is checked by its own rule (length, charset, division, check character), so a bad
  // code is told apart from a name of another form.
  absl::string_view code = name;
  if (!absl::ConsumePrefix(&code, "enterprises/")) {
    return InvalidField(field, absl::StrCat("must be ", kPattern, ", got ", Quoted(name)));
  }
  if (absl::Status s = ValidateCreditCode(code, field); !s.ok()) return s;
  return EnterpriseName{std::string(code)};
}

absl::StatusOr<ProvinceListName> ProvinceListName::Parse(absl::string_view field,
                                                         absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "province list", IsValidVersion);
  if (!ids.ok()) {
    return InvalidField(
        field, absl::StrCat("must be ", kPattern, " (1-20 of A-Z a-z 0-9 -), got ", Quoted(name)));
  }
  return ProvinceListName{std::move((*ids)[0])};
}

absl::StatusOr<CategorySubject> ParseCategorySubject(absl::string_view field,
                                                     absl::string_view subject) {
  if (absl::StartsWith(subject, "enterprises/")) {
    auto name = EnterpriseName::Parse(field, subject);
    if (!name.ok()) return name.status();
    return CategorySubject(std::move(*name));
  }
  if (absl::StrContains(subject, "/nodes/")) {
    auto name = NodeName::Parse(field, subject);
    if (!name.ok()) return name.status();
    return CategorySubject(std::move(*name));
  }
  if (absl::StartsWith(subject, "chains/")) {
    auto name = ChainName::Parse(field, subject);
    if (!name.ok()) return name.status();
    return CategorySubject(std::move(*name));
  }
  return InvalidField(field, absl::StrCat("must be ", ChainName::kPattern, ", ", NodeName::kPattern,
                                          " or ", EnterpriseName::kPattern));
}

}  // namespace chainhub::registry
