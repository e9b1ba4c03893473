// The caller's inbox as a stream: WatchInbox. The request is checked on a worker; the catch-up and
// the live feed are the InboxWatchHub's (watch_hub.h).
#include "common/base/status_util.h"
#include "common/rpc/server_stream.h"
#include "common/service/resource.h"
#include "services/notify/notify_service.h"
#include "services/notify/watch.h"

namespace chainhub::notify {

namespace {

// Messages waiting for a watcher before it leaves the live feed and is fed from the store.
constexpr size_t kWatchQueueLimit = 1024;

}  // namespace

grpc::ServerWriteReactor<v1::WatchInboxResponse>* NotifyService::WatchInbox(
    Ctx* ctx, const v1::WatchInboxRequest* req) {
  auto* stream = new ServerStream<v1::WatchInboxResponse>(ctx, kWatchQueueLimit);
  return stream->Serve(
      [=, this, writer = stream->writer()](const AuthorizedCall& call) -> absl::Status {
        CHAINHUB_RETURN_IF_ERROR(RequireReader(call));
        CHAINHUB_ASSIGN_OR_RETURN(InboxWatch watch, CheckWatchRequest(*req, call.principal));
        return watch_hub_->Watch(watch, writer);
      });
}

void NotifyService::DrainWatches() { watch_hub_->Drain(); }

}  // namespace chainhub::notify
