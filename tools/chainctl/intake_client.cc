#include "tools/chainctl/intake_client.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "tools/chainctl/arguments.h"
#include "tools/chainctl/cli_util.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {

namespace iv1 = intake::v1;

absl::StatusOr<std::unique_ptr<IntakeClient>> IntakeClient::Open(const CommandLine& cmd) {
  auto c = std::unique_ptr<IntakeClient>(new IntakeClient);
  CHAINHUB_ASSIGN_OR_RETURN(c->connection_,
                            Connection::OpenService(cmd.client, cmd.intake_target,
                                                    "--intake_target (CHAINHUB_INTAKE_TARGET)"));
  c->stub_ = iv1::ProjectIntake::NewStub(c->connection_->channel());
  return c;
}

absl::StatusOr<iv1::Project> ResolveProject(IntakeClient& intake, const std::string& arg) {
  if (tools::InCollection(arg, tools::ProjectName::kPattern)) {
    iv1::GetProjectRequest req;
    req.set_name(arg);
    iv1::Project project;
    grpc::Status status = intake.Call(&iv1::ProjectIntake::Stub::GetProject, req, &project);
    if (!status.ok()) return FromGrpcStatus(status);
    return project;
  }
  if (!IsExternalId(arg)) {
    return InvalidField("NAME", absl::StrCat("must be projects/{id} or an external id (1-64 of "
                                             "A-Z a-z 0-9 . _ -), got '",
                                             arg, "'"));
  }
  iv1::ListProjectsRequest req;
  req.set_filter(absl::StrCat("external_id = \"", arg, "\""));
  req.set_page_size(2);
  iv1::ListProjectsResponse resp;
  grpc::Status status = intake.Call(&iv1::ProjectIntake::Stub::ListProjects, req, &resp);
  if (!status.ok()) return FromGrpcStatus(status);
  if (resp.projects_size() == 0) {
    return absl::NotFoundError(absl::StrCat("no project with external_id \"", arg,
                                            "\" (give projects/{id} for a project without one)"));
  }
  return resp.projects(0);
}

int ReportResolveError(const absl::Status& status, const IntakeClient& intake, std::ostream& err) {
  const std::vector<FieldViolation> v = FieldViolationsOf(status);
  if (!v.empty() && v[0].field == "NAME") return Usage(err, status.message());
  PrintError(status, err, &intake.options());
  return kExitRpcError;
}

}  // namespace chainhub::chainctl
