#include "services/registry/registry_service.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/service/audit.h"
#include "common/store/filter.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "common/base/page_token.h"
#include "common/service/resource.h"
#include "common/base/status_util.h"
#include "services/registry/chain_map.h"
#include "services/registry/gap_analysis.h"
#include "services/registry/province.h"
#include "services/registry/validation.h"

namespace chainhub::registry {
namespace {

using FieldType = FilterField::Type;

constexpr char kSource[] = "registry";

// --- Cache namespaces -------------------------------------------------------------------------
// "chains": every chain (rarely written; province changes alter all of them);
// "map:<chain>": a chain's map; "ent:<code>": one enterprise.
constexpr char kChainsNs[] = "chains";
std::string MapNs(absl::string_view chain_id) { return absl::StrCat("map:", chain_id); }
std::string EnterpriseNs(absl::string_view code) { return absl::StrCat("ent:", code); }

// Chains an enterprise's memberships touch.
std::set<std::string> ChainsOf(const v1::Enterprise& e) {
  std::set<std::string> out;
  for (const auto& m : e.memberships()) {
    auto key = ParseNodeName("memberships", m);
    if (key.ok()) out.insert(key->chain_id);
  }
  return out;
}

// --- Filters ----------------------------------------------------------------------------------

const std::map<std::string, FilterField>& EnterpriseFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"chain",
       {FieldType::kString,
        "",
        "EXISTS (SELECT 1 FROM memberships m WHERE m.credit_code = e.credit_code AND "
        "m.chain_id = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        ChainIdFilterValue}},
      {"node",
       {FieldType::kString,
        "",
        "EXISTS (SELECT 1 FROM memberships m WHERE m.credit_code = e.credit_code AND "
        "'chains/' || m.chain_id || '/nodes/' || m.node_id = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        nullptr}},
      {"label",
       {FieldType::kEnum,
        "",
        "EXISTS (SELECT 1 FROM enterprise_labels l WHERE l.credit_code = e.credit_code AND "
        "l.label = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        EnumConverter(v1::EnterpriseLabel_descriptor(), "ENTERPRISE_LABEL_")}},
      {"county", StringFilter("e.county")},
      {"park", StringFilter("e.park")},
      {"display_name", StringFilter("e.display_name")},
      {"credit_code", StringFilter("e.credit_code")},
      {"annual_output_yuan", IntFilter("e.annual_output")},
      {"synthetic", BoolFilter("e.synthetic")},
  };
  return *fields;
}

const std::map<std::string, FilterField>& ChainFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"status", EnumFilter("status", v1::ChainStatus_descriptor(), "CHAIN_STATUS_")},
      {"display_name", StringFilter("display_name")},
      {"lead_department", StringFilter("lead_department")},
      {"target_output_yuan", IntFilter("target_output")},
      {"host_counties",
       {FieldType::kString,
        "",
        "EXISTS (SELECT 1 FROM chain_counties c WHERE c.chain_id = chains.id AND c.county = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        nullptr}},
  };
  return *fields;
}

const std::map<std::string, FilterField>& NodeFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"segment", EnumFilter("segment", v1::Segment_descriptor(), "SEGMENT_")},
      {"parent",
       {FieldType::kString,
        "parent_id",
        "",
        false,
        {FilterOp::kEq, FilterOp::kNe},
        [](absl::string_view v) -> absl::StatusOr<SqlValue> {
          if (v.empty()) return SqlValue(std::string());
          auto key = ParseNodeName("parent", v);
          if (!key.ok()) return absl::InvalidArgumentError("parent must be a node name or \"\"");
          return SqlValue(key->node_id);
        }}},
      {"display_name", StringFilter("display_name")},
  };
  return *fields;
}

const std::map<std::string, FilterField>& DepartmentFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"display_name", StringFilter("display_name")},
      {"short_name", StringFilter("short_name")},
  };
  return *fields;
}

}  // namespace

RegistryService::RegistryService(Store* store, Cache* cache, OutboxRelay* relay,
                                 std::function<absl::Time()> clock)
    : store_(store),
      cache_(cache),
      relay_(relay),
      clock_(clock ? std::move(clock) : std::function<absl::Time()>([] { return absl::Now(); })) {}

absl::Status RegistryService::Mutate(
    const std::function<absl::Status(SqlTx&, RegistryTx&, std::set<std::string>&)>& fn) {
  return WriteThenPublish<RegistryTx>(*store_, relay_, cache_, fn);
}

absl::Status RegistryService::ReadTx(const std::function<absl::Status(RegistryTx&)>& fn) {
  return ReadSnapshot<RegistryTx>(*store_, fn);
}

absl::Status RegistryService::DecorateChain(RegistryTx& db, v1::Chain* chain) {
  CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
  const v1::ProvinceList* list = ListInForce(lists, ChinaDate(clock_()));
  chain->clear_province_categories();
  if (list == nullptr) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(auto id, ParseChainName("name", chain->name()));
  CHAINHUB_ASSIGN_OR_RETURN(auto mappings, db.Mappings(id, ""));
  auto resolved = ResolveCategories(*list, {}, mappings);
  *chain->mutable_province_categories() = resolved.categories();
  return absl::OkStatus();
}

absl::Status RegistryService::CheckChainReferences(RegistryTx& db, const v1::Chain& c) {
  std::vector<FieldViolation> v;
  if (!c.lead_department().empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(auto id,
                              ParseDepartmentName("chain.lead_department", c.lead_department()));
    CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.DepartmentExists(id));
    if (!exists) v.push_back({"chain.lead_department", c.lead_department() + " does not exist"});
  }
  for (int i = 0; i < c.member_units_size(); ++i) {
    const std::string field = absl::StrCat("chain.member_units[", i, "].department");
    CHAINHUB_ASSIGN_OR_RETURN(auto id, ParseDepartmentName(field, c.member_units(i).department()));
    CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.DepartmentExists(id));
    if (!exists) v.push_back({field, c.member_units(i).department() + " does not exist"});
  }
  return ToStatus(v);
}

absl::Status RegistryService::CheckProvinceIds(
    RegistryTx& db, const google::protobuf::RepeatedPtrField<std::string>& ids,
    const std::string& field) {
  if (ids.empty()) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
  std::set<std::string> known;
  for (const auto& l : lists) {
    for (const auto& c : l.chains()) known.insert(c.id());
  }
  for (int i = 0; i < ids.size(); ++i) {
    if (!known.contains(ids[i])) {
      return InvalidField(absl::StrCat(field, "[", i, "]"),
                          absl::StrCat(Quoted(ids[i]), " is not a chain of any province list"));
    }
  }
  return absl::OkStatus();
}

absl::Status RegistryService::CheckEnterpriseReferences(RegistryTx& db, const v1::Enterprise& e,
                                                        const std::string& prefix) {
  std::vector<std::string> names(e.memberships().begin(), e.memberships().end());
  CHAINHUB_ASSIGN_OR_RETURN(auto missing, db.MissingNodes(names));
  if (!missing.empty()) {
    for (int i = 0; i < e.memberships_size(); ++i) {
      if (e.memberships(i) == missing[0]) {
        return InvalidField(absl::StrCat(prefix, ".memberships[", i, "]"),
                            absl::StrCat("node ", missing[0], " does not exist"));
      }
    }
  }
  return CheckProvinceIds(db, e.province_category_override(),
                          prefix + ".province_category_override");
}

// --- Chains ----------------------------------------------------------------------------------

grpc::ServerUnaryReactor* RegistryService::GetChain(Ctx* ctx, const v1::GetChainRequest* req,
                                                    v1::Chain* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseChainName("name", req->name()));
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::Chain chain;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(chain, db.GetChain(id));
        return DecorateChain(db, &chain);
      }));
      return chain.SerializeAsString();
    };
    return ReadThroughCache(cache_, kChainsNs, id, load, resp);
  });
}

grpc::ServerUnaryReactor* RegistryService::ListChains(Ctx* ctx, const v1::ListChainsRequest* req,
                                                      v1::ListChainsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(OrderSpec order,
                              ParseOrderBy(req->order_by(),
                                           {{"name", {"id"}},
                                            {"display_name", {"display_name", "id"}},
                                            {"target_output_yuan", {"target_output", "id"}}},
                                           "name"));
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
    std::vector<FieldViolation> violations;
    CheckChain(chain, "chain", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string id = req->chain_id();
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Chain>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(id));
      if (exists) return AlreadyExists("Chain", "chains/" + id);
      CHAINHUB_RETURN_IF_ERROR(CheckChainReferences(db, chain));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.InsertChain(id, chain, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetChain(id));
      CHAINHUB_RETURN_IF_ERROR(DecorateChain(db, resp));
      auto event =
          NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_CREATED, resp->name(), id, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), CreateDetail(req->request_id()), now));
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      inv.insert(kChainsNs);
      inv.insert(MapNs(id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateChain(Ctx* ctx, const v1::UpdateChainRequest* req,
                                                       v1::Chain* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseChainName("chain.name", req->chain().name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, id));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Chain current, db.GetChain(id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->chain().etag(), current.etag(), current.name()));
      v1::Chain merged = current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->chain(), req->update_mask(), ChainWritableFields(), &merged));
      if (merged.status() == v1::CHAIN_STATUS_UNSPECIFIED) {
        merged.set_status(v1::CHAIN_STATUS_ACTIVE);
      }
      std::vector<FieldViolation> violations;
      CheckChain(merged, "chain", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_RETURN_IF_ERROR(CheckChainReferences(db, merged));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateChain(id, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetChain(id));
      CHAINHUB_RETURN_IF_ERROR(DecorateChain(db, resp));
      auto event =
          NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_UPDATED, resp->name(), id, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now));
      inv.insert(kChainsNs);
      inv.insert(MapNs(id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteChain(Ctx* ctx, const v1::DeleteChainRequest* req,
                                                       google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseChainName("name", req->name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Chain current, db.GetChain(id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_ASSIGN_OR_RETURN(int64_t nodes, db.CountNodes(id));
      CHAINHUB_ASSIGN_OR_RETURN(int64_t members, db.CountMemberships(id));
      if ((nodes > 0 || members > 0) && !req->force()) {
        return FailedPrecondition(
            current.name(), absl::StrCat("has ", nodes, " node(s) and ", members,
                                         " enterprise membership(s); delete them first or set "
                                         "force to delete them with the chain"));
      }
      CHAINHUB_ASSIGN_OR_RETURN(auto chain_nodes, db.AllNodes(id));
      // Enterprises as they are before the delete, to publish their new memberships after it.
      CHAINHUB_ASSIGN_OR_RETURN(auto affected, db.DeleteChain(id));
      const absl::Time now = clock_();
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
      inv.insert(kChainsNs);
      inv.insert(MapNs(id));
      return absl::OkStatus();
    });
  });
}

// --- Departments -------------------------------------------------------------------------------

grpc::ServerUnaryReactor* RegistryService::GetDepartment(Ctx* ctx,
                                                         const v1::GetDepartmentRequest* req,
                                                         v1::Department* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseDepartmentName("name", req->name()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDepartment(id));
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
          DepartmentFilterFields(), OrderSpec{{"id"}, false},
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
    std::vector<FieldViolation> violations;
    CheckDepartment(req->department(), "department", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string id = req->department_id();
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::Department>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.DepartmentExists(id));
      if (exists) return AlreadyExists("Department", "departments/" + id);
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.InsertDepartment(id, req->department(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDepartment(id));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_DEPARTMENT_CREATED, resp->name(), "",
                            now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), CreateDetail(req->request_id()), now));
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateDepartment(Ctx* ctx,
                                                            const v1::UpdateDepartmentRequest* req,
                                                            v1::Department* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id,
                              ParseDepartmentName("department.name", req->department().name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Department current, db.GetDepartment(id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->department().etag(), current.etag(), current.name()));
      v1::Department merged = current;
      CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(req->department(), req->update_mask(),
                                               DepartmentWritableFields(), &merged));
      std::vector<FieldViolation> violations;
      CheckDepartment(merged, "department", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateDepartment(id, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetDepartment(id));
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
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseDepartmentName("name", req->name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>&) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Department current, db.GetDepartment(id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_ASSIGN_OR_RETURN(auto chains, db.ChainsReferencingDepartment(id));
      if (!chains.empty()) {
        return FailedPrecondition(
            current.name(),
            absl::StrCat("is lead department or member unit of chains/",
                         absl::StrJoin(chains, ", chains/"), "; remove it from them first"));
      }
      CHAINHUB_RETURN_IF_ERROR(db.DeleteDepartment(id));
      const absl::Time now = clock_();
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_DEPARTMENT_DELETED, current.name(),
                            "", now, current);
      return RecordMutation(tx, call, std::move(event), "", now);
    });
  });
}

// --- Nodes -----------------------------------------------------------------------------------

namespace {

// The parent must exist in the same chain, and (on update) must not be the node or below it.
absl::Status CheckParent(RegistryTx& db, const NodeKey& key, const v1::Node& node) {
  if (node.parent().empty()) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(NodeKey parent, ParseNodeName("node.parent", node.parent()));
  if (parent.chain_id != key.chain_id) {
    return InvalidField("node.parent", "must be a node of the same chain");
  }
  std::string cursor = parent.node_id;
  for (int depth = 0; depth < 64 && !cursor.empty(); ++depth) {
    if (cursor == key.node_id) {
      return InvalidField("node.parent", "would make the node its own ancestor");
    }
    auto n = db.GetNode(key.chain_id, cursor);
    if (!n.ok()) {
      if (absl::IsNotFound(n.status()) && depth == 0) {
        return InvalidField("node.parent", node.parent() + " does not exist");
      }
      return n.status();
    }
    cursor = n->parent().empty() ? "" : n->parent().substr(n->parent().rfind('/') + 1);
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* RegistryService::GetNode(Ctx* ctx, const v1::GetNodeRequest* req,
                                                   v1::Node* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(NodeKey key, ParseNodeName("name", req->name()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNode(key.chain_id, key.node_id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ListNodes(Ctx* ctx, const v1::ListNodesRequest* req,
                                                     v1::ListNodesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string chain_id, ParseChainName("parent", req->parent()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(chain_id));
      if (!exists) return NotFound("Chain", req->parent());
      std::vector<v1::Node> nodes;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Node>(
          absl::StrCat("ListNodes:", chain_id), req->page_size(), req->page_token(), req->filter(),
          "", NodeFilterFields(), OrderSpec{{"segment", "ord", "node_id"}, false},
          [&](const PageQuery& q) { return db.ListNodes(chain_id, q); }, &nodes, &next));
      for (auto& n : nodes) *resp->add_nodes() = std::move(n);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::CreateNode(Ctx* ctx, const v1::CreateNodeRequest* req,
                                                      v1::Node* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(std::string chain_id, ParseChainName("parent", req->parent()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain_id));
    CHAINHUB_RETURN_IF_ERROR(ValidateId("node_id", req->node_id()));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckNode(req->node(), "node", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const NodeKey key{chain_id, req->node_id()};
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto replay,
                                ReplayIdempotent<v1::Node>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(bool chain_exists, db.ChainExists(chain_id));
      if (!chain_exists) return NotFound("Chain", req->parent());
      if (db.GetNode(chain_id, key.node_id).ok()) return AlreadyExists("Node", key.Name());
      CHAINHUB_RETURN_IF_ERROR(CheckParent(db, key, req->node()));
      CHAINHUB_RETURN_IF_ERROR(CheckProvinceIds(db, req->node().province_category_override(),
                                                "node.province_category_override"));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.InsertNode(chain_id, key.node_id, req->node(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNode(chain_id, key.node_id));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_CREATED, resp->name(), chain_id,
                            now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), CreateDetail(req->request_id()), now));
      CHAINHUB_RETURN_IF_ERROR(RememberResponse(tx, call, req->request_id(), digest, *resp, now));
      inv.insert(MapNs(chain_id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateNode(Ctx* ctx, const v1::UpdateNodeRequest* req,
                                                      v1::Node* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(NodeKey key, ParseNodeName("node.name", req->node().name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, key.chain_id));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Node current, db.GetNode(key.chain_id, key.node_id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->node().etag(), current.etag(), current.name()));
      v1::Node merged = current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->node(), req->update_mask(), NodeWritableFields(), &merged));
      std::vector<FieldViolation> violations;
      CheckNode(merged, "node", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_RETURN_IF_ERROR(CheckParent(db, key, merged));
      CHAINHUB_RETURN_IF_ERROR(CheckProvinceIds(db, merged.province_category_override(),
                                                "node.province_category_override"));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateNode(key.chain_id, key.node_id, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNode(key.chain_id, key.node_id));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_UPDATED, resp->name(),
                            key.chain_id, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now));
      inv.insert(MapNs(key.chain_id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteNode(Ctx* ctx, const v1::DeleteNodeRequest* req,
                                                      google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(NodeKey key, ParseNodeName("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, key.chain_id));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Node current, db.GetNode(key.chain_id, key.node_id));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_ASSIGN_OR_RETURN(auto all, db.AllNodes(key.chain_id));
      // The subtree, parents before children.
      std::vector<v1::Node> subtree = {current};
      for (size_t i = 0; i < subtree.size(); ++i) {
        for (const auto& n : all) {
          if (n.parent() == subtree[i].name()) subtree.push_back(n);
        }
      }
      CHAINHUB_ASSIGN_OR_RETURN(int64_t members,
                                db.CountNodeMemberships(key.chain_id, key.node_id));
      if ((subtree.size() > 1 || members > 0) && !req->force()) {
        return FailedPrecondition(
            current.name(),
            absl::StrCat("has ", subtree.size() - 1, " child node(s) and ", members,
                         " enterprise(s); move or delete them first, or set force to delete the "
                         "subtree and the memberships on it"));
      }
      std::vector<std::string> ids;
      for (const auto& n : subtree) ids.push_back(n.name().substr(n.name().rfind('/') + 1));
      CHAINHUB_ASSIGN_OR_RETURN(auto affected, db.DeleteNodes(key.chain_id, ids));
      const absl::Time now = clock_();
      for (size_t i = subtree.size(); i-- > 0;) {
        auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_DELETED, subtree[i].name(),
                              key.chain_id, now, subtree[i]);
        CHAINHUB_RETURN_IF_ERROR(
            RecordMutation(tx, call, std::move(event), req->force() ? "force" : "", now));
      }
      for (const auto& code : affected) {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, db.GetEnterprise(code));
        auto event =
            NewEvent(kSource, call, v1::REGISTRY_EVENT_ENTERPRISE_UPDATED, e.name(), "", now, e);
        CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, std::move(event)));
        inv.insert(EnterpriseNs(code));
      }
      inv.insert(MapNs(key.chain_id));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::GetChainMap(Ctx* ctx, const v1::GetChainMapRequest* req,
                                                       v1::ChainMap* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseChainName("name", req->name()));
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::ChainMap map;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(v1::Chain chain, db.GetChain(id));
        CHAINHUB_ASSIGN_OR_RETURN(auto nodes, db.AllNodes(id));
        CHAINHUB_ASSIGN_OR_RETURN(auto firms, db.MapFirms(id));
        map = BuildChainMap(chain, nodes, firms);
        return absl::OkStatus();
      }));
      return map.SerializeAsString();
    };
    return ReadThroughCache(cache_, MapNs(id), "map", load, resp);
  });
}

// --- Enterprises -------------------------------------------------------------------------------

namespace {

// A chain office may change memberships on its own chains only, and nothing else.
absl::Status AuthorizeEnterpriseWrite(const Principal& p, const v1::Enterprise* before,
                                      const v1::Enterprise& after) {
  if (p.IsAdmin() || p.HasRole(roles::kDepartment)) return absl::OkStatus();
  if (!p.HasRole(roles::kChainOffice)) {
    return absl::PermissionDeniedError(
        p.subject + " may not write enterprises: needs admin, department or chain_office");
  }
  if (before != nullptr) {
    v1::Enterprise a = *before, b = after;
    a.clear_memberships();
    b.clear_memberships();
    for (auto* e : {&a, &b}) {
      e->clear_etag();
      e->clear_create_time();
      e->clear_update_time();
    }
    if (a.SerializeAsString() != b.SerializeAsString()) {
      return absl::PermissionDeniedError(
          p.subject +
          " is a chain office: it may change an enterprise's memberships on its own "
          "chains only (update_mask=memberships)");
    }
  } else if (after.memberships().empty()) {
    return absl::PermissionDeniedError(
        p.subject + " is a chain office: an enterprise it registers must sit on its own chains");
  }
  std::set<std::string> old_m, new_m;
  if (before != nullptr) old_m.insert(before->memberships().begin(), before->memberships().end());
  new_m.insert(after.memberships().begin(), after.memberships().end());
  std::set<std::string> changed;
  for (const auto& m : old_m) {
    if (!new_m.contains(m)) changed.insert(m);
  }
  for (const auto& m : new_m) {
    if (!old_m.contains(m)) changed.insert(m);
  }
  for (const auto& m : changed) {
    auto key = ParseNodeName("memberships", m);
    if (key.ok()) CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(p, key->chain_id));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Enterprise> RegistryService::WriteEnterprise(
    SqlTx& tx, RegistryTx& db, const AuthorizedCall& call, v1::Enterprise e,
    absl::string_view detail, std::set<std::string>& inv, bool* created) {
  CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.FindEnterprise(e.credit_code()));
  CHAINHUB_RETURN_IF_ERROR(
      AuthorizeEnterpriseWrite(call.principal, existing ? &*existing : nullptr, e));
  const absl::Time now = clock_();
  CHAINHUB_RETURN_IF_ERROR(db.PutEnterprise(e, existing.has_value(), now));
  CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise stored, db.GetEnterprise(e.credit_code()));
  *created = !existing.has_value();
  auto event = NewEvent(
      kSource, call,
      *created ? v1::REGISTRY_EVENT_ENTERPRISE_CREATED : v1::REGISTRY_EVENT_ENTERPRISE_UPDATED,
      stored.name(), "", now, stored);
  CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), detail, now));
  inv.insert(EnterpriseNs(e.credit_code()));
  for (const auto& c : ChainsOf(stored)) inv.insert(MapNs(c));
  if (existing) {
    for (const auto& c : ChainsOf(*existing)) inv.insert(MapNs(c));
  }
  return stored;
}

grpc::ServerUnaryReactor* RegistryService::GetEnterprise(Ctx* ctx,
                                                         const v1::GetEnterpriseRequest* req,
                                                         v1::Enterprise* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string code, ParseEnterpriseName("name", req->name()));
    auto load = [&]() -> absl::StatusOr<std::string> {
      v1::Enterprise e;
      CHAINHUB_RETURN_IF_ERROR(ReadTx([&](RegistryTx& db) -> absl::Status {
        CHAINHUB_ASSIGN_OR_RETURN(e, db.GetEnterprise(code));
        return absl::OkStatus();
      }));
      return e.SerializeAsString();
    };
    return ReadThroughCache(cache_, EnterpriseNs(code), "e", load, resp);
  });
}

grpc::ServerUnaryReactor* RegistryService::ListEnterprises(Ctx* ctx,
                                                           const v1::ListEnterprisesRequest* req,
                                                           v1::ListEnterprisesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(
        OrderSpec order, ParseOrderBy(req->order_by(),
                                      {{"credit_code", {"credit_code"}},
                                       {"display_name", {"display_name", "credit_code"}},
                                       {"annual_output_yuan", {"annual_output", "credit_code"}}},
                                      "credit_code"));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      std::vector<v1::Enterprise> enterprises;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Enterprise>(
          "ListEnterprises", req->page_size(), req->page_token(), req->filter(), req->order_by(),
          EnterpriseFilterFields(), order,
          [&](const PageQuery& q) { return db.ListEnterprises(q); }, &enterprises, &next));
      resp->mutable_enterprises()->Reserve(static_cast<int>(enterprises.size()));
      for (auto& e : enterprises) *resp->add_enterprises() = std::move(e);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::CreateEnterprise(Ctx* ctx,
                                                            const v1::CreateEnterpriseRequest* req,
                                                            v1::Enterprise* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        RequireAnyRole(call.principal, {roles::kAdmin, roles::kDepartment, roles::kChainOffice}));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    std::vector<FieldViolation> violations;
    CheckEnterprise(req->enterprise(), "enterprise", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto replay, ReplayIdempotent<v1::Enterprise>(tx, call, req->request_id(), digest));
      if (replay) {
        *resp = std::move(*replay);
        return absl::OkStatus();
      }
      CHAINHUB_ASSIGN_OR_RETURN(auto existing, db.FindEnterprise(req->enterprise().credit_code()));
      if (existing) return AlreadyExists("Enterprise", existing->name());
      CHAINHUB_RETURN_IF_ERROR(CheckEnterpriseReferences(db, req->enterprise(), "enterprise"));
      bool created = false;
      CHAINHUB_ASSIGN_OR_RETURN(
          *resp, WriteEnterprise(tx, db, call, req->enterprise(), CreateDetail(req->request_id()),
                                 inv, &created));
      CHAINHUB_RETURN_IF_ERROR(
          RememberResponse(tx, call, req->request_id(), digest, *resp, clock_()));
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
    CHAINHUB_ASSIGN_OR_RETURN(std::string code,
                              ParseEnterpriseName("enterprise.name", req->enterprise().name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise current, db.GetEnterprise(code));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->enterprise().etag(), current.etag(), current.name()));
      v1::Enterprise merged = current;
      CHAINHUB_RETURN_IF_ERROR(ApplyUpdateMask(req->enterprise(), req->update_mask(),
                                               EnterpriseWritableFields(), &merged));
      std::vector<FieldViolation> violations;
      CheckEnterprise(merged, "enterprise", &violations);
      CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
      CHAINHUB_RETURN_IF_ERROR(CheckEnterpriseReferences(db, merged, "enterprise"));
      bool created = false;
      CHAINHUB_ASSIGN_OR_RETURN(
          *resp,
          WriteEnterprise(tx, db, call, merged, MaskText(req->update_mask()), inv, &created));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteEnterprise(Ctx* ctx,
                                                            const v1::DeleteEnterpriseRequest* req,
                                                            google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(std::string code, ParseEnterpriseName("name", req->name()));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise current, db.GetEnterprise(code));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_RETURN_IF_ERROR(db.DeleteEnterprise(code));
      const absl::Time now = clock_();
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_ENTERPRISE_DELETED, current.name(),
                            "", now, current);
      CHAINHUB_RETURN_IF_ERROR(RecordMutation(tx, call, std::move(event), "", now));
      inv.insert(EnterpriseNs(code));
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
    if (req->enterprises_size() > kMaxBatchRows) {
      return absl::ResourceExhaustedError(
          absl::StrCat("enterprises: at most ", kMaxBatchRows, " rows per call, got ",
                       req->enterprises_size(), "; split the batch"));
    }
    if (req->enterprises().empty()) return InvalidField("enterprises", "must not be empty");
    const std::string digest = RequestDigest(*req);
    auto run = [&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      resp->Clear();
      if (!req->validate_only()) {
        CHAINHUB_ASSIGN_OR_RETURN(auto replay, ReplayIdempotent<v1::BatchUpsertEnterprisesResponse>(
                                                   tx, call, req->request_id(), digest));
        if (replay) {
          *resp = std::move(*replay);
          return absl::OkStatus();
        }
      }
      std::map<std::string, int> first_row;
      for (int i = 0; i < req->enterprises_size(); ++i) {
        const v1::Enterprise& e = req->enterprises(i);
        auto* result = resp->add_results();
        result->set_index(i);
        result->set_credit_code(e.credit_code());
        const std::string prefix = absl::StrCat("enterprises[", i, "]");
        std::vector<FieldViolation> violations;
        CheckEnterprise(e, prefix, &violations);
        absl::Status row = ToStatus(violations);
        if (row.ok()) {
          auto [it, inserted] = first_row.emplace(e.credit_code(), i);
          if (!inserted) {
            row = InvalidField(prefix + ".credit_code",
                               absl::StrCat("duplicates row ", it->second, " of this batch"));
          }
        }
        if (row.ok()) row = CheckEnterpriseReferences(db, e, prefix);
        if (row.ok() && !req->validate_only()) {
          bool created = false;
          auto written = WriteEnterprise(
              tx, db, call, e, absl::StrCat("batch request_id=", req->request_id()), inv, &created);
          row = written.status();
          result->set_created(created);
          if (row.ok()) {
            (created ? resp->set_created_count(resp->created_count() + 1)
                     : resp->set_updated_count(resp->updated_count() + 1));
          }
        }
        if (!row.ok()) {
          // A store failure (not a bad row) fails the whole batch; nothing is half-written.
          if (row.code() != absl::StatusCode::kInvalidArgument &&
              row.code() != absl::StatusCode::kPermissionDenied) {
            return row;
          }
          result->set_code(static_cast<int>(row.code()));
          result->set_message(std::string(row.message()));
          resp->set_failed_count(resp->failed_count() + 1);
        }
      }
      if (!req->validate_only()) {
        CHAINHUB_RETURN_IF_ERROR(RecordIdempotent(tx, call.method, req->request_id(), digest,
                                                  resp->SerializeAsString(), clock_()));
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

// --- Province taxonomy -------------------------------------------------------------------------

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
        std::string version,
        ParseProvinceListName("province_list.name", req->province_list().name()));
    std::vector<FieldViolation> violations;
    CheckProvinceList(req->province_list(), "province_list", &violations);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(violations));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      CHAINHUB_RETURN_IF_ERROR(CheckNoOverlap(lists, req->province_list()));
      const absl::Time now = clock_();
      CHAINHUB_RETURN_IF_ERROR(db.PutProvinceList(version, req->province_list(), now));
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
    if (!req->date().empty() && !IsValidDate(req->date())) {
      return InvalidField("date", "must be a date YYYY-MM-DD");
    }
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      const v1::ProvinceList* list = nullptr;
      if (!req->version().empty()) {
        for (const auto& l : lists) {
          if (l.name() == "provinceLists/" + req->version()) list = &l;
        }
        if (list == nullptr) return NotFound("ProvinceList", "provinceLists/" + req->version());
      } else {
        const std::string date = req->date().empty() ? ChinaDate(clock_()) : req->date();
        list = ListInForce(lists, date);
        if (list == nullptr) {
          return FailedPrecondition("date", "no province list is in force on " + date);
        }
      }
      resp->set_version(list->name().substr(list->name().find('/') + 1));
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
    std::string chain_id;
    if (!req->chain().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(chain_id, ParseChainName("chain", req->chain(), true));
    }
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto mappings, db.Mappings(chain_id, req->version()));
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
    CHAINHUB_ASSIGN_OR_RETURN(std::string chain_id, ParseChainName("mapping.chain", m.chain()));
    if (m.version().empty()) return InvalidField("mapping.version", "must not be empty");
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(chain_id));
      if (!exists) return NotFound("Chain", m.chain());
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      const v1::ProvinceList* list = nullptr;
      for (const auto& l : lists) {
        if (l.name() == "provinceLists/" + m.version()) list = &l;
      }
      if (list == nullptr) {
        return InvalidField(
            "mapping.version",
            absl::StrCat(ShownValue("provinceLists/" + m.version(), kShownNameChars),
                         " does not exist"));
      }
      std::set<std::string> known, seen;
      for (const auto& c : list->chains()) known.insert(c.id());
      for (int i = 0; i < m.province_chains_size(); ++i) {
        const std::string field = absl::StrCat("mapping.province_chains[", i, "]");
        if (!known.contains(m.province_chains(i))) {
          return InvalidField(
              field, absl::StrCat(Quoted(m.province_chains(i)), " is not in ", list->name()));
        }
        if (!seen.insert(m.province_chains(i)).second) {
          return InvalidField(field, "duplicates an earlier entry");
        }
      }
      *resp = m;
      resp->set_chain("chains/" + chain_id);
      CHAINHUB_RETURN_IF_ERROR(db.PutMapping(chain_id, *resp));
      const absl::Time now = clock_();
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_CHAIN_PROVINCE_MAPPING_SET,
                            absl::StrCat("chains/", chain_id), chain_id, now, *resp);
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
    if (!req->date().empty() && !IsValidDate(req->date())) {
      return InvalidField("date", "must be a date YYYY-MM-DD");
    }
    const std::string date = req->date().empty() ? ChinaDate(clock_()) : req->date();
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(auto lists, db.ProvinceLists());
      const v1::ProvinceList* list = ListInForce(lists, date);
      if (list == nullptr)
        return FailedPrecondition("date", "no province list is in force on " + date);
      std::vector<std::string> overrides;
      std::vector<v1::ChainProvinceMapping> mappings;
      const std::string& subject = req->subject();
      if (absl::StartsWith(subject, "enterprises/")) {
        CHAINHUB_ASSIGN_OR_RETURN(std::string code, ParseEnterpriseName("subject", subject));
        CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, db.GetEnterprise(code));
        overrides.assign(e.province_category_override().begin(),
                         e.province_category_override().end());
        for (const auto& chain : ChainsOf(e)) {
          CHAINHUB_ASSIGN_OR_RETURN(auto m, db.Mappings(chain, ""));
          mappings.insert(mappings.end(), m.begin(), m.end());
        }
      } else if (absl::StrContains(subject, "/nodes/")) {
        CHAINHUB_ASSIGN_OR_RETURN(NodeKey key, ParseNodeName("subject", subject));
        CHAINHUB_ASSIGN_OR_RETURN(v1::Node n, db.GetNode(key.chain_id, key.node_id));
        overrides.assign(n.province_category_override().begin(),
                         n.province_category_override().end());
        CHAINHUB_ASSIGN_OR_RETURN(mappings, db.Mappings(key.chain_id, ""));
      } else if (absl::StartsWith(subject, "chains/")) {
        CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseChainName("subject", subject));
        CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(id));
        if (!exists) return NotFound("Chain", subject);
        CHAINHUB_ASSIGN_OR_RETURN(mappings, db.Mappings(id, ""));
      } else {
        return InvalidField("subject",
                            "must be chains/{chain}, chains/{chain}/nodes/{node} or "
                            "enterprises/{credit_code}");
      }
      *resp = ResolveCategories(*list, overrides, mappings);
      return absl::OkStatus();
    });
  });
}

// --- Gap analysis and audit ----------------------------------------------------------------

grpc::ServerUnaryReactor* RegistryService::AnalyzeGaps(Ctx* ctx, const v1::AnalyzeGapsRequest* req,
                                                       v1::GapReport* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(std::string id, ParseChainName("name", req->name()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Chain chain, db.GetChain(id));
      CHAINHUB_ASSIGN_OR_RETURN(auto all_nodes, db.AllNodes(""));
      GapInputs in;
      std::vector<v1::Node> chain_nodes;
      for (auto& n : all_nodes) {
        if (absl::StartsWith(n.name(), chain.name() + "/")) chain_nodes.push_back(n);
        in.nodes[n.name()] = std::move(n);
      }
      CHAINHUB_ASSIGN_OR_RETURN(in.firms, db.MapFirms(""));
      in.map = BuildChainMap(chain, chain_nodes, in.firms, in.rules);
      *resp = registry::AnalyzeGaps(in, clock_());
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, chainhub::ListAuditEvents(*store_, *req));
    return absl::OkStatus();
  });
}

}  // namespace chainhub::registry
