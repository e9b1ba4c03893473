#include "tools/chainctl/assessment_arguments.h"

#include <cmath>
#include <initializer_list>
#include <utility>

#include <google/protobuf/generated_enum_reflection.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/status_util.h"
#include "services/assessment/names.h"
#include "tools/common/resource_names.h"

namespace chainhub::chainctl {
namespace {

using assessment::IndicatorName;
using assessment::RunName;
using assessment::ScheduleName;
using assessment::SchemeName;
using assessment::SubjectName;

// An enum value by its name in any case (the type's `prefix` optional) or a Chinese word; never
// the unspecified value.
template <typename E>
std::optional<E> ParseWord(absl::string_view text, absl::string_view prefix,
                           std::initializer_list<std::pair<absl::string_view, E>> chinese) {
  const absl::string_view word = absl::StripAsciiWhitespace(text);
  for (const auto& [zh, value] : chinese) {
    if (word == zh) return value;
  }
  const std::string upper = absl::AsciiStrToUpper(word);
  const google::protobuf::EnumDescriptor* type = google::protobuf::GetEnumDescriptor<E>();
  for (const std::string& name : {upper, absl::StrCat(prefix, upper)}) {
    const google::protobuf::EnumValueDescriptor* value = type->FindValueByName(name);
    if (value != nullptr && value->number() != 0) return static_cast<E>(value->number());
  }
  return std::nullopt;
}

// The value's name without `prefix`, in lower case; "-" for the unspecified value.
template <typename E>
std::string WordOf(E value, absl::string_view prefix) {
  const google::protobuf::EnumValueDescriptor* v =
      google::protobuf::GetEnumDescriptor<E>()->FindValueByNumber(value);
  if (v == nullptr || v->number() == 0) return "-";
  return absl::AsciiStrToLower(absl::StripPrefix(v->name(), prefix));
}

absl::StatusOr<int> WholeVersion(absl::string_view field, absl::string_view text) {
  int version = 0;
  if (!absl::SimpleAtoi(text, &version) || version < 1) {
    return InvalidField(field,
                        absl::StrCat("the version must be a whole number ≥ 1, got '", text, "'"));
  }
  return version;
}

}  // namespace

std::string SubjectArg(absl::string_view arg) {
  if (tools::InCollection(arg, SubjectName::kChainPattern) ||
      tools::InCollection(arg, SubjectName::kCountyPattern)) {
    return std::string(arg);
  }
  return tools::NameOf(SubjectName::kChainPattern, arg);
}

std::string IndicatorArg(absl::string_view arg) {
  return tools::NameOf(IndicatorName::kPattern, arg);
}

std::string RunArg(absl::string_view arg) { return tools::NameOf(RunName::kPattern, arg); }

std::string ScheduleArg(absl::string_view arg) {
  return tools::NameOf(ScheduleName::kPattern, arg);
}

absl::StatusOr<std::string> SchemeArg(absl::string_view field, absl::string_view arg) {
  const size_t at = arg.rfind('@');
  if (at == absl::string_view::npos) {
    if (absl::StrContains(arg, "/versions/")) return std::string(arg);
    return tools::NameOf(SchemeName::kPattern, arg);
  }
  CHAINHUB_ASSIGN_OR_RETURN(int version, WholeVersion(field, arg.substr(at + 1)));
  SchemeName name{std::string(tools::IdOf(SchemeName::kPattern, arg.substr(0, at))), version};
  return name.VersionString();
}

absl::StatusOr<std::string> LatestSchemeArg(absl::string_view field, absl::string_view arg) {
  if (absl::StrContains(arg, "@") || absl::StrContains(arg, "/versions/")) {
    return InvalidField(field, absl::StrCat("names a scheme, without a version; got '", arg, "'"));
  }
  return tools::NameOf(SchemeName::kPattern, arg);
}

absl::StatusOr<int> SchemeVersionArg(absl::string_view field, absl::string_view arg) {
  absl::string_view text = absl::StripAsciiWhitespace(arg);
  absl::ConsumePrefix(&text, "v");
  return WholeVersion(field, text);
}

absl::StatusOr<double> NumberArg(absl::string_view field, absl::string_view text) {
  double value = 0;
  const absl::string_view stripped = absl::StripAsciiWhitespace(text);
  if (!absl::SimpleAtod(stripped, &value) || !std::isfinite(value)) {
    return InvalidField(field, absl::StrCat("must be a number, got '", stripped, "'"));
  }
  return value;
}

std::optional<av1::RunKind> ParseRunKind(absl::string_view text) {
  return ParseWord<av1::RunKind>(
      text, "RUN_KIND_", {{"正式", av1::RUN_KIND_FINAL}, {"暂定", av1::RUN_KIND_PROVISIONAL}});
}

std::optional<av1::RunTrigger> ParseRunTrigger(absl::string_view text) {
  return ParseWord<av1::RunTrigger>(text, "RUN_TRIGGER_",
                                    {{"手动", av1::RUN_TRIGGER_MANUAL},
                                     {"定时", av1::RUN_TRIGGER_SCHEDULED},
                                     {"事件", av1::RUN_TRIGGER_EVENT}});
}

std::optional<av1::ExportFormat> ParseExportFormat(absl::string_view text) {
  return ParseWord<av1::ExportFormat>(text, "EXPORT_FORMAT_", {});
}

std::optional<av1::Cadence> ParseCadence(absl::string_view text) {
  return ParseWord<av1::Cadence>(text, "CADENCE_",
                                 {{"月度", av1::CADENCE_MONTHLY},
                                  {"季度", av1::CADENCE_QUARTERLY},
                                  {"年度", av1::CADENCE_ANNUAL}});
}

std::string GradeName(av1::Grade grade) {
  switch (grade) {
    case av1::GRADE_EXCELLENT:
      return "优秀";
    case av1::GRADE_GOOD:
      return "良好";
    case av1::GRADE_PASS:
      return "合格";
    case av1::GRADE_FAIL:
      return "不合格";
    default:
      return "-";
  }
}

std::string RunKindName(av1::RunKind kind) { return WordOf(kind, "RUN_KIND_"); }

std::string RunTriggerName(av1::RunTrigger trigger) { return WordOf(trigger, "RUN_TRIGGER_"); }

std::string CadenceName(av1::Cadence cadence) { return WordOf(cadence, "CADENCE_"); }

}  // namespace chainhub::chainctl
