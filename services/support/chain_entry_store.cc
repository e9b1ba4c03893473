#include "services/support/chain_entry_store.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/base/fields.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"

namespace chainhub::support {
namespace {

constexpr char kColumns[] =
    "SELECT e.chain, e.id, e.data, e.revision, e.create_us, e.update_us FROM "
    "support_chain_entries e";

absl::StatusOr<v1::ChainEntry> EntryOf(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(auto e, DecodeResource<v1::ChainEntry>(r.Bytes(2)));
  e.set_name(ChainEntryName{r.Text(0), r.Text(1)}.String());
  SetVersion(&e, r.Int(3), r.Int(4), r.Int(5));
  return e;
}

absl::StatusOr<SqlValue> DateValue(absl::string_view value) {
  if (!IsValidDate(value)) return absl::InvalidArgumentError("valid_on must be a date YYYY-MM-DD");
  return SqlValue(std::string(value));
}

// The blob: the entry without its name and output-only fields.
std::string Encoded(v1::ChainEntry entry) {
  entry.clear_name();
  return EncodeResource(std::move(entry));
}

}  // namespace

const std::map<std::string, FilterField>& ChainEntryFilterFields() {
  static const auto* fields = [] {
    auto* f = new std::map<std::string, FilterField>{
        {"kind", EnumFilter("e.kind", v1::EntryKind_descriptor(), "")},
        {"status", EnumFilter("e.status", v1::EntryStatus_descriptor(), "ENTRY_")},
        {"node", StringFilter("e.node")},
        {"owner", StringFilter("e.owner")},
    };
    FilterField valid_on;
    valid_on.type = FilterField::Type::kString;
    valid_on.has_template =
        "((e.valid_from = '' OR e.valid_from <= {}) AND (e.valid_to = '' OR e.valid_to >= {}))";
    valid_on.membership = true;
    valid_on.ops = {FilterOp::kEq};
    valid_on.convert = DateValue;
    f->emplace("valid_on", std::move(valid_on));
    return f;
  }();
  return *fields;
}

absl::Status ChainEntriesTx::Insert(const ChainEntryName& name, const v1::ChainEntry& e,
                                    absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT 1 FROM support_chain_entries WHERE id = $1", {name.id}));
  if (!rows.empty()) return AlreadyExists("ChainEntry", name.String());
  return tx_
      .Exec(
          "INSERT INTO support_chain_entries (chain, id, kind, status, node, owner, valid_from, "
          "valid_to, data, revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, $9, 1, $10, $10)",
          {name.chain, name.id, int64_t{e.kind()}, int64_t{e.status()}, e.node(), e.owner(),
           e.valid_from(), e.valid_to(), Blob{Encoded(e)}, Micros(now)})
      .status();
}

absl::StatusOr<v1::ChainEntry> ChainEntriesTx::Get(const ChainEntryName& name) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query(absl::StrCat(kColumns, " WHERE e.chain = $1 AND e.id = $2"),
                                      {name.chain, name.id}));
  if (rows.empty()) return NotFound("ChainEntry", name.String());
  return EntryOf(rows[0]);
}

absl::Status ChainEntriesTx::Update(const ChainEntryName& name, const v1::ChainEntry& e,
                                    absl::Time now) {
  CHAINHUB_ASSIGN_OR_RETURN(
      int64_t changed,
      tx_.Exec("UPDATE support_chain_entries SET status = $3, node = $4, owner = $5, "
               "valid_from = $6, valid_to = $7, data = $8, revision = revision + 1, "
               "update_us = $9 WHERE chain = $1 AND id = $2",
               {name.chain, name.id, int64_t{e.status()}, e.node(), e.owner(), e.valid_from(),
                e.valid_to(), Blob{Encoded(e)}, Micros(now)}));
  if (changed == 0) return NotFound("ChainEntry", name.String());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Keyed<v1::ChainEntry>>> ChainEntriesTx::List(
    const std::optional<std::string>& chain_id, const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> conditions;
  if (chain_id) {
    params.push_back(*chain_id);
    conditions.push_back(absl::StrCat("e.chain = $", params.size()));
  }
  const std::string sql = kColumns + PageClause(q, &params, conditions, {false});
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::ChainEntry>> out;
  for (const SqlRow& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::ChainEntry e, EntryOf(r));
    out.push_back({std::move(e), {r.Text(1)}});
  }
  return out;
}

}  // namespace chainhub::support
