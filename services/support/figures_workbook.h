// The figures of a period as the XLSX workbook ExportFigures answers (docs/support.md, "Export"):
// an overview sheet naming the period, the chain and the dates the figures stand at, then one
// sheet per table of figures, columns named in Chinese, a bold frozen header row, one row per
// group, item, firm, plan, target or task and, where the figures add up, a 合计 row last. Figures
// are numbers (counts, yuan, shares formatted as percentages), not text. Pure: the same figures
// give the same bytes (the workbook's creation time is given, and libxlsxwriter dates every zip
// entry 1980-01-01).
#ifndef CHAINHUB_SERVICES_SUPPORT_FIGURES_WORKBOOK_H_
#define CHAINHUB_SERVICES_SUPPORT_FIGURES_WORKBOOK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "chainhub/support/v1/support.pb.h"
#include "services/support/payout_figures.h"
#include "services/support/request_figures.h"

namespace chainhub::support {

// Everything the workbook shows, gathered by ExportFigures.
struct SupportFigures {
  std::string period;  // canonical: 2026, 2026-Q2, 2026-05
  std::string chain;   // chains/{chain}, or "" for every chain
  // The day the request figures and the plan progress stand at (the period's last day, or today
  // while the period runs).
  std::string as_of;
  // The payouts' year (the period's) and the day they stand at (today: the ledger is known only
  // as it is now).
  int payout_year = 0;
  std::string payouts_as_of;
  absl::Time created;  // the workbook's creation time

  // SummarizeRequests for the period: every request (kNone), by department and by chain.
  RequestFigures requests_total;
  std::vector<RequestFigures> requests_by_department;
  std::vector<RequestFigures> requests_by_chain;

  // SummarizePayouts of each item whose window overlaps the year, and of all of them together.
  struct ItemPayouts {
    std::string item;  // policies/{id}/items/{item}
    std::string title;
    std::string department;  // the department that pays it
    PayoutFigures figures;
  };
  std::vector<ItemPayouts> payouts;
  PayoutFigures payouts_total;

  // ComputeLocalRate of the chain for the period (in the city, every reporter): set when it is
  // exported; otherwise local_rate_note says why not.
  std::optional<v1::LocalRateResponse> local_rate;
  std::string local_rate_note;

  // GetPlanProgress of each plan, as of `as_of`.
  struct Plan {
    v1::ChainPlan plan;
    v1::PlanProgress progress;
  };
  std::vector<Plan> plans;
};

// The sheets, in order; 本地配套率 only when figures.local_rate is set.
inline constexpr absl::string_view kOverviewSheet = "概览";
inline constexpr absl::string_view kRequestsByDepartmentSheet = "诉求按部门";
inline constexpr absl::string_view kRequestsByChainSheet = "诉求按产业链";
inline constexpr absl::string_view kPayoutsSheet = "政策兑现";
inline constexpr absl::string_view kLocalRateSheet = "本地配套率";
inline constexpr absl::string_view kPlansSheet = "规划进度";
inline constexpr absl::string_view kPlanTargetsSheet = "规划目标";
inline constexpr absl::string_view kPlanTasksSheet = "规划任务";

// support-figures-<period>.xlsx, or support-figures-<period>-<chain id>.xlsx with a chain.
std::string FiguresFilename(absl::string_view period, absl::string_view chain_id);

// The workbook; INTERNAL when libxlsxwriter fails (e.g. no temporary file).
absl::StatusOr<std::string> FiguresWorkbook(const SupportFigures& figures);

}  // namespace chainhub::support

#endif  // CHAINHUB_SERVICES_SUPPORT_FIGURES_WORKBOOK_H_
