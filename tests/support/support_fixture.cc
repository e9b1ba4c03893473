#include "tests/support/support_fixture.h"

#include <gtest/gtest.h>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "chainhub/registry/v1/registry_events.pb.h"
#include "common/base/credit_code.h"
#include "common/base/fields.h"
#include "common/service/resource.h"

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

std::map<char, registry::v1::Enterprise> PolicyCity(SupportFixture& f) {
  using L = registry::v1::EnterpriseLabel;
  const L specialized = registry::v1::ENTERPRISE_LABEL_SPECIALIZED;
  const L above_size = registry::v1::ENTERPRISE_LABEL_ABOVE_SIZE;
  const L head = registry::v1::ENTERPRISE_LABEL_HEAD;
  const L high_tech = registry::v1::ENTERPRISE_LABEL_HIGH_TECH;
  std::map<char, registry::v1::Enterprise> city;
  city['A'] = f.MakeEnterprise(1, "滁州甲光伏科技有限公司", {"chains/pv/nodes/modules"},
                               {specialized, above_size}, 80'000'000, "2018-03-01", "南谯区");
  city['B'] = f.MakeEnterprise(2, "滁州乙光伏科技有限公司", {"chains/pv/nodes/cells"},
                               {head, specialized}, 150'000'000, "2024-07-01");
  city['C'] = f.MakeEnterprise(3, "滁州丙光伏玻璃有限公司", {"chains/pv/nodes/glass"},
                               {specialized, high_tech}, 60'000'000, "2015-01-01", "琅琊区");
  city['D'] = f.MakeEnterprise(4, "滁州丁新材料有限公司", {"chains/new-materials/nodes/glass"},
                               {specialized}, 90'000'000, "2010-05-01");
  city['E'] = f.MakeEnterprise(5, "滁州戊光伏有限公司", {"chains/pv/nodes/modules"}, {above_size},
                               40'000'000, "2012-01-01");
  city['F'] = f.MakeEnterprise(6, "滁州己光伏有限公司", {"chains/pv/nodes/modules"},
                               {specialized, head}, 300'000'000, "");
  city['G'] = f.MakeEnterprise(7, "滁州庚光伏有限公司", {"chains/pv/nodes/cells"},
                               {specialized, head, high_tech}, 200'000'000, "2016-05-20");
  return city;
}

absl::Time China(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), ChinaTimeZone());
}

absl::Time EndOf(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day) + 1, ChinaTimeZone());
}

absl::Time TimeOf(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixMicros(TimestampMicros(ts));
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

support::v1::ChainPlan PvActionPlan(const std::string& output,
                         const std::string& rate,
                         const std::string& lead) {
  support::v1::ChainPlan p;
  p.set_kind(support::v1::THREE_YEAR_ACTION);
  p.set_title("滁州市光伏产业链三年行动方案（2026—2028年）");
  p.set_start_year(2026);
  p.set_end_year(2028);
  int year = 2026;
  for (double value : {400.0, 520.0, 650.0}) {
    auto* t = p.add_targets();
    t->set_indicator(output);
    t->set_year(year++);
    t->set_value(value);
  }
  auto* r = p.add_targets();
  r->set_indicator(rate);
  r->set_year(2026);
  r->set_value(0.5);
  auto* t1 = p.add_tasks();
  t1->set_number("1");
  t1->set_title("引进培育链主企业");
  t1->set_lead_leader("王强");
  t1->set_lead_department(lead);
  t1->add_partner_departments("departments/zsj");
  t1->set_deadline("2026-12-31");
  auto* t2 = p.add_tasks();
  t2->set_number("2.1");
  t2->set_title("建设光伏玻璃二期项目");
  t2->set_lead_department(lead);
  t2->add_projects("projects/0192f0c4-aaaa-7bbb-8ccc-123456789abc");
  t2->set_deadline("2027-06-30");
  return p;
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
