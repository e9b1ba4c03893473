// The stage machine on the wire: TransitionStage and ListStageChanges.
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/names.h"
#include "services/intake/stages.h"

namespace chainhub::intake {

using internal::InvalidateProject;
using internal::kSource;

grpc::ServerUnaryReactor* IntakeService::TransitionStage(Ctx* ctx,
                                                         const v1::TransitionStageRequest* req,
                                                         v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ProjectName name, ProjectName::Parse("name", req->name()));
    const std::string& id = name.id;
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    return MutateOnce<v1::Project>(
        call, *req, req->request_id(), resp,
        [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv, absl::Time now) -> absl::Status {
          CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
          CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, current.chain.chain));
          CHAINHUB_RETURN_IF_ERROR(
              CheckEtag(req->etag(), current.project.etag(), current.project.name()));
          const std::string today = ChinaDate(now);
          const std::string date = req->effective_date().empty() ? today : req->effective_date();
          CHAINHUB_RETURN_IF_ERROR(
              CheckTransition(current.state, req->to_stage(), date, req->reason(), today));
          v1::Project p = current.project;
          StageState state = current.state;
          const v1::Stage from = state.stage;
          ApplyTransition(&state, p.mutable_stage_dates(), req->to_stage(), date);
          p.set_stage(state.stage);
          if (KeepsReason(state.stage)) {
            p.set_stage_reason(req->reason());
          } else {
            p.clear_stage_reason();
          }
          v1::StageChange change;
          change.set_from_stage(from);
          change.set_to_stage(req->to_stage());
          change.set_effective_date(date);
          change.set_reason(req->reason());
          change.set_principal(call.principal.subject);
          CHAINHUB_ASSIGN_OR_RETURN(change, db.AppendStageChange(id, change, now));
          CHAINHUB_ASSIGN_OR_RETURN(bool light_changed, RefreshLight(db, id, &p, state, now));
          CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, &p, state, now));
          *resp = std::move(p);
          auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_STAGE_CHANGED, resp->name(),
                                current.chain.chain, now, change);
          CHAINHUB_RETURN_IF_ERROR(RecordMutation(
              tx, call, std::move(event),
              absl::StrCat(StageName(from), "->", StageName(req->to_stage()), " ", date), now));
          if (light_changed) {
            CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, *resp, current.chain, now));
          }
          InvalidateProject(inv, id, current.chain.chain);
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* IntakeService::ListStageChanges(Ctx* ctx,
                                                          const v1::ListStageChangesRequest* req,
                                                          v1::ListStageChangesResponse* resp) {
  return ListOfProject<v1::StageChange>(
      ctx, "ListStageChanges", req->parent(), req->page_size(), req->page_token(), "seq",
      [](IntakeTx& db, const std::string& id, const std::string& after, int limit) {
        int64_t seq = 0;
        if (!after.empty() && !absl::SimpleAtoi(after, &seq)) seq = 0;
        return db.ListStageChanges(id, seq, limit);
      },
      resp->mutable_stage_changes(), resp->mutable_next_page_token());
}

}  // namespace chainhub::intake
