// 规划引领: chain plans (CreateChainPlan, GetChainPlan, ListChainPlans, UpdateChainPlan,
// ListChainPlanVersions), publishing them to assessment and intake (PublishChainPlan), and their
// progress (ReportPlanProgress, GetPlanProgress). Admins and the chain's office write; every role
// reads. Every update is a new version; publishing and the at-risk warnings are recorded so that
// neither is done twice.
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <google/protobuf/field_mask.pb.h>
#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "chainhub/support/v1/support_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/events/outbox.h"
#include "common/service/audit.h"
#include "common/service/peer.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/assessment/names.h"
#include "services/assessment/periods.h"
#include "services/support/chain_plan_store.h"
#include "services/support/chain_plans.h"
#include "services/support/figures_load.h"
#include "services/support/names.h"
#include "services/support/support_service.h"

namespace chainhub::support {
namespace {

constexpr size_t kMaxTaskNoteChars = 1000;

// The plan as it is checked and stored: output-only fields cleared; end_year filled in from the
// kind's span when left 0.
v1::ChainPlan Normalized(v1::ChainPlan p) {
  p.clear_name();
  p.clear_version();
  p.clear_published_version();
  p.clear_etag();
  p.clear_create_time();
  p.clear_update_time();
  for (v1::PlanTask& task : *p.mutable_tasks()) task.clear_work_item();
  const int span = PlanSpanYears(p.kind());
  if (p.end_year() == 0 && span != 0 && p.start_year() != 0) {
    p.set_end_year(p.start_year() + span - 1);
  }
  return p;
}

absl::Status CheckedPlan(const v1::ChainPlan& plan) {
  std::vector<FieldViolation> violations;
  CheckChainPlan(plan, "plan", &violations);
  return ToStatus(violations);
}

absl::StatusOr<std::optional<std::string>> ListParent(absl::string_view parent) {
  if (parent == "chains/-") return std::optional<std::string>();
  CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", parent));
  return std::optional<std::string>(chain.chain);
}

// plan.changed, with the plan as it is now, and its audit row.
absl::Status RecordPlanChanged(SqlTx& tx, const AuthorizedCall& call, const ChainPlanName& name,
                               const v1::ChainPlan& plan, absl::string_view detail,
                               absl::Time now) {
  CloudEvent event = NewEvent(kEventSource, call, v1::SUPPORT_EVENT_PLAN_CHANGED, name.String(),
                              name.chain, now, plan);
  return RecordMutation(tx, call, std::move(event), detail, now);
}

// The caller's own bearer token, as it came ("Bearer …"), to act as the caller at the peers.
std::string CallerAuthorization(const grpc::CallbackServerContext* ctx) {
  const auto& metadata = ctx->client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// A peer's refusal as publishing's own error: the peer's code, a message naming what failed.
absl::Status PeerFailure(const grpc::Status& status, const ChainPlanName& name,
                         absl::string_view what) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("publishing ", name.String(), ": ", what, " failed (",
                                   ShownValue(status.error_message(), 300),
                                   "); what was published before it is recorded, and publishing "
                                   "again continues from there"));
}

// The rules a progress report breaks against `plan`.
std::vector<FieldViolation> CheckProgressReport(const v1::ReportPlanProgressRequest& req,
                                                const assessment::Period& period,
                                                const v1::ChainPlan& plan) {
  std::vector<FieldViolation> v;
  if (period.year < plan.start_year() || period.year > plan.end_year()) {
    v.push_back({"period", absl::StrCat("must fall within the plan's span ", plan.start_year(), "-",
                                        plan.end_year())});
  }
  std::set<std::string> indicators;
  for (const v1::PlanTarget& t : plan.targets()) indicators.insert(t.indicator());
  for (const auto& [indicator, value] : req.actuals()) {
    const std::string field = absl::StrCat("actuals[", Quoted(indicator), "]");
    if (!assessment::IndicatorName::Parse(field, indicator).ok()) {
      v.push_back({field, "must be keyed by an indicator name indicators/{key}"});
    } else if (!indicators.contains(indicator)) {
      v.push_back({field, "the plan sets no target on this indicator"});
    }
    if (!std::isfinite(value)) v.push_back({field, "must be a finite number"});
  }
  std::set<std::string> numbers;
  for (const v1::PlanTask& t : plan.tasks()) numbers.insert(t.number());
  std::set<std::string> reported;
  for (int i = 0; i < req.tasks_size(); ++i) {
    const v1::TaskReport& t = req.tasks(i);
    const std::string p = absl::StrCat("tasks[", i, "]");
    if (!numbers.contains(t.number())) {
      v.push_back({p + ".number", absl::StrCat("the plan has no task ", Quoted(t.number()))});
    } else if (!reported.insert(t.number()).second) {
      v.push_back({p + ".number", "is reported twice"});
    }
    if (t.percent_done() < 0 || t.percent_done() > 100) {
      v.push_back({p + ".percent_done", "must be 0-100"});
    }
    CheckMultiLineText(&v, p + ".note", t.note(), false, kMaxTaskNoteChars);
  }
  if (req.actuals().empty() && req.tasks().empty()) {
    v.push_back({"actuals", "must report at least one actual or one task"});
  }
  return v;
}

}  // namespace

grpc::ServerUnaryReactor* SupportService::CreateChainPlan(Ctx* ctx,
                                                          const v1::CreateChainPlanRequest* req,
                                                          v1::ChainPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", req->parent()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain.chain));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    const v1::ChainPlan plan = Normalized(req->plan());
    CHAINHUB_RETURN_IF_ERROR(CheckedPlan(plan));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::ChainPlan>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock_.Now();
      const ChainPlanName name{chain.chain, NewUuidV7(now)};
      ChainPlansTx db(tx);
      CHAINHUB_RETURN_IF_ERROR(db.Insert(name, plan, call.principal.subject, now));
      CHAINHUB_RETURN_IF_ERROR(db.NoteTasks(name.id, plan, assessment::ChinaDay(now)));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name));
      CHAINHUB_RETURN_IF_ERROR(
          RecordPlanChanged(tx, call, name, *resp, CreateDetail(req->request_id()), now));
      return RememberResponse(tx, call, req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetChainPlan(Ctx* ctx, const v1::GetChainPlanRequest* req,
                                                       v1::ChainPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name, ChainPlanName::Parse("name", req->name()));
    if (req->version() < 0) return InvalidField("version", "must be ≥ 0 (0: the latest)");
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, ChainPlansTx(tx).Get(name, req->version()));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListChainPlans(Ctx* ctx,
                                                         const v1::ListChainPlansRequest* req,
                                                         v1::ListChainPlansResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::optional<std::string> chain, ListParent(req->parent()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      std::vector<v1::ChainPlan> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::ChainPlan>(
          absl::StrCat("ListChainPlans:", req->parent()), req->page_size(), req->page_token(),
          req->filter(), "", ChainPlanFilterFields(), OrderSpec{{"p.id"}, false},
          [&](const PageQuery& q) { return db.List(chain, q); }, &page, &next));
      for (auto& p : page) *resp->add_plans() = std::move(p);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::UpdateChainPlan(Ctx* ctx,
                                                          const v1::UpdateChainPlanRequest* req,
                                                          v1::ChainPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name,
                              ChainPlanName::Parse("plan.name", req->plan().name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::ChainPlan current, db.Get(name));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->plan().etag(), current.etag(), name.String()));
      v1::ChainPlan merged = Normalized(current);
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->plan(), req->update_mask(), ChainPlanWritableFields(), &merged));
      merged = Normalized(std::move(merged));
      CHAINHUB_RETURN_IF_ERROR(CheckedPlan(merged));
      const absl::Time now = clock_.Now();
      CHAINHUB_ASSIGN_OR_RETURN(int version,
                                db.AddVersion(name, merged, call.principal.subject, now));
      CHAINHUB_RETURN_IF_ERROR(db.NoteTasks(name.id, merged, assessment::ChinaDay(now)));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name));
      return RecordPlanChanged(
          tx, call, name, *resp,
          absl::StrCat("version ", version, ": ", MaskText(req->update_mask())), now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ListChainPlanVersions(
    Ctx* ctx, const v1::ListChainPlanVersionsRequest* req, v1::ListChainPlansResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name, ChainPlanName::Parse("name", req->name()));
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      CHAINHUB_RETURN_IF_ERROR(db.Get(name).status());
      std::vector<v1::ChainPlan> page;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::ChainPlan>(
          absl::StrCat("ListChainPlanVersions:", req->name()), req->page_size(), req->page_token(),
          "", "", {}, OrderSpec{{"v.version"}, true},
          [&](const PageQuery& q) { return db.Versions(name, q); }, &page, &next));
      for (auto& p : page) *resp->add_plans() = std::move(p);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::PublishChainPlan(Ctx* ctx,
                                                           const v1::PublishChainPlanRequest* req,
                                                           v1::ChainPlan* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name, ChainPlanName::Parse("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    v1::ChainPlan plan;
    std::map<PublicationKey, Publication> published;
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(plan, db.Get(name));
      CHAINHUB_ASSIGN_OR_RETURN(published, db.Publications(name.id));
      return absl::OkStatus();
    }));
    CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), plan.etag(), name.String()));
    if (!plan.targets().empty() && peers_.assessment == nullptr) {
      return FailedPrecondition(name.String(),
                                "its targets are set in assessment, and this service was started "
                                "without --assessment_target");
    }
    if (!plan.tasks().empty() && peers_.intake == nullptr) {
      return FailedPrecondition(name.String(),
                                "its tasks become intake tasks, and this service was started "
                                "without --intake_target");
    }
    // Each call to a peer acts as the caller: its own token, this call's deadline and request id.
    const std::string authorization = CallerAuthorization(ctx);
    auto prepare = [&](grpc::ClientContext* cc) {
      if (!authorization.empty()) cc->AddMetadata("authorization", authorization);
      PrepareOutgoingCall(cc, peers_.timeout);
    };
    int sent_targets = 0;
    int sent_tasks = 0;
    // What was sent is recorded at once, so a failure further on keeps it (a re-publish
    // continues from there).
    auto record = [&](const PublicationKey& key, const Publication& p) {
      return Mutate([&](SqlTx& tx) -> absl::Status {
        return ChainPlansTx(tx).RecordPublication(name.id, key, p, clock_.Now());
      });
    };
    auto stopped = [&](absl::Status failure) -> absl::Status {
      absl::Status audited = Mutate([&](SqlTx& tx) -> absl::Status {
        return AppendAudit(tx, call, name.String(),
                           absl::StrCat("publish version ", plan.version(), " stopped after ",
                                        sent_targets, " targets and ", sent_tasks,
                                        " tasks: ", absl::StatusCodeToString(failure.code())),
                           clock_.Now());
      });
      (void)audited;  // the peer's failure is what the caller needs to hear
      return failure;
    };

    for (const v1::PlanTarget& target : plan.targets()) {
      const PublicationKey key{"target", TargetKey(target)};
      const std::string digest = TargetDigest(target);
      if (auto it = published.find(key); it != published.end() && it->second.digest == digest) {
        continue;
      }
      assessment::v1::SetTargetRequest set;
      *set.mutable_target() = AssessmentTarget(name.chain, target);
      assessment::v1::Target out;
      grpc::ClientContext cc;
      prepare(&cc);
      grpc::Status s = peers_.assessment->SetTarget(&cc, set, &out);
      if (!s.ok()) {
        return stopped(PeerFailure(
            s, name,
            absl::StrCat("assessment SetTarget ", target.indicator(), " ", target.year())));
      }
      CHAINHUB_RETURN_IF_ERROR(record(key, Publication{digest, "", plan.version()}));
      ++sent_targets;
    }

    for (const v1::PlanTask& task : plan.tasks()) {
      const PublicationKey key{"task", task.number()};
      const intake::v1::WorkItem item = TaskWorkItem(name.chain, name.String(), plan, task);
      const std::string digest = WorkItemDigest(item);
      auto it = published.find(key);
      const std::string existing = it == published.end() ? "" : it->second.work_item;
      if (!existing.empty() && it->second.digest == digest) continue;
      std::string work_item;
      if (!existing.empty()) {
        // The task changed since it became an intake task: that task is updated, not doubled.
        intake::v1::UpdateWorkItemRequest update;
        *update.mutable_work_item() = item;
        update.mutable_work_item()->set_name(existing);
        for (const char* path : {"title", "description", "owner_department", "deadline"}) {
          update.mutable_update_mask()->add_paths(path);
        }
        intake::v1::WorkItem out;
        grpc::ClientContext cc;
        prepare(&cc);
        grpc::Status s = peers_.intake->UpdateWorkItem(&cc, update, &out);
        if (s.ok()) {
          work_item = out.name();
        } else if (s.error_code() != grpc::StatusCode::NOT_FOUND) {
          return stopped(PeerFailure(
              s, name,
              absl::StrCat("intake UpdateWorkItem ", existing, " of task ", task.number())));
        }
      }
      if (work_item.empty()) {
        intake::v1::CreateWorkItemRequest create;
        *create.mutable_work_item() = item;
        create.set_request_id(TaskRequestId(name.id, task.number(), plan.version()));
        intake::v1::WorkItem out;
        grpc::ClientContext cc;
        prepare(&cc);
        grpc::Status s = peers_.intake->CreateWorkItem(&cc, create, &out);
        if (!s.ok()) {
          return stopped(
              PeerFailure(s, name, absl::StrCat("intake CreateWorkItem of task ", task.number())));
        }
        work_item = out.name();
      }
      CHAINHUB_RETURN_IF_ERROR(record(key, Publication{digest, work_item, plan.version()}));
      ++sent_tasks;
    }

    return Mutate([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.MarkPublished(name, plan.version(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.Get(name));
      return RecordPlanChanged(tx, call, name, *resp,
                               absl::StrCat("publish version ", plan.version(), ": ", sent_targets,
                                            " targets and ", sent_tasks, " tasks sent"),
                               now);
    });
  });
}

grpc::ServerUnaryReactor* SupportService::ReportPlanProgress(
    Ctx* ctx, const v1::ReportPlanProgressRequest* req, v1::PlanProgress* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name, ChainPlanName::Parse("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    CHAINHUB_ASSIGN_OR_RETURN(assessment::Period period,
                              assessment::Period::Parse("period", req->period()));
    return Mutate([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::ChainPlan plan, db.Get(name));
      CHAINHUB_RETURN_IF_ERROR(ToStatus(CheckProgressReport(*req, period, plan)));
      const absl::Time now = clock_.Now();
      const std::map<std::string, double> actuals(req->actuals().begin(), req->actuals().end());
      const std::vector<v1::TaskReport> tasks(req->tasks().begin(), req->tasks().end());
      CHAINHUB_RETURN_IF_ERROR(
          db.PutActuals(name.id, period, actuals, call.principal.subject, now));
      CHAINHUB_RETURN_IF_ERROR(
          db.PutTaskReports(name.id, period, tasks, call.principal.subject, now));
      CHAINHUB_RETURN_IF_ERROR(
          AppendAudit(tx, call, name.String(),
                      absl::StrCat("progress ", period.String(), ": ", actuals.size(), " actuals, ",
                                   tasks.size(), " tasks"),
                      now));
      // Progress as of today; what became at risk is warned about once per warning period.
      const absl::CivilDay today = assessment::ChinaDay(now);
      CHAINHUB_ASSIGN_OR_RETURN(PlanProgressFacts facts, ProgressFacts(db, name, plan));
      *resp = ComputePlanProgress(facts, today);
      auto warn = [&](const std::string& key, const std::string& warning_period,
                      v1::PlanAtRisk payload) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(
            bool first, db.NoteRiskEvent(name.id, key, warning_period, resp->as_of(), now));
        if (!first) return absl::OkStatus();
        payload.set_plan(name.String());
        payload.set_plan_title(plan.title());
        payload.set_as_of(resp->as_of());
        return AppendEvent(tx,
                           NewEvent(kEventSource, call, v1::SUPPORT_EVENT_PLAN_TARGET_AT_RISK,
                                    name.String(), name.chain, now, payload),
                           clock_);
      };
      for (const v1::TargetProgress& t : resp->targets()) {
        if (!t.at_risk()) continue;
        v1::PlanAtRisk payload;
        *payload.mutable_target() = t;
        CHAINHUB_RETURN_IF_ERROR(warn(TargetRiskKey(t), TargetRiskPeriod(t, today), payload));
      }
      for (const v1::TaskProgress& t : resp->tasks()) {
        if (!t.at_risk()) continue;
        v1::PlanAtRisk payload;
        *payload.mutable_task() = t;
        CHAINHUB_RETURN_IF_ERROR(warn(TaskRiskKey(t), TaskRiskPeriod(today), payload));
      }
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* SupportService::GetPlanProgress(Ctx* ctx,
                                                          const v1::GetPlanProgressRequest* req,
                                                          v1::PlanProgress* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainPlanName name, ChainPlanName::Parse("name", req->name()));
    absl::CivilDay as_of = assessment::ChinaDay(clock_.Now());
    if (!req->as_of().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(as_of, assessment::ParseDate("as_of", req->as_of()));
    }
    return ReadTx([&](SqlTx& tx) -> absl::Status {
      ChainPlansTx db(tx);
      CHAINHUB_ASSIGN_OR_RETURN(v1::ChainPlan plan, db.Get(name));
      CHAINHUB_ASSIGN_OR_RETURN(PlanProgressFacts facts, ProgressFacts(db, name, plan));
      *resp = ComputePlanProgress(facts, as_of);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::support
