// What every resource-owning service does the same way around one write: resources stored as
// protobuf blobs beside their columns (etag, create/update times kept out of the blob), the etag
// check, the event and audit row a mutation appends, and the stored response of an idempotent
// create.
#ifndef CHAINHUB_COMMON_RESOURCE_H_
#define CHAINHUB_COMMON_RESOURCE_H_

#include <functional>
#include <optional>
#include <set>
#include <string>

#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/status_util.h"
#include "common/cache/cache.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "common/rpc/call_context.h"
#include "common/store/idempotency.h"
#include "common/store/store.h"

namespace chainhub {

// --- Stored rows --------------------------------------------------------------------------------

inline int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

void SetTimestamp(google::protobuf::Timestamp* ts, int64_t micros);
// The microseconds since the epoch `ts` holds (the inverse of SetTimestamp).
int64_t TimestampMicros(const google::protobuf::Timestamp& ts);

// "<create time hex>-<revision>": changes on every write, differs between a resource and its
// re-created namesake.
std::string MakeEtag(int64_t create_us, int64_t revision);

template <typename T>
absl::StatusOr<T> DecodeResource(const std::string& bytes) {
  T value;
  if (!value.ParseFromString(bytes)) return absl::DataLossError("stored resource does not decode");
  return value;
}

// The blob of a resource: without etag and times (they have their own columns).
template <typename T>
std::string EncodeResource(T value) {
  value.clear_etag();
  value.clear_create_time();
  value.clear_update_time();
  return value.SerializeAsString();
}

// Fills etag and times from (revision, create_us, update_us).
template <typename T>
void SetVersion(T* value, int64_t revision, int64_t create_us, int64_t update_us) {
  value->set_etag(MakeEtag(create_us, revision));
  SetTimestamp(value->mutable_create_time(), create_us);
  SetTimestamp(value->mutable_update_time(), update_us);
}

// --- Transactions -------------------------------------------------------------------------------

// Runs `fn(tx, db, invalidate)` in one write transaction, `db` being the service's typed view
// (Db(SqlTx&)) of it; after the commit, wakes the outbox relay and invalidates the cache namespaces
// `fn` added to `invalidate`, and `always` (what any write of the service may change, such as its
// cached list pages). `relay` and `cache` may be null.
template <typename Db>
absl::Status WriteThenPublish(
    Store& store, OutboxRelay* relay, Cache* cache,
    const std::function<absl::Status(SqlTx&, Db&, std::set<std::string>&)>& fn,
    const std::set<std::string>& always = {}) {
  std::set<std::string> invalidate;
  CHAINHUB_RETURN_IF_ERROR(store.Write([&](SqlTx& tx) {
    invalidate = always;  // the writer may retry a job; start clean
    Db db(tx);
    return fn(tx, db, invalidate);
  }));
  if (relay != nullptr) relay->Notify();
  if (cache != nullptr) {
    cache->Invalidate(invalidate);
  }
  return absl::OkStatus();
}

// A cache-aside read of one message: its bytes from `cache` (loaded with `load` on a miss) or,
// without a cache, from `load`; parsed into `out`.
absl::Status ReadThroughCache(Cache* cache, absl::string_view ns, absl::string_view key,
                              const std::function<absl::StatusOr<std::string>()>& load,
                              google::protobuf::Message* out);

// A cache-aside read (ReadThroughCache) of the message `load` returns on a miss.
template <typename Message, typename Load>
absl::Status ReadCached(Cache* cache, absl::string_view ns, absl::string_view key, Load&& load,
                        Message* out) {
  return ReadThroughCache(
      cache, ns, key,
      [&]() -> absl::StatusOr<std::string> {
        CHAINHUB_ASSIGN_OR_RETURN(Message message, load());
        return message.SerializeAsString();
      },
      out);
}

// Runs `fn(db)` on a read snapshot.
template <typename Db>
absl::Status ReadSnapshot(Store& store, const std::function<absl::Status(Db&)>& fn) {
  return store.Read([&](SqlTx& tx) {
    Db db(tx);
    return fn(db);
  });
}

// --- Writes -------------------------------------------------------------------------------------

// ABORTED when `given` is set and differs from `current`.
absl::Status CheckEtag(absl::string_view given, absl::string_view current,
                       absl::string_view resource);

// PERMISSION_DENIED unless the caller holds some role.
absl::Status RequireReader(const AuthorizedCall& call);

// The event of a mutation by `call` in `service` (MakeCloudEvent, with the call's request id and
// principal): `kind` is a value of the service's event enum, `payload` the message it declares,
// `subject` the resource's name, `chain_id` the id of its chain (empty when it has none).
CloudEvent NewEventOfKind(absl::string_view service, const AuthorizedCall& call,
                          const google::protobuf::EnumValueDescriptor& kind,
                          absl::string_view subject, absl::string_view chain_id, absl::Time now,
                          const google::protobuf::Message& payload);

template <typename Kind>
CloudEvent NewEvent(absl::string_view service, const AuthorizedCall& call, Kind kind,
                    absl::string_view subject, absl::string_view chain_id, absl::Time now,
                    const google::protobuf::Message& payload) {
  return NewEventOfKind(service, call, EventKindDescriptor(kind), subject, chain_id, now, payload);
}

// Appends the audit row and the outbox event of one mutation, in the caller's transaction.
absl::Status RecordMutation(SqlTx& tx, const AuthorizedCall& call, CloudEvent event,
                            absl::string_view detail, absl::Time now);

// The audit detail of a create: the body's request_id, which retries share.
std::string CreateDetail(absl::string_view request_id);

// The audit detail of an update: "update_mask=a,b" or "update_mask=*".
std::string MaskText(const google::protobuf::FieldMask& mask);

// Stores `response` for retries of this call's request_id, in the caller's transaction; nothing
// when request_id is empty (the pair of ReplayIdempotent).
absl::Status RememberResponse(SqlTx& tx, const AuthorizedCall& call, const std::string& request_id,
                              const std::string& digest, const google::protobuf::Message& response,
                              absl::Time now);

// The stored response of an earlier call with this request_id and payload digest, if any
// (ALREADY_EXISTS-style errors for a reused id with another payload come from LookupIdempotent).
template <typename Response>
absl::StatusOr<std::optional<Response>> ReplayIdempotent(SqlTx& tx, const AuthorizedCall& call,
                                                         const std::string& request_id,
                                                         const std::string& digest) {
  if (request_id.empty()) return std::optional<Response>();
  CHAINHUB_ASSIGN_OR_RETURN(auto stored, LookupIdempotent(tx, call.method, request_id, digest));
  if (!stored) return std::optional<Response>();
  Response r;
  if (!r.ParseFromString(*stored)) return absl::DataLossError("stored response does not decode");
  return std::optional<Response>(std::move(r));
}

}  // namespace chainhub

#endif  // CHAINHUB_COMMON_RESOURCE_H_
