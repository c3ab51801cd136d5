// Edge cases and hand-checkable values of the statistics primitives (reference values from R
// 4.2.2, commands quoted next to each number).
#include <cmath>

#include <gtest/gtest.h>

#include "diffabund/stats.hpp"

using namespace orbiome::diffabund;

TEST(AverageRanks, TiesGetTheirMeanRankAndTieTerm) {
    std::vector<double> x{3, 1, 3, 2, 3};
    auto r = average_ranks(x);
    EXPECT_EQ(r.rank, (std::vector<double>{4, 1, 4, 2, 4}));
    EXPECT_EQ(r.tie_term, 24.0);  // one group of 3: 27 - 3
}

TEST(Wilcoxon, ExactSeparatedSamples) {
    // wilcox.test(c(1,2,3), c(4,5,6)): W = 0, p-value = 0.1
    std::vector<double> x{1, 2, 3}, y{4, 5, 6};
    auto r = wilcoxon_rank_sum(x, y);
    EXPECT_TRUE(r.exact);
    EXPECT_EQ(r.statistic, 0.0);
    EXPECT_DOUBLE_EQ(r.p_value, 0.1);
}

TEST(Wilcoxon, NormalApproximationWithTies) {
    // wilcox.test(c(1,2,2,3), c(2,4,5)): W = 2, p-value = 0.1991 (0.19908985214820457)
    std::vector<double> x{1, 2, 2, 3}, y{2, 4, 5};
    auto r = wilcoxon_rank_sum(x, y);
    EXPECT_FALSE(r.exact);
    EXPECT_EQ(r.statistic, 2.0);
    EXPECT_NEAR(r.p_value, 0.19908985214820457, 1e-15);
}

TEST(Wilcoxon, AllTiedIsNotTestedAndNeverNaN) {
    std::vector<double> x{0, 0, 0}, y{0, 0};
    auto r = wilcoxon_rank_sum(x, y);
    EXPECT_FALSE(r.tested);
    EXPECT_EQ(r.p_value, 1.0);
    EXPECT_EQ(r.statistic, 3.0);
}

TEST(RankSumDistribution, TailsSumToOneAcrossTheMedian) {
    RankSumDistribution d(7, 9);
    for (int u = 0; u <= 63; ++u) EXPECT_NEAR(d.lower(u) + d.upper(u + 1), 1.0, 1e-15);
    // pwilcox(10, 7, 9) = 0.011451048951048953
    EXPECT_NEAR(d.lower(10), 0.011451048951048953, 1e-17);
}

TEST(KruskalWallis, ConstantOrSingleGroupIsNotTested) {
    std::vector<double> x{1, 1, 1, 1};
    std::vector<std::size_t> g{0, 0, 1, 1};
    EXPECT_FALSE(kruskal_wallis(x, g).tested);
    std::vector<double> y{1, 2, 3};
    std::vector<std::size_t> one{0, 0, 0};
    auto r = kruskal_wallis(y, one);
    EXPECT_FALSE(r.tested);
    EXPECT_EQ(r.p_value, 1.0);
}

TEST(Welch, ConstantAndSingletonSamplesAreNotTested) {
    std::vector<double> a{2, 2, 2}, b{2, 2}, c{5};
    EXPECT_FALSE(welch_t(a, b).tested);
    auto r = welch_t(a, c);
    EXPECT_FALSE(r.tested);
    EXPECT_EQ(r.p_value, 1.0);
    EXPECT_FALSE(std::isnan(r.statistic));
}

TEST(Welch, OneConstantSampleStillHasDf) {
    // t.test(c(1,2,3,4), c(0,0,0)): t = 3.873, df = 3, p-value = 0.03047 (0.030466291662170977)
    std::vector<double> x{1, 2, 3, 4}, y{0, 0, 0};
    auto r = welch_t(x, y);
    ASSERT_TRUE(r.tested);
    EXPECT_NEAR(r.df, 3.0, 1e-12);
    EXPECT_NEAR(r.p_value, 0.030466291662170977, 1e-14);
}

TEST(Correlation, ConstantVariableIsNotTestedAndPerfectIsPZero) {
    std::vector<double> x{1, 2, 3, 4}, c{7, 7, 7, 7}, y{2, 4, 6, 8};
    EXPECT_FALSE(pearson(x, c).tested);
    EXPECT_FALSE(spearman(x, c).tested);
    auto r = pearson(x, y);
    ASSERT_TRUE(r.tested);
    EXPECT_EQ(r.coefficient, 1.0);
    EXPECT_EQ(r.p_value, 0.0);
    std::vector<double> two{1, 2};
    EXPECT_FALSE(pearson(two, two).tested);  // df = 0
}

TEST(Correlation, PartialWithCovariateExplainingXIsNotTested) {
    std::vector<double> x{1, 2, 3, 4, 5}, y{2, 1, 4, 3, 6}, z{1, 2, 3, 4, 5};
    auto r = partial_correlation(x, y, z, 1, CorrelationMethod::pearson);
    EXPECT_FALSE(r.tested);
    EXPECT_EQ(r.p_value, 1.0);
}

TEST(BenjaminiHochberg, MatchesPAdjustWithTiesAndOrder) {
    // p.adjust(c(0.01, 0.04, 0.03, 0.04, 0.5), "BH") = 0.05 0.05 0.05 0.05 0.5
    std::vector<double> p{0.01, 0.04, 0.03, 0.04, 0.5};
    auto q = bh_adjust(p);
    std::vector<double> expect{0.05, 0.05, 0.05, 0.05, 0.5};
    for (std::size_t i = 0; i < p.size(); ++i) EXPECT_DOUBLE_EQ(q[i], expect[i]);
    // p.adjust(c(0.2, 0.001, 0.9), "BH") = 0.3 0.003 0.9
    std::vector<double> p2{0.2, 0.001, 0.9};
    auto q2 = bh_adjust(p2);
    EXPECT_DOUBLE_EQ(q2[0], 0.3);
    EXPECT_DOUBLE_EQ(q2[1], 0.003);
    EXPECT_DOUBLE_EQ(q2[2], 0.9);
    EXPECT_TRUE(bh_adjust(std::vector<double>{}).empty());
}
