#include "services/assessment/assessment_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/store/lease.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/assessment/names.h"

namespace chainhub::assessment {
namespace {

// " AND col = $n" for each non-empty value of the filter, parameters appended.
std::vector<std::string> InputConditions(const InputFilter& f, const char* second_column,
                                         std::vector<SqlValue>* params) {
  std::vector<std::string> conditions;
  auto add = [&](const std::string& column, const std::string& value) {
    if (value.empty()) return;
    params->push_back(value);
    conditions.push_back(absl::StrCat(column, " = $", params->size()));
  };
  add("subject", f.subject);
  add(second_column, f.indicator);
  add("period", f.period);
  return conditions;
}

v1::Target TargetOf(const SqlRow& r) {
  v1::Target t;
  t.set_subject(r.Text(0));
  t.set_indicator(r.Text(1));
  t.set_period(r.Text(2));
  t.set_value(r.Double(3));
  t.set_principal(r.Text(4));
  SetTimestamp(t.mutable_update_time(), r.Int(5));
  return t;
}

constexpr char kValueColumns[] =
    "subject, indicator, period, revision, value, evidence, principal, recorded_us";

v1::ReportedValue ReportedValueOf(const SqlRow& r) {
  v1::ReportedValue v;
  v.set_subject(r.Text(0));
  v.set_indicator(r.Text(1));
  v.set_period(r.Text(2));
  v.set_revision(static_cast<int32_t>(r.Int(3)));
  v.set_value(r.Double(4));
  v.set_evidence(r.Text(5));
  v.set_principal(r.Text(6));
  SetTimestamp(v.mutable_report_time(), r.Int(7));
  return v;
}

constexpr char kRatingColumns[] = "scheme, item, subject, period, points, note, principal, "
                                  "recorded_us";

v1::RatingEntry RatingOf(const SqlRow& r) {
  v1::RatingEntry e;
  e.set_scheme(r.Text(0));
  e.set_item(r.Text(1));
  e.set_subject(r.Text(2));
  e.set_period(r.Text(3));
  e.set_points(r.Double(4));
  e.set_note(r.Text(5));
  e.set_principal(r.Text(6));
  SetTimestamp(e.mutable_update_time(), r.Int(7));
  return e;
}

// A scheme version row: data, version, recorded_us, the scheme's create_us, latest version.
absl::StatusOr<v1::Scheme> SchemeOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Scheme s, DecodeResource<v1::Scheme>(r.Bytes(0)));
  s.set_version(static_cast<int32_t>(r.Int(1)));
  SetTimestamp(s.mutable_version_time(), r.Int(2));
  SetTimestamp(s.mutable_create_time(), r.Int(3));
  s.set_etag(MakeEtag(r.Int(3), r.Int(1)));
  return s;
}

constexpr char kSchemeSelect[] =
    "SELECT v.data, v.version, v.recorded_us, s.create_us, s.id FROM scheme_versions v "
    "JOIN schemes s ON s.id = v.id";

absl::StatusOr<v1::Run> RunOf(const SqlRow& r) {
  v1::Run run;
  if (!run.ParseFromString(r.Bytes(0))) return absl::DataLossError("stored run does not decode");
  return run;
}

absl::StatusOr<v1::Schedule> ScheduleOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Schedule s, DecodeResource<v1::Schedule>(r.Bytes(0)));
  s.set_etag(MakeEtag(r.Int(2), r.Int(1)));
  s.set_last_period(r.Text(3));
  return s;
}

}  // namespace

// --- Indicators ---------------------------------------------------------------------------------

absl::StatusOr<v1::Indicator> AssessmentTx::GetIndicator(const std::string& key) {
  auto row = tx_.QueryOne(
      "SELECT data, revision, create_us, update_us FROM indicators WHERE key = $1", {key});
  if (absl::IsNotFound(row.status())) {
    return NotFound("Indicator", IndicatorName{key}.String());
  }
  CHAINHUB_RETURN_IF_ERROR(row.status());
  CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator indicator, DecodeResource<v1::Indicator>(row->Bytes(0)));
  SetVersion(&indicator, row->Int(1), row->Int(2), row->Int(3));
  return indicator;
}

absl::StatusOr<bool> AssessmentTx::IndicatorExists(const std::string& key) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT 1 FROM indicators WHERE key = $1", {key}));
  return !rows.empty();
}

absl::Status AssessmentTx::InsertIndicator(const std::string& key, const v1::Indicator& indicator,
                                           absl::Time now) {
  const std::string data = EncodeResource(indicator);
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO indicators (key, data, revision, create_us, update_us) "
               "VALUES ($1, $2, 1, $3, $3)",
               {key, Blob{data}, Micros(now)})
          .status());
  return tx_
      .Exec("INSERT INTO indicator_versions (key, revision, data, recorded_us) "
            "VALUES ($1, 1, $2, $3)",
            {key, Blob{data}, Micros(now)})
      .status();
}

absl::Status AssessmentTx::ReplaceIndicator(const std::string& key,
                                            const v1::Indicator& indicator, absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE indicators SET data = $2, revision = revision + 1, update_us = $3 "
               "WHERE key = $1",
               {key, Blob{EncodeResource(indicator)}, Micros(now)})
          .status());
  return tx_
      .Exec("INSERT INTO indicator_versions (key, revision, data, recorded_us) "
            "SELECT key, revision, data, update_us FROM indicators WHERE key = $1",
            {key})
      .status();
}

absl::StatusOr<std::vector<Keyed<v1::Indicator>>> AssessmentTx::ListIndicators(
    const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  const std::string sql = "SELECT data, revision, create_us, update_us, key FROM indicators" +
                          PageClause(q, &params, {}, NumericColumns(q.columns, {}));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Indicator>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator indicator, DecodeResource<v1::Indicator>(r.Bytes(0)));
    SetVersion(&indicator, r.Int(1), r.Int(2), r.Int(3));
    out.push_back({std::move(indicator), {r.Text(4)}});
  }
  return out;
}

absl::StatusOr<std::map<std::string, v1::Indicator>> AssessmentTx::IndicatorsAsOf(
    absl::Time as_of) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("SELECT v.key, v.data FROM indicator_versions v WHERE v.revision = "
                "(SELECT MAX(w.revision) FROM indicator_versions w "
                " WHERE w.key = v.key AND w.recorded_us <= $1)",
                {Micros(as_of)}));
  std::map<std::string, v1::Indicator> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Indicator indicator, DecodeResource<v1::Indicator>(r.Bytes(1)));
    const std::string name = IndicatorName{r.Text(0)}.String();
    indicator.set_name(name);
    out.emplace(name, std::move(indicator));
  }
  return out;
}

// --- Targets ------------------------------------------------------------------------------------

absl::Status AssessmentTx::InsertTarget(const v1::Target& target, const std::string& principal,
                                        absl::Time now) {
  // Two settings in the same microsecond: the later one replaces the earlier.
  return tx_
      .Exec("INSERT INTO targets (subject, indicator, period, recorded_us, value, principal) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subject, indicator, period, "
            "recorded_us) DO UPDATE SET value = excluded.value, principal = excluded.principal",
            {target.subject(), target.indicator(), target.period(), Micros(now), target.value(),
             principal})
      .status();
}

absl::StatusOr<std::optional<double>> AssessmentTx::TargetAsOf(const std::string& subject,
                                                               const std::string& indicator,
                                                               const std::string& period,
                                                               absl::Time as_of) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("SELECT value FROM targets WHERE subject = $1 AND indicator = $2 AND period = $3 "
                "AND recorded_us <= $4 ORDER BY recorded_us DESC LIMIT 1",
                {subject, indicator, period, Micros(as_of)}));
  if (rows.empty()) return std::optional<double>();
  return std::optional<double>(rows[0].Double(0));
}

absl::StatusOr<std::vector<Keyed<v1::Target>>> AssessmentTx::ListTargets(
    const InputFilter& filter, const PageQuery& q) {
  std::vector<SqlValue> params;
  const std::vector<std::string> conditions = InputConditions(filter, "indicator", &params);
  const std::string sql =
      "SELECT subject, indicator, period, value, principal, recorded_us, k FROM ("
      "SELECT t.*, t.indicator || '|' || t.period || '|' || t.subject AS k FROM targets t "
      "WHERE t.recorded_us = (SELECT MAX(u.recorded_us) FROM targets u WHERE "
      "u.subject = t.subject AND u.indicator = t.indicator AND u.period = t.period)) latest" +
      PageClause(q, &params, conditions, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Target>> out;
  for (const auto& r : rows) out.push_back({TargetOf(r), {r.Text(6)}});
  return out;
}

// --- Reported values ----------------------------------------------------------------------------

absl::StatusOr<v1::ReportedValue> AssessmentTx::InsertReportedValue(
    const v1::ReportedValue& value, const std::string& principal, absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow last,
      tx_.QueryOne("SELECT COALESCE(MAX(revision), 0) FROM reported_values "
                   "WHERE subject = $1 AND indicator = $2 AND period = $3",
                   {value.subject(), value.indicator(), value.period()}));
  v1::ReportedValue stored = value;
  stored.set_revision(static_cast<int32_t>(last.Int(0) + 1));
  stored.set_principal(principal);
  SetTimestamp(stored.mutable_report_time(), Micros(now));
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec(absl::StrCat("INSERT INTO reported_values (", kValueColumns,
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
               {stored.subject(), stored.indicator(), stored.period(),
                int64_t{stored.revision()}, stored.value(), stored.evidence(), principal,
                Micros(now)})
          .status());
  return stored;
}

absl::StatusOr<std::optional<v1::ReportedValue>> AssessmentTx::ReportedValueAsOf(
    const std::string& subject, const std::string& indicator, const std::string& period,
    absl::Time as_of) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat("SELECT ", kValueColumns,
                             " FROM reported_values WHERE subject = $1 AND indicator = $2 AND "
                             "period = $3 AND recorded_us <= $4 ORDER BY revision DESC LIMIT 1"),
                {subject, indicator, period, Micros(as_of)}));
  if (rows.empty()) return std::optional<v1::ReportedValue>();
  return std::optional<v1::ReportedValue>(ReportedValueOf(rows[0]));
}

absl::StatusOr<std::vector<Keyed<v1::ReportedValue>>> AssessmentTx::ListReportedValues(
    const InputFilter& filter, bool history, const PageQuery& q) {
  std::vector<SqlValue> params;
  const std::vector<std::string> conditions = InputConditions(filter, "indicator", &params);
  const std::string latest_only =
      history ? "" :
              " WHERE r.revision = (SELECT MAX(u.revision) FROM reported_values u WHERE "
              "u.subject = r.subject AND u.indicator = r.indicator AND u.period = r.period)";
  const std::string sql =
      absl::StrCat("SELECT ", kValueColumns, ", k FROM (SELECT r.*, r.indicator || '|' || "
                   "r.period || '|' || r.subject AS k FROM reported_values r",
                   latest_only, ") latest") +
      PageClause(q, &params, conditions, NumericColumns(q.columns, {"revision"}));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::ReportedValue>> out;
  for (const auto& r : rows) {
    out.push_back({ReportedValueOf(r), {r.Text(8), absl::StrCat(r.Int(3))}});
  }
  return out;
}

// --- Schemes ------------------------------------------------------------------------------------

absl::StatusOr<v1::Scheme> AssessmentTx::GetScheme(const std::string& id, int version) {
  const SchemeName name{id, version};
  absl::StatusOr<SqlRow> row =
      version > 0
          ? tx_.QueryOne(absl::StrCat(kSchemeSelect, " WHERE v.id = $1 AND v.version = $2"),
                         {id, int64_t{version}})
          : tx_.QueryOne(
                absl::StrCat(kSchemeSelect, " WHERE v.id = $1 AND v.version = s.latest_version"),
                {id});
  if (absl::IsNotFound(row.status())) {
    return NotFound("Scheme", version > 0 ? name.VersionString() : name.String());
  }
  CHAINHUB_RETURN_IF_ERROR(row.status());
  return SchemeOf(*row);
}

absl::StatusOr<std::optional<std::string>> AssessmentTx::LatestContentKey(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT v.content_key FROM scheme_versions v JOIN schemes s ON "
                           "s.id = v.id AND v.version = s.latest_version WHERE s.id = $1",
                           {id}));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows[0].Text(0));
}

absl::StatusOr<v1::Scheme> AssessmentTx::AddSchemeVersion(const std::string& id,
                                                          const v1::Scheme& scheme,
                                                          const std::string& content_key,
                                                          absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT latest_version FROM schemes WHERE id = $1", {id}));
  const int64_t version = rows.empty() ? 1 : rows[0].Int(0) + 1;
  if (rows.empty()) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO schemes (id, latest_version, create_us) VALUES ($1, 1, $2)",
                 {id, Micros(now)})
            .status());
  } else {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("UPDATE schemes SET latest_version = $2 WHERE id = $1", {id, version}).status());
  }
  v1::Scheme body = scheme;
  body.clear_version();
  body.clear_etag();
  body.clear_create_time();
  body.clear_version_time();
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO scheme_versions (id, version, data, content_key, recorded_us) "
               "VALUES ($1, $2, $3, $4, $5)",
               {id, version, Blob{body.SerializeAsString()}, content_key, Micros(now)})
          .status());
  return GetScheme(id, static_cast<int>(version));
}

absl::StatusOr<std::vector<Keyed<v1::Scheme>>> AssessmentTx::ListSchemes(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  const std::string sql =
      absl::StrCat(kSchemeSelect, " AND v.version = s.latest_version") +
      PageClause(q, &params, {}, NumericColumns(q.columns, {}));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Scheme>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Scheme s, SchemeOf(r));
    out.push_back({std::move(s), {r.Text(4)}});
  }
  return out;
}

absl::StatusOr<std::vector<Keyed<v1::Scheme>>> AssessmentTx::ListSchemeVersions(
    const std::string& id, const PageQuery& q) {
  std::vector<SqlValue> params{id};
  const std::string sql = std::string(kSchemeSelect) +
                          PageClause(q, &params, {"v.id = $1"}, {true});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Scheme>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Scheme s, SchemeOf(r));
    out.push_back({std::move(s), {absl::StrCat(r.Int(1))}});
  }
  return out;
}

// --- Ratings ------------------------------------------------------------------------------------

absl::Status AssessmentTx::InsertRating(const v1::RatingEntry& rating, absl::Time now) {
  return tx_
      .Exec(absl::StrCat("INSERT INTO ratings (", kRatingColumns,
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (scheme, item, "
                         "subject, period, recorded_us) DO UPDATE SET points = excluded.points, "
                         "note = excluded.note, principal = excluded.principal"),
            {rating.scheme(), rating.item(), rating.subject(), rating.period(), rating.points(),
             rating.note(), rating.principal(), Micros(now)})
      .status();
}

absl::StatusOr<std::optional<v1::RatingEntry>> AssessmentTx::RatingAsOf(
    const std::string& scheme, const std::string& item, const std::string& subject,
    const std::string& period, absl::Time as_of) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat("SELECT ", kRatingColumns,
                             " FROM ratings WHERE scheme = $1 AND item = $2 AND subject = $3 AND "
                             "period = $4 AND recorded_us <= $5 ORDER BY recorded_us DESC "
                             "LIMIT 1"),
                {scheme, item, subject, period, Micros(as_of)}));
  if (rows.empty()) return std::optional<v1::RatingEntry>();
  return std::optional<v1::RatingEntry>(RatingOf(rows[0]));
}

absl::StatusOr<std::vector<Keyed<v1::RatingEntry>>> AssessmentTx::ListRatings(
    const std::string& scheme, const std::string& period, const PageQuery& q) {
  std::vector<SqlValue> params;
  const std::vector<std::string> conditions =
      InputConditions({.subject = "", .indicator = scheme, .period = period}, "scheme", &params);
  const std::string sql =
      absl::StrCat("SELECT ", kRatingColumns,
                   ", k FROM (SELECT r.*, r.scheme || '|' || r.period || '|' || r.item || '|' || "
                   "r.subject AS k FROM ratings r WHERE r.recorded_us = (SELECT "
                   "MAX(u.recorded_us) FROM ratings u WHERE u.scheme = r.scheme AND u.item = "
                   "r.item AND u.subject = r.subject AND u.period = r.period)) latest") +
      PageClause(q, &params, conditions, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::RatingEntry>> out;
  for (const auto& r : rows) out.push_back({RatingOf(r), {r.Text(8)}});
  return out;
}

// --- Runs ---------------------------------------------------------------------------------------

absl::Status AssessmentTx::InsertRun(const std::string& id, const v1::Run& run) {
  return tx_
      .Exec("INSERT INTO runs (id, scheme, scheme_version, period, kind, trigger_kind, published, "
            "create_us, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {id, run.scheme(), int64_t{run.scheme_version()}, run.period(), int64_t{run.kind()},
             int64_t{run.trigger()}, int64_t{run.published() ? 1 : 0},
             absl::ToUnixMicros(absl::FromUnixSeconds(run.create_time().seconds()) +
                                absl::Nanoseconds(run.create_time().nanos())),
             Blob{run.SerializeAsString()}})
      .status();
}

absl::StatusOr<v1::Run> AssessmentTx::GetRun(const std::string& id) {
  auto row = tx_.QueryOne("SELECT data FROM runs WHERE id = $1", {id});
  if (absl::IsNotFound(row.status())) return NotFound("Run", RunName{id}.String());
  CHAINHUB_RETURN_IF_ERROR(row.status());
  return RunOf(*row);
}

absl::StatusOr<std::vector<Keyed<v1::Run>>> AssessmentTx::ListRuns(const RunFilter& filter,
                                                                   const PageQuery& q) {
  std::vector<SqlValue> params;
  std::vector<std::string> conditions;
  auto add = [&](const char* column, SqlValue value) {
    params.push_back(std::move(value));
    conditions.push_back(absl::StrCat(column, " = $", params.size()));
  };
  if (!filter.scheme.empty()) add("scheme", filter.scheme);
  if (!filter.period.empty()) add("period", filter.period);
  if (filter.kind != v1::RUN_KIND_UNSPECIFIED) add("kind", int64_t{filter.kind});
  if (filter.trigger != v1::RUN_TRIGGER_UNSPECIFIED) add("trigger_kind", int64_t{filter.trigger});
  if (filter.published_only) conditions.push_back("published = 1");
  const std::string sql =
      "SELECT data, id FROM runs" + PageClause(q, &params, conditions, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Run>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Run run, RunOf(r));
    out.push_back({std::move(run), {r.Text(1)}});
  }
  return out;
}

absl::StatusOr<std::optional<v1::Run>> AssessmentTx::LatestRun(const std::string& scheme,
                                                               const std::string& period,
                                                               v1::RunKind kind,
                                                               absl::Time before) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("SELECT data FROM runs WHERE scheme = $1 AND period = $2 AND kind = $3 AND "
                "create_us <= $4 AND (kind <> $5 OR published = 1) ORDER BY id DESC LIMIT 1",
                {scheme, period, int64_t{kind}, Micros(before), int64_t{v1::RUN_KIND_FINAL}}));
  if (rows.empty()) return std::optional<v1::Run>();
  CHAINHUB_ASSIGN_OR_RETURN(v1::Run run, RunOf(rows[0]));
  return std::optional<v1::Run>(std::move(run));
}

// --- Schedules ----------------------------------------------------------------------------------

absl::StatusOr<v1::Schedule> AssessmentTx::GetSchedule(const std::string& id) {
  auto row = tx_.QueryOne(
      "SELECT data, revision, create_us, last_period FROM schedules WHERE id = $1", {id});
  if (absl::IsNotFound(row.status())) return NotFound("Schedule", ScheduleName{id}.String());
  CHAINHUB_RETURN_IF_ERROR(row.status());
  return ScheduleOf(*row);
}

absl::Status AssessmentTx::PutSchedule(const std::string& id, const v1::Schedule& schedule,
                                       absl::Time now) {
  v1::Schedule body = schedule;
  body.clear_etag();
  body.clear_last_period();
  body.clear_next_run_time();
  return tx_
      .Exec("INSERT INTO schedules (id, data, revision, create_us, update_us, last_period) "
            "VALUES ($1, $2, 1, $3, $3, '') ON CONFLICT (id) DO UPDATE SET data = excluded.data, "
            "revision = schedules.revision + 1, update_us = excluded.update_us",
            {id, Blob{body.SerializeAsString()}, Micros(now)})
      .status();
}

absl::Status AssessmentTx::DeleteSchedule(const std::string& id) {
  return tx_.Exec("DELETE FROM schedules WHERE id = $1", {id}).status();
}

absl::StatusOr<std::vector<Keyed<v1::Schedule>>> AssessmentTx::ListSchedules(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  const std::string sql = "SELECT data, revision, create_us, last_period, id FROM schedules" +
                          PageClause(q, &params, {}, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Schedule>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Schedule s, ScheduleOf(r));
    out.push_back({std::move(s), {r.Text(4)}});
  }
  return out;
}

absl::Status AssessmentTx::SetScheduleLastPeriod(const std::string& id,
                                                 const std::string& period) {
  return tx_.Exec("UPDATE schedules SET last_period = $2 WHERE id = $1", {id, period}).status();
}

// --- Leases -------------------------------------------------------------------------------------

absl::StatusOr<std::optional<int64_t>> AssessmentTx::AcquireLease(const std::string& name,
                                                                  const std::string& holder,
                                                                  absl::Duration ttl,
                                                                  absl::Time now) {
  return chainhub::AcquireLease(tx_, name, holder, ttl, now);
}

absl::Status AssessmentTx::CheckLease(const std::string& name, const std::string& holder,
                                      int64_t token, absl::Time now) {
  return chainhub::CheckLease(tx_, name, holder, token, now);
}

}  // namespace chainhub::assessment
