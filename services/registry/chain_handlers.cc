// Chains and their maps: Get/List/Create/Update/DeleteChain and GetChainMap.
#include "absl/strings/str_cat.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/registry/chain_map.h"
#include "services/registry/deletion.h"
#include "services/registry/internal/handler_support.h"
#include "services/registry/membership.h"
#include "services/registry/province.h"
#include "services/registry/registry_service.h"
#include "services/registry/validation.h"

namespace chainhub::registry {

using internal::EnterpriseNs;
using internal::kChainsNs;
using internal::kSource;
using internal::MapNs;
using internal::RecordCreate;
using internal::Replayed;

namespace {

// A write to a chain changes it in the list of every chain and in its map.
void InvalidateChain(std::set<std::string>& inv, const std::string& chain_id) {
  inv.insert(kChainsNs);
  inv.insert(MapNs(chain_id));
}

}  // namespace

absl::StatusOr<v1::Chain> RegistryService::LoadChain(const ChainName& name) {
  v1::Chain chain;
  CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(chain, DecoratedChain(db, name.chain));
    return absl::OkStatus();
  }));
  return chain;
}

absl::StatusOr<v1::ChainMap> RegistryService::LoadChainMap(const ChainName& name) {
  v1::ChainMap map;
  CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Chain chain, db.GetChain(name.chain));
    CHAINHUB_ASSIGN_OR_RETURN(auto nodes, db.AllNodes(name.chain));
    CHAINHUB_ASSIGN_OR_RETURN(auto firms, db.MapFirms(name.chain));
    map = BuildChainMap(chain, nodes, firms);
    return absl::OkStatus();
  }));
  return map;
}

absl::StatusOr<v1::Chain> RegistryService::DecoratedChain(RegistryTx& db, const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Chain chain, db.GetChain(id));
  CHAINHUB_RETURN_IF_ERROR(DecorateChain(db, &chain));
  return chain;
}

absl::Status RegistryService::DecorateChain(RegistryTx& db, v1::Chain* chain) {
  CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
  const v1::ProvinceList* list = ListInForce(lists, ChinaDate(clock_.Now()));
  chain->clear_province_categories();
  if (list == nullptr) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("name", chain->name()));
  CHAINHUB_ASSIGN_OR_RETURN(auto mappings, db.Mappings(name.chain, ""));
  *chain->mutable_province_categories() = ResolveCategories(*list, {}, mappings).categories();
  return absl::OkStatus();
}

absl::Status RegistryService::CheckChainReferences(RegistryTx& db, const v1::Chain& c) {
  std::vector<FieldViolation> v;
  auto check = [&](const std::string& field, const std::string& department) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(DepartmentName name, DepartmentName::Parse(field, department));
    CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.DepartmentExists(name.department));
    if (!exists) v.push_back({field, department + " does not exist"});
    return absl::OkStatus();
  };
  if (!c.lead_department().empty()) {
    CHAINHUB_RETURN_IF_ERROR(check("chain.lead_department", c.lead_department()));
  }
  for (int i = 0; i < c.member_units_size(); ++i) {
    CHAINHUB_RETURN_IF_ERROR(check(absl::StrCat("chain.member_units[", i, "].department"),
                                   c.member_units(i).department()));
  }
  return ToStatus(v);
}

grpc::ServerUnaryReactor* RegistryService::GetChain(Ctx* ctx, const v1::GetChainRequest* req,
                                                    v1::Chain* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("name", req->name()));
    auto load = [&] { return LoadChain(name); };
    return ReadCached(cache_, kChainsNs, name.chain, load, resp);
  });
}

grpc::ServerUnaryReactor* RegistryService::GetChainMap(Ctx* ctx, const v1::GetChainMapRequest* req,
                                                       v1::ChainMap* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("name", req->name()));
    auto load = [&] { return LoadChainMap(name); };
    return ReadCached(cache_, MapNs(name.chain), "map", load, resp);
  });
}

grpc::ServerUnaryReactor* RegistryService::ListChains(Ctx* ctx, const v1::ListChainsRequest* req,
                                                      v1::ListChainsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order, ChainOrder(req->order_by()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      std::vector<v1::Chain> chains;
      std::string next;
      CompiledFilter filter;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Chain>(
          "ListChains", req->page_size(), req->page_token(), req->filter(), req->order_by(),
          ChainFilterFields(), order, [&](const PageQuery& q) { return db.ListChains(q); }, &chains,
          &next, &filter));
      for (auto& c : chains) {
        CHAINHUB_RETURN_IF_ERROR(DecorateChain(db, &c));
        *resp->add_chains() = std::move(c);
      }
      resp->set_next_page_token(next);
      CHAINHUB_ASSIGN_OR_RETURN(int64_t total, db.CountChains(filter));
      resp->set_total_size(static_cast<int32_t>(total));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::CreateChain(Ctx* ctx, const v1::CreateChainRequest* req,
                                                       v1::Chain* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_RETURN_IF_ERROR(ValidateId("chain_id", req->chain_id()));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    v1::Chain chain = req->chain();
    if (chain.status() == v1::CHAIN_STATUS_UNSPECIFIED) chain.set_status(v1::CHAIN_STATUS_ACTIVE);
    CHAINHUB_RETURN_IF_ERROR(Validate(CheckChain, chain, "chain"));
    const ChainName name{req->chain_id()};
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool replayed, Replayed(tx, call, req->request_id(), digest, resp));
      if (replayed) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(name.chain));
      if (exists) return AlreadyExists("Chain", name.String());
      CHAINHUB_RETURN_IF_ERROR(CheckChainReferences(db, chain));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.InsertChain(name.chain, chain, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, DecoratedChain(db, name.chain));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_CREATED, resp->name(),
                            name.chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordCreate(tx, call, std::move(event), req->request_id(), digest, *resp, now));
      InvalidateChain(inv, name.chain);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateChain(Ctx* ctx, const v1::UpdateChainRequest* req,
                                                       v1::Chain* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("chain.name", req->chain().name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Chain current, db.GetChain(name.chain));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->chain().etag(), current.etag(), current.name()));
      v1::Chain merged = current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->chain(), req->update_mask(), ChainWritableFields(), &merged));
      if (merged.status() == v1::CHAIN_STATUS_UNSPECIFIED) {
        merged.set_status(v1::CHAIN_STATUS_ACTIVE);
      }
      CHAINHUB_RETURN_IF_ERROR(Validate(CheckChain, merged, "chain"));
      CHAINHUB_RETURN_IF_ERROR(CheckChainReferences(db, merged));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateChain(name.chain, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, DecoratedChain(db, name.chain));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_UPDATED, resp->name(),
                            name.chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now));
      InvalidateChain(inv, name.chain);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteChain(Ctx* ctx, const v1::DeleteChainRequest* req,
                                                       google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("name", req->name()));
    const std::string& id = name.chain;
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Chain current, db.GetChain(id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_ASSIGN_OR_RETURN(int64_t nodes, db.CountNodes(id));
      CHAINHUB_ASSIGN_OR_RETURN(int64_t members, db.CountMemberships(id));
      CHAINHUB_RETURN_IF_ERROR(CheckChainDeletable(current.name(), nodes, members, req->force()));
      CHAINHUB_ASSIGN_OR_RETURN(auto chain_nodes, db.AllNodes(id));
      // Enterprises as they are before the delete, to publish their new memberships after it.
      CHAINHUB_ASSIGN_OR_RETURN(auto affected, db.DeleteChain(id));
      const absl::Time now = clock_.Now();
      for (const auto& n : chain_nodes) {
        auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_DELETED, n.name(), id, now, n);
        CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, std::move(event)));
      }
      for (const auto& code : affected) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, db.GetEnterprise(code));
        auto event =
            NewEvent(kSource, call, v1::REGISTRY_EVENT_ENTERPRISE_UPDATED, e.name(), "", now, e);
        CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, std::move(event)));
        inv.insert(EnterpriseNs(code));
        for (const auto& c : ChainsOf(e)) inv.insert(MapNs(c));
      }
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_DELETED, current.name(), id,
                            now, current);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), req->force() ? "force" : "", now));
      InvalidateChain(inv, id);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::registry
