// Fault tests on the real chainhub-intake binary, beside a real chainhub-registry and
// redis-server: kill -9 during a streamed ImportProjects and during the consumption of the
// registry's events, then restart on the same data dir. No acknowledged row may be lost, and no
// row, event or event effect may be applied twice.
#include <atomic>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "chainhub/intake/v1/intake.grpc.pb.h"
#include "chainhub/registry/v1/registry.grpc.pb.h"
#include "common/events/cloud_event.h"
#include "common/cache/redis_client.h"
#include "tests/support/subprocess.h"
#include "tests/support/fault_stack.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/sqlite_file.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {
namespace {

namespace iv1 = intake::v1;
namespace rv1 = registry::v1;

constexpr char kStream[] = "chainhub:events";
constexpr char kGroup[] = "intake";

// One entry of the event stream: its entry id and the decoded event.
struct StreamEntry {
  std::string entry_id;
  CloudEvent event;
};

std::vector<StreamEntry> ReadStream(RedisClient& redis) {
  std::vector<StreamEntry> out;
  auto reply = redis.Command({"XRANGE", kStream, "-", "+"});
  if (!reply.ok()) return out;
  for (const auto& entry : reply->elements) {
    if (entry.elements.size() < 2) continue;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str != "event") continue;
      StreamEntry e;
      e.entry_id = entry.elements[0].str;
      if (e.event.ParseFromString(fields[i + 1].str)) out.push_back(std::move(e));
    }
  }
  return out;
}

// The intake group as XINFO GROUPS reports it; found=false while the group does not exist.
struct GroupInfo {
  bool found = false;
  int64_t pending = 0;
  int64_t entries_read = 0;
  int64_t lag = -1;
};

GroupInfo ReadGroup(RedisClient& redis) {
  GroupInfo info;
  auto reply = redis.Command({"XINFO", "GROUPS", kStream});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray) return info;
  for (const auto& group : reply->elements) {
    std::map<std::string, const RedisReply*> fields;
    for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
      fields[group.elements[i].str] = &group.elements[i + 1];
    }
    if (!fields.contains("name") || fields["name"]->str != kGroup) continue;
    info.found = true;
    if (fields.contains("pending")) info.pending = fields["pending"]->integer;
    if (fields.contains("entries-read")) info.entries_read = fields["entries-read"]->integer;
    // nil while Redis cannot tell the lag.
    if (fields.contains("lag") && fields["lag"]->type == RedisReply::Type::kInteger) {
      info.lag = fields["lag"]->integer;
    }
  }
  return info;
}

// The group's pending entries: (entry id, consumer) in stream order.
std::vector<std::pair<std::string, std::string>> PendingEntries(RedisClient& redis) {
  std::vector<std::pair<std::string, std::string>> out;
  auto reply = redis.Command({"XPENDING", kStream, kGroup, "-", "+", "10000"});
  if (!reply.ok()) return out;
  for (const auto& e : reply->elements) {
    if (e.elements.size() >= 2) out.emplace_back(e.elements[0].str, e.elements[1].str);
  }
  return out;
}

// Polls `done` every 10 ms for up to `timeout`; whether it became true.
bool WaitUntil(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return done();
}

// Every entry on the stream delivered to the group and acknowledged.
bool GroupCaughtUp(RedisClient& redis) {
  const GroupInfo g = ReadGroup(redis);
  return g.found && g.lag == 0 && g.pending == 0;
}

iv1::Project ProjectRow(const std::string& external_id, int n, const std::string& chain,
                        const std::string& node = "") {
  iv1::Project p;
  p.set_display_name(absl::StrCat("故障测试项目", n));
  p.set_chain(chain);
  if (!node.empty()) p.set_node(node);
  p.set_county("琅琊区");
  p.mutable_investor()->set_name(absl::StrCat("滁州故障测试投资", n, "有限公司"));
  p.mutable_investor()->set_origin(iv1::INVESTOR_ORIGIN_IN_PROVINCE);
  p.set_source(iv1::PROJECT_SOURCE_INVESTMENT);
  p.set_total_investment_yuan(200'000'000 + n);
  p.set_responsible_department("departments/fgw");
  p.mutable_stage_dates()->set_negotiating("2026-01-05");
  if (!external_id.empty()) p.set_external_id(external_id);
  return p;
}

std::string ImportId(int n) { return absl::StrFormat("fault-import-%05d", n); }
std::string AckedId(int n) { return absl::StrFormat("fault-acked-%05d", n); }

// Imports `ids` (each a row on chains/pv) in one call.
grpc::Status Import(iv1::ProjectIntake::Stub& stub, const std::string& token,
                    const std::vector<std::string>& ids, iv1::ImportProjectsResponse* resp) {
  auto ctx = ContextWithToken(token);
  auto writer = stub.ImportProjects(ctx.get(), resp);
  iv1::ImportProjectsRequest header;
  header.mutable_header()->set_source("fault-test");
  if (!writer->Write(header)) return writer->Finish();
  for (size_t i = 0; i < ids.size(); ++i) {
    iv1::ImportProjectsRequest row;
    row.mutable_row()->set_row_number(static_cast<int>(i) + 1);
    *row.mutable_row()->mutable_project() = ProjectRow(ids[i], static_cast<int>(i), "chains/pv");
    if (!writer->Write(row)) break;
  }
  writer->WritesDone();
  return writer->Finish();
}

// total_size of ListProjects, or -1 when the call fails.
int CountProjects(iv1::ProjectIntake::Stub& stub, const std::string& token) {
  iv1::ListProjectsRequest req;
  req.set_page_size(1);
  iv1::ListProjectsResponse resp;
  auto ctx = ContextWithToken(token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  if (!stub.ListProjects(ctx.get(), req, &resp).ok()) return -1;
  return resp.total_size();
}

// Every project, paging through ListProjects; checks total_size on each page.
std::vector<iv1::Project> ListAll(iv1::ProjectIntake::Stub& stub, const std::string& token) {
  std::vector<iv1::Project> all;
  iv1::ListProjectsRequest req;
  req.set_page_size(1000);
  int total = -1;
  do {
    iv1::ListProjectsResponse resp;
    auto ctx = ContextWithToken(token);
    grpc::Status s = stub.ListProjects(ctx.get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    if (total >= 0) {
      EXPECT_EQ(resp.total_size(), total) << "total_size changed between pages";
    }
    total = resp.total_size();
    all.insert(all.end(), resp.projects().begin(), resp.projects().end());
    req.set_page_token(resp.next_page_token());
  } while (!req.page_token().empty());
  EXPECT_EQ(static_cast<int>(all.size()), total) << "pages do not add up to total_size";
  return all;
}

// project.created events on the stream, by subject, once every event of `projects` arrived (the
// outbox drains asynchronously, also after a restart).
std::map<std::string, int> WaitForCreatedEvents(RedisClient& redis,
                                                const std::vector<iv1::Project>& projects,
                                                std::map<std::string, int>* external_counts) {
  std::map<std::string, int> by_subject;
  WaitUntil(
      [&] {
        by_subject.clear();
        external_counts->clear();
        for (const auto& e : ReadStream(redis)) {
          if (e.event.type() != "project.created") continue;
          by_subject[StringAttribute(e.event, kSubjectAttribute)]++;
          iv1::Project project;
          EXPECT_TRUE(e.event.proto_data().UnpackTo(&project));
          (*external_counts)[project.external_id()]++;
        }
        for (const auto& p : projects) {
          if (!by_subject.contains(p.name())) return false;
        }
        return true;
      },
      absl::Seconds(20));
  return by_subject;
}

// Each event id on the stream exactly once; each listed project exactly one project.created
// event; and no project.created for a project that is not listed.
void ExpectEventsExactlyOnce(RedisClient& redis, const std::vector<iv1::Project>& projects) {
  std::map<std::string, int> external_counts;
  const std::map<std::string, int> by_subject =
      WaitForCreatedEvents(redis, projects, &external_counts);
  std::map<std::string, int> id_counts;
  for (const auto& e : ReadStream(redis)) id_counts[e.event.id()]++;
  for (const auto& [id, count] : id_counts) {
    EXPECT_EQ(count, 1) << "event " << id << " is on the stream " << count << " times";
  }
  std::set<std::string> listed;
  for (const auto& p : projects) {
    listed.insert(p.name());
    auto it = by_subject.find(p.name());
    EXPECT_EQ(it == by_subject.end() ? 0 : it->second, 1)
        << p.name() << " (" << p.external_id() << ") has no single project.created event";
    auto ext = external_counts.find(p.external_id());
    EXPECT_EQ(ext == external_counts.end() ? 0 : ext->second, 1)
        << "external_id " << p.external_id() << " was created a number of times other than once";
  }
  for (const auto& [subject, count] : by_subject) {
    EXPECT_TRUE(listed.contains(subject))
        << "project.created for " << subject << ", which ListProjects does not have";
  }
}

// redis, a registry and an intake on their own data dirs in one temp dir, an admin token, and
// departments/fgw in the registry.
class IntakeFault : public FaultStackTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FaultStackTest::SetUp());
    rv1::CreateDepartmentRequest req;
    req.set_department_id("fgw");
    req.mutable_department()->set_display_name("市发展和改革委员会");
    rv1::Department dept;
    auto ctx = ContextWithToken(token_);
    grpc::Status s = registry_stub_->CreateDepartment(ctx.get(), req, &dept);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  grpc::Status CreateChain(const std::string& id, const std::string& display_name) {
    rv1::CreateChainRequest req;
    req.set_chain_id(id);
    req.mutable_chain()->set_display_name(display_name);
    req.mutable_chain()->set_status(rv1::CHAIN_STATUS_ACTIVE);
    req.mutable_chain()->set_lead_department("departments/fgw");
    rv1::Chain chain;
    auto ctx = ContextWithToken(token_);
    return registry_stub_->CreateChain(ctx.get(), req, &chain);
  }

  grpc::Status CreateNode(const std::string& chain_id, const std::string& node_id) {
    rv1::CreateNodeRequest req;
    req.set_parent("chains/" + chain_id);
    req.set_node_id(node_id);
    req.mutable_node()->set_display_name(absl::StrCat("环节", node_id));
    req.mutable_node()->set_segment(rv1::SEGMENT_MIDSTREAM);
    rv1::Node node;
    auto ctx = ContextWithToken(token_);
    return registry_stub_->CreateNode(ctx.get(), req, &node);
  }

  grpc::Status RenameChain(const std::string& chain_id, const std::string& display_name) {
    rv1::UpdateChainRequest req;
    req.mutable_chain()->set_name("chains/" + chain_id);
    req.mutable_chain()->set_display_name(display_name);
    req.mutable_update_mask()->add_paths("display_name");
    rv1::Chain chain;
    auto ctx = ContextWithToken(token_);
    return registry_stub_->UpdateChain(ctx.get(), req, &chain);
  }

  grpc::Status CreateProject(const iv1::Project& project) {
    iv1::CreateProjectRequest req;
    *req.mutable_project() = project;
    iv1::Project resp;
    auto ctx = ContextWithToken(token_);
    return intake_stub_->CreateProject(ctx.get(), req, &resp);
  }

};

TEST_F(IntakeFault, KillNineDuringImportLosesNoAcknowledgedRowAndAppliesNoRowTwice) {
  ASSERT_TRUE(CreateChain("pv", "光伏").ok());
  ASSERT_NO_FATAL_FAILURE(StartIntake());
  constexpr int kRows = 3000;
  // The sender stops here until intake is dead, so the kill always lands inside the stream.
  constexpr int kGateRow = 2000;
  constexpr int kBatchRows = 250;  // as docs/intake.md documents
  std::vector<std::string> ids;
  for (int n = 0; n < kRows; ++n) ids.push_back(ImportId(n));

  std::atomic<bool> killed{false};
  std::atomic<int> sent{0};
  grpc::Status interrupted;
  std::thread sender([&] {
    iv1::ImportProjectsResponse resp;
    auto ctx = ContextWithToken(token_);
    auto writer = intake_stub_->ImportProjects(ctx.get(), &resp);
    iv1::ImportProjectsRequest header;
    header.mutable_header()->set_source("fault-test");
    writer->Write(header);
    for (int n = 0; n < kRows; ++n) {
      if (n == kGateRow) {
        while (!killed) absl::SleepFor(absl::Milliseconds(5));
      }
      iv1::ImportProjectsRequest row;
      row.mutable_row()->set_row_number(n + 1);
      *row.mutable_row()->mutable_project() = ProjectRow(ids[n], n, "chains/pv");
      if (!writer->Write(row)) break;
      sent = n + 1;
    }
    writer->WritesDone();
    interrupted = writer->Finish();
  });
  // Kill -9 once two batches are committed (visible on another connection), while the next
  // ones stream in.
  auto watcher = iv1::ProjectIntake::NewStub(
      grpc::CreateChannel(intake_->address(), grpc::InsecureChannelCredentials()));
  const bool committed_some = WaitUntil(
      [&] { return CountProjects(*watcher, token_) >= 2 * kBatchRows; }, absl::Seconds(20));
  ASSERT_NO_FATAL_FAILURE(intake_->Kill9());
  killed = true;
  sender.join();
  ASSERT_TRUE(committed_some) << "two import batches were not committed within 20 s";
  EXPECT_FALSE(interrupted.ok()) << "the import cannot have completed: the stream was still open";
  std::cout << "killed intake after " << sent.load() << " rows were sent" << std::endl;

  ASSERT_NO_FATAL_FAILURE(StartIntake());
  const int committed = CountProjects(*intake_stub_, token_);
  ASSERT_GT(committed, 0);
  ASSERT_LT(committed, kRows);
  EXPECT_EQ(committed % kBatchRows, 0) << "a batch was committed in part: " << committed;
  std::cout << committed << " rows were committed before the kill" << std::endl;

  // The department system retries the whole import: it succeeds, creating only what was lost.
  iv1::ImportProjectsResponse retry;
  grpc::Status s = Import(*intake_stub_, token_, ids, &retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.row_count(), kRows);
  EXPECT_EQ(retry.failed_count(), 0);
  EXPECT_EQ(retry.created_count(), kRows - committed);
  EXPECT_EQ(retry.unchanged_count(), committed);
  EXPECT_EQ(retry.updated_count(), 0);

  std::vector<iv1::Project> projects = ListAll(*intake_stub_, token_);
  std::map<std::string, int> by_external;
  for (const auto& p : projects) by_external[p.external_id()]++;
  EXPECT_EQ(static_cast<int>(projects.size()), kRows);
  for (const auto& id : ids) {
    EXPECT_EQ(by_external[id], 1) << "external_id " << id;
  }
  EXPECT_EQ(by_external.size(), ids.size()) << "a project that was never imported";
  ExpectEventsExactlyOnce(*redis_, projects);

  // An import acknowledged just before kill -9 is all there after the restart.
  constexpr int kAcked = 500;
  std::vector<std::string> acked_ids;
  for (int n = 0; n < kAcked; ++n) acked_ids.push_back(AckedId(n));
  iv1::ImportProjectsResponse acked;
  s = Import(*intake_stub_, token_, acked_ids, &acked);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(acked.created_count(), kAcked);
  ASSERT_NO_FATAL_FAILURE(intake_->Kill9());
  ASSERT_NO_FATAL_FAILURE(StartIntake());
  projects = ListAll(*intake_stub_, token_);
  by_external.clear();
  for (const auto& p : projects) by_external[p.external_id()]++;
  EXPECT_EQ(static_cast<int>(projects.size()), kRows + kAcked);
  for (const auto& id : acked_ids) {
    EXPECT_EQ(by_external[id], 1) << "acknowledged row " << id << " lost or doubled";
  }
  ExpectEventsExactlyOnce(*redis_, projects);
  ASSERT_NO_FATAL_FAILURE(intake_->Terminate());
  ASSERT_NO_FATAL_FAILURE(registry_->Terminate());
}

TEST_F(IntakeFault, KillNineDuringEventConsumptionAppliesEveryEventOnce) {
  constexpr int kChains = 40;
  constexpr int kNodesPerChain = 6;
  constexpr int kRenamed = 10;
  auto chain_id = [](int c) { return absl::StrFormat("fc%02d", c); };
  auto node_id = [](int n) { return absl::StrFormat("n%d", n); };
  std::map<std::string, std::string> final_names;
  auto create_chains = [&](int first, int last) {
    for (int c = first; c < last; ++c) {
      const std::string name = absl::StrCat("故障链", c);
      grpc::Status s = CreateChain(chain_id(c), name);
      EXPECT_TRUE(s.ok()) << chain_id(c) << ": " << s.error_message();
      final_names[chain_id(c)] = name;
      for (int n = 0; n < kNodesPerChain; ++n) {
        s = CreateNode(chain_id(c), node_id(n));
        EXPECT_TRUE(s.ok()) << chain_id(c) << "/" << node_id(n) << ": " << s.error_message();
      }
    }
  };

  // A backlog of registry events before intake first runs: it reads them in batches (128) and
  // acknowledges a batch after applying it, so a kill while entries are pending lands inside one.
  create_chains(0, kChains / 2);
  ASSERT_NO_FATAL_FAILURE(StartIntake());
  // Kill as soon as a batch is delivered and not yet acknowledged (or, on a machine fast enough
  // to apply the whole backlog between two polls, once it is all consumed).
  const bool delivered = WaitUntil(
      [&] {
        const GroupInfo g = ReadGroup(*redis_);
        return g.pending > 0 || (g.entries_read > 0 && g.lag == 0);
      },
      absl::Seconds(20));
  ASSERT_NO_FATAL_FAILURE(intake_->Kill9());
  ASSERT_TRUE(delivered) << "intake never read the registry's events";
  const GroupInfo at_kill = ReadGroup(*redis_);
  std::cout << "killed intake with " << at_kill.pending << " entries pending, "
            << at_kill.entries_read << " delivered" << std::endl;
  // Entries delivered to the dead process, still pending.
  std::set<std::string> dead_pending;
  for (const auto& [entry, consumer] : PendingEntries(*redis_)) dead_pending.insert(entry);

  // More registry changes while intake restarts: renames of chains whose chain.created may still
  // be pending (when the restarted process consumes under another name, it applies the newer
  // rename before it claims the older create), then the other half of the chains.
  ASSERT_NO_FATAL_FAILURE(StartIntake());
  for (int round = 1; round <= 2; ++round) {
    for (int c = 0; c < kRenamed; ++c) {
      const std::string name = absl::StrCat("故障链", c, "改名", round);
      grpc::Status s = RenameChain(chain_id(c), name);
      EXPECT_TRUE(s.ok()) << s.error_message();
      final_names[chain_id(c)] = name;
    }
  }
  create_chains(kChains / 2, kChains);
  // Everything new is consumed; of the dead process's entries, those the restarted intake does
  // not take back at once (a consumer under another name) stay pending.
  std::vector<std::pair<std::string, std::string>> left;
  ASSERT_TRUE(WaitUntil(
      [&] {
        if (ReadGroup(*redis_).lag != 0) return false;
        left = PendingEntries(*redis_);
        for (const auto& [entry, consumer] : left) {
          if (!dead_pending.contains(entry)) return false;
        }
        return true;
      },
      absl::Seconds(20)))
      << "intake did not consume the new events";
  std::cout << left.size() << " of the dead process's entries still pending after the restart"
            << std::endl;
  // A dead consumer's entries are claimed once idle for 30 s. Rather than sleep, age them (XCLAIM
  // to the same owner with IDLE) so the restarted intake's next claim pass takes them over.
  for (const auto& [entry, consumer] : left) {
    auto reply =
        redis_->Command({"XCLAIM", kStream, kGroup, consumer, "0", entry, "IDLE", "3600000"});
    ASSERT_TRUE(reply.ok()) << reply.status();
  }
  ASSERT_TRUE(WaitUntil([&] { return GroupCaughtUp(*redis_); }, absl::Seconds(20)))
      << "the dead process's pending entries were not taken over";

  // With the registry stopped, intake validates from its copy alone: a project on every chain
  // and node succeeds, and a name the copy lacks cannot be looked up.
  ASSERT_NO_FATAL_FAILURE(registry_->Terminate());
  int created = 0;
  for (int c = 0; c < kChains; ++c) {
    const std::string chain = "chains/" + chain_id(c);
    grpc::Status s = CreateProject(ProjectRow("", c, chain));
    EXPECT_TRUE(s.ok()) << chain << ": " << s.error_message();
    created += s.ok();
    for (int n = 0; n < kNodesPerChain; ++n) {
      const std::string node = absl::StrCat(chain, "/nodes/", node_id(n));
      s = CreateProject(ProjectRow("", c * 100 + n, chain, node));
      EXPECT_TRUE(s.ok()) << node << ": " << s.error_message();
      created += s.ok();
    }
  }
  grpc::Status unknown = CreateProject(ProjectRow("", 9999, "chains/fc00", "chains/fc00/nodes/zz"));
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAVAILABLE) << unknown.error_message();

  // Intake consumes its own project events too; wait for them, then stop it and read its file.
  ASSERT_TRUE(WaitUntil(
      [&] {
        int project_events = 0;
        for (const auto& e : ReadStream(*redis_)) {
          project_events += e.event.type() == "project.created";
        }
        return project_events == created && GroupCaughtUp(*redis_);
      },
      absl::Seconds(20)));
  ASSERT_NO_FATAL_FAILURE(intake_->Terminate());

  const std::vector<StreamEntry> stream = ReadStream(*redis_);
  std::set<std::string> stream_ids, registry_ids;
  for (const auto& e : stream) {
    stream_ids.insert(e.event.id());
    if (e.event.source() == "/chainhub/registry") registry_ids.insert(e.event.id());
  }
  EXPECT_EQ(stream_ids.size(), stream.size()) << "an event id is on the stream twice";
  SqliteFile db(intake_->data_dir() + "/intake.db");
  auto counts = db.Query(
      "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM inbox WHERE consumer_group = 'intake'").rows;
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0][0], counts[0][1]) << "an event has two inbox rows";
  EXPECT_EQ(counts[0][0], absl::StrCat(stream.size()));
  std::set<std::string> inbox_ids;
  for (const auto& row : db.Query("SELECT event_id, outcome FROM inbox WHERE consumer_group = "
                                  "'intake'")
                             .rows) {
    inbox_ids.insert(row[0]);
    EXPECT_EQ(row[1], "applied") << "event " << row[0];
  }
  for (const auto& id : registry_ids) {
    EXPECT_TRUE(inbox_ids.contains(id)) << "registry event " << id << " was never applied";
  }
  for (const auto& id : inbox_ids) {
    EXPECT_TRUE(stream_ids.contains(id)) << "inbox row for " << id << ", not on the stream";
  }
  // The copy matches the registry: every chain with its newest name, every node, nothing deleted.
  std::map<std::string, std::string> copied;
  for (const auto& row :
       db.Query("SELECT id, display_name FROM ref_chains WHERE deleted = 0").rows) {
    copied[row[0]] = row[1];
  }
  EXPECT_EQ(copied, final_names);
  auto nodes = db.Query("SELECT COUNT(*) FROM ref_nodes WHERE deleted = 0").rows;
  EXPECT_EQ(nodes[0][0], absl::StrCat(kChains * kNodesPerChain));
}

}  // namespace
}  // namespace chainhub::testing
