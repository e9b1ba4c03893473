// The store of the chain-keyed lists (多链协同): support_chain_entries, one row per entry with
// the columns lists filter on and the entry itself as a blob (migrations/0004_chains.sql).
#ifndef CHAINHUB_SERVICES_SUPPORT_CHAIN_ENTRY_STORE_H_
#define CHAINHUB_SERVICES_SUPPORT_CHAIN_ENTRY_STORE_H_

#include <map>
#include <optional>
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

// The filter fields of ListChainEntries: kind, status, node, owner, valid_on.
const std::map<std::string, FilterField>& ChainEntryFilterFields();

// The entries inside one transaction. Entries come back whole: name, etag and times set.
class ChainEntriesTx {
 public:
  explicit ChainEntriesTx(SqlTx& tx) : tx_(tx) {}

  // ALREADY_EXISTS when the id is taken.
  absl::Status Insert(const ChainEntryName& name, const v1::ChainEntry& entry, absl::Time now);
  // NOT_FOUND naming the entry.
  absl::StatusOr<v1::ChainEntry> Get(const ChainEntryName& name);
  // Replaces the entry (its kind stays as stored) and bumps its revision.
  absl::Status Update(const ChainEntryName& name, const v1::ChainEntry& entry, absl::Time now);
  // One page in id order; `chain_id` narrows to one chain (nullopt: every chain).
  absl::StatusOr<std::vector<Keyed<v1::ChainEntry>>> List(
      const std::optional<std::string>& chain_id, const PageQuery& q);

 private:
  SqlTx& tx_;
};

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_CHAIN_ENTRY_STORE_H_
