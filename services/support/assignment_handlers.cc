// 包保: CreateAssignment, GetAssignment, ListAssignments, UpdateAssignment, LogVisit, ListVisits.
// An assignment is made by an admin or the chain office of a chain the enterprise is on; its
// departments may then see the enterprise's support data (access.h) and log visits.
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/support/access.h"
#include "services/support/assignment_store.h"
#include "services/support/assignments.h"
#include "services/support/enterprises.h"
#include "services/support/names.h"
#include "services/support/request_intake.h"
#include "services/support/support_service.h"

namespace chainhub::support {

namespace {

// Admin, or the chain office of a chain the enterprise is on.
absl::Status RequireChainOfficeOf(const Principal& p, const EnterpriseFacts& e) {
  if (p.IsAdmin()) return absl::OkStatus();
  if (p.HasRole(roles::kChainOffice)) {
    for (const std::string& chain : e.chains) {
      if (p.chains.contains(chain)) return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      absl::StrCat("assigning ", e.Name(),
                   " needs the admin role or the chain office of a chain it is on"));
}

const std::vector<std::string>& AssignmentWritable() {
  static const auto* fields =
      new std::vector<std::string>{"leader", "officers", "end_date", "cadence"};
  return *fields;
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::CreateAssignment(Ctx* ctx,
                                                           const v1::CreateAssignmentRequest* req,
                                                           v1::Assignment* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckAssignment(req->assignment(), "assignment", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::Assignment>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(
          EnterpriseFacts enterprise,
          EnterpriseCopy(tx).Get("assignment.enterprise", req->assignment().enterprise()));
      CHAINHUB_RETURN_IF_ERROR(RequireChainOfficeOf(call.principal, enterprise));
      const absl::Time now = clock().Now();
      v1::Assignment a = req->assignment();
      a.set_enterprise(enterprise.Name());
      const std::string id = NewUuidV7(now);
      AssignmentStore db(tx, ChinaDate(now));
      CHAINHUB_RETURN_IF_ERROR(db.Insert(id, a, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(id));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, resp->name(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetAssignment(Ctx* ctx,
                                                        const v1::GetAssignmentRequest* req,
                                                        v1::Assignment* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(AssignmentName name, AssignmentName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      const std::string today = ChinaDate(clock().Now());
      CHAINHUB_ASSIGN_OR_RETURN(*resp, AssignmentStore(tx, today).Get(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", resp->enterprise()));
      return RequireEnterpriseAccess(tx, call.principal, e, today);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListAssignments(
    Ctx* ctx, const v1::ListAssignmentsRequest* req, v1::ListAssignmentsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    const std::string today = ChinaDate(clock().Now());
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      AssignmentStore db(tx, today);
      std::vector<v1::Assignment> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Assignment>(
          "ListAssignments", req->page_size(), req->page_token(), req->filter(), "",
          AssignmentFilterFields(today), OrderSpec{{"a.id"}, false},
          [&](const PageQuery& q) {
            std::vector<SqlValue> params = q.filter.params;
            Visibility v = EnterpriseVisibility(call.principal, "a.credit_code", today,
                                                static_cast<int>(params.size()) + 1);
            params.insert(params.end(), v.params.begin(), v.params.end());
            std::vector<std::string> extra;
            if (!v.sql.empty()) extra.push_back(v.sql);
            return db.List(q, std::move(params), extra);
          },
          &page, &next));
      for (auto& a : page) *resp->add_assignments() = std::move(a);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::UpdateAssignment(Ctx* ctx,
                                                           const v1::UpdateAssignmentRequest* req,
                                                           v1::Assignment* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(AssignmentName name,
                              AssignmentName::Parse("assignment.name", req->assignment().name()));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      AssignmentStore db(tx, ChinaDate(now));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Assignment current, db.Get(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", current.enterprise()));
      CHAINHUB_RETURN_IF_ERROR(RequireChainOfficeOf(call.principal, e));
      if (!req->assignment().etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(
            CheckEtag(req->assignment().etag(), current.etag(), name.String()));
      }
      CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(req->assignment(), req->update_mask(),
                                               AssignmentWritable(), &current));
      std::vector<FieldViolation> violations;
      CheckAssignment(current, "assignment", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_RETURN_IF_ERROR(db.Update(name.id, current, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name.id));
      return AppendAudit(tx, call, name.String(), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::LogVisit(Ctx* ctx, const v1::LogVisitRequest* req,
                                                   v1::Visit* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_ASSIGN_OR_RETURN(AssignmentName parent, AssignmentName::Parse("parent", req->parent()));
    if (req->visit().new_requests_size() > 20) {
      return InvalidField("visit.new_requests", "must be at most 20");
    }
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Visit>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock().Now();
      const std::string today = ChinaDate(now);
      AssignmentStore db(tx, today);
      CHAINHUB_ASSIGN_OR_RETURN(v1::Assignment a, db.Get(parent.id));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", a.enterprise()));
      CHAINHUB_RETURN_IF_ERROR(RequireEnterpriseAccess(tx, call.principal, e, today));
      std::vector<FieldViolation> violations;
      CheckVisit(req->visit(), a.start_date(), today, "visit", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      v1::Visit visit = req->visit();
      visit.clear_requests_raised();
      visit.set_principal(call.principal.subject);
      // The requests raised on the visit are accepted with it, in the same transaction.
      for (int i = 0; i < req->visit().new_requests_size(); ++i) {
        v1::Request r = req->visit().new_requests(i);
        r.set_enterprise(e.Name());
        r.set_channel(v1::VISIT);
        CHAINHUB_ASSIGN_OR_RETURN(
            v1::Request made,
            AcceptRequest(tx, call, r, absl::StrCat("visit.new_requests[", i, "]"), now));
        visit.add_requests_raised(made.name());
      }
      const std::string id = NewUuidV7(now);
      CHAINHUB_RETURN_IF_ERROR(db.InsertVisit(parent.id, id, e.credit_code, visit, now));
      *resp = visit;
      resp->clear_new_requests();
      resp->set_name(VisitName{parent.id, id}.String());
      SetTimestamp(resp->mutable_create_time(), Micros(now));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, resp->name(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListVisits(Ctx* ctx, const v1::ListVisitsRequest* req,
                                                     v1::ListVisitsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    std::string assignment;
    if (req->parent() != "assignments/-") {
      CHAINHUB_ASSIGN_OR_RETURN(AssignmentName parent,
                                AssignmentName::Parse("parent", req->parent()));
      assignment = parent.id;
    }
    const std::string today = ChinaDate(clock().Now());
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      AssignmentStore db(tx, today);
      if (!assignment.empty()) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Assignment a, db.Get(assignment));
        CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                  EnterpriseCopy(tx).Get("enterprise", a.enterprise()));
        CHAINHUB_RETURN_IF_ERROR(RequireEnterpriseAccess(tx, call.principal, e, today));
      }
      std::vector<v1::Visit> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Visit>(
          "ListVisits", req->page_size(), req->page_token(), req->filter(), req->parent(),
          VisitFilterFields(), OrderSpec{{"v.visit_date", "v.assignment_id", "v.id"}, true},
          [&](const PageQuery& q) {
            std::vector<SqlValue> params = q.filter.params;
            std::vector<std::string> extra;
            if (!assignment.empty()) {
              params.push_back(assignment);
              extra.push_back(absl::StrCat("v.assignment_id = $", params.size()));
            } else {
              Visibility v = EnterpriseVisibility(call.principal, "v.credit_code", today,
                                                  static_cast<int>(params.size()) + 1);
              params.insert(params.end(), v.params.begin(), v.params.end());
              if (!v.sql.empty()) extra.push_back(v.sql);
            }
            return db.ListVisits(q, std::move(params), extra);
          },
          &page, &next));
      for (auto& v : page) *resp->add_visits() = std::move(v);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::support
