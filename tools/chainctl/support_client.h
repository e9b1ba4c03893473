// How chainctl's support verbs reach chainhub.support.v1.ChainSupport: the connection (on
// --support_target, else --target) and its stub.
#ifndef CHAINHUB_TOOLS_CHAINCTL_SUPPORT_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_SUPPORT_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "chainhub/support/v1/support.grpc.pb.h"
#include "tools/chainctl/command_line.h"
#include "tools/chainctl/service_client.h"

namespace chainhub::chainctl {

class SupportClient : public ServiceClient<support::v1::ChainSupport> {
 public:
  static absl::StatusOr<std::unique_ptr<SupportClient>> Open(const CommandLine& cmd) {
    auto c = std::make_unique<SupportClient>();
    CHAINHUB_RETURN_IF_ERROR(
        c->OpenOn(cmd.client, cmd.support_target, "--support_target (CHAINHUB_SUPPORT_TARGET)"));
    return c;
  }
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SUPPORT_CLIENT_H_
