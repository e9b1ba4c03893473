// The life of an enterprise request (企业诉求) as pure rules over the proto: what a request must
// hold when it is accepted, where it may be routed, the moves 受理 → 交办 → 办理 → 办结 → 回访 and
// what each records (the milestone times, one history event per change), and its deadlines: which
// milestone is met, which deadline passed unmet, and the escalation each miss gets once.
#ifndef CHAINHUB_SERVICES_SUPPORT_REQUEST_LIFECYCLE_H_
#define CHAINHUB_SERVICES_SUPPORT_REQUEST_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/base/status_util.h"
#include "services/support/deadlines.h"

namespace chainhub::support {

inline constexpr size_t kMaxRequestTitleChars = 200;
inline constexpr size_t kMaxRequestTextChars = 4000;
inline constexpr int kMaxRequestTags = 10;
inline constexpr size_t kMaxRequestTagChars = 20;
inline constexpr size_t kMaxExternalIdChars = 64;
// A request's history holds at most this many events; a reply beyond it is refused.
inline constexpr int kMaxRequestHistory = 200;

// "ACCEPTED", "HANDLING", …
std::string StateName(v1::RequestState state);

// The rules a request given for acceptance breaks, named under `field` ("request.title"): the
// enterprise (a well-formed name), the chain (chains/{chain}; required when common_to_chain),
// title, description, channel, tags (at most kMaxRequestTags, each 1-kMaxRequestTagChars
// characters of one line, each once), tier, the assignee (CheckAssignee) and the external id (one
// line of at most kMaxExternalIdChars). Output-only fields are not looked at.
void CheckRequestInput(const v1::Request& request, const std::string& field,
                       std::vector<FieldViolation>* violations);

// The rule `assignee` breaks as where a request on `chain_id` ("" when none) may be routed, or
// "": departments/{dept}, or chains/{chain}/team of the request's own chain.
std::string AssigneeRuleBroken(absl::string_view assignee, absl::string_view chain_id);

// The states a request in `from` may move to: ACCEPTED → ASSIGNED; ASSIGNED → ASSIGNED (routed
// elsewhere, 转办) or HANDLING; HANDLING → CLOSED; CLOSED → REVISITED; REVISITED → nothing.
std::vector<v1::RequestState> NextStates(v1::RequestState from);

// The rules a TransitionRequestRequest's own fields break (before the request is looked up):
// state one of ASSIGNED, HANDLING, CLOSED, REVISITED; assignee set exactly for ASSIGNED (and
// well-formed); note one multi-line text of at most kMaxRequestTextChars, required for CLOSED;
// satisfaction 1-5 for REVISITED, else 0.
void CheckTransitionInput(const v1::TransitionRequestRequest& req,
                          std::vector<FieldViolation>* violations);

// Moves `request` as `req` asks (checked by CheckTransitionInput), by `principal` at `now`:
// FAILED_PRECONDITION naming the request's state and the states it may move to when the move is
// not one of NextStates, or an assignee of another chain's team. Records what the move means:
// ASSIGNED sets the assignee; HANDLING the contact time; CLOSED the resolution, the close time
// and, when no interim reply was given, the interim-reply time; REVISITED the satisfaction and
// revisit time. Appends one history event.
absl::Status ApplyTransition(const v1::TransitionRequestRequest& req, absl::string_view principal,
                             absl::Time now, v1::Request* request);

// An interim reply (阶段性答复) while HANDLING (FAILED_PRECONDITION otherwise, or when the history
// is full): the first one sets the interim-reply time; each appends a history event.
absl::Status ApplyReply(absl::string_view note, absl::string_view principal, absl::Time now,
                        v1::Request* request);

// A milestone's deadline and when it was met, in microseconds since the epoch (0: no deadline,
// not met).
int64_t DeadlineMicros(const v1::Request& request, v1::Milestone milestone);
int64_t MetMicros(const v1::Request& request, v1::Milestone milestone);
// Whether the request's history holds the escalation of `milestone`.
bool Escalated(const v1::Request& request, v1::Milestone milestone);

// The milestones whose deadline passed before `now` (deadline < now) while they were not met,
// and that were not escalated yet, earliest deadline first.
std::vector<v1::Milestone> MissedMilestones(const v1::Request& request, absl::Time now);

// The earliest deadline of a milestone neither met nor escalated (microseconds; 0 when none):
// when the request next needs the sweep.
int64_t NextDeadlineMicros(const v1::Request& request);

// Records the miss of `milestone` at `now`: overdue, escalation_level one up, and a history
// event carrying the level and the milestone.
void RecordMiss(v1::Milestone milestone, absl::string_view principal, absl::Time now,
                v1::Request* request);

// Who an escalation goes to: chains/{chain}/office when the request is about a chain, else
// roles/admin.
std::string EscalationTarget(const v1::Request& request);

// The deadlines of `deadlines` on the request (a deadline the rule does not set stays unset).
void SetDeadlines(const Deadlines& deadlines, v1::Request* request);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_REQUEST_LIFECYCLE_H_
