// list_projects: an uncached SQL read of the intake's project library.
#include "chainhub/intake/v1/intake.pb.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {
namespace {

namespace iv1 = intake::v1;

// About 1 project in 9 of the library matches.
constexpr char kProjectListFilter[] = "chain = \"pv\" AND size_band = \"1E9_TO_2E9\"";

Workload ListProjects(const WorkloadContext&) {
  Workload w;
  w.spec.method = absl::StrCat(kIntakeService, "ListProjects");
  w.spec.make_request = [](uint64_t) {
    iv1::ListProjectsRequest request;
    request.set_filter(kProjectListFilter);
    request.set_page_size(kListPageSize);
    return ToByteBuffer(request);
  };
  w.spec.check_response =
      Checking<iv1::ListProjectsResponse>([](const auto& response) -> std::string {
        if (response.projects_size() != kListPageSize) {
          return absl::StrCat("a page of ", response.projects_size(), " projects (not loaded?)");
        }
        return "";
      });
  w.spec.check_every = 64;
  return w;
}

}  // namespace

std::vector<WorkloadRow> IntakeReadWorkloads() {
  return {{.name = "list_projects", .target = Target::kIntake, .make = ListProjects}};
}

}  // namespace chainhub::bench
