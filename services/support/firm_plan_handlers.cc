// 一企一策: CreateFirmPlan, GetFirmPlan, ListFirmPlans, UpdateFirmPlan, AddFirmPlanReview. Whoever
// may see the enterprise's support data (access.h: its assigned departments, the chain office of
// its chains, admins) may also write its plan; viewers and others may not read it.
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
#include "services/support/support_service.h"

namespace chainhub::support {

namespace {

const std::vector<std::string>& FirmPlanWritable() {
  static const auto* fields = new std::vector<std::string>{"title", "goals", "measures"};
  return *fields;
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::CreateFirmPlan(Ctx* ctx,
                                                         const v1::CreateFirmPlanRequest* req,
                                                         v1::FirmPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckFirmPlan(req->firm_plan(), "firm_plan", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::FirmPlan>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock().Now();
      const std::string today = ChinaDate(now);
      CHAINHUB_ASSIGN_OR_RETURN(
          EnterpriseFacts e,
          EnterpriseCopy(tx).Get("firm_plan.enterprise", req->firm_plan().enterprise()));
      CHAINHUB_RETURN_IF_ERROR(RequireEnterpriseAccess(tx, call.principal, e, today));
      v1::FirmPlan plan = req->firm_plan();
      plan.set_enterprise(e.Name());
      plan.clear_reviews();
      const std::string id = NewUuidV7(now);
      AssignmentStore db(tx, today);
      CHAINHUB_RETURN_IF_ERROR(db.InsertFirmPlan(id, plan, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetFirmPlan(id));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, resp->name(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetFirmPlan(Ctx* ctx, const v1::GetFirmPlanRequest* req,
                                                      v1::FirmPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(FirmPlanName name, FirmPlanName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      const std::string today = ChinaDate(clock().Now());
      CHAINHUB_ASSIGN_OR_RETURN(*resp, AssignmentStore(tx, today).GetFirmPlan(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", resp->enterprise()));
      return RequireEnterpriseAccess(tx, call.principal, e, today);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListFirmPlans(Ctx* ctx,
                                                        const v1::ListFirmPlansRequest* req,
                                                        v1::ListFirmPlansResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    const std::string today = ChinaDate(clock().Now());
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      AssignmentStore db(tx, today);
      std::vector<v1::FirmPlan> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::FirmPlan>(
          "ListFirmPlans", req->page_size(), req->page_token(), req->filter(), "",
          FirmPlanFilterFields(), OrderSpec{{"p.id"}, false},
          [&](const PageQuery& q) {
            std::vector<SqlValue> params = q.filter.params;
            Visibility v = EnterpriseVisibility(call.principal, "p.credit_code", today,
                                                static_cast<int>(params.size()) + 1);
            params.insert(params.end(), v.params.begin(), v.params.end());
            std::vector<std::string> extra;
            if (!v.sql.empty()) extra.push_back(v.sql);
            return db.ListFirmPlans(q, std::move(params), extra);
          },
          &page, &next));
      for (auto& p : page) *resp->add_firm_plans() = std::move(p);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::UpdateFirmPlan(Ctx* ctx,
                                                         const v1::UpdateFirmPlanRequest* req,
                                                         v1::FirmPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(FirmPlanName name,
                              FirmPlanName::Parse("firm_plan.name", req->firm_plan().name()));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      const std::string today = ChinaDate(now);
      AssignmentStore db(tx, today);
      CHAINHUB_ASSIGN_OR_RETURN(v1::FirmPlan current, db.GetFirmPlan(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", current.enterprise()));
      CHAINHUB_RETURN_IF_ERROR(RequireEnterpriseAccess(tx, call.principal, e, today));
      if (!req->firm_plan().etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->firm_plan().etag(), current.etag(), name.String()));
      }
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->firm_plan(), req->update_mask(), FirmPlanWritable(), &current));
      std::vector<FieldViolation> violations;
      CheckFirmPlan(current, "firm_plan", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_RETURN_IF_ERROR(db.UpdateFirmPlan(name.id, current, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetFirmPlan(name.id));
      return AppendAudit(tx, call, name.String(), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::AddFirmPlanReview(
    Ctx* ctx, const v1::AddFirmPlanReviewRequest* req, v1::FirmPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(FirmPlanName name, FirmPlanName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      const absl::Time now = clock().Now();
      const std::string today = ChinaDate(now);
      std::vector<FieldViolation> violations;
      CheckFirmPlanReview(req->review(), today, "review", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      AssignmentStore db(tx, today);
      CHAINHUB_ASSIGN_OR_RETURN(v1::FirmPlan current, db.GetFirmPlan(name.id));
      CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts e,
                                EnterpriseCopy(tx).Get("enterprise", current.enterprise()));
      CHAINHUB_RETURN_IF_ERROR(RequireEnterpriseAccess(tx, call.principal, e, today));
      if (!req->etag().empty()) {
        CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), name.String()));
      }
      if (current.reviews_size() >= 200) {
        return FailedPrecondition(name.String(), "holds 200 reviews, the most a plan keeps");
      }
      *current.add_reviews() = req->review();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateFirmPlan(name.id, current, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetFirmPlan(name.id));
      return AppendAudit(tx, call, name.String(), "review", now);
    });
  });
}

}  // namespace chainhub::support
