#include "services/assessment/names.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/status_util.h"
#include "common/base/fields.h"

namespace chainhub::assessment {
namespace {

bool Lower(char c) { return c >= 'a' && c <= 'z'; }
bool Digit(char c) { return c >= '0' && c <= '9'; }

bool IsVersion(absl::string_view text) {
  int n = 0;
  return !text.empty() && text.size() <= 9 && text[0] != '0' && absl::SimpleAtoi(text, &n) &&
         n > 0;
}

bool IsCounty(absl::string_view county) {
  if (county.empty() || county.find('/') != absl::string_view::npos) return false;
  return CodePoints(county) <= 32 && TextRuleBroken(county, TextKind::kOneLine).empty();
}

}  // namespace

bool IsValidIndicatorKey(absl::string_view key) {
  if (key.size() < 2 || key.size() > 40 || !Lower(key[0])) return false;
  for (char c : key) {
    if (!Lower(c) && !Digit(c) && c != '_') return false;
  }
  return true;
}

bool IsValidItemKey(absl::string_view key) {
  if (key.empty() || key.size() > 40) return false;
  for (char c : key) {
    if (!Lower(c) && !Digit(c) && c != '_') return false;
  }
  return true;
}

bool IsValidRunId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!Lower(c) && !Digit(c) && c != '-') return false;
  }
  return true;
}

absl::StatusOr<IndicatorName> IndicatorName::Parse(absl::string_view field,
                                                   absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "indicator", IsValidIndicatorKey);
  if (!ids.ok()) return ids.status();
  return IndicatorName{std::move((*ids)[0])};
}

absl::StatusOr<SchemeName> SchemeName::Parse(absl::string_view field, absl::string_view name) {
  if (auto ids = MatchName(field, name, kPattern, "scheme"); ids.ok()) {
    return SchemeName{std::move((*ids)[0]), 0};
  }
  auto ids = MatchName(field, name, kVersionPattern, "scheme version",
                       [](absl::string_view part) { return IsValidId(part) || IsVersion(part); });
  if (!ids.ok() || !IsValidId((*ids)[0]) || !IsVersion((*ids)[1])) {
    return InvalidField(field, absl::StrCat("must be a scheme name schemes/{id} or "
                                            "schemes/{id}/versions/{n}, got ",
                                            Quoted(name)));
  }
  SchemeName result{std::move((*ids)[0]), 0};
  (void)absl::SimpleAtoi((*ids)[1], &result.version);
  return result;
}

absl::StatusOr<SchemeName> SchemeName::ParseLatest(absl::string_view field,
                                                   absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "scheme");
  if (!ids.ok()) return ids.status();
  return SchemeName{std::move((*ids)[0]), 0};
}

std::string SchemeName::VersionString() const {
  return FormatName(kVersionPattern, {id, absl::StrCat(version)});
}

absl::StatusOr<RunName> RunName::Parse(absl::string_view field, absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "run", IsValidRunId);
  if (!ids.ok()) return ids.status();
  return RunName{std::move((*ids)[0])};
}

absl::StatusOr<ScheduleName> ScheduleName::Parse(absl::string_view field,
                                                 absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "schedule");
  if (!ids.ok()) return ids.status();
  return ScheduleName{std::move((*ids)[0])};
}

absl::StatusOr<SubjectName> SubjectName::Parse(absl::string_view field, absl::string_view name) {
  if (auto chain = ChainName::Parse(field, name); chain.ok()) {
    return SubjectName{Kind::kChain, std::move(chain->chain)};
  }
  if (absl::ConsumePrefix(&name, "counties/") && IsCounty(name)) {
    return SubjectName{Kind::kCounty, std::string(name)};
  }
  return InvalidField(field, absl::StrCat("must be a subject chains/{chain} or counties/{county}, "
                                          "got ",
                                          Quoted(name)));
}

std::string SubjectName::String() const {
  return FormatName(kind == Kind::kChain ? kChainPattern : kCountyPattern, {id});
}

}  // namespace chainhub::assessment
