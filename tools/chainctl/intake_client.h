// How chainctl's intake verbs reach chainhub.intake.v1.ProjectIntake: the connection (on
// --intake_target, else --target) and its stub, and a project found by the name or the external id
// an operator gives.
#ifndef CHAINHUB_TOOLS_CHAINCTL_INTAKE_CLIENT_H_
#define CHAINHUB_TOOLS_CHAINCTL_INTAKE_CLIENT_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "tools/chainctl/client.h"
#include "tools/chainctl/command_line.h"

namespace chainhub::chainctl {

class IntakeClient {
 public:
  // The options name intake's address, so that an UNAVAILABLE hint points at the right place.
  static absl::StatusOr<std::unique_ptr<IntakeClient>> Open(const CommandLine& cmd);

  Connection& connection() { return *connection_; }
  intake::v1::ProjectIntake::Stub& stub() { return *stub_; }
  const ClientOptions& options() const { return connection_->options(); }

  // One unary call with the connection's token and deadline.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (intake::v1::ProjectIntake::Stub::*rpc)(grpc::ClientContext*,
                                                                         const Request&, Response*),
                    const Request& request, Response* response) {
    return CallUnary(*connection_, *stub_, rpc, request, response);
  }

 private:
  std::unique_ptr<Connection> connection_;
  std::unique_ptr<intake::v1::ProjectIntake::Stub> stub_;
};

// A project by projects/{id}, or by its external_id (ListProjects filter external_id = "…").
// INVALID_ARGUMENT on field NAME when `arg` can be neither.
absl::StatusOr<intake::v1::Project> ResolveProject(IntakeClient& intake, const std::string& arg);

// A failed ResolveProject: a NAME that cannot be a project is a usage error (exit 1), anything
// else came from intake (exit 2).
int ReportResolveError(const absl::Status& status, const IntakeClient& intake, std::ostream& err);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_INTAKE_CLIENT_H_
