// Who may see an enterprise's support data (its assignments, visits, firm plans and requests):
// admins; the chain office of any chain the enterprise is on; and the departments assigned to it
// by an active 包保 assignment (its leader's and officers' departments). A caller acts as a
// department when its token's subject is departments/{dept}. The figures (request, payout, plan)
// carry no enterprise detail and are readable by every role.
#ifndef CHAINHUB_SERVICES_SUPPORT_ACCESS_H_
#define CHAINHUB_SERVICES_SUPPORT_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/rpc/auth.h"
#include "common/store/store.h"
#include "services/support/enterprises.h"

namespace chainhub::support {

// The department a caller acts as (departments/{dept}), or "" when its subject is not one.
std::string CallerDepartment(const Principal& principal);

// Whether `principal` may see `enterprise` on `today` (YYYY-MM-DD); `also` lists departments
// that may see this one resource besides (e.g. the department a request is routed to).
absl::StatusOr<bool> MaySeeEnterprise(SqlTx& tx, const Principal& principal,
                                      const EnterpriseFacts& enterprise, absl::string_view today,
                                      const std::vector<std::string>& also = {});

// MaySeeEnterprise as a status: PERMISSION_DENIED naming the enterprise and who may see it.
absl::Status RequireEnterpriseAccess(SqlTx& tx, const Principal& principal,
                                     const EnterpriseFacts& enterprise, absl::string_view today,
                                     const std::vector<std::string>& also = {});

// The same rule as a SQL condition for lists: `code_column` is the credit-code column of the
// listed rows. `sql` is empty for admins (everything); parameters are numbered from
// `first_param`. `also_column`, when set, is a column holding one more department that may see
// the row (a request's assignee).
struct Visibility {
  std::string sql;
  std::vector<SqlValue> params;
};
Visibility EnterpriseVisibility(const Principal& principal, absl::string_view code_column,
                                absl::string_view today, int first_param,
                                absl::string_view also_column = "");

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_ACCESS_H_
