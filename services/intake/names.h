// Intake's resource names, built on common/base/names.h: projects/{id}, their stage changes and
// progress reports, and work items (issues/{id}, tasks/{id}). Ids are the ones intake assigns
// (UUIDv7 text) or ones migrated from older systems; chains and nodes are the registry's names.
#ifndef CHAINHUB_SERVICES_INTAKE_NAMES_H_
#define CHAINHUB_SERVICES_INTAKE_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "common/base/names.h"

namespace chainhub::intake {

// 1-64 of [a-z0-9-]: a project's or work item's id.
bool IsValidItemId(absl::string_view id);

// projects/{id}. Parse refuses with "must be a project name projects/{id}, got '…'".
struct ProjectName {
  static constexpr absl::string_view kPattern = "projects/{id}";
  std::string id;

  static absl::StatusOr<ProjectName> Parse(absl::string_view field, absl::string_view name);
  std::string String() const { return FormatName(kPattern, {id}); }
};

// projects/{id}/stageChanges/{seq}: output only, never parsed.
struct StageChangeName {
  static constexpr absl::string_view kPattern = "projects/{id}/stageChanges/{seq}";
  std::string project_id;
  int64_t seq = 0;

  std::string String() const;
};

// projects/{id}/progressReports/{month}: output only, never parsed.
struct ProgressReportName {
  static constexpr absl::string_view kPattern = "projects/{id}/progressReports/{month}";
  std::string project_id;
  std::string month;  // YYYY-MM

  std::string String() const { return FormatName(kPattern, {project_id, month}); }
};

// issues/{id} or tasks/{id}, the collection telling the kind. Parse refuses with
// "must be issues/{id} or tasks/{id}, got '…'".
struct WorkItemName {
  static constexpr absl::string_view kIssuePattern = "issues/{id}";
  static constexpr absl::string_view kTaskPattern = "tasks/{id}";
  v1::WorkItemKind kind = v1::WORK_ITEM_KIND_UNSPECIFIED;
  std::string id;

  static absl::StatusOr<WorkItemName> Parse(absl::string_view field, absl::string_view name);
  // "" for a kind that is neither issue nor task.
  std::string String() const;
};

// The node a project names, or none when `name` is empty (a project on the chain as a whole).
absl::StatusOr<std::optional<NodeName>> ParseOptionalNode(absl::string_view field,
                                                          absl::string_view name);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_NAMES_H_
