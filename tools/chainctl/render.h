// The human-readable (table and tree) forms of registry and intake resources that chainctl prints.
// Pure functions from messages to text, so the output can be checked without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_RENDER_H_
#define CHAINHUB_TOOLS_CHAINCTL_RENDER_H_

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include <google/protobuf/timestamp.pb.h>

#include "absl/strings/string_view.h"
#include "chainhub/common/v1/common.pb.h"
#include "chainhub/intake/v1/intake.pb.h"
#include "chainhub/registry/v1/registry.pb.h"

namespace chainhub::chainctl {

// department name ("departments/fgw") → short name (市发改委), to show instead of the id.
using DepartmentNames = std::map<std::string, std::string, std::less<>>;

// 上游 / 中游 / 下游.
std::string SegmentName(registry::v1::Segment segment);
// "✗ 缺链", "△ 薄弱", "✓ 强".
std::string NodeStatusMark(registry::v1::NodeStatus status);
// ACTIVE, PLANNED, RETIRED.
std::string ChainStatusName(registry::v1::ChainStatus status);
// 建链 / 补链 / 延链 / 强链.
std::string ChainActionName(registry::v1::ChainAction action);
// 链主 / 头部 / 规上 / 专精特新 / 高新.
std::string EnterpriseLabelName(registry::v1::EnterpriseLabel label);
// Yuan in the units Chinese reports use: "135.29亿", "12.5万", "800元".
std::string FormatYuan(int64_t yuan);
// "2026-05-01 10:00:00 +08:00" in the local time zone; "" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);
// "市领导（链长），副市长，滁州市人民政府，0550-…": the non-empty parts of a person.
std::string PersonText(const common::v1::Person& person);
// The last segment of a resource name ("chains/pv/nodes/wafer" → "wafer").
std::string ShortId(absl::string_view name);
// The department's short name when known, else its resource name.
std::string DepartmentText(const DepartmentNames& departments, const std::string& name);

// The chain map as a tree, upstream → downstream, with status marks, counts and a legend.
void PrintChainMap(const registry::v1::ChainMap& map, std::ostream& out);
// The gaps table and the 招引清单 (attraction list).
void PrintGapReport(const registry::v1::GapReport& report, std::ostream& out);
// One row per chain: id, 名称, english, status, 链长, 牵头部门, target.
void PrintChainsTable(const registry::v1::ListChainsResponse& chains,
                      const DepartmentNames& departments, std::ostream& out);
// Every field of one chain.
void PrintChain(const registry::v1::Chain& chain, const DepartmentNames& departments,
                std::ostream& out);
// One row per enterprise.
void PrintEnterprisesTable(const registry::v1::ListEnterprisesResponse& page, std::ostream& out);
// Every field of one enterprise.
void PrintEnterprise(const registry::v1::Enterprise& enterprise, std::ostream& out);

// --- intake (产业项目库) ---

// Yuan as 亿元 with two decimals, rounded half away from zero: 118478000000 → "1184.78".
std::string FormatYi(int64_t yuan);
// A rate 0..1 as a percentage with one decimal: 0.4567 → "45.7%".
std::string FormatPercent(double rate);
// 绿灯 / 黄灯 / 红灯, "-" when not evaluated.
std::string LightName(intake::v1::Light light);
// 在谈 … 达产, 停滞, 终止 with the English name: "开工 STARTED".
std::string StageText(intake::v1::Stage stage);
// 问题 (issue) / 任务 (task).
std::string WorkItemKindName(intake::v1::WorkItemKind kind);
// 待处理 / 协调中 / 已解决 / 提级协调.
std::string WorkItemStatusName(intake::v1::WorkItemStatus status);

// One row per project: external_id, 项目名称, chain, 阶段, 总投资, 县区, 灯, name.
void PrintProjectsTable(const intake::v1::ListProjectsResponse& page, std::ostream& out);
// Every field of one project.
void PrintProject(const intake::v1::Project& project, const DepartmentNames& departments,
                  std::ostream& out);
// The stage moves, oldest first.
void PrintStageChanges(const intake::v1::ListStageChangesResponse& changes, std::ostream& out);
// The monthly progress reports, oldest month first.
void PrintProgressReports(const intake::v1::ListProgressReportsResponse& reports,
                          std::ostream& out);
// One row per work item: name, 类型, 状态, 标题, subject, 责任单位, deadline (逾期 when overdue).
// A subject found in `subjects` (resource name → e.g. "CZXM-PV-0003 某某项目") is shown as that.
void PrintWorkItemsTable(const intake::v1::ListWorkItemsResponse& page,
                         const DepartmentNames& departments,
                         const std::map<std::string, std::string>& subjects, std::ostream& out);
// Every field of one work item.
void PrintWorkItem(const intake::v1::WorkItem& item, const DepartmentNames& departments,
                   std::ostream& out);
// The counts of an EvaluateLights run, then its results (at most `limit` rows, reds first, with
// the project's display name from `titles` when known: project name → "external_id 名称").
void PrintLightResults(const intake::v1::EvaluateLightsResponse& response,
                       const std::map<std::string, std::string>& titles, size_t limit,
                       std::ostream& out);
// A chain's (or the city's) ProjectSummary as tables: by stage, by size band, the ≥1亿 projects
// signed / started / in production in the period, the rates and the lights; amounts in 亿元.
// `title` names the chain, e.g. "光伏 (chains/pv)" or "全市 all chains".
void PrintProjectSummary(const intake::v1::ProjectSummary& summary, absl::string_view title,
                         std::ostream& out);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_RENDER_H_
