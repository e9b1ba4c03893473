// chainhub.support.v1.ChainSupport (docs/support.md): the support around each industrial chain.
// One class of handlers, one file of handlers per part (named beside each group below), each part
// with its own store file; what they share is here: the store, the outbox relay, the clock, the
// copy of the registry's enterprises (enterprises.h) and who may see an enterprise (access.h),
// the peers a chain plan is published to, and the background sweeps.
#ifndef CHAINHUB_SERVICES_SUPPORT_SUPPORT_SERVICE_H_
#define CHAINHUB_SERVICES_SUPPORT_SUPPORT_SERVICE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/support/v1/support.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/event_consumer.h"
#include "common/events/outbox.h"
#include "common/service/peer.h"
#include "common/store/store.h"

namespace chainhub::support {

// The CloudEvents source of support's events.
inline constexpr char kEventSource[] = "support";

// Where a chain plan's targets and tasks go (PublishChainPlan): assessment's SetTarget and
// intake's CreateWorkItem. Each call carries the caller's own bearer token, so publishing can do
// there only what the caller may do there itself. An absent stub: publishing is
// FAILED_PRECONDITION naming the missing flag.
struct SupportPeers {
  std::shared_ptr<assessment::v1::Assessment::StubInterface> assessment;
  std::shared_ptr<intake::v1::ProjectIntake::StubInterface> intake;
  absl::Duration timeout = absl::Seconds(10);
};

struct SupportServiceOptions {
  // How often overdue requests are marked and escalated, and 免申即享 payout lists generated.
  absl::Duration sweep_interval = absl::Seconds(30);
};

class SupportService final : public v1::ChainSupport::CallbackService {
 public:
  // `relay` may be null; `clock` tells the time of every write, deadline and as-of date.
  SupportService(Store* store, OutboxRelay* relay, const Clock& clock, SupportPeers peers = {},
                 SupportServiceOptions options = {});
  ~SupportService() override;

  // The handlers of the `support` consumer group: the enterprise copy.
  EventHandlers Handlers();
  // Starts (and Stop ends) the sweep thread: SweepRequests, then RunAutomaticPayouts.
  void Start();
  void Stop();

  // Marks at most `batch` requests whose next deadline passed overdue, escalating each once per
  // missed milestone (request.overdue, request.escalated), in one transaction; returns how many.
  absl::StatusOr<int> SweepRequests(int batch = 500);
  // For every AUTOMATIC item whose window holds today, the claims GeneratePayouts would make;
  // returns how many were made.
  absl::StatusOr<int> RunAutomaticPayouts();

  using Ctx = grpc::CallbackServerContext;

  // --- 包保: assignments and visits (assignment_handlers.cc)
  grpc::ServerUnaryReactor* CreateAssignment(Ctx*, const v1::CreateAssignmentRequest*,
                                             v1::Assignment*) override;
  grpc::ServerUnaryReactor* GetAssignment(Ctx*, const v1::GetAssignmentRequest*,
                                          v1::Assignment*) override;
  grpc::ServerUnaryReactor* ListAssignments(Ctx*, const v1::ListAssignmentsRequest*,
                                            v1::ListAssignmentsResponse*) override;
  grpc::ServerUnaryReactor* UpdateAssignment(Ctx*, const v1::UpdateAssignmentRequest*,
                                             v1::Assignment*) override;
  grpc::ServerUnaryReactor* LogVisit(Ctx*, const v1::LogVisitRequest*, v1::Visit*) override;
  grpc::ServerUnaryReactor* ListVisits(Ctx*, const v1::ListVisitsRequest*,
                                       v1::ListVisitsResponse*) override;

  // --- 一企一策 (firm_plan_handlers.cc)
  grpc::ServerUnaryReactor* CreateFirmPlan(Ctx*, const v1::CreateFirmPlanRequest*,
                                           v1::FirmPlan*) override;
  grpc::ServerUnaryReactor* GetFirmPlan(Ctx*, const v1::GetFirmPlanRequest*,
                                        v1::FirmPlan*) override;
  grpc::ServerUnaryReactor* ListFirmPlans(Ctx*, const v1::ListFirmPlansRequest*,
                                          v1::ListFirmPlansResponse*) override;
  grpc::ServerUnaryReactor* UpdateFirmPlan(Ctx*, const v1::UpdateFirmPlanRequest*,
                                           v1::FirmPlan*) override;
  grpc::ServerUnaryReactor* AddFirmPlanReview(Ctx*, const v1::AddFirmPlanReviewRequest*,
                                              v1::FirmPlan*) override;

  // --- 企业诉求, the calendar and the deadline rules (request_handlers.cc)
  grpc::ServerUnaryReactor* CreateRequest(Ctx*, const v1::CreateRequestRequest*,
                                          v1::Request*) override;
  grpc::ServerUnaryReactor* GetRequest(Ctx*, const v1::GetRequestRequest*, v1::Request*) override;
  grpc::ServerUnaryReactor* ListRequests(Ctx*, const v1::ListRequestsRequest*,
                                         v1::ListRequestsResponse*) override;
  grpc::ServerUnaryReactor* TransitionRequest(Ctx*, const v1::TransitionRequestRequest*,
                                              v1::Request*) override;
  grpc::ServerUnaryReactor* ReplyToRequest(Ctx*, const v1::ReplyToRequestRequest*,
                                           v1::Request*) override;
  grpc::ServerUnaryReactor* SummarizeRequests(Ctx*, const v1::SummarizeRequestsRequest*,
                                              v1::SummarizeRequestsResponse*) override;
  grpc::ServerReadReactor<v1::ImportRowsRequest>* ImportRequests(Ctx*,
                                                                 v1::ImportRowsResponse*) override;
  grpc::ServerUnaryReactor* PutCalendar(Ctx*, const v1::PutCalendarRequest*,
                                        v1::Calendar*) override;
  grpc::ServerUnaryReactor* GetCalendar(Ctx*, const v1::GetCalendarRequest*,
                                        v1::Calendar*) override;
  grpc::ServerUnaryReactor* PutDeadlineRules(Ctx*, const v1::PutDeadlineRulesRequest*,
                                             v1::DeadlineRules*) override;
  grpc::ServerUnaryReactor* GetDeadlineRules(Ctx*, const v1::GetDeadlineRulesRequest*,
                                             v1::DeadlineRules*) override;

  // --- 政策链: policies, items, matching, the ledger (policy_handlers.cc)
  grpc::ServerUnaryReactor* CreatePolicy(Ctx*, const v1::CreatePolicyRequest*,
                                         v1::Policy*) override;
  grpc::ServerUnaryReactor* GetPolicy(Ctx*, const v1::GetPolicyRequest*, v1::Policy*) override;
  grpc::ServerUnaryReactor* ListPolicies(Ctx*, const v1::ListPoliciesRequest*,
                                         v1::ListPoliciesResponse*) override;
  grpc::ServerUnaryReactor* CreatePolicyItem(Ctx*, const v1::CreatePolicyItemRequest*,
                                             v1::PolicyItem*) override;
  grpc::ServerUnaryReactor* GetPolicyItem(Ctx*, const v1::GetPolicyItemRequest*,
                                          v1::PolicyItem*) override;
  grpc::ServerUnaryReactor* ListPolicyItems(Ctx*, const v1::ListPolicyItemsRequest*,
                                            v1::ListPolicyItemsResponse*) override;
  grpc::ServerUnaryReactor* UpdatePolicyItem(Ctx*, const v1::UpdatePolicyItemRequest*,
                                             v1::PolicyItem*) override;
  grpc::ServerReadReactor<v1::ImportRowsRequest>* ImportPolicyItems(
      Ctx*, v1::ImportRowsResponse*) override;
  grpc::ServerUnaryReactor* MatchPolicyItem(Ctx*, const v1::MatchPolicyItemRequest*,
                                            v1::MatchPolicyItemResponse*) override;
  grpc::ServerUnaryReactor* MatchEnterprise(Ctx*, const v1::MatchEnterpriseRequest*,
                                            v1::MatchEnterpriseResponse*) override;
  grpc::ServerUnaryReactor* GeneratePayouts(Ctx*, const v1::GeneratePayoutsRequest*,
                                            v1::GeneratePayoutsResponse*) override;
  grpc::ServerUnaryReactor* ApplyForItem(Ctx*, const v1::ApplyForItemRequest*, v1::Claim*) override;
  grpc::ServerUnaryReactor* DecideClaim(Ctx*, const v1::DecideClaimRequest*, v1::Claim*) override;
  grpc::ServerUnaryReactor* RecordPayment(Ctx*, const v1::RecordPaymentRequest*,
                                          v1::Claim*) override;
  grpc::ServerUnaryReactor* ListClaims(Ctx*, const v1::ListClaimsRequest*,
                                       v1::ListClaimsResponse*) override;
  grpc::ServerUnaryReactor* SummarizePayouts(Ctx*, const v1::SummarizePayoutsRequest*,
                                             v1::PayoutSummary*) override;

  // --- 多链协同 (chain_entry_handlers.cc)
  grpc::ServerUnaryReactor* CreateChainEntry(Ctx*, const v1::CreateChainEntryRequest*,
                                             v1::ChainEntry*) override;
  grpc::ServerUnaryReactor* GetChainEntry(Ctx*, const v1::GetChainEntryRequest*,
                                          v1::ChainEntry*) override;
  grpc::ServerUnaryReactor* ListChainEntries(Ctx*, const v1::ListChainEntriesRequest*,
                                             v1::ListChainEntriesResponse*) override;
  grpc::ServerUnaryReactor* UpdateChainEntry(Ctx*, const v1::UpdateChainEntryRequest*,
                                             v1::ChainEntry*) override;
  grpc::ServerUnaryReactor* MatchOpportunity(Ctx*, const v1::MatchOpportunityRequest*,
                                             v1::MatchOpportunityResponse*) override;

  // --- Supplier spend and 本地配套率 (spend_handlers.cc)
  grpc::ServerUnaryReactor* ReportSupplierSpend(Ctx*, const v1::ReportSupplierSpendRequest*,
                                                v1::SupplierSpend*) override;
  grpc::ServerUnaryReactor* ListSupplierSpend(Ctx*, const v1::ListSupplierSpendRequest*,
                                              v1::ListSupplierSpendResponse*) override;
  grpc::ServerReadReactor<v1::ImportRowsRequest>* ImportSupplierSpend(
      Ctx*, v1::ImportRowsResponse*) override;
  grpc::ServerUnaryReactor* ComputeLocalRate(Ctx*, const v1::ComputeLocalRateRequest*,
                                             v1::LocalRateResponse*) override;

  // --- 规划引领 (chain_plan_handlers.cc)
  grpc::ServerUnaryReactor* CreateChainPlan(Ctx*, const v1::CreateChainPlanRequest*,
                                            v1::ChainPlan*) override;
  grpc::ServerUnaryReactor* GetChainPlan(Ctx*, const v1::GetChainPlanRequest*,
                                         v1::ChainPlan*) override;
  grpc::ServerUnaryReactor* ListChainPlans(Ctx*, const v1::ListChainPlansRequest*,
                                           v1::ListChainPlansResponse*) override;
  grpc::ServerUnaryReactor* UpdateChainPlan(Ctx*, const v1::UpdateChainPlanRequest*,
                                            v1::ChainPlan*) override;
  grpc::ServerUnaryReactor* ListChainPlanVersions(Ctx*, const v1::ListChainPlanVersionsRequest*,
                                                  v1::ListChainPlansResponse*) override;
  grpc::ServerUnaryReactor* PublishChainPlan(Ctx*, const v1::PublishChainPlanRequest*,
                                             v1::ChainPlan*) override;
  grpc::ServerUnaryReactor* ReportPlanProgress(Ctx*, const v1::ReportPlanProgressRequest*,
                                               v1::PlanProgress*) override;
  grpc::ServerUnaryReactor* GetPlanProgress(Ctx*, const v1::GetPlanProgressRequest*,
                                            v1::PlanProgress*) override;

  // --- Figures and audit (support_service.cc, export_handlers.cc)
  grpc::ServerUnaryReactor* ExportFigures(Ctx*, const v1::ExportFiguresRequest*,
                                          v1::ExportFiguresResponse*) override;
  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;
  // Runs `fn` in one write transaction; wakes the relay after the commit.
  absl::Status Mutate(const std::function<absl::Status(SqlTx&)>& fn);
  absl::Status ReadTx(const std::function<absl::Status(SqlTx&)>& fn);

  Store* store() const { return store_; }
  const Clock& clock() const { return clock_; }
  const SupportPeers& peers() const { return peers_; }

 private:
  Store* store_;
  OutboxRelay* relay_;
  const Clock& clock_;
  SupportPeers peers_;
  SupportServiceOptions options_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = true;
  std::thread sweeper_;
};

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_SUPPORT_SERVICE_H_
