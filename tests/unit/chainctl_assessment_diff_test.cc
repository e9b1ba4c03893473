#include <gtest/gtest.h>

#include "tools/chainctl/line_diff.h"

namespace chainhub::chainctl {
namespace {

TEST(LineDiff, TheSameLinesMakeNoDiff) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "a\nb\n", "v1", "v2"), "");
  // A missing final line break is no change of a line.
  EXPECT_EQ(UnifiedDiff("a\nb", "a\nb\n", "v1", "v2"), "");
  EXPECT_EQ(UnifiedDiff("", "", "v1", "v2"), "");
}

TEST(LineDiff, AChangedLineIsRemovedThenAddedAmidItsContext) {
  EXPECT_EQ(UnifiedDiff("a\nb\nc\n", "a\nx\nc\n", "v1", "v2"),
            "--- v1\n"
            "+++ v2\n"
            "@@ -1,3 +1,3 @@\n"
            " a\n"
            "-b\n"
            "+x\n"
            " c\n");
}

TEST(LineDiff, RemovalsComeBeforeAdditionsWhenNothingIsShared) {
  EXPECT_EQ(UnifiedDiff("a\nb\n", "c\nd\n", "v1", "v2"),
            "--- v1\n+++ v2\n@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d\n");
}

TEST(LineDiff, ContextIsCutAtTheGivenNumberOfLines) {
  // Ten lines, the fifth changed: three lines of context each side.
  const std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
  const std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
  EXPECT_EQ(UnifiedDiff(before, after, "a", "b"),
            "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  EXPECT_EQ(UnifiedDiff(before, after, "a", "b", 1),
            "--- a\n+++ b\n@@ -4,3 +4,3 @@\n 4\n-5\n+five\n 6\n");
}

TEST(LineDiff, ChangesFartherApartThanTwiceTheContextMakeTwoHunks) {
  // Changes at lines 2 and 6 with three unchanged lines between: context 1 splits them.
  EXPECT_EQ(UnifiedDiff("a\nb\nc\nd\ne\nf\ng\n", "a\nB\nc\nd\ne\nF\ng\n", "v1", "v2", 1),
            "--- v1\n+++ v2\n"
            "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
            "@@ -5,3 +5,3 @@\n e\n-f\n+F\n g\n");
}

TEST(LineDiff, ChangesTwiceTheContextApartShareAHunk) {
  // Changes at lines 2 and 5 with two unchanged lines between: context 1 joins them.
  EXPECT_EQ(UnifiedDiff("a\nb\nc\nd\ne\nf\n", "a\nB\nc\nd\nE\nf\n", "v1", "v2", 1),
            "--- v1\n+++ v2\n@@ -1,6 +1,6 @@\n a\n-b\n+B\n c\n d\n-e\n+E\n f\n");
}

TEST(LineDiff, AnEmptySideIsNamedByTheLineBeforeIt) {
  EXPECT_EQ(UnifiedDiff("", "x\ny\n", "v1", "v2"), "--- v1\n+++ v2\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  // Without context, a removed middle line leaves nothing on the new side: after its line 1.
  EXPECT_EQ(UnifiedDiff("a\nb\nc\n", "a\nc\n", "v1", "v2", 0),
            "--- v1\n+++ v2\n@@ -2 +1,0 @@\n-b\n");
  EXPECT_EQ(UnifiedDiff("a\nc\n", "a\nb\nc\n", "v1", "v2", 0),
            "--- v1\n+++ v2\n@@ -1,0 +2 @@\n+b\n");
}

TEST(LineDiff, TheLongestCommonSubsequenceIsKept) {
  // A line moved from the top to the bottom: one removal and one addition, the rest kept.
  EXPECT_EQ(UnifiedDiff("m\na\nb\nc\n", "a\nb\nc\nm\n", "v1", "v2"),
            "--- v1\n+++ v2\n@@ -1,4 +1,4 @@\n-m\n a\n b\n c\n+m\n");
}

}  // namespace
}  // namespace chainhub::chainctl
