// The human-readable forms of assessment resources chainctl prints: lists as tables, a run's
// ranking with every item's points, an explanation fact by fact, a replay's verdict. Pure
// functions from messages to text, so the output can be checked without a server.
#ifndef CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_RENDER_H_
#define CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_RENDER_H_

#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::chainctl {

// A score or points with two decimals: 17.8 → "17.80", -1.5 → "-1.50", and no deduction (−0)
// "0.00".
std::string FormatScore(double points);
// A figure as short as it reads exactly to six decimals: 1700 → "1700", 378.14 → "378.14".
std::string FormatFigure(double value);
// previous rank − rank: "↑2", "↓1", "0"; "-" without a previous rank.
std::string RankChangeText(const assessment::v1::SubjectResult& result);

// One row per indicator: name, 名称, 单位, 方向 (↑ or ↓), 来源 (the measure in short, or the
// department that reports it).
void PrintIndicatorsTable(const assessment::v1::ListIndicatorsResponse& page, std::ostream& out);
// One row per target: subject, indicator, period, value (with 序时 when derived), principal,
// updated.
void PrintTargetsTable(const assessment::v1::ListTargetsResponse& page, std::ostream& out);
// One row per reported value: subject, indicator, period, value, revision, evidence, principal,
// reported.
void PrintValuesTable(const assessment::v1::ListReportedValuesResponse& page, std::ostream& out);
// One row per scheme: name, version, 名称, subjects, items, total points, sample.
void PrintSchemesTable(const assessment::v1::ListSchemesResponse& page, std::ostream& out);
// One row per run: name, scheme@version, period, kind, trigger, as-of date, subjects, created.
void PrintRunsTable(const assessment::v1::ListRunsResponse& page, std::ostream& out);
// One row per schedule: name, scheme, cadence, days after, time, provisional, last period, next.
void PrintSchedulesTable(const assessment::v1::ListSchedulesResponse& page, std::ostream& out);

// A run's ranking: a title (the scheme's `scheme_title` when known, else its name; version,
// period, kind), the run's name, as-of date and digest, then the table — 名次, 名称, 总分, 等级,
// 名次变化 and each item's points under its key (the first subject's items, then any other) —
// the items' names and full points, and the run's problems.
void PrintRanking(const assessment::v1::Run& run, absl::string_view scheme_title,
                  std::ostream& out);
// One subject's item of a run: its figures, method, points and formula, any problem, then every
// fact that counted (resource, 名称, value, detail).
void PrintExplanation(const assessment::v1::ExplainScoreResponse& explanation,
                      absl::string_view subject, std::ostream& out);
// "replay matches" with the digest, or the two digests and one row per difference.
void PrintReplay(const assessment::v1::ReplayRunResponse& replay, std::ostream& out);

}  // namespace chainhub::chainctl

#endif  // CHAINHUB_TOOLS_CHAINCTL_ASSESSMENT_RENDER_H_
