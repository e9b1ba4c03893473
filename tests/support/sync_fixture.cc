#include "tests/support/sync_fixture.h"

#include <fstream>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/ids.h"

namespace chainhub {
const std::vector<Migration>& SyncMigrations();
}  // namespace chainhub

namespace chainhub::testing {

void SyncFixture::SetUp() {
  if (clock_.Now() == absl::UnixEpoch()) clock_.Set(absl::Now());
  ASSERT_NO_FATAL_FAILURE(receiver_.SetUp());
  dir_ = std::make_unique<TempDir>();
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = std::move(*redis);
  host_ = std::make_unique<ServiceHost>(TestServerConfig("sync", *dir_, *redis_), clock_);
  absl::Status init = host_->Init("sync", SyncMigrations());
  ASSERT_TRUE(init.ok()) << init;
  WriteReceiverToken(MintTestToken("systems/chuzhou", {"admin"}));
  sync::ProvinceClientOptions receiver;
  receiver.target = receiver_.target();
  receiver.token_file = dir_->File("province_token");
  if (configure_receiver_client) configure_receiver_client(receiver);
  auto client = sync::ProvinceClient::Create(receiver);
  ASSERT_TRUE(client.ok()) << client.status();
  client_ = std::move(*client);
  if (push_options.sender == "city") push_options.sender = "chuzhou";
  push_ = std::make_unique<sync::PushAgent>(host_->store(), client_.get(), push_options, clock_);
  service_ = std::make_unique<sync::SyncService>(host_->store(), client_.get(), push_.get(),
                                                 clock_, service_options);
  host_->AddService(service_.get(), sync::v1::ProvinceSync::service_full_name());
  host_->OnDrain([service = service_.get()] { service->Stop(); });
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  channel_ = grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
  stub_ = sync::v1::ProvinceSync::NewStub(channel_);
}

void SyncFixture::WriteReceiverToken(const std::string& token) {
  std::ofstream(dir_->File("province_token"), std::ios::trunc) << token << "\n";
}

void SyncFixture::Publish(CloudEvent event) {
  event.set_id(NewUuidV7());
  auto reply = host_->redis()->Command({"XADD", std::string(kEventStream), "*", "id", event.id(),
                                        "type", event.type(), "event", event.SerializeAsString()});
  ASSERT_TRUE(reply.ok()) << reply.status();
  ++published_;
}

void SyncFixture::PublishTaxonomy() {
  namespace reg = registry::v1;
  const registry::v1::ListProvinceListsResponse lists = province::ProvinceLists::Shipped().ToProto();
  for (const auto& l : lists.province_lists()) {
    Publish(MakeCloudEvent("registry", EventKindDescriptor(reg::REGISTRY_EVENT_PROVINCE_LIST_PUT),
                           l.name(), "", clock_.Now(), l));
  }
  const std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> mapping = {
      {"pv", "2021", {"pv-storage"}},
      {"pv", "2026", {"new-energy-low-carbon"}},
      {"nev-battery", "2021", {"pv-storage", "nev-icv"}},
      {"nev-battery", "2026", {"new-energy-low-carbon", "icv-nev"}},
      {"health-food", "2021", {"green-food"}},
      {"health-food", "2026", {}},
  };
  for (const auto& [chain, version, ids] : mapping) {
    reg::ChainProvinceMapping m;
    m.set_chain("chains/" + chain);
    m.set_version(version);
    for (const auto& id : ids) m.add_province_chains(id);
    Publish(MakeCloudEvent("registry",
                           EventKindDescriptor(reg::REGISTRY_EVENT_CHAIN_PROVINCE_MAPPING_SET),
                           m.chain(), m.chain(), clock_.Now(), m));
  }
}

void SyncFixture::StartConsumer() {
  EventConsumerOptions options;
  options.group = "sync";
  options.block = absl::Milliseconds(100);
  options.on_committed = [this] { service_->Committed(); };
  consumer_ = std::make_unique<EventConsumer>(host_->store(), host_->redis(), options,
                                              service_->Handlers());
  consumer_->Start();
}

bool SyncFixture::WaitForEvents() {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    int64_t handled = 0;
    absl::Status s = host_->store()->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          SqlRow row, tx.QueryOne("SELECT COUNT(*) FROM inbox WHERE consumer_group = 'sync'"));
      handled = row.Int(0);
      return absl::OkStatus();
    });
    if (s.ok() && handled >= published_) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return false;
}

void SyncFixture::TearDown() {
  if (consumer_) consumer_->Stop();
  consumer_.reset();
  stub_.reset();
  channel_.reset();
  if (host_) host_->Shutdown();
  if (push_) push_->Stop();
  if (service_) service_->Stop();
  service_.reset();
  push_.reset();
  client_.reset();
  host_.reset();
  redis_.reset();
  dir_.reset();
  receiver_.TearDown();
}

}  // namespace chainhub::testing
