#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "services/assessment/grading.h"

namespace chainhub::assessment {
namespace {

v1::SubjectResult Subject(const std::string& subject, double total) {
  v1::SubjectResult r;
  r.set_subject(subject);
  r.set_total(total);
  return r;
}

v1::Grading Thresholds(double excellent, double good, double pass) {
  v1::Grading g;
  g.mutable_thresholds()->set_excellent(excellent);
  g.mutable_thresholds()->set_good(good);
  g.mutable_thresholds()->set_pass(pass);
  return g;
}

v1::Grading Shares(double excellent, double good, double fail) {
  v1::Grading g;
  g.mutable_rank_shares()->set_excellent(excellent);
  g.mutable_rank_shares()->set_good(good);
  g.mutable_rank_shares()->set_fail(fail);
  return g;
}

std::vector<std::string> Subjects(const std::vector<v1::SubjectResult>& results) {
  std::vector<std::string> out;
  for (const auto& r : results) out.push_back(r.subject());
  return out;
}

std::vector<int> Ranks(const std::vector<v1::SubjectResult>& results) {
  std::vector<int> out;
  for (const auto& r : results) out.push_back(r.rank());
  return out;
}

std::vector<v1::Grade> Grades(const std::vector<v1::SubjectResult>& results) {
  std::vector<v1::Grade> out;
  for (const auto& r : results) out.push_back(r.grade());
  return out;
}

constexpr v1::Grade E = v1::GRADE_EXCELLENT, G = v1::GRADE_GOOD, P = v1::GRADE_PASS,
                    F = v1::GRADE_FAIL;

TEST(AssessmentGradingTest, RanksBestFirstWithCompetitionRankingForTies) {
  std::vector<v1::SubjectResult> results = {Subject("chains/pv", 80), Subject("chains/medical", 85),
                                            Subject("chains/auto-equipment", 90),
                                            Subject("chains/health-food", 85)};
  RankAndGrade(Thresholds(90, 80, 60), &results);
  EXPECT_EQ(Subjects(results),
            (std::vector<std::string>{"chains/auto-equipment", "chains/health-food",
                                      "chains/medical", "chains/pv"}));
  EXPECT_EQ(Ranks(results), (std::vector<int>{1, 2, 2, 4}));
}

TEST(AssessmentGradingTest, TotalsEqualToAMillionthTie) {
  std::vector<v1::SubjectResult> results = {
      Subject("chains/b", 85.0000001), Subject("chains/a", 85), Subject("chains/c", 85.000002)};
  RankAndGrade(Thresholds(90, 80, 60), &results);
  EXPECT_EQ(Subjects(results), (std::vector<std::string>{"chains/c", "chains/a", "chains/b"}));
  EXPECT_EQ(Ranks(results), (std::vector<int>{1, 2, 2}));
}

TEST(AssessmentGradingTest, GradesByScoreThresholds) {
  std::vector<v1::SubjectResult> results = {
      Subject("chains/a", 95), Subject("chains/b", 90), Subject("chains/c", 89.9999999),
      Subject("chains/d", 85), Subject("chains/e", 60), Subject("chains/f", 59.99)};
  RankAndGrade(Thresholds(90, 80, 60), &results);
  // 89.9999999 is 90 to a millionth: 优秀.
  EXPECT_EQ(Grades(results), (std::vector<v1::Grade>{E, E, E, G, P, F}));
}

TEST(AssessmentGradingTest, GradesByRankShares) {
  std::vector<v1::SubjectResult> results;
  for (int i = 0; i < 10; ++i) results.push_back(Subject("chains/c" + std::to_string(i), 100 - i));
  RankAndGrade(Shares(0.2, 0.3, 0.1), &results);
  // The first 2 优秀, the next 3 良好, the last 1 不合格.
  EXPECT_EQ(Grades(results), (std::vector<v1::Grade>{E, E, G, G, G, P, P, P, P, F}));
}

TEST(AssessmentGradingTest, TiedSubjectsShareTheBetterGrade) {
  std::vector<v1::SubjectResult> results;
  const double totals[] = {100, 95, 95, 90, 85, 80, 75, 70, 60, 60};
  for (int i = 0; i < 10; ++i) {
    results.push_back(Subject("chains/c" + std::to_string(i), totals[i]));
  }
  RankAndGrade(Shares(0.2, 0.3, 0.1), &results);
  // Positions 1 and 2 tie (rank 2): both 优秀; the last two tie at rank 9: both 合格.
  EXPECT_EQ(Ranks(results), (std::vector<int>{1, 2, 2, 4, 5, 6, 7, 8, 9, 9}));
  EXPECT_EQ(Grades(results), (std::vector<v1::Grade>{E, E, E, G, G, P, P, P, P, P}));
}

TEST(AssessmentGradingTest, RankShareCountsForgiveBinaryRounding) {
  // 0.1 × 30 is 3.0000000000000004 in binary: still 3 subjects.
  std::vector<v1::SubjectResult> results;
  for (int i = 0; i < 30; ++i) results.push_back(Subject("chains/c" + std::to_string(i), 100 - i));
  RankAndGrade(Shares(0.1, 0, 0.1), &results);
  int excellent = 0, fail = 0;
  for (const auto& r : results) {
    excellent += r.grade() == E;
    fail += r.grade() == F;
  }
  EXPECT_EQ(excellent, 3);
  EXPECT_EQ(fail, 3);
}

TEST(AssessmentGradingTest, OverlappingSharesGiveTheBetterGrade) {
  // 4 subjects, 0.3/0.3/0.4: ceil(1.2) = 2 优秀, 2 良好, floor(1.6) = 1 不合格 overlaps 良好.
  std::vector<v1::SubjectResult> results = {Subject("chains/a", 4), Subject("chains/b", 3),
                                            Subject("chains/c", 2), Subject("chains/d", 1)};
  RankAndGrade(Shares(0.3, 0.3, 0.4), &results);
  EXPECT_EQ(Grades(results), (std::vector<v1::Grade>{E, E, G, G}));
}

TEST(AssessmentGradingTest, NoGradingRuleLeavesGradesUnspecified) {
  std::vector<v1::SubjectResult> results = {Subject("chains/a", 4)};
  RankAndGrade(v1::Grading(), &results);
  EXPECT_EQ(results[0].rank(), 1);
  EXPECT_EQ(results[0].grade(), v1::GRADE_UNSPECIFIED);
  std::vector<v1::SubjectResult> none;
  RankAndGrade(Shares(0.2, 0.3, 0.1), &none);
  EXPECT_TRUE(none.empty());
}

TEST(AssessmentGradingTest, FoldsQuartersIntoTheAnnualScore) {
  // 0.7 × mean(90, 85, 88, 93) + 0.3 × 80 = 0.7 × 89 + 24 = 86.3.
  EXPECT_NEAR(FoldQuarters(0.7, 80, {90, 85, 88, 93}), 86.3, 1e-9);
  // Only the quarters that have a final run count: 0.7 × 87.5 + 0.3 × 80 = 85.25.
  EXPECT_NEAR(FoldQuarters(0.7, 80, {90, 85}), 85.25, 1e-9);
  EXPECT_DOUBLE_EQ(FoldQuarters(0, 80, {90, 85, 88, 93}), 80);
  EXPECT_DOUBLE_EQ(FoldQuarters(0.7, 80, {}), 80);
  EXPECT_DOUBLE_EQ(FoldQuarters(1, 80, {90, 70}), 80);  // quarters only
}

TEST(AssessmentGradingTest, ComparesRanksWithThePreviousRun) {
  std::vector<v1::SubjectResult> previous = {Subject("chains/a", 0), Subject("chains/b", 0),
                                             Subject("chains/c", 0)};
  previous[0].set_rank(1);
  previous[1].set_rank(2);
  previous[2].set_rank(3);
  std::vector<v1::SubjectResult> results = {Subject("chains/c", 0), Subject("chains/a", 0),
                                            Subject("chains/d", 0)};
  results[0].set_rank(1);
  results[1].set_rank(2);
  results[2].set_rank(3);
  CompareRanks(previous, &results);
  EXPECT_EQ(results[0].previous_rank(), 3);
  EXPECT_EQ(results[0].rank_change(), 2);  // moved up two places
  EXPECT_EQ(results[1].previous_rank(), 1);
  EXPECT_EQ(results[1].rank_change(), -1);
  EXPECT_EQ(results[2].previous_rank(), 0);  // new: no previous rank, no change
  EXPECT_EQ(results[2].rank_change(), 0);
}

}  // namespace
}  // namespace chainhub::assessment
