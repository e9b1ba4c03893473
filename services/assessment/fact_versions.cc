#include "services/assessment/fact_versions.h"

#include <openssl/sha.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "common/base/status_util.h"

namespace chainhub::assessment {
namespace {

enum class ColumnType { kText, kInt };

struct Column {
  const char* name;
  ColumnType type;
};

// A kind of fact record: its table, key and content columns, and optionally a child table of
// values that belong to each version (a one-column key only).
struct FactTable {
  const char* table;
  std::vector<const char*> key;
  std::vector<Column> content;
  const char* child_table = nullptr;
  const char* child_column = nullptr;
};

// One version of a record, as put.
struct FactVersion {
  std::vector<SqlValue> key;
  int64_t recorded_us = 0;
  bool deleted = false;
  std::vector<SqlValue> content;
  std::set<std::string> children;
};

constexpr ColumnType kText = ColumnType::kText;
constexpr ColumnType kInt = ColumnType::kInt;

const FactTable& Projects() {
  static const FactTable* t = new FactTable{
      "fact_projects",
      {"id"},
      {{"display_name", kText},     {"chain_id", kText},           {"node_id", kText},
       {"county", kText},           {"stage", kInt},               {"negotiating_date", kText},
       {"signed_date", kText},      {"registered_date", kText},    {"started_date", kText},
       {"in_production_date", kText}, {"full_output_date", kText}, {"total_yuan", kInt},
       {"fixed_asset_yuan", kInt},  {"source", kInt},              {"investor_origin", kInt},
       {"fortune500", kInt},        {"provincial_key", kInt},      {"light", kInt},
       {"create_date", kText}}};
  return *t;
}
// Positions in Projects().content that a stage change touches.
constexpr size_t kProjectStage = 4;
constexpr size_t kProjectFirstStageDate = 5;  // negotiating_date; then signed … full_output

const FactTable& ProgressReports() {
  static const FactTable* t =
      new FactTable{"fact_progress_reports",
                    {"project_id", "month"},
                    {{"completed_yuan", kInt}, {"funds_arrived_yuan", kInt}}};
  return *t;
}

const FactTable& WorkItems() {
  static const FactTable* t = new FactTable{"fact_work_items",
                                            {"name"},
                                            {{"kind", kInt},
                                             {"title", kText},
                                             {"chain_id", kText},
                                             {"subject", kText},
                                             {"subject_project", kText},
                                             {"deadline", kText},
                                             {"status", kInt},
                                             {"resolved_date", kText},
                                             {"create_date", kText}}};
  return *t;
}

const FactTable& Enterprises() {
  static const FactTable* t = new FactTable{"fact_enterprises",
                                            {"credit_code"},
                                            {{"display_name", kText},
                                             {"county", kText},
                                             {"labels", kInt},
                                             {"annual_output_yuan", kInt}},
                                            "fact_enterprise_chains",
                                            "chain_id"};
  return *t;
}

const FactTable& Chains() {
  static const FactTable* t =
      new FactTable{"fact_chains",       {"chain_id"},
                    {{"display_name", kText}, {"status", kInt}},
                    "fact_chain_counties", "county"};
  return *t;
}

// 64 bits of SHA-256 over the record's table, key, deletion and content (not its time), split
// into two non-negative halves so that sums over many versions never overflow.
std::pair<int64_t, int64_t> HashOf(const FactTable& table, const FactVersion& v) {
  std::string bytes = absl::StrCat(table.table, "\x1f", v.deleted ? "D" : "L");
  auto append = [&bytes](const SqlValue& value) {
    if (const auto* s = std::get_if<std::string>(&value)) {
      absl::StrAppend(&bytes, "\x1fs", s->size(), ":", *s);
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
      absl::StrAppend(&bytes, "\x1fi", *i);
    } else {
      absl::StrAppend(&bytes, "\x1fn");
    }
  };
  for (const SqlValue& k : v.key) append(k);
  for (const SqlValue& c : v.content) append(c);
  for (const std::string& child : v.children) append(child);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  auto half = [&digest](int at) {
    int64_t h = 0;
    for (int i = at; i < at + 4; ++i) h = (h << 8) | digest[i];
    return h;
  };
  return {half(0), half(4)};
}

std::string KeyWhere(const FactTable& table, size_t first_param) {
  std::vector<std::string> terms;
  for (size_t i = 0; i < table.key.size(); ++i) {
    terms.push_back(absl::StrCat(table.key[i], " = $", first_param + i));
  }
  return absl::StrJoin(terms, " AND ");
}

std::vector<SqlValue> With(std::vector<SqlValue> key, std::initializer_list<SqlValue> more) {
  key.insert(key.end(), more.begin(), more.end());
  return key;
}

struct StoredVersion {
  int64_t recorded_us = 0;
  int64_t superseded_us = 0;
  std::pair<int64_t, int64_t> hash;
};

// The version of the record with the greatest recorded_us satisfying `op` ("<=", "<") against
// `us`, or with the least recorded_us when `op` is ">".
absl::StatusOr<std::optional<StoredVersion>> Neighbour(SqlTx& tx, const FactTable& table,
                                                       const std::vector<SqlValue>& key,
                                                       absl::string_view op, int64_t us) {
  const bool after = op == ">";
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(absl::StrCat("SELECT recorded_us, superseded_us, hash_hi, hash_lo FROM ",
                            table.table, " WHERE ", KeyWhere(table, 1), " AND recorded_us ", op,
                            " $", key.size() + 1, " ORDER BY recorded_us ",
                            after ? "ASC" : "DESC", " LIMIT 1"),
               With(key, {us})));
  if (rows.empty()) return std::nullopt;
  return StoredVersion{rows[0].Int(0), rows[0].Int(1), {rows[0].Int(2), rows[0].Int(3)}};
}

absl::Status SetSuperseded(SqlTx& tx, const FactTable& table, const std::vector<SqlValue>& key,
                           int64_t recorded_us, int64_t superseded_us) {
  return tx
      .Exec(absl::StrCat("UPDATE ", table.table, " SET superseded_us = $", key.size() + 2,
                         " WHERE ", KeyWhere(table, 1), " AND recorded_us = $", key.size() + 1),
            With(key, {recorded_us, superseded_us}))
      .status();
}

absl::Status RemoveVersion(SqlTx& tx, const FactTable& table, const std::vector<SqlValue>& key,
                           int64_t recorded_us) {
  const std::string where =
      absl::StrCat(KeyWhere(table, 1), " AND recorded_us = $", key.size() + 1);
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec(absl::StrCat("DELETE FROM ", table.table, " WHERE ", where), With(key, {recorded_us}))
          .status());
  if (table.child_table == nullptr) return absl::OkStatus();
  return tx
      .Exec(absl::StrCat("DELETE FROM ", table.child_table, " WHERE ", where),
            With(key, {recorded_us}))
      .status();
}

absl::Status InsertVersion(SqlTx& tx, const FactTable& table, const FactVersion& v,
                           int64_t superseded_us, std::pair<int64_t, int64_t> hash) {
  std::vector<std::string> columns(table.key.begin(), table.key.end());
  for (const char* c : {"recorded_us", "superseded_us", "deleted", "hash_hi", "hash_lo"}) {
    columns.push_back(c);
  }
  for (const Column& c : table.content) columns.push_back(c.name);
  std::vector<SqlValue> params = v.key;
  params.insert(params.end(), {v.recorded_us, superseded_us, int64_t{v.deleted ? 1 : 0},
                               hash.first, hash.second});
  params.insert(params.end(), v.content.begin(), v.content.end());
  std::vector<std::string> placeholders;
  for (size_t i = 1; i <= params.size(); ++i) placeholders.push_back(absl::StrCat("$", i));
  CHAINHUB_RETURN_IF_ERROR(tx.Exec(absl::StrCat("INSERT INTO ", table.table, " (",
                                                absl::StrJoin(columns, ", "), ") VALUES (",
                                                absl::StrJoin(placeholders, ", "), ")"),
                                   params)
                               .status());
  for (const std::string& child : v.children) {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec(absl::StrCat("INSERT INTO ", table.child_table, " (", table.key[0],
                             ", recorded_us, ", table.child_column, ") VALUES ($1, $2, $3)"),
                {v.key[0], v.recorded_us, child})
            .status());
  }
  return absl::OkStatus();
}

// Puts `v` at its place in the record's history (see the header).
absl::StatusOr<bool> PutVersion(SqlTx& tx, const FactTable& table, const FactVersion& v) {
  const auto hash = HashOf(table, v);
  const int64_t t = v.recorded_us;
  CHAINHUB_ASSIGN_OR_RETURN(auto prev, Neighbour(tx, table, v.key, "<=", t));
  if (prev && prev->hash == hash) return false;
  CHAINHUB_ASSIGN_OR_RETURN(auto next, Neighbour(tx, table, v.key, ">", t));
  const int64_t next_us = next ? next->recorded_us : kInForceForever;
  if (prev && prev->recorded_us == t) {
    // Another content at the same instant: the one put last stands.
    CHAINHUB_RETURN_IF_ERROR(RemoveVersion(tx, table, v.key, t));
    CHAINHUB_ASSIGN_OR_RETURN(prev, Neighbour(tx, table, v.key, "<", t));
  }
  int64_t start = t;
  if (prev && prev->hash == hash) {
    start = prev->recorded_us;
    CHAINHUB_RETURN_IF_ERROR(SetSuperseded(tx, table, v.key, start, next_us));
  } else {
    if (prev) CHAINHUB_RETURN_IF_ERROR(SetSuperseded(tx, table, v.key, prev->recorded_us, t));
    CHAINHUB_RETURN_IF_ERROR(InsertVersion(tx, table, v, next_us, hash));
  }
  if (next && next->hash == hash) {
    // The newer version now repeats this one: fold it in.
    CHAINHUB_RETURN_IF_ERROR(RemoveVersion(tx, table, v.key, next->recorded_us));
    CHAINHUB_RETURN_IF_ERROR(SetSuperseded(tx, table, v.key, start, next->superseded_us));
  }
  return true;
}

// The content of the version in force at `us`, when it is live.
absl::StatusOr<std::optional<std::vector<SqlValue>>> LiveContentAt(SqlTx& tx,
                                                                    const FactTable& table,
                                                                    const std::vector<SqlValue>& key,
                                                                    int64_t us) {
  std::vector<std::string> columns;
  for (const Column& c : table.content) columns.push_back(c.name);
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query(absl::StrCat("SELECT deleted, ", absl::StrJoin(columns, ", "), " FROM ",
                                       table.table, " WHERE ", KeyWhere(table, 1),
                                       " AND recorded_us <= $", key.size() + 1,
                                       " ORDER BY recorded_us DESC LIMIT 1"),
                          With(key, {us})));
  if (rows.empty() || rows[0].Int(0) != 0) return std::nullopt;
  std::vector<SqlValue> content;
  for (size_t i = 0; i < table.content.size(); ++i) {
    if (table.content[i].type == kText) {
      content.emplace_back(rows[0].Text(i + 1));
    } else {
      content.emplace_back(rows[0].Int(i + 1));
    }
  }
  return content;
}

// A tombstone of the record: the table's empty content, deleted.
FactVersion Tombstone(const FactTable& table, std::vector<SqlValue> key, int64_t us) {
  FactVersion v{std::move(key), us, true, {}, {}};
  for (const Column& c : table.content) {
    if (c.type == kText) {
      v.content.emplace_back(std::string());
    } else {
      v.content.emplace_back(int64_t{0});
    }
  }
  return v;
}

// The id of `name` under `collection` ("projects/"): non-empty, without '/'.
absl::StatusOr<std::string> IdIn(absl::string_view field, absl::string_view name,
                                 absl::string_view collection) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, collection) || id.empty() || absl::StrContains(id, '/')) {
    return InvalidField(field, absl::StrCat("must be a name ", collection, "{id}, got ",
                                            Quoted(name)));
  }
  return std::string(id);
}

std::string ChinaDateOf(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  return ChinaDate(absl::FromUnixSeconds(ts.seconds()));
}

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

absl::StatusOr<std::string> ChainIdOf(absl::string_view field, absl::string_view chain) {
  if (chain.empty()) return std::string();
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse(field, chain));
  return name.chain;
}

}  // namespace

absl::StatusOr<bool> PutProject(SqlTx& tx, const intake::v1::Project& p, absl::Time time) {
  CHAINHUB_ASSIGN_OR_RETURN(std::string id, IdIn("project.name", p.name(), "projects/"));
  CHAINHUB_ASSIGN_OR_RETURN(std::string chain, ChainIdOf("project.chain", p.chain()));
  std::string node;
  if (!p.node().empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(NodeName n, NodeName::Parse("project.node", p.node()));
    node = n.node;
  }
  const auto& d = p.stage_dates();
  FactVersion v{{id},
                Micros(time),
                false,
                {p.display_name(),
                 chain,
                 node,
                 p.county(),
                 int64_t{p.stage()},
                 d.negotiating(),
                 d.signed_(),
                 d.registered(),
                 d.started(),
                 d.in_production(),
                 d.full_output(),
                 p.total_investment_yuan(),
                 p.fixed_asset_investment_yuan(),
                 int64_t{p.source()},
                 int64_t{p.investor().origin()},
                 int64_t{p.investor().fortune500() ? 1 : 0},
                 int64_t{p.provincial_key() ? 1 : 0},
                 int64_t{p.light()},
                 ChinaDateOf(p.create_time())},
                {}};
  return PutVersion(tx, Projects(), v);
}

absl::StatusOr<bool> ApplyStageChange(SqlTx& tx, const std::string& project_id,
                                      const intake::v1::StageChange& change, absl::Time time) {
  const int64_t us = Micros(time);
  CHAINHUB_ASSIGN_OR_RETURN(auto content, LiveContentAt(tx, Projects(), {project_id}, us));
  if (!content) return false;
  const intake::v1::Stage to = change.to_stage();
  (*content)[kProjectStage] = int64_t{to};
  // As intake's ApplyTransition: a line stage reached for the first time gets its date.
  if (to >= intake::v1::STAGE_NEGOTIATING && to <= intake::v1::STAGE_FULL_OUTPUT) {
    SqlValue& date = (*content)[kProjectFirstStageDate + (to - intake::v1::STAGE_NEGOTIATING)];
    if (std::get<std::string>(date).empty()) date = change.effective_date();
  }
  return PutVersion(tx, Projects(), FactVersion{{project_id}, us, false, *content, {}});
}

absl::StatusOr<bool> DeleteProject(SqlTx& tx, const std::string& project_id, absl::Time time) {
  const int64_t us = Micros(time);
  CHAINHUB_ASSIGN_OR_RETURN(bool changed,
                            PutVersion(tx, Projects(), Tombstone(Projects(), {project_id}, us)));
  // Intake deletes the project's reports and work items with it, without events of their own.
  CHAINHUB_ASSIGN_OR_RETURN(
      auto months, tx.Query("SELECT DISTINCT month FROM fact_progress_reports WHERE project_id = $1 "
                            "AND recorded_us <= $2",
                            {project_id, us}));
  for (const SqlRow& m : months) {
    CHAINHUB_ASSIGN_OR_RETURN(
        bool c, PutVersion(tx, ProgressReports(),
                           Tombstone(ProgressReports(), {project_id, m.Text(0)}, us)));
    changed = changed || c;
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto items, tx.Query("SELECT DISTINCT name FROM fact_work_items WHERE subject_project = $1 "
                           "AND recorded_us <= $2",
                           {project_id, us}));
  for (const SqlRow& item : items) {
    CHAINHUB_ASSIGN_OR_RETURN(
        bool c, PutVersion(tx, WorkItems(), Tombstone(WorkItems(), {item.Text(0)}, us)));
    changed = changed || c;
  }
  return changed;
}

absl::StatusOr<bool> PutProgressReport(SqlTx& tx, const intake::v1::ProgressReport& r,
                                       absl::Time time) {
  // projects/{id}/progressReports/{YYYY-MM}
  std::vector<std::string> parts = absl::StrSplit(r.name(), '/');
  if (parts.size() != 4 || parts[0] != "projects" || parts[1].empty() ||
      parts[2] != "progressReports" || parts[3].size() != 7) {
    return InvalidField("progress_report.name",
                        absl::StrCat("must be projects/{id}/progressReports/{YYYY-MM}, got ",
                                     Quoted(r.name())));
  }
  FactVersion v{{parts[1], parts[3]},
                Micros(time),
                false,
                {r.cumulative_completed_yuan(), r.cumulative_funds_arrived_yuan()},
                {}};
  return PutVersion(tx, ProgressReports(), v);
}

absl::StatusOr<bool> PutWorkItem(SqlTx& tx, const intake::v1::WorkItem& w, absl::Time time) {
  if (!absl::StartsWith(w.name(), "issues/") && !absl::StartsWith(w.name(), "tasks/")) {
    return InvalidField("work_item.name",
                        absl::StrCat("must be issues/{id} or tasks/{id}, got ", Quoted(w.name())));
  }
  CHAINHUB_ASSIGN_OR_RETURN(std::string chain, ChainIdOf("work_item.chain", w.chain()));
  std::string subject_project;
  if (absl::StartsWith(w.subject(), "projects/")) {
    CHAINHUB_ASSIGN_OR_RETURN(subject_project,
                              IdIn("work_item.subject", w.subject(), "projects/"));
  }
  FactVersion v{{w.name()},
                Micros(time),
                false,
                {int64_t{w.kind()}, w.title(), chain, w.subject(), subject_project, w.deadline(),
                 int64_t{w.status()}, w.resolved_date(), ChinaDateOf(w.create_time())},
                {}};
  return PutVersion(tx, WorkItems(), v);
}

absl::StatusOr<bool> PutEnterprise(SqlTx& tx, const registry::v1::Enterprise& e,
                                   absl::Time time) {
  CHAINHUB_ASSIGN_OR_RETURN(std::string code, IdIn("enterprise.name", e.name(), "enterprises/"));
  int64_t labels = 0;
  for (int label : e.labels()) labels |= int64_t{1} << label;
  std::set<std::string> chains;
  for (const std::string& m : e.memberships()) {
    CHAINHUB_ASSIGN_OR_RETURN(NodeName node, NodeName::Parse("enterprise.memberships", m));
    chains.insert(node.chain);
  }
  FactVersion v{{code},
                Micros(time),
                false,
                {e.display_name(), e.county(), labels, e.annual_output_yuan()},
                std::move(chains)};
  return PutVersion(tx, Enterprises(), v);
}

absl::StatusOr<bool> DeleteEnterprise(SqlTx& tx, const std::string& credit_code,
                                      absl::Time time) {
  return PutVersion(tx, Enterprises(), Tombstone(Enterprises(), {credit_code}, Micros(time)));
}

absl::StatusOr<bool> PutChain(SqlTx& tx, const registry::v1::Chain& c, absl::Time time) {
  CHAINHUB_ASSIGN_OR_RETURN(ChainName name, ChainName::Parse("chain.name", c.name()));
  std::set<std::string> counties(c.host_counties().begin(), c.host_counties().end());
  FactVersion v{{name.chain},
                Micros(time),
                false,
                {c.display_name(), int64_t{c.status()}},
                std::move(counties)};
  return PutVersion(tx, Chains(), v);
}

absl::StatusOr<bool> DeleteChain(SqlTx& tx, const std::string& chain_id, absl::Time time) {
  return PutVersion(tx, Chains(), Tombstone(Chains(), {chain_id}, Micros(time)));
}

absl::Status DropAllFacts(SqlTx& tx) {
  for (const char* table :
       {"fact_projects", "fact_progress_reports", "fact_work_items", "fact_enterprises",
        "fact_enterprise_chains", "fact_chains", "fact_chain_counties"}) {
    CHAINHUB_RETURN_IF_ERROR(tx.Exec(absl::StrCat("DELETE FROM ", table)).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<FactCounts> CountFacts(SqlTx& tx) {
  FactCounts counts;
  const std::pair<const char*, int64_t*> live[] = {
      {"fact_projects", &counts.projects},
      {"fact_enterprises", &counts.enterprises},
      {"fact_work_items", &counts.work_items},
      {"fact_progress_reports", &counts.progress_reports}};
  for (const auto& [table, out] : live) {
    CHAINHUB_ASSIGN_OR_RETURN(
        SqlRow row, tx.QueryOne(absl::StrCat("SELECT COUNT(*) FROM ", table,
                                             " WHERE superseded_us = $1 AND deleted = 0"),
                                {kInForceForever}));
    *out = row.Int(0);
  }
  for (const char* table : {"fact_projects", "fact_enterprises", "fact_work_items",
                            "fact_progress_reports", "fact_chains"}) {
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow row,
                              tx.QueryOne(absl::StrCat("SELECT COUNT(*) FROM ", table)));
    counts.versions += row.Int(0);
  }
  return counts;
}

}  // namespace chainhub::assessment
