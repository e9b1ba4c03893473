#include "tests/support/assessment_fixture.h"

#include <gtest/gtest.h>

#include <map>

#include "absl/time/clock.h"
#include "common/events/outbox.h"
#include "common/rpc/auth.h"

namespace chainhub {
const std::vector<Migration>& AssessmentMigrations();
}  // namespace chainhub

namespace chainhub::testing {

void AssessmentFixture::SetUp(const std::string& database_url) {
  ASSERT_NO_FATAL_FAILURE(intake_.SetUp());
  intake_.clock().UseRealTime();
  ASSERT_NO_FATAL_FAILURE(intake_.Seed());

  ServerConfig config;
  config.service = "assessment";
  config.listen = "127.0.0.1:0";
  if (database_url.empty()) {
    config.data_dir = intake_.host().config().data_dir + "-assessment";
  } else {
    config.database_url = database_url;
  }
  config.redis = intake_.redis().address();
  config.jwt_secret_file = intake_.host().config().jwt_secret_file;
  config.drain_grace = absl::ZeroDuration();
  config.max_message_bytes = 16 << 20;
  config.rpc_threads = 16;
  host_ = std::make_unique<ServiceHost>(config);
  absl::Status init = host_->Init("assessment", AssessmentMigrations());
  ASSERT_TRUE(init.ok()) << init;
  auto secret = ReadSecretFile(config.jwt_secret_file);
  ASSERT_TRUE(secret.ok()) << secret.status();
  sources_ = std::make_unique<assessment::GrpcFactSources>(
      intake_.intake_target(), intake_.registry_target(), *secret,
      grpc::InsecureChannelCredentials(), absl::Seconds(5), Clock::Real());
  EventConsumerOptions options;
  options.group = "assessment";
  options.block = absl::Milliseconds(100);
  facts_ = std::make_unique<assessment::FactsKeeper>(
      host_->store(), host_->redis(), sources_.get(), options,
      [this] {
        if (scheduler_ != nullptr) scheduler_->FactsChanged();
      },
      Clock::Real());
  service_ = std::make_unique<assessment::AssessmentService>(host_->store(), host_->relay(),
                                                             facts_.get(), Clock::Real());
  assessment::SchedulerOptions scheduler_options;
  scheduler_options.holder = "test-replica";
  scheduler_options.debounce = absl::Milliseconds(200);
  scheduler_options.max_delay = absl::Seconds(1);
  scheduler_ = std::make_unique<assessment::Scheduler>(host_->store(), service_.get(),
                                                       scheduler_options, Clock::Real());
  absl::Status started = facts_->Start();
  ASSERT_TRUE(started.ok()) << started;
  host_->AddService(service_.get(), assessment::v1::Assessment::service_full_name());
  auto port = host_->Start();
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  channel_ = grpc::CreateChannel(assessment_target(), grpc::InsecureChannelCredentials());
  stub_ = assessment::v1::Assessment::NewStub(channel_);
}

void AssessmentFixture::TearDown() {
  stub_.reset();
  channel_.reset();
  if (scheduler_) scheduler_->Stop();
  if (host_) host_->Shutdown();
  if (facts_) facts_->Stop();
  scheduler_.reset();
  service_.reset();
  facts_.reset();
  sources_.reset();
  host_.reset();
  intake_.TearDown();
}

bool AssessmentFixture::WaitForFacts() {
  // Everything intake committed is on the stream first (its relay publishes shortly after each
  // commit); then the group has read it all (lag 0) and acknowledged it all (nothing pending),
  // and it acknowledges an entry only after the transaction that applied it committed. The group
  // starts at the position its backfill took, so the events before it were never its to apply.
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  auto past_deadline = [&] { return absl::Now() > deadline; };
  while (true) {
    int64_t unpublished = -1;
    absl::Status s = intake_.store()->Read([&](SqlTx& tx) -> absl::Status {
      auto row = tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE published_us IS NULL");
      if (!row.ok()) return row.status();
      unpublished = row->Int(0);
      return absl::OkStatus();
    });
    if (s.ok() && unpublished == 0) break;
    if (past_deadline()) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
  while (true) {
    auto groups = intake_.redis_client().Command({"XINFO", "GROUPS", std::string(kEventStream)});
    if (groups.ok()) {
      for (const auto& group : groups->elements) {
        std::map<std::string, const RedisReply*> fields;
        for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
          fields[group.elements[i].str] = &group.elements[i + 1];
        }
        if (fields.count("name") == 0 || fields["name"]->str != "assessment") continue;
        const bool caught_up = fields.count("pending") > 0 && fields["pending"]->integer == 0 &&
                               fields.count("lag") > 0 &&
                               fields["lag"]->type == RedisReply::Type::kInteger &&
                               fields["lag"]->integer == 0;
        if (caught_up) return true;
      }
    }
    if (past_deadline()) return false;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace chainhub::testing
