// Projects: GetProject, ListProjects, CreateProject, UpdateProject, DeleteProject.
#include <utility>

#include "absl/strings/str_cat.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/intake/intake_service.h"
#include "services/intake/internal/handler_common.h"
#include "services/intake/names.h"
#include "services/intake/projects.h"
#include "services/intake/province_chains.h"
#include "services/intake/validation.h"

namespace chainhub::intake {

using internal::InvalidateProject;
using internal::kSource;
using internal::ProjectNs;

grpc::ServerUnaryReactor* IntakeService::GetProject(Ctx* ctx, const v1::GetProjectRequest* req,
                                                    v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ProjectName name, ProjectName::Parse("name", req->name()));
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::Project p;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(StoredProject stored, db.GetProject(name.id));
        p = std::move(stored.project);
        return absl::OkStatus();
      }));
      return p.SerializeAsString();
    };
    return ReadThroughCache(cache_, ProjectNs(name.id), "", load, resp);
  });
}

grpc::ServerUnaryReactor* IntakeService::ListProjects(Ctx* ctx, const v1::ListProjectsRequest* req,
                                                      v1::ListProjectsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order, ProjectOrder(req->order_by()));
    // A page is the same for every reader, so it is cached under the request itself.
    auto load = [&]() -> absl::StatusOr<v1::ListProjectsResponse> {
      v1::ListProjectsResponse page;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
        std::vector<v1::Project> projects;
        std::string next;
        CompiledFilter filter;
        CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Project>(
            "ListProjects", req->page_size(), req->page_token(), req->filter(), req->order_by(),
            ProjectFilterFields(), order, [&](const PageQuery& q) { return db.ListProjects(q); },
            &projects, &next, &filter));
        for (auto& p : projects) *page.add_projects() = std::move(p);
        page.set_next_page_token(next);
        CHAINHUB_ASSIGN_OR_RETURN(int64_t total, db.CountProjects(filter));
        page.set_total_size(static_cast<int32_t>(total));
        return absl::OkStatus();
      }));
      return page;
    };
    return ReadCached(cache_, internal::kProjectListNs, req->SerializeAsString(), load, resp);
  });
}

grpc::ServerUnaryReactor* IntakeService::CreateProject(Ctx* ctx,
                                                       const v1::CreateProjectRequest* req,
                                                       v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_ASSIGN_OR_RETURN(Prepared prepared, Prepare(call, req->project(), "project", true));
    return MutateOnce<v1::Project>(
        call, *req, req->request_id(), resp,
        [&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv, absl::Time now) -> absl::Status {
          CHAINHUB_ASSIGN_OR_RETURN(
              *resp, InsertNew(tx, db, call, prepared, CreateDetail(req->request_id()), now, inv));
          return absl::OkStatus();
        });
  });
}

grpc::ServerUnaryReactor* IntakeService::UpdateProject(Ctx* ctx,
                                                       const v1::UpdateProjectRequest* req,
                                                       v1::Project* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ProjectName name,
                              ProjectName::Parse("project.name", req->project().name()));
    const std::string& id = name.id;
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
    StoredProject snapshot;
    CHAINHUB_RETURN_IF_ERROR(ReadTx([&](IntakeTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(snapshot, db.GetProject(id));
      return absl::OkStatus();
    }));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, snapshot.chain.chain));
    CHAINHUB_ASSIGN_OR_RETURN(v1::Project preview, merge(snapshot.project));
    CHAINHUB_ASSIGN_OR_RETURN(Prepared prepared, Prepare(call, preview, "project", false));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(id));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->project().etag(), current.project.etag(), current.project.name()));
      CHAINHUB_ASSIGN_OR_RETURN(v1::Project merged, merge(current.project));
      std::vector<FieldViolation> violations;
      CheckProject(merged, "project", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_ASSIGN_OR_RETURN(std::optional<NodeName> node,
                                ParseOptionalNode("project.node", merged.node()));
      CHAINHUB_RETURN_IF_ERROR(
          ReferenceCopy::CheckExists(tx, prepared.chain, node, "project.chain", "project.node"));
      if (!merged.external_id().empty() && merged.external_id() != current.project.external_id()) {
        CHAINHUB_ASSIGN_OR_RETURN(auto other, db.ProjectIdByExternalId(merged.external_id()));
        if (other && *other != id) {
          return AlreadyExists("Project",
                               absl::StrCat(ProjectName{*other}.String(), " (external_id ",
                                            merged.external_id(), ")"));
        }
      }
      CHAINHUB_RETURN_IF_ERROR(SetProvinceChains(
          tx,
          ChooseProvinceChains({.current = &current.project,
                                .merged = &merged,
                                .given = MaskSetsProvinceChains(req->update_mask().paths())}),
          prepared.chain, node, &merged));
      SetSizeBands(&merged);
      const absl::Time now = clock_.Now();
      CHAINHUB_ASSIGN_OR_RETURN(bool light_changed,
                                RefreshLight(db, id, &merged, current.state, now));
      CHAINHUB_RETURN_IF_ERROR(db.UpdateProject(id, &merged, current.state, now));
      *resp = std::move(merged);
      auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_UPDATED, resp->name(),
                            prepared.chain.chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now));
      if (light_changed) {
        CHAINHUB_RETURN_IF_ERROR(RecordLightChange(tx, call, *resp, prepared.chain, now));
      }
      InvalidateProject(inv, id, prepared.chain.chain);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* IntakeService::DeleteProject(Ctx* ctx,
                                                       const v1::DeleteProjectRequest* req,
                                                       google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(ProjectName name, ProjectName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx, IntakeTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(StoredProject current, db.GetProject(name.id));
      CHAINHUB_RETURN_IF_ERROR(
          CheckEtag(req->etag(), current.project.etag(), current.project.name()));
      CHAINHUB_RETURN_IF_ERROR(db.DeleteProject(name.id));
      const absl::Time now = clock_.Now();
      auto event = NewEvent(kSource, call, v1::INTAKE_EVENT_PROJECT_DELETED, current.project.name(),
                            current.chain.chain, now, current.project);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event),
                         absl::StrCat("display_name=", current.project.display_name(),
                                      " external_id=", current.project.external_id()),
                         now));
      InvalidateProject(inv, name.id, current.chain.chain);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::intake
