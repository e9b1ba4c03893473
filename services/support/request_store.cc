#include "services/support/request_store.h"

#include <iterator>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/registry/names.h"
#include "services/support/enterprises.h"
#include "services/support/request_lifecycle.h"

namespace chainhub::support {

namespace {

constexpr char kRequestColumns[] =
    "SELECT r.data, r.revision, r.create_us, r.update_us, r.id, r.credit_code";

std::string CreditCodeOf(const v1::Request& r) {
  return std::string(absl::StripPrefix(r.enterprise(), "enterprises/"));
}

std::string ChainIdOf(const v1::Request& r) {
  return std::string(absl::StripPrefix(r.chain(), "chains/"));
}

int64_t Flag(bool b) { return b ? 1 : 0; }

// The blob: the resource without what its columns and the enterprise copy give back.
std::string BlobOf(const v1::Request& r) {
  v1::Request stored = r;
  stored.clear_name();
  stored.clear_enterprise_display_name();
  return EncodeResource(std::move(stored));
}

// The columns rewritten on every write, from $2 on (the id is $1), in the order of kSetColumns.
constexpr const char* kSetColumns[] = {"credit_code",
                                       "chain",
                                       "assignee",
                                       "state",
                                       "channel",
                                       "tier",
                                       "urgent",
                                       "common_to_chain",
                                       "overdue",
                                       "escalation_level",
                                       "external_id",
                                       "accept_us",
                                       "accept_date",
                                       "contact_deadline_us",
                                       "interim_reply_deadline_us",
                                       "close_deadline_us",
                                       "contact_us",
                                       "interim_reply_us",
                                       "close_us",
                                       "revisit_us",
                                       "satisfaction",
                                       "next_deadline_us",
                                       "data"};

std::vector<SqlValue> ColumnValues(const std::string& id, const v1::Request& r) {
  const int64_t accept_us = TimestampMicros(r.accept_time());
  return {id,
          CreditCodeOf(r),
          ChainIdOf(r),
          r.assignee(),
          static_cast<int64_t>(r.state()),
          static_cast<int64_t>(r.channel()),
          static_cast<int64_t>(r.tier()),
          Flag(r.urgent()),
          Flag(r.common_to_chain()),
          Flag(r.overdue()),
          static_cast<int64_t>(r.escalation_level()),
          r.external_id(),
          accept_us,
          ChinaDate(absl::FromUnixMicros(accept_us)),
          DeadlineMicros(r, v1::CONTACT),
          DeadlineMicros(r, v1::INTERIM_REPLY),
          DeadlineMicros(r, v1::CLOSE),
          MetMicros(r, v1::CONTACT),
          MetMicros(r, v1::INTERIM_REPLY),
          MetMicros(r, v1::CLOSE),
          r.has_revisit_time() ? TimestampMicros(r.revisit_time()) : int64_t{0},
          static_cast<int64_t>(r.satisfaction()),
          NextDeadlineMicros(r),
          Blob{BlobOf(r)}};
}

absl::StatusOr<SqlValue> CreditCodeValue(absl::string_view value) {
  if (absl::StartsWith(value, "enterprises/")) {
    auto name = registry::EnterpriseName::Parse("enterprise", value);
    if (!name.ok()) return absl::InvalidArgumentError("must be enterprises/{credit_code}");
    return SqlValue(name->credit_code);
  }
  return SqlValue(std::string(value));
}

absl::StatusOr<SqlValue> DateValue(absl::string_view value) {
  if (!IsValidDate(value)) return absl::InvalidArgumentError("must be a date YYYY-MM-DD");
  return SqlValue(std::string(value));
}

}  // namespace

const std::map<std::string, FilterField>& RequestFilterFields() {
  static const auto* fields = [] {
    auto* f = new std::map<std::string, FilterField>;
    (*f)["state"] = EnumFilter("r.state", v1::RequestState_descriptor(), "");
    (*f)["channel"] = EnumFilter("r.channel", v1::Channel_descriptor(), "");
    (*f)["tier"] = EnumFilter("r.tier", v1::Tier_descriptor(), "");
    FilterField assignee = StringFilter("r.assignee");
    assignee.ops = {FilterOp::kEq, FilterOp::kNe};
    (*f)["assignee"] = assignee;
    (*f)["department"] = assignee;
    (*f)["chain"] = ChainFilter("r.chain");
    FilterField enterprise = StringFilter("r.credit_code", CreditCodeValue);
    enterprise.ops = {FilterOp::kEq, FilterOp::kNe};
    (*f)["enterprise"] = enterprise;
    FilterField tag = StringFilter("");
    tag.has_template = "r.id IN (SELECT request_id FROM support_request_tags WHERE tag = {})";
    tag.membership = true;
    (*f)["tag"] = tag;
    (*f)["urgent"] = BoolFilter("r.urgent");
    (*f)["common_to_chain"] = BoolFilter("r.common_to_chain");
    (*f)["overdue"] = BoolFilter("r.overdue");
    (*f)["escalation_level"] = IntFilter("r.escalation_level");
    FilterField accept_date = StringFilter("r.accept_date", DateValue);
    accept_date.ops = {FilterOp::kEq, FilterOp::kNe, FilterOp::kLt,
                       FilterOp::kLe, FilterOp::kGt, FilterOp::kGe};
    (*f)["accept_date"] = accept_date;
    return f;
  }();
  return *fields;
}

absl::StatusOr<OrderSpec> RequestOrder(absl::string_view order_by) {
  if (absl::StripAsciiWhitespace(order_by).empty()) {
    return OrderSpec{{"r.accept_us", "r.id"}, true};
  }
  return ParseOrderBy(order_by,
                      {{"accept_time", {"r.accept_us", "r.id"}},
                       {"close_deadline", {"r.close_deadline_us", "r.id"}}},
                      "accept_time");
}

absl::Status RequestStore::Insert(const std::string& id, const v1::Request& request,
                                  const std::string& input_digest, absl::Time now) {
  std::vector<SqlValue> values = ColumnValues(id, request);
  std::vector<std::string> names = {"id"};
  std::vector<std::string> slots = {"$1"};
  for (const char* c : kSetColumns) {
    names.push_back(c);
    slots.push_back(absl::StrCat("$", slots.size() + 1));
  }
  for (const char* c : {"input_digest", "revision", "create_us", "update_us"}) names.push_back(c);
  values.push_back(input_digest);
  slots.push_back(absl::StrCat("$", values.size()));
  slots.push_back("1");
  values.push_back(Micros(now));
  slots.push_back(absl::StrCat("$", values.size()));
  slots.push_back(absl::StrCat("$", values.size()));
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec(absl::StrCat("INSERT INTO support_requests (", absl::StrJoin(names, ", "),
                            ") VALUES (", absl::StrJoin(slots, ", "), ")"),
               values)
          .status());
  for (const std::string& tag : request.tags()) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO support_request_tags (tag, request_id) VALUES ($1, $2)", {tag, id})
            .status());
  }
  return absl::OkStatus();
}

absl::Status RequestStore::Update(const std::string& id, const v1::Request& request,
                                  absl::Time now) {
  std::vector<SqlValue> values = ColumnValues(id, request);
  std::vector<std::string> sets;
  for (size_t i = 0; i < std::size(kSetColumns); ++i) {
    sets.push_back(absl::StrCat(kSetColumns[i], " = $", i + 2));
  }
  values.push_back(Micros(now));
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed,
      tx_.Exec(
          absl::StrCat("UPDATE support_requests SET ", absl::StrJoin(sets, ", "),
                       ", revision = revision + 1, update_us = $", values.size(), " WHERE id = $1"),
          values));
  if (changed != 1) return NotFound("Request", absl::StrCat("requests/", id));
  return absl::OkStatus();
}

absl::StatusOr<v1::Request> RequestStore::RequestOf(const SqlRow& row) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Request r, DecodeResource<v1::Request>(row.Bytes(0)));
  SetVersion(&r, row.Int(1), row.Int(2), row.Int(3));
  r.set_name(absl::StrCat("requests/", row.Text(4)));
  CHAINHUB_ASSIGN_OR_RETURN(auto facts, EnterpriseCopy(tx_).Find(row.Text(5)));
  if (facts) r.set_enterprise_display_name(facts->display_name);
  return r;
}

absl::StatusOr<v1::Request> RequestStore::Get(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat(kRequestColumns, " FROM support_requests r WHERE r.id = $1"), {id}));
  if (rows.empty()) return NotFound("Request", absl::StrCat("requests/", id));
  return RequestOf(rows[0]);
}

absl::StatusOr<std::optional<RequestStore::External>> RequestStore::FindExternal(
    const std::string& external_id) {
  if (external_id.empty()) return std::optional<External>();
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT id, input_digest FROM support_requests WHERE external_id = $1 "
                           "AND external_id <> ''",  // so the partial unique index serves it
                           {external_id}));
  if (rows.empty()) return std::optional<External>();
  return std::optional<External>(External{rows[0].Text(0), rows[0].Text(1)});
}

absl::StatusOr<std::vector<Keyed<v1::Request>>> RequestStore::List(
    const PageQuery& q, std::vector<SqlValue> params, const std::vector<std::string>& extra) {
  const std::string sql = absl::StrCat(
      kRequestColumns, ", ", absl::StrJoin(q.columns, ", "), " FROM support_requests r",
      PageClause(q, &params, extra,
                 NumericColumns(q.columns, {"r.accept_us", "r.close_deadline_us"})));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Request>> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Request r, RequestOf(row));
    out.push_back({std::move(r), KeyOf(row, 6, q.columns.size())});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RequestStore::DueBefore(absl::Time now, int limit) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT id FROM support_requests WHERE next_deadline_us > 0 AND "
                           "next_deadline_us < $1 ORDER BY next_deadline_us LIMIT $2",
                           {Micros(now), static_cast<int64_t>(limit)}));
  std::vector<std::string> ids;
  ids.reserve(rows.size());
  for (const SqlRow& row : rows) ids.push_back(row.Text(0));
  return ids;
}

absl::StatusOr<std::vector<RequestFigureRow>> RequestStore::FigureRows(
    int64_t from_us, int64_t to_us, const std::string& chain_id) {
  std::string sql =
      "SELECT assignee, chain, accept_us, contact_us, close_us, close_deadline_us, revisit_us, "
      "satisfaction FROM support_requests WHERE accept_us >= $1 AND accept_us < $2";
  std::vector<SqlValue> params = {from_us, to_us};
  if (!chain_id.empty()) {
    absl::StrAppend(&sql, " AND chain = $3");
    params.push_back(chain_id);
  }
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<RequestFigureRow> out;
  out.reserve(rows.size());
  for (const SqlRow& row : rows) {
    RequestFigureRow f;
    f.assignee = row.Text(0);
    f.chain = row.Text(1);
    f.accept_us = row.Int(2);
    f.contact_us = row.Int(3);
    f.close_us = row.Int(4);
    f.close_deadline_us = row.Int(5);
    f.revisit_us = row.Int(6);
    f.satisfaction = static_cast<int>(row.Int(7));
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace chainhub::support
