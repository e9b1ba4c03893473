#include "tools/chainctl/arguments.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/names.h"
#include "services/intake/stages.h"
#include "tools/chainctl/render.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {

namespace iv1 = intake::v1;

namespace {

// The value of `Enum` in [first, last] whose name (`name`, without `prefix`; any case, the prefix
// optional in `text` too) or Chinese `label` is `text`.
template <typename Enum, typename Name, typename Label>
std::optional<Enum> ParseEnum(absl::string_view text, absl::string_view prefix, Enum first,
                              Enum last, Name name, Label label) {
  const std::string upper = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  absl::string_view bare = upper;
  absl::ConsumePrefix(&bare, prefix);
  for (int i = first; i <= last; ++i) {
    const auto value = static_cast<Enum>(i);
    const std::string full = name(value);
    absl::string_view short_name = full;
    absl::ConsumePrefix(&short_name, prefix);
    if (bare == short_name || text == label(value)) return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<iv1::Stage> ParseStage(absl::string_view text) {
  return ParseEnum(text, "STAGE_", iv1::STAGE_NEGOTIATING, iv1::STAGE_CANCELLED, intake::StageName,
                   intake::StageLabel);
}

std::optional<iv1::WorkItemStatus> ParseWorkItemStatus(absl::string_view text) {
  return ParseEnum(
      text, "WORK_ITEM_STATUS_", iv1::WORK_ITEM_STATUS_OPEN, iv1::WORK_ITEM_STATUS_ESCALATED,
      [](iv1::WorkItemStatus s) { return iv1::WorkItemStatus_Name(s); }, WorkItemStatusName);
}

std::optional<iv1::WorkItemKind> ParseWorkItemKind(absl::string_view text) {
  const std::string kind = absl::AsciiStrToLower(text);
  if (kind == "issue" || kind == "问题") return iv1::WORK_ITEM_KIND_ISSUE;
  if (kind == "task" || kind == "任务") return iv1::WORK_ITEM_KIND_TASK;
  return std::nullopt;
}

bool IsExternalId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::string ProvinceSubject(absl::string_view arg) {
  if (arg.find('/') != absl::string_view::npos) return std::string(arg);
  if (ValidateCreditCode(arg).ok()) return tools::EnterpriseName{std::string(arg)}.String();
  return ChainName{std::string(arg)}.String();
}

absl::StatusOr<Principal> TokenPrincipal(absl::string_view subject, absl::string_view roles,
                                         absl::string_view chains) {
  Principal p;
  p.subject = std::string(subject);
  for (absl::string_view role : absl::StrSplit(roles, ',', absl::SkipWhitespace())) {
    role = absl::StripAsciiWhitespace(role);
    if (!IsKnownRole(role)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown role \"", role, "\""));
    }
    p.roles.emplace(role);
  }
  if (p.roles.empty()) return absl::InvalidArgumentError("token mint needs --roles (e.g. admin)");
  for (absl::string_view chain : absl::StrSplit(chains, ',', absl::SkipWhitespace())) {
    p.chains.emplace(tools::IdOf(ChainName::kPattern, absl::StripAsciiWhitespace(chain)));
  }
  return p;
}

}  // namespace chainhub::chainctl
