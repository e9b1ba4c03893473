#include "services/sync/backfill.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/events/group_position.h"
#include "services/sync/sync_store.h"

namespace chainhub::sync {

namespace {

constexpr int kBatch = 200;
constexpr char kBackfilled[] = "backfilled_us";

// Collects applications and commits them kBatch at a time, each batch in one transaction.
class Batcher {
 public:
  Batcher(Store* store, const Clock& clock) : store_(store), clock_(clock) {}

  absl::Status Add(std::function<absl::Status(SyncRecords&)> apply) {
    pending_.push_back(std::move(apply));
    ++count_;
    return static_cast<int>(pending_.size()) >= kBatch ? Flush() : absl::OkStatus();
  }

  absl::Status Flush() {
    if (pending_.empty()) return absl::OkStatus();
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      SyncRecords records(tx, ChinaDate(clock_.Now()), clock_.Now());
      for (const auto& apply : pending_) CHAINHUB_RETURN_IF_ERROR(apply(records));
      return absl::OkStatus();
    }));
    pending_.clear();
    return absl::OkStatus();
  }

  int64_t count() const { return count_; }

 private:
  Store* store_;
  const Clock& clock_;
  std::vector<std::function<absl::Status(SyncRecords&)>> pending_;
  int64_t count_ = 0;
};

}  // namespace

absl::StatusOr<int64_t> BackfillOnce(Store* store, RedisClient* redis, OwnerLists& sources,
                                     const std::string& stream, const std::string& group,
                                     const Clock& clock) {
  bool done = false;
  CHAINHUB_RETURN_IF_ERROR(store->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT value FROM sync_state WHERE name = $1", {kBackfilled}));
    done = !rows.empty();
    return absl::OkStatus();
  }));
  if (done) return 0;
  // Taken first: whatever is published from here on is consumed after the backfill.
  CHAINHUB_ASSIGN_OR_RETURN(std::string position, StreamPosition(*redis, stream));
  const absl::Time began = absl::Now();
  Batcher out(store, clock);
  // The taxonomy first, so every record is expressed in it from the start.
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachProvinceList([&](const registry::v1::ProvinceList& l) {
    return out.Add([l](SyncRecords& s) { return s.ApplyProvinceList(l); });
  }));
  CHAINHUB_RETURN_IF_ERROR(
      sources.ForEachChainProvinceMapping([&](const registry::v1::ChainProvinceMapping& m) {
        return out.Add([m](SyncRecords& s) { return s.ApplyChainMapping(m); });
      }));
  CHAINHUB_RETURN_IF_ERROR(out.Flush());
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachChain([&](const registry::v1::Chain& c) {
    return out.Add([c](SyncRecords& s) { return s.ApplyChain(c, false); });
  }));
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachEnterprise([&](const registry::v1::Enterprise& e) {
    return out.Add([e](SyncRecords& s) { return s.ApplyEnterprise(e, false); });
  }));
  std::vector<std::string> reported;
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachProject([&](const intake::v1::Project& p) {
    if (!p.last_report_month().empty()) reported.push_back(p.name());
    return out.Add([p](SyncRecords& s) { return s.ApplyProject(p, false); });
  }));
  CHAINHUB_RETURN_IF_ERROR(out.Flush());
  for (const std::string& project : reported) {
    CHAINHUB_RETURN_IF_ERROR(
        sources.ForEachProgressReport(project, [&](const intake::v1::ProgressReport& r) {
          return out.Add([r](SyncRecords& s) { return s.ApplyProgress(r); });
        }));
  }
  CHAINHUB_RETURN_IF_ERROR(sources.ForEachFinalRun([&](const assessment::v1::Run& run) {
    return out.Add([run](SyncRecords& s) { return s.ApplyRun(run); });
  }));
  CHAINHUB_RETURN_IF_ERROR(out.Flush());
  CHAINHUB_RETURN_IF_ERROR(PlaceGroup(*redis, stream, group, position));
  CHAINHUB_RETURN_IF_ERROR(store->Write([&](SqlTx& tx) {
    return tx.Exec("INSERT INTO sync_state (name, value) VALUES ($1, $2) ON CONFLICT (name) DO "
                   "UPDATE SET value = excluded.value",
                   {std::string(kBackfilled), absl::StrCat(absl::ToUnixMicros(clock.Now()))})
        .status();
  }));
  LogInfo("sync backfilled", {{"resources", out.count()},
                              {"stream_position", position},
                              {"seconds", absl::ToDoubleSeconds(absl::Now() - began)}});
  return out.count();
}

}  // namespace chainhub::sync
