#include "tools/bench/workloads.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "chainhub/bench/v1/echo.pb.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/credit_code.h"

namespace chainhub::bench {
namespace {

namespace rv1 = registry::v1;
namespace iv1 = intake::v1;

constexpr std::array<const char*, 8> kCounties = {"琅琊区", "南谯区", "来安县", "全椒县",
                                                  "定远县", "凤阳县", "天长市", "明光市"};
constexpr std::array<const char*, 4> kParks = {"滁州经济技术开发区", "苏滁现代产业园",
                                               "来安汊河经济开发区", "全椒经济开发区"};

constexpr int kSeedTimeoutSeconds = 60;
// One ImportProjects call of 10,000 rows; generous for a loaded 2-core machine.
constexpr int kImportTimeoutSeconds = 600;
// Total investment of each size band's projects, in yuan (the first is in no band): 0.5亿, 1.5亿,
// 7亿, 15亿, 30亿, 70亿, 120亿.
constexpr std::array<int64_t, 7> kInvestments = {50'000'000,    150'000'000,   700'000'000,
                                                 1'500'000'000, 3'000'000'000, 7'000'000'000,
                                                 12'000'000'000};
// The line stages transition_stage moves a NEGOTIATING project through, one per pass.
constexpr std::array<iv1::Stage, 4> kTransitionStages = {
    iv1::STAGE_SIGNED, iv1::STAGE_REGISTERED, iv1::STAGE_STARTED, iv1::STAGE_IN_PRODUCTION};
constexpr char kIntakeService[] = "/chainhub.intake.v1.ProjectIntake/";

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

Workload NewWorkload(std::string name, Target target) {
  Workload w;
  w.name = std::move(name);
  w.target = target;
  return w;
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
  Workload w = NewWorkload("echo", Target::kEcho);
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
  Workload w = NewWorkload("get_chain", Target::kRegistry);
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
  Workload w = NewWorkload("get_chain_map", Target::kRegistry);
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
  Workload w = NewWorkload("list_enterprises", Target::kRegistry);
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
  Workload w = NewWorkload("batch_upsert", Target::kRegistry);
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

Workload ListProjectsWorkload() {
  Workload w = NewWorkload("list_projects", Target::kIntake);
  w.spec.method = absl::StrCat(kIntakeService, "ListProjects");
  w.spec.make_request = [](uint64_t) {
    iv1::ListProjectsRequest request;
    request.set_filter(kProjectListFilter);
    request.set_page_size(kListPageSize);
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    iv1::ListProjectsResponse response;
    if (std::string e = CheckParses(buffer, &response); !e.empty()) return e;
    if (response.projects_size() != kListPageSize) {
      return absl::StrCat("a page of ", response.projects_size(), " projects (not loaded?)");
    }
    return "";
  };
  w.spec.check_every = 64;
  return w;
}

iv1::SummarizeProjectsRequest PvSummaryRequest(const IntakeBenchState& state) {
  iv1::SummarizeProjectsRequest request;
  request.set_chain(kBenchChain);
  request.set_period(state.period());
  return request;
}

std::string CheckSummary(const grpc::ByteBuffer& buffer) {
  iv1::ProjectSummary summary;
  if (std::string e = CheckParses(buffer, &summary); !e.empty()) return e;
  if (summary.projects().count() == 0) return "a summary of no projects (not loaded?)";
  return "";
}

Workload SummarizeWarmWorkload(std::shared_ptr<IntakeBenchState> state) {
  Workload w = NewWorkload("summarize_warm", Target::kIntake);
  w.spec.method = absl::StrCat(kIntakeService, "SummarizeProjects");
  w.spec.make_request = [state](uint64_t) { return ToByteBuffer(PvSummaryRequest(*state)); };
  w.spec.check_response = CheckSummary;
  w.spec.check_every = 64;
  w.note =
      "summarize_warm: SummarizeProjects(chains/pv, this year) answered from the Redis cache "
      "(filled by the probe call; nothing writes projects meanwhile)";
  return w;
}

Workload SummarizeColdWorkload(std::shared_ptr<IntakeBenchState> state) {
  Workload w = NewWorkload("summarize_cold", Target::kIntake);
  w.spec.method = absl::StrCat(kIntakeService, "SummarizeProjects");
  w.spec.make_request = [state](uint64_t) {
    state->InvalidatePvSummary();
    return ToByteBuffer(PvSummaryRequest(*state));
  };
  w.spec.check_response = CheckSummary;
  w.spec.check_every = 1;
  // With one call in flight no other call can fill the new cache version before this one reads
  // it: every call computes the summary from the store.
  w.max_inflight = 1;
  w.precondition = [state]() -> absl::Status {
    if (state->has_redis()) return absl::OkStatus();
    return absl::FailedPreconditionError(
        "needs the intake's Redis to invalidate the summary cache (--redis=HOST:PORT)");
  };
  w.note =
      "summarize_cold: the same call with the cache invalidated before each one (INCR of the pv "
      "summary version, as a project write on pv does) and 1 call in flight, so every call "
      "computes the summary of all of pv's projects from SQLite";
  return w;
}

Workload CreateProjectWorkload(const std::string& run_id) {
  Workload w = NewWorkload("create_project", Target::kIntake);
  w.spec.method = absl::StrCat(kIntakeService, "CreateProject");
  w.spec.make_request = [run_id](uint64_t seq) {
    iv1::CreateProjectRequest request;
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    iv1::Project* p = request.mutable_project();
    *p = SyntheticProject(static_cast<int>(seq % 1'000'000));
    p->clear_external_id();
    // On pv whatever the index says, as one new project of a chain office.
    if (p->chain() != kBenchChain) {
      p->set_chain(kBenchChain);
      p->set_node(NodeName(PvMapNodes()[seq % PvMapNodes().size()].id));
    }
    p->set_display_name(absl::StrCat("基准新建项目", run_id, "-", seq));
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    iv1::Project project;
    if (std::string e = CheckParses(buffer, &project); !e.empty()) return e;
    if (project.name().empty()) return "a created project without a name";
    return "";
  };
  w.spec.check_every = 16;
  return w;
}

Workload TransitionStageWorkload(std::shared_ptr<IntakeBenchState> state,
                                 const std::string& run_id) {
  Workload w = NewWorkload("transition_stage", Target::kIntake);
  w.spec.method = absl::StrCat(kIntakeService, "TransitionStage");
  w.spec.make_request = [state, run_id](uint64_t seq) {
    auto [name, stage] = state->NextTransition();
    iv1::TransitionStageRequest request;
    request.set_name(name.empty() ? "projects/none-loaded" : name);
    request.set_to_stage(stage);
    if (stage == iv1::STAGE_STALLED) request.set_reason("基准测试：资金暂未到位");
    request.set_request_id(absl::StrCat("bench-", run_id, "-", seq));
    return ToByteBuffer(request);
  };
  w.spec.check_response = [](const grpc::ByteBuffer& buffer) -> std::string {
    iv1::Project project;
    if (std::string e = CheckParses(buffer, &project); !e.empty()) return e;
    if (project.stage() <= iv1::STAGE_NEGOTIATING || project.stage() > iv1::STAGE_STALLED) {
      return absl::StrCat("moved to stage ", project.stage());
    }
    return "";
  };
  w.spec.check_every = 16;
  w.precondition = [state]() -> absl::Status {
    if (state->negotiating_projects() > 0) return absl::OkStatus();
    return absl::FailedPreconditionError("no NEGOTIATING project to move");
  };
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

iv1::Project SyntheticProject(int index) {
  iv1::Project p;
  p.set_external_id(absl::StrFormat("bench-%07d", index));
  p.set_display_name(absl::StrCat("滁州基准样本项目第", index, "号"));
  const auto& nodes = PvMapNodes();
  if (index % 4 != 3) {
    p.set_chain(kBenchChain);
    p.set_node(NodeName(nodes[static_cast<size_t>(index) % nodes.size()].id));
  } else {
    p.set_chain("chains/semiconductor");
  }
  p.set_county(kCounties[static_cast<size_t>(index) % kCounties.size()]);
  p.set_park(kParks[static_cast<size_t>(index) % kParks.size()]);
  iv1::Investor* investor = p.mutable_investor();
  investor->set_name(absl::StrCat("基准投资集团第", index % 997, "号有限公司"));
  investor->set_origin(static_cast<iv1::InvestorOrigin>(index % 3 + 1));
  investor->set_fortune500(index % 53 == 0);
  p.set_source(index % 10 == 9 ? iv1::PROJECT_SOURCE_TALENT : iv1::PROJECT_SOURCE_INVESTMENT);
  // Within its band whatever the offset (at most 0.01亿).
  const int64_t total =
      kInvestments[static_cast<size_t>(index) % kInvestments.size()] + (index % 1000) * 1000;
  p.set_total_investment_yuan(total);
  p.set_fixed_asset_investment_yuan(total / 10 * 8);
  p.set_annual_planned_investment_yuan(total / 4);
  p.set_responsible_leader("副市长 张某某");
  p.set_responsible_department("departments/fgw");
  p.set_provincial_key(index % 17 == 0);
  p.set_planned_start_date(absl::StrFormat("2026-%02d-15", index % 12 + 1));
  const int month = index % 12 + 1;
  p.mutable_stage_dates()->set_negotiating(absl::StrFormat("2025-%02d-01", month));
  if (index % 3 == 2) {
    p.set_stage(iv1::STAGE_SIGNED);
    p.mutable_stage_dates()->set_signed_(absl::StrFormat("2025-%02d-20", month));
  } else {
    p.set_stage(iv1::STAGE_NEGOTIATING);
  }
  p.set_synthetic(true);
  return p;
}

void IntakeBenchState::SetNegotiatingProjects(std::vector<std::string> names) {
  absl::MutexLock lock(&mu_);
  negotiating_ = std::move(names);
  next_ = 0;
}

size_t IntakeBenchState::negotiating_projects() {
  absl::MutexLock lock(&mu_);
  return negotiating_.size();
}

std::pair<std::string, iv1::Stage> IntakeBenchState::NextTransition() {
  const uint64_t n = next_.fetch_add(1);
  absl::MutexLock lock(&mu_);
  if (negotiating_.empty()) return {"", iv1::STAGE_SIGNED};
  // Pass p over the pool moves every project to the p-th stage after NEGOTIATING; a project's
  // moves are a whole pass apart, so two never race. After IN_PRODUCTION the passes alternate
  // between STALLED and resuming IN_PRODUCTION (FULL_OUTPUT would be final), so a small pool
  // never runs out of legal moves.
  const uint64_t pass = n / negotiating_.size();
  iv1::Stage stage = iv1::STAGE_IN_PRODUCTION;
  if (pass < kTransitionStages.size()) {
    stage = kTransitionStages[pass];
  } else if ((pass - kTransitionStages.size()) % 2 == 0) {
    stage = iv1::STAGE_STALLED;
  }
  return {negotiating_[n % negotiating_.size()], stage};
}

void IntakeBenchState::ConnectRedis(const std::string& address) {
  auto options = ParseRedisAddress(address);
  if (options.ok()) redis_ = std::make_unique<RedisClient>(*options);
}

bool IntakeBenchState::InvalidatePvSummary() {
  if (redis_ == nullptr) return false;
  auto reply = redis_->Command({"INCR", kPvSummaryVersionKey});
  return reply.ok() && reply->type == RedisReply::Type::kInteger;
}

absl::StatusOr<IntakeLoad> SeedIntake(const std::shared_ptr<grpc::Channel>& channel,
                                      const std::string& authorization, int projects,
                                      IntakeBenchState& state, std::ostream& log) {
  auto stub = iv1::ProjectIntake::NewStub(channel);
  IntakeLoad load;
  std::vector<std::string> negotiating;
  const absl::Time start = absl::Now();
  for (int first = 0; first < projects; first += kImportRowsPerCall) {
    const int last = std::min(projects, first + kImportRowsPerCall);
    // The rows are built before the call so that the figure is the service's, not the bench's.
    std::vector<iv1::ImportProjectsRequest> rows(static_cast<size_t>(last - first));
    for (int i = first; i < last; ++i) {
      iv1::ImportRow* row = rows[static_cast<size_t>(i - first)].mutable_row();
      row->set_row_number(i + 1);
      *row->mutable_project() = SyntheticProject(i);
    }
    const absl::Time call_start = absl::Now();
    grpc::ClientContext context;
    if (!authorization.empty()) context.AddMetadata("authorization", authorization);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(kImportTimeoutSeconds));
    iv1::ImportProjectsResponse response;
    auto writer = stub->ImportProjects(&context, &response);
    iv1::ImportProjectsRequest header;
    header.mutable_header()->set_source("chainhub-bench");
    bool open = writer->Write(header);
    for (size_t i = 0; open && i < rows.size(); ++i) open = writer->Write(rows[i]);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    load.elapsed += absl::Now() - call_start;
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("loading projects: ", status.error_message()));
    }
    if (response.failed_count() > 0 || response.row_count() != last - first) {
      std::string first_message;
      for (const auto& r : response.results()) {
        if (r.code() != 0) {
          first_message = r.message();
          break;
        }
      }
      return absl::InternalError(absl::StrCat("loading projects: ", response.failed_count(), " of ",
                                              response.row_count(),
                                              " rows refused, first: ", first_message));
    }
    for (const auto& r : response.results()) {
      if (SyntheticProject(r.row_number() - 1).stage() == iv1::STAGE_NEGOTIATING &&
          !r.project().empty()) {
        negotiating.push_back(r.project());
      }
    }
    load.rows += response.row_count();
    ++load.calls;
    log << "loaded " << load.rows << " of " << projects << " projects (" << response.created_count()
        << " created, " << response.updated_count() << " updated, " << response.unchanged_count()
        << " unchanged in this call)" << std::endl;
  }
  log << "loading " << load.rows << " projects took " << absl::FormatDuration(absl::Now() - start)
      << std::endl;
  state.SetNegotiatingProjects(std::move(negotiating));
  return load;
}

absl::Status CollectNegotiatingProjects(const std::shared_ptr<grpc::Channel>& channel,
                                        const std::string& authorization, int limit,
                                        IntakeBenchState& state) {
  auto stub = iv1::ProjectIntake::NewStub(channel);
  std::vector<std::string> names;
  iv1::ListProjectsRequest request;
  request.set_filter("chain = \"pv\" AND synthetic = true AND stage = \"NEGOTIATING\"");
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    iv1::ListProjectsResponse response;
    grpc::Status status = stub->ListProjects(Prepare(&context, authorization), request, &response);
    if (!status.ok()) {
      return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                          absl::StrCat("listing projects: ", status.error_message()));
    }
    for (const auto& p : response.projects()) names.push_back(p.name());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty() && static_cast<int>(names.size()) < limit);
  state.SetNegotiatingProjects(std::move(names));
  return absl::OkStatus();
}

const std::vector<std::string>& KnownWorkloads() {
  static const std::vector<std::string>* names = new std::vector<std::string>{
      "echo",          "get_chain",      "get_chain_map",  "list_enterprises", "batch_upsert",
      "list_projects", "summarize_warm", "summarize_cold", "create_project",   "transition_stage"};
  return *names;
}

absl::StatusOr<Workload> MakeWorkload(absl::string_view name, const WorkloadContext& context) {
  if (name == "echo") return EchoWorkload();
  if (name == "get_chain") return GetChainWorkload();
  if (name == "get_chain_map") return GetChainMapWorkload();
  if (name == "list_enterprises") return ListEnterprisesWorkload();
  if (name == "batch_upsert") return BatchUpsertWorkload(context.enterprises, context.run_id);
  const bool intake = name == "list_projects" || name == "summarize_warm" ||
                      name == "summarize_cold" || name == "create_project" ||
                      name == "transition_stage";
  if (intake && context.intake == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("workload ", name, ": no intake state"));
  }
  if (name == "list_projects") return ListProjectsWorkload();
  if (name == "summarize_warm") return SummarizeWarmWorkload(context.intake);
  if (name == "summarize_cold") return SummarizeColdWorkload(context.intake);
  if (name == "create_project") return CreateProjectWorkload(context.run_id);
  if (name == "transition_stage") return TransitionStageWorkload(context.intake, context.run_id);
  return absl::InvalidArgumentError(
      absl::StrCat("--workloads: unknown workload '", name,
                   "'; known: ", absl::StrJoin(KnownWorkloads(), ", ")));
}

}  // namespace chainhub::bench
