// Intake's data: SQL over the tables of migrations/0001_intake.sql. IntakeTx wraps one store
// transaction, so a handler composes reads, writes, the outbox row and the audit row in one
// commit. A project is stored whole as protobuf (stage, dates, progress and light included) beside
// the columns that filters, orderings and the stage machine use.
#ifndef CHAINHUB_SERVICES_INTAKE_INTAKE_STORE_H_
#define CHAINHUB_SERVICES_INTAKE_INTAKE_STORE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "common/base/names.h"
#include "common/store/filter.h"
#include "common/store/list_query.h"
#include "common/store/store.h"
#include "services/intake/lights.h"
#include "services/intake/stages.h"
#include "services/intake/summary.h"

namespace chainhub::intake {

// A project as stored, with what the stage machine needs beside it.
struct StoredProject {
  std::string id;
  ChainName chain;      // of project.chain
  v1::Project project;  // name, etag and times filled
  StageState state;
};

// What a summary or a light evaluation needs of one project as of a date.
struct ProjectFacts {
  std::string id;
  v1::Project project;
  // From the stage changes effective on or before the date.
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
  v1::Stage stalled_from = v1::STAGE_UNSPECIFIED;
  v1::StageDates dates;
  // Reports for months up to the date's month.
  std::vector<MonthFigure> reports;
};

// What ListProjects and ListWorkItems filter on (docs/filter.md) and the SQL each field compiles
// into, over projects as p and work items as w.
const std::map<std::string, FilterField>& ProjectFilterFields();
const std::map<std::string, FilterField>& WorkItemFilterFields();
// Their order_by: the columns of each field (ending in the unique id); ListProjects by
// create_time, ListWorkItems by deadline when not given.
absl::StatusOr<OrderSpec> ProjectOrder(absl::string_view order_by);
absl::StatusOr<OrderSpec> WorkItemOrder(absl::string_view order_by);

class IntakeTx {
 public:
  explicit IntakeTx(SqlTx& tx) : tx_(tx) {}

  // Projects.
  absl::StatusOr<StoredProject> GetProject(const std::string& id);
  absl::StatusOr<std::optional<std::string>> ProjectIdByExternalId(const std::string& external_id);
  // Writes the new project at revision 1 and stamps `p` with the etag and times of that row, so
  // it is what GetProject would read back.
  absl::Status InsertProject(const std::string& id, v1::Project* p, const StageState& state,
                             absl::Time now);
  // Rewrites the project (revision + 1) and stamps `p` with the etag and times of the row written,
  // so it is what GetProject would read back.
  absl::Status UpdateProject(const std::string& id, v1::Project* p, const StageState& state,
                             absl::Time now);
  // Deletes the project with its stage history, progress reports and work items.
  absl::Status DeleteProject(const std::string& id);
  absl::StatusOr<std::vector<Keyed<v1::Project>>> ListProjects(const PageQuery& q);
  absl::StatusOr<int64_t> CountProjects(const CompiledFilter& filter);
  absl::StatusOr<int64_t> CountProjectsOfChain(const std::string& chain_id);
  // Fills the summary columns that only the stored protobuf holds (annual plan, planned start)
  // of up to `limit` rows written before they existed; returns how many it filled.
  absl::StatusOr<int64_t> BackfillSummaryColumns(int limit);

  // Stage history.
  // Appends the next change of the project's history; returns it as stored (named, timed).
  absl::StatusOr<v1::StageChange> AppendStageChange(const std::string& project_id,
                                                    const v1::StageChange& change, absl::Time now);
  // Oldest first, after `after_seq`.
  absl::StatusOr<std::vector<Keyed<v1::StageChange>>> ListStageChanges(
      const std::string& project_id, int64_t after_seq, int limit);

  // Progress reports.
  absl::StatusOr<std::optional<v1::ProgressReport>> GetReport(const std::string& project_id,
                                                              const std::string& month);
  // The latest report before `month` and the earliest after it.
  absl::StatusOr<std::optional<v1::ProgressReport>> ReportBefore(const std::string& project_id,
                                                                 const std::string& month);
  absl::StatusOr<std::optional<v1::ProgressReport>> ReportAfter(const std::string& project_id,
                                                                const std::string& month);
  // Inserts or replaces the month's report; revision counts reports of the month.
  absl::Status PutReport(const std::string& project_id, const v1::ProgressReport& report,
                         absl::Time now);
  absl::StatusOr<std::vector<Keyed<v1::ProgressReport>>> ListReports(const std::string& project_id,
                                                                     const std::string& after_month,
                                                                     int limit);
  absl::StatusOr<std::vector<MonthFigure>> MonthFigures(const std::string& project_id);

  // Facts as of `date` (YYYY-MM-DD) of every project of `chain_id` (all chains when empty) that
  // existed by then, in id order, replayed from each stage history. With `only_unsettled`, only
  // of the projects the summary columns cannot answer for that date: those with a stage change
  // after it, or whose columns are not yet backfilled.
  absl::StatusOr<std::vector<ProjectFacts>> FactsAsOf(const std::string& chain_id,
                                                      const std::string& date,
                                                      bool only_unsettled = false);

  // What SummarizeProjects counts of `chain_id` (all chains when empty) for `period` as of
  // `as_of`, lights evaluated with `rules`. Projects whose stage has not changed since `as_of`
  // come from the summary columns through the projects_summary index, those without reports
  // grouped by their facts in SQL (one entry per group); the rest are replayed from their history
  // (FactsAsOf). Summarize over it gives exactly what one entry per replayed project would.
  absl::StatusOr<std::vector<SummaryProject>> SummaryInputs(const std::string& chain_id,
                                                            const Period& period,
                                                            const std::string& as_of,
                                                            const v1::LightRules& rules);
  // The same, every project replayed from its history: the reference the fast path must match.
  absl::StatusOr<std::vector<SummaryProject>> SummaryInputsReplayed(const std::string& chain_id,
                                                                    const Period& period,
                                                                    const std::string& as_of,
                                                                    const v1::LightRules& rules);
  // Stores a project's evaluated light (no revision change: the light is derived data).
  absl::Status SetLight(const std::string& id, const v1::Project& p);

  // Work items.
  absl::StatusOr<v1::WorkItem> GetWorkItem(const std::string& id);
  absl::Status InsertWorkItem(const std::string& id, const v1::WorkItem& item, absl::Time now);
  absl::Status UpdateWorkItem(const std::string& id, const v1::WorkItem& item, absl::Time now);
  absl::StatusOr<std::vector<Keyed<v1::WorkItem>>> ListWorkItems(const PageQuery& q);
  absl::StatusOr<int64_t> CountWorkItems(const CompiledFilter& filter);
  // Up to `limit` items (of chain `chain_id`, every chain when empty) not resolved, past their
  // deadline on `date` and not reminded on `date` yet, by deadline; each with its id.
  absl::StatusOr<std::vector<std::pair<std::string, v1::WorkItem>>> DueReminders(
      const std::string& chain_id, const std::string& date, int limit);
  absl::Status SetReminded(const std::string& id, const std::string& date);

  // Light rules (defaults when never set).
  absl::StatusOr<v1::LightRules> GetLightRules();
  absl::Status PutLightRules(const v1::LightRules& rules, absl::Time now);

 private:
  absl::StatusOr<std::vector<SummaryProject>> SummaryInputsOf(const std::string& chain_id,
                                                              const Period& period,
                                                              const std::string& as_of,
                                                              const v1::LightRules& rules,
                                                              bool only_unsettled);

  SqlTx& tx_;
};

// Fills the summary columns of every row written before they existed (BackfillSummaryColumns),
// in transactions of 1,000 rows. Run at start, before serving.
absl::Status BackfillSummaryColumns(Store& store);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_INTAKE_STORE_H_
