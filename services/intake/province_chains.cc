#include "services/intake/province_chains.h"

#include <algorithm>

namespace chainhub::intake {

ProvinceChainsChoice ChooseProvinceChains(const ProvinceChainsWrite& write) {
  static const v1::Project kNone;
  const v1::Project& current = write.current != nullptr ? *write.current : kNone;
  const v1::Project& merged = *write.merged;
  const bool ids_changed =
      !std::equal(merged.province_chains().begin(), merged.province_chains().end(),
                  current.province_chains().begin(), current.province_chains().end());
  const bool node_changed = write.current != nullptr && merged.node() != current.node();
  const bool is_default = current.province_chains_source() != kOverride;
  if (write.given && merged.province_chains().empty()) return ProvinceChainsChoice::kChainDefault;
  if (write.defaults_follow_node && (!write.given || !ids_changed) && is_default && node_changed) {
    return ProvinceChainsChoice::kChainDefault;
  }
  if (write.given && ids_changed) return ProvinceChainsChoice::kOverride;
  return ProvinceChainsChoice::kKeep;
}

bool MaskSetsProvinceChains(const google::protobuf::RepeatedPtrField<std::string>& paths) {
  if (paths.empty()) return true;
  return std::any_of(paths.begin(), paths.end(),
                     [](const std::string& p) { return p == "province_chains" || p == "*"; });
}

}  // namespace chainhub::intake
