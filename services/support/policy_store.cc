#include "services/support/policy_store.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "services/registry/names.h"

namespace chainhub::support {

namespace {

constexpr char kPolicyColumns[] =
    "SELECT p.data, p.revision, p.create_us, p.update_us, p.id FROM support_policies p";
constexpr char kItemColumns[] =
    "SELECT i.data, i.revision, i.create_us, i.update_us, i.policy_id, i.item_id "
    "FROM support_policy_items i";
// The enterprise's registered name comes from the copy (it may have been renamed since).
constexpr char kClaimColumns[] =
    "SELECT c.data, c.revision, c.create_us, c.update_us, c.policy_id, c.item_id, "
    "c.credit_code, e.display_name FROM support_claims c "
    "LEFT JOIN support_enterprises e ON e.credit_code = c.credit_code";

// A policy with no chains is for every chain, so it answers chain = "pv" too.
constexpr char kPolicyChainTemplate[] =
    "(EXISTS (SELECT 1 FROM support_policy_chains pc WHERE pc.policy_id = {policy} AND "
    "pc.chain = {}) OR NOT EXISTS (SELECT 1 FROM support_policy_chains pc WHERE pc.policy_id = "
    "{policy}))";

std::string ChainTemplate(absl::string_view policy_column) {
  return absl::StrReplaceAll(kPolicyChainTemplate, {{"{policy}", policy_column}});
}

FilterField PolicyChainFilter(absl::string_view policy_column) {
  FilterField chain = ChainFilter("");
  chain.has_template = ChainTemplate(policy_column);
  chain.membership = true;
  return chain;
}

absl::StatusOr<SqlValue> DepartmentValue(absl::string_view value) {
  auto name = DepartmentName::Parse("department", value);
  if (!name.ok()) return absl::InvalidArgumentError("must be departments/{dept}");
  return SqlValue(name->String());
}

absl::StatusOr<SqlValue> CreditCodeValue(absl::string_view value) {
  absl::string_view code = value;
  absl::ConsumePrefix(&code, "enterprises/");
  auto name = registry::EnterpriseName::Parse("enterprise", absl::StrCat("enterprises/", code));
  if (!name.ok()) return absl::InvalidArgumentError("must be enterprises/{credit_code}");
  return SqlValue(name->credit_code);
}

FilterField DepartmentFilter(std::string column) {
  FilterField f = StringFilter(std::move(column), DepartmentValue);
  f.ops = {FilterOp::kEq, FilterOp::kNe};
  return f;
}

template <typename T>
T Stored(T value) {
  value.clear_etag();
  value.clear_create_time();
  value.clear_update_time();
  return value;
}

v1::PolicyItem StoredItem(v1::PolicyItem item) {
  item.clear_chains();
  return Stored(std::move(item));
}

v1::Claim StoredClaim(v1::Claim claim) {
  claim.clear_name();
  claim.clear_enterprise_display_name();
  return Stored(std::move(claim));
}

absl::StatusOr<v1::Policy> PolicyOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(auto p, DecodeResource<v1::Policy>(r.Bytes(0)));
  p.set_name(PolicyName{r.Text(4)}.String());
  SetVersion(&p, r.Int(1), r.Int(2), r.Int(3));
  return p;
}

}  // namespace

bool WindowHolds(const v1::PolicyItem& item, absl::string_view day) {
  return (item.open_date().empty() || item.open_date() <= day) &&
         (item.close_date().empty() || day <= item.close_date());
}

// --- Policies ------------------------------------------------------------------------------------

absl::Status PolicyStore::InsertPolicy(const std::string& id, const v1::Policy& policy,
                                       absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT 1 FROM support_policies WHERE id = $1", {id}));
  if (!rows.empty()) return AlreadyExists("Policy", PolicyName{id}.String());
  v1::Policy stored = Stored(policy);
  stored.clear_name();
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO support_policies (id, department, data, revision, create_us, "
               "update_us) VALUES ($1, $2, $3, 1, $4, $4)",
               {id, policy.department(), Blob{stored.SerializeAsString()}, Micros(now)})
          .status());
  for (const std::string& chain : policy.chains()) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO support_policy_chains (policy_id, chain) VALUES ($1, $2)",
                 {id, std::string(absl::StripPrefix(chain, "chains/"))})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Policy> PolicyStore::GetPolicy(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query(absl::StrCat(kPolicyColumns, " WHERE p.id = $1"), {id}));
  if (rows.empty()) return NotFound("Policy", PolicyName{id}.String());
  return PolicyOf(rows[0]);
}

absl::StatusOr<std::vector<Keyed<v1::Policy>>> PolicyStore::ListPolicies(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  const std::string sql = kPolicyColumns + PageClause(q, &params, {}, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Policy>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Policy p, PolicyOf(r));
    out.push_back({std::move(p), {r.Text(4)}});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> PolicyStore::PolicyChains(const std::string& policy_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("SELECT chain FROM support_policy_chains WHERE policy_id = $1 ORDER BY chain",
                {policy_id}));
  std::vector<std::string> chains;
  for (const SqlRow& r : rows) chains.push_back(ChainName{r.Text(0)}.String());
  return chains;
}

// --- Items ---------------------------------------------------------------------------------------

absl::StatusOr<v1::PolicyItem> PolicyStore::ItemOf(
    const SqlRow& r, std::map<std::string, std::vector<std::string>>* chains) {
  CHAINHUB_ASSIGN_OR_RETURN(auto item, DecodeResource<v1::PolicyItem>(r.Bytes(0)));
  const std::string& policy_id = r.Text(4);
  item.set_name(PolicyItemName{policy_id, r.Text(5)}.String());
  auto it = chains->find(policy_id);
  if (it == chains->end()) {
    CHAINHUB_ASSIGN_OR_RETURN(auto of_policy, PolicyChains(policy_id));
    it = chains->emplace(policy_id, std::move(of_policy)).first;
  }
  for (const std::string& chain : it->second) item.add_chains(chain);
  SetVersion(&item, r.Int(1), r.Int(2), r.Int(3));
  return item;
}

absl::Status PolicyStore::InsertItem(const PolicyItemName& name, const v1::PolicyItem& item,
                                     absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT 1 FROM support_policy_items WHERE policy_id = $1 AND "
                                      "item_id = $2",
                                      {name.policy, name.item}));
  if (!rows.empty()) return AlreadyExists("PolicyItem", name.String());
  return tx_
      .Exec(
          "INSERT INTO support_policy_items (policy_id, item_id, lane, department, open_date, "
          "close_date, data, revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, $6, "
          "$7, 1, $8, $8)",
          {name.policy, name.item, int64_t{item.lane()}, item.department(), item.open_date(),
           item.close_date(), Blob{StoredItem(item).SerializeAsString()}, Micros(now)})
      .status();
}

absl::Status PolicyStore::UpdateItem(const PolicyItemName& name, const v1::PolicyItem& item,
                                     absl::Time now) {
  return tx_
      .Exec(
          "UPDATE support_policy_items SET lane = $3, department = $4, open_date = $5, "
          "close_date = $6, data = $7, revision = revision + 1, update_us = $8 "
          "WHERE policy_id = $1 AND item_id = $2",
          {name.policy, name.item, int64_t{item.lane()}, item.department(), item.open_date(),
           item.close_date(), Blob{StoredItem(item).SerializeAsString()}, Micros(now)})
      .status();
}

absl::StatusOr<std::optional<v1::PolicyItem>> PolicyStore::FindItem(const PolicyItemName& name) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(absl::StrCat(kItemColumns, " WHERE i.policy_id = $1 AND i.item_id = $2"),
                           {name.policy, name.item}));
  if (rows.empty()) return std::optional<v1::PolicyItem>();
  std::map<std::string, std::vector<std::string>> chains;
  CHAINHUB_ASSIGN_OR_RETURN(v1::PolicyItem item, ItemOf(rows[0], &chains));
  return std::optional<v1::PolicyItem>(std::move(item));
}

absl::StatusOr<v1::PolicyItem> PolicyStore::GetItem(const PolicyItemName& name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto found, FindItem(name));
  if (!found) return NotFound("PolicyItem", name.String());
  return std::move(*found);
}

absl::StatusOr<std::vector<Keyed<v1::PolicyItem>>> PolicyStore::ListItems(
    const PageQuery& q, const std::string& policy_id) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> extra;
  if (!policy_id.empty()) {
    params.push_back(policy_id);
    extra.push_back(absl::StrCat("i.policy_id = $", params.size()));
  }
  const std::string sql = kItemColumns + PageClause(q, &params, extra, {false, false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::map<std::string, std::vector<std::string>> chains;
  std::vector<Keyed<v1::PolicyItem>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::PolicyItem item, ItemOf(r, &chains));
    out.push_back({std::move(item), {r.Text(4), r.Text(5)}});
  }
  return out;
}

absl::StatusOr<std::vector<v1::PolicyItem>> PolicyStore::AllItems(const std::string& policy_id,
                                                                  v1::Lane lane) {
  std::string sql = absl::StrCat(kItemColumns, " WHERE 1 = 1");
  std::vector<SqlValue> params;
  if (!policy_id.empty()) {
    params.push_back(policy_id);
    absl::StrAppend(&sql, " AND i.policy_id = $", params.size());
  }
  if (lane != v1::LANE_UNSPECIFIED) {
    params.push_back(int64_t{lane});
    absl::StrAppend(&sql, " AND i.lane = $", params.size());
  }
  absl::StrAppend(&sql, " ORDER BY i.policy_id, i.item_id");
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::map<std::string, std::vector<std::string>> chains;
  std::vector<v1::PolicyItem> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::PolicyItem item, ItemOf(r, &chains));
    out.push_back(std::move(item));
  }
  return out;
}

// --- Claims --------------------------------------------------------------------------------------

absl::StatusOr<v1::Claim> PolicyStore::ClaimOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(auto claim, DecodeResource<v1::Claim>(r.Bytes(0)));
  claim.set_name(ClaimName{r.Text(4), r.Text(5), r.Text(6)}.String());
  claim.set_enterprise_display_name(r.Text(7));
  SetVersion(&claim, r.Int(1), r.Int(2), r.Int(3));
  return claim;
}

absl::StatusOr<std::optional<v1::Claim>> PolicyStore::FindClaim(const ClaimName& name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query(absl::StrCat(kClaimColumns,
                                                   " WHERE c.policy_id = $1 AND c.item_id = $2 AND "
                                                   "c.credit_code = $3"),
                                      {name.policy, name.item, name.credit_code}));
  if (rows.empty()) return std::optional<v1::Claim>();
  CHAINHUB_ASSIGN_OR_RETURN(v1::Claim claim, ClaimOf(rows[0]));
  return std::optional<v1::Claim>(std::move(claim));
}

absl::StatusOr<v1::Claim> PolicyStore::GetClaim(const ClaimName& name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto found, FindClaim(name));
  if (!found) return NotFound("Claim", name.String());
  return std::move(*found);
}

absl::Status PolicyStore::InsertClaim(const ClaimName& name, const v1::Claim& claim,
                                      absl::Time now) {
  return tx_
      .Exec(
          "INSERT INTO support_claims (policy_id, item_id, credit_code, state, automatic, data, "
          "revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
          {name.policy, name.item, name.credit_code, int64_t{claim.state()},
           int64_t{claim.automatic() ? 1 : 0}, Blob{StoredClaim(claim).SerializeAsString()},
           Micros(now)})
      .status();
}

absl::Status PolicyStore::UpdateClaim(const ClaimName& name, const v1::Claim& claim,
                                      absl::Time now) {
  return tx_
      .Exec(
          "UPDATE support_claims SET state = $4, automatic = $5, data = $6, "
          "revision = revision + 1, update_us = $7 WHERE policy_id = $1 AND item_id = $2 AND "
          "credit_code = $3",
          {name.policy, name.item, name.credit_code, int64_t{claim.state()},
           int64_t{claim.automatic() ? 1 : 0}, Blob{StoredClaim(claim).SerializeAsString()},
           Micros(now)})
      .status();
}

absl::StatusOr<std::map<std::string, v1::ClaimState>> PolicyStore::ClaimStates(
    const PolicyItemName& item) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT credit_code, state FROM support_claims WHERE policy_id = $1 "
                           "AND item_id = $2",
                           {item.policy, item.item}));
  std::map<std::string, v1::ClaimState> states;
  for (const SqlRow& r : rows) states[r.Text(0)] = static_cast<v1::ClaimState>(r.Int(1));
  return states;
}

absl::StatusOr<std::vector<v1::Claim>> PolicyStore::ItemClaims(const PolicyItemName& item,
                                                               v1::ClaimState state) {
  std::string sql = absl::StrCat(kClaimColumns, " WHERE c.policy_id = $1 AND c.item_id = $2");
  std::vector<SqlValue> params = {item.policy, item.item};
  if (state != v1::CLAIM_STATE_UNSPECIFIED) {
    params.push_back(int64_t{state});
    absl::StrAppend(&sql, " AND c.state = $3");
  }
  absl::StrAppend(&sql, " ORDER BY c.credit_code");
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<v1::Claim> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Claim claim, ClaimOf(r));
    out.push_back(std::move(claim));
  }
  return out;
}

absl::StatusOr<std::vector<Keyed<v1::Claim>>> PolicyStore::ListClaims(const PageQuery& q,
                                                                      const std::string& policy_id,
                                                                      const std::string& item_id) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> extra;
  if (!policy_id.empty()) {
    params.push_back(policy_id);
    extra.push_back(absl::StrCat("c.policy_id = $", params.size()));
  }
  if (!item_id.empty()) {
    params.push_back(item_id);
    extra.push_back(absl::StrCat("c.item_id = $", params.size()));
  }
  const std::string sql = kClaimColumns + PageClause(q, &params, extra, {false, false, false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Claim>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Claim claim, ClaimOf(r));
    out.push_back({std::move(claim), {r.Text(4), r.Text(5), r.Text(6)}});
  }
  return out;
}

// --- Filters -------------------------------------------------------------------------------------

std::map<std::string, FilterField> PolicyFilterFields() {
  return {{"department", DepartmentFilter("p.department")}, {"chain", PolicyChainFilter("p.id")}};
}

std::map<std::string, FilterField> PolicyItemFilterFields(const std::string& today) {
  // `today` is a date the server wrote (ChinaDate), never the caller's text.
  const std::string open =
      absl::StrCat("(CASE WHEN i.open_date <= '", today,
                   "' AND (i.close_date = '' OR i.close_date >= '", today, "') THEN 1 ELSE 0 END)");
  return {
      {"lane", EnumFilter("i.lane", v1::Lane_descriptor(), "")},
      {"department", DepartmentFilter("i.department")},
      {"chain", PolicyChainFilter("i.policy_id")},
      {"open", BoolFilter(open)},
  };
}

std::map<std::string, FilterField> ClaimFilterFields() {
  FilterField enterprise = StringFilter("c.credit_code", CreditCodeValue);
  enterprise.ops = {FilterOp::kEq, FilterOp::kNe};
  return {
      {"state", EnumFilter("c.state", v1::ClaimState_descriptor(), "")},
      {"enterprise", enterprise},
      {"automatic", BoolFilter("c.automatic")},
  };
}

}  // namespace chainhub::support
