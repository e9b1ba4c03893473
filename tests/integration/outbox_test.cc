#include "common/events/outbox.h"

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/clock.h"
#include "common/base/metrics.h"
#include "common/cache/redis_client.h"
#include "common/base/status_util.h"
#include "common/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/events_util.h"
#include "tests/support/redis_server.h"
#include "tests/support/temp_dir.h"

namespace chainhub {
namespace {

using testing::Eventually;
using testing::MakeEvent;
using testing::SampleEventType;
using testing::SubjectOf;

using testing::RedisServer;
using testing::TempDir;

constexpr char kPublishedTotal[] = "chainhub_outbox_published_total";
constexpr char kTrimmedTotal[] = "chainhub_events_trimmed_total";

// One entry of the stream, with the event its `event` field decodes to.
struct StreamEntry {
  std::string entry_id;
  std::string id;
  std::string type;
  CloudEvent event;
  bool decoded = false;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    redis_ = std::make_unique<RedisClient>(server_->ClientOptions());
    SqliteOptions options;
    options.path = dir_.File("outbox.db");
    auto store = OpenSqliteStore(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Migrate("common", CommonMigrations()).ok());
  }

  OutboxRelayOptions FastOptions() {
    OutboxRelayOptions options;
    options.poll_interval = absl::Milliseconds(20);
    options.batch_size = 16;
    return options;
  }

  // Appends events [first, first + n) in one transaction.
  absl::Status WriteEvents(int first, int n) {
    return store_->Write([&](SqlTx& tx) -> absl::Status {
      for (int i = first; i < first + n; ++i)
        CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(i)));
      return absl::OkStatus();
    });
  }

  // Event ids in the outbox, in seq order.
  std::vector<std::string> OutboxIds() {
    std::vector<std::string> ids;
    absl::Status s = store_->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                                tx.Query("SELECT event_id FROM outbox ORDER BY seq"));
      for (const SqlRow& row : rows) ids.push_back(row.Text(0));
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return ids;
  }

  int64_t OutboxRows() {
    int64_t n = -1;
    absl::Status s = store_->Read([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx.QueryOne("SELECT COUNT(*) FROM outbox"));
      n = row.Int(0);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return n;
  }

  std::vector<StreamEntry> Stream() {
    std::vector<StreamEntry> entries;
    absl::StatusOr<RedisReply> reply =
        redis_->Command({"XRANGE", std::string(kEventStream), "-", "+"});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok()) return entries;
    for (const RedisReply& e : reply->elements) {
      StreamEntry entry;
      entry.entry_id = e.elements.at(0).str;
      const auto& fields = e.elements.at(1).elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].str == "id") entry.id = fields[i + 1].str;
        if (fields[i].str == "type") entry.type = fields[i + 1].str;
        if (fields[i].str == "event")
          entry.decoded = entry.event.ParseFromString(fields[i + 1].str);
      }
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  std::vector<std::string> StreamIds() {
    std::vector<std::string> ids;
    for (const StreamEntry& e : Stream()) ids.push_back(e.id);
    return ids;
  }

  int64_t StreamLength() {
    absl::StatusOr<RedisReply> reply = redis_->Command({"XLEN", std::string(kEventStream)});
    return reply.ok() ? reply->integer : -1;
  }

  RedisReply Redis(const std::vector<std::string>& argv) {
    absl::StatusOr<RedisReply> reply = redis_->Command(argv);
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok()) return RedisReply();
    EXPECT_NE(reply->type, RedisReply::Type::kError) << reply->str;
    return *reply;
  }

  TempDir dir_;
  std::unique_ptr<RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
  std::unique_ptr<Store> store_;
};

TEST_F(OutboxTest, AppendEventFillsTheIdAndTheTimeWhenUnset) {
  CloudEvent preset = MakeEvent(2);
  preset.set_id("0190c0de-0000-7000-8000-000000000002");
  SetTimeAttribute(&preset, kTimeAttribute, absl::FromUnixSeconds(1700000000));
  CloudEvent bare = MakeEvent(1);
  bare.mutable_attributes()->erase(std::string(kTimeAttribute));
  bare.clear_spec_version();
  ASSERT_TRUE(store_
                  ->Write([&](SqlTx& tx) -> absl::Status {
                    CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, bare));
                    return AppendEvent(tx, preset);
                  })
                  .ok());
  std::vector<CloudEvent> events;
  std::vector<std::string> ids;
  ASSERT_TRUE(store_
                  ->Read([&](SqlTx& tx) -> absl::Status {
                    CHAINHUB_ASSIGN_OR_RETURN(
                        std::vector<SqlRow> rows,
                        tx.Query("SELECT event_id, type, payload FROM outbox ORDER BY seq"));
                    for (const SqlRow& row : rows) {
                      CloudEvent e;
                      EXPECT_TRUE(e.ParseFromString(row.Bytes(2)));
                      EXPECT_EQ(row.Text(1), e.type());
                      ids.push_back(row.Text(0));
                      events.push_back(e);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(ids[0], events[0].id());
  ASSERT_EQ(events[0].id().size(), 36u);
  EXPECT_EQ(events[0].id()[14], '7');  // UUID version 7
  EXPECT_EQ(events[0].spec_version(), "1.0");
  EXPECT_GT(TimeAttribute(events[0], kTimeAttribute).value(), absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(events[1].id(), preset.id());
  EXPECT_EQ(TimeAttribute(events[1], kTimeAttribute).value(), absl::FromUnixSeconds(1700000000));
}

TEST_F(OutboxTest, AppendEventRejectsAnEventWithoutType) {
  absl::Status s = store_->Write([](SqlTx& tx) { return AppendEvent(tx, CloudEvent()); });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OutboxRows(), 0);
}

TEST_F(OutboxTest, PublishesEachCommittedEventOnceInOrder) {
  ASSERT_TRUE(WriteEvents(0, 3).ok());
  ASSERT_TRUE(WriteEvents(3, 2).ok());
  OutboxRelay relay(store_.get(), redis_.get(), FastOptions());
  const double counted_before = MetricsRegistry::Global().Value(kPublishedTotal, {});
  absl::StatusOr<int> published = relay.PublishBatch();
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(*published, 5);
  EXPECT_EQ(relay.backlog(), 0);
  EXPECT_EQ(MetricsRegistry::Global().Value(kPublishedTotal, {}), counted_before + 5);

  std::vector<StreamEntry> entries = Stream();
  ASSERT_EQ(entries.size(), 5u);
  const std::vector<std::string> ids = OutboxIds();
  for (size_t i = 0; i < entries.size(); ++i) {
    ASSERT_TRUE(entries[i].decoded);
    EXPECT_EQ(entries[i].id, ids[i]);
    EXPECT_EQ(entries[i].event.id(), ids[i]);
    EXPECT_EQ(entries[i].type, SampleEventType());
    EXPECT_EQ(SubjectOf(entries[i].event), absl::StrCat("chains/c", i));
  }

  published = relay.PublishBatch();
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(*published, 0);
  EXPECT_EQ(StreamLength(), 5);
}

TEST_F(OutboxTest, PublishesInBatchesOfTheConfiguredSize) {
  ASSERT_TRUE(WriteEvents(0, 40).ok());
  OutboxRelay relay(store_.get(), redis_.get(), FastOptions());  // batch_size 16
  EXPECT_EQ(*relay.PublishBatch(), 16);
  EXPECT_EQ(relay.backlog(), 24);
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_outbox_backlog", {}), 24);
  EXPECT_EQ(*relay.PublishBatch(), 16);
  EXPECT_EQ(*relay.PublishBatch(), 8);
  EXPECT_EQ(relay.backlog(), 0);
  EXPECT_EQ(StreamIds(), OutboxIds());
}

TEST_F(OutboxTest, PublishesNothingForARolledBackTransaction) {
  absl::Status s = store_->Write([](SqlTx& tx) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(AppendEvent(tx, MakeEvent(1)));
    return absl::FailedPreconditionError("the change was refused");
  });
  ASSERT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(WriteEvents(2, 1).ok());
  OutboxRelay relay(store_.get(), redis_.get(), FastOptions());
  EXPECT_EQ(*relay.PublishBatch(), 1);
  std::vector<StreamEntry> entries = Stream();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(SubjectOf(entries[0].event), "chains/c2");
}

TEST_F(OutboxTest, RelayThreadPublishesAfterNotifyAndOnStop) {
  OutboxRelayOptions options = FastOptions();
  options.poll_interval = absl::Hours(1);  // only Notify and Stop make it publish
  OutboxRelay relay(store_.get(), redis_.get(), options);
  relay.Start();
  ASSERT_TRUE(WriteEvents(0, 3).ok());
  relay.Notify();
  EXPECT_TRUE(Eventually([&] { return StreamLength() == 3; }));
  ASSERT_TRUE(WriteEvents(3, 2).ok());  // no Notify: Stop publishes it
  relay.Stop();
  EXPECT_EQ(StreamLength(), 5);
  EXPECT_EQ(StreamIds(), OutboxIds());
}

TEST_F(OutboxTest, KeepsEventsThroughARedisOutageAndPublishesThemOnceAfter) {
  OutboxRelay relay(store_.get(), redis_.get(), FastOptions());
  relay.Start();
  ASSERT_TRUE(WriteEvents(0, 5).ok());
  relay.Notify();
  ASSERT_TRUE(Eventually([&] { return StreamLength() == 5; }));

  ASSERT_TRUE(server_->Stop().ok());
  for (int i = 5; i < 45; i += 5) {
    ASSERT_TRUE(WriteEvents(i, 5).ok());  // writes do not need Redis
    relay.Notify();
  }
  EXPECT_TRUE(Eventually([&] { return relay.backlog() == 40; }));

  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(Eventually([&] { return relay.backlog() == 0; }));
  relay.Stop();
  // This thread's own connection went down with the server too.
  ASSERT_TRUE(Eventually([&] { return redis_->Command({"PING"}).ok(); }));
  const std::vector<std::string> stream_ids = StreamIds();
  EXPECT_EQ(stream_ids.size(), 45u);
  EXPECT_EQ(std::set<std::string>(stream_ids.begin(), stream_ids.end()).size(), 45u);
  EXPECT_EQ(stream_ids, OutboxIds());
}

// What appendfsync everysec risks: Redis acknowledged the last XADDs, then its host died before
// they reached the disk. Here the AOF is cut back to where it stood before the second batch, and
// Redis is only restarted an hour later (by the relay's clock), which must not matter.
TEST_F(OutboxTest, RepublishesWhatARestartedRedisLostFromACutShortAofAndNothingElse) {
  ManualClock clock(absl::FromUnixSeconds(1'790'000'000));
  OutboxRelayOptions options = FastOptions();
  options.clock = &clock;
  options.run_check_interval = absl::ZeroDuration();
  OutboxRelay relay(store_.get(), redis_.get(), options);
  const double republished_before =
      MetricsRegistry::Global().Value("chainhub_outbox_republished_total", {});

  // An old batch, well before the window of the newest publication.
  ASSERT_TRUE(WriteEvents(0, 5).ok());
  ASSERT_EQ(*relay.PublishBatch(), 5);
  clock.Advance(absl::Minutes(1));
  ASSERT_TRUE(WriteEvents(5, 3).ok());
  ASSERT_EQ(*relay.PublishBatch(), 3);
  absl::StatusOr<std::string> aof = server_->IncrementalAofFile();
  ASSERT_TRUE(aof.ok()) << aof.status();
  const uintmax_t cut = std::filesystem::file_size(*aof);
  clock.Advance(absl::Seconds(4));
  ASSERT_TRUE(WriteEvents(8, 4).ok());
  ASSERT_EQ(*relay.PublishBatch(), 4);
  ASSERT_EQ(StreamLength(), 12);

  // The host dies: Redis loses the last batch (its XADDs and dedupe keys), the outbox has it as
  // published.
  ASSERT_TRUE(server_->Kill().ok());
  std::filesystem::resize_file(*aof, cut);
  clock.Advance(absl::Hours(1));
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(Eventually([&] { return redis_->Command({"PING"}).ok(); }));
  ASSERT_EQ(StreamLength(), 8);

  // The first pass after the restart sees a new run: the 7 rows published within 10 s of the
  // newest go back to the queue; Redis still has 3 of them and drops those, the 4 lost are added.
  absl::StatusOr<int> marked = absl::UnavailableError("not run");
  ASSERT_TRUE(Eventually([&] {
    marked = relay.PublishBatch();
    return marked.ok();
  })) << marked.status();
  EXPECT_EQ(*marked, 7);
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_outbox_republished_total", {}) -
                republished_before,
            7);
  EXPECT_EQ(StreamLength(), 12);
  EXPECT_EQ(StreamIds(), OutboxIds());  // each event once, in the outbox's order
  EXPECT_EQ(relay.backlog(), 0);

  // Published again to the same run: nothing more happens.
  ASSERT_EQ(*relay.PublishBatch(), 0);
  EXPECT_EQ(StreamLength(), 12);

  // A clean restart loses nothing: the same rows are queued again and all dropped by Redis.
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(Eventually([&] { return redis_->Command({"PING"}).ok(); }));
  ASSERT_TRUE(Eventually([&] {
    marked = relay.PublishBatch();
    return marked.ok();
  })) << marked.status();
  EXPECT_EQ(*marked, 7);  // the window of the newest publication: the 7 published again above
  EXPECT_EQ(StreamLength(), 12);
  EXPECT_EQ(StreamIds(), OutboxIds());
}

// A relay that starts after Redis restarted (the host of both crashed) knows no run yet: the rows
// record the run they went to, so it still finds the ones to publish again.
TEST_F(OutboxTest, ARelayStartedAfterBothCrashedRepublishesFromTheRunRecordedOnTheRows) {
  ASSERT_TRUE(WriteEvents(0, 3).ok());
  {
    OutboxRelay before(store_.get(), redis_.get(), FastOptions());
    ASSERT_EQ(*before.PublishBatch(), 3);
  }
  ASSERT_TRUE(server_->Kill().ok());
  absl::StatusOr<std::string> aof = server_->IncrementalAofFile();
  ASSERT_TRUE(aof.ok()) << aof.status();
  std::filesystem::resize_file(*aof, 0);  // everything lost
  ASSERT_TRUE(server_->Restart().ok());
  ASSERT_TRUE(Eventually([&] { return redis_->Command({"PING"}).ok(); }));
  ASSERT_EQ(StreamLength(), 0);

  OutboxRelay after(store_.get(), redis_.get(), FastOptions());
  absl::StatusOr<int> marked = after.PublishBatch();
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(*marked, 3);
  EXPECT_EQ(StreamIds(), OutboxIds());
  // A relay restarted against the same Redis run queues nothing again.
  OutboxRelay again(store_.get(), redis_.get(), FastOptions());
  EXPECT_EQ(*again.PublishBatch(), 0);
  EXPECT_EQ(StreamLength(), 3);
}

TEST_F(OutboxTest, DoesNotRepublishWhenARelayDiedBeforeMarkingTheRows) {
  ASSERT_TRUE(WriteEvents(0, 10).ok());
  OutboxRelay first(store_.get(), redis_.get(), FastOptions());
  ASSERT_EQ(*first.PublishBatch(), 10);
  // The first relay "crashed" after XADD, before its marks were committed.
  ASSERT_TRUE(store_
                  ->Write([](SqlTx& tx) -> absl::Status {
                    return tx.Exec("UPDATE outbox SET published_us = NULL").status();
                  })
                  .ok());
  OutboxRelay second(store_.get(), redis_.get(), FastOptions());
  absl::StatusOr<int> marked = second.PublishBatch();
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(*marked, 10);  // marked as published, without a second XADD
  EXPECT_EQ(second.backlog(), 0);
  EXPECT_EQ(StreamLength(), 10);
  EXPECT_EQ(StreamIds(), OutboxIds());
}

TEST_F(OutboxTest, TwoRelaysRacingOnTheSameRowsPublishEachEventOnce) {
  OutboxRelay a(store_.get(), redis_.get(), FastOptions());
  OutboxRelay b(store_.get(), redis_.get(), FastOptions());
  a.Start();
  b.Start();
  for (int i = 0; i < 200; i += 4) {
    ASSERT_TRUE(WriteEvents(i, 4).ok());
    a.Notify();
    b.Notify();
  }
  EXPECT_TRUE(Eventually([&] { return StreamLength() >= 200 && a.backlog() == 0; }));
  a.Stop();
  b.Stop();
  const std::vector<std::string> stream_ids = StreamIds();
  EXPECT_EQ(stream_ids.size(), 200u);
  EXPECT_EQ(stream_ids, OutboxIds());
}

TEST_F(OutboxTest, DeletesPublishedRowsAfterTheRetention) {
  // A group that has read nothing yet: the relay's trim must leave every entry for it.
  Redis({"XGROUP", "CREATE", std::string(kEventStream), "intake", "0", "MKSTREAM"});
  OutboxRelayOptions options = FastOptions();
  options.retention = absl::Milliseconds(1);
  OutboxRelay relay(store_.get(), redis_.get(), options);
  ASSERT_TRUE(WriteEvents(0, 3).ok());
  relay.Start();
  EXPECT_TRUE(Eventually([&] { return OutboxRows() == 0; }));
  relay.Stop();
  EXPECT_EQ(StreamLength(), 3);
}

TEST_F(OutboxTest, TrimsOnlyEntriesEveryGroupHasAcknowledgedOnceOlderThanTheRetention) {
  const std::string stream(kEventStream);
  // Six entries stamped long ago (ids are milliseconds), then one stamped now.
  for (int i = 1; i <= 6; ++i) {
    Redis({"XADD", stream, absl::StrCat(i * 1000, "-0"), "id", absl::StrCat("e", i)});
  }
  const std::string fresh = Redis({"XADD", stream, "*", "id", "e7"}).str;
  // "done" has read and acknowledged everything; "pending" has read 1000..4000 and acknowledged
  // 1000 and 2000; "behind" has been delivered nothing after 5000-0.
  Redis({"XGROUP", "CREATE", stream, "done", "0"});
  Redis({"XGROUP", "CREATE", stream, "pending", "0"});
  Redis({"XGROUP", "CREATE", stream, "behind", "5000-0"});
  Redis({"XREADGROUP", "GROUP", "done", "c", "STREAMS", stream, ">"});
  Redis(
      {"XACK", stream, "done", "1000-0", "2000-0", "3000-0", "4000-0", "5000-0", "6000-0", fresh});
  Redis({"XREADGROUP", "GROUP", "pending", "c", "COUNT", "4", "STREAMS", stream, ">"});
  Redis({"XACK", stream, "pending", "1000-0", "2000-0"});

  OutboxRelayOptions options = FastOptions();
  options.retention = absl::Hours(1);
  OutboxRelay relay(store_.get(), redis_.get(), options);
  const double trimmed_before = MetricsRegistry::Global().Value(kTrimmedTotal, {});
  auto ids = [&] {
    std::vector<std::string> out;
    for (const StreamEntry& e : Stream()) out.push_back(e.id);
    return out;
  };

  // Not past "pending"'s oldest pending entry.
  absl::StatusOr<StreamTrim> trim = relay.TrimStream();
  ASSERT_TRUE(trim.ok()) << trim.status();
  EXPECT_EQ(trim->trimmed, 2);
  EXPECT_EQ(trim->min_id, "3000-0");
  EXPECT_EQ(ids(), (std::vector<std::string>{"e3", "e4", "e5", "e6", "e7"}));

  // Acknowledged: now "pending"'s last delivered entry, 4000-0, bounds the trim.
  Redis({"XACK", stream, "pending", "3000-0", "4000-0"});
  trim = relay.TrimStream();
  ASSERT_TRUE(trim.ok()) << trim.status();
  EXPECT_EQ(trim->trimmed, 2);
  EXPECT_EQ(ids(), (std::vector<std::string>{"e5", "e6", "e7"}));

  // Nothing "behind" has not been delivered goes, however old.
  trim = relay.TrimStream();
  ASSERT_TRUE(trim.ok());
  EXPECT_EQ(trim->trimmed, 0);
  EXPECT_EQ(ids(), (std::vector<std::string>{"e5", "e6", "e7"}));

  // Everyone has everything: the old entries go, the one within the retention stays.
  for (const char* group : {"pending", "behind"}) {
    Redis({"XREADGROUP", "GROUP", group, "c", "STREAMS", stream, ">"});
    Redis({"XACK", stream, group, "5000-0", "6000-0", fresh});
  }
  trim = relay.TrimStream();
  ASSERT_TRUE(trim.ok());
  EXPECT_EQ(trim->trimmed, 2);
  EXPECT_EQ(trim->length, 1);
  EXPECT_EQ(ids(), (std::vector<std::string>{"e7"}));
  EXPECT_EQ(MetricsRegistry::Global().Value(kTrimmedTotal, {}), trimmed_before + 6);
  EXPECT_EQ(MetricsRegistry::Global().Value("chainhub_event_stream_length", {}), 1);
}

TEST_F(OutboxTest, TrimOfAnAbsentStreamDoesNothing) {
  OutboxRelay relay(store_.get(), redis_.get(), FastOptions());
  absl::StatusOr<StreamTrim> trim = relay.TrimStream();
  ASSERT_TRUE(trim.ok()) << trim.status();
  EXPECT_EQ(trim->trimmed, 0);
  EXPECT_EQ(StreamLength(), 0);
}

}  // namespace
}  // namespace chainhub
