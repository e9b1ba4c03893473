#include "services/assessment/grading.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace chainhub::assessment {
namespace {

// Totals compared at 1e-6: sums of the same points in another order tie.
int64_t Key(double total) { return std::llround(total * 1e6); }

v1::Grade ByScore(const v1::ScoreThresholds& t, double total) {
  const int64_t k = Key(total);
  if (k >= Key(t.excellent())) return v1::GRADE_EXCELLENT;
  if (k >= Key(t.good())) return v1::GRADE_GOOD;
  if (k >= Key(t.pass())) return v1::GRADE_PASS;
  return v1::GRADE_FAIL;
}

// The grade of the subject at `rank` (1-based) of `n` by rank shares.
v1::Grade ByRank(const v1::RankShares& shares, int rank, int n) {
  const int excellent = static_cast<int>(std::ceil(shares.excellent() * n - 1e-9));
  const int good = static_cast<int>(std::ceil(shares.good() * n - 1e-9));
  const int fail = static_cast<int>(std::floor(shares.fail() * n + 1e-9));
  if (rank <= excellent) return v1::GRADE_EXCELLENT;
  if (rank <= excellent + good) return v1::GRADE_GOOD;
  if (rank > n - fail) return v1::GRADE_FAIL;
  return v1::GRADE_PASS;
}

}  // namespace

void RankAndGrade(const v1::Grading& grading, std::vector<v1::SubjectResult>* results) {
  std::stable_sort(results->begin(), results->end(),
                   [](const v1::SubjectResult& a, const v1::SubjectResult& b) {
                     if (Key(a.total()) != Key(b.total())) return Key(a.total()) > Key(b.total());
                     return a.subject() < b.subject();
                   });
  const int n = static_cast<int>(results->size());
  for (int i = 0; i < n; ++i) {
    v1::SubjectResult& r = (*results)[i];
    const bool tied = i > 0 && Key((*results)[i - 1].total()) == Key(r.total());
    r.set_rank(tied ? (*results)[i - 1].rank() : i + 1);
    switch (grading.rule_case()) {
      case v1::Grading::kThresholds:
        r.set_grade(ByScore(grading.thresholds(), r.total()));
        break;
      case v1::Grading::kRankShares:
        // A tie takes the grade of the best-placed among the tied: the shared rank.
        r.set_grade(ByRank(grading.rank_shares(), r.rank(), n));
        break;
      case v1::Grading::RULE_NOT_SET:
        r.set_grade(v1::GRADE_UNSPECIFIED);
        break;
    }
  }
}

double FoldQuarters(double quarter_weight, double period_total,
                    const std::vector<double>& quarter_totals) {
  if (quarter_weight <= 0 || quarter_totals.empty()) return period_total;
  double sum = 0;
  for (double t : quarter_totals) sum += t;
  const double mean = sum / static_cast<double>(quarter_totals.size());
  return quarter_weight * mean + (1 - quarter_weight) * period_total;
}

void CompareRanks(const std::vector<v1::SubjectResult>& previous,
                  std::vector<v1::SubjectResult>* results) {
  std::map<std::string, int> before;
  for (const auto& r : previous) before[r.subject()] = r.rank();
  for (auto& r : *results) {
    auto it = before.find(r.subject());
    if (it == before.end()) {
      r.set_previous_rank(0);
      r.set_rank_change(0);
      continue;
    }
    r.set_previous_rank(it->second);
    r.set_rank_change(it->second - r.rank());
  }
}

}  // namespace chainhub::assessment
