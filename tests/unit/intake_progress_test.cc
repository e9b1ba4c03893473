#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "services/intake/progress.h"

namespace chainhub::intake {
namespace {

constexpr int64_t kTotal = 1'000;

v1::ProgressReport Report(std::string month, int64_t completed, int64_t funds) {
  v1::ProgressReport r;
  r.set_month(std::move(month));
  r.set_cumulative_completed_yuan(completed);
  r.set_cumulative_funds_arrived_yuan(funds);
  return r;
}

TEST(IntakeProgressRules, ACancelledProjectTakesNoReport) {
  absl::Status s = CheckReportMonth(v1::STAGE_CANCELLED, "2026-05", "2026-06-15",
                                    "projects/p1/progressReports/2026-05");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("projects/p1/progressReports/2026-05"), std::string::npos) << s;
  EXPECT_NE(s.message().find("a cancelled project takes no progress reports"), std::string::npos);
}

TEST(IntakeProgressRules, TheCurrentMonthIsOpenAndTheNextIsNot) {
  EXPECT_TRUE(CheckReportMonth(v1::STAGE_STARTED, "2026-06", "2026-06-15", "r").ok());
  EXPECT_TRUE(CheckReportMonth(v1::STAGE_STALLED, "2025-12", "2026-06-15", "r").ok());
  absl::Status s = CheckReportMonth(v1::STAGE_STARTED, "2026-07", "2026-06-15", "r");
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("report.month"), std::string::npos) << s;
  EXPECT_NE(s.message().find("2026-07 has not begun (today is 2026-06-15)"), std::string::npos)
      << s;
}

TEST(IntakeProgressRules, AFirstReportOnlyKeepsWithinTheTotal) {
  EXPECT_TRUE(
      CheckCumulativeFigures(Report("2026-05", kTotal, 0), std::nullopt, std::nullopt, kTotal)
          .ok());
  absl::Status over =
      CheckCumulativeFigures(Report("2026-05", kTotal + 1, 0), std::nullopt, std::nullopt, kTotal);
  EXPECT_EQ(over.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(over.message().find("report.cumulative_completed_yuan"), std::string::npos) << over;
  EXPECT_NE(over.message().find("1001 passes the total investment 1000; set allow_over_total"),
            std::string::npos)
      << over;
  v1::ProgressReport allowed = Report("2026-05", kTotal + 1, kTotal + 1);
  allowed.set_allow_over_total(true);
  EXPECT_TRUE(CheckCumulativeFigures(allowed, std::nullopt, std::nullopt, kTotal).ok());
}

TEST(IntakeProgressRules, CumulativeFiguresNeverFallBelowAnEarlierMonth) {
  const auto april = Report("2026-04", 100, 50);
  EXPECT_TRUE(CheckCumulativeFigures(Report("2026-05", 100, 50), april, std::nullopt, kTotal).ok());
  absl::Status s = CheckCumulativeFigures(Report("2026-05", 90, 50), april, std::nullopt, kTotal);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("report.cumulative_completed_yuan"), std::string::npos) << s;
  EXPECT_NE(s.message().find("cumulative figures never decrease: 90 is below 100 reported for "
                             "2026-04"),
            std::string::npos)
      << s;
}

TEST(IntakeProgressRules, CumulativeFiguresNeverRiseAboveALaterMonth) {
  const auto june = Report("2026-06", 300, 200);
  absl::Status s = CheckCumulativeFigures(Report("2026-05", 300, 201), std::nullopt, june, kTotal);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("report.cumulative_funds_arrived_yuan"), std::string::npos) << s;
  EXPECT_NE(s.message().find("201 is above 200 reported for the later month 2026-06"),
            std::string::npos)
      << s;
}

TEST(IntakeProgressRules, CompletedInvestmentIsCheckedBeforeFunds) {
  const auto april = Report("2026-04", 100, 100);
  absl::Status s = CheckCumulativeFigures(Report("2026-05", 90, 90), april, std::nullopt, kTotal);
  EXPECT_NE(s.message().find("report.cumulative_completed_yuan"), std::string::npos) << s;
  EXPECT_EQ(s.message().find("report.cumulative_funds_arrived_yuan"), std::string::npos) << s;
}

TEST(IntakeProgressRules, TheProjectFollowsItsLatestMonth) {
  v1::Project p;
  FollowLatestReport(Report("2026-05", 300, 200), &p);
  EXPECT_EQ(p.completed_investment_yuan(), 300);
  EXPECT_EQ(p.funds_arrived_yuan(), 200);
  EXPECT_EQ(p.last_report_month(), "2026-05");
}

TEST(IntakeProgressRules, TheAuditTellsWhatARevisionReplaced) {
  EXPECT_EQ(ReportAuditDetail(Report("2026-05", 1, 2), std::nullopt), "month=2026-05");
  v1::ProgressReport old = Report("2026-05", 100, 50);
  old.set_revision(2);
  old.set_principal("departments/fgw");
  EXPECT_EQ(ReportAuditDetail(Report("2026-05", 1, 2), old),
            "month=2026-05 replaced revision 2: completed=100 funds=50 by departments/fgw");
}

}  // namespace
}  // namespace chainhub::intake
