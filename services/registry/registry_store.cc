#include "services/registry/registry_store.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/base/names.h"
#include "common/base/status_util.h"
#include "common/service/resource.h"
#include "common/store/list_query.h"
#include "services/registry/names.h"

namespace chainhub::registry {

// --- Filters and orderings -----------------------------------------------------------------

namespace {

using FieldType = FilterField::Type;

}  // namespace

const std::map<std::string, FilterField>& ChainFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"status", EnumFilter("status", v1::ChainStatus_descriptor(), "CHAIN_STATUS_")},
      {"display_name", StringFilter("display_name")},
      {"lead_department", StringFilter("lead_department")},
      {"target_output_yuan", IntFilter("target_output")},
      {"host_counties",
       {FieldType::kString,
        "",
        "EXISTS (SELECT 1 FROM chain_counties c WHERE c.chain_id = chains.id AND c.county = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        nullptr}},
  };
  return *fields;
}

absl::StatusOr<OrderSpec> ChainOrder(absl::string_view order_by) {
  return ParseOrderBy(order_by,
                      {{"name", {"id"}},
                       {"display_name", {"display_name", "id"}},
                       {"target_output_yuan", {"target_output", "id"}}},
                      "name");
}

const std::map<std::string, FilterField>& NodeFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"segment", EnumFilter("segment", v1::Segment_descriptor(), "SEGMENT_")},
      {"parent",
       {FieldType::kString,
        "parent_id",
        "",
        false,
        {FilterOp::kEq, FilterOp::kNe},
        [](absl::string_view v) -> absl::StatusOr<SqlValue> {
          if (v.empty()) return SqlValue(std::string());
          auto parent = NodeName::Parse("parent", v);
          if (!parent.ok()) return absl::InvalidArgumentError("parent must be a node name or \"\"");
          return SqlValue(parent->node);
        }}},
      {"display_name", StringFilter("display_name")},
  };
  return *fields;
}

OrderSpec NodeOrder() { return OrderSpec{{"segment", "ord", "node_id"}, false}; }

const std::map<std::string, FilterField>& DepartmentFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"display_name", StringFilter("display_name")},
      {"short_name", StringFilter("short_name")},
  };
  return *fields;
}

OrderSpec DepartmentOrder() { return OrderSpec{{"id"}, false}; }

const std::map<std::string, FilterField>& EnterpriseFilterFields() {
  static const auto* fields = new std::map<std::string, FilterField>{
      {"chain",
       {FieldType::kString,
        "",
        "EXISTS (SELECT 1 FROM memberships m WHERE m.credit_code = e.credit_code AND "
        "m.chain_id = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        ChainIdFilterValue}},
      // Matched against the node's name as the API writes it (chains/{chain}/nodes/{node}), so a
      // value of another form matches nothing rather than being refused.
      {"node",
       {FieldType::kString,
        "",
        "EXISTS (SELECT 1 FROM memberships m WHERE m.credit_code = e.credit_code AND "
        "'chains/' || m.chain_id || '/nodes/' || m.node_id = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        nullptr}},
      {"label",
       {FieldType::kEnum,
        "",
        "EXISTS (SELECT 1 FROM enterprise_labels l WHERE l.credit_code = e.credit_code AND "
        "l.label = {})",
        true,
        {FilterOp::kEq, FilterOp::kNe, FilterOp::kHas},
        EnumConverter(v1::EnterpriseLabel_descriptor(), "ENTERPRISE_LABEL_")}},
      {"county", StringFilter("e.county")},
      {"park", StringFilter("e.park")},
      {"display_name", StringFilter("e.display_name")},
      {"credit_code", StringFilter("e.credit_code")},
      {"annual_output_yuan", IntFilter("e.annual_output")},
      {"synthetic", BoolFilter("e.synthetic")},
  };
  return *fields;
}

absl::StatusOr<OrderSpec> EnterpriseOrder(absl::string_view order_by) {
  return ParseOrderBy(order_by,
                      {{"credit_code", {"credit_code"}},
                       {"display_name", {"display_name", "credit_code"}},
                       {"annual_output_yuan", {"annual_output", "credit_code"}}},
                      "credit_code");
}

// --- Departments ---------------------------------------------------------------------------

absl::StatusOr<v1::Department> RegistryTx::GetDepartment(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT data, revision, create_us, update_us FROM departments "
                           "WHERE id = $1",
                           {id}));
  if (rows.empty()) return NotFound("Department", DepartmentName{id}.String());
  CHAINHUB_ASSIGN_OR_RETURN(v1::Department d, DecodeResource<v1::Department>(rows[0].Bytes(0)));
  d.set_name(DepartmentName{id}.String());
  d.set_etag(MakeEtag(rows[0].Int(2), rows[0].Int(1)));
  SetTimestamp(d.mutable_create_time(), rows[0].Int(2));
  SetTimestamp(d.mutable_update_time(), rows[0].Int(3));
  return d;
}

absl::StatusOr<bool> RegistryTx::DepartmentExists(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT 1 FROM departments WHERE id = $1", {id}));
  return !rows.empty();
}

absl::Status RegistryTx::InsertDepartment(const std::string& id, v1::Department d, absl::Time now) {
  d.set_name(DepartmentName{id}.String());
  return tx_
      .Exec(
          "INSERT INTO departments (id, display_name, short_name, data, revision, create_us, "
          "update_us) VALUES ($1, $2, $5, $3, 1, $4, $4)",
          {id, d.display_name(), Blob{EncodeResource(d)}, Micros(now), d.short_name()})
      .status();
}

absl::Status RegistryTx::UpdateDepartment(const std::string& id, v1::Department d, absl::Time now) {
  d.set_name(DepartmentName{id}.String());
  return tx_
      .Exec(
          "UPDATE departments SET display_name = $2, short_name = $5, data = $3, "
          "revision = revision + 1, update_us = $4 WHERE id = $1",
          {id, d.display_name(), Blob{EncodeResource(d)}, Micros(now), d.short_name()})
      .status();
}

absl::Status RegistryTx::DeleteDepartment(const std::string& id) {
  return tx_.Exec("DELETE FROM departments WHERE id = $1", {id}).status();
}

absl::StatusOr<std::vector<Keyed<v1::Department>>> RegistryTx::ListDepartments(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::string sql = "SELECT data, revision, create_us, update_us, id FROM departments" +
                    PageClause(q, &params, {}, NumericColumns(q.columns, {}));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Department>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Department d, DecodeResource<v1::Department>(r.Bytes(0)));
    d.set_etag(MakeEtag(r.Int(2), r.Int(1)));
    SetTimestamp(d.mutable_create_time(), r.Int(2));
    SetTimestamp(d.mutable_update_time(), r.Int(3));
    out.push_back({std::move(d), {r.Text(4)}});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RegistryTx::ChainsReferencingDepartment(
    const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT chain_id FROM chain_departments WHERE department_id = $1 "
                           "ORDER BY chain_id",
                           {id}));
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.Text(0));
  return out;
}

// --- Chains ----------------------------------------------------------------------------------

namespace {

absl::StatusOr<v1::Chain> ChainFromRow(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Chain c, DecodeResource<v1::Chain>(r.Bytes(0)));
  c.set_etag(MakeEtag(r.Int(2), r.Int(1)));
  SetTimestamp(c.mutable_create_time(), r.Int(2));
  SetTimestamp(c.mutable_update_time(), r.Int(3));
  return c;
}

absl::Status WriteChainIndexes(SqlTx& tx, const std::string& id, const v1::Chain& c) {
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM chain_departments WHERE chain_id = $1", {id}).status());
  std::set<std::string> depts;
  if (!c.lead_department().empty()) depts.insert(c.lead_department());
  for (const auto& u : c.member_units()) depts.insert(u.department());
  for (const auto& d : depts) {
    auto dept = DepartmentName::Parse("department", d);
    if (!dept.ok()) return dept.status();
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO chain_departments (chain_id, department_id) VALUES ($1, $2)",
                {id, dept->department})
            .status());
  }
  CHAINHUB_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM chain_counties WHERE chain_id = $1", {id}).status());
  for (const auto& county :
       std::set<std::string>(c.host_counties().begin(), c.host_counties().end())) {
    CHAINHUB_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO chain_counties (chain_id, county) VALUES ($1, $2)", {id, county})
            .status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Chain> RegistryTx::GetChain(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx_.Query("SELECT data, revision, create_us, update_us FROM chains WHERE id = $1", {id}));
  if (rows.empty()) return NotFound("Chain", ChainName{id}.String());
  return ChainFromRow(rows[0]);
}

absl::StatusOr<bool> RegistryTx::ChainExists(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query("SELECT 1 FROM chains WHERE id = $1", {id}));
  return !rows.empty();
}

absl::Status RegistryTx::InsertChain(const std::string& id, v1::Chain c, absl::Time now) {
  c.set_name(ChainName{id}.String());
  c.clear_province_categories();
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("INSERT INTO chains (id, display_name, status, lead_department, target_output, "
               "data, revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
               {id, c.display_name(), static_cast<int64_t>(c.status()), c.lead_department(),
                c.target_output_yuan(), Blob{EncodeResource(c)}, Micros(now)})
          .status());
  return WriteChainIndexes(tx_, id, c);
}

absl::Status RegistryTx::UpdateChain(const std::string& id, v1::Chain c, absl::Time now) {
  c.set_name(ChainName{id}.String());
  c.clear_province_categories();
  CHAINHUB_RETURN_IF_ERROR(
      tx_.Exec("UPDATE chains SET display_name = $2, status = $3, lead_department = $4, "
               "target_output = $5, data = $6, revision = revision + 1, update_us = $7 "
               "WHERE id = $1",
               {id, c.display_name(), static_cast<int64_t>(c.status()), c.lead_department(),
                c.target_output_yuan(), Blob{EncodeResource(c)}, Micros(now)})
          .status());
  return WriteChainIndexes(tx_, id, c);
}

absl::StatusOr<std::vector<std::string>> RegistryTx::DeleteChain(const std::string& id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT DISTINCT credit_code FROM memberships WHERE chain_id = $1 "
                           "ORDER BY credit_code",
                           {id}));
  std::vector<std::string> affected;
  for (const auto& r : rows) affected.push_back(r.Text(0));
  for (const char* sql :
       {"DELETE FROM memberships WHERE chain_id = $1", "DELETE FROM nodes WHERE chain_id = $1",
        "DELETE FROM chain_province_mappings WHERE chain_id = $1",
        "DELETE FROM chain_departments WHERE chain_id = $1",
        "DELETE FROM chain_counties WHERE chain_id = $1", "DELETE FROM chains WHERE id = $1"}) {
    CHAINHUB_RETURN_IF_ERROR(tx_.Exec(sql, {id}).status());
  }
  return affected;
}

absl::StatusOr<std::vector<Keyed<v1::Chain>>> RegistryTx::ListChains(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::string sql = absl::StrCat(
      "SELECT data, revision, create_us, update_us, ", absl::StrJoin(q.columns, ", "),
      " FROM chains", PageClause(q, &params, {}, NumericColumns(q.columns, {"target_output"})));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Chain>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Chain c, ChainFromRow(r));
    out.push_back({std::move(c), KeyOf(r, 4, q.columns.size())});
  }
  return out;
}

absl::StatusOr<int64_t> RegistryTx::CountChains(const CompiledFilter& filter) {
  std::string sql = "SELECT COUNT(*) FROM chains";
  if (!filter.sql.empty()) absl::StrAppend(&sql, " WHERE ", filter.sql);
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row, tx_.QueryOne(sql, filter.params));
  return row.Int(0);
}

absl::StatusOr<int64_t> RegistryTx::CountNodes(const std::string& chain_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow row, tx_.QueryOne("SELECT COUNT(*) FROM nodes WHERE chain_id = $1", {chain_id}));
  return row.Int(0);
}

absl::StatusOr<int64_t> RegistryTx::CountMemberships(const std::string& chain_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      SqlRow row, tx_.QueryOne("SELECT COUNT(*) FROM memberships WHERE chain_id = $1", {chain_id}));
  return row.Int(0);
}

// --- Nodes -----------------------------------------------------------------------------------

namespace {

absl::StatusOr<v1::Node> NodeFromRow(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Node n, DecodeResource<v1::Node>(r.Bytes(0)));
  n.set_etag(MakeEtag(r.Int(2), r.Int(1)));
  SetTimestamp(n.mutable_create_time(), r.Int(2));
  SetTimestamp(n.mutable_update_time(), r.Int(3));
  return n;
}

// The parent_id column: the parent's node id, "" for a root.
absl::StatusOr<std::string> ParentId(const v1::Node& n) {
  if (n.parent().empty()) return std::string();
  auto parent = NodeName::Parse("node.parent", n.parent());
  if (!parent.ok()) return parent.status();
  return std::move(parent->node);
}

}  // namespace

absl::StatusOr<v1::Node> RegistryTx::GetNode(const std::string& chain_id,
                                             const std::string& node_id) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query("SELECT data, revision, create_us, update_us FROM nodes "
                                      "WHERE chain_id = $1 AND node_id = $2",
                                      {chain_id, node_id}));
  if (rows.empty()) return NotFound("Node", NodeName{chain_id, node_id}.String());
  return NodeFromRow(rows[0]);
}

absl::Status RegistryTx::InsertNode(const std::string& chain_id, const std::string& node_id,
                                    v1::Node n, absl::Time now) {
  n.set_name(NodeName{chain_id, node_id}.String());
  CHAINHUB_ASSIGN_OR_RETURN(std::string parent_id, ParentId(n));
  return tx_
      .Exec(
          "INSERT INTO nodes (chain_id, node_id, parent_id, segment, ord, display_name, data, "
          "revision, create_us, update_us) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
          {chain_id, node_id, parent_id, static_cast<int64_t>(n.segment()),
           static_cast<int64_t>(n.order()), n.display_name(), Blob{EncodeResource(n)}, Micros(now)})
      .status();
}

absl::Status RegistryTx::UpdateNode(const std::string& chain_id, const std::string& node_id,
                                    v1::Node n, absl::Time now) {
  n.set_name(NodeName{chain_id, node_id}.String());
  CHAINHUB_ASSIGN_OR_RETURN(std::string parent_id, ParentId(n));
  return tx_
      .Exec(
          "UPDATE nodes SET parent_id = $3, segment = $4, ord = $5, display_name = $6, "
          "data = $7, revision = revision + 1, update_us = $8 "
          "WHERE chain_id = $1 AND node_id = $2",
          {chain_id, node_id, parent_id, static_cast<int64_t>(n.segment()),
           static_cast<int64_t>(n.order()), n.display_name(), Blob{EncodeResource(n)}, Micros(now)})
      .status();
}

absl::StatusOr<NodeParents> RegistryTx::ParentsOfNodes(const std::string& chain_id) {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT node_id, parent_id FROM nodes WHERE chain_id = $1", {chain_id}));
  NodeParents out;
  for (const auto& r : rows) out[r.Text(0)] = r.Text(1);
  return out;
}

absl::StatusOr<std::vector<v1::Node>> RegistryTx::AllNodes(const std::string& chain_id) {
  std::vector<SqlRow> rows;
  if (chain_id.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(rows,
                              tx_.Query("SELECT data, revision, create_us, update_us "
                                        "FROM nodes ORDER BY chain_id, segment, ord, node_id"));
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(rows,
                              tx_.Query("SELECT data, revision, create_us, update_us FROM nodes "
                                        "WHERE chain_id = $1 ORDER BY segment, ord, node_id",
                                        {chain_id}));
  }
  std::vector<v1::Node> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Node n, NodeFromRow(r));
    out.push_back(std::move(n));
  }
  return out;
}

absl::StatusOr<std::vector<Keyed<v1::Node>>> RegistryTx::ListNodes(const std::string& chain_id,
                                                                   const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  params.push_back(chain_id);
  const std::string chain_condition = absl::StrCat("chain_id = $", params.size());
  std::string sql = absl::StrCat(
      "SELECT data, revision, create_us, update_us, ", absl::StrJoin(q.columns, ", "),
      " FROM nodes",
      PageClause(q, &params, {chain_condition}, NumericColumns(q.columns, {"segment", "ord"})));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Node>> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Node n, NodeFromRow(r));
    out.push_back({std::move(n), KeyOf(r, 4, q.columns.size())});
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RegistryTx::DeleteNodes(
    const std::string& chain_id, const std::vector<std::string>& node_ids) {
  std::set<std::string> affected;
  for (const auto& node_id : node_ids) {
    CHAINHUB_ASSIGN_OR_RETURN(
        auto rows, tx_.Query("SELECT credit_code FROM memberships WHERE chain_id = $1 AND "
                             "node_id = $2",
                             {chain_id, node_id}));
    for (const auto& r : rows) affected.insert(r.Text(0));
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("DELETE FROM memberships WHERE chain_id = $1 AND node_id = $2",
                 {chain_id, node_id})
            .status());
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("DELETE FROM nodes WHERE chain_id = $1 AND node_id = $2", {chain_id, node_id})
            .status());
  }
  return std::vector<std::string>(affected.begin(), affected.end());
}

absl::StatusOr<int64_t> RegistryTx::CountNodeMemberships(const std::string& chain_id,
                                                         const std::string& node_id) {
  CHAINHUB_ASSIGN_OR_RETURN(SqlRow row,
                            tx_.QueryOne("SELECT COUNT(*) FROM memberships WHERE chain_id = $1 AND "
                                         "node_id = $2",
                                         {chain_id, node_id}));
  return row.Int(0);
}

// --- Enterprises -----------------------------------------------------------------------------

namespace {

constexpr char kEnterpriseColumns[] = "e.data, e.revision, e.create_us, e.update_us";

absl::StatusOr<v1::Enterprise> EnterpriseFromRow(const SqlRow& r) {
  CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, DecodeResource<v1::Enterprise>(r.Bytes(0)));
  e.set_etag(MakeEtag(r.Int(2), r.Int(1)));
  SetTimestamp(e.mutable_create_time(), r.Int(2));
  SetTimestamp(e.mutable_update_time(), r.Int(3));
  return e;
}

// Fills memberships of `enterprises` (by credit code) in one query.
absl::Status FillMemberships(SqlTx& tx, std::vector<v1::Enterprise*> enterprises) {
  if (enterprises.empty()) return absl::OkStatus();
  std::map<std::string, v1::Enterprise*> by_code;
  std::vector<SqlValue> params;
  std::vector<std::string> placeholders;
  for (auto* e : enterprises) {
    by_code[e->credit_code()] = e;
    params.push_back(e->credit_code());
    placeholders.push_back(absl::StrCat("$", params.size()));
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query(absl::StrCat("SELECT credit_code, chain_id, node_id FROM memberships WHERE "
                            "credit_code IN (",
                            absl::StrJoin(placeholders, ", "),
                            ") ORDER BY credit_code, chain_id, node_id"),
               params));
  for (const auto& r : rows) {
    auto it = by_code.find(r.Text(0));
    if (it != by_code.end()) {
      it->second->add_memberships(NodeName{r.Text(1), r.Text(2)}.String());
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<v1::Enterprise>> RegistryTx::FindEnterprise(
    const std::string& credit_code) {
  CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                            tx_.Query(absl::StrCat("SELECT ", kEnterpriseColumns,
                                                   " FROM enterprises e WHERE e.credit_code = $1"),
                                      {credit_code}));
  if (rows.empty()) return std::optional<v1::Enterprise>();
  CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, EnterpriseFromRow(rows[0]));
  CHAINHUB_RETURN_IF_ERROR(FillMemberships(tx_, {&e}));
  return std::optional<v1::Enterprise>(std::move(e));
}

absl::StatusOr<std::map<std::string, v1::Enterprise>> RegistryTx::FindEnterprises(
    const std::set<std::string>& credit_codes) {
  std::map<std::string, v1::Enterprise> found;
  if (credit_codes.empty()) return found;
  std::vector<SqlValue> params;
  std::vector<std::string> placeholders;
  for (const std::string& code : credit_codes) {
    params.push_back(code);
    placeholders.push_back(absl::StrCat("$", params.size()));
  }
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query(absl::StrCat("SELECT ", kEnterpriseColumns,
                                        ", e.credit_code FROM enterprises e WHERE e.credit_code "
                                        "IN (",
                                        absl::StrJoin(placeholders, ", "), ")"),
                           params));
  std::vector<v1::Enterprise*> filled;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, EnterpriseFromRow(r));
    filled.push_back(&(found[r.Text(4)] = std::move(e)));
  }
  CHAINHUB_RETURN_IF_ERROR(FillMemberships(tx_, filled));
  return found;
}

absl::StatusOr<v1::Enterprise> RegistryTx::GetEnterprise(const std::string& credit_code) {
  CHAINHUB_ASSIGN_OR_RETURN(auto found, FindEnterprise(credit_code));
  if (!found) return NotFound("Enterprise", EnterpriseName{credit_code}.String());
  return std::move(*found);
}

absl::StatusOr<v1::Enterprise> RegistryTx::PutEnterprise(v1::Enterprise e,
                                                         const v1::Enterprise* existing,
                                                         absl::Time now) {
  const std::string code = e.credit_code();
  e.set_name(EnterpriseName{code}.String());
  // Memberships in the order FillMemberships reads them back: by chain id, then node id.
  std::vector<NodeName> nodes;
  for (const auto& m : e.memberships()) {
    CHAINHUB_ASSIGN_OR_RETURN(NodeName node, NodeName::Parse("memberships", m));
    nodes.push_back(std::move(node));
  }
  std::sort(nodes.begin(), nodes.end(), [](const NodeName& a, const NodeName& b) {
    return std::tie(a.chain, a.node) < std::tie(b.chain, b.node);
  });
  e.clear_memberships();
  e.clear_etag();
  e.clear_create_time();
  e.clear_update_time();
  const std::string data = e.SerializeAsString();
  v1::Enterprise stored = e;
  for (const NodeName& node : nodes) stored.add_memberships(node.String());
  const int64_t now_us = Micros(now);
  int64_t revision = 1;
  int64_t create_us = now_us;
  // An update rewrites the label and membership rows only when they changed.
  bool labels_changed = true;
  bool memberships_changed = true;
  if (existing != nullptr) {
    // Only the columns that changed are set: SQLite rewrites the index entries of every column
    // an UPDATE sets, changed or not.
    std::vector<SqlValue> params{code, Blob{data}, now_us};
    std::string set = "data = $2, revision = revision + 1, update_us = $3";
    auto set_if = [&](bool changed, const char* column, SqlValue value) {
      if (!changed) return;
      params.push_back(std::move(value));
      absl::StrAppend(&set, ", ", column, " = $", params.size());
    };
    set_if(e.display_name() != existing->display_name(), "display_name", e.display_name());
    set_if(e.county() != existing->county(), "county", e.county());
    set_if(e.park() != existing->park(), "park", e.park());
    set_if(e.annual_output_yuan() != existing->annual_output_yuan(), "annual_output",
           e.annual_output_yuan());
    set_if(e.synthetic() != existing->synthetic(), "synthetic",
           static_cast<int64_t>(e.synthetic()));
    CHAINHUB_ASSIGN_OR_RETURN(
        SqlRow version,
        tx_.QueryOne(absl::StrCat("UPDATE enterprises SET ", set,
                                  " WHERE credit_code = $1 RETURNING revision, create_us"),
                     params));
    revision = version.Int(0);
    create_us = version.Int(1);
    const std::set<int> before(existing->labels().begin(), existing->labels().end());
    labels_changed = before != std::set<int>(e.labels().begin(), e.labels().end());
    memberships_changed =
        !std::equal(existing->memberships().begin(), existing->memberships().end(),
                    stored.memberships().begin(), stored.memberships().end());
    if (labels_changed) {
      CHAINHUB_RETURN_IF_ERROR(
          tx_.Exec("DELETE FROM enterprise_labels WHERE credit_code = $1", {code}).status());
    }
    if (memberships_changed) {
      CHAINHUB_RETURN_IF_ERROR(
          tx_.Exec("DELETE FROM memberships WHERE credit_code = $1", {code}).status());
    }
  } else {
    CHAINHUB_RETURN_IF_ERROR(
        tx_.Exec("INSERT INTO enterprises (credit_code, display_name, county, park, "
                 "annual_output, synthetic, data, revision, create_us, update_us) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
                 {code, e.display_name(), e.county(), e.park(), e.annual_output_yuan(),
                  static_cast<int64_t>(e.synthetic()), Blob{data}, now_us})
            .status());
  }
  if (labels_changed) {
    for (int label : std::set<int>(e.labels().begin(), e.labels().end())) {
      CHAINHUB_RETURN_IF_ERROR(
          tx_.Exec("INSERT INTO enterprise_labels (credit_code, label) VALUES ($1, $2)",
                   {code, static_cast<int64_t>(label)})
              .status());
    }
  }
  if (memberships_changed) {
    for (const NodeName& node : nodes) {
      CHAINHUB_RETURN_IF_ERROR(
          tx_.Exec("INSERT INTO memberships (credit_code, chain_id, node_id) VALUES ($1, $2, $3)",
                   {code, node.chain, node.node})
              .status());
    }
  }
  SetVersion(&stored, revision, create_us, now_us);
  return stored;
}

absl::Status RegistryTx::DeleteEnterprise(const std::string& credit_code) {
  for (const char* sql : {"DELETE FROM memberships WHERE credit_code = $1",
                          "DELETE FROM enterprise_labels WHERE credit_code = $1",
                          "DELETE FROM enterprises WHERE credit_code = $1"}) {
    CHAINHUB_RETURN_IF_ERROR(tx_.Exec(sql, {credit_code}).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Keyed<v1::Enterprise>>> RegistryTx::ListEnterprises(const PageQuery& q) {
  std::vector<SqlValue> params = q.filter.params;
  std::vector<std::string> qualified;
  for (const auto& c : q.columns) qualified.push_back("e." + c);
  PageQuery qq = q;
  qq.columns = qualified;
  std::string sql = absl::StrCat(
      "SELECT ", kEnterpriseColumns, ", ", absl::StrJoin(qualified, ", "), " FROM enterprises e",
      PageClause(qq, &params, {}, NumericColumns(qualified, {"e.annual_output"})));
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<Keyed<v1::Enterprise>> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, EnterpriseFromRow(r));
    out.push_back({std::move(e), KeyOf(r, 4, q.columns.size())});
  }
  std::vector<v1::Enterprise*> ptrs;
  for (auto& k : out) ptrs.push_back(&k.value);
  CHAINHUB_RETURN_IF_ERROR(FillMemberships(tx_, ptrs));
  return out;
}

absl::StatusOr<std::vector<MapFirm>> RegistryTx::MapFirms(const std::string& chain_id) {
  std::vector<SqlRow> rows;
  const std::string select =
      "SELECT e.credit_code, e.data, m.chain_id, m.node_id FROM memberships m "
      "JOIN enterprises e ON e.credit_code = m.credit_code";
  if (chain_id.empty()) {
    CHAINHUB_ASSIGN_OR_RETURN(rows, tx_.Query(select + " ORDER BY e.credit_code"));
  } else {
    CHAINHUB_ASSIGN_OR_RETURN(
        rows, tx_.Query(select + " WHERE m.chain_id = $1 ORDER BY e.credit_code", {chain_id}));
  }
  std::vector<MapFirm> out;
  for (const auto& r : rows) {
    if (out.empty() || out.back().credit_code != r.Text(0)) {
      CHAINHUB_ASSIGN_OR_RETURN(v1::Enterprise e, DecodeResource<v1::Enterprise>(r.Bytes(1)));
      MapFirm f;
      f.credit_code = r.Text(0);
      f.display_name = e.display_name();
      f.annual_output_yuan = e.annual_output_yuan();
      for (int l : e.labels()) {
        f.labels.push_back(static_cast<v1::EnterpriseLabel>(l));
        f.lead |= l == v1::ENTERPRISE_LABEL_CHAIN_OWNER;
      }
      out.push_back(std::move(f));
    }
    out.back().node_names.push_back(NodeName{r.Text(2), r.Text(3)}.String());
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RegistryTx::MissingNodes(
    const std::vector<std::string>& node_names) {
  std::vector<std::string> missing;
  for (const auto& name : node_names) {
    CHAINHUB_ASSIGN_OR_RETURN(NodeName node, NodeName::Parse("memberships", name));
    CHAINHUB_ASSIGN_OR_RETURN(auto rows,
                              tx_.Query("SELECT 1 FROM nodes WHERE chain_id = $1 AND node_id = $2",
                                        {node.chain, node.node}));
    if (rows.empty()) missing.push_back(name);
  }
  return missing;
}

// --- Province taxonomy -----------------------------------------------------------------------

absl::StatusOr<std::vector<v1::ProvinceList>> RegistryTx::ProvinceLists() {
  CHAINHUB_ASSIGN_OR_RETURN(
      auto rows, tx_.Query("SELECT data, update_us FROM province_lists ORDER BY effective_from"));
  std::vector<v1::ProvinceList> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(v1::ProvinceList l, DecodeResource<v1::ProvinceList>(r.Bytes(0)));
    SetTimestamp(l.mutable_update_time(), r.Int(1));
    out.push_back(std::move(l));
  }
  return out;
}

absl::Status RegistryTx::PutProvinceList(const std::string& version, v1::ProvinceList l,
                                         absl::Time now) {
  l.set_name(ProvinceListName{version}.String());
  l.clear_update_time();
  return tx_
      .Exec(
          "INSERT INTO province_lists (version, effective_from, effective_to, data, update_us) "
          "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (version) DO UPDATE SET "
          "effective_from = excluded.effective_from, effective_to = excluded.effective_to, "
          "data = excluded.data, update_us = excluded.update_us",
          {version, l.effective_from(), l.effective_to(), Blob{l.SerializeAsString()}, Micros(now)})
      .status();
}

absl::StatusOr<std::vector<v1::ChainProvinceMapping>> RegistryTx::Mappings(
    const std::string& chain_id, const std::string& version) {
  std::string sql = "SELECT data FROM chain_province_mappings";
  std::vector<SqlValue> params;
  std::vector<std::string> conditions;
  if (!chain_id.empty()) {
    params.push_back(chain_id);
    conditions.push_back(absl::StrCat("chain_id = $", params.size()));
  }
  if (!version.empty()) {
    params.push_back(version);
    conditions.push_back(absl::StrCat("version = $", params.size()));
  }
  if (!conditions.empty()) absl::StrAppend(&sql, " WHERE ", absl::StrJoin(conditions, " AND "));
  absl::StrAppend(&sql, " ORDER BY chain_id, version");
  CHAINHUB_ASSIGN_OR_RETURN(auto rows, tx_.Query(sql, params));
  std::vector<v1::ChainProvinceMapping> out;
  for (const auto& r : rows) {
    CHAINHUB_ASSIGN_OR_RETURN(auto m, DecodeResource<v1::ChainProvinceMapping>(r.Bytes(0)));
    out.push_back(std::move(m));
  }
  return out;
}

absl::Status RegistryTx::PutMapping(const std::string& chain_id,
                                    const v1::ChainProvinceMapping& m) {
  return tx_
      .Exec(
          "INSERT INTO chain_province_mappings (chain_id, version, data) VALUES ($1, $2, $3) "
          "ON CONFLICT (chain_id, version) DO UPDATE SET data = excluded.data",
          {chain_id, m.version(), Blob{m.SerializeAsString()}})
      .status();
}

}  // namespace chainhub::registry
