// What the handler files of IntakeService share and nothing else uses: the source of intake's
// events and the cache namespaces a write invalidates.
#ifndef CHAINHUB_SERVICES_INTAKE_INTERNAL_HANDLER_COMMON_H_
#define CHAINHUB_SERVICES_INTAKE_INTERNAL_HANDLER_COMMON_H_

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace chainhub::intake::internal {

// The CloudEvents source of every event intake publishes.
inline constexpr char kSource[] = "intake";

// "project:<id>": one project.
inline std::string ProjectNs(absl::string_view id) { return absl::StrCat("project:", id); }

// "summary:<chain>", or "summary:all" for `chain_id` empty: the summaries touching a chain.
inline std::string SummaryNs(absl::string_view chain_id) {
  return absl::StrCat("summary:", chain_id.empty() ? "all" : chain_id);
}

// "projects": every page of ListProjects. Any write of intake's may change what a page holds
// (a project, its light, its reported flag), so every Mutate invalidates it.
inline constexpr char kProjectListNs[] = "projects";

// A project changed: its own entry and the summaries of its chain and of all chains.
inline void InvalidateProject(std::set<std::string>& invalidate, absl::string_view id,
                              absl::string_view chain_id) {
  invalidate.insert(ProjectNs(id));
  invalidate.insert(SummaryNs(chain_id));
  invalidate.insert(SummaryNs(""));
}

}  // namespace chainhub::intake::internal

#endif  // CHAINHUB_SERVICES_INTAKE_INTERNAL_HANDLER_COMMON_H_
