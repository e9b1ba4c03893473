#include "services/sync/push_agent.h"

#include <algorithm>
#include <random>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/store/lease.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "services/province/records.h"
#include "services/sync/sync_store.h"

namespace chainhub::sync {

namespace {

constexpr absl::string_view kPushResource = "push";

bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::ALREADY_EXISTS:
      return false;
    default:
      return true;
  }
}

std::string CodeText(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string Describe(const grpc::Status& s) {
  return absl::StrCat(CodeText(s.error_code()), ": ", s.error_message());
}

// The record a refusal names ("records[3].categories[0]: …"), as "list|TYPE|id".
std::string Offending(const grpc::Status& s, const std::vector<province::v1::Record>& records) {
  for (const FieldViolation& v : FieldViolationsOf(FromGrpcStatus(s))) {
    absl::string_view field = v.field;
    if (!absl::ConsumePrefix(&field, "records[")) continue;
    int index = 0;
    if (!absl::SimpleAtoi(field.substr(0, field.find(']')), &index)) continue;
    if (index < 0 || index >= static_cast<int>(records.size())) continue;
    const auto& r = records[index];
    return absl::StrCat(r.list_version(), "|", province::v1::RecordType_Name(r.type()), "|",
                        r.id());
  }
  return "";
}


constexpr absl::string_view kPushLease = "sync-push";

}  // namespace

PushAgent::PushAgent(Store* store, ProvinceClient* client, PushOptions options,
                     const Clock& clock)
    : store_(store), client_(client), options_(std::move(options)), clock_(clock) {
  options_.batch_size = std::clamp(options_.batch_size, 1, 1000);
  if (options_.holder.empty()) options_.holder = LeaseHolderName();
  auto& m = MetricsRegistry::Global();
  m.Describe("chainhub_sync_push_leader", "gauge",
             "1 while this replica holds the push lease (it is the one pushing), else 0.");
  m.Describe("chainhub_sync_pushed_records_total", "counter",
             "Records the receiver acknowledged, by outcome (applied, stale).");
  m.Describe("chainhub_sync_push_failures_total", "counter",
             "Failed push attempts, by gRPC code.");
  m.Describe("chainhub_sync_push_halted", "gauge",
             "1 while the push is halted on a refusal (alert on it), else 0.");
  m.Describe("chainhub_sync_push_pending", "gauge", "Changes not yet acknowledged.");
}

PushAgent::~PushAgent() { Stop(); }

void PushAgent::Start() {
  if (!client_->enabled() || thread_.joinable()) return;
  {
    absl::MutexLock lock(&mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void PushAgent::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (held_.exchange(false)) {
    // Another replica takes over at its next round instead of after the expiry.
    absl::Status released = store_->Write(
        [&](SqlTx& tx) { return ReleaseLease(tx, std::string(kPushLease), options_.holder); });
    if (!released.ok()) LogWarn("push lease not released", {{"error", released.ToString()}});
    MetricsRegistry::Global().Set("chainhub_sync_push_leader", {}, 0);
  }
}

absl::StatusOr<std::optional<int64_t>> PushAgent::HoldLease() {
  std::optional<int64_t> token;
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(token, AcquireLease(tx, std::string(kPushLease), options_.holder,
                                                  options_.lease_ttl, clock_.Now()));
    return absl::OkStatus();
  }));
  const bool was = held_.exchange(token.has_value());
  if (was != token.has_value()) {
    LogInfo(token ? "push lease taken: this replica pushes" : "push lease held by another replica",
            {{"holder", options_.holder}});
  }
  MetricsRegistry::Global().Set("chainhub_sync_push_leader", {}, token ? 1 : 0);
  return token;
}

void PushAgent::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

absl::Duration PushAgent::Backoff(int failures) {
  absl::Duration d = options_.initial_backoff;
  for (int i = 1; i < failures && d < options_.max_backoff; ++i) d *= 2;
  d = std::min(d, options_.max_backoff);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  // Full jitter over the upper half: between d/2 and d.
  return d / 2 + absl::Nanoseconds(std::uniform_int_distribution<int64_t>(
                     0, absl::ToInt64Nanoseconds(d / 2))(rng));
}

void PushAgent::Run() {
  int failures = 0;
  while (true) {
    absl::Duration wait = absl::ZeroDuration();
    auto pushed = PushOnce();
    if (!pushed.ok()) {
      ++failures;
      wait = Backoff(failures);
    } else {
      failures = 0;
      if (*pushed == 0) wait = options_.idle_poll;
    }
    absl::MutexLock lock(&mu_);
    if (wait > absl::ZeroDuration()) {
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stop_ || woken_;
      };
      // A failure waits its backoff whatever wakes it; an idle agent wakes on new changes.
      if (pushed.ok()) {
        mu_.AwaitWithTimeout(absl::Condition(&woken), wait);
      } else {
        auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
        mu_.AwaitWithTimeout(absl::Condition(&stopped), wait);
      }
    }
    woken_ = false;
    if (stop_) return;
  }
}

absl::StatusOr<int> PushAgent::PushOnce() {
  if (!client_->enabled()) return 0;
  CHAINHUB_ASSIGN_OR_RETURN(std::optional<int64_t> lease, HoldLease());
  if (!lease) return 0;
  int64_t state = 0, checkpoint = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow row,
                              tx.QueryOne("SELECT state, checkpoint FROM sync_push WHERE id = 1"));
    state = row.Int(0);
    checkpoint = row.Int(1);
    return absl::OkStatus();
  }));
  if (state != v1::PUSH_STATE_ACTIVE) return 0;
  SyncReader reader(store_);
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<FeedRecord> changes,
                            reader.ChangesAfter(checkpoint, options_.batch_size));
  CHAINHUB_ASSIGN_OR_RETURN(int64_t head, reader.Head());
  MetricsRegistry::Global().Set("chainhub_sync_push_pending", {},
                                static_cast<double>(head - checkpoint));
  if (changes.empty()) return 0;

  province::v1::IngestBatchRequest batch;
  std::vector<province::v1::Record> records;
  for (auto& c : changes) records.push_back(std::move(c.record));
  const int64_t first = records.front().version(), last = records.back().version();
  batch.set_batch_id(absl::StrCat(options_.sender, ":", first, "-", last, "-", records.size()));
  for (const auto& r : records) *batch.add_records() = r;

  province::v1::IngestBatchResponse ack;
  grpc::Status sent = client_->IngestBatch(batch, &ack);
  auto& metrics = MetricsRegistry::Global();
  if (sent.ok()) {
    CHAINHUB_RETURN_IF_ERROR(RecordAttempt(batch.batch_id(), "push", first, last,
                                           batch.records_size(), v1::PUSH_OUTCOME_ACKNOWLEDGED,
                                           &ack, ""));
    const int64_t now_us = absl::ToUnixMicros(clock_.Now());
    bool still_held = true;
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      // A replica that stalled past its lease moves nothing: the next holder has the feed now
      // (the batch it sent is the same batch to the receiver, so nothing is applied twice).
      still_held = CheckLease(tx, std::string(kPushLease), options_.holder, *lease, clock_.Now()).ok();
      if (!still_held) return absl::OkStatus();
      return tx.Exec("UPDATE sync_push SET checkpoint = $1, failures = 0, last_success_us = $2, "
                     "update_us = $2 WHERE id = 1 AND checkpoint < $1",
                     {last, now_us})
          .status();
    }));
    if (!still_held) {
      LogWarn("push lease lost while sending; the checkpoint is the next holder's",
              {{"batch_id", batch.batch_id()}});
      return 0;
    }
    metrics.Add("chainhub_sync_pushed_records_total", {{"outcome", "applied"}},
                ack.applied_count());
    metrics.Add("chainhub_sync_pushed_records_total", {{"outcome", "stale"}}, ack.stale_count());
    metrics.Set("chainhub_sync_push_pending", {}, static_cast<double>(head - last));
    return batch.records_size();
  }
  metrics.Add("chainhub_sync_push_failures_total", {{"code", CodeText(sent.error_code())}});
  const std::string error = Describe(sent);
  const bool retry = Retryable(sent.error_code());
  CHAINHUB_RETURN_IF_ERROR(RecordAttempt(
      batch.batch_id(), "push", first, last, batch.records_size(),
      retry ? v1::PUSH_OUTCOME_RETRYING : v1::PUSH_OUTCOME_REFUSED, nullptr, error));
  const int64_t now_us = absl::ToUnixMicros(clock_.Now());
  if (retry) {
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) {
      return tx.Exec("UPDATE sync_push SET failures = failures + 1, reason = $1, update_us = $2 "
                     "WHERE id = 1",
                     {error, now_us})
          .status();
    }));
    LogWarn("province push failed; retrying", {{"batch_id", batch.batch_id()}, {"error", error}});
    return absl::UnavailableError(error);
  }
  const std::string offending = Offending(sent, records);
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) {
    return tx.Exec("UPDATE sync_push SET state = $1, reason = $2, offending = $3, "
                   "failures = failures + 1, update_us = $4 WHERE id = 1",
                   {int64_t{v1::PUSH_STATE_HALTED}, absl::StrCat("the receiver refused batch ",
                                                                   batch.batch_id(), ": ", error),
                    offending, now_us})
        .status();
  }));
  metrics.Set("chainhub_sync_push_halted", {}, 1);
  LogError("province push halted: the receiver refused a batch",
           {{"batch_id", batch.batch_id()}, {"error", error}, {"record", offending}});
  return absl::FailedPreconditionError(error);
}

absl::StatusOr<province::v1::IngestBatchResponse> PushAgent::SendRepair(
    const std::vector<province::v1::Record>& records) {
  province::v1::IngestBatchRequest batch;
  batch.set_batch_id(absl::StrCat(options_.sender, ":repair-", NewUuidV7(clock_.Now())));
  int64_t first = 0, last = 0;
  for (const auto& r : records) {
    *batch.add_records() = r;
    first = first == 0 ? r.version() : std::min(first, r.version());
    last = std::max(last, r.version());
  }
  province::v1::IngestBatchResponse ack;
  grpc::Status sent = client_->IngestBatch(batch, &ack);
  CHAINHUB_RETURN_IF_ERROR(RecordAttempt(
      batch.batch_id(), "repair", first, last, batch.records_size(),
      sent.ok() ? v1::PUSH_OUTCOME_ACKNOWLEDGED : v1::PUSH_OUTCOME_REFUSED, sent.ok() ? &ack : nullptr,
      sent.ok() ? "" : Describe(sent)));
  if (!sent.ok()) return FromGrpcStatus(sent);
  return ack;
}

absl::Status PushAgent::RecordAttempt(const std::string& batch_id, absl::string_view kind,
                                      int64_t first_version, int64_t last_version, int count,
                                      v1::PushOutcome outcome,
                                      const province::v1::IngestBatchResponse* ack,
                                      const std::string& error) {
  const int64_t now_us = absl::ToUnixMicros(clock_.Now());
  const int64_t applied = ack ? ack->applied_count() : 0, stale = ack ? ack->stale_count() : 0;
  return store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE sync_pushes SET outcome = $1, attempts = attempts + 1, applied = $2, "
                "stale = $3, error = $4, end_us = $5 WHERE batch_id = $6",
                {int64_t{outcome}, applied, stale, error, now_us, batch_id}));
    if (changed > 0) return absl::OkStatus();
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow seq,
                              tx.QueryOne("SELECT COALESCE(MAX(seq), 0) + 1 FROM sync_pushes"));
    return tx.Exec("INSERT INTO sync_pushes (batch_id, seq, kind, first_version, last_version, "
                   "record_count, outcome, attempts, applied, stale, error, start_us, end_us) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, $11)",
                   {batch_id, seq.Int(0), std::string(kind), first_version, last_version,
                    int64_t{count}, int64_t{outcome}, applied, stale, error, now_us})
        .status();
  });
}

absl::StatusOr<v1::PushStatus> PushAgent::Status() {
  v1::PushStatus status;
  status.set_target(client_->target());
  int64_t checkpoint = 0, head = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        SqlRow row, tx.QueryOne("SELECT state, checkpoint, reason, offending, failures, "
                                "last_success_us, update_us FROM sync_push WHERE id = 1"));
    status.set_state(client_->enabled() ? static_cast<v1::PushState>(row.Int(0))
                                        : v1::PUSH_STATE_DISABLED);
    checkpoint = row.Int(1);
    status.set_reason(row.Text(2));
    status.set_offending_record(row.Text(3));
    status.set_failures(static_cast<int32_t>(row.Int(4)));
    if (row.Int(5) > 0) SetTimestamp(status.mutable_last_success_time(), row.Int(5));
    if (row.Int(6) > 0) SetTimestamp(status.mutable_update_time(), row.Int(6));
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow seq, tx.QueryOne("SELECT last FROM sync_seq WHERE id = 1"));
    head = seq.Int(0);
    return absl::OkStatus();
  }));
  status.set_checkpoint(absl::StrCat(checkpoint));
  status.set_head(absl::StrCat(head));
  // Versions between the checkpoint and the head that are still held (superseded ones are gone).
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        SqlRow row, tx.QueryOne("SELECT COUNT(*) FROM sync_records WHERE version > $1", {checkpoint}));
    status.set_pending(row.Int(0));
    return absl::OkStatus();
  }));
  return status;
}

absl::StatusOr<v1::ListPushesResponse> PushAgent::List(const v1::ListPushesRequest& request) {
  CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(request.page_size()));
  page_size = std::min(page_size, 500);
  const std::string fingerprint = QueryFingerprint("ListPushes", "", "");
  CHAINHUB_ASSIGN_OR_RETURN(PageToken token, DecodePageToken(request.page_token(), fingerprint));
  int64_t before = INT64_MAX;
  if (token.last_key.size() == 1 && !absl::SimpleAtoi(token.last_key[0], &before)) {
    return InvalidField("page_token", "is malformed");
  }
  v1::ListPushesResponse response;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    response.Clear();
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(absl::StrCat("SELECT batch_id, seq, kind, first_version, last_version, "
                              "record_count, outcome, attempts, applied, stale, error, start_us, "
                              "end_us FROM sync_pushes WHERE seq < $1 ORDER BY seq DESC LIMIT ",
                              page_size + 1),
                 {before}));
    for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(page_size); ++i) {
      const SqlRow& r = rows[i];
      v1::Push* p = response.add_pushes();
      p->set_name(absl::StrCat("pushes/", r.Text(0)));
      p->set_batch_id(r.Text(0));
      p->set_kind(r.Text(2));
      p->set_first_cursor(absl::StrCat(r.Int(3)));
      p->set_last_cursor(absl::StrCat(r.Int(4)));
      p->set_record_count(static_cast<int32_t>(r.Int(5)));
      p->set_outcome(static_cast<v1::PushOutcome>(r.Int(6)));
      p->set_attempts(static_cast<int32_t>(r.Int(7)));
      p->set_applied_count(static_cast<int32_t>(r.Int(8)));
      p->set_stale_count(static_cast<int32_t>(r.Int(9)));
      p->set_error(r.Text(10));
      SetTimestamp(p->mutable_start_time(), r.Int(11));
      SetTimestamp(p->mutable_end_time(), r.Int(12));
    }
    if (rows.size() > static_cast<size_t>(page_size)) {
      response.set_next_page_token(
          EncodePageToken({{absl::StrCat(rows[page_size - 1].Int(1))}, fingerprint}));
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::PushStatus> PushAgent::Pause(const AuthorizedCall& call,
                                                const std::string& reason) {
  const absl::Time now = clock_.Now();
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("UPDATE sync_push SET state = $1, reason = $2, update_us = $3 WHERE id = 1",
                {int64_t{v1::PUSH_STATE_PAUSED}, absl::StrCat("paused by ", call.principal.subject,
                                                              ": ", reason),
                 absl::ToUnixMicros(now)})
            .status());
    return AppendAudit(tx, call, kPushResource, absl::StrCat("pause: ", reason), now);
  }));
  return Status();
}

absl::StatusOr<v1::PushStatus> PushAgent::Resume(const AuthorizedCall& call) {
  const absl::Time now = clock_.Now();
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("UPDATE sync_push SET state = $1, reason = '', offending = '', failures = 0, "
                "update_us = $2 WHERE id = 1",
                {int64_t{v1::PUSH_STATE_ACTIVE}, absl::ToUnixMicros(now)})
            .status());
    return AppendAudit(tx, call, kPushResource, "resume", now);
  }));
  MetricsRegistry::Global().Set("chainhub_sync_push_halted", {}, 0);
  Wake();
  return Status();
}

}  // namespace chainhub::sync
