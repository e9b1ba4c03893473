// The 政策链 tables (migrations/0003_policies.sql): policies and the chains they are for, their
// claimable items, and the ledger of claims. Resources are stored as blobs without their
// output-only fields, which reads fill in: an item's chains (its policy's), a claim's name and
// its enterprise's registered name (from the enterprise copy), etags and times.
#ifndef CHAINHUB_SERVICES_SUPPORT_POLICY_STORE_H_
#define CHAINHUB_SERVICES_SUPPORT_POLICY_STORE_H_

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

// Whether an item's window (open_date, close_date; either may be empty) holds on `day`.
bool WindowHolds(const v1::PolicyItem& item, absl::string_view day);

class PolicyStore {
 public:
  explicit PolicyStore(SqlTx& tx) : tx_(tx) {}

  // --- Policies
  // Stores policies/{id} (ALREADY_EXISTS when it is taken) and its chains.
  absl::Status InsertPolicy(const std::string& id, const v1::Policy& policy, absl::Time now);
  // NOT_FOUND naming the policy when there is none.
  absl::StatusOr<v1::Policy> GetPolicy(const std::string& id);
  absl::StatusOr<std::vector<Keyed<v1::Policy>>> ListPolicies(const PageQuery& q);

  // --- Items (chains filled from the policy)
  // ALREADY_EXISTS when the name is taken.
  absl::Status InsertItem(const PolicyItemName& name, const v1::PolicyItem& item, absl::Time now);
  absl::Status UpdateItem(const PolicyItemName& name, const v1::PolicyItem& item, absl::Time now);
  absl::StatusOr<std::optional<v1::PolicyItem>> FindItem(const PolicyItemName& name);
  // NOT_FOUND naming the item when there is none.
  absl::StatusOr<v1::PolicyItem> GetItem(const PolicyItemName& name);
  // A page of the items of `policy_id` ("" for every policy).
  absl::StatusOr<std::vector<Keyed<v1::PolicyItem>>> ListItems(const PageQuery& q,
                                                               const std::string& policy_id);
  // Every item of `policy_id` ("" for every policy), of `lane` when it is set, in name order.
  absl::StatusOr<std::vector<v1::PolicyItem>> AllItems(const std::string& policy_id = "",
                                                       v1::Lane lane = v1::LANE_UNSPECIFIED);

  // --- Claims (name and enterprise display name filled)
  absl::StatusOr<std::optional<v1::Claim>> FindClaim(const ClaimName& name);
  // NOT_FOUND naming the claim when there is none.
  absl::StatusOr<v1::Claim> GetClaim(const ClaimName& name);
  absl::Status InsertClaim(const ClaimName& name, const v1::Claim& claim, absl::Time now);
  // Replaces the claim (its revision goes up).
  absl::Status UpdateClaim(const ClaimName& name, const v1::Claim& claim, absl::Time now);
  // The state of every claim on the item, by credit code.
  absl::StatusOr<std::map<std::string, v1::ClaimState>> ClaimStates(const PolicyItemName& item);
  // The claims on the item (in `state` when it is set), in credit-code order.
  absl::StatusOr<std::vector<v1::Claim>> ItemClaims(
      const PolicyItemName& item, v1::ClaimState state = v1::CLAIM_STATE_UNSPECIFIED);
  // A page of claims: of one item, of every item of a policy (item_id ""), or of every item
  // (both "").
  absl::StatusOr<std::vector<Keyed<v1::Claim>>> ListClaims(const PageQuery& q,
                                                           const std::string& policy_id,
                                                           const std::string& item_id);

 private:
  absl::StatusOr<std::vector<std::string>> PolicyChains(const std::string& policy_id);
  absl::StatusOr<v1::PolicyItem> ItemOf(const SqlRow& row,
                                        std::map<std::string, std::vector<std::string>>* chains);
  static absl::StatusOr<v1::Claim> ClaimOf(const SqlRow& row);

  SqlTx& tx_;
};

// The filter fields of ListPolicies, ListPolicyItems (`today` decides `open`) and ListClaims.
std::map<std::string, FilterField> PolicyFilterFields();
std::map<std::string, FilterField> PolicyItemFilterFields(const std::string& today);
std::map<std::string, FilterField> ClaimFilterFields();

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_POLICY_STORE_H_
