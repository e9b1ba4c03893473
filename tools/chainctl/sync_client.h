// How chainctl's sync verbs reach chainhub.sync.v1.ProvinceSync: the connection (on
// --sync_target, else --target) and its stub.
#ifndef CHAINHUB_TOOLS_CHAINCTL_SYNC_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_SYNC_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "tools/chainctl/command_line.h"
#include "tools/chainctl/service_client.h"

namespace chainhub::chainctl {

class SyncClient : public ServiceClient<sync::v1::ProvinceSync> {
 public:
  static absl::StatusOr<std::unique_ptr<SyncClient>> Open(const CommandLine& cmd) {
    auto c = std::make_unique<SyncClient>();
    CHAINHUB_RETURN_IF_ERROR(
        c->OpenOn(cmd.client, cmd.sync_target, "--sync_target (CHAINHUB_SYNC_TARGET)"));
    return c;
  }
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SYNC_CLIENT_H_
