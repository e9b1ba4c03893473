#include "common/events/event_consumer.h"

#include <algorithm>
#include <utility>

#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/metrics.h"
#include "common/base/status_util.h"

namespace chainhub {
namespace {

constexpr char kConsumed[] = "chainhub_events_consumed_total";
constexpr char kLag[] = "chainhub_consumer_lag";
constexpr char kUnhandled[] = "chainhub_events_unhandled_total";
constexpr char kInboxPruned[] = "chainhub_inbox_pruned_total";

// Outcomes, as counted and (the first and last) as recorded in the inbox.
constexpr char kApplied[] = "applied";
constexpr char kDuplicate[] = "duplicate";
constexpr char kSkipped[] = "skipped";
constexpr char kUnhandledOutcome[] = "unhandled";
constexpr char kFailed[] = "failed";

// Longest skip reason kept in the inbox.
constexpr size_t kMaxDetail = 500;
// Longest type used as a metric label (the type comes from the stream, i.e. from anyone).
constexpr size_t kMaxTypeLabel = 100;
// At most this many events are applied in one transaction.
constexpr size_t kMaxRun = 128;

void DescribeMetrics() {
  static const bool described = [] {
    MetricsRegistry& m = MetricsRegistry::Global();
    m.Describe(kConsumed, "counter",
               "Stream entries handled by a consumer group, by outcome (applied, duplicate, "
               "skipped, unhandled, failed).");
    m.Describe(kUnhandled, "counter",
               "Events of a type the consumer group declares no handler for (recorded in the inbox "
               "and acknowledged), by group and type.");
    m.Describe(kInboxPruned, "counter",
               "Inbox rows deleted after the event retention, by consumer group.");
    m.Describe(kLag, "gauge", "Stream entries not yet delivered to a consumer group.");
    return true;
  }();
  (void)described;
}

std::string DefaultConsumerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0 || host[0] == '\0') {
    return absl::StrCat("consumer-", getpid());
  }
  return absl::StrCat(host, "-", getpid());
}

// Whether a handler's error means the event can never be applied (so retrying is pointless).
bool IsPoison(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ||
         status.code() == absl::StatusCode::kDataLoss;
}

std::string ErrorText(const RedisReply& reply) {
  return reply.type == RedisReply::Type::kError ? reply.str : "unexpected reply";
}

// The entry list of the one stream in an XREADGROUP reply ([[stream, [entry, ...]]]), or an empty
// reply when there is none (nil after a BLOCK that saw nothing).
const RedisReply& StreamOf(const RedisReply& reply) {
  static const RedisReply* const kNone = new RedisReply();
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty() ||
      reply.elements[0].elements.size() != 2) {
    return *kNone;
  }
  return reply.elements[0].elements[1];
}

}  // namespace

absl::StatusOr<bool> InboxContains(SqlTx& tx, const std::string& group,
                                   const std::string& event_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      tx.Query("SELECT 1 FROM inbox WHERE consumer_group = $1 AND event_id = $2",
               {group, event_id}));
  return !rows.empty();
}

EventConsumer::EventConsumer(Store* store, RedisClient* redis, EventConsumerOptions options,
                             EventHandlers handlers)
    : store_(store), redis_(redis), options_(std::move(options)), handlers_(std::move(handlers)) {
  DescribeMetrics();
  if (options_.consumer.empty()) options_.consumer = DefaultConsumerName();
  options_.batch_size = std::max(1, options_.batch_size);
  // A BLOCK as long as the command timeout would read as Redis being down.
  block_ = std::min(options_.block, redis_->options().command_timeout * 3 / 4);
  // BLOCK counts whole milliseconds; less than one means no BLOCK at all.
  if (block_ < absl::Milliseconds(1)) block_ = absl::ZeroDuration();
}

EventConsumer::~EventConsumer() { Stop(); }

void EventConsumer::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void EventConsumer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void EventConsumer::Run() {
  // Logged once per outage, not per attempt.
  bool failing = false;
  const absl::Duration prune_every =
      std::clamp(options_.inbox_retention / 2, absl::Seconds(1), absl::Minutes(10));
  absl::Time next_prune = absl::Now();
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stop_) break;
    }
    if (absl::Now() >= next_prune) {
      next_prune = absl::Now() + prune_every;
      absl::StatusOr<int64_t> pruned = PruneInbox();
      if (!pruned.ok()) {
        LogWarn("inbox pruning failed",
                {{"group", options_.group}, {"error", pruned.status().ToString()}});
      }
    }
    absl::StatusOr<int> handled = PollOnce();
    if (handled.ok()) {
      if (failing) {
        LogInfo("event consumer consuming again", {{"group", options_.group}});
        failing = false;
      }
      // Without BLOCK an empty round returns at once: pause rather than spin.
      if (*handled > 0 || block_ > absl::ZeroDuration()) continue;
    } else if (!failing) {
      LogError("event consumer cannot consume; retrying",
               {{"group", options_.group}, {"error", handled.status().ToString()}});
      failing = true;
    }
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithTimeout(absl::Condition(&stop_), options_.retry_delay);
  }
}

absl::StatusOr<int> EventConsumer::PollOnce() {
  if (options_.group.empty()) return InvalidField("group", "must not be empty");
  absl::StatusOr<int> handled = Round();
  // The group vanished under us: the second round re-creates it and carries on.
  if (!handled.ok() && !group_ready_ && group_lost_) handled = Round();
  MeasureLag();
  return handled;
}

absl::StatusOr<int> EventConsumer::Round() {
  CHAINHUB_RETURN_IF_ERROR(EnsureGroup());

  // This consumer's own pending entries first (ID 0 reads its pending list, not new entries): a
  // failed round left them there, and they come before anything newer.
  if (own_pending_) {
    CHAINHUB_ASSIGN_OR_RETURN(
        RedisReply reply,
        GroupCommand({"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                      absl::StrCat(options_.batch_size), "STREAMS", options_.stream, "0"}));
    const std::vector<Entry> entries = ParseEntries(StreamOf(reply));
    if (!entries.empty()) return HandleAll(entries);
    own_pending_ = false;
  }

  // Entries a dead (or stuck) consumer left pending for longer than claim_idle.
  const absl::Time now = absl::Now();
  if (now >= next_claim_) {
    const int64_t idle_ms = std::max<int64_t>(0, absl::ToInt64Milliseconds(options_.claim_idle));
    CHAINHUB_ASSIGN_OR_RETURN(RedisReply reply,
                              GroupCommand({"XAUTOCLAIM", options_.stream, options_.group,
                                            options_.consumer, absl::StrCat(idle_ms), claim_cursor_,
                                            "COUNT", absl::StrCat(options_.batch_size)}));
    // [next cursor, [[id, [field, value, ...]], ...], [ids deleted from the stream]]; Redis
    // itself drops the deleted ones from the pending list.
    const bool well_formed = reply.type == RedisReply::Type::kArray && reply.elements.size() >= 2;
    const std::vector<Entry> entries =
        well_formed ? ParseEntries(reply.elements[1]) : std::vector<Entry>();
    claim_cursor_ = well_formed && !reply.elements[0].str.empty() ? reply.elements[0].str : "0-0";
    // A scan of the pending list that reached its end is repeated only after a while (it costs
    // Redis work); one that stopped midway goes on from its cursor next round.
    next_claim_ =
        claim_cursor_ == "0-0"
            ? now + std::clamp(options_.claim_idle / 2, absl::Milliseconds(10), absl::Seconds(5))
            : absl::InfinitePast();
    if (!entries.empty()) {
      LogInfo("event consumer claimed stale entries", {{"group", options_.group},
                                                       {"consumer", options_.consumer},
                                                       {"entries", entries.size()}});
      return HandleAll(entries);
    }
  }

  std::vector<std::string> read = {"XREADGROUP",      "GROUP", options_.group,
                                   options_.consumer, "COUNT", absl::StrCat(options_.batch_size)};
  const int64_t block_ms = absl::ToInt64Milliseconds(block_);
  // BLOCK 0 would wait forever; a zero block means a plain read.
  if (block_ms > 0) {
    read.push_back("BLOCK");
    read.push_back(absl::StrCat(block_ms));
  }
  read.insert(read.end(), {"STREAMS", options_.stream, ">"});
  CHAINHUB_ASSIGN_OR_RETURN(RedisReply reply, GroupCommand(read));
  // nil when nothing new arrived within the block.
  const std::vector<Entry> entries = ParseEntries(StreamOf(reply));
  if (entries.empty()) return 0;
  return HandleAll(entries);
}

std::vector<EventConsumer::Entry> EventConsumer::ParseEntries(const RedisReply& list) {
  std::vector<Entry> entries;
  entries.reserve(list.elements.size());
  for (const RedisReply& e : list.elements) {
    if (e.elements.size() != 2) continue;
    Entry entry;
    entry.entry_id = e.elements[0].str;
    // Reading the pending list returns [id, nil] for an entry deleted from the stream since.
    entry.deleted = e.elements[1].type != RedisReply::Type::kArray;
    const std::vector<RedisReply>& fields = e.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "id") entry.id = fields[i + 1].str;
      if (fields[i].str == "event") entry.event = fields[i + 1].str;
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::Status EventConsumer::EnsureGroup() {
  if (group_ready_) return absl::OkStatus();
  // A group Redis lost is re-created from the start of the stream: whatever it re-reads is
  // already in the inbox, whereas "$" would silently drop what arrived in the meantime.
  const std::string start = group_lost_ ? "0" : options_.start_id;
  CHAINHUB_ASSIGN_OR_RETURN(RedisReply reply, redis_->Command({"XGROUP", "CREATE", options_.stream,
                                                               options_.group, start, "MKSTREAM"}));
  if (reply.type == RedisReply::Type::kError && !absl::StartsWith(reply.str, "BUSYGROUP")) {
    return absl::InternalError(
        absl::StrCat("creating consumer group ", options_.group, ": ", reply.str));
  }
  if (group_lost_) {
    LogWarn("event consumer re-created its group",
            {{"group", options_.group}, {"stream", options_.stream}, {"start", start}});
  }
  group_ready_ = true;
  group_lost_ = false;
  own_pending_ = true;
  claim_cursor_ = "0-0";
  next_claim_ = absl::InfinitePast();
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> EventConsumer::GroupCommand(const std::vector<std::string>& argv) {
  CHAINHUB_ASSIGN_OR_RETURN(RedisReply reply, redis_->Command(argv));
  if (reply.type != RedisReply::Type::kError) return reply;
  if (absl::StartsWith(reply.str, "NOGROUP")) {
    group_ready_ = false;
    group_lost_ = true;
    return absl::UnavailableError(absl::StrCat("consumer group ", options_.group, " on ",
                                               options_.stream, " is gone: ", reply.str));
  }
  return absl::InternalError(
      absl::StrCat(argv[0], " for consumer group ", options_.group, ": ", ErrorText(reply)));
}

absl::StatusOr<int> EventConsumer::HandleAll(const std::vector<Entry>& entries) {
  std::vector<std::string> done;
  absl::Status failure;
  // Consecutive entries that are well-formed events of handled types are applied together, in
  // one transaction with their inbox rows: one commit (one fsync) for the run instead of one per
  // event. When that transaction fails for any reason, nothing of it stays, and the entries of
  // the run are handled one by one (below), which tells a poison event from a transient error and
  // a concurrent consumer's duplicate from a conflict.
  struct Parsed {
    const Entry* entry;
    CloudEvent event;
    const EventHandler* handler;
  };
  size_t next = 0;
  bool batching = true;
  while (next < entries.size()) {
    std::vector<Parsed> run;
    for (size_t i = next; batching && i < entries.size() && run.size() < kMaxRun; ++i) {
      const Entry& entry = entries[i];
      Parsed p{&entry, CloudEvent(), nullptr};
      if (entry.deleted || !p.event.ParseFromString(entry.event) || p.event.id().empty()) break;
      const auto handler = handlers_.find(p.event.type());
      if (handler == handlers_.end()) break;
      p.handler = &handler->second;
      run.push_back(std::move(p));
    }
    if (run.size() >= 2) {
      std::vector<bool> duplicate;
      absl::Status written = store_->Write([&](SqlTx& tx) -> absl::Status {
        duplicate.assign(run.size(), false);
        const int64_t now_us = absl::ToUnixMicros(options_.clock->Now());
        for (size_t i = 0; i < run.size(); ++i) {
          bool seen = false;
          CHAINHUB_ASSIGN_OR_RETURN(seen, InboxContains(tx, options_.group, run[i].event.id()));
          if (seen) {
            duplicate[i] = true;
            continue;
          }
          CHAINHUB_RETURN_IF_ERROR((*run[i].handler)(tx, run[i].event));
          CHAINHUB_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO inbox (consumer_group, event_id, outcome, applied_us) "
                      "VALUES ($1, $2, $3, $4)",
                      {options_.group, run[i].event.id(), std::string(kApplied), now_us})
                  .status());
        }
        return absl::OkStatus();
      });
      if (written.ok()) {
        int64_t applied = 0;
        for (size_t i = 0; i < run.size(); ++i) {
          done.push_back(run[i].entry->entry_id);
          if (!duplicate[i]) ++applied;
        }
        if (applied > 0) {
          applied_.fetch_add(applied);
          if (options_.on_committed) options_.on_committed();
          Count(kApplied, applied);
        }
        if (applied < static_cast<int64_t>(run.size())) {
          Count(kDuplicate, static_cast<int64_t>(run.size()) - applied);
        }
        next += run.size();
        continue;
      }
      // One by one from here on in this round.
      batching = false;
    }
    failure = Handle(entries[next]);
    if (!failure.ok()) break;
    done.push_back(entries[next].entry_id);
    ++next;
  }
  if (!failure.ok()) {
    own_pending_ = true;
    Count(kFailed);
  }
  if (!done.empty()) {
    std::vector<std::string> ack = {"XACK", options_.stream, options_.group};
    ack.insert(ack.end(), done.begin(), done.end());
    // An entry applied but not acknowledged is delivered again and found in the inbox.
    absl::StatusOr<RedisReply> acked = GroupCommand(ack);
    if (!acked.ok()) {
      own_pending_ = true;
      if (failure.ok()) failure = acked.status();
    }
  }
  if (!failure.ok()) return failure;
  return static_cast<int>(done.size());
}

absl::Status EventConsumer::Handle(const Entry& entry) {
  if (entry.deleted) {
    // Pending in the group but gone from the stream: there is nothing left to apply.
    LogWarn("event consumer dropped a pending entry the stream no longer holds",
            {{"group", options_.group}, {"entry", entry.entry_id}});
    Count(kSkipped);
    return absl::OkStatus();
  }
  CloudEvent event;
  if (!event.ParseFromString(entry.event)) {
    return Skip(
        entry.id.empty() ? entry.entry_id : entry.id, "",
        absl::DataLossError(absl::StrCat("stream entry ", entry.entry_id,
                                         ": field event is not a CloudEvent (protobuf format)")));
  }
  if (event.id().empty()) {
    return Skip(
        entry.id.empty() ? entry.entry_id : entry.id, event.type(),
        absl::DataLossError(absl::StrCat("stream entry ", entry.entry_id,
                                         ": event.id is empty, so it cannot be deduplicated")));
  }
  const auto handler = handlers_.find(event.type());
  if (handler == handlers_.end()) return Unhandled(event);

  // Set inside the transaction, which may run more than once (PostgreSQL retries it).
  bool duplicate = false;
  bool inbox_collided = false;
  absl::Status handler_status;
  absl::Status written = store_->Write([&](SqlTx& tx) -> absl::Status {
    inbox_collided = false;
    handler_status = absl::OkStatus();
    CHAINHUB_ASSIGN_OR_RETURN(duplicate, InboxContains(tx, options_.group, event.id()));
    if (duplicate) return absl::OkStatus();
    handler_status = handler->second(tx, event);
    CHAINHUB_RETURN_IF_ERROR(handler_status);
    absl::Status inserted =
        tx.Exec(
              "INSERT INTO inbox (consumer_group, event_id, outcome, applied_us) "
              "VALUES ($1, $2, $3, $4)",
              {options_.group, event.id(), std::string(kApplied), absl::ToUnixMicros(options_.clock->Now())})
            .status();
    inbox_collided = inserted.code() == absl::StatusCode::kAlreadyExists;
    return inserted;
  });
  if (written.ok()) {
    if (!duplicate) {
      applied_.fetch_add(1);
      if (options_.on_committed) options_.on_committed();
    }
    Count(duplicate ? kDuplicate : kApplied);
    return absl::OkStatus();
  }
  if (!handler_status.ok()) {
    if (IsPoison(handler_status)) return Skip(event.id(), event.type(), handler_status);
    return absl::Status(
        handler_status.code(),
        absl::StrCat("applying event ", event.id(), " (", event.type(), ") for group ",
                     options_.group, ": ", handler_status.message()));
  }
  // The inbox insert collided: another consumer of the group applied the event concurrently (a
  // claim of an entry whose first consumer was slow, not dead); its transaction won.
  if (inbox_collided && written.code() == absl::StatusCode::kAlreadyExists) {
    Count(kDuplicate);
    return absl::OkStatus();
  }
  return written;
}

absl::Status EventConsumer::Skip(const std::string& event_id, const std::string& type,
                                 const absl::Status& why) {
  LogWarn("event consumer skipped an event it cannot apply", {{"group", options_.group},
                                                              {"event_id", event_id},
                                                              {"type", type},
                                                              {"error", why.ToString()}});
  std::string detail(why.ToString());
  if (detail.size() > kMaxDetail) detail.resize(kMaxDetail);
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    return tx
        .Exec(
            "INSERT INTO inbox (consumer_group, event_id, outcome, detail, applied_us) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consumer_group, event_id) DO NOTHING",
            {options_.group, event_id, std::string(kSkipped), detail,
             absl::ToUnixMicros(options_.clock->Now())})
        .status();
  }));
  Count(kSkipped);
  return absl::OkStatus();
}

absl::Status EventConsumer::Unhandled(const CloudEvent& event) {
  int64_t recorded = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        recorded, tx.Exec("INSERT INTO inbox (consumer_group, event_id, outcome, detail, "
                          "applied_us) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (consumer_group, "
                          "event_id) DO NOTHING",
                          {options_.group, event.id(), std::string(kUnhandledOutcome),
                           event.type().substr(0, kMaxDetail), absl::ToUnixMicros(options_.clock->Now())}));
    return absl::OkStatus();
  }));
  // Redelivered: counted the first time already.
  if (recorded == 0) {
    Count(kDuplicate);
    return absl::OkStatus();
  }
  const std::string type = event.type().substr(0, kMaxTypeLabel);
  if (unhandled_logged_.insert(type).second) {
    LogWarn("event consumer received a type it does not handle; recorded and acknowledged",
            {{"group", options_.group}, {"type", type}, {"event_id", event.id()}});
  }
  MetricsRegistry::Global().Add(kUnhandled, {{"group", options_.group}, {"type", type}}, 1);
  Count(kUnhandledOutcome);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> EventConsumer::PruneInbox() {
  const int64_t cutoff = absl::ToUnixMicros(options_.clock->Now() - options_.inbox_retention);
  int64_t pruned = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        pruned, tx.Exec("DELETE FROM inbox WHERE consumer_group = $1 AND applied_us < $2",
                        {options_.group, cutoff}));
    return absl::OkStatus();
  }));
  MetricsRegistry::Global().Add(kInboxPruned, {{"group", options_.group}},
                                static_cast<double>(pruned));
  return pruned;
}

void EventConsumer::Count(absl::string_view outcome, int64_t n) {
  MetricsRegistry::Global().Add(kConsumed,
                                {{"group", options_.group}, {"outcome", std::string(outcome)}},
                                static_cast<double>(n));
}

void EventConsumer::MeasureLag() {
  const absl::Time now = absl::Now();
  if (now < next_lag_) return;
  next_lag_ = now + absl::Seconds(1);
  absl::StatusOr<RedisReply> reply = redis_->Command({"XINFO", "GROUPS", options_.stream});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray) return;
  for (const RedisReply& group : reply->elements) {
    // Each group is a flat list: name, <name>, consumers, <n>, ..., lag, <n or nil>.
    const std::vector<RedisReply>& f = group.elements;
    bool ours = false;
    int64_t lag = -1;
    for (size_t i = 0; i + 1 < f.size(); i += 2) {
      if (f[i].str == "name") ours = f[i + 1].str == options_.group;
      // nil when Redis cannot tell (after deletions in the stream).
      if (f[i].str == "lag" && f[i + 1].type == RedisReply::Type::kInteger) lag = f[i + 1].integer;
    }
    if (!ours) continue;
    lag_.store(lag);
    MetricsRegistry::Global().Set(kLag, {{"group", options_.group}}, static_cast<double>(lag));
    return;
  }
}

}  // namespace chainhub
