// chainhub-bench: drives the real chain registry, project intake and assessment and, in the same
// run, the bare chainhub-echo server with the same closed-loop load, and prints each workload
// beside that baseline as a ratio. Wiring only: flags → the plan (workloads from the workload
// table, the servers they need) → servers (started here unless given), seeded → workloads → report.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/base/log.h"
#include "common/base/status_util.h"
#include "common/rpc/auth.h"
#include "common/service/flags.h"
#include "tools/bench/assessment_bench.h"
#include "tools/bench/bench_stack.h"
#include "tools/bench/data_set.h"
#include "tools/bench/load_engine.h"
#include "tools/bench/notify_bench.h"
#include "tools/bench/replica_lag.h"
#include "tools/bench/report.h"
#include "tools/bench/runner.h"
#include "tools/bench/workloads.h"

ABSL_FLAG(std::string, registry_target, "",
          "HOST:PORT of a running chainhub-registry (needs --jwt_secret_file; seeded only with "
          "--seed=yes). Empty: the bench starts redis-server and chainhub-registry itself");
ABSL_FLAG(std::string, registry_binary, "",
          "chainhub-registry to start (default: ../../services/registry/chainhub-registry "
          "relative to this binary, or beside it, or on PATH)");
ABSL_FLAG(std::string, intake_target, "",
          "HOST:PORT of a running chainhub-intake (needs --jwt_secret_file; loaded only with "
          "--seed=yes). Empty: the bench starts chainhub-intake itself, beside its own registry");
ABSL_FLAG(std::string, intake_binary, "",
          "chainhub-intake to start (default: ../../services/intake/chainhub-intake relative to "
          "this binary, or beside it, or on PATH)");
ABSL_FLAG(int, notify_events, 500,
          "After the other workloads, starts chainhub-notify beside the registry the bench started "
          "and measures a notice to 1,000 inboxes, this many events at 100/s until their webhooks "
          "arrive, and a burst of as many webhooks (0: skip)");
ABSL_FLAG(int, notify_watchers, 500,
          "With the notify figures: departments that each keep a WatchInbox stream open while "
          "notices to all of them are sent (at most 1,000; 0 skips it)");
ABSL_FLAG(std::string, notify_binary, "",
          "chainhub-notify to start for the notify figures (default: beside this binary in the "
          "build tree)");
ABSL_FLAG(int, sync_events, 5000,
          "At the end, starts the reference provincial receiver and chainhub-sync beside the "
          "intake the bench started, and measures the full push of the library, snapshots of every "
          "list, and the change feed's lag for this many project events at --sync_rate (0: skip)");
ABSL_FLAG(double, sync_rate, 1000, "Events a second of the change feed's lag pass");
ABSL_FLAG(int, support_enterprises, 100000,
          "At the end, writes this many enterprises to the registry the bench started, starts "
          "chainhub-support beside it and measures one policy item matched against all of them "
          "(0: skip the support figures)");
ABSL_FLAG(int, support_requests, 100000,
          "With the support figures: requests of a year imported, then summarized by department");
ABSL_FLAG(int, support_samples, 20, "With the support figures: calls timed of each kind");
ABSL_FLAG(std::string, support_binary, "",
          "chainhub-support to start for the support figures (default: beside this binary in "
          "the build tree)");
ABSL_FLAG(int, sync_batch_size, 500, "chainhub-sync's --push_batch_size in the sync figures");
ABSL_FLAG(std::string, sync_binary, "",
          "chainhub-sync to start for the sync figures (default: beside this binary in the build "
          "tree)");
ABSL_FLAG(std::string, province_binary, "",
          "chainhub-province to start for the sync figures (default: beside this binary in the "
          "build tree)");
ABSL_FLAG(std::string, assessment_binary, "",
          "chainhub-assessment to start for the assessment workloads (default: "
          "../../services/assessment/chainhub-assessment relative to this binary, or beside it, "
          "or on PATH)");
ABSL_FLAG(int, groupby_samples, 20,
          "After the assessment workloads, passes of the hand-written GROUP BY baseline");
ABSL_FLAG(int, provisional_samples, 20,
          "After the assessment workloads, project events timed until a provisional run "
          "reflects them; 0: skip");
ABSL_FLAG(absl::Duration, provisional_debounce, absl::Milliseconds(200),
          "--provisional_debounce of the chainhub-assessment the bench starts");
ABSL_FLAG(std::string, echo_target, "", "HOST:PORT of a running chainhub-echo (empty: start one)");
ABSL_FLAG(std::string, echo_binary, "", "chainhub-echo to start (default: beside this binary)");
ABSL_FLAG(std::string, redis_binary, "redis-server", "redis-server to start for the registry");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "Measured time per workload");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Unmeasured load before each workload");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(30), "Deadline of each call");
ABSL_FLAG(int, inflight, 64, "Calls kept outstanding at all times");
ABSL_FLAG(int, channels, 4, "Client channels (TCP connections) the calls are spread over");
ABSL_FLAG(int, client_threads, 2, "Client threads, each with its own CompletionQueue");
ABSL_FLAG(std::string, workloads, absl::StrJoin(chainhub::bench::KnownWorkloads(), ","),
          "Comma-separated workloads, run in this order");
ABSL_FLAG(int, enterprises, 5000, "Synthetic enterprises to seed (batch_upsert rotates over them)");
ABSL_FLAG(int, projects, 100000,
          "Synthetic projects loaded into the intake with ImportProjects (10,000 rows per call) "
          "before the intake workloads");
ABSL_FLAG(std::string, seed, "auto",
          "Seed the registry and load the intake's projects: yes, no, or auto (only servers the "
          "bench started itself)");
ABSL_FLAG(std::string, output, "table", "table or json");
ABSL_FLAG(int, server_rpc_threads, 0,
          "--rpc_threads for the registry, intake and echo servers the bench starts (0: their "
          "default). Calls beyond it wait in the servers' queue (--rpc_queue_limit)");
ABSL_FLAG(int, replica_lag_samples, 100,
          "After the registry workloads, writes to the registry this many times and measures how "
          "long a second registry process (same store and Redis) serves the old value: the near "
          "cache's cross-replica lag. 0: skip. Only with a registry the bench starts");
ABSL_FLAG(bool, keep_temp, false, "Keep the temp dir (registry data and logs) after the run");

namespace chainhub::bench {
namespace {

int Fail(absl::string_view message) {
  std::cerr << "chainhub-bench: " << message << std::endl;
  return 2;
}

// What the flags ask of this run: the load, the workloads from the table, the servers they need
// and where those are.
struct Plan {
  LoadOptions load;
  int channels = 0;
  int enterprises = 0;
  int projects = 0;
  int replica_lag_samples = 0;
  std::string output;
  std::string seed;
  WorkloadContext context;
  std::vector<Workload> workloads;
  bool needs_echo = false;
  bool needs_registry = false;
  bool needs_intake = false;
  bool needs_assessment = false;
  bool needs_negotiating_projects = false;
  std::string assessment_binary;
  std::string notify_binary;
  int notify_events = 0;
  int notify_watchers = 0;
  std::string sync_binary;
  std::string support_binary;
  int support_enterprises = 0;
  int support_requests = 0;
  int support_samples = 0;
  std::string province_binary;
  int sync_events = 0;
  double sync_rate = 0;
  int sync_batch_size = 0;
  int groupby_samples = 0;
  int provisional_samples = 0;
  absl::Duration provisional_debounce;
  std::string registry_target;
  std::string intake_target;
  std::string echo_target;
  StackOptions stack;

  bool seeds_registry() const { return seed == "yes" || (seed == "auto" && stack.start_registry); }
  bool loads_intake() const { return seed == "yes" || (seed == "auto" && stack.start_intake); }
};

// The flags checked; INVALID_ARGUMENT with the message to fail with.
absl::StatusOr<Plan> PlanFromFlags() {
  Plan plan;
  LoadOptions& load = plan.load;
  load.inflight = absl::GetFlag(FLAGS_inflight);
  load.client_threads = absl::GetFlag(FLAGS_client_threads);
  load.warmup = absl::GetFlag(FLAGS_warmup);
  load.duration = absl::GetFlag(FLAGS_duration);
  load.call_timeout = absl::GetFlag(FLAGS_call_timeout);
  plan.channels = absl::GetFlag(FLAGS_channels);
  plan.enterprises = absl::GetFlag(FLAGS_enterprises);
  plan.projects = absl::GetFlag(FLAGS_projects);
  plan.replica_lag_samples = absl::GetFlag(FLAGS_replica_lag_samples);
  plan.output = absl::GetFlag(FLAGS_output);
  plan.seed = absl::GetFlag(FLAGS_seed);
  const int server_rpc_threads = absl::GetFlag(FLAGS_server_rpc_threads);
  auto invalid = [](absl::string_view m) { return absl::InvalidArgumentError(m); };
  if (load.inflight < 1) return invalid("--inflight: must be >= 1");
  if (load.client_threads < 1) return invalid("--client_threads: must be >= 1");
  if (plan.channels < 1) return invalid("--channels: must be >= 1");
  if (plan.enterprises < 1) return invalid("--enterprises: must be >= 1");
  if (plan.projects < 1) return invalid("--projects: must be >= 1");
  if (plan.replica_lag_samples < 0) return invalid("--replica_lag_samples: must be >= 0");
  if (server_rpc_threads == 1 || server_rpc_threads < 0) {
    return invalid("--server_rpc_threads: 0 (default) or >= 2");
  }
  if (load.duration <= absl::ZeroDuration()) return invalid("--duration: must be > 0");
  if (load.warmup < absl::ZeroDuration()) return invalid("--warmup: must be >= 0");
  if (plan.output != "table" && plan.output != "json") {
    return invalid("--output: must be table or json");
  }
  if (plan.seed != "auto" && plan.seed != "yes" && plan.seed != "no") {
    return invalid("--seed: yes, no or auto");
  }

  plan.context.enterprises = plan.enterprises;
  plan.context.run_id = absl::StrCat(absl::ToUnixMicros(absl::Now()), "-", getpid());
  plan.context.intake = std::make_shared<IntakeBenchState>();
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_workloads), ',', absl::SkipWhitespace())) {
    absl::StatusOr<Workload> workload =
        MakeWorkload(absl::StripAsciiWhitespace(name), plan.context);
    if (!workload.ok()) return workload.status();
    plan.needs_echo |= workload->target == Target::kEcho;
    plan.needs_registry |= workload->target == Target::kRegistry;
    plan.needs_assessment |= workload->target == Target::kAssessment;
    // Assessment's facts come from the intake's library.
    plan.needs_intake |=
        workload->target == Target::kIntake || workload->target == Target::kAssessment;
    plan.needs_negotiating_projects |= workload->needs_negotiating_projects;
    plan.workloads.push_back(*std::move(workload));
  }
  if (plan.workloads.empty()) return invalid("--workloads: name at least one workload");
  // The assessment workloads run last, after every other: the service starts then, so it does
  // not consume the other workloads' events while they are measured.
  std::stable_partition(plan.workloads.begin(), plan.workloads.end(),
                        [](const Workload& w) { return w.target != Target::kAssessment; });
  plan.notify_events = absl::GetFlag(FLAGS_notify_events);
  if (plan.notify_events < 0) return invalid("--notify_events: must be >= 0");
  plan.notify_watchers = absl::GetFlag(FLAGS_notify_watchers);
  if (plan.notify_watchers < 0 || plan.notify_watchers > 1000) {
    return invalid("--notify_watchers: must be 0-1000");
  }
  plan.sync_events = absl::GetFlag(FLAGS_sync_events);
  if (plan.sync_events < 0) return invalid("--sync_events: must be >= 0");
  plan.sync_rate = absl::GetFlag(FLAGS_sync_rate);
  if (!(plan.sync_rate > 0)) return invalid("--sync_rate: must be positive");
  plan.sync_batch_size = absl::GetFlag(FLAGS_sync_batch_size);
  if (plan.sync_batch_size < 1 || plan.sync_batch_size > 1000) {
    return invalid("--sync_batch_size: must be 1-1000");
  }
  const std::string support_binary = absl::GetFlag(FLAGS_support_binary);
  plan.support_binary = support_binary.empty() ? DefaultServiceBinary("support") : support_binary;
  plan.support_enterprises = absl::GetFlag(FLAGS_support_enterprises);
  plan.support_requests = absl::GetFlag(FLAGS_support_requests);
  plan.support_samples = absl::GetFlag(FLAGS_support_samples);
  if (plan.support_enterprises < 0 || plan.support_requests < 0 || plan.support_samples < 1) {
    return invalid("--support_enterprises and --support_requests: must be >= 0; "
                   "--support_samples: >= 1");
  }
  const std::string sync_binary = absl::GetFlag(FLAGS_sync_binary);
  plan.sync_binary = sync_binary.empty() ? DefaultServiceBinary("sync") : sync_binary;
  const std::string province_binary = absl::GetFlag(FLAGS_province_binary);
  plan.province_binary =
      province_binary.empty() ? DefaultServiceBinary("province") : province_binary;
  const std::string notify_binary = absl::GetFlag(FLAGS_notify_binary);
  plan.notify_binary = notify_binary.empty() ? DefaultServiceBinary("notify") : notify_binary;
  const std::string assessment_binary = absl::GetFlag(FLAGS_assessment_binary);
  plan.assessment_binary =
      assessment_binary.empty() ? DefaultServiceBinary("assessment") : assessment_binary;
  plan.groupby_samples = absl::GetFlag(FLAGS_groupby_samples);
  plan.provisional_samples = absl::GetFlag(FLAGS_provisional_samples);
  plan.provisional_debounce = absl::GetFlag(FLAGS_provisional_debounce);
  if (plan.groupby_samples < 1) return invalid("--groupby_samples: must be >= 1");
  if (plan.provisional_samples < 0) return invalid("--provisional_samples: must be >= 0");
  if (plan.provisional_debounce < absl::ZeroDuration()) {
    return invalid("--provisional_debounce: must be >= 0");
  }

  plan.registry_target = absl::GetFlag(FLAGS_registry_target);
  plan.intake_target = absl::GetFlag(FLAGS_intake_target);
  plan.echo_target = absl::GetFlag(FLAGS_echo_target);
  StackOptions& stack = plan.stack;
  stack.start_intake = plan.needs_intake && plan.intake_target.empty();
  if (plan.needs_assessment && !stack.start_intake) {
    return invalid(
        "--intake_target: the assessment workloads run on an intake and registry the bench "
        "starts (their facts are backfilled from the library it loads)");
  }
  // An intake the bench starts runs beside a registry the bench starts (same Redis and secret).
  if (stack.start_intake && !plan.registry_target.empty()) {
    return invalid("--intake_target: needed with --registry_target for the intake workloads");
  }
  stack.start_registry =
      (plan.needs_registry || stack.start_intake) && plan.registry_target.empty();
  stack.start_echo = plan.needs_echo && plan.echo_target.empty();
  stack.start_registry_replica =
      plan.needs_registry && stack.start_registry && plan.replica_lag_samples > 0;
  const std::string registry_binary = absl::GetFlag(FLAGS_registry_binary);
  stack.registry_binary =
      registry_binary.empty() ? DefaultServiceBinary("registry") : registry_binary;
  const std::string intake_binary = absl::GetFlag(FLAGS_intake_binary);
  stack.intake_binary = intake_binary.empty() ? DefaultServiceBinary("intake") : intake_binary;
  const std::string echo_binary = absl::GetFlag(FLAGS_echo_binary);
  stack.echo_binary = echo_binary.empty() ? DefaultEchoBinary() : echo_binary;
  stack.redis_binary = absl::GetFlag(FLAGS_redis_binary);
  stack.keep_temp = absl::GetFlag(FLAGS_keep_temp);
  stack.server_rpc_threads = server_rpc_threads;
  return plan;
}

// The secret that signs the admin token for servers the bench did not start.
absl::StatusOr<std::string> ReadSecret() {
  const std::string file = absl::GetFlag(FLAGS_jwt_secret_file);
  if (file.empty()) {
    return absl::InvalidArgumentError(
        "--jwt_secret_file: needed with --registry_target, to mint an admin token");
  }
  return ReadSecretFile(file);
}

// The run's settings and machine, as the report shows them.
RunInfo RunInfoOf(const Plan& plan) {
  RunInfo info;
  info.nproc = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  info.duration = plan.load.duration;
  info.warmup = plan.load.warmup;
  info.inflight = plan.load.inflight;
  info.channels = plan.channels;
  info.client_threads = plan.load.client_threads;
  info.enterprises = plan.enterprises;
  info.projects = plan.needs_intake ? plan.projects : 0;
  info.load_before = LoadAverage();
  if (plan.stack.server_rpc_threads > 0) {
    info.server_rpc_threads = absl::StrCat(plan.stack.server_rpc_threads);
  }
  return info;
}

// Starts what the plan needs, mints the token and connects; says in `info` where each server is.
absl::StatusOr<Servers> StartServers(Plan& plan, RunInfo& info) {
  std::string secret;
  if ((plan.needs_registry && !plan.stack.start_registry) ||
      (plan.needs_intake && !plan.stack.start_intake)) {
    absl::StatusOr<std::string> s = ReadSecret();
    if (!s.ok()) return s.status();
    secret = *s;
  }
  Servers servers;
  absl::StatusOr<std::unique_ptr<BenchStack>> stack = BenchStack::Start(plan.stack, std::cerr);
  if (!stack.ok()) return stack.status();
  servers.stack = *std::move(stack);
  BenchStack& started = *servers.stack;
  info = RunInfoOf(plan);

  if (plan.needs_registry || plan.needs_intake) {
    if (plan.stack.start_registry) {
      plan.registry_target = started.registry_target();
      secret = started.jwt_secret();
      info.registry =
          absl::StrCat(plan.registry_target, " (started by the bench: ", plan.stack.registry_binary,
                       ", redis ", started.redis_address(), ")");
    } else if (plan.needs_registry) {
      info.registry = plan.registry_target;
    }
    Principal principal;
    principal.subject = "systems/chainhub-bench";
    principal.roles.insert(std::string(roles::kAdmin));
    absl::StatusOr<std::string> token = MintToken(secret, principal, absl::Now(), absl::Hours(24));
    if (!token.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("minting a token: ", token.status().message()));
    }
    servers.authorization = "Bearer " + *token;
  }
  if (plan.needs_intake) {
    if (plan.stack.start_intake) {
      plan.intake_target = started.intake_target();
      info.intake =
          absl::StrCat(plan.intake_target, " (started by the bench: ", plan.stack.intake_binary,
                       ", beside that registry)");
      plan.context.intake->ConnectRedis(started.redis_address());
    } else {
      info.intake = plan.intake_target;
      // The intake's Redis, for summarize_cold: --redis (or CHAINHUB_REDIS).
      plan.context.intake->ConnectRedis(absl::GetFlag(FLAGS_redis));
    }
  }
  if (plan.needs_echo) {
    if (plan.stack.start_echo) plan.echo_target = started.echo_target();
    info.echo = absl::StrCat(
        plan.echo_target,
        plan.stack.start_echo ? " (started by the bench: " + plan.stack.echo_binary + ")" : "");
  }
  return servers;
}

// Seeds the registry and loads the intake's library where the plan says so (or finds projects to
// move on an intake it does not load), then opens the workloads' channels.
absl::Status Prepare(const Plan& plan, Servers& servers, RunInfo& info) {
  BenchStack& stack = *servers.stack;
  servers.registry_seeded = plan.seeds_registry();
  servers.intake_loaded = plan.loads_intake();
  if (plan.needs_registry || plan.stack.start_registry) {
    servers.registry = MakeChannels(plan.registry_target, plan.channels);
    if (servers.registry_seeded) {
      const absl::Time start = absl::Now();
      // Enterprises only for the registry's own workloads; the intake needs the chains.
      if (absl::Status s = SeedRegistry(servers.registry[0], servers.authorization,
                                        plan.needs_registry ? plan.enterprises : 0, std::cerr);
          !s.ok()) {
        if (auto ended = stack.RegistryExited()) {
          std::cerr << "chainhub-registry ended during seeding (" << *ended
                    << "); its log: " << stack.registry_log() << std::endl;
        }
        return s;
      }
      std::cerr << "seeding took " << absl::FormatDuration(absl::Now() - start) << std::endl;
    }
  }
  if (plan.needs_intake) {
    servers.intake = MakeChannels(plan.intake_target, plan.channels);
    if (servers.intake_loaded) {
      absl::StatusOr<IntakeLoad> loaded = SeedIntake(
          servers.intake[0], servers.authorization, plan.projects, *plan.context.intake, std::cerr);
      if (!loaded.ok()) {
        if (auto ended = stack.IntakeExited()) {
          std::cerr << "chainhub-intake ended during loading (" << *ended
                    << "); its log: " << stack.intake_log() << std::endl;
        }
        return loaded.status();
      }
      info.load_rows = loaded->rows;
      info.load_calls = loaded->calls;
      info.load_seconds = absl::ToDoubleSeconds(loaded->elapsed);
    } else if (plan.needs_negotiating_projects) {
      if (absl::Status s = CollectNegotiatingProjects(servers.intake[0], servers.authorization,
                                                      50'000, *plan.context.intake);
          !s.ok()) {
        return s;
      }
    }
  }
  // Only the registry workloads use the registry's channels.
  if (!plan.needs_registry) servers.registry.clear();
  if (plan.needs_echo) servers.echo = MakeChannels(plan.echo_target, plan.channels);
  return absl::OkStatus();
}

// Starts chainhub-assessment beside the intake (now that the other workloads are done), waits
// for its facts to cover the library and applies the sample scheme.
absl::Status PrepareAssessmentRun(const Plan& plan, Servers& servers, RunInfo& info) {
  BenchStack& stack = *servers.stack;
  const absl::Time started = absl::Now();
  CHAINHUB_RETURN_IF_ERROR(
      stack.StartAssessment(plan.assessment_binary, plan.provisional_debounce));
  std::cerr << "chainhub-assessment serving on " << stack.assessment_target() << std::endl;
  info.assessment =
      absl::StrCat(stack.assessment_target(), " (started by the bench: ", plan.assessment_binary,
                   ", beside that intake)");
  info.provisional_debounce = plan.provisional_debounce;
  servers.assessment = MakeChannels(stack.assessment_target(), plan.channels);
  absl::StatusOr<AssessmentFacts> facts = PrepareAssessment(
      servers.assessment[0], servers.authorization, plan.projects, started, std::cerr);
  if (!facts.ok()) {
    if (auto ended = stack.AssessmentExited()) {
      std::cerr << "chainhub-assessment ended (" << *ended
                << "); its log: " << stack.assessment_log() << std::endl;
    }
    return facts.status();
  }
  info.assessment_facts = facts->projects;
  info.assessment_facts_seconds = facts->seconds;
  return absl::OkStatus();
}

// A measurement asked for that failed: noted in the report, and the run exits non-zero.
void MeasurementFailed(RunInfo& info, absl::string_view what, const absl::Status& status) {
  info.notes.push_back(absl::StrCat(what, " not measured: ", status.message()));
  ++info.failed_measurements;
}

// After the assessment workloads: the GROUP BY baseline on the same facts, then the provisional
// run's lag behind project events. A measurement that fails is noted, not fatal.
// Starts chainhub-notify (only now, so it consumes no event of the other workloads) and takes its
// figures.
void MeasureNotifyFigures(const Plan& plan, Servers& servers, RunInfo& info) {
  if (plan.notify_events == 0) return;
  if (!plan.stack.start_registry) {
    info.notes.push_back("notify not measured: it runs beside a registry the bench starts");
    return;
  }
  if (absl::Status s = servers.stack->StartNotify(plan.notify_binary); !s.ok()) {
    MeasurementFailed(info, "notify", s);
    return;
  }
  std::cerr << "measuring notify (" << plan.notify_events << " events, as many webhooks) ..."
            << std::endl;
  const std::string secret = servers.stack->jwt_secret();
  auto department_token = [&secret](const std::string& subject) {
    Principal department;
    department.subject = subject;
    department.roles.insert(std::string(roles::kDepartment));
    return MintToken(secret, department, absl::Now(), absl::Hours(1));
  };
  absl::StatusOr<NotifyFigures> figures =
      MeasureNotify(servers.stack->notify_target(), servers.authorization,
                    servers.stack->redis_address(), plan.notify_events, plan.notify_watchers,
                    department_token);
  if (figures.ok()) {
    info.notify = *figures;
  } else {
    MeasurementFailed(info, "notify", figures.status());
  }
}

// Last: seeds the provincial lists and mapping into the registry, starts the reference receiver
// and chainhub-sync (which backfills the library and pushes it), and takes sync's figures.
void MeasureSyncFigures(const Plan& plan, Servers& servers, RunInfo& info) {
  if (plan.sync_events == 0) return;
  if (!plan.stack.start_intake) {
    info.notes.push_back("sync not measured: it runs beside an intake the bench starts");
    return;
  }
  if (absl::Status s = SeedTaxonomy(servers.stack->registry_target(), servers.authorization);
      !s.ok()) {
    MeasurementFailed(info, "sync", s);
    return;
  }
  std::cerr << "measuring sync (the full push, snapshots, " << plan.sync_events
            << " events at " << plan.sync_rate << "/s) ..." << std::endl;
  const absl::Time started = absl::Now();
  if (absl::Status s = servers.stack->StartSync(plan.sync_binary, plan.province_binary,
                                                plan.sync_batch_size);
      !s.ok()) {
    MeasurementFailed(info, "sync", s);
    return;
  }
  absl::StatusOr<SyncFigures> figures =
      MeasureSync(servers.stack->sync_target(), servers.authorization,
                  servers.stack->redis_address(), started, plan.sync_events, plan.sync_rate);
  if (figures.ok()) {
    info.sync = *figures;
  } else {
    MeasurementFailed(info, "sync", figures.status());
  }
}

// Last of all: writes the registry up to --support_enterprises, starts chainhub-support beside it
// (which copies them), and takes support's figures.
void MeasureSupportFigures(const Plan& plan, Servers& servers, RunInfo& info) {
  if (plan.support_enterprises == 0) return;
  if (!plan.stack.start_registry) {
    info.notes.push_back("support not measured: it runs beside a registry the bench starts");
    return;
  }
  std::cerr << "measuring support (matching " << plan.support_enterprises << " enterprises, "
            << plan.support_requests << " requests' figures) ..." << std::endl;
  absl::StatusOr<SupportFigures> figures = MeasureSupport(
      MakeChannels(servers.stack->registry_target(), 1)[0], servers.authorization,
      std::max(plan.support_enterprises, plan.enterprises), plan.support_requests,
      plan.support_samples,
      [&]() -> absl::StatusOr<std::string> {
        CHAINHUB_RETURN_IF_ERROR(servers.stack->StartSupport(plan.support_binary));
        return servers.stack->support_target();
      },
      std::cerr);
  if (figures.ok()) {
    info.support = *figures;
  } else {
    MeasurementFailed(info, "support", figures.status());
  }
}

void MeasureAssessment(const Plan& plan, Servers& servers, RunInfo& info) {
  std::cerr << "measuring the GROUP BY baseline (" << plan.groupby_samples << " passes) ..."
            << std::endl;
  absl::StatusOr<LatencyFigures> baseline =
      MeasureGroupByBaseline(servers.stack->assessment_db(), BenchRunSpec(), plan.groupby_samples);
  if (baseline.ok()) {
    info.groupby_baseline = *baseline;
  } else {
    MeasurementFailed(info, "GROUP BY baseline", baseline.status());
  }
  if (plan.provisional_samples == 0) return;
  std::cerr << "measuring the provisional run's lag (" << plan.provisional_samples
            << " project events) ..." << std::endl;
  absl::StatusOr<LatencyFigures> lag =
      MeasureProvisionalLag(servers.intake[0], servers.assessment[0], servers.authorization,
                            plan.context.run_id, plan.provisional_samples);
  if (lag.ok()) {
    info.provisional_lag = *lag;
  } else {
    MeasurementFailed(info, "provisional lag", lag.status());
  }
}

int Main(int argc, char** argv) {
  ParseFlagsWithEnv(argc, argv,
                    "chainhub-bench: measures the chain registry and the project intake against a "
                    "bare gRPC echo baseline. Example: chainhub-bench --duration=10s");
  // The bench reports on stderr itself; the common library's JSON lines (Redis reconnects while
  // redis-server starts) would only interleave with it.
  SetLogLevel(LogLevel::kError);
  absl::StatusOr<Plan> plan = PlanFromFlags();
  if (!plan.ok()) return Fail(plan.status().message());
  RunInfo info;
  absl::StatusOr<Servers> servers = StartServers(*plan, info);
  if (!servers.ok()) return Fail(servers.status().message());
  if (absl::Status s = Prepare(*plan, *servers, info); !s.ok()) return Fail(s.message());

  const auto first_assessment =
      std::find_if(plan->workloads.begin(), plan->workloads.end(),
                   [](const Workload& w) { return w.target == Target::kAssessment; });
  std::vector<WorkloadOutcome> outcomes = RunWorkloads({plan->workloads.begin(), first_assessment},
                                                       *servers, plan->load, info, std::cerr);
  if (first_assessment != plan->workloads.end()) {
    if (absl::Status s = PrepareAssessmentRun(*plan, *servers, info); !s.ok()) {
      return Fail(s.message());
    }
    for (WorkloadOutcome& o : RunWorkloads({first_assessment, plan->workloads.end()}, *servers,
                                           plan->load, info, std::cerr)) {
      outcomes.push_back(std::move(o));
    }
    MeasureAssessment(*plan, *servers, info);
  }
  if (plan->stack.start_registry_replica && plan->seeds_registry()) {
    std::cerr << "measuring the cross-replica lag (" << plan->replica_lag_samples << " writes) ..."
              << std::endl;
    absl::StatusOr<ReplicaLag> lag =
        MeasureReplicaLag(MakeChannels(plan->registry_target, 1)[0],
                          MakeChannels(servers->stack->registry_replica_target(), 1)[0],
                          servers->authorization, plan->replica_lag_samples);
    if (lag.ok()) {
      info.replica_lag = *lag;
    } else {
      MeasurementFailed(info, "replica lag", lag.status());
    }
  }
  MeasureNotifyFigures(*plan, *servers, info);
  MeasureSyncFigures(*plan, *servers, info);
  MeasureSupportFigures(*plan, *servers, info);
  FinishRun(outcomes, *servers, info);

  if (plan->output == "json") {
    std::cout << ToJson(info, outcomes).dump(2) << std::endl;
  } else {
    PrintTable(info, outcomes, std::cout);
  }
  for (const auto& o : outcomes) {
    if (o.flagged()) return 1;
  }
  return info.failed_measurements > 0 ? 1 : 0;
}

}  // namespace
}  // namespace chainhub::bench

int main(int argc, char** argv) { return chainhub::bench::Main(argc, argv); }
