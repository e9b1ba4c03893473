// Gap analysis (补链分析, 按图索骥): from a chain map, the missing and weak links, their lead firms
// and local candidates, and the attraction list (招引清单) a chain office acts on. Pure: the
// service loads the inputs. Rules in docs/gap-analysis.md.
#ifndef CHAINHUB_SERVICES_REGISTRY_GAP_ANALYSIS_H_
#define CHAINHUB_SERVICES_REGISTRY_GAP_ANALYSIS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "services/registry/chain_map.h"

namespace chainhub::registry {

struct GapInputs {
  // The map of the chain analysed (BuildChainMap).
  v1::ChainMap map;
  // Every enterprise with at least one membership, on any chain.
  std::vector<MapFirm> firms;
  // Every node of every chain, by name (for matching key products across chains).
  std::map<std::string, v1::Node> nodes;
  NodeStatusRules rules;
};

// The inputs for analysing `chain`, from every node and every member firm of every chain: the map
// of the chain (BuildChainMap over its own nodes under `rules`) beside all of them.
GapInputs GapInputsFor(const v1::Chain& chain, std::vector<v1::Node> all_nodes,
                       std::vector<MapFirm> firms, const NodeStatusRules& rules = {});

// At most this many candidates are listed per node.
inline constexpr int kMaxCandidatesPerNode = 8;

v1::GapReport AnalyzeGaps(const GapInputs& inputs, absl::Time now);

}  // namespace chainhub::registry

#endif  // CHAINHUB_SERVICES_REGISTRY_GAP_ANALYSIS_H_
