#include "services/notify/delivery/dispatcher.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <utility>

#include "absl/base/call_once.h"
#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "chainhub/notify/v1/notify_events.pb.h"
#include "common/base/fields.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"
#include "common/events/cloud_event.h"
#include "common/rpc/auth.h"
#include "common/service/audit.h"
#include "common/service/resource.h"
#include "common/store/idempotency.h"
#include "common/store/list_query.h"
#include "services/notify/delivery/channels.h"
#include "services/notify/delivery/endpoint_rules.h"
#include "services/notify/delivery/retry.h"
#include "services/notify/delivery/signing.h"

namespace chainhub {
const std::vector<Migration>& NotifyDeliveryMigrations();
}  // namespace chainhub

namespace chainhub::notify {

namespace {

constexpr absl::string_view kService = "notify";
constexpr int kAttemptsShown = 20;

// Metric names.
constexpr absl::string_view kQueued = "chainhub_notify_dispatches_queued_total";
constexpr absl::string_view kSent = "chainhub_notify_dispatches_sent_total";
constexpr absl::string_view kFailedAttempts = "chainhub_notify_attempts_failed_total";
constexpr absl::string_view kDead = "chainhub_notify_dispatches_dead_total";
constexpr absl::string_view kQueueDepth = "chainhub_notify_dispatch_queue_depth";
constexpr absl::string_view kLatency = "chainhub_notify_attempt_latency_seconds";

void DescribeMetrics() {
  static absl::once_flag once;
  absl::call_once(once, [] {
    MetricsRegistry& m = MetricsRegistry::Global();
    m.Describe(kQueued, "counter", "Dispatches queued, by channel.");
    m.Describe(kSent, "counter", "Dispatches sent, by channel.");
    m.Describe(kFailedAttempts, "counter", "Failed send attempts, by channel.");
    m.Describe(kDead, "counter", "Dispatches moved to the dead-letter list, by channel.");
    m.Describe(kQueueDepth, "gauge", "Dispatches QUEUED, as last counted.");
    m.Describe(kLatency, "histogram", "Send attempt latency, by channel.");
  });
}

MetricLabels ChannelLabel(v1::Channel channel) {
  return {{"channel", absl::AsciiStrToLower(v1::Channel_Name(channel))}};
}

absl::Status RequireAdmin(const AuthorizedCall& call) {
  return RequireAnyRole(call.principal, {"admin"});
}

// --- Endpoint rows ------------------------------------------------------------------------------

constexpr absl::string_view kEndpointColumns =
    "e.data, e.state, e.consecutive_failures, e.secret, e.previous_secret, e.previous_until_us, "
    "e.revision, e.create_us, e.update_us, e.id";

struct EndpointRow {
  v1::Endpoint endpoint;  // with state, failures, etag and times; without its secret
  std::string secret;
  std::string previous_secret;
  int64_t previous_until_us = 0;
  int64_t revision = 0;
  int64_t create_us = 0;
};

absl::StatusOr<EndpointRow> EndpointOf(const SqlRow& r) {
  EndpointRow row;
  CHAINHUB_ASSIGN_OR_RETURN(row.endpoint, DecodeResource<v1::Endpoint>(r.Bytes(0)));
  row.endpoint.set_state(static_cast<v1::EndpointState>(r.Int(1)));
  row.endpoint.set_consecutive_failures(static_cast<int32_t>(r.Int(2)));
  row.secret = r.Text(3);
  row.previous_secret = r.Text(4);
  row.previous_until_us = r.Int(5);
  row.revision = r.Int(6);
  row.create_us = r.Int(7);
  SetVersion(&row.endpoint, r.Int(6), r.Int(7), r.Int(8));
  return row;
}

// The endpoint as the API shows it: no secret, a masked WeCom key.
v1::Endpoint Shown(const EndpointRow& row, absl::Time now) {
  v1::Endpoint e = row.endpoint;
  e.clear_secret();
  e.set_secret_set(!row.secret.empty());
  e.set_secret_fingerprint(row.secret.empty() ? "" : SecretFingerprint(row.secret));
  e.clear_previous_valid_until();
  if (!row.previous_secret.empty() && row.previous_until_us > Micros(now)) {
    SetTimestamp(e.mutable_previous_valid_until(), row.previous_until_us);
  }
  e.set_url(MaskedUrl(e.channel(), e.url()));
  return e;
}

// The blob of an endpoint: no secret and none of the columns kept beside it.
std::string EndpointBlob(v1::Endpoint e) {
  e.clear_secret();
  e.clear_secret_set();
  e.clear_secret_fingerprint();
  e.clear_previous_valid_until();
  e.clear_consecutive_failures();
  return EncodeResource(std::move(e));
}

absl::StatusOr<EndpointRow> LoadEndpoint(SqlTx& tx, const std::string& id) {
  absl::StatusOr<SqlRow> r = tx.QueryOne(
      absl::StrCat("SELECT ", kEndpointColumns, " FROM notify_endpoints e WHERE e.id = $1"), {id});
  if (absl::IsNotFound(r.status())) return NotFound("endpoint", absl::StrCat("endpoints/", id));
  CHAINHUB_RETURN_IF_ERROR(r.status());
  return EndpointOf(*r);
}

absl::Status SaveEndpoint(SqlTx& tx, const std::string& id, const EndpointRow& row,
                          int64_t revision, absl::Time now) {
  const v1::Endpoint& e = row.endpoint;
  return tx
      .Exec(
          "UPDATE notify_endpoints SET recipient = $2, channel = $3, state = $4, "
          "rate_per_minute = $5, pause_after_failures = $6, consecutive_failures = $7, "
          "data = $8, secret = $9, previous_secret = $10, previous_until_us = $11, "
          "revision = $12, update_us = $13 WHERE id = $1",
          {id, e.recipient(), int64_t{e.channel()}, int64_t{e.state()},
           int64_t{e.rate_per_minute()}, int64_t{e.pause_after_failures()},
           int64_t{e.consecutive_failures()}, Blob{EndpointBlob(e)}, row.secret,
           row.previous_secret, row.previous_until_us, revision, Micros(now)})
      .status();
}

// --- Dispatch rows ------------------------------------------------------------------------------

constexpr absl::string_view kDispatchColumns =
    "d.id, d.endpoint, d.channel, d.deliveries, d.state, d.attempt_count, d.next_attempt_us, "
    "d.create_us, d.sent_us";

absl::StatusOr<v1::Dispatch> DispatchOf(SqlTx& tx, const SqlRow& r) {
  v1::Dispatch d;
  d.set_name(absl::StrCat("dispatches/", r.Text(0)));
  d.set_endpoint(absl::StrCat("endpoints/", r.Text(1)));
  d.set_channel(static_cast<v1::Channel>(r.Int(2)));
  for (absl::string_view delivery : absl::StrSplit(r.Text(3), '\n', absl::SkipEmpty())) {
    d.add_deliveries(std::string(delivery));
  }
  d.set_state(static_cast<v1::DispatchState>(r.Int(4)));
  d.set_attempt_count(static_cast<int32_t>(r.Int(5)));
  if (d.state() == v1::QUEUED) SetTimestamp(d.mutable_next_attempt_time(), r.Int(6));
  SetTimestamp(d.mutable_create_time(), r.Int(7));
  if (r.Int(8) > 0) SetTimestamp(d.mutable_sent_time(), r.Int(8));
  CHAINHUB_ASSIGN_OR_RETURN(
      auto attempts, tx.Query("SELECT time_us, status, latency_ms, response FROM notify_attempts "
                              "WHERE dispatch = $1 ORDER BY seq DESC LIMIT $2",
                              {r.Text(0), int64_t{kAttemptsShown}}));
  for (const SqlRow& a : attempts) {
    v1::Attempt* attempt = d.add_attempts();
    SetTimestamp(attempt->mutable_time(), a.Int(0));
    attempt->set_status(static_cast<int32_t>(a.Int(1)));
    attempt->set_latency_ms(static_cast<int32_t>(a.Int(2)));
    attempt->set_response(a.Text(3));
  }
  return d;
}

absl::StatusOr<v1::Dispatch> LoadDispatch(SqlTx& tx, const std::string& id) {
  absl::StatusOr<SqlRow> r = tx.QueryOne(
      absl::StrCat("SELECT ", kDispatchColumns, " FROM notify_dispatches d WHERE d.id = $1"), {id});
  if (absl::IsNotFound(r.status())) return NotFound("dispatch", absl::StrCat("dispatches/", id));
  CHAINHUB_RETURN_IF_ERROR(r.status());
  return DispatchOf(tx, *r);
}

// A time filter value (RFC 3339) bound as microseconds.
absl::StatusOr<SqlValue> TimeValue(absl::string_view text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("filter: ", Quoted(text), " is not an RFC 3339 time"));
  }
  return SqlValue(int64_t{Micros(t)});
}

// Endpoint ids in a filter given as "endpoints/{id}" or "{id}".
absl::StatusOr<SqlValue> EndpointValue(absl::string_view text) {
  absl::ConsumePrefix(&text, "endpoints/");
  return SqlValue(std::string(text));
}

// One leased dispatch: what a worker needs to send it.
struct Leased {
  std::string id;
  std::string endpoint;
  v1::DispatchState state = v1::QUEUED;
  int attempt_count = 0;
  // When its current run of retries began (creation, or the last Redeliver).
  int64_t retry_from_us = 0;
  int pause_after_failures = 0;
  ChannelTarget target;
  ChannelMessage message;
};

}  // namespace

// --- The worker side ----------------------------------------------------------------------------

class Dispatcher::Impl {
 public:
  Impl(Store* store, OutboxRelay* relay, DispatcherOptions options, const Clock& clock)
      : store_(store), relay_(relay), options_(std::move(options)), clock_(clock) {
    if (options_.holder.empty()) options_.holder = NewUuidV7(clock_.Now());
    if (options_.workers < 1) options_.workers = 1;
    DescribeMetrics();
  }

  Store* store() { return store_; }
  OutboxRelay* relay() { return relay_; }
  const DispatcherOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

  void Start() {
    // Leases this holder left behind (a crash) are free at once.
    absl::Status released = store_->Write([&](SqlTx& tx) {
      return tx
          .Exec(
              "UPDATE notify_dispatches SET lease_holder = '', lease_until_us = 0 "
              "WHERE lease_holder = $1",
              {options_.holder})
          .status();
    });
    if (!released.ok()) LogWarn("notify: releasing old leases", {{"error", released.ToString()}});
    absl::MutexLock lock(&mu_);
    if (!threads_.empty()) return;
    stop_ = false;
    for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { Run(); });
  }

  void Stop() {
    {
      absl::MutexLock lock(&mu_);
      stop_ = true;
    }
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  void Wake() {
    absl::MutexLock lock(&mu_);
    wake_ = true;
  }

 private:
  // Until Stop: lease a due dispatch, send it, record the attempt; idle until woken or polled.
  void Run() {
    const absl::Duration poll =
        std::clamp(options_.initial_backoff, absl::Milliseconds(10), absl::Seconds(1));
    while (true) {
      {
        absl::MutexLock lock(&mu_);
        if (stop_) return;
      }
      absl::StatusOr<std::optional<Leased>> leased = LeaseOne();
      if (!leased.ok()) {
        LogWarn("notify: leasing a dispatch", {{"error", leased.status().ToString()}});
      }
      if (leased.ok() && leased->has_value()) {
        SendAndRecord(**leased);
        continue;
      }
      absl::MutexLock lock(&mu_);
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_ || wake_; };
      mu_.AwaitWithTimeout(absl::Condition(&woken), poll);
      wake_ = false;
    }
  }

  // Leases the oldest due dispatch of an ACTIVE endpoint still under its rate (attempts in the
  // last minute plus sends in flight), or none.
  absl::StatusOr<std::optional<Leased>> LeaseOne() {
    std::optional<Leased> out;
    int64_t depth = 0;
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      out.reset();
      const absl::Time now = clock_.Now();
      const int64_t now_us = Micros(now);
      CHAINHUB_ASSIGN_OR_RETURN(
          auto candidates,
          tx.Query("SELECT d.id, d.endpoint, e.rate_per_minute, e.state FROM notify_dispatches "
                   "d JOIN notify_endpoints e ON e.id = d.endpoint "
                   "WHERE d.state = $1 AND d.next_attempt_us <= $2 AND d.lease_until_us <= $2 "
                   "AND (e.state = $3 OR (e.state = $4 AND e.probe_at_us <= $2)) "
                   "ORDER BY d.next_attempt_us, d.id LIMIT 200",
                   {int64_t{v1::QUEUED}, now_us, int64_t{v1::ACTIVE}, int64_t{v1::PAUSED}}));
      std::set<std::string> full;
      for (const SqlRow& c : candidates) {
        const std::string endpoint = c.Text(1);
        if (full.count(endpoint) > 0) continue;
        CHAINHUB_ASSIGN_OR_RETURN(
            SqlRow load,
            tx.QueryOne("SELECT (SELECT COUNT(*) FROM notify_attempts WHERE endpoint = $1 AND "
                        "time_us > $2) + (SELECT COUNT(*) FROM notify_dispatches WHERE "
                        "endpoint = $1 AND state = $3 AND lease_until_us > $4)",
                        {endpoint, now_us - absl::ToInt64Microseconds(absl::Minutes(1)),
                         int64_t{v1::QUEUED}, now_us}));
        if (load.Int(0) >= c.Int(2)) {
          full.insert(endpoint);
          continue;
        }
        CHAINHUB_RETURN_IF_ERROR(
            tx.Exec("UPDATE notify_dispatches SET lease_holder = $2, lease_until_us = $3 "
                    "WHERE id = $1",
                    {c.Text(0), options_.holder, Micros(now + options_.lease)})
                .status());
        if (c.Int(3) == v1::PAUSED) {
          // The probe of a paused endpoint: no other until this one is recorded (or its lease
          // runs out).
          CHAINHUB_RETURN_IF_ERROR(
              tx.Exec("UPDATE notify_endpoints SET probe_at_us = $2 WHERE id = $1",
                      {endpoint, Micros(now + options_.lease)})
                  .status());
        }
        CHAINHUB_ASSIGN_OR_RETURN(out, LoadLeased(tx, c.Text(0), now));
        break;
      }
      CHAINHUB_ASSIGN_OR_RETURN(
          SqlRow count, tx.QueryOne("SELECT COUNT(*) FROM notify_dispatches WHERE state = $1",
                                    {int64_t{v1::QUEUED}}));
      depth = count.Int(0);
      return absl::OkStatus();
    }));
    MetricsRegistry::Global().Set(kQueueDepth, {}, static_cast<double>(depth));
    return out;
  }

  static absl::StatusOr<Leased> LoadLeased(SqlTx& tx, const std::string& id, absl::Time now) {
    CHAINHUB_ASSIGN_OR_RETURN(
        SqlRow r, tx.QueryOne("SELECT d.id, d.endpoint, d.attempt_count, d.retry_from_us, d.title, "
                              "d.markdown, d.webhook_json FROM notify_dispatches d WHERE d.id = $1",
                              {id}));
    Leased l;
    l.id = r.Text(0);
    l.endpoint = r.Text(1);
    l.attempt_count = static_cast<int>(r.Int(2));
    l.retry_from_us = r.Int(3);
    l.message = {l.id, r.Text(4), r.Text(5), r.Text(6)};
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow e, LoadEndpoint(tx, l.endpoint));
    l.pause_after_failures = e.endpoint.pause_after_failures();
    l.target.channel = e.endpoint.channel();
    l.target.url = e.endpoint.url();
    l.target.secret = e.secret;
    if (e.previous_until_us > Micros(now)) l.target.previous_secret = e.previous_secret;
    l.target.email_to = e.endpoint.email_to();
    l.target.email_from = e.endpoint.email_from();
    return l;
  }

  void SendAndRecord(Leased& leased) {
    leased.target.plain_smtp_allowed = PlainSmtpAllowed(leased.target.url, options_.allow);
    const absl::Time start = clock_.Now();
    ChannelResult result = SendOnce(leased.target, leased.message, options_.attempt_timeout, start);
    MetricLabels labels = ChannelLabel(leased.target.channel);
    MetricsRegistry::Global().Observe(kLatency, labels, result.latency_ms / 1000.0);
    double unit = 0;
    {
      absl::MutexLock lock(&mu_);
      unit = absl::Uniform(bitgen_, 0.0, 1.0);
    }
    bool dead = false;
    absl::Status recorded = store_->Write(
        [&](SqlTx& tx) { return Record(tx, leased, result, unit, clock_.Now(), &dead); });
    if (!recorded.ok()) {
      // The lease runs out and the dispatch is sent again with the same id: at-least-once.
      LogWarn("notify: recording an attempt",
              {{"dispatch", leased.id}, {"error", recorded.ToString()}});
      return;
    }
    MetricsRegistry& m = MetricsRegistry::Global();
    if (result.ok) {
      m.Add(kSent, labels);
    } else {
      m.Add(kFailedAttempts, labels);
    }
    if (dead) {
      m.Add(kDead, labels);
      if (relay_ != nullptr) relay_->Notify();
    }
  }

  absl::Status Record(SqlTx& tx, const Leased& leased, const ChannelResult& result, double unit,
                      absl::Time now, bool* dead) {
    *dead = false;
    const int64_t now_us = Micros(now);
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow current,
                              tx.QueryOne("SELECT attempt_count, state FROM notify_dispatches "
                                          "WHERE id = $1",
                                          {leased.id}));
    const int attempts = static_cast<int>(current.Int(0)) + 1;
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO notify_attempts (dispatch, seq, endpoint, time_us, status, "
                "latency_ms, response) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                {leased.id, int64_t{attempts}, leased.endpoint, now_us, int64_t{result.status},
                 int64_t{result.latency_ms}, result.response})
            .status());
    if (result.ok) {
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("UPDATE notify_dispatches SET state = $2, attempt_count = $3, sent_us = $4, "
                  "lease_holder = '', lease_until_us = 0 WHERE id = $1",
                  {leased.id, int64_t{v1::SENT}, int64_t{attempts}, now_us})
              .status());
      // A success resumes a paused endpoint (it was a probe): a new revision, as any change of
      // state.
      return tx
          .Exec("UPDATE notify_endpoints SET consecutive_failures = 0, probe_at_us = 0, "
                "state = CASE WHEN state = $2 THEN $3 ELSE state END, "
                "revision = CASE WHEN state = $2 THEN revision + 1 ELSE revision END, "
                "update_us = CASE WHEN state = $2 THEN $4 ELSE update_us END WHERE id = $1",
                {leased.endpoint, int64_t{v1::PAUSED}, int64_t{v1::ACTIVE}, now_us})
          .status();
    }
    // A failure: the endpoint counts it and pauses at its limit (a new revision, so an update
    // made against the ACTIVE endpoint's etag is refused).
    const std::string pausing = "state = $2 AND consecutive_failures + 1 >= pause_after_failures";
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec(absl::StrCat("UPDATE notify_endpoints SET consecutive_failures = "
                             "consecutive_failures + 1, state = CASE WHEN ",
                             pausing, " THEN $3 ELSE state END, revision = CASE WHEN ", pausing,
                             " THEN revision + 1 ELSE revision END, update_us = CASE WHEN ",
                             pausing, " THEN $4 ELSE update_us END WHERE id = $1"),
                {leased.endpoint, int64_t{v1::ACTIVE}, int64_t{v1::PAUSED}, now_us})
            .status());
    CHAINHUB_RETURN_IF_ERROR(ScheduleProbe(tx, leased.endpoint, now));
    const absl::Time give_up = absl::FromUnixMicros(leased.retry_from_us) + options_.give_up_after;
    if (result.permanent || now >= give_up) {
      *dead = true;
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("UPDATE notify_dispatches SET state = $2, attempt_count = $3, "
                  "lease_holder = '', lease_until_us = 0 WHERE id = $1",
                  {leased.id, int64_t{v1::DEAD}, int64_t{attempts}})
              .status());
      CHAINHUB_ASSIGN_OR_RETURN(v1::Dispatch dispatch, LoadDispatch(tx, leased.id));
      const std::string subject = dispatch.name();
      CloudEvent event =
          MakeCloudEvent(kService, EventKindDescriptor(v1::NOTIFY_EVENT_DISPATCH_DEAD), subject, "",
                         now, dispatch);
      return AppendEvent(tx, std::move(event), clock_);
    }
    absl::Duration delay =
        BackoffDelay(attempts, options_.initial_backoff, options_.max_backoff, unit);
    if (result.retry_after.has_value()) delay = std::max(delay, *result.retry_after);
    const absl::Time next = std::min(now + delay, give_up);
    return tx
        .Exec(
            "UPDATE notify_dispatches SET attempt_count = $2, next_attempt_us = $3, "
            "lease_holder = '', lease_until_us = 0 WHERE id = $1",
            {leased.id, int64_t{attempts}, Micros(next)})
        .status();
  }

  // After a failure: when the endpoint is PAUSED, its next probe, probe_interval after this
  // failure doubled for each failed probe before it, at most max_probe_interval.
  absl::Status ScheduleProbe(SqlTx& tx, const std::string& endpoint, absl::Time now) {
    CHAINHUB_ASSIGN_OR_RETURN(
        SqlRow e, tx.QueryOne("SELECT state, consecutive_failures, pause_after_failures FROM "
                              "notify_endpoints WHERE id = $1",
                              {endpoint}));
    if (e.Int(0) != v1::PAUSED) return absl::OkStatus();
    const int64_t failed_probes = std::clamp<int64_t>(e.Int(1) - e.Int(2), 0, 30);
    const absl::Duration delay = std::min(options_.probe_interval * (int64_t{1} << failed_probes),
                                          options_.max_probe_interval);
    return tx
        .Exec("UPDATE notify_endpoints SET probe_at_us = $2 WHERE id = $1",
              {endpoint, Micros(now + delay)})
        .status();
  }

  Store* store_;
  OutboxRelay* relay_;
  DispatcherOptions options_;
  const Clock& clock_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  absl::BitGen bitgen_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> threads_;
};

Dispatcher::Dispatcher(Store* store, OutboxRelay* relay, DispatcherOptions options,
                       const Clock& clock)
    : impl_(std::make_unique<Impl>(store, relay, std::move(options), clock)) {}

Dispatcher::~Dispatcher() { impl_->Stop(); }

const std::vector<Migration>& Dispatcher::Migrations() { return NotifyDeliveryMigrations(); }

void Dispatcher::Start() { impl_->Start(); }
void Dispatcher::Stop() { impl_->Stop(); }
void Dispatcher::Wake() { impl_->Wake(); }

absl::StatusOr<bool> Dispatcher::HasEndpoints(SqlTx& tx, const std::string& recipient) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query("SELECT 1 FROM notify_endpoints WHERE recipient = $1 AND state IN "
                          "($2, $3) LIMIT 1",
                          {recipient, int64_t{v1::ACTIVE}, int64_t{v1::PAUSED}}));
  return !rows.empty();
}

absl::StatusOr<std::vector<std::string>> Dispatcher::Enqueue(SqlTx& tx,
                                                             const OutgoingMessage& message,
                                                             absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query(absl::StrCat("SELECT ", kEndpointColumns,
                                       " FROM notify_endpoints e WHERE e.recipient = $1 AND "
                                       "e.state IN ($2, $3) ORDER BY e.id"),
                          {message.recipient, int64_t{v1::ACTIVE}, int64_t{v1::PAUSED}}));
  std::vector<std::string> names;
  const int64_t due = Micros(std::max(now, message.not_before));
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow e, EndpointOf(r));
    const auto& kinds = e.endpoint.kinds();
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), message.kind) == kinds.end()) {
      continue;
    }
    const std::string id = NewUuidV7(now);
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO notify_dispatches (id, endpoint, channel, state, attempt_count, "
                "next_attempt_us, lease_holder, lease_until_us, deliveries, kind, title, "
                "markdown, webhook_json, create_us, retry_from_us, sent_us) "
                "VALUES ($1, $2, $3, $4, 0, $5, '', 0, $6, $7, $8, $9, $10, $11, $11, 0)",
                {id, r.Text(9), int64_t{e.endpoint.channel()}, int64_t{v1::QUEUED}, due,
                 absl::StrJoin(message.deliveries, "\n"), int64_t{message.kind}, message.title,
                 message.markdown, message.webhook_json, Micros(now)})
            .status());
    MetricsRegistry::Global().Add(kQueued, ChannelLabel(e.endpoint.channel()));
    names.push_back(absl::StrCat("dispatches/", id));
  }
  return names;
}

// --- Endpoint methods ---------------------------------------------------------------------------

namespace {

// Required secrets, the server-made webhook secret, and the secret's shape.
void CheckOrMakeSecret(std::vector<FieldViolation>* v, const std::string& field,
                       v1::Channel channel, std::string* secret, bool* made) {
  *made = false;
  if (secret->empty()) {
    if (channel == v1::WEBHOOK) {
      *secret = NewWebhookSecret();
      *made = true;
    } else if (channel == v1::DINGTALK) {
      v->push_back({field, "is required for DINGTALK (the robot's SEC… secret)"});
    }
    return;
  }
  CheckSecret(v, field, channel, *secret);
}

void ClearOutputOnly(v1::Endpoint* e) {
  e->clear_secret_set();
  e->clear_secret_fingerprint();
  e->clear_previous_valid_until();
  e->clear_consecutive_failures();
  e->clear_etag();
  e->clear_create_time();
  e->clear_update_time();
}

}  // namespace

absl::StatusOr<v1::Endpoint> Dispatcher::CreateEndpoint(const AuthorizedCall& call,
                                                        const v1::CreateEndpointRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_RETURN_IF_ERROR(ValidateRequestId(request.request_id(), false));
  v1::Endpoint e = request.endpoint();
  ClearOutputOnly(&e);
  ApplyEndpointDefaults(&e);
  std::vector<FieldViolation> v;
  absl::StatusOr<std::string> id = EndpointId("endpoint.name", e.name());
  if (!id.ok()) v.push_back({"endpoint.name", "must be endpoints/{id}, {id} 2-40 of [a-z0-9-]"});
  std::vector<FieldViolation> rules = EndpointViolations(e, impl_->options().allow);
  v.insert(v.end(), rules.begin(), rules.end());
  if (e.state() == v1::PAUSED) v.push_back({"endpoint.state", "must be ACTIVE or DISABLED"});
  std::string secret = e.secret();
  bool made = false;
  CheckOrMakeSecret(&v, "endpoint.secret", e.channel(), &secret, &made);
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));

  const std::string digest = RequestDigest(request);
  const absl::Time now = impl_->clock().Now();
  v1::Endpoint out;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto replay, ReplayIdempotent<v1::Endpoint>(tx, call, request.request_id(), digest));
    if (replay) {
      out = std::move(*replay);
      return absl::OkStatus();
    }
    absl::StatusOr<int64_t> inserted = tx.Exec(
        "INSERT INTO notify_endpoints (id, recipient, channel, state, rate_per_minute, "
        "pause_after_failures, consecutive_failures, data, secret, previous_secret, "
        "previous_until_us, revision, create_us, update_us) "
        "VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, '', 0, 1, $9, $9)",
        {*id, e.recipient(), int64_t{e.channel()}, int64_t{e.state()}, int64_t{e.rate_per_minute()},
         int64_t{e.pause_after_failures()}, Blob{EndpointBlob(e)}, secret, Micros(now)});
    if (absl::IsAlreadyExists(inserted.status())) return AlreadyExists("endpoint", e.name());
    CHAINHUB_RETURN_IF_ERROR(inserted.status());
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, LoadEndpoint(tx, *id));
    out = Shown(row, now);
    CHAINHUB_RETURN_IF_ERROR(
        AppendAudit(tx, call, e.name(), CreateDetail(request.request_id()), now));
    return RememberResponse(tx, call, request.request_id(), digest, out, now);
  }));
  // A secret the server made is shown once, to the caller who asked for it.
  if (made) out.set_secret(secret);
  return out;
}

absl::StatusOr<v1::Endpoint> Dispatcher::GetEndpoint(const AuthorizedCall& call,
                                                     const v1::GetEndpointRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, EndpointId("name", request.name()));
  v1::Endpoint out;
  const absl::Time now = impl_->clock().Now();
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, LoadEndpoint(tx, id));
    out = Shown(row, now);
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::ListEndpointsResponse> Dispatcher::ListEndpoints(
    const AuthorizedCall& call, const v1::ListEndpointsRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  const std::map<std::string, FilterField> fields = {
      {"recipient", StringFilter("e.recipient")},
      {"channel", EnumFilter("e.channel", v1::Channel_descriptor(), "")},
      {"state", EnumFilter("e.state", v1::EndpointState_descriptor(), "")},
  };
  const absl::Time now = impl_->clock().Now();
  v1::ListEndpointsResponse response;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Read([&](SqlTx& tx) -> absl::Status {
    std::vector<v1::Endpoint> page;
    std::string next;
    CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Endpoint>(
        "ListEndpoints", request.page_size(), request.page_token(), request.filter(), "", fields,
        OrderSpec{{"e.id"}, false},
        [&](const PageQuery& q) -> absl::StatusOr<std::vector<Keyed<v1::Endpoint>>> {
          std::vector<SqlValue> params = q.filter.params;
          CHAINHUB_ASSIGN_OR_RETURN(
              auto rows,
              tx.Query(absl::StrCat("SELECT ", kEndpointColumns, " FROM notify_endpoints e",
                                    PageClause(q, &params, {}, {false})),
                       params));
          std::vector<Keyed<v1::Endpoint>> out;
          for (const SqlRow& r : rows) {
            CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, EndpointOf(r));
            out.push_back({Shown(row, now), {r.Text(9)}});
          }
          return out;
        },
        &page, &next));
    for (auto& e : page) *response.add_endpoints() = std::move(e);
    response.set_next_page_token(next);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Endpoint> Dispatcher::UpdateEndpoint(const AuthorizedCall& call,
                                                        const v1::UpdateEndpointRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, EndpointId("endpoint.name", request.endpoint().name()));
  const absl::Time now = impl_->clock().Now();
  v1::Endpoint out;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, LoadEndpoint(tx, id));
    CHAINHUB_RETURN_IF_ERROR(
        CheckEtag(request.endpoint().etag(), row.endpoint.etag(), request.endpoint().name()));
    v1::Endpoint updated = row.endpoint;
    // The stored URL (unmasked) unless the update carries a new one.
    CHAINHUB_RETURN_IF_ERROR(
        ApplyUpdateMask(request.endpoint(), request.update_mask(),
                        {"display_name", "recipient", "url", "email_to", "email_from", "secret",
                         "rate_per_minute", "pause_after_failures", "kinds", "state"},
                        &updated));
    const bool everything = request.update_mask().paths().empty();
    auto masked = [&](absl::string_view path) {
      if (everything) return true;
      for (const std::string& p : request.update_mask().paths()) {
        if (p == path || p == "*") return true;
      }
      return false;
    };
    // A WeCom URL shown masked and sent back unchanged keeps the stored key.
    if (masked("url") && updated.url() == MaskedUrl(row.endpoint.channel(), row.endpoint.url())) {
      updated.set_url(row.endpoint.url());
    }
    ApplyEndpointDefaults(&updated);
    std::vector<FieldViolation> v = EndpointViolations(updated, impl_->options().allow);
    if (masked("state") && updated.state() == v1::PAUSED && row.endpoint.state() != v1::PAUSED) {
      v.push_back({"endpoint.state", "must be ACTIVE or DISABLED"});
    }
    if (masked("secret") && !request.endpoint().secret().empty()) {
      CheckSecret(&v, "endpoint.secret", updated.channel(), request.endpoint().secret());
      row.secret = request.endpoint().secret();
    }
    updated.clear_secret();
    CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
    if (updated.state() == v1::ACTIVE)
      updated.set_consecutive_failures(
          row.endpoint.state() == v1::ACTIVE ? row.endpoint.consecutive_failures() : 0);
    row.endpoint = updated;
    CHAINHUB_RETURN_IF_ERROR(SaveEndpoint(tx, id, row, row.revision + 1, now));
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow saved, LoadEndpoint(tx, id));
    out = Shown(saved, now);
    return AppendAudit(tx, call, out.name(), MaskText(request.update_mask()), now);
  }));
  impl_->Wake();
  return out;
}

absl::Status Dispatcher::DeleteEndpoint(const AuthorizedCall& call,
                                        const v1::DeleteEndpointRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, EndpointId("name", request.name()));
  const absl::Time now = impl_->clock().Now();
  return impl_->store()->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, LoadEndpoint(tx, id));
    CHAINHUB_RETURN_IF_ERROR(CheckEtag(request.etag(), row.endpoint.etag(), request.name()));
    // Its dispatches still queued cannot be sent any more: they go to the dead-letter list
    // rather than disappear.
    CHAINHUB_ASSIGN_OR_RETURN(
        auto queued, tx.Query("SELECT id FROM notify_dispatches WHERE endpoint = $1 AND state = $2",
                              {id, int64_t{v1::QUEUED}}));
    for (const SqlRow& q : queued) {
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("UPDATE notify_dispatches SET state = $2, lease_holder = '', "
                  "lease_until_us = 0 WHERE id = $1",
                  {q.Text(0), int64_t{v1::DEAD}})
              .status());
      CHAINHUB_ASSIGN_OR_RETURN(v1::Dispatch dispatch, LoadDispatch(tx, q.Text(0)));
      CHAINHUB_RETURN_IF_ERROR(
          RecordMutation(tx, call,
                         NewEvent(kService, call, v1::NOTIFY_EVENT_DISPATCH_DEAD, dispatch.name(),
                                  "", now, dispatch),
                         "endpoint deleted", now));
    }
    CHAINHUB_RETURN_IF_ERROR(tx.Exec("DELETE FROM notify_endpoints WHERE id = $1", {id}).status());
    return AppendAudit(tx, call, request.name(), "delete", now);
  });
}

absl::StatusOr<v1::Endpoint> Dispatcher::RotateEndpointSecret(
    const AuthorizedCall& call, const v1::RotateEndpointSecretRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  std::vector<FieldViolation> v;
  absl::StatusOr<std::string> id = EndpointId("name", request.name());
  if (!id.ok()) v.push_back({"name", "must be endpoints/{id}, {id} 2-40 of [a-z0-9-]"});
  if (request.previous_valid_hours() < 0 || request.previous_valid_hours() > 7 * 24) {
    v.push_back({"previous_valid_hours", "must be 0-168 (0: 24)"});
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  const absl::Duration keep =
      absl::Hours(request.previous_valid_hours() == 0 ? 24 : request.previous_valid_hours());
  const absl::Time now = impl_->clock().Now();
  v1::Endpoint out;
  std::string secret;
  bool made = false;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, LoadEndpoint(tx, *id));
    secret = request.secret();
    std::vector<FieldViolation> secret_rules;
    CheckOrMakeSecret(&secret_rules, "secret", row.endpoint.channel(), &secret, &made);
    if (secret.empty() && row.endpoint.channel() != v1::WEBHOOK) {
      secret_rules.push_back({"secret", "is required to rotate a non-WEBHOOK endpoint"});
    }
    CHAINHUB_RETURN_IF_ERROR(ToStatus(secret_rules));
    row.previous_secret = row.secret;
    row.previous_until_us = Micros(now + keep);
    row.secret = secret;
    CHAINHUB_RETURN_IF_ERROR(SaveEndpoint(tx, *id, row, row.revision + 1, now));
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow saved, LoadEndpoint(tx, *id));
    out = Shown(saved, now);
    return AppendAudit(tx, call, request.name(), "rotate secret", now);
  }));
  if (made) out.set_secret(secret);
  return out;
}

absl::StatusOr<v1::Endpoint> Dispatcher::ResumeEndpoint(const AuthorizedCall& call,
                                                        const v1::ResumeEndpointRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, EndpointId("name", request.name()));
  const absl::Time now = impl_->clock().Now();
  v1::Endpoint out;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow row, LoadEndpoint(tx, id));
    if (row.endpoint.state() == v1::DISABLED) {
      return FailedPrecondition(request.name(), "is DISABLED; update its state to ACTIVE");
    }
    row.endpoint.set_state(v1::ACTIVE);
    row.endpoint.set_consecutive_failures(0);
    CHAINHUB_RETURN_IF_ERROR(SaveEndpoint(tx, id, row, row.revision + 1, now));
    // From its oldest pending dispatch, now.
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("UPDATE notify_dispatches SET next_attempt_us = $3 WHERE endpoint = $1 AND "
                "state = $2 AND next_attempt_us > $3",
                {id, int64_t{v1::QUEUED}, Micros(now)})
            .status());
    CHAINHUB_ASSIGN_OR_RETURN(EndpointRow saved, LoadEndpoint(tx, id));
    out = Shown(saved, now);
    return AppendAudit(tx, call, request.name(), "resume", now);
  }));
  impl_->Wake();
  return out;
}

// --- Dispatch methods ---------------------------------------------------------------------------

absl::StatusOr<v1::Dispatch> Dispatcher::GetDispatch(const AuthorizedCall& call,
                                                     const v1::GetDispatchRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, DispatchId("name", request.name()));
  v1::Dispatch out;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(out, LoadDispatch(tx, id));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<v1::ListDispatchesResponse> Dispatcher::ListDispatches(
    const AuthorizedCall& call, const v1::ListDispatchesRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  const std::map<std::string, FilterField> fields = {
      {"state", EnumFilter("d.state", v1::DispatchState_descriptor(), "")},
      {"endpoint", StringFilter("d.endpoint", EndpointValue)},
      {"channel", EnumFilter("d.channel", v1::Channel_descriptor(), "")},
      {"create_time", StringFilter("d.create_us", TimeValue)},
  };
  v1::ListDispatchesResponse response;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Read([&](SqlTx& tx) -> absl::Status {
    std::vector<v1::Dispatch> page;
    std::string next;
    CHAINHUB_RETURN_IF_ERROR(Paginate<v1::Dispatch>(
        "ListDispatches", request.page_size(), request.page_token(), request.filter(), "", fields,
        OrderSpec{{"d.id"}, true},
        [&](const PageQuery& q) -> absl::StatusOr<std::vector<Keyed<v1::Dispatch>>> {
          std::vector<SqlValue> params = q.filter.params;
          CHAINHUB_ASSIGN_OR_RETURN(
              auto rows,
              tx.Query(absl::StrCat("SELECT ", kDispatchColumns, " FROM notify_dispatches d",
                                    PageClause(q, &params, {}, {false})),
                       params));
          std::vector<Keyed<v1::Dispatch>> out;
          for (const SqlRow& r : rows) {
            CHAINHUB_ASSIGN_OR_RETURN(v1::Dispatch d, DispatchOf(tx, r));
            out.push_back({std::move(d), {r.Text(0)}});
          }
          return out;
        },
        &page, &next));
    for (auto& d : page) *response.add_dispatches() = std::move(d);
    response.set_next_page_token(next);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Dispatch> Dispatcher::Redeliver(const AuthorizedCall& call,
                                                   const v1::RedeliverRequest& request) {
  CHAINHUB_RETURN_IF_ERROR(RequireAdmin(call));
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, DispatchId("name", request.name()));
  const absl::Time now = impl_->clock().Now();
  v1::Dispatch out;
  CHAINHUB_RETURN_IF_ERROR(impl_->store()->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Dispatch current, LoadDispatch(tx, id));
    if (current.state() == v1::SENT) {
      return FailedPrecondition(request.name(),
                                "was SENT; only DEAD or QUEUED dispatches are "
                                "redelivered");
    }
    absl::StatusOr<SqlRow> endpoint =
        tx.QueryOne("SELECT id FROM notify_endpoints WHERE id = $1",
                    {std::string(absl::StripPrefix(current.endpoint(), "endpoints/"))});
    if (absl::IsNotFound(endpoint.status())) {
      return FailedPrecondition(request.name(), "its endpoint was deleted");
    }
    CHAINHUB_RETURN_IF_ERROR(endpoint.status());
    // Due now, with a fresh day to succeed in; the attempt count goes on.
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec(
              "UPDATE notify_dispatches SET state = $2, next_attempt_us = $3, retry_from_us = $3, "
              "lease_holder = '', lease_until_us = 0 WHERE id = $1",
              {id, int64_t{v1::QUEUED}, Micros(now)})
            .status());
    CHAINHUB_ASSIGN_OR_RETURN(out, LoadDispatch(tx, id));
    return AppendAudit(tx, call, request.name(), "redeliver", now);
  }));
  impl_->Wake();
  return out;
}

}  // namespace chainhub::notify
