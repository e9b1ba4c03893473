// What chainhub-bench measures against: the registry data set it seeds (eight chains, a 12-node
// photovoltaics map and N synthetic enterprises) and the intake's project library it loads (N
// synthetic projects, by ImportProjects).
#ifndef CHAINHUB_TOOLS_BENCH_DATA_SET_H_
#define CHAINHUB_TOOLS_BENCH_DATA_SET_H_

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "tools/bench/intake_state.h"

namespace chainhub::bench {

// The chain every registry workload reads and writes, the second chain of the data set, and the
// department that leads them all.
inline constexpr char kPvChainId[] = "pv";
inline constexpr char kSemiconductorChainId[] = "semiconductor";
inline constexpr char kBenchDepartmentId[] = "fgw";
inline constexpr int kSeedRowsPerCall = 1000;
// The intake's library is loaded with ImportProjects at its per-call maximum.
inline constexpr int kImportRowsPerCall = 10000;

// The eight chains of the data set (the Chuzhou chains' ids and names), pv first: every one
// ACTIVE and led by departments/fgw; only pv has a map.
struct BenchChainSpec {
  const char* id;
  const char* display_name;
  const char* english_name;
};
const std::vector<BenchChainSpec>& BenchChains();

// chains/pv
std::string BenchChain();

// `context` with the authorization header and the seeding deadline (60 s), for a seeding call.
grpc::ClientContext* Prepare(grpc::ClientContext* context, const std::string& authorization);
// OK for OK or ALREADY_EXISTS (an earlier seed made it: both leave the object there); otherwise
// the status, its message prefixed with "seeding <what>: ".
absl::Status CreatedOrThere(const grpc::Status& status, absl::string_view what);
// chains/pv/nodes/<id>
std::string PvNode(absl::string_view id);
// departments/fgw
std::string BenchDepartment();

// One node of the benchmark's photovoltaics map.
struct MapNodeSpec {
  const char* id;
  const char* display_name;
  registry::v1::Segment segment;
  const char* parent_id;  // "" for a top-level node
  int order;
};

// The pv map: 12 nodes, upstream to downstream, parents before children.
const std::vector<MapNodeSpec>& PvMapNodes();

// Synthetic enterprise `index` (0-based): a valid credit code 91341100MA<7 digits><check>
// derived from the index, a Chuzhou county and park, labels (about 60% ABOVE_SIZE), one
// membership on a pv node, synthetic=true. `revision` shifts the annual output so that an
// overwrite really changes the row.
registry::v1::Enterprise SyntheticEnterprise(int index, int64_t revision);

// Creates departments/fgw, the eight chains (pv with the PV map), and upserts
// `enterprises` synthetic enterprises in batches of 1000. What exists already is left as it is
// (ALREADY_EXISTS is fine); the enterprises are rewritten. Progress lines go to `log`.
absl::Status SeedRegistry(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& authorization, int enterprises, std::ostream& log);

// Synthetic project `index` (0-based) for chains seeded by SeedRegistry: external_id
// bench-<7 digits>, three in four on chains/pv (spread over its 12 nodes), the rest spread over
// the seven other chains; a total investment rotating over every size band; one in three SIGNED
// (negotiated and signed in 2025), the rest NEGOTIATING since 2025; synthetic=true.
intake::v1::Project SyntheticProject(int index);

// What loading the library took.
struct IntakeLoad {
  int rows = 0;
  int calls = 0;
  absl::Duration elapsed;
  double rows_per_second() const {
    const double s = absl::ToDoubleSeconds(elapsed);
    return s > 0 ? rows / s : 0;
  }
};

// Loads `projects` synthetic projects into the intake with ImportProjects, kImportRowsPerCall rows
// per call, one call after another (rows are upserted by external_id, so a repeated load leaves
// the library as it is). Every row must be applied. Hands the NEGOTIATING ones to `state`.
absl::StatusOr<IntakeLoad> SeedIntake(const std::shared_ptr<grpc::Channel>& channel,
                                      const std::string& authorization, int projects,
                                      IntakeBenchState& state, std::ostream& log);

// For an intake this run did not load: up to `limit` synthetic NEGOTIATING projects on chains/pv,
// read with ListProjects, for transition_stage.
absl::Status CollectNegotiatingProjects(const std::shared_ptr<grpc::Channel>& channel,
                                        const std::string& authorization, int limit,
                                        IntakeBenchState& state);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_DATA_SET_H_
