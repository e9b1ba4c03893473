// What support knows of the registry's enterprises: a copy kept from the registry's
// enterprise.* events (and read once through its List API on the first start, backfill.h). The
// eligibility rules of policy items, the matching of opportunities and every access check read
// it; nothing in it is support's to change.
#ifndef CHAINHUB_SERVICES_SUPPORT_ENTERPRISES_H_
#define CHAINHUB_SERVICES_SUPPORT_ENTERPRISES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/registry/v1/registry.pb.h"
#include "common/store/store.h"

namespace chainhub::support {

// One enterprise's facts, as rules and checks read them.
struct EnterpriseFacts {
  std::string credit_code;
  std::string display_name;
  std::string county;
  std::string park;
  int64_t annual_output_yuan = 0;
  // YYYY-MM-DD, or "" when the registry does not know it.
  std::string founding_date;
  // Label names without their prefix: CHAIN_OWNER, HEAD, ABOVE_SIZE, SPECIALIZED, HIGH_TECH.
  std::vector<std::string> labels;
  // Chain ids ("pv"), sorted, each once; node names (chains/{chain}/nodes/{node}).
  std::vector<std::string> chains;
  std::vector<std::string> nodes;

  std::string Name() const { return "enterprises/" + credit_code; }
  bool OnChain(absl::string_view chain_id) const;
};

EnterpriseFacts FactsOf(const registry::v1::Enterprise& enterprise);

// The copy, inside the caller's transaction.
class EnterpriseCopy {
 public:
  explicit EnterpriseCopy(SqlTx& tx) : tx_(tx) {}

  // An enterprise as an event (or the backfill) describes it; `deleted` removes it.
  absl::Status Apply(const registry::v1::Enterprise& enterprise, bool deleted);
  absl::StatusOr<std::optional<EnterpriseFacts>> Find(absl::string_view credit_code);
  // `name` (enterprises/{credit_code}) parsed on `field` and looked up: NOT_FOUND naming the
  // field when the registry has no such enterprise (as far as support has heard).
  absl::StatusOr<EnterpriseFacts> Get(absl::string_view field, absl::string_view name);
  // Every enterprise, or those on `chain_id` when it is set, in credit-code order; an error from
  // `fn` stops the walk.
  absl::Status ForEach(absl::string_view chain_id,
                       const std::function<absl::Status(const EnterpriseFacts&)>& fn);

 private:
  SqlTx& tx_;
};

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_ENTERPRISES_H_
