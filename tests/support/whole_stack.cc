#include "tests/support/whole_stack.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/rpc/auth.h"
#include "tests/support/process.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/subprocess.h"

namespace chainhub::testing {
namespace {

constexpr char kRedisPassword[] = "whole-stack-redis-pass";
// The reference provincial receiver is another party: it verifies the city's token with a secret
// of its own.
constexpr char kProvinceSecret[] = "province-secret-abcdefghijklmnopqrstuvwxyz-0123456789";

std::string ReadTail(const std::string& path, size_t bytes) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() <= bytes ? all : all.substr(all.size() - bytes);
}

}  // namespace

absl::string_view ServiceName(Service service) {
  switch (service) {
    case Service::kRegistry:
      return "registry";
    case Service::kIntake:
      return "intake";
    case Service::kAssessment:
      return "assessment";
    case Service::kNotify:
      return "notify";
    case Service::kProvince:
      return "province";
    case Service::kSync:
      return "sync";
    case Service::kSupport:
      return "support";
  }
  return "?";
}

std::shared_ptr<grpc::Channel> QuickReconnectChannel(const std::string& target) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

WholeStack::WholeStack(std::vector<std::string> service_flags)
    : service_flags_(std::move(service_flags)),
      admin_token_(MintTestToken("systems/whole-stack", {"admin"}, {}, absl::Hours(24))) {
  std::ofstream(dir_.File("jwt_secret")) << kTestSecret;
  std::ofstream(dir_.File("redis_password")) << kRedisPassword << "\n";
  std::ofstream(dir_.File("province_secret")) << kProvinceSecret;
  Principal city;
  city.subject = "systems/chuzhou";
  city.roles.insert(std::string(roles::kAdmin));
  absl::StatusOr<std::string> token =
      MintToken(kProvinceSecret, city, absl::Now(), absl::Hours(24 * 30));
  if (token.ok()) std::ofstream(dir_.File("province_token")) << *token << "\n";
  webhooks_.VerifyWebhooks(kWebhookSecret);
  for (Service service : kEveryService) {
    ports_[service] = FreePort();
    channels_[service] = QuickReconnectChannel(target(service));
  }
}

WholeStack::~WholeStack() { Stop(); }

std::string WholeStack::target(Service service) const {
  return absl::StrCat("127.0.0.1:", ports_.at(service));
}

std::vector<std::string> WholeStack::ServiceArgs(Service service) const {
  std::vector<std::string> args = {
      absl::StrCat("--listen=", target(service)),
      absl::StrCat("--redis=redis://chainhub@", redis_->address()),
      "--redis_password_file=" + dir_.File("redis_password"), "--require_redis_auth",
      "--jwt_secret_file=" +
          dir_.File(service == Service::kProvince ? "province_secret" : "jwt_secret")};
  const std::string registry = "--registry_target=" + target(Service::kRegistry);
  const std::string intake = "--intake_target=" + target(Service::kIntake);
  const std::string assessment = "--assessment_target=" + target(Service::kAssessment);
  switch (service) {
    case Service::kRegistry:
    case Service::kProvince:
      break;
    case Service::kIntake:
      args.push_back(registry);
      break;
    case Service::kAssessment:
      args.insert(args.end(), {registry, intake, "--provisional_debounce=1s"});
      break;
    case Service::kNotify:
      args.push_back("--endpoint_allow=http://127.0.0.1:");
      break;
    case Service::kSync:
      args.insert(args.end(),
                  {registry, intake, assessment, "--province_target=" + target(Service::kProvince),
                   "--province_token_file=" + dir_.File("province_token"),
                   "--province_sender=chuzhou", "--push_batch_size=100"});
      break;
    case Service::kSupport:
      args.insert(args.end(), {registry, intake, assessment});
      break;
  }
  args.insert(args.end(), service_flags_.begin(), service_flags_.end());
  return args;
}

void WholeStack::Start() {
  auto redis = RedisServer::Start(RedisServer::AclUserArgs(kRedisPassword));
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = *std::move(redis);
  RedisOptions options = redis_->ClientOptions();
  options.user = "chainhub";
  options.password = kRedisPassword;
  redis_client_ = std::make_unique<RedisClient>(options);
  for (Service service : kEveryService) {
    const std::string name(ServiceName(service));
    processes_[service] = std::make_unique<ServiceProcess>(
        dir_, name, absl::StrCat("services/", name, "/chainhub-", name), ServiceArgs(service));
    ASSERT_NO_FATAL_FAILURE(processes_[service]->Start()) << name;
  }
}

void WholeStack::Kill9(Service service) { processes_.at(service)->Kill9(); }

void WholeStack::Restart(Service service) { processes_.at(service)->Start(); }

void WholeStack::Stop() {
  // A connection of these quick-reconnect channels keeps a server's Shutdown waiting about 5 s
  // (one with gRPC's default backoff, as the services' own, does not), so they close first.
  channels_.clear();
  if (::testing::Test::HasFailure()) PrintServiceLogs();
  for (auto it = kEveryService.rbegin(); it != kEveryService.rend(); ++it) {
    auto found = processes_.find(*it);
    if (found == processes_.end() || !found->second->running()) continue;
    const absl::Time asked = absl::Now();
    found->second->Terminate();
    // A service should stop within its drain grace (0 s here); a slow one is worth a look.
    if (absl::Now() - asked > absl::Seconds(2)) {
      std::cout << "chainhub-" << ServiceName(*it) << " took "
                << absl::FormatDuration(absl::Now() - asked) << " to stop on SIGTERM" << std::endl;
    }
  }
  redis_client_.reset();
  redis_.reset();
}

void WholeStack::PrintServiceLogs() const {
  for (Service service : kEveryService) {
    for (int start = 1;; ++start) {
      const std::string log = dir_.File(absl::StrCat(ServiceName(service), "-", start, ".log"));
      if (!std::filesystem::exists(log)) break;
      const std::string tail = ReadTail(log, 3000);
      if (!absl::StripAsciiWhitespace(tail).empty())
        std::cout << "--- " << log << " (end)\n" << tail << std::endl;
    }
  }
}

absl::StatusOr<std::string> WholeStack::Chainctl(const std::vector<std::string>& args,
                                                 const std::string& token) {
  const std::map<std::string, std::string> env = {
      {"CHAINHUB_TARGET", target(Service::kRegistry)},
      {"CHAINHUB_REGISTRY_TARGET", target(Service::kRegistry)},
      {"CHAINHUB_INTAKE_TARGET", target(Service::kIntake)},
      {"CHAINHUB_ASSESSMENT_TARGET", target(Service::kAssessment)},
      {"CHAINHUB_NOTIFY_TARGET", target(Service::kNotify)},
      {"CHAINHUB_SYNC_TARGET", target(Service::kSync)},
      {"CHAINHUB_SUPPORT_TARGET", target(Service::kSupport)},
      {"CHAINHUB_TOKEN", token.empty() ? admin_token_ : token}};
  const std::string log = dir_.File(absl::StrCat("chainctl-", ++chainctl_runs_, ".err"));
  Subprocess chainctl;
  if (absl::Status s = chainctl.Start(BinaryPath("tools/chainctl/chainctl"), args, env, log);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<ExitStatus> ended = chainctl.Wait(absl::Minutes(5));
  if (!ended.ok()) return ended.status();
  if (!ended->exited() || ended->exit_code() != 0) {
    std::string command = "chainctl";
    for (const std::string& a : args) absl::StrAppend(&command, " ", a);
    return absl::InternalError(
        absl::StrCat(command, ": ", ended->ToString(), "\n", ReadTail(log, 2000)));
  }
  return chainctl.FinalOutput(absl::Seconds(10));
}

}  // namespace chainhub::testing
