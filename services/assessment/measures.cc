#include "services/assessment/measures.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "services/assessment/names.h"

namespace chainhub::assessment {
namespace {

using intake::v1::Stage;

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }
std::string Month(absl::CivilDay d) { return Day(d).substr(0, 7); }

// A measure's query, built once for both the grouped evaluation and the fact listing: `with`
// (CTEs, may be empty), `from` (FROM … WHERE …), and the expressions of one counted fact.
struct Plan {
  std::string with;
  // FROM these (with their joins) WHERE every condition holds; where[0] is the in-force
  // condition of the counted facts, shared by every measure over them.
  std::string tables;
  std::vector<std::string> where;
  std::vector<SqlValue> params;
  std::string group;     // the subject key: a chain id or a county
  std::string value;     // the fact's contribution (1 for a count)
  std::string hash_hi;   // the fact's hash halves (sums of the versions it rests on)
  std::string hash_lo;
  std::string resource;  // its name, e.g. 'projects/' || p.id
  std::string order;     // the column its name sorts by
  std::string display;
  // Extra columns for its detail, and how they read.
  std::vector<std::string> detail_columns;
  std::function<std::string(const SqlRow&, size_t first)> detail;

  std::string Param(SqlValue v) {
    params.push_back(std::move(v));
    return absl::StrCat("$", params.size());
  }
  std::string From() const {
    return absl::StrCat(" FROM ", tables, " WHERE ", absl::StrJoin(where, " AND "));
  }
  // The conditions beyond the in-force one ("1 = 1" when there are none).
  std::string Filter() const {
    if (where.size() <= 1) return "1 = 1";
    return absl::StrJoin(where.begin() + 1, where.end(), " AND ");
  }
};

std::string InForce(absl::string_view alias) {
  return absl::StrCat(alias, ".recorded_us <= $1 AND ", alias, ".superseded_us > $1 AND ", alias,
                      ".deleted = 0");
}

const char* StageDateColumn(Stage stage) {
  switch (stage) {
    case intake::v1::STAGE_SIGNED:
      return "signed_date";
    case intake::v1::STAGE_REGISTERED:
      return "registered_date";
    case intake::v1::STAGE_STARTED:
      return "started_date";
    case intake::v1::STAGE_IN_PRODUCTION:
      return "in_production_date";
    case intake::v1::STAGE_FULL_OUTPUT:
      return "full_output_date";
    default:
      return nullptr;
  }
}

const char* StageLabel(Stage stage) {
  switch (stage) {
    case intake::v1::STAGE_SIGNED:
      return "签约";
    case intake::v1::STAGE_REGISTERED:
      return "注册";
    case intake::v1::STAGE_STARTED:
      return "开工";
    case intake::v1::STAGE_IN_PRODUCTION:
      return "投产";
    case intake::v1::STAGE_FULL_OUTPUT:
      return "达产";
    default:
      return "";
  }
}

bool IsProjectField(v1::MeasureField f) {
  return f == v1::MEASURE_FIELD_TOTAL_INVESTMENT || f == v1::MEASURE_FIELD_FIXED_ASSET_INVESTMENT ||
         f == v1::MEASURE_FIELD_COMPLETED_IN_PERIOD ||
         f == v1::MEASURE_FIELD_FUNDS_ARRIVED_IN_PERIOD;
}

absl::Status Validate(const MeasureQuery& q) {
  std::vector<FieldViolation> v;
  if (q.measure == nullptr) return InvalidField("measure", "must be set");
  const v1::Measure& m = *q.measure;
  if (m.entity() == v1::MEASURE_ENTITY_UNSPECIFIED) {
    v.push_back({"measure.entity", "must be set"});
  }
  if (m.aggregate() == v1::AGGREGATE_UNSPECIFIED) {
    v.push_back({"measure.aggregate", "must be set"});
  } else if (m.aggregate() == v1::AGGREGATE_COUNT && m.field() != v1::MEASURE_FIELD_UNSPECIFIED) {
    v.push_back({"measure.field", "must be empty for COUNT"});
  } else if (m.aggregate() == v1::AGGREGATE_SUM) {
    const bool fits = (m.entity() == v1::MEASURE_ENTITY_PROJECTS && IsProjectField(m.field())) ||
                      (m.entity() == v1::MEASURE_ENTITY_ENTERPRISES &&
                       m.field() == v1::MEASURE_FIELD_ANNUAL_OUTPUT);
    if (!fits) v.push_back({"measure.field", "must be a field of the measure's entity for SUM"});
  }
  if (m.projects().reached_in_period() != intake::v1::STAGE_UNSPECIFIED &&
      StageDateColumn(m.projects().reached_in_period()) == nullptr) {
    v.push_back({"measure.projects.reached_in_period",
                 "must be SIGNED, REGISTERED, STARTED, IN_PRODUCTION or FULL_OUTPUT"});
  }
  if (q.first_day > q.last_day) v.push_back({"period", "must not end before it starts"});
  return ToStatus(v);
}

void ProjectPlan(const MeasureQuery& q, Plan& plan) {
  const v1::Measure& m = *q.measure;
  const v1::ProjectFilter& f = m.projects();
  std::vector<std::string> where = {InForce("p")};
  const Stage reached = f.reached_in_period();
  if (reached != intake::v1::STAGE_UNSPECIFIED) {
    where.push_back(absl::StrCat("p.", StageDateColumn(reached), " BETWEEN ",
                                 plan.Param(Day(q.first_day)), " AND ",
                                 plan.Param(Day(q.last_day))));
  }
  if (f.created_in_period()) {
    where.push_back(absl::StrCat("p.create_date BETWEEN ", plan.Param(Day(q.first_day)), " AND ",
                                 plan.Param(Day(q.last_day))));
  }
  for (auto [min, max] : {std::pair{f.min_total_investment_yuan(), f.max_total_investment_yuan()},
                          std::pair{q.band_min_yuan, q.band_max_yuan}}) {
    if (min > 0) where.push_back(absl::StrCat("p.total_yuan >= ", plan.Param(min)));
    if (max > 0) where.push_back(absl::StrCat("p.total_yuan < ", plan.Param(max)));
  }
  if (f.source() != intake::v1::PROJECT_SOURCE_UNSPECIFIED) {
    where.push_back(absl::StrCat("p.source = ", plan.Param(int64_t{f.source()})));
  }
  if (!f.investor_origins().empty()) {
    std::vector<std::string> origins;
    for (int o : f.investor_origins()) origins.push_back(plan.Param(int64_t{o}));
    where.push_back(absl::StrCat("p.investor_origin IN (", absl::StrJoin(origins, ", "), ")"));
  }
  if (f.fortune500()) where.push_back("p.fortune500 = 1");
  if (f.provincial_key()) where.push_back("p.provincial_key = 1");
  if (f.light() != intake::v1::LIGHT_UNSPECIFIED) {
    where.push_back(absl::StrCat("p.light = ", plan.Param(int64_t{f.light()})));
  }

  plan.group = q.subject_kind == v1::SUBJECT_KIND_COUNTIES ? "p.county" : "p.chain_id";
  plan.resource = "'projects/' || p.id";
  plan.order = "p.id";
  plan.display = "p.display_name";
  plan.hash_hi = "p.hash_hi";
  plan.hash_lo = "p.hash_lo";
  plan.value = "1";
  std::string from = "fact_projects p";
  const v1::MeasureField field = m.aggregate() == v1::AGGREGATE_SUM ? m.field()
                                                                     : v1::MEASURE_FIELD_UNSPECIFIED;
  const bool in_period = field == v1::MEASURE_FIELD_COMPLETED_IN_PERIOD ||
                         field == v1::MEASURE_FIELD_FUNDS_ARRIVED_IN_PERIOD;
  if (field == v1::MEASURE_FIELD_TOTAL_INVESTMENT) plan.value = "p.total_yuan";
  if (field == v1::MEASURE_FIELD_FIXED_ASSET_INVESTMENT) plan.value = "p.fixed_asset_yuan";
  if (in_period) {
    const char* amount = field == v1::MEASURE_FIELD_COMPLETED_IN_PERIOD ? "completed_yuan"
                                                                         : "funds_arrived_yuan";
    // One pass over the reports in force up to the period's last month, per project. Intake
    // keeps cumulative figures monotonic over months (never below an earlier month's, never
    // above a later one's), so the figure of the latest month is the greatest, and the figure
    // before the period the greatest of the months before it. The digest sums every report
    // that was read.
    plan.with = absl::StrCat(
        "WITH r AS (SELECT project_id, MAX(month) AS month, MAX(", amount,
        ") AS end_amount, MAX(CASE WHEN month < ", plan.Param(Month(q.first_day)), " THEN ",
        amount,
        " ELSE 0 END) AS start_amount, SUM(hash_hi) AS hash_hi, SUM(hash_lo) AS hash_lo "
        "FROM fact_progress_reports r WHERE ",
        InForce("r"), " AND month <= ", plan.Param(Month(q.last_day)), " GROUP BY project_id) ");
    from += " JOIN r ON r.project_id = p.id";
    plan.value = "r.end_amount - r.start_amount";
    where.push_back("r.end_amount <> r.start_amount");
    plan.hash_hi = "p.hash_hi + r.hash_hi";
    plan.hash_lo = "p.hash_lo + r.hash_lo";
  }
  plan.tables = std::move(from);
  plan.where = std::move(where);

  const char* date_column = reached != intake::v1::STAGE_UNSPECIFIED ? StageDateColumn(reached)
                                                                     : "create_date";
  plan.detail_columns = {absl::StrCat("p.", date_column), "p.total_yuan", "p.fixed_asset_yuan"};
  if (in_period) {
    plan.detail_columns.insert(plan.detail_columns.end(),
                               {"r.month", "r.end_amount", "r.start_amount"});
  }
  const char* date_label = reached != intake::v1::STAGE_UNSPECIFIED ? StageLabel(reached)
                           : f.created_in_period()                  ? "入库"
                                                                    : nullptr;
  plan.detail = [date_label, field, in_period](const SqlRow& r, size_t i) {
    std::vector<std::string> parts;
    if (date_label != nullptr) parts.push_back(absl::StrCat(r.Text(i), " ", date_label));
    parts.push_back(absl::StrCat("总投资 ", FormatYi(r.Int(i + 1))));
    if (field == v1::MEASURE_FIELD_FIXED_ASSET_INVESTMENT) {
      parts.push_back(absl::StrCat("固定资产投资 ", FormatYi(r.Int(i + 2))));
    }
    if (in_period) {
      const char* what = field == v1::MEASURE_FIELD_COMPLETED_IN_PERIOD ? "累计完成投资"
                                                                         : "累计到位资金";
      parts.push_back(absl::StrCat("截至 ", r.Text(i + 3), " ", what, " ", FormatYi(r.Int(i + 4)),
                                   ", 期前 ", FormatYi(r.Int(i + 5)), ", 期内 ",
                                   FormatYi(r.Int(i + 4) - r.Int(i + 5))));
    }
    return absl::StrJoin(parts, ", ");
  };
}

void EnterprisePlan(const MeasureQuery& q, Plan& plan) {
  const v1::EnterpriseFilter& f = q.measure->enterprises();
  std::vector<std::string> where = {InForce("e")};
  int64_t mask = 0;
  for (int label : f.labels()) mask |= int64_t{1} << label;
  if (mask != 0) {
    const std::string m = plan.Param(mask);
    where.push_back(absl::StrCat("(e.labels & ", m, ") = ", m));
  }
  if (f.min_annual_output_yuan() > 0) {
    where.push_back(absl::StrCat("e.annual_output_yuan >= ", plan.Param(f.min_annual_output_yuan())));
  }
  std::string from = "fact_enterprises e";
  if (q.subject_kind == v1::SUBJECT_KIND_COUNTIES) {
    plan.group = "e.county";
  } else {
    from += " JOIN fact_enterprise_chains ec ON ec.credit_code = e.credit_code AND "
            "ec.recorded_us = e.recorded_us";
    plan.group = "ec.chain_id";
  }
  plan.tables = std::move(from);
  plan.where = std::move(where);
  plan.value = q.measure->aggregate() == v1::AGGREGATE_SUM ? "e.annual_output_yuan" : "1";
  plan.hash_hi = "e.hash_hi";
  plan.hash_lo = "e.hash_lo";
  plan.resource = "'enterprises/' || e.credit_code";
  plan.order = "e.credit_code";
  plan.display = "e.display_name";
  plan.detail_columns = {"e.annual_output_yuan", "e.county"};
  plan.detail = [](const SqlRow& r, size_t i) {
    return absl::StrCat("产值 ", FormatYi(r.Int(i)), ", ", r.Text(i + 1));
  };
}

void WorkItemPlan(const MeasureQuery& q, Plan& plan) {
  const v1::WorkItemFilter& f = q.measure->work_items();
  std::vector<std::string> where = {InForce("w")};
  if (f.kind() != intake::v1::WORK_ITEM_KIND_UNSPECIFIED) {
    where.push_back(absl::StrCat("w.kind = ", plan.Param(int64_t{f.kind()})));
  }
  const std::string resolved =
      absl::StrCat("w.status = ", int64_t{intake::v1::WORK_ITEM_STATUS_RESOLVED});
  switch (f.condition()) {
    case v1::WORK_ITEM_CONDITION_OVERDUE:
      where.push_back(absl::StrCat("w.status <> ", int64_t{intake::v1::WORK_ITEM_STATUS_RESOLVED},
                                   " AND w.deadline < ", plan.Param(ChinaDate(q.as_of))));
      break;
    case v1::WORK_ITEM_CONDITION_RESOLVED_ON_TIME_IN_PERIOD:
      where.push_back("w.resolved_date <= w.deadline");
      [[fallthrough]];
    case v1::WORK_ITEM_CONDITION_RESOLVED_IN_PERIOD:
      where.push_back(absl::StrCat(resolved, " AND w.resolved_date BETWEEN ",
                                   plan.Param(Day(q.first_day)), " AND ",
                                   plan.Param(Day(q.last_day))));
      break;
    case v1::WORK_ITEM_CONDITION_OPENED_IN_PERIOD:
      where.push_back(absl::StrCat("w.create_date BETWEEN ", plan.Param(Day(q.first_day)),
                                   " AND ", plan.Param(Day(q.last_day))));
      break;
    default:
      break;
  }
  std::string from = "fact_work_items w";
  plan.hash_hi = "w.hash_hi";
  plan.hash_lo = "w.hash_lo";
  if (q.subject_kind == v1::SUBJECT_KIND_COUNTIES) {
    // A work item belongs to the county of its subject project, as that project stands.
    from += " JOIN fact_projects p ON p.id = w.subject_project";
    where.push_back(InForce("p"));
    plan.group = "p.county";
    plan.hash_hi += " + p.hash_hi";
    plan.hash_lo += " + p.hash_lo";
  } else {
    plan.group = "w.chain_id";
  }
  plan.tables = std::move(from);
  plan.where = std::move(where);
  plan.value = "1";
  plan.resource = "w.name";
  plan.order = "w.name";
  plan.display = "w.title";
  plan.detail_columns = {"w.deadline", "w.status", "w.resolved_date"};
  plan.detail = [](const SqlRow& r, size_t i) {
    const bool done = r.Int(i + 1) == intake::v1::WORK_ITEM_STATUS_RESOLVED;
    return absl::StrCat("期限 ", r.Text(i), ", ",
                        done ? absl::StrCat(r.Text(i + 2), " 办结") : std::string("未办结"));
  };
}

// The subject keys of the query (chain ids or counties) by subject name.
absl::StatusOr<std::map<std::string, std::string>> SubjectKeys(const MeasureQuery& q) {
  std::map<std::string, std::string> keys;
  std::vector<FieldViolation> v;
  const auto want = q.subject_kind == v1::SUBJECT_KIND_COUNTIES ? SubjectName::Kind::kCounty
                                                                : SubjectName::Kind::kChain;
  for (size_t i = 0; i < q.subjects.size(); ++i) {
    const std::string field = absl::StrCat("subjects[", i, "]");
    auto name = SubjectName::Parse(field, q.subjects[i]);
    if (!name.ok()) {
      v.push_back({field, std::string(name.status().message())});
    } else if (name->kind != want) {
      v.push_back({field, "must be a subject of the scheme's kind"});
    } else {
      keys[name->id] = q.subjects[i];
    }
  }
  CHAINHUB_RETURN_IF_ERROR(ToStatus(v));
  return keys;
}

// The plan of `q`; its parameters follow `params` ($1 is always the as-of instant), so that
// plans made one after another on the same vector can share one statement.
absl::StatusOr<Plan> PlanOf(const MeasureQuery& q, std::vector<SqlValue> params = {}) {
  CHAINHUB_RETURN_IF_ERROR(Validate(q));
  Plan plan;
  plan.params = std::move(params);
  if (plan.params.empty()) plan.params.push_back(absl::ToUnixMicros(q.as_of));
  switch (q.measure->entity()) {
    case v1::MEASURE_ENTITY_PROJECTS:
      ProjectPlan(q, plan);
      break;
    case v1::MEASURE_ENTITY_ENTERPRISES:
      EnterprisePlan(q, plan);
      break;
    default:
      WorkItemPlan(q, plan);
      break;
  }
  return plan;
}

std::string SubjectNameOf(v1::SubjectKind kind, const std::string& key) {
  return SubjectName{kind == v1::SUBJECT_KIND_COUNTIES ? SubjectName::Kind::kCounty
                                                       : SubjectName::Kind::kChain,
                     key}
      .String();
}

std::string Digest(int64_t count, int64_t hi, int64_t lo, int64_t sum) {
  return absl::StrCat(count, "-", absl::Hex(hi), "-", absl::Hex(lo), "-", sum);
}

}  // namespace

std::string FormatYi(int64_t yuan) {
  std::string s = absl::StrFormat("%.2f", static_cast<double>(yuan) / 1e8);
  if (absl::StrContains(s, '.')) {
    while (absl::EndsWith(s, "0")) s.pop_back();
    if (absl::EndsWith(s, ".")) s.pop_back();
  }
  if (s == "-0") s = "0";
  return absl::StrCat(s, "亿元");
}

absl::StatusOr<std::map<std::string, SubjectValue>> EvaluateMeasure(SqlTx& tx,
                                                                   const MeasureQuery& q) {
  CHAINHUB_ASSIGN_OR_RETURN(auto values, EvaluateMeasures(tx, {q}));
  return std::move(values[0]);
}

absl::StatusOr<std::vector<std::map<std::string, SubjectValue>>> EvaluateMeasures(
    SqlTx& tx, const std::vector<MeasureQuery>& queries) {
  std::vector<std::map<std::string, SubjectValue>> out(queries.size());
  std::vector<std::map<std::string, std::string>> keys(queries.size());
  // Queries that can share a pass, by what the pass reads: the tables, the subject key, the
  // instant and the subjects. A measure with its own subquery (the reports of a period) is
  // evaluated alone.
  std::map<std::string, std::vector<size_t>> passes;
  for (size_t i = 0; i < queries.size(); ++i) {
    CHAINHUB_ASSIGN_OR_RETURN(Plan plan, PlanOf(queries[i]));
    CHAINHUB_ASSIGN_OR_RETURN(keys[i], SubjectKeys(queries[i]));
    for (const auto& [key, name] : keys[i]) out[i][name] = {0, 0, Digest(0, 0, 0, 0)};
    std::string pass = absl::StrCat(plan.tables, "|", plan.group, "|",
                                    absl::ToUnixMicros(queries[i].as_of), "|",
                                    static_cast<int>(queries[i].subject_kind), "|",
                                    absl::StrJoin(queries[i].subjects, ","));
    if (!plan.with.empty()) pass = absl::StrCat("alone ", i);
    passes[pass].push_back(i);
  }
  for (const auto& [pass, members] : passes) {
    // One statement: per member, the count, value sum and hash sums of the facts its filter
    // admits, over the facts in force grouped by subject.
    std::vector<SqlValue> params;
    std::vector<std::string> columns;
    std::string with, tables, group, in_force;
    for (size_t i : members) {
      CHAINHUB_ASSIGN_OR_RETURN(Plan plan, PlanOf(queries[i], std::move(params)));
      params = std::move(plan.params);
      with = plan.with;
      tables = plan.tables;
      group = plan.group;
      in_force = plan.where[0];
      const std::string when = absl::StrCat("CASE WHEN ", plan.Filter(), " THEN ");
      columns.push_back(absl::StrCat("SUM(", when, "1 ELSE 0 END)"));
      for (const std::string& e : {plan.value, plan.hash_hi, plan.hash_lo}) {
        columns.push_back(absl::StrCat("CAST(SUM(", when, e, " ELSE 0 END) AS BIGINT)"));
      }
    }
    const auto& subject_keys = keys[members[0]];
    std::string restrict;
    if (!subject_keys.empty()) {
      std::vector<std::string> in;
      for (const auto& [key, name] : subject_keys) {
        params.push_back(key);
        in.push_back(absl::StrCat("$", params.size()));
      }
      restrict = absl::StrCat(" AND ", group, " IN (", absl::StrJoin(in, ", "), ")");
    }
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows, tx.Query(absl::StrCat(with, "SELECT ", group, ", ", absl::StrJoin(columns, ", "),
                                         " FROM ", tables, " WHERE ", in_force, restrict,
                                         " GROUP BY ", group),
                            params));
    for (const SqlRow& r : rows) {
      for (size_t m = 0; m < members.size(); ++m) {
        const size_t i = members[m];
        const size_t c = 1 + 4 * m;
        const int64_t count = r.Int(c);
        if (count == 0) continue;  // as if the subject had no row for this measure
        auto known = keys[i].find(r.Text(0));
        const std::string name = known != keys[i].end()
                                     ? known->second
                                     : SubjectNameOf(queries[i].subject_kind, r.Text(0));
        const double scale = queries[i].measure->scale() == 0 ? 1 : queries[i].measure->scale();
        out[i][name] = {static_cast<double>(r.Int(c + 1)) * scale, count,
                        Digest(count, r.Int(c + 2), r.Int(c + 3), r.Int(c + 1))};
      }
    }
  }
  return out;
}

absl::StatusOr<FactPage> ListMeasureFacts(SqlTx& tx, const MeasureQuery& q,
                                          const std::string& subject, int offset, int limit) {
  CHAINHUB_ASSIGN_OR_RETURN(Plan plan, PlanOf(q));
  MeasureQuery one = q;
  one.subjects = {subject};
  CHAINHUB_ASSIGN_OR_RETURN(auto keys, SubjectKeys(one));
  const std::string restrict =
      absl::StrCat(" AND ", plan.group, " = ", plan.Param(keys.begin()->first));
  FactPage page;
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow total,
      tx.QueryOne(absl::StrCat(plan.with, "SELECT COUNT(*)", plan.From(), restrict), plan.params));
  page.total = static_cast<int32_t>(total.Int(0));
  const std::string window = absl::StrCat(" ORDER BY ", plan.order, " LIMIT ",
                                          plan.Param(int64_t{limit}), " OFFSET ",
                                          plan.Param(int64_t{offset}));
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(absl::StrCat(plan.with, "SELECT ", plan.resource, ", ", plan.display, ", ",
                            plan.value, ", ", absl::StrJoin(plan.detail_columns, ", "), plan.From(),
                            restrict, window),
               plan.params));
  for (const SqlRow& r : rows) {
    v1::Fact& fact = page.facts.emplace_back();
    fact.set_resource(r.Text(0));
    fact.set_display_name(r.Text(1));
    fact.set_value(static_cast<double>(r.Int(2)));
    fact.set_detail(plan.detail(r, 3));
  }
  return page;
}

absl::StatusOr<std::vector<Subject>> ListSubjects(SqlTx& tx, v1::SubjectKind kind,
                                                  absl::Time as_of) {
  const int64_t us = absl::ToUnixMicros(as_of);
  const int64_t active = registry::v1::CHAIN_STATUS_ACTIVE;
  std::vector<Subject> out;
  if (kind == v1::SUBJECT_KIND_COUNTIES) {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(absl::StrCat("SELECT DISTINCT cc.county FROM fact_chains c JOIN "
                              "fact_chain_counties cc ON cc.chain_id = c.chain_id AND "
                              "cc.recorded_us = c.recorded_us WHERE ",
                              InForce("c"), " AND c.status = $2 ORDER BY cc.county"),
                 {us, active}));
    for (const SqlRow& r : rows) out.push_back({SubjectNameOf(kind, r.Text(0)), r.Text(0)});
    return out;
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx.Query(absl::StrCat("SELECT c.chain_id, c.display_name FROM fact_chains c WHERE ",
                                       InForce("c"), " AND c.status = $2 ORDER BY c.chain_id"),
                          {us, active}));
  for (const SqlRow& r : rows) out.push_back({SubjectNameOf(kind, r.Text(0)), r.Text(1)});
  return out;
}

}  // namespace chainhub::assessment
