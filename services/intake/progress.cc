#include "services/intake/progress.h"

#include "absl/strings/str_cat.h"
#include "common/base/status_util.h"

namespace chainhub::intake {
namespace {

// One cumulative figure of the report against its neighbours and the total.
absl::Status CheckFigure(absl::string_view field, int64_t value, const v1::ProgressReport* before,
                         int64_t before_value, const v1::ProgressReport* after, int64_t after_value,
                         bool allow_over_total, int64_t total) {
  const std::string path = absl::StrCat("report.", field);
  if (before != nullptr && value < before_value) {
    return FailedPrecondition(
        path, absl::StrCat("cumulative figures never decrease: ", value, " is below ", before_value,
                           " reported for ", before->month()));
  }
  if (after != nullptr && value > after_value) {
    return FailedPrecondition(
        path, absl::StrCat("cumulative figures never decrease: ", value, " is above ", after_value,
                           " reported for the later month ", after->month()));
  }
  if (!allow_over_total && value > total) {
    return FailedPrecondition(path, absl::StrCat(value, " passes the total investment ", total,
                                                 "; set allow_over_total to report it"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckReportMonth(v1::Stage stage, absl::string_view month, absl::string_view today,
                              absl::string_view subject) {
  if (stage == v1::STAGE_CANCELLED) {
    return FailedPrecondition(subject, "a cancelled project takes no progress reports");
  }
  if (month > today.substr(0, 7)) {
    return FailedPrecondition("report.month",
                              absl::StrCat(month, " has not begun (today is ", today, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckCumulativeFigures(const v1::ProgressReport& report,
                                    const std::optional<v1::ProgressReport>& before,
                                    const std::optional<v1::ProgressReport>& after,
                                    int64_t total_investment_yuan) {
  const v1::ProgressReport* b = before ? &*before : nullptr;
  const v1::ProgressReport* a = after ? &*after : nullptr;
  absl::Status completed =
      CheckFigure("cumulative_completed_yuan", report.cumulative_completed_yuan(), b,
                  b ? b->cumulative_completed_yuan() : 0, a, a ? a->cumulative_completed_yuan() : 0,
                  report.allow_over_total(), total_investment_yuan);
  if (!completed.ok()) return completed;
  return CheckFigure("cumulative_funds_arrived_yuan", report.cumulative_funds_arrived_yuan(), b,
                     b ? b->cumulative_funds_arrived_yuan() : 0, a,
                     a ? a->cumulative_funds_arrived_yuan() : 0, report.allow_over_total(),
                     total_investment_yuan);
}

void FollowLatestReport(const v1::ProgressReport& report, v1::Project* project) {
  project->set_completed_investment_yuan(report.cumulative_completed_yuan());
  project->set_funds_arrived_yuan(report.cumulative_funds_arrived_yuan());
  project->set_last_report_month(report.month());
}

std::string ReportAuditDetail(const v1::ProgressReport& report,
                              const std::optional<v1::ProgressReport>& replaced) {
  std::string detail = absl::StrCat("month=", report.month());
  if (replaced) {
    absl::StrAppend(&detail, " replaced revision ", replaced->revision(),
                    ": completed=", replaced->cumulative_completed_yuan(),
                    " funds=", replaced->cumulative_funds_arrived_yuan(), " by ",
                    replaced->principal());
  }
  return detail;
}

}  // namespace chainhub::intake
