// batch_upsert: the registry's durable write path.
#include <algorithm>

#include "chainhub/registry/v1/registry.pb.h"
#include "tools/bench/data_set.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {
namespace {

namespace rv1 = registry::v1;

constexpr int kUpsertRowsPerCall = 100;

Workload BatchUpsert(const WorkloadContext& context) {
  Workload w;
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/BatchUpsertEnterprises";
  // Rows overwrite a window that rotates over the seeded set, so the table keeps its size and
  // every call is a real update of existing rows.
  const int rows = std::max(1, std::min(kUpsertRowsPerCall, context.enterprises));
  const int set_size = std::max(1, context.enterprises);
  w.spec.make_request = [rows, set_size, run_id = context.run_id](uint64_t seq) {
    rv1::BatchUpsertEnterprisesRequest request;
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    const uint64_t first = (seq * static_cast<uint64_t>(rows)) % static_cast<uint64_t>(set_size);
    for (int k = 0; k < rows; ++k) {
      const int index = static_cast<int>((first + static_cast<uint64_t>(k)) % set_size);
      *request.add_enterprises() = SyntheticEnterprise(index, static_cast<int64_t>(seq) + 1);
    }
    return ToByteBuffer(request);
  };
  w.spec.check_response =
      Checking<rv1::BatchUpsertEnterprisesResponse>([rows](const auto& response) -> std::string {
        if (response.failed_count() > 0) {
          for (const auto& r : response.results()) {
            if (r.code() != 0) {
              return absl::StrCat(response.failed_count(), " rows failed, first: ", r.message());
            }
          }
        }
        if (response.created_count() + response.updated_count() != rows) {
          return absl::StrCat("wrote ", response.created_count() + response.updated_count(), " of ",
                              rows, " rows");
        }
        return "";
      });
  w.spec.check_every = 1;
  return w;
}

}  // namespace

std::vector<WorkloadRow> RegistryWriteWorkloads() {
  return {{.name = "batch_upsert", .target = Target::kRegistry, .make = BatchUpsert}};
}

}  // namespace chainhub::bench
