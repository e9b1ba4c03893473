// The chain map (产业链图谱) as a tree with each node's strength, computed from the nodes and the
// enterprises on them. Pure: no store, no server. The rules (docs/gap-analysis.md):
//   a node's firms are the distinct enterprises on it or on any node below it;
//   MISSING (缺链) when it has none; WEAK (薄弱) when it has fewer than `min_firms` or fewer than
//   `min_lead_firms` lead firms (链主/龙头); STRONG otherwise.
#ifndef CHAINHUB_SERVICES_REGISTRY_CHAIN_MAP_H_
#define CHAINHUB_SERVICES_REGISTRY_CHAIN_MAP_H_

#include <string>
#include <vector>

#include "chainhub/registry/v1/registry.pb.h"

namespace chainhub::registry {

struct NodeStatusRules {
  int min_firms = 3;
  int min_lead_firms = 1;
};

v1::NodeStatus NodeStatusFor(int firms, int lead_firms, const NodeStatusRules& rules = {});

// An enterprise as the map sees it.
struct MapFirm {
  std::string credit_code;
  std::string display_name;
  bool lead = false;  // carries ENTERPRISE_LABEL_CHAIN_OWNER
  std::vector<v1::EnterpriseLabel> labels;
  int64_t annual_output_yuan = 0;
  std::vector<std::string> node_names;  // memberships (any chain)
};

// Builds the map of `chain` from its `nodes` (any order; a node whose parent is absent is a root)
// and the firms with memberships on them. Roots and siblings are ordered by segment, order, id.
v1::ChainMap BuildChainMap(const v1::Chain& chain, const std::vector<v1::Node>& nodes,
                           const std::vector<MapFirm>& firms, const NodeStatusRules& rules = {});

// Visits every node of a map depth-first, parents before children.
template <typename Fn>
void ForEachMapNode(const v1::ChainMap& map, Fn&& fn) {
  std::vector<const v1::ChainMapNode*> stack;
  for (int i = map.roots_size() - 1; i >= 0; --i) stack.push_back(&map.roots(i));
  while (!stack.empty()) {
    const v1::ChainMapNode* n = stack.back();
    stack.pop_back();
    fn(*n);
    for (int i = n->children_size() - 1; i >= 0; --i) stack.push_back(&n->children(i));
  }
}

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_CHAIN_MAP_H_
