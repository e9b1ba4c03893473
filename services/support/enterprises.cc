#include "services/support/enterprises.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "services/registry/names.h"

namespace chainhub::support {

namespace {

absl::StatusOr<EnterpriseFacts> Decode(const std::string& bytes) {
  registry::v1::Enterprise e;
  if (!e.ParseFromString(bytes)) return absl::DataLossError("stored enterprise does not decode");
  return FactsOf(e);
}

}  // namespace

bool EnterpriseFacts::OnChain(absl::string_view chain_id) const {
  return std::binary_search(chains.begin(), chains.end(), chain_id);
}

EnterpriseFacts FactsOf(const registry::v1::Enterprise& e) {
  EnterpriseFacts f;
  f.credit_code = e.credit_code();
  if (f.credit_code.empty()) f.credit_code = std::string(absl::StripPrefix(e.name(), "enterprises/"));
  f.display_name = e.display_name();
  f.county = e.county();
  f.park = e.park();
  f.annual_output_yuan = e.annual_output_yuan();
  f.founding_date = e.founding_date();
  for (int label : e.labels()) {
    std::string name = registry::v1::EnterpriseLabel_Name(label);
    f.labels.push_back(std::string(absl::StripPrefix(name, "ENTERPRISE_LABEL_")));
  }
  std::set<std::string> chains;
  for (const std::string& m : e.memberships()) {
    f.nodes.push_back(m);
    auto node = NodeName::Parse("membership", m);
    if (node.ok()) chains.insert(node->chain);
  }
  f.chains.assign(chains.begin(), chains.end());
  return f;
}

absl::Status EnterpriseCopy::Apply(const registry::v1::Enterprise& e, bool deleted) {
  const EnterpriseFacts facts = FactsOf(e);
  if (facts.credit_code.empty()) return absl::InvalidArgumentError("enterprise without a name");
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("DELETE FROM support_enterprise_chains WHERE credit_code = $1", {facts.credit_code})
          .status());
  if (deleted) {
    return tx_.Exec("DELETE FROM support_enterprises WHERE credit_code = $1", {facts.credit_code})
        .status();
  }
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO support_enterprises (credit_code, display_name, county, data) "
               "VALUES ($1, $2, $3, $4) ON CONFLICT (credit_code) DO UPDATE SET "
               "display_name = excluded.display_name, county = excluded.county, "
               "data = excluded.data",
               {facts.credit_code, facts.display_name, facts.county, Blob{e.SerializeAsString()}})
          .status());
  for (const std::string& chain : facts.chains) {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO support_enterprise_chains (chain, credit_code) VALUES ($1, $2)",
                 {chain, facts.credit_code})
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<EnterpriseFacts>> EnterpriseCopy::Find(
    absl::string_view credit_code) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT data FROM support_enterprises WHERE credit_code = $1",
                           {std::string(credit_code)}));
  if (rows.empty()) return std::optional<EnterpriseFacts>();
  CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts facts, Decode(rows[0].Bytes(0)));
  return std::optional<EnterpriseFacts>(std::move(facts));
}

absl::StatusOr<EnterpriseFacts> EnterpriseCopy::Get(absl::string_view field,
                                                   absl::string_view name) {
  CHAINHUB_ASSIGN_OR_RETURN(registry::EnterpriseName parsed,
                            registry::EnterpriseName::Parse(field, name));
  CHAINHUB_ASSIGN_OR_RETURN(auto found, Find(parsed.credit_code));
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat(field, ": ", name, " is not an enterprise of the registry"));
  }
  return std::move(*found);
}

absl::Status EnterpriseCopy::ForEach(
    absl::string_view chain_id, const std::function<absl::Status(const EnterpriseFacts&)>& fn) {
  std::vector<SqlRow> rows;
  if (chain_id.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(
        rows, tx_.Query("SELECT data FROM support_enterprises ORDER BY credit_code"));
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(
        rows, tx_.Query("SELECT e.data FROM support_enterprise_chains c JOIN support_enterprises "
                        "e ON e.credit_code = c.credit_code WHERE c.chain = $1 "
                        "ORDER BY c.credit_code",
                        {std::string(chain_id)}));
  }
  for (const SqlRow& row : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(EnterpriseFacts facts, Decode(row.Bytes(0)));
    CHAINHUB_RETURN_IF_ERROR(fn(facts));
  }
  return absl::OkStatus();
}

}  // namespace chainhub::support
