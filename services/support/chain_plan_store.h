// The store of chain plans (migrations/0004_chains.sql): a head row per plan (latest version,
// version last published, revision) and every version's content; the day each task number first
// appeared; what publishing sent (per target and task); the progress reported (actuals, task
// reports); and the at-risk events already published.
#ifndef CHAINHUB_SERVICES_SUPPORT_CHAIN_PLAN_STORE_H_
#define CHAINHUB_SERVICES_SUPPORT_CHAIN_PLAN_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/store/filter.h"
#include "common/store/list_query.h"
#include "common/store/store.h"
#include "services/assessment/periods.h"
#include "services/support/chain_plans.h"
#include "services/support/names.h"

namespace chainhub::support {

// The filter fields of ListChainPlans: kind, start_year, end_year.
const std::map<std::string, FilterField>& ChainPlanFilterFields();

// What publishing sent for one target ("target", "<indicator>|<year>") or task ("task", number).
struct Publication {
  std::string digest;
  std::string work_item;  // tasks/{id} for a task
  int version = 0;
};
using PublicationKey = std::pair<std::string, std::string>;

// The plans inside one transaction. Plans come back whole: name, version, published_version, the
// plan's etag and create time, the version's time as update_time, and each task's work item.
class ChainPlansTx {
 public:
  explicit ChainPlansTx(SqlTx& tx) : tx_(tx) {}

  // Version 1 of a new plan (checked by the caller); ALREADY_EXISTS when the id is taken.
  absl::Status Insert(const ChainPlanName& name, const v1::ChainPlan& plan,
                      const std::string& principal, absl::Time now);
  // The plan at `version` (0: the latest); NOT_FOUND naming the plan, or the version.
  absl::StatusOr<v1::ChainPlan> Get(const ChainPlanName& name, int version = 0);
  // A new version with `plan`'s content; the revision moves on. Returns the new version.
  absl::StatusOr<int> AddVersion(const ChainPlanName& name, const v1::ChainPlan& plan,
                                 const std::string& principal, absl::Time now);
  // Records `version` as published; the revision moves on.
  absl::Status MarkPublished(const ChainPlanName& name, int version, absl::Time now);
  // Pages of plans (their latest versions) in id order, `chain_id` narrowing to one chain; and
  // of one plan's versions, newest first.
  absl::StatusOr<std::vector<Keyed<v1::ChainPlan>>> List(const std::optional<std::string>& chain_id,
                                                         const PageQuery& q);
  absl::StatusOr<std::vector<Keyed<v1::ChainPlan>>> Versions(const ChainPlanName& name,
                                                             const PageQuery& q);

  absl::StatusOr<std::map<PublicationKey, Publication>> Publications(const std::string& plan_id);
  absl::Status RecordPublication(const std::string& plan_id, const PublicationKey& key,
                                 const Publication& publication, absl::Time now);

  // Notes `date` as the first day of each task number of `plan` not seen before.
  absl::Status NoteTasks(const std::string& plan_id, const v1::ChainPlan& plan,
                         absl::CivilDay date);
  absl::StatusOr<std::map<std::string, absl::CivilDay>> TaskFirstSeen(const std::string& plan_id);

  // Replaces the actual of each indicator in `actuals`, and the report of each task in `tasks`,
  // for `period`.
  absl::Status PutActuals(const std::string& plan_id, const assessment::Period& period,
                          const std::map<std::string, double>& actuals,
                          const std::string& principal, absl::Time now);
  absl::Status PutTaskReports(const std::string& plan_id, const assessment::Period& period,
                              const std::vector<v1::TaskReport>& tasks,
                              const std::string& principal, absl::Time now);
  absl::StatusOr<std::vector<ReportedActual>> Actuals(const std::string& plan_id);
  absl::StatusOr<std::vector<ReportedTask>> TaskReports(const std::string& plan_id);

  // Records the at-risk event of (plan, item, period); false when it was recorded before.
  absl::StatusOr<bool> NoteRiskEvent(const std::string& plan_id, const std::string& item_key,
                                     const std::string& period, const std::string& as_of,
                                     absl::Time now);

 private:
  absl::Status FillWorkItems(const std::string& plan_id, v1::ChainPlan* plan);

  SqlTx& tx_;
};

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_CHAIN_PLAN_STORE_H_
