#include "services/sync/reconcile.h"

#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "services/province/records.h"
#include "services/sync/sync_store.h"

namespace chainhub::sync {

namespace {

using province::DigestSet;
using province::v1::CategoryDigest;
using Bucket = DigestSet::Key;                              // (list, type, category)
using RecordKey = std::tuple<std::string, int, std::string>;  // (list, type, id)

constexpr int kRepairBatch = 500;
constexpr int kMaxListed = 1000;

struct Local {
  std::map<RecordKey, Record> live;
  DigestSet digests;
};

absl::StatusOr<Local> ReadLocal(Store* store, const std::string& list_version) {
  Local local;
  CHAINHUB_RETURN_IF_ERROR(store->Read([&](SqlTx& tx) -> absl::Status {
    local = Local();
    std::string sql = "SELECT data FROM sync_records WHERE deleted = 0";
    std::vector<SqlValue> params;
    if (!list_version.empty()) {
      sql += " AND list_version = $1";
      params.emplace_back(list_version);
    }
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const SqlRow& row : rows) {
      Record r;
      if (!r.ParseFromString(row.Bytes(0))) return absl::DataLossError("a record does not parse");
      local.digests.Add(r);
      RecordKey key{r.list_version(), static_cast<int>(r.type()), r.id()};
      local.live.emplace(std::move(key), std::move(r));
    }
    return absl::OkStatus();
  }));
  return local;
}

absl::StatusOr<std::map<Bucket, CategoryDigest>> RemoteDigests(ProvinceClient* client,
                                                               const std::string& list_version) {
  province::v1::GetDigestsRequest req;
  req.set_list_version(list_version);
  province::v1::GetDigestsResponse resp;
  if (grpc::Status s = client->GetDigests(req, &resp); !s.ok()) {
    absl::Status status = FromGrpcStatus(s);
    return absl::Status(status.code(),
                        absl::StrCat("the receiver's digests: ", status.message()));
  }
  std::map<Bucket, CategoryDigest> out;
  for (auto& d : *resp.mutable_digests()) {
    Bucket key{d.list_version(), static_cast<int>(d.type()), d.category()};
    out.emplace(std::move(key), std::move(d));
  }
  return out;
}

// The receiver's keys and versions in one bucket.
absl::StatusOr<std::map<RecordKey, int64_t>> RemoteKeys(ProvinceClient* client,
                                                        const Bucket& bucket) {
  std::map<RecordKey, int64_t> out;
  province::v1::ListRecordsRequest req;
  req.set_list_version(std::get<0>(bucket));
  req.set_type(static_cast<province::v1::RecordType>(std::get<1>(bucket)));
  req.set_category(std::get<2>(bucket).empty() ? "-" : std::get<2>(bucket));
  req.set_keys_only(true);
  req.set_page_size(1000);
  do {
    province::v1::ListRecordsResponse page;
    if (grpc::Status s = client->ListRecords(req, &page); !s.ok()) {
      absl::Status status = FromGrpcStatus(s);
      return absl::Status(status.code(),
                          absl::StrCat("the receiver's records: ", status.message()));
    }
    for (const auto& r : page.records()) {
      out[{r.list_version(), static_cast<int>(r.type()), r.id()}] = r.version();
    }
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  return out;
}

bool InBucket(const Record& r, const Bucket& bucket) {
  if (r.list_version() != std::get<0>(bucket) || static_cast<int>(r.type()) != std::get<1>(bucket)) {
    return false;
  }
  const std::string& category = std::get<2>(bucket);
  if (category.empty()) return r.categories().empty();
  for (const auto& c : r.categories()) {
    if (c == category) return true;
  }
  return false;
}

// Compares digests; fills `response.categories` and returns the buckets that differ.
std::vector<Bucket> Compare(const DigestSet& local, const std::map<Bucket, CategoryDigest>& remote,
                            v1::ReconcileResponse* response) {
  std::map<Bucket, CategoryDigest> mine;
  for (auto& d : local.ToProto()) {
    Bucket key{d.list_version(), static_cast<int>(d.type()), d.category()};
    mine.emplace(std::move(key), std::move(d));
  }
  std::set<Bucket> all;
  for (const auto& [k, d] : mine) all.insert(k);
  for (const auto& [k, d] : remote) all.insert(k);
  std::vector<Bucket> differing;
  response->clear_categories();
  for (const Bucket& k : all) {
    v1::CategoryComparison* c = response->add_categories();
    const auto l = mine.find(k);
    const auto r = remote.find(k);
    if (l != mine.end()) *c->mutable_local() = l->second;
    if (r != remote.end()) *c->mutable_remote() = r->second;
    c->set_equal(l != mine.end() && r != remote.end() && l->second.count() == r->second.count() &&
                 l->second.digest() == r->second.digest());
    if (!c->equal()) differing.push_back(k);
  }
  return differing;
}

}  // namespace

absl::StatusOr<v1::ReconcileResponse> Reconcile(Store* store, ProvinceClient* client,
                                                PushAgent* push, const Clock& clock,
                                                const v1::ReconcileRequest& request) {
  if (!client->enabled()) {
    return FailedPrecondition("reconcile", "needs a receiver (--province_target)");
  }
  v1::ReconcileResponse response;
  CHAINHUB_ASSIGN_OR_RETURN(Local local, ReadLocal(store, request.list_version()));
  CHAINHUB_ASSIGN_OR_RETURN(auto remote, RemoteDigests(client, request.list_version()));
  const std::vector<Bucket> differing = Compare(local.digests, remote, &response);

  std::map<RecordKey, std::pair<int64_t, int64_t>> differences;  // local, remote version
  for (const Bucket& bucket : differing) {
    CHAINHUB_ASSIGN_OR_RETURN(auto theirs, RemoteKeys(client, bucket));
    for (const auto& [key, r] : local.live) {
      if (!InBucket(r, bucket)) continue;
      auto it = theirs.find(key);
      const int64_t remote_version = it == theirs.end() ? 0 : it->second;
      if (remote_version != r.version()) differences[key] = {r.version(), remote_version};
      if (it != theirs.end()) theirs.erase(it);
    }
    for (const auto& [key, version] : theirs) {
      auto mine = local.live.find(key);
      differences[key] = {mine == local.live.end() ? 0 : mine->second.version(), version};
    }
  }
  response.set_difference_count(static_cast<int64_t>(differences.size()));
  for (const auto& [key, versions] : differences) {
    if (response.differences_size() >= kMaxListed) break;
    v1::RecordDifference* d = response.add_differences();
    d->set_list_version(std::get<0>(key));
    d->set_type(static_cast<province::v1::RecordType>(std::get<1>(key)));
    d->set_id(std::get<2>(key));
    d->set_local_version(versions.first);
    d->set_remote_version(versions.second);
  }
  if (!request.repair() || differences.empty()) {
    response.set_consistent(differences.empty() && differing.empty());
    return response;
  }

  // Records the receiver holds and sync does not: tombstones at new versions first.
  CHAINHUB_RETURN_IF_ERROR(store->Write([&](SqlTx& tx) -> absl::Status {
    SyncRecords records(tx, ChinaDate(clock.Now()), clock.Now());
    for (const auto& [key, versions] : differences) {
      if (versions.first != 0) continue;
      CHAINHUB_RETURN_IF_ERROR(records.Tombstone(
          std::get<0>(key), static_cast<province::v1::RecordType>(std::get<1>(key)),
          std::get<2>(key)));
    }
    return absl::OkStatus();
  }));
  std::vector<Record> resend;
  CHAINHUB_RETURN_IF_ERROR(store->Read([&](SqlTx& tx) -> absl::Status {
    resend.clear();
    for (const auto& [key, versions] : differences) {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto rows, tx.Query("SELECT data FROM sync_records WHERE list_version = $1 AND "
                              "record_type = $2 AND id = $3",
                              {std::get<0>(key), int64_t{std::get<1>(key)}, std::get<2>(key)}));
      if (rows.empty()) continue;
      Record r;
      if (!r.ParseFromString(rows[0].Bytes(0))) return absl::DataLossError("a record does not parse");
      resend.push_back(std::move(r));
    }
    return absl::OkStatus();
  }));
  for (size_t i = 0; i < resend.size(); i += kRepairBatch) {
    std::vector<Record> batch(resend.begin() + i,
                              resend.begin() + std::min(resend.size(), i + kRepairBatch));
    CHAINHUB_ASSIGN_OR_RETURN(auto ack, push->SendRepair(batch));
    response.set_repaired_count(response.repaired_count() + ack.applied_count());
  }
  LogInfo("reconciled with the receiver", {{"differences", differences.size()},
                                          {"repaired", response.repaired_count()}});
  // Compared again after the repair.
  CHAINHUB_ASSIGN_OR_RETURN(Local after, ReadLocal(store, request.list_version()));
  CHAINHUB_ASSIGN_OR_RETURN(auto remote_after, RemoteDigests(client, request.list_version()));
  v1::ReconcileResponse check;
  response.set_consistent(Compare(after.digests, remote_after, &check).empty());
  return response;
}

}  // namespace chainhub::sync
