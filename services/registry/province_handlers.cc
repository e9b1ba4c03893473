// The province taxonomy: province lists, their chains, the city chains' mappings to them, and
// ResolveProvinceCategories.
#include <variant>

#include "absl/strings/str_cat.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/registry/internal/handler_support.h"
#include "services/registry/membership.h"
#include "services/registry/names.h"
#include "services/registry/province.h"
#include "services/registry/registry_service.h"
#include "services/registry/validation.h"

namespace chainhub::registry {

using internal::kChainsNs;
using internal::kSource;

grpc::ServerUnaryReactor* RegistryService::ListProvinceLists(Ctx* ctx,
                                                             const v1::ListProvinceListsRequest*,
                                                             v1::ListProvinceListsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      for (auto& l : lists) *resp->add_province_lists() = std::move(l);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::PutProvinceList(Ctx* ctx,
                                                           const v1::PutProvinceListRequest* req,
                                                           v1::ProvinceList* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(
        ProvinceListName name,
        ProvinceListName::Parse("province_list.name", req->province_list().name()));
    CHAINHUB_RETURN_IF_ERROR(Validate(CheckProvinceList, req->province_list(), "province_list"));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      CHAINHUB_RETURN_IF_ERROR(CheckNoOverlap(lists, req->province_list()));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.PutProvinceList(name.version, req->province_list(), now));
      CHAINHUB_ASSIGN_OR_RETURN(lists, db.ProvinceLists());
      for (auto& l : lists) {
        if (l.name() == req->province_list().name()) *resp = l;
      }
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_PROVINCE_LIST_PUT, resp->name(), "",
                            now, *resp);
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), "", now));
      inv.insert(kChainsNs);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ListProvinceChains(
    Ctx* ctx, const v1::ListProvinceChainsRequest* req, v1::ListProvinceChainsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(const std::string date, RequestedDate(req->date(), clock_.Now()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      CHAINHUB_ASSIGN_OR_RETURN(const v1::ProvinceList* list,
                                ChooseList(lists, req->version(), date));
      resp->set_version(VersionOf(*list));
      *resp->mutable_province_chains() = list->chains();
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ListChainProvinceMappings(
    Ctx* ctx, const v1::ListChainProvinceMappingsRequest* req,
    v1::ListChainProvinceMappingsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    ChainName chain;  // every chain when none is given
    if (!req->chain().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(chain, ChainName::ParseOrId("chain", req->chain()));
    }
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto mappings, db.Mappings(chain.chain, req->version()));
      for (auto& m : mappings) *resp->add_mappings() = std::move(m);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::SetChainProvinceMapping(
    Ctx* ctx, const v1::SetChainProvinceMappingRequest* req, v1::ChainProvinceMapping* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    const auto& m = req->mapping();
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("mapping.chain", m.chain()));
    if (m.version().empty()) return InvalidField("mapping.version", "must not be empty");
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(chain.chain));
      if (!exists) return NotFound("Chain", m.chain());
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      CHAINHUB_RETURN_IF_ERROR(CheckMapping(lists, m, "mapping"));
      *resp = m;
      resp->set_chain(chain.String());
      CHAINHUB_RETURN_IF_ERROR(db.PutMapping(chain.chain, *resp));
      const absl::Time now = clock_.Now();
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_PROVINCE_MAPPING_SET,
                            chain.String(), chain.chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), absl::StrCat("version=", m.version()), now));
      inv.insert(kChainsNs);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ResolveProvinceCategories(
    Ctx* ctx, const v1::ResolveProvinceCategoriesRequest* req,
    v1::ResolveProvinceCategoriesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(const std::string date, RequestedDate(req->date(), clock_.Now()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      CHAINHUB_ASSIGN_OR_RETURN(const v1::ProvinceList* list, ChooseList(lists, "", date));
      CHAINHUB_ASSIGN_OR_RETURN(CategorySubject subject,
                                ParseCategorySubject("subject", req->subject()));
      // The subject's own override, and the default mappings of the chains it sits on.
      std::vector<std::string> overrides;
      std::vector<v1::ChainProvinceMapping> mappings;
      if (const auto* enterprise = std::get_if<EnterpriseName>(&subject)) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, db.GetEnterprise(enterprise->credit_code));
        overrides.assign(e.province_category_override().begin(),
                         e.province_category_override().end());
        for (const auto& chain : ChainsOf(e)) {
          CHAINHUB_ASSIGN_OR_RETURN(auto m, db.Mappings(chain, ""));
          mappings.insert(mappings.end(), m.begin(), m.end());
        }
      } else if (const auto* node = std::get_if<NodeName>(&subject)) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Node n, db.GetNode(node->chain, node->node));
        overrides.assign(n.province_category_override().begin(),
                         n.province_category_override().end());
        CHAINHUB_ASSIGN_OR_RETURN(mappings, db.Mappings(node->chain, ""));
      } else {
        const auto& chain = std::get<ChainName>(subject);
        CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(chain.chain));
        if (!exists) return NotFound("Chain", req->subject());
        CHAINHUB_ASSIGN_OR_RETURN(mappings, db.Mappings(chain.chain, ""));
      }
      *resp = ResolveCategories(*list, overrides, mappings);
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::registry
