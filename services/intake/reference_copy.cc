#include "services/intake/reference_copy.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/events/cloud_event.h"
#include "common/service/peer.h"

namespace chainhub::intake {
namespace {

std::string JoinIds(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return absl::StrJoin(ids, ",");
}

std::string CategoryIds(const registry::v1::Chain& chain) {
  std::vector<std::string> ids;
  for (const auto& c : chain.province_categories()) ids.push_back(c.id());
  return absl::StrJoin(ids, ",");
}

std::vector<std::string> SplitIds(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipEmpty());
}

// Upserts unless the stored row was written by a newer event or lookup.
absl::Status UpsertChain(SqlTx& tx, const ChainName& name, const registry::v1::Chain& chain,
                         const std::string& version) {
  return tx
      .Exec(
          "INSERT INTO ref_chains (id, display_name, province_chains, categories_known, deleted, "
          "version) VALUES ($1, $2, $3, 1, 0, $4) ON CONFLICT (id) DO UPDATE SET "
          "display_name = excluded.display_name, province_chains = excluded.province_chains, "
          "categories_known = 1, deleted = 0, version = excluded.version "
          "WHERE ref_chains.version < excluded.version",
          {name.chain, chain.display_name(), CategoryIds(chain), version})
      .status();
}

absl::Status UpsertNode(SqlTx& tx, const NodeName& name, const registry::v1::Node& node,
                        const std::string& version) {
  return tx
      .Exec(
          "INSERT INTO ref_nodes (chain_id, node_id, display_name, province_override, deleted, "
          "version) VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT (chain_id, node_id) DO UPDATE SET "
          "display_name = excluded.display_name, province_override = excluded.province_override, "
          "deleted = 0, version = excluded.version WHERE ref_nodes.version < excluded.version",
          {name.chain, name.node, node.display_name(), JoinIds(node.province_category_override()),
           version})
      .status();
}

// provinceLists/{version}, as the registry names its lists (it checks the version's form).
absl::StatusOr<std::string> ProvinceListVersion(const std::string& name) {
  auto ids = MatchName("province_list.name", name, "provinceLists/{version}", "province list",
                       [](absl::string_view version) { return !version.empty(); });
  if (!ids.ok()) return ids.status();
  return std::move((*ids)[0]);
}

absl::Status PutProvinceList(SqlTx& tx, const registry::v1::ProvinceList& list) {
  CHAINHUB_ASSIGN_OR_RETURN(std::string version, ProvinceListVersion(list.name()));
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM ref_province_chains WHERE list_version = $1", {version}).status());
  for (const auto& c : list.chains()) {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO ref_province_chains (list_version, id) VALUES ($1, $2)",
                {version, c.id()})
            .status());
  }
  return absl::OkStatus();
}

absl::Status FromRpc(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  absl::Status s = FromGrpcStatus(status);
  if (s.code() == absl::StatusCode::kNotFound) return s;
  return absl::UnavailableError(
      absl::StrCat("the registry cannot be asked about ", what, ": ", s.message()));
}

}  // namespace

// --- GrpcRegistryLookup ------------------------------------------------------------------------

GrpcRegistryLookup::GrpcRegistryLookup(const std::string& target, std::string jwt_secret,
                                       std::shared_ptr<grpc::ChannelCredentials> credentials,
                                       absl::Duration timeout, const Clock& clock)
    : channel_(grpc::CreateChannel(target, std::move(credentials))),
      stub_(registry::v1::ChainRegistry::NewStub(channel_)),
      token_(std::move(jwt_secret), "systems/intake", clock),
      timeout_(timeout) {}

absl::StatusOr<registry::v1::Chain> GrpcRegistryLookup::GetChain(const std::string& chain_id) {
  grpc::ClientContext ctx;
  CHAINHUB_RETURN_IF_ERROR(token_.Prepare(&ctx, timeout_));
  registry::v1::GetChainRequest req;
  req.set_name(ChainName{chain_id}.String());
  registry::v1::Chain chain;
  CHAINHUB_RETURN_IF_ERROR(FromRpc(stub_->GetChain(&ctx, req, &chain), req.name()));
  return chain;
}

absl::StatusOr<registry::v1::Node> GrpcRegistryLookup::GetNode(const std::string& chain_id,
                                                               const std::string& node_id) {
  grpc::ClientContext ctx;
  CHAINHUB_RETURN_IF_ERROR(token_.Prepare(&ctx, timeout_));
  registry::v1::GetNodeRequest req;
  req.set_name(NodeName{chain_id, node_id}.String());
  registry::v1::Node node;
  CHAINHUB_RETURN_IF_ERROR(FromRpc(stub_->GetNode(&ctx, req, &node), req.name()));
  return node;
}

absl::StatusOr<std::vector<registry::v1::ProvinceList>> GrpcRegistryLookup::ListProvinceLists() {
  grpc::ClientContext ctx;
  CHAINHUB_RETURN_IF_ERROR(token_.Prepare(&ctx, timeout_));
  registry::v1::ListProvinceListsResponse resp;
  CHAINHUB_RETURN_IF_ERROR(
      FromRpc(stub_->ListProvinceLists(&ctx, {}, &resp), "the province lists"));
  return std::vector<registry::v1::ProvinceList>(resp.province_lists().begin(),
                                                 resp.province_lists().end());
}

// --- ReferenceCopy -----------------------------------------------------------------------------

namespace {

std::string Subject(const CloudEvent& e) { return StringAttribute(e, kSubjectAttribute); }

absl::Status ApplyChainUpsert(SqlTx& tx, const CloudEvent& e) {
  CHAINHUB_ASSIGN_OR_RETURN(auto chain, UnpackPayload<registry::v1::Chain>(e));
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("chain", chain.name()));
  return UpsertChain(tx, name, chain, e.id());
}

absl::Status ApplyChainDeleted(SqlTx& tx, const CloudEvent& e) {
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("chain", Subject(e)));
  const std::string& id = name.chain;
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO ref_chains (id, display_name, province_chains, categories_known, "
              "deleted, version) VALUES ($1, '', '', 0, 1, $2) ON CONFLICT (id) DO UPDATE SET "
              "deleted = 1, version = excluded.version WHERE ref_chains.version < "
              "excluded.version",
              {id, e.id()})
          .status());
  return tx
      .Exec("UPDATE ref_nodes SET deleted = 1, version = $2 WHERE chain_id = $1 AND version < $2",
            {id, e.id()})
      .status();
}

absl::Status ApplyProvinceMappingSet(SqlTx& tx, const CloudEvent& e) {
  // The chain's categories changed; the next project on it asks the registry for them.
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("chain", Subject(e)));
  return tx.Exec("UPDATE ref_chains SET categories_known = 0 WHERE id = $1", {name.chain}).status();
}

absl::Status ApplyProvinceListPut(SqlTx& tx, const CloudEvent& e) {
  CHAINHUB_ASSIGN_OR_RETURN(auto list, UnpackPayload<registry::v1::ProvinceList>(e));
  CHAINHUB_RETURN_IF_ERROR(PutProvinceList(tx, list));
  // Which list is in force, and so every chain's categories, may have changed.
  return tx.Exec("UPDATE ref_chains SET categories_known = 0").status();
}

absl::Status ApplyNodeUpsert(SqlTx& tx, const CloudEvent& e) {
  CHAINHUB_ASSIGN_OR_RETURN(auto node, UnpackPayload<registry::v1::Node>(e));
  CHAINHUB_ASSIGN_OR_RETURN(NodeName name, NodeName::Parse("node", node.name()));
  return UpsertNode(tx, name, node, e.id());
}

absl::Status ApplyNodeDeleted(SqlTx& tx, const CloudEvent& e) {
  CHAINHUB_ASSIGN_OR_RETURN(NodeName name, NodeName::Parse("node", Subject(e)));
  return tx
      .Exec(
          "INSERT INTO ref_nodes (chain_id, node_id, display_name, province_override, "
          "deleted, version) VALUES ($1, $2, '', '', 1, $3) ON CONFLICT (chain_id, node_id) "
          "DO UPDATE SET deleted = 1, version = excluded.version WHERE ref_nodes.version < "
          "excluded.version",
          {name.chain, name.node, e.id()})
      .status();
}

absl::Status Ignore(SqlTx&, const CloudEvent&) { return absl::OkStatus(); }

}  // namespace

EventHandlers ReferenceCopy::Handlers() {
  EventHandlers handlers = {
      {EventType(registry::v1::REGISTRY_EVENT_CHAIN_CREATED), ApplyChainUpsert},
      {EventType(registry::v1::REGISTRY_EVENT_CHAIN_UPDATED), ApplyChainUpsert},
      {EventType(registry::v1::REGISTRY_EVENT_CHAIN_DELETED), ApplyChainDeleted},
      {EventType(registry::v1::REGISTRY_EVENT_CHAIN_PROVINCE_MAPPING_SET), ApplyProvinceMappingSet},
      {EventType(registry::v1::REGISTRY_EVENT_PROVINCE_LIST_PUT), ApplyProvinceListPut},
      {EventType(registry::v1::REGISTRY_EVENT_NODE_CREATED), ApplyNodeUpsert},
      {EventType(registry::v1::REGISTRY_EVENT_NODE_UPDATED), ApplyNodeUpsert},
      {EventType(registry::v1::REGISTRY_EVENT_NODE_DELETED), ApplyNodeDeleted},
  };
  // Known and not needed here (emplace keeps the handlers above).
  for (const auto* kinds :
       {registry::v1::RegistryEvent_descriptor(), v1::IntakeEvent_descriptor()}) {
    for (const std::string& type : EventTypesOf(*kinds)) handlers.emplace(type, Ignore);
  }
  return handlers;
}

absl::Status ReferenceCopy::StoreChain(const registry::v1::Chain& chain,
                                       const std::string& version) {
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("chain", chain.name()));
  return store_->Write([&](SqlTx& tx) { return UpsertChain(tx, name, chain, version); });
}

absl::Status ReferenceCopy::StoreNode(const registry::v1::Node& node, const std::string& version) {
  CHAINHUB_ASSIGN_OR_RETURN(NodeName name, NodeName::Parse("node", node.name()));
  return store_->Write([&](SqlTx& tx) { return UpsertNode(tx, name, node, version); });
}

absl::Status ReferenceCopy::EnsureKnown(const ChainName& chain, const std::optional<NodeName>& node,
                                        const std::string& chain_field,
                                        const std::string& node_field) {
  bool chain_known = false, categories_known = false, node_known = !node;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT categories_known FROM ref_chains WHERE id = $1 AND deleted = 0",
                            {chain.chain}));
    chain_known = !rows.empty();
    categories_known = chain_known && rows[0].Int(0) != 0;
    if (node) {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto nodes, tx.Query("SELECT 1 FROM ref_nodes WHERE chain_id = $1 AND node_id = $2 AND "
                               "deleted = 0",
                               {node->chain, node->node}));
      node_known = !nodes.empty();
    }
    return absl::OkStatus();
  }));
  if (chain_known && categories_known && node_known) return absl::OkStatus();

  const std::string chain_name = chain.String();
  if (!chain_known || !categories_known) {
    if (lookup_ == nullptr) {
      if (chain_known) return absl::OkStatus();
      return absl::UnavailableError(
          absl::StrCat(chain_field, ": ", chain_name, " is not known yet and no registry is set"));
    }
    // The version is taken before asking, so an event the registry publishes after answering
    // is newer than the answer and still applies.
    const std::string version = NewUuidV7(clock_.Now());
    absl::StatusOr<registry::v1::Chain> found = lookup_->GetChain(chain.chain);
    if (found.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField(chain_field, absl::StrCat(chain_name, " does not exist in the registry"));
    }
    if (!found.ok()) {
      // A chain the copy knows but whose categories are stale still validates; the default
      // province chains then come from the stale copy.
      if (chain_known) {
        LogWarn("registry unreachable; using the local copy of a chain",
                {{"chain", chain_name}, {"error", std::string(found.status().message())}});
      } else {
        return absl::UnavailableError(absl::StrCat(chain_field, ": ", chain_name,
                                                   " is not in intake's copy of the registry and "
                                                   "the registry cannot be reached: ",
                                                   found.status().message()));
      }
    } else {
      CHAINHUB_RETURN_IF_ERROR(StoreChain(*found, version));
    }
  }
  if (!node_known) {
    const std::string node_name = node->String();
    if (lookup_ == nullptr) {
      return absl::UnavailableError(
          absl::StrCat(node_field, ": ", node_name, " is not known yet and no registry is set"));
    }
    const std::string version = NewUuidV7(clock_.Now());
    absl::StatusOr<registry::v1::Node> found = lookup_->GetNode(node->chain, node->node);
    if (found.status().code() == absl::StatusCode::kNotFound) {
      return InvalidField(node_field, absl::StrCat(node_name, " does not exist in the registry"));
    }
    if (!found.ok()) {
      return absl::UnavailableError(absl::StrCat(node_field, ": ", node_name,
                                                 " is not in intake's copy of the registry and "
                                                 "the registry cannot be reached: ",
                                                 found.status().message()));
    }
    CHAINHUB_RETURN_IF_ERROR(StoreNode(*found, version));
  }
  return absl::OkStatus();
}

absl::Status ReferenceCopy::EnsureProvinceChains(
    const google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& field) {
  if (ids.empty()) return absl::OkStatus();
  auto first_unknown = [&]() -> absl::StatusOr<int> {
    int unknown = -1;
    CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
      for (int i = 0; i < ids.size() && unknown < 0; ++i) {
        CHAINHUB_ASSIGN_OR_RETURN(
            auto rows, tx.Query("SELECT 1 FROM ref_province_chains WHERE id = $1", {ids[i]}));
        if (rows.empty()) unknown = i;
      }
      return absl::OkStatus();
    }));
    return unknown;
  };
  CHAINHUB_ASSIGN_OR_RETURN(int unknown, first_unknown());
  if (unknown < 0) return absl::OkStatus();
  if (lookup_ != nullptr) {
    absl::StatusOr<std::vector<registry::v1::ProvinceList>> lists = lookup_->ListProvinceLists();
    if (!lists.ok()) return lists.status();
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      for (const auto& l : *lists) CHAINHUB_RETURN_IF_ERROR(PutProvinceList(tx, l));
      return absl::OkStatus();
    }));
    CHAINHUB_ASSIGN_OR_RETURN(unknown, first_unknown());
    if (unknown < 0) return absl::OkStatus();
  }
  return InvalidField(absl::StrCat(field, "[", unknown, "]"),
                      absl::StrCat(Quoted(ids[unknown]), " is not a chain of any province list"));
}

absl::Status ReferenceCopy::CheckExists(SqlTx& tx, const ChainName& chain,
                                        const std::optional<NodeName>& node,
                                        const std::string& chain_field,
                                        const std::string& node_field) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT 1 FROM ref_chains WHERE id = $1 AND deleted = 0", {chain.chain}));
  if (rows.empty()) {
    return InvalidField(chain_field, absl::StrCat(chain.String(), " does not exist"));
  }
  if (!node) return absl::OkStatus();
  CHAINHUB_ASSIGN_OR_RETURN(
      auto nodes, tx.Query("SELECT 1 FROM ref_nodes WHERE chain_id = $1 AND node_id = $2 AND "
                           "deleted = 0",
                           {node->chain, node->node}));
  if (nodes.empty()) {
    return InvalidField(node_field, absl::StrCat(node->String(), " does not exist"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> ReferenceCopy::DefaultProvinceChains(
    SqlTx& tx, const ChainName& chain, const std::optional<NodeName>& node) {
  if (node) {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto nodes, tx.Query("SELECT province_override FROM ref_nodes WHERE chain_id = $1 AND "
                             "node_id = $2",
                             {node->chain, node->node}));
    if (!nodes.empty() && !nodes[0].Text(0).empty()) return SplitIds(nodes[0].Text(0));
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT province_chains FROM ref_chains WHERE id = $1", {chain.chain}));
  if (rows.empty()) return std::vector<std::string>();
  return SplitIds(rows[0].Text(0));
}

}  // namespace chainhub::intake
