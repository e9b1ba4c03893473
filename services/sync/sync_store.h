// chainhub-sync's copy of the city's data in the province's taxonomy: the city entities records
// derive from (sources), the taxonomy they are expressed in, and the records themselves, whose
// versions are the change feed (migrations/0001_sync.sql). Every Apply* runs inside the caller's
// transaction (the event consumer's, with its inbox row), re-derives the records of what changed
// and writes only those whose content changed, each at a new version.
#ifndef CHAINHUB_SERVICES_SYNC_SYNC_STORE_H_
#define CHAINHUB_SERVICES_SYNC_SYNC_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/assessment/v1/assessment.pb.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/store/store.h"
#include "services/sync/province_mapping.h"

namespace chainhub::sync {

// The kinds of city entity records derive from.
namespace sources {
inline constexpr absl::string_view kChain = "chain";
inline constexpr absl::string_view kEnterprise = "enterprise";
inline constexpr absl::string_view kProject = "project";
inline constexpr absl::string_view kProgress = "progress";
inline constexpr absl::string_view kRun = "run";
}  // namespace sources

// One record as the feed holds it, with when it last changed.
struct FeedRecord {
  Record record;
  absl::Time change_time;
};

class SyncRecords {
 public:
  // Writes within `tx`; `today` is the date (China time) whose list chains and enterprises are
  // expressed in, `now` stamps the changes.
  SyncRecords(SqlTx& tx, std::string today, absl::Time now)
      : tx_(tx), today_(std::move(today)), now_(now) {}

  // The registry's side: entities (deleted when the event says so) and the taxonomy.
  absl::Status ApplyChain(const registry::v1::Chain& chain, bool deleted);
  absl::Status ApplyEnterprise(const registry::v1::Enterprise& enterprise, bool deleted);
  absl::Status ApplyProvinceList(const registry::v1::ProvinceList& list);
  absl::Status ApplyChainMapping(const registry::v1::ChainProvinceMapping& mapping);
  // Intake's side: a project as published (its stage moves come as ApplyStageChange), a report.
  absl::Status ApplyProject(const intake::v1::Project& project, bool deleted);
  absl::Status ApplyStageChange(const intake::v1::StageChange& change);
  absl::Status ApplyProgress(const intake::v1::ProgressReport& report);
  // Assessment's side: a run; only published final runs make records.
  absl::Status ApplyRun(const assessment::v1::Run& run);
  // Expresses every chain and enterprise in the list in force on `today` when that is not the
  // list they were last expressed in (the taxonomy switch); returns how many records changed.
  absl::StatusOr<int64_t> ExpressInTodaysList();

  // A tombstone for a key sync holds no live record of (a reconciliation found the receiver
  // holding it), at a new version; nothing when sync already has a tombstone for it.
  absl::Status Tombstone(const std::string& list_version, province::v1::RecordType type,
                         const std::string& id);

  // Records changed so far by this object.
  int64_t changed() const { return changed_; }

 private:
  // The taxonomy as of this transaction, read once (again after it changes).
  absl::StatusOr<const Taxonomy*> LoadTaxonomy();
  absl::Status PutSource(absl::string_view kind, const std::string& id, const std::string& chain,
                         const std::string& parent, const google::protobuf::Message& data);
  absl::Status DeleteSource(absl::string_view kind, const std::string& id);
  // Re-derives the records of one source (absent: it was deleted) and writes what changed.
  absl::Status Derive(absl::string_view kind, const std::string& id);
  // Re-derives every source of `kind` concerning `chain` (every source when empty).
  absl::Status DeriveAll(absl::string_view kind, const std::string& chain);
  absl::StatusOr<int64_t> NextVersion();

  SqlTx& tx_;
  std::string today_;
  absl::Time now_;
  int64_t changed_ = 0;
  std::optional<Taxonomy> taxonomy_;
};

// Reads of the feed (each its own read transaction on `store`).
class SyncReader {
 public:
  explicit SyncReader(Store* store) : store_(store) {}

  // The newest version held (0 when none).
  absl::StatusOr<int64_t> Head();
  // Records changed after `after`, in version order, at most `limit`, optionally of one list.
  absl::StatusOr<std::vector<FeedRecord>> ChangesAfter(int64_t after, int limit,
                                                       absl::string_view list_version = "");
  // The live records of `list_version` dated on or before `date` (and every undated one), in
  // (type, id) order, in pages of `page` handed to `sink`; optionally of one type. Returns the
  // head version the snapshot is consistent with. One read transaction.
  absl::StatusOr<int64_t> Snapshot(absl::string_view list_version, absl::string_view date,
                                   province::v1::RecordType type, int page,
                                   const std::function<absl::Status(std::vector<Record>&)>& sink);
  // The taxonomy as sync holds it.
  absl::StatusOr<Taxonomy> LoadTaxonomy();

 private:
  Store* store_;
};

}  // namespace chainhub::sync

#endif  // CHAINHUB_SERVICES_SYNC_SYNC_STORE_H_
