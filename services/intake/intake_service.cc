// What the handler files share: construction, the transactions every handler runs in, the checks
// and writes of a new project (CreateProject and ImportProjects), the light refresh after a
// write, and the audit log.
#include "services/intake/intake_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/status_util.h"
#include "common/events/outbox.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/lights.h"
#include "services/intake/names.h"
#include "services/intake/projects.h"
#include "services/intake/stages.h"
#include "services/intake/validation.h"

namespace chainhub::intake {

using internal::InvalidateProject;
using internal::kSource;

IntakeService::IntakeService(Store* store, Cache* cache, OutboxRelay* relay,
                             ReferenceCopy* reference, const Clock& clock)
    : store_(store), cache_(cache), relay_(relay), reference_(reference), clock_(clock) {}

std::string IntakeService::Today() const { return ChinaDate(clock_.Now()); }

absl::Status IntakeService::Mutate(
    const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>&)>& fn) {
  return WriteThenPublish<IntakeTx>(*store_, relay_, cache_, fn, {internal::kProjectListNs});
}

absl::Status IntakeService::ReadTx(const std::function<absl::Status(IntakeTx&)>& fn) {
  return ReadSnapshot<IntakeTx>(*store_, fn);
}

template <typename T>
absl::Status IntakeService::MutateOnce(
    const AuthorizedCall& call, const google::protobuf::Message& request,
    const std::string& request_id, T* resp,
    const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>&, absl::Time)>& fn) {
  const std::string digest = RequestDigest(request);
  return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::optional<T> replay,
                              ReplayIdempotent<T>(tx, call, request_id, digest));
    if (replay) {
      *resp = std::move(*replay);
      return absl::OkStatus();
    }
    const absl::Time now = clock_.Now();
    CHAINHUB_RETURN_IF_ERROR(fn(tx, db, inv, now));
    return RememberResponse(tx, call, request_id, digest, *resp, now);
  });
}

// The responses of the calls that carry a request_id.
template absl::Status IntakeService::MutateOnce<v1::Project>(
    const AuthorizedCall&, const google::protobuf::Message&, const std::string&, v1::Project*,
    const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>&, absl::Time)>&);
template absl::Status IntakeService::MutateOnce<v1::ProgressReport>(
    const AuthorizedCall&, const google::protobuf::Message&, const std::string&,
    v1::ProgressReport*,
    const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>&, absl::Time)>&);
template absl::Status IntakeService::MutateOnce<v1::WorkItem>(
    const AuthorizedCall&, const google::protobuf::Message&, const std::string&, v1::WorkItem*,
    const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>&, absl::Time)>&);

template <typename T>
grpc::ServerUnaryReactor* IntakeService::ListOfProject(Ctx* ctx, absl::string_view method,
                                                       const std::string& parent, int page_size,
                                                       const std::string& page_token,
                                                       const char* column, FetchPage<T> fetch,
                                                       google::protobuf::RepeatedPtrField<T>* out,
                                                       std::string* next_token) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ProjectName project, ProjectName::Parse("parent", parent));
    const std::string& id = project.id;
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      CHAINHUB_RETURN_IF_ERROR(db.GetProject(id).status());
      std::vector<T> page;
      CHAINHUB_RETURN_IF_ERROR(Paginate<T>(
          absl::StrCat(method, ":", id), page_size, page_token, "", "", {},
          OrderSpec{{column}, false},
          [&](const PageQuery& q) {
            return fetch(db, id, q.after.empty() ? std::string() : q.after[0], q.limit);
          },
          &page, next_token));
      for (auto& item : page) *out->Add() = std::move(item);
      return absl::OkStatus();
    });
  });
}

// The two sub-collections of a project.
template grpc::ServerUnaryReactor* IntakeService::ListOfProject<v1::StageChange>(
    Ctx*, absl::string_view, const std::string&, int, const std::string&, const char*,
    FetchPage<v1::StageChange>, google::protobuf::RepeatedPtrField<v1::StageChange>*, std::string*);
template grpc::ServerUnaryReactor* IntakeService::ListOfProject<v1::ProgressReport>(
    Ctx*, absl::string_view, const std::string&, int, const std::string&, const char*,
    FetchPage<v1::ProgressReport>, google::protobuf::RepeatedPtrField<v1::ProgressReport>*,
    std::string*);

absl::StatusOr<IntakeService::Prepared> IntakeService::Prepare(const AuthorizedCall& call,
                                                               const v1::Project& project,
                                                               const std::string& prefix,
                                                               bool with_history) {
  Prepared out;
  out.project = project;
  ClearOutputOnly(&out.project);
  std::vector<FieldViolation> violations;
  CheckProject(out.project, prefix, &violations);
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  CHAINHUB_ASSIGN_OR_RETURN(out.chain, ChainName::Parse(prefix + ".chain", project.chain()));
  CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, out.chain.chain));
  CHAINHUB_ASSIGN_OR_RETURN(out.node, ParseOptionalNode(prefix + ".node", project.node()));
  if (with_history) {
    const std::string today = Today();
    CHAINHUB_ASSIGN_OR_RETURN(
        out.history,
        InitialHistory(project.stage(), InitialDates(project.stage(), project.stage_dates(), today),
                       today, prefix));
  }
  if (reference_ != nullptr) {
    CHAINHUB_RETURN_IF_ERROR(
        reference_->EnsureKnown(out.chain, out.node, prefix + ".chain", prefix + ".node"));
    CHAINHUB_RETURN_IF_ERROR(
        reference_->EnsureProvinceChains(project.province_chains(), prefix + ".province_chains"));
  }
  return out;
}

absl::Status IntakeService::SetProvinceChains(SqlTx& tx, ProvinceChainsChoice choice,
                                              const ChainName& chain,
                                              const std::optional<NodeName>& node, v1::Project* p) {
  switch (choice) {
    case ProvinceChainsChoice::kChainDefault: {
      CHAINHUB_ASSIGN_OR_RETURN(auto defaults,
                                ReferenceCopy::DefaultProvinceChains(tx, chain, node));
      p->clear_province_chains();
      for (auto& d : defaults) p->add_province_chains(std::move(d));
      p->set_province_chains_source(std::string(kChainDefault));
      return absl::OkStatus();
    }
    case ProvinceChainsChoice::kOverride:
      p->set_province_chains_source(std::string(kOverride));
      return absl::OkStatus();
    case ProvinceChainsChoice::kKeep:
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> IntakeService::RefreshLight(IntakeTx& db, const std::string& id,
                                                 v1::Project* p, const StageState& state,
                                                 absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::LightRules rules, db.GetLightRules());
  std::vector<MonthFigure> reports;
  if (!id.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(reports, db.MonthFigures(id));
  }
  const std::string today = ChinaDate(now);
  const LightOutcome outcome = EvaluateLight(
      LightInputOf(*p, state.stage, state.stalled_from, p->stage_dates(), std::move(reports)),
      rules, today);
  const bool changed = outcome.light != p->light();
  StampLight(outcome, today, p);
  return changed;
}

absl::Status IntakeService::RecordLightChange(SqlTx& tx, const AuthorizedCall& call,
                                              const v1::Project& p, const ChainName& chain,
                                              absl::Time now) {
  auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_LIGHT_CHANGED, p.name(),
                        chain.chain, now, p);
  return AppendEvent(tx, std::move(event));
}

absl::StatusOr<v1::Project> IntakeService::InsertNew(SqlTx& tx, IntakeTx& db,
                                                     const AuthorizedCall& call,
                                                     const Prepared& prepared,
                                                     const std::string& audit_detail,
                                                     absl::Time now, std::set<std::string>& inv) {
  v1::Project p = prepared.project;
  if (!p.external_id().empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.ProjectIdByExternalId(p.external_id()));
    if (existing) {
      return AlreadyExists("Project", absl::StrCat(ProjectName{*existing}.String(),
                                                   " (external_id ", p.external_id(), ")"));
    }
  }
  CHAINHUB_RETURN_IF_ERROR(ReferenceCopy::CheckExists(tx, prepared.chain, prepared.node,
                                                      "project.chain", "project.node"));
  CHAINHUB_RETURN_IF_ERROR(
      SetProvinceChains(tx, ChooseProvinceChains({.current = nullptr, .merged = &p}),
                        prepared.chain, prepared.node, &p));
  const std::string id = NewUuidV7(now);
  p.set_name(ProjectName{id}.String());
  StageState state;
  p.clear_stage_dates();
  for (const auto& change : prepared.history) {
    ApplyTransition(&state, p.mutable_stage_dates(), change.to_stage(), change.effective_date());
  }
  p.set_stage(state.stage);
  SetSizeBands(&p);
  CHAINHUB_RETURN_IF_ERROR(RefreshLight(db, "", &p, state, now).status());
  CHAINHUB_RETURN_IF_ERROR(db.InsertProject(id, &p, state, now));
  for (v1::StageChange change : prepared.history) {
    change.set_principal(call.principal.subject);
    CHAINHUB_RETURN_IF_ERROR(db.AppendStageChange(id, change, now).status());
  }
  auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_CREATED, p.name(),
                        prepared.chain.chain, now, p);
  CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), audit_detail, now));
  InvalidateProject(inv, id, prepared.chain.chain);
  return p;
}

grpc::ServerUnaryReactor* IntakeService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::intake
