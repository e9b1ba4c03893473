// Enterprises and their memberships: Get/List/Create/Update/DeleteEnterprise and
// BatchUpsertEnterprises.
#include "absl/strings/str_cat.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/registry/enterprise_batch.h"
#include "services/registry/internal/handler_support.h"
#include "services/registry/membership.h"
#include "services/registry/names.h"
#include "services/registry/registry_service.h"
#include "services/registry/validation.h"

namespace chainhub::registry {

using internal::EnterpriseNs;
using internal::kSource;
using internal::MapNs;
using internal::Replayed;

absl::StatusOr<v1::Enterprise> RegistryService::WriteEnterprise(
    SqlTx& tx, RegistryTx& db, const AuthorizedCall& call, v1::Enterprise e,
    const std::optional<v1::Enterprise>& existing, absl::string_view detail,
    std::set<std::string>& inv) {
  CHAINHUB_RETURN_IF_ERROR(
      AuthorizeEnterpriseWrite(call.principal, existing ? &*existing : nullptr, e));
  const absl::Time now = clock_.Now();
  CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise stored,
                            db.PutEnterprise(e, existing ? &*existing : nullptr, now));
  auto event = NewEvent(
      kSource, call,
      existing ? v1::REGISTRY_EVENT_ENTERPRISE_UPDATED : v1::REGISTRY_EVENT_ENTERPRISE_CREATED,
      stored.name(), "", now, stored);
  CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), detail, now));
  inv.insert(EnterpriseNs(e.credit_code()));
  for (const auto& c : ChainsOf(stored)) inv.insert(MapNs(c));
  if (existing) {
    for (const auto& c : ChainsOf(*existing)) inv.insert(MapNs(c));
  }
  return stored;
}

absl::Status RegistryService::CheckEnterpriseReferences(
    RegistryTx& db, const v1::Enterprise& e, const std::string& prefix,
    const std::set<std::string>* missing_nodes) {
  std::vector<std::string> missing;
  if (missing_nodes == nullptr) {
    std::vector<std::string> names(e.memberships().begin(), e.memberships().end());
    CHAINHUB_ASSIGN_OR_RETURN(missing, db.MissingNodes(names));
  } else {
    for (const std::string& m : e.memberships()) {
      if (missing_nodes->contains(m)) missing.push_back(m);
    }
  }
  CHAINHUB_RETURN_IF_ERROR(CheckMembershipsExist(e, missing, prefix));
  return CheckProvinceIds(db, e.province_category_override(),
                          prefix + ".province_category_override");
}

grpc::ServerUnaryReactor* RegistryService::GetEnterprise(Ctx* ctx,
                                                         const v1::GetEnterpriseRequest* req,
                                                         v1::Enterprise* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(EnterpriseName name, EnterpriseName::Parse("name", req->name()));
    auto load = [&]() -> absl::StatusOr<v1::Enterprise> {
      v1::Enterprise e;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(e, db.GetEnterprise(name.credit_code));
        return absl::OkStatus();
      }));
      return e;
    };
    return ReadCached(cache_, EnterpriseNs(name.credit_code), "e", load, resp);
  });
}

grpc::ServerUnaryReactor* RegistryService::ListEnterprises(Ctx* ctx,
                                                           const v1::ListEnterprisesRequest* req,
                                                           v1::ListEnterprisesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order, EnterpriseOrder(req->order_by()));
    // A page is the same for every reader, so it is cached under the request itself.
    auto load = [&]() -> absl::StatusOr<v1::ListEnterprisesResponse> {
      v1::ListEnterprisesResponse page;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
        std::vector<v1::Enterprise> enterprises;
        std::string next;
        CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Enterprise>(
            "ListEnterprises", req->page_size(), req->page_token(), req->filter(), req->order_by(),
            EnterpriseFilterFields(), order,
            [&](const PageQuery& q) { return db.ListEnterprises(q); }, &enterprises, &next));
        page.mutable_enterprises()->Reserve(static_cast<int>(enterprises.size()));
        for (auto& e : enterprises) *page.add_enterprises() = std::move(e);
        page.set_next_page_token(next);
        return absl::OkStatus();
      }));
      return page;
    };
    return ReadCached(cache_, internal::kEnterpriseListNs, req->SerializeAsString(), load, resp);
  });
}

grpc::ServerUnaryReactor* RegistryService::CreateEnterprise(Ctx* ctx,
                                                            const v1::CreateEnterpriseRequest* req,
                                                            v1::Enterprise* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        RequireAnyRole(call.principal, {roles::kAdmin, roles::kDepartment, roles::kChainOffice}));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_RETURN_IF_ERROR(Validate(CheckEnterprise, req->enterprise(), "enterprise"));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool replayed, Replayed(tx, call, req->request_id(), digest, resp));
      if (replayed) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.FindEnterprise(req->enterprise().credit_code()));
      if (existing) return AlreadyExists("Enterprise", existing->name());
      CHAINHUB_RETURN_IF_ERROR(CheckEnterpriseReferences(db, req->enterprise(), "enterprise"));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, WriteEnterprise(tx, db, call, req->enterprise(), existing,
                                                       CreateDetail(req->request_id()), inv));
      CHAINHUB_RETURN_IF_ERROR(
          RememberResponse(tx, call, req->request_id(), digest, *resp, clock_.Now()));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateEnterprise(Ctx* ctx,
                                                            const v1::UpdateEnterpriseRequest* req,
                                                            v1::Enterprise* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        RequireAnyRole(call.principal, {roles::kAdmin, roles::kDepartment, roles::kChainOffice}));
    CHAINHUB_ASSIGN_OR_RETURN(EnterpriseName name,
                              EnterpriseName::Parse("enterprise.name", req->enterprise().name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise current, db.GetEnterprise(name.credit_code));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->enterprise().etag(), current.etag(), current.name()));
      v1::Enterprise merged = current;
      CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(req->enterprise(), req->update_mask(),
                                               EnterpriseWritableFields(), &merged));
      CHAINHUB_RETURN_IF_ERROR(Validate(CheckEnterprise, merged, "enterprise"));
      CHAINHUB_RETURN_IF_ERROR(CheckEnterpriseReferences(db, merged, "enterprise"));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, WriteEnterprise(tx, db, call, merged, std::move(current),
                                                       MaskText(req->update_mask()), inv));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteEnterprise(Ctx* ctx,
                                                            const v1::DeleteEnterpriseRequest* req,
                                                            google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(EnterpriseName name, EnterpriseName::Parse("name", req->name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise current, db.GetEnterprise(name.credit_code));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_RETURN_IF_ERROR(db.DeleteEnterprise(name.credit_code));
      const absl::Time now = clock_.Now();
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_ENTERPRISE_DELETED, current.name(),
                            "", now, current);
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), "", now));
      inv.insert(EnterpriseNs(name.credit_code));
      for (const auto& c : ChainsOf(current)) inv.insert(MapNs(c));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::BatchUpsertEnterprises(
    Ctx* ctx, const v1::BatchUpsertEnterprisesRequest* req,
    v1::BatchUpsertEnterprisesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin, roles::kDepartment}));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), true));
    CHAINHUB_RETURN_IF_ERROR(CheckBatchSize(req->enterprises_size()));
    const std::vector<absl::Status> checked = CheckBatchRows(req->enterprises());
    const std::string digest = RequestDigest(*req);
    auto run = [&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      resp->Clear();
      if (!req->validate_only()) {
        CHAINHUB_ASSIGN_OR_RETURN(bool replayed,
                                  Replayed(tx, call, req->request_id(), digest, resp));
        if (replayed) return absl::OkStatus();
      }
      // Every row's nodes and stored enterprise, looked up at once (a batch names an enterprise
      // once: CheckBatchRows refuses a repeat).
      std::set<std::string> nodes;
      std::set<std::string> codes;
      for (int i = 0; i < req->enterprises_size(); ++i) {
        if (!checked[i].ok()) continue;
        nodes.insert(req->enterprises(i).memberships().begin(),
                     req->enterprises(i).memberships().end());
        codes.insert(req->enterprises(i).credit_code());
      }
      CHAINHUB_ASSIGN_OR_RETURN(const auto stored, db.FindEnterprises(codes));
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<std::string> missing_list,
                                db.MissingNodes({nodes.begin(), nodes.end()}));
      const std::set<std::string> missing_nodes(missing_list.begin(), missing_list.end());
      for (int i = 0; i < req->enterprises_size(); ++i) {
        const v1::Enterprise& e = req->enterprises(i);
        auto* result = resp->add_results();
        result->set_index(i);
        result->set_credit_code(e.credit_code());
        absl::Status row = checked[i];
        if (row.ok()) {
          row = CheckEnterpriseReferences(db, e, absl::StrCat("enterprises[", i, "]"),
                                          &missing_nodes);
        }
        if (row.ok() && !req->validate_only()) {
          auto it = stored.find(e.credit_code());
          const bool created = it == stored.end();
          auto written = WriteEnterprise(
              tx, db, call, e,
              created ? std::nullopt : std::optional<v1::Enterprise>(it->second),
              absl::StrCat("batch request_id=", req->request_id()), inv);
          row = written.status();
          result->set_created(row.ok() && created);
          if (row.ok()) {
            (created ? resp->set_created_count(resp->created_count() + 1)
                     : resp->set_updated_count(resp->updated_count() + 1));
          }
        }
        if (!row.ok()) {
          if (!FailsOnlyItsRow(row)) return row;
          result->set_code(static_cast<int>(row.code()));
          result->set_message(std::string(row.message()));
          resp->set_failed_count(resp->failed_count() + 1);
        }
      }
      if (!req->validate_only()) {
        CHAINHUB_RETURN_IF_ERROR(RecordIdempotent(tx, call.method, req->request_id(), digest,
                                                  resp->SerializeAsString(), clock_.Now()));
      }
      return absl::OkStatus();
    };
    if (req->validate_only()) {
      return store_->Read([&](SqlTx& tx) {
        RegistryTx db(tx);
        std::set<std::string> unused;
        return run(tx, db, unused);
      });
    }
    return Mutate(run);
  });
}

}  // namespace chainhub::registry
