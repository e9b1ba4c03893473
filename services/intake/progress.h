// Monthly progress reports (月度进度) against the rest of a project's history. A report carries
// cumulative figures (completed investment, funds arrived) since the project began, so they never
// decrease from one month to the next. Pure: the service loads the neighbouring months' reports.
#ifndef CHAINHUB_SERVICES_INTAKE_PROGRESS_H_
#define CHAINHUB_SERVICES_INTAKE_PROGRESS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "chainhub/intake/v1/intake.pb.h"

namespace chainhub::intake {

// Whether a project at `stage` takes a report for `month` (YYYY-MM) on `today` (YYYY-MM-DD): a
// cancelled project takes none (FAILED_PRECONDITION on `subject`, the report's name), and a month
// that has not begun is refused (FAILED_PRECONDITION on report.month).
absl::Status CheckReportMonth(v1::Stage stage, absl::string_view month, absl::string_view today,
                              absl::string_view subject);

// The cumulative rule, for completed investment and then funds arrived, each figure in turn:
// not below the figure of `before` (the latest earlier month reported), not above that of `after`
// (the earliest later month), and, unless the report sets allow_over_total, not above the
// project's `total_investment_yuan`. FAILED_PRECONDITION naming report.<figure>, e.g.
// "cumulative figures never decrease: 90 is below 100 reported for 2026-04".
absl::Status CheckCumulativeFigures(const v1::ProgressReport& report,
                                    const std::optional<v1::ProgressReport>& before,
                                    const std::optional<v1::ProgressReport>& after,
                                    int64_t total_investment_yuan);

// A project's figures follow its latest month: copies the report's figures and month onto
// `project` (call only when no later month is reported).
void FollowLatestReport(const v1::ProgressReport& report, v1::Project* project);

// The audit text of a report: "month=2026-05", and when it replaced an earlier revision of the
// month, " replaced revision 1: completed=… funds=… by departments/…".
std::string ReportAuditDetail(const v1::ProgressReport& report,
                              const std::optional<v1::ProgressReport>& replaced);

}  // namespace chainhub::intake

#endif  // CHAINHUB_SERVICES_INTAKE_PROGRESS_H_
