// Ranking and grading a run's subjects (排名、评定等次), folding an annual result with its
// quarters, and the change in rank against a previous run.
#ifndef CHAINHUB_SERVICES_ASSESSMENT_GRADING_H_
#define CHAINHUB_SERVICES_ASSESSMENT_GRADING_H_

#include <cstdint>
#include <vector>

#include "chainhub/assessment/v1/assessment.pb.h"

namespace chainhub::assessment {

// A total rounded to 1e-6, as an integer: totals are equal for ranking when these are.
int64_t RankingKey(double total);

// Sorts `results` best first (total descending, then subject ascending), sets rank (competition
// ranking: totals equal after rounding to 1e-6 share a rank — 1, 2, 2, 4) and grade by the
// scheme's grading:
//  - thresholds: the rounded total ≥ excellent → 优秀, ≥ good → 良好, ≥ pass → 合格, else 不合格;
//  - rank_shares over n subjects: the first ceil(excellent × n) positions 优秀, the next
//    ceil(good × n) 良好, the last floor(fail × n) 不合格, the rest 合格 (each product taken to
//    1e-9, so 0.1 × 30 is 3). Where the better grades' positions and the failing ones overlap
//    (0.3/0.3/0.4 of 4), the better grade wins. A subject gets the grade of its rank's position,
//    so tied subjects share the better grade.
// With no grading rule set, every grade is GRADE_UNSPECIFIED.
void RankAndGrade(const v1::Grading& grading, std::vector<v1::SubjectResult>* results);

// quarter_weight × mean(quarter_totals) + (1 − quarter_weight) × period_total; period_total when
// quarter_weight is 0 or quarter_totals is empty.
double FoldQuarters(double quarter_weight, double period_total,
                    const std::vector<double>& quarter_totals);

// Sets previous_rank and rank_change (previous_rank − rank, positive when moved up) from a
// previous run's results, subjects matched by name; 0 and 0 for a subject not in it.
void CompareRanks(const std::vector<v1::SubjectResult>& previous,
                  std::vector<v1::SubjectResult>* results);

}  // namespace chainhub::assessment

#endif  // CHAINHUB_SERVICES_ASSESSMENT_GRADING_H_
