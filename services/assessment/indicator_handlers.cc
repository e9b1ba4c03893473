// Indicators: Create/Get/List/UpdateIndicator. Every definition an indicator has had is kept, so
// a run recomputed later reads the definition it read.
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/internal/handler_support.h"
#include "services/assessment/names.h"
#include "services/assessment/scheme_rules.h"

namespace chainhub::assessment {

using internal::RequireAssessor;

namespace {

// The indicator as written: output-only fields cleared, after its rules are checked.
absl::StatusOr<v1::Indicator> Checked(const v1::Indicator& given) {
  v1::Indicator indicator = given;
  indicator.clear_etag();
  indicator.clear_create_time();
  indicator.clear_update_time();
  std::vector<FieldViolation> violations;
  CheckIndicator(indicator, "indicator", &violations);
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  return indicator;
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentService::CreateIndicator(
    Ctx* ctx, const v1::CreateIndicatorRequest* req, v1::Indicator* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator indicator, Checked(req->indicator()));
    CHAINHUB_ASSIGN_OR_RETURN(IndicatorName name,
                              IndicatorName::Parse("indicator.name", indicator.name()));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Indicator>(tx, call, req->request_id(),
                                                                digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.IndicatorExists(name.key));
      if (exists) return AlreadyExists("Indicator", name.String());
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.InsertIndicator(name.key, indicator, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetIndicator(name.key));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, name.String(), CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::GetIndicator(Ctx* ctx,
                                                          const v1::GetIndicatorRequest* req,
                                                          v1::Indicator* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(IndicatorName name, IndicatorName::Parse("name", req->name()));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetIndicator(name.key));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListIndicators(
    Ctx* ctx, const v1::ListIndicatorsRequest* req, v1::ListIndicatorsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::Indicator> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Indicator>(
          "ListIndicators", req->page_size(), req->page_token(), "", "", {},
          OrderSpec{{"key"}, false}, [&](const PageQuery& q) { return db.ListIndicators(q); },
          &page, &next));
      for (auto& i : page) *resp->add_indicators() = std::move(i);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::UpdateIndicator(
    Ctx* ctx, const v1::UpdateIndicatorRequest* req, v1::Indicator* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator indicator, Checked(req->indicator()));
    CHAINHUB_ASSIGN_OR_RETURN(IndicatorName name,
                              IndicatorName::Parse("indicator.name", indicator.name()));
    if (req->indicator().etag().empty()) {
      return InvalidField("indicator.etag", "must be set to the current etag");
    }
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator current, db.GetIndicator(name.key));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->indicator().etag(), current.etag(), name.String()));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.ReplaceIndicator(name.key, indicator, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetIndicator(name.key));
      return AppendAudit(tx, call, name.String(), "replace", now);
    });
  });
}

}  // namespace chainhub::assessment
