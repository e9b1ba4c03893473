// The notify service for integration tests, wired as services/notify/main.cc wires it: a real
// redis-server on a free port, a SQLite store in a temp dir, the service in this process on a
// loopback port, on a ManualClock that starts at the real time.
#ifndef CHAINHUB_TESTS_SUPPORT_NOTIFY_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_NOTIFY_FIXTURE_H_

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "chainhub/notify/v1/notify.grpc.pb.h"
#include "common/base/clock.h"
#include "common/events/event_consumer.h"
#include "common/service/server.h"
#include "services/notify/delivery/dispatcher.h"
#include "services/notify/notify_service.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {

using NotifyStub = notify::v1::Notifier::Stub;
using NotifyCaller = StubCaller<NotifyStub>;

class NotifyFixture {
 public:
  // WatchInbox's hub as SetUp makes it (set before SetUp).
  notify::InboxWatchHub::Options watch;

  // Aborts the test on failure (use ASSERT_NO_FATAL_FAILURE).
  void SetUp();
  void TearDown();

  NotifyStub& notify() { return *stub_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  NotifyCaller As(const std::string& token) { return NotifyCaller(*stub_, token); }
  NotifyCaller Admin() { return As(MintTestToken("systems/test-admin", {"admin"})); }
  // A chain office holding `chain`.
  NotifyCaller ChainOffice(const std::string& chain) {
    return As(MintTestToken("departments/fgw", {"chain_office"}, {chain}));
  }
  NotifyCaller Department(const std::string& dept) {
    return As(MintTestToken("departments/" + dept, {"department"}));
  }
  // Starts the `notify` consumer group on the stream, as main.cc does (reading from the stream's
  // start, so events published before the call count too).
  void StartRules();
  // Publishes `event` on the stream as a relay would (its id must be set).
  void Publish(const CloudEvent& event);
  ManualClock& clock() { return clock_; }
  notify::NotifyService& service() { return *service_; }
  Store* store() { return host_->store(); }
  RedisClient* redis_client() { return host_->redis(); }
  RedisServer& redis() { return *redis_; }

 private:
  ManualClock clock_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  std::unique_ptr<notify::NotifyService> service_;
  std::unique_ptr<EventConsumer> rules_;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<NotifyStub> stub_;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_NOTIFY_FIXTURE_H_
