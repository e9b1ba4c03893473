// What assessment's handler files share: who may do what, and the event source.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_INTERNAL_HANDLER_SUPPORT_H_
#define CHAINHUB_SERVICES_ASSESSMENT_INTERNAL_HANDLER_SUPPORT_H_

#include <string>

#include "absl/status/status.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "common/rpc/auth.h"
#include "common/rpc/call_context.h"

namespace chainhub::assessment::internal {

// The CloudEvents source of assessment's events.
inline constexpr char kSource[] = "assessment";

// Admin or assessor: schemes, indicators, targets, ratings, runs and schedules.
absl::Status RequireAssessor(const AuthorizedCall& call);

// Published final runs are for every role; provisional ones for admin, assessor and chain
// offices. PERMISSION_DENIED (for a run the caller may not see) names the run.
bool MayReadRun(const Principal& principal, const v1::Run& run);
absl::Status RequireRunReader(const AuthorizedCall& call, const v1::Run& run);

// Explanations: admin and assessor for every subject; a chain office for its own chains.
absl::Status RequireExplainReader(const AuthorizedCall& call, const std::string& subject);

}  // namespace chainhub::assessment::internal

#endif  // CHAINHUB_SERVICES_ASSESSMENT_INTERNAL_HANDLER_SUPPORT_H_
