#include "services/intake/intake_service.h"

#include <algorithm>
#include <limits>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/service/audit.h"
#include "common/base/fields.h"
#include "common/store/filter.h"
#include "common/store/idempotency.h"
#include "common/base/ids.h"
#include "common/store/list_query.h"
#include "common/base/metrics.h"
#include "common/service/resource.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/rpc/client_stream.h"
#include "common/base/fields.h"
#include "common/store/filter.h"
#include "common/store/idempotency.h"
#include "common/base/ids.h"
#include "common/store/list_query.h"
#include "common/base/metrics.h"
#include "common/service/resource.h"
#include "common/base/status_util.h"
#include "services/intake/lights.h"
#include "services/intake/stages.h"
#include "services/intake/summary.h"
#include "services/intake/validation.h"

namespace chainhub::intake {
namespace {

using FieldType = FilterField::Type;

constexpr char kSource[] = "intake";

// --- Cache namespaces --------------------------------------------------------------------------
// "project:<id>": one project; "summary:<chain>" and "summary:all": summaries touching a chain.
std::string ProjectNs(absl::string_view id) { return absl::StrCat("project:", id); }
std::string SummaryNs(absl::string_view chain_id) {
  return absl::StrCat("summary:", chain_id.empty() ? "all" : chain_id);
}
void InvalidateProject(std::set<std::string>& inv, const std::string& id,
                       const std::string& chain_id) {
  inv.insert(ProjectNs(id));
  inv.insert(SummaryNs(chain_id));
  inv.insert(SummaryNs(""));
}

std::string ChainIdOfProject(const v1::Project& p) {
  return p.chain().substr(p.chain().find('/') + 1);
}

std::string NodeIdOf(const std::string& node_name) {
  return node_name.empty() ? "" : node_name.substr(node_name.rfind('/') + 1);
}

// --- Filters -----------------------------------------------------------------------------------

// size_band = X on the stored size bucket (summary.h): a band of one bucket is an equality, so
// the (chain_id, size_bucket, create_us) index hands back its projects in page order; a run of
// buckets is a range. The bound band number picks the bucket in a CASE; the cast tells
// PostgreSQL the parameter's type, which a bare CASE operand leaves unknown.
FilterField SizeBandFilter() {
  FilterField f = EnumFilter("", v1::SizeBand_descriptor(), "SIZE_BAND_");
  std::string first = "CASE CAST({} AS BIGINT)", last = "CASE CAST({} AS BIGINT)";
  for (int b = v1::SizeBand_MIN + 1; b <= v1::SizeBand_MAX; ++b) {
    const BucketRun run = BucketsOf(static_cast<v1::SizeBand>(b));
    absl::StrAppend(&first, " WHEN ", b, " THEN ", run.first);
    absl::StrAppend(&last, " WHEN ", b, " THEN ", run.last);
    f.value_templates[b] =
        run.first == run.last
            ? absl::StrCat("p.size_bucket = CASE CAST({} AS BIGINT) WHEN ", b, " THEN ",
                           run.first, " END")
            : absl::StrCat("p.size_bucket BETWEEN CASE CAST({} AS BIGINT) WHEN ", b, " THEN ",
                           run.first, " END AND ", run.last);
  }
  absl::StrAppend(&first, " ELSE 1 END");
  absl::StrAppend(&last, " ELSE 0 END");
  f.has_template = absl::StrCat("p.size_bucket BETWEEN ", first, " AND ", last);
  f.membership = true;
  return f;
}

const std::map<std::string, FilterField>& ProjectFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"chain", ChainFilter("p.chain_id")},
      {"node",
       {FieldType::kString,
        "",
        "('chains/' || p.chain_id || '/nodes/' || p.node_id) = {}",
        true,
        {FilterOp::kEq, FilterOp::kNe},
        nullptr}},
      {"county", StringFilter("p.county")},
      {"park", StringFilter("p.park")},
      {"display_name", StringFilter("p.display_name")},
      {"external_id", StringFilter("p.external_id")},
      {"responsible_department", StringFilter("p.responsible_department")},
      {"stage", EnumFilter("p.stage", v1::Stage_descriptor(), "STAGE_")},
      {"source", EnumFilter("p.source", v1::ProjectSource_descriptor(), "PROJECT_SOURCE_")},
      {"investor_origin",
       EnumFilter("p.investor_origin", v1::InvestorOrigin_descriptor(), "INVESTOR_ORIGIN_")},
      {"light", EnumFilter("p.light", v1::Light_descriptor(), "LIGHT_")},
      {"size_band", SizeBandFilter()},
      {"fortune500", BoolFilter("p.fortune500")},
      {"provincial_key", BoolFilter("p.provincial_key")},
      {"synthetic", BoolFilter("p.synthetic")},
      {"total_investment_yuan", IntFilter("p.total_investment")},
  };
  return *fields;
}

const std::map<std::string, FilterField>& WorkItemFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"kind", EnumFilter("w.kind", v1::WorkItemKind_descriptor(), "WORK_ITEM_KIND_")},
      {"status", EnumFilter("w.status", v1::WorkItemStatus_descriptor(), "WORK_ITEM_STATUS_")},
      {"chain", ChainFilter("w.chain_id")},
      {"subject", StringFilter("w.subject")},
      {"owner_department", StringFilter("w.owner_department")},
      {"deadline", StringFilter("w.deadline")},
  };
  return *fields;
}

// --- Helpers -----------------------------------------------------------------------------------

// Clears what a client cannot set on a project.
void ClearOutputs(v1::Project* p) {
  p->clear_name();
  p->clear_province_chains_source();
  p->clear_stage_reason();
  p->clear_completed_investment_yuan();
  p->clear_funds_arrived_yuan();
  p->clear_last_report_month();
  p->clear_light();
  p->clear_light_reason();
  p->clear_light_date();
  p->clear_size_bands();
  p->clear_etag();
  p->clear_create_time();
  p->clear_update_time();
}

void SetSizeBands(v1::Project* p) {
  p->clear_size_bands();
  for (v1::SizeBand b : SizeBandsOf(p->total_investment_yuan())) p->add_size_bands(b);
}

LightInput LightInputOf(const v1::Project& p, const StageState& state,
                        std::vector<MonthFigure> reports) {
  LightInput in;
  in.stage = state.stage;
  in.stalled_from = state.stalled_from;
  in.planned_start_date = p.planned_start_date();
  in.stage_dates = p.stage_dates();
  in.annual_planned_investment_yuan = p.annual_planned_investment_yuan();
  in.reports = std::move(reports);
  return in;
}

// True when the descriptive fields of two projects are equal.
bool SameDescription(const v1::Project& a, const v1::Project& b) {
  v1::Project x = a, y = b;
  for (v1::Project* p : {&x, &y}) {
    ClearOutputs(p);
    p->clear_stage();
    p->clear_stage_dates();
    p->clear_province_chains();  // compared separately (defaults are filled in)
  }
  return x.SerializeAsString() == y.SerializeAsString();
}

void CountImport(absl::string_view outcome) {
  static const bool described = [] {
    MetricsRegistry::Global().Describe("chainhub_intake_import_rows_total", "counter",
                                       "Import rows by outcome");
    return true;
  }();
  (void)described;
  MetricsRegistry::Global().Add("chainhub_intake_import_rows_total",
                                {{"outcome", std::string(outcome)}}, 1);
}

}  // namespace

// What Prepare learned about a project before its write.
struct IntakeService::Prepared {
  v1::Project project;
  std::string chain_id;
  std::string node_id;
  std::vector<v1::StageChange> history;
};

// One import row waiting for its batch, already checked as far as it can be outside the store.
struct IntakeService::ImportItem {
  int32_t row_number = 0;
  absl::Status status;  // a row error found before the store
  Prepared prepared;
};

IntakeService::IntakeService(Store* store, Cache* cache, OutboxRelay* relay,
                             ReferenceCopy* reference, std::function<absl::Time()> clock)
    : store_(store),
      cache_(cache),
      relay_(relay),
      reference_(reference),
      clock_(clock ? std::move(clock) : std::function<absl::Time()>([] { return absl::Now(); })) {}

std::string IntakeService::Today() const { return ChinaDate(clock_()); }

v1::StageDates IntakeService::DatesWithDefault(const v1::Project& project) const {
  // A project created in negotiation without a date entered negotiation today.
  v1::StageDates dates = project.stage_dates();
  if ((project.stage() == v1::STAGE_UNSPECIFIED || project.stage() == v1::STAGE_NEGOTIATING) &&
      dates.negotiating().empty()) {
    dates.set_negotiating(Today());
  }
  return dates;
}

absl::Status IntakeService::Mutate(
    const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>&)>& fn) {
  return WriteThenPublish<IntakeTx>(*store_, relay_, cache_, fn);
}

absl::Status IntakeService::ReadTx(const std::function<absl::Status(IntakeTx&)>& fn) {
  return ReadSnapshot<IntakeTx>(*store_, fn);
}

absl::Status IntakeService::RequireProgressWriter(const AuthorizedCall& call,
                                                  const v1::Project& p) {
  if (call.principal.CanWriteChain(ChainIdOfProject(p))) return absl::OkStatus();
  if (call.principal.HasRole(roles::kDepartment) &&
      call.principal.subject == p.responsible_department()) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(absl::StrCat(
      call.principal.subject, " may not report progress of ", p.name(),
      ": only an admin, the office of ", p.chain(), " or ", p.responsible_department(), " may"));
}

absl::StatusOr<IntakeService::Prepared> IntakeService::Prepare(const AuthorizedCall& call,
                                                               const v1::Project& project,
                                                               const std::string& prefix,
                                                               bool with_history) {
  Prepared out;
  out.project = project;
  ClearOutputs(&out.project);
  std::vector<FieldViolation> violations;
  CheckProject(out.project, prefix, &violations);
  CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
  CHAINHUB_ASSIGN_OR_RETURN(out.chain_id, ParseChainName(prefix + ".chain", project.chain()));
  CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, out.chain_id));
  out.node_id = NodeIdOf(project.node());
  if (with_history) {
    CHAINHUB_ASSIGN_OR_RETURN(
        out.history, InitialHistory(project.stage(), DatesWithDefault(project), Today(), prefix));
  }
  if (reference_ != nullptr) {
    CHAINHUB_RETURN_IF_ERROR(
        reference_->EnsureKnown(out.chain_id, out.node_id, prefix + ".chain", prefix + ".node"));
    CHAINHUB_RETURN_IF_ERROR(
        reference_->EnsureProvinceChains(project.province_chains(), prefix + ".province_chains"));
  }
  return out;
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
  LightOutcome outcome = EvaluateLight(LightInputOf(*p, state, std::move(reports)), rules, today);
  const bool changed = outcome.light != p->light();
  p->set_light(outcome.light);
  p->set_light_reason(outcome.reason);
  p->set_light_date(today);
  return changed;
}

absl::Status IntakeService::RecordLightChange(SqlTx& tx, const AuthorizedCall& call,
                                              const v1::Project& p, absl::Time now) {
  auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_LIGHT_CHANGED, p.name(),
                        ChainIdOfProject(p), now, p);
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
      return AlreadyExists(
          "Project", absl::StrCat("projects/", *existing, " (external_id ", p.external_id(), ")"));
    }
  }
  CHAINHUB_RETURN_IF_ERROR(ReferenceCopy::CheckExists(tx, prepared.chain_id, prepared.node_id,
                                                      "project.chain", "project.node"));
  if (p.province_chains().empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(auto defaults, ReferenceCopy::DefaultProvinceChains(
                                                 tx, prepared.chain_id, prepared.node_id));
    for (auto& d : defaults) p.add_province_chains(std::move(d));
    p.set_province_chains_source("chain_default");
  } else {
    p.set_province_chains_source("override");
  }
  const std::string id = NewUuidV7(now);
  p.set_name("projects/" + id);
  StageState state;
  p.clear_stage_dates();
  for (const auto& change : prepared.history) {
    ApplyTransition(&state, p.mutable_stage_dates(), change.to_stage(), change.effective_date());
  }
  p.set_stage(state.stage);
  SetSizeBands(&p);
  CHAINHUB_RETURN_IF_ERROR(RefreshLight(db, "", &p, state, now).status());
  CHAINHUB_RETURN_IF_ERROR(db.InsertProject(id, p, state, now));
  for (v1::StageChange change : prepared.history) {
    change.set_principal(call.principal.subject);
    CHAINHUB_RETURN_IF_ERROR(db.AppendStageChange(id, change, now).status());
  }
  CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(id));
  auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_CREATED, stored.project.name(),
                        prepared.chain_id, now, stored.project);
  CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), audit_detail, now));
  InvalidateProject(inv, id, prepared.chain_id);
  return stored.project;
}

template <typename T, typename Fetch>
grpc::ServerUnaryReactor* IntakeService::ListOfProject(Ctx* ctx, absl::string_view method,
                                                       const std::string& parent, int page_size,
                                                       const std::string& page_token,
                                                       const char* column, Fetch fetch,
                                                       google::protobuf::RepeatedPtrField<T>* out,
                                                       std::string* next_token) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseProjectName("parent", parent));
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

// --- Projects ----------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IntakeService::GetProject(Ctx* ctx, const v1::GetProjectRequest* req,
                                                    v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseProjectName("name", req->name()));
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::Project p;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(id));
        p = std::move(stored.project);
        return absl::OkStatus();
      }));
      return p.SerializeAsString();
    };
    return ReadThroughCache(cache_, ProjectNs(id), "", load, resp);
  });
}

grpc::ServerUnaryReactor* IntakeService::ListProjects(Ctx* ctx, const v1::ListProjectsRequest* req,
                                                      v1::ListProjectsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(
        OrderSpec order, ParseOrderBy(req->order_by(),
                                      {{"create_time", {"p.create_us", "p.id"}},
                                       {"display_name", {"p.display_name", "p.id"}},
                                       {"total_investment_yuan", {"p.total_investment", "p.id"}},
                                       {"stage", {"p.stage", "p.id"}}},
                                      "create_time"));
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      std::vector<v1::Project> projects;
      std::string next;
      CompiledFilter filter;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Project>(
          "ListProjects", req->page_size(), req->page_token(), req->filter(), req->order_by(),
          ProjectFilterFields(), order, [&](const PageQuery& q) { return db.ListProjects(q); },
          &projects, &next, &filter));
      for (auto& p : projects) *resp->add_projects() = std::move(p);
      resp->set_next_page_token(next);
      CHAINHUB_ASSIGN_OR_RETURN(int64_t total, db.CountProjects(filter));
      resp->set_total_size(static_cast<int32_t>(total));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::CreateProject(Ctx* ctx,
                                                       const v1::CreateProjectRequest* req,
                                                       v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_ASSIGN_OR_RETURN(Prepared prepared, Prepare(call, req->project(), "project", true));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Project>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      const absl::Time now = clock_();
      CHAINHUB_ASSIGN_OR_RETURN(
          *resp, InsertNew(tx, db, call, prepared, CreateDetail(req->request_id()), now, inv));
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::UpdateProject(Ctx* ctx,
                                                       const v1::UpdateProjectRequest* req,
                                                       v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::string id,
                              ParseProjectName("project.name", req->project().name()));
    // Merge once outside the write to learn which chain/node to check (the registry may be
    // asked), then again inside it on the current row.
    auto merge = [&](const v1::Project& current) -> absl::StatusOr<v1::Project> {
      v1::Project merged = current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->project(), req->update_mask(), ProjectWritableFields(), &merged));
      if (merged.chain() != current.chain()) {
        return InvalidField("project.chain", "a project's chain cannot change");
      }
      return merged;
    };
    v1::Project snapshot;
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(id));
      snapshot = std::move(stored.project);
      return absl::OkStatus();
    }));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, ChainIdOfProject(snapshot)));
    CHAINHUB_ASSIGN_OR_RETURN(v1::Project preview, merge(snapshot));
    CHAINHUB_ASSIGN_OR_RETURN(Prepared prepared, Prepare(call, preview, "project", false));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->project().etag(), current.project.etag(), current.project.name()));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Project merged, merge(current.project));
      std::vector<FieldViolation> violations;
      CheckProject(merged, "project", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_RETURN_IF_ERROR(ReferenceCopy::CheckExists(
          tx, prepared.chain_id, NodeIdOf(merged.node()), "project.chain", "project.node"));
      if (!merged.external_id().empty() && merged.external_id() != current.project.external_id()) {
        CHAINHUB_ASSIGN_OR_RETURN(auto other, db.ProjectIdByExternalId(merged.external_id()));
        if (other && *other != id) {
          return AlreadyExists("Project", absl::StrCat("projects/", *other, " (external_id ",
                                                       merged.external_id(), ")"));
        }
      }
      // province_chains given empty means the default again; given as a new list, an override.
      // Given as they were (a client sending the whole project back, empty mask) they keep their
      // source, so defaults stay defaults and follow a new node.
      bool given = req->update_mask().paths().empty();
      for (const auto& path : req->update_mask().paths()) {
        given |= path == "province_chains" || path == "*";
      }
      const bool ids_changed = !std::equal(
          merged.province_chains().begin(), merged.province_chains().end(),
          current.project.province_chains().begin(), current.project.province_chains().end());
      const bool node_changed = merged.node() != current.project.node();
      const bool is_default = current.project.province_chains_source() != "override";
      if ((given && merged.province_chains().empty()) ||
          ((!given || !ids_changed) && is_default && node_changed)) {
        merged.clear_province_chains();
        CHAINHUB_ASSIGN_OR_RETURN(
            auto defaults,
            ReferenceCopy::DefaultProvinceChains(tx, prepared.chain_id, NodeIdOf(merged.node())));
        for (auto& d : defaults) merged.add_province_chains(std::move(d));
        merged.set_province_chains_source("chain_default");
      } else if (given && ids_changed) {
        merged.set_province_chains_source("override");
      }
      SetSizeBands(&merged);
      const absl::Time now = clock_();
      CHAINHUB_ASSIGN_OR_RETURN(bool light_changed,
                                RefreshLight(db, id, &merged, current.state, now));
      CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, merged, current.state, now));
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(id));
      *resp = stored.project;
      auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_UPDATED, resp->name(),
                            prepared.chain_id, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now));
      if (light_changed) CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, *resp, now));
      InvalidateProject(inv, id, prepared.chain_id);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::DeleteProject(Ctx* ctx,
                                                       const v1::DeleteProjectRequest* req,
                                                       google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseProjectName("name", req->name()));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->etag(), current.project.etag(), current.project.name()));
      CHAINHUB_RETURN_IF_ERROR(db.DeleteProject(id));
      const absl::Time now = clock_();
      const std::string chain_id = ChainIdOfProject(current.project);
      auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_DELETED, current.project.name(),
                            chain_id, now, current.project);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event),
                         absl::StrCat("display_name=", current.project.display_name(),
                                      " external_id=", current.project.external_id()),
                         now));
      InvalidateProject(inv, id, chain_id);
      return absl::OkStatus();
    });
  });
}

// --- Stages ------------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IntakeService::TransitionStage(Ctx* ctx,
                                                         const v1::TransitionStageRequest* req,
                                                         v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseProjectName("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Project>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
      const std::string chain_id = ChainIdOfProject(current.project);
      CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain_id));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->etag(), current.project.etag(), current.project.name()));
      const absl::Time now = clock_();
      const std::string today = ChinaDate(now);
      const std::string date = req->effective_date().empty() ? today : req->effective_date();
      CHAINHUB_RETURN_IF_ERROR(
          CheckTransition(current.state, req->to_stage(), date, req->reason(), today));
      v1::Project p = current.project;
      StageState state = current.state;
      const v1::Stage from = state.stage;
      ApplyTransition(&state, p.mutable_stage_dates(), req->to_stage(), date);
      p.set_stage(state.stage);
      if (state.stage == v1::STAGE_STALLED || state.stage == v1::STAGE_CANCELLED) {
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
      CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, p, state, now));
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(id));
      *resp = stored.project;
      auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_STAGE_CHANGED, resp->name(),
                            chain_id, now, change);
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(
          tx, call, std::move(event),
          absl::StrCat(StageName(from), "->", StageName(req->to_stage()), " ", date), now));
      if (light_changed) CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, *resp, now));
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      InvalidateProject(inv, id, chain_id);
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

// --- Progress ----------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IntakeService::ReportProgress(Ctx* ctx,
                                                        const v1::ReportProgressRequest* req,
                                                        v1::ProgressReport* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseProjectName("parent", req->parent()));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckProgressReport(req->report(), "report", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::ProgressReport>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
      v1::Project p = current.project;
      CHAINHUB_RETURN_IF_ERROR(RequireProgressWriter(call, p));
      const absl::Time now = clock_();
      const v1::ProgressReport& r = req->report();
      const std::string subject = absl::StrCat(p.name(), "/progressReports/", r.month());
      if (current.state.stage == v1::STAGE_CANCELLED) {
        return FailedPrecondition(subject, "a cancelled project takes no progress reports");
      }
      if (r.month() > ChinaDate(now).substr(0, 7)) {
        return FailedPrecondition(
            "report.month",
            absl::StrCat(r.month(), " has not begun (today is ", ChinaDate(now), ")"));
      }
      auto check = [&](const char* field, int64_t value, int64_t before, int64_t after,
                       bool has_before, bool has_after, const std::string& before_month,
                       const std::string& after_month) -> absl::Status {
        if (has_before && value < before) {
          return FailedPrecondition(
              absl::StrCat("report.", field),
              absl::StrCat("cumulative figures never decrease: ", value, " is below ", before,
                           " reported for ", before_month));
        }
        if (has_after && value > after) {
          return FailedPrecondition(
              absl::StrCat("report.", field),
              absl::StrCat("cumulative figures never decrease: ", value, " is above ", after,
                           " reported for the later month ", after_month));
        }
        if (!r.allow_over_total() && value > p.total_investment_yuan()) {
          return FailedPrecondition(
              absl::StrCat("report.", field),
              absl::StrCat(value, " passes the total investment ", p.total_investment_yuan(),
                           "; set allow_over_total to report it"));
        }
        return absl::OkStatus();
      };
      CHAINHUB_ASSIGN_OR_RETURN(auto before, db.ReportBefore(id, r.month()));
      CHAINHUB_ASSIGN_OR_RETURN(auto after, db.ReportAfter(id, r.month()));
      const v1::ProgressReport empty;
      const v1::ProgressReport& b = before ? *before : empty;
      const v1::ProgressReport& a = after ? *after : empty;
      CHAINHUB_RETURN_IF_ERROR(check("cumulative_completed_yuan", r.cumulative_completed_yuan(),
                                     b.cumulative_completed_yuan(), a.cumulative_completed_yuan(),
                                     before.has_value(), after.has_value(), b.month(), a.month()));
      CHAINHUB_RETURN_IF_ERROR(
          check("cumulative_funds_arrived_yuan", r.cumulative_funds_arrived_yuan(),
                b.cumulative_funds_arrived_yuan(), a.cumulative_funds_arrived_yuan(),
                before.has_value(), after.has_value(), b.month(), a.month()));
      CHAINHUB_ASSIGN_OR_RETURN(auto replaced, db.GetReport(id, r.month()));
      v1::ProgressReport report = r;
      report.set_principal(call.principal.subject);
      CHAINHUB_RETURN_IF_ERROR(db.PutReport(id, report, now));
      CHAINHUB_ASSIGN_OR_RETURN(auto stored_report, db.GetReport(id, r.month()));
      *resp = *stored_report;
      if (!after) {  // the latest month: the project's figures follow it
        p.set_completed_investment_yuan(r.cumulative_completed_yuan());
        p.set_funds_arrived_yuan(r.cumulative_funds_arrived_yuan());
        p.set_last_report_month(r.month());
      }
      CHAINHUB_ASSIGN_OR_RETURN(bool light_changed, RefreshLight(db, id, &p, current.state, now));
      CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, p, current.state, now));
      auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_PROGRESS_REPORTED, p.name(),
                            ChainIdOfProject(p), now, *resp);
      std::string detail = absl::StrCat("month=", r.month());
      if (replaced) {
        absl::StrAppend(&detail, " replaced revision ", replaced->revision(),
                        ": completed=", replaced->cumulative_completed_yuan(),
                        " funds=", replaced->cumulative_funds_arrived_yuan(), " by ",
                        replaced->principal());
      }
      CHAINHUB_RETURN_IF_ERROR(AppendAudit(tx, call, subject, detail, now));
      CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, std::move(event)));
      if (light_changed) {
        CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(id));
        CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, stored.project, now));
      }
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      InvalidateProject(inv, id, ChainIdOfProject(p));
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

// --- Work items --------------------------------------------------------------------------------

namespace {

// The event kind of a work item's status: issue.opened, task.escalated, …
v1::IntakeEvent WorkItemEventType(v1::WorkItemKind kind, v1::WorkItemStatus status) {
  const bool task = kind == v1::WORK_ITEM_KIND_TASK;
  switch (status) {
    case v1::WORK_ITEM_STATUS_OPEN:
      return task ? v1::INTAKE_EVENT_TASK_OPENED : v1::INTAKE_EVENT_ISSUE_OPENED;
    case v1::WORK_ITEM_STATUS_COORDINATING:
      return task ? v1::INTAKE_EVENT_TASK_COORDINATING : v1::INTAKE_EVENT_ISSUE_COORDINATING;
    case v1::WORK_ITEM_STATUS_RESOLVED:
      return task ? v1::INTAKE_EVENT_TASK_RESOLVED : v1::INTAKE_EVENT_ISSUE_RESOLVED;
    case v1::WORK_ITEM_STATUS_ESCALATED:
      return task ? v1::INTAKE_EVENT_TASK_ESCALATED : v1::INTAKE_EVENT_ISSUE_ESCALATED;
    default:
      return task ? v1::INTAKE_EVENT_TASK_UPDATED : v1::INTAKE_EVENT_ISSUE_UPDATED;
  }
}

void SetOverdue(v1::WorkItem* item, absl::string_view today) {
  item->set_overdue(item->status() != v1::WORK_ITEM_STATUS_RESOLVED && item->deadline() < today);
}

}  // namespace

grpc::ServerUnaryReactor* IntakeService::CreateWorkItem(Ctx* ctx,
                                                        const v1::CreateWorkItemRequest* req,
                                                        v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    v1::WorkItem item = req->work_item();
    std::vector<FieldViolation> violations;
    CheckWorkItem(item, "work_item", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    // A chain subject is checked against the registry; a project subject against the store.
    std::string chain_id;
    std::string project_id;
    if (absl::StartsWith(item.subject(), "chains/")) {
      CHAINHUB_ASSIGN_OR_RETURN(chain_id, ParseChainName("work_item.subject", item.subject()));
      if (reference_ != nullptr) {
        CHAINHUB_RETURN_IF_ERROR(
            reference_->EnsureKnown(chain_id, "", "work_item.subject", "work_item.subject"));
      }
    } else {
      CHAINHUB_ASSIGN_OR_RETURN(project_id, ParseProjectName("work_item.subject", item.subject()));
    }
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::WorkItem>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      std::string chain = chain_id;
      if (!project_id.empty()) {
        absl::StatusOr<StoredProject> project = db.GetProject(project_id);
        if (absl::IsNotFound(project.status())) {
          return InvalidField("work_item.subject", item.subject() + " does not exist");
        }
        CHAINHUB_RETURN_IF_ERROR(project.status());
        chain = ChainIdOfProject(project->project);
      } else {
        CHAINHUB_RETURN_IF_ERROR(
            ReferenceCopy::CheckExists(tx, chain, "", "work_item.subject", "work_item.subject"));
      }
      // The chain's office (or an admin) opens items; a department may open one it owns.
      if (!call.principal.CanWriteChain(chain) &&
          !(call.principal.HasRole(roles::kDepartment) &&
            call.principal.subject == item.owner_department())) {
        return absl::PermissionDeniedError(
            absl::StrCat(call.principal.subject, " may not open items on chains/", chain,
                         ": only an admin, that chain's office, or the owner department may"));
      }
      const absl::Time now = clock_();
      const std::string id = NewUuidV7(now);
      v1::WorkItem w = item;
      w.set_name(WorkItemName(w.kind(), id));
      w.set_chain("chains/" + chain);
      w.set_status(v1::WORK_ITEM_STATUS_OPEN);
      w.clear_status_note();
      w.clear_resolved_date();
      w.clear_overdue();
      CHAINHUB_RETURN_IF_ERROR(db.InsertWorkItem(id, w, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetWorkItem(id));
      SetOverdue(resp, ChinaDate(now));
      auto event = NewEvent(kSource, call, WorkItemEventType(w.kind(), w.status()), resp->name(),
                            chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), CreateDetail(req->request_id()), now));
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::GetWorkItem(Ctx* ctx, const v1::GetWorkItemRequest* req,
                                                     v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(WorkItemKey key, ParseWorkItemName("name", req->name()));
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      absl::StatusOr<v1::WorkItem> item = db.GetWorkItem(key.id);
      if (!item.ok() || item->kind() != key.kind) {
        if (item.ok() || absl::IsNotFound(item.status())) return NotFound("WorkItem", req->name());
        return item.status();
      }
      *resp = std::move(*item);
      SetOverdue(resp, Today());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::ListWorkItems(Ctx* ctx,
                                                       const v1::ListWorkItemsRequest* req,
                                                       v1::ListWorkItemsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    if (!req->overdue_on().empty() && !IsValidDate(req->overdue_on())) {
      return InvalidField("overdue_on", "must be a date YYYY-MM-DD");
    }
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order,
                              ParseOrderBy(req->order_by(),
                                           {{"deadline", {"w.deadline", "w.id"}},
                                            {"create_time", {"w.create_us", "w.id"}}},
                                           "deadline"));
    // Overdue is a filter on status and deadline; the (validated) date joins the filter text, so
    // page tokens stay tied to it.
    std::string filter = req->filter();
    if (!req->overdue_on().empty()) {
      const std::string overdue =
          absl::StrCat("status != \"RESOLVED\" AND deadline < \"", req->overdue_on(), "\"");
      filter = filter.empty() ? overdue : absl::StrCat("(", filter, ") AND ", overdue);
    }
    const std::string today = Today();
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      std::vector<v1::WorkItem> items;
      std::string next;
      CompiledFilter compiled;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::WorkItem>(
          "ListWorkItems", req->page_size(), req->page_token(), filter, req->order_by(),
          WorkItemFilterFields(), order, [&](const PageQuery& q) { return db.ListWorkItems(q); },
          &items, &next, &compiled));
      for (auto& w : items) {
        SetOverdue(&w, today);
        *resp->add_work_items() = std::move(w);
      }
      resp->set_next_page_token(next);
      CHAINHUB_ASSIGN_OR_RETURN(int64_t total, db.CountWorkItems(compiled));
      resp->set_total_size(static_cast<int32_t>(total));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::UpdateWorkItem(Ctx* ctx,
                                                        const v1::UpdateWorkItemRequest* req,
                                                        v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(WorkItemKey key,
                              ParseWorkItemName("work_item.name", req->work_item().name()));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>&) -> absl::Status {
      absl::StatusOr<v1::WorkItem> current = db.GetWorkItem(key.id);
      if (current.ok() && current->kind() != key.kind) {
        return NotFound("WorkItem", req->work_item().name());
      }
      CHAINHUB_RETURN_IF_ERROR(current.status());
      const std::string chain_id = current->chain().substr(current->chain().find('/') + 1);
      // The chain's office edits any item; the owner department edits its own (责任清单).
      const bool owner = call.principal.HasRole(roles::kDepartment) &&
                         call.principal.subject == current->owner_department();
      if (!owner) CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain_id));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->work_item().etag(), current->etag(), current->name()));
      v1::WorkItem merged = *current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->work_item(), req->update_mask(), WorkItemWritableFields(), &merged));
      std::vector<FieldViolation> violations;
      CheckWorkItem(merged, "work_item", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateWorkItem(key.id, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetWorkItem(key.id));
      SetOverdue(resp, ChinaDate(now));
      auto event = NewEvent(kSource, call, WorkItemEventType(resp->kind(), {}), resp->name(),
                            chain_id, now, *resp);
      return RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::TransitionWorkItem(
    Ctx* ctx, const v1::TransitionWorkItemRequest* req, v1::WorkItem* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(WorkItemKey key, ParseWorkItemName("name", req->name()));
    if (!req->effective_date().empty() && !IsValidDate(req->effective_date())) {
      return InvalidField("effective_date", "must be a date YYYY-MM-DD");
    }
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>&) -> absl::Status {
      absl::StatusOr<v1::WorkItem> current = db.GetWorkItem(key.id);
      if (current.ok() && current->kind() != key.kind) return NotFound("WorkItem", req->name());
      CHAINHUB_RETURN_IF_ERROR(current.status());
      const std::string chain_id = current->chain().substr(current->chain().find('/') + 1);
      // The chain's office moves any item; the owner department works its own, short of
      // escalating it (that is the office's call).
      const bool office = call.principal.CanWriteChain(chain_id);
      const bool owner = call.principal.HasRole(roles::kDepartment) &&
                         call.principal.subject == current->owner_department();
      if (!office && !(owner && req->to_status() != v1::WORK_ITEM_STATUS_ESCALATED)) {
        return absl::PermissionDeniedError(
            absl::StrCat(call.principal.subject, " may not move ", current->name(), " to ",
                         v1::WorkItemStatus_Name(req->to_status()),
                         ": the chain's office may; the owner department may, except escalating"));
      }
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current->etag(), current->name()));
      CHAINHUB_RETURN_IF_ERROR(
          CheckWorkItemTransition(current->status(), req->to_status(), req->note()));
      const absl::Time now = clock_();
      v1::WorkItem w = *current;
      w.set_status(req->to_status());
      w.set_status_note(req->note());
      if (req->to_status() == v1::WORK_ITEM_STATUS_RESOLVED) {
        w.set_resolved_date(req->effective_date().empty() ? ChinaDate(now) : req->effective_date());
      }
      CHAINHUB_RETURN_IF_ERROR(db.UpdateWorkItem(key.id, w, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetWorkItem(key.id));
      SetOverdue(resp, ChinaDate(now));
      auto event = NewEvent(kSource, call, WorkItemEventType(w.kind(), w.status()), resp->name(),
                            chain_id, now, *resp);
      return RecordMutation(tx, call, std::move(event),
                            absl::StrCat(v1::WorkItemStatus_Name(current->status()), "->",
                                         v1::WorkItemStatus_Name(req->to_status())),
                            now);
    });
  });
}

// --- Lights ------------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IntakeService::GetLightRules(Ctx* ctx, const v1::GetLightRulesRequest*,
                                                       v1::LightRules* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](IntakeTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetLightRules());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::UpdateLightRules(Ctx* ctx,
                                                          const v1::UpdateLightRulesRequest* req,
                                                          v1::LightRules* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_RETURN_IF_ERROR(ValidateLightRules(req->rules()));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.PutLightRules(req->rules(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetLightRules());
      CHAINHUB_RETURN_IF_ERROR(AppendAudit(
          tx, call, "lightRules",
          absl::StrFormat("yellow=%d red=%d start_yellow=%d start_red=%d",
                          resp->yellow_behind_points(), resp->red_behind_points(),
                          resp->missed_start_yellow_months(), resp->missed_start_red_months()),
          now));
      // Every summary counts lights under the rules: drop each chain's cached summaries.
      inv.insert(SummaryNs(""));
      CHAINHUB_ASSIGN_OR_RETURN(auto chains, tx.Query("SELECT DISTINCT chain_id FROM projects"));
      for (const auto& row : chains) inv.insert(SummaryNs(row.Text(0)));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::EvaluateLights(Ctx* ctx,
                                                        const v1::EvaluateLightsRequest* req,
                                                        v1::EvaluateLightsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    std::string chain_id;
    if (!req->chain().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(chain_id, ParseChainName("chain", req->chain()));
    }
    if (req->dry_run()) {
      CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    } else if (!chain_id.empty()) {
      CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain_id));
    } else {
      CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    }
    if (!req->date().empty() && !IsValidDate(req->date())) {
      return InvalidField("date", "must be a date YYYY-MM-DD");
    }
    if (!chain_id.empty() && reference_ != nullptr) {
      CHAINHUB_RETURN_IF_ERROR(reference_->EnsureKnown(chain_id, "", "chain", "chain"));
    }
    return EvaluateLightsAt(call, req->date().empty() ? Today() : req->date(), chain_id,
                            req->dry_run(), resp);
  });
}

absl::StatusOr<v1::EvaluateLightsResponse> IntakeService::EvaluateLightsToday() {
  Principal self;
  self.subject = "systems/intake";
  self.roles.insert(std::string(roles::kAdmin));
  const std::string request_id = NewUuidV7();
  const std::string method = "internal:EvaluateLights";
  const AuthorizedCall call{self, request_id, method};
  v1::EvaluateLightsResponse resp;
  CHAINHUB_RETURN_IF_ERROR(EvaluateLightsAt(call, Today(), "", false, &resp));
  return resp;
}

absl::Status IntakeService::EvaluateLightsAt(const AuthorizedCall& call, const std::string& date,
                                             const std::string& chain_id, bool dry_run,
                                             v1::EvaluateLightsResponse* resp) {
  {
    auto run = [&](SqlTx* tx, IntakeTx& db, std::set<std::string>* inv) -> absl::Status {
      resp->Clear();
      resp->set_date(date);
      CHAINHUB_ASSIGN_OR_RETURN(v1::LightRules rules, db.GetLightRules());
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<ProjectFacts> facts, db.FactsAsOf(chain_id, date));
      const absl::Time now = clock_();
      for (ProjectFacts& f : facts) {
        LightInput in;
        in.stage = f.stage;
        in.stalled_from = f.stalled_from;
        in.planned_start_date = f.project.planned_start_date();
        in.stage_dates = f.dates;
        in.annual_planned_investment_yuan = f.project.annual_planned_investment_yuan();
        in.reports = std::move(f.reports);
        LightOutcome outcome = EvaluateLight(in, rules, date);
        resp->set_evaluated_count(resp->evaluated_count() + 1);
        if (outcome.light == v1::LIGHT_GREEN) resp->set_green_count(resp->green_count() + 1);
        if (outcome.light == v1::LIGHT_YELLOW) resp->set_yellow_count(resp->yellow_count() + 1);
        if (outcome.light == v1::LIGHT_RED) resp->set_red_count(resp->red_count() + 1);
        const bool changed = outcome.light != f.project.light();
        if (changed) resp->set_changed_count(resp->changed_count() + 1);
        if (changed || dry_run) {
          v1::LightResult* r = resp->add_results();
          r->set_project(f.project.name());
          r->set_light(outcome.light);
          r->set_previous_light(f.project.light());
          r->set_reason(outcome.reason);
        }
        if (tx == nullptr) continue;
        // Compared before overwriting: an unchanged light is still stamped with this date.
        const bool stamp_changed =
            outcome.reason != f.project.light_reason() || f.project.light_date() != date;
        f.project.set_light(outcome.light);
        f.project.set_light_reason(outcome.reason);
        f.project.set_light_date(date);
        if (changed || stamp_changed) {
          CHAINHUB_RETURN_IF_ERROR(db.SetLight(f.id, f.project));
          InvalidateProject(*inv, f.id, ChainIdOfProject(f.project));
        }
        if (changed) {
          CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(f.id));
          CHAINHUB_RETURN_IF_ERROR(RecordLightChange(*tx, call, stored.project, now));
        }
      }
      if (tx != nullptr) {
        CHAINHUB_RETURN_IF_ERROR(AppendAudit(
            *tx, call, chain_id.empty() ? "projects" : "chains/" + chain_id,
            absl::StrCat("evaluate lights date=", date, " changed=", resp->changed_count()), now));
      }
      return absl::OkStatus();
    };
    if (dry_run) return ReadTx([&](IntakeTx& db) { return run(nullptr, db, nullptr); });
    return Mutate(
        [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) { return run(&tx, db, &inv); });
  }
}

// --- Summary -----------------------------------------------------------------------------------

grpc::ServerUnaryReactor* IntakeService::SummarizeProjects(Ctx* ctx,
                                                           const v1::SummarizeProjectsRequest* req,
                                                           v1::ProjectSummary* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    std::string chain_id;
    if (!req->chain().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(chain_id, ParseChainName("chain", req->chain()));
    }
    if (!chain_id.empty() && reference_ != nullptr) {
      CHAINHUB_RETURN_IF_ERROR(reference_->EnsureKnown(chain_id, "", "chain", "chain"));
    }
    CHAINHUB_ASSIGN_OR_RETURN(Period period, ParsePeriod(req->period()));
    // As of the period's last day, or today while the period runs.
    const std::string today = Today();
    if (period.start_date > today) {
      return InvalidField("period",
                          absl::StrCat(period.text, " has not begun (today is ", today, ")"));
    }
    const std::string as_of = std::min(period.end_date, today);
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::ProjectSummary summary;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(v1::LightRules rules, db.GetLightRules());
        CHAINHUB_ASSIGN_OR_RETURN(std::vector<SummaryProject> projects,
                                  db.SummaryInputs(chain_id, period, as_of, rules));
        summary = Summarize(projects, period, chain_id.empty() ? "" : "chains/" + chain_id);
        return absl::OkStatus();
      }));
      return summary.SerializeAsString();
    };
    return ReadThroughCache(cache_, SummaryNs(chain_id), absl::StrCat(period.text, "@", as_of),
                            load, resp);
  });
}

// --- Import ------------------------------------------------------------------------------------

namespace {

// Errors a row can have on its own; anything else aborts the batch (and the call).
bool IsRowError(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kUnavailable:
      return true;
    default:
      return false;
  }
}

absl::Status RowFailed(const absl::Status& s, v1::ImportRowResult* result) {
  if (!IsRowError(s)) return s;
  result->set_code(static_cast<int32_t>(s.code()));
  result->set_message(std::string(s.message()));
  return absl::OkStatus();
}

}  // namespace

absl::Status IntakeService::ApplyImportRow(SqlTx& tx, IntakeTx& db, const AuthorizedCall& call,
                                           const ImportItem& item, const std::string& source,
                                           bool write, absl::Time now, std::set<std::string>& inv,
                                           v1::ImportRowResult* result) {
  const Prepared& pr = item.prepared;
  const std::string detail =
      absl::StrCat("import row ", item.row_number, source.empty() ? "" : " of ", source);
  CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.ProjectIdByExternalId(pr.project.external_id()));
  if (!existing) {
    if (!write) {
      result->set_outcome("CREATED");
      return RowFailed(
          ReferenceCopy::CheckExists(tx, pr.chain_id, pr.node_id, "project.chain", "project.node"),
          result);
    }
    absl::StatusOr<v1::Project> created = InsertNew(tx, db, call, pr, detail, now, inv);
    if (!created.ok()) return RowFailed(created.status(), result);
    result->set_project(created->name());
    result->set_outcome("CREATED");
    return absl::OkStatus();
  }

  // An existing project: its descriptive fields are replaced by the row's and its stage moves
  // forward to the row's. Every check comes before the first write.
  CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(*existing));
  result->set_project(current.project.name());
  if (current.project.chain() != pr.project.chain()) {
    return RowFailed(
        InvalidField("project.chain", absl::StrCat("a project's chain cannot change (", *existing,
                                                   " is on ", current.project.chain(), ")")),
        result);
  }
  if (absl::Status s =
          ReferenceCopy::CheckExists(tx, pr.chain_id, pr.node_id, "project.chain", "project.node");
      !s.ok()) {
    return RowFailed(s, result);
  }
  absl::StatusOr<std::vector<v1::StageChange>> moves = ForwardMoves(
      current.state, pr.project.stage(), pr.project.stage_dates(), ChinaDate(now), "project");
  if (!moves.ok()) return RowFailed(moves.status(), result);
  v1::Project merged = current.project;
  CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(pr.project, {}, ProjectWritableFields(), &merged));
  if (merged.province_chains().empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(auto defaults,
                              ReferenceCopy::DefaultProvinceChains(tx, pr.chain_id, pr.node_id));
    for (auto& d : defaults) merged.add_province_chains(std::move(d));
    merged.set_province_chains_source("chain_default");
  } else if (!std::equal(merged.province_chains().begin(), merged.province_chains().end(),
                         current.project.province_chains().begin(),
                         current.project.province_chains().end())) {
    merged.set_province_chains_source("override");
  }  // else the row repeats what the project has (e.g. an export re-imported): same source
  const bool same = SameDescription(merged, current.project) &&
                    merged.province_chains_source() == current.project.province_chains_source() &&
                    std::equal(merged.province_chains().begin(), merged.province_chains().end(),
                               current.project.province_chains().begin(),
                               current.project.province_chains().end());
  if (same && moves->empty()) {
    result->set_outcome("UNCHANGED");
    return absl::OkStatus();
  }
  result->set_outcome("UPDATED");
  if (!write) return absl::OkStatus();

  StageState state = current.state;
  std::vector<v1::StageChange> stored_moves;
  for (v1::StageChange change : *moves) {
    change.set_from_stage(state.stage);
    change.set_principal(call.principal.subject);
    ApplyTransition(&state, merged.mutable_stage_dates(), change.to_stage(),
                    change.effective_date());
    CHAINHUB_ASSIGN_OR_RETURN(change, db.AppendStageChange(*existing, change, now));
    stored_moves.push_back(std::move(change));
  }
  merged.set_stage(state.stage);
  SetSizeBands(&merged);
  CHAINHUB_ASSIGN_OR_RETURN(bool light_changed, RefreshLight(db, *existing, &merged, state, now));
  CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(*existing, merged, state, now));
  CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(*existing));
  if (!same) {
    auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_UPDATED, stored.project.name(),
                          pr.chain_id, now, stored.project);
    CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), detail, now));
  }
  for (const auto& change : stored_moves) {
    auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_STAGE_CHANGED,
                          stored.project.name(), pr.chain_id, now, change);
    CHAINHUB_RETURN_IF_ERROR(
        RecordMutation(tx, call, std::move(event),
                       absl::StrCat(detail, ": ", StageName(change.from_stage()), "->",
                                    StageName(change.to_stage()), " ", change.effective_date()),
                       now));
  }
  if (light_changed) CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, stored.project, now));
  InvalidateProject(inv, *existing, pr.chain_id);
  return absl::OkStatus();
}

absl::Status IntakeService::FlushImport(const AuthorizedCall& call, std::vector<ImportItem>& batch,
                                        const v1::ImportHeader& header,
                                        v1::ImportProjectsResponse* resp) {
  if (batch.empty()) return absl::OkStatus();
  std::vector<v1::ImportRowResult> results(batch.size());
  const bool write = !header.validate_only();
  auto body = [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
    const absl::Time now = clock_();
    for (size_t i = 0; i < batch.size(); ++i) {
      v1::ImportRowResult& r = results[i];
      r.Clear();
      r.set_row_number(batch[i].row_number);
      r.set_external_id(batch[i].prepared.project.external_id());
      if (!batch[i].status.ok()) {
        CHAINHUB_RETURN_IF_ERROR(RowFailed(batch[i].status, &r));
        continue;
      }
      CHAINHUB_RETURN_IF_ERROR(
          ApplyImportRow(tx, db, call, batch[i], header.source(), write, now, inv, &r));
    }
    return absl::OkStatus();
  };
  if (write) {
    CHAINHUB_RETURN_IF_ERROR(Mutate(body));
  } else {
    CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) {
      IntakeTx db(tx);
      std::set<std::string> unused;
      return body(tx, db, unused);
    }));
  }
  for (auto& r : results) {
    if (r.code() != 0) {
      resp->set_failed_count(resp->failed_count() + 1);
      r.clear_outcome();
      CountImport("failed");
    } else if (r.outcome() == "CREATED") {
      resp->set_created_count(resp->created_count() + 1);
      CountImport("created");
    } else if (r.outcome() == "UPDATED") {
      resp->set_updated_count(resp->updated_count() + 1);
      CountImport("updated");
    } else {
      resp->set_unchanged_count(resp->unchanged_count() + 1);
      CountImport("unchanged");
    }
    *resp->add_results() = std::move(r);
  }
  batch.clear();
  return absl::OkStatus();
}

grpc::ServerReadReactor<v1::ImportProjectsRequest>* IntakeService::ImportProjects(
    Ctx* ctx, v1::ImportProjectsResponse* resp) {
  auto* reader = new ClientStream<v1::ImportProjectsRequest>(ctx);
  return reader->Serve([=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin, roles::kChainOffice}));
    v1::ImportHeader header;
    std::vector<ImportItem> batch;
    v1::ImportProjectsRequest msg;
    int messages = 0;
    while (reader->Read(&msg)) {
      ++messages;
      if (msg.has_header()) {
        if (messages != 1)
          return InvalidField("header", "must be the first message, and only once");
        header = msg.header();
        CHAINHUB_RETURN_IF_ERROR(CheckImportHeader(header));
        continue;
      }
      if (!msg.has_row()) return InvalidField("kind", "each message is a header or a row");
      if (resp->row_count() >= kMaxImportRows) {
        CHAINHUB_RETURN_IF_ERROR(FlushImport(call, batch, header, resp));
        return absl::ResourceExhaustedError(
            absl::StrCat("rows: one call takes at most ", kMaxImportRows, " rows; the first ",
                         kMaxImportRows, " were applied; send the rest in another call"));
      }
      resp->set_row_count(resp->row_count() + 1);
      ImportItem item;
      item.row_number = msg.row().row_number() != 0 ? msg.row().row_number() : resp->row_count();
      const v1::Project& p = msg.row().project();
      item.prepared.project = p;
      if (p.external_id().empty()) {
        item.status = InvalidField("project.external_id", "is required for an import row");
      } else {
        absl::StatusOr<Prepared> prepared = Prepare(call, p, "project", true);
        if (prepared.ok()) {
          item.prepared = std::move(*prepared);
        } else {
          item.status = prepared.status();
        }
      }
      batch.push_back(std::move(item));
      if (static_cast<int>(batch.size()) >= kImportBatchRows) {
        CHAINHUB_RETURN_IF_ERROR(FlushImport(call, batch, header, resp));
      }
    }
    return FlushImport(call, batch, header, resp);
  });
}

grpc::ServerUnaryReactor* IntakeService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, chainhub::ListAuditEvents(*store_, *req));
    return absl::OkStatus();
  });
}

}  // namespace chainhub::intake
