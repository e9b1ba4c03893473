#include "tools/chainctl/support_render.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/chainctl/assessment_render.h"
#include "tools/chainctl/render.h"
#include "tools/chainctl/text_table.h"

namespace chainhub::chainctl {
namespace {

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string YesNo(bool yes) { return yes ? "是" : "否"; }

// The first line of `text`, cut to `max` characters (UTF-8) with "…".
std::string FirstLine(const std::string& text, size_t max = 40) {
  const std::string line = std::vector<std::string>(absl::StrSplit(text, '\n')).front();
  size_t chars = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    if (chars++ == max) return line.substr(0, i) + "…";
  }
  return line;
}

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return items.empty() ? "-" : absl::StrJoin(items, ", ");
}

std::string Window(const std::string& from, const std::string& to) {
  if (from.empty() && to.empty()) return "长期";
  return absl::StrCat(from.empty() ? "…" : from, " – ", to.empty() ? "…" : to);
}

std::string CadenceText(spv1::Cadence cadence) {
  switch (cadence) {
    case spv1::MONTHLY:
      return "每月";
    case spv1::QUARTERLY:
      return "每季度";
    default:
      return "-";
  }
}

std::string MilestoneText(spv1::Milestone m) {
  switch (m) {
    case spv1::CONTACT:
      return "联系企业";
    case spv1::INTERIM_REPLY:
      return "阶段性答复";
    case spv1::CLOSE:
      return "办结";
    default:
      return "-";
  }
}

std::string MeasureStatusText(spv1::MeasureStatus s) {
  switch (s) {
    case spv1::PLANNED:
      return "计划";
    case spv1::IN_PROGRESS:
      return "推进中";
    case spv1::DELIVERED:
      return "已落实";
    case spv1::DROPPED:
      return "已取消";
    default:
      return "-";
  }
}

std::string ListingText(spv1::ListingStage s) {
  switch (s) {
    case spv1::TUTORING:
      return "辅导备案";
    case spv1::FILED:
      return "申报";
    case spv1::LISTED:
      return "上市";
    default:
      return "-";
  }
}

std::string ScopeText(spv1::LocalScope s) {
  switch (s) {
    case spv1::IN_CITY:
      return "市内";
    case spv1::IN_PROVINCE:
      return "省内";
    case spv1::IN_REGION:
      return "区域";
    default:
      return "-";
  }
}

std::string EnterpriseText(const std::string& display_name, const std::string& name) {
  return display_name.empty() ? name : absl::StrCat(display_name, " (", name, ")");
}

// The deadline of a milestone and when it was met: "2026-06-16 24:00 (met 2026-06-16 09:00)".
std::string Deadline(const google::protobuf::Timestamp& due,
                     const google::protobuf::Timestamp& met) {
  std::string text = OrDash(FormatChinaTime(due));
  const std::string when = FormatChinaTime(met);
  if (!when.empty()) {
    absl::StrAppend(&text, "，", when, " 完成");
  }
  return text;
}

}  // namespace

std::string FormatChinaTime(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  const absl::Time t = absl::FromUnixSeconds(ts.seconds());
  // Far beyond any real deadline: a milestone the rule does not set.
  if (t > absl::FromCivil(absl::CivilDay(9000, 1, 1), absl::UTCTimeZone())) return "-";
  const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
  const absl::CivilSecond local = absl::ToCivilSecond(t, china);
  // A deadline at midnight is the end of the day before, as the rules say it ("by 24:00 on the
  // 5th working day").
  if (local.hour() == 0 && local.minute() == 0 && local.second() == 0) {
    return absl::StrCat(absl::FormatCivilTime(absl::CivilDay(local) - 1), " 24:00");
  }
  return absl::FormatTime("%Y-%m-%d %H:%M", t, china);
}

std::string RequestStateText(spv1::RequestState state) {
  switch (state) {
    case spv1::ACCEPTED:
      return "受理";
    case spv1::ASSIGNED:
      return "交办";
    case spv1::HANDLING:
      return "办理";
    case spv1::CLOSED:
      return "办结";
    case spv1::REVISITED:
      return "回访";
    default:
      return "-";
  }
}

std::string ChannelText(spv1::Channel channel) {
  switch (channel) {
    case spv1::VISIT:
      return "走访";
    case spv1::HOTLINE:
      return "热线";
    case spv1::SYSTEM:
      return "系统";
    case spv1::LETTER:
      return "来信";
    default:
      return "-";
  }
}

std::string TierText(spv1::Tier tier) {
  switch (tier) {
    case spv1::CITY:
      return "市级";
    case spv1::COUNTY:
      return "县级";
    default:
      return "-";
  }
}

std::string LaneText(spv1::Lane lane) {
  switch (lane) {
    case spv1::AUTOMATIC:
      return "免申即享";
    case spv1::FAST:
      return "快申快享";
    case spv1::SPECIAL:
      return "特殊程序";
    default:
      return "-";
  }
}

std::string ClaimStateText(spv1::ClaimState state) {
  switch (state) {
    case spv1::APPLIED:
      return "已申请";
    case spv1::APPROVED:
      return "已批准";
    case spv1::PAID:
      return "已兑付";
    case spv1::REJECTED:
      return "已驳回";
    default:
      return "-";
  }
}

std::string EntryKindText(spv1::EntryKind kind) {
  switch (kind) {
    case spv1::TALENT_DEMAND:
      return "紧缺岗位";
    case spv1::TECH_CHALLENGE:
      return "揭榜挂帅";
    case spv1::FINANCE_PARTNER:
      return "金融链主";
    case spv1::SUPPLY_OPPORTUNITY:
      return "供给";
    case spv1::PURCHASE_OPPORTUNITY:
      return "采购";
    default:
      return "-";
  }
}

std::string EntryStatusText(spv1::EntryStatus status) {
  switch (status) {
    case spv1::ENTRY_OPEN:
      return "开放";
    case spv1::ENTRY_MATCHED:
      return "已对接";
    case spv1::ENTRY_CLOSED:
      return "已关闭";
    default:
      return "-";
  }
}

std::string PlanKindText(spv1::PlanKind kind) {
  switch (kind) {
    case spv1::FIVE_YEAR:
      return "五年规划";
    case spv1::THREE_YEAR_ACTION:
      return "三年行动方案";
    case spv1::ANNUAL_KEY_POINTS:
      return "年度工作要点";
    default:
      return "-";
  }
}

std::string OfficialText(const spv1::Official& o) {
  std::vector<std::string> about;
  if (!o.title().empty()) about.push_back(o.title());
  if (!o.department().empty()) about.push_back(o.department());
  if (about.empty()) return OrDash(o.person());
  return absl::StrCat(OrDash(o.person()), "（", absl::StrJoin(about, "，"), "）");
}

// --- 包保 ---------------------------------------------------------------------------------------

void PrintAssignmentsTable(const spv1::ListAssignmentsResponse& page, std::ostream& out) {
  TextTable table(
      {"企业", "包保领导", "服务专员", "走访周期", "开始", "上次走访", "下次应访", "ASSIGNMENT"});
  for (const auto& a : page.assignments()) {
    std::vector<std::string> officers;
    for (const auto& o : a.officers()) officers.push_back(o.person());
    std::string due = OrDash(a.next_visit_due());
    if (a.visit_overdue()) absl::StrAppend(&due, " 逾期");
    if (!a.active()) due = "已结束";
    table.AddRow({OrDash(a.enterprise_display_name()), OrDash(a.leader().person()),
                  officers.empty() ? "-" : absl::StrJoin(officers, "、"), CadenceText(a.cadence()),
                  a.start_date(), OrDash(a.last_visit_date()), due, a.name()});
  }
  table.Print(out);
}

void PrintAssignment(const spv1::Assignment& a, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", a.name());
  kv.Add("企业", EnterpriseText(a.enterprise_display_name(), a.enterprise()));
  kv.Add("产业链", Join(a.chains()));
  kv.Add("包保领导", OfficialText(a.leader()));
  std::vector<std::string> officers;
  for (const auto& o : a.officers()) officers.push_back(OfficialText(o));
  kv.Add("服务专员", officers.empty() ? "-" : absl::StrJoin(officers, "\n"));
  kv.Add("走访周期", CadenceText(a.cadence()));
  kv.Add("包保期间", Window(a.start_date(), a.end_date()));
  kv.Add("状态", a.active() ? "在保" : "已结束");
  kv.Add("上次走访", OrDash(a.last_visit_date()));
  kv.Add("下次应访",
         absl::StrCat(OrDash(a.next_visit_due()), a.visit_overdue() ? "（已逾期）" : ""));
  kv.Print(out);
}

void PrintVisitsTable(const spv1::ListVisitsResponse& page, std::ostream& out) {
  TextTable table({"走访日期", "走访人", "情况", "提出诉求", "VISIT"});
  for (const auto& v : page.visits()) {
    std::vector<std::string> who;
    for (const auto& o : v.visitors()) who.push_back(o.person());
    table.AddRow({v.visit_date(), absl::StrJoin(who, "、"), FirstLine(v.summary()),
                  absl::StrCat(v.requests_raised_size()), v.name()});
  }
  table.Print(out);
}

void PrintVisit(const spv1::Visit& v, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", v.name());
  kv.Add("走访日期", v.visit_date());
  std::vector<std::string> who;
  for (const auto& o : v.visitors()) who.push_back(OfficialText(o));
  kv.Add("走访人", absl::StrJoin(who, "\n"));
  kv.Add("情况", v.summary());
  if (!v.requests_raised().empty()) kv.Add("提出诉求", absl::StrJoin(v.requests_raised(), "\n"));
  kv.Print(out);
}

// --- 一企一策
// -------------------------------------------------------------------------------------

void PrintFirmPlansTable(const spv1::ListFirmPlansResponse& page, std::ostream& out) {
  TextTable table({"企业", "标题", "目标年份", "措施", "评估", "最近评分", "FIRM-PLAN"});
  for (const auto& p : page.firm_plans()) {
    std::vector<std::string> years;
    for (const auto& g : p.goals()) years.push_back(absl::StrCat(g.year()));
    table.AddRow({OrDash(p.enterprise_display_name()), p.title(),
                  years.empty() ? "-" : absl::StrJoin(years, ","), absl::StrCat(p.measures_size()),
                  absl::StrCat(p.reviews_size()),
                  p.reviews().empty() ? "-" : absl::StrCat(p.reviews().rbegin()->rating(), "/5"),
                  p.name()});
  }
  table.Print(out);
}

void PrintFirmPlan(const spv1::FirmPlan& p, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", p.name());
  kv.Add("企业", EnterpriseText(p.enterprise_display_name(), p.enterprise()));
  kv.Add("产业链", Join(p.chains()));
  kv.Add("标题", p.title());
  kv.Print(out);
  if (!p.goals().empty()) {
    out << "\n目标 goals\n";
    TextTable goals({"年份", "产值", "投资", "升规", "上市"});
    for (const auto& g : p.goals()) {
      goals.AddRow({absl::StrCat(g.year()), FormatYuan(g.output_yuan()),
                    FormatYuan(g.investment_yuan()), g.become_above_size() ? "是" : "-",
                    ListingText(g.listing())});
    }
    goals.Print(out);
  }
  if (!p.measures().empty()) {
    out << "\n措施 measures\n";
    TextTable measures({"措施", "责任单位", "状态", "期限", "依据"});
    for (const auto& m : p.measures()) {
      measures.AddRow({m.title(), m.department(), MeasureStatusText(m.status()),
                       OrDash(m.due_date()),
                       OrDash(m.policy_item().empty() ? m.factor_request() : m.policy_item())});
    }
    measures.Print(out);
  }
  if (!p.reviews().empty()) {
    out << "\n评估 reviews\n";
    TextTable reviews({"日期", "评估人", "评分", "意见"});
    for (const auto& r : p.reviews()) {
      reviews.AddRow({r.review_date(), r.has_reviewer() ? OfficialText(r.reviewer()) : "-",
                      absl::StrCat(r.rating(), "/5"), FirstLine(r.summary(), 60)});
    }
    reviews.Print(out);
  }
}

// --- 企业诉求
// -------------------------------------------------------------------------------------

void PrintRequestsTable(const spv1::ListRequestsResponse& page, std::ostream& out) {
  TextTable table(
      {"受理时间", "企业", "标题", "渠道", "层级", "状态", "承办", "办结期限", "逾期", "REQUEST"});
  for (const auto& r : page.requests()) {
    std::string title = FirstLine(r.title(), 30);
    if (r.urgent()) title = "【急】" + title;
    table.AddRow({FormatChinaTime(r.accept_time()), OrDash(r.enterprise_display_name()), title,
                  ChannelText(r.channel()), TierText(r.tier()), RequestStateText(r.state()),
                  OrDash(r.assignee()), OrDash(FormatChinaTime(r.close_deadline())),
                  r.overdue() ? "逾期" : "-", r.name()});
  }
  table.Print(out);
}

void PrintRequest(const spv1::Request& r, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", r.name());
  kv.Add("企业", EnterpriseText(r.enterprise_display_name(), r.enterprise()));
  kv.Add("标题", r.title());
  if (!r.description().empty()) kv.Add("内容", r.description());
  kv.Add("渠道", ChannelText(r.channel()));
  kv.Add("层级", TierText(r.tier()));
  if (!r.chain().empty()) kv.Add("产业链", r.chain());
  if (!r.tags().empty()) kv.Add("标签", absl::StrJoin(r.tags(), ";"));
  kv.Add("紧急", YesNo(r.urgent()));
  if (r.common_to_chain()) kv.Add("共性问题", "是（交产业链工作专班）");
  kv.Add("状态", RequestStateText(r.state()));
  kv.Add("承办", OrDash(r.assignee()));
  kv.Add("时限规则", OrDash(r.deadline_rule()));
  kv.Add("受理时间", FormatChinaTime(r.accept_time()));
  kv.Add("联系企业时限", Deadline(r.contact_deadline(), r.contact_time()));
  kv.Add("阶段性答复时限", Deadline(r.interim_reply_deadline(), r.interim_reply_time()));
  kv.Add("办结时限", Deadline(r.close_deadline(), r.close_time()));
  if (r.has_revisit_time()) kv.Add("回访时间", FormatChinaTime(r.revisit_time()));
  if (!r.resolution().empty()) kv.Add("办理结果", r.resolution());
  if (r.satisfaction() > 0) kv.Add("满意度", absl::StrCat(r.satisfaction(), "/5"));
  kv.Add("逾期", r.overdue() ? absl::StrCat("是（已督办 ", r.escalation_level(), " 次）") : "否");
  if (!r.external_id().empty()) kv.Add("外部编号", r.external_id());
  kv.Print(out);
  if (r.history().empty()) return;
  out << "\n办理记录 history（北京时间）\n";
  TextTable history({"时间", "状态", "经办", "说明"});
  for (const auto& e : r.history()) {
    std::string note = FirstLine(e.note(), 60);
    if (e.escalation_level() > 0) {
      note = absl::StrCat("第 ", e.escalation_level(), " 次督办：", MilestoneText(e.missed()),
                          "超时", note.empty() ? "" : "；", note);
    }
    history.AddRow({FormatChinaTime(e.time()), RequestStateText(e.state()), OrDash(e.principal()),
                    OrDash(note)});
  }
  history.Print(out);
}

void PrintRequestFigures(const spv1::SummarizeRequestsResponse& f, std::ostream& out) {
  out << "企业诉求 " << f.period() << "（截至 " << f.as_of() << "）\n";
  TextTable table({"分组", "受理", "办结", "按期办结", "回访", "满意", "逾期", "办结率",
                   "按期办结率", "满意率", "平均响应(小时)", "平均办结(工作日)"});
  for (const auto& r : f.rows()) {
    table.AddRow({r.group().empty() ? "全部" : r.group(), absl::StrCat(r.received()),
                  absl::StrCat(r.closed()), absl::StrCat(r.closed_on_time()),
                  absl::StrCat(r.revisited()), absl::StrCat(r.satisfied()),
                  absl::StrCat(r.overdue()), FormatPercent(r.close_rate()),
                  FormatPercent(r.on_time_rate()), FormatPercent(r.satisfaction_rate()),
                  absl::StrFormat("%.1f", r.avg_response_hours()),
                  absl::StrFormat("%.1f", r.avg_close_working_days())});
  }
  table.Print(out);
}

void PrintCalendar(const spv1::Calendar& c, std::ostream& out) {
  out << c.name() << "：" << c.days_size() << " 天（etag " << OrDash(c.etag()) << "）\n";
  TextTable table({"日期", "类型", "名称"});
  for (const auto& d : c.days()) {
    table.AddRow({d.date(), d.working() ? "调休上班" : "放假", OrDash(d.name())});
  }
  table.Print(out);
}

void PrintDeadlineRules(const spv1::DeadlineRules& rules, std::ostream& out) {
  out << "诉求办理时限规则（第一条条件全部满足的规则适用；etag " << OrDash(rules.etag()) << "）\n";
  TextTable table({"规则", "紧急", "层级", "标签", "联系企业", "阶段性答复", "办结"});
  for (const auto& r : rules.rules()) {
    const std::string urgency = r.urgency() == spv1::DeadlineRule::URGENT       ? "是"
                                : r.urgency() == spv1::DeadlineRule::NOT_URGENT ? "否"
                                                                                : "-";
    table.AddRow({r.name(), urgency, r.tier() == spv1::TIER_UNSPECIFIED ? "-" : TierText(r.tier()),
                  OrDash(r.tag()), OrDash(r.contact()), OrDash(r.interim_reply()),
                  OrDash(r.close())});
  }
  table.Print(out);
  out << "wd: 受理次日起第 N 个工作日 24:00（节假日、调休按日历）；h / m: 自受理起的小时、分钟\n";
}

// --- 政策链
// ---------------------------------------------------------------------------------------

void PrintPoliciesTable(const spv1::ListPoliciesResponse& page, std::ostream& out) {
  TextTable table({"文号", "标题", "发文单位", "发文日期", "产业链", "POLICY"});
  for (const auto& p : page.policies()) {
    table.AddRow({OrDash(p.document_number()), p.title(), p.department(), p.issue_date(),
                  p.chains().empty() ? "全部" : absl::StrJoin(p.chains(), ","), p.name()});
  }
  table.Print(out);
}

void PrintItemsTable(const spv1::ListPolicyItemsResponse& page, std::ostream& out) {
  TextTable table({"事项", "通道", "基础金额", "上限", "申报期", "兑付单位", "年度预算", "ITEM"});
  for (const auto& i : page.items()) {
    table.AddRow({i.title(), LaneText(i.lane()), FormatYuan(i.base_amount_yuan()),
                  i.cap_yuan() > 0 ? FormatYuan(i.cap_yuan()) : "-",
                  Window(i.open_date(), i.close_date()), i.department(),
                  i.budget_yuan() > 0 ? FormatYuan(i.budget_yuan()) : "-", i.name()});
  }
  table.Print(out);
}

void PrintItem(const spv1::PolicyItem& i, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", i.name());
  kv.Add("事项", i.title());
  kv.Add("申报条件", i.eligibility());
  if (!i.standard().empty()) kv.Add("支持标准", i.standard());
  kv.Add("基础金额", FormatYuan(i.base_amount_yuan()));
  std::vector<std::string> bonuses;
  for (const auto& b : i.bonuses()) {
    bonuses.push_back(absl::StrCat("+", FormatYuan(b.amount_yuan()), " 当 ", b.when(),
                                   b.note().empty() ? "" : absl::StrCat("（", b.note(), "）")));
  }
  if (!bonuses.empty()) kv.Add("加码", absl::StrJoin(bonuses, "\n"));
  kv.Add("上限", i.cap_yuan() > 0 ? FormatYuan(i.cap_yuan()) : "无");
  kv.Add("通道", LaneText(i.lane()));
  if (i.lane() == spv1::FAST)
    kv.Add("办理时限", absl::StrCat(i.time_limit_working_days(), " 个工作日"));
  kv.Add("申报期", Window(i.open_date(), i.close_date()));
  kv.Add("兑付单位", i.department());
  kv.Add("年度预算", i.budget_yuan() > 0 ? FormatYuan(i.budget_yuan()) : "-");
  kv.Add("产业链", i.chains().empty() ? "全部" : absl::StrJoin(i.chains(), ", "));
  kv.Print(out);
}

namespace {

std::string Reasons(const spv1::Match& m) {
  std::vector<std::string> parts;
  for (const auto& r : m.reasons()) {
    std::string text = r.condition();
    if (!r.values().empty()) absl::StrAppend(&text, "（", absl::StrJoin(r.values(), ","), "）");
    if (!r.holds()) text = "✗ " + text;
    parts.push_back(text);
  }
  for (const auto& b : m.bonuses()) parts.push_back("加码 " + b);
  return parts.empty() ? "-" : absl::StrJoin(parts, "; ");
}

}  // namespace

void PrintItemMatches(const spv1::MatchPolicyItemResponse& m, std::ostream& out) {
  TextTable table({"企业", "统一社会信用代码", "金额", "依据"});
  for (const auto& match : m.matches()) {
    if (!match.qualifies()) continue;
    table.AddRow({OrDash(match.enterprise_display_name()), match.enterprise(),
                  FormatYuan(match.amount_yuan()), Reasons(match)});
  }
  table.Print(out);
  out << "符合条件 " << m.qualified() << " 家（审查 " << m.examined() << " 家），合计 "
      << FormatYuan(m.total_amount_yuan()) << "\n";
}

void PrintEnterpriseMatches(const spv1::MatchEnterpriseResponse& m, std::ostream& out) {
  TextTable table({"事项", "符合", "金额", "依据 / 未满足的条件", "ITEM"});
  int64_t total = 0;
  int qualified = 0;
  for (const auto& match : m.matches()) {
    if (match.qualifies()) {
      total += match.amount_yuan();
      ++qualified;
    }
    table.AddRow({OrDash(match.item_title()), YesNo(match.qualifies()),
                  match.qualifies() ? FormatYuan(match.amount_yuan()) : "-", Reasons(match),
                  match.item()});
  }
  table.Print(out);
  out << "符合 " << qualified << " 项，合计 " << FormatYuan(total) << "\n";
}

void PrintPayouts(const spv1::GeneratePayoutsResponse& p, std::ostream& out) {
  out << "本次生成 " << p.created_count() << " 笔（免申即享）\n\n兑付清单 payout list\n";
  TextTable table({"企业", "统一社会信用代码", "应兑付", "批准日期", "自动", "CLAIM"});
  for (const auto& c : p.payout_list()) {
    table.AddRow({OrDash(c.enterprise_display_name()), c.enterprise(),
                  FormatYuan(c.approved_yuan()), OrDash(c.approved_date()),
                  c.automatic() ? "是" : "-", c.name()});
  }
  table.Print(out);
  out << "合计 " << p.payout_count() << " 笔，" << FormatYuan(p.payout_total_yuan()) << "\n";
  if (p.payout_count() > p.payout_list_size()) {
    out << "（列出前 " << p.payout_list_size()
        << " 笔；全部：chainctl claims list ITEM --filter='state = \"APPROVED\"' --all）\n";
  }
}

void PrintClaimsTable(const spv1::ListClaimsResponse& page, std::ostream& out) {
  TextTable table(
      {"企业", "状态", "测算", "批准", "已兑付", "申请日", "决定期限", "兑付日", "CLAIM"});
  for (const auto& c : page.claims()) {
    std::string state = ClaimStateText(c.state());
    if (c.automatic()) absl::StrAppend(&state, "（免申）");
    table.AddRow({OrDash(c.enterprise_display_name()), state, FormatYuan(c.computed_yuan()),
                  c.approved_yuan() > 0 ? FormatYuan(c.approved_yuan()) : "-",
                  c.paid_yuan() > 0 ? FormatYuan(c.paid_yuan()) : "-", OrDash(c.applied_date()),
                  OrDash(c.decide_by()), OrDash(c.paid_date()), c.name()});
  }
  table.Print(out);
}

void PrintClaim(const spv1::Claim& c, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", c.name());
  kv.Add("企业", EnterpriseText(c.enterprise_display_name(), c.enterprise()));
  kv.Add("状态", absl::StrCat(ClaimStateText(c.state()), c.automatic() ? "（免申即享）" : ""));
  kv.Add("测算金额", FormatYuan(c.computed_yuan()));
  if (c.approved_yuan() > 0) kv.Add("批准金额", FormatYuan(c.approved_yuan()));
  if (c.paid_yuan() > 0) kv.Add("兑付金额", FormatYuan(c.paid_yuan()));
  if (!c.applied_date().empty()) kv.Add("申请日", c.applied_date());
  if (!c.decide_by().empty()) kv.Add("决定期限", c.decide_by());
  if (!c.approved_date().empty()) kv.Add("批准日", c.approved_date());
  if (!c.paid_date().empty()) kv.Add("兑付日", c.paid_date());
  if (!c.note().empty()) kv.Add("说明", c.note());
  kv.Print(out);
}

void PrintPayoutSummary(const spv1::PayoutSummary& s, std::ostream& out) {
  KeyValueList kv;
  kv.Add("范围", s.scope().empty() ? "全部事项" : s.scope());
  kv.Add("年度", absl::StrCat(s.year(), "（截至 ", s.as_of(), "）"));
  kv.Add("预算", FormatYuan(s.budget_yuan()));
  kv.Add("已批准", FormatYuan(s.approved_yuan()));
  kv.Add("已兑付", FormatYuan(s.paid_yuan()));
  kv.Add("兑付进度", absl::StrCat(FormatPercent(s.paid_share_of_budget()), "（序时 ",
                                  FormatPercent(s.elapsed_share_of_year()), "，差 ",
                                  FormatPercent(s.gap_to_elapsed()), "）"));
  kv.Add("申请", absl::StrCat(s.claims(), " 笔，已兑付 ", s.paid_claims(), " 笔，待兑付 ",
                              s.pending_claims(), " 笔"));
  kv.Add("平均兑付用时", absl::StrFormat("%.1f 天", s.avg_days_to_pay()));
  kv.Add("符合未兑付",
         absl::StrCat(s.qualified_unpaid(), " 家，", FormatYuan(s.qualified_unpaid_yuan())));
  kv.Print(out);
}

// --- 多链协同 ------------------------------------------------------------------------------------

namespace {

std::string EntryDetail(const spv1::ChainEntry& e) {
  switch (e.detail_case()) {
    case spv1::ChainEntry::kTalent: {
      std::string stars;
      for (int i = 0; i < e.talent().shortage_index(); ++i) stars += "★";
      return absl::StrCat(e.talent().post(), " ×", e.talent().headcount(), stars.empty() ? "" : " ",
                          stars);
    }
    case spv1::ChainEntry::kChallenge:
      return absl::StrCat(FirstLine(e.challenge().challenge(), 20), " 榜额 ",
                          FormatYuan(e.challenge().bounty_yuan()));
    case spv1::ChainEntry::kFinance:
      return absl::StrCat(e.finance().institution(), e.finance().lead() ? "（链主银行）" : "");
    case spv1::ChainEntry::kOpportunity:
      return absl::StrCat(e.opportunity().product(),
                          e.opportunity().amount_yuan() > 0
                              ? absl::StrCat(" ", FormatYuan(e.opportunity().amount_yuan()))
                              : "");
    default:
      return "-";
  }
}

}  // namespace

void PrintEntriesTable(const spv1::ListChainEntriesResponse& page, std::ostream& out) {
  TextTable table({"类型", "标题", "内容", "节点", "所有者", "有效期", "状态", "ENTRY"});
  for (const auto& e : page.entries()) {
    table.AddRow({EntryKindText(e.kind()), FirstLine(e.title(), 30), EntryDetail(e),
                  e.node().empty() ? "-" : ShortId(e.node()), OrDash(e.owner()),
                  Window(e.valid_from(), e.valid_to()), EntryStatusText(e.status()), e.name()});
  }
  table.Print(out);
}

void PrintOpportunityMatches(const spv1::MatchOpportunityResponse& m, std::ostream& out) {
  TextTable table({"企业", "统一社会信用代码", "县区", "节点", "年产值"});
  for (const auto& c : m.candidates()) {
    table.AddRow({c.display_name(), ShortId(c.enterprise()), OrDash(c.county()),
                  c.node().empty() ? "（产业链）" : ShortId(c.node()),
                  FormatYuan(c.annual_output_yuan())});
  }
  table.Print(out);
  out << m.candidates_size() << " 家本地企业可对接\n";
}

// --- 本地配套率 ----------------------------------------------------------------------------------

void PrintSpendTable(const spv1::ListSupplierSpendResponse& page, std::ostream& out) {
  TextTable table({"报送企业", "期间", "供应商", "采购额", "报送人", "SPEND"});
  for (const auto& s : page.spend()) {
    table.AddRow({s.reporter(), s.period(), absl::StrCat(s.lines_size()),
                  FormatYuan(s.total_yuan()), OrDash(s.principal()), s.name()});
  }
  table.Print(out);
}

void PrintLocalRate(const spv1::LocalRateResponse& r, std::ostream& out) {
  const spv1::LocalRate& o = r.overall();
  out << r.chain() << " " << r.period() << " 本地配套率（" << ScopeText(r.scope()) << "）："
      << FormatPercent(o.rate()) << "（本地 " << FormatYuan(o.local_yuan()) << " / 采购 "
      << FormatYuan(o.total_yuan()) << "，本地供应商 " << o.local_suppliers() << " / "
      << o.suppliers() << "）\n";
  TextTable table({"企业", "采购总额", "本地采购额", "本地配套率", "供应商", "本地供应商"});
  for (const auto& f : r.firms()) {
    table.AddRow({EnterpriseText(f.display_name(), ShortId(f.reporter())),
                  FormatYuan(f.total_yuan()), FormatYuan(f.local_yuan()), FormatPercent(f.rate()),
                  absl::StrCat(f.suppliers()), absl::StrCat(f.local_suppliers())});
  }
  table.Print(out);
}

// --- 规划引领 ------------------------------------------------------------------------------------

void PrintPlansTable(const spv1::ListChainPlansResponse& page, std::ostream& out) {
  TextTable table({"类型", "标题", "期间", "版本", "已发布", "目标", "任务", "PLAN"});
  for (const auto& p : page.plans()) {
    table.AddRow({PlanKindText(p.kind()), p.title(),
                  absl::StrCat(p.start_year(), "-", p.end_year()), absl::StrCat("v", p.version()),
                  p.published_version() > 0 ? absl::StrCat("v", p.published_version()) : "-",
                  absl::StrCat(p.targets_size()), absl::StrCat(p.tasks_size()), p.name()});
  }
  table.Print(out);
}

void PrintPlan(const spv1::ChainPlan& p, std::ostream& out) {
  KeyValueList kv;
  kv.Add("名称", p.name());
  kv.Add("类型", PlanKindText(p.kind()));
  kv.Add("标题", p.title());
  kv.Add("期间", absl::StrCat(p.start_year(), "-", p.end_year()));
  kv.Add("版本", absl::StrCat("v", p.version(),
                              p.published_version() > 0
                                  ? absl::StrCat("（已发布 v", p.published_version(), "）")
                                  : "（未发布）"));
  kv.Print(out);
  if (!p.targets().empty()) {
    out << "\n目标 targets\n";
    TextTable targets({"指标", "年份", "目标值", "方向"});
    for (const auto& t : p.targets()) {
      targets.AddRow({t.indicator(), absl::StrCat(t.year()), FormatFigure(t.value()),
                      t.lower_is_better() ? "↓ 越低越好" : "↑ 越高越好"});
    }
    targets.Print(out);
  }
  if (!p.tasks().empty()) {
    out << "\n重点任务 tasks\n";
    TextTable tasks({"序号", "任务", "牵头领导", "牵头单位", "配合单位", "期限", "任务清单"});
    for (const auto& t : p.tasks()) {
      tasks.AddRow({t.number(), FirstLine(t.title(), 30), OrDash(t.lead_leader()),
                    t.lead_department(), Join(t.partner_departments()), t.deadline(),
                    OrDash(t.work_item())});
    }
    tasks.Print(out);
  }
}

void PrintPlanProgress(const spv1::PlanProgress& p, std::ostream& out) {
  out << p.plan() << " v" << p.version() << " 截至 " << p.as_of() << "：总体完成 "
      << FormatPercent(p.completion()) << "，预警 " << p.at_risk() << " 项\n";
  if (!p.targets().empty()) {
    out << "\n目标 targets\n";
    TextTable targets({"指标", "年份", "目标", "实际", "报送期", "完成率", "序时", "差距", "预警"});
    for (const auto& t : p.targets()) {
      targets.AddRow({t.indicator(), absl::StrCat(t.year()), FormatFigure(t.target()),
                      t.has_actual() ? FormatFigure(t.actual()) : "-", OrDash(t.actual_period()),
                      t.has_actual() ? FormatPercent(t.completion()) : "-",
                      FormatPercent(t.elapsed()), FormatPercent(t.gap()),
                      t.at_risk() ? absl::StrCat("⚠ ", t.reason()) : "-"});
    }
    targets.Print(out);
  }
  if (!p.tasks().empty()) {
    out << "\n任务 tasks\n";
    TextTable tasks({"序号", "任务", "期限", "完成", "应完成", "逾期", "预警"});
    for (const auto& t : p.tasks()) {
      tasks.AddRow({t.number(), FirstLine(t.title(), 30), t.deadline(),
                    t.done() ? "已完成" : absl::StrCat(t.percent_done(), "%"),
                    FormatPercent(t.expected()), t.overdue() ? "逾期" : "-",
                    t.at_risk() ? absl::StrCat("⚠ ", t.reason()) : "-"});
    }
    tasks.Print(out);
  }
}

}  // namespace chainhub::chainctl
