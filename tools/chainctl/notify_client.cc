#include "tools/chainctl/notify_client.h"

#include "common/base/status_util.h"

namespace chainhub::chainctl {

absl::StatusOr<std::unique_ptr<NotifyClient>> NotifyClient::Open(const CommandLine& cmd) {
  ClientOptions options = cmd.client;
  if (!cmd.notify_target.empty()) options.target = cmd.notify_target;
  options.registry_target.clear();
  auto c = std::unique_ptr<NotifyClient>(new NotifyClient);
  CHAINHUB_ASSIGN_OR_RETURN(c->connection_, Connection::Open(options, options.target));
  c->stub_ = notify::v1::Notifier::NewStub(c->connection_->channel());
  return c;
}

}  // namespace chainhub::chainctl
