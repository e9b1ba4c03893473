#include "tools/chainctl/support_arguments.h"

#include <cmath>
#include <initializer_list>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/base/fields.h"
#include "common/base/names.h"
#include "services/support/names.h"
#include "tools/chainctl/digest.h"
#include "tools/chainctl/project_csv.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

namespace pb = ::google::protobuf;

// `arg` as a name of `pattern`: kept when it is in the pattern's collection already, else its
// '/'-separated parts fill the pattern's ids in order ("pv/abc" → chains/pv/entries/abc). A
// wrong number of parts is left as it is, for the service to refuse by name.
std::string CompleteName(absl::string_view pattern, absl::string_view arg) {
  arg = absl::StripAsciiWhitespace(arg);
  if (tools::InCollection(arg, pattern)) return std::string(arg);
  const std::vector<absl::string_view> parts = absl::StrSplit(arg, '/');
  const size_t ids = static_cast<size_t>(std::count(pattern.begin(), pattern.end(), '{'));
  if (parts.size() != ids) return std::string(arg);
  switch (ids) {
    case 1:
      return FormatName(pattern, {parts[0]});
    case 2:
      return FormatName(pattern, {parts[0], parts[1]});
    case 3:
      return FormatName(pattern, {parts[0], parts[1], parts[2]});
    default:
      return std::string(arg);
  }
}

// One enum value and the Chinese words for it.
template <typename Enum>
struct Word {
  Enum value;
  std::initializer_list<absl::string_view> chinese;
};

// The value `text` names: its name or its name without `prefix` (any ASCII case), or one of its
// Chinese words.
template <typename Enum>
std::optional<Enum> ParseWord(absl::string_view text, const pb::EnumDescriptor* type,
                              absl::string_view prefix, std::initializer_list<Word<Enum>> words) {
  const std::string t = absl::AsciiStrToUpper(absl::StripAsciiWhitespace(text));
  for (const Word<Enum>& w : words) {
    const std::string name = type->FindValueByNumber(w.value)->name();
    if (t == name || absl::StrCat(prefix, t) == name) return w.value;
    for (absl::string_view c : w.chinese) {
      if (absl::StripAsciiWhitespace(text) == c) return w.value;
    }
  }
  return std::nullopt;
}

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return InvalidField(field, rule);
}

}  // namespace

std::string EnterpriseArg(absl::string_view arg) {
  return tools::NameOf(tools::EnterpriseName::kPattern, absl::StripAsciiWhitespace(arg));
}

std::string ChainArg(absl::string_view arg) {
  return tools::NameOf(ChainName::kPattern, absl::StripAsciiWhitespace(arg));
}

std::string DepartmentArg(absl::string_view arg) {
  return tools::NameOf(DepartmentName::kPattern, absl::StripAsciiWhitespace(arg));
}

std::string AssigneeArg(absl::string_view arg) {
  arg = absl::StripAsciiWhitespace(arg);
  if (absl::StartsWith(arg, "chains/")) return std::string(arg);
  return DepartmentArg(arg);
}

std::string AssignmentArg(absl::string_view arg) {
  return CompleteName(support::AssignmentName::kPattern, arg);
}

std::string FirmPlanArg(absl::string_view arg) {
  return CompleteName(support::FirmPlanName::kPattern, arg);
}

std::string RequestArg(absl::string_view arg) {
  return CompleteName(support::RequestName::kPattern, arg);
}

std::string PolicyArg(absl::string_view arg) {
  return CompleteName(support::PolicyName::kPattern, arg);
}

std::string ItemArg(absl::string_view arg) {
  return CompleteName(support::PolicyItemName::kPattern, arg);
}

std::string ClaimArg(absl::string_view arg) {
  return CompleteName(support::ClaimName::kPattern, arg);
}

std::string EntryArg(absl::string_view arg) {
  return CompleteName(support::ChainEntryName::kPattern, arg);
}

absl::StatusOr<std::pair<std::string, int>> PlanArg(absl::string_view field,
                                                    absl::string_view arg) {
  arg = absl::StripAsciiWhitespace(arg);
  int version = 0;
  const size_t at = arg.rfind('@');
  if (at != absl::string_view::npos) {
    absl::string_view v = arg.substr(at + 1);
    absl::ConsumePrefix(&v, "v");
    if (!absl::SimpleAtoi(v, &version) || version < 1) {
      return Invalid(field, absl::StrCat("the version after @ must be a whole number ≥ 1, got '",
                                         arg.substr(at + 1), "'"));
    }
    arg = arg.substr(0, at);
  }
  return std::make_pair(CompleteName(support::ChainPlanName::kPattern, arg), version);
}

std::optional<spv1::Channel> ParseChannel(absl::string_view text) {
  return ParseWord<spv1::Channel>(text, spv1::Channel_descriptor(), "",
                                  {{spv1::VISIT, {"走访"}},
                                   {spv1::HOTLINE, {"热线"}},
                                   {spv1::SYSTEM, {"系统"}},
                                   {spv1::LETTER, {"来信"}}});
}

std::optional<spv1::Tier> ParseTier(absl::string_view text) {
  return ParseWord<spv1::Tier>(text, spv1::Tier_descriptor(), "",
                               {{spv1::CITY, {"市级", "市"}}, {spv1::COUNTY, {"县级", "县"}}});
}

std::optional<spv1::RequestState> ParseRequestState(absl::string_view text) {
  return ParseWord<spv1::RequestState>(text, spv1::RequestState_descriptor(), "",
                                       {{spv1::ACCEPTED, {"受理"}},
                                        {spv1::ASSIGNED, {"交办"}},
                                        {spv1::HANDLING, {"办理"}},
                                        {spv1::CLOSED, {"办结"}},
                                        {spv1::REVISITED, {"回访"}}});
}

std::optional<spv1::Grouping> ParseGrouping(absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) return spv1::GROUPING_UNSPECIFIED;
  return ParseWord<spv1::Grouping>(text, spv1::Grouping_descriptor(), "BY_",
                                   {{spv1::BY_DEPARTMENT, {"部门"}}, {spv1::BY_CHAIN, {"产业链"}}});
}

std::optional<spv1::LocalScope> ParseLocalScope(absl::string_view text) {
  if (absl::StripAsciiWhitespace(text).empty()) return spv1::IN_CITY;
  return ParseWord<spv1::LocalScope>(
      text, spv1::LocalScope_descriptor(), "IN_",
      {{spv1::IN_CITY, {"市内"}}, {spv1::IN_PROVINCE, {"省内"}}, {spv1::IN_REGION, {"区域"}}});
}

absl::StatusOr<spv1::Official> ParseOfficial(absl::string_view field, absl::string_view text) {
  const std::string normalized = absl::StrReplaceAll(text, {{"：", ":"}});
  const std::vector<std::string> parts = absl::StrSplit(normalized, absl::MaxSplits(':', 2));
  auto part = [&](size_t i) {
    return i < parts.size() ? std::string(absl::StripAsciiWhitespace(parts[i])) : std::string();
  };
  if (part(0).empty() || part(1).empty()) {
    return Invalid(field, absl::StrCat("must be DEPT:PERSON[:TITLE], e.g. jxj:李娜:服务专员, got '",
                                       text, "'"));
  }
  spv1::Official o;
  o.set_department(DepartmentArg(part(0)));
  o.set_person(part(1));
  o.set_title(part(2));
  return o;
}

absl::StatusOr<std::pair<std::string, double>> ParseActual(absl::string_view field,
                                                           absl::string_view text) {
  const size_t eq = text.rfind('=');
  const std::string rule =
      absl::StrCat("must be indicators/KEY=VALUE, e.g. indicators/output=1250.5, got '", text, "'");
  if (eq == absl::string_view::npos) return Invalid(field, rule);
  const absl::string_view key = absl::StripAsciiWhitespace(text.substr(0, eq));
  double value = 0;
  if (key.empty() || !absl::SimpleAtod(absl::StripAsciiWhitespace(text.substr(eq + 1)), &value) ||
      !std::isfinite(value)) {
    return Invalid(field, rule);
  }
  return std::make_pair(tools::NameOf("indicators/{key}", key), value);
}

absl::StatusOr<spv1::TaskReport> ParseTaskReport(absl::string_view field, absl::string_view text) {
  const std::string rule =
      absl::StrCat("must be NUMBER:PERCENT[:done], e.g. 2.1:60 or 3:100:done, got '", text, "'");
  const std::string normalized = absl::StrReplaceAll(text, {{"：", ":"}});
  const std::vector<std::string> parts = absl::StrSplit(normalized, ':');
  if (parts.size() < 2 || parts.size() > 3) return Invalid(field, rule);
  spv1::TaskReport report;
  report.set_number(std::string(absl::StripAsciiWhitespace(parts[0])));
  absl::string_view percent = absl::StripAsciiWhitespace(parts[1]);
  absl::ConsumeSuffix(&percent, "%");
  int value = 0;
  if (report.number().empty() || !absl::SimpleAtoi(percent, &value) || value < 0 || value > 100) {
    return Invalid(field, rule);
  }
  report.set_percent_done(value);
  if (parts.size() == 3) {
    const std::string done = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[2]));
    if (done != "done" && done != "完成") return Invalid(field, rule);
    report.set_done(true);
  }
  return report;
}

std::vector<std::string> SplitTags(absl::string_view text) {
  const std::string normalized = absl::StrReplaceAll(text, {{"；", ";"}});
  std::vector<std::string> tags;
  for (absl::string_view t : absl::StrSplit(normalized, ';')) {
    t = absl::StripAsciiWhitespace(t);
    if (!t.empty()) tags.emplace_back(t);
  }
  return tags;
}

absl::StatusOr<int64_t> YuanArg(absl::string_view field, absl::string_view text) {
  return ParseYuanAmount(field, text);
}

std::string ContentRequestId(absl::string_view prefix, const pb::Message& message) {
  std::string bytes;
  {
    pb::io::StringOutputStream stream(&bytes);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return absl::StrCat(prefix, "-", Sha256Hex(bytes).substr(0, 32));
}

}  // namespace chainhub::chainctl
