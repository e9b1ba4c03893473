// The versioned fact records (migrations/0001_facts.sql): projects, progress reports, work items,
// enterprises and chains, each change a version stamped with the time of the change. A version
// is put at its place in the record's history, whatever the order it arrives in: it never
// overrides a newer version, a version identical in content to the one in force at its time adds
// nothing, and two neighbouring versions never hold the same content (a later duplicate is folded
// into the earlier one). So applying the same changes twice, in any order, or a backfilled
// snapshot and then the events it already reflects, leaves the same history.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_FACT_VERSIONS_H_
#define CHAINHUB_SERVICES_ASSESSMENT_FACT_VERSIONS_H_

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/store/store.h"

namespace chainhub::assessment {

// superseded_us of the newest version of a record.
inline constexpr int64_t kInForceForever = std::numeric_limits<int64_t>::max();

// Each Put / Delete returns whether the facts changed. Times are the change's (event time or, for
// a backfill, the resource's update time). INVALID_ARGUMENT when a payload names no valid record.

// A project as published (created, updated, light changed, or backfilled).
absl::StatusOr<bool> PutProject(SqlTx& tx, const intake::v1::Project& project, absl::Time time);
// A project moved: the version in force at `time` with the move applied as intake applies it
// (the stage, and the stage's date when first reached). Nothing when no live version is in force
// then (the move of a project the facts do not know; its snapshot carries the move).
absl::StatusOr<bool> ApplyStageChange(SqlTx& tx, const std::string& project_id,
                                      const intake::v1::StageChange& change, absl::Time time);
// A project deleted, and with it (as intake deletes them) its progress reports and work items.
absl::StatusOr<bool> DeleteProject(SqlTx& tx, const std::string& project_id, absl::Time time);
absl::StatusOr<bool> PutProgressReport(SqlTx& tx, const intake::v1::ProgressReport& report,
                                       absl::Time time);
absl::StatusOr<bool> PutWorkItem(SqlTx& tx, const intake::v1::WorkItem& item, absl::Time time);
absl::StatusOr<bool> PutEnterprise(SqlTx& tx, const registry::v1::Enterprise& enterprise,
                                   absl::Time time);
absl::StatusOr<bool> DeleteEnterprise(SqlTx& tx, const std::string& credit_code, absl::Time time);
absl::StatusOr<bool> PutChain(SqlTx& tx, const registry::v1::Chain& chain, absl::Time time);
absl::StatusOr<bool> DeleteChain(SqlTx& tx, const std::string& chain_id, absl::Time time);

// Removes every fact version (not facts_state).
absl::Status DropAllFacts(SqlTx& tx);

// Records, as of now, that are live (not deleted), and all versions kept.
struct FactCounts {
  int64_t projects = 0;
  int64_t enterprises = 0;
  int64_t work_items = 0;
  int64_t progress_reports = 0;
  int64_t versions = 0;
};
absl::StatusOr<FactCounts> CountFacts(SqlTx& tx);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_FACT_VERSIONS_H_
