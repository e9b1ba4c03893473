// A chain's nodes (环节): Get/List/Create/Update/DeleteNode.
#include "absl/strings/str_cat.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/registry/deletion.h"
#include "services/registry/internal/handler_support.h"
#include "services/registry/node_tree.h"
#include "services/registry/registry_service.h"
#include "services/registry/validation.h"

namespace chainhub::registry {

using internal::EnterpriseNs;
using internal::kSource;
using internal::MapNs;
using internal::RecordCreate;
using internal::Replayed;

grpc::ServerUnaryReactor* RegistryService::GetNode(Ctx* ctx, const v1::GetNodeRequest* req,
                                                   v1::Node* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(NodeName name, NodeName::Parse("name", req->name()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNode(name.chain, name.node));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::ListNodes(Ctx* ctx, const v1::ListNodesRequest* req,
                                                     v1::ListNodesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", req->parent()));
    return ReadTx([&](RegistryTx& db) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool exists, db.ChainExists(chain.chain));
      if (!exists) return NotFound("Chain", req->parent());
      std::vector<v1::Node> nodes;
      std::string next;
      CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Node>(
          absl::StrCat("ListNodes:", chain.chain), req->page_size(), req->page_token(),
          req->filter(), "", NodeFilterFields(), NodeOrder(),
          [&](const PageQuery& q) { return db.ListNodes(chain.chain, q); }, &nodes, &next));
      for (auto& n : nodes) *resp->add_nodes() = std::move(n);
      resp->set_next_page_token(next);
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::CreateNode(Ctx* ctx, const v1::CreateNodeRequest* req,
                                                      v1::Node* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("parent", req->parent()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, chain.chain));
    CHAINHUB_RETURN_IF_ERROR(ValidateId("node_id", req->node_id()));
    CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(req->request_id(), false));
    CHAINHUB_RETURN_IF_ERROR(Validate(CheckNode, req->node(), "node"));
    const NodeName name{chain.chain, req->node_id()};
    const std::string digest = RequestDigest(*req);
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool replayed, Replayed(tx, call, req->request_id(), digest, resp));
      if (replayed) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(bool chain_exists, db.ChainExists(name.chain));
      if (!chain_exists) return NotFound("Chain", req->parent());
      if (db.GetNode(name.chain, name.node).ok()) return AlreadyExists("Node", name.String());
      CHAINHUB_ASSIGN_OR_RETURN(NodeParents parents, db.ParentsOfNodes(name.chain));
      CHAINHUB_RETURN_IF_ERROR(CheckParent(name, req->node(), parents));
      CHAINHUB_RETURN_IF_ERROR(CheckProvinceIds(db, req->node().province_category_override(),
                                                "node.province_category_override"));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.InsertNode(name.chain, name.node, req->node(), now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNode(name.chain, name.node));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_CREATED, resp->name(),
                            name.chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordCreate(tx, call, std::move(event), req->request_id(), digest, *resp, now));
      inv.insert(MapNs(name.chain));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::UpdateNode(Ctx* ctx, const v1::UpdateNodeRequest* req,
                                                      v1::Node* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(NodeName name, NodeName::Parse("node.name", req->node().name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Node current, db.GetNode(name.chain, name.node));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->node().etag(), current.etag(), current.name()));
      v1::Node merged = current;
      CHAINHUB_RETURN_IF_ERROR(
          ApplyUpdateMask(req->node(), req->update_mask(), NodeWritableFields(), &merged));
      CHAINHUB_RETURN_IF_ERROR(Validate(CheckNode, merged, "node"));
      CHAINHUB_ASSIGN_OR_RETURN(NodeParents parents, db.ParentsOfNodes(name.chain));
      CHAINHUB_RETURN_IF_ERROR(CheckParent(name, merged, parents));
      CHAINHUB_RETURN_IF_ERROR(CheckProvinceIds(db, merged.province_category_override(),
                                                "node.province_category_override"));
      const absl::Time now = clock_.Now();
      CHAINHUB_RETURN_IF_ERROR(db.UpdateNode(name.chain, name.node, merged, now));
      CHAINHUB_ASSIGN_OR_RETURN(*resp, db.GetNode(name.chain, name.node));
      auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_UPDATED, resp->name(),
                            name.chain, now, *resp);
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call, std::move(event), MaskText(req->update_mask()), now));
      inv.insert(MapNs(name.chain));
      return absl::OkStatus();
    });
  });
}

grpc::ServerUnaryReactor* RegistryService::DeleteNode(Ctx* ctx, const v1::DeleteNodeRequest* req,
                                                      google::protobuf::Empty*) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(NodeName name, NodeName::Parse("name", req->name()));
    CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(call.principal, name.chain));
    return Mutate([&](SqlTx& tx, RegistryTx& db, std::set<std::string>& inv) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Node current, db.GetNode(name.chain, name.node));
      CHAINHUB_RETURN_IF_ERROR(CheckEtag(req->etag(), current.etag(), current.name()));
      CHAINHUB_ASSIGN_OR_RETURN(auto all, db.AllNodes(name.chain));
      const std::vector<v1::Node> subtree = Subtree(current, all);
      CHAINHUB_ASSIGN_OR_RETURN(int64_t members, db.CountNodeMemberships(name.chain, name.node));
      CHAINHUB_RETURN_IF_ERROR(CheckNodeDeletable(
          current.name(), static_cast<int64_t>(subtree.size()) - 1, members, req->force()));
      std::vector<std::string> ids;
      for (const auto& n : subtree) {
        CHAINHUB_ASSIGN_OR_RETURN(NodeName node, NodeName::Parse("name", n.name()));
        ids.push_back(std::move(node.node));
      }
      CHAINHUB_ASSIGN_OR_RETURN(auto affected, db.DeleteNodes(name.chain, ids));
      const absl::Time now = clock_.Now();
      for (size_t i = subtree.size(); i-- > 0;) {
        auto event = NewEvent(kSource, call, v1::REGISTRY_EVENT_NODE_DELETED, subtree[i].name(),
                              name.chain, now, subtree[i]);
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
      inv.insert(MapNs(name.chain));
      return absl::OkStatus();
    });
  });
}

}  // namespace chainhub::registry
