#include "services/assessment/facts.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "chainhub/assessment/v1/assessment_events.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/events/cloud_event.h"
#include "common/events/group_position.h"
#include "common/store/lease.h"
#include "services/assessment/fact_versions.h"

namespace chainhub::assessment {
namespace {

using Apply = std::function<absl::StatusOr<bool>(SqlTx&, const CloudEvent&, absl::Time)>;

EventHandler Handler(Apply apply, std::function<void()> on_change) {
  return [apply = std::move(apply), on_change = std::move(on_change)](
             SqlTx& tx, const CloudEvent& e) -> absl::Status {
    std::optional<absl::Time> time = TimeAttribute(e, kTimeAttribute);
    if (!time) {
      return absl::InvalidArgumentError(
          absl::StrCat(e.type(), " event ", e.id(), " has no time: its version has no place"));
    }
    CHAINHUB_ASSIGN_OR_RETURN(bool changed, apply(tx, e, *time));
    if (changed && on_change) on_change();
    return absl::OkStatus();
  };
}

// An event whose payload is the record after the change.
template <typename T>
Apply Snapshot(absl::StatusOr<bool> (*put)(SqlTx&, const T&, absl::Time)) {
  return [put](SqlTx& tx, const CloudEvent& e, absl::Time t) -> absl::StatusOr<bool> {
    CHAINHUB_ASSIGN_OR_RETURN(T payload, UnpackPayload<T>(e));
    return put(tx, payload, t);
  };
}

// A *.deleted event: the record as it was; its name is `collection`{id}.
template <typename T>
Apply Deletion(absl::string_view collection,
               absl::StatusOr<bool> (*remove)(SqlTx&, const std::string&, absl::Time)) {
  return
      [collection, remove](SqlTx& tx, const CloudEvent& e, absl::Time t) -> absl::StatusOr<bool> {
        CHAINHUB_ASSIGN_OR_RETURN(T payload, UnpackPayload<T>(e));
        absl::string_view id = payload.name();
        if (!absl::ConsumePrefix(&id, collection) || id.empty()) {
          return absl::InvalidArgumentError(absl::StrCat(e.type(), " event ", e.id(), " names ",
                                                         Quoted(payload.name()), ", not ",
                                                         collection, "{id}"));
        }
        return remove(tx, std::string(id), t);
      };
}

absl::StatusOr<bool> ApplyStageChanged(SqlTx& tx, const CloudEvent& e, absl::Time t) {
  CHAINHUB_ASSIGN_OR_RETURN(auto change, UnpackPayload<intake::v1::StageChange>(e));
  const std::string subject = StringAttribute(e, kSubjectAttribute);
  absl::string_view id = subject;
  if (!absl::ConsumePrefix(&id, "projects/") || id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("project.stage_changed event ", e.id(), " has subject ", Quoted(subject)));
  }
  return ApplyStageChange(tx, std::string(id), change, t);
}

absl::Status Ignore(SqlTx&, const CloudEvent&) { return absl::OkStatus(); }

bool Transient(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable ||
         s.code() == absl::StatusCode::kDeadlineExceeded;
}

constexpr char kBackfillUs[] = "backfill_us";
constexpr char kBackfillStreamId[] = "backfill_stream_id";
// Replicas sharing a database backfill one at a time (a second backfill beside a consumer that has
// started would drop and rewrite facts under it).
constexpr char kBackfillLease[] = "assessment-backfill";
constexpr absl::Duration kBackfillLeaseTtl = absl::Seconds(30);

}  // namespace

EventHandlers FactHandlers(std::function<void()> on_change) {
  namespace in = intake::v1;
  namespace reg = registry::v1;
  const Apply project = Snapshot(&PutProject);
  const Apply work_item = Snapshot(&PutWorkItem);
  const Apply enterprise = Snapshot(&PutEnterprise);
  const Apply chain = Snapshot(&PutChain);
  const std::pair<std::string, Apply> applied[] = {
      {EventType(in::INTAKE_EVENT_PROJECT_CREATED), project},
      {EventType(in::INTAKE_EVENT_PROJECT_UPDATED), project},
      {EventType(in::INTAKE_EVENT_PROJECT_LIGHT_CHANGED), project},
      {EventType(in::INTAKE_EVENT_PROJECT_DELETED),
       Deletion<in::Project>("projects/", &DeleteProject)},
      {EventType(in::INTAKE_EVENT_PROJECT_STAGE_CHANGED), ApplyStageChanged},
      {EventType(in::INTAKE_EVENT_PROJECT_PROGRESS_REPORTED), Snapshot(&PutProgressReport)},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_CREATED), enterprise},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_UPDATED), enterprise},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_DELETED),
       Deletion<reg::Enterprise>("enterprises/", &DeleteEnterprise)},
      {EventType(reg::REGISTRY_EVENT_CHAIN_CREATED), chain},
      {EventType(reg::REGISTRY_EVENT_CHAIN_UPDATED), chain},
      {EventType(reg::REGISTRY_EVENT_CHAIN_DELETED), Deletion<reg::Chain>("chains/", &DeleteChain)},
  };
  EventHandlers handlers;
  for (const auto& [type, apply] : applied) handlers.emplace(type, Handler(apply, on_change));
  // Every issue.* and task.* carries the work item after the change; a daily reminder
  // (issue.overdue, task.overdue) changes nothing and is ignored below.
  for (const std::string& type : EventTypesOf(*in::IntakeEvent_descriptor())) {
    if ((absl::StartsWith(type, "issue.") || absl::StartsWith(type, "task.")) &&
        !absl::EndsWith(type, ".overdue")) {
      handlers.emplace(type, Handler(work_item, on_change));
    }
  }
  // Known and not needed here (emplace keeps the handlers above).
  for (const auto* kinds : {reg::RegistryEvent_descriptor(), in::IntakeEvent_descriptor(),
                            v1::AssessmentEvent_descriptor()}) {
    for (const std::string& type : EventTypesOf(*kinds)) handlers.emplace(type, Ignore);
  }
  return handlers;
}

FactsKeeper::FactsKeeper(Store* store, RedisClient* redis, FactSources* sources,
                         EventConsumerOptions options, std::function<void()> on_change,
                         const Clock& clock)
    : store_(store),
      redis_(redis),
      sources_(sources),
      options_(std::move(options)),
      on_change_(std::move(on_change)),
      clock_(clock) {
  if (options_.group.empty()) options_.group = kFactsGroup;
}

FactsKeeper::~FactsKeeper() { Stop(); }

absl::Status FactsKeeper::Start() {
  stopping_ = false;
  absl::MutexLock lock(&mu_);
  bool backfilled = false;
  CHAINHUB_RETURN_IF_ERROR(Retrying([&]() -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(backfilled, Backfilled());
    return absl::OkStatus();
  }));
  if (!backfilled) {
    // One replica at a time: one sharing the database that waited finds the facts made.
    CHAINHUB_RETURN_IF_ERROR(Retrying([&]() {
      return RunUnderLease(
          *store_, kBackfillLease, LeaseHolderName(), kBackfillLeaseTtl,
          [&] { return stopping_.load(); },
          [&]() -> absl::Status {
            CHAINHUB_ASSIGN_OR_RETURN(bool done, Backfilled());
            return done ? absl::OkStatus() : BackfillOnce(false);
          });
    }));
  }
  StartConsumer();
  return absl::OkStatus();
}

void FactsKeeper::Stop() {
  stopping_ = true;
  absl::MutexLock lock(&mu_);
  StopConsumer();
}

absl::StatusOr<v1::FactsStatus> FactsKeeper::Rebuild() {
  {
    absl::MutexLock lock(&mu_);
    StopConsumer();
    absl::Status rebuilt = RunUnderLease(
        *store_, kBackfillLease, LeaseHolderName(), kBackfillLeaseTtl,
        [&] { return stopping_.load(); }, [&] { return BackfillOnce(true); });
    if (!stopping_) StartConsumer();
    CHAINHUB_RETURN_IF_ERROR(rebuilt);
  }
  return Status();
}

absl::StatusOr<v1::FactsStatus> FactsKeeper::Status() {
  v1::FactsStatus status;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(FactCounts counts, CountFacts(tx));
    status.set_projects(counts.projects);
    status.set_enterprises(counts.enterprises);
    status.set_work_items(counts.work_items);
    status.set_progress_reports(counts.progress_reports);
    status.set_versions(counts.versions);
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT name, value FROM facts_state"));
    for (const SqlRow& r : rows) {
      int64_t us = 0;
      if (r.Text(0) == kBackfillUs && absl::SimpleAtoi(r.Text(1), &us)) {
        status.mutable_backfill_time()->set_seconds(us / 1'000'000);
        status.mutable_backfill_time()->set_nanos(static_cast<int32_t>(us % 1'000'000) * 1000);
      } else if (r.Text(0) == kBackfillStreamId) {
        status.set_backfill_stream_id(r.Text(1));
      }
    }
    return absl::OkStatus();
  }));
  int64_t applied = applied_before_.load();
  {
    absl::MutexLock lock(&mu_);
    if (consumer_ != nullptr) applied += consumer_->applied();
  }
  status.set_events_applied(applied);
  return status;
}

absl::StatusOr<bool> FactsKeeper::Backfilled() {
  bool backfilled = false;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT value FROM facts_state WHERE name = $1", {kBackfillUs}));
    backfilled = !rows.empty();
    return absl::OkStatus();
  }));
  return backfilled;
}

absl::Status FactsKeeper::BackfillOnce(bool clear_inbox) {
  // Taken first: whatever is published from here on is consumed after the backfill.
  CHAINHUB_ASSIGN_OR_RETURN(std::string position, StreamPosition(*redis_, options_.stream));
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(DropAllFacts(tx));
    CHAINHUB_RETURN_IF_ERROR(tx.Exec("DELETE FROM facts_state").status());
    if (!clear_inbox) return absl::OkStatus();
    return tx.Exec("DELETE FROM inbox WHERE consumer_group = $1", {options_.group}).status();
  }));
  const absl::Time began = absl::Now();
  CHAINHUB_ASSIGN_OR_RETURN(int64_t read, Backfill(*store_, *sources_));
  CHAINHUB_RETURN_IF_ERROR(PlaceGroup(*redis_, options_.stream, options_.group, position));
  const absl::Time done = clock_.Now();
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    for (const auto& [name, value] :
         {std::pair<std::string, std::string>{kBackfillUs, absl::StrCat(absl::ToUnixMicros(done))},
          {kBackfillStreamId, position}}) {
      CHAINHUB_RETURN_IF_ERROR(
          tx.Exec("INSERT INTO facts_state (name, value) VALUES ($1, $2)", {name, value}).status());
    }
    return absl::OkStatus();
  }));
  LogInfo("facts backfilled",
          {{"resources", absl::StrCat(read)},
           {"stream_position", position},
           {"seconds", absl::StrCat(absl::ToDoubleSeconds(absl::Now() - began))}});
  return absl::OkStatus();
}

absl::Status FactsKeeper::Retrying(const std::function<absl::Status()>& fn) {
  while (true) {
    absl::Status s = fn();
    if (!Transient(s)) return s;
    if (stopping_)
      return absl::CancelledError(absl::StrCat("stopped while waiting: ", s.message()));
    LogWarn("facts waiting for a dependency", {{"error", std::string(s.message())}});
    absl::SleepFor(options_.retry_delay);
  }
}

void FactsKeeper::StartConsumer() {
  if (consumer_ != nullptr) return;
  EventConsumerOptions options = options_;
  options.on_committed = [changed = changed_, on_change = on_change_,
                          committed = options_.on_committed] {
    if (committed) committed();
    if (changed->exchange(false) && on_change) on_change();
  };
  consumer_ = std::make_unique<EventConsumer>(
      store_, redis_, options, FactHandlers([changed = changed_] { changed->store(true); }));
  consumer_->Start();
}

void FactsKeeper::StopConsumer() {
  if (consumer_ == nullptr) return;
  consumer_->Stop();
  applied_before_ += consumer_->applied();
  consumer_.reset();
}

}  // namespace chainhub::assessment
