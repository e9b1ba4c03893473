#include "common/cache/redis_client.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/metrics.h"
#include "gtest/gtest.h"
#include "tests/support/redis_server.h"

namespace chainhub {
namespace {

using testing::RedisServer;

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    client_ = std::make_unique<RedisClient>(server_->ClientOptions());
  }

  // Retries `argv` until it succeeds (the server is coming back); fails the test after 10 s.
  absl::StatusOr<RedisReply> CommandWhenBack(RedisClient& client,
                                             const std::vector<std::string>& argv) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (true) {
      absl::StatusOr<RedisReply> reply = client.Command(argv);
      if (reply.ok() || absl::Now() > deadline) return reply;
      absl::SleepFor(absl::Milliseconds(10));
    }
  }

  // connected_clients from INFO (counting client_'s own connection).
  int ConnectedClients() {
    absl::StatusOr<RedisReply> info = client_->Command({"INFO", "clients"});
    if (!info.ok()) return -1;
    for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
      if (absl::ConsumePrefix(&line, "connected_clients:")) {
        int n = 0;
        if (absl::SimpleAtoi(line, &n)) return n;
      }
    }
    return -1;
  }

  // The server notices a closed connection a moment after the close.
  bool WaitForConnectedClients(int n) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (ConnectedClients() != n) {
      if (absl::Now() > deadline) return false;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return true;
  }

  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> client_;
};

TEST(ParseRedisAddress, AcceptsHostAndPort) {
  absl::StatusOr<RedisOptions> options = ParseRedisAddress("redis.chainhub.svc:6380");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "redis.chainhub.svc");
  EXPECT_EQ(options->port, 6380);

  options = ParseRedisAddress("[::1]:7000");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->host, "::1");
  EXPECT_EQ(options->port, 7000);
}

TEST(ParseRedisAddress, RejectsMalformedAddressesNamingTheFlag) {
  for (const char* bad : {"", "localhost", ":6379", "localhost:", "localhost:0", "localhost:65536",
                          "localhost:http", "::1:6379", "localhost:-1"}) {
    absl::StatusOr<RedisOptions> options = ParseRedisAddress(bad, "redis");
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(options.status().message().find("redis"), absl::string_view::npos) << bad;
  }
}

TEST(ParseRedisAddress, AcceptsARedisUrlWithAnAclUserAndAPercentEncodedPassword) {
  absl::StatusOr<RedisOptions> options =
      ParseRedisAddress("redis://chainhub:p%40ss%3Aw0rd@redis.chainhub.svc:6379");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->user, "chainhub");
  EXPECT_EQ(options->password, "p@ss:w0rd");
  EXPECT_EQ(options->host, "redis.chainhub.svc");
  EXPECT_EQ(options->port, 6379);
  EXPECT_EQ(RedisAddressForLog(*options), "chainhub@redis.chainhub.svc:6379");

  options = ParseRedisAddress("redis://chainhub@[::1]:7000/");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->user, "chainhub");
  EXPECT_EQ(options->password, "");
  EXPECT_EQ(options->host, "::1");

  options = ParseRedisAddress("redis://127.0.0.1:6379");
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->user, "");
}

TEST(ParseRedisAddress, RejectsMalformedUrlsWithoutShowingThePassword) {
  for (const char* bad :
       {"redis://chainhub:hunter2@", "redis://chainhub:hunter2@host", "chainhub:hunter2@host:6379",
        "redis://chainhub:hunter2%zz@host:6379", "redis://chainhub:@host:6379",
        "redis://chainhub:hunter2@host:6379/0/x", "rediss://chainhub:hunter2@host:6379"}) {
    absl::StatusOr<RedisOptions> options = ParseRedisAddress(bad, "--redis");
    EXPECT_EQ(options.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(options.status().message().find("--redis"), absl::string_view::npos) << bad;
    EXPECT_EQ(options.status().message().find("hunter2"), absl::string_view::npos) << bad;
  }
}

// Redis with the default user off and one ACL user, as deploy/ runs it.
TEST(RedisClientAuth, AnAclUserAuthenticatesOnEveryConnectionAndABadPasswordIsRefusedByName) {
  auto server = RedisServer::Start(RedisServer::AclUserArgs("s3cret-pass"));
  ASSERT_TRUE(server.ok()) << server.status();
  RedisOptions options = (*server)->ClientOptions();

  RedisClient anonymous(options);
  absl::StatusOr<RedisReply> reply = anonymous.Command({"GET", "chainhub:k"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kError);
  EXPECT_NE(reply->str.find("NOAUTH"), std::string::npos) << reply->str;

  options.user = "chainhub";
  options.password = "wrong-pass";
  RedisClient wrong(options);
  reply = wrong.Command({"PING"});
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("authentication as chainhub refused"),
            absl::string_view::npos)
      << reply.status();
  EXPECT_EQ(reply.status().message().find("wrong-pass"), absl::string_view::npos);

  options.password = "s3cret-pass";
  RedisClient client(options);
  reply = client.Command({"SET", "chainhub:k", "v"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "OK");
  // The user's key pattern holds: other keys are refused by Redis.
  reply = client.Command({"SET", "other:k", "v"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kError);

  // After a restart every thread's new connection authenticates again.
  const std::string run = *client.ServerRunId();
  ASSERT_TRUE((*server)->Restart().ok());
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!(reply = client.Command({"GET", "chainhub:k"})).ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "v");
  absl::StatusOr<std::string> after = client.ServerRunId();
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NE(*after, run);

  // The subscriber (the cache's near tier) authenticates too.
  std::atomic<bool> live{false};
  RedisSubscriber subscriber(options, "chainhub:channel",
                             {.on_live = [&](bool l) { live = l; },
                              .on_message = [](absl::string_view) {}});
  const absl::Time until = absl::Now() + absl::Seconds(10);
  while (!live && absl::Now() < until) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_TRUE(live.load());
}

TEST_F(RedisClientTest, ServerRunIdIsAskedOncePerConnectionAndChangesWithARestart) {
  absl::StatusOr<std::string> first = client_->ServerRunId();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->size(), 40u);
  EXPECT_EQ(*client_->ServerRunId(), *first);
  EXPECT_EQ(*client_->ServerRunId(/*verify=*/true), *first);

  ASSERT_TRUE(server_->Restart().ok());
  // Without verify the cached id is answered until a call finds the connection dead; verify asks.
  absl::StatusOr<std::string> after = absl::UnavailableError("not asked");
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!(after = client_->ServerRunId(/*verify=*/true)).ok() && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NE(*after, *first);
}

TEST_F(RedisClientTest, RunsBasicCommands) {
  absl::StatusOr<RedisReply> reply = client_->Command({"SET", "greeting", "hello"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kStatus);
  EXPECT_EQ(reply->str, "OK");

  reply = client_->Command({"GET", "greeting"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kString);
  EXPECT_EQ(reply->str, "hello");

  reply = client_->Command({"GET", "missing"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_TRUE(reply->is_nil());

  reply = client_->Command({"INCRBY", "counter", "41"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kInteger);
  EXPECT_EQ(reply->integer, 41);

  reply = client_->Command({"RPUSH", "list", "a", "b"});
  ASSERT_TRUE(reply.ok());
  reply = client_->Command({"LRANGE", "list", "0", "-1"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  ASSERT_EQ(reply->type, RedisReply::Type::kArray);
  ASSERT_EQ(reply->elements.size(), 2u);
  EXPECT_EQ(reply->elements[0].str, "a");
  EXPECT_EQ(reply->elements[1].str, "b");

  EXPECT_TRUE(client_->up());
}

TEST_F(RedisClientTest, ReturnsARedisErrorAsAReplyNotAFailedStatus) {
  ASSERT_TRUE(client_->Command({"SET", "text", "not a number"}).ok());
  absl::StatusOr<RedisReply> reply = client_->Command({"INCR", "text"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, RedisReply::Type::kError);
  EXPECT_NE(reply->str.find("not an integer"), std::string::npos) << reply->str;
  // The connection is still good after an error reply.
  reply = client_->Command({"GET", "text"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "not a number");
}

TEST_F(RedisClientTest, KeepsBinaryKeysAndValuesIntact) {
  std::string value;
  for (int i = 0; i < 256; ++i) value.push_back(static_cast<char>(i));
  value += std::string("\0\r\n$3\r\n", 7);
  const std::string key = std::string("key with\0nul and \r\n", 19);
  ASSERT_TRUE(client_->Command({"SET", key, value}).ok());
  absl::StatusOr<RedisReply> reply = client_->Command({"GET", key});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, value);
  reply = client_->Command({"STRLEN", key});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->integer, static_cast<long long>(value.size()));

  reply = client_->Command({"SET", "empty", ""});
  ASSERT_TRUE(reply.ok());
  reply = client_->Command({"GET", "empty"});
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->type, RedisReply::Type::kString);
  EXPECT_EQ(reply->str, "");
}

TEST_F(RedisClientTest, PipelineReturnsEveryReplyInOrder) {
  std::vector<std::vector<std::string>> commands;
  for (int i = 0; i < 200; ++i) commands.push_back({"INCR", "pipelined"});
  commands.push_back({"GET", "pipelined"});
  commands.push_back({"HSET", "pipelined", "f", "v"});  // wrong type: an error reply in place
  commands.push_back({"ECHO", "last"});
  absl::StatusOr<std::vector<RedisReply>> replies = client_->Pipeline(commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), commands.size());
  for (int i = 0; i < 200; ++i) EXPECT_EQ((*replies)[i].integer, i + 1);
  EXPECT_EQ((*replies)[200].str, "200");
  EXPECT_EQ((*replies)[201].type, RedisReply::Type::kError);
  EXPECT_EQ((*replies)[202].str, "last");

  absl::StatusOr<std::vector<RedisReply>> none = client_->Pipeline({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(RedisClientTest, FailsFastWhileRedisIsDownAndRecoversAfterRestart) {
  ASSERT_TRUE(client_->Command({"SET", "durable", "kept"}).ok());
  ASSERT_TRUE(client_->up());
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_redis_up", {}), 1);

  ASSERT_TRUE(server_->Stop().ok());
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<RedisReply> reply = client_->Command({"GET", "durable"});
    EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable) << reply.status();
  }
  absl::StatusOr<std::vector<RedisReply>> replies = client_->Pipeline({{"PING"}, {"PING"}});
  EXPECT_EQ(replies.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(client_->up());
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_redis_up", {}), 0);

  ASSERT_TRUE(server_->Restart().ok());
  absl::StatusOr<RedisReply> reply = CommandWhenBack(*client_, {"GET", "durable"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "kept");  // appendfsync always: the write survived the restart
  EXPECT_TRUE(client_->up());
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_redis_up", {}), 1);
}

TEST_F(RedisClientTest, RecoversAfterRedisIsKilled) {
  ASSERT_TRUE(client_->Command({"SET", "before", "kill"}).ok());
  ASSERT_TRUE(server_->Kill().ok());
  EXPECT_EQ(client_->Command({"PING"}).status().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Restart().ok());
  absl::StatusOr<RedisReply> reply = CommandWhenBack(*client_, {"GET", "before"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "kill");
}

TEST_F(RedisClientTest, ServesEightThreadsAtOnce) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 300;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        const std::string key = absl::StrCat("thread:", t);
        const std::string value = absl::StrCat(t, ":", i);
        absl::StatusOr<std::vector<RedisReply>> replies =
            client_->Pipeline({{"SET", key, value}, {"GET", key}, {"INCR", "shared"}});
        if (!replies.ok() || (*replies)[1].str != value) failures.fetch_add(1);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  absl::StatusOr<RedisReply> total = client_->Command({"GET", "shared"});
  ASSERT_TRUE(total.ok()) << total.status();
  EXPECT_EQ(total->str, std::to_string(kThreads * kRounds));
}

TEST_F(RedisClientTest, ClosesItsConnectionsWhenDestroyed) {
  const int before = ConnectedClients();
  ASSERT_GT(before, 0);
  auto client = std::make_unique<RedisClient>(server_->ClientOptions());
  ASSERT_TRUE(client->Command({"PING"}).ok());
  EXPECT_TRUE(WaitForConnectedClients(before + 1));
  // This thread keeps running after the client is gone: its context must be closed anyway.
  client.reset();
  EXPECT_TRUE(WaitForConnectedClients(before));

  // A new client on the same thread gets its own, working connection.
  RedisClient again(server_->ClientOptions());
  EXPECT_TRUE(again.Command({"PING"}).ok());
}

TEST_F(RedisClientTest, TimesOutACommandThatTakesTooLong) {
  RedisOptions options = server_->ClientOptions();
  options.command_timeout = absl::Milliseconds(100);
  RedisClient impatient(options);
  absl::StatusOr<RedisReply> reply = impatient.Command({"BLPOP", "never-filled", "5"});
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kUnavailable) << reply.status();
  // The timed-out connection was dropped; the next call works on a fresh one.
  reply = CommandWhenBack(impatient, {"PING"});
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->str, "PONG");
}

}  // namespace
}  // namespace chainhub
