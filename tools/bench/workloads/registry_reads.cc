// get_chain, get_chain_map, list_enterprises: the registry's point read, cached aggregate and
// uncached SQL list.
#include "chainhub/registry/v1/registry.pb.h"
#include "tools/bench/data_set.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {
namespace {

namespace rv1 = registry::v1;

constexpr char kListFilter[] = "chain = \"pv\" AND label = \"ABOVE_SIZE\"";

Workload GetChain(const WorkloadContext&) {
  Workload w;
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/GetChain";
  w.spec.make_request = [chain = BenchChain()](uint64_t) {
    rv1::GetChainRequest request;
    request.set_name(chain);
    return ToByteBuffer(request);
  };
  w.spec.check_response =
      Checking<rv1::Chain>([chain = BenchChain()](const auto& got) -> std::string {
        if (got.name() != chain) return absl::StrCat("got chain '", got.name(), "'");
        return "";
      });
  w.spec.check_every = 64;
  return w;
}

Workload GetChainMap(const WorkloadContext&) {
  Workload w;
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/GetChainMap";
  w.spec.make_request = [chain = BenchChain()](uint64_t) {
    rv1::GetChainMapRequest request;
    request.set_name(chain);
    return ToByteBuffer(request);
  };
  w.spec.check_response = Checking<rv1::ChainMap>([](const auto& map) -> std::string {
    if (map.roots().empty()) return "the chain map has no nodes (not seeded?)";
    return "";
  });
  w.spec.check_every = 64;
  return w;
}

Workload ListEnterprises(const WorkloadContext&) {
  Workload w;
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/ListEnterprises";
  w.spec.make_request = [](uint64_t) {
    rv1::ListEnterprisesRequest request;
    request.set_filter(kListFilter);
    request.set_page_size(kListPageSize);
    return ToByteBuffer(request);
  };
  w.spec.check_response =
      Checking<rv1::ListEnterprisesResponse>([](const auto& response) -> std::string {
        if (response.enterprises().empty()) return "empty page (not seeded?)";
        return "";
      });
  w.spec.check_every = 64;
  return w;
}

}  // namespace

std::vector<WorkloadRow> RegistryReadWorkloads() {
  return {{.name = "get_chain", .target = Target::kRegistry, .make = GetChain},
          {.name = "get_chain_map", .target = Target::kRegistry, .make = GetChainMap},
          {.name = "list_enterprises", .target = Target::kRegistry, .make = ListEnterprises}};
}

}  // namespace chainhub::bench
