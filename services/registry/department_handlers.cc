// Departments (牵头部门 and member units): Get/List/Create/Update/DeleteDepartment.
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/registry/deletion.h"
#include "services/registry/internal/handler_support.h"
#include "services/registry/registry_service.h"
#include "services/registry/validation.h"

namespace chainhub::registry {

using internal::kSource;
using internal::RecordCreate;
using internal::Replayed;

grpc::ServerUnaryReactor* RegistryService::GetDepartment(Ctx* ctx,
                                                         const v1::GetDepartmentRequest* req,
                                                         v1::Department* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(DepartmentName name, DepartmentName::Parse("name", req->name()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDepartment(name.department));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ListDepartments(Ctx* ctx,
                                                           const v1::ListDepartmentsRequest* req,
                                                           v1::ListDepartmentsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      std::vector<v1::Department> departments;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Department>(
          "ListDepartments", req->page_size(), req->page_token(), req->filter(), "",
          DepartmentFilterFields(), DepartmentOrder(),
          [&](const PageQuery& q) { return db.ListDepartments(q); }, &departments, &next));
      for (auto& d : departments) *resp->add_departments() = std::move(d);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::CreateDepartment(Ctx* ctx,
                                                            const v1::CreateDepartmentRequest* req,
                                                            v1::Department* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_RETURN_IF_ERROR(ValidateId("department_id", req->department_id()));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_RETURN_IF_ERROR(Validate(CheckDepartment, req->department(), "department"));
    const DepartmentName name{req->department_id()};
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool replayed, Replayed(tx, call, req->request_id(), digest, resp));
      if (replayed) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.DepartmentExists(name.department));
      if (exists) return AlreadyExists("Department", name.String());
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.InsertDepartment(name.department, req->department(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDepartment(name.department));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_DEPARTMENT_CREATED, resp->name(), "",
                            now, *resp);
      return RecordCreate(tx, call, std::move(event), req->request_id(), digest, *resp, now);
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateDepartment(Ctx* ctx,
                                                            const v1::UpdateDepartmentRequest* req,
                                                            v1::Department* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(DepartmentName name,
                              DepartmentName::Parse("department.name", req->department().name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Department current, db.GetDepartment(name.department));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->department().etag(), current.etag(), current.name()));
      v1::Department merged = current;
      CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(req->department(), req->update_mask(),
                                               DepartmentWritableFields(), &merged));
      CHAINHUB_RETURN_IF_ERROR(Validate(CheckDepartment, merged, "department"));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateDepartment(name.department, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDepartment(name.department));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_DEPARTMENT_UPDATED, resp->name(), "",
                            now, *resp);
      return RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now);
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteDepartment(Ctx* ctx,
                                                            const v1::DeleteDepartmentRequest* req,
                                                            google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(DepartmentName name, DepartmentName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Department current, db.GetDepartment(name.department));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_ASSIGN_OR_RETURN(auto chains, db.ChainsReferencingDepartment(name.department));
      CHAINHUB_RETURN_IF_ERROR(CheckDepartmentDeletable(current.name(), chains));
      CHAINHUB_RETURN_IF_ERROR(db.DeleteDepartment(name.department));
      const absl::Time now = clock_.Now();
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_DEPARTMENT_DELETED, current.name(),
                            "", now, current);
      return RecordMutation(tx, call, std::move(event), "", now);
    });
  });
}

}  // namespace chainhub::registry
