// The text forms of support's resources that chainctl prints: tables with Chinese headers, one
// resource's fields as key-value lines, amounts in the units Chinese reports use (FormatYuan),
// rates as percentages with one decimal, and times in China time whatever the machine's zone.
// Pure functions from messages to text (tests/unit/chainctl_support_render_test.cc).
#ifndef CHAINHUB_TOOLS_CHAINCTL_SUPPORT_RENDER_H_
#define CHAINHUB_TOOLS_CHAINCTL_SUPPORT_RENDER_H_

#include <ostream>
#include <string>

#include <google/protobuf/timestamp.pb.h>

#include "chainhub/support/v1/support.pb.h"

namespace chainhub::chainctl {

namespace spv1 = ::chainhub::support::v1;

// "2026-06-16 18:00" in China time (UTC+8), midnight as the end of the day before
// ("2026-06-23 24:00", as deadlines are stated); "" when unset, "-" for the far future (a
// milestone its rule does not set).
std::string FormatChinaTime(const google::protobuf::Timestamp& ts);

// 受理 / 交办 / 办理 / 办结 / 回访; 走访 / 热线 / 系统 / 来信; 市级 / 县级.
std::string RequestStateText(spv1::RequestState state);
std::string ChannelText(spv1::Channel channel);
std::string TierText(spv1::Tier tier);
// 免申即享 / 快申快享 / 特殊程序; 已申请 / 已批准 / 已兑付 / 已驳回.
std::string LaneText(spv1::Lane lane);
std::string ClaimStateText(spv1::ClaimState state);
// 紧缺岗位 / 揭榜挂帅 / 金融链主 / 供给 / 采购; 开放 / 已对接 / 已关闭.
std::string EntryKindText(spv1::EntryKind kind);
std::string EntryStatusText(spv1::EntryStatus status);
// 五年规划 / 三年行动方案 / 年度工作要点.
std::string PlanKindText(spv1::PlanKind kind);
// "李娜（服务专员，departments/jxj）".
std::string OfficialText(const spv1::Official& official);

// 包保.
void PrintAssignmentsTable(const spv1::ListAssignmentsResponse& page, std::ostream& out);
void PrintAssignment(const spv1::Assignment& assignment, std::ostream& out);
void PrintVisitsTable(const spv1::ListVisitsResponse& page, std::ostream& out);
void PrintVisit(const spv1::Visit& visit, std::ostream& out);
// 一企一策.
void PrintFirmPlansTable(const spv1::ListFirmPlansResponse& page, std::ostream& out);
void PrintFirmPlan(const spv1::FirmPlan& plan, std::ostream& out);

// 企业诉求: the list; one request with its deadlines (China time) and its history; the figures.
void PrintRequestsTable(const spv1::ListRequestsResponse& page, std::ostream& out);
void PrintRequest(const spv1::Request& request, std::ostream& out);
void PrintRequestFigures(const spv1::SummarizeRequestsResponse& figures, std::ostream& out);
void PrintCalendar(const spv1::Calendar& calendar, std::ostream& out);
void PrintDeadlineRules(const spv1::DeadlineRules& rules, std::ostream& out);

// 政策链.
void PrintPoliciesTable(const spv1::ListPoliciesResponse& page, std::ostream& out);
void PrintItemsTable(const spv1::ListPolicyItemsResponse& page, std::ostream& out);
void PrintItem(const spv1::PolicyItem& item, std::ostream& out);
// The qualifying enterprises with their amounts and reasons, then the totals.
void PrintItemMatches(const spv1::MatchPolicyItemResponse& matches, std::ostream& out);
// The items an enterprise qualifies for (and, when listed, misses, with what failed).
void PrintEnterpriseMatches(const spv1::MatchEnterpriseResponse& matches, std::ostream& out);
// The claims made now, the payout list and its total.
void PrintPayouts(const spv1::GeneratePayoutsResponse& payouts, std::ostream& out);
void PrintClaimsTable(const spv1::ListClaimsResponse& page, std::ostream& out);
void PrintClaim(const spv1::Claim& claim, std::ostream& out);
void PrintPayoutSummary(const spv1::PayoutSummary& summary, std::ostream& out);

// 多链协同.
void PrintEntriesTable(const spv1::ListChainEntriesResponse& page, std::ostream& out);
void PrintOpportunityMatches(const spv1::MatchOpportunityResponse& matches, std::ostream& out);

// 本地配套率.
void PrintSpendTable(const spv1::ListSupplierSpendResponse& page, std::ostream& out);
void PrintLocalRate(const spv1::LocalRateResponse& rate, std::ostream& out);

// 规划引领.
void PrintPlansTable(const spv1::ListChainPlansResponse& page, std::ostream& out);
void PrintPlan(const spv1::ChainPlan& plan, std::ostream& out);
void PrintPlanProgress(const spv1::PlanProgress& progress, std::ostream& out);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_SUPPORT_RENDER_H_
