#include "services/support/chain_plan_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"

namespace chainhub::support {
namespace {

constexpr char kColumns[] =
    "SELECT p.chain, p.id, p.published_version, p.revision, p.create_us, v.data, v.version, "
    "v.create_us FROM support_chain_plans p JOIN support_chain_plan_versions v ON v.plan_id = p.id";

absl::StatusOr<v1::ChainPlan> PlanOf(const SqlRow& r) {
  v1::ChainPlan plan;
  if (!plan.ParseFromString(r.Bytes(5))) return absl::DataLossError("stored plan does not decode");
  plan.set_name(ChainPlanName{r.Text(0), r.Text(1)}.String());
  plan.set_published_version(static_cast<int32_t>(r.Int(2)));
  plan.set_version(static_cast<int32_t>(r.Int(6)));
  plan.set_etag(MakeEtag(r.Int(4), r.Int(3)));
  SetTimestamp(plan.mutable_create_time(), r.Int(4));
  SetTimestamp(plan.mutable_update_time(), r.Int(7));
  return plan;
}

// The content of a version: the plan without its name and output-only fields.
std::string Encoded(v1::ChainPlan plan) {
  plan.clear_name();
  plan.clear_version();
  plan.clear_published_version();
  plan.clear_etag();
  plan.clear_create_time();
  plan.clear_update_time();
  for (v1::PlanTask& task : *plan.mutable_tasks()) task.clear_work_item();
  return plan.SerializeAsString();
}

}  // namespace

const std::map<std::string, FilterField>& ChainPlanFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"kind", EnumFilter("p.kind", v1::PlanKind_descriptor(), "")},
      {"start_year", IntFilter("p.start_year")},
      {"end_year", IntFilter("p.end_year")},
  };
  return *fields;
}

absl::Status ChainPlansTx::Insert(const ChainPlanName& name, const v1::ChainPlan& plan,
                                  const std::string& principal, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT 1 FROM support_chain_plans WHERE id = $1", {name.id}));
  if (!rows.empty()) return AlreadyExists("ChainPlan", name.String());
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO support_chain_plans (chain, id, kind, start_year, end_year, version, "
               "published_version, revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, 1, "
               "0, 1, $6, $6)",
               {name.chain, name.id, int64_t{plan.kind()}, int64_t{plan.start_year()},
                int64_t{plan.end_year()}, Micros(now)})
          .status());
  return tx_
      .Exec(
          "INSERT INTO support_chain_plan_versions (plan_id, version, data, principal, "
          "create_us) VALUES ($1, 1, $2, $3, $4)",
          {name.id, Blob{Encoded(plan)}, principal, Micros(now)})
      .status();
}

absl::StatusOr<v1::ChainPlan> ChainPlansTx::Get(const ChainPlanName& name, int version) {
  std::vector<SqlRow> rows;
  if (version == 0) {
    CHAINHUB_ASSIGN_OR_RETURN(
        rows, tx_.Query(absl::StrCat(kColumns,
                                     " AND v.version = p.version WHERE p.chain = $1 "
                                     "AND p.id = $2"),
                        {name.chain, name.id}));
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(rows,
                              tx_.Query(absl::StrCat(kColumns,
                                                     " AND v.version = $3 WHERE p.chain = $1 AND "
                                                     "p.id = $2"),
                                        {name.chain, name.id, int64_t{version}}));
    if (rows.empty()) {
      CHAINHUB_ASSIGN_OR_RETURN(
          auto exists, tx_.Query("SELECT version FROM support_chain_plans WHERE chain = $1 AND "
                                 "id = $2",
                                 {name.chain, name.id}));
      if (!exists.empty()) {
        return NotFound("ChainPlan version",
                        absl::StrCat(name.String(), " version ", version, " (the latest is ",
                                     exists[0].Int(0), ")"));
      }
    }
  }
  if (rows.empty()) return NotFound("ChainPlan", name.String());
  CHAINHUB_ASSIGN_OR_RETURN(v1::ChainPlan plan, PlanOf(rows[0]));
  CHAINHUB_RETURN_IF_ERROR(FillWorkItems(name.id, &plan));
  return plan;
}

absl::StatusOr<int> ChainPlansTx::AddVersion(const ChainPlanName& name, const v1::ChainPlan& plan,
                                             const std::string& principal, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow head, tx_.QueryOne("SELECT version FROM support_chain_plans WHERE chain = $1 AND "
                                "id = $2",
                                {name.chain, name.id}));
  const int64_t version = head.Int(0) + 1;
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE support_chain_plans SET end_year = $3, version = $4, "
               "revision = revision + 1, update_us = $5 WHERE chain = $1 AND id = $2",
               {name.chain, name.id, int64_t{plan.end_year()}, version, Micros(now)})
          .status());
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO support_chain_plan_versions (plan_id, version, data, principal, "
               "create_us) VALUES ($1, $2, $3, $4, $5)",
               {name.id, version, Blob{Encoded(plan)}, principal, Micros(now)})
          .status());
  return static_cast<int>(version);
}

absl::Status ChainPlansTx::MarkPublished(const ChainPlanName& name, int version, absl::Time now) {
  return tx_
      .Exec(
          "UPDATE support_chain_plans SET published_version = $3, revision = revision + 1, "
          "update_us = $4 WHERE chain = $1 AND id = $2",
          {name.chain, name.id, int64_t{version}, Micros(now)})
      .status();
}

absl::StatusOr<std::vector<Keyed<v1::ChainPlan>>> ChainPlansTx::List(
    const std::optional<std::string>& chain_id, const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> conditions;
  if (chain_id) {
    params.push_back(*chain_id);
    conditions.push_back(absl::StrCat("p.chain = $", params.size()));
  }
  const std::string sql = absl::StrCat(kColumns, " AND v.version = p.version",
                                       PageClause(q, &params, conditions, {false}));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::ChainPlan>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::ChainPlan plan, PlanOf(r));
    CHAINHUB_RETURN_IF_ERROR(FillWorkItems(r.Text(1), &plan));
    out.push_back({std::move(plan), {r.Text(1)}});
  }
  return out;
}

absl::StatusOr<std::vector<Keyed<v1::ChainPlan>>> ChainPlansTx::Versions(const ChainPlanName& name,
                                                                         const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  params.push_back(name.chain);
  const std::string chain_slot = absl::StrCat("$", params.size());
  params.push_back(name.id);
  const std::string id_slot = absl::StrCat("$", params.size());
  const std::string sql = absl::StrCat(kColumns, PageClause(q, &params,
                                                            {absl::StrCat("p.chain = ", chain_slot),
                                                             absl::StrCat("p.id = ", id_slot)},
                                                            {true}));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::ChainPlan>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::ChainPlan plan, PlanOf(r));
    CHAINHUB_RETURN_IF_ERROR(FillWorkItems(name.id, &plan));
    out.push_back({std::move(plan), {absl::StrCat(r.Int(6))}});
  }
  return out;
}

absl::Status ChainPlansTx::FillWorkItems(const std::string& plan_id, v1::ChainPlan* plan) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT item_key, work_item FROM support_plan_publications WHERE "
                           "plan_id = $1 AND item = 'task'",
                           {plan_id}));
  std::map<std::string, std::string> items;
  for (const SqlRow& r : rows) items[r.Text(0)] = r.Text(1);
  for (v1::PlanTask& task : *plan->mutable_tasks()) {
    auto it = items.find(task.number());
    if (it != items.end()) task.set_work_item(it->second);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<PublicationKey, Publication>> ChainPlansTx::Publications(
    const std::string& plan_id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT item, item_key, digest, work_item, version FROM "
                                      "support_plan_publications WHERE plan_id = $1",
                                      {plan_id}));
  std::map<PublicationKey, Publication> out;
  for (const SqlRow& r : rows) {
    out[{r.Text(0), r.Text(1)}] = Publication{r.Text(2), r.Text(3), static_cast<int>(r.Int(4))};
  }
  return out;
}

absl::Status ChainPlansTx::RecordPublication(const std::string& plan_id, const PublicationKey& key,
                                             const Publication& p, absl::Time now) {
  return tx_
      .Exec(
          "INSERT INTO support_plan_publications (plan_id, item, item_key, digest, work_item, "
          "version, update_us) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (plan_id, item, "
          "item_key) DO UPDATE SET digest = excluded.digest, work_item = excluded.work_item, "
          "version = excluded.version, update_us = excluded.update_us",
          {plan_id, key.first, key.second, p.digest, p.work_item, int64_t{p.version}, Micros(now)})
      .status();
}

absl::Status ChainPlansTx::NoteTasks(const std::string& plan_id, const v1::ChainPlan& plan,
                                     absl::CivilDay date) {
  for (const v1::PlanTask& task : plan.tasks()) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO support_plan_task_starts (plan_id, number, start_date) VALUES ($1, "
                 "$2, $3) ON CONFLICT (plan_id, number) DO NOTHING",
                 {plan_id, task.number(), assessment::FormatDate(date)})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, absl::CivilDay>> ChainPlansTx::TaskFirstSeen(
    const std::string& plan_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT number, start_date FROM support_plan_task_starts WHERE "
                           "plan_id = $1",
                           {plan_id}));
  std::map<std::string, absl::CivilDay> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(absl::CivilDay day, assessment::ParseDate("start_date", r.Text(1)));
    out[r.Text(0)] = day;
  }
  return out;
}

absl::Status ChainPlansTx::PutActuals(const std::string& plan_id, const assessment::Period& period,
                                      const std::map<std::string, double>& actuals,
                                      const std::string& principal, absl::Time now) {
  for (const auto& [indicator, value] : actuals) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO support_plan_actuals (plan_id, period, indicator, year, period_end, "
                 "value, principal, update_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                 "ON CONFLICT (plan_id, period, indicator) DO UPDATE SET value = excluded.value, "
                 "principal = excluded.principal, update_us = excluded.update_us",
                 {plan_id, period.String(), indicator, int64_t{period.year},
                  assessment::FormatDate(period.LastDay()), value, principal, Micros(now)})
            .status());
  }
  return absl::OkStatus();
}

absl::Status ChainPlansTx::PutTaskReports(const std::string& plan_id,
                                          const assessment::Period& period,
                                          const std::vector<v1::TaskReport>& tasks,
                                          const std::string& principal, absl::Time now) {
  for (const v1::TaskReport& t : tasks) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec(
               "INSERT INTO support_plan_task_reports (plan_id, period, number, period_start, "
               "period_end, percent_done, done, note, principal, update_us) VALUES ($1, $2, $3, "
               "$4, $5, $6, $7, $8, $9, $10) ON CONFLICT (plan_id, period, number) DO UPDATE SET "
               "percent_done = excluded.percent_done, done = excluded.done, note = excluded.note, "
               "principal = excluded.principal, update_us = excluded.update_us",
               {plan_id, period.String(), t.number(), assessment::FormatDate(period.FirstDay()),
                assessment::FormatDate(period.LastDay()), int64_t{t.percent_done()},
                int64_t{t.done() ? 1 : 0}, t.note(), principal, Micros(now)})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ReportedActual>> ChainPlansTx::Actuals(const std::string& plan_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT indicator, period, value, update_us FROM support_plan_actuals "
                           "WHERE plan_id = $1 ORDER BY indicator, period",
                           {plan_id}));
  std::vector<ReportedActual> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(assessment::Period period,
                              assessment::Period::Parse("period", r.Text(1)));
    out.push_back(ReportedActual{r.Text(0), period, r.Double(2), r.Int(3)});
  }
  return out;
}

absl::StatusOr<std::vector<ReportedTask>> ChainPlansTx::TaskReports(const std::string& plan_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT number, period, percent_done, done, update_us FROM "
                           "support_plan_task_reports WHERE plan_id = $1 ORDER BY number, period",
                           {plan_id}));
  std::vector<ReportedTask> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(assessment::Period period,
                              assessment::Period::Parse("period", r.Text(1)));
    out.push_back(
        ReportedTask{r.Text(0), period, static_cast<int>(r.Int(2)), r.Int(3) != 0, r.Int(4)});
  }
  return out;
}

absl::StatusOr<bool> ChainPlansTx::NoteRiskEvent(const std::string& plan_id,
                                                 const std::string& item_key,
                                                 const std::string& period,
                                                 const std::string& as_of, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t added,
      tx_.Exec("INSERT INTO support_plan_risk_events (plan_id, item_key, period, as_of, create_us) "
               "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plan_id, item_key, period) DO NOTHING",
               {plan_id, item_key, period, as_of, Micros(now)}));
  return added > 0;
}

}  // namespace chainhub::support
