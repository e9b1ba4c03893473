#include "common/service/audit.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/ids.h"
#include "common/base/page_token.h"
#include "common/base/status_util.h"
#include "common/store/filter.h"

namespace chainhub {
namespace {

// time filters take "YYYY-MM-DD" or RFC 3339 and compare as microseconds.
absl::StatusOr<SqlValue> ParseTimeValue(absl::string_view text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err) ||
      absl::ParseTime("%Y-%m-%d", text, &t, &err)) {
    return SqlValue(absl::ToUnixMicros(t));
  }
  return absl::InvalidArgumentError("time must be YYYY-MM-DD or RFC 3339");
}

const std::map<std::string, FilterField>& AuditFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"principal", {FilterField::Type::kString, "principal", "", false, {}, nullptr}},
      {"method", {FilterField::Type::kString, "method", "", false, {}, nullptr}},
      {"resource", {FilterField::Type::kString, "resource", "", false, {}, nullptr}},
      {"request_id", {FilterField::Type::kString, "request_id", "", false, {}, nullptr}},
      {"time",
       {FilterField::Type::kInt,
        "time_us",
        "",
        false,
        {FilterOp::kLt, FilterOp::kLe, FilterOp::kGt, FilterOp::kGe},
        ParseTimeValue}},
  };
  return *fields;
}

}  // namespace

absl::Status AppendAudit(SqlTx& tx, const AuthorizedCall& call, absl::string_view resource,
                         absl::string_view detail, absl::Time now) {
  return tx
      .Exec(
          "INSERT INTO audit_events (id, principal, method, resource, request_id, time_us, detail)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {NewUuidV7(now), call.principal.subject, call.method, std::string(resource),
           call.request_id, absl::ToUnixMicros(now), std::string(detail)})
      .status();
}

absl::StatusOr<common::v1::ListAuditEventsResponse> ListAuditEvents(
    Store& store, const common::v1::ListAuditEventsRequest& request) {
  CHAINHUB_ASSIGN_OR_RETURN(int page_size, EffectivePageSize(request.page_size()));
  const std::string fingerprint = QueryFingerprint("ListAuditEvents", request.filter(), "");
  CHAINHUB_ASSIGN_OR_RETURN(PageToken token, DecodePageToken(request.page_token(), fingerprint));
  CHAINHUB_ASSIGN_OR_RETURN(CompiledFilter filter, FilterToSql(request.filter(), AuditFields()));
  std::string sql =
      "SELECT seq, id, principal, method, resource, request_id, time_us, detail FROM audit_events";
  std::vector<SqlValue> params = filter.params;
  std::vector<std::string> conditions;
  if (!filter.sql.empty()) conditions.push_back(filter.sql);
  if (!token.last_key.empty()) {
    int64_t last_seq = 0;
    if (!absl::SimpleAtoi(token.last_key[0], &last_seq)) {
      return InvalidField("page_token", "is malformed");
    }
    params.push_back(last_seq);
    conditions.push_back(absl::StrCat("seq < $", params.size()));
  }
  for (size_t i = 0; i < conditions.size(); ++i) {
    absl::StrAppend(&sql, i == 0 ? " WHERE " : " AND ", conditions[i]);
  }
  params.push_back(static_cast<int64_t>(page_size) + 1);
  absl::StrAppend(&sql, " ORDER BY seq DESC LIMIT $", params.size());

  common::v1::ListAuditEventsResponse response;
  CHAINHUB_RETURN_IF_ERROR(store.Read([&](SqlTx& tx) -> absl::Status {
    CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
      const SqlRow& r = rows[i];
      auto* e = response.add_audit_events();
      e->set_id(r.Text(1));
      e->set_principal(r.Text(2));
      e->set_method(r.Text(3));
      e->set_resource(r.Text(4));
      e->set_request_id(r.Text(5));
      const int64_t us = r.Int(6);
      e->mutable_time()->set_seconds(us / 1000000);
      e->mutable_time()->set_nanos(static_cast<int>(us % 1000000) * 1000);
      e->set_detail(r.Text(7));
    }
    if (static_cast<int>(rows.size()) > page_size) {
      response.set_next_page_token(
          EncodePageToken({{absl::StrCat(rows[page_size - 1].Int(0))}, fingerprint}));
    }
    return absl::OkStatus();
  }));
  return response;
}

grpc::ServerUnaryReactor* ServeListAuditEvents(grpc::CallbackServerContext* ctx, Store& store,
                                               const common::v1::ListAuditEventsRequest* req,
                                               common::v1::ListAuditEventsResponse* resp) {
  return Serve(ctx, [&store, req, resp](const AuthorizedCall& call) -> absl::Status {
    CHAINHUB_RETURN_IF_ERROR(RequireAnyRole(call.principal, {roles::kAdmin}));
    CHAINHUB_ASSIGN_OR_RETURN(*resp, ListAuditEvents(store, *req));
    return absl::OkStatus();
  });
}

}  // namespace chainhub
