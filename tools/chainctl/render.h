// The human-readable (table and tree) forms of registry resources that chainctl prints. Pure
// functions from messages to text, so the output can be checked without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_RENDER_H_
#define CHAINHUB_TOOLS_CHAINCTL_RENDER_H_

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "chainhub/common/v1/common.pb.h"
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

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_RENDER_H_
