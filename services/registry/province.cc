#include "services/registry/province.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "services/registry/names.h"

namespace chainhub::registry {
namespace {

bool Overlaps(const v1::ProvinceList& a, const v1::ProvinceList& b) {
  // [from, to) ranges; an empty `to` is open-ended.
  const bool a_before_b = !a.effective_to().empty() && a.effective_to() <= b.effective_from();
  const bool b_before_a = !b.effective_to().empty() && b.effective_to() <= a.effective_from();
  return !a_before_b && !b_before_a;
}

}  // namespace

std::string VersionOf(const v1::ProvinceList& list) {
  auto name = ProvinceListName::Parse("name", list.name());
  return name.ok() ? name->version : list.name();
}

const v1::ProvinceList* ListInForce(const std::vector<v1::ProvinceList>& lists,
                                    absl::string_view date) {
  for (const auto& l : lists) {
    if (l.effective_from() <= date && (l.effective_to().empty() || date < l.effective_to())) {
      return &l;
    }
  }
  return nullptr;
}

absl::StatusOr<std::string> RequestedDate(absl::string_view date, absl::Time now) {
  if (date.empty()) return ChinaDate(now);
  if (!IsValidDate(date)) return InvalidField("date", "must be a date YYYY-MM-DD");
  return std::string(date);
}

absl::StatusOr<const v1::ProvinceList*> ChooseList(const std::vector<v1::ProvinceList>& lists,
                                                   absl::string_view version,
                                                   absl::string_view date) {
  if (!version.empty()) {
    const std::string name = ProvinceListName{std::string(version)}.String();
    const v1::ProvinceList* found = nullptr;
    for (const auto& l : lists) {
      if (l.name() == name) found = &l;
    }
    if (found == nullptr) return NotFound("ProvinceList", name);
    return found;
  }
  const v1::ProvinceList* list = ListInForce(lists, date);
  if (list == nullptr) {
    return FailedPrecondition("date", absl::StrCat("no province list is in force on ", date));
  }
  return list;
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

absl::Status CheckMapping(const std::vector<v1::ProvinceList>& lists,
                          const v1::ChainProvinceMapping& m, const std::string& prefix) {
  const std::string name = ProvinceListName{m.version()}.String();
  const v1::ProvinceList* list = nullptr;
  for (const auto& l : lists) {
    if (l.name() == name) list = &l;
  }
  if (list == nullptr) {
    return InvalidField(prefix + ".version",
                        absl::StrCat(ShownValue(name, kShownNameChars), " does not exist"));
  }
  std::set<std::string> known, seen;
  for (const auto& c : list->chains()) known.insert(c.id());
  for (int i = 0; i < m.province_chains_size(); ++i) {
    const std::string field = absl::StrCat(prefix, ".province_chains[", i, "]");
    if (!known.contains(m.province_chains(i))) {
      return InvalidField(field,
                          absl::StrCat(Quoted(m.province_chains(i)), " is not in ", list->name()));
    }
    if (!seen.insert(m.province_chains(i)).second) {
      return InvalidField(field, "duplicates an earlier entry");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckOverrideIds(const std::vector<v1::ProvinceList>& lists,
                              const google::protobuf::RepeatedPtrField<std::string>& ids,
                              const std::string& field) {
  std::set<std::string> known;
  for (const auto& l : lists) {
    for (const auto& c : l.chains()) known.insert(c.id());
  }
  for (int i = 0; i < ids.size(); ++i) {
    if (!known.contains(ids[i])) {
      return InvalidField(absl::StrCat(field, "[", i, "]"),
                          absl::StrCat(Quoted(ids[i]), " is not a chain of any province list"));
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
