// A service's connection and stub, for the verbs of a service that has its own target flag
// (notify on --notify_target, sync on --sync_target; --target when unset).
#ifndef CHAINHUB_TOOLS_CHAINCTL_SERVICE_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_SERVICE_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/base/status_util.h"
#include "tools/chainctl/client.h"

namespace chainhub::chainctl {

template <typename Service>
class ServiceClient {
 public:
  using Stub = typename Service::Stub;

  Connection& connection() { return *connection_; }
  Stub& stub() { return *stub_; }

 protected:
  // Opens `target` (else --target); `flag` names the target flag in a "not running" hint.
  absl::Status OpenOn(const ClientOptions& client, const std::string& target,
                      absl::string_view flag) {
    CHAINHUB_ASSIGN_OR_RETURN(connection_, Connection::OpenService(client, target, flag));
    stub_ = Service::NewStub(connection_->channel());
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SERVICE_CLIENT_H_
