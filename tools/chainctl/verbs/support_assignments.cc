// 包保 and 一企一策: assignments (apply, list, show, end), visits (log, list) and firm-plans
// (apply, list, show, review) on chainhub.support.v1.ChainSupport (docs/support.md).
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/chainctl/support_arguments.h"
#include "tools/chainctl/support_cli.h"
#include "tools/chainctl/support_files.h"
#include "tools/chainctl/support_render.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = SupportStub;

// --- assignments ---------------------------------------------------------------------------------

// Makes one entry true: created (the request id derived from the entry, so a retry replays),
// updated with the changed fields and the etag read, or left alone.
grpc::Status ApplyAssignment(SupportClient& c, const spv1::Assignment& wanted,
                             const spv1::Assignment* stored, Applied* applied, std::ostream& out) {
  spv1::Assignment saved;
  if (stored == nullptr) {
    spv1::CreateAssignmentRequest req;
    *req.mutable_assignment() = wanted;
    req.set_request_id(ContentRequestId("assignment", wanted));
    grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::CreateAssignment, req, &saved);
    *applied = Applied::kCreated;
    if (s.ok()) PrintApplied(out, *applied, saved.name());
    return s;
  }
  const std::vector<std::string> changes = AssignmentChanges(wanted, *stored);
  if (changes.empty()) {
    *applied = Applied::kUnchanged;
    PrintApplied(out, *applied, stored->name());
    return grpc::Status::OK;
  }
  spv1::UpdateAssignmentRequest req;
  *req.mutable_assignment() = wanted;
  req.mutable_assignment()->set_name(stored->name());
  req.mutable_assignment()->set_etag(stored->etag());
  for (const std::string& path : changes) req.mutable_update_mask()->add_paths(path);
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::UpdateAssignment, req, &saved);
  *applied = Applied::kUpdated;
  if (s.ok()) PrintApplied(out, *applied, saved.name(), changes);
  return s;
}

int AssignmentsApply(const Call& call) {
  const std::string& path = call.operands[0];
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<std::vector<spv1::Assignment>> wanted = ParseAssignmentsFile(*text);
  if (!wanted.ok()) return BadFile(call, path, wanted.status());
  if (call.cmd.validate_only) {
    call.out << path << ": " << wanted->size() << " assignments, valid; nothing applied\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::ListAssignmentsResponse live;
  grpc::Status listed = FetchAll(c, &Stub::ListAssignments, spv1::ListAssignmentsRequest(), &live);
  if (!listed.ok()) return call.RpcError(listed);
  std::map<std::string, const spv1::Assignment*> by_key;
  for (const auto& a : live.assignments()) by_key.emplace(AssignmentKey(a), &a);
  ApplyCounts counts;
  for (size_t n = 0; n < wanted->size(); ++n) {
    const spv1::Assignment& a = (*wanted)[n];
    auto it = by_key.find(AssignmentKey(a));
    Applied applied = Applied::kUnchanged;
    grpc::Status s =
        ApplyAssignment(c, a, it == by_key.end() ? nullptr : it->second, &applied, call.out);
    if (!counts.Take(s, static_cast<int>(n) + 1, AssignmentKey(a), applied)) {
      counts.tally.not_sent = static_cast<int>(wanted->size() - n);
      break;
    }
  }
  return counts.Finish(path, wanted->size(), "assignments", c, call.out, call.err);
}

int AssignmentsList(const Call& call) {
  if (!call.cmd.overdue_on.empty()) {
    return Usage(call.err, "--overdue: takes no date here (a visit is overdue as of today)");
  }
  spv1::ListAssignmentsRequest req = ListRequest<spv1::ListAssignmentsRequest>(call.cmd);
  if (call.cmd.overdue) req.set_filter(AndFilter(call.cmd.filter, "visit_overdue = true"));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListAssignments, req,
                  PrintAssignmentsTable);
}

int AssignmentsShow(const Call& call) {
  SupportClient& c = *call.support;
  spv1::GetAssignmentRequest get;
  get.set_name(AssignmentArg(call.operands[0]));
  spv1::Assignment a;
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::GetAssignment, get, &a);
  if (!s.ok()) return call.RpcError(s);
  spv1::ListVisitsRequest list;
  list.set_parent(a.name());
  spv1::ListVisitsResponse visits;
  s = FetchAll(c, &Stub::ListVisits, list, &visits);
  if (!s.ok()) return call.RpcError(s);
  if (call.cmd.json()) {
    call.out << ToJson(a) << ToJson(visits);
    return kExitOk;
  }
  PrintAssignment(a, call.out);
  call.out << "\n走访记录 visits（" << visits.visits_size() << "）\n";
  PrintVisitsTable(visits, call.out);
  return kExitOk;
}

int AssignmentsEnd(const Call& call) {
  if (Missing(call, "date", call.cmd.date, "YYYY-MM-DD, the last day of the assignment")) {
    return kExitUsage;
  }
  SupportClient& c = *call.support;
  spv1::GetAssignmentRequest get;
  get.set_name(AssignmentArg(call.operands[0]));
  spv1::Assignment current;
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::GetAssignment, get, &current);
  if (!s.ok()) return call.RpcError(s);
  spv1::UpdateAssignmentRequest req;
  req.mutable_assignment()->set_name(current.name());
  req.mutable_assignment()->set_etag(current.etag());
  req.mutable_assignment()->set_end_date(call.cmd.date);
  req.mutable_update_mask()->add_paths("end_date");
  return CallAndShow(call, c.connection(), c.stub(), &Stub::UpdateAssignment, req,
                     [&](const spv1::Assignment& a) { PrintAssignment(a, call.out); });
}

// --- visits --------------------------------------------------------------------------------------

int VisitsLog(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "summary", cmd.summary, "what was discussed")) return kExitUsage;
  if (cmd.visitors.empty()) {
    return Usage(call.err, "--visitor: required (DEPT:PERSON[:TITLE]; repeat it for more)");
  }
  spv1::LogVisitRequest req;
  req.set_parent(AssignmentArg(call.operands[0]));
  spv1::Visit* v = req.mutable_visit();
  v->set_visit_date(cmd.date.empty() ? Today(call) : cmd.date);
  v->set_summary(cmd.summary);
  for (size_t i = 0; i < cmd.visitors.size(); ++i) {
    absl::StatusOr<spv1::Official> who =
        ParseOfficial(cmd.visitors.size() == 1 ? "--visitor" : absl::StrCat("--visitor #", i + 1),
                      cmd.visitors[i]);
    if (!who.ok()) return BadArgument(call, who.status());
    *v->add_visitors() = *who;
  }
  // The same visit logged again is a retry, not a second visit.
  req.set_request_id(ContentRequestId("visit", req));
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::LogVisit, req,
                     [&](const spv1::Visit& visit) { PrintVisit(visit, call.out); });
}

int VisitsList(const Call& call) {
  spv1::ListVisitsRequest req = ListRequest<spv1::ListVisitsRequest>(call.cmd);
  req.set_parent(call.operands.empty() ? "assignments/-" : AssignmentArg(call.operands[0]));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListVisits, req, PrintVisitsTable);
}

// --- firm-plans ----------------------------------------------------------------------------------

grpc::Status ApplyFirmPlan(SupportClient& c, const spv1::FirmPlan& wanted,
                           const spv1::FirmPlan* stored, Applied* applied, std::ostream& out) {
  spv1::FirmPlan saved;
  if (stored == nullptr) {
    spv1::CreateFirmPlanRequest req;
    *req.mutable_firm_plan() = wanted;
    req.set_request_id(ContentRequestId("firm-plan", wanted));
    grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::CreateFirmPlan, req, &saved);
    *applied = Applied::kCreated;
    if (s.ok()) PrintApplied(out, *applied, saved.name());
    return s;
  }
  const std::vector<std::string> changes = FirmPlanChanges(wanted, *stored);
  if (changes.empty()) {
    *applied = Applied::kUnchanged;
    PrintApplied(out, *applied, stored->name());
    return grpc::Status::OK;
  }
  spv1::UpdateFirmPlanRequest req;
  *req.mutable_firm_plan() = wanted;
  req.mutable_firm_plan()->set_name(stored->name());
  req.mutable_firm_plan()->set_etag(stored->etag());
  for (const std::string& path : changes) req.mutable_update_mask()->add_paths(path);
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::UpdateFirmPlan, req, &saved);
  *applied = Applied::kUpdated;
  if (s.ok()) PrintApplied(out, *applied, saved.name(), changes);
  return s;
}

int FirmPlansApply(const Call& call) {
  const std::string& path = call.operands[0];
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<std::vector<spv1::FirmPlan>> wanted = ParseFirmPlansFile(*text);
  if (!wanted.ok()) return BadFile(call, path, wanted.status());
  if (call.cmd.validate_only) {
    call.out << path << ": " << wanted->size() << " firm plans, valid; nothing applied\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::ListFirmPlansResponse live;
  grpc::Status listed = FetchAll(c, &Stub::ListFirmPlans, spv1::ListFirmPlansRequest(), &live);
  if (!listed.ok()) return call.RpcError(listed);
  std::map<std::string, const spv1::FirmPlan*> by_key;
  for (const auto& p : live.firm_plans()) by_key.emplace(FirmPlanKey(p), &p);
  ApplyCounts counts;
  for (size_t n = 0; n < wanted->size(); ++n) {
    const spv1::FirmPlan& p = (*wanted)[n];
    auto it = by_key.find(FirmPlanKey(p));
    Applied applied = Applied::kUnchanged;
    grpc::Status s =
        ApplyFirmPlan(c, p, it == by_key.end() ? nullptr : it->second, &applied, call.out);
    if (!counts.Take(s, static_cast<int>(n) + 1, FirmPlanKey(p), applied)) {
      counts.tally.not_sent = static_cast<int>(wanted->size() - n);
      break;
    }
  }
  return counts.Finish(path, wanted->size(), "firm plans", c, call.out, call.err);
}

int FirmPlansList(const Call& call) {
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListFirmPlans,
                  ListRequest<spv1::ListFirmPlansRequest>(call.cmd), PrintFirmPlansTable);
}

int FirmPlansShow(const Call& call) {
  SupportClient& c = *call.support;
  spv1::GetFirmPlanRequest req;
  req.set_name(FirmPlanArg(call.operands[0]));
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetFirmPlan, req,
                     [&](const spv1::FirmPlan& p) { PrintFirmPlan(p, call.out); });
}

int FirmPlansReview(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "summary", cmd.summary, "how the plan stands")) return kExitUsage;
  if (cmd.rating < 1 || cmd.rating > 5) {
    return Usage(call.err, "--rating: required, 1 (far behind) to 5 (ahead)");
  }
  spv1::AddFirmPlanReviewRequest req;
  req.set_name(FirmPlanArg(call.operands[0]));
  spv1::FirmPlanReview* r = req.mutable_review();
  r->set_review_date(cmd.date.empty() ? Today(call) : cmd.date);
  r->set_summary(cmd.summary);
  r->set_rating(cmd.rating);
  if (!cmd.reviewer.empty()) {
    absl::StatusOr<spv1::Official> who = ParseOfficial("--reviewer", cmd.reviewer);
    if (!who.ok()) return BadArgument(call, who.status());
    *r->mutable_reviewer() = *who;
  }
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::AddFirmPlanReview, req,
                     [&](const spv1::FirmPlan& p) { PrintFirmPlan(p, call.out); });
}

}  // namespace

void AddSupportAssignmentVerbs(VerbTable& table) {
  table.Add({.noun = "assignments",
             .verb = "apply",
             .synopsis = "FILE [--validate_only]",
             .help = "makes each 包保 assignment of a YAML/JSON file true:\n"
                     "new ones created, changed ones updated (leader,\n"
                     "officers, end_date, cadence), one line each; an entry\n"
                     "is matched by its enterprise and start_date",
             .usage = "usage: chainctl assignments apply FILE [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = AssignmentsApply});
  table.Add({.noun = "assignments",
             .verb = "list",
             .synopsis = "[--filter=…] [--overdue] [--all]",
             .help = "enterprise, leader, officers, cadence, last and next\n"
                     "visit; --overdue: a visit is past due",
             .usage = "assignments list takes no arguments",
             .needs = Needs::kSupport,
             .run = AssignmentsList});
  table.Add({.noun = "assignments",
             .verb = "show",
             .synopsis = "ASSIGNMENT",
             .help = "one assignment and its visits",
             .usage = "usage: chainctl assignments show ASSIGNMENT",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = AssignmentsShow});
  table.Add({.noun = "assignments",
             .verb = "end",
             .synopsis = "ASSIGNMENT --date=YYYY-MM-DD",
             .help = "ends an assignment on that day",
             .usage = "usage: chainctl assignments end ASSIGNMENT --date=YYYY-MM-DD",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = AssignmentsEnd});
  table.Add({.noun = "visits",
             .verb = "log",
             .synopsis = "ASSIGNMENT --summary=… --visitor=DEPT:PERSON[:TITLE]…\n"
                         "[--date=YYYY-MM-DD]",
             .help = "records a visit (today when no --date); --visitor\n"
                     "again for each visitor; the same again is a retry",
             .usage = "usage: chainctl visits log ASSIGNMENT --summary=… "
                      "--visitor=DEPT:PERSON[:TITLE] [--date=YYYY-MM-DD]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = VisitsLog});
  table.Add({.noun = "visits",
             .verb = "list",
             .synopsis = "[ASSIGNMENT] [--filter=…] [--all]",
             .help = "visits, newest first: of one assignment, or of every\n"
                     "one the caller may see",
             .usage = "usage: chainctl visits list [ASSIGNMENT]",
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = VisitsList});
  table.Add({.noun = "firm-plans",
             .verb = "apply",
             .synopsis = "FILE [--validate_only]",
             .help = "一企一策 plans from a YAML/JSON file, matched by\n"
                     "enterprise and title: created, or goals and measures\n"
                     "updated",
             .usage = "usage: chainctl firm-plans apply FILE [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = FirmPlansApply});
  table.Add({.noun = "firm-plans",
             .verb = "list",
             .synopsis = "[--filter=…] [--all]",
             .help = "e.g. --filter='chain = \"pv\"'",
             .usage = "firm-plans list takes no arguments",
             .needs = Needs::kSupport,
             .run = FirmPlansList});
  table.Add({.noun = "firm-plans",
             .verb = "show",
             .synopsis = "FIRM_PLAN",
             .help = "goals, measures and reviews",
             .usage = "usage: chainctl firm-plans show FIRM_PLAN",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = FirmPlansShow});
  table.Add({.noun = "firm-plans",
             .verb = "review",
             .synopsis = "FIRM_PLAN --summary=… --rating=1-5 [--date=YYYY-MM-DD]\n"
                         "[--reviewer=DEPT:PERSON[:TITLE]]",
             .help = "adds a review (today when no --date)",
             .usage = "usage: chainctl firm-plans review FIRM_PLAN --summary=… --rating=N "
                      "[--date=YYYY-MM-DD]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = FirmPlansReview});
}

}  // namespace chainhub::chainctl
