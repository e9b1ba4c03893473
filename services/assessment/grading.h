// Ranking, grading and folding of a run's subject results, as pure functions.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_GRADING_H_
#define CHAINHUB_SERVICES_ASSESSMENT_GRADING_H_

#include <vector>

#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::assessment {

namespace v1 = ::chainhub::assessment::v1;

// Sorts `results` best first (total descending, then subject name), sets each rank (competition
// ranking: totals equal to 1e-6 share a rank, the next rank skips: 1, 2, 2, 4) and grade by
// `grading` (ScoreThresholds or RankShares; subjects sharing a rank share the better grade).
void RankAndGrade(const v1::Grading& grading, std::vector<v1::SubjectResult>* results);

// quarter_weight × mean(quarter_totals) + (1 − quarter_weight) × period_total; period_total alone
// when quarter_weight is 0 or there are no quarter totals.
double FoldQuarters(double quarter_weight, double period_total,
                    const std::vector<double>& quarter_totals);

// Sets previous_rank and rank_change (previous − current; 0 without a previous rank) from the
// results of a previous run, subjects matched by name.
void CompareRanks(const std::vector<v1::SubjectResult>& previous,
                  std::vector<v1::SubjectResult>* results);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_GRADING_H_
