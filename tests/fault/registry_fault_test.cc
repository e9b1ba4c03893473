// Fault tests on the real chainhub-registry binary: kill -9 during a stream of acknowledged writes,
// and Redis stopped during writes. Nothing acknowledged may be lost, and every event reaches the
// stream exactly once (by id).
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/events/cloud_event.h"
#include "common/base/credit_code.h"
#include "common/cache/redis_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {
namespace {

using registry::v1::ChainRegistry;

std::string CodeFor(int n) {
  std::string first17 = absl::StrFormat("91341100%09d", n);
  return first17 + *CreditCodeCheckChar(first17);
}

// The registry as a process of its own, on a fixed data dir, restartable.
class RegistryProcess : public ServiceProcess {
 public:
  RegistryProcess(const TempDir& dir, const std::string& redis_address,
                  std::vector<std::string> extra = {})
      : ServiceProcess(dir, "registry", "services/registry/chainhub-registry",
                       Args(dir, redis_address, std::move(extra))) {
    std::ofstream(dir.File("secret")) << kTestSecret;
  }

  void Start() {
    ServiceProcess::Start();
    stub_ = ChainRegistry::NewStub(channel());
  }

  ChainRegistry::Stub& stub() { return *stub_; }

 private:
  static std::vector<std::string> Args(const TempDir& dir, const std::string& redis_address,
                                       std::vector<std::string> extra) {
    std::vector<std::string> args = {"--redis=" + redis_address,
                                     "--jwt_secret_file=" + dir.File("secret")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  std::unique_ptr<ChainRegistry::Stub> stub_;
};

grpc::Status CreateEnterprise(ChainRegistry::Stub& stub, int n, const std::string& token) {
  registry::v1::CreateEnterpriseRequest req;
  req.set_request_id(absl::StrCat("fault-", n));
  auto* e = req.mutable_enterprise();
  e->set_credit_code(CodeFor(n));
  e->set_display_name(absl::StrCat("滁州故障测试企业", n, "有限公司"));
  e->set_county("琅琊区");
  e->set_annual_output_yuan(1'000'000 + n);
  registry::v1::Enterprise resp;
  auto ctx = ContextWithToken(token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return stub.CreateEnterprise(ctx.get(), req, &resp);
}

// Every entry of the event stream: event id → how many times it appears; subjects seen.
struct StreamContents {
  std::map<std::string, int> id_counts;
  std::multiset<std::string> created_subjects;
};

StreamContents ReadStream(const std::string& redis_address) {
  StreamContents out;
  auto options = ParseRedisAddress(redis_address);
  RedisClient redis(*options);
  auto reply = redis.Command({"XRANGE", "chainhub:events", "-", "+"});
  if (!reply.ok()) return out;
  for (const auto& entry : reply->elements) {
    if (entry.elements.size() < 2) continue;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str != "event") continue;
      CloudEvent event;
      if (!event.ParseFromString(fields[i + 1].str)) continue;
      out.id_counts[event.id()]++;
      if (event.type() == "enterprise.created") {
        out.created_subjects.insert(StringAttribute(event, kSubjectAttribute));
      }
    }
  }
  return out;
}

// Waits until the stream holds an enterprise.created event for each of `acked`.
StreamContents WaitForEvents(const std::string& redis_address, const std::set<int>& acked) {
  StreamContents contents;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (absl::Now() < deadline) {
    contents = ReadStream(redis_address);
    bool all = true;
    for (int n : acked) {
      if (!contents.created_subjects.contains("enterprises/" + CodeFor(n))) {
        all = false;
        break;
      }
    }
    if (all) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return contents;
}

void ExpectExactlyOnce(const StreamContents& contents, const std::set<int>& acked) {
  for (const auto& [id, count] : contents.id_counts) {
    EXPECT_EQ(count, 1) << "event " << id << " is on the stream " << count << " times";
  }
  for (int n : acked) {
    EXPECT_EQ(contents.created_subjects.count("enterprises/" + CodeFor(n)), 1u)
        << "acknowledged write " << n << " has no single enterprise.created event";
  }
}

TEST(RegistryFault, KillNineDuringAcknowledgedWritesLosesNothing) {
  TempDir dir;
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  RegistryProcess registry(dir, (*redis)->address());
  ASSERT_NO_FATAL_FAILURE(registry.Start());
  const std::string token = MintTestToken("systems/fault", {"admin"});

  // Four writers create enterprises until the process dies under them.
  absl::Mutex mu;
  std::set<int> acked;
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      while (!stop) {
        const int n = next.fetch_add(1);
        if (CreateEnterprise(registry.stub(), n, token).ok()) {
          absl::MutexLock lock(&mu);
          acked.insert(n);
        }
      }
    });
  }
  // Let a good number of writes through, then kill -9 mid-stream.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (absl::Now() < deadline) {
    {
      absl::MutexLock lock(&mu);
      if (acked.size() >= 300) break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_NO_FATAL_FAILURE(registry.Kill9());
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_GE(acked.size(), 100u);

  ASSERT_NO_FATAL_FAILURE(registry.Start());
  for (int n : acked) {
    registry::v1::GetEnterpriseRequest req;
    req.set_name("enterprises/" + CodeFor(n));
    registry::v1::Enterprise e;
    auto ctx = ContextWithToken(token);
    grpc::Status s = registry.stub().GetEnterprise(ctx.get(), req, &e);
    ASSERT_TRUE(s.ok()) << "acknowledged enterprise " << n << " lost: " << s.error_message();
  }
  ExpectExactlyOnce(WaitForEvents((*redis)->address(), acked), acked);

  // A retry of an acknowledged create (same request_id) is answered, not duplicated.
  EXPECT_TRUE(CreateEnterprise(registry.stub(), *acked.begin(), token).ok());
  ASSERT_NO_FATAL_FAILURE(registry.Terminate());
}

TEST(RegistryFault, WritesSucceedWhileRedisIsDownAndEventsArriveOnceItReturns) {
  TempDir dir;
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  RegistryProcess registry(dir, (*redis)->address());
  ASSERT_NO_FATAL_FAILURE(registry.Start());
  const std::string token = MintTestToken("systems/fault", {"admin"});

  std::set<int> acked;
  for (int n = 0; n < 50; ++n) {
    ASSERT_TRUE(CreateEnterprise(registry.stub(), n, token).ok());
    acked.insert(n);
  }
  ASSERT_TRUE((*redis)->Stop().ok());
  for (int n = 50; n < 150; ++n) {
    grpc::Status s = CreateEnterprise(registry.stub(), n, token);
    ASSERT_TRUE(s.ok()) << "write " << n << " failed with Redis down: " << s.error_message();
    acked.insert(n);
  }
  // Reads keep working without the cache.
  registry::v1::ListEnterprisesRequest list;
  list.set_page_size(1000);
  registry::v1::ListEnterprisesResponse page;
  auto ctx = ContextWithToken(token);
  ASSERT_TRUE(registry.stub().ListEnterprises(ctx.get(), list, &page).ok());
  EXPECT_EQ(page.enterprises_size(), 150);

  ASSERT_TRUE((*redis)->Restart().ok());
  ExpectExactlyOnce(WaitForEvents((*redis)->address(), acked), acked);
  ASSERT_NO_FATAL_FAILURE(registry.Terminate());
}

// What appendfsync everysec risks, on the binary as deployed (an ACL user, its password from a
// file, --require_redis_auth): Redis acknowledged the last events, then died before its disk had
// them. The AOF is cut back to before them; once Redis is back the registry publishes them again,
// and every event is on the stream exactly once.
TEST(RegistryFault, EventsRedisLostWithItsLastSecondArriveOnceItIsBack) {
  TempDir dir;
  auto redis = RedisServer::Start(RedisServer::AclUserArgs("fault-pass"));
  ASSERT_TRUE(redis.ok()) << redis.status();
  const std::string reader = absl::StrCat("redis://chainhub:fault-pass@", (*redis)->address());
  std::ofstream(dir.File("redis_password")) << "fault-pass\n";

  // Without credentials the binary refuses to start, naming the flag.
  Subprocess refused;
  ASSERT_TRUE(refused
                  .Start(BinaryPath("services/registry/chainhub-registry"),
                         {"--listen=127.0.0.1:0", "--data_dir=" + dir.File("refused"),
                          "--redis=" + (*redis)->address(), "--require_redis_auth",
                          "--jwt_secret_file=" + dir.File("secret")},
                         {}, dir.File("refused.log"))
                  .ok());
  absl::StatusOr<ExitStatus> ended = refused.Wait(absl::Seconds(20));
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_TRUE(ended->exited() && ended->exit_code() != 0) << ended->ToString();
  std::ifstream log(dir.File("refused.log"));
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("--require_redis_auth"), std::string::npos) << text;

  RegistryProcess registry(dir, absl::StrCat("redis://chainhub@", (*redis)->address()),
                           {"--redis_password_file=" + dir.File("redis_password"),
                            "--require_redis_auth"});
  ASSERT_NO_FATAL_FAILURE(registry.Start());
  const std::string token = MintTestToken("systems/fault", {"admin"});
  std::set<int> acked;
  for (int n = 0; n < 40; ++n) {
    ASSERT_TRUE(CreateEnterprise(registry.stub(), n, token).ok());
    acked.insert(n);
  }
  ExpectExactlyOnce(WaitForEvents(reader, acked), acked);
  absl::StatusOr<std::string> aof = (*redis)->IncrementalAofFile();
  ASSERT_TRUE(aof.ok()) << aof.status();
  const uintmax_t cut = std::filesystem::file_size(*aof);
  for (int n = 40; n < 70; ++n) {
    ASSERT_TRUE(CreateEnterprise(registry.stub(), n, token).ok());
    acked.insert(n);
  }
  ExpectExactlyOnce(WaitForEvents(reader, acked), acked);

  ASSERT_TRUE((*redis)->Kill().ok());
  std::filesystem::resize_file(*aof, cut);
  ASSERT_TRUE((*redis)->Restart().ok());
  EXPECT_LT(ReadStream(reader).created_subjects.size(), acked.size());  // the last ones are gone
  ExpectExactlyOnce(WaitForEvents(reader, acked), acked);
  ASSERT_NO_FATAL_FAILURE(registry.Terminate());
}

}  // namespace
}  // namespace chainhub::testing
