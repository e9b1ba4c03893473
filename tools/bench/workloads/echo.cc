// echo: the bare gRPC ceiling of the machine, on chainhub-echo.
#include "chainhub/bench/v1/echo.pb.h"
#include "tools/bench/workloads/groups.h"

namespace chainhub::bench {
namespace {

constexpr int kEchoPayloadBytes = 100;

Workload Echo(const WorkloadContext&) {
  Workload w;
  w.spec.method = "/chainhub.bench.v1.Echo/Echo";
  const std::string payload(kEchoPayloadBytes, 'x');
  w.spec.make_request = [payload](uint64_t) {
    bench::v1::EchoRequest request;
    request.set_payload(payload);
    return ToByteBuffer(request);
  };
  w.spec.check_response =
      Checking<bench::v1::EchoResponse>([](const auto& response) -> std::string {
        if (response.payload().size() != kEchoPayloadBytes) return "payload not echoed";
        return "";
      });
  w.spec.check_every = 64;
  return w;
}

}  // namespace

std::vector<WorkloadRow> EchoWorkloads() {
  return {{.name = "echo", .target = Target::kEcho, .make = Echo}};
}

}  // namespace chainhub::bench
