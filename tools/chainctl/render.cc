#include "tools/chainctl/render.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "common/base/names.h"
#include "services/intake/stages.h"
#include "services/intake/summary.h"
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
      absl::StatusOr<NodeName> node = NodeName::Parse("memberships", m);
      nodes.push_back(node.ok() ? absl::StrCat(node->chain, "/", node->node) : m);
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
  kv.Add("成立日期", e.founding_date().empty() ? "-" : e.founding_date());
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

// --- intake ---------------------------------------------------------------------------------

namespace {

namespace iv1 = intake::v1;

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

// "2026-05-01 10:00:00 +08:00" → "2026-05-01 10:00": enough for a table.
std::string ShortTimestamp(const google::protobuf::Timestamp& ts) {
  const std::string full = FormatTimestamp(ts);
  return full.size() >= 16 ? full.substr(0, 16) : OrDash(full);
}

// "12.34亿 (1234000000 元)" for a KeyValueList.
std::string YuanDetail(int64_t yuan) { return absl::StrCat(FormatYuan(yuan), " (", yuan, " 元)"); }

std::string ChainText(const std::string& chain) { return chain.empty() ? "-" : ShortId(chain); }

}  // namespace

std::string FormatYi(int64_t yuan) {
  // Hundredths of 亿 = yuan / 10^6, rounded half away from zero, in integers: no binary fraction
  // can turn 0.125亿 into 0.12.
  const bool negative = yuan < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(yuan) : static_cast<uint64_t>(yuan);
  const uint64_t hundredths = (magnitude + 500000) / 1000000;
  return absl::StrCat(negative && hundredths > 0 ? "-" : "", hundredths / 100, ".",
                      absl::Dec(hundredths % 100, absl::kZeroPad2));
}

std::string FormatPercent(double rate) { return absl::StrFormat("%.1f%%", rate * 100); }

std::string LightName(iv1::Light light) {
  switch (light) {
    case iv1::LIGHT_GREEN:
      return "绿灯";
    case iv1::LIGHT_YELLOW:
      return "黄灯";
    case iv1::LIGHT_RED:
      return "红灯";
    default:
      return "-";
  }
}

std::string StageText(iv1::Stage stage) {
  if (stage == iv1::STAGE_UNSPECIFIED) return "-";
  return absl::StrCat(intake::StageLabel(stage), " ", intake::StageName(stage));
}

std::string WorkItemKindName(iv1::WorkItemKind kind) {
  switch (kind) {
    case iv1::WORK_ITEM_KIND_ISSUE:
      return "问题";
    case iv1::WORK_ITEM_KIND_TASK:
      return "任务";
    default:
      return "-";
  }
}

std::string WorkItemStatusName(iv1::WorkItemStatus status) {
  switch (status) {
    case iv1::WORK_ITEM_STATUS_OPEN:
      return "待处理";
    case iv1::WORK_ITEM_STATUS_COORDINATING:
      return "协调中";
    case iv1::WORK_ITEM_STATUS_RESOLVED:
      return "已解决";
    case iv1::WORK_ITEM_STATUS_ESCALATED:
      return "提级协调";
    default:
      return "-";
  }
}

void PrintProjectsTable(const iv1::ListProjectsResponse& page, std::ostream& out) {
  TextTable table({"external_id", "项目名称", "chain", "阶段", "总投资", "县市区", "灯", "name"});
  for (const auto& p : page.projects()) {
    table.AddRow({OrDash(p.external_id()), p.display_name(), ChainText(p.chain()),
                  StageText(p.stage()), FormatYuan(p.total_investment_yuan()), OrDash(p.county()),
                  LightName(p.light()), p.name()});
  }
  table.Print(out);
}

void PrintProject(const iv1::Project& p, const DepartmentNames& departments, std::ostream& out) {
  KeyValueList kv;
  kv.Add("name", p.name());
  kv.Add("external_id", OrDash(p.external_id()));
  kv.Add("项目名称", p.display_name());
  kv.Add("chain", OrDash(p.chain()));
  kv.Add("node", OrDash(p.node()));
  std::vector<std::string> province(p.province_chains().begin(), p.province_chains().end());
  kv.Add("省产业链", province.empty() ? "-"
                                      : absl::StrCat(absl::StrJoin(province, ", "), " (",
                                                     OrDash(p.province_chains_source()), ")"));
  kv.Add("县市区 / 园区", absl::StrCat(OrDash(p.county()), " / ", OrDash(p.park())));
  std::string investor = OrDash(p.investor().name());
  switch (p.investor().origin()) {
    case iv1::INVESTOR_ORIGIN_IN_PROVINCE:
      absl::StrAppend(&investor, "（省内）");
      break;
    case iv1::INVESTOR_ORIGIN_OUT_OF_PROVINCE:
      absl::StrAppend(&investor, "（省外）");
      break;
    case iv1::INVESTOR_ORIGIN_FOREIGN:
      absl::StrAppend(&investor, "（境外）");
      break;
    default:
      break;
  }
  if (p.investor().fortune500()) absl::StrAppend(&investor, " 500强");
  if (!p.investor().credit_code().empty()) {
    absl::StrAppend(&investor, "\n", p.investor().credit_code());
  }
  kv.Add("投资方", investor);
  kv.Add("来源", p.source() == iv1::PROJECT_SOURCE_TALENT       ? "招才引智 TALENT"
                 : p.source() == iv1::PROJECT_SOURCE_INVESTMENT ? "招商引资 INVESTMENT"
                                                                : "-");
  kv.Add("总投资", YuanDetail(p.total_investment_yuan()));
  kv.Add("固定资产投资", YuanDetail(p.fixed_asset_investment_yuan()));
  kv.Add("年度计划投资", YuanDetail(p.annual_planned_investment_yuan()));
  std::vector<std::string> bands;
  for (int band : p.size_bands()) {
    bands.push_back(intake::SizeBandLabel(static_cast<iv1::SizeBand>(band)));
  }
  kv.Add("规模", bands.empty() ? "<1亿" : absl::StrJoin(bands, " "));
  kv.Add("责任领导", OrDash(p.responsible_leader()));
  kv.Add("责任单位", p.responsible_department().empty()
                         ? "-"
                         : absl::StrCat(DepartmentText(departments, p.responsible_department()),
                                        " (", p.responsible_department(), ")"));
  kv.Add("省重点项目", p.provincial_key() ? "是" : "否");
  kv.Add("计划开工", OrDash(p.planned_start_date()));
  std::string stage = StageText(p.stage());
  if (!p.stage_reason().empty()) absl::StrAppend(&stage, " — ", p.stage_reason());
  kv.Add("阶段", stage);
  std::vector<std::string> dates;
  for (iv1::Stage s : {iv1::STAGE_NEGOTIATING, iv1::STAGE_SIGNED, iv1::STAGE_REGISTERED,
                       iv1::STAGE_STARTED, iv1::STAGE_IN_PRODUCTION, iv1::STAGE_FULL_OUTPUT}) {
    const std::string& date = intake::StageDate(p.stage_dates(), s);
    if (!date.empty()) dates.push_back(absl::StrCat(intake::StageLabel(s), " ", date));
  }
  kv.Add("阶段日期", dates.empty() ? "-" : absl::StrJoin(dates, "  "));
  kv.Add("累计完成投资", p.last_report_month().empty()
                             ? "-"
                             : absl::StrCat(FormatYuan(p.completed_investment_yuan()), " (to ",
                                            p.last_report_month(), ")"));
  kv.Add("累计到位资金", p.last_report_month().empty() ? "-" : FormatYuan(p.funds_arrived_yuan()));
  std::string light = LightName(p.light());
  if (!p.light_date().empty()) absl::StrAppend(&light, " on ", p.light_date());
  if (!p.light_reason().empty()) absl::StrAppend(&light, " — ", p.light_reason());
  kv.Add("灯", light);
  kv.Add("synthetic", p.synthetic() ? "true (generated demonstration data)" : "false");
  kv.Add("etag", OrDash(p.etag()));
  kv.Add("created", FormatTimestamp(p.create_time()));
  kv.Add("updated", FormatTimestamp(p.update_time()));
  kv.Print(out);
}

void PrintStageChanges(const iv1::ListStageChangesResponse& changes, std::ostream& out) {
  if (changes.stage_changes_size() == 0) {
    out << "(no stage changes)\n";
    return;
  }
  TextTable table({"#", "from", "to", "生效日期", "reason", "principal", "recorded"});
  for (const auto& c : changes.stage_changes()) {
    table.AddRow({ShortId(c.name()), StageText(c.from_stage()), StageText(c.to_stage()),
                  c.effective_date(), OrDash(c.reason()), OrDash(c.principal()),
                  ShortTimestamp(c.record_time())});
  }
  table.Print(out);
}

void PrintProgressReports(const iv1::ListProgressReportsResponse& reports, std::ostream& out) {
  if (reports.progress_reports_size() == 0) {
    out << "(no progress reports)\n";
    return;
  }
  TextTable table({"月份", "累计完成投资", "累计到位资金", "revision", "note", "principal"});
  for (const auto& r : reports.progress_reports()) {
    table.AddRow({r.month(), FormatYuan(r.cumulative_completed_yuan()),
                  FormatYuan(r.cumulative_funds_arrived_yuan()), absl::StrCat(r.revision()),
                  OrDash(r.note()), OrDash(r.principal())});
  }
  table.Print(out);
}

void PrintWorkItemsTable(const iv1::ListWorkItemsResponse& page, const DepartmentNames& departments,
                         const std::map<std::string, std::string>& subjects, std::ostream& out) {
  TextTable table({"name", "类型", "状态", "标题", "subject", "责任单位", "deadline"});
  for (const auto& w : page.work_items()) {
    auto subject = subjects.find(w.subject());
    table.AddRow({w.name(), WorkItemKindName(w.kind()), WorkItemStatusName(w.status()), w.title(),
                  subject == subjects.end() ? w.subject() : subject->second,
                  DepartmentText(departments, w.owner_department()),
                  w.overdue() ? absl::StrCat(w.deadline(), " 逾期") : w.deadline()});
  }
  table.Print(out);
}

void PrintWorkItem(const iv1::WorkItem& w, const DepartmentNames& departments, std::ostream& out) {
  KeyValueList kv;
  kv.Add("name", w.name());
  kv.Add("类型", absl::StrCat(WorkItemKindName(w.kind()), " ",
                              w.kind() == iv1::WORK_ITEM_KIND_TASK ? "(任务清单)" : "(问题清单)"));
  kv.Add("标题", w.title());
  kv.Add("description", OrDash(w.description()));
  kv.Add("subject", w.subject());
  kv.Add("chain", OrDash(w.chain()));
  kv.Add("责任单位", absl::StrCat(DepartmentText(departments, w.owner_department()), " (",
                                  w.owner_department(), ")"));
  kv.Add("deadline", w.overdue() ? absl::StrCat(w.deadline(), " (逾期 overdue)") : w.deadline());
  std::string status = WorkItemStatusName(w.status());
  if (!w.status_note().empty()) absl::StrAppend(&status, " — ", w.status_note());
  if (!w.resolved_date().empty()) absl::StrAppend(&status, " (resolved ", w.resolved_date(), ")");
  kv.Add("状态", status);
  kv.Add("etag", OrDash(w.etag()));
  kv.Add("created", FormatTimestamp(w.create_time()));
  kv.Add("updated", FormatTimestamp(w.update_time()));
  kv.Print(out);
}

void PrintLightResults(const iv1::EvaluateLightsResponse& r,
                       const std::map<std::string, std::string>& titles, size_t limit,
                       std::ostream& out) {
  out << "lights on " << r.date() << ": " << r.evaluated_count() << " projects evaluated — 绿灯 "
      << r.green_count() << ", 黄灯 " << r.yellow_count() << ", 红灯 " << r.red_count() << "; "
      << r.changed_count() << " changed\n";
  if (r.results_size() == 0 || limit == 0) return;
  std::vector<const iv1::LightResult*> rows;
  for (const auto& result : r.results()) rows.push_back(&result);
  // Reds first, then yellows: what a dispatch meeting looks at.
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto* a, const auto* b) { return a->light() > b->light(); });
  TextTable table({"project", "灯", "was", "reason"});
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    auto it = titles.find(rows[i]->project());
    table.AddRow({it == titles.end() ? rows[i]->project() : it->second, LightName(rows[i]->light()),
                  LightName(rows[i]->previous_light()), OrDash(rows[i]->reason())});
  }
  table.Print(out);
  if (rows.size() > limit) {
    out << "… and " << rows.size() - limit << " more (--output=json lists every result)\n";
  }
}

void PrintProjectSummary(const iv1::ProjectSummary& s, absl::string_view title, std::ostream& out) {
  out << title << " · " << s.period() << " (" << s.start_date() << " – " << s.end_date() << ")\n"
      << "项目 " << s.projects().count() << " 个，总投资 "
      << FormatYi(s.projects().investment_yuan()) << " 亿元\n\n";

  out << "按阶段 by stage (as of " << s.end_date() << ")\n";
  TextTable stages({"阶段", "stage", "项目数", "总投资(亿元)"});
  for (const auto& t : s.by_stage()) {
    stages.AddRow({intake::StageLabel(t.stage()), intake::StageName(t.stage()),
                   absl::StrCat(t.tally().count()), FormatYi(t.tally().investment_yuan())});
  }
  stages.Print(out);

  out << "\n按规模 by size band (not cancelled)\n";
  TextTable bands({"规模", "项目数", "总投资(亿元)"});
  for (const auto& t : s.by_size_band()) {
    bands.AddRow({intake::SizeBandLabel(t.band()), absl::StrCat(t.tally().count()),
                  FormatYi(t.tally().investment_yuan())});
  }
  bands.Print(out);

  out << "\n亿元以上项目 (≥1亿) reached in " << s.period() << "\n";
  TextTable big({"", "项目数", "总投资(亿元)"});
  big.AddRow({"新签约 signed", absl::StrCat(s.signed_1e8_plus().count()),
              FormatYi(s.signed_1e8_plus().investment_yuan())});
  big.AddRow({"新开工 started", absl::StrCat(s.started_1e8_plus().count()),
              FormatYi(s.started_1e8_plus().investment_yuan())});
  big.AddRow({"新投产 in production", absl::StrCat(s.in_production_1e8_plus().count()),
              FormatYi(s.in_production_1e8_plus().investment_yuan())});
  big.Print(out);

  out << "\n比率 rates\n";
  KeyValueList rates;
  rates.Add("开工率 start rate", FormatPercent(s.start_rate()));
  rates.Add("投资完成率 completion",
            absl::StrCat(FormatPercent(s.investment_completion_rate()), " (完成 ",
                         FormatYi(s.completed_in_period_yuan()), " / 计划 ",
                         FormatYi(s.planned_for_period_yuan()), " 亿元)"));
  rates.Add("资金到位率 funds arrival",
            absl::StrCat(FormatPercent(s.funds_arrival_rate()), " (到位 ",
                         FormatYi(s.funds_arrived_yuan()), " 亿元)"));
  rates.Print(out);

  out << "\n红黄绿灯 lights (as of " << s.end_date() << "): 绿灯 " << s.green_count() << "  黄灯 "
      << s.yellow_count() << "  红灯 " << s.red_count() << "\n";
}

}  // namespace chainhub::chainctl
