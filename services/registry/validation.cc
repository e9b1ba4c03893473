#include "services/registry/validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/base/credit_code.h"

namespace chainhub::registry {
namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kMaxLongName = 128;
constexpr size_t kMaxText = 2000;
constexpr int kMaxRepeated = 200;

void Person(std::vector<FieldViolation>* v, const std::string& field, const common::v1::Person& p) {
  CheckOneLineText(v, field + ".name", p.name(), true, kMaxName);
  CheckOneLineText(v, field + ".title", p.title(), false, kMaxName);
  CheckOneLineText(v, field + ".organization", p.organization(), false, kMaxLongName);
  CheckOneLineText(v, field + ".contact", p.contact(), false, kMaxName);
}

template <typename Repeated>
void Count(std::vector<FieldViolation>* v, const std::string& field, const Repeated& items) {
  if (items.size() > kMaxRepeated) {
    v->push_back({field, absl::StrCat("must have at most ", kMaxRepeated, " entries")});
  }
}

void StringList(std::vector<FieldViolation>* v, const std::string& field,
                const google::protobuf::RepeatedPtrField<std::string>& items, size_t max) {
  Count(v, field, items);
  std::set<std::string> seen;
  for (int i = 0; i < items.size(); ++i) {
    const std::string path = absl::StrCat(field, "[", i, "]");
    CheckOneLineText(v, path, items[i], true, max);
    if (!seen.insert(items[i]).second) v->push_back({path, "duplicates an earlier entry"});
  }
}

}  // namespace

void CheckChain(const v1::Chain& c, const std::string& prefix, std::vector<FieldViolation>* v) {
  CheckOneLineText(v, prefix + ".display_name", c.display_name(), true, kMaxName);
  CheckOneLineText(v, prefix + ".english_name", c.english_name(), false, kMaxLongName);
  StringList(v, prefix + ".former_names", c.former_names(), kMaxName);
  if (!v1::ChainStatus_IsValid(c.status())) {
    v->push_back({prefix + ".status", "must be PLANNED, ACTIVE or RETIRED"});
  }
  if (c.has_leader()) Person(v, prefix + ".leader", c.leader());
  Count(v, prefix + ".deputy_leaders", c.deputy_leaders());
  for (int i = 0; i < c.deputy_leaders_size(); ++i) {
    Person(v, absl::StrCat(prefix, ".deputy_leaders[", i, "]"), c.deputy_leaders(i));
  }
  if (!c.lead_department().empty()) {
    if (!DepartmentName::Parse(prefix + ".lead_department", c.lead_department()).ok()) {
      v->push_back({prefix + ".lead_department", "must be departments/{dept}"});
    }
  }
  Count(v, prefix + ".member_units", c.member_units());
  std::set<std::string> units;
  for (int i = 0; i < c.member_units_size(); ++i) {
    const std::string path = absl::StrCat(prefix, ".member_units[", i, "]");
    const auto& unit = c.member_units(i);
    if (!DepartmentName::Parse(path + ".department", unit.department()).ok()) {
      v->push_back({path + ".department", "must be departments/{dept}"});
    } else if (!units.insert(unit.department()).second) {
      v->push_back({path + ".department", "duplicates an earlier member unit"});
    }
    if (unit.has_liaison()) Person(v, path + ".liaison", unit.liaison());
    CheckMultiLineText(v, path + ".responsibility", unit.responsibility(), false, kMaxText);
  }
  Count(v, prefix + ".working_team", c.working_team());
  for (int i = 0; i < c.working_team_size(); ++i) {
    Person(v, absl::StrCat(prefix, ".working_team[", i, "]"), c.working_team(i));
  }
  Count(v, prefix + ".expert_team", c.expert_team());
  for (int i = 0; i < c.expert_team_size(); ++i) {
    Person(v, absl::StrCat(prefix, ".expert_team[", i, "]"), c.expert_team(i));
  }
  StringList(v, prefix + ".host_counties", c.host_counties(), kMaxName);
  StringList(v, prefix + ".host_parks", c.host_parks(), kMaxLongName);
  if (c.target_output_yuan() < 0) v->push_back({prefix + ".target_output_yuan", "must be >= 0"});
  if (c.target_year() != 0 && (c.target_year() < 2000 || c.target_year() > 2100)) {
    v->push_back({prefix + ".target_year", "must be between 2000 and 2100 (or 0 for none)"});
  }
  Count(v, prefix + ".platforms", c.platforms());
  for (int i = 0; i < c.platforms_size(); ++i) {
    const std::string path = absl::StrCat(prefix, ".platforms[", i, "]");
    const auto& p = c.platforms(i);
    if (p.kind() == v1::PLATFORM_KIND_UNSPECIFIED || !v1::PlatformKind_IsValid(p.kind())) {
      v->push_back({path + ".kind", "must be FUND, SPACE, ASSOCIATION or RESEARCH"});
    }
    CheckOneLineText(v, path + ".display_name", p.display_name(), true, kMaxLongName);
    CheckMultiLineText(v, path + ".description", p.description(), false, kMaxText);
    if (p.size_yuan() < 0) v->push_back({path + ".size_yuan", "must be >= 0"});
  }
}

void CheckDepartment(const v1::Department& d, const std::string& prefix,
                     std::vector<FieldViolation>* v) {
  CheckOneLineText(v, prefix + ".display_name", d.display_name(), true, kMaxName);
  CheckOneLineText(v, prefix + ".short_name", d.short_name(), false, kMaxName);
  if (d.has_contact()) Person(v, prefix + ".contact", d.contact());
}

void CheckNode(const v1::Node& n, const std::string& prefix, std::vector<FieldViolation>* v) {
  CheckOneLineText(v, prefix + ".display_name", n.display_name(), true, kMaxName);
  CheckOneLineText(v, prefix + ".english_name", n.english_name(), false, kMaxLongName);
  if (n.segment() == v1::SEGMENT_UNSPECIFIED || !v1::Segment_IsValid(n.segment())) {
    v->push_back({prefix + ".segment", "must be UPSTREAM, MIDSTREAM or DOWNSTREAM"});
  }
  if (!n.parent().empty() && !NodeName::Parse(prefix + ".parent", n.parent()).ok()) {
    v->push_back({prefix + ".parent", "must be a node name chains/{chain}/nodes/{node} or empty"});
  }
  if (n.order() < 0) v->push_back({prefix + ".order", "must be >= 0"});
  StringList(v, prefix + ".key_products", n.key_products(), kMaxName);
  StringList(v, prefix + ".key_technologies", n.key_technologies(), kMaxName);
  StringList(v, prefix + ".attraction_targets", n.attraction_targets(), kMaxLongName);
  CheckMultiLineText(v, prefix + ".description", n.description(), false, kMaxText);
  StringList(v, prefix + ".province_category_override", n.province_category_override(), 40);
}

void CheckEnterprise(const v1::Enterprise& e, const std::string& prefix,
                     std::vector<FieldViolation>* v) {
  if (absl::Status s = ValidateCreditCode(e.credit_code(), prefix + ".credit_code"); !s.ok()) {
    for (auto& fv : FieldViolationsOf(s)) v->push_back(std::move(fv));
  }
  CheckOneLineText(v, prefix + ".display_name", e.display_name(), true, kMaxLongName);
  CheckOneLineText(v, prefix + ".county", e.county(), false, kMaxName);
  CheckOneLineText(v, prefix + ".park", e.park(), false, kMaxLongName);
  std::set<int> labels;
  for (int i = 0; i < e.labels_size(); ++i) {
    const std::string path = absl::StrCat(prefix, ".labels[", i, "]");
    if (e.labels(i) == v1::ENTERPRISE_LABEL_UNSPECIFIED ||
        !v1::EnterpriseLabel_IsValid(e.labels(i))) {
      v->push_back({path, "must be CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED or HIGH_TECH"});
    } else if (!labels.insert(e.labels(i)).second) {
      v->push_back({path, "duplicates an earlier label"});
    }
  }
  if (e.annual_output_yuan() < 0) v->push_back({prefix + ".annual_output_yuan", "must be >= 0"});
  if (!e.founding_date().empty() &&
      (!IsValidDate(e.founding_date()) || e.founding_date() < "1900-01-01")) {
    v->push_back({prefix + ".founding_date", "must be a date YYYY-MM-DD from 1900 on"});
  }
  Count(v, prefix + ".memberships", e.memberships());
  std::set<std::string> seen;
  for (int i = 0; i < e.memberships_size(); ++i) {
    const std::string path = absl::StrCat(prefix, ".memberships[", i, "]");
    if (!NodeName::Parse(path, e.memberships(i)).ok()) {
      v->push_back({path, "must be a node name chains/{chain}/nodes/{node}"});
    } else if (!seen.insert(e.memberships(i)).second) {
      v->push_back({path, "duplicates an earlier membership"});
    }
  }
  StringList(v, prefix + ".province_category_override", e.province_category_override(), 40);
}

void CheckProvinceList(const v1::ProvinceList& l, const std::string& prefix,
                       std::vector<FieldViolation>* v) {
  CheckOneLineText(v, prefix + ".display_name", l.display_name(), true, kMaxLongName);
  if (!IsValidDate(l.effective_from())) {
    v->push_back({prefix + ".effective_from", "must be a date YYYY-MM-DD"});
  }
  if (!l.effective_to().empty()) {
    if (!IsValidDate(l.effective_to())) {
      v->push_back({prefix + ".effective_to", "must be a date YYYY-MM-DD or empty"});
    } else if (l.effective_to() <= l.effective_from()) {
      v->push_back({prefix + ".effective_to", "must be after effective_from"});
    }
  }
  if (l.chains().empty()) v->push_back({prefix + ".chains", "must not be empty"});
  Count(v, prefix + ".chains", l.chains());
  std::set<std::string> ids;
  for (int i = 0; i < l.chains_size(); ++i) {
    const std::string path = absl::StrCat(prefix, ".chains[", i, "]");
    if (!IsValidId(l.chains(i).id())) {
      v->push_back({path + ".id", "must be 2-40 of a-z, 0-9 and '-', starting with a letter"});
    } else if (!ids.insert(l.chains(i).id()).second) {
      v->push_back({path + ".id", "duplicates an earlier province chain"});
    }
    CheckOneLineText(v, path + ".display_name", l.chains(i).display_name(), true, kMaxName);
  }
}

const std::vector<std::string>& ChainWritableFields() {
  static const auto* f = new std::vector<std::string>{
      "display_name",   "english_name",    "former_names",       "status",       "leader",
      "deputy_leaders", "lead_department", "member_units",       "working_team", "expert_team",
      "host_counties",  "host_parks",      "target_output_yuan", "target_year",  "platforms"};
  return *f;
}

const std::vector<std::string>& DepartmentWritableFields() {
  static const auto* f = new std::vector<std::string>{"display_name", "short_name", "contact"};
  return *f;
}

const std::vector<std::string>& NodeWritableFields() {
  static const auto* f = new std::vector<std::string>{"display_name",
                                                      "english_name",
                                                      "segment",
                                                      "parent",
                                                      "order",
                                                      "key_products",
                                                      "key_technologies",
                                                      "attraction_targets",
                                                      "description",
                                                      "province_category_override"};
  return *f;
}

const std::vector<std::string>& EnterpriseWritableFields() {
  static const auto* f = new std::vector<std::string>{"display_name",
                                                      "county",
                                                      "park",
                                                      "labels",
                                                      "annual_output_yuan",
                                                      "memberships",
                                                      "province_category_override",
                                                      "synthetic"};
  return *f;
}

}  // namespace chainhub::registry
