#include "services/support/access.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/status_util.h"

namespace chainhub::support {

std::string CallerDepartment(const Principal& principal) {
  return absl::StartsWith(principal.subject, "departments/") ? principal.subject : "";
}

absl::StatusOr<bool> MaySeeEnterprise(SqlTx& tx, const Principal& principal,
                                      const EnterpriseFacts& enterprise, absl::string_view today,
                                      const std::vector<std::string>& also) {
  if (principal.IsAdmin()) return true;
  if (principal.HasRole(roles::kChainOffice)) {
    for (const std::string& chain : enterprise.chains) {
      if (principal.chains.contains(chain)) return true;
    }
  }
  const std::string department = CallerDepartment(principal);
  if (department.empty()) return false;
  for (const std::string& d : also) {
    if (d == department) return true;
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT 1 FROM support_assignment_departments WHERE credit_code = $1 "
                          "AND department = $2 AND (end_date = '' OR end_date >= $3) LIMIT 1",
                          {enterprise.credit_code, department, std::string(today)}));
  return !rows.empty();
}

absl::Status RequireEnterpriseAccess(SqlTx& tx, const Principal& principal,
                                     const EnterpriseFacts& enterprise, absl::string_view today,
                                     const std::vector<std::string>& also) {
  CHAINHUB_ASSIGN_OR_RETURN(bool may, MaySeeEnterprise(tx, principal, enterprise, today, also));
  if (may) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      enterprise.Name(),
      ": visible only to the departments assigned to it, the chain office of its chains and "
      "admins"));
}

Visibility EnterpriseVisibility(const Principal& principal, absl::string_view code_column,
                                absl::string_view today, int first_param,
                                absl::string_view also_column) {
  Visibility v;
  if (principal.IsAdmin()) return v;
  std::vector<std::string> terms;
  int n = first_param;
  if (principal.HasRole(roles::kChainOffice) && !principal.chains.empty()) {
    std::vector<std::string> slots;
    for (const std::string& chain : principal.chains) {
      slots.push_back(absl::StrCat("$", n++));
      v.params.push_back(chain);
    }
    terms.push_back(absl::StrCat(code_column,
                                 " IN (SELECT credit_code FROM support_enterprise_chains WHERE "
                                 "chain IN (",
                                 absl::StrJoin(slots, ", "), "))"));
  }
  const std::string department = CallerDepartment(principal);
  if (!department.empty()) {
    terms.push_back(absl::StrCat(
        code_column,
        " IN (SELECT credit_code FROM support_assignment_departments WHERE department = $", n,
        " AND (end_date = '' OR end_date >= $", n + 1, "))"));
    v.params.push_back(department);
    v.params.push_back(std::string(today));
    if (!also_column.empty()) terms.push_back(absl::StrCat(also_column, " = $", n));
    n += 2;
  }
  v.sql = terms.empty() ? "(1 = 0)" : absl::StrCat("(", absl::StrJoin(terms, " OR "), ")");
  return v;
}

}  // namespace chainhub::support
