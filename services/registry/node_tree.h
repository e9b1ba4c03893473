// The tree of a chain's nodes (产业链环节): where a node may hang, and what hangs below it. Pure:
// the handlers load the chain's nodes, these rules decide.
#ifndef CHAINHUB_SERVICES_REGISTRY_NODE_TREE_H_
#define CHAINHUB_SERVICES_REGISTRY_NODE_TREE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/base/names.h"

namespace chainhub::registry {

// The stored parent of each node of one chain: node id → parent node id ("" for a root).
using NodeParents = std::map<std::string, std::string>;

// How far up a parent chain is followed; stored trees are far shallower.
inline constexpr int kMaxNodeDepth = 64;

// Where `node` (named `name`, stored or about to be) may hang: nowhere (no parent), or under a node
// of the same chain that exists in `parents` and is neither the node itself nor below it.
// INVALID_ARGUMENT on node.parent otherwise. A stored ancestor missing from `parents` is NOT_FOUND.
absl::Status CheckParent(const NodeName& name, const v1::Node& node, const NodeParents& parents);

// `root` and every node below it among `chain_nodes`, parents before children.
std::vector<v1::Node> Subtree(const v1::Node& root, const std::vector<v1::Node>& chain_nodes);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_NODE_TREE_H_
