#include "services/registry/membership.h"

#include "absl/strings/str_cat.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::registry {

std::set<std::string> ChainsOf(const v1::Enterprise& e) {
  std::set<std::string> out;
  for (const auto& m : e.memberships()) {
    auto node = NodeName::Parse("memberships", m);
    if (node.ok()) out.insert(node->chain);
  }
  return out;
}

std::set<std::string> ChangedMemberships(const v1::Enterprise* before,
                                         const v1::Enterprise& after) {
  std::set<std::string> old_m, new_m;
  if (before != nullptr) old_m.insert(before->memberships().begin(), before->memberships().end());
  new_m.insert(after.memberships().begin(), after.memberships().end());
  std::set<std::string> changed;
  for (const auto& m : old_m) {
    if (!new_m.contains(m)) changed.insert(m);
  }
  for (const auto& m : new_m) {
    if (!old_m.contains(m)) changed.insert(m);
  }
  return changed;
}

absl::Status CheckMembershipsExist(const v1::Enterprise& e, const std::vector<std::string>& missing,
                                   const std::string& prefix) {
  if (missing.empty()) return absl::OkStatus();
  for (int i = 0; i < e.memberships_size(); ++i) {
    if (e.memberships(i) == missing[0]) {
      return InvalidField(absl::StrCat(prefix, ".memberships[", i, "]"),
                          absl::StrCat("node ", missing[0], " does not exist"));
    }
  }
  return absl::OkStatus();
}

absl::Status AuthorizeEnterpriseWrite(const Principal& p, const v1::Enterprise* before,
                                      const v1::Enterprise& after) {
  if (p.IsAdmin() || p.HasRole(roles::kDepartment)) return absl::OkStatus();
  if (!p.HasRole(roles::kChainOffice)) {
    return absl::PermissionDeniedError(
        p.subject + " may not write enterprises: needs admin, department or chain_office");
  }
  if (before != nullptr) {
    v1::Enterprise a = *before, b = after;
    a.clear_memberships();
    b.clear_memberships();
    for (auto* e : {&a, &b}) {
      e->clear_etag();
      e->clear_create_time();
      e->clear_update_time();
    }
    if (a.SerializeAsString() != b.SerializeAsString()) {
      return absl::PermissionDeniedError(
          p.subject +
          " is a chain office: it may change an enterprise's memberships on its own "
          "chains only (update_mask=memberships)");
    }
  } else if (after.memberships().empty()) {
    return absl::PermissionDeniedError(
        p.subject + " is a chain office: an enterprise it registers must sit on its own chains");
  }
  for (const auto& m : ChangedMemberships(before, after)) {
    auto node = NodeName::Parse("memberships", m);
    if (node.ok()) CHAINHUB_RETURN_IF_ERROR(RequireChainWrite(p, node->chain));
  }
  return absl::OkStatus();
}

}  // namespace chainhub::registry
