// 企业诉求: requests (create, import, list, show, move, reply, figures), the working-day calendar
// and the deadline rules (put, show) on chainhub.support.v1.ChainSupport (docs/support.md).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tools/chainctl/support_arguments.h"
#include "tools/chainctl/support_cli.h"
#include "tools/chainctl/support_files.h"
#include "tools/chainctl/support_import.h"
#include "tools/chainctl/support_render.h"
#include "tools/chainctl/verbs/verbs.h"

namespace chainhub::chainctl {
namespace {

using Stub = SupportStub;

int RequestsCreate(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "enterprise", cmd.enterprise, "its credit code") ||
      Missing(call, "title", cmd.title) ||
      Missing(call, "channel", cmd.channel, "visit, hotline, system or letter") ||
      Missing(call, "tier", cmd.tier, "city or county")) {
    return kExitUsage;
  }
  std::optional<spv1::Channel> channel = ParseChannel(cmd.channel);
  if (!channel) {
    return Usage(call.err, absl::StrCat("--channel: must be visit, hotline, system or letter "
                                        "(走访, 热线, 系统, 来信), got \"",
                                        cmd.channel, "\""));
  }
  std::optional<spv1::Tier> tier = ParseTier(cmd.tier);
  if (!tier) {
    return Usage(call.err, absl::StrCat("--tier: must be city or county (市级, 县级), got \"",
                                        cmd.tier, "\""));
  }
  if (cmd.common && cmd.chain.empty()) {
    return Usage(call.err, "--common: needs --chain (the chain whose working team takes it)");
  }
  spv1::CreateRequestRequest req;
  spv1::Request* r = req.mutable_request();
  r->set_enterprise(EnterpriseArg(cmd.enterprise));
  r->set_title(cmd.title);
  r->set_description(cmd.description);
  r->set_channel(*channel);
  r->set_tier(*tier);
  r->set_urgent(cmd.urgent);
  r->set_common_to_chain(cmd.common);
  if (!cmd.chain.empty()) r->set_chain(ChainArg(cmd.chain));
  if (!cmd.assignee.empty()) r->set_assignee(AssigneeArg(cmd.assignee));
  for (const std::string& tag : SplitTags(cmd.tags)) r->add_tags(tag);
  // The same command again the same day is a retry, not a second request.
  req.set_request_id(ContentRequestId(absl::StrCat("request-", Today(call)), req));
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::CreateRequest, req,
                     [&](const spv1::Request& made) { PrintRequest(made, call.out); });
}

int RequestsImport(const Call& call) {
  return RunSupportImport(*call.support, &Stub::ImportRequests, call.operands[0],
                          call.cmd.validate_only, call.cmd.json(), call.out, call.err);
}

int RequestsList(const Call& call) {
  if (!call.cmd.overdue_on.empty()) {
    return Usage(call.err, "--overdue: takes no date here (a request is overdue as of now)");
  }
  spv1::ListRequestsRequest req = ListRequest<spv1::ListRequestsRequest>(call.cmd);
  if (call.cmd.overdue) req.set_filter(AndFilter(call.cmd.filter, "overdue = true"));
  SupportClient& c = *call.support;
  return ShowList(call, c.connection(), c.stub(), &Stub::ListRequests, req, PrintRequestsTable);
}

int RequestsShow(const Call& call) {
  SupportClient& c = *call.support;
  spv1::GetRequestRequest req;
  req.set_name(RequestArg(call.operands[0]));
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetRequest, req,
                     [&](const spv1::Request& r) { PrintRequest(r, call.out); });
}

int RequestsMove(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "to", cmd.to, "assigned, handling, closed or revisited")) return kExitUsage;
  std::optional<spv1::RequestState> to = ParseRequestState(cmd.to);
  if (!to || *to == spv1::ACCEPTED) {
    return Usage(call.err, absl::StrCat("--to: must be assigned, handling, closed or revisited "
                                        "(交办, 办理, 办结, 回访), got \"",
                                        cmd.to, "\""));
  }
  if (*to == spv1::ASSIGNED && cmd.assignee.empty()) {
    return Usage(call.err,
                 "--assignee: required to assign (departments/{dept} or "
                 "chains/{chain}/team)");
  }
  if (*to == spv1::CLOSED && cmd.note.empty()) {
    return Usage(call.err, "--note: required to close (the resolution)");
  }
  if (*to == spv1::REVISITED && (cmd.satisfaction < 1 || cmd.satisfaction > 5)) {
    return Usage(call.err, "--satisfaction: required to record the revisit, 1 to 5");
  }
  spv1::TransitionRequestRequest req;
  req.set_name(RequestArg(call.operands[0]));
  req.set_state(*to);
  if (!cmd.assignee.empty()) req.set_assignee(AssigneeArg(cmd.assignee));
  req.set_note(cmd.note);
  req.set_satisfaction(cmd.satisfaction);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::TransitionRequest, req,
                     [&](const spv1::Request& r) { PrintRequest(r, call.out); });
}

int RequestsReply(const Call& call) {
  if (Missing(call, "note", call.cmd.note, "the interim reply")) return kExitUsage;
  spv1::ReplyToRequestRequest req;
  req.set_name(RequestArg(call.operands[0]));
  req.set_note(call.cmd.note);
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::ReplyToRequest, req,
                     [&](const spv1::Request& r) { PrintRequest(r, call.out); });
}

int RequestsFigures(const Call& call) {
  const CommandLine& cmd = call.cmd;
  if (Missing(call, "period", cmd.period, "2026, 2026-Q2 or 2026-05")) return kExitUsage;
  std::optional<spv1::Grouping> by = ParseGrouping(cmd.by);
  if (!by) {
    return Usage(call.err, absl::StrCat("--by: must be department or chain (部门, 产业链), got \"",
                                        cmd.by, "\""));
  }
  spv1::SummarizeRequestsRequest req;
  req.set_period(cmd.period);
  req.set_group_by(*by);
  if (!cmd.chain.empty()) req.set_chain(ChainArg(cmd.chain));
  req.set_as_of(cmd.as_of);
  SupportClient& c = *call.support;
  return CallAndShow(
      call, c.connection(), c.stub(), &Stub::SummarizeRequests, req,
      [&](const spv1::SummarizeRequestsResponse& f) { PrintRequestFigures(f, call.out); });
}

// --- calendar, deadline-rules
// ----------------------------------------------------------------------

int CalendarPut(const Call& call) {
  const std::string& path = call.operands[0];
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<spv1::Calendar> wanted = CalendarFromCsv(*text);
  if (!wanted.ok()) return BadFile(call, path, wanted.status());
  if (call.cmd.validate_only) {
    call.out << path << ": " << wanted->days_size() << " days, valid; nothing put\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::GetCalendarRequest get;
  get.set_name(wanted->name());
  spv1::Calendar current;
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::GetCalendar, get, &current);
  if (!s.ok()) return call.RpcError(s);
  if (SameDays(*wanted, current)) {
    call.out << "unchanged " << current.name() << ": " << current.days_size() << " days\n";
    return kExitOk;
  }
  spv1::PutCalendarRequest put;
  *put.mutable_calendar() = *wanted;
  // Put over what was read: a calendar changed meanwhile is not overwritten (ABORTED).
  put.mutable_calendar()->set_etag(current.etag());
  return CallAndShow(call, c.connection(), c.stub(), &Stub::PutCalendar, put,
                     [&](const spv1::Calendar& stored) {
                       call.out << "put " << stored.name() << ": " << stored.days_size()
                                << " days (was " << current.days_size() << ")\n";
                     });
}

int CalendarShow(const Call& call) {
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetCalendar, spv1::GetCalendarRequest(),
                     [&](const spv1::Calendar& cal) { PrintCalendar(cal, call.out); });
}

int DeadlineRulesPut(const Call& call) {
  const std::string& path = call.operands[0];
  std::optional<std::string> text = ReadOperandFile(call, path);
  if (!text) return kExitUsage;
  absl::StatusOr<spv1::DeadlineRules> wanted = DeadlineRulesFromYaml(*text);
  if (!wanted.ok()) return BadFile(call, path, wanted.status());
  if (call.cmd.validate_only) {
    call.out << path << ": " << wanted->rules_size() << " rules, valid; nothing put\n";
    return kExitOk;
  }
  SupportClient& c = *call.support;
  spv1::DeadlineRules current;
  grpc::Status s = CallUnary(c.connection(), c.stub(), &Stub::GetDeadlineRules,
                             spv1::GetDeadlineRulesRequest(), &current);
  if (!s.ok()) return call.RpcError(s);
  if (SameRules(*wanted, current)) {
    call.out << "unchanged deadlineRules: " << current.rules_size() << " rules\n";
    return kExitOk;
  }
  spv1::PutDeadlineRulesRequest put;
  *put.mutable_deadline_rules() = *wanted;
  put.mutable_deadline_rules()->set_etag(current.etag());
  return CallAndShow(call, c.connection(), c.stub(), &Stub::PutDeadlineRules, put,
                     [&](const spv1::DeadlineRules& stored) {
                       call.out << "put deadlineRules: " << stored.rules_size() << " rules (was "
                                << current.rules_size() << "); they apply to requests accepted "
                                << "from now on\n";
                     });
}

int DeadlineRulesShow(const Call& call) {
  SupportClient& c = *call.support;
  return CallAndShow(call, c.connection(), c.stub(), &Stub::GetDeadlineRules,
                     spv1::GetDeadlineRulesRequest(),
                     [&](const spv1::DeadlineRules& r) { PrintDeadlineRules(r, call.out); });
}

}  // namespace

void AddSupportRequestVerbs(VerbTable& table) {
  table.Add({.noun = "requests",
             .verb = "create",
             .synopsis = "--enterprise=CODE --title=… --channel=visit|hotline|system|letter\n"
                         "--tier=city|county [--urgent] [--chain=pv] [--common]\n"
                         "[--assignee=DEPT] [--tags=用地;融资] [--description=…]",
             .help = "受理: a request, its deadlines fixed now by the rules;\n"
                     "with --assignee it starts 交办; the same command again\n"
                     "the same day is a retry",
             .usage = "usage: chainctl requests create --enterprise=CODE --title=… "
                      "--channel=… --tier=city|county",
             .needs = Needs::kSupport,
             .run = RequestsCreate});
  table.Add({.noun = "requests",
             .verb = "import",
             .synopsis = "FILE.csv [--validate_only]",
             .help = "CSV → ImportRequests; columns external_id,\n"
                     "enterprise, title, channel, tier (required), chain,\n"
                     "description, tags, urgent, common_to_chain, assignee,\n"
                     "accept_time; all rows or none are stored",
             .usage = "usage: chainctl requests import FILE.csv [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = RequestsImport});
  table.Add({.noun = "requests",
             .verb = "list",
             .synopsis = "[--filter=…] [--overdue] [--order_by=close_deadline] [--all]",
             .help = "e.g. --filter='state != \"CLOSED\" AND chain = \"pv\"'",
             .usage = "requests list takes no arguments",
             .needs = Needs::kSupport,
             .run = RequestsList});
  table.Add({.noun = "requests",
             .verb = "show",
             .synopsis = "REQUEST",
             .help = "the request, its deadlines (China time) and history",
             .usage = "usage: chainctl requests show REQUEST",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = RequestsShow});
  table.Add(
      {.noun = "requests",
       .verb = "move",
       .synopsis = "REQUEST --to=assigned|handling|closed|revisited\n"
                   "[--assignee=DEPT] [--note=…] [--satisfaction=1-5]",
       .help = "交办 (needs --assignee), 办理, 办结 (needs --note, the\n"
               "resolution), 回访 (needs --satisfaction)",
       .usage = "usage: chainctl requests move REQUEST --to=assigned|handling|closed|revisited",
       .min_operands = 1,
       .max_operands = 1,
       .needs = Needs::kSupport,
       .run = RequestsMove});
  table.Add({.noun = "requests",
             .verb = "reply",
             .synopsis = "REQUEST --note=…",
             .help = "an interim reply to the enterprise (阶段性答复)",
             .usage = "usage: chainctl requests reply REQUEST --note=…",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = RequestsReply});
  table.Add({.noun = "requests",
             .verb = "figures",
             .synopsis = "--period=2026-Q2 [--by=department|chain] [--chain=pv]\n"
                         "[--as_of=YYYY-MM-DD]",
             .help = "办结率, 按期办结率, 满意率, response and closing time,\n"
                     "overdue, for the requests accepted in the period",
             .usage = "usage: chainctl requests figures --period=PERIOD [--by=department|chain]",
             .needs = Needs::kSupport,
             .run = RequestsFigures});
  table.Add({.noun = "calendar",
             .verb = "put",
             .synopsis = "FILE.csv [--validate_only]",
             .help = "the working-day calendar (date,kind,name as\n"
                     "data/support/calendar-cn.csv); admin",
             .usage = "usage: chainctl calendar put FILE.csv [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = CalendarPut});
  table.Add({.noun = "calendar",
             .verb = "show",
             .help = "the holidays and 调休 workdays deadlines count in",
             .usage = "calendar show takes no arguments",
             .needs = Needs::kSupport,
             .run = CalendarShow});
  table.Add({.noun = "deadline-rules",
             .verb = "put",
             .synopsis = "FILE.yaml [--validate_only]",
             .help = "the rules that give a request its deadlines (as\n"
                     "data/support/deadline-rules.yaml); admin",
             .usage = "usage: chainctl deadline-rules put FILE.yaml [--validate_only]",
             .min_operands = 1,
             .max_operands = 1,
             .needs = Needs::kSupport,
             .run = DeadlineRulesPut});
  table.Add({.noun = "deadline-rules",
             .verb = "show",
             .help = "the rules in force, first match applies",
             .usage = "deadline-rules show takes no arguments",
             .needs = Needs::kSupport,
             .run = DeadlineRulesShow});
}

}  // namespace chainhub::chainctl
