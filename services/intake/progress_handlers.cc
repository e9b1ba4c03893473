// Monthly progress: ReportProgress and ListProgressReports.
#include <utility>

#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/events/outbox.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/names.h"
#include "services/intake/progress.h"
#include "services/intake/validation.h"

namespace chainhub::intake {

using internal::InvalidateProject;
using internal::kSource;

namespace {

// Who may report a project's progress: an admin, the chain's office, or the responsible
// department.
absl::Status RequireProgressWriter(const AuthorizedCall& call, const StoredProject& stored) {
  const v1::Project& p = stored.project;
  if (call.principal.CanWriteChain(stored.chain.chain)) return absl::OkStatus();
  if (call.principal.HasRole(roles::kDepartment) &&
      call.principal.subject == p.responsible_department()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      call.principal.subject, " may not report progress of ", p.name(),
      ": only an admin, the office of ", p.chain(), " or ", p.responsible_department(), " may"));
}

}  // namespace

grpc::ServerUnaryReactor* IntakeService::ReportProgress(Ctx* ctx,
                                                        const v1::ReportProgressRequest* req,
                                                        v1::ProgressReport* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ProjectName name, ProjectName::Parse("parent", req->parent()));
    const std::string& id = name.id;
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckProgressReport(req->report(), "report", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return MutateOnce<v1::ProgressReport>(
        call, *req, req->request_id(), resp,
        [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv, absl::Time now) -> absl::Status {
          CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
          v1::Project p = current.project;
          CHAINHUB_RETURN_IF_ERROR(RequireProgressWriter(call, current));
          const v1::ProgressReport& r = req->report();
          const std::string subject = ProgressReportName{id, r.month()}.String();
          CHAINHUB_RETURN_IF_ERROR(
              CheckReportMonth(current.state.stage, r.month(), ChinaDate(now), subject));
          CHAINHUB_ASSIGN_OR_RETURN(auto before, db.ReportBefore(id, r.month()));
          CHAINHUB_ASSIGN_OR_RETURN(auto after, db.ReportAfter(id, r.month()));
          CHAINHUB_RETURN_IF_ERROR(
              CheckCumulativeFigures(r, before, after, p.total_investment_yuan()));
          CHAINHUB_ASSIGN_OR_RETURN(auto replaced, db.GetReport(id, r.month()));
          v1::ProgressReport report = r;
          report.set_principal(call.principal.subject);
          CHAINHUB_RETURN_IF_ERROR(db.PutReport(id, report, now));
          CHAINHUB_ASSIGN_OR_RETURN(auto stored_report, db.GetReport(id, r.month()));
          *resp = *stored_report;
          if (!after) FollowLatestReport(r, &p);
          CHAINHUB_ASSIGN_OR_RETURN(bool light_changed,
                                    RefreshLight(db, id, &p, current.state, now));
          CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, &p, current.state, now));
          auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_PROGRESS_REPORTED, p.name(),
                                current.chain.chain, now, *resp);
          CHAINHUB_RETURN_IF_ERROR(
              AppendAudit(tx, call, subject, ReportAuditDetail(r, replaced), now));
          CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, std::move(event)));
          if (light_changed) {
            CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, p, current.chain, now));
          }
          InvalidateProject(inv, id, current.chain.chain);
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* IntakeService::ListProgressReports(
    Ctx* ctx, const v1::ListProgressReportsRequest* req, v1::ListProgressReportsResponse* resp) {
  return ListOfProject<v1::ProgressReport>(
      ctx, "ListProgressReports", req->parent(), req->page_size(), req->page_token(), "month",
      [](IntakeTx& db, const std::string& id, const std::string& after, int limit) {
        return db.ListReports(id, after, limit);
      },
      resp->mutable_progress_reports(), resp->mutable_next_page_token());
}

}  // namespace chainhub::intake
