#include "services/intake/intake_store.h"

#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/intake/names.h"

namespace chainhub::intake {
namespace {

constexpr char kProjectColumns[] =
    "id, data, revision, create_us, update_us, stage, stalled_from, last_change_date";

absl::StatusOr<StoredProject> ProjectFromRow(const SqlRow& r) {
  StoredProject out;
  out.id = r.Text(0);
  CHAINHUB_ASSIGN_OR_RETURN(out.project, DecodeResource<v1::Project>(r.Bytes(1)));
  out.project.set_name(ProjectName{out.id}.String());
  CHAINHUB_ASSIGN_OR_RETURN(out.chain, ChainName::Parse("project.chain", out.project.chain()));
  SetVersion(&out.project, r.Int(2), r.Int(3), r.Int(4));
  out.state.stage = static_cast<v1::Stage>(r.Int(5));
  out.state.stalled_from = static_cast<v1::Stage>(r.Int(6));
  out.state.last_change_date = r.Text(7);
  return out;
}

// The column values of a project, in the order of the INSERT and UPDATE statements below.
absl::StatusOr<std::vector<SqlValue>> ProjectValues(const std::string& id, const v1::Project& p,
                                                    const StageState& state) {
  CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("project.chain", p.chain()));
  CHAINHUB_ASSIGN_OR_RETURN(std::optional<NodeName> node,
                            ParseOptionalNode("project.node", p.node()));
  SqlValue external = p.external_id().empty() ? SqlValue(nullptr) : SqlValue(p.external_id());
  return std::vector<SqlValue>{id,
                               chain.chain,
                               node ? node->node : std::string(),
                               p.county(),
                               p.park(),
                               p.display_name(),
                               static_cast<int64_t>(p.source()),
                               static_cast<int64_t>(p.investor().origin()),
                               static_cast<int64_t>(p.investor().fortune500()),
                               static_cast<int64_t>(p.provincial_key()),
                               p.total_investment_yuan(),
                               p.responsible_department(),
                               static_cast<int64_t>(state.stage),
                               static_cast<int64_t>(state.stalled_from),
                               state.last_change_date,
                               static_cast<int64_t>(p.light()),
                               external,
                               static_cast<int64_t>(p.synthetic()),
                               Blob{EncodeResource(p)},
                               static_cast<int64_t>(SizeBucketOf(p.total_investment_yuan())),
                               p.stage_dates().signed_(),
                               p.stage_dates().started(),
                               p.stage_dates().in_production(),
                               p.annual_planned_investment_yuan(),
                               p.planned_start_date()};
}

v1::StageChange StageChangeFromRow(const std::string& project_id, const SqlRow& r) {
  v1::StageChange c;
  c.set_name(StageChangeName{project_id, r.Int(0)}.String());
  c.set_from_stage(static_cast<v1::Stage>(r.Int(1)));
  c.set_to_stage(static_cast<v1::Stage>(r.Int(2)));
  c.set_effective_date(r.Text(3));
  c.set_reason(r.Text(4));
  c.set_principal(r.Text(5));
  SetTimestamp(c.mutable_record_time(), r.Int(6));
  return c;
}

constexpr char kReportColumns[] =
    "month, completed, funds, note, allow_over_total, principal, report_us, revision";

v1::ProgressReport ReportFromRow(const std::string& project_id, const SqlRow& r) {
  v1::ProgressReport p;
  p.set_name(ProgressReportName{project_id, r.Text(0)}.String());
  p.set_month(r.Text(0));
  p.set_cumulative_completed_yuan(r.Int(1));
  p.set_cumulative_funds_arrived_yuan(r.Int(2));
  p.set_note(r.Text(3));
  p.set_allow_over_total(r.Int(4) != 0);
  p.set_principal(r.Text(5));
  SetTimestamp(p.mutable_report_time(), r.Int(6));
  p.set_revision(static_cast<int32_t>(r.Int(7)));
  return p;
}

absl::StatusOr<std::optional<v1::ProgressReport>> OneReport(SqlTx& tx, const std::string& sql,
                                                            const std::string& project_id,
                                                            const std::string& month) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {project_id, month}));
  if (rows.empty()) return std::optional<v1::ProgressReport>();
  return std::optional<v1::ProgressReport>(ReportFromRow(project_id, rows[0]));
}

absl::StatusOr<v1::WorkItem> WorkItemFromRow(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::WorkItem item, DecodeResource<v1::WorkItem>(r.Bytes(1)));
  SetVersion(&item, r.Int(2), r.Int(3), r.Int(4));
  return item;
}

absl::StatusOr<std::vector<SqlValue>> WorkItemValues(const std::string& id, const v1::WorkItem& w) {
  std::string chain_id;
  if (!w.chain().empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(ChainName chain, ChainName::Parse("work_item.chain", w.chain()));
    chain_id = std::move(chain.chain);
  }
  return std::vector<SqlValue>{id,
                               static_cast<int64_t>(w.kind()),
                               static_cast<int64_t>(w.status()),
                               w.subject(),
                               chain_id,
                               w.owner_department(),
                               w.deadline(),
                               Blob{EncodeResource(w)}};
}

// One project's summary entry from its facts as of `as_of` (the end of `period`, or today).
SummaryProject SummaryOf(v1::Stage stage, v1::Stage stalled_from, const v1::StageDates& dates,
                         int64_t total, int64_t annual_plan, const std::string& planned_start,
                         std::vector<MonthFigure> reports, const Period& period,
                         const std::string& as_of, const v1::LightRules& rules) {
  const std::string end_month = as_of.substr(0, 7);
  const std::string before_month =
      period.first_month == 1 ? absl::StrFormat("%04d-12", period.year - 1)
                              : absl::StrFormat("%04d-%02d", period.year, period.first_month - 1);
  SummaryProject s;
  s.total_investment_yuan = total;
  s.annual_planned_investment_yuan = annual_plan;
  s.dates = dates;
  s.stage_at_end = stage;
  if (const MonthFigure* m = LatestReportUpTo(reports, end_month)) {
    s.completed_at_end_yuan = m->cumulative_completed_yuan;
    s.funds_arrived_at_end_yuan = m->cumulative_funds_arrived_yuan;
  }
  if (const MonthFigure* m = LatestReportUpTo(reports, before_month)) {
    s.completed_before_period_yuan = m->cumulative_completed_yuan;
  }
  s.light_at_end = EvaluateLight(LightInputOf(stage, stalled_from, dates, planned_start,
                                              annual_plan, std::move(reports)),
                                 rules, as_of)
                       .light;
  return s;
}

v1::StageDates DatesOf(const SqlRow& r, size_t first) {
  v1::StageDates dates;
  dates.set_signed_(r.Text(first));
  dates.set_started(r.Text(first + 1));
  dates.set_in_production(r.Text(first + 2));
  return dates;
}

}  // namespace

// --- List queries ------------------------------------------------------------------------------

namespace {

using FieldType = FilterField::Type;

// size_band = X on the stored size bucket (summary.h): a band of one bucket is an equality, so
// the (chain_id, size_bucket, create_us) index hands back its projects in page order; a run of
// buckets is a range. The bound band number picks the bucket in a CASE; the cast tells
// PostgreSQL the parameter's type, which a bare CASE operand leaves unknown.
FilterField SizeBandFilter() {
  FilterField f = EnumFilter("", v1::SizeBand_descriptor(), "SIZE_BAND_");
  std::string first = "CASE CAST({} AS BIGINT)", last = "CASE CAST({} AS BIGINT)";
  for (int b = v1::SizeBand_MIN + 1; b <= v1::SizeBand_MAX; ++b) {
    const BucketRun run = BucketsOf(static_cast<v1::SizeBand>(b));
    absl::StrAppend(&first, " WHEN ", b, " THEN ", run.first);
    absl::StrAppend(&last, " WHEN ", b, " THEN ", run.last);
    f.value_templates[b] = run.first == run.last
                               ? absl::StrCat("p.size_bucket = CASE CAST({} AS BIGINT) WHEN ", b,
                                              " THEN ", run.first, " END")
                               : absl::StrCat("p.size_bucket BETWEEN CASE CAST({} AS BIGINT) WHEN ",
                                              b, " THEN ", run.first, " END AND ", run.last);
  }
  absl::StrAppend(&first, " ELSE 1 END");
  absl::StrAppend(&last, " ELSE 0 END");
  f.has_template = absl::StrCat("p.size_bucket BETWEEN ", first, " AND ", last);
  f.membership = true;
  return f;
}

}  // namespace

const std::map<std::string, FilterField>& ProjectFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"chain", ChainFilter("p.chain_id")},
      {"node",
       {FieldType::kString,
        "",
        "('chains/' || p.chain_id || '/nodes/' || p.node_id) = {}",
        true,
        {FilterOp::kEq, FilterOp::kNe},
        nullptr}},
      {"county", StringFilter("p.county")},
      {"park", StringFilter("p.park")},
      {"display_name", StringFilter("p.display_name")},
      {"external_id", StringFilter("p.external_id")},
      {"responsible_department", StringFilter("p.responsible_department")},
      {"stage", EnumFilter("p.stage", v1::Stage_descriptor(), "STAGE_")},
      {"source", EnumFilter("p.source", v1::ProjectSource_descriptor(), "PROJECT_SOURCE_")},
      {"investor_origin",
       EnumFilter("p.investor_origin", v1::InvestorOrigin_descriptor(), "INVESTOR_ORIGIN_")},
      {"light", EnumFilter("p.light", v1::Light_descriptor(), "LIGHT_")},
      {"size_band", SizeBandFilter()},
      {"fortune500", BoolFilter("p.fortune500")},
      {"provincial_key", BoolFilter("p.provincial_key")},
      {"synthetic", BoolFilter("p.synthetic")},
      {"total_investment_yuan", IntFilter("p.total_investment")},
  };
  return *fields;
}

const std::map<std::string, FilterField>& WorkItemFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"kind", EnumFilter("w.kind", v1::WorkItemKind_descriptor(), "WORK_ITEM_KIND_")},
      {"status", EnumFilter("w.status", v1::WorkItemStatus_descriptor(), "WORK_ITEM_STATUS_")},
      {"chain", ChainFilter("w.chain_id")},
      {"subject", StringFilter("w.subject")},
      {"owner_department", StringFilter("w.owner_department")},
      {"deadline", StringFilter("w.deadline")},
  };
  return *fields;
}

absl::StatusOr<OrderSpec> ProjectOrder(absl::string_view order_by) {
  return ParseOrderBy(order_by,
                      {{"create_time", {"p.create_us", "p.id"}},
                       {"display_name", {"p.display_name", "p.id"}},
                       {"total_investment_yuan", {"p.total_investment", "p.id"}},
                       {"stage", {"p.stage", "p.id"}}},
                      "create_time");
}

absl::StatusOr<OrderSpec> WorkItemOrder(absl::string_view order_by) {
  return ParseOrderBy(
      order_by, {{"deadline", {"w.deadline", "w.id"}}, {"create_time", {"w.create_us", "w.id"}}},
      "deadline");
}

// --- Projects ----------------------------------------------------------------------------------

absl::StatusOr<StoredProject> IntakeTx::GetProject(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat("SELECT ", kProjectColumns, " FROM projects WHERE id = $1"), {id}));
  if (rows.empty()) return NotFound("Project", ProjectName{id}.String());
  return ProjectFromRow(rows[0]);
}

absl::StatusOr<std::optional<std::string>> IntakeTx::ProjectIdByExternalId(
    const std::string& external_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT id FROM projects WHERE external_id = $1", {external_id}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

absl::Status IntakeTx::InsertProject(const std::string& id, v1::Project* p,
                                     const StageState& state, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlValue> values, ProjectValues(id, *p, state));
  values.push_back(Micros(now));
  CHAINHUB_RETURN_IF_ERROR(tx_
      .Exec(
          "INSERT INTO projects (id, chain_id, node_id, county, park, display_name, source, "
          "investor_origin, fortune500, provincial_key, total_investment, responsible_department, "
          "stage, stalled_from, last_change_date, light, external_id, synthetic, data, "
          "size_bucket, signed_date, started_date, in_production_date, annual_planned, "
          "planned_start_date, plan_pending, revision, create_us, update_us) VALUES ($1, $2, $3, "
          "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
          "$22, $23, $24, $25, 0, 1, $26, $26)",
          values)
      .status());
  SetVersion(p, 1, Micros(now), Micros(now));
  return absl::OkStatus();
}

absl::Status IntakeTx::UpdateProject(const std::string& id, v1::Project* p,
                                     const StageState& state, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlValue> values, ProjectValues(id, *p, state));
  values.push_back(Micros(now));
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow version,
      tx_.QueryOne(
          "UPDATE projects SET chain_id = $2, node_id = $3, county = $4, park = $5, "
          "display_name = $6, source = $7, investor_origin = $8, fortune500 = $9, "
          "provincial_key = $10, total_investment = $11, responsible_department = $12, "
          "stage = $13, stalled_from = $14, last_change_date = $15, light = $16, "
          "external_id = $17, synthetic = $18, data = $19, size_bucket = $20, "
          "signed_date = $21, started_date = $22, in_production_date = $23, "
          "annual_planned = $24, planned_start_date = $25, plan_pending = 0, "
          "revision = revision + 1, update_us = $26 WHERE id = $1 RETURNING revision, create_us",
          values));
  SetVersion(p, version.Int(0), version.Int(1), Micros(now));
  return absl::OkStatus();
}

absl::Status IntakeTx::DeleteProject(const std::string& id) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM stage_changes WHERE project_id = $1", {id}).status());
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM progress_reports WHERE project_id = $1", {id}).status());
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM work_items WHERE subject = $1", {ProjectName{id}.String()}).status());
  return tx_.Exec("DELETE FROM projects WHERE id = $1", {id}).status();
}

absl::StatusOr<std::vector<Keyed<v1::Project>>> IntakeTx::ListProjects(const PageQuery& q) {
  // A deferred join: the page's ids are found and sorted first (index only when an index covers
  // the filter and the order, e.g. chain + size band by create time), then only those rows are
  // read whole. Sorting thousands of matches with their blobs was 5x slower at 100k projects.
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> order;
  for (const auto& c : q.columns) order.push_back(absl::StrCat(c, q.descending ? " DESC" : ""));
  std::string sql = absl::StrCat(
      "SELECT ", kProjectColumns, ", ", absl::StrJoin(q.columns, ", "),
      " FROM projects p JOIN (SELECT p.id AS page_id FROM projects p",
      PageClause(q, &params, {},
                 NumericColumns(q.columns, {"p.create_us", "p.total_investment", "p.stage"})),
      ") page ON p.id = page.page_id ORDER BY ", absl::StrJoin(order, ", "));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Project>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(StoredProject p, ProjectFromRow(r));
    out.push_back({std::move(p.project), KeyOf(r, 8, q.columns.size())});
  }
  return out;
}

absl::StatusOr<int64_t> IntakeTx::CountProjects(const CompiledFilter& filter) {
  std::string sql = "SELECT COUNT(*) FROM projects p";
  if (!filter.sql.empty()) absl::StrAppend(&sql, " WHERE ", filter.sql);
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne(sql, filter.params));
  return row.Int(0);
}

absl::StatusOr<int64_t> IntakeTx::CountProjectsOfChain(const std::string& chain_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow row, tx_.QueryOne("SELECT COUNT(*) FROM projects WHERE chain_id = $1", {chain_id}));
  return row.Int(0);
}

// --- Stage history -----------------------------------------------------------------------------

absl::StatusOr<v1::StageChange> IntakeTx::AppendStageChange(const std::string& project_id,
                                                            const v1::StageChange& change,
                                                            absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow row, tx_.QueryOne("SELECT COALESCE(MAX(seq), 0) + 1 FROM stage_changes WHERE "
                               "project_id = $1",
                               {project_id}));
  const int64_t seq = row.Int(0);
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO stage_changes (project_id, seq, from_stage, to_stage, effective_date, "
               "reason, principal, record_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
               {project_id, seq, static_cast<int64_t>(change.from_stage()),
                static_cast<int64_t>(change.to_stage()), change.effective_date(), change.reason(),
                change.principal(), Micros(now)})
          .status());
  v1::StageChange stored = change;
  stored.set_name(StageChangeName{project_id, seq}.String());
  SetTimestamp(stored.mutable_record_time(), Micros(now));
  return stored;
}

absl::StatusOr<std::vector<Keyed<v1::StageChange>>> IntakeTx::ListStageChanges(
    const std::string& project_id, int64_t after_seq, int limit) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT seq, from_stage, to_stage, effective_date, reason, principal, "
                           "record_us FROM stage_changes WHERE project_id = $1 AND seq > $2 "
                           "ORDER BY seq LIMIT $3",
                           {project_id, after_seq, static_cast<int64_t>(limit)}));
  std::vector<Keyed<v1::StageChange>> out;
  for (const auto& r : rows) {
    out.push_back({StageChangeFromRow(project_id, r), {absl::StrCat(r.Int(0))}});
  }
  return out;
}

// --- Progress ----------------------------------------------------------------------------------

absl::StatusOr<std::optional<v1::ProgressReport>> IntakeTx::GetReport(const std::string& project_id,
                                                                      const std::string& month) {
  return OneReport(tx_,
                   absl::StrCat("SELECT ", kReportColumns,
                                " FROM progress_reports WHERE project_id = $1 AND month = $2"),
                   project_id, month);
}

absl::StatusOr<std::optional<v1::ProgressReport>> IntakeTx::ReportBefore(
    const std::string& project_id, const std::string& month) {
  return OneReport(tx_,
                   absl::StrCat("SELECT ", kReportColumns,
                                " FROM progress_reports WHERE project_id = $1 AND month < $2 "
                                "ORDER BY month DESC LIMIT 1"),
                   project_id, month);
}

absl::StatusOr<std::optional<v1::ProgressReport>> IntakeTx::ReportAfter(
    const std::string& project_id, const std::string& month) {
  return OneReport(tx_,
                   absl::StrCat("SELECT ", kReportColumns,
                                " FROM progress_reports WHERE project_id = $1 AND month > $2 "
                                "ORDER BY month LIMIT 1"),
                   project_id, month);
}

absl::Status IntakeTx::PutReport(const std::string& project_id, const v1::ProgressReport& r,
                                 absl::Time now) {
  // A reported project leaves the summary's grouped path: its figures are its own.
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE projects SET reported = 1 WHERE id = $1 AND reported = 0", {project_id})
          .status());
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed,
      tx_.Exec(
          "UPDATE progress_reports SET completed = $3, funds = $4, note = $5, "
          "allow_over_total = $6, principal = $7, report_us = $8, revision = revision + 1 "
          "WHERE project_id = $1 AND month = $2",
          {project_id, r.month(), r.cumulative_completed_yuan(), r.cumulative_funds_arrived_yuan(),
           r.note(), static_cast<int64_t>(r.allow_over_total()), r.principal(), Micros(now)}));
  if (changed > 0) return absl::OkStatus();
  return tx_
      .Exec(
          "INSERT INTO progress_reports (project_id, month, completed, funds, note, "
          "allow_over_total, principal, report_us, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, 1)",
          {project_id, r.month(), r.cumulative_completed_yuan(), r.cumulative_funds_arrived_yuan(),
           r.note(), static_cast<int64_t>(r.allow_over_total()), r.principal(), Micros(now)})
      .status();
}

absl::StatusOr<std::vector<Keyed<v1::ProgressReport>>> IntakeTx::ListReports(
    const std::string& project_id, const std::string& after_month, int limit) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat("SELECT ", kReportColumns,
                             " FROM progress_reports WHERE project_id = $1 AND month > $2 "
                             "ORDER BY month LIMIT $3"),
                {project_id, after_month, static_cast<int64_t>(limit)}));
  std::vector<Keyed<v1::ProgressReport>> out;
  for (const auto& r : rows) out.push_back({ReportFromRow(project_id, r), {r.Text(0)}});
  return out;
}

absl::StatusOr<std::vector<MonthFigure>> IntakeTx::MonthFigures(const std::string& project_id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT month, completed, funds FROM "
                                                 "progress_reports WHERE project_id = $1",
                                                 {project_id}));
  std::vector<MonthFigure> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Int(1), r.Int(2)});
  return out;
}

absl::StatusOr<std::vector<ProjectFacts>> IntakeTx::FactsAsOf(const std::string& chain_id,
                                                              const std::string& date,
                                                              bool only_unsettled) {
  const std::string month = date.substr(0, 7);
  std::vector<SqlValue> params = {date};
  std::string chain_condition;
  if (!chain_id.empty()) {
    params.push_back(chain_id);
    chain_condition = " AND p.chain_id = $2";
  }
  // The complement of what SummaryInputs reads from the summary columns.
  const char* unsettled = " AND (p.last_change_date > $1 OR p.plan_pending = 1)";
  if (only_unsettled) absl::StrAppend(&chain_condition, unsettled);
  // Stage changes effective by the date, per project in order: the projects that existed.
  CHAINHUB_ASSIGN_OR_RETURN(
      auto changes,
      tx_.Query(absl::StrCat("SELECT s.project_id, s.from_stage, s.to_stage, s.effective_date "
                             "FROM stage_changes s JOIN projects p ON p.id = s.project_id "
                             "WHERE s.effective_date <= $1",
                             chain_condition, " ORDER BY s.project_id, s.seq"),
                params));
  std::map<std::string, ProjectFacts> facts;
  for (const auto& r : changes) {
    ProjectFacts& f = facts[r.Text(0)];
    StageState state{f.stage, f.stalled_from, ""};
    ApplyTransition(&state, &f.dates, static_cast<v1::Stage>(r.Int(2)), r.Text(3));
    f.stage = state.stage;
    f.stalled_from = state.stalled_from;
  }
  std::vector<SqlValue> project_params;
  std::string project_conditions;
  if (only_unsettled) {
    project_params.push_back(date);
    project_conditions = unsettled;
  }
  if (!chain_id.empty()) {
    project_params.push_back(chain_id);
    absl::StrAppend(&project_conditions, " AND p.chain_id = $", project_params.size());
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto projects,
      tx_.Query(absl::StrCat("SELECT p.id, p.data FROM projects p WHERE 1 = 1", project_conditions),
                project_params));
  for (const auto& r : projects) {
    auto it = facts.find(r.Text(0));
    if (it == facts.end()) continue;
    it->second.id = r.Text(0);
    CHAINHUB_ASSIGN_OR_RETURN(it->second.project, DecodeResource<v1::Project>(r.Bytes(1)));
    it->second.project.set_name(ProjectName{it->second.id}.String());
  }
  if (only_unsettled) {
    // The third query compares months with $1; the unsettled test needs the date too.
    params.push_back(date);
    absl::StrReplaceAll(
        {{"p.last_change_date > $1", absl::StrCat("p.last_change_date > $", params.size())}},
        &chain_condition);
  }
  params[0] = month;
  CHAINHUB_ASSIGN_OR_RETURN(
      auto reports,
      tx_.Query(absl::StrCat("SELECT r.project_id, r.month, r.completed, r.funds FROM "
                             "progress_reports r JOIN projects p ON p.id = r.project_id WHERE "
                             "r.month <= $1",
                             chain_condition),
                params));
  for (const auto& r : reports) {
    auto it = facts.find(r.Text(0));
    if (it != facts.end()) it->second.reports.push_back({r.Text(1), r.Int(2), r.Int(3)});
  }
  std::vector<ProjectFacts> out;
  out.reserve(facts.size());
  for (auto& [id, f] : facts) {
    if (!f.id.empty()) out.push_back(std::move(f));
  }
  return out;
}

absl::StatusOr<std::vector<SummaryProject>> IntakeTx::SummaryInputsReplayed(
    const std::string& chain_id, const Period& period, const std::string& as_of,
    const v1::LightRules& rules) {
  return SummaryInputsOf(chain_id, period, as_of, rules, /*only_unsettled=*/false);
}

absl::StatusOr<std::vector<SummaryProject>> IntakeTx::SummaryInputs(const std::string& chain_id,
                                                                    const Period& period,
                                                                    const std::string& as_of,
                                                                    const v1::LightRules& rules) {
  std::vector<std::string> chains = {chain_id};
  if (chain_id.empty()) {
    // Chain by chain, so each scan runs in the projects_summary index's order.
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT DISTINCT chain_id FROM projects"));
    chains.clear();
    for (const auto& r : rows) chains.push_back(r.Text(0));
  }
  std::vector<SummaryProject> out;
  const std::string end_month = as_of.substr(0, 7);
  for (const std::string& chain : chains) {
    // Projects replayed from their history: stage changed after as_of, or columns not filled.
    // Usually there are none, which index probes tell without a scan.
    CHAINHUB_ASSIGN_OR_RETURN(
        auto unsettled,
        tx_.Query("SELECT 1 FROM projects WHERE chain_id = $1 AND last_change_date > $2 "
                  "UNION ALL SELECT 1 FROM projects WHERE chain_id = $1 AND reported = 0 AND "
                  "plan_pending = 1 UNION ALL SELECT 1 FROM projects WHERE chain_id = $1 AND "
                  "reported = 1 AND plan_pending = 1 LIMIT 1",
                  {chain, as_of}));
    if (!unsettled.empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(std::vector<SummaryProject> replayed,
                                SummaryInputsOf(chain, period, as_of, rules, true));
      for (auto& s : replayed) out.push_back(std::move(s));
    }
    // Unreported projects with the same stage, bucket and dates share their light and every
    // figure but the sums; the plan only matters by whether it is set, so each group is split
    // in two: with a plan and without.
    CHAINHUB_ASSIGN_OR_RETURN(
        auto groups,
        tx_.Query("SELECT stage, stalled_from, planned_start_date, signed_date, started_date, "
                  "in_production_date, COUNT(*), CAST(SUM(total_investment) AS BIGINT), "
                  "MIN(total_investment), "
                  "SUM(CASE WHEN annual_planned > 0 THEN 1 ELSE 0 END), "
                  "CAST(SUM(CASE WHEN annual_planned > 0 THEN total_investment ELSE 0 END) "
                  "AS BIGINT), CAST(SUM(annual_planned) AS BIGINT), "
                  "MIN(CASE WHEN annual_planned > 0 THEN annual_planned END) "
                  "FROM projects WHERE chain_id = $1 AND reported = 0 AND plan_pending = 0 "
                  "AND last_change_date <= $2 GROUP BY stage, stalled_from, size_bucket, "
                  "planned_start_date, signed_date, started_date, in_production_date",
                  {chain, as_of}));
    for (const auto& g : groups) {
      const auto stage = static_cast<v1::Stage>(g.Int(0));
      const auto stalled_from = static_cast<v1::Stage>(g.Int(1));
      const v1::StageDates dates = DatesOf(g, 3);
      const int64_t count = g.Int(6), total = g.Int(7), band_total = g.Int(8);
      const int64_t planned_count = g.Int(9), planned_total = g.Int(10);
      if (planned_count > 0) {
        SummaryProject s = SummaryOf(stage, stalled_from, dates, planned_total, g.Int(12),
                                     g.Text(2), {}, period, as_of, rules);
        s.count = planned_count;
        s.band_total_yuan = band_total;
        s.annual_planned_investment_yuan = g.Int(11);
        out.push_back(std::move(s));
      }
      if (count > planned_count) {
        SummaryProject s = SummaryOf(stage, stalled_from, dates, total - planned_total, 0,
                                     g.Text(2), {}, period, as_of, rules);
        s.count = count - planned_count;
        s.band_total_yuan = band_total;
        out.push_back(std::move(s));
      }
    }
    // Reported projects one by one, with their reports up to the end month.
    CHAINHUB_ASSIGN_OR_RETURN(
        auto any_reported,
        tx_.Query("SELECT 1 FROM projects WHERE chain_id = $1 AND reported = 1 LIMIT 1", {chain}));
    if (any_reported.empty()) continue;
    CHAINHUB_ASSIGN_OR_RETURN(
        auto reports,
        tx_.Query("SELECT r.project_id, r.month, r.completed, r.funds FROM progress_reports r "
                  "WHERE r.project_id IN (SELECT id FROM projects WHERE chain_id = $1 AND "
                  "reported = 1 AND plan_pending = 0) AND r.month <= $2",
                  {chain, end_month}));
    absl::flat_hash_map<std::string, std::vector<MonthFigure>> figures;
    for (const auto& r : reports) figures[r.Text(0)].push_back({r.Text(1), r.Int(2), r.Int(3)});
    CHAINHUB_ASSIGN_OR_RETURN(
        auto projects,
        tx_.Query("SELECT id, stage, stalled_from, signed_date, started_date, in_production_date, "
                  "total_investment, annual_planned, planned_start_date, last_change_date "
                  "FROM projects WHERE chain_id = $1 AND reported = 1 AND plan_pending = 0",
                  {chain}));
    for (const auto& r : projects) {
      // Compared here, not in SQL, so the planner keeps to projects_summary: the replay above
      // took the projects whose stage changed after as_of.
      if (r.Text(9) > as_of) continue;
      auto it = figures.find(r.Text(0));
      out.push_back(
          SummaryOf(static_cast<v1::Stage>(r.Int(1)), static_cast<v1::Stage>(r.Int(2)),
                    DatesOf(r, 3), r.Int(6), r.Int(7), r.Text(8),
                    it == figures.end() ? std::vector<MonthFigure>{} : std::move(it->second),
                    period, as_of, rules));
    }
  }
  return out;
}

absl::StatusOr<std::vector<SummaryProject>> IntakeTx::SummaryInputsOf(const std::string& chain_id,
                                                                      const Period& period,
                                                                      const std::string& as_of,
                                                                      const v1::LightRules& rules,
                                                                      bool only_unsettled) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<ProjectFacts> facts,
                            FactsAsOf(chain_id, as_of, only_unsettled));
  std::vector<SummaryProject> out;
  out.reserve(facts.size());
  for (ProjectFacts& f : facts) {
    out.push_back(SummaryOf(f.stage, f.stalled_from, f.dates, f.project.total_investment_yuan(),
                            f.project.annual_planned_investment_yuan(),
                            f.project.planned_start_date(), std::move(f.reports), period, as_of,
                            rules));
  }
  return out;
}

absl::StatusOr<int64_t> IntakeTx::BackfillSummaryColumns(int limit) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT id, data FROM projects WHERE plan_pending = 1 LIMIT $1",
                           {static_cast<int64_t>(limit)}));
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Project p, DecodeResource<v1::Project>(r.Bytes(1)));
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("UPDATE projects SET annual_planned = $2, planned_start_date = $3, "
                 "plan_pending = 0 WHERE id = $1",
                 {r.Text(0), p.annual_planned_investment_yuan(), p.planned_start_date()})
            .status());
  }
  return static_cast<int64_t>(rows.size());
}

absl::Status IntakeTx::SetLight(const std::string& id, const v1::Project& p) {
  return tx_
      .Exec("UPDATE projects SET light = $2, data = $3 WHERE id = $1",
            {id, static_cast<int64_t>(p.light()), Blob{EncodeResource(p)}})
      .status();
}

// --- Work items --------------------------------------------------------------------------------

absl::StatusOr<v1::WorkItem> IntakeTx::GetWorkItem(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT id, data, revision, create_us, update_us FROM work_items "
                           "WHERE id = $1",
                           {id}));
  if (rows.empty()) return NotFound("WorkItem", id);
  return WorkItemFromRow(rows[0]);
}

absl::Status IntakeTx::InsertWorkItem(const std::string& id, const v1::WorkItem& item,
                                      absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlValue> values, WorkItemValues(id, item));
  values.push_back(Micros(now));
  return tx_
      .Exec(
          "INSERT INTO work_items (id, kind, status, subject, chain_id, owner_department, "
          "deadline, data, revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, 1, $9, $9)",
          values)
      .status();
}

absl::Status IntakeTx::UpdateWorkItem(const std::string& id, const v1::WorkItem& item,
                                      absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(std::vector<SqlValue> values, WorkItemValues(id, item));
  values.push_back(Micros(now));
  return tx_
      .Exec(
          "UPDATE work_items SET kind = $2, status = $3, subject = $4, chain_id = $5, "
          "owner_department = $6, deadline = $7, data = $8, revision = revision + 1, "
          "update_us = $9 WHERE id = $1",
          values)
      .status();
}

absl::StatusOr<std::vector<Keyed<v1::WorkItem>>> IntakeTx::ListWorkItems(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::string sql = absl::StrCat(
      "SELECT w.id, w.data, w.revision, w.create_us, w.update_us, ", absl::StrJoin(q.columns, ", "),
      " FROM work_items w", PageClause(q, &params, {}, NumericColumns(q.columns, {"w.create_us"})));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::WorkItem>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::WorkItem item, WorkItemFromRow(r));
    out.push_back({std::move(item), KeyOf(r, 5, q.columns.size())});
  }
  return out;
}

absl::StatusOr<int64_t> IntakeTx::CountWorkItems(const CompiledFilter& filter) {
  std::string sql = "SELECT COUNT(*) FROM work_items w";
  if (!filter.sql.empty()) absl::StrAppend(&sql, " WHERE ", filter.sql);
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne(sql, filter.params));
  return row.Int(0);
}

absl::StatusOr<std::vector<std::pair<std::string, v1::WorkItem>>> IntakeTx::DueReminders(
    const std::string& chain_id, const std::string& date, int limit) {
  std::vector<SqlValue> params{static_cast<int64_t>(v1::WORK_ITEM_STATUS_RESOLVED), date,
                               static_cast<int64_t>(limit)};
  std::string sql =
      "SELECT id, data, revision, create_us, update_us FROM work_items WHERE status != $1 AND "
      "deadline < $2 AND reminded_on < $2";
  if (!chain_id.empty()) {
    params.push_back(chain_id);
    absl::StrAppend(&sql, " AND chain_id = $4");
  }
  absl::StrAppend(&sql, " ORDER BY deadline, id LIMIT $3");
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<std::pair<std::string, v1::WorkItem>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::WorkItem item, WorkItemFromRow(r));
    out.emplace_back(r.Text(0), std::move(item));
  }
  return out;
}

absl::Status IntakeTx::SetReminded(const std::string& id, const std::string& date) {
  return tx_.Exec("UPDATE work_items SET reminded_on = $2 WHERE id = $1", {id, date}).status();
}

// --- Light rules -------------------------------------------------------------------------------

absl::StatusOr<v1::LightRules> IntakeTx::GetLightRules() {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT data, update_us FROM light_rules WHERE id = 1"));
  if (rows.empty()) return DefaultLightRules();
  CHAINHUB_ASSIGN_OR_RETURN(v1::LightRules rules, DecodeResource<v1::LightRules>(rows[0].Bytes(0)));
  SetTimestamp(rules.mutable_update_time(), rows[0].Int(1));
  return rules;
}

absl::Status IntakeTx::PutLightRules(const v1::LightRules& rules, absl::Time now) {
  v1::LightRules stored = rules;
  stored.clear_update_time();
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed, tx_.Exec("UPDATE light_rules SET data = $1, update_us = $2 WHERE id = 1",
                                {Blob{stored.SerializeAsString()}, Micros(now)}));
  if (changed > 0) return absl::OkStatus();
  return tx_
      .Exec("INSERT INTO light_rules (id, data, update_us) VALUES (1, $1, $2)",
            {Blob{stored.SerializeAsString()}, Micros(now)})
      .status();
}

absl::Status BackfillSummaryColumns(Store& store) {
  for (;;) {
    int64_t filled = 0;
    CHAINHUB_RETURN_IF_ERROR(store.Write([&](SqlTx& tx) -> absl::Status {
      CHAINHUB_ASSIGN_OR_RETURN(filled, IntakeTx(tx).BackfillSummaryColumns(1000));
      return absl::OkStatus();
    }));
    if (filled == 0) return absl::OkStatus();
  }
}

}  // namespace chainhub::intake
