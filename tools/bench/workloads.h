// What chainhub-bench measures: the registry data set it seeds (a photovoltaics chain with a
// 12-node map and N synthetic enterprises) and the workloads, each a CallSpec for the load engine
// plus what it needs (the echo server or the registry).
#ifndef CHAINHUB_TOOLS_BENCH_WORKLOADS_H_
#define CHAINHUB_TOOLS_BENCH_WORKLOADS_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "tools/bench/load_engine.h"

namespace chainhub::bench {

// The chain every registry workload reads and writes.
inline constexpr char kBenchChain[] = "chains/pv";
inline constexpr char kListFilter[] = "chain = \"pv\" AND label = \"ABOVE_SIZE\"";
inline constexpr int kListPageSize = 50;
inline constexpr int kEchoPayloadBytes = 100;
inline constexpr int kUpsertRowsPerCall = 100;
inline constexpr int kSeedRowsPerCall = 1000;

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

// Creates departments/fgw, chains pv (with the PV map) and semiconductor, and upserts
// `enterprises` synthetic enterprises in batches of 1000. What exists already is left as it is
// (ALREADY_EXISTS is fine); the enterprises are rewritten. Progress lines go to `log`.
absl::Status SeedRegistry(const std::shared_ptr<grpc::Channel>& channel,
                          const std::string& authorization, int enterprises, std::ostream& log);

// Which server a workload runs against.
enum class Target { kEcho, kRegistry };

struct Workload {
  std::string name;
  Target target = Target::kRegistry;
  CallSpec spec;
};

// The workload names in their default order.
const std::vector<std::string>& KnownWorkloads();

// The workload called `name`; `enterprises` is the seeded set size (batch_upsert rotates over
// it) and `run_id` keeps its request ids unique across runs. INVALID_ARGUMENT for an unknown name.
absl::StatusOr<Workload> MakeWorkload(absl::string_view name, int enterprises,
                                      const std::string& run_id);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_WORKLOADS_H_
