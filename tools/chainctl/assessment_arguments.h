// What operators type for the assessment commands, turned into what requests carry: short names
// completed to resource names ("pv" → chains/pv, "output" → indicators/output,
// "chain-2026@2" → schemes/chain-2026/versions/2), numbers, and enum words in English or Chinese
// (final / 正式, quarterly / 季度). Pure functions, tested without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_ARGUMENTS_H_
#define CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_ARGUMENTS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::chainctl {

namespace av1 = ::chainhub::assessment::v1;

// A subject: chains/… and counties/… as they are; anything else is a chain id ("pv" → chains/pv).
// A county is always given in full (counties/来安县). Not checked: the service answers for it.
std::string SubjectArg(absl::string_view arg);
// An indicator: "output" or "indicators/output" → indicators/output.
std::string IndicatorArg(absl::string_view arg);
// A run: its id or runs/{id}.
std::string RunArg(absl::string_view arg);
// A schedule: its id or schedules/{id}.
std::string ScheduleArg(absl::string_view arg);

// SCHEME[@VERSION], the id or the name: "chain-2026" → schemes/chain-2026 (the latest version),
// "chain-2026@2" or "schemes/chain-2026@2" → schemes/chain-2026/versions/2; a name with /versions/
// is kept. INVALID_ARGUMENT on `field` for a version that is not a whole number ≥ 1.
absl::StatusOr<std::string> SchemeArg(absl::string_view field, absl::string_view arg);
// schemes/{id} of SCHEME, refusing a version (what a schemes diff or a schedule names).
absl::StatusOr<std::string> LatestSchemeArg(absl::string_view field, absl::string_view arg);
// A scheme version: "2" or "v2". INVALID_ARGUMENT on `field` unless a whole number ≥ 1.
absl::StatusOr<int> SchemeVersionArg(absl::string_view field, absl::string_view arg);

// A finite decimal number ("12", "-0.5", "1.2e3"; surrounding blanks ignored). INVALID_ARGUMENT
// on `field` otherwise.
absl::StatusOr<double> NumberArg(absl::string_view field, absl::string_view text);

// Enum words: the value's name in any case, its type's prefix optional, or the Chinese word.
// final / 正式, provisional / 暂定.
std::optional<av1::RunKind> ParseRunKind(absl::string_view text);
// manual / 手动, scheduled / 定时, event / 事件.
std::optional<av1::RunTrigger> ParseRunTrigger(absl::string_view text);
// csv, xlsx, svg.
std::optional<av1::ExportFormat> ParseExportFormat(absl::string_view text);
// monthly / 月度, quarterly / 季度, annual / 年度.
std::optional<av1::Cadence> ParseCadence(absl::string_view text);

// 优秀 / 良好 / 合格 / 不合格; "-" when unset.
std::string GradeName(av1::Grade grade);
// final / provisional, manual / scheduled / event (what the parsers read); "-" when unset.
std::string RunKindName(av1::RunKind kind);
std::string RunTriggerName(av1::RunTrigger trigger);
std::string CadenceName(av1::Cadence cadence);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_ARGUMENTS_H_
