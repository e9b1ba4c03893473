#include "tools/bench/sync_bench.h"

#include <algorithm>
#include <map>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/intake/v1/intake_events.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "common/base/status_util.h"
#include "common/cache/redis_client.h"
#include "common/events/cloud_event.h"
#include "common/events/outbox.h"
#include "common/service/resource.h"
#include "services/province/records.h"

namespace chainhub::bench {

namespace {

namespace sv1 = sync::v1;
namespace iv1 = intake::v1;

constexpr absl::Duration kCallTimeout = absl::Seconds(30);
constexpr absl::Duration kPushTimeout = absl::Minutes(20);
constexpr absl::Duration kArrivalTimeout = absl::Seconds(60);

std::unique_ptr<grpc::ClientContext> Context(const std::string& authorization,
                                             absl::Duration timeout = kCallTimeout) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", authorization);
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  return ctx;
}

absl::Status Failed(absl::string_view what, const grpc::Status& s) {
  absl::Status status = FromGrpcStatus(s);
  return absl::Status(status.code(), absl::StrCat(what, ": ", status.message()));
}

int64_t Number(const std::string& text) {
  int64_t n = 0;
  return absl::SimpleAtoi(text, &n) ? n : 0;
}

// Waits until the receiver acknowledged every change; when that happened.
absl::StatusOr<absl::Time> WaitForPush(sv1::ProvinceSync::Stub& stub,
                                       const std::string& authorization) {
  const absl::Time deadline = absl::Now() + kPushTimeout;
  while (absl::Now() < deadline) {
    sv1::PushStatus status;
    auto ctx = Context(authorization);
    grpc::Status s = stub.GetPushStatus(ctx.get(), {}, &status);
    if (s.ok() && status.pending() == 0 && Number(status.checkpoint()) > 0) return absl::Now();
    if (s.ok() && status.state() == sv1::PUSH_STATE_HALTED) {
      return absl::FailedPreconditionError(absl::StrCat("the push halted: ", status.reason()));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::DeadlineExceededError("the push did not finish within 20 minutes");
}

}  // namespace

absl::Status SeedTaxonomy(const std::string& registry, const std::string& authorization) {
  auto stub = registry::v1::ChainRegistry::NewStub(
      grpc::CreateChannel(registry, grpc::InsecureChannelCredentials()));
  const registry::v1::ListProvinceListsResponse lists = province::ProvinceLists::Shipped().ToProto();
  for (const auto& list : lists.province_lists()) {
    registry::v1::PutProvinceListRequest req;
    *req.mutable_province_list() = list;
    registry::v1::ProvinceList out;
    auto ctx = Context(authorization);
    if (grpc::Status s = stub->PutProvinceList(ctx.get(), req, &out); !s.ok()) {
      return Failed("PutProvinceList", s);
    }
  }
  for (const auto& mapping : province::ShippedChainProvinceMappings().mappings()) {
    registry::v1::SetChainProvinceMappingRequest req;
    *req.mutable_mapping() = mapping;
    registry::v1::ChainProvinceMapping out;
    auto ctx = Context(authorization);
    if (grpc::Status s = stub->SetChainProvinceMapping(ctx.get(), req, &out); !s.ok()) {
      return Failed("SetChainProvinceMapping", s);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SyncFigures> MeasureSync(const std::string& sync, const std::string& authorization,
                                        const std::string& redis_address, absl::Time started,
                                        int lag_events, double lag_rate) {
  auto channel = grpc::CreateChannel(sync, grpc::InsecureChannelCredentials());
  auto stub = sv1::ProvinceSync::NewStub(channel);
  SyncFigures figures;

  // The first start, and the push alone from its history.
  CHAINHUB_ASSIGN_OR_RETURN(absl::Time pushed_at, WaitForPush(*stub, authorization));
  figures.first_start_seconds = absl::ToDoubleSeconds(pushed_at - started);
  absl::Time first = absl::InfiniteFuture(), last = absl::InfinitePast();
  sv1::ListPushesRequest list;
  list.set_page_size(500);
  do {
    sv1::ListPushesResponse page;
    auto ctx = Context(authorization);
    if (grpc::Status s = stub->ListPushes(ctx.get(), list, &page); !s.ok()) {
      return Failed("ListPushes", s);
    }
    for (const auto& p : page.pushes()) {
      if (p.kind() != "push" || p.outcome() != sv1::PUSH_OUTCOME_ACKNOWLEDGED) continue;
      figures.pushed_records += p.applied_count() + p.stale_count();
      first = std::min(first, absl::FromUnixMicros(TimestampMicros(p.start_time())));
      last = std::max(last, absl::FromUnixMicros(TimestampMicros(p.end_time())));
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());
  if (figures.pushed_records > 0 && last > first) {
    figures.push_seconds = absl::ToDoubleSeconds(last - first);
    figures.push_records_per_second = figures.pushed_records / figures.push_seconds;
  }

  // Snapshots of every list, read to the end.
  const absl::Time snapshot_start = absl::Now();
  for (const auto& [version, l] : province::ProvinceLists::Shipped().lists()) {
    sv1::GetSnapshotRequest req;
    req.set_list_version(version);
    auto ctx = Context(authorization, absl::Minutes(10));
    auto reader = stub->GetSnapshot(ctx.get(), req);
    sv1::SnapshotChunk chunk;
    while (reader->Read(&chunk)) figures.snapshot_records += chunk.records_size();
    if (grpc::Status s = reader->Finish(); !s.ok()) return Failed("GetSnapshot", s);
  }
  figures.snapshot_seconds = absl::ToDoubleSeconds(absl::Now() - snapshot_start);
  if (figures.snapshot_seconds > 0) {
    figures.snapshot_records_per_second = figures.snapshot_records / figures.snapshot_seconds;
  }
  if (lag_events == 0) return figures;

  // The change feed's lag: a watcher from now on, events at a steady rate.
  absl::Mutex mu;
  std::map<std::string, absl::Time> arrived;
  grpc::ClientContext watch_ctx;
  watch_ctx.AddMetadata("authorization", authorization);
  sv1::WatchChangesRequest watch;
  watch.set_cursor("now");
  auto reader = stub->WatchChanges(&watch_ctx, watch);
  std::thread watcher([&] {
    sv1::ChangeBatch batch;
    while (reader->Read(&batch)) {
      const absl::Time now = absl::Now();
      absl::MutexLock lock(&mu);
      for (const auto& c : batch.changes()) arrived.emplace(c.record().id(), now);
    }
  });
  auto stop_watching = [&] {
    watch_ctx.TryCancel();
    watcher.join();
    (void)reader->Finish();
  };
  absl::StatusOr<RedisOptions> options = ParseRedisAddress(redis_address);
  if (!options.ok()) {
    stop_watching();
    return options.status();
  }
  RedisClient redis(*options);
  const std::string run = absl::StrCat("bench-sync-", absl::ToUnixMillis(absl::Now()));
  std::map<std::string, absl::Time> published;
  const absl::Time start = absl::Now();
  for (int i = 0; i < lag_events; ++i) {
    absl::SleepFor(start + absl::Seconds(i / lag_rate) - absl::Now());
    iv1::Project p;
    p.set_name(absl::StrCat("projects/", run, "-", i));
    p.set_display_name(absl::StrCat("同步压测项目", i));
    p.set_chain("chains/pv");
    p.set_total_investment_yuan(300'000'000);
    p.mutable_stage_dates()->set_signed_("2026-06-01");
    p.set_province_chains_source("chain_default");
    CloudEvent e = MakeCloudEvent("intake", EventKindDescriptor(iv1::INTAKE_EVENT_PROJECT_CREATED),
                                  p.name(), "chains/pv", absl::Now(), p);
    e.set_id(absl::StrCat(run, "-event-", i));
    published[p.name()] = absl::Now();
    auto reply = redis.Command({"XADD", std::string(kEventStream), "*", "id", e.id(), "type",
                                e.type(), "event", e.SerializeAsString()});
    if (!reply.ok()) {
      stop_watching();
      return reply.status();
    }
  }
  const absl::Time deadline = absl::Now() + kArrivalTimeout;
  size_t got = 0;
  while (absl::Now() < deadline) {
    {
      absl::MutexLock lock(&mu);
      got = 0;
      for (const auto& [name, at] : published) got += arrived.contains(name) ? 1 : 0;
    }
    if (got == published.size()) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  stop_watching();
  if (got < published.size()) {
    return absl::DeadlineExceededError(absl::StrCat(got, " of ", published.size(),
                                                    " changes reached the watcher within ",
                                                    absl::FormatDuration(kArrivalTimeout)));
  }
  std::vector<absl::Duration> samples;
  for (const auto& [name, at] : published) samples.push_back(arrived.at(name) - at);
  figures.lag_rate = lag_rate;
  figures.lag = Summarize(std::move(samples));
  return figures;
}

}  // namespace chainhub::bench
