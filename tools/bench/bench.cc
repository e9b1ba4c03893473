// chainhub-bench: drives the real chain registry and project intake and, in the same run, the bare
// chainhub-echo server with the same closed-loop load, and prints each workload beside that
// baseline as a ratio. Wiring only: flags → servers (started here unless given) → seed → workloads
// → report.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/rpc/auth.h"
#include "common/service/flags.h"
#include "common/base/log.h"
#include "tools/bench/bench_stack.h"
#include "tools/bench/load_engine.h"
#include "tools/bench/report.h"
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
ABSL_FLAG(std::string, echo_target, "", "HOST:PORT of a running chainhub-echo (empty: start one)");
ABSL_FLAG(std::string, echo_binary, "", "chainhub-echo to start (default: beside this binary)");
ABSL_FLAG(std::string, redis_binary, "redis-server", "redis-server to start for the registry");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(5), "Measured time per workload");
ABSL_FLAG(absl::Duration, warmup, absl::Seconds(1), "Unmeasured load before each workload");
ABSL_FLAG(absl::Duration, call_timeout, absl::Seconds(30), "Deadline of each call");
ABSL_FLAG(int, inflight, 64, "Calls kept outstanding at all times");
ABSL_FLAG(int, channels, 4, "Client channels (TCP connections) the calls are spread over");
ABSL_FLAG(int, client_threads, 2, "Client threads, each with its own CompletionQueue");
ABSL_FLAG(std::string, workloads,
          "echo,get_chain,get_chain_map,list_enterprises,batch_upsert,list_projects,"
          "summarize_warm,summarize_cold,create_project,transition_stage",
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
ABSL_FLAG(bool, keep_temp, false, "Keep the temp dir (registry data and logs) after the run");

namespace chainhub::bench {
namespace {

double LoadAverage() {
  double load[1] = {0};
  return getloadavg(load, 1) == 1 ? load[0] : 0;
}

int Fail(const std::string& message) {
  std::cerr << "chainhub-bench: " << message << std::endl;
  return 2;
}

absl::StatusOr<std::string> ReadSecret() {
  const std::string file = absl::GetFlag(FLAGS_jwt_secret_file);
  if (file.empty()) {
    return absl::InvalidArgumentError(
        "--jwt_secret_file: needed with --registry_target, to mint an admin token");
  }
  return ReadSecretFile(file);
}

int Main(int argc, char** argv) {
  ParseFlagsWithEnv(argc, argv,
                    "chainhub-bench: measures the chain registry and the project intake against a "
                    "bare gRPC echo baseline. Example: chainhub-bench --duration=10s");
  // The bench reports on stderr itself; the common library's JSON lines (Redis reconnects while
  // redis-server starts) would only interleave with it.
  SetLogLevel(LogLevel::kError);
  LoadOptions load;
  load.inflight = absl::GetFlag(FLAGS_inflight);
  load.client_threads = absl::GetFlag(FLAGS_client_threads);
  load.warmup = absl::GetFlag(FLAGS_warmup);
  load.duration = absl::GetFlag(FLAGS_duration);
  load.call_timeout = absl::GetFlag(FLAGS_call_timeout);
  const int channels = absl::GetFlag(FLAGS_channels);
  const int enterprises = absl::GetFlag(FLAGS_enterprises);
  const int projects = absl::GetFlag(FLAGS_projects);
  const std::string output = absl::GetFlag(FLAGS_output);
  const std::string seed = absl::GetFlag(FLAGS_seed);
  if (load.inflight < 1) return Fail("--inflight: must be >= 1");
  if (load.client_threads < 1) return Fail("--client_threads: must be >= 1");
  if (channels < 1) return Fail("--channels: must be >= 1");
  if (enterprises < 1) return Fail("--enterprises: must be >= 1");
  if (projects < 1) return Fail("--projects: must be >= 1");
  if (absl::GetFlag(FLAGS_server_rpc_threads) == 1 || absl::GetFlag(FLAGS_server_rpc_threads) < 0) {
    return Fail("--server_rpc_threads: 0 (default) or >= 2");
  }
  if (load.duration <= absl::ZeroDuration()) return Fail("--duration: must be > 0");
  if (load.warmup < absl::ZeroDuration()) return Fail("--warmup: must be >= 0");
  if (output != "table" && output != "json") return Fail("--output: must be table or json");
  if (seed != "auto" && seed != "yes" && seed != "no") return Fail("--seed: yes, no or auto");

  const std::string run_id = absl::StrCat(absl::ToUnixMicros(absl::Now()), "-", getpid());
  WorkloadContext context;
  context.enterprises = enterprises;
  context.run_id = run_id;
  context.intake = std::make_shared<IntakeBenchState>();
  std::vector<Workload> workloads;
  bool needs_echo = false, needs_registry = false, needs_intake = false;
  bool needs_intake_pool = false;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_workloads), ',', absl::SkipWhitespace())) {
    auto workload = MakeWorkload(absl::StripAsciiWhitespace(name), context);
    if (!workload.ok()) return Fail(std::string(workload.status().message()));
    switch (workload->target) {
      case Target::kEcho:
        needs_echo = true;
        break;
      case Target::kRegistry:
        needs_registry = true;
        break;
      case Target::kIntake:
        needs_intake = true;
        break;
    }
    needs_intake_pool = needs_intake_pool || workload->name == "transition_stage";
    workloads.push_back(*std::move(workload));
  }
  if (workloads.empty()) return Fail("--workloads: name at least one workload");

  StackOptions stack_options;
  std::string registry_target = absl::GetFlag(FLAGS_registry_target);
  std::string intake_target = absl::GetFlag(FLAGS_intake_target);
  std::string echo_target = absl::GetFlag(FLAGS_echo_target);
  stack_options.start_intake = needs_intake && intake_target.empty();
  // An intake the bench starts runs beside a registry the bench starts (same Redis and secret).
  if (stack_options.start_intake && !registry_target.empty()) {
    return Fail("--intake_target: needed with --registry_target for the intake workloads");
  }
  stack_options.start_registry =
      (needs_registry || stack_options.start_intake) && registry_target.empty();
  stack_options.start_echo = needs_echo && echo_target.empty();
  const std::string registry_binary = absl::GetFlag(FLAGS_registry_binary);
  stack_options.registry_binary =
      registry_binary.empty() ? DefaultRegistryBinary() : registry_binary;
  const std::string intake_binary = absl::GetFlag(FLAGS_intake_binary);
  stack_options.intake_binary = intake_binary.empty() ? DefaultIntakeBinary() : intake_binary;
  const std::string echo_binary = absl::GetFlag(FLAGS_echo_binary);
  stack_options.echo_binary = echo_binary.empty() ? DefaultEchoBinary() : echo_binary;
  stack_options.redis_binary = absl::GetFlag(FLAGS_redis_binary);
  stack_options.keep_temp = absl::GetFlag(FLAGS_keep_temp);
  stack_options.server_rpc_threads = absl::GetFlag(FLAGS_server_rpc_threads);

  std::string secret;
  if ((needs_registry && !stack_options.start_registry) ||
      (needs_intake && !stack_options.start_intake)) {
    auto s = ReadSecret();
    if (!s.ok()) return Fail(std::string(s.status().message()));
    secret = *s;
  }
  auto stack = BenchStack::Start(stack_options, std::cerr);
  if (!stack.ok()) return Fail(std::string(stack.status().message()));

  RunInfo info;
  info.nproc = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  info.duration = load.duration;
  info.warmup = load.warmup;
  info.inflight = load.inflight;
  info.channels = channels;
  info.client_threads = load.client_threads;
  info.enterprises = enterprises;
  info.projects = needs_intake ? projects : 0;
  info.load_before = LoadAverage();
  if (stack_options.server_rpc_threads > 0) {
    info.server_rpc_threads = absl::StrCat(stack_options.server_rpc_threads);
  }

  std::string authorization;
  if (needs_registry || needs_intake) {
    if (stack_options.start_registry) {
      registry_target = (*stack)->registry_target();
      secret = (*stack)->jwt_secret();
      info.registry =
          absl::StrCat(registry_target, " (started by the bench: ", stack_options.registry_binary,
                       ", redis ", (*stack)->redis_address(), ")");
    } else if (needs_registry) {
      info.registry = registry_target;
    }
    Principal principal;
    principal.subject = "systems/chainhub-bench";
    principal.roles.insert(std::string(roles::kAdmin));
    auto token = MintToken(secret, principal, absl::Now(), absl::Hours(24));
    if (!token.ok()) return Fail(absl::StrCat("minting a token: ", token.status().message()));
    authorization = "Bearer " + *token;
  }
  if (needs_intake) {
    if (stack_options.start_intake) {
      intake_target = (*stack)->intake_target();
      info.intake =
          absl::StrCat(intake_target, " (started by the bench: ", stack_options.intake_binary,
                       ", beside that registry)");
      context.intake->ConnectRedis((*stack)->redis_address());
    } else {
      info.intake = intake_target;
      // The intake's Redis, for summarize_cold: --redis (or CHAINHUB_REDIS).
      context.intake->ConnectRedis(absl::GetFlag(FLAGS_redis));
    }
  }
  if (needs_echo) {
    if (stack_options.start_echo) echo_target = (*stack)->echo_target();
    info.echo =
        absl::StrCat(echo_target, stack_options.start_echo
                                      ? " (started by the bench: " + stack_options.echo_binary + ")"
                                      : "");
  }

  std::vector<std::shared_ptr<grpc::Channel>> registry_channels, intake_channels, echo_channels;
  const bool do_seed = seed == "yes" || (seed == "auto" && stack_options.start_registry);
  const bool do_load = seed == "yes" || (seed == "auto" && stack_options.start_intake);
  if (needs_registry || stack_options.start_registry) {
    registry_channels = MakeChannels(registry_target, channels);
    if (do_seed) {
      const absl::Time start = absl::Now();
      // Enterprises only for the registry's own workloads; the intake needs the chains.
      if (auto s = SeedRegistry(registry_channels[0], authorization,
                                needs_registry ? enterprises : 0, std::cerr);
          !s.ok()) {
        if (auto ended = (*stack)->RegistryExited()) {
          std::cerr << "chainhub-registry ended during seeding (" << *ended
                    << "); its log: " << (*stack)->registry_log() << std::endl;
        }
        return Fail(std::string(s.message()));
      }
      std::cerr << "seeding took " << absl::FormatDuration(absl::Now() - start) << std::endl;
    }
  }
  if (needs_intake) {
    intake_channels = MakeChannels(intake_target, channels);
    if (do_load) {
      auto loaded =
          SeedIntake(intake_channels[0], authorization, projects, *context.intake, std::cerr);
      if (!loaded.ok()) {
        if (auto ended = (*stack)->IntakeExited()) {
          std::cerr << "chainhub-intake ended during loading (" << *ended
                    << "); its log: " << (*stack)->intake_log() << std::endl;
        }
        return Fail(std::string(loaded.status().message()));
      }
      info.load_rows = loaded->rows;
      info.load_calls = loaded->calls;
      info.load_seconds = absl::ToDoubleSeconds(loaded->elapsed);
    } else if (needs_intake_pool) {
      if (auto s = CollectNegotiatingProjects(intake_channels[0], authorization, 50'000,
                                              *context.intake);
          !s.ok()) {
        return Fail(std::string(s.message()));
      }
    }
  }
  // Only the registry workloads use the registry's channels.
  if (!needs_registry) registry_channels.clear();
  if (needs_echo) echo_channels = MakeChannels(echo_target, channels);

  std::vector<WorkloadOutcome> outcomes;
  std::string registry_gone, intake_gone;
  for (const Workload& w : workloads) {
    WorkloadOutcome outcome;
    outcome.name = w.name;
    const bool on_echo = w.target == Target::kEcho;
    const bool on_intake = w.target == Target::kIntake;
    LoadOptions options = load;
    options.authorization = on_echo ? "" : authorization;
    if (w.max_inflight > 0) options.inflight = std::min(options.inflight, w.max_inflight);
    outcome.inflight = options.inflight;
    const auto& channels_of =
        on_echo ? echo_channels : (on_intake ? intake_channels : registry_channels);
    const std::string& gone = on_intake ? intake_gone : registry_gone;
    if (!on_echo && !gone.empty()) {
      outcome.status = absl::UnavailableError(gone);
      outcomes.push_back(std::move(outcome));
      continue;
    }
    std::cerr << "running " << w.name << " ..." << std::flush;
    if (w.precondition) outcome.status = w.precondition();
    // One call first: warms the caches (GetChainMap) and fails early on a broken setup.
    if (outcome.status.ok()) {
      outcome.status = ProbeCall(channels_of[0], w.spec, options, /*seq=*/1ull << 62);
    }
    if (outcome.status.ok()) {
      auto result = RunLoad(channels_of, w.spec, options);
      if (result.ok()) {
        outcome.result = *std::move(result);
        std::cerr << absl::StrFormat(" %.0f calls/s, p50 %.3f ms, p99 %.3f ms",
                                     outcome.result->calls_per_second(), outcome.result->p50_ms,
                                     outcome.result->p99_ms);
      } else {
        outcome.status = result.status();
      }
    }
    if (!outcome.status.ok() && !on_echo && !(on_intake ? do_load : do_seed) &&
        (absl::IsNotFound(outcome.status) || absl::IsFailedPrecondition(outcome.status))) {
      outcome.status = absl::Status(
          outcome.status.code(),
          absl::StrCat(outcome.status.message(), " (not seeded? run once with --seed=yes)"));
    }
    if (!outcome.status.ok()) std::cerr << " failed: " << outcome.status.message();
    std::cerr << std::endl;
    if (outcome.status.ok() && !w.note.empty()) info.notes.push_back(w.note);
    if (on_intake) {
      if (auto ended = (*stack)->IntakeExited()) {
        intake_gone = absl::StrCat("chainhub-intake ended during ", w.name, " (", *ended,
                                   "); its log: ", (*stack)->intake_log());
        info.notes.push_back(intake_gone);
      }
    } else if (!on_echo) {
      if (auto ended = (*stack)->RegistryExited()) {
        registry_gone = absl::StrCat("chainhub-registry ended during ", w.name, " (", *ended,
                                     "); its log: ", (*stack)->registry_log());
        info.notes.push_back(registry_gone);
      }
    }
    outcomes.push_back(std::move(outcome));
  }

  info.load_after = LoadAverage();
  for (const auto& o : outcomes) {
    if (o.result.has_value() && o.result->errors.contains(grpc::StatusCode::RESOURCE_EXHAUSTED)) {
      info.notes.push_back(
          "RESOURCE_EXHAUSTED: a server's queue of calls waiting for a worker was full "
          "(--rpc_queue_limit, default 1000); --inflight above it is more than the servers "
          "take");
      break;
    }
  }

  // Release the connections before the servers go, then stop them as an orchestrator would.
  registry_channels.clear();
  intake_channels.clear();
  echo_channels.clear();
  const std::string stop_report = (*stack)->Stop();
  for (absl::string_view line : absl::StrSplit(stop_report, '\n', absl::SkipEmpty())) {
    info.notes.push_back(absl::StrCat("on SIGTERM ", line));
  }
  if ((*stack)->keeps_dir()) {
    info.notes.push_back(absl::StrCat("kept ", (*stack)->dir()));
  }

  if (output == "json") {
    std::cout << ToJson(info, outcomes).dump(2) << std::endl;
  } else {
    PrintTable(info, outcomes, std::cout);
  }
  for (const auto& o : outcomes) {
    if (o.flagged()) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace chainhub::bench

int main(int argc, char** argv) { return chainhub::bench::Main(argc, argv); }
