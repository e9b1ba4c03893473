// chainhub.intake.v1.ProjectIntake: the gRPC surface of the project library. Each handler
// validates, authorizes on the resource, and runs one store transaction that writes the domain
// rows, the outbox events and the audit row together. Chains and nodes are checked against the
// local read copy of the registry (reference_copy.h), asked of the registry before the write when
// the copy does not know them.
//
// The handlers live one file per resource (project_handlers.cc, stage_handlers.cc,
// progress_handlers.cc, work_item_handlers.cc, light_handlers.cc, summary_handlers.cc,
// import_handlers.cc); intake_service.cc holds what they share. The rules they apply live in
// names.h, validation.h, projects.h, province_chains.h, stages.h, progress.h, work_items.h,
// lights.h, summary.h and import_rows.h; the SQL in intake_store.h.
#ifndef CHAINHUB_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define CHAINHUB_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "common/base/clock.h"
#include "common/base/names.h"
#include "common/cache/cache.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/intake/intake_store.h"
#include "services/intake/province_chains.h"
#include "services/intake/reference_copy.h"

namespace chainhub::intake {

// The most rows one ImportProjects call takes, and how many it commits together.
inline constexpr int kMaxImportRows = 10000;
inline constexpr int kImportBatchRows = 250;

class IntakeService final : public v1::ProjectIntake::CallbackService {
 public:
  // `cache`, `relay` and `reference` may be null. `clock` tells the time of every write and
  // today's date in China.
  IntakeService(Store* store, Cache* cache, OutboxRelay* relay, ReferenceCopy* reference,
                const Clock& clock);

  using Ctx = grpc::CallbackServerContext;

  grpc::ServerUnaryReactor* GetProject(Ctx*, const v1::GetProjectRequest*, v1::Project*) override;
  grpc::ServerUnaryReactor* ListProjects(Ctx*, const v1::ListProjectsRequest*,
                                         v1::ListProjectsResponse*) override;
  grpc::ServerUnaryReactor* CreateProject(Ctx*, const v1::CreateProjectRequest*,
                                          v1::Project*) override;
  grpc::ServerUnaryReactor* UpdateProject(Ctx*, const v1::UpdateProjectRequest*,
                                          v1::Project*) override;
  grpc::ServerUnaryReactor* DeleteProject(Ctx*, const v1::DeleteProjectRequest*,
                                          google::protobuf::Empty*) override;
  grpc::ServerUnaryReactor* TransitionStage(Ctx*, const v1::TransitionStageRequest*,
                                            v1::Project*) override;
  grpc::ServerUnaryReactor* ListStageChanges(Ctx*, const v1::ListStageChangesRequest*,
                                             v1::ListStageChangesResponse*) override;
  grpc::ServerUnaryReactor* ReportProgress(Ctx*, const v1::ReportProgressRequest*,
                                           v1::ProgressReport*) override;
  grpc::ServerUnaryReactor* ListProgressReports(Ctx*, const v1::ListProgressReportsRequest*,
                                                v1::ListProgressReportsResponse*) override;
  grpc::ServerUnaryReactor* CreateWorkItem(Ctx*, const v1::CreateWorkItemRequest*,
                                           v1::WorkItem*) override;
  grpc::ServerUnaryReactor* GetWorkItem(Ctx*, const v1::GetWorkItemRequest*,
                                        v1::WorkItem*) override;
  grpc::ServerUnaryReactor* ListWorkItems(Ctx*, const v1::ListWorkItemsRequest*,
                                          v1::ListWorkItemsResponse*) override;
  grpc::ServerUnaryReactor* UpdateWorkItem(Ctx*, const v1::UpdateWorkItemRequest*,
                                           v1::WorkItem*) override;
  grpc::ServerUnaryReactor* TransitionWorkItem(Ctx*, const v1::TransitionWorkItemRequest*,
                                               v1::WorkItem*) override;
  grpc::ServerUnaryReactor* RemindOverdueWorkItems(Ctx*, const v1::RemindOverdueWorkItemsRequest*,
                                                   v1::RemindOverdueWorkItemsResponse*) override;
  grpc::ServerUnaryReactor* GetLightRules(Ctx*, const v1::GetLightRulesRequest*,
                                          v1::LightRules*) override;
  grpc::ServerUnaryReactor* UpdateLightRules(Ctx*, const v1::UpdateLightRulesRequest*,
                                             v1::LightRules*) override;
  grpc::ServerUnaryReactor* EvaluateLights(Ctx*, const v1::EvaluateLightsRequest*,
                                           v1::EvaluateLightsResponse*) override;
  grpc::ServerUnaryReactor* SummarizeProjects(Ctx*, const v1::SummarizeProjectsRequest*,
                                              v1::ProjectSummary*) override;
  grpc::ServerReadReactor<v1::ImportProjectsRequest>* ImportProjects(
      Ctx*, v1::ImportProjectsResponse*) override;
  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;

  // The periodic evaluation: every light for today, stored, as systems/intake (audited). Lights
  // change with the calendar too (a planned start passing, a month ending), not only on writes.
  absl::StatusOr<v1::EvaluateLightsResponse> EvaluateLightsToday();
  // The periodic reminders: issue.overdue / task.overdue for every item overdue today and not
  // reminded today yet, as systems/intake (audited).
  absl::StatusOr<v1::RemindOverdueWorkItemsResponse> RemindOverdueToday();

 private:
  // What Prepare learned about a project before its write.
  struct Prepared {
    v1::Project project;  // output-only fields cleared
    ChainName chain;
    std::optional<NodeName> node;
    std::vector<v1::StageChange> history;  // of a new project: its line stages so far
  };
  // One import row waiting for its batch (import_handlers.cc).
  struct ImportItem;

  // Runs `fn` in one write transaction; after the commit, wakes the relay and invalidates the
  // cache namespaces `fn` added to `invalidate`.
  absl::Status Mutate(
      const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>& invalidate)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(IntakeTx&)>& fn);
  // Mutate for a call carrying a request_id: a repeat of an earlier `request` (same id, same
  // payload) gets the response stored for it; otherwise `fn` runs at `now` and fills `resp`, which
  // is stored in the same transaction for the repeats to come.
  template <typename T>
  absl::Status MutateOnce(
      const AuthorizedCall& call, const google::protobuf::Message& request,
      const std::string& request_id, T* resp,
      const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>& invalidate,
                                       absl::Time now)>& fn);

  // One page of a project's sub-collection (stage changes by seq, reports by month), oldest first;
  // `fetch(db, project_id, after_key, limit)` reads the rows.
  template <typename T>
  using FetchPage = std::function<absl::StatusOr<std::vector<Keyed<T>>>(
      IntakeTx& db, const std::string& project_id, const std::string& after_key, int limit)>;
  template <typename T>
  grpc::ServerUnaryReactor* ListOfProject(Ctx* ctx, absl::string_view method,
                                          const std::string& parent, int page_size,
                                          const std::string& page_token, const char* column,
                                          FetchPage<T> fetch,
                                          google::protobuf::RepeatedPtrField<T>* out,
                                          std::string* next_token);
  // Checks a project's fields and references before its write (the registry may be asked).
  absl::StatusOr<Prepared> Prepare(const AuthorizedCall& call, const v1::Project& project,
                                   const std::string& prefix, bool with_history);
  // Inserts a prepared new project with its history, event and audit row.
  absl::StatusOr<v1::Project> InsertNew(SqlTx& tx, IntakeTx& db, const AuthorizedCall& call,
                                        const Prepared& prepared, const std::string& audit_detail,
                                        absl::Time now, std::set<std::string>& invalidate);
  // Applies one import row (create, update or nothing) inside the batch's transaction; `write`
  // false validates only. Every check happens before the first write of the row.
  absl::Status ApplyImportRow(SqlTx& tx, IntakeTx& db, const AuthorizedCall& call,
                              const ImportItem& item, const std::string& source, bool write,
                              absl::Time now, std::set<std::string>& invalidate,
                              v1::ImportRowResult* result);
  absl::Status FlushImport(const AuthorizedCall& call, std::vector<ImportItem>& batch,
                           const v1::ImportHeader& header, v1::ImportProjectsResponse* resp);
  // The chain a city-wide daily pass (lights, reminders) is narrowed to, after checking the
  // caller may run it: readers on a dry run, the chain's office for one chain, admin for all.
  absl::StatusOr<std::optional<ChainName>> ScopeOfPass(const AuthorizedCall& call,
                                                       const std::string& chain,
                                                       const std::string& date, bool dry_run);
  // Runs `fn` as systems/intake (admin) for the periodic passes.
  absl::Status AsIntake(const std::string& method,
                        const std::function<absl::Status(const AuthorizedCall&)>& fn);
  // Publishes the reminders due on `date` (lists them on a dry run).
  absl::Status RemindOverdueAt(const AuthorizedCall& call, const std::string& date,
                               const std::optional<ChainName>& chain, bool dry_run,
                               v1::RemindOverdueWorkItemsResponse* resp);
  // Evaluates every light of `chain` (all chains when unset) for `date`; stores and announces the
  // changes unless `dry_run`.
  absl::Status EvaluateLightsAt(const AuthorizedCall& call, const std::string& date,
                                const std::optional<ChainName>& chain, bool dry_run,
                                v1::EvaluateLightsResponse* resp);
  // Recomputes the project's light for today; true when it changed.
  absl::StatusOr<bool> RefreshLight(IntakeTx& db, const std::string& id, v1::Project* p,
                                    const StageState& state, absl::Time now);
  // Events for a changed light.
  absl::Status RecordLightChange(SqlTx& tx, const AuthorizedCall& call, const v1::Project& p,
                                 const ChainName& chain, absl::Time now);
  // Carries out `choice` on the project's province chains: the default of its chain and `node`
  // from the registry copy, the written list as an override, or nothing.
  static absl::Status SetProvinceChains(SqlTx& tx, ProvinceChainsChoice choice,
                                        const ChainName& chain, const std::optional<NodeName>& node,
                                        v1::Project* p);
  // Today's date in China.
  std::string Today() const;

  Store* store_;
  Cache* cache_;
  OutboxRelay* relay_;
  ReferenceCopy* reference_;
  const Clock& clock_;
};

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_INTAKE_SERVICE_H_
