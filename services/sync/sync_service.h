// chainhub.sync.v1.ProvinceSync: snapshots and the change feed of sync's records, the push agent's
// state and controls, reconciliation; and the handlers of the `sync` consumer group that keep the
// records (docs/province-sync.md).
#ifndef CHAINHUB_SERVICES_SYNC_SYNC_SERVICE_H_
#define CHAINHUB_SERVICES_SYNC_SYNC_SERVICE_H_

#include <memory>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/event_consumer.h"
#include "common/store/store.h"
#include "services/sync/feed_hub.h"
#include "services/sync/province_client.h"
#include "services/sync/push_agent.h"

namespace chainhub::sync {

struct SyncServiceOptions {
  FeedHub::Options feed;
  // How often the list in force is checked (the taxonomy switch).
  absl::Duration switch_check = absl::Minutes(1);
};

class SyncService final : public v1::ProvinceSync::CallbackService {
 public:
  // `client` and `push` are not owned; `clock` tells today's date (the list in force) and stamps
  // changes.
  SyncService(Store* store, ProvinceClient* client, PushAgent* push, const Clock& clock,
              SyncServiceOptions options = {});
  ~SyncService() override;

  // The handlers of the `sync` consumer group.
  EventHandlers Handlers();
  // After the consumer commits: new changes for the feeds and the push.
  void Committed();
  // Expresses chains and enterprises in the list in force today, once per list (also run every
  // switch_check by the thread Start starts). Returns how many records changed.
  absl::StatusOr<int64_t> ExpressInTodaysList();
  void Start();
  // Ends the change feeds and stops the switch check.
  void Stop();

  using Ctx = grpc::CallbackServerContext;
  grpc::ServerWriteReactor<v1::SnapshotChunk>* GetSnapshot(Ctx*,
                                                          const v1::GetSnapshotRequest*) override;
  grpc::ServerWriteReactor<v1::ChangeBatch>* WatchChanges(Ctx*,
                                                         const v1::WatchChangesRequest*) override;
  grpc::ServerUnaryReactor* GetPushStatus(Ctx*, const v1::GetPushStatusRequest*,
                                          v1::PushStatus*) override;
  grpc::ServerUnaryReactor* ListPushes(Ctx*, const v1::ListPushesRequest*,
                                       v1::ListPushesResponse*) override;
  grpc::ServerUnaryReactor* PausePush(Ctx*, const v1::PausePushRequest*, v1::PushStatus*) override;
  grpc::ServerUnaryReactor* ResumePush(Ctx*, const v1::ResumePushRequest*,
                                       v1::PushStatus*) override;
  grpc::ServerUnaryReactor* Reconcile(Ctx*, const v1::ReconcileRequest*,
                                      v1::ReconcileResponse*) override;
  grpc::ServerWriteReactor<v1::ExportChunk>* Export(Ctx*, const v1::ExportRequest*) override;
  grpc::ServerUnaryReactor* ListAuditEvents(Ctx*, const common::v1::ListAuditEventsRequest*,
                                            common::v1::ListAuditEventsResponse*) override;

 private:
  Store* store_;
  ProvinceClient* client_;
  PushAgent* push_;
  const Clock& clock_;
  SyncServiceOptions options_;
  FeedHub feed_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread switcher_;
};

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_SYNC_SERVICE_H_
