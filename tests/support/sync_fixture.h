// chainhub-sync for integration tests, wired as services/sync/main.cc wires it: a real
// redis-server on a free port, a SQLite store in a temp dir, the service in this process on a
// loopback port on a ManualClock (set before SetUp to move "today"), pushing to a reference
// receiver (ProvinceFixture) in this process with the city's token from a file.
#ifndef CHAINHUB_TESTS_SUPPORT_SYNC_FIXTURE_H_
#define CHAINHUB_TESTS_SUPPORT_SYNC_FIXTURE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "chainhub/sync/v1/sync.grpc.pb.h"
#include "common/events/cloud_event.h"
#include "common/events/event_consumer.h"
#include "services/sync/push_agent.h"
#include "services/sync/sync_service.h"
#include "tests/support/province_fixture.h"

namespace chainhub::testing {

using SyncStub = sync::v1::ProvinceSync::Stub;
using SyncCaller = StubCaller<SyncStub>;

class SyncFixture {
 public:
  // Set before SetUp.
  sync::PushOptions push_options;
  sync::SyncServiceOptions service_options;
  // Changes how sync reaches the receiver (TLS, a client certificate, no token) before SetUp.
  std::function<void(sync::ProvinceClientOptions&)> configure_receiver_client;

  // Aborts the test on failure (use ASSERT_NO_FATAL_FAILURE).
  void SetUp();
  void TearDown();

  SyncCaller As(const std::string& token) { return SyncCaller(*stub_, token); }
  SyncCaller Admin() { return As(MintTestToken("systems/test-admin", {"admin"})); }
  SyncCaller Province() { return As(MintTestToken("systems/province", {"province"})); }
  SyncStub& stub() { return *stub_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }
  ProvinceFixture& receiver() { return receiver_; }
  // Replaces the token the push presents to the receiver.
  void WriteReceiverToken(const std::string& token);

  // Publishes on the stream as a relay would (MakeCloudEvent's event; an id is given here).
  void Publish(CloudEvent event);
  // The registry's taxonomy as its events bring it: the shipped lists and the Chuzhou mapping.
  void PublishTaxonomy();
  // Starts the `sync` consumer group (from the stream's start).
  void StartConsumer();
  // Waits (10 s at most) until the consumer has handled every event published so far.
  bool WaitForEvents();

  ManualClock& clock() { return clock_; }
  Store* store() { return host_->store(); }
  sync::PushAgent& push() { return *push_; }
  // How sync reaches the receiver (for a second push agent, as another replica would run).
  sync::ProvinceClient& client() { return *client_; }
  sync::SyncService& service() { return *service_; }

 private:
  ManualClock clock_;
  ProvinceFixture receiver_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<sync::ProvinceClient> client_;
  std::unique_ptr<sync::PushAgent> push_;
  std::unique_ptr<sync::SyncService> service_;
  std::unique_ptr<EventConsumer> consumer_;
  int published_ = 0;
  int port_ = 0;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<SyncStub> stub_;
};

}  // namespace chainhub::testing

#endif  // CHAINHUB_TESTS_SUPPORT_SYNC_FIXTURE_H_
