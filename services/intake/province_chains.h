// Which province chains (省级产业链) a project counts for. By default they are its chain's mapping
// in the registry (the node's override when it has one): source "chain_default", refreshed when
// the project moves to another node. A client may give its own list instead: source "override",
// kept until a write gives the list empty, which means the default again. Pure: the service reads
// the default list from its copy of the registry.
#ifndef CHAINHUB_SERVICES_INTAKE_PROVINCE_CHAINS_H_
#define CHAINHUB_SERVICES_INTAKE_PROVINCE_CHAINS_H_

#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

inline constexpr absl::string_view kChainDefault = "chain_default";
inline constexpr absl::string_view kOverride = "override";

// What a write does to the province chains.
enum class ProvinceChainsChoice {
  kKeep,          // the list and its source stay as they are
  kChainDefault,  // the list becomes the chain's (or node's) default
  kOverride,      // the written list is the project's own
};

// One write of a project's province chains.
struct ProvinceChainsWrite {
  // The project before the write; null for a new project.
  const v1::Project* current = nullptr;
  // The project as written (the update mask applied).
  const v1::Project* merged = nullptr;
  // Whether the write sets province_chains: always on create and import; on update when the
  // mask is empty, "*" or names province_chains.
  bool given = true;
  // Whether a default list follows a node change when the write repeats the current list (a
  // client sending the whole project back). UpdateProject refreshes it; an import row keeps the
  // list it repeats.
  bool defaults_follow_node = true;
};

// The rule: a given empty list is the default; a default list (not an override) follows a new
// node unless a different list is given; a given list that differs from the current one (any
// list, for a new project) is an override; anything else keeps list and source.
ProvinceChainsChoice ChooseProvinceChains(const ProvinceChainsWrite& write);

// Whether a field mask's paths set province_chains (an empty mask sets every field).
bool MaskSetsProvinceChains(const google::protobuf::RepeatedPtrField<std::string>& paths);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_PROVINCE_CHAINS_H_
