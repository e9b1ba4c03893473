#include "services/assessment/grading.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace chainhub::assessment {
namespace {

// Share × n as a count of positions, forgiving the binary error of the product (0.1 × 30).
int CeilCount(double share, int n) { return static_cast<int>(std::ceil(share * n - 1e-9)); }
int FloorCount(double share, int n) { return static_cast<int>(std::floor(share * n + 1e-9)); }

v1::Grade GradeByThresholds(const v1::ScoreThresholds& t, double total) {
  const double rounded = static_cast<double>(RankingKey(total)) / 1e6;
  if (rounded >= t.excellent()) return v1::GRADE_EXCELLENT;
  if (rounded >= t.good()) return v1::GRADE_GOOD;
  if (rounded >= t.pass()) return v1::GRADE_PASS;
  return v1::GRADE_FAIL;
}

// The grade of the subject at 0-based `position` of `n` by rank shares.
v1::Grade GradeByPosition(const v1::RankShares& s, int position, int n) {
  const int excellent = std::max(0, CeilCount(s.excellent(), n));
  const int good = std::max(0, CeilCount(s.good(), n));
  const int fail = std::max(0, FloorCount(s.fail(), n));
  if (position < excellent) return v1::GRADE_EXCELLENT;
  if (position < excellent + good) return v1::GRADE_GOOD;
  if (position >= n - fail) return v1::GRADE_FAIL;
  return v1::GRADE_PASS;
}

}  // namespace

int64_t RankingKey(double total) {
  // Far beyond any score; keeps llround defined for whatever a broken input holds.
  constexpr double kLimit = 1e12;
  if (std::isnan(total)) return 0;
  return std::llround(std::clamp(total, -kLimit, kLimit) * 1e6);
}

void RankAndGrade(const v1::Grading& grading, std::vector<v1::SubjectResult>* results) {
  std::sort(results->begin(), results->end(),
            [](const v1::SubjectResult& a, const v1::SubjectResult& b) {
              const int64_t ka = RankingKey(a.total()), kb = RankingKey(b.total());
              if (ka != kb) return ka > kb;
              return a.subject() < b.subject();
            });
  const int n = static_cast<int>(results->size());
  for (int i = 0; i < n; ++i) {
    v1::SubjectResult& r = (*results)[i];
    const bool tied = i > 0 && RankingKey((*results)[i - 1].total()) == RankingKey(r.total());
    r.set_rank(tied ? (*results)[i - 1].rank() : i + 1);
    switch (grading.rule_case()) {
      case v1::Grading::kThresholds:
        r.set_grade(GradeByThresholds(grading.thresholds(), r.total()));
        break;
      case v1::Grading::kRankShares:
        r.set_grade(GradeByPosition(grading.rank_shares(), r.rank() - 1, n));
        break;
      default:
        r.set_grade(v1::GRADE_UNSPECIFIED);
        break;
    }
  }
}

double FoldQuarters(double quarter_weight, double period_total,
                    const std::vector<double>& quarter_totals) {
  if (quarter_weight == 0 || quarter_totals.empty()) return period_total;
  double sum = 0;
  for (double q : quarter_totals) sum += q;
  const double mean = sum / static_cast<double>(quarter_totals.size());
  return quarter_weight * mean + (1 - quarter_weight) * period_total;
}

void CompareRanks(const std::vector<v1::SubjectResult>& previous,
                  std::vector<v1::SubjectResult>* results) {
  std::map<std::string, int> rank_of;
  for (const v1::SubjectResult& p : previous) rank_of[p.subject()] = p.rank();
  for (v1::SubjectResult& r : *results) {
    auto it = rank_of.find(r.subject());
    const int previous_rank = it == rank_of.end() ? 0 : it->second;
    r.set_previous_rank(previous_rank);
    r.set_rank_change(previous_rank == 0 ? 0 : previous_rank - r.rank());
  }
}

}  // namespace chainhub::assessment
