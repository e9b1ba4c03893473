#include "services/support/backfill.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/events/group_position.h"
#include "services/support/enterprises.h"

namespace chainhub::support {

namespace {

constexpr int kBatch = 500;
constexpr char kBackfilled[] = "backfilled_us";

absl::Status StoreBatch(Store* store, std::vector<registry::v1::Enterprise>* pending) {
  if (pending->empty()) return absl::OkStatus();
  CHAINHUB_RETURN_IF_ERROR(store->Write([&](SqlTx& tx) -> absl::Status {
    EnterpriseCopy copy(tx);
    for (const auto& e : *pending) CHAINHUB_RETURN_IF_ERROR(copy.Apply(e, false));
    return absl::OkStatus();
  }));
  pending->clear();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<int64_t> BackfillOnce(Store* store, RedisClient* redis, OwnerLists& sources,
                                     const std::string& stream, const std::string& group,
                                     const Clock& clock) {
  bool done = false;
  CHAINHUB_RETURN_IF_ERROR(store->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT value FROM support_state WHERE name = $1", {kBackfilled}));
    done = !rows.empty();
    return absl::OkStatus();
  }));
  if (done) return 0;
  // Taken first: whatever is published from here on is consumed after the backfill.
  CHAINHUB_ASSIGN_OR_RETURN(std::string position, StreamPosition(*redis, stream));
  const absl::Time began = absl::Now();
  std::vector<registry::v1::Enterprise> pending;
  int64_t count = 0;
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachEnterprise([&](const registry::v1::Enterprise& e) {
    pending.push_back(e);
    ++count;
    return static_cast<int>(pending.size()) >= kBatch ? StoreBatch(store, &pending)
                                                      : absl::OkStatus();
  }));
  CHAINHUB_RETURN_IF_ERROR(StoreBatch(store, &pending));
  CHAINHUB_RETURN_IF_ERROR(PlaceGroup(*redis, stream, group, position));
  CHAINHUB_RETURN_IF_ERROR(store->Write([&](SqlTx& tx) {
    return tx.Exec("INSERT INTO support_state (name, value) VALUES ($1, $2) ON CONFLICT (name) "
                   "DO UPDATE SET value = excluded.value",
                   {std::string(kBackfilled), absl::StrCat(absl::ToUnixMicros(clock.Now()))})
        .status();
  }));
  LogInfo("support backfilled", {{"enterprises", count},
                                 {"stream_position", position},
                                 {"seconds", absl::ToDoubleSeconds(absl::Now() - began)}});
  return count;
}

}  // namespace chainhub::support
