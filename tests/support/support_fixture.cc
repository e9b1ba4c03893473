#include "tests/support/support_fixture.h"

#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/credit_code.h"

namespace chainhub {
const std::vector<Migration>& SupportMigrations();
}  // namespace chainhub

namespace chainhub::testing {

std::string TestCreditCode(const std::string& division, int serial) {
  // 9 (工商), 1 (企业), the division, an 8-digit serial and a 9th organisation-code digit.
  std::string first17 = absl::StrFormat("91%s%08d0", division, serial);
  std::optional<char> check = CreditCodeCheckChar(first17);
  return check ? first17 + *check : first17 + "0";
}

support::v1::ChainPlan PvKeyPoints2026() {
  support::v1::ChainPlan plan;
  plan.set_kind(support::v1::ANNUAL_KEY_POINTS);
  plan.set_title("光伏产业链2026年工作要点");
  plan.set_start_year(2026);
  auto* output = plan.add_targets();
  output->set_indicator("indicators/output");
  output->set_year(2026);
  output->set_value(400);
  auto* rate = plan.add_targets();
  rate->set_indicator("indicators/local_supporting_rate");
  rate->set_year(2026);
  rate->set_value(0.5);
  auto* t1 = plan.add_tasks();
  t1->set_number("1");
  t1->set_title("全年招引链主企业2家");
  t1->set_lead_department("departments/zsj");
  t1->set_deadline("2026-12-31");
  auto* t2 = plan.add_tasks();
  t2->set_number("2");
  t2->set_title("上半年建成配套产业园");
  t2->set_lead_department("departments/jxj");
  t2->set_deadline("2026-06-30");
  return plan;
}

void SupportFixture::SetUp(const std::string& database_url) {
  clock_.Set(start_time);
  dir_ = std::make_unique<TempDir>();
  auto redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = std::move(*redis);
  ServerConfig config = TestServerConfig("support", *dir_, *redis_);
  if (!database_url.empty()) {
    config.data_dir.clear();  // nothing can land in SQLite
    config.database_url = database_url;
  }
  host_ = std::make_unique<ServiceHost>(config, clock_);
  absl::Status init = host_->Init("support", SupportMigrations());
  ASSERT_TRUE(init.ok()) << init;
  service_ = std::make_unique<support::SupportService>(host_->store(), host_->relay(), clock_,
                                                       peers, options);
  host_->AddService(service_.get(), support::v1::ChainSupport::service_full_name());
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  channel_ = grpc::CreateChannel(target(), grpc::InsecureChannelCredentials());
  stub_ = support::v1::ChainSupport::NewStub(channel_);
}

void SupportFixture::AddEnterprise(const registry::v1::Enterprise& enterprise) {
  const CloudEvent event = MakeCloudEvent(
      "registry", EventKindDescriptor(registry::v1::REGISTRY_EVENT_ENTERPRISE_CREATED),
      enterprise.name(), "", clock_.Now(), enterprise);
  const EventHandlers handlers = service_->Handlers();
  const auto handler = handlers.find(event.type());
  ASSERT_NE(handler, handlers.end());
  absl::Status s =
      host_->store()->Write([&](SqlTx& tx) { return handler->second(tx, event); });
  ASSERT_TRUE(s.ok()) << s;
}

registry::v1::Enterprise SupportFixture::MakeEnterprise(
    int serial, const std::string& display_name, const std::vector<std::string>& nodes,
    const std::vector<registry::v1::EnterpriseLabel>& labels, int64_t output_yuan,
    const std::string& founding_date, const std::string& county, const std::string& division) {
  registry::v1::Enterprise e;
  e.set_credit_code(TestCreditCode(division, serial));
  e.set_name("enterprises/" + e.credit_code());
  e.set_display_name(display_name);
  e.set_county(county);
  for (const std::string& node : nodes) e.add_memberships(node);
  for (auto label : labels) e.add_labels(label);
  e.set_annual_output_yuan(output_yuan);
  e.set_founding_date(founding_date);
  return e;
}

std::vector<CloudEvent> SupportFixture::OutboxEvents() {
  std::vector<CloudEvent> events;
  absl::Status s = host_->store()->Read([&](SqlTx& tx) -> absl::Status {
    auto rows = tx.Query("SELECT payload FROM outbox ORDER BY seq");
    if (!rows.ok()) return rows.status();
    for (const SqlRow& row : *rows) {
      CloudEvent event;
      if (!event.ParseFromString(row.Bytes(0))) return absl::DataLossError("outbox row");
      events.push_back(std::move(event));
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return events;
}

void SupportFixture::TearDown() {
  stub_.reset();
  channel_.reset();
  if (host_) host_->Shutdown();
  if (service_) service_->Stop();
  service_.reset();
  host_.reset();
  redis_.reset();
  dir_.reset();
}

}  // namespace chainhub::testing
