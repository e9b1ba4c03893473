// EventConsumer against a real redis-server and real SQLite stores: events go in through the
// real outbox (AppendEvent + OutboxRelay) of a "producer" store and are applied to a "consumer"
// store by a handler that writes a row in the same transaction as the inbox row.
#include "common/events/event_consumer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/ids.h"
#include "common/base/metrics.h"
#include "common/events/outbox.h"
#include "common/cache/redis_client.h"
#include "common/base/status_util.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/events_util.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
namespace {

using testing::Eventually;
using testing::HandleSampleEvents;
using testing::MakeEvent;
using testing::SampleEventType;
using testing::SubjectOf;

using testing::PostgresServer;
using testing::RedisServer;
using testing::TempDir;

constexpr char kConsumed[] = "chainhub_events_consumed_total";

// The consumer's own effect: one row per applied event, so a second application shows.
const std::vector<Migration>& TestMigrations() {
  static const std::vector<Migration>* migrations = new std::vector<Migration>{
      {1, "applied",
       "CREATE TABLE applied (seq INTEGER PRIMARY KEY, consumer_group TEXT NOT NULL, "
       "event_id TEXT NOT NULL, subject TEXT NOT NULL)"}};
  return *migrations;
}

std::vector<std::string> Subjects(int first, int n) {
  std::vector<std::string> subjects;
  for (int i = first; i < first + n; ++i) subjects.push_back(absl::StrCat("chains/c", i));
  return subjects;
}

double Consumed(const std::string& group, const std::string& outcome) {
  return MetricsRegistry::Global().Value(kConsumed, {{"group", group}, {"outcome", outcome}});
}

class EventConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    redis_ = std::make_unique<RedisClient>(server_->ClientOptions());
    auto producer = OpenStore("producer", dir_.path(), "");
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_ = std::move(*producer);
    ASSERT_TRUE(producer_->Migrate("common", CommonMigrations()).ok());
    const std::string url = ConsumerDatabaseUrl();
    if (HasFatalFailure()) return;
    auto consumer = OpenStore("consumer", dir_.path(), url);
    ASSERT_TRUE(consumer.ok()) << consumer.status();
    consumer_ = std::move(*consumer);
    ASSERT_TRUE(consumer_->Migrate("common", CommonMigrations()).ok());
    ASSERT_TRUE(consumer_->Migrate("test", TestMigrations()).ok());
    relay_ = std::make_unique<OutboxRelay>(producer_.get(), redis_.get());
  }

  // Where the consumer's store lives: "" for SQLite in the temp dir.
  virtual std::string ConsumerDatabaseUrl() { return ""; }

  // Commits events [first, first + n) in one producer transaction and publishes them.
  void Publish(int first, int n) {
    ASSERT_TRUE(producer_
                    ->Write([&](SqlTx& tx) -> absl::Status {
                      for (int i = first; i < first + n; ++i) {
                        CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(i)));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    absl::StatusOr<int> published = relay_->PublishBatch();
    ASSERT_TRUE(published.ok()) << published.status();
    ASSERT_EQ(*published, n);
  }

  // Commits and publishes one event of `type`, which the test consumers declare no handler for.
  std::string PublishForeign(const std::string& type) {
    CloudEvent event;
    event.set_type(type);
    event.set_source("/chainhub/notify");
    SetStringAttribute(&event, kSubjectAttribute, "notices/1");
    std::string id;
    EXPECT_TRUE(producer_
                    ->Write([&](SqlTx& tx) -> absl::Status {
                      event.set_id(NewUuidV7());
                      id = event.id();
                      return AppendEvent(tx, event);
                    })
                    .ok());
    absl::StatusOr<int> published = relay_->PublishBatch();
    EXPECT_TRUE(published.ok()) << published.status();
    return id;
  }

  static double Unhandled(const std::string& group, const std::string& type) {
    return MetricsRegistry::Global().Value("chainhub_events_unhandled_total",
                                           {{"group", group}, {"type", type}});
  }

  EventConsumerOptions Options(const std::string& group, const std::string& consumer = "c1") {
    EventConsumerOptions options;
    options.group = group;
    options.consumer = consumer;
    options.block = absl::Milliseconds(50);
    options.retry_delay = absl::Milliseconds(20);
    return options;
  }

  // The handler a consuming service would have: its effect, in the transaction it is given.
  static absl::Status WriteRow(const std::string& group, SqlTx& tx, const CloudEvent& event) {
    return tx
        .Exec("INSERT INTO applied (consumer_group, event_id, subject) VALUES ($1, $2, $3)",
              {group, event.id(), SubjectOf(event)})
        .status();
  }

  std::unique_ptr<EventConsumer> Consumer(const EventConsumerOptions& options) {
    const std::string group = options.group;
    return std::make_unique<EventConsumer>(
        consumer_.get(), redis_.get(), options,
        HandleSampleEvents(
            [group](SqlTx& tx, const CloudEvent& event) { return WriteRow(group, tx, event); }));
  }

  // Runs rounds until one finds nothing; returns how many entries were handled.
  static int Drain(EventConsumer& consumer) {
    int total = 0;
    for (int round = 0; round < 100; ++round) {
      absl::StatusOr<int> handled = consumer.PollOnce();
      EXPECT_TRUE(handled.ok()) << handled.status();
      if (!handled.ok() || *handled == 0) break;
      total += *handled;
    }
    return total;
  }

  // Subjects applied by `group`, in the order they were applied.
  std::vector<std::string> Applied(const std::string& group) {
    std::vector<std::string> subjects;
    absl::Status s = consumer_->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(
          std::vector<SqlRow> rows,
          tx.Query("SELECT subject FROM applied WHERE consumer_group = $1 ORDER BY seq", {group}));
      for (const SqlRow& row : rows) subjects.push_back(row.Text(0));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return subjects;
  }

  std::string InboxOutcome(const std::string& group, const std::string& event_id) {
    std::string outcome;
    absl::Status s = consumer_->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(bool found, InboxContains(tx, group, event_id));
      if (!found) return absl::OkStatus();
      CHAINHUB_ASSIGN_OR_RETURN(
          SqlRow row,
          tx.QueryOne("SELECT outcome FROM inbox WHERE consumer_group = $1 AND event_id = $2",
                      {group, event_id}));
      outcome = row.Text(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return outcome;
  }

  // Entries delivered to `group` but not acknowledged (XPENDING summary count).
  int64_t Pending(const std::string& group) {
    absl::StatusOr<RedisReply> reply =
        redis_->Command({"XPENDING", std::string(kEventStream), group});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok() || reply->elements.empty()) return -1;
    return reply->elements[0].integer;
  }

  // The `event` fields of the stream, in order.
  std::vector<std::vector<std::string>> StreamFields() {
    std::vector<std::vector<std::string>> entries;
    absl::StatusOr<RedisReply> reply =
        redis_->Command({"XRANGE", std::string(kEventStream), "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok()) return entries;
    for (const RedisReply& e : reply->elements) {
      std::vector<std::string> fields;
      for (const RedisReply& f : e.elements.at(1).elements) fields.push_back(f.str);
      entries.push_back(std::move(fields));
    }
    return entries;
  }

  RedisReply Redis(const std::vector<std::string>& argv) {
    absl::StatusOr<RedisReply> reply = redis_->Command(argv);
    EXPECT_TRUE(reply.ok()) << reply.status();
    EXPECT_NE(reply->type, RedisReply::Type::kError) << reply->str;
    return *reply;
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Store> producer_;
  std::unique_ptr<Store> consumer_;
  std::unique_ptr<OutboxRelay> relay_;
};

TEST_F(EventConsumerTest, AppliesEveryEventOnceInStreamOrder) {
  Publish(0, 6);
  Publish(6, 4);
  EventConsumerOptions options = Options("intake");
  options.batch_size = 4;
  std::unique_ptr<EventConsumer> consumer = Consumer(options);
  const double applied_before = Consumed("intake", "applied");

  absl::StatusOr<int> first = consumer->PollOnce();
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 4);
  EXPECT_EQ(consumer->lag(), 6);  // measured after the first batch was read
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_consumer_lag", {{"group", "intake"}}), 6);

  EXPECT_EQ(Drain(*consumer), 6);
  EXPECT_EQ(Applied("intake"), Subjects(0, 10));
  EXPECT_EQ(consumer->applied(), 10);
  EXPECT_EQ(Consumed("intake", "applied"), applied_before + 10);
  EXPECT_EQ(Pending("intake"), 0);
  for (const std::vector<std::string>& fields : StreamFields()) {
    ASSERT_EQ(fields.at(0), "id");
    EXPECT_EQ(InboxOutcome("intake", fields.at(1)), "applied");
  }
}

// A burst read in one go is applied in runs of up to 128 per transaction; replayed from the start
// of the stream, every event of every run is found in the inbox and applied no second time.
TEST_F(EventConsumerTest, AppliesABurstInRunsAndEachEventOnceWhenReplayed) {
  for (int first = 0; first < 300; first += 100) Publish(first, 100);
  std::unique_ptr<EventConsumer> consumer = Consumer(Options("burst"));
  const double applied_before = Consumed("burst", "applied");
  const double duplicates_before = Consumed("burst", "duplicate");
  EXPECT_EQ(Drain(*consumer), 300);
  EXPECT_EQ(Applied("burst"), Subjects(0, 300));
  EXPECT_EQ(Consumed("burst", "applied"), applied_before + 300);
  EXPECT_EQ(consumer->applied(), 300);

  Redis({"XGROUP", "SETID", std::string(kEventStream), "burst", "0"});
  Publish(300, 5);
  EXPECT_EQ(Drain(*consumer), 305);
  EXPECT_EQ(Applied("burst"), Subjects(0, 305));
  EXPECT_EQ(Consumed("burst", "duplicate"), duplicates_before + 300);
  EXPECT_EQ(consumer->applied(), 305);
  EXPECT_EQ(Pending("burst"), 0);
}

TEST_F(EventConsumerTest, EachGroupAppliesEveryEventOnce) {
  Publish(0, 5);
  std::unique_ptr<EventConsumer> intake = Consumer(Options("intake"));
  std::unique_ptr<EventConsumer> notify = Consumer(Options("notify"));
  EXPECT_EQ(Drain(*intake), 5);
  EXPECT_EQ(Drain(*notify), 5);
  EXPECT_EQ(Applied("intake"), Subjects(0, 5));
  EXPECT_EQ(Applied("notify"), Subjects(0, 5));
}

TEST_F(EventConsumerTest, GroupStartingAtTheEndSkipsTheHistory) {
  Publish(0, 3);
  EventConsumerOptions options = Options("sync");
  options.start_id = "$";
  std::unique_ptr<EventConsumer> consumer = Consumer(options);
  EXPECT_EQ(Drain(*consumer), 0);  // creates the group after the three entries
  Publish(3, 2);
  EXPECT_EQ(Drain(*consumer), 2);
  EXPECT_EQ(Applied("sync"), Subjects(3, 2));
}

TEST_F(EventConsumerTest, RedeliveredEntriesHaveNoSecondEffect) {
  Publish(0, 5);
  std::unique_ptr<EventConsumer> consumer = Consumer(Options("intake"));
  ASSERT_EQ(Drain(*consumer), 5);
  const double duplicates_before = Consumed("intake", "duplicate");

  // As if every XACK had been lost: the group delivers the whole stream again.
  Redis({"XGROUP", "SETID", std::string(kEventStream), "intake", "0"});
  EXPECT_EQ(Drain(*consumer), 5);

  EXPECT_EQ(Applied("intake"), Subjects(0, 5));
  EXPECT_EQ(consumer->applied(), 5);
  EXPECT_EQ(Consumed("intake", "duplicate"), duplicates_before + 5);
  EXPECT_EQ(Pending("intake"), 0);
}

TEST_F(EventConsumerTest, RetriesAnEntryWhoseHandlerFailedTransientlyInOrder) {
  Publish(0, 4);
  bool ready = false;  // until then chains/c1 cannot be applied
  std::unique_ptr<EventConsumer> consumer = std::make_unique<EventConsumer>(
      consumer_.get(), redis_.get(), Options("intake"),
      HandleSampleEvents([&](SqlTx& tx, const CloudEvent& event) -> absl::Status {
        CHAINHUB_RETURN_IF_ERROR(WriteRow("intake", tx, event));
        if (SubjectOf(event) == "chains/c1" && !ready) {
          return absl::UnavailableError("registry copy not ready");  // rolls the row back
        }
        return absl::OkStatus();
      }));

  absl::StatusOr<int> round = consumer->PollOnce();
  EXPECT_EQ(round.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Applied("intake"), Subjects(0, 1));
  EXPECT_EQ(Pending("intake"), 3);  // c1 and what came after it wait for the retry

  round = consumer->PollOnce();
  EXPECT_EQ(round.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Applied("intake"), Subjects(0, 1));
  ready = true;
  EXPECT_EQ(Drain(*consumer), 3);
  EXPECT_EQ(Applied("intake"), Subjects(0, 4));
  EXPECT_EQ(Pending("intake"), 0);
}

TEST_F(EventConsumerTest, ClaimsEntriesLeftPendingByADeadConsumer) {
  Publish(0, 3);
  // Consumer A reads the entries, cannot apply them, and dies with them pending.
  {
    EventConsumer dead(consumer_.get(), redis_.get(), Options("intake", "a"),
                       HandleSampleEvents([](SqlTx&, const CloudEvent&) {
                         return absl::UnavailableError("store of consumer a is gone");
                       }));
    absl::StatusOr<int> round = dead.PollOnce();
    EXPECT_EQ(round.status().code(), absl::StatusCode::kUnavailable);
  }
  ASSERT_EQ(Pending("intake"), 3);
  Publish(3, 1);

  EventConsumerOptions options = Options("intake", "b");
  options.claim_idle = absl::Milliseconds(100);
  std::unique_ptr<EventConsumer> b = Consumer(options);
  EXPECT_TRUE(Eventually([&] {
    absl::StatusOr<int> round = b->PollOnce();
    EXPECT_TRUE(round.ok()) << round.status();
    return b->applied() == 4;
  }));
  EXPECT_EQ(Drain(*b), 0);
  std::vector<std::string> applied = Applied("intake");
  std::sort(applied.begin(), applied.end());  // the new entry may come before the claimed ones
  EXPECT_EQ(applied, Subjects(0, 4));
  EXPECT_EQ(Pending("intake"), 0);
}

TEST_F(EventConsumerTest, SkipsAndAcknowledgesPoisonEntriesWithoutBlockingLaterOnes) {
  Publish(0, 2);
  // An entry whose event field is not a protobuf message (a truncated length-delimited field).
  Redis({"XADD", std::string(kEventStream), "*", "id", "garbage-1", "type", SampleEventType(),
         "event",
         std::string("\x0a\x05"
                     "ab",
                     4)});
  Publish(2, 3);
  const double skipped_before = Consumed("intake", "skipped");
  // The handler can never apply chains/c3.
  std::unique_ptr<EventConsumer> consumer = std::make_unique<EventConsumer>(
      consumer_.get(), redis_.get(), Options("intake"),
      HandleSampleEvents([](SqlTx& tx, const CloudEvent& event) -> absl::Status {
        if (SubjectOf(event) == "chains/c3") return InvalidField("chain", "unknown chain");
        return WriteRow("intake", tx, event);
      }));

  EXPECT_EQ(Drain(*consumer), 6);
  EXPECT_EQ(Applied("intake"),
            (std::vector<std::string>{"chains/c0", "chains/c1", "chains/c2", "chains/c4"}));
  EXPECT_EQ(Pending("intake"), 0);
  EXPECT_EQ(Consumed("intake", "skipped"), skipped_before + 2);
  EXPECT_EQ(InboxOutcome("intake", "garbage-1"), "skipped");
  EXPECT_EQ(consumer->applied(), 4);
  // Redelivery of the skipped entries does not call the handler again.
  Redis({"XGROUP", "SETID", std::string(kEventStream), "intake", "0"});
  EXPECT_EQ(Drain(*consumer), 6);
  EXPECT_EQ(consumer->applied(), 4);
}

TEST_F(EventConsumerTest, CountsRecordsAndAcknowledgesATypeItDoesNotHandle) {
  Publish(0, 1);
  const std::string foreign = PublishForeign("notice.sent");
  Publish(1, 1);
  std::unique_ptr<EventConsumer> consumer = Consumer(Options("intake"));
  const double unhandled_before = Unhandled("intake", "notice.sent");
  const double duplicates_before = Consumed("intake", "duplicate");

  EXPECT_EQ(Drain(*consumer), 3);
  EXPECT_EQ(Applied("intake"), Subjects(0, 2));  // the later event is not held up
  EXPECT_EQ(Unhandled("intake", "notice.sent"), unhandled_before + 1);
  EXPECT_EQ(InboxOutcome("intake", foreign), "unhandled");
  EXPECT_EQ(Pending("intake"), 0);

  // Delivered again, it is a duplicate: counted as unhandled once only.
  Redis({"XGROUP", "SETID", std::string(kEventStream), "intake", "0"});
  EXPECT_EQ(Drain(*consumer), 3);
  EXPECT_EQ(Unhandled("intake", "notice.sent"), unhandled_before + 1);
  EXPECT_EQ(Consumed("intake", "duplicate"), duplicates_before + 3);
  EXPECT_EQ(Applied("intake"), Subjects(0, 2));
}

TEST_F(EventConsumerTest, StampsAndPrunesTheInboxByItsInjectedClock) {
  Publish(0, 2);
  ManualClock clock(absl::FromCivil(absl::CivilSecond(2026, 6, 30, 12, 0, 0), absl::UTCTimeZone()));
  EventConsumerOptions options = Options("intake");
  options.inbox_retention = absl::Hours(24);
  options.clock = &clock;
  std::unique_ptr<EventConsumer> consumer = Consumer(options);
  ASSERT_EQ(Drain(*consumer), 2);
  std::vector<int64_t> stamps;
  ASSERT_TRUE(consumer_
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    CHAINHUB_ASSIGN_OR_RETURN(
                        std::vector<SqlRow> rows,
                        tx.Query("SELECT applied_us FROM inbox WHERE consumer_group = 'intake'"));
                    for (const SqlRow& row : rows) stamps.push_back(row.Int(0));
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(stamps, std::vector<int64_t>(2, absl::ToUnixMicros(clock.Now())));

  clock.Advance(absl::Hours(23));
  absl::StatusOr<int64_t> kept = consumer->PruneInbox();
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(*kept, 0);  // within the retention by the consumer's clock
  clock.Advance(absl::Hours(2));
  absl::StatusOr<int64_t> pruned = consumer->PruneInbox();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 2);
}

TEST_F(EventConsumerTest, PrunesItsGroupsInboxRowsOlderThanTheRetention) {
  Publish(0, 2);
  EventConsumerOptions options = Options("intake");
  options.inbox_retention = absl::Hours(24);
  std::unique_ptr<EventConsumer> consumer = Consumer(options);
  ASSERT_EQ(Drain(*consumer), 2);
  const int64_t old_us = absl::ToUnixMicros(absl::Now() - absl::Hours(25));
  ASSERT_TRUE(consumer_
                  ->Write([&](SqlTx& tx) -> absl::Status {
                    for (const char* group : {"intake", "notify"}) {
                      CHAINHUB_RETURN_IF_ERROR(
                          tx.Exec("INSERT INTO inbox (consumer_group, event_id, outcome, "
                                  "applied_us) VALUES ($1, 'old-event', 'applied', $2)",
                                  {std::string(group), old_us})
                              .status());
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  const double pruned_before =
      MetricsRegistry::Global().Value("chainhub_inbox_pruned_total", {{"group", "intake"}});

  absl::StatusOr<int64_t> pruned = consumer->PruneInbox();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  EXPECT_EQ(InboxOutcome("intake", "old-event"), "");
  EXPECT_EQ(InboxOutcome("notify", "old-event"), "applied");  // another group's, its own retention
  for (const std::vector<std::string>& fields : StreamFields()) {
    EXPECT_EQ(InboxOutcome("intake", fields.at(1)), "applied");  // recent rows stay
  }
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_inbox_pruned_total", {{"group", "intake"}}),
            pruned_before + 1);
}

TEST_F(EventConsumerTest, RecreatesItsGroupWhenTheStreamIsDeletedAndAppliesNothingTwice) {
  Publish(0, 3);
  std::unique_ptr<EventConsumer> consumer = Consumer(Options("intake"));
  ASSERT_EQ(Drain(*consumer), 3);

  // Redis loses the stream and its group; then the old entries come back (a stale copy of the
  // stream restored) followed by new events.
  const std::vector<std::vector<std::string>> old_entries = StreamFields();
  ASSERT_EQ(old_entries.size(), 3u);
  Redis({"DEL", std::string(kEventStream)});
  for (const std::vector<std::string>& fields : old_entries) {
    std::vector<std::string> xadd = {"XADD", std::string(kEventStream), "*"};
    xadd.insert(xadd.end(), fields.begin(), fields.end());
    Redis(xadd);
  }
  Publish(3, 2);
  const double duplicates_before = Consumed("intake", "duplicate");

  EXPECT_EQ(Drain(*consumer), 5);
  EXPECT_EQ(Applied("intake"), Subjects(0, 5));
  EXPECT_EQ(Consumed("intake", "duplicate"), duplicates_before + 3);
  EXPECT_EQ(Pending("intake"), 0);
}

TEST_F(EventConsumerTest, ResumesAfterRedisIsStoppedAndRestarted) {
  std::unique_ptr<EventConsumer> consumer = Consumer(Options("intake"));
  consumer->Start();
  Publish(0, 3);
  ASSERT_TRUE(Eventually([&] { return consumer->applied() == 3; }));

  ASSERT_TRUE(server_->Stop().ok());
  // Writes go on while Redis is down; the outbox keeps their events.
  ASSERT_TRUE(producer_
                  ->Write([&](SqlTx& tx) -> absl::Status {
                    for (int i = 3; i < 6; ++i) {
                      CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(i)));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_FALSE(relay_->PublishBatch().ok());

  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<int> published = relay_->PublishBatch();
    return published.ok() && relay_->backlog() == 0;
  }));
  EXPECT_TRUE(Eventually([&] { return consumer->applied() == 6; }));
  consumer->Stop();
  EXPECT_EQ(Applied("intake"), Subjects(0, 6));
  EXPECT_EQ(Pending("intake"), 0);
}

TEST_F(EventConsumerTest, RestartedConsumerAppliesWhatArrivedWhileItWasStopped) {
  EventConsumerOptions options = Options("intake");
  options.block = absl::Milliseconds(400);
  std::unique_ptr<EventConsumer> consumer = Consumer(options);
  consumer->Start();
  Publish(0, 1);
  ASSERT_TRUE(Eventually([&] { return consumer->applied() == 1; }));
  consumer->Stop();  // waits out the current XREADGROUP BLOCK at most
  Publish(1, 1);
  EXPECT_EQ(Pending("intake"), 0);
  EXPECT_EQ(Applied("intake"), Subjects(0, 1));  // stopped: the new event waits for a restart
  consumer->Start();
  EXPECT_TRUE(Eventually([&] { return consumer->applied() == 2; }));
  consumer->Stop();
}

// The same consumer on PostgreSQL (one replica of a scaled-out service): the inbox SQL, including
// the skip's ON CONFLICT, must hold in both dialects.
class EventConsumerPostgresTest : public EventConsumerTest {
 protected:
  static void SetUpTestSuite() {
    auto server = PostgresServer::Start();
    start_status_ = server.status();
    if (server.ok()) postgres_ = server->release();
  }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
  }

  std::string ConsumerDatabaseUrl() override {
    EXPECT_TRUE(postgres_ != nullptr) << "PostgreSQL test server: " << start_status_;
    if (postgres_ == nullptr) return "";
    auto url = postgres_->CreateDatabase(absl::StrCat("consumer_", ++databases_));
    EXPECT_TRUE(url.ok()) << url.status();
    return url.ok() ? *url : "";
  }

  static inline PostgresServer* postgres_ = nullptr;
  static inline absl::Status start_status_;
  static inline int databases_ = 0;
};

TEST_F(EventConsumerPostgresTest, AppliesEachEventOnceAndSkipsPoisonEntries) {
  ASSERT_EQ(consumer_->dialect(), "postgresql");
  Publish(0, 2);
  Redis({"XADD", std::string(kEventStream), "*", "id", "garbage-1", "type", SampleEventType(),
         "event",
         std::string("\x0a\x05"
                     "ab",
                     4)});
  Publish(2, 2);
  std::unique_ptr<EventConsumer> consumer = std::make_unique<EventConsumer>(
      consumer_.get(), redis_.get(), Options("intake"),
      HandleSampleEvents([](SqlTx& tx, const CloudEvent& event) -> absl::Status {
        if (SubjectOf(event) == "chains/c3") return InvalidField("chain", "unknown chain");
        return WriteRow("intake", tx, event);
      }));
  const std::string foreign = PublishForeign("notice.sent");
  const double unhandled_before = Unhandled("intake", "notice.sent");
  EXPECT_EQ(Drain(*consumer), 6);
  Redis({"XGROUP", "SETID", std::string(kEventStream), "intake", "0"});
  EXPECT_EQ(Drain(*consumer), 6);

  EXPECT_EQ(Applied("intake"), Subjects(0, 3));
  EXPECT_EQ(consumer->applied(), 3);
  EXPECT_EQ(InboxOutcome("intake", "garbage-1"), "skipped");
  EXPECT_EQ(InboxOutcome("intake", foreign), "unhandled");
  EXPECT_EQ(Unhandled("intake", "notice.sent"), unhandled_before + 1);
  EXPECT_EQ(Pending("intake"), 0);
  absl::StatusOr<int64_t> pruned = consumer->PruneInbox();  // nothing is old enough
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 0);
}

}  // namespace
}  // namespace chainhub
