// The 包保 and 一企一策 tables (migrations/0001_support.sql): assignments with the departments
// they name, visits, firm plans. Resources are stored as blobs without their output-only fields,
// which Get fills in (the enterprise's name and chains, the visit state as of `today`).
#ifndef CHAINHUB_SERVICES_SUPPORT_ASSIGNMENT_STORE_H_
#define CHAINHUB_SERVICES_SUPPORT_ASSIGNMENT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/store/list_query.h"
#include "common/store/store.h"

namespace chainhub::support {

class AssignmentStore {
 public:
  // `today` (YYYY-MM-DD, China) decides `active` and `visit_overdue`.
  AssignmentStore(SqlTx& tx, std::string today) : tx_(tx), today_(std::move(today)) {}

  // Stores a new assignments/{id} (its enterprise set) and its departments.
  absl::Status Insert(const std::string& id, const v1::Assignment& a, absl::Time now);
  // Rewrites it (and its departments), keeping its visit dates.
  absl::Status Update(const std::string& id, const v1::Assignment& a, absl::Time now);
  absl::StatusOr<v1::Assignment> Get(const std::string& id);
  // A page; `extra` conditions (with their parameters already in `params` after the filter's)
  // narrow it (visibility).
  absl::StatusOr<std::vector<Keyed<v1::Assignment>>> List(const PageQuery& q,
                                                          std::vector<SqlValue> params,
                                                          const std::vector<std::string>& extra);

  absl::Status InsertVisit(const std::string& assignment_id, const std::string& id,
                           const std::string& credit_code, const v1::Visit& visit, absl::Time now);
  absl::StatusOr<std::vector<Keyed<v1::Visit>>> ListVisits(const PageQuery& q,
                                                           std::vector<SqlValue> params,
                                                           const std::vector<std::string>& extra);

  absl::Status InsertFirmPlan(const std::string& id, const v1::FirmPlan& plan, absl::Time now);
  absl::Status UpdateFirmPlan(const std::string& id, const v1::FirmPlan& plan, absl::Time now);
  absl::StatusOr<v1::FirmPlan> GetFirmPlan(const std::string& id);
  absl::StatusOr<std::vector<Keyed<v1::FirmPlan>>> ListFirmPlans(
      const PageQuery& q, std::vector<SqlValue> params, const std::vector<std::string>& extra);

 private:
  absl::Status WriteDepartments(const std::string& id, const v1::Assignment& a);
  absl::StatusOr<v1::Assignment> AssignmentOf(const SqlRow& row);
  absl::StatusOr<v1::FirmPlan> FirmPlanOf(const SqlRow& row);
  absl::Status FillEnterprise(const std::string& credit_code, std::string* display_name,
                              google::protobuf::RepeatedPtrField<std::string>* chains);

  SqlTx& tx_;
  std::string today_;
};

// The filter fields of ListAssignments, ListVisits and ListFirmPlans; `today` binds
// visit_overdue and active.
std::map<std::string, FilterField> AssignmentFilterFields(const std::string& today);
std::map<std::string, FilterField> VisitFilterFields();
std::map<std::string, FilterField> FirmPlanFilterFields();

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_ASSIGNMENT_STORE_H_
