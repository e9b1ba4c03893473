// chainhub.intake.v1.ProjectIntake: the gRPC surface of the project library. Each handler
// validates, authorizes on the resource, and runs one store transaction that writes the domain
// rows, the outbox events and the audit row together. Chains and nodes are checked against the
// local read copy of the registry (reference_copy.h), asked of the registry before the write when
// the copy does not know them. The rules live in stages.h, lights.h, summary.h and validation.h;
// the SQL in intake_store.h.
#ifndef CHAINHUB_SERVICES_INTAKE_INTAKE_SERVICE_H_
#define CHAINHUB_SERVICES_INTAKE_INTAKE_SERVICE_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "common/cache/cache.h"
#include "common/rpc/call_context.h"
#include "common/events/outbox.h"
#include "common/store/store.h"
#include "services/intake/intake_store.h"
#include "services/intake/reference_copy.h"

namespace chainhub::intake {

// The most rows one ImportProjects call takes, and how many it commits together.
inline constexpr int kMaxImportRows = 10000;
inline constexpr int kImportBatchRows = 250;

class IntakeService final : public v1::ProjectIntake::CallbackService {
 public:
  // `cache` and `relay` may be null; `clock` defaults to Now.
  IntakeService(Store* store, Cache* cache, OutboxRelay* relay, ReferenceCopy* reference,
                std::function<absl::Time()> clock = nullptr);

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

 private:
  struct Prepared;
  struct ImportItem;

  // Runs `fn` in one write transaction; after the commit, wakes the relay and invalidates the
  // cache namespaces `fn` added to `invalidate`.
  absl::Status Mutate(
      const std::function<absl::Status(SqlTx&, IntakeTx&, std::set<std::string>& invalidate)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(IntakeTx&)>& fn);

  // One page of a project's sub-collection (stage changes by seq, reports by month), oldest first;
  // `fetch(db, project_id, after_key, limit)` reads the rows.
  template <typename T, typename Fetch>
  grpc::ServerUnaryReactor* ListOfProject(Ctx* ctx, absl::string_view method,
                                          const std::string& parent, int page_size,
                                          const std::string& page_token, const char* column,
                                          Fetch fetch, google::protobuf::RepeatedPtrField<T>* out,
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
  absl::Status EvaluateLightsAt(const AuthorizedCall& call, const std::string& date,
                                const std::string& chain_id, bool dry_run,
                                v1::EvaluateLightsResponse* resp);
  // Recomputes the project's light for today; true when it changed.
  absl::StatusOr<bool> RefreshLight(IntakeTx& db, const std::string& id, v1::Project* p,
                                    const StageState& state, absl::Time now);
  // Events for a changed light.
  absl::Status RecordLightChange(SqlTx& tx, const AuthorizedCall& call, const v1::Project& p,
                                 absl::Time now);
  // Authorization of work on a project's progress: admin, the chain's office, or the
  // responsible department.
  absl::Status RequireProgressWriter(const AuthorizedCall& call, const v1::Project& p);
  std::string Today() const;
  // The project's stage dates, with today for the negotiation of a project created without one.
  v1::StageDates DatesWithDefault(const v1::Project& project) const;

  Store* store_;
  Cache* cache_;
  OutboxRelay* relay_;
  ReferenceCopy* reference_;
  std::function<absl::Time()> clock_;
};

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_INTAKE_SERVICE_H_
