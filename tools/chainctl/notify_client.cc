#include "tools/chainctl/notify_client.h"

#include "common/base/status_util.h"

namespace chainhub::chainctl {

absl::StatusOr<std::unique_ptr<NotifyClient>> NotifyClient::Open(const CommandLine& cmd) {
  auto c = std::unique_ptr<NotifyClient>(new NotifyClient);
  CHAINHUB_ASSIGN_OR_RETURN(c->connection_,
                            Connection::OpenService(cmd.client, cmd.notify_target,
                                                    "--notify_target (CHAINHUB_NOTIFY_TARGET)"));
  c->stub_ = notify::v1::Notifier::NewStub(c->connection_->channel());
  return c;
}

}  // namespace chainhub::chainctl
