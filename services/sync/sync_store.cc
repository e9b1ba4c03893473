#include "services/sync/sync_store.h"

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"

namespace chainhub::sync {

namespace {

using Key = std::tuple<std::string, int, std::string>;

Key KeyOf(const Record& r) { return {r.list_version(), static_cast<int>(r.type()), r.id()}; }

// ",pv,nev-battery," so that one chain matches with LIKE '%,pv,%'.
std::string ChainColumn(const std::set<std::string>& chains) {
  return chains.empty() ? "," : absl::StrCat(",", absl::StrJoin(chains, ","), ",");
}

template <typename M>
absl::StatusOr<M> Parse(const std::string& bytes, absl::string_view what) {
  M m;
  if (!m.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("sync's copy of ", what, " does not parse"));
  }
  return m;
}

absl::StatusOr<Taxonomy> LoadTaxonomyFrom(SqlTx& tx) {
  Taxonomy t;
  registry::v1::ListProvinceListsResponse lists;
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT data FROM sync_province_lists"));
  for (const SqlRow& row : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(*lists.add_province_lists(),
                              Parse<registry::v1::ProvinceList>(row.Bytes(0), "a province list"));
  }
  CHAINHUB_ASSIGN_OR_RETURN(t.lists, ProvinceLists::From(lists));
  CHAINHUB_ASSIGN_OR_RETURN(
      auto mappings, tx.Query("SELECT chain, version, province_chains FROM sync_chain_mappings"));
  for (const SqlRow& row : mappings) {
    t.mapping[row.Text(0)][row.Text(1)] =
        absl::StrSplit(row.Text(2), ',', absl::SkipEmpty());
  }
  return t;
}

bool IsPresentKind(absl::string_view kind) {
  return kind == sources::kChain || kind == sources::kEnterprise;
}

}  // namespace

absl::StatusOr<const Taxonomy*> SyncRecords::LoadTaxonomy() {
  if (!taxonomy_.has_value()) {
    CHAINHUB_ASSIGN_OR_RETURN(Taxonomy t, LoadTaxonomyFrom(tx_));
    taxonomy_ = std::move(t);
  }
  return &*taxonomy_;
}

absl::StatusOr<int64_t> SyncRecords::NextVersion() {
  CHAINHUB_RETURN_IF_ERROR(tx_.Exec("UPDATE sync_seq SET last = last + 1 WHERE id = 1").status());
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne("SELECT last FROM sync_seq WHERE id = 1"));
  return row.Int(0);
}

absl::Status SyncRecords::PutSource(absl::string_view kind, const std::string& id,
                                    const std::string& chain, const std::string& parent,
                                    const google::protobuf::Message& data) {
  return tx_.Exec("INSERT INTO sync_sources (kind, id, chain, parent, data) "
                  "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kind, id) DO UPDATE SET "
                  "chain = excluded.chain, parent = excluded.parent, data = excluded.data",
                  {std::string(kind), id, chain, parent, Blob{data.SerializeAsString()}})
      .status();
}

absl::Status SyncRecords::DeleteSource(absl::string_view kind, const std::string& id) {
  return tx_.Exec("DELETE FROM sync_sources WHERE kind = $1 AND id = $2", {std::string(kind), id})
      .status();
}

absl::Status SyncRecords::Derive(absl::string_view kind, const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(const Taxonomy* taxonomy, LoadTaxonomy());
  const Taxonomy& t = *taxonomy;
  const std::optional<std::string> today_list = ListVersionOn(t, today_);
  CHAINHUB_ASSIGN_OR_RETURN(auto source,
                            tx_.Query("SELECT data FROM sync_sources WHERE kind = $1 AND id = $2",
                                      {std::string(kind), id}));
  std::vector<Record> desired;
  if (!source.empty()) {
    const std::string& bytes = source[0].Bytes(0);
    if (kind == sources::kChain) {
      CHAINHUB_ASSIGN_OR_RETURN(auto chain, Parse<registry::v1::Chain>(bytes, id));
      if (today_list) desired.push_back(ChainRecord(t, *today_list, chain));
    } else if (kind == sources::kEnterprise) {
      CHAINHUB_ASSIGN_OR_RETURN(auto e, Parse<registry::v1::Enterprise>(bytes, id));
      if (today_list) desired.push_back(EnterpriseRecord(t, *today_list, e));
    } else if (kind == sources::kProject) {
      CHAINHUB_ASSIGN_OR_RETURN(auto p, Parse<intake::v1::Project>(bytes, id));
      if (auto v = ListVersionOn(t, ProjectDate(p))) desired.push_back(ProjectRecord(t, *v, p));
    } else if (kind == sources::kProgress) {
      CHAINHUB_ASSIGN_OR_RETURN(auto report, Parse<intake::v1::ProgressReport>(bytes, id));
      const std::string project_id(report.name().substr(0, report.name().find("/progressReports/")));
      CHAINHUB_ASSIGN_OR_RETURN(
          auto project_row, tx_.Query("SELECT data FROM sync_sources WHERE kind = $1 AND id = $2",
                                      {std::string(sources::kProject), project_id}));
      if (!project_row.empty()) {
        CHAINHUB_ASSIGN_OR_RETURN(auto p,
                                  Parse<intake::v1::Project>(project_row[0].Bytes(0), project_id));
        if (auto v = ListVersionOn(t, absl::StrCat(report.month(), "-01"))) {
          desired.push_back(ProgressRecord(t, *v, p, report));
        }
      }
    } else if (kind == sources::kRun) {
      CHAINHUB_ASSIGN_OR_RETURN(auto run, Parse<assessment::v1::Run>(bytes, id));
      auto v = ListVersionOn(t, PeriodLastDay(run.period()));
      if (v && run.published() && run.kind() == assessment::v1::RUN_KIND_FINAL) {
        std::map<std::string, std::string> names;
        CHAINHUB_ASSIGN_OR_RETURN(
            auto chains, tx_.Query("SELECT data FROM sync_sources WHERE kind = $1",
                                   {std::string(sources::kChain)}));
        for (const SqlRow& row : chains) {
          CHAINHUB_ASSIGN_OR_RETURN(auto chain, Parse<registry::v1::Chain>(row.Bytes(0), "a chain"));
          names[ChainIdOf(chain.name())] = chain.display_name();
        }
        for (auto& r : AssessmentResultRecords(t, *v, run, names)) desired.push_back(std::move(r));
      }
    }
  }

  std::map<Key, Record> wanted;
  for (auto& r : desired) wanted.emplace(KeyOf(r), std::move(r));
  CHAINHUB_ASSIGN_OR_RETURN(
      auto held, tx_.Query("SELECT data FROM sync_records WHERE source = $1", {id}));
  std::vector<Record> writes;
  for (const SqlRow& row : held) {
    CHAINHUB_ASSIGN_OR_RETURN(Record old, Parse<Record>(row.Bytes(0), id));
    auto want = wanted.find(KeyOf(old));
    if (want != wanted.end()) {
      Record bare = old;
      bare.clear_version();
      if (bare.SerializeAsString() != want->second.SerializeAsString()) {
        writes.push_back(std::move(want->second));
      }
      wanted.erase(want);
      continue;
    }
    if (old.deleted()) continue;
    // Chains and enterprises stay as they were in the lists before today's: those records are
    // the history a date before the switch reads.
    if (IsPresentKind(kind) && (!today_list || old.list_version() != *today_list)) continue;
    Record tombstone;
    tombstone.set_list_version(old.list_version());
    tombstone.set_type(old.type());
    tombstone.set_id(old.id());
    tombstone.set_business_date(old.business_date());
    tombstone.set_deleted(true);
    writes.push_back(std::move(tombstone));
  }
  for (auto& [key, r] : wanted) writes.push_back(std::move(r));

  const int64_t now_us = absl::ToUnixMicros(now_);
  for (Record& r : writes) {
    CHAINHUB_ASSIGN_OR_RETURN(int64_t version, NextVersion());
    r.set_version(version);
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO sync_records (list_version, record_type, id, version, deleted, "
                 "business_date, source, change_us, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                 "$9) ON CONFLICT (list_version, record_type, id) DO UPDATE SET "
                 "version = excluded.version, deleted = excluded.deleted, "
                 "business_date = excluded.business_date, source = excluded.source, "
                 "change_us = excluded.change_us, data = excluded.data",
                 {r.list_version(), int64_t{r.type()}, r.id(), version,
                  int64_t{r.deleted() ? 1 : 0}, r.business_date(), id, now_us,
                  Blob{r.SerializeAsString()}})
            .status());
    ++changed_;
  }
  return absl::OkStatus();
}

absl::Status SyncRecords::DeriveAll(absl::string_view kind, const std::string& chain) {
  std::string sql = "SELECT id FROM sync_sources WHERE kind = $1";
  std::vector<SqlValue> params{std::string(kind)};
  if (!chain.empty()) {
    sql += " AND chain LIKE $2";
    params.emplace_back(absl::StrCat("%,", chain, ",%"));
  }
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  for (const SqlRow& row : rows) CHAINHUB_RETURN_IF_ERROR(Derive(kind, row.Text(0)));
  return absl::OkStatus();
}

absl::Status SyncRecords::ApplyChain(const registry::v1::Chain& chain, bool deleted) {
  if (deleted) {
    CHAINHUB_RETURN_IF_ERROR(DeleteSource(sources::kChain, chain.name()));
  } else {
    CHAINHUB_RETURN_IF_ERROR(
        PutSource(sources::kChain, chain.name(), ChainColumn({ChainIdOf(chain.name())}), "", chain));
  }
  return Derive(sources::kChain, chain.name());
}

absl::Status SyncRecords::ApplyEnterprise(const registry::v1::Enterprise& enterprise,
                                          bool deleted) {
  if (deleted) {
    CHAINHUB_RETURN_IF_ERROR(DeleteSource(sources::kEnterprise, enterprise.name()));
  } else {
    std::set<std::string> chains;
    for (const auto& m : enterprise.memberships()) chains.insert(ChainIdOf(m));
    CHAINHUB_RETURN_IF_ERROR(PutSource(sources::kEnterprise, enterprise.name(),
                                       ChainColumn(chains), "", enterprise));
  }
  return Derive(sources::kEnterprise, enterprise.name());
}

absl::Status SyncRecords::ApplyProvinceList(const registry::v1::ProvinceList& list) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO sync_province_lists (version, data) VALUES ($1, $2) "
               "ON CONFLICT (version) DO UPDATE SET data = excluded.data",
               {std::string(absl::StripPrefix(list.name(), "provinceLists/")),
                Blob{list.SerializeAsString()}})
          .status());
  taxonomy_.reset();
  for (absl::string_view kind : {sources::kChain, sources::kEnterprise, sources::kProject,
                                 sources::kProgress, sources::kRun}) {
    CHAINHUB_RETURN_IF_ERROR(DeriveAll(kind, ""));
  }
  return absl::OkStatus();
}

absl::Status SyncRecords::ApplyChainMapping(const registry::v1::ChainProvinceMapping& mapping) {
  const std::string chain = ChainIdOf(mapping.chain());
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO sync_chain_mappings (chain, version, province_chains) "
               "VALUES ($1, $2, $3) ON CONFLICT (chain, version) DO UPDATE SET "
               "province_chains = excluded.province_chains",
               {chain, mapping.version(), absl::StrJoin(mapping.province_chains(), ",")})
          .status());
  taxonomy_.reset();
  for (absl::string_view kind : {sources::kChain, sources::kEnterprise, sources::kProject,
                                 sources::kProgress, sources::kRun}) {
    CHAINHUB_RETURN_IF_ERROR(DeriveAll(kind, chain));
  }
  return absl::OkStatus();
}

absl::Status SyncRecords::ApplyProject(const intake::v1::Project& project, bool deleted) {
  const std::string chain = ChainColumn({ChainIdOf(project.chain())});
  if (deleted) {
    CHAINHUB_RETURN_IF_ERROR(DeleteSource(sources::kProject, project.name()));
  } else {
    CHAINHUB_RETURN_IF_ERROR(PutSource(sources::kProject, project.name(), chain, "", project));
  }
  CHAINHUB_RETURN_IF_ERROR(Derive(sources::kProject, project.name()));
  // Its reports carry its name, chain and categories.
  CHAINHUB_ASSIGN_OR_RETURN(
      auto reports, tx_.Query("SELECT id FROM sync_sources WHERE parent = $1 AND kind = $2",
                              {project.name(), std::string(sources::kProgress)}));
  for (const SqlRow& row : reports) {
    if (deleted) {
      CHAINHUB_RETURN_IF_ERROR(DeleteSource(sources::kProgress, row.Text(0)));
    } else {
      CHAINHUB_RETURN_IF_ERROR(tx_.Exec("UPDATE sync_sources SET chain = $1 WHERE kind = $2 AND "
                                        "id = $3",
                                        {chain, std::string(sources::kProgress), row.Text(0)})
                                   .status());
    }
    CHAINHUB_RETURN_IF_ERROR(Derive(sources::kProgress, row.Text(0)));
  }
  return absl::OkStatus();
}

absl::Status SyncRecords::ApplyStageChange(const intake::v1::StageChange& change) {
  const std::string project_id(change.name().substr(0, change.name().find("/stageChanges/")));
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT data FROM sync_sources WHERE kind = $1 AND id = $2",
                           {std::string(sources::kProject), project_id}));
  if (rows.empty()) return absl::OkStatus();  // a project sync never saw (or deleted)
  CHAINHUB_ASSIGN_OR_RETURN(auto project, Parse<intake::v1::Project>(rows[0].Bytes(0), project_id));
  project.set_stage(change.to_stage());
  auto* d = project.mutable_stage_dates();
  std::string* date = nullptr;
  switch (change.to_stage()) {
    case intake::v1::STAGE_NEGOTIATING: date = d->mutable_negotiating(); break;
    case intake::v1::STAGE_SIGNED: date = d->mutable_signed_(); break;
    case intake::v1::STAGE_REGISTERED: date = d->mutable_registered(); break;
    case intake::v1::STAGE_STARTED: date = d->mutable_started(); break;
    case intake::v1::STAGE_IN_PRODUCTION: date = d->mutable_in_production(); break;
    case intake::v1::STAGE_FULL_OUTPUT: date = d->mutable_full_output(); break;
    default: break;
  }
  if (date != nullptr && date->empty()) *date = change.effective_date();
  return ApplyProject(project, false);
}

absl::Status SyncRecords::ApplyProgress(const intake::v1::ProgressReport& report) {
  const std::string project_id(report.name().substr(0, report.name().find("/progressReports/")));
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT chain, data FROM sync_sources WHERE kind = $1 AND id = $2",
                           {std::string(sources::kProject), project_id}));
  const std::string chain = rows.empty() ? "," : rows[0].Text(0);
  CHAINHUB_RETURN_IF_ERROR(PutSource(sources::kProgress, report.name(), chain, project_id, report));
  CHAINHUB_RETURN_IF_ERROR(Derive(sources::kProgress, report.name()));
  if (rows.empty()) return absl::OkStatus();
  // The project's completed and arrived figures are those of its latest report, as intake keeps
  // them (its report event carries the report only).
  CHAINHUB_ASSIGN_OR_RETURN(auto project, Parse<intake::v1::Project>(rows[0].Bytes(1), project_id));
  if (report.month() < project.last_report_month()) return absl::OkStatus();
  project.set_completed_investment_yuan(report.cumulative_completed_yuan());
  project.set_funds_arrived_yuan(report.cumulative_funds_arrived_yuan());
  project.set_last_report_month(report.month());
  CHAINHUB_RETURN_IF_ERROR(PutSource(sources::kProject, project_id, chain, "", project));
  return Derive(sources::kProject, project_id);
}

absl::Status SyncRecords::ApplyRun(const assessment::v1::Run& run) {
  if (!run.published() || run.kind() != assessment::v1::RUN_KIND_FINAL) return absl::OkStatus();
  std::set<std::string> chains;
  for (const auto& r : run.results()) {
    if (std::string c = ChainIdOf(r.subject()); !c.empty()) chains.insert(std::move(c));
  }
  CHAINHUB_RETURN_IF_ERROR(PutSource(sources::kRun, run.name(), ChainColumn(chains), "", run));
  return Derive(sources::kRun, run.name());
}

absl::Status SyncRecords::Tombstone(const std::string& list_version,
                                    province::v1::RecordType type, const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto held, tx_.Query("SELECT deleted FROM sync_records WHERE list_version = $1 AND "
                           "record_type = $2 AND id = $3",
                           {list_version, int64_t{type}, id}));
  if (!held.empty() && held[0].Int(0) != 0) return absl::OkStatus();
  if (!held.empty()) {
    return FailedPrecondition(absl::StrCat("record ", id), "is live; only a key sync does not hold "
                                                            "live can be tombstoned");
  }
  CHAINHUB_ASSIGN_OR_RETURN(int64_t version, NextVersion());
  Record r;
  r.set_list_version(list_version);
  r.set_type(type);
  r.set_id(id);
  r.set_version(version);
  r.set_deleted(true);
  ++changed_;
  return tx_.Exec("INSERT INTO sync_records (list_version, record_type, id, version, deleted, "
                  "business_date, source, change_us, data) VALUES ($1, $2, $3, $4, 1, '', '', $5, "
                  "$6)",
                  {list_version, int64_t{type}, id, version, absl::ToUnixMicros(now_),
                   Blob{r.SerializeAsString()}})
      .status();
}

absl::StatusOr<int64_t> SyncRecords::ExpressInTodaysList() {
  CHAINHUB_ASSIGN_OR_RETURN(const Taxonomy* t, LoadTaxonomy());
  const std::optional<std::string> today_list = ListVersionOn(*t, today_);
  if (!today_list) return 0;
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT value FROM sync_state WHERE name = 'present_list'"));
  if (!rows.empty() && rows[0].Text(0) == *today_list) return 0;
  const int64_t before = changed_;
  CHAINHUB_RETURN_IF_ERROR(DeriveAll(sources::kChain, ""));
  CHAINHUB_RETURN_IF_ERROR(DeriveAll(sources::kEnterprise, ""));
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO sync_state (name, value) VALUES ('present_list', $1) "
               "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
               {*today_list})
          .status());
  return changed_ - before;
}

absl::StatusOr<int64_t> SyncReader::Head() {
  int64_t head = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx.QueryOne("SELECT last FROM sync_seq WHERE id = 1"));
    head = row.Int(0);
    return absl::OkStatus();
  }));
  return head;
}

absl::StatusOr<std::vector<FeedRecord>> SyncReader::ChangesAfter(int64_t after, int limit,
                                                                 absl::string_view list_version) {
  std::string sql = "SELECT data, change_us FROM sync_records WHERE version > $1";
  std::vector<SqlValue> params{after};
  if (!list_version.empty()) {
    sql += " AND list_version = $2";
    params.emplace_back(std::string(list_version));
  }
  absl::StrAppend(&sql, " ORDER BY version LIMIT ", limit);
  std::vector<FeedRecord> out;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    out.clear();
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const SqlRow& row : rows) {
      CHAINHUB_ASSIGN_OR_RETURN(Record r, Parse<Record>(row.Bytes(0), "a record"));
      out.push_back({std::move(r), absl::FromUnixMicros(row.Int(1))});
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<int64_t> SyncReader::Snapshot(
    absl::string_view list_version, absl::string_view date, province::v1::RecordType type,
    int page, const std::function<absl::Status(std::vector<Record>&)>& sink) {
  int64_t head = 0;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx.QueryOne("SELECT last FROM sync_seq WHERE id = 1"));
    head = row.Int(0);
    int64_t last_type = -1;
    std::string last_id;
    while (true) {
      std::string sql =
          "SELECT record_type, id, data FROM sync_records WHERE list_version = $1 AND deleted = 0 "
          "AND (business_date = '' OR business_date <= $2) AND (record_type > $3 OR "
          "(record_type = $3 AND id > $4))";
      std::vector<SqlValue> params{std::string(list_version), std::string(date), last_type,
                                   last_id};
      if (type != province::v1::RECORD_TYPE_UNSPECIFIED) {
        sql += " AND record_type = $5";
        params.emplace_back(int64_t{type});
      }
      absl::StrAppend(&sql, " ORDER BY record_type, id LIMIT ", page);
      CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
      if (rows.empty()) return absl::OkStatus();
      std::vector<Record> records;
      records.reserve(rows.size());
      for (const SqlRow& r : rows) {
        CHAINHUB_ASSIGN_OR_RETURN(Record rec, Parse<Record>(r.Bytes(2), "a record"));
        records.push_back(std::move(rec));
      }
      last_type = rows.back().Int(0);
      last_id = rows.back().Text(1);
      CHAINHUB_RETURN_IF_ERROR(sink(records));
      if (rows.size() < static_cast<size_t>(page)) return absl::OkStatus();
    }
  }));
  return head;
}

absl::StatusOr<Taxonomy> SyncReader::LoadTaxonomy() {
  Taxonomy t;
  CHAINHUB_RETURN_IF_ERROR(store_->Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(t, LoadTaxonomyFrom(tx));
    return absl::OkStatus();
  }));
  return t;
}

}  // namespace chainhub::sync
