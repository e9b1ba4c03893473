#include "services/sync/sync_service.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "chainhub/assessment/v1/assessment_events.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/fields.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/events/cloud_event.h"
#include "common/rpc/auth.h"
#include "common/rpc/call_context.h"
#include "common/rpc/server_stream.h"
#include "services/province/records.h"
#include "common/service/audit.h"
#include "services/sync/export.h"
#include "services/sync/reconcile.h"
#include "services/sync/sync_store.h"

namespace chainhub::sync {

namespace {

constexpr int kSnapshotPage = 500;
// How long a snapshot waits for a client that stopped reading.
constexpr absl::Duration kSnapshotPatience = absl::Seconds(30);

// A handler applying the event's payload of type T with `apply`.
template <typename T>
EventHandler Apply(const Clock& clock,
                   std::function<absl::Status(SyncRecords&, const T&)> apply) {
  return [&clock, apply = std::move(apply)](SqlTx& tx, const CloudEvent& event) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(T payload, UnpackPayload<T>(event));
    SyncRecords records(tx, ChinaDate(clock.Now()), clock.Now());
    return apply(records, payload);
  };
}

absl::Status Ignore(SqlTx&, const CloudEvent&) { return absl::OkStatus(); }

// OK when `list_version` is empty or a provincial list sync holds; else INVALID_ARGUMENT naming
// the field.
absl::Status CheckListVersion(const Taxonomy& taxonomy, const std::string& list_version) {
  if (list_version.empty() || taxonomy.lists.Find(list_version) != nullptr) {
    return absl::OkStatus();
  }
  return InvalidField("list_version",
                      absl::StrCat("is not a provincial list sync holds: ", Quoted(list_version)));
}

// The request's date (today when empty) and list version (the one in force on the date when
// empty), checked against the taxonomy sync holds.
absl::Status ResolveListAndDate(Store* store, const Clock& clock, std::string* list_version,
                                std::string* date) {
  if (date->empty()) {
    *date = ChinaDate(clock.Now());
  } else if (!IsValidDate(*date)) {
    return InvalidField("date", "must be a date YYYY-MM-DD");
  }
  SyncReader reader(store);
  CHAINHUB_ASSIGN_OR_RETURN(Taxonomy taxonomy, reader.LoadTaxonomy());
  if (list_version->empty()) {
    auto in_force = ListVersionOn(taxonomy, *date);
    if (!in_force) {
      return FailedPrecondition(absl::StrCat("date ", *date),
                                "no provincial list is in force on it");
    }
    *list_version = *in_force;
  }
  return CheckListVersion(taxonomy, *list_version);
}

}  // namespace

SyncService::SyncService(Store* store, ProvinceClient* client, PushAgent* push,
                         const Clock& clock, SyncServiceOptions options)
    : store_(store),
      client_(client),
      push_(push),
      clock_(clock),
      options_(options),
      feed_(store, options.feed) {}

SyncService::~SyncService() { Stop(); }

EventHandlers SyncService::Handlers() {
  namespace in = intake::v1;
  namespace reg = registry::v1;
  namespace as = assessment::v1;
  const Clock& c = clock_;
  auto chain = [](bool deleted) {
    return [deleted](SyncRecords& s, const reg::Chain& x) { return s.ApplyChain(x, deleted); };
  };
  auto enterprise = [](bool deleted) {
    return [deleted](SyncRecords& s, const reg::Enterprise& x) {
      return s.ApplyEnterprise(x, deleted);
    };
  };
  auto project = [](bool deleted) {
    return [deleted](SyncRecords& s, const in::Project& x) { return s.ApplyProject(x, deleted); };
  };
  EventHandlers handlers = {
      {EventType(reg::REGISTRY_EVENT_CHAIN_CREATED), Apply<reg::Chain>(c, chain(false))},
      {EventType(reg::REGISTRY_EVENT_CHAIN_UPDATED), Apply<reg::Chain>(c, chain(false))},
      {EventType(reg::REGISTRY_EVENT_CHAIN_DELETED), Apply<reg::Chain>(c, chain(true))},
      {EventType(reg::REGISTRY_EVENT_CHAIN_PROVINCE_MAPPING_SET),
       Apply<reg::ChainProvinceMapping>(
           c, [](SyncRecords& s, const reg::ChainProvinceMapping& m) {
             return s.ApplyChainMapping(m);
           })},
      {EventType(reg::REGISTRY_EVENT_PROVINCE_LIST_PUT),
       Apply<reg::ProvinceList>(
           c, [](SyncRecords& s, const reg::ProvinceList& l) { return s.ApplyProvinceList(l); })},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_CREATED),
       Apply<reg::Enterprise>(c, enterprise(false))},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_UPDATED),
       Apply<reg::Enterprise>(c, enterprise(false))},
      {EventType(reg::REGISTRY_EVENT_ENTERPRISE_DELETED),
       Apply<reg::Enterprise>(c, enterprise(true))},
      {EventType(in::INTAKE_EVENT_PROJECT_CREATED), Apply<in::Project>(c, project(false))},
      {EventType(in::INTAKE_EVENT_PROJECT_UPDATED), Apply<in::Project>(c, project(false))},
      {EventType(in::INTAKE_EVENT_PROJECT_LIGHT_CHANGED), Apply<in::Project>(c, project(false))},
      {EventType(in::INTAKE_EVENT_PROJECT_DELETED), Apply<in::Project>(c, project(true))},
      {EventType(in::INTAKE_EVENT_PROJECT_STAGE_CHANGED),
       Apply<in::StageChange>(
           c, [](SyncRecords& s, const in::StageChange& x) { return s.ApplyStageChange(x); })},
      {EventType(in::INTAKE_EVENT_PROJECT_PROGRESS_REPORTED),
       Apply<in::ProgressReport>(
           c, [](SyncRecords& s, const in::ProgressReport& x) { return s.ApplyProgress(x); })},
      {EventType(as::ASSESSMENT_EVENT_RUN_COMPLETED),
       Apply<as::Run>(c, [](SyncRecords& s, const as::Run& x) { return s.ApplyRun(x); })},
  };
  // Known and not synced (emplace keeps the handlers above).
  for (const auto* kinds : {reg::RegistryEvent_descriptor(), in::IntakeEvent_descriptor(),
                            as::AssessmentEvent_descriptor()}) {
    for (const std::string& type : EventTypesOf(*kinds)) handlers.emplace(type, Ignore);
  }
  return handlers;
}

void SyncService::Committed() {
  feed_.Wake();
  push_->Wake();
}

absl::StatusOr<int64_t> SyncService::ExpressInTodaysList() {
  int64_t changed = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) -> absl::Status {
    SyncRecords records(tx, ChinaDate(clock_.Now()), clock_.Now());
    CHAINHUB_ASSIGN_OR_RETURN(changed, records.ExpressInTodaysList());
    return absl::OkStatus();
  }));
  if (changed > 0) {
    LogInfo("chains and enterprises expressed in the list in force",
            {{"records", changed}, {"date", ChinaDate(clock_.Now())}});
    Committed();
  }
  return changed;
}

void SyncService::Start() {
  absl::MutexLock lock(&mu_);
  if (switcher_.joinable()) return;
  stop_ = false;
  switcher_ = std::thread([this] {
    while (true) {
      if (auto s = ExpressInTodaysList(); !s.ok()) {
        LogWarn("the taxonomy switch check failed", {{"error", std::string(s.status().message())}});
      }
      absl::MutexLock lock(&mu_);
      auto stopped = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopped), options_.switch_check)) return;
    }
  });
}

void SyncService::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (switcher_.joinable()) switcher_.join();
  feed_.Stop();
}

grpc::ServerWriteReactor<v1::SnapshotChunk>* SyncService::GetSnapshot(
    Ctx* ctx, const v1::GetSnapshotRequest* req) {
  auto* stream = new ServerStream<v1::SnapshotChunk>(ctx, 16);
  return stream->Serve([=, this, writer = stream->writer()](
                           const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        RequireAnyRole(call.principal, {roles::kProvince, roles::kAdmin, roles::kViewer}));
    if (!province::v1::RecordType_IsValid(req->type())) {
      return InvalidField("type", "must be a record type");
    }
    std::string list_version = req->list_version(), date = req->date();
    CHAINHUB_RETURN_IF_ERROR(ResolveListAndDate(store_, clock_, &list_version, &date));
    province::DigestSet digests;
    bool first = true;
    SyncReader reader(store_);
    auto send = [&](v1::SnapshotChunk chunk) -> absl::Status {
      if (first) {
        chunk.set_list_version(list_version);
        chunk.set_date(date);
        first = false;
      }
      if (!writer->AwaitRoom(1, kSnapshotPatience) ||
          writer->Send(std::move(chunk)) != StreamWriter<v1::SnapshotChunk>::SendResult::kQueued) {
        return absl::CancelledError("the client stopped reading the snapshot");
      }
      return absl::OkStatus();
    };
    CHAINHUB_ASSIGN_OR_RETURN(
        int64_t head,
        reader.Snapshot(list_version, date, req->type(), kSnapshotPage,
                        [&](std::vector<Record>& page) -> absl::Status {
                          v1::SnapshotChunk chunk;
                          for (Record& r : page) {
                            digests.Add(r);
                            *chunk.add_records() = std::move(r);
                          }
                          return send(std::move(chunk));
                        }));
    v1::SnapshotChunk last;
    for (auto& d : digests.ToProto()) *last.add_digests() = std::move(d);
    last.set_cursor(absl::StrCat(head));
    CHAINHUB_RETURN_IF_ERROR(send(std::move(last)));
    writer->Finish(grpc::Status::OK);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::ChangeBatch>* SyncService::WatchChanges(
    Ctx* ctx, const v1::WatchChangesRequest* req) {
  auto* stream = new ServerStream<v1::ChangeBatch>(ctx, 64);
  return stream->Serve([=, this, writer = stream->writer()](
                           const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kProvince, roles::kAdmin}));
    SyncReader reader(store_);
    CHAINHUB_ASSIGN_OR_RETURN(int64_t head, reader.Head());
    int64_t cursor = 0;
    if (req->cursor() == "now") {
      cursor = head;
    } else if (!req->cursor().empty() &&
               (!absl::SimpleAtoi(req->cursor(), &cursor) || cursor < 0)) {
      return InvalidField("cursor", "must be empty, \"now\", or a cursor a Change carried");
    }
    if (cursor > head) {
      return absl::OutOfRangeError(absl::StrCat(
          "cursor: ", cursor, " is after the newest change (", head,
          "); a cursor from another sync store cannot be resumed here"));
    }
    if (!req->list_version().empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(Taxonomy taxonomy, reader.LoadTaxonomy());
      CHAINHUB_RETURN_IF_ERROR(CheckListVersion(taxonomy, req->list_version()));
    }
    feed_.Add(writer, cursor, req->list_version());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncService::GetPushStatus(Ctx* ctx, const v1::GetPushStatusRequest*,
                                                     v1::PushStatus* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin, roles::kViewer}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, push_->Status());
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncService::ListPushes(Ctx* ctx, const v1::ListPushesRequest* req,
                                                  v1::ListPushesResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin, roles::kViewer}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, push_->List(*req));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncService::PausePush(Ctx* ctx, const v1::PausePushRequest* req,
                                                 v1::PushStatus* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    std::vector<FieldViolation> v;
    CheckOneLineText(&v, "reason", req->reason(), true, 200);
    CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, push_->Pause(call, req->reason()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncService::ResumePush(Ctx* ctx, const v1::ResumePushRequest*,
                                                  v1::PushStatus* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, push_->Resume(call));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncService::Reconcile(Ctx* ctx, const v1::ReconcileRequest* req,
                                                 v1::ReconcileResponse* resp) {
  return Serve(ctx, [=, this](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    if (!req->list_version().empty()) {
      SyncReader reader(store_);
      CHAINHUB_ASSIGN_OR_RETURN(Taxonomy taxonomy, reader.LoadTaxonomy());
      CHAINHUB_RETURN_IF_ERROR(CheckListVersion(taxonomy, req->list_version()));
    }
    CHAINHUB_ASSIGN_OR_RETURN(*resp, sync::Reconcile(store_, client_, push_, clock_, *req));
    if (req->repair()) {
      CHAINHUB_RETURN_IF_ERROR(store_->Write([&](SqlTx& tx) {
        return AppendAudit(tx, call, "push",
                           absl::StrCat("reconcile repair: ", resp->repaired_count(),
                                        " records re-sent"),
                           clock_.Now());
      }));
    }
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::ExportChunk>* SyncService::Export(Ctx* ctx,
                                                               const v1::ExportRequest* req) {
  auto* stream = new ServerStream<v1::ExportChunk>(ctx, 4);
  return stream->Serve([=, this, writer = stream->writer()](
                           const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(
        RequireAnyRole(call.principal, {roles::kProvince, roles::kAdmin, roles::kViewer}));
    if (req->format() != v1::EXPORT_FORMAT_XLSX && req->format() != v1::EXPORT_FORMAT_CSV) {
      return InvalidField("format", "must be XLSX or CSV");
    }
    if (!province::v1::RecordType_IsValid(req->type())) {
      return InvalidField("type", "must be a record type");
    }
    std::string list_version = req->list_version(), date = req->date();
    CHAINHUB_RETURN_IF_ERROR(ResolveListAndDate(store_, clock_, &list_version, &date));
    SyncReader reader(store_);
    CHAINHUB_ASSIGN_OR_RETURN(Taxonomy taxonomy, reader.LoadTaxonomy());
    std::vector<Record> records;
    CHAINHUB_RETURN_IF_ERROR(reader
                                 .Snapshot(list_version, date, req->type(), kSnapshotPage,
                                           [&](std::vector<Record>& page) {
                                             for (Record& r : page) records.push_back(std::move(r));
                                             return absl::OkStatus();
                                           })
                                 .status());
    CHAINHUB_ASSIGN_OR_RETURN(SnapshotFile file,
                              ExportSnapshot(records, taxonomy.lists, list_version, date,
                                             req->format(), req->type()));
    constexpr size_t kChunk = 1 << 20;
    for (size_t at = 0; at == 0 || at < file.content.size(); at += kChunk) {
      v1::ExportChunk chunk;
      if (at == 0) chunk.set_filename(file.filename);
      chunk.set_data(file.content.substr(at, kChunk));
      if (!writer->AwaitRoom(1, kSnapshotPatience) ||
          writer->Send(std::move(chunk)) != StreamWriter<v1::ExportChunk>::SendResult::kQueued) {
        return absl::CancelledError("the client stopped reading the export");
      }
    }
    writer->Finish(grpc::Status::OK);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* SyncService::ListAuditEvents(
    Ctx* ctx, const common::v1::ListAuditEventsRequest* req,
    common::v1::ListAuditEventsResponse* resp) {
  return ServeListAuditEvents(ctx, *store_, req, resp);
}

}  // namespace chainhub::sync
