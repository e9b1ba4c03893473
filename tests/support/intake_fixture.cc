#include "tests/support/intake_fixture.h"

#include <fstream>

#include <gtest/gtest.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/fields.h"
#include "common/events/outbox.h"
#include "tests/support/process.h"

namespace chainhub {
const std::vector<Migration>& IntakeMigrations();
}  // namespace chainhub

namespace chainhub::testing {
namespace {

constexpr char kDefaultToday[] = "2026-06-15";

}  // namespace

// --- ShiftedClock ------------------------------------------------------------------------------

void ShiftedClock::SetToday(absl::string_view date) {
  absl::Time at;
  std::string error;
  const bool parsed =
      absl::ParseTime("%Y-%m-%d %H:%M:%S %z", absl::StrCat(date, " 10:00:00 +0800"), &at, &error);
  ASSERT_TRUE(parsed) << "SetToday(" << date << "): " << error;
  absl::MutexLock lock(&mu_);
  offset_ = at - absl::Now();
}

void ShiftedClock::UseRealTime() {
  absl::MutexLock lock(&mu_);
  offset_ = absl::ZeroDuration();
}

absl::Time ShiftedClock::Now() const {
  absl::MutexLock lock(&mu_);
  return absl::Now() + offset_;
}

std::string ShiftedClock::Today() const { return ChinaDate(Now()); }

// --- IntakeFixture -----------------------------------------------------------------------------

absl::Status IntakeFixture::LaunchRegistry(int port) {
  // Dies with the test process, even when that crashes; started from the test's main thread.
  auto process = std::make_unique<Subprocess>(Subprocess::Options{.parent_death_signal = SIGKILL});
  const std::string binary = BinaryPath("services/registry/chainhub-registry");
  absl::Status started = process->Start(
      binary,
      {absl::StrCat("--listen=127.0.0.1:", port), "--data_dir=" + dir_->File("registry-data"),
       "--redis=" + redis_->address(), "--jwt_secret_file=" + secret_file_, "--drain_grace=0s",
       "--log_level=warn", "--rpc_threads=16"},
      {}, dir_->File(absl::StrCat("registry-", ++registry_starts_, ".log")));
  if (!started.ok()) {
    return absl::Status(started.code(), absl::StrCat(binary, ": ", started.message(),
                                                     " (build the target chainhub-registry)"));
  }
  absl::StatusOr<std::string> address = process->WaitForLine("listening on ", absl::Seconds(20));
  if (!address.ok()) {
    (void)process->Stop(absl::Seconds(5));
    return absl::UnavailableError(absl::StrCat("chainhub-registry did not start on port ", port,
                                               ": ", address.status().message()));
  }
  registry_process_ = std::move(process);
  registry_port_ = port;
  return absl::OkStatus();
}

void IntakeFixture::SetUp(const std::string& database_url) {
  dir_ = std::make_unique<TempDir>();
  secret_file_ = dir_->File("jwt_secret");
  std::ofstream(secret_file_) << kTestSecret << "\n";
  clock_.SetToday(kDefaultToday);

  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = std::move(*redis);
  redis_client_ = std::make_unique<RedisClient>(redis_->ClientOptions());

  absl::Status registry =
      LaunchOnFreePort([this](int port) { return LaunchRegistry(port); }, /*attempts=*/3);
  ASSERT_TRUE(registry.ok()) << registry;
  registry_channel_ = grpc::CreateChannel(registry_target(), grpc::InsecureChannelCredentials());
  registry_stub_ = registry::v1::ChainRegistry::NewStub(registry_channel_);

  // Intake, as main.cc wires it.
  ServerConfig config;
  config.service = "intake";
  config.listen = "127.0.0.1:0";
  if (database_url.empty()) {
    config.data_dir = dir_->File("intake-data");
  } else {
    config.database_url = database_url;
  }
  config.redis = redis_->address();
  config.jwt_secret_file = secret_file_;
  config.drain_grace = absl::ZeroDuration();
  config.max_message_bytes = 16 << 20;
  config.rpc_threads = 16;
  host_ = std::make_unique<ServiceHost>(config);
  absl::Status init = host_->Init("intake", IntakeMigrations());
  ASSERT_TRUE(init.ok()) << init;
  auto secret = ReadSecretFile(secret_file_);
  ASSERT_TRUE(secret.ok()) << secret.status();
  lookup_ = std::make_unique<intake::GrpcRegistryLookup>(registry_target(), *secret,
                                                         grpc::InsecureChannelCredentials());
  // The copy's versions are ordered against the registry process's event ids: real time.
  reference_ =
      std::make_unique<intake::ReferenceCopy>(host_->store(), lookup_.get(), Clock::Real());
  StartConsumer();
  service_ = std::make_unique<intake::IntakeService>(host_->store(), host_->cache(), host_->relay(),
                                                     reference_.get(), clock_);
  host_->AddService(service_.get(), intake::v1::ProjectIntake::service_full_name());
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  intake_port_ = *port;
  intake_channel_ = grpc::CreateChannel(intake_target(), grpc::InsecureChannelCredentials());
  intake_stub_ = intake::v1::ProjectIntake::NewStub(intake_channel_);
}

void IntakeFixture::TearDown() {
  intake_stub_.reset();
  intake_channel_.reset();
  if (host_) host_->Shutdown();
  if (consumer_) consumer_->Stop();
  consumer_.reset();
  service_.reset();
  host_.reset();
  reference_.reset();
  lookup_.reset();
  registry_stub_.reset();
  registry_channel_.reset();
  if (registry_process_ && registry_process_->running()) {
    (void)registry_process_->Stop(absl::Seconds(10));
  }
  registry_process_.reset();
  redis_client_.reset();
  redis_.reset();
  dir_.reset();
}

void IntakeFixture::StopConsumer() {
  if (consumer_) consumer_->Stop();
  consumer_.reset();
}

void IntakeFixture::StartConsumer() {
  if (consumer_) return;
  EventConsumerOptions options;
  options.group = "intake";
  options.block = absl::Milliseconds(100);  // quick to stop; tests wait on the copy, not on time
  consumer_ = std::make_unique<EventConsumer>(host_->store(), host_->redis(), options,
                                              intake::ReferenceCopy::Handlers());
  consumer_->Start();
}

bool IntakeFixture::CopyKnows(const std::string& chain_id, const std::string& node_id) {
  bool known = false;
  absl::Status s = store()->Read([&](SqlTx& tx) -> absl::Status {
    auto chains = tx.Query("SELECT 1 FROM ref_chains WHERE id = $1 AND deleted = 0", {chain_id});
    if (!chains.ok()) return chains.status();
    known = !chains->empty();
    if (known && !node_id.empty()) {
      auto nodes =
          tx.Query("SELECT 1 FROM ref_nodes WHERE chain_id = $1 AND node_id = $2 AND deleted = 0",
                   {chain_id, node_id});
      if (!nodes.ok()) return nodes.status();
      known = !nodes->empty();
    }
    return absl::OkStatus();
  });
  return s.ok() && known;
}

bool IntakeFixture::WaitUntilCopyKnows(const std::string& chain_id, const std::string& node_id) {
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!CopyKnows(chain_id, node_id)) {
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return true;
}

bool WaitForGroupToCatchUp(RedisClient& redis, Store& store, const std::string& group) {
  std::vector<std::string> ids;
  auto reply = redis.Command({"XRANGE", std::string(kEventStream), "-", "+"});
  if (!reply.ok()) return false;
  for (const auto& entry : reply->elements) {
    if (entry.elements.size() != 2) continue;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "id") ids.push_back(fields[i + 1].str);
    }
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (true) {
    size_t handled = 0;
    absl::Status s = store.Read([&](SqlTx& tx) -> absl::Status {
      for (const auto& id : ids) {
        absl::StatusOr<bool> in = InboxContains(tx, group, id);
        if (!in.ok()) return in.status();
        if (*in) ++handled;
      }
      return absl::OkStatus();
    });
    if (s.ok() && handled == ids.size()) return true;
    if (absl::Now() > deadline) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

bool IntakeFixture::WaitForCopyToCatchUp() {
  return WaitForGroupToCatchUp(*redis_client_, *store(), "intake");
}

absl::Status IntakeFixture::StopRegistry() {
  if (!registry_process_ || !registry_process_->running()) return absl::OkStatus();
  return registry_process_->Stop(absl::Seconds(10)).status();
}

absl::Status IntakeFixture::StartRegistry() {
  if (registry_process_ && registry_process_->running()) return absl::OkStatus();
  return LaunchRegistry(registry_port_);
}

void IntakeFixture::CreateRegistryChain(const std::string& id, const std::string& display_name) {
  registry::v1::CreateChainRequest req;
  req.set_chain_id(id);
  auto* c = req.mutable_chain();
  c->set_display_name(display_name);
  c->set_english_name("chain " + id);
  c->set_status(registry::v1::CHAIN_STATUS_ACTIVE);
  c->mutable_leader()->set_name("李明");
  c->mutable_leader()->set_title("副市长");
  c->set_target_output_yuan(100'000'000'000);
  c->set_target_year(2027);
  grpc::Status s = RegistryAdmin().Status(&RegistryStub::CreateChain, req);
  EXPECT_TRUE(s.ok()) << "CreateChain " << id << " in the registry: " << s.error_message();
}

void IntakeFixture::CreateRegistryNode(const std::string& chain_id, const std::string& id,
                                       const std::string& display_name,
                                       const std::vector<std::string>& province_override) {
  registry::v1::CreateNodeRequest req;
  req.set_parent("chains/" + chain_id);
  req.set_node_id(id);
  req.mutable_node()->set_display_name(display_name);
  req.mutable_node()->set_segment(registry::v1::SEGMENT_MIDSTREAM);
  for (const auto& p : province_override) req.mutable_node()->add_province_category_override(p);
  grpc::Status s = RegistryAdmin().Status(&RegistryStub::CreateNode, req);
  EXPECT_TRUE(s.ok()) << "CreateNode " << chain_id << "/" << id
                      << " in the registry: " << s.error_message();
}

void IntakeFixture::Seed() {
  RegistryCaller admin = RegistryAdmin();
  auto ok = [](const grpc::Status& s, const std::string& what) {
    EXPECT_TRUE(s.ok()) << "seed " << what << ": " << s.error_message();
  };
  for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
           {"fgw", "市发展和改革委员会"}, {"jxj", "市经济和信息化局"}}) {
    registry::v1::CreateDepartmentRequest req;
    req.set_department_id(id);
    req.mutable_department()->set_display_name(name);
    req.mutable_department()->set_short_name(id);
    ok(admin.Status(&RegistryStub::CreateDepartment, req), "department " + id);
  }
  {
    registry::v1::PutProvinceListRequest req;
    auto* list = req.mutable_province_list();
    list->set_name("provinceLists/2026");
    list->set_display_name("安徽省十大新兴产业（2026）");
    list->set_effective_from("2026-01-01");
    for (const auto& [id, name] : std::vector<std::pair<std::string, std::string>>{
             {"new-energy-low-carbon", "新能源及绿色低碳"},
             {"next-gen-it", "新一代信息技术"},
             {"smart-nev", "智能网联新能源汽车"}}) {
      auto* c = list->add_chains();
      c->set_id(id);
      c->set_display_name(name);
    }
    ok(admin.Status(&RegistryStub::PutProvinceList, req), "province list 2026");
  }
  CreateRegistryChain("pv", "光伏");
  CreateRegistryChain("nev-battery", "新能源电池");
  {
    registry::v1::SetChainProvinceMappingRequest req;
    req.mutable_mapping()->set_chain("chains/pv");
    req.mutable_mapping()->set_version("2026");
    req.mutable_mapping()->add_province_chains("new-energy-low-carbon");
    ok(admin.Status(&RegistryStub::SetChainProvinceMapping, req), "pv mapping");
  }
  CreateRegistryNode("pv", "cells", "光伏电池");
  CreateRegistryNode("pv", "modules", "光伏组件");
  CreateRegistryNode("nev-battery", "cells", "电芯");
  // The registry publishes after its commits, in order, and the consumer applies in stream
  // order: once the last node is in the copy, so is everything seeded before it.
  EXPECT_TRUE(WaitUntilCopyKnows("nev-battery", "cells"))
      << "intake's copy never learned chains/nev-battery/nodes/cells";
  EXPECT_TRUE(CopyKnows("pv", "modules")) << "intake's copy never learned chains/pv/nodes/modules";
  EXPECT_TRUE(WaitForCopyToCatchUp()) << "intake's copy did not take the registry's events";
}

}  // namespace chainhub::testing
