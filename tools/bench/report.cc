#include "tools/bench/report.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace chainhub::bench {
namespace {

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// The echo result of the run, when it ran and completed calls.
// The result of the workload `name` when it ran with some OK calls.
const LoadResult* ResultOf(const std::vector<WorkloadOutcome>& outcomes, absl::string_view name) {
  for (const auto& o : outcomes) {
    if (o.name == name && o.status.ok() && o.result.has_value() && o.result->ok > 0) {
      return &*o.result;
    }
  }
  return nullptr;
}

const LoadResult* Baseline(const std::vector<WorkloadOutcome>& outcomes) {
  return ResultOf(outcomes, "echo");
}

std::string Settings(const RunInfo& info) {
  return absl::StrFormat(
      "nproc %d; duration %s, warm-up %s; %d calls in flight over %d channels, %d client "
      "threads; %d seeded enterprises; %d projects; server --rpc_threads %s; load average %.2f "
      "before, %.2f after",
      info.nproc, absl::FormatDuration(info.duration), absl::FormatDuration(info.warmup),
      info.inflight, info.channels, info.client_threads, info.enterprises, info.projects,
      info.server_rpc_threads, info.load_before, info.load_after);
}

}  // namespace

void PrintTable(const RunInfo& info, const std::vector<WorkloadOutcome>& outcomes,
                std::ostream& out) {
  out << "chainhub-bench: " << Settings(info) << "\n";
  if (!info.registry.empty()) out << "registry: " << info.registry << "\n";
  if (!info.intake.empty()) out << "intake:   " << info.intake << "\n";
  if (!info.echo.empty()) out << "echo:     " << info.echo << "\n";
  if (!info.assessment.empty()) out << "assessment: " << info.assessment << "\n";
  if (info.load_rows > 0) {
    out << absl::StrFormat(
        "intake library: %d projects loaded by %d ImportProjects calls in %.1f s: %.0f rows/s\n",
        info.load_rows, info.load_calls, info.load_seconds, info.load_rows_per_second());
  }
  if (info.notify.has_value()) {
    const NotifyFigures& n = *info.notify;
    out << "notify: a notice to " << n.fanout_recipients << " inboxes in "
        << Describe(n.fanout, "notices") << "\n";
    out << absl::StrFormat("notify: event on the stream → webhook received, at %.0f events/s, ",
                           n.event_rate)
        << Describe(n.event_to_webhook, "events") << "\n";
    out << absl::StrFormat("notify: %d signed webhooks delivered at %.0f/s\n", n.webhooks,
                           n.webhooks_per_second);
    if (n.watchers > 0) {
      out << "notify: a notice reaching each of " << n.watchers << " open WatchInbox streams in "
          << Describe(n.watch, "deliveries") << "\n";
    }
  }
  if (info.sync.has_value()) {
    const SyncFigures& s = *info.sync;
    out << absl::StrFormat(
        "sync: first start (backfill from the registry and intake, then the push) %.1f s; the push "
        "alone: %d records acknowledged by the receiver in %.1f s: %.0f records/s\n",
        s.first_start_seconds, s.pushed_records, s.push_seconds, s.push_records_per_second);
    out << absl::StrFormat("sync: snapshots of every list, %d records streamed in %.2f s: %.0f "
                           "records/s\n",
                           s.snapshot_records, s.snapshot_seconds, s.snapshot_records_per_second);
    if (s.lag.samples > 0) {
      out << absl::StrFormat("sync: event on the stream → change read by a watcher, at %.0f "
                             "events/s, ",
                             s.lag_rate)
          << Describe(s.lag, "events") << "\n";
    }
  }
  if (info.support.has_value()) {
    const SupportFigures& s = *info.support;
    out << absl::StrFormat("support: first start copied %d enterprises from the registry in %.1f s\n",
                           s.enterprises, s.backfill_seconds);
    out << absl::StrFormat("support: one policy item matched against %d enterprises (%d qualify), ",
                           s.enterprises, s.qualified)
        << Describe(s.match, "calls")
        << absl::StrFormat(": %.0f enterprises/s at the p50\n", s.match_enterprises_per_second);
    if (s.requests > 0) {
      out << absl::StrFormat("support: %d requests imported in %.1f s: %.0f rows/s; the year's "
                             "figures by department in ",
                             s.requests, s.import_seconds, s.import_rows_per_second)
          << Describe(s.figures, "calls") << "\n";
    }
  }
  if (info.replica_lag.has_value()) {
    out << "replica lag: a second registry process served a write after "
        << Describe(*info.replica_lag, "writes") << "\n";
  }
  if (info.assessment_facts > 0) {
    out << absl::StrFormat(
        "assessment facts: %d projects backfilled from the intake %.1f s after its start: "
        "%.0f projects/s\n",
        info.assessment_facts, info.assessment_facts_seconds,
        info.assessment_facts / std::max(info.assessment_facts_seconds, 1e-9));
  }
  if (info.groupby_baseline.has_value()) {
    out << "assessment GROUP BY baseline (the computed items by hand-written SQL on the same "
           "facts): "
        << Describe(*info.groupby_baseline, "passes") << "\n";
    if (const LoadResult* run = ResultOf(outcomes, "assessment_final_run");
        run != nullptr && info.groupby_baseline->p50 > absl::ZeroDuration()) {
      out << absl::StrFormat("assessment_final_run p50 / GROUP BY p50: %.2fx\n",
                             run->p50_ms / absl::ToDoubleMilliseconds(info.groupby_baseline->p50));
    }
  }
  if (info.provisional_lag.has_value()) {
    out << "provisional run after a project event (debounce "
        << absl::FormatDuration(info.provisional_debounce)
        << "): " << Describe(*info.provisional_lag, "events") << "\n";
  }
  out << "\n";
  const LoadResult* echo = Baseline(outcomes);
  out << absl::StrFormat("%-17s %10s %8s %8s %9s %8s  %13s %9s\n", "workload", "calls/s", "p50 ms",
                         "p99 ms", "p99.9 ms", "errors", "calls/s/echo", "p50/echo");
  for (const auto& o : outcomes) {
    if (!o.status.ok() || !o.result.has_value()) {
      out << absl::StrFormat("%-17s  did not run: %s\n", o.name, o.status.message());
      continue;
    }
    const LoadResult& r = *o.result;
    std::string ratio_calls = "-", ratio_p50 = "-";
    if (echo != nullptr && echo->calls_per_second() > 0 && echo->p50_ms > 0) {
      const double ratio = r.calls_per_second() / echo->calls_per_second();
      // Slow aggregates are far below echo: keep their ratio from reading as zero.
      ratio_calls = absl::StrFormat(ratio < 0.01 ? "%.5f" : "%.3f", ratio);
      ratio_p50 = absl::StrFormat("%.1fx", r.p50_ms / echo->p50_ms);
    }
    const bool capped = o.inflight > 0 && o.inflight < info.inflight;
    // Whole calls/s, but a tenth for slow ones (a cold aggregate runs about one per second).
    const std::string rate =
        absl::StrFormat(r.calls_per_second() < 100 ? "%.1f" : "%.0f", r.calls_per_second());
    out << absl::StrFormat("%-17s %10s %8.3f %8.3f %9.3f %8d  %13s %9s%s%s\n", o.name, rate,
                           r.p50_ms, r.p99_ms, r.p999_ms, r.error_count() + r.bad_responses,
                           ratio_calls, ratio_p50,
                           capped ? absl::StrFormat("  (%d in flight)", o.inflight) : "",
                           o.flagged() ? "  <-- FLAGGED" : "");
  }
  bool heading = false;
  for (const auto& o : outcomes) {
    if (!o.result.has_value()) continue;
    const LoadResult& r = *o.result;
    if (r.errors.empty() && r.bad_responses == 0) continue;
    if (!heading) {
      out << "\nerrors:\n";
      heading = true;
    }
    for (const auto& [code, n] : r.errors) {
      out << absl::StrFormat("  %s: %d x %s (first: %s)\n", o.name, n, CodeName(code),
                             r.first_error.at(code));
    }
    if (r.bad_responses > 0) {
      out << absl::StrFormat("  %s: %d of %d checked OK responses were wrong (first: %s)\n", o.name,
                             r.bad_responses, r.checked, r.first_bad_response);
    }
    if (o.flagged()) {
      out << absl::StrFormat("  %s: FLAGGED, %.2f%% of %d calls failed (limit %.0f%%)\n", o.name,
                             100 * r.error_rate(), r.completed, 100 * kFlagErrorRate);
    }
  }
  if (echo == nullptr) out << "\n(no echo run in this invocation: no ratios)\n";
  if (!info.notes.empty()) {
    out << "\n";
    for (const auto& note : info.notes) out << note << "\n";
  }
}

nlohmann::json ToJson(const RunInfo& info, const std::vector<WorkloadOutcome>& outcomes) {
  nlohmann::json j;
  j["machine"] = {{"nproc", info.nproc}};
  j["settings"] = {{"duration_s", absl::ToDoubleSeconds(info.duration)},
                   {"warmup_s", absl::ToDoubleSeconds(info.warmup)},
                   {"inflight", info.inflight},
                   {"channels", info.channels},
                   {"client_threads", info.client_threads},
                   {"enterprises", info.enterprises},
                   {"projects", info.projects},
                   {"server_rpc_threads", info.server_rpc_threads}};
  j["machine"]["load_average_before"] = info.load_before;
  j["machine"]["load_average_after"] = info.load_after;
  j["registry"] = info.registry;
  j["intake"] = info.intake;
  j["echo"] = info.echo;
  if (info.load_rows > 0) {
    j["intake_load"] = {{"rows", info.load_rows},
                        {"calls", info.load_calls},
                        {"seconds", info.load_seconds},
                        {"rows_per_second", info.load_rows_per_second()}};
  } else {
    j["intake_load"] = nullptr;
  }
  if (info.notify.has_value()) {
    j["notify"] = {{"fanout_recipients", info.notify->fanout_recipients},
                   {"fanout_ms", ToJson(info.notify->fanout)},
                   {"event_rate", info.notify->event_rate},
                   {"event_to_webhook_ms", ToJson(info.notify->event_to_webhook)},
                   {"webhooks", info.notify->webhooks},
                   {"webhooks_per_second", info.notify->webhooks_per_second},
                   {"watchers", info.notify->watchers},
                   {"watch_ms", ToJson(info.notify->watch)}};
  } else {
    j["notify"] = nullptr;
  }
  if (info.sync.has_value()) {
    const SyncFigures& s = *info.sync;
    j["sync"] = {{"first_start_seconds", s.first_start_seconds},
                 {"pushed_records", s.pushed_records},
                 {"push_seconds", s.push_seconds},
                 {"push_records_per_second", s.push_records_per_second},
                 {"snapshot_records", s.snapshot_records},
                 {"snapshot_seconds", s.snapshot_seconds},
                 {"snapshot_records_per_second", s.snapshot_records_per_second},
                 {"lag_rate", s.lag_rate},
                 {"lag_ms", ToJson(s.lag)}};
  } else {
    j["sync"] = nullptr;
  }
  if (info.support.has_value()) {
    const SupportFigures& s = *info.support;
    j["support"] = {{"enterprises", s.enterprises},
                    {"backfill_seconds", s.backfill_seconds},
                    {"match_ms", ToJson(s.match)},
                    {"qualified", s.qualified},
                    {"match_enterprises_per_second", s.match_enterprises_per_second},
                    {"requests", s.requests},
                    {"import_seconds", s.import_seconds},
                    {"import_rows_per_second", s.import_rows_per_second},
                    {"figures_ms", ToJson(s.figures)}};
  } else {
    j["support"] = nullptr;
  }
  if (info.replica_lag.has_value()) {
    j["replica_lag_ms"] = ToJson(*info.replica_lag);
  } else {
    j["replica_lag_ms"] = nullptr;
  }
  if (!info.assessment.empty()) {
    j["assessment"] = {
        {"target", info.assessment},
        {"facts_projects", info.assessment_facts},
        {"facts_seconds", info.assessment_facts_seconds},
        {"provisional_debounce_ms", absl::ToDoubleMilliseconds(info.provisional_debounce)}};
    j["assessment"]["groupby_baseline_ms"] =
        info.groupby_baseline ? ToJson(*info.groupby_baseline) : nlohmann::json(nullptr);
    j["assessment"]["provisional_lag_ms"] =
        info.provisional_lag ? ToJson(*info.provisional_lag) : nlohmann::json(nullptr);
  }
  const LoadResult* echo = Baseline(outcomes);
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& o : outcomes) {
    nlohmann::json row;
    row["workload"] = o.name;
    row["flagged"] = o.flagged();
    if (!o.status.ok() || !o.result.has_value()) {
      row["error"] = std::string(o.status.message());
      rows.push_back(std::move(row));
      continue;
    }
    const LoadResult& r = *o.result;
    row["inflight"] = o.inflight;
    row["calls"] = r.completed;
    row["ok"] = r.ok;
    row["seconds"] = r.seconds;
    row["calls_per_second"] = r.calls_per_second();
    row["latency_ms"] = {{"mean", r.mean_ms}, {"p50", r.p50_ms},    {"p90", r.p90_ms},
                         {"p99", r.p99_ms},   {"p99_9", r.p999_ms}, {"max", r.max_ms}};
    nlohmann::json errors = nlohmann::json::object();
    for (const auto& [code, n] : r.errors) {
      errors[CodeName(code)] = {{"count", n}, {"first_message", r.first_error.at(code)}};
    }
    row["errors"] = std::move(errors);
    row["checked_responses"] = r.checked;
    row["bad_responses"] = r.bad_responses;
    if (r.bad_responses > 0) row["first_bad_response"] = r.first_bad_response;
    row["error_rate"] = r.error_rate();
    if (echo != nullptr && echo->calls_per_second() > 0 && echo->p50_ms > 0) {
      row["ratio_to_echo"] = {{"calls_per_second", r.calls_per_second() / echo->calls_per_second()},
                              {"p50", r.p50_ms / echo->p50_ms}};
    } else {
      row["ratio_to_echo"] = nullptr;
    }
    rows.push_back(std::move(row));
  }
  j["results"] = std::move(rows);
  j["notes"] = info.notes;
  return j;
}

}  // namespace chainhub::bench
