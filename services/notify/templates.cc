#include "services/notify/templates.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/utf8.h"
#include "services/notify/notices.h"

namespace chainhub::notify {

namespace {

constexpr absl::string_view kMissing = "—";

// Chinese labels of the enum values templates print.
const std::map<std::string, std::string, std::less<>>& Labels() {
  static const auto* labels = new std::map<std::string, std::string, std::less<>>{
      {"LIGHT_GREEN", "绿灯"},
      {"LIGHT_YELLOW", "黄灯"},
      {"LIGHT_RED", "红灯"},
      {"STAGE_NEGOTIATING", "在谈"},
      {"STAGE_SIGNED", "签约"},
      {"STAGE_REGISTERED", "注册"},
      {"STAGE_STARTED", "开工"},
      {"STAGE_IN_PRODUCTION", "投产"},
      {"STAGE_FULL_OUTPUT", "达产"},
      {"STAGE_STALLED", "停滞"},
      {"STAGE_CANCELLED", "终止"},
      {"WORK_ITEM_KIND_ISSUE", "问题"},
      {"WORK_ITEM_KIND_TASK", "任务"},
      {"WORK_ITEM_STATUS_OPEN", "待办"},
      {"WORK_ITEM_STATUS_COORDINATING", "协调中"},
      {"WORK_ITEM_STATUS_RESOLVED", "已办结"},
      {"WORK_ITEM_STATUS_ESCALATED", "提级协调"},
      {"GRADE_EXCELLENT", "优秀"},
      {"GRADE_GOOD", "良好"},
      {"GRADE_PASS", "合格"},
      {"GRADE_FAIL", "不合格"},
      {"GRADE_UNSPECIFIED", "无"},
      {"RUN_KIND_FINAL", "正式结果"},
      {"RUN_KIND_PROVISIONAL", "实时排名"},
      {"CONTACT", "联系企业"},
      {"INTERIM_REPLY", "阶段性答复"},
      {"CLOSE", "办结"},
  };
  return *labels;
}

// One placeholder's text: `spec` is "attribute" or "attribute|format".
std::string Fill(absl::string_view spec, const EventFacts& facts) {
  absl::string_view name = spec;
  absl::string_view format;
  if (size_t bar = spec.find('|'); bar != absl::string_view::npos) {
    name = spec.substr(0, bar);
    format = spec.substr(bar + 1);
  }
  name = absl::StripAsciiWhitespace(name);
  if (format == "list") {
    const auto& all = facts.All(name);
    return all.empty() ? std::string(kMissing) : absl::StrJoin(all, "、");
  }
  const std::string value = facts.First(name);
  if (value.empty()) return std::string(kMissing);
  if (format == "label") {
    auto it = Labels().find(value);
    return it == Labels().end() ? value : it->second;
  }
  if (format == "yi") {
    double yuan = 0;
    if (!absl::SimpleAtod(value, &yuan)) return value;
    return absl::StrFormat("%.2f亿元", yuan / 1e8);
  }
  return value;
}

}  // namespace

const std::string& TemplateFor(absl::string_view name, absl::string_view event_type) {
  const auto& all = ShippedTemplates();
  if (!name.empty()) {
    if (auto it = all.find(name); it != all.end()) return it->second;
  }
  if (auto it = all.find(event_type); it != all.end()) return it->second;
  return all.at("default");
}

RenderedText RenderTemplate(absl::string_view text, const EventFacts& facts) {
  std::string filled;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t open = text.find("{{", pos);
    if (open == absl::string_view::npos) break;
    const size_t close = text.find("}}", open + 2);
    if (close == absl::string_view::npos) break;
    absl::StrAppend(&filled, text.substr(pos, open - pos));
    filled.append(Fill(text.substr(open + 2, close - open - 2), facts));
    pos = close + 2;
  }
  absl::StrAppend(&filled, text.substr(pos));
  RenderedText out;
  absl::string_view rest = filled;
  const size_t newline = rest.find('\n');
  absl::string_view title = rest.substr(0, newline);
  rest = newline == absl::string_view::npos ? "" : rest.substr(newline + 1);
  // Event text may hold anything: the title keeps to one line of printable text.
  std::string clean_title;
  for (char c : title) clean_title.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  out.title = Utf8Prefix(absl::StripAsciiWhitespace(clean_title), kMaxTitleChars);
  out.body = std::string(absl::StripAsciiWhitespace(rest));
  if (CodePoints(out.body) > kMaxBodyChars) out.body = Utf8Prefix(out.body, kMaxBodyChars);
  return out;
}

}  // namespace chainhub::notify
