#include "services/province/ingest_store.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/digest.h"
#include "common/base/fields.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace chainhub::province {

namespace {

constexpr size_t kMaxBatchIdBytes = 64;

bool IsBatchIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

// The batch's records, serialized deterministically: what "the same batch" means.
std::string BodyDigest(const v1::IngestBatchRequest& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    for (const Record& r : request.records()) {
      out.WriteVarint64(r.ByteSizeLong());
      r.SerializeWithCachedSizes(&out);
    }
  }
  return Sha256Hex(bytes);
}

absl::Status CheckBatch(const v1::IngestBatchRequest& request, const ProvinceLists& lists) {
  std::vector<FieldViolation> v;
  const std::string& id = request.batch_id();
  if (id.empty()) {
    v.push_back({"batch_id", "must not be empty"});
  } else if (id.size() > kMaxBatchIdBytes ||
             !std::all_of(id.begin(), id.end(), IsBatchIdChar)) {
    v.push_back({"batch_id", "must be 1-64 of [A-Za-z0-9._:-]"});
  }
  if (request.records().empty()) {
    v.push_back({"records", "must not be empty"});
  } else if (request.records_size() > kMaxBatchRecords) {
    v.push_back({"records", absl::StrCat("must hold at most ", kMaxBatchRecords, " records, not ",
                                         request.records_size())});
  } else {
    for (int i = 0; i < request.records_size() && v.size() < kMaxFieldViolations; ++i) {
      CheckRecord(request.records(i), absl::StrCat("records[", i, "]"), lists, &v);
    }
  }
  return ToStatus(v);
}

std::vector<std::string> BucketsOf(const Record& r) {
  std::vector<std::string> cats = CategoriesOf(r);
  if (cats.empty()) cats.emplace_back();
  return cats;
}

}  // namespace

IngestStore::IngestStore(Store* store, const ProvinceLists* lists, const Clock& clock)
    : store_(store), lists_(lists), clock_(clock) {}

absl::StatusOr<v1::IngestBatchResponse> IngestStore::Ingest(
    const std::string& principal, const v1::IngestBatchRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(CheckBatch(request, *lists_));
  const std::string body = BodyDigest(request);
  v1::IngestBatchResponse response;
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    response.Clear();
    response.set_batch_id(request.batch_id());
    CHAINHUB_ASSIGN_OR_RETURN(
        auto prior, tx.Query("SELECT body_digest, applied, stale FROM province_batches "
                             "WHERE batch_id = $1",
                             {request.batch_id()}));
    if (!prior.empty()) {
      if (prior[0].Text(0) != body) {
        return FailedPrecondition(absl::StrCat("batch ", Quoted(request.batch_id())),
                                  "was received before with other records; a batch id names "
                                  "one batch");
      }
      response.set_applied_count(static_cast<int32_t>(prior[0].Int(1)));
      response.set_stale_count(static_cast<int32_t>(prior[0].Int(2)));
      response.set_duplicate(true);
      return absl::OkStatus();
    }
    const int64_t now_us = absl::ToUnixMicros(clock_.Now());
    int32_t applied = 0, stale = 0;
    for (const Record& r : request.records()) {
      const int64_t type = r.type();
      CHAINHUB_ASSIGN_OR_RETURN(
          auto held, tx.Query("SELECT version, deleted, data FROM province_records "
                              "WHERE list_version = $1 AND record_type = $2 AND id = $3",
                              {r.list_version(), type, r.id()}));
      if (!held.empty() && held[0].Int(0) >= r.version()) {
        ++stale;
        continue;
      }
      if (!held.empty() && held[0].Int(1) == 0) {
        CHAINHUB_RETURN_IF_ERROR(tx.Exec(
                                       "DELETE FROM province_record_categories WHERE list_version "
                                       "= $1 AND record_type = $2 AND id = $3",
                                       {r.list_version(), type, r.id()})
                                     .status());
      }
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO province_records (list_version, record_type, id, version, deleted, "
                  "data, receive_us) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                  "ON CONFLICT (list_version, record_type, id) DO UPDATE SET "
                  "version = excluded.version, deleted = excluded.deleted, data = excluded.data, "
                  "receive_us = excluded.receive_us",
                  {r.list_version(), type, r.id(), r.version(), int64_t{r.deleted() ? 1 : 0},
                   Blob{r.SerializeAsString()}, now_us})
              .status());
      if (!r.deleted()) {
        const uint64_t hash = RecordHash(r.list_version(), r.type(), r.id(), r.version());
        for (const std::string& c : BucketsOf(r)) {
          CHAINHUB_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO province_record_categories (list_version, category, "
                      "record_type, id, hash_hi, hash_lo) VALUES ($1, $2, $3, $4, $5, $6)",
                      {r.list_version(), c, type, r.id(), static_cast<int64_t>(hash >> 32),
                       static_cast<int64_t>(hash & 0xffffffffu)})
                  .status());
        }
      }
      ++applied;
    }
    response.set_applied_count(applied);
    response.set_stale_count(stale);
    return tx.Exec("INSERT INTO province_batches (batch_id, body_digest, principal, record_count, "
                   "applied, stale, receive_us) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {request.batch_id(), body, principal, int64_t{request.records_size()},
                    int64_t{applied}, int64_t{stale}, now_us})
        .status();
  }));
  return response;
}

absl::StatusOr<v1::GetDigestsResponse> IngestStore::Digests(const v1::GetDigestsRequest& request) {
  std::string sql =
      "SELECT list_version, record_type, category, COUNT(*), SUM(hash_hi), SUM(hash_lo) "
      "FROM province_record_categories WHERE 1 = 1";
  std::vector<SqlValue> params;
  if (!request.list_version().empty()) {
    params.emplace_back(request.list_version());
    absl::StrAppend(&sql, " AND list_version = $", params.size());
  }
  if (request.type() != v1::RECORD_TYPE_UNSPECIFIED) {
    params.emplace_back(int64_t{request.type()});
    absl::StrAppend(&sql, " AND record_type = $", params.size());
  }
  absl::StrAppend(&sql,
                  " GROUP BY list_version, record_type, category "
                  "ORDER BY list_version, record_type, category");
  v1::GetDigestsResponse response;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    response.Clear();
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const SqlRow& row : rows) {
      v1::CategoryDigest* d = response.add_digests();
      d->set_list_version(row.Text(0));
      d->set_type(static_cast<RecordType>(row.Int(1)));
      d->set_category(row.Text(2));
      d->set_count(row.Int(3));
      d->set_digest(DigestHex(CombineHalves(row.Int(4), row.Int(5))));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListRecordsResponse> IngestStore::List(const v1::ListRecordsRequest& request) {
  std::vector<FieldViolation> v;
  if (request.list_version().empty()) v.push_back({"list_version", "must not be empty"});
  if (request.page_size() < 0) v.push_back({"page_size", "must not be negative"});
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  const int page_size = request.page_size() == 0 ? 100 : std::min(request.page_size(), 1000);
  const std::string fingerprint = QueryFingerprint(
      "ListRecords",
      absl::StrCat(request.list_version(), "|", request.type(), "|", request.category()),
      request.keys_only() ? "keys" : "records");
  CHAINHUB_ASSIGN_OR_RETURN(PageToken token,
                            DecodePageToken(request.page_token(), fingerprint));
  const bool by_category = !request.category().empty();
  std::string sql = by_category
                        ? "SELECT r.record_type, r.id, r.version, r.data FROM "
                          "province_record_categories c JOIN province_records r ON "
                          "r.list_version = c.list_version AND r.record_type = c.record_type AND "
                          "r.id = c.id WHERE c.list_version = $1 AND c.category = $2"
                        : "SELECT r.record_type, r.id, r.version, r.data FROM province_records r "
                          "WHERE r.list_version = $1 AND r.deleted = 0";
  std::vector<SqlValue> params{request.list_version()};
  if (by_category) params.emplace_back(request.category() == "-" ? "" : request.category());
  if (request.type() != v1::RECORD_TYPE_UNSPECIFIED) {
    params.emplace_back(int64_t{request.type()});
    absl::StrAppend(&sql, " AND r.record_type = $", params.size());
  }
  if (token.last_key.size() == 2) {
    int64_t last_type = 0;
    if (!absl::SimpleAtoi(token.last_key[0], &last_type)) {
      return InvalidField("page_token", "is malformed");
    }
    params.emplace_back(last_type);
    params.emplace_back(token.last_key[1]);
    absl::StrAppend(&sql, " AND (r.record_type > $", params.size() - 1, " OR (r.record_type = $",
                    params.size() - 1, " AND r.id > $", params.size(), "))");
  }
  absl::StrAppend(&sql, " ORDER BY r.record_type, r.id LIMIT ", page_size + 1);
  v1::ListRecordsResponse response;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    response.Clear();
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(page_size); ++i) {
      Record* r = response.add_records();
      if (!request.keys_only()) {
        if (!r->ParseFromString(rows[i].Bytes(3))) {
          return absl::DataLossError(absl::StrCat("record ", rows[i].Text(1), " does not parse"));
        }
        continue;
      }
      r->set_list_version(request.list_version());
      r->set_type(static_cast<RecordType>(rows[i].Int(0)));
      r->set_id(rows[i].Text(1));
      r->set_version(rows[i].Int(2));
    }
    if (rows.size() > static_cast<size_t>(page_size)) {
      const Record& last = response.records(page_size - 1);
      response.set_next_page_token(EncodePageToken(
          {{absl::StrCat(static_cast<int>(last.type())), last.id()}, fingerprint}));
    }
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace chainhub::province
