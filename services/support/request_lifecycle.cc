#include "services/support/request_lifecycle.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "services/registry/names.h"
#include "services/support/names.h"

namespace chainhub::support {

namespace {

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return ts.seconds() * 1000000 + ts.nanos() / 1000;
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

void SetTime(google::protobuf::Timestamp* ts, absl::Time t) {
  const int64_t us = Micros(t);
  int64_t seconds = us / 1000000;
  int64_t rest = us % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  ts->set_seconds(seconds);
  ts->set_nanos(static_cast<int32_t>(rest * 1000));
}

constexpr v1::Milestone kMilestones[] = {v1::CONTACT, v1::INTERIM_REPLY, v1::CLOSE};

// What a milestone is called in a history note.
absl::string_view MilestoneWords(v1::Milestone m) {
  switch (m) {
    case v1::CONTACT:
      return "contact";
    case v1::INTERIM_REPLY:
      return "interim reply";
    case v1::CLOSE:
      return "close";
    default:
      return "milestone";
  }
}

std::string StatesText(const std::vector<v1::RequestState>& states) {
  std::vector<std::string> names;
  for (v1::RequestState s : states) names.push_back(StateName(s));
  return absl::StrJoin(names, " or ");
}

void AddEvent(v1::RequestState state, absl::string_view note, absl::string_view principal,
              absl::Time now, v1::Request* request) {
  v1::RequestEvent* e = request->add_history();
  e->set_state(state);
  e->set_note(std::string(note));
  e->set_principal(std::string(principal));
  SetTime(e->mutable_time(), now);
}

}  // namespace

std::string StateName(v1::RequestState state) {
  return v1::RequestState_IsValid(state) ? v1::RequestState_Name(state)
                                         : absl::StrCat("state ", static_cast<int>(state));
}

std::string AssigneeRuleBroken(absl::string_view assignee, absl::string_view chain_id) {
  if (absl::StartsWith(assignee, "departments/")) {
    if (DepartmentName::Parse("assignee", assignee).ok()) return "";
    return "must be departments/{dept} with dept 2-40 of [a-z0-9-] starting with a letter";
  }
  if (absl::StartsWith(assignee, "chains/")) {
    absl::StatusOr<ChainTeamName> team = ChainTeamName::Parse("assignee", assignee);
    if (!team.ok()) return "must be departments/{dept} or chains/{chain}/team";
    if (chain_id.empty()) {
      return "a chain's working team takes only requests about that chain: set chain first";
    }
    if (team->chain != chain_id) {
      return absl::StrCat("must be the team of the request's own chain, chains/", chain_id,
                          "/team");
    }
    return "";
  }
  return "must be departments/{dept} or chains/{chain}/team";
}

void CheckRequestInput(const v1::Request& r, const std::string& field,
                       std::vector<FieldViolation>* v) {
  const std::string at = field.empty() ? "" : field + ".";
  if (r.enterprise().empty()) {
    v->push_back({at + "enterprise", "must not be empty"});
  } else if (auto name = registry::EnterpriseName::Parse(at + "enterprise", r.enterprise());
             !name.ok()) {
    for (FieldViolation& fv : FieldViolationsOf(name.status())) v->push_back(std::move(fv));
  }
  std::string chain_id;
  if (!r.chain().empty()) {
    absl::StatusOr<ChainName> chain = ChainName::Parse(at + "chain", r.chain());
    if (chain.ok()) {
      chain_id = chain->chain;
    } else {
      for (FieldViolation& fv : FieldViolationsOf(chain.status())) v->push_back(std::move(fv));
    }
  } else if (r.common_to_chain()) {
    v->push_back({at + "chain", "must be set when common_to_chain: the chain it is common to"});
  }
  CheckOneLineText(v, at + "title", r.title(), true, kMaxRequestTitleChars);
  CheckMultiLineText(v, at + "description", r.description(), false, kMaxRequestTextChars);
  if (r.channel() == v1::CHANNEL_UNSPECIFIED) {
    v->push_back({at + "channel", "must be set: VISIT, HOTLINE, SYSTEM or LETTER"});
  } else if (!v1::Channel_IsValid(r.channel())) {
    v->push_back({at + "channel", "must be VISIT, HOTLINE, SYSTEM or LETTER"});
  }
  if (r.tags_size() > kMaxRequestTags) {
    v->push_back({at + "tags", absl::StrCat("must hold at most ", kMaxRequestTags, " tags, got ",
                                            r.tags_size())});
  } else {
    absl::flat_hash_set<std::string> seen;
    for (int i = 0; i < r.tags_size(); ++i) {
      const std::string f = absl::StrCat(at, "tags[", i, "]");
      const size_t before = v->size();
      CheckOneLineText(v, f, r.tags(i), true, kMaxRequestTagChars);
      if (v->size() == before && !seen.insert(r.tags(i)).second) {
        v->push_back({f, absl::StrCat(Quoted(r.tags(i)), " is listed twice")});
      }
    }
  }
  if (r.tier() == v1::TIER_UNSPECIFIED) {
    v->push_back({at + "tier", "must be set: CITY or COUNTY"});
  } else if (!v1::Tier_IsValid(r.tier())) {
    v->push_back({at + "tier", "must be CITY or COUNTY"});
  }
  if (!r.assignee().empty()) {
    if (std::string broken = AssigneeRuleBroken(r.assignee(), chain_id); !broken.empty()) {
      v->push_back({at + "assignee", std::move(broken)});
    }
  }
  CheckOneLineText(v, at + "external_id", r.external_id(), false, kMaxExternalIdChars);
}

std::vector<v1::RequestState> NextStates(v1::RequestState from) {
  switch (from) {
    case v1::ACCEPTED:
      return {v1::ASSIGNED};
    case v1::ASSIGNED:
      return {v1::ASSIGNED, v1::HANDLING};
    case v1::HANDLING:
      return {v1::CLOSED};
    case v1::CLOSED:
      return {v1::REVISITED};
    default:
      return {};
  }
}

void CheckTransitionInput(const v1::TransitionRequestRequest& req, std::vector<FieldViolation>* v) {
  const v1::RequestState to = req.state();
  const bool known =
      to == v1::ASSIGNED || to == v1::HANDLING || to == v1::CLOSED || to == v1::REVISITED;
  if (!known) {
    v->push_back({"state",
                  "must be ASSIGNED, HANDLING, CLOSED or REVISITED (a request is "
                  "ACCEPTED only when it is created)"});
  }
  if (to == v1::ASSIGNED) {
    if (req.assignee().empty()) {
      v->push_back(
          {"assignee", "must be set to assign: departments/{dept} or chains/{chain}/team"});
    } else if (!absl::StartsWith(req.assignee(), "chains/")) {
      // A team is checked against the request's chain once the request is read.
      if (std::string broken = AssigneeRuleBroken(req.assignee(), ""); !broken.empty()) {
        v->push_back({"assignee", std::move(broken)});
      }
    } else if (!ChainTeamName::Parse("assignee", req.assignee()).ok()) {
      v->push_back({"assignee", "must be departments/{dept} or chains/{chain}/team"});
    }
  } else if (!req.assignee().empty()) {
    v->push_back({"assignee", "is set only to move a request to ASSIGNED"});
  }
  CheckMultiLineText(v, "note", req.note(), to == v1::CLOSED, kMaxRequestTextChars);
  if (to == v1::REVISITED) {
    if (req.satisfaction() < 1 || req.satisfaction() > 5) {
      v->push_back({"satisfaction", absl::StrCat("must be 1 (very dissatisfied) to 5 (very "
                                                 "satisfied) for REVISITED, got ",
                                                 req.satisfaction())});
    }
  } else if (req.satisfaction() != 0) {
    v->push_back({"satisfaction", "is set only to move a request to REVISITED"});
  }
}

absl::Status ApplyTransition(const v1::TransitionRequestRequest& req, absl::string_view principal,
                             absl::Time now, v1::Request* r) {
  const std::vector<v1::RequestState> next = NextStates(r->state());
  if (std::find(next.begin(), next.end(), req.state()) == next.end()) {
    return FailedPrecondition(
        r->name(),
        next.empty()
            ? absl::StrCat("is ", StateName(r->state()), ", the end of its life: it moves no more")
            : absl::StrCat("is ", StateName(r->state()), ": it may move only to ", StatesText(next),
                           ", not ", StateName(req.state())));
  }
  if (r->history_size() >= kMaxRequestHistory) {
    return FailedPrecondition(
        r->name(), absl::StrCat("has ", kMaxRequestHistory, " history events, the most it holds"));
  }
  std::string note = req.note();
  switch (req.state()) {
    case v1::ASSIGNED: {
      std::string chain_id(absl::StripPrefix(r->chain(), "chains/"));
      if (std::string broken = AssigneeRuleBroken(req.assignee(), chain_id); !broken.empty()) {
        return InvalidField("assignee", broken);
      }
      if (req.assignee() == r->assignee()) {
        return FailedPrecondition(r->name(),
                                  absl::StrCat("is assigned to ", r->assignee(), " already"));
      }
      if (note.empty()) note = absl::StrCat("交办 ", req.assignee());
      r->set_assignee(req.assignee());
      break;
    }
    case v1::HANDLING:
      SetTime(r->mutable_contact_time(), now);
      break;
    case v1::CLOSED:
      r->set_resolution(req.note());
      SetTime(r->mutable_close_time(), now);
      if (!r->has_interim_reply_time()) SetTime(r->mutable_interim_reply_time(), now);
      break;
    case v1::REVISITED:
      r->set_satisfaction(req.satisfaction());
      SetTime(r->mutable_revisit_time(), now);
      break;
    default:
      break;
  }
  r->set_state(req.state());
  AddEvent(req.state(), note, principal, now, r);
  return absl::OkStatus();
}

absl::Status ApplyReply(absl::string_view note, absl::string_view principal, absl::Time now,
                        v1::Request* r) {
  if (r->state() != v1::HANDLING) {
    return FailedPrecondition(
        r->name(), absl::StrCat("is ", StateName(r->state()),
                                ": an interim reply is given only while it is HANDLING"));
  }
  if (r->history_size() >= kMaxRequestHistory) {
    return FailedPrecondition(
        r->name(), absl::StrCat("has ", kMaxRequestHistory, " history events, the most it holds"));
  }
  if (!r->has_interim_reply_time()) SetTime(r->mutable_interim_reply_time(), now);
  AddEvent(r->state(), note, principal, now, r);
  return absl::OkStatus();
}

int64_t DeadlineMicros(const v1::Request& r, v1::Milestone m) {
  switch (m) {
    case v1::CONTACT:
      return r.has_contact_deadline() ? Micros(r.contact_deadline()) : 0;
    case v1::INTERIM_REPLY:
      return r.has_interim_reply_deadline() ? Micros(r.interim_reply_deadline()) : 0;
    case v1::CLOSE:
      return r.has_close_deadline() ? Micros(r.close_deadline()) : 0;
    default:
      return 0;
  }
}

int64_t MetMicros(const v1::Request& r, v1::Milestone m) {
  switch (m) {
    case v1::CONTACT:
      return r.has_contact_time() ? Micros(r.contact_time()) : 0;
    case v1::INTERIM_REPLY:
      return r.has_interim_reply_time() ? Micros(r.interim_reply_time()) : 0;
    case v1::CLOSE:
      return r.has_close_time() ? Micros(r.close_time()) : 0;
    default:
      return 0;
  }
}

bool Escalated(const v1::Request& r, v1::Milestone m) {
  return std::any_of(r.history().begin(), r.history().end(),
                     [m](const v1::RequestEvent& e) { return e.missed() == m; });
}

std::vector<v1::Milestone> MissedMilestones(const v1::Request& r, absl::Time now) {
  std::vector<std::pair<int64_t, v1::Milestone>> missed;
  for (v1::Milestone m : kMilestones) {
    const int64_t due = DeadlineMicros(r, m);
    if (due == 0 || due >= Micros(now) || Escalated(r, m)) continue;
    const int64_t met = MetMicros(r, m);
    if (met != 0 && met <= due) continue;  // met in time
    missed.emplace_back(due, m);
  }
  std::stable_sort(missed.begin(), missed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<v1::Milestone> out;
  for (const auto& [due, m] : missed) out.push_back(m);
  return out;
}

int64_t NextDeadlineMicros(const v1::Request& r) {
  int64_t next = 0;
  for (v1::Milestone m : kMilestones) {
    const int64_t due = DeadlineMicros(r, m);
    if (due == 0 || MetMicros(r, m) != 0 || Escalated(r, m)) continue;
    if (next == 0 || due < next) next = due;
  }
  return next;
}

void RecordMiss(v1::Milestone milestone, absl::string_view principal, absl::Time now,
                v1::Request* r) {
  r->set_overdue(true);
  r->set_escalation_level(r->escalation_level() + 1);
  const int64_t due = DeadlineMicros(*r, milestone);
  AddEvent(r->state(),
           absl::StrCat("the ", MilestoneWords(milestone), " deadline ",
                        absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixMicros(due),
                                         absl::FixedTimeZone(8 * 3600)),
                        " passed; escalated to ", EscalationTarget(*r)),
           principal, now, r);
  v1::RequestEvent* e = r->mutable_history(r->history_size() - 1);
  e->set_escalation_level(r->escalation_level());
  e->set_missed(milestone);
}

std::string EscalationTarget(const v1::Request& r) {
  if (r.chain().empty()) return "roles/admin";
  return absl::StrCat(r.chain(), "/office");
}

void SetDeadlines(const Deadlines& d, v1::Request* r) {
  auto set = [](absl::Time t, google::protobuf::Timestamp* ts) { SetTime(ts, t); };
  r->clear_contact_deadline();
  r->clear_interim_reply_deadline();
  r->clear_close_deadline();
  if (d.contact != absl::InfiniteFuture()) set(d.contact, r->mutable_contact_deadline());
  if (d.interim_reply != absl::InfiniteFuture()) {
    set(d.interim_reply, r->mutable_interim_reply_deadline());
  }
  if (d.close != absl::InfiniteFuture()) set(d.close, r->mutable_close_deadline());
}

}  // namespace chainhub::support
