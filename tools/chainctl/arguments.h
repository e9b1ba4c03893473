// What operators type, turned into what requests carry: stage and status names in English or
// Chinese, a project's external id, the subject of a province lookup, the principal of a token.
// Pure functions, tested without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ARGUMENTS_H_
#define CHAINHUB_TOOLS_CHAINCTL_ARGUMENTS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "common/rpc/auth.h"

namespace chainhub::chainctl {

// A stage by English name (any case, STAGE_ prefix optional) or Chinese label (签约, 停滞).
std::optional<intake::v1::Stage> ParseStage(absl::string_view text);

// A work item status by English name (any case, WORK_ITEM_STATUS_ prefix optional) or Chinese
// label (协调中).
std::optional<intake::v1::WorkItemStatus> ParseWorkItemStatus(absl::string_view text);

// issue or 问题, task or 任务 (English in any case).
std::optional<intake::v1::WorkItemKind> ParseWorkItemKind(absl::string_view text);

// An external id as department systems give them (1-64 of A-Z a-z 0-9 . _ -); anything else
// cannot be one, and must not be pasted into a filter.
bool IsExternalId(absl::string_view id);

// The subject of `province resolve`: a name as it is; a bare argument is an enterprise when it
// checks out as a credit code, otherwise a chain ("pv" → "chains/pv").
std::string ProvinceSubject(absl::string_view arg);

// The principal `token mint` signs: `subject`, the comma-separated `roles` (each a known role, at
// least one) and `chains` (ids or chain names). INVALID_ARGUMENT saying what is wrong.
absl::StatusOr<Principal> TokenPrincipal(absl::string_view subject, absl::string_view roles,
                                         absl::string_view chains);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ARGUMENTS_H_
