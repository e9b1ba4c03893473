#include "services/intake/names.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"

namespace chainhub::intake {

bool IsValidItemId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

absl::StatusOr<ProjectName> ProjectName::Parse(absl::string_view field, absl::string_view name) {
  auto ids = MatchName(field, name, kPattern, "project", IsValidItemId);
  if (!ids.ok()) return ids.status();
  return ProjectName{std::move((*ids)[0])};
}

std::string StageChangeName::String() const {
  return FormatName(kPattern, {project_id, absl::StrCat(seq)});
}

absl::StatusOr<WorkItemName> WorkItemName::Parse(absl::string_view field, absl::string_view name) {
  for (const auto& [kind, pattern] : {std::pair{v1::WORK_ITEM_KIND_ISSUE, kIssuePattern},
                                      std::pair{v1::WORK_ITEM_KIND_TASK, kTaskPattern}}) {
    auto ids = MatchName(field, name, pattern, "work item", IsValidItemId);
    if (ids.ok()) return WorkItemName{kind, std::move((*ids)[0])};
  }
  return InvalidField(field, absl::StrCat("must be issues/{id} or tasks/{id}, got ", Quoted(name)));
}

std::string WorkItemName::String() const {
  switch (kind) {
    case v1::WORK_ITEM_KIND_ISSUE:
      return FormatName(kIssuePattern, {id});
    case v1::WORK_ITEM_KIND_TASK:
      return FormatName(kTaskPattern, {id});
    default:
      return "";
  }
}

absl::StatusOr<std::optional<NodeName>> ParseOptionalNode(absl::string_view field,
                                                          absl::string_view name) {
  if (name.empty()) return std::optional<NodeName>();
  auto node = NodeName::Parse(field, name);
  if (!node.ok()) return node.status();
  return std::optional<NodeName>(std::move(*node));
}

}  // namespace chainhub::intake
