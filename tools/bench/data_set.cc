#include "tools/bench/data_set.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/base/credit_code.h"
#include "common/base/names.h"
#include "tools/common/resource_names.h"

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

}  // namespace

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

const std::vector<BenchChainSpec>& BenchChains() {
  static const auto* chains = new std::vector<BenchChainSpec>{
      {kPvChainId, "光伏", "photovoltaics"},
      {kSemiconductorChainId, "半导体", "semiconductors"},
      {"auto-equipment", "汽车及装备制造", "autos and equipment"},
      {"nev-battery", "新能源电池", "new-energy batteries"},
      {"medical", "医药器械", "medicine and medical devices"},
      {"home-appliance", "智能家电", "smart home appliances"},
      {"new-chemical", "新型化工", "new chemicals"},
      {"health-food", "健康食品", "health food"},
  };
  return *chains;
}

std::string BenchChain() { return ChainName{kPvChainId}.String(); }

std::string PvNode(absl::string_view id) { return NodeName{kPvChainId, std::string(id)}.String(); }

std::string BenchDepartment() { return DepartmentName{kBenchDepartmentId}.String(); }

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
  e.set_name(tools::EnterpriseName{code}.String());
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
  e.set_founding_date(absl::StrFormat("%04d-%02d-15", 2000 + index % 24, index % 12 + 1));
  const auto& nodes = PvMapNodes();
  e.add_memberships(PvNode(nodes[static_cast<size_t>(index) % nodes.size()].id));
  e.set_synthetic(true);
  return e;
}

absl::Status SeedRegistry(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& authorization, int enterprises, std::ostream& log) {
  auto stub = rv1::ChainRegistry::NewStub(channel);
  {
    rv1::CreateDepartmentRequest request;
    request.set_department_id(kBenchDepartmentId);
    request.mutable_department()->set_display_name("市发展和改革委员会");
    request.mutable_department()->set_short_name("市发改委");
    grpc::ClientContext context;
    rv1::Department response;
    if (auto s = CreatedOrThere(
            stub->CreateDepartment(Prepare(&context, authorization), request, &response),
            BenchDepartment());
        !s.ok()) {
      return s;
    }
  }
  for (const BenchChainSpec& c : BenchChains()) {
    rv1::CreateChainRequest request;
    request.set_chain_id(c.id);
    rv1::Chain* chain = request.mutable_chain();
    chain->set_display_name(c.display_name);
    chain->set_english_name(c.english_name);
    chain->set_status(rv1::CHAIN_STATUS_ACTIVE);
    chain->set_lead_department(BenchDepartment());
    grpc::ClientContext context;
    rv1::Chain response;
    if (auto s =
            CreatedOrThere(stub->CreateChain(Prepare(&context, authorization), request, &response),
                           ChainName{c.id}.String());
        !s.ok()) {
      return s;
    }
  }
  for (const MapNodeSpec& n : PvMapNodes()) {
    rv1::CreateNodeRequest request;
    request.set_parent(BenchChain());
    request.set_node_id(n.id);
    rv1::Node* node = request.mutable_node();
    node->set_display_name(n.display_name);
    node->set_segment(n.segment);
    if (*n.parent_id != '\0') node->set_parent(PvNode(n.parent_id));
    node->set_order(n.order);
    grpc::ClientContext context;
    rv1::Node response;
    if (auto s = CreatedOrThere(
            stub->CreateNode(Prepare(&context, authorization), request, &response), PvNode(n.id));
        !s.ok()) {
      return s;
    }
  }
  log << "seeded departments/fgw, chains/pv (" << PvMapNodes().size() << " nodes) and "
      << BenchChains().size() - 1 << " other chains" << std::endl;

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
    p.set_chain(BenchChain());
    p.set_node(PvNode(nodes[static_cast<size_t>(index) % nodes.size()].id));
  } else {
    // The rest over the other seven chains, in turn.
    const auto& chains = BenchChains();
    p.set_chain(ChainName{chains[1 + static_cast<size_t>(index / 4) % (chains.size() - 1)].id}
                    .String());
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
  p.set_responsible_department(BenchDepartment());
  p.set_provincial_key(index % 17 == 0);
  p.set_planned_start_date(absl::StrFormat("2026-%02d-15", index % 12 + 1));
  // Not index % 12: with one in four projects off pv and one in three signed, that would leave
  // every other chain without a signing in most months.
  const int month = index / 4 % 12 + 1;
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

}  // namespace chainhub::bench
