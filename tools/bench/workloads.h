// What chainhub-bench measures: the registry data set it seeds (a photovoltaics chain with a
// 12-node map and N synthetic enterprises), the intake's project library it loads (N synthetic
// projects, by ImportProjects) and the workloads, each a CallSpec for the load engine plus what it
// needs (the echo server, the registry or the intake).
#ifndef CHAINHUB_TOOLS_BENCH_WORKLOADS_H_
#define CHAINHUB_TOOLS_BENCH_WORKLOADS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/cache/redis_client.h"
#include "tools/bench/load_engine.h"

namespace chainhub::bench {

// The chain every registry workload reads and writes.
inline constexpr char kBenchChain[] = "chains/pv";
inline constexpr char kListFilter[] = "chain = \"pv\" AND label = \"ABOVE_SIZE\"";
inline constexpr int kListPageSize = 50;
inline constexpr int kEchoPayloadBytes = 100;
inline constexpr int kUpsertRowsPerCall = 100;
inline constexpr int kSeedRowsPerCall = 1000;
// The intake's library: loaded with ImportProjects at its per-call maximum; listed by chain and
// size band (about 1 project in 9 of the library matches).
inline constexpr int kImportRowsPerCall = 10000;
inline constexpr char kProjectListFilter[] = "chain = \"pv\" AND size_band = \"1E9_TO_2E9\"";
// The cache namespace version key a project write on chains/pv bumps (common/cache.h), which
// summarize_cold bumps before each call.
inline constexpr char kPvSummaryVersionKey[] = "chainhub:cache:intake:summary:pv:version";

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

// Synthetic project `index` (0-based) for chains seeded by SeedRegistry: external_id
// bench-<7 digits>, three in four on chains/pv (spread over its 12 nodes), the rest on
// chains/semiconductor; a total investment rotating over every size band; one in three SIGNED
// (negotiated and signed in 2025), the rest NEGOTIATING since 2025; synthetic=true.
intake::v1::Project SyntheticProject(int index);

// What the intake workloads share with the loading step: the NEGOTIATING projects that
// transition_stage moves along its stages, the Redis that summarize_cold invalidates the cache in,
// and the period the summaries are asked for. Thread-safe.
class IntakeBenchState {
 public:
  // The pool transition_stage walks through: each pass over it moves every project one stage on
  // (SIGNED, then REGISTERED, STARTED, IN_PRODUCTION, then STALLED and back, again and again).
  void SetNegotiatingProjects(std::vector<std::string> names);
  size_t negotiating_projects();
  // The project and target stage of the next transition_stage call ("" when the pool is empty).
  std::pair<std::string, intake::v1::Stage> NextTransition();

  // The intake's Redis; summarize_cold needs it.
  void ConnectRedis(const std::string& address);
  bool has_redis() const { return redis_ != nullptr; }
  // INCR of the pv summary namespace version (what a project write on pv does): the next
  // SummarizeProjects on pv cannot find a cached answer. False when Redis did not answer.
  bool InvalidatePvSummary();

  // The current year (China time), a period that has begun: "2026".
  const std::string& period() const { return period_; }

 private:
  absl::Mutex mu_;
  std::vector<std::string> negotiating_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> next_{0};
  std::unique_ptr<RedisClient> redis_;  // set before the workloads run
  std::string period_ = absl::FormatTime("%Y", absl::Now(), absl::FixedTimeZone(8 * 3600));
};

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

// Which server a workload runs against.
enum class Target { kEcho, kRegistry, kIntake };

struct Workload {
  std::string name;
  Target target = Target::kRegistry;
  CallSpec spec;
  // When > 0, at most this many calls in flight whatever --inflight says (see summarize_cold).
  int max_inflight = 0;
  // Said under the report's table when not empty: how to read this workload's figures.
  std::string note;
  // When set, checked before the workload runs; an error stops it with that message.
  std::function<absl::Status()> precondition;
};

// What MakeWorkload needs besides the name.
struct WorkloadContext {
  // The seeded enterprise set size (batch_upsert rotates over it).
  int enterprises = 0;
  // Keeps request ids unique across runs.
  std::string run_id;
  // Shared by the intake workloads; required for them.
  std::shared_ptr<IntakeBenchState> intake;
};

// The workload names in their default order.
const std::vector<std::string>& KnownWorkloads();

// The workload called `name`. INVALID_ARGUMENT for an unknown name.
absl::StatusOr<Workload> MakeWorkload(absl::string_view name, const WorkloadContext& context);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_WORKLOADS_H_
