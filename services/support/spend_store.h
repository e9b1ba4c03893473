// The store of supplier spend: support_spend_reports, one row per (chain, reporter, period) with
// its lines as a blob (migrations/0004_chains.sql). A new report replaces the row.
#ifndef CHAINHUB_SERVICES_SUPPORT_SPEND_STORE_H_
#define CHAINHUB_SERVICES_SUPPORT_SPEND_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "common/store/filter.h"
#include "common/store/list_query.h"
#include "common/store/store.h"
#include "services/support/names.h"

namespace chainhub::support {

// The filter fields of ListSupplierSpend: reporter (enterprises/{code} or the bare code) and
// period (2026, 2026-Q2, 2026-05), each with = and !=.
const std::map<std::string, FilterField>& SpendFilterFields();

// The reports inside one transaction. Reports come back whole: name, chain, reporter, period,
// lines, total, principal and update time.
class SpendTx {
 public:
  explicit SpendTx(SqlTx& tx) : tx_(tx) {}

  // Replaces the report `name` names with `lines` (checked by the caller).
  absl::Status Put(const SpendName& name, const v1::SupplierSpend& lines,
                   const std::string& principal, absl::Time now);
  absl::StatusOr<std::optional<v1::SupplierSpend>> Find(const SpendName& name);
  // Every report of the chain for exactly `period` (canonical text), in reporter order.
  absl::StatusOr<std::vector<v1::SupplierSpend>> OfPeriod(const std::string& chain_id,
                                                          const std::string& period);
  // One page in (chain, reporter, period) order, each row with its line count; `chains`, when
  // set, narrows to those chains.
  struct Row {
    v1::SupplierSpend spend;
    int64_t line_count = 0;
  };
  absl::StatusOr<std::vector<Keyed<Row>>> List(const std::optional<std::set<std::string>>& chains,
                                               const PageQuery& q);

 private:
  SqlTx& tx_;
};

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_SPEND_STORE_H_
