#include "services/support/spend_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/credit_code.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/assessment/periods.h"

namespace chainhub::support {
namespace {

constexpr char kColumns[] =
    "SELECT s.chain, s.reporter, s.period, s.total_yuan, s.data, s.principal, s.update_us, "
    "s.line_count FROM support_spend_reports s";

absl::StatusOr<v1::SupplierSpend> SpendOf(const SqlRow& r) {
  v1::SupplierSpend s;
  if (!s.ParseFromString(r.Bytes(4))) return absl::DataLossError("stored spend does not decode");
  s.set_name(SpendName{r.Text(0), r.Text(1), r.Text(2)}.String());
  s.set_chain(ChainName{r.Text(0)}.String());
  s.set_reporter("enterprises/" + r.Text(1));
  s.set_period(r.Text(2));
  s.set_total_yuan(r.Int(3));
  s.set_principal(r.Text(5));
  SetTimestamp(s.mutable_update_time(), r.Int(6));
  return s;
}

absl::StatusOr<SqlValue> ReporterValue(absl::string_view value) {
  absl::string_view code = absl::StripPrefix(value, "enterprises/");
  if (!ValidateCreditCode(code, "reporter").ok()) {
    return absl::InvalidArgumentError("reporter must be enterprises/{credit_code} or the code");
  }
  return SqlValue(std::string(code));
}

absl::StatusOr<SqlValue> PeriodValue(absl::string_view value) {
  auto period = assessment::Period::Parse("period", value);
  if (!period.ok()) return absl::InvalidArgumentError("period must be 2026, 2026-Q2 or 2026-05");
  return SqlValue(period->String());
}

}  // namespace

const std::map<std::string, FilterField>& SpendFilterFields() {
  static const auto* fields = [] {
    FilterField reporter = StringFilter("s.reporter", ReporterValue);
    reporter.ops = {FilterOp::kEq, FilterOp::kNe};
    FilterField period = StringFilter("s.period", PeriodValue);
    period.ops = {FilterOp::kEq, FilterOp::kNe};
    return new std::map<std::string, FilterField>{{"reporter", std::move(reporter)},
                                                  {"period", std::move(period)}};
  }();
  return *fields;
}

absl::Status SpendTx::Put(const SpendName& name, const v1::SupplierSpend& lines,
                          const std::string& principal, absl::Time now) {
  v1::SupplierSpend blob;
  *blob.mutable_lines() = lines.lines();
  int64_t total = 0;
  for (const auto& line : blob.lines()) total += line.amount_yuan();
  return tx_
      .Exec(
          "INSERT INTO support_spend_reports (chain, reporter, period, line_count, total_yuan, "
          "data, principal, update_us) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "ON CONFLICT (chain, reporter, period) DO UPDATE SET line_count = excluded.line_count, "
          "total_yuan = excluded.total_yuan, data = excluded.data, "
          "principal = excluded.principal, update_us = excluded.update_us",
          {name.chain, name.reporter, name.period, int64_t{blob.lines_size()}, total,
           Blob{blob.SerializeAsString()}, principal, Micros(now)})
      .status();
}

absl::StatusOr<std::optional<v1::SupplierSpend>> SpendTx::Find(const SpendName& name) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat(kColumns, " WHERE s.chain = $1 AND s.reporter = $2 AND s.period = $3"),
                {name.chain, name.reporter, name.period}));
  if (rows.empty()) return std::optional<v1::SupplierSpend>();
  CHAINHUB_ASSIGN_OR_RETURN(v1::SupplierSpend s, SpendOf(rows[0]));
  return std::optional<v1::SupplierSpend>(std::move(s));
}

absl::StatusOr<std::vector<v1::SupplierSpend>> SpendTx::OfPeriod(const std::string& chain_id,
                                                                 const std::string& period) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query(absl::StrCat(kColumns, " WHERE s.chain = $1 AND s.period = $2 ORDER BY s.reporter"),
                {chain_id, period}));
  std::vector<v1::SupplierSpend> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::SupplierSpend s, SpendOf(r));
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<std::vector<Keyed<SpendTx::Row>>> SpendTx::List(
    const std::optional<std::set<std::string>>& chains, const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> conditions;
  if (chains) {
    if (chains->empty()) return std::vector<Keyed<Row>>();
    std::vector<std::string> slots;
    for (const std::string& chain : *chains) {
      params.push_back(chain);
      slots.push_back(absl::StrCat("$", params.size()));
    }
    conditions.push_back(absl::StrCat("s.chain IN (", absl::StrJoin(slots, ", "), ")"));
  }
  const std::string sql = kColumns + PageClause(q, &params, conditions, {false, false, false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<Row>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::SupplierSpend s, SpendOf(r));
    out.push_back({Row{std::move(s), r.Int(7)}, {r.Text(0), r.Text(1), r.Text(2)}});
  }
  return out;
}

}  // namespace chainhub::support
