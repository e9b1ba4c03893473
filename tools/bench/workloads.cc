#include "tools/bench/workloads.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/bench/v1/echo.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/credit_code.h"

namespace chainhub::bench {
namespace {

namespace rv1 = registry::v1;

constexpr std::array<const char*, 8> kCounties = {"琅琊区", "南谯区", "来安县", "全椒县",
                                                  "定远县", "凤阳县", "天长市", "明光市"};
constexpr std::array<const char*, 4> kParks = {"滁州经济技术开发区", "苏滁现代产业园",
                                               "来安汊河经济开发区", "全椒经济开发区"};

constexpr int kSeedTimeoutSeconds = 60;

grpc::ClientContext* Prepare(grpc::ClientContext* context, const std::string& authorization) {
  if (!authorization.empty()) context->AddMetadata("authorization", authorization);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(kSeedTimeoutSeconds));
  return context;
}

// OK, or ALREADY_EXISTS (an earlier seed made it): both leave the object there.
absl::Status CreatedOrThere(const grpc::Status& status, absl::string_view what) {
  if (status.ok() || status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    return absl::OkStatus();
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      absl::StrCat("seeding ", what, ": ", status.error_message()));
}

std::string NodeName(absl::string_view id) { return absl::StrCat(kBenchChain, "/nodes/", id); }

template <typename Response>
std::string CheckParses(const grpc::ByteBuffer& buffer, Response* response) {
  if (!FromByteBuffer(buffer, response)) {
    return absl::StrCat("response is not a ", Response::descriptor()->full_name());
  }
  return "";
}

Workload EchoWorkload() {
  Workload w{"echo", Target::kEcho, {}};
  w.spec.method = "/chainhub.bench.v1.Echo/Echo";
  const std::string payload(kEchoPayloadBytes, 'x');
  w.spec.make_request = [payload](uint64_t) {
    bench::v1::EchoRequest request;
    request.set_payload(payload);
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    bench::v1::EchoResponse response;
    if (std::string e = CheckParses(buffer, &response); !e.empty()) return e;
    if (response.payload().size() != kEchoPayloadBytes) return "payload not echoed";
    return "";
  };
  w.spec.check_every = 64;
  return w;
}

Workload GetChainWorkload() {
  Workload w{"get_chain", Target::kRegistry, {}};
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/GetChain";
  w.spec.make_request = [](uint64_t) {
    rv1::GetChainRequest request;
    request.set_name(kBenchChain);
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    rv1::Chain chain;
    if (std::string e = CheckParses(buffer, &chain); !e.empty()) return e;
    if (chain.name() != kBenchChain) return absl::StrCat("got chain '", chain.name(), "'");
    return "";
  };
  w.spec.check_every = 64;
  return w;
}

Workload GetChainMapWorkload() {
  Workload w{"get_chain_map", Target::kRegistry, {}};
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/GetChainMap";
  w.spec.make_request = [](uint64_t) {
    rv1::GetChainMapRequest request;
    request.set_name(kBenchChain);
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    rv1::ChainMap map;
    if (std::string e = CheckParses(buffer, &map); !e.empty()) return e;
    if (map.roots().empty()) return "the chain map has no nodes (not seeded?)";
    return "";
  };
  w.spec.check_every = 64;
  return w;
}

Workload ListEnterprisesWorkload() {
  Workload w{"list_enterprises", Target::kRegistry, {}};
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/ListEnterprises";
  w.spec.make_request = [](uint64_t) {
    rv1::ListEnterprisesRequest request;
    request.set_filter(kListFilter);
    request.set_page_size(kListPageSize);
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    rv1::ListEnterprisesResponse response;
    if (std::string e = CheckParses(buffer, &response); !e.empty()) return e;
    if (response.enterprises().empty()) return "empty page (not seeded?)";
    return "";
  };
  w.spec.check_every = 64;
  return w;
}

Workload BatchUpsertWorkload(int enterprises, const std::string& run_id) {
  Workload w{"batch_upsert", Target::kRegistry, {}};
  w.spec.method = "/chainhub.registry.v1.ChainRegistry/BatchUpsertEnterprises";
  // Rows overwrite a window that rotates over the seeded set, so the table keeps its size and
  // every call is a real update of existing rows.
  const int rows = std::max(1, std::min(kUpsertRowsPerCall, enterprises));
  const int set_size = std::max(1, enterprises);
  w.spec.make_request = [rows, set_size, run_id](uint64_t seq) {
    rv1::BatchUpsertEnterprisesRequest request;
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    const uint64_t first = (seq * static_cast<uint64_t>(rows)) % static_cast<uint64_t>(set_size);
    for (int k = 0; k < rows; ++k) {
      const int index = static_cast<int>((first + static_cast<uint64_t>(k)) % set_size);
      *request.add_enterprises() = SyntheticEnterprise(index, static_cast<int64_t>(seq) + 1);
    }
    return ToByteBuffer(request);
  };
  w.spec.check_response = [rows](const grpc::ByteBuffer& buffer) -> std::string {
    rv1::BatchUpsertEnterprisesResponse response;
    if (std::string e = CheckParses(buffer, &response); !e.empty()) return e;
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
  };
  w.spec.check_every = 1;
  return w;
}

}  // namespace

const std::vector<MapNodeSpec>& PvMapNodes() {
  static const std::vector<MapNodeSpec>* nodes = new std::vector<MapNodeSpec>{
      {"materials", "原材料", rv1::SEGMENT_UPSTREAM, "", 0},
      {"polysilicon", "多晶硅", rv1::SEGMENT_UPSTREAM, "materials", 0},
      {"wafer", "硅片", rv1::SEGMENT_UPSTREAM, "materials", 1},
      {"glass", "光伏玻璃", rv1::SEGMENT_UPSTREAM, "materials", 2},
      {"cells", "电池片", rv1::SEGMENT_MIDSTREAM, "", 0},
      {"topcon", "TOPCon电池", rv1::SEGMENT_MIDSTREAM, "cells", 0},
      {"hjt", "异质结电池", rv1::SEGMENT_MIDSTREAM, "cells", 1},
      {"modules", "光伏组件", rv1::SEGMENT_MIDSTREAM, "", 1},
      {"inverters", "逆变器", rv1::SEGMENT_MIDSTREAM, "", 2},
      {"applications", "光伏应用", rv1::SEGMENT_DOWNSTREAM, "", 0},
      {"utility-plants", "集中式电站", rv1::SEGMENT_DOWNSTREAM, "applications", 0},
      {"distributed", "分布式光伏", rv1::SEGMENT_DOWNSTREAM, "applications", 1},
  };
  return *nodes;
}

rv1::Enterprise SyntheticEnterprise(int index, int64_t revision) {
  const std::string first17 = absl::StrFormat("91341100MA%07d", index % 10'000'000);
  const std::optional<char> check = CreditCodeCheckChar(first17);
  const std::string code = first17 + std::string(1, check.value_or('0'));
  rv1::Enterprise e;
  e.set_name("enterprises/" + code);
  e.set_credit_code(code);
  e.set_display_name(absl::StrCat("滁州基准样本光伏科技有限公司第", index, "号"));
  e.set_county(kCounties[static_cast<size_t>(index) % kCounties.size()]);
  e.set_park(kParks[static_cast<size_t>(index) % kParks.size()]);
  // Labels in enum order, each at most once.
  if (index % 97 == 0) e.add_labels(rv1::ENTERPRISE_LABEL_CHAIN_OWNER);
  if (index % 31 == 0) e.add_labels(rv1::ENTERPRISE_LABEL_HEAD);
  if (index % 5 < 3) e.add_labels(rv1::ENTERPRISE_LABEL_ABOVE_SIZE);
  if (index % 7 == 0) e.add_labels(rv1::ENTERPRISE_LABEL_SPECIALIZED);
  if (index % 4 == 1) e.add_labels(rv1::ENTERPRISE_LABEL_HIGH_TECH);
  e.set_annual_output_yuan(static_cast<int64_t>(index % 100 + 1) * 10'000'000 + revision);
  const auto& nodes = PvMapNodes();
  e.add_memberships(NodeName(nodes[static_cast<size_t>(index) % nodes.size()].id));
  e.set_synthetic(true);
  return e;
}

absl::Status SeedRegistry(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& authorization, int enterprises, std::ostream& log) {
  auto stub = rv1::ChainRegistry::NewStub(channel);
  {
    rv1::CreateDepartmentRequest request;
    request.set_department_id("fgw");
    request.mutable_department()->set_display_name("市发展和改革委员会");
    request.mutable_department()->set_short_name("市发改委");
    grpc::ClientContext context;
    rv1::Department response;
    if (auto s = CreatedOrThere(
            stub->CreateDepartment(Prepare(&context, authorization), request, &response),
            "departments/fgw");
        !s.ok()) {
      return s;
    }
  }
  struct ChainSpec {
    const char* id;
    const char* display_name;
    const char* english_name;
  };
  for (const ChainSpec& c : {ChainSpec{"pv", "光伏", "photovoltaics"},
                             ChainSpec{"semiconductor", "半导体", "semiconductors"}}) {
    rv1::CreateChainRequest request;
    request.set_chain_id(c.id);
    rv1::Chain* chain = request.mutable_chain();
    chain->set_display_name(c.display_name);
    chain->set_english_name(c.english_name);
    chain->set_status(rv1::CHAIN_STATUS_ACTIVE);
    chain->set_lead_department("departments/fgw");
    grpc::ClientContext context;
    rv1::Chain response;
    if (auto s =
            CreatedOrThere(stub->CreateChain(Prepare(&context, authorization), request, &response),
                           absl::StrCat("chains/", c.id));
        !s.ok()) {
      return s;
    }
  }
  for (const MapNodeSpec& n : PvMapNodes()) {
    rv1::CreateNodeRequest request;
    request.set_parent(kBenchChain);
    request.set_node_id(n.id);
    rv1::Node* node = request.mutable_node();
    node->set_display_name(n.display_name);
    node->set_segment(n.segment);
    if (*n.parent_id != '\0') node->set_parent(NodeName(n.parent_id));
    node->set_order(n.order);
    grpc::ClientContext context;
    rv1::Node response;
    if (auto s = CreatedOrThere(
            stub->CreateNode(Prepare(&context, authorization), request, &response), NodeName(n.id));
        !s.ok()) {
      return s;
    }
  }
  log << "seeded departments/fgw, chains/pv (" << PvMapNodes().size()
      << " nodes), chains/semiconductor" << std::endl;

  const std::string run = absl::StrCat(absl::ToUnixMicros(absl::Now()));
  int written = 0;
  for (int first = 0; first < enterprises; first += kSeedRowsPerCall) {
    rv1::BatchUpsertEnterprisesRequest request;
    request.set_request_id(absl::StrCat("bench-seed-", run, "-", first));
    for (int i = first; i < std::min(enterprises, first + kSeedRowsPerCall); ++i) {
      *request.add_enterprises() = SyntheticEnterprise(i, 0);
    }
    grpc::ClientContext context;
    rv1::BatchUpsertEnterprisesResponse response;
    grpc::Status status =
        stub->BatchUpsertEnterprises(Prepare(&context, authorization), request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("seeding enterprises: ", status.error_message()));
    }
    if (response.failed_count() > 0) {
      std::string first_message;
      for (const auto& r : response.results()) {
        if (r.code() != 0) {
          first_message = r.message();
          break;
        }
      }
      return absl::InternalError(absl::StrCat("seeding enterprises: ", response.failed_count(),
                                              " rows refused, first: ", first_message));
    }
    written += response.created_count() + response.updated_count();
  }
  log << "seeded " << written << " synthetic enterprises on chains/pv" << std::endl;
  return absl::OkStatus();
}

const std::vector<std::string>& KnownWorkloads() {
  static const std::vector<std::string>* names = new std::vector<std::string>{
      "echo", "get_chain", "get_chain_map", "list_enterprises", "batch_upsert"};
  return *names;
}

absl::StatusOr<Workload> MakeWorkload(absl::string_view name, int enterprises,
                                      const std::string& run_id) {
  if (name == "echo") return EchoWorkload();
  if (name == "get_chain") return GetChainWorkload();
  if (name == "get_chain_map") return GetChainMapWorkload();
  if (name == "list_enterprises") return ListEnterprisesWorkload();
  if (name == "batch_upsert") return BatchUpsertWorkload(enterprises, run_id);
  return absl::InvalidArgumentError(
      absl::StrCat("--workloads: unknown workload '", name,
                   "'; known: echo, get_chain, get_chain_map, list_enterprises, batch_upsert"));
}

}  // namespace chainhub::bench
