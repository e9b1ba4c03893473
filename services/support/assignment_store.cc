#include "services/support/assignment_store.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/registry/names.h"
#include "services/support/assignments.h"
#include "services/support/enterprises.h"

namespace chainhub::support {

namespace {

constexpr char kAssignmentColumns[] =
    "SELECT a.data, a.revision, a.create_us, a.update_us, a.id, a.credit_code, "
    "a.last_visit_date, a.next_visit_due, a.end_date FROM support_assignments a";
constexpr char kVisitColumns[] =
    "SELECT v.data, v.create_us, v.assignment_id, v.id, v.visit_date FROM support_visits v";
constexpr char kFirmPlanColumns[] =
    "SELECT p.data, p.revision, p.create_us, p.update_us, p.id, p.credit_code "
    "FROM support_firm_plans p";

std::string ListSql(const char* columns, const PageQuery& q, std::vector<SqlValue>* params,
                    const std::vector<std::string>& extra, const std::vector<bool>& numeric) {
  return absl::StrCat(columns, PageClause(q, params, extra, numeric));
}

// "true"/"false" bound as 1/0, for fields whose SQL is a template per value.
absl::StatusOr<SqlValue> BoolValue(absl::string_view text) {
  if (text == "true") return SqlValue(int64_t{1});
  if (text == "false") return SqlValue(int64_t{0});
  return absl::InvalidArgumentError("must be true or false");
}

// A boolean field computed as of today: `holds` is its SQL condition (today a literal the server
// wrote, never the caller's text).
FilterField TodayFlag(const std::string& holds) {
  FilterField f;
  f.type = FilterField::Type::kBool;
  f.ops = {FilterOp::kEq, FilterOp::kNe};
  // The bound 1 or 0 is compared too: every parameter must appear in the SQL.
  f.has_template = absl::StrCat("({} = 1 AND ", holds, ")");
  f.membership = true;
  f.value_templates = {{0, absl::StrCat("({} = 0 AND NOT ", holds, ")")}};
  f.convert = BoolValue;
  return f;
}

absl::StatusOr<SqlValue> CreditCodeValue(absl::string_view value) {
  if (absl::StartsWith(value, "enterprises/")) {
    auto name = registry::EnterpriseName::Parse("enterprise", value);
    if (!name.ok()) return absl::InvalidArgumentError("must be enterprises/{credit_code}");
    return SqlValue(name->credit_code);
  }
  return SqlValue(std::string(value));
}

// The blob keeps only what the caller wrote; the rest is columns or derived on read.
v1::Assignment Stored(v1::Assignment a) {
  a.clear_name();
  a.clear_enterprise_display_name();
  a.clear_chains();
  a.clear_last_visit_date();
  a.clear_next_visit_due();
  a.clear_visit_overdue();
  a.clear_active();
  return a;
}

v1::FirmPlan Stored(v1::FirmPlan p) {
  p.clear_name();
  p.clear_enterprise_display_name();
  p.clear_chains();
  return p;
}

}  // namespace

std::map<std::string, FilterField> AssignmentFilterFields(const std::string& today) {
  const std::string active = absl::StrCat("(a.end_date = '' OR a.end_date >= '", today, "')");
  std::map<std::string, FilterField> fields;
  fields["enterprise"] = StringFilter("a.credit_code", CreditCodeValue);
  fields["enterprise"].ops = {FilterOp::kEq, FilterOp::kNe};
  FilterField chain = ChainFilter("");
  chain.has_template =
      "a.credit_code IN (SELECT credit_code FROM support_enterprise_chains WHERE chain = {})";
  chain.membership = true;
  fields["chain"] = chain;
  FilterField department = StringFilter("");
  department.ops = {FilterOp::kEq, FilterOp::kNe};
  department.has_template =
      "a.id IN (SELECT assignment_id FROM support_assignment_departments WHERE department = {})";
  department.membership = true;
  fields["department"] = department;
  fields["cadence"] = EnumFilter("a.cadence", v1::Cadence_descriptor(), "");
  fields["visit_overdue"] =
      TodayFlag(absl::StrCat("(a.next_visit_due < '", today, "' AND ", active, ")"));
  fields["active"] = TodayFlag(active);
  return fields;
}

std::map<std::string, FilterField> VisitFilterFields() {
  return {{"visit_date", StringFilter("v.visit_date")}};
}

std::map<std::string, FilterField> FirmPlanFilterFields() {
  std::map<std::string, FilterField> fields;
  fields["enterprise"] = StringFilter("p.credit_code", CreditCodeValue);
  fields["enterprise"].ops = {FilterOp::kEq, FilterOp::kNe};
  FilterField chain = ChainFilter("");
  chain.has_template =
      "p.credit_code IN (SELECT credit_code FROM support_enterprise_chains WHERE chain = {})";
  chain.membership = true;
  fields["chain"] = chain;
  return fields;
}

absl::Status AssignmentStore::FillEnterprise(
    const std::string& credit_code, std::string* display_name,
    google::protobuf::RepeatedPtrField<std::string>* chains) {
  CHAINHUB_ASSIGN_OR_RETURN(auto facts, EnterpriseCopy(tx_).Find(credit_code));
  if (!facts) return absl::OkStatus();  // deleted from the registry since
  *display_name = facts->display_name;
  for (const std::string& c : facts->chains) *chains->Add() = "chains/" + c;
  return absl::OkStatus();
}

absl::StatusOr<v1::Assignment> AssignmentStore::AssignmentOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Assignment a, DecodeResource<v1::Assignment>(r.Bytes(0)));
  SetVersion(&a, r.Int(1), r.Int(2), r.Int(3));
  a.set_name(absl::StrCat("assignments/", r.Text(4)));
  a.set_enterprise(absl::StrCat("enterprises/", r.Text(5)));
  a.set_last_visit_date(r.Text(6));
  a.set_next_visit_due(r.Text(7));
  const std::string& end = r.Text(8);
  a.set_active(end.empty() || end >= today_);
  a.set_visit_overdue(a.active() && a.next_visit_due() < today_);
  CHAINHUB_RETURN_IF_ERROR(
      FillEnterprise(r.Text(5), a.mutable_enterprise_display_name(), a.mutable_chains()));
  return a;
}

absl::Status AssignmentStore::WriteDepartments(const std::string& id, const v1::Assignment& a) {
  const std::string code(absl::StripPrefix(a.enterprise(), "enterprises/"));
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM support_assignment_departments WHERE assignment_id = $1", {id})
          .status());
  for (const std::string& department : AssignmentDepartments(a)) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO support_assignment_departments (assignment_id, department, "
                 "credit_code, end_date) VALUES ($1, $2, $3, $4)",
                 {id, department, code, a.end_date()})
            .status());
  }
  return absl::OkStatus();
}

absl::Status AssignmentStore::Insert(const std::string& id, const v1::Assignment& a,
                                     absl::Time now) {
  const std::string code(absl::StripPrefix(a.enterprise(), "enterprises/"));
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO support_assignments (id, credit_code, cadence, start_date, end_date, "
               "last_visit_date, next_visit_due, data, revision, create_us, update_us) VALUES "
               "($1, $2, $3, $4, $5, '', $6, $7, 1, $8, $8)",
               {id, code, static_cast<int64_t>(a.cadence()), a.start_date(), a.end_date(),
                NextVisitDue(a.cadence(), a.start_date(), ""),
                Blob{EncodeResource(Stored(a))}, Micros(now)})
          .status());
  return WriteDepartments(id, a);
}

absl::Status AssignmentStore::Update(const std::string& id, const v1::Assignment& a,
                                     absl::Time now) {
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE support_assignments SET cadence = $2, end_date = $3, data = $4, "
               "next_visit_due = $5, revision = revision + 1, update_us = $6 WHERE id = $1",
               {id, static_cast<int64_t>(a.cadence()), a.end_date(),
                Blob{EncodeResource(Stored(a))},
                NextVisitDue(a.cadence(), a.start_date(), a.last_visit_date()), Micros(now)})
          .status());
  return WriteDepartments(id, a);
}

absl::StatusOr<v1::Assignment> AssignmentStore::Get(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query(absl::StrCat(kAssignmentColumns, " WHERE a.id = $1"), {id}));
  if (rows.empty()) return NotFound("Assignment", absl::StrCat("assignments/", id));
  return AssignmentOf(rows[0]);
}

absl::StatusOr<std::vector<Keyed<v1::Assignment>>> AssignmentStore::List(
    const PageQuery& q, std::vector<SqlValue> params, const std::vector<std::string>& extra) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(ListSql(kAssignmentColumns, q, &params, extra, {false}), params));
  std::vector<Keyed<v1::Assignment>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Assignment a, AssignmentOf(r));
    out.push_back({std::move(a), {r.Text(4)}});
  }
  return out;
}

absl::Status AssignmentStore::InsertVisit(const std::string& assignment_id, const std::string& id,
                                          const std::string& credit_code, const v1::Visit& visit,
                                          absl::Time now) {
  v1::Visit stored = visit;
  stored.clear_name();
  stored.clear_create_time();
  stored.clear_new_requests();
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO support_visits (assignment_id, id, credit_code, visit_date, data, "
               "create_us) VALUES ($1, $2, $3, $4, $5, $6)",
               {assignment_id, id, credit_code, visit.visit_date(),
                Blob{stored.SerializeAsString()}, Micros(now)})
          .status());
  // The assignment's last visit moves only forwards (a visit logged late may be older).
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow a,
                            tx_.QueryOne("SELECT cadence, start_date, last_visit_date FROM "
                                         "support_assignments WHERE id = $1",
                                         {assignment_id}));
  if (visit.visit_date() <= a.Text(2)) return absl::OkStatus();
  return tx_
      .Exec("UPDATE support_assignments SET last_visit_date = $2, next_visit_due = $3 "
            "WHERE id = $1",
            {assignment_id, visit.visit_date(),
             NextVisitDue(static_cast<v1::Cadence>(a.Int(0)), a.Text(1), visit.visit_date())})
      .status();
}

absl::StatusOr<std::vector<Keyed<v1::Visit>>> AssignmentStore::ListVisits(
    const PageQuery& q, std::vector<SqlValue> params, const std::vector<std::string>& extra) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(ListSql(kVisitColumns, q, &params, extra, {false, false, false}), params));
  std::vector<Keyed<v1::Visit>> out;
  for (const SqlRow& r : rows) {
    v1::Visit v;
    if (!v.ParseFromString(r.Bytes(0))) return absl::DataLossError("stored visit does not decode");
    v.set_name(absl::StrCat("assignments/", r.Text(2), "/visits/", r.Text(3)));
    SetTimestamp(v.mutable_create_time(), r.Int(1));
    out.push_back({std::move(v), {r.Text(4), r.Text(2), r.Text(3)}});
  }
  return out;
}

absl::StatusOr<v1::FirmPlan> AssignmentStore::FirmPlanOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::FirmPlan p, DecodeResource<v1::FirmPlan>(r.Bytes(0)));
  SetVersion(&p, r.Int(1), r.Int(2), r.Int(3));
  p.set_name(absl::StrCat("firm-plans/", r.Text(4)));
  p.set_enterprise(absl::StrCat("enterprises/", r.Text(5)));
  CHAINHUB_RETURN_IF_ERROR(
      FillEnterprise(r.Text(5), p.mutable_enterprise_display_name(), p.mutable_chains()));
  return p;
}

absl::Status AssignmentStore::InsertFirmPlan(const std::string& id, const v1::FirmPlan& plan,
                                             absl::Time now) {
  return tx_
      .Exec("INSERT INTO support_firm_plans (id, credit_code, data, revision, create_us, "
            "update_us) VALUES ($1, $2, $3, 1, $4, $4)",
            {id, std::string(absl::StripPrefix(plan.enterprise(), "enterprises/")),
             Blob{EncodeResource(Stored(plan))}, Micros(now)})
      .status();
}

absl::Status AssignmentStore::UpdateFirmPlan(const std::string& id, const v1::FirmPlan& plan,
                                             absl::Time now) {
  return tx_
      .Exec("UPDATE support_firm_plans SET data = $2, revision = revision + 1, update_us = $3 "
            "WHERE id = $1",
            {id, Blob{EncodeResource(Stored(plan))}, Micros(now)})
      .status();
}

absl::StatusOr<v1::FirmPlan> AssignmentStore::GetFirmPlan(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query(absl::StrCat(kFirmPlanColumns, " WHERE p.id = $1"), {id}));
  if (rows.empty()) return NotFound("FirmPlan", absl::StrCat("firm-plans/", id));
  return FirmPlanOf(rows[0]);
}

absl::StatusOr<std::vector<Keyed<v1::FirmPlan>>> AssignmentStore::ListFirmPlans(
    const PageQuery& q, std::vector<SqlValue> params, const std::vector<std::string>& extra) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(ListSql(kFirmPlanColumns, q, &params, extra, {false}), params));
  std::vector<Keyed<v1::FirmPlan>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::FirmPlan p, FirmPlanOf(r));
    out.push_back({std::move(p), {r.Text(4)}});
  }
  return out;
}

}  // namespace chainhub::support
