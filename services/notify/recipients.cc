#include "services/notify/recipients.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::notify {

namespace {

constexpr absl::string_view kForms =
    "departments/{dept}, chains/{chain}/office, chains/{chain}/leader or roles/{role}";

}  // namespace

absl::StatusOr<Recipient> Recipient::Parse(absl::string_view field, absl::string_view text) {
  auto fail = [&] {
    return InvalidField(field, absl::StrCat("must be ", kForms, ", got ", Quoted(text)));
  };
  if (absl::ConsumePrefix(&text, "departments/")) {
    if (!IsValidId(text)) return fail();
    return Recipient{Kind::kDepartment, std::string(text)};
  }
  if (absl::ConsumePrefix(&text, "roles/")) {
    if (!IsKnownRole(text)) return fail();
    return Recipient{Kind::kRole, std::string(text)};
  }
  if (absl::ConsumePrefix(&text, "chains/")) {
    const size_t slash = text.find('/');
    if (slash == absl::string_view::npos || !IsValidId(text.substr(0, slash))) return fail();
    const absl::string_view office = text.substr(slash + 1);
    const std::string chain(text.substr(0, slash));
    if (office == "office") return Recipient{Kind::kChainOffice, chain};
    if (office == "leader") return Recipient{Kind::kChainLeader, chain};
  }
  return fail();
}

std::string Recipient::String() const {
  switch (kind) {
    case Kind::kDepartment:
      return absl::StrCat("departments/", id);
    case Kind::kChainOffice:
      return absl::StrCat("chains/", id, "/office");
    case Kind::kChainLeader:
      return absl::StrCat("chains/", id, "/leader");
    case Kind::kRole:
      return absl::StrCat("roles/", id);
  }
  return "";
}

std::string Recipient::chain() const {
  return kind == Kind::kChainOffice || kind == Kind::kChainLeader ? id : std::string();
}

std::string DeliveryIdOf(const Recipient& recipient) {
  switch (recipient.kind) {
    case Recipient::Kind::kDepartment:
      return absl::StrCat("dept-", recipient.id);
    case Recipient::Kind::kChainOffice:
      return absl::StrCat("office-", recipient.id);
    case Recipient::Kind::kChainLeader:
      return absl::StrCat("leader-", recipient.id);
    case Recipient::Kind::kRole:
      return absl::StrCat("role-", recipient.id);
  }
  return "";
}

bool ActsFor(const Principal& principal, const Recipient& recipient) {
  if (principal.IsAdmin()) return true;
  switch (recipient.kind) {
    case Recipient::Kind::kDepartment:
      return principal.subject == recipient.String();
    case Recipient::Kind::kChainOffice:
    case Recipient::Kind::kChainLeader:
      return principal.HasRole(roles::kChainOffice) && principal.chains.contains(recipient.id);
    case Recipient::Kind::kRole:
      return principal.HasRole(recipient.id);
  }
  return false;
}

std::vector<std::string> RecipientsActedFor(const Principal& principal) {
  std::vector<std::string> out;
  if (absl::StartsWith(principal.subject, "departments/")) out.push_back(principal.subject);
  if (principal.HasRole(roles::kChainOffice)) {
    for (const std::string& chain : principal.chains) {
      out.push_back(Recipient{Recipient::Kind::kChainOffice, chain}.String());
      out.push_back(Recipient{Recipient::Kind::kChainLeader, chain}.String());
    }
  }
  for (const std::string& role : principal.roles) {
    out.push_back(Recipient{Recipient::Kind::kRole, role}.String());
  }
  return out;
}

absl::Status RequireMaySendTo(const Principal& principal, const Recipient& recipient) {
  if (principal.IsAdmin()) return absl::OkStatus();
  if (principal.HasRole(roles::kChainOffice)) {
    switch (recipient.kind) {
      case Recipient::Kind::kDepartment:
        return absl::OkStatus();
      case Recipient::Kind::kRole:
        if (recipient.id != roles::kAdmin) return absl::OkStatus();
        break;
      case Recipient::Kind::kChainOffice:
      case Recipient::Kind::kChainLeader:
        if (principal.chains.contains(recipient.id)) return absl::OkStatus();
        break;
    }
    return absl::PermissionDeniedError(
        absl::StrCat("a chain office may not send to ", Quoted(recipient.String()),
                     ": only to departments, roles other than admin, and its own chains' "
                     "offices"));
  }
  return absl::PermissionDeniedError("sending notices needs the admin or chain_office role");
}

}  // namespace chainhub::notify
