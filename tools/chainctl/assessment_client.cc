#include "tools/chainctl/assessment_client.h"

#include "common/base/status_util.h"

namespace chainhub::chainctl {

absl::StatusOr<std::unique_ptr<AssessmentClient>> AssessmentClient::Open(const CommandLine& cmd) {
  auto c = std::unique_ptr<AssessmentClient>(new AssessmentClient);
  CHAINHUB_ASSIGN_OR_RETURN(
      c->connection_,
      Connection::OpenService(cmd.client, cmd.assessment_target,
                              "--assessment_target (CHAINHUB_ASSESSMENT_TARGET)"));
  c->stub_ = assessment::v1::Assessment::NewStub(c->connection_->channel());
  return c;
}

}  // namespace chainhub::chainctl
