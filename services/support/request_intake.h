// Accepting a request (受理) inside a transaction that is already open: what CreateRequest does,
// what LogVisit does for each request raised on a visit, and what ImportRequests does per row; and
// the escalation of missed deadlines, which the sweep and every later write of a request run.
#ifndef CHAINHUB_SERVICES_SUPPORT_REQUEST_INTAKE_H_
#define CHAINHUB_SERVICES_SUPPORT_REQUEST_INTAKE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/support/calendar.h"
#include "services/support/deadlines.h"
#include "services/support/enterprises.h"

namespace chainhub::support {

// Checks `request` (violations named under `field`, e.g. "request" or "visit.new_requests[0]"),
// checks that the caller may accept it, fixes its deadlines from the deadline rules and the
// calendar, stores it and appends its request.created event and audit row, in `tx`. Returns the
// request as stored.
absl::StatusOr<v1::Request> AcceptRequest(SqlTx& tx, const AuthorizedCall& call,
                                          const v1::Request& request, const std::string& field,
                                          absl::Time now);

// --- The steps of AcceptRequest, for the callers that need them apart -------------------------

// The calendar and rules deadlines are fixed by, read once for a batch of acceptances.
struct DeadlineSettings {
  WorkCalendar calendar;
  std::vector<DeadlineRule> rules;
};
absl::StatusOr<DeadlineSettings> ReadDeadlineSettings(SqlTx& tx);

// A request checked and authorized, ready to be stored.
struct PreparedRequest {
  // Only the fields a caller gives, normalized: a request common to its chain and given no
  // assignee is routed to the chain's working team.
  v1::Request request;
  EnterpriseFacts enterprise;
};

// Checks `request` as AcceptRequest does: its fields (CheckRequestInput under `field`), that the
// enterprise is in the registry (NOT_FOUND) and on the request's chain, and that `principal` may
// accept requests of it: an admin, the department role (a department takes requests from any
// firm), or the chain office of a chain the enterprise is on (PERMISSION_DENIED otherwise).
// The external id is not looked up here.
absl::StatusOr<PreparedRequest> PrepareRequest(SqlTx& tx, const Principal& principal,
                                               const v1::Request& request,
                                               const std::string& field);

// Stores `prepared` as accepted at `accepted` (its deadlines counted from then), recorded at
// `now`: state ACCEPTED (ASSIGNED when it has an assignee), the first matching rule's deadlines,
// its history; appends request.created and the audit row (`detail`). A request accepted in the
// past (an import) whose deadlines have passed is escalated at once (EscalateMissed).
// `input_digest` is what a re-import is compared by.
absl::StatusOr<v1::Request> StoreAcceptedRequest(SqlTx& tx, const AuthorizedCall& call,
                                                 const PreparedRequest& prepared,
                                                 const DeadlineSettings& settings,
                                                 absl::Time accepted,
                                                 const std::string& input_digest,
                                                 absl::string_view detail, absl::Time now);

// The digest of what a request was accepted with: its caller-given fields and, when the caller
// gave it, the acceptance time.
std::string InputDigest(const v1::Request& given, std::optional<absl::Time> accepted);

// --- Escalation -----------------------------------------------------------------------------

// Who the sweep and the escalations it records are audited as.
inline constexpr char kSweepSubject[] = "systems/support";

// Records every milestone of `request` (as stored, with its name) missed by `now` and not yet
// escalated (MissedMilestones), earliest first: each raises the escalation level by one and
// appends a history event, the events request.overdue and request.escalated
// (RequestDeadlineMissed) and an audit row, all as kSweepSubject. Rewrites the request when
// anything was recorded. Returns how many misses were recorded.
absl::StatusOr<int> EscalateMissed(SqlTx& tx, absl::Time now, v1::Request* request);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_REQUEST_INTAKE_H_
