#include "services/registry/node_tree.h"

#include <set>
#include <string>

#include "common/base/status_util.h"

namespace chainhub::registry {

absl::Status CheckParent(const NodeName& name, const v1::Node& node, const NodeParents& parents) {
  if (node.parent().empty()) return absl::OkStatus();
  auto parent = NodeName::Parse("node.parent", node.parent());
  if (!parent.ok()) return parent.status();
  if (parent->chain != name.chain) {
    return InvalidField("node.parent", "must be a node of the same chain");
  }
  std::string cursor = parent->node;
  for (int depth = 0; depth < kMaxNodeDepth && !cursor.empty(); ++depth) {
    if (cursor == name.node) {
      return InvalidField("node.parent", "would make the node its own ancestor");
    }
    auto it = parents.find(cursor);
    if (it == parents.end()) {
      if (depth == 0) return InvalidField("node.parent", node.parent() + " does not exist");
      return NotFound("Node", NodeName{name.chain, cursor}.String());
    }
    cursor = it->second;
  }
  return absl::OkStatus();
}

std::vector<v1::Node> Subtree(const v1::Node& root, const std::vector<v1::Node>& chain_nodes) {
  std::vector<v1::Node> subtree = {root};
  // Each node once, so that a cycle in stored parents (which the API never writes) ends the walk.
  std::set<std::string> seen = {root.name()};
  for (size_t i = 0; i < subtree.size(); ++i) {
    for (const auto& n : chain_nodes) {
      if (n.parent() == subtree[i].name() && seen.insert(n.name()).second) subtree.push_back(n);
    }
  }
  return subtree;
}

}  // namespace chainhub::registry
