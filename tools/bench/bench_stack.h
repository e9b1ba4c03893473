// BenchStack: the servers chainhub-bench runs against when it is not pointed at existing ones — a
// throwaway redis-server (no persistence) on a free port, a chainhub-registry on a fresh SQLite
// data dir with a generated JWT secret, a chainhub-intake beside it (its own data dir, the same
// Redis and secret, --registry_target at that registry), chainhub-assessment beside both when
// asked (StartAssessment), and the bare chainhub-echo baseline — all
// in one temp dir that is removed afterwards (kept, and named, when a server died or --keep_temp
// is set).
#ifndef CHAINHUB_TOOLS_BENCH_BENCH_STACK_H_
#define CHAINHUB_TOOLS_BENCH_BENCH_STACK_H_

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/support/subprocess.h"

namespace chainhub::bench {

struct StackOptions {
  bool start_registry = false;
  // Needs start_registry: the intake runs beside the registry the bench starts.
  bool start_intake = false;
  bool start_echo = false;
  // Needs start_registry: a second registry process on the same data dir and Redis (replica_lag).
  bool start_registry_replica = false;
  std::string registry_binary;  // path; see DefaultServiceBinary
  std::string intake_binary;    // path; see DefaultServiceBinary
  std::string echo_binary;      // path; see DefaultEchoBinary
  std::string redis_binary = "redis-server";
  bool keep_temp = false;
  // Passed to the registry, the intake and the echo server as --rpc_threads when > 0 (else their
  // default).
  int server_rpc_threads = 0;
};

// Where the build (or an install) put a service's binary, relative to this executable:
// ../../services/<service>/chainhub-<service> (the build tree) or beside it (an install), else the
// bare name for a PATH lookup. DefaultServiceBinary("registry") is the registry's.
std::string DefaultServiceBinary(absl::string_view service);
// The echo server beside this executable, or on PATH.
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
  const std::string& assessment_target() const { return assessment_target_; }
  const std::string& notify_target() const { return notify_target_; }
  const std::string& sync_target() const { return sync_target_; }
  const std::string& province_target() const { return province_target_; }
  const std::string& redis_address() const { return redis_address_; }
  const std::string& echo_target() const { return echo_target_; }
  // The generated HS256 secret the registry verifies tokens with.
  const std::string& jwt_secret() const { return jwt_secret_; }
  const std::string& registry_log() const { return registry_log_; }
  const std::string& intake_log() const { return intake_log_; }
  const std::string& assessment_log() const { return assessment_log_; }
  // Assessment's SQLite file (its data dir is <dir>/assessment).
  std::string assessment_db() const { return dir_ + "/assessment/assessment.db"; }
  const std::string& dir() const { return dir_; }
  // Whether dir() stays after the run (--keep_temp, or a server died or exited badly).
  bool keeps_dir() const { return keep_dir_; }

  // How the registry ended when it is no longer running (crash detection between workloads).
  std::optional<std::string> RegistryExited();
  std::optional<std::string> IntakeExited();
  std::optional<std::string> AssessmentExited();
  std::optional<std::string> NotifyExited();

  // Starts chainhub-assessment beside the intake and registry the bench started (its own data
  // dir, the same Redis and secret), later than the others: it backfills its facts from the
  // intake's library once that is loaded, and stays idle while the other workloads run.
  absl::Status StartAssessment(const std::string& binary, absl::Duration provisional_debounce);

  // Starts chainhub-notify beside the registry the bench started (its own data dir, the same
  // Redis and secret), with endpoints allowed to this machine only.
  absl::Status StartNotify(const std::string& binary);

  // Starts the reference provincial receiver, then chainhub-sync beside the intake and registry
  // the bench started (its own data dir, the same Redis and secret), pushing to that receiver with
  // an admin token minted from the bench's secret. Sync backfills from the intake's library once
  // it starts.
  absl::Status StartSync(const std::string& sync_binary, const std::string& province_binary,
                         int push_batch_size);
  // Starts chainhub-support beside the registry the bench started (its own data dir, the same
  // Redis and secret); it copies the registry's enterprises on its first start.
  absl::Status StartSupport(const std::string& binary);
  const std::string& support_target() const { return support_target_; }

  // Stops the servers (SIGTERM, as an orchestrator would; clients before the services they call,
  // Redis last) and
  // reports how each ended, one line each ("chainhub-registry: exit 0"). Idempotent.
  std::string Stop();

 private:
  BenchStack() = default;
  absl::Status StartRedis(const StackOptions& options);
  absl::Status StartRegistry(const StackOptions& options);
  // A service process on the data dir <dir>/<service> with the bench's Redis and secret plus
  // `extra_args`, logging to `log`; its HOST:PORT in *target once it listens.
  absl::Status StartService(const std::string& binary, absl::string_view service,
                            std::vector<std::string> extra_args, const std::string& log,
                            std::unique_ptr<Subprocess>* process, std::string* target,
                            int rpc_threads);
  absl::Status StartIntake(const StackOptions& options);
  // How `process` ended, when it has (and the temp dir is then kept).
  std::optional<std::string> Exited(Subprocess* process);
  absl::Status StartEcho(const StackOptions& options);

  std::string dir_;
  bool keep_dir_ = false;
  std::unique_ptr<Subprocess> redis_;
  std::unique_ptr<Subprocess> registry_;
  std::unique_ptr<Subprocess> registry_replica_;
  std::unique_ptr<Subprocess> intake_;
  std::unique_ptr<Subprocess> assessment_;
  std::unique_ptr<Subprocess> notify_;
  std::unique_ptr<Subprocess> sync_;
  std::unique_ptr<Subprocess> support_;
  std::unique_ptr<Subprocess> province_;
  std::unique_ptr<Subprocess> echo_;
  std::string redis_address_;
  std::string registry_target_;
  std::string registry_replica_target_;
  std::string intake_target_;
  std::string assessment_target_;
  std::string notify_target_;
  std::string sync_target_;
  std::string support_target_;
  std::string province_target_;
  std::string echo_target_;
  std::string jwt_secret_;
  std::string registry_log_;
  std::string intake_log_;
  std::string assessment_log_;
  std::string stop_report_;
  bool stopped_ = false;
};

}  // namespace chainhub::bench

#endif  // CHAINHUB_TOOLS_BENCH_BENCH_STACK_H_
