#include "tools/chainctl/render.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "tools/chainctl/text_table.h"

namespace chainhub::chainctl {

using registry::v1::ChainMapNode;

std::string SegmentName(registry::v1::Segment segment) {
  switch (segment) {
    case registry::v1::SEGMENT_UPSTREAM:
      return "上游";
    case registry::v1::SEGMENT_MIDSTREAM:
      return "中游";
    case registry::v1::SEGMENT_DOWNSTREAM:
      return "下游";
    default:
      return "-";
  }
}

std::string NodeStatusMark(registry::v1::NodeStatus status) {
  switch (status) {
    case registry::v1::NODE_STATUS_MISSING:
      return "✗ 缺链";
    case registry::v1::NODE_STATUS_WEAK:
      return "△ 薄弱";
    case registry::v1::NODE_STATUS_STRONG:
      return "✓ 强";
    default:
      return "? 未知";
  }
}

std::string ChainStatusName(registry::v1::ChainStatus status) {
  switch (status) {
    case registry::v1::CHAIN_STATUS_PLANNED:
      return "PLANNED";
    case registry::v1::CHAIN_STATUS_ACTIVE:
      return "ACTIVE";
    case registry::v1::CHAIN_STATUS_RETIRED:
      return "RETIRED";
    default:
      return "-";
  }
}

std::string ChainActionName(registry::v1::ChainAction action) {
  switch (action) {
    case registry::v1::CHAIN_ACTION_BUILD:
      return "建链";
    case registry::v1::CHAIN_ACTION_FILL:
      return "补链";
    case registry::v1::CHAIN_ACTION_EXTEND:
      return "延链";
    case registry::v1::CHAIN_ACTION_STRENGTHEN:
      return "强链";
    default:
      return "-";
  }
}

std::string EnterpriseLabelName(registry::v1::EnterpriseLabel label) {
  switch (label) {
    case registry::v1::ENTERPRISE_LABEL_CHAIN_OWNER:
      return "链主";
    case registry::v1::ENTERPRISE_LABEL_HEAD:
      return "头部";
    case registry::v1::ENTERPRISE_LABEL_ABOVE_SIZE:
      return "规上";
    case registry::v1::ENTERPRISE_LABEL_SPECIALIZED:
      return "专精特新";
    case registry::v1::ENTERPRISE_LABEL_HIGH_TECH:
      return "高新";
    default:
      return "?";
  }
}

namespace {

// "%.2f" without trailing zeros: 135.50 → 135.5, 2000.00 → 2000.
std::string TrimmedDecimal(double value, int digits) {
  std::string s = absl::StrFormat("%.*f", digits, value);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::string LabelsText(const registry::v1::Enterprise& e) {
  std::vector<std::string> names;
  for (int label : e.labels()) {
    names.push_back(EnterpriseLabelName(static_cast<registry::v1::EnterpriseLabel>(label)));
  }
  return absl::StrJoin(names, ",");
}

// Up to `limit` items joined with 、, then "等N个" for the rest.
std::string JoinSome(const std::vector<std::string>& items, size_t limit) {
  if (items.empty()) return "-";
  if (items.size() <= limit) return absl::StrJoin(items, "、");
  std::vector<std::string> head(items.begin(), items.begin() + static_cast<long>(limit));
  return absl::StrCat(absl::StrJoin(head, "、"), " 等", items.size(), "个");
}

void PrintTreeNode(const ChainMapNode& n, const std::string& prefix, bool last, bool root,
                   std::ostream& out) {
  std::string line = prefix + (last ? "└── " : "├── ");
  if (root) absl::StrAppend(&line, SegmentName(n.node().segment()), " · ");
  absl::StrAppend(&line, n.node().display_name(), " (", ShortId(n.node().name()), ") [",
                  NodeStatusMark(n.status()), "] firms=", n.enterprise_count(),
                  " lead=", n.lead_firm_count());
  out << line << "\n";
  const std::string child_prefix = prefix + (last ? "    " : "│   ");
  for (int i = 0; i < n.children_size(); ++i) {
    PrintTreeNode(n.children(i), child_prefix, i + 1 == n.children_size(), false, out);
  }
}

}  // namespace

std::string FormatYuan(int64_t yuan) {
  const int64_t magnitude = yuan < 0 ? -yuan : yuan;
  if (magnitude >= 100000000) return TrimmedDecimal(static_cast<double>(yuan) / 1e8, 2) + "亿";
  if (magnitude >= 10000) return TrimmedDecimal(static_cast<double>(yuan) / 1e4, 1) + "万";
  return absl::StrCat(yuan, "元");
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", absl::FromUnixSeconds(ts.seconds()),
                          absl::LocalTimeZone());
}

std::string PersonText(const common::v1::Person& person) {
  std::vector<std::string> parts;
  for (const std::string* part :
       {&person.name(), &person.title(), &person.organization(), &person.contact()}) {
    if (!part->empty()) parts.push_back(*part);
  }
  return parts.empty() ? "-" : absl::StrJoin(parts, "，");
}

std::string ShortId(absl::string_view name) {
  const size_t slash = name.rfind('/');
  return std::string(slash == absl::string_view::npos ? name : name.substr(slash + 1));
}

std::string DepartmentText(const DepartmentNames& departments, const std::string& name) {
  if (name.empty()) return "-";
  auto it = departments.find(name);
  return it == departments.end() || it->second.empty() ? name : it->second;
}

void PrintChainMap(const registry::v1::ChainMap& map, std::ostream& out) {
  out << map.display_name() << " (" << map.chain() << ")  上游 → 下游\n";
  for (int i = 0; i < map.roots_size(); ++i) {
    PrintTreeNode(map.roots(i), "", i + 1 == map.roots_size(), true, out);
  }
  if (map.roots_size() == 0) out << "(no nodes yet: add them with CreateNode or chainctl seed)\n";
  out << "\n"
      << map.node_count() << " nodes: " << map.missing_count() << " ✗ 缺链 missing, "
      << map.weak_count() << " △ 薄弱 weak, " << map.strong_count() << " ✓ 强 strong; "
      << map.enterprise_count() << " enterprises on the chain\n"
      << "legend: ✗ 缺链 no enterprise on the node or below it; △ 薄弱 fewer than 3 enterprises "
         "or no lead firm; ✓ 强 a lead firm (链主) and at least 3 enterprises; counts include "
         "the subtree\n";
}

void PrintGapReport(const registry::v1::GapReport& report, std::ostream& out) {
  out << report.display_name() << " (" << report.chain() << ")  补链分析";
  if (report.has_generated_at()) out << "  generated " << FormatTimestamp(report.generated_at());
  out << "\n"
      << report.node_count() << " nodes: " << report.missing_count() << " ✗ 缺链 missing, "
      << report.weak_count() << " △ 薄弱 weak, " << report.strong_count() << " ✓ 强 strong\n\n";

  out << "缺链与薄弱环节 (gaps)\n";
  if (report.gaps_size() == 0) {
    out << "(none: every node is strong)\n";
  } else {
    TextTable gaps(
        {"node", "名称", "环节", "status", "firms", "lead", "lead firms", "candidates", "reason"});
    for (const auto& g : report.gaps()) {
      std::vector<std::string> leads, candidates;
      for (const auto& c : g.lead_firms()) leads.push_back(c.display_name());
      for (const auto& c : g.candidates()) candidates.push_back(c.display_name());
      gaps.AddRow({ShortId(g.node()), g.display_name(), SegmentName(g.segment()),
                   NodeStatusMark(g.status()), absl::StrCat(g.enterprise_count()),
                   absl::StrCat(g.lead_firm_count()), JoinSome(leads, 2), JoinSome(candidates, 2),
                   g.reason().empty() ? "-" : g.reason()});
    }
    gaps.Print(out);
  }

  out << "\n招引清单 (attraction list)\n";
  if (report.attraction_list_size() == 0) {
    out << "(empty)\n";
    return;
  }
  TextTable items(
      {"priority", "node", "环节", "action", "targets", "local candidates", "rationale"});
  for (const auto& item : report.attraction_list()) {
    std::vector<std::string> targets(item.targets().begin(), item.targets().end());
    std::vector<std::string> locals;
    for (const auto& c : item.local_candidates()) locals.push_back(c.display_name());
    items.AddRow({absl::StrCat(item.priority()),
                  absl::StrCat(item.node_display_name(), " (", ShortId(item.node()), ")"),
                  SegmentName(item.segment()), ChainActionName(item.action()), JoinSome(targets, 3),
                  JoinSome(locals, 2), item.rationale().empty() ? "-" : item.rationale()});
  }
  items.Print(out);
}

void PrintChainsTable(const registry::v1::ListChainsResponse& chains,
                      const DepartmentNames& departments, std::ostream& out) {
  TextTable table({"id", "名称", "english", "status", "链长", "牵头部门", "target"});
  for (const auto& c : chains.chains()) {
    std::string target = c.target_output_yuan() > 0 ? FormatYuan(c.target_output_yuan()) : "-";
    if (c.target_year() > 0) absl::StrAppend(&target, " (", c.target_year(), ")");
    std::string leader = c.leader().name().empty() ? "-" : c.leader().name();
    if (!c.leader().title().empty()) absl::StrAppend(&leader, "（", c.leader().title(), "）");
    table.AddRow({ShortId(c.name()), c.display_name(),
                  c.english_name().empty() ? "-" : c.english_name(), ChainStatusName(c.status()),
                  leader, DepartmentText(departments, c.lead_department()), target});
  }
  table.Print(out);
}

void PrintChain(const registry::v1::Chain& c, const DepartmentNames& departments,
                std::ostream& out) {
  KeyValueList kv;
  auto list = [](const auto& items) {
    std::vector<std::string> v(items.begin(), items.end());
    return v.empty() ? std::string("-") : absl::StrJoin(v, "、");
  };
  auto people = [](const auto& persons) {
    std::vector<std::string> lines;
    for (const auto& p : persons) lines.push_back(PersonText(p));
    return lines.empty() ? std::string("-") : absl::StrJoin(lines, "\n");
  };
  kv.Add("name", c.name());
  kv.Add("名称", c.display_name());
  kv.Add("english", c.english_name().empty() ? "-" : c.english_name());
  kv.Add("曾用名", list(c.former_names()));
  kv.Add("status", ChainStatusName(c.status()));
  kv.Add("链长", PersonText(c.leader()));
  kv.Add("副链长", people(c.deputy_leaders()));
  kv.Add("牵头部门", c.lead_department().empty()
                         ? "-"
                         : absl::StrCat(DepartmentText(departments, c.lead_department()), " (",
                                        c.lead_department(), ")"));
  std::vector<std::string> units;
  for (const auto& u : c.member_units()) {
    std::string line = DepartmentText(departments, u.department());
    if (u.has_liaison()) absl::StrAppend(&line, " — 联络员 ", PersonText(u.liaison()));
    if (!u.responsibility().empty()) absl::StrAppend(&line, " — ", u.responsibility());
    units.push_back(line);
  }
  kv.Add("成员单位", units.empty() ? "-" : absl::StrJoin(units, "\n"));
  kv.Add("工作专班", people(c.working_team()));
  kv.Add("专家咨询团队", people(c.expert_team()));
  kv.Add("承载县市区", list(c.host_counties()));
  kv.Add("承载园区", list(c.host_parks()));
  std::string target = c.target_output_yuan() > 0 ? FormatYuan(c.target_output_yuan()) : "-";
  if (c.target_year() > 0) absl::StrAppend(&target, " by ", c.target_year());
  kv.Add("产值目标", target);
  std::vector<std::string> platforms;
  for (const auto& p : c.platforms()) {
    std::string kind;
    switch (p.kind()) {
      case registry::v1::PLATFORM_KIND_FUND:
        kind = "基金";
        break;
      case registry::v1::PLATFORM_KIND_SPACE:
        kind = "空间";
        break;
      case registry::v1::PLATFORM_KIND_ASSOCIATION:
        kind = "协会";
        break;
      case registry::v1::PLATFORM_KIND_RESEARCH:
        kind = "研发";
        break;
      default:
        kind = "其他";
    }
    std::string line = absl::StrCat("[", kind, "] ", p.display_name());
    if (p.size_yuan() > 0) absl::StrAppend(&line, " ", FormatYuan(p.size_yuan()));
    if (!p.description().empty()) absl::StrAppend(&line, " — ", p.description());
    platforms.push_back(line);
  }
  kv.Add("平台", platforms.empty() ? "-" : absl::StrJoin(platforms, "\n"));
  std::vector<std::string> categories;
  for (const auto& pc : c.province_categories()) {
    categories.push_back(absl::StrCat(pc.display_name(), " (", pc.version(), ":", pc.id(), ")"));
  }
  kv.Add("省产业链", categories.empty() ? "-" : absl::StrJoin(categories, "\n"));
  kv.Add("etag", c.etag().empty() ? "-" : c.etag());
  kv.Add("created", FormatTimestamp(c.create_time()));
  kv.Add("updated", FormatTimestamp(c.update_time()));
  kv.Print(out);
}

void PrintEnterprisesTable(const registry::v1::ListEnterprisesResponse& page, std::ostream& out) {
  TextTable table({"credit_code", "名称", "county", "park", "labels", "产值", "nodes"});
  for (const auto& e : page.enterprises()) {
    std::vector<std::string> nodes;
    for (const auto& m : e.memberships()) {
      // chains/pv/nodes/wafer → pv/wafer: short but unambiguous across chains.
      absl::string_view rest = m;
      absl::ConsumePrefix(&rest, "chains/");
      const size_t slash = rest.find('/');
      nodes.push_back(slash == absl::string_view::npos
                          ? std::string(rest)
                          : absl::StrCat(rest.substr(0, slash), "/", ShortId(m)));
    }
    table.AddRow({e.credit_code(), e.display_name(), e.county().empty() ? "-" : e.county(),
                  e.park().empty() ? "-" : e.park(), LabelsText(e).empty() ? "-" : LabelsText(e),
                  FormatYuan(e.annual_output_yuan()),
                  nodes.empty() ? "-" : absl::StrJoin(nodes, ",")});
  }
  table.Print(out);
}

void PrintEnterprise(const registry::v1::Enterprise& e, std::ostream& out) {
  KeyValueList kv;
  kv.Add("name", e.name());
  kv.Add("credit_code", e.credit_code());
  kv.Add("名称", e.display_name());
  kv.Add("county", e.county().empty() ? "-" : e.county());
  kv.Add("park", e.park().empty() ? "-" : e.park());
  kv.Add("labels", LabelsText(e).empty() ? "-" : LabelsText(e));
  kv.Add("产值",
         absl::StrCat(FormatYuan(e.annual_output_yuan()), " (", e.annual_output_yuan(), " 元)"));
  std::vector<std::string> memberships(e.memberships().begin(), e.memberships().end());
  kv.Add("memberships", memberships.empty() ? "-" : absl::StrJoin(memberships, "\n"));
  std::vector<std::string> overrides(e.province_category_override().begin(),
                                     e.province_category_override().end());
  kv.Add("省产业链 override", overrides.empty() ? "-" : absl::StrJoin(overrides, ", "));
  kv.Add("synthetic", e.synthetic() ? "true (generated demonstration data)" : "false");
  kv.Add("etag", e.etag().empty() ? "-" : e.etag());
  kv.Add("created", FormatTimestamp(e.create_time()));
  kv.Add("updated", FormatTimestamp(e.update_time()));
  kv.Print(out);
}

}  // namespace chainhub::chainctl
