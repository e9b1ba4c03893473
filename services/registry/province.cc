#include "services/registry/province.h"

#include <map>
#include <set>

#include "common/base/status_util.h"

namespace chainhub::registry {
namespace {

std::string VersionOf(const v1::ProvinceList& list) {
  const std::string& name = list.name();
  const size_t slash = name.find('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

bool Overlaps(const v1::ProvinceList& a, const v1::ProvinceList& b) {
  // [from, to) ranges; an empty `to` is open-ended.
  const bool a_before_b = !a.effective_to().empty() && a.effective_to() <= b.effective_from();
  const bool b_before_a = !b.effective_to().empty() && b.effective_to() <= a.effective_from();
  return !a_before_b && !b_before_a;
}

}  // namespace

const v1::ProvinceList* ListInForce(const std::vector<v1::ProvinceList>& lists,
                                    absl::string_view date) {
  for (const auto& l : lists) {
    if (l.effective_from() <= date && (l.effective_to().empty() || date < l.effective_to())) {
      return &l;
    }
  }
  return nullptr;
}

absl::Status CheckNoOverlap(const std::vector<v1::ProvinceList>& existing,
                            const v1::ProvinceList& candidate) {
  for (const auto& l : existing) {
    if (l.name() == candidate.name()) continue;
    if (Overlaps(l, candidate)) {
      return FailedPrecondition("province_list.effective_from",
                                "the date range overlaps " + l.name() + " (" + l.effective_from() +
                                    " to " +
                                    (l.effective_to().empty() ? "open" : l.effective_to()) +
                                    "); close that list first with its effective_to");
    }
  }
  return absl::OkStatus();
}

v1::ResolveProvinceCategoriesResponse ResolveCategories(
    const v1::ProvinceList& list, const std::vector<std::string>& override_ids,
    const std::vector<v1::ChainProvinceMapping>& mappings) {
  v1::ResolveProvinceCategoriesResponse out;
  const std::string version = VersionOf(list);
  out.set_version(version);
  std::map<std::string, std::string> names;
  for (const auto& c : list.chains()) names[c.id()] = c.display_name();

  std::vector<std::string> chosen;
  for (const auto& id : override_ids) {
    if (names.contains(id)) chosen.push_back(id);
  }
  if (!chosen.empty()) {
    out.set_source("override");
  } else {
    out.set_source("chain_default");
    std::set<std::string> seen;
    for (const auto& m : mappings) {
      if (m.version() != version) continue;
      for (const auto& id : m.province_chains()) {
        if (names.contains(id) && seen.insert(id).second) chosen.push_back(id);
      }
    }
  }
  for (const auto& id : chosen) {
    auto* c = out.add_categories();
    c->set_version(version);
    c->set_id(id);
    c->set_display_name(names[id]);
  }
  return out;
}

}  // namespace chainhub::registry
