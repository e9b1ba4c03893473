// Schedules (PutSchedule, ListSchedules, DeleteSchedule) and the facts (GetFactsStatus,
// RebuildFacts). The scheduler that acts on the schedules is scheduler.h.
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/assessment/assessment_service.h"
#include "services/assessment/internal/handler_support.h"
#include "services/assessment/names.h"
#include "services/assessment/scheduler.h"

namespace chainhub::assessment {

using internal::RequireAssessor;

namespace {

bool IsTimeOfDay(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  return text.size() == 5 && parts.size() == 2 && absl::SimpleAtoi(parts[0], &h) &&
         absl::SimpleAtoi(parts[1], &m) && h >= 0 && h < 24 && m >= 0 && m < 60;
}

void CheckSchedule(const v1::Schedule& s, std::vector<FieldViolation>* v) {
  // An unknown number is no cadence either: stored, it would be run as an annual one.
  if (s.cadence() != v1::CADENCE_MONTHLY && s.cadence() != v1::CADENCE_QUARTERLY &&
      s.cadence() != v1::CADENCE_ANNUAL) {
    v->push_back({"schedule.cadence", "must be CADENCE_MONTHLY, CADENCE_QUARTERLY or "
                                      "CADENCE_ANNUAL"});
  }
  if (s.days_after_period_end() < 0 || s.days_after_period_end() > 90) {
    v->push_back({"schedule.days_after_period_end", "must be between 0 and 90"});
  }
  if (!s.time_of_day().empty() && !IsTimeOfDay(s.time_of_day())) {
    v->push_back({"schedule.time_of_day", "must be HH:MM (China time)"});
  }
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentService::PutSchedule(Ctx* ctx,
                                                         const v1::PutScheduleRequest* req,
                                                         v1::Schedule* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    v1::Schedule schedule = req->schedule();
    CHAINHUB_ASSIGN_OR_RETURN(ScheduleName name,
                              ScheduleName::Parse("schedule.name", schedule.name()));
    CHAINHUB_ASSIGN_OR_RETURN(SchemeName scheme,
                              SchemeName::ParseLatest("schedule.scheme", schedule.scheme()));
    std::vector<FieldViolation> violations;
    CheckSchedule(schedule, &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    if (schedule.time_of_day().empty()) schedule.set_time_of_day("02:00");
    schedule.set_name(name.String());
    schedule.set_scheme(scheme.String());
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_RETURN_IF_ERROR(db.GetScheme(scheme.id).status());
      if (!req->schedule().etag().empty()) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Schedule current, db.GetSchedule(name.id));
        CHAINHUB_RETURN_IF_ERROR(
            CheckEtag(req->schedule().etag(), current.etag(), name.String()));
      }
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.PutSchedule(name.id, schedule, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetSchedule(name.id));
      SetTimestamp(resp->mutable_next_run_time(), Micros(NextRunTime(*resp, now)));
      return AppendAudit(tx, call, name.String(), "put", now);
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::ListSchedules(Ctx* ctx,
                                                           const v1::ListSchedulesRequest* req,
                                                           v1::ListSchedulesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](SqlTx&, AssessmentTx& db) -> absl::Status {
      std::vector<v1::Schedule> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Schedule>(
          "ListSchedules", req->page_size(), req->page_token(), "", "", {},
          OrderSpec{{"id"}, false}, [&](const PageQuery& q) { return db.ListSchedules(q); },
          &page, &next));
      const absl::Time now = clock_.Now();
      for (auto& s : page) {
        SetTimestamp(s.mutable_next_run_time(), Micros(NextRunTime(s, now)));
        *resp->add_schedules() = std::move(s);
      }
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::DeleteSchedule(Ctx* ctx,
                                                            const v1::DeleteScheduleRequest* req,
                                                            v1::Schedule* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAssessor(call));
    CHAINHUB_ASSIGN_OR_RETURN(ScheduleName name, ScheduleName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx, AssessmentTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetSchedule(name.id));
      CHAINHUB_RETURN_IF_ERROR(db.DeleteSchedule(name.id));
      return AppendAudit(tx, call, name.String(), "delete", clock_.Now());
    });
  });
}

grpc::ServerUnaryReactor* AssessmentService::GetFactsStatus(Ctx* ctx,
                                                            const v1::GetFactsStatusRequest*,
                                                            v1::FactsStatus* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    if (facts_ == nullptr) return absl::UnavailableError("the facts are not kept by this process");
    CHAINHUB_ASSIGN_OR_RETURN(*resp, facts_->Status());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AssessmentService::RebuildFacts(Ctx* ctx,
                                                          const v1::RebuildFactsRequest*,
                                                          v1::FactsStatus* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    if (facts_ == nullptr) return absl::UnavailableError("the facts are not kept by this process");
    CHAINHUB_ASSIGN_OR_RETURN(*resp, facts_->Rebuild());
    return Mutate([&](SqlTx& tx, AssessmentTx&) -> absl::Status {
      return AppendAudit(tx, call, "facts", "rebuild", clock_.Now());
    });
  });
}

}  // namespace chainhub::assessment
