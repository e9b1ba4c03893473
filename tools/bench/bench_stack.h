// BenchStack: the servers chainhub-bench runs against when it is not pointed at existing ones — a
// throwaway redis-server (no persistence) on a free port, a chainhub-registry on a fresh SQLite
// data dir with a generated JWT secret, a chainhub-intake beside it (its own data dir, the same
// Redis and secret, --registry_target at that registry), and the bare chainhub-echo baseline — all
// in one temp dir that is removed afterwards (kept, and named, when a server died or --keep_temp
// is set).
#ifndef CHAINHUB_TOOLS_BENCH_BENCH_STACK_H_
#define CHAINHUB_TOOLS_BENCH_BENCH_STACK_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "tests/support/subprocess.h"

namespace chainhub::bench {

struct StackOptions {
  bool start_registry = false;
  // Needs start_registry: the intake runs beside the registry the bench starts.
  bool start_intake = false;
  bool start_echo = false;
  // Needs start_registry: a second registry process on the same data dir and Redis (replica_lag).
  bool start_registry_replica = false;
  std::string registry_binary;  // path; see DefaultRegistryBinary
  std::string intake_binary;    // path; see DefaultIntakeBinary
  std::string echo_binary;      // path; see DefaultEchoBinary
  std::string redis_binary = "redis-server";
  bool keep_temp = false;
  // Passed to the registry, the intake and the echo server as --rpc_threads when > 0 (else their
  // default).
  int server_rpc_threads = 0;
};

// Where the build (or an install) put the binaries, relative to this executable: the registry at
// ../../services/registry/chainhub-registry (the build tree) or beside it (an install), else the
// bare name for a PATH lookup; the echo server beside it.
std::string DefaultRegistryBinary();
// The intake at ../../services/intake/chainhub-intake, or beside this executable, or on PATH.
std::string DefaultIntakeBinary();
std::string DefaultEchoBinary();

class BenchStack {
 public:
  // Starts what `options` asks for, waiting until each serves. Progress goes to `log`.
  static absl::StatusOr<std::unique_ptr<BenchStack>> Start(const StackOptions& options,
                                                           std::ostream& log);
  ~BenchStack();

  const std::string& registry_target() const { return registry_target_; }
  const std::string& registry_replica_target() const { return registry_replica_target_; }
  const std::string& intake_target() const { return intake_target_; }
  const std::string& redis_address() const { return redis_address_; }
  const std::string& echo_target() const { return echo_target_; }
  // The generated HS256 secret the registry verifies tokens with.
  const std::string& jwt_secret() const { return jwt_secret_; }
  const std::string& registry_log() const { return registry_log_; }
  const std::string& intake_log() const { return intake_log_; }
  const std::string& dir() const { return dir_; }
  // Whether dir() stays after the run (--keep_temp, or a server died or exited badly).
  bool keeps_dir() const { return keep_dir_; }

  // How the registry ended when it is no longer running (crash detection between workloads).
  std::optional<std::string> RegistryExited();
  std::optional<std::string> IntakeExited();

  // Stops the servers (SIGTERM, as an orchestrator would; the intake first, Redis last) and
  // reports how each ended, one line each ("chainhub-registry: exit 0"). Idempotent.
  std::string Stop();

 private:
  BenchStack() = default;
  absl::Status StartRedis(const StackOptions& options);
  absl::Status StartRegistry(const StackOptions& options);
  // A registry process on the registry's data dir, Redis and secret; its target in *target.
  absl::Status StartRegistryProcess(const StackOptions& options, const std::string& log,
                                    std::unique_ptr<Subprocess>* process, std::string* target);
  absl::Status StartIntake(const StackOptions& options);
  absl::Status StartEcho(const StackOptions& options);

  std::string dir_;
  bool keep_dir_ = false;
  std::unique_ptr<Subprocess> redis_;
  std::unique_ptr<Subprocess> registry_;
  std::unique_ptr<Subprocess> registry_replica_;
  std::unique_ptr<Subprocess> intake_;
  std::unique_ptr<Subprocess> echo_;
  std::string redis_address_;
  std::string registry_target_;
  std::string registry_replica_target_;
  std::string intake_target_;
  std::string echo_target_;
  std::string jwt_secret_;
  std::string registry_log_;
  std::string intake_log_;
  std::string stop_report_;
  bool stopped_ = false;
};

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_BENCH_STACK_H_
