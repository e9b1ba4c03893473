// How chainctl's notify verbs reach chainhub.notify.v1.Notifier: the connection (on
// --notify_target, else --target) and its stub.
#ifndef CHAINHUB_TOOLS_CHAINCTL_NOTIFY_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_NOTIFY_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "tools/chainctl/client.h"
#include "tools/chainctl/command_line.h"

namespace chainhub::chainctl {

class NotifyClient {
 public:
  using Stub = notify::v1::Notifier::Stub;

  static absl::StatusOr<std::unique_ptr<NotifyClient>> Open(const CommandLine& cmd);

  Connection& connection() { return *connection_; }
  Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_NOTIFY_CLIENT_H_
