#include "services/support/support_service.h"

#include <utility>

#include "common/base/log.h"
#include "common/base/status_util.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/service/audit.h"
#include "services/support/enterprises.h"

namespace chainhub::support {

namespace {

EventHandler ApplyEnterprise(bool deleted) {
  return [deleted](SqlTx& tx, const CloudEvent& event) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(auto enterprise, UnpackPayload<registry::v1::Enterprise>(event));
    return EnterpriseCopy(tx).Apply(enterprise, deleted);
  };
}

}  // namespace

SupportService::SupportService(Store* store, OutboxRelay* relay, const Clock& clock,
                               SupportPeers peers, SupportServiceOptions options)
    : store_(store),
      relay_(relay),
      clock_(clock),
      peers_(std::move(peers)),
      options_(options) {}

SupportService::~SupportService() { Stop(); }

absl::Status SupportService::Mutate(const std::function<absl::Status(SqlTx&)>& fn) {
  CHAINHUB_RETURN_IF_ERROR(store_->Write(fn));
  if (relay_ != nullptr) relay_->Notify();
  return absl::OkStatus();
}

absl::Status SupportService::ReadTx(const std::function<absl::Status(SqlTx&)>& fn) {
  return store_->Read(fn);
}

EventHandlers SupportService::Handlers() {
  namespace reg = registry::v1;
  return {
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_CREATED), ApplyEnterprise(false)},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_UPDATED), ApplyEnterprise(false)},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_DELETED), ApplyEnterprise(true)},
  };
}

void SupportService::Start() {
  {
    absl::MutexLock lock(&mu_);
    if (!stop_) return;
    stop_ = false;
  }
  sweeper_ = std::thread([this] {
    while (true) {
      if (auto swept = SweepRequests(); !swept.ok()) {
        LogWarn("request sweep failed", {{"error", std::string(swept.status().message())}});
      }
      if (auto made = RunAutomaticPayouts(); !made.ok()) {
        LogWarn("automatic payouts failed", {{"error", std::string(made.status().message())}});
      }
      absl::MutexLock lock(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), options_.sweep_interval)) return;
    }
  });
}

void SupportService::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (sweeper_.joinable()) sweeper_.join();
}

grpc::ServerUnaryReactor* SupportService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::support
