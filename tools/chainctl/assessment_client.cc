#include "tools/chainctl/assessment_client.h"

#include "common/base/status_util.h"

namespace chainhub::chainctl {

absl::StatusOr<std::unique_ptr<AssessmentClient>> AssessmentClient::Open(const CommandLine& cmd) {
  ClientOptions options = cmd.client;
  if (!cmd.assessment_target.empty()) options.target = cmd.assessment_target;
  options.registry_target.clear();
  auto c = std::unique_ptr<AssessmentClient>(new AssessmentClient);
  CHAINHUB_ASSIGN_OR_RETURN(c->connection_, Connection::Open(options, options.target));
  c->stub_ = assessment::v1::Assessment::NewStub(c->connection_->channel());
  return c;
}

}  // namespace chainhub::chainctl
