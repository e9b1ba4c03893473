// How chainctl's assessment verbs reach chainhub.assessment.v1.Assessment: the connection (on
// --assessment_target, else --target) and its stub.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_CLIENT_H_

#include <memory>

#include "absl/status/statusor.h"
#include "chainhub/assessment/v1/assessment.grpc.pb.h"
#include "tools/chainctl/client.h"
#include "tools/chainctl/command_line.h"

namespace chainhub::chainctl {

class AssessmentClient {
 public:
  using Stub = assessment::v1::Assessment::Stub;

  // The options name assessment's address, so that an UNAVAILABLE hint points at the right place.
  static absl::StatusOr<std::unique_ptr<AssessmentClient>> Open(const CommandLine& cmd);

  Connection& connection() { return *connection_; }
  Stub& stub() { return *stub_; }
  const ClientOptions& options() const { return connection_->options(); }

  // One unary call with the connection's token and deadline.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*rpc)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response) {
    return CallUnary(*connection_, *stub_, rpc, request, response);
  }

 private:
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<Stub> stub_;
};

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_CLIENT_H_
