#include "services/registry/chain_map.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace chainhub::registry {

v1::NodeStatus NodeStatusFor(int firms, int lead_firms, const NodeStatusRules& rules) {
  if (firms == 0) return v1::NODE_STATUS_MISSING;
  if (firms < rules.min_firms || lead_firms < rules.min_lead_firms) return v1::NODE_STATUS_WEAK;
  return v1::NODE_STATUS_STRONG;
}

v1::ChainMap BuildChainMap(const v1::Chain& chain, const std::vector<v1::Node>& nodes,
                           const std::vector<MapFirm>& firms, const NodeStatusRules& rules) {
  std::map<std::string, const v1::Node*> by_name;
  for (const auto& n : nodes) by_name[n.name()] = &n;

  std::map<std::string, std::vector<const v1::Node*>> children;
  std::vector<const v1::Node*> roots;
  for (const auto& n : nodes) {
    if (!n.parent().empty() && by_name.contains(n.parent()) && n.parent() != n.name()) {
      children[n.parent()].push_back(&n);
    } else {
      roots.push_back(&n);
    }
  }
  auto order = [](const v1::Node* a, const v1::Node* b) {
    return std::make_tuple(static_cast<int>(a->segment()), a->order(), a->name()) <
           std::make_tuple(static_cast<int>(b->segment()), b->order(), b->name());
  };
  std::sort(roots.begin(), roots.end(), order);
  for (auto& [_, list] : children) std::sort(list.begin(), list.end(), order);

  // Firms directly on each node of this chain (indices into `firms`).
  std::map<std::string, std::set<size_t>> direct;
  for (size_t i = 0; i < firms.size(); ++i) {
    for (const auto& node : firms[i].node_names) {
      if (by_name.contains(node)) direct[node].insert(i);
    }
  }

  v1::ChainMap map;
  map.set_chain(chain.name());
  map.set_display_name(chain.display_name());
  std::set<size_t> all_firms;
  std::set<std::string> visiting;  // guards against a cycle in stored parents

  // Fills `out` for node `n` and returns the distinct firms of its subtree.
  auto build = [&](auto&& self, const v1::Node* n, v1::ChainMapNode* out) -> std::set<size_t> {
    visiting.insert(n->name());
    *out->mutable_node() = *n;
    std::set<size_t> subtree = direct[n->name()];
    for (const v1::Node* child : children[n->name()]) {
      if (visiting.contains(child->name())) continue;
      std::set<size_t> c = self(self, child, out->add_children());
      subtree.insert(c.begin(), c.end());
    }
    int leads = 0;
    for (size_t i : subtree) leads += firms[i].lead ? 1 : 0;
    out->set_enterprise_count(static_cast<int>(subtree.size()));
    out->set_lead_firm_count(leads);
    out->set_status(NodeStatusFor(static_cast<int>(subtree.size()), leads, rules));
    map.set_node_count(map.node_count() + 1);
    switch (out->status()) {
      case v1::NODE_STATUS_MISSING:
        map.set_missing_count(map.missing_count() + 1);
        break;
      case v1::NODE_STATUS_WEAK:
        map.set_weak_count(map.weak_count() + 1);
        break;
      case v1::NODE_STATUS_STRONG:
        map.set_strong_count(map.strong_count() + 1);
        break;
      default:
        break;
    }
    all_firms.insert(subtree.begin(), subtree.end());
    return subtree;
  };
  for (const v1::Node* root : roots) build(build, root, map.add_roots());
  map.set_enterprise_count(static_cast<int>(all_firms.size()));
  return map;
}

}  // namespace chainhub::registry
