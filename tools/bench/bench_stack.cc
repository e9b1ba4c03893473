#include "tools/bench/bench_stack.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/base/status_util.h"
#include "common/cache/redis_client.h"
#include "common/rpc/auth.h"

namespace chainhub::bench {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(20);
// How long a server may take to exit after SIGTERM before it is killed.
constexpr absl::Duration kStopGrace = absl::Seconds(15);
constexpr int kRedisAttempts = 3;

// The servers die with the benchmark (SIGTERM, so they still drain), so an interrupted run leaves
// none behind. Started from the main thread, which lives as long as they should.
std::unique_ptr<Subprocess> NewServerProcess() {
  return std::make_unique<Subprocess>(Subprocess::Options{.parent_death_signal = SIGTERM});
}

// A TCP port on 127.0.0.1 that was free a moment ago, for redis-server (which cannot take port 0).
// Another process may take it first; the caller treats a failed start as such.
absl::StatusOr<int> PickFreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(absl::StrCat("socket: ", strerror(errno)));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const int err = errno;
    close(fd);
    return absl::InternalError(absl::StrCat("bind 127.0.0.1:0: ", strerror(err)));
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

std::filesystem::path SelfDir() {
  std::error_code ec;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path(".") : self.parent_path();
}

bool IsExecutable(const std::filesystem::path& path) {
  return access(path.c_str(), X_OK) == 0 && !std::filesystem::is_directory(path);
}

std::string RandomHex(int bytes) {
  std::random_device random;
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    absl::StrAppend(&out, absl::StrFormat("%02x", static_cast<unsigned>(random() & 0xFF)));
  }
  return out;
}

absl::Status WriteFile(const std::string& path, const std::string& content, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  chmod(path.c_str(), mode);
  return absl::OkStatus();
}

// Waits until Redis answers PING, or the child exits (e.g. the port was taken meanwhile).
absl::Status WaitForRedis(Subprocess& redis, const std::string& address) {
  auto options = ParseRedisAddress(address);
  if (!options.ok()) return options.status();
  options->connect_timeout = absl::Milliseconds(200);
  options->command_timeout = absl::Milliseconds(200);
  options->min_backoff = absl::Milliseconds(10);
  options->max_backoff = absl::Milliseconds(50);
  RedisClient client(*options);
  const absl::Time deadline = absl::Now() + kStartTimeout;
  while (absl::Now() < deadline) {
    if (auto ended = redis.Exited()) {
      return absl::UnavailableError(absl::StrCat("redis-server ended (", ended->ToString(), ")"));
    }
    auto reply = client.Command({"PING"});
    if (reply.ok() && reply->type == RedisReply::Type::kStatus && reply->str == "PONG") {
      return absl::OkStatus();
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(absl::StrCat("redis-server did not answer PING at ", address,
                                                  " within ", absl::FormatDuration(kStartTimeout)));
}

}  // namespace

std::string DefaultServiceBinary(absl::string_view service) {
  const std::string binary = absl::StrCat("chainhub-", service);
  const std::filesystem::path dir = SelfDir();
  for (const auto& candidate :
       {dir / ".." / ".." / "services" / std::string(service) / binary, dir / binary}) {
    if (IsExecutable(candidate)) return candidate.lexically_normal().string();
  }
  return binary;
}

std::string DefaultEchoBinary() {
  const std::filesystem::path candidate = SelfDir() / "chainhub-echo";
  return IsExecutable(candidate) ? candidate.string() : "chainhub-echo";
}

absl::StatusOr<std::unique_ptr<BenchStack>> BenchStack::Start(const StackOptions& options,
                                                              std::ostream& log) {
  std::unique_ptr<BenchStack> stack(new BenchStack());
  stack->keep_dir_ = options.keep_temp;
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/chainhub-bench-XXXXXX");
  if (mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", pattern, ": ", strerror(errno)));
  }
  stack->dir_ = pattern;
  if (options.start_registry) {
    if (auto s = stack->StartRedis(options); !s.ok()) return s;
    log << "redis-server serving on " << stack->redis_address_ << std::endl;
    if (auto s = stack->StartRegistry(options); !s.ok()) return s;
    log << "chainhub-registry serving on " << stack->registry_target_ << " (data and log in "
        << stack->dir_ << ")" << std::endl;
  }
  if (options.start_intake) {
    if (!options.start_registry) {
      return absl::InvalidArgumentError(
          "the bench starts chainhub-intake only beside a registry it starts itself");
    }
    if (auto s = stack->StartIntake(options); !s.ok()) return s;
    log << "chainhub-intake serving on " << stack->intake_target_ << std::endl;
  }
  if (options.start_echo) {
    if (auto s = stack->StartEcho(options); !s.ok()) return s;
    log << "chainhub-echo serving on " << stack->echo_target_ << std::endl;
  }
  return stack;
}

absl::Status BenchStack::StartRedis(const StackOptions& options) {
  absl::Status last;
  for (int attempt = 0; attempt < kRedisAttempts; ++attempt) {
    auto port = PickFreePort();
    if (!port.ok()) return port.status();
    std::unique_ptr<Subprocess> redis = NewServerProcess();
    const std::string address = absl::StrCat("127.0.0.1:", *port);
    last = redis->Start(options.redis_binary,
                        {"--port", absl::StrCat(*port), "--bind", "127.0.0.1", "--dir", dir_,
                         "--save", "", "--appendonly", "no", "--daemonize", "no"},
                        {}, dir_ + "/redis.log");
    if (last.ok()) last = WaitForRedis(*redis, address);
    if (last.ok()) {
      redis_ = std::move(redis);
      redis_address_ = address;
      return absl::OkStatus();
    }
    if (redis->running()) (void)redis->Stop(kStopGrace);
  }
  return absl::UnavailableError(
      absl::StrCat("cannot start redis-server: ", last.message(), " (log: ", dir_, "/redis.log)"));
}

absl::Status BenchStack::StartRegistry(const StackOptions& options) {
  jwt_secret_ = RandomHex(32);
  const std::string secret_file = dir_ + "/jwt.secret";
  if (auto s = WriteFile(secret_file, jwt_secret_, 0600); !s.ok()) return s;
  registry_log_ = dir_ + "/registry.log";
  CHAINHUB_RETURN_IF_ERROR(StartService(options.registry_binary, "registry", {}, registry_log_,
                                        &registry_, &registry_target_, options.server_rpc_threads));
  if (!options.start_registry_replica) return absl::OkStatus();
  // The replica shares the registry's data dir.
  return StartService(options.registry_binary, "registry", {}, dir_ + "/registry-replica.log",
                      &registry_replica_, &registry_replica_target_, options.server_rpc_threads);
}

absl::Status BenchStack::StartService(const std::string& binary, absl::string_view service,
                                      std::vector<std::string> extra_args, const std::string& log,
                                      std::unique_ptr<Subprocess>* process, std::string* target,
                                      int rpc_threads) {
  const std::string data_dir = absl::StrCat(dir_, "/", service);
  std::filesystem::create_directories(data_dir);
  std::vector<std::string> args = {"--listen=127.0.0.1:0", "--data_dir=" + data_dir,
                                   "--redis=" + redis_address_,
                                   "--jwt_secret_file=" + dir_ + "/jwt.secret", "--drain_grace=0s"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  if (rpc_threads > 0) args.push_back(absl::StrCat("--rpc_threads=", rpc_threads));
  *process = NewServerProcess();
  if (auto s = (*process)->Start(binary, args, {}, log); !s.ok()) {
    return absl::NotFoundError(absl::StrCat(s.message(), " (set --", service,
                                            "_binary, or build chainhub-", service, ")"));
  }
  auto listening = (*process)->WaitForLine("listening on ", kStartTimeout);
  if (!listening.ok()) {
    keep_dir_ = true;
    return absl::UnavailableError(absl::StrCat("chainhub-", service, " did not start: ",
                                               listening.status().message(), " (log: ", log, ")"));
  }
  *target = *listening;
  return absl::OkStatus();
}

absl::Status BenchStack::StartIntake(const StackOptions& options) {
  intake_log_ = dir_ + "/intake.log";
  return StartService(options.intake_binary, "intake", {"--registry_target=" + registry_target_},
                      intake_log_, &intake_, &intake_target_, options.server_rpc_threads);
}

absl::Status BenchStack::StartAssessment(const std::string& binary,
                                         absl::Duration provisional_debounce) {
  if (intake_ == nullptr) {
    return absl::FailedPreconditionError(
        "the bench starts chainhub-assessment only beside an intake it starts itself");
  }
  assessment_log_ = dir_ + "/assessment.log";
  return StartService(
      binary, "assessment",
      {"--intake_target=" + intake_target_, "--registry_target=" + registry_target_,
       absl::StrCat("--provisional_debounce=", absl::FormatDuration(provisional_debounce))},
      assessment_log_, &assessment_, &assessment_target_, 0);
}

absl::Status BenchStack::StartNotify(const std::string& binary) {
  if (registry_ == nullptr) {
    return absl::FailedPreconditionError(
        "the bench starts chainhub-notify only beside a registry it starts itself");
  }
  return StartService(
      binary, "notify",
      {"--endpoint_allow=http://127.0.0.1:", "--dispatch_workers=8", "--sweep_interval=1h"},
      dir_ + "/notify.log", &notify_, &notify_target_, 0);
}

absl::Status BenchStack::StartSync(const std::string& sync_binary,
                                   const std::string& province_binary, int push_batch_size) {
  if (intake_ == nullptr) {
    return absl::FailedPreconditionError(
        "the bench starts chainhub-sync only beside an intake it starts itself");
  }
  CHAINHUB_RETURN_IF_ERROR(StartService(province_binary, "province", {}, dir_ + "/province.log",
                                        &province_, &province_target_, 0));
  Principal city;
  city.subject = "systems/bench-city";
  city.roles.insert(std::string(roles::kAdmin));
  CHAINHUB_ASSIGN_OR_RETURN(std::string token,
                            MintToken(jwt_secret_, city, absl::Now(), absl::Hours(24)));
  const std::string token_file = dir_ + "/province.token";
  std::ofstream(token_file) << token << "\n";
  return StartService(sync_binary, "sync",
                      {"--registry_target=" + registry_target_, "--intake_target=" + intake_target_,
                       "--province_target=" + province_target_,
                       "--province_token_file=" + token_file, "--province_sender=bench",
                       absl::StrCat("--push_batch_size=", push_batch_size)},
                      dir_ + "/sync.log", &sync_, &sync_target_, 0);
}

absl::Status BenchStack::StartSupport(const std::string& binary) {
  if (registry_ == nullptr) {
    return absl::FailedPreconditionError(
        "the bench starts chainhub-support only beside a registry it starts itself");
  }
  return StartService(binary, "support", {"--registry_target=" + registry_target_},
                      dir_ + "/support.log", &support_, &support_target_, 0);
}

absl::Status BenchStack::StartEcho(const StackOptions& options) {
  std::vector<std::string> args = {"--listen=127.0.0.1:0"};
  if (options.server_rpc_threads > 0) {
    args.push_back(absl::StrCat("--rpc_threads=", options.server_rpc_threads));
  }
  echo_ = NewServerProcess();
  if (auto s = echo_->Start(options.echo_binary, args, {}, dir_ + "/echo.log"); !s.ok()) {
    return absl::NotFoundError(
        absl::StrCat(s.message(), " (set --echo_binary, or build chainhub-echo)"));
  }
  auto target = echo_->WaitForLine("listening on ", kStartTimeout);
  if (!target.ok()) {
    keep_dir_ = true;
    return absl::UnavailableError(
        absl::StrCat("chainhub-echo did not start: ", target.status().message()));
  }
  echo_target_ = *target;
  return absl::OkStatus();
}

std::optional<std::string> BenchStack::RegistryExited() { return Exited(registry_.get()); }

std::optional<std::string> BenchStack::IntakeExited() { return Exited(intake_.get()); }

std::optional<std::string> BenchStack::AssessmentExited() { return Exited(assessment_.get()); }
std::optional<std::string> BenchStack::NotifyExited() { return Exited(notify_.get()); }

std::optional<std::string> BenchStack::Exited(Subprocess* process) {
  if (process == nullptr) return std::nullopt;
  std::optional<ExitStatus> ended = process->Exited();
  if (!ended.has_value()) return std::nullopt;
  keep_dir_ = true;
  return ended->ToString();
}

std::string BenchStack::Stop() {
  if (stopped_) return stop_report_;
  stopped_ = true;
  // Assessment (a client of the intake), the intake (a client of the registry), then the
  // registry, while Redis is still there for their outboxes to drain into.
  for (auto* child :
       {&support_, &sync_, &province_, &notify_, &assessment_, &intake_, &registry_replica_, &registry_,
        &echo_, &redis_}) {
    if (*child == nullptr) continue;
    absl::StatusOr<ExitStatus> ended = (*child)->Stop(kStopGrace);
    std::string how = ended.ok() ? ended->ToString() : std::string(ended.status().message());
    if (ended.ok() && ended->forced) {
      absl::StrAppend(&how, " (killed after ", absl::FormatDuration(kStopGrace),
                      " without stopping on SIGTERM)");
    }
    const std::string name = std::filesystem::path((*child)->binary()).filename().string();
    absl::StrAppend(&stop_report_, name, ": ", how, "\n");
    // A server that does not exit 0 on SIGTERM is worth a look at its log.
    if (how != "exit 0") keep_dir_ = true;
  }
  return stop_report_;
}

BenchStack::~BenchStack() {
  Stop();
  if (!dir_.empty() && !keep_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

}  // namespace chainhub::bench
