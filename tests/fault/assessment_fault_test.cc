// Fault tests on the real chainhub-assessment binary, beside real chainhub-registry and
// chainhub-intake processes and a real redis-server: kill -9 while the facts are being consumed,
// restart on the same data dir, and the facts in force must be those a fresh backfill reads from
// intake and the registry; and two replicas on one PostgreSQL database make a schedule's final
// run exactly once, also when the lease holder dies.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/substitute.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/base/credit_code.h"
#include "common/cache/redis_client.h"
#include "common/events/outbox.h"
#include "common/store/store.h"
#include "services/assessment/periods.h"
#include "services/assessment/scheduler.h"
#include "tests/support/assessment_fixture.h"
#include "tests/support/events_util.h"
#include "tests/support/fault_stack.h"
#include "tests/support/intake_fixture.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/registry_fixture.h"
#include "tests/support/service_process.h"
#include "tests/support/temp_dir.h"

namespace chainhub::testing {
namespace {

namespace av1 = assessment::v1;
namespace iv1 = intake::v1;
namespace rv1 = registry::v1;

constexpr char kGroup[] = "assessment";
constexpr int64_t kYi = 100'000'000;

// --- The event stream ---------------------------------------------------------------------------

// A stream entry id (ms-seq) as a pair that orders as Redis orders entries.
std::pair<int64_t, int64_t> EntryOrder(const std::string& entry_id) {
  std::pair<int64_t, int64_t> order{0, 0};
  std::vector<std::string> parts = absl::StrSplit(entry_id, '-');
  if (parts.size() == 2) {
    (void)absl::SimpleAtoi(parts[0], &order.first);
    (void)absl::SimpleAtoi(parts[1], &order.second);
  }
  return order;
}

bool EntryAfter(const std::string& a, const std::string& b) {
  return EntryOrder(a) > EntryOrder(b);
}

std::string LastEntryId(RedisClient& redis) {
  auto reply = redis.Command({"XREVRANGE", std::string(kEventStream), "+", "-", "COUNT", "1"});
  if (!reply.ok() || reply->elements.empty() || reply->elements[0].elements.empty()) return "0-0";
  return reply->elements[0].elements[0].str;
}

int64_t StreamLength(RedisClient& redis) {
  auto reply = redis.Command({"XLEN", std::string(kEventStream)});
  return reply.ok() ? reply->integer : -1;
}

// (entry id, event id) of every entry, in stream order.
std::vector<std::pair<std::string, std::string>> StreamEvents(RedisClient& redis) {
  std::vector<std::pair<std::string, std::string>> out;
  auto reply = redis.Command({"XRANGE", std::string(kEventStream), "-", "+"});
  if (!reply.ok()) return out;
  for (const auto& entry : reply->elements) {
    if (entry.elements.size() != 2) continue;
    const auto& fields = entry.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      if (fields[i].str == "id") out.emplace_back(entry.elements[0].str, fields[i + 1].str);
    }
  }
  return out;
}

// A consumer group as XINFO GROUPS shows it.
struct GroupState {
  bool found = false;
  int64_t pending = 0;
  std::string last_delivered = "0-0";
};

GroupState ReadGroup(RedisClient& redis, const std::string& group) {
  GroupState state;
  auto reply = redis.Command({"XINFO", "GROUPS", std::string(kEventStream)});
  if (!reply.ok() || reply->type != RedisReply::Type::kArray) return state;
  for (const auto& g : reply->elements) {
    std::map<std::string, const RedisReply*> field;
    for (size_t i = 0; i + 1 < g.elements.size(); i += 2)
      field[g.elements[i].str] = &g.elements[i + 1];
    if (!field.contains("name") || field["name"]->str != group) continue;
    state.found = true;
    if (field.contains("pending")) state.pending = field["pending"]->integer;
    if (field.contains("last-delivered-id")) state.last_delivered = field["last-delivered-id"]->str;
  }
  return state;
}

// Every entry on the stream delivered to `group` and acknowledged.
bool CaughtUp(RedisClient& redis, const std::string& group) {
  const GroupState g = ReadGroup(redis, group);
  return g.found && g.pending == 0 && !EntryAfter(LastEntryId(redis), g.last_delivered);
}

// Waits until nothing was added to the stream for a second (the services' relays have published
// what they committed) and `group` has consumed it all.
bool WaitForStreamToSettle(RedisClient& redis, const std::string& group) {
  int64_t length = -1;
  absl::Time since = absl::Now();
  return Eventually(
      [&] {
        const int64_t now = StreamLength(redis);
        if (now != length) {
          length = now;
          since = absl::Now();
          return false;
        }
        return absl::Now() - since >= absl::Seconds(1) && CaughtUp(redis, group);
      },
      absl::Seconds(40));
}

// Whether every thread of process `pid` is stopped (state T in /proc/PID/task/TID/stat).
bool Stopped(pid_t pid) {
  std::error_code error;
  int threads = 0;
  for (const auto& task :
       std::filesystem::directory_iterator(absl::StrCat("/proc/", pid, "/task"), error)) {
    std::string stat;
    std::getline(std::ifstream(task.path() / "stat"), stat);
    // "TID (COMMAND) STATE ...": the command may hold spaces and parentheses.
    const size_t end = stat.rfind(") ");
    if (end == std::string::npos || end + 2 >= stat.size() || stat[end + 2] != 'T') return false;
    ++threads;
  }
  return !error && threads > 0;
}

// --- The facts in a stopped instance's SQLite file ----------------------------------------------

// A fact table; a child table's rows belong to the version of `parent` with the same `key` and
// recorded_us.
struct FactTable {
  const char* name;
  const char* parent = nullptr;
  const char* key = nullptr;
};

// Every table of migrations/0001_facts.sql that holds facts.
const std::vector<FactTable>& FactTables() {
  static const auto* tables = new std::vector<FactTable>{
      {"fact_projects"},
      {"fact_progress_reports"},
      {"fact_work_items"},
      {"fact_enterprises"},
      {"fact_chains"},
      {"fact_enterprise_chains", "fact_enterprises", "credit_code"},
      {"fact_chain_counties", "fact_chains", "chain_id"},
  };
  return *tables;
}

// The store of a stopped assessment instance (the SQLite file in its data dir), read through the
// Store API.
class FactsFile {
 public:
  explicit FactsFile(const std::string& data_dir) {
    auto store = OpenStore("assessment", data_dir, "");
    EXPECT_TRUE(store.ok()) << data_dir << ": " << store.status();
    if (store.ok()) store_ = *std::move(store);
  }

  // Each row of `sql`, whose columns must all be text, as its columns joined by ", ".
  std::multiset<std::string> Rows(const std::string& sql) {
    std::multiset<std::string> rows;
    if (store_ == nullptr) return rows;
    absl::Status s = store_->Read([&](SqlTx& tx) -> absl::Status {
      auto result = tx.Query(sql);
      if (!result.ok()) return result.status();
      for (const SqlRow& row : *result) {
        std::vector<std::string> cells;
        for (size_t i = 0; i < row.size(); ++i) cells.push_back(row.Text(i));
        rows.insert(absl::StrJoin(cells, ", "));
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << sql << ": " << s;
    return rows;
  }

  // The single text value of a one-row, one-column query ("" when there is none).
  std::string Value(const std::string& sql) {
    std::multiset<std::string> rows = Rows(sql);
    return rows.size() == 1 ? *rows.begin() : "";
  }

  // The tables whose names start with fact_.
  std::set<std::string> FactTableNames() {
    std::multiset<std::string> names = Rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'fact\\_%' ESCAPE '\\'");
    return {names.begin(), names.end()};
  }

  // The versions in force now of a table that are not deletions: every column but the two
  // times (recorded_us, superseded_us), which depend on when a version arrived, not what it says,
  // each as "column=value".
  std::multiset<std::string> InForce(const FactTable& table) {
    const std::string now = absl::StrCat(absl::ToUnixMicros(absl::Now()));
    std::vector<std::string> columns;
    for (const std::string& column :
         Rows(absl::StrCat("SELECT name FROM pragma_table_info('", table.name, "')"))) {
      if (column != "recorded_us" && column != "superseded_us") {
        columns.push_back(absl::Substitute("'$0=' || t.$0", column));
      }
    }
    const std::string select =
        absl::StrCat("SELECT ", absl::StrJoin(columns, ", "), " FROM ", table.name, " t");
    const std::string version = table.parent == nullptr ? "t" : "v";
    const std::string in_force = absl::Substitute(
        " WHERE $0.deleted = 0 AND $0.recorded_us <= $1 AND $0.superseded_us > $1", version, now);
    if (table.parent == nullptr) return Rows(select + in_force);
    return Rows(absl::Substitute("$0 JOIN $1 v ON v.$2 = t.$2 AND v.recorded_us = t.recorded_us$3",
                                 select, table.parent, table.key, in_force));
  }

 private:
  std::unique_ptr<Store> store_;
};

// The rows of `a` that `b` lacks, at most 10, for a failure message.
std::string Missing(const std::multiset<std::string>& a, const std::multiset<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& row : a) {
    if (out.size() == 10) break;
    if (a.count(row) != b.count(row)) out.push_back(row);
  }
  return absl::StrJoin(out, "\n  ");
}

// --- The fixture ---------------------------------------------------------------------------------

// What the history made, as the facts in force should count it.
struct History {
  std::atomic<int> projects{0};          // created and not deleted
  std::atomic<int> progress_reports{0};  // of projects not deleted
  std::atomic<int> work_items{0};        // of projects not deleted
  std::atomic<int> enterprises{0};
};

// redis, a registry and an intake process, each on its own data dir in one temp dir; departments
// fgw, chains pv and nev-battery (with host counties) and a node cells on each.
class AssessmentFault : public FaultStackTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(FaultStackTest::SetUp());

    rv1::CreateDepartmentRequest dept;
    dept.set_department_id("fgw");
    dept.mutable_department()->set_display_name("市发展和改革委员会");
    grpc::Status s = Registry().Status(&RegistryStub::CreateDepartment, dept);
    ASSERT_TRUE(s.ok()) << s.error_message();
    for (const auto& [id, name, counties] :
         {std::tuple{"pv", "光伏", std::vector<std::string>{"来安县", "定远县"}},
          std::tuple{"nev-battery", "新能源电池", std::vector<std::string>{"定远县"}}}) {
      rv1::CreateChainRequest chain;
      chain.set_chain_id(id);
      chain.mutable_chain()->set_display_name(name);
      chain.mutable_chain()->set_status(rv1::CHAIN_STATUS_ACTIVE);
      chain.mutable_chain()->set_lead_department(IntakeFixture::kDeptFgw);
      for (const auto& county : counties) chain.mutable_chain()->add_host_counties(county);
      s = Registry().Status(&RegistryStub::CreateChain, chain);
      ASSERT_TRUE(s.ok()) << id << ": " << s.error_message();
      rv1::CreateNodeRequest node;
      node.set_parent(absl::StrCat("chains/", id));
      node.set_node_id("cells");
      node.mutable_node()->set_display_name("电池片");
      node.mutable_node()->set_segment(rv1::SEGMENT_MIDSTREAM);
      s = Registry().Status(&RegistryStub::CreateNode, node);
      ASSERT_TRUE(s.ok()) << id << "/cells: " << s.error_message();
    }

    ASSERT_NO_FATAL_FAILURE(StartIntake());
    // Intake validates projects against its copy of the registry: wait until it has the chains.
    ASSERT_TRUE(WaitForStreamToSettle(*redis_, "intake"));
  }

  void TearDown() override {
    if (intake_ != nullptr) intake_->Terminate();
    if (registry_ != nullptr) registry_->Terminate();
  }

  // A chainhub-assessment process (not started) on its own data dir, scheduling every 200 ms.
  std::unique_ptr<ServiceProcess> Assessment(const std::string& name,
                                             const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = common_;
    args.push_back("--intake_target=" + intake_->address());
    args.push_back("--registry_target=" + registry_->address());
    args.push_back("--schedule_interval=200ms");
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<ServiceProcess>(dir_, name, "services/assessment/chainhub-assessment",
                                            args);
  }

  RegistryCaller Registry() { return RegistryCaller(*registry_stub_, token_); }
  IntakeCaller Intake() { return IntakeCaller(*intake_stub_, token_); }

  // Project n's history: created on pv or nev-battery and signed; every second one registered
  // and started; every third reports two months; every fifth gets an issue, every tenth resolved;
  // every seventh is updated; every thirtieth deleted again (with its reports and issue); every
  // fifteenth brings an enterprise on its chain.
  void MakeProjectHistory(int n, History* history) {
    const IntakeCaller as = Intake();
    const std::string chain = n % 2 == 0 ? "pv" : "nev-battery";
    iv1::Project p = MakeProject(absl::StrCat("故障考核项目", n), chain, (n % 9 + 1) * kYi);
    p.set_county(n % 3 == 0 ? "定远县" : "来安县");
    p = CreateProject(as, p);
    if (p.name().empty()) return;
    const bool deleted = n % 30 == 0;
    if (!deleted) ++history->projects;
    if (n % 7 == 0) {
      iv1::UpdateProjectRequest update;
      *update.mutable_project() = p;
      update.mutable_project()->set_total_investment_yuan(p.total_investment_yuan() + kYi);
      update.mutable_update_mask()->add_paths("total_investment_yuan");
      grpc::Status s = as.Status(&IntakeStub::UpdateProject, update);
      EXPECT_TRUE(s.ok()) << p.name() << ": " << s.error_message();
    }
    const int day = n % 28 + 1;
    auto move = [&](iv1::Stage stage, int month) {
      grpc::Status s =
          Transition(as, p.name(), stage, absl::StrFormat("2026-%02d-%02d", month, day));
      EXPECT_TRUE(s.ok()) << p.name() << " to " << iv1::Stage_Name(stage) << ": "
                          << s.error_message();
    };
    move(iv1::STAGE_SIGNED, 7);
    if (n % 2 == 0) {
      move(iv1::STAGE_REGISTERED, 8);
      move(iv1::STAGE_STARTED, 9);
    }
    if (n % 3 == 0) {
      for (const auto& [month, completed] : {std::pair{"2026-09", 1}, std::pair{"2026-10", 3}}) {
        grpc::Status s = Report(as, p.name(), month, completed * (n + 1) * 100'000,
                                completed * (n + 1) * 50'000);
        EXPECT_TRUE(s.ok()) << p.name() << " " << month << ": " << s.error_message();
        if (s.ok() && !deleted) ++history->progress_reports;
      }
    }
    if (n % 5 == 0) {
      iv1::CreateWorkItemRequest issue;
      issue.mutable_work_item()->set_kind(iv1::WORK_ITEM_KIND_ISSUE);
      issue.mutable_work_item()->set_title(absl::StrCat("用地指标", n));
      issue.mutable_work_item()->set_subject(p.name());
      issue.mutable_work_item()->set_owner_department(IntakeFixture::kDeptFgw);
      issue.mutable_work_item()->set_deadline("2026-11-30");
      iv1::WorkItem item;
      grpc::Status s = as(&IntakeStub::CreateWorkItem, issue, &item);
      EXPECT_TRUE(s.ok()) << p.name() << " issue: " << s.error_message();
      if (s.ok() && !deleted) ++history->work_items;
      if (s.ok() && n % 10 == 0) {
        iv1::TransitionWorkItemRequest resolve;
        resolve.set_name(item.name());
        resolve.set_to_status(iv1::WORK_ITEM_STATUS_RESOLVED);
        resolve.set_note("已协调");
        resolve.set_effective_date("2026-12-01");
        s = as.Status(&IntakeStub::TransitionWorkItem, resolve);
        EXPECT_TRUE(s.ok()) << item.name() << ": " << s.error_message();
      }
    }
    if (deleted) {
      iv1::DeleteProjectRequest del;
      del.set_name(p.name());
      grpc::Status s = as.Status(&IntakeStub::DeleteProject, del);
      EXPECT_TRUE(s.ok()) << p.name() << ": " << s.error_message();
    }
    if (n % 15 == 0) {
      const std::string first17 = absl::StrFormat("91341100MA2N%05d", n);
      rv1::CreateEnterpriseRequest req;
      rv1::Enterprise* e = req.mutable_enterprise();
      e->set_credit_code(first17 + *CreditCodeCheckChar(first17));
      e->set_display_name(absl::StrCat("滁州故障考核科技", n, "有限公司"));
      e->set_county(n % 2 == 0 ? "来安县" : "定远县");
      e->add_labels(rv1::ENTERPRISE_LABEL_ABOVE_SIZE);
      e->set_annual_output_yuan((n + 1) * kYi);
      e->add_memberships(absl::StrCat("chains/", chain, "/nodes/cells"));
      grpc::Status s = Registry().Status(&RegistryStub::CreateEnterprise, req);
      EXPECT_TRUE(s.ok()) << first17 << ": " << s.error_message();
      if (s.ok()) ++history->enterprises;
    }
  }

};

TEST_F(AssessmentFault, KillNineDuringConsumptionThenFactsEqualAFreshBackfill) {
  constexpr int kProjects = 200;
  // The history pauses here until assessment is dead, so events arrive after the kill too.
  constexpr int kGate = kProjects / 2;
  auto consumed = Assessment("assessment-consumed");
  ASSERT_NO_FATAL_FAILURE(consumed->Start());  // backfills the chains, then consumes
  const std::string started_at = LastEntryId(*redis_);
  const int64_t length_at_start = StreamLength(*redis_);

  History history;
  std::atomic<bool> killed{false};
  std::thread producer([&] {
    for (int n = 0; n < kProjects; ++n) {
      if (n == kGate) {
        while (!killed) absl::SleepFor(absl::Milliseconds(5));
      }
      MakeProjectHistory(n, &history);
      if (n == kProjects * 3 / 4) {
        rv1::UpdateChainRequest rename;
        rename.mutable_chain()->set_name("chains/pv");
        rename.mutable_chain()->set_display_name("光伏产业链");
        rename.mutable_update_mask()->add_paths("display_name");
        grpc::Status s = Registry().Status(&RegistryStub::UpdateChain, rename);
        EXPECT_TRUE(s.ok()) << s.error_message();
      }
    }
  });
  absl::Cleanup join_producer = [&] {
    killed = true;
    if (producer.joinable()) producer.join();
  };
  // Kill -9 once assessment consumed part of the burst while more is waiting, at a moment its
  // group holds entries delivered and not acknowledged: the process is frozen (SIGSTOP) when such
  // entries are seen, and killed if they are still pending then (else it goes on and we look
  // again). Failing that, it is killed while entries are not yet delivered.
  auto mid_burst = [&](bool need_pending) {
    const GroupState g = ReadGroup(*redis_, kGroup);
    if (!EntryAfter(g.last_delivered, started_at)) return false;
    if (StreamLength(*redis_) < length_at_start + 60) return false;
    return g.pending > 0 || (!need_pending && EntryAfter(LastEntryId(*redis_), g.last_delivered));
  };
  const bool frozen_unacknowledged = Eventually(
      [&] {
        if (!mid_burst(true)) return false;
        kill(consumed->pid(), SIGSTOP);
        // Once every thread is stopped, an acknowledgement it sent just before has had time to
        // reach Redis.
        if (!Eventually([&] { return Stopped(consumed->pid()); }, absl::Seconds(2))) return false;
        absl::SleepFor(absl::Milliseconds(50));
        if (ReadGroup(*redis_, kGroup).pending > 0) return true;
        kill(consumed->pid(), SIGCONT);
        return false;
      },
      absl::Seconds(10));
  ASSERT_TRUE(frozen_unacknowledged ||
              Eventually([&] { return mid_burst(false); }, absl::Seconds(20)))
      << "assessment never was in the middle of the burst";
  ASSERT_NO_FATAL_FAILURE(consumed->Kill9());
  const std::string killed_at = LastEntryId(*redis_);
  const GroupState at_kill = ReadGroup(*redis_, kGroup);
  killed = true;
  EXPECT_TRUE(!frozen_unacknowledged || at_kill.pending > 0);
  std::cout << "killed assessment with " << at_kill.pending
            << " entries delivered and not acknowledged, last delivered " << at_kill.last_delivered
            << " of " << killed_at << std::endl;

  // Restarted on the same data dir under the same consumer name, it takes back its pending
  // entries and consumes the rest while the history goes on.
  ASSERT_NO_FATAL_FAILURE(consumed->Start());
  producer.join();
  ASSERT_TRUE(WaitForStreamToSettle(*redis_, kGroup))
      << "the restarted assessment did not consume the stream";
  ASSERT_NO_FATAL_FAILURE(consumed->Terminate());

  // A second instance on a fresh data dir backfills from intake and the registry. It joins the
  // same group, but nothing is published any more, so its facts are the backfill's alone.
  auto fresh = Assessment("assessment-fresh");
  ASSERT_NO_FATAL_FAILURE(fresh->Start());
  ASSERT_NO_FATAL_FAILURE(fresh->Terminate());
  ASSERT_TRUE(CaughtUp(*redis_, kGroup));

  FactsFile kept(consumed->data_dir());
  FactsFile backfilled(fresh->data_dir());
  EXPECT_EQ(backfilled.Value("SELECT CAST(COUNT(*) AS TEXT) FROM inbox"), "0")
      << "the fresh instance applied events: its facts are not the backfill's alone";

  // The restarted instance handled every event after its backfill's position exactly once, those
  // published before the kill and those after it.
  const std::string backfill_position =
      kept.Value("SELECT value FROM facts_state WHERE name = 'backfill_stream_id'");
  std::set<std::string> before_kill, after_kill;
  for (const auto& [entry, event] : StreamEvents(*redis_)) {
    if (!EntryAfter(entry, backfill_position)) continue;
    (EntryAfter(entry, killed_at) ? after_kill : before_kill).insert(event);
  }
  EXPECT_GT(before_kill.size(), 60u);
  EXPECT_GT(after_kill.size(), 60u);
  const std::multiset<std::string> handled =
      kept.Rows(absl::StrCat("SELECT event_id FROM inbox WHERE consumer_group = '", kGroup, "'"));
  EXPECT_EQ(kept.Value(absl::StrCat("SELECT CAST(COUNT(*) AS TEXT) FROM inbox WHERE consumer_group "
                                    "= '",
                                    kGroup, "' AND outcome != 'applied'")),
            "0")
      << "events skipped";
  EXPECT_EQ(handled.size(), before_kill.size() + after_kill.size());
  for (const auto* events : {&before_kill, &after_kill}) {
    for (const std::string& event : *events) {
      EXPECT_EQ(handled.count(event), 1u) << "event " << event;
    }
  }

  // Every fact table is compared, and the facts in force are the history's, then the same.
  std::set<std::string> compared;
  for (const FactTable& table : FactTables()) compared.insert(table.name);
  const std::map<std::string, int> expected = {
      {"fact_projects", history.projects.load()},
      {"fact_progress_reports", history.progress_reports.load()},
      {"fact_work_items", history.work_items.load()},
      {"fact_enterprises", history.enterprises.load()},
      {"fact_chains", 2}};
  for (FactsFile* file : {&kept, &backfilled}) {
    EXPECT_EQ(file->FactTableNames(), compared);
    for (const auto& [table, count] : expected) {
      EXPECT_EQ(file->InForce({table.c_str()}).size(), static_cast<size_t>(count)) << table;
    }
  }
  EXPECT_EQ(kept.Value("SELECT display_name FROM fact_chains WHERE chain_id = 'pv' ORDER BY "
                       "recorded_us DESC LIMIT 1"),
            "光伏产业链");
  for (const FactTable& table : FactTables()) {
    const std::multiset<std::string> a = kept.InForce(table);
    const std::multiset<std::string> b = backfilled.InForce(table);
    EXPECT_FALSE(a.empty()) << table.name;
    EXPECT_TRUE(a == b) << table.name << ": " << a.size() << " rows consumed, " << b.size()
                        << " backfilled\n consumed only:\n  " << Missing(a, b)
                        << "\n backfilled only:\n  " << Missing(b, a);
  }
}

// Final runs of `scheme` that a schedule made, newest first.
std::vector<av1::Run> ScheduledRuns(const AssessmentCaller& as, const std::string& scheme) {
  av1::ListRunsRequest req;
  req.set_scheme(scheme);
  req.set_trigger(av1::RUN_TRIGGER_SCHEDULED);
  req.set_summary_only(true);
  req.set_page_size(100);
  av1::ListRunsResponse resp;
  grpc::Status s = as(&AssessmentStub::ListRuns, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return {resp.runs().begin(), resp.runs().end()};
}

// The schedule's last_period as `as` lists it ("-" when it is not listed).
std::string LastPeriod(const AssessmentCaller& as, const std::string& schedule) {
  av1::ListSchedulesResponse resp;
  grpc::Status s = as(&AssessmentStub::ListSchedules, av1::ListSchedulesRequest(), &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  for (const auto& sc : resp.schedules()) {
    if (sc.name() == schedule) return sc.last_period();
  }
  return "-";
}

// Whether the replica answers (GetFactsStatus).
bool Serving(const AssessmentCaller& as) {
  return as.Status(&AssessmentStub::GetFactsStatus, av1::GetFactsStatusRequest()).ok();
}

// A schedule's lease row in the shared database.
struct Lease {
  std::string holder;
  int64_t token = -1;
};

Lease ReadLease(Store& store, const std::string& name) {
  Lease lease;
  absl::Status s = store.Read([&](SqlTx& tx) -> absl::Status {
    auto row = tx.QueryOne("SELECT holder, token FROM leases WHERE name = $1", {name});
    if (!row.ok()) return row.status();
    lease.holder = row->Text(0);
    lease.token = row->Int(1);
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << name << ": " << s;
  return lease;
}

TEST_F(AssessmentFault, TwoReplicasOnPostgresRunAScheduleOnce) {
  auto server = PostgresServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto url = (*server)->CreateDatabase("assessment_replicas");
  ASSERT_TRUE(url.ok()) << url.status();
  // A signed project, so the run has something to count.
  iv1::Project project = CreateProject(Intake(), MakeProject("定时考核项目"));
  ASSERT_TRUE(Transition(Intake(), project.name(), iv1::STAGE_SIGNED, "2026-06-02").ok());

  // One after the other: the first migrates and backfills, the second finds both done.
  std::vector<std::unique_ptr<ServiceProcess>> replicas;
  replicas.push_back(Assessment("replica-a", {"--database_url=" + *url}));
  replicas.push_back(Assessment("replica-b", {"--database_url=" + *url}));
  std::vector<std::unique_ptr<AssessmentStub>> stubs;
  std::vector<AssessmentCaller> on;
  for (auto& replica : replicas) {
    ASSERT_NO_FATAL_FAILURE(replica->Start());
    stubs.push_back(av1::Assessment::NewStub(replica->channel()));
    on.emplace_back(*stubs.back(), token_);
    ASSERT_TRUE(Serving(on.back()));
  }

  // A monthly scheme (no targets needed), its schedule due the moment a month ends: last month's
  // final run is due now. Written through both replicas.
  av1::CreateIndicatorRequest indicator;
  av1::Indicator* i = indicator.mutable_indicator();
  i->set_name("indicators/signed");
  i->set_display_name("签约项目数");
  i->set_unit("个");
  i->mutable_measure()->set_entity(av1::MEASURE_ENTITY_PROJECTS);
  i->mutable_measure()->set_aggregate(av1::AGGREGATE_COUNT);
  i->mutable_measure()->mutable_projects()->set_reached_in_period(iv1::STAGE_SIGNED);
  grpc::Status s = on[0].Status(&AssessmentStub::CreateIndicator, indicator);
  ASSERT_TRUE(s.ok()) << s.error_message();
  av1::PutSchemeRequest scheme;
  av1::Scheme* sc = scheme.mutable_scheme();
  sc->set_name("schemes/monthly");
  sc->set_display_name("月度签约考核");
  sc->set_total_points(100);
  av1::SchemeItem* item = sc->add_items();
  item->set_key("signed");
  item->set_indicator("indicators/signed");
  item->set_points(100);
  item->mutable_per_unit()->set_points_per_unit(50);
  sc->mutable_grading()->mutable_thresholds()->set_excellent(90);
  sc->mutable_grading()->mutable_thresholds()->set_good(75);
  sc->mutable_grading()->mutable_thresholds()->set_pass(60);
  s = on[1].Status(&AssessmentStub::PutScheme, scheme);
  ASSERT_TRUE(s.ok()) << s.error_message();
  av1::PutScheduleRequest schedule;
  schedule.mutable_schedule()->set_name("schedules/monthly");
  schedule.mutable_schedule()->set_scheme("schemes/monthly");
  schedule.mutable_schedule()->set_cadence(av1::CADENCE_MONTHLY);
  schedule.mutable_schedule()->set_days_after_period_end(0);
  schedule.mutable_schedule()->set_time_of_day("00:00");
  const std::string period =
      assessment::PeriodOf(av1::CADENCE_MONTHLY, assessment::ChinaDay(absl::Now()))
          .Previous()
          .String();
  ASSERT_LE(assessment::DueTime(schedule.schedule(), *assessment::Period::Parse("p", period)),
            absl::Now());
  s = on[0].Status(&AssessmentStub::PutSchedule, schedule);
  ASSERT_TRUE(s.ok()) << s.error_message();

  ASSERT_TRUE(Eventually([&] { return !ScheduledRuns(on[1], "schemes/monthly").empty(); },
                         absl::Seconds(20)))
      << "no scheduled run was made";
  // Both replicas look every 200 ms; give them many more looks.
  absl::SleepFor(absl::Seconds(2));
  std::vector<av1::Run> runs = ScheduledRuns(on[0], "schemes/monthly");
  ASSERT_EQ(runs.size(), 1u);
  const av1::Run run = runs[0];
  EXPECT_EQ(run.period(), period);
  EXPECT_EQ(run.kind(), av1::RUN_KIND_FINAL);
  EXPECT_TRUE(run.published());
  EXPECT_EQ(ScheduledRuns(on[1], "schemes/monthly").size(), 1u);
  EXPECT_EQ(LastPeriod(on[1], "schedules/monthly"), period);
  for (const AssessmentCaller& replica : on) EXPECT_TRUE(Serving(replica)) << "a replica died";

  // The lease holder is one of the two (host:pid).
  auto store = OpenStore("assessment", "", *url);
  ASSERT_TRUE(store.ok()) << store.status();
  const std::string lease_name = "schedule:monthly";
  const Lease held = ReadLease(**store, lease_name);
  int holder = -1;
  for (int r = 0; r < 2; ++r) {
    if (absl::EndsWith(held.holder, absl::StrCat(":", replicas[r]->pid()))) holder = r;
  }
  ASSERT_NE(holder, -1) << "lease held by " << held.holder;
  const int survivor = 1 - holder;

  // The holder dies with its lease in force; the schedule is put again (its last_period gone),
  // so last month is due once more. The survivor waits for the lease...
  ASSERT_NO_FATAL_FAILURE(replicas[holder]->Kill9());
  av1::DeleteScheduleRequest del;
  del.set_name("schedules/monthly");
  s = on[survivor].Status(&AssessmentStub::DeleteSchedule, del);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = on[survivor].Status(&AssessmentStub::PutSchedule, schedule);
  ASSERT_TRUE(s.ok()) << s.error_message();
  absl::SleepFor(absl::Seconds(1));
  EXPECT_EQ(LastPeriod(on[survivor], "schedules/monthly"), "")
      << "the survivor acted while the dead replica's lease was in force";
  // ...until it expires (its two minutes passed: aged here rather than waited for), then takes
  // it over with the next fencing token, and the run's request id returns the stored run.
  absl::Status aged = (*store)->Write([&](SqlTx& tx) {
    return tx.Exec("UPDATE leases SET expires_us = 0 WHERE name = $1", {lease_name}).status();
  });
  ASSERT_TRUE(aged.ok()) << aged;
  ASSERT_TRUE(Eventually([&] { return LastPeriod(on[survivor], "schedules/monthly") == period; },
                         absl::Seconds(10)))
      << "the survivor did not take the schedule over";
  const Lease taken = ReadLease(**store, lease_name);
  EXPECT_TRUE(absl::EndsWith(taken.holder, absl::StrCat(":", replicas[survivor]->pid())))
      << taken.holder;
  EXPECT_EQ(taken.token, held.token + 1);
  runs = ScheduledRuns(on[survivor], "schemes/monthly");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].name(), run.name());
  ASSERT_NO_FATAL_FAILURE(replicas[survivor]->Terminate());
}

}  // namespace
}  // namespace chainhub::testing
