// The subject layouts of diffabund/blocked.hpp (shared by `diff --subject` and the study's alpha
// tests) and the test each gives, on hand-checkable data (R 4.2.2 commands next to the numbers).
#include <gtest/gtest.h>

#include "diffabund/blocked.hpp"

using namespace orbiome::diffabund;

TEST(Blocks, OneSampleEachIsPairedAndTheDifferencesAreTestVsReference) {
    // Subjects a..e, group 1 (test) and 0 (reference); differences test - reference = 1..5.
    std::vector<std::string> const subject{"a", "a", "b", "b", "c", "c", "d", "d", "e", "e"};
    std::vector<std::size_t> const group{1, 0, 0, 1, 1, 0, 0, 1, 1, 0};
    std::vector<double> const v{11, 10, 20, 22, 33, 30, 40, 44, 55, 50};
    auto const b = make_blocks(subject, group, 2);
    EXPECT_TRUE(b.one_each && !b.nested && b.testable());
    EXPECT_EQ(b.complete.size(), 5u);
    EXPECT_EQ(b.n_repeated, 5u);
    // wilcox.test(c(11,22,33,44,55), c(10,20,30,40,50), paired = TRUE): V = 15, p-value = 0.0625
    auto const r = blocked_test(v, group, b, true, 1, 0);
    EXPECT_EQ(r.statistic, 15.0);
    EXPECT_DOUBLE_EQ(r.p_value, 0.0625);
    EXPECT_NE(blocked_test_note(b, true, "mouse", "final", "pre").find("paired Wilcoxon signed-rank"), std::string::npos);
}

TEST(Blocks, SeveralSamplesPerGroupUseSubjectMeansAndLeaveIncompleteSubjectsOut) {
    // a, b, c in both groups (a twice in the test group), d only in the reference group.
    std::vector<std::string> const subject{"a", "a", "a", "b", "b", "c", "c", "d"};
    std::vector<std::size_t> const group{1, 1, 0, 1, 0, 1, 0, 0};
    std::vector<double> const v{4, 6, 1, 7, 3, 9, 2, 100};
    auto const b = make_blocks(subject, group, 2);
    EXPECT_FALSE(b.one_each);
    EXPECT_FALSE(b.nested);
    EXPECT_EQ(b.complete.size(), 3u);
    // Means: a 5 vs 1, b 7 vs 3, c 9 vs 2 -> wilcox.test(c(5,7,9), c(1,3,2), paired = TRUE): V = 6,
    // p-value = 0.17356816655592155 (tied differences 4, 4, 7: the normal approximation)
    auto const r = blocked_test(v, group, b, true, 1, 0);
    EXPECT_EQ(r.statistic, 6.0);
    EXPECT_NEAR(r.p_value, 0.17356816655592155, 1e-15);
    EXPECT_NE(blocked_test_note(b, true, "s", "T", "R").find("1 subject(s) without a sample in every group left out"),
              std::string::npos);
}

TEST(Blocks, NestedSubjectsAreOneMeanEachAndTooFewCompleteOnesAreNotTestable) {
    std::vector<std::string> const subject{"a", "a", "b", "b", "c", "d", "d"};
    std::vector<std::size_t> const group{1, 1, 1, 1, 0, 0, 0};
    std::vector<double> const v{1, 3, 5, 7, 10, 20, 40};
    auto const b = make_blocks(subject, group, 2);
    EXPECT_TRUE(b.nested && b.testable());
    // Means a 2, b 6 | c 10, d 30 -> wilcox.test(c(2,6), c(10,30)): W = 0, p-value = 0.3333
    auto const r = blocked_test(v, group, b, true, 1, 0);
    EXPECT_EQ(r.statistic, 0.0);
    EXPECT_DOUBLE_EQ(r.p_value, 1.0 / 3.0);
    // One subject crosses the groups and the others do not: neither paired nor nested.
    auto const mixed = make_blocks({"a", "a", "b", "c"}, {1, 0, 1, 0}, 2);
    EXPECT_FALSE(mixed.testable());
}
