// How chainctl's notify verbs reach chainhub.notify.v1.Notifier: the connection (on
// --notify_target, else --target) and its stub.
#ifndef CHAINHUB_TOOLS_CHAINCTL_NOTIFY_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_NOTIFY_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "tools/chainctl/command_line.h"
#include "tools/chainctl/service_client.h"

namespace chainhub::chainctl {

class NotifyClient : public ServiceClient<notify::v1::Notifier> {
 public:
  static absl::StatusOr<std::unique_ptr<NotifyClient>> Open(const CommandLine& cmd) {
    auto c = std::make_unique<NotifyClient>();
    CHAINHUB_RETURN_IF_ERROR(
        c->OpenOn(cmd.client, cmd.notify_target, "--notify_target (CHAINHUB_NOTIFY_TARGET)"));
    return c;
  }
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_NOTIFY_CLIENT_H_
