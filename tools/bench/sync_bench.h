// chainhub-sync's figures (docs/province-sync.md): a full push of the project library to the
// reference receiver (records a second, from the first batch sent to the last acknowledged, and
// the whole first start with its backfill), a snapshot streamed to a client (records a second),
// and the change feed's lag: from a project event added to the stream until a WatchChanges
// reader has the change, at a steady rate of events.
#ifndef CHAINHUB_TOOLS_BENCH_SYNC_BENCH_H_
#define CHAINHUB_TOOLS_BENCH_SYNC_BENCH_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tools/bench/latency.h"

namespace chainhub::bench {

struct SyncFigures {
  // The first start: from starting sync until the receiver acknowledged everything (the backfill
  // from the registry and intake, then the push).
  double first_start_seconds = 0;
  // The push alone: records acknowledged, from the first batch sent to the last acknowledged.
  int64_t pushed_records = 0;
  double push_seconds = 0;
  double push_records_per_second = 0;
  // GetSnapshot of every list, read to the end by one client.
  int64_t snapshot_records = 0;
  double snapshot_seconds = 0;
  double snapshot_records_per_second = 0;
  // project.created events XADDed at `lag_rate` a second: from the XADD until the watcher reads
  // the change. 0 samples when not measured.
  double lag_rate = 0;
  LatencyFigures lag;
};

// The taxonomy the records are expressed in: the shipped provincial lists and mapping, put into
// the registry at `registry` (admin `authorization`), as the main job's seed does.
absl::Status SeedTaxonomy(const std::string& registry, const std::string& authorization);

// Measures a chainhub-sync at `sync` started at `started` (admin `authorization`), publishing the
// lag pass's events on the Redis at `redis_address`: `lag_events` events at `lag_rate` a second.
absl::StatusOr<SyncFigures> MeasureSync(const std::string& sync, const std::string& authorization,
                                        const std::string& redis_address, absl::Time started,
                                        int lag_events, double lag_rate);

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_SYNC_BENCH_H_
