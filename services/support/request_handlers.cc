// 企业诉求: CreateRequest, GetRequest, ListRequests, TransitionRequest, ReplyToRequest,
// SummarizeRequests, ImportRequests; the calendar and the deadline rules (PutCalendar,
// GetCalendar, PutDeadlineRules, GetDeadlineRules); and SweepRequests, which marks and escalates
// the requests whose deadlines passed (docs/support/requests.md).
#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/files/csv.h"
#include "common/rpc/client_stream.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/assessment/periods.h"
#include "services/support/access.h"
#include "services/support/csv_import.h"
#include "services/support/enterprises.h"
#include "services/support/figures_load.h"
#include "services/support/names.h"
#include "services/support/request_figures.h"
#include "services/support/request_import.h"
#include "services/support/request_intake.h"
#include "services/support/request_lifecycle.h"
#include "services/support/request_rules.h"
#include "services/support/request_settings.h"
#include "services/support/request_store.h"
#include "services/support/support_service.h"

namespace chainhub::support {

namespace {

std::string ChainIdOf(const v1::Request& r) {
  return std::string(absl::StripPrefix(r.chain(), "chains/"));
}

std::string CreditCodeOf(const v1::Request& r) {
  return std::string(absl::StripPrefix(r.enterprise(), "enterprises/"));
}

// The enterprise of `r` as the copy knows it; only its credit code when the registry removed it
// since (then no chain office sees it through the enterprise's chains).
absl::StatusOr<EnterpriseFacts> EnterpriseOf(SqlTx& tx, const v1::Request& r) {
  CHAINHUB_ASSIGN_OR_RETURN(auto found, EnterpriseCopy(tx).Find(CreditCodeOf(r)));
  if (found) return std::move(*found);
  EnterpriseFacts facts;
  facts.credit_code = CreditCodeOf(r);
  return facts;
}

// The chain office of the request's chain, or of a chain its enterprise is on.
bool IsChainOfficeFor(const Principal& p, const v1::Request& r, const EnterpriseFacts& e) {
  if (!p.HasRole(roles::kChainOffice)) return false;
  if (!r.chain().empty() && p.chains.contains(ChainIdOf(r))) return true;
  return std::any_of(e.chains.begin(), e.chains.end(),
                     [&](const std::string& c) { return p.chains.contains(c); });
}

// Who may see a request: whoever may see its enterprise (access.h), the department it is routed
// to, and the chain office of its chain.
absl::Status RequireSeeRequest(SqlTx& tx, const Principal& p, const v1::Request& r,
                               const EnterpriseFacts& e, const std::string& today) {
  if (p.IsAdmin() || IsChainOfficeFor(p, r, e)) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(bool may, MaySeeEnterprise(tx, p, e, today, {r.assignee()}));
  if (may) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(r.name(),
                   ": visible only to the department it is routed to, the departments "
                   "assigned to its enterprise, the chain office of its chains and "
                   "admins"));
}

// Who may change a request: admins and the chain office of its chain always; its assignee
// department for the work itself (HANDLING, CLOSED, an interim reply).
absl::Status RequireChangeRequest(const Principal& p, const v1::Request& r,
                                  const EnterpriseFacts& e, bool assignee_may,
                                  absl::string_view what) {
  if (p.IsAdmin() || IsChainOfficeFor(p, r, e)) return absl::OkStatus();
  if (assignee_may && !r.assignee().empty() && CallerDepartment(p) == r.assignee()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      what, " ", r.name(), " needs ",
      assignee_may
          ? absl::StrCat("its assignee (", r.assignee().empty() ? "none yet" : r.assignee(), "), ")
          : "",
      "the chain office of its chain or the admin role"));
}

// A request read for a change, with its enterprise.
struct Current {
  std::string id;
  v1::Request request;
  EnterpriseFacts enterprise;
};

absl::StatusOr<Current> ReadCurrent(SqlTx& tx, const RequestName& name) {
  Current c;
  c.id = name.id;
  CHAINHUB_ASSIGN_OR_RETURN(c.request, RequestStore(tx).Get(name.id));
  CHAINHUB_ASSIGN_OR_RETURN(c.enterprise, EnterpriseOf(tx, c.request));
  return c;
}

// Rewrites a changed request and appends request.updated and the audit row.
absl::StatusOr<v1::Request> SaveChange(SqlTx& tx, const AuthorizedCall& call, const Current& c,
                                       absl::string_view detail, absl::Time now) {
  RequestStore db(tx);
  CHAINHUB_RETURN_IF_ERROR(db.Update(c.id, c.request, now));
  CHAINHUB_ASSIGN_OR_RETURN(v1::Request stored, db.Get(c.id));
  CHAINHUB_RETURN_IF_ERROR(
      RecordMutation(tx, call,
                     NewEvent(kEventSource, call, v1::SUPPORT_EVENT_REQUEST_UPDATED, stored.name(),
                              ChainIdOf(stored), now, stored),
                     detail, now));
  return stored;
}

// The visibility of ListRequests: EnterpriseVisibility with the assignee column, and for a chain
// office the requests about its chains too.
Visibility RequestVisibility(const Principal& p, const std::string& today, int first_param) {
  Visibility v = EnterpriseVisibility(p, "r.credit_code", today, first_param, "r.assignee");
  if (v.sql.empty() || !p.HasRole(roles::kChainOffice) || p.chains.empty()) return v;
  std::vector<std::string> slots;
  for (const std::string& chain : p.chains) {
    v.params.push_back(chain);
    slots.push_back(absl::StrCat("$", first_param + static_cast<int>(v.params.size()) - 1));
  }
  v.sql = absl::StrCat("(", v.sql, " OR r.chain IN (", absl::StrJoin(slots, ", "), "))");
  return v;
}

// "line N: …" in line order (a stable sort keeps each line's own order).
void SortByLine(std::vector<std::string>* errors) {
  auto line_of = [](const std::string& e) {
    int n = 0;
    (void)absl::SimpleAtoi(absl::StripPrefix(e.substr(0, e.find(':')), "line "), &n);
    return n;
  };
  std::stable_sort(errors->begin(), errors->end(), [&](const std::string& a, const std::string& b) {
    return line_of(a) < line_of(b);
  });
}

// A status from checking one import row as "line N: …" errors: one per field violation, or the
// message.
void AddRowErrors(int line, const absl::Status& status, std::vector<std::string>* errors) {
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) {
    errors->push_back(absl::StrCat("line ", line, ": ", status.message()));
    return;
  }
  for (const FieldViolation& v : violations) {
    errors->push_back(absl::StrCat("line ", line, ": ", v.field, ": ", v.rule));
  }
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::CreateRequest(Ctx* ctx,
                                                        const v1::CreateRequestRequest* req,
                                                        v1::Request* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckRequestInput(req->request(), "request", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Request>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock().Now();
      CHAINHUB_ASSIGN_OR_RETURN(PreparedRequest prepared,
                                PrepareRequest(tx, call.principal, req->request(), "request"));
      CHAINHUB_ASSIGN_OR_RETURN(auto existing,
                                RequestStore(tx).FindExternal(prepared.request.external_id()));
      if (existing) {
        return absl::AlreadyExistsError(
            absl::StrCat("request.external_id: ", Quoted(prepared.request.external_id()),
                         " is requests/", existing->id, " already"));
      }
      CHAINHUB_ASSIGN_OR_RETURN(DeadlineSettings settings, ReadDeadlineSettings(tx));
      CHAINHUB_ASSIGN_OR_RETURN(*resp,
                                StoreAcceptedRequest(tx, call, prepared, settings, now,
                                                     InputDigest(prepared.request, std::nullopt),
                                                     CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetRequest(Ctx* ctx, const v1::GetRequestRequest* req,
                                                     v1::Request* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(RequestName name, RequestName::Parse("name", req->name()));
    const std::string today = ChinaDate(clock().Now());
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(Current c, ReadCurrent(tx, name));
      CHAINHUB_RETURN_IF_ERROR(
          RequireSeeRequest(tx, call.principal, c.request, c.enterprise, today));
      *resp = std::move(c.request);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListRequests(Ctx* ctx, const v1::ListRequestsRequest* req,
                                                       v1::ListRequestsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order, RequestOrder(req->order_by()));
    const std::string today = ChinaDate(clock().Now());
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      RequestStore db(tx);
      std::vector<v1::Request> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Request>(
          "ListRequests", req->page_size(), req->page_token(), req->filter(), req->order_by(),
          RequestFilterFields(), order,
          [&](const PageQuery& q) {
            std::vector<SqlValue> params = q.filter.params;
            Visibility v =
                RequestVisibility(call.principal, today, static_cast<int>(params.size()) + 1);
            params.insert(params.end(), v.params.begin(), v.params.end());
            std::vector<std::string> extra;
            if (!v.sql.empty()) extra.push_back(v.sql);
            return db.List(q, std::move(params), extra);
          },
          &page, &next));
      for (v1::Request& r : page) *resp->add_requests() = std::move(r);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::TransitionRequest(Ctx* ctx,
                                                            const v1::TransitionRequestRequest* req,
                                                            v1::Request* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(RequestName name, RequestName::Parse("name", req->name()));
    std::vector<FieldViolation> violations;
    CheckTransitionInput(*req, &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      const std::string today = ChinaDate(now);
      CHAINHUB_ASSIGN_OR_RETURN(Current c, ReadCurrent(tx, name));
      CHAINHUB_RETURN_IF_ERROR(
          RequireSeeRequest(tx, call.principal, c.request, c.enterprise, today));
      const bool assignee_may = req->state() == v1::HANDLING || req->state() == v1::CLOSED;
      CHAINHUB_RETURN_IF_ERROR(
          RequireChangeRequest(call.principal, c.request, c.enterprise, assignee_may,
                               absl::StrCat("moving to ", StateName(req->state()))));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), c.request.etag(), c.request.name()));
      // A deadline that passed before this change is escalated first, as the sweep would have.
      CHAINHUB_RETURN_IF_ERROR(EscalateMissed(tx, now, &c.request).status());
      CHAINHUB_RETURN_IF_ERROR(ApplyTransition(*req, call.principal.subject, now, &c.request));
      CHAINHUB_ASSIGN_OR_RETURN(
          *resp, SaveChange(tx, call, c, absl::StrCat("state=", StateName(req->state())), now));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ReplyToRequest(Ctx* ctx,
                                                         const v1::ReplyToRequestRequest* req,
                                                         v1::Request* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(RequestName name, RequestName::Parse("name", req->name()));
    std::vector<FieldViolation> violations;
    CheckMultiLineText(&violations, "note", req->note(), true, kMaxRequestTextChars);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      CHAINHUB_ASSIGN_OR_RETURN(Current c, ReadCurrent(tx, name));
      CHAINHUB_RETURN_IF_ERROR(
          RequireSeeRequest(tx, call.principal, c.request, c.enterprise, ChinaDate(now)));
      CHAINHUB_RETURN_IF_ERROR(
          RequireChangeRequest(call.principal, c.request, c.enterprise, true, "replying to"));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), c.request.etag(), c.request.name()));
      CHAINHUB_RETURN_IF_ERROR(EscalateMissed(tx, now, &c.request).status());
      CHAINHUB_RETURN_IF_ERROR(ApplyReply(req->note(), call.principal.subject, now, &c.request));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, SaveChange(tx, call, c, "interim reply", now));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::SummarizeRequests(Ctx* ctx,
                                                            const v1::SummarizeRequestsRequest* req,
                                                            v1::SummarizeRequestsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(assessment::Period period,
                              assessment::Period::Parse("period", req->period()));
    RequestGrouping grouping = RequestGrouping::kNone;
    switch (req->group_by()) {
      case v1::GROUPING_UNSPECIFIED:
        break;
      case v1::BY_DEPARTMENT:
        grouping = RequestGrouping::kDepartment;
        break;
      case v1::BY_CHAIN:
        grouping = RequestGrouping::kChain;
        break;
      default:
        return InvalidField("group_by", "must be BY_DEPARTMENT, BY_CHAIN or unspecified");
    }
    std::string chain_id;
    if (!req->chain().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("chain", req->chain()));
      chain_id = chain.chain;
    }
    const absl::CivilDay today = assessment::ChinaDay(clock().Now());
    absl::CivilDay as_of = today;
    if (!req->as_of().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(as_of, assessment::ParseDate("as_of", req->as_of()));
      if (as_of > today) {
        return InvalidField(
            "as_of", absl::StrCat("must not be after today (", assessment::FormatDate(today), ")"));
      }
    }
    const RequestWindow window = RequestWindowOf(period, as_of);
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<RequestFacts> facts,
                                LoadRequestFacts(tx, window, chain_id));
      resp->set_period(period.String());
      resp->set_as_of(assessment::FormatDate(as_of));
      for (const RequestFigures& fig :
           support::SummarizeRequests(facts, window.from, window.to, window.as_of_end, grouping)) {
        v1::RequestFigures* out = resp->add_rows();
        out->set_group(fig.group);
        out->set_received(fig.received);
        out->set_closed(fig.closed);
        out->set_closed_on_time(fig.closed_on_time);
        out->set_revisited(fig.revisited);
        out->set_satisfied(fig.satisfied);
        out->set_overdue(fig.overdue);
        out->set_close_rate(fig.close_rate);
        out->set_on_time_rate(fig.on_time_rate);
        out->set_satisfaction_rate(fig.satisfaction_rate);
        out->set_avg_response_hours(fig.avg_response_hours);
        out->set_avg_close_working_days(fig.avg_close_working_days);
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerReadReactor<v1::ImportRowsRequest>* SupportService::ImportRequests(
    Ctx* ctx, v1::ImportRowsResponse* resp) {
  auto* reader = new ClientStream<v1::ImportRowsRequest>(ctx);
  return reader->Serve([=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        RequireAnyRole(call.principal, {roles::kAdmin, roles::kChainOffice, roles::kDepartment}));
    CHAINHUB_ASSIGN_OR_RETURN(
        const CsvImport file,
        ReadCsvImport(*reader, {.columns = &RequestCsvColumns(),
                                .required = kRequiredRequestCsvColumns,
                                .max_bytes = kMaxRequestImportBytes,
                                .max_rows = static_cast<size_t>(kMaxRequestImportRows)}));
    const bool validate_only = file.validate_only;
    const absl::Time now = clock().Now();
    std::vector<std::string> errors;
    std::vector<RequestCsvRow> rows;
    for (size_t i = 1; i < file.records.size(); ++i) {
      const CsvRecord& record = file.records[i];
      auto cells = CsvImportCells(file, record, &errors);
      if (!cells) continue;
      if (std::optional<RequestCsvRow> row = ReadRequestCsvRow(record.line, *cells, now, &errors)) {
        rows.push_back(std::move(*row));
      }
    }
    resp->set_rows(static_cast<int64_t>(file.rows()));

    // Every row is checked against the store before any is stored; with an error, or
    // validate_only, nothing is.
    auto apply = [&](SqlTx& tx, bool write) -> absl::Status {
      resp->set_created(0);
      resp->set_unchanged(0);
      resp->clear_errors();
      std::vector<std::string> all = errors;
      std::map<std::string, int> line_of_external;
      struct Ready {
        const RequestCsvRow* row;
        PreparedRequest prepared;
        std::string digest;
      };
      std::vector<Ready> ready;
      int64_t unchanged = 0;
      RequestStore db(tx);
      for (const RequestCsvRow& row : rows) {
        const std::string& external_id = row.request.external_id();
        if (auto [it, added] = line_of_external.emplace(external_id, row.line); !added) {
          all.push_back(absl::StrCat("line ", row.line, ": external_id: ", Quoted(external_id),
                                     " is on line ", it->second, " already"));
          continue;
        }
        absl::StatusOr<PreparedRequest> prepared =
            PrepareRequest(tx, call.principal, row.request, "");
        if (!prepared.ok()) {
          // The row's own faults are reported with its line; a store failure ends the import.
          const absl::StatusCode code = prepared.status().code();
          if (code != absl::StatusCode::kInvalidArgument && code != absl::StatusCode::kNotFound &&
              code != absl::StatusCode::kPermissionDenied) {
            return prepared.status();
          }
          AddRowErrors(row.line, prepared.status(), &all);
          continue;
        }
        std::string digest = InputDigest(prepared->request, row.accept_time);
        CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.FindExternal(external_id));
        if (existing) {
          if (existing->input_digest == digest) {
            ++unchanged;
          } else {
            all.push_back(absl::StrCat("line ", row.line, ": external_id: ", Quoted(external_id),
                                       " was imported as requests/", existing->id,
                                       " with other content; a request is not changed by import"));
          }
          continue;
        }
        ready.push_back({&row, std::move(*prepared), std::move(digest)});
      }
      if (!all.empty()) {
        SortByLine(&all);
        for (size_t i = 0; i < all.size() && i < static_cast<size_t>(kMaxRequestImportErrors);
             ++i) {
          resp->add_errors(ShownValue(all[i], 300));
        }
        if (all.size() > static_cast<size_t>(kMaxRequestImportErrors)) {
          resp->add_errors(
              absl::StrCat("and ", all.size() - kMaxRequestImportErrors, " more errors"));
        }
        return absl::OkStatus();
      }
      resp->set_unchanged(unchanged);
      resp->set_created(static_cast<int64_t>(ready.size()));
      if (!write) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(DeadlineSettings settings, ReadDeadlineSettings(tx));
      const absl::Time at = clock().Now();
      for (const Ready& r : ready) {
        CHAINHUB_RETURN_IF_ERROR(StoreAcceptedRequest(tx, call, r.prepared, settings,
                                                      r.row->accept_time.value_or(at), r.digest,
                                                      absl::StrCat("import line ", r.row->line), at)
                                     .status());
      }
      return absl::OkStatus();
    };
    if (validate_only) {
      return ReadTx([&](SqlTx& tx) { return apply(tx, false); });
    }
    return Mutate([&](SqlTx& tx) { return apply(tx, true); });
  });
}

grpc::ServerUnaryReactor* SupportService::PutCalendar(Ctx* ctx, const v1::PutCalendarRequest* req,
                                                      v1::Calendar* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    if (!req->calendar().name().empty() && req->calendar().name() != kCalendarName) {
      return InvalidField("calendar.name", absl::StrCat("must be ", kCalendarName,
                                                        ", the one calendar deadlines "
                                                        "count in"));
    }
    CHAINHUB_ASSIGN_OR_RETURN(WorkCalendar calendar,
                              CalendarFromProto(req->calendar(), "calendar"));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      CHAINHUB_ASSIGN_OR_RETURN(CalendarSetting current, ReadCalendar(tx));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->calendar().etag(), current.resource.etag(), kCalendarName));
      CHAINHUB_ASSIGN_OR_RETURN(CalendarSetting written, WriteCalendar(tx, calendar, now));
      *resp = written.resource;
      return AppendAudit(tx, call, kCalendarName, absl::StrCat("days=", calendar.days().size()),
                         now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetCalendar(Ctx* ctx, const v1::GetCalendarRequest* req,
                                                      v1::Calendar* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    if (!req->name().empty() && req->name() != kCalendarName) {
      return InvalidField("name", absl::StrCat("must be ", kCalendarName));
    }
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(CalendarSetting current, ReadCalendar(tx));
      *resp = std::move(current.resource);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::PutDeadlineRules(Ctx* ctx,
                                                           const v1::PutDeadlineRulesRequest* req,
                                                           v1::DeadlineRules* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    const v1::DeadlineRules& given = req->deadline_rules();
    if (!given.name().empty() && given.name() != kDeadlineRulesName) {
      return InvalidField("deadline_rules.name", absl::StrCat("must be ", kDeadlineRulesName));
    }
    CHAINHUB_ASSIGN_OR_RETURN(std::vector<DeadlineRule> rules,
                              RulesFromProto(given, "deadline_rules"));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      CHAINHUB_ASSIGN_OR_RETURN(RulesSetting current, ReadDeadlineRules(tx));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(given.etag(), current.resource.etag(), kDeadlineRulesName));
      CHAINHUB_ASSIGN_OR_RETURN(RulesSetting written, WriteDeadlineRules(tx, rules, now));
      *resp = written.resource;
      return AppendAudit(tx, call, kDeadlineRulesName, absl::StrCat("rules=", rules.size()), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetDeadlineRules(Ctx* ctx,
                                                           const v1::GetDeadlineRulesRequest*,
                                                           v1::DeadlineRules* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(RulesSetting current, ReadDeadlineRules(tx));
      *resp = std::move(current.resource);
      return absl::OkStatus();
    });
  });
}

absl::StatusOr<int> SupportService::SweepRequests(int batch) {
  int swept = 0;
  CHAINHUB_RETURN_IF_ERROR(Mutate([&](SqlTx& tx) -> absl::Status {
    swept = 0;  // the writer may run this again
    const absl::Time now = clock().Now();
    RequestStore db(tx);
    CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> due, db.DueBefore(now, std::max(batch, 1)));
    for (const std::string& id : due) {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Request request, db.Get(id));
      CHAINHUB_ASSIGN_OR_RETURN(int missed, EscalateMissed(tx, now, &request));
      if (missed > 0) ++swept;
    }
    return absl::OkStatus();
  }));
  return swept;
}

}  // namespace chainhub::support
