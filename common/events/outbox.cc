#include "common/events/outbox.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/ids.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

// Publishes one event unless its id was published before, atomically (a script runs alone).
// The dedupe key is set only after XADD succeeded: a script is not rolled back when a command in
// it fails, and an id marked without its entry on the stream would be an event lost for good.
// Returns the stream entry id, or nil (false) when the event was already published.
// KEYS[1] stream, KEYS[2] dedupe key; ARGV: event id, type, serialized event, dedupe TTL (ms).
constexpr char kPublishScript[] = R"lua(
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local entry = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'type', ARGV[2], 'event', ARGV[3])
redis.call('SET', KEYS[2], entry, 'PX', ARGV[4])
return entry
)lua";

// Trims the stream below the lowest of: now (Redis TIME) minus the retention, every group's
// oldest pending entry, and the entry after every group's last-delivered one. Runs alone in Redis,
// so no read, claim or group creation interleaves between measuring and trimming. Stream ids are
// "<ms>-<seq>"; both parts fit a Lua number exactly.
// KEYS[1] stream; ARGV[1] retention (ms). Returns {trimmed, length, min id}.
constexpr char kTrimScript[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, '0-0'} end
local now = redis.call('TIME')
local min_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[1])
local min_seq = 0
local function lower(ms, seq)
  if ms < min_ms or (ms == min_ms and seq < min_seq) then min_ms, min_seq = ms, seq end
end
local function parse(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
end
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, last
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then last = group[i + 1] end
  end
  local last_ms, last_seq = parse(last)
  lower(last_ms, last_seq + 1)
  local pending = redis.call('XPENDING', KEYS[1], name)
  if pending[1] > 0 then lower(parse(pending[2])) end
end
if min_ms <= 0 then return {0, redis.call('XLEN', KEYS[1]), '0-0'} end
local min_id = string.format('%d-%d', min_ms, min_seq)
local trimmed = redis.call('XTRIM', KEYS[1], 'MINID', min_id)
return {trimmed, redis.call('XLEN', KEYS[1]), min_id}
)lua";

constexpr char kBacklog[] = "chainhub_outbox_backlog";
constexpr char kPublished[] = "chainhub_outbox_published_total";
constexpr char kRepublished[] = "chainhub_outbox_republished_total";
constexpr char kTrimmed[] = "chainhub_events_trimmed_total";
constexpr char kStreamLength[] = "chainhub_event_stream_length";

void DescribeMetrics() {
  static const bool described = [] {
    MetricsRegistry& m = MetricsRegistry::Global();
    m.Describe(kBacklog, "gauge", "Outbox rows not yet published to the event stream.");
    m.Describe(kPublished, "counter", "Outbox rows published to the event stream.");
    m.Describe(kRepublished, "counter",
               "Outbox rows published again because Redis restarted as a new run soon after they "
               "were published (Redis drops those it still has).");
    m.Describe(kTrimmed, "counter",
               "Event stream entries trimmed after every consumer group acknowledged them and the "
               "retention passed.");
    m.Describe(kStreamLength, "gauge", "Entries in the event stream, as of the last trim.");
    // Both exist from the start, so a scrape before the first batch shows them at zero.
    m.Set(kBacklog, {}, 0);
    m.Add(kPublished, {}, 0);
    m.Add(kRepublished, {}, 0);
    return true;
  }();
  (void)described;
}

struct OutboxRow {
  int64_t seq;
  std::string event_id;
  std::string type;
  std::string payload;
};

}  // namespace

absl::Status AppendEvent(SqlTx& tx, CloudEvent event, const Clock& clock) {
  if (event.type().empty()) return InvalidField("event.type", "must not be empty");
  const absl::Time now = clock.Now();
  if (event.id().empty()) event.set_id(NewUuidV7(now));
  if (event.spec_version().empty()) event.set_spec_version(std::string(kCloudEventsSpecVersion));
  if (!TimeAttribute(event, kTimeAttribute)) SetTimeAttribute(&event, kTimeAttribute, now);
  std::string payload;
  if (!event.SerializeToString(&payload)) {
    return absl::InternalError(absl::StrCat("cannot serialize event ", event.id()));
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("INSERT INTO outbox (event_id, type, payload, created_us) VALUES ($1, $2, $3, $4)",
              {event.id(), event.type(), Blob{std::move(payload)}, absl::ToUnixMicros(now)}));
  (void)changed;
  return absl::OkStatus();
}

OutboxRelay::OutboxRelay(Store* store, RedisClient* redis, OutboxRelayOptions options)
    : store_(store), redis_(redis), options_(std::move(options)) {
  DescribeMetrics();
}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

absl::StatusOr<int64_t> OutboxRelay::RepublishAfterRestart(const std::string& run) {
  int64_t reset = 0;
  const int64_t window_us = absl::ToInt64Microseconds(options_.republish_window);
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    reset = 0;
    // The newest row published to another run: the window ends at its publication.
    CHAINHUB_ASSIGN_OR_RETURN(
        std::vector<SqlRow> newest,
        tx.Query("SELECT seq, published_us FROM outbox WHERE published_us IS NOT NULL AND "
                 "(published_run IS NULL OR published_run <> $1) ORDER BY seq DESC LIMIT 1",
                 {run}));
    if (newest.empty()) return absl::OkStatus();
    const int64_t top = newest[0].Int(0);
    const int64_t cutoff = newest[0].Int(1) - window_us;
    // Rows are published in seq order, so the window is a run of seqs below `top`, and this walk
    // down the primary key stops at its first row.
    CHAINHUB_ASSIGN_OR_RETURN(
        std::vector<SqlRow> before,
        tx.Query("SELECT seq FROM outbox WHERE seq <= $1 AND published_us IS NOT NULL AND "
                 "published_us < $2 ORDER BY seq DESC LIMIT 1",
                 {top, cutoff}));
    const int64_t floor = before.empty() ? 0 : before[0].Int(0);
    CHAINHUB_ASSIGN_OR_RETURN(
        reset, tx.Exec("UPDATE outbox SET published_us = NULL, published_run = NULL "
                       "WHERE seq > $1 AND seq <= $2 AND published_us IS NOT NULL AND "
                       "(published_run IS NULL OR published_run <> $3)",
                       {floor, top, run}));
    return absl::OkStatus();
  }));
  return reset;
}

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  absl::MutexLock publishing(&publish_mu_);
  auto read_rows = [&](std::vector<OutboxRow>* rows) -> absl::Status {
    rows->clear();
    return store_->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          std::vector<SqlRow> result,
          tx.Query("SELECT seq, event_id, type, payload FROM outbox WHERE published_us IS NULL "
                   "ORDER BY seq LIMIT $1",
                   {int64_t{std::max(1, options_.batch_size)}}));
      rows->reserve(result.size());
      for (const SqlRow& r : result) rows->push_back({r.Int(0), r.Text(1), r.Text(2), r.Bytes(3)});
      return absl::OkStatus();
    });
  };
  std::vector<OutboxRow> rows;
  CHAINHUB_RETURN_IF_ERROR(read_rows(&rows));
  // Counts what is left; the gauge is only as fresh as the last pass.
  auto count_backlog = [this] {
    int64_t backlog = 0;
    absl::Status s = store_->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          SqlRow row, tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE published_us IS NULL"));
      backlog = row.Int(0);
      return absl::OkStatus();
    });
    if (!s.ok()) return;
    backlog_.store(backlog);
    MetricsRegistry::Global().Set(kBacklog, {}, static_cast<double>(backlog));
  };

  // Which Redis run this pass publishes to. Asked before anything is published, on the thread
  // that publishes: the connection that answered is the one the XADDs below go through, and a
  // connection cannot outlive a restart. With nothing to publish Redis is asked only every
  // run_check_interval, so an idle relay still notices a restart that lost its last events.
  const absl::Time now = absl::Now();
  const bool verify = now >= next_run_check_;
  std::string run;
  if (!rows.empty() || verify) {
    absl::StatusOr<std::string> answered = redis_->ServerRunId(verify);
    if (!answered.ok()) {
      if (rows.empty()) return 0;  // nothing at stake; the next check tries again
      count_backlog();
      return answered.status();
    }
    if (verify) next_run_check_ = now + options_.run_check_interval;
    run = *std::move(answered);
    if (run != known_run_) {
      CHAINHUB_ASSIGN_OR_RETURN(int64_t again, RepublishAfterRestart(run));
      if (again > 0) {
        MetricsRegistry::Global().Add(kRepublished, {}, static_cast<double>(again));
        LogWarn("redis is a new run; publishing recent events again",
                {{"stream", options_.stream},
                 {"run_id", run},
                 {"events", again},
                 {"window", absl::FormatDuration(options_.republish_window)}});
      }
      known_run_ = run;
      if (again > 0) CHAINHUB_RETURN_IF_ERROR(read_rows(&rows));
    }
  }

  if (rows.empty()) {
    backlog_.store(0);
    MetricsRegistry::Global().Set(kBacklog, {}, 0);
    return 0;
  }

  const std::string ttl_ms =
      std::to_string(std::max<int64_t>(1, absl::ToInt64Milliseconds(options_.dedupe_ttl)));
  std::vector<std::vector<std::string>> commands;
  commands.reserve(rows.size());
  for (const OutboxRow& row : rows) {
    commands.push_back({"EVAL", kPublishScript, "2", options_.stream,
                        absl::StrCat("chainhub:published:", row.event_id), row.event_id, row.type,
                        row.payload, ttl_ms});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands);
  if (!replies.ok()) {
    count_backlog();
    return replies.status();
  }

  // Rows are marked up to the first failure only, so the stream keeps the outbox's order.
  std::vector<SqlValue> params = {absl::ToUnixMicros(options_.clock->Now()), run};
  absl::Status failure;
  for (size_t i = 0; i < rows.size(); ++i) {
    const RedisReply& reply = (*replies)[i];
    if (reply.type == RedisReply::Type::kError) {
      failure = absl::UnavailableError(
          absl::StrCat("publishing event ", rows[i].event_id, ": ", reply.str));
      break;
    }
    // A string is the new entry's id; nil means an earlier attempt published it already.
    params.push_back(rows[i].seq);
  }
  const int published = static_cast<int>(params.size()) - 2;
  if (published > 0) {
    std::string sql =
        "UPDATE outbox SET published_us = $1, published_run = $2 WHERE published_us IS NULL AND "
        "seq IN (";
    for (int i = 0; i < published; ++i) absl::StrAppend(&sql, i == 0 ? "" : ", ", "$", i + 3);
    sql += ")";
    // If this write fails the rows are published again next pass, and the script drops them.
    CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(int64_t changed, tx.Exec(sql, params));
      (void)changed;
      return absl::OkStatus();
    }));
    MetricsRegistry::Global().Add(kPublished, {}, published);
  }
  count_backlog();
  if (published == 0 && !failure.ok()) return failure;
  return published;
}

absl::StatusOr<StreamTrim> OutboxRelay::TrimStream() {
  const int64_t retention_ms = std::max<int64_t>(0, absl::ToInt64Milliseconds(options_.retention));
  CHAINHUB_ASSIGN_OR_RETURN(
      RedisReply reply,
      redis_->Command({"EVAL", kTrimScript, "1", options_.stream, absl::StrCat(retention_ms)}));
  if (reply.type != RedisReply::Type::kArray || reply.elements.size() != 3) {
    return absl::InternalError(
        absl::StrCat("trimming ", options_.stream, ": ",
                     reply.type == RedisReply::Type::kError ? reply.str : "unexpected reply"));
  }
  StreamTrim trim{reply.elements[0].integer, reply.elements[1].integer, reply.elements[2].str};
  MetricsRegistry::Global().Add(kTrimmed, {}, static_cast<double>(trim.trimmed));
  MetricsRegistry::Global().Set(kStreamLength, {}, static_cast<double>(trim.length));
  return trim;
}

void OutboxRelay::CleanUp() {
  const int64_t cutoff = absl::ToUnixMicros(options_.clock->Now() - options_.retention);
  absl::Status s = store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        int64_t deleted,
        tx.Exec("DELETE FROM outbox WHERE published_us IS NOT NULL AND published_us < $1",
                {cutoff}));
    (void)deleted;
    return absl::OkStatus();
  });
  if (!s.ok()) LogWarn("outbox cleanup failed", {{"error", s.ToString()}});
  absl::StatusOr<StreamTrim> trim = TrimStream();
  if (!trim.ok()) {
    LogWarn("event stream trim failed", {{"error", trim.status().ToString()}});
  } else if (trim->trimmed > 0) {
    LogInfo("event stream trimmed", {{"stream", options_.stream},
                                     {"trimmed", trim->trimmed},
                                     {"length", trim->length},
                                     {"min_id", trim->min_id}});
  }
}

void OutboxRelay::Run() {
  // Local state: the outage being logged (once, not per attempt) and the retention clock.
  bool failing = false;
  bool more = false;
  const absl::Duration cleanup_every =
      std::max(std::min(options_.retention / 2, absl::Minutes(10)), options_.poll_interval);
  absl::Time next_cleanup = absl::Now();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (!more) {
        // While failing, commits do not wake the relay: it retries every poll_interval.
        if (failing) {
          mu_.AwaitWithTimeout(absl::Condition(
                                   +[](bool* stop) { return *stop; }, &stop_),
                               options_.poll_interval);
        } else {
          mu_.AwaitWithTimeout(absl::Condition(
                                   +[](OutboxRelay* r) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                                     return r->stop_ || r->wake_;
                                   },
                                   this),
                               options_.poll_interval);
        }
      }
      if (stop_) break;
      wake_ = false;
    }
    absl::StatusOr<int> published = PublishBatch();
    if (published.ok()) {
      // An empty pass does not touch Redis, so it only ends an outage if Redis answers again.
      if (failing && (*published > 0 || redis_->up())) {
        LogInfo("outbox relay publishing again", {{"stream", options_.stream}});
        failing = false;
      }
      more = *published >= options_.batch_size;
    } else {
      if (!failing) {
        LogError("outbox relay cannot publish; retrying", {{"stream", options_.stream},
                                                           {"error", published.status().ToString()},
                                                           {"backlog", backlog_.load()}});
      }
      failing = true;
      more = false;
    }
    if (!failing && absl::Now() >= next_cleanup) {
      next_cleanup = absl::Now() + cleanup_every;
      CleanUp();
    }
  }
  // Last chance to publish what was committed before the stop.
  absl::StatusOr<int> last = PublishBatch();
  if (!last.ok() && !failing) {
    LogWarn("outbox relay stopped with events unpublished",
            {{"error", last.status().ToString()}, {"backlog", backlog_.load()}});
  }
}

}  // namespace chainhub
