// chainhub.assessment.v1.Assessment: the gRPC surface of KPI assessment. Each handler validates,
// authorizes, and runs one store transaction; writes append their audit row (and, for runs, their
// events) in the same transaction. Handlers live one file per resource: indicator_handlers.cc,
// input_handlers.cc (targets, reported values, ratings), scheme_handlers.cc, run_handlers.cc,
// schedule_handlers.cc (schedules and facts); the rules they apply are in names.h, periods.h,
// scheme_rules.h, methods.h and grading.h, the computation of a run in run_engine.h, the SQL in
// assessment_store.h and measures.h.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_
#define CHAINHUB_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/store.h"
#include "services/assessment/assessment_store.h"
#include "services/assessment/facts.h"
#include "services/assessment/periods.h"

namespace chainhub::assessment {

class AssessmentService final : public v1::Assessment::CallbackService {
 public:
  // `relay` and `facts` may be null (then RebuildFacts is UNAVAILABLE and the status shows only
  // counts). `clock` tells the time of every write and the default as-of date.
  AssessmentService(Store* store, OutboxRelay* relay, FactsKeeper* facts, const Clock& clock);

  using Ctx = grpc::CallbackServerContext;

  grpc::ServerUnaryReactor* CreateIndicator(Ctx*, const v1::CreateIndicatorRequest*,
                                            v1::Indicator*) override;
  grpc::ServerUnaryReactor* GetIndicator(Ctx*, const v1::GetIndicatorRequest*,
                                         v1::Indicator*) override;
  grpc::ServerUnaryReactor* ListIndicators(Ctx*, const v1::ListIndicatorsRequest*,
                                           v1::ListIndicatorsResponse*) override;
  grpc::ServerUnaryReactor* UpdateIndicator(Ctx*, const v1::UpdateIndicatorRequest*,
                                            v1::Indicator*) override;
  grpc::ServerUnaryReactor* SetTarget(Ctx*, const v1::SetTargetRequest*, v1::Target*) override;
  grpc::ServerUnaryReactor* ListTargets(Ctx*, const v1::ListTargetsRequest*,
                                        v1::ListTargetsResponse*) override;
  grpc::ServerUnaryReactor* ReportValue(Ctx*, const v1::ReportValueRequest*,
                                        v1::ReportedValue*) override;
  grpc::ServerUnaryReactor* ListReportedValues(Ctx*, const v1::ListReportedValuesRequest*,
                                               v1::ListReportedValuesResponse*) override;
  grpc::ServerUnaryReactor* PutScheme(Ctx*, const v1::PutSchemeRequest*, v1::Scheme*) override;
  grpc::ServerUnaryReactor* GetScheme(Ctx*, const v1::GetSchemeRequest*, v1::Scheme*) override;
  grpc::ServerUnaryReactor* ListSchemes(Ctx*, const v1::ListSchemesRequest*,
                                        v1::ListSchemesResponse*) override;
  grpc::ServerUnaryReactor* ListSchemeVersions(Ctx*, const v1::ListSchemeVersionsRequest*,
                                               v1::ListSchemeVersionsResponse*) override;
  grpc::ServerUnaryReactor* EnterRating(Ctx*, const v1::EnterRatingRequest*,
                                        v1::RatingEntry*) override;
  grpc::ServerUnaryReactor* ListRatings(Ctx*, const v1::ListRatingsRequest*,
                                        v1::ListRatingsResponse*) override;
  grpc::ServerUnaryReactor* CreateRun(Ctx*, const v1::CreateRunRequest*, v1::Run*) override;
  grpc::ServerUnaryReactor* GetRun(Ctx*, const v1::GetRunRequest*, v1::Run*) override;
  grpc::ServerUnaryReactor* ListRuns(Ctx*, const v1::ListRunsRequest*,
                                     v1::ListRunsResponse*) override;
  grpc::ServerUnaryReactor* ExplainScore(Ctx*, const v1::ExplainScoreRequest*,
                                         v1::ExplainScoreResponse*) override;
  grpc::ServerUnaryReactor* ReplayRun(Ctx*, const v1::ReplayRunRequest*,
                                      v1::ReplayRunResponse*) override;
  grpc::ServerUnaryReactor* ExportRun(Ctx*, const v1::ExportRunRequest*,
                                      v1::ExportRunResponse*) override;
  grpc::ServerUnaryReactor* PutSchedule(Ctx*, const v1::PutScheduleRequest*,
                                        v1::Schedule*) override;
  grpc::ServerUnaryReactor* ListSchedules(Ctx*, const v1::ListSchedulesRequest*,
                                          v1::ListSchedulesResponse*) override;
  grpc::ServerUnaryReactor* DeleteSchedule(Ctx*, const v1::DeleteScheduleRequest*,
                                           v1::Schedule*) override;
  grpc::ServerUnaryReactor* GetFactsStatus(Ctx*, const v1::GetFactsStatusRequest*,
                                           v1::FactsStatus*) override;
  grpc::ServerUnaryReactor* RebuildFacts(Ctx*, const v1::RebuildFactsRequest*,
                                         v1::FactsStatus*) override;
  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;

  // What a run is asked for, by a caller or by the scheduler.
  struct RunOrder {
    std::string scheme;      // schemes/{id} or schemes/{id}/versions/{n}
    std::string period;      // 2026-Q3
    std::string as_of_date;  // empty: today
    v1::RunKind kind = v1::RUN_KIND_FINAL;
    v1::RunTrigger trigger = v1::RUN_TRIGGER_MANUAL;
    std::string request_id;
    // A provisional run whose results equal the latest provisional run's is not stored (that run
    // is returned instead).
    bool only_if_changed = false;
  };
  // Computes a run on a read snapshot and stores it with its events and audit row (a repeat of
  // request_id returns the stored run). `fence`, when set, runs inside the storing transaction
  // (the scheduler's lease check).
  absl::StatusOr<v1::Run> MakeRun(const AuthorizedCall& call, const RunOrder& order,
                                  const std::function<absl::Status(AssessmentTx&)>& fence = {});

 private:
  // Runs `fn` in one write transaction; wakes the relay after the commit.
  absl::Status Mutate(const std::function<absl::Status(SqlTx&, AssessmentTx&)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(SqlTx&, AssessmentTx&)>& fn);
  // The events of a stored run: run_completed (final runs, and provisional runs whose ranking
  // changed), rank_changed per subject that moved, alert for a provisional grade fallen to 不合格.
  absl::Status RecordRunEvents(SqlTx& tx, const AuthorizedCall& call, const v1::Run& run,
                               const std::optional<v1::Run>& compared, absl::Time now);
  // The indicator lookup scheme validation uses, over the current definitions.
  absl::StatusOr<std::map<std::string, v1::Indicator>> CurrentIndicators(AssessmentTx& db);

  Store* store_;
  OutboxRelay* relay_;
  FactsKeeper* facts_;
  const Clock& clock_;
};

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_ASSESSMENT_SERVICE_H_
