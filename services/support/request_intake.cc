#include "services/support/request_intake.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/rpc/system_principal.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "services/support/names.h"
#include "services/support/request_lifecycle.h"
#include "services/support/request_rules.h"
#include "services/support/request_settings.h"
#include "services/support/request_store.h"
#include "services/support/support_service.h"

namespace chainhub::support {

namespace {

const Principal& SweepPrincipal() {
  static const Principal* principal = new Principal(SystemPrincipal(kSweepSubject));
  return *principal;
}

std::string ChainIdOf(const v1::Request& r) {
  return std::string(absl::StripPrefix(r.chain(), "chains/"));
}

// Only what a caller gives when a request is accepted.
v1::Request GivenFields(const v1::Request& r) {
  v1::Request given;
  given.set_enterprise(r.enterprise());
  given.set_chain(r.chain());
  given.set_title(r.title());
  given.set_description(r.description());
  given.set_channel(r.channel());
  *given.mutable_tags() = r.tags();
  given.set_tier(r.tier());
  given.set_urgent(r.urgent());
  given.set_common_to_chain(r.common_to_chain());
  given.set_assignee(r.assignee());
  given.set_external_id(r.external_id());
  return given;
}

void AddEvent(v1::RequestState state, const std::string& note, const std::string& principal,
              absl::Time now, v1::Request* r) {
  v1::RequestEvent* e = r->add_history();
  e->set_state(state);
  e->set_note(note);
  e->set_principal(principal);
  SetTimestamp(e->mutable_time(), Micros(now));
}

}  // namespace

absl::StatusOr<DeadlineSettings> ReadDeadlineSettings(SqlTx& tx) {
  DeadlineSettings s;
  CHAINHUB_ASSIGN_OR_RETURN(CalendarSetting calendar, ReadCalendar(tx));
  CHAINHUB_ASSIGN_OR_RETURN(RulesSetting rules, ReadDeadlineRules(tx));
  s.calendar = std::move(calendar.calendar);
  s.rules = std::move(rules.rules);
  return s;
}

absl::StatusOr<PreparedRequest> PrepareRequest(SqlTx& tx, const Principal& principal,
                                               const v1::Request& request,
                                               const std::string& field) {
  std::vector<FieldViolation> violations;
  CheckRequestInput(request, field, &violations);
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  const std::string at = field.empty() ? "" : field + ".";
  PreparedRequest p;
  CHAINHUB_ASSIGN_OR_RETURN(p.enterprise,
                            EnterpriseCopy(tx).Get(at + "enterprise", request.enterprise()));
  p.request = GivenFields(request);
  const std::string chain_id = ChainIdOf(request);
  if (!chain_id.empty() && !p.enterprise.OnChain(chain_id)) {
    return InvalidField(
        at + "chain",
        absl::StrCat(
            p.enterprise.Name(), " is not on ", request.chain(), " (its chains: ",
            p.enterprise.chains.empty() ? "none" : absl::StrJoin(p.enterprise.chains, ", "), ")"));
  }
  bool may = principal.IsAdmin() || principal.HasRole(roles::kDepartment);
  if (!may && principal.HasRole(roles::kChainOffice)) {
    for (const std::string& chain : p.enterprise.chains) {
      if (principal.chains.contains(chain)) may = true;
    }
  }
  if (!may) {
    return absl::PermissionDeniedError(absl::StrCat(
        "accepting a request of ", p.enterprise.Name(),
        " needs the admin or department role, or the chain office of a chain it is on"));
  }
  if (p.request.common_to_chain() && p.request.assignee().empty()) {
    p.request.set_assignee(ChainTeamName{chain_id}.String());
  }
  return p;
}

std::string InputDigest(const v1::Request& given, std::optional<absl::Time> accepted) {
  v1::Request r = GivenFields(given);
  if (accepted) SetTimestamp(r.mutable_accept_time(), Micros(*accepted));
  return RequestDigest(r);
}

absl::StatusOr<v1::Request> StoreAcceptedRequest(SqlTx& tx, const AuthorizedCall& call,
                                                 const PreparedRequest& prepared,
                                                 const DeadlineSettings& settings,
                                                 absl::Time accepted,
                                                 const std::string& input_digest,
                                                 absl::string_view detail, absl::Time now) {
  const std::string id = NewUuidV7(now);
  v1::Request r = prepared.request;
  r.set_name(RequestName{id}.String());
  std::vector<std::string> tags(r.tags().begin(), r.tags().end());
  const DeadlineRule& rule = MatchRule(settings.rules, r.urgent(), TierText(r.tier()), tags);
  r.set_deadline_rule(rule.name);
  SetDeadlines(ComputeDeadlines(rule, accepted, settings.calendar), &r);
  SetTimestamp(r.mutable_accept_time(), Micros(accepted));
  r.set_state(v1::ACCEPTED);
  AddEvent(v1::ACCEPTED, absl::StrCat("受理 (", v1::Channel_Name(r.channel()), ")"),
           call.principal.subject, now, &r);
  if (!r.assignee().empty()) {
    r.set_state(v1::ASSIGNED);
    AddEvent(v1::ASSIGNED, absl::StrCat("交办 ", r.assignee()), call.principal.subject, now, &r);
  }
  RequestStore db(tx);
  CHAINHUB_RETURN_IF_ERROR(db.Insert(id, r, input_digest, now));
  CHAINHUB_ASSIGN_OR_RETURN(v1::Request stored, db.Get(id));
  CHAINHUB_RETURN_IF_ERROR(
      RecordMutation(tx, call,
                     NewEvent(kEventSource, call, v1::SUPPORT_EVENT_REQUEST_CREATED, stored.name(),
                              ChainIdOf(stored), now, stored),
                     detail, now));
  CHAINHUB_ASSIGN_OR_RETURN(int missed, EscalateMissed(tx, now, &stored));
  if (missed > 0) {
    CHAINHUB_ASSIGN_OR_RETURN(stored, db.Get(id));
  }
  return stored;
}

absl::StatusOr<v1::Request> AcceptRequest(SqlTx& tx, const AuthorizedCall& call,
                                          const v1::Request& request, const std::string& field,
                                          absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(PreparedRequest prepared,
                            PrepareRequest(tx, call.principal, request, field));
  const std::string at = field.empty() ? "" : field + ".";
  CHAINHUB_ASSIGN_OR_RETURN(auto existing,
                            RequestStore(tx).FindExternal(prepared.request.external_id()));
  if (existing) {
    return absl::AlreadyExistsError(
        absl::StrCat(at, "external_id: ", Quoted(prepared.request.external_id()), " is requests/",
                     existing->id, " already"));
  }
  CHAINHUB_ASSIGN_OR_RETURN(DeadlineSettings settings, ReadDeadlineSettings(tx));
  return StoreAcceptedRequest(tx, call, prepared, settings, now,
                              InputDigest(prepared.request, std::nullopt), "accepted", now);
}

absl::StatusOr<int> EscalateMissed(SqlTx& tx, absl::Time now, v1::Request* request) {
  const std::vector<v1::Milestone> missed = MissedMilestones(*request, now);
  if (missed.empty()) return 0;
  CHAINHUB_ASSIGN_OR_RETURN(RequestName name, RequestName::Parse("name", request->name()));
  const std::string method = "support.sweep";
  const std::string subject = request->name();
  const AuthorizedCall call{SweepPrincipal(), subject, method};
  const std::string chain_id = ChainIdOf(*request);
  std::vector<v1::RequestDeadlineMissed> payloads;
  for (v1::Milestone m : missed) {
    RecordMiss(m, kSweepSubject, now, request);
    v1::RequestDeadlineMissed p;
    p.set_milestone(m);
    p.set_escalation_level(request->escalation_level());
    p.set_escalated_to(EscalationTarget(*request));
    p.set_owner_department(request->assignee());
    payloads.push_back(std::move(p));
  }
  RequestStore db(tx);
  CHAINHUB_RETURN_IF_ERROR(db.Update(name.id, *request, now));
  CHAINHUB_ASSIGN_OR_RETURN(*request, db.Get(name.id));
  // Each payload carries the request as it stands after its own miss: its history ends with it.
  const int total = request->history_size();
  for (size_t i = 0; i < payloads.size(); ++i) {
    v1::RequestDeadlineMissed& p = payloads[i];
    v1::Request* at = p.mutable_request();
    *at = *request;
    const int keep = total - static_cast<int>(payloads.size() - 1 - i);
    at->mutable_history()->DeleteSubrange(keep, total - keep);
    const std::string detail =
        absl::StrCat(v1::Milestone_Name(p.milestone()), " deadline missed; escalation level ",
                     p.escalation_level(), " to ", p.escalated_to());
    CHAINHUB_RETURN_IF_ERROR(RecordMutation(
        tx, call,
        NewEvent(kEventSource, call, v1::SUPPORT_EVENT_REQUEST_OVERDUE, subject, chain_id, now, p),
        detail, now));
    CHAINHUB_RETURN_IF_ERROR(
        AppendEvent(tx, NewEvent(kEventSource, call, v1::SUPPORT_EVENT_REQUEST_ESCALATED, subject,
                                 chain_id, now, p)));
  }
  return static_cast<int>(missed.size());
}

}  // namespace chainhub::support
